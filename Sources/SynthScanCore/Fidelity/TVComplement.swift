/// SDMetrics `TVComplement` of a categorical or boolean column: 1 − ½ Σ_c |f_S(c) − f_R(c)|.
///
/// Source: sdmetrics 0.32.0 `single_column/statistical/tv_complement.py` with the frequencies of
/// `utils.py::get_frequencies`: missing values are dropped on both sides; the sum runs over the
/// real categories and the synthetic-only ones; a synthetic-only category gets a real count of
/// 1e-6 (so the real total grows by 1e-6 per such category) to avoid a NaN.
///
/// Undefined (nil) where SDMetrics raises `IncomputableMetricError`: no present value in the real
/// or in the synthetic slice (empty slice, all-missing column). Nil for a numeric column.
public enum TVComplement {
    /// SDMetrics' regularisation of synthetic-only categories (`get_frequencies`).
    public static let syntheticOnlyRealCount = 1e-6

    /// The score of `synthetic` against `real` (both coded over the same dictionary).
    public static func score(real: ColumnSlice, synthetic: ColumnSlice) -> Double? {
        guard let r = real.codeCounts(), let s = synthetic.codeCounts() else { return nil }
        return score(realCounts: r.counts, syntheticCounts: s.counts)
    }

    /// The score from the count of each code (missing values left out) on each side.
    public static func score(realCounts: [Int], syntheticCounts: [Int]) -> Double? {
        realCounts.withUnsafeBufferPointer { r in
            syntheticCounts.withUnsafeBufferPointer { s in score(realCounts: r, syntheticCounts: s) }
        }
    }

    /// The score from counts held in buffers (e.g. two halves of one reused scratch array, with no
    /// copy), with the same operations in the same order as the array form.
    public static func score(realCounts: UnsafeBufferPointer<Int>, syntheticCounts: UnsafeBufferPointer<Int>) -> Double? {
        let realTotal = realCounts.reduce(0, +), syntheticTotal = syntheticCounts.reduce(0, +)
        guard realTotal > 0, syntheticTotal > 0 else { return nil }
        let width = Swift.min(realCounts.count, syntheticCounts.count)
        var syntheticOnly = 0
        for c in 0..<width where realCounts[c] == 0 && syntheticCounts[c] > 0 { syntheticOnly += 1 }
        let realSum = Double(realTotal) + Double(syntheticOnly) * syntheticOnlyRealCount
        let nS = Double(syntheticTotal)
        var variation = 0.0
        for c in 0..<width where realCounts[c] > 0 || syntheticCounts[c] > 0 {
            let expected = realCounts[c] > 0 ? Double(realCounts[c]) / realSum : syntheticOnlyRealCount / realSum
            variation += abs(Double(syntheticCounts[c]) / nS - expected)
        }
        return 1 - 0.5 * variation
    }
}
