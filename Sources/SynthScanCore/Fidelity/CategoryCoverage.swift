/// SDMetrics `CategoryCoverage` of a categorical or boolean column: the share of the real
/// categories that occur in the synthetic slice, |cats(S) ∩ cats(R)| / |cats(R)| (missing values
/// dropped; unweighted: a rare category counts as much as a common one).
///
/// Source: sdmetrics 0.32.0 `single_column/statistical/category_coverage.py`. Undefined (nil)
/// where SDMetrics divides by zero: no present value in the real slice. An empty synthetic slice
/// scores 0. Nil for a numeric column. (`SubgroupErasureCheck` computes the same figure inline,
/// together with its weighted and rare-category variants.)
public enum CategoryCoverage {
    /// The score of `synthetic` against `real`.
    public static func score(real: ColumnSlice, synthetic: ColumnSlice) -> Double? {
        guard let r = real.codeCounts(), let s = synthetic.codeCounts() else { return nil }
        var realCategories = 0, covered = 0
        for c in 0..<Swift.min(r.counts.count, s.counts.count) where r.counts[c] > 0 {
            realCategories += 1
            if s.counts[c] > 0 { covered += 1 }
        }
        guard realCategories > 0 else { return nil }
        return Double(covered) / Double(realCategories)
    }
}
