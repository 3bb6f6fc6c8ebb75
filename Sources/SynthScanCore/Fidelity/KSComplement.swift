/// SDMetrics `KSComplement` of a numeric or datetime column: 1 − D, D the two-sample
/// Kolmogorov–Smirnov statistic sup_x |F_R(x) − F_S(x)| of the empirical CDFs.
///
/// Source: sdmetrics 0.32.0 `single_column/statistical/kscomplement.py`: missing values are
/// dropped; datetimes become integers (`pd.to_numeric`, nanoseconds) and are not rounded (rounding
/// an integer is a no-op); numbers are rounded to `MAX_DECIMALS` = `sys.float_info.dig − 1` = 14
/// decimals the way numpy rounds (x·10¹⁴, round half to even, ÷10¹⁴), which can merge values that
/// differ only in their last bits; D is `scipy.stats.ks_2samp`'s statistic (scipy
/// `stats/_stats_py.py`: max over the pooled sample of |i/n_R − j/n_S|, counts taken with ties on
/// the right). D depends only on the order of the values, so storing datetimes as seconds instead
/// of nanoseconds changes nothing.
///
/// Undefined (nil) where SDMetrics returns NaN: no present value in the real or synthetic slice.
/// Nil for a coded column.
public enum KSComplement {
    /// SDMetrics' `MAX_DECIMALS` (15 significant digits of a double, minus one).
    public static let maxDecimals = 14

    /// The score of `synthetic` against `real`.
    public static func score(real: ColumnSlice, synthetic: ColumnSlice) -> Double? {
        guard real.column.type.isNumericStorage, synthetic.column.type.isNumericStorage else { return nil }
        let round = real.column.type == .numeric
        var r = real.presentValues(), s = synthetic.presentValues()
        guard !r.isEmpty, !s.isEmpty else { return nil }
        if round {
            for i in r.indices { r[i] = numpyRound(r[i]) }
            for i in s.indices { s[i] = numpyRound(s[i]) }
        }
        r.sort(); s.sort()
        return 1 - statistic(sortedReal: r, sortedSynthetic: s)
    }

    /// numpy's `round(x, 14)` for a double: rint(x·10¹⁴)/10¹⁴ (numpy `PyArray_Round`).
    @inlinable
    public static func numpyRound(_ x: Double) -> Double {
        let factor = 1e14
        return (x * factor).rounded(.toNearestOrEven) / factor
    }

    /// The two-sample KS statistic D of two sorted, non-empty samples.
    public static func statistic(sortedReal a: [Double], sortedSynthetic b: [Double]) -> Double {
        let n1 = Double(a.count), n2 = Double(b.count)
        var i = 0, j = 0, d = 0.0
        while i < a.count || j < b.count {
            let v = j >= b.count || (i < a.count && a[i] <= b[j]) ? a[i] : b[j]
            while i < a.count && a[i] == v { i += 1 }
            while j < b.count && b[j] == v { j += 1 }
            d = Swift.max(d, abs(Double(i) / n1 - Double(j) / n2))
        }
        return d
    }
}
