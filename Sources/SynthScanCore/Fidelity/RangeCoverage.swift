/// SDMetrics `RangeCoverage` of a numeric or datetime column: how much of the real range
/// [r_min, r_max] the synthetic range [s_min, s_max] covers,
/// max(0, 1 − (max((s_min − r_min)/(r_max − r_min), 0) + max((r_max − s_max)/(r_max − r_min), 0))).
///
/// Source: sdmetrics 0.32.0 `single_column/statistical/range_coverage.py` (pandas min/max skip
/// missing values). Undefined (nil) where SDMetrics returns NaN: a constant real slice
/// (r_min = r_max), or no present value in the real or synthetic slice (NaN minima propagate
/// through Python's `max`). Nil for a coded column.
public enum RangeCoverage {
    /// The score of `synthetic` against `real`.
    public static func score(real: ColumnSlice, synthetic: ColumnSlice) -> Double? {
        guard let r = range(real), let s = range(synthetic) else { return nil }
        return score(realMin: r.min, realMax: r.max, syntheticMin: s.min, syntheticMax: s.max)
    }

    /// The score from the two ranges (nil when the real range is a single point).
    public static func score(realMin: Double, realMax: Double, syntheticMin: Double, syntheticMax: Double) -> Double? {
        guard realMin != realMax else { return nil }
        let width = realMax - realMin
        let low = Swift.max((syntheticMin - realMin) / width, 0)
        let high = Swift.max((realMax - syntheticMax) / width, 0)
        return Swift.max(1 - (low + high), 0)
    }

    /// Smallest and largest present value of a numeric or datetime slice (nil if there is none).
    public static func range(_ slice: ColumnSlice) -> (min: Double, max: Double)? {
        guard case .numeric(let values, let missing) = slice.column.storage else { return nil }
        var lo = Double.infinity, hi = -Double.infinity, any = false
        slice.rows.forEach(rowCount: values.count) { row in
            let v = values[row]
            guard !missing.isMissing(row), !v.isNaN else { return }
            any = true
            if v < lo { lo = v }
            if v > hi { hi = v }
        }
        return any ? (lo, hi) : nil
    }
}
