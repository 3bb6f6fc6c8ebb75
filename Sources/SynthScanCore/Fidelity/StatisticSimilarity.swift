import Foundation

/// SDMetrics `StatisticSimilarity` of a numeric or datetime column:
/// max(0, 1 − |stat_R − stat_S| / (max_R − min_R)) for stat = mean, median or standard deviation.
///
/// Source: sdmetrics 0.32.0 `single_column/statistical/statistic_similarity.py`: missing values
/// dropped; datetimes as numbers (the score is a ratio, so seconds and nanoseconds agree); the
/// median is pandas' (type-7 quantile 0.5, `Statistics.quantile`), the standard deviation pandas'
/// sample one (ddof = 1). Undefined (nil) where SDMetrics returns NaN: a constant real slice
/// (one distinct value; SDMetrics warns `ConstantInputWarning`), no present real or synthetic
/// value, and `std` of a synthetic slice with a single value. Nil for a coded column.
public enum StatisticSimilarity {
    /// The statistic compared.
    public enum Statistic: String, Sendable, CaseIterable {
        /// Arithmetic mean.
        case mean
        /// Median (type-7 quantile 0.5).
        case median
        /// Sample standard deviation (ddof = 1).
        case std
    }

    /// The score of `synthetic` against `real`.
    public static func score(real: ColumnSlice, synthetic: ColumnSlice, statistic: Statistic) -> Double? {
        guard real.column.type.isNumericStorage, synthetic.column.type.isNumericStorage else { return nil }
        let r = real.presentValues(), s = synthetic.presentValues()
        guard let lo = r.min(), let hi = r.max(), lo != hi else { return nil }
        guard let a = value(r, statistic), let b = value(s, statistic) else { return nil }
        let score = 1 - abs(a - b) / (hi - lo)
        return score.isNaN ? nil : Swift.max(score, 0)
    }

    /// The statistic of `values` (nil where pandas gives NaN).
    public static func value(_ values: [Double], _ statistic: Statistic) -> Double? {
        guard !values.isEmpty else { return nil }
        switch statistic {
        case .mean:
            return values.reduce(0, +) / Double(values.count)
        case .median:
            return Statistics.quantile(sorted: values.sorted(), 0.5)
        case .std:
            guard values.count > 1 else { return nil }
            let mean = values.reduce(0, +) / Double(values.count)
            var sum = 0.0
            for v in values { sum += (v - mean) * (v - mean) }
            return (sum / Double(values.count - 1)).squareRoot()
        }
    }
}
