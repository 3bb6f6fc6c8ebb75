import Foundation

/// Estimates of an association between two columns with their sampling error, and the interval
/// of the change between two independent tables.
public enum AssociationStatistics {
    /// An association estimate on one table: a correlation ρ or a log odds ratio, with a
    /// confidence interval on the same scale.
    public struct Estimate: Sendable, Equatable {
        public var value: Double
        public var low: Double
        public var high: Double
        /// Standard error on the test scale (Fisher z for correlations, log scale for odds ratios).
        public var se: Double
        /// The value on the test scale.
        public var testValue: Double
        /// Rows (or patients) it is computed from.
        public var n: Int

        /// Whether the interval excludes no association (0).
        public var isSignificant: Bool { low > 0 || high < 0 }
        /// −1, 0 or +1: the sign of a significant association, 0 when the interval includes 0.
        public var direction: Int { low > 0 ? 1 : high < 0 ? -1 : 0 }
    }

    /// A correlation with its Fisher-z interval: se = √(1/(n−3)) for Pearson, and Bonett & Wright's
    /// √((1 + ρ²/2)/(n−3)) for Spearman (Bonett & Wright 2000, "Sample size requirements for
    /// estimating Pearson, Kendall and Spearman correlations", Psychometrika 65:23–28). Nil for
    /// n < 4 or |ρ| = 1 on either side of the transform.
    public static func correlation(_ rho: Double, n: Int, spearman: Bool, z: Double) -> Estimate? {
        guard n >= 4, rho.isFinite else { return nil }
        let clipped = Swift.min(Swift.max(rho, -0.999_999_999), 0.999_999_999)
        let fisher = atanh(clipped)
        let se = ((spearman ? 1 + clipped * clipped / 2 : 1) / Double(n - 3)).squareRoot()
        return Estimate(value: rho, low: tanh(fisher - z * se), high: tanh(fisher + z * se), se: se, testValue: fisher, n: n)
    }

    /// The log odds ratio ln(ad/bc) of a 2×2 table with Woolf's interval (Woolf 1955, Ann. Hum.
    /// Genet. 19:251–253); 0.5 is added to every count when one is 0 (Haldane–Anscombe).
    public static func logOddsRatio(a: Int, b: Int, c: Int, d: Int, z: Double) -> Estimate {
        var (x, y, u, v) = (Double(a), Double(b), Double(c), Double(d))
        if a == 0 || b == 0 || c == 0 || d == 0 { x += 0.5; y += 0.5; u += 0.5; v += 0.5 }
        let value = log(x * v / (y * u)), se = (1 / x + 1 / y + 1 / u + 1 / v).squareRoot()
        return Estimate(value: value, low: value - z * se, high: value + z * se, se: se, testValue: value, n: a + b + c + d)
    }

    /// The change `synthetic − real` of two independent estimates: the MOVER interval of Zou (2007,
    /// "Toward using confidence intervals to compare correlations", Psychological Methods
    /// 12:399–413) built from each estimate's own interval (for log odds ratios, whose intervals are
    /// symmetric, it is the usual √(se₁² + se₂²) interval), and the two-sided p-value of the
    /// difference on the test scale.
    public static func change(real r: Estimate, synthetic s: Estimate) -> (low: Double, high: Double, p: Double) {
        let d = s.value - r.value
        let low = d - ((s.value - s.low) * (s.value - s.low) + (r.high - r.value) * (r.high - r.value)).squareRoot()
        let high = d + ((s.high - s.value) * (s.high - s.value) + (r.value - r.low) * (r.value - r.low)).squareRoot()
        let se = (r.se * r.se + s.se * s.se).squareRoot()
        let p = se > 0 ? erfc(abs(s.testValue - r.testValue) / se / 2.0.squareRoot()) : 1
        return (low, high, p)
    }
}
