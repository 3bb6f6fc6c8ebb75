/// SDMetrics `MissingValueSimilarity` of a column of any type: 1 − |m_R − m_S|, m the share of
/// missing values in the slice.
///
/// Source: sdmetrics 0.32.0 `single_column/statistical/missing_value_similarity.py` (pandas
/// `isna`: a NaN in a numeric column counts as missing). Undefined (nil) where SDMetrics divides
/// 0 by 0 and returns NaN: an empty real or synthetic slice.
public enum MissingValueSimilarity {
    /// The score of `synthetic` against `real`.
    public static func score(real: ColumnSlice, synthetic: ColumnSlice) -> Double? {
        let nR = real.count, nS = synthetic.count
        guard nR > 0, nS > 0 else { return nil }
        let mR = Double(real.missingCount()) / Double(nR)
        let mS = Double(synthetic.missingCount()) / Double(nS)
        return 1 - abs(mR - mS)
    }
}
