import Foundation

/// Descriptive statistics and the few tests the checks need, each with its source.
public enum Statistics {
    /// The `p`-quantile (0...1) of `sorted` values by linear interpolation between order statistics
    /// (Hyndman & Fan 1996 type 7: numpy's and pandas' default, so medians agree with SDMetrics).
    /// NaN for an empty input.
    public static func quantile(sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let h = Double(sorted.count - 1) * Swift.min(Swift.max(p, 0), 1)
        let lo = Int(h.rounded(.down))
        let hi = Swift.min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }

    /// The distribution-free confidence interval for the median of the population `sorted` was
    /// drawn from: order statistics `x(l)` and `x(n − l + 1)` (1-based) with the largest `l` such
    /// that P(Binomial(n, ½) ≤ l − 1) ≤ (1 − confidence)/2, so coverage is at least `confidence`
    /// (Conover, Practical Nonparametric Statistics, 3rd ed., §3.2). NaN ends when `n` is too small
    /// for any such interval (n < 6 at 95%).
    public static func medianInterval(sorted: [Double], confidence: Double) -> (low: Double, high: Double) {
        let n = sorted.count
        let tail = (1 - confidence) / 2
        // P(X ≤ l − 1) = P(X ≥ n − l + 1) for X ~ Binomial(n, ½).
        func lowerTail(_ l: Int) -> Double { binomialUpperTail(successes: n - l + 1, trials: n, probability: 0.5) }
        guard n > 0, lowerTail(1) <= tail else { return (.nan, .nan) }
        // Start from the normal approximation and step to the exact boundary.
        var l = Swift.max(1, Int((Double(n) / 2 - normalQuantile(1 - tail) * Double(n).squareRoot() / 2).rounded(.down)))
        while l > 1, lowerTail(l) > tail { l -= 1 }
        while l + 1 <= (n + 1) / 2, lowerTail(l + 1) <= tail { l += 1 }
        return (sorted[l - 1], sorted[n - l])
    }

    /// Arithmetic mean (NaN for an empty input).
    public static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
    }

    /// P(X ≥ k) for X ~ Binomial(n, p): the one-sided p-value of observing k or more successes.
    ///
    /// Computed as the regularised incomplete beta function I_p(k, n − k + 1) (DLMF 8.17.5),
    /// evaluated with a continued fraction (DLMF 8.17.22) by the modified Lentz method.
    public static func binomialUpperTail(successes k: Int, trials n: Int, probability p: Double) -> Double {
        if k <= 0 { return 1 }
        if k > n { return 0 }
        if p <= 0 { return 0 }
        if p >= 1 { return 1 }
        return regularizedIncompleteBeta(x: p, a: Double(k), b: Double(n - k + 1))
    }

    /// P(K ≥ k) for K ~ BetaBinomial(n, a, b): a binomial whose success probability is itself
    /// Beta(a, b)-distributed. Summed term by term from log-gamma (pmf: C(n,i) B(i+a, n−i+b) / B(a,b)),
    /// stopping once the terms past the mode no longer change the sum.
    ///
    /// It is the exact null distribution of how many of n new records fall below the j-th smallest
    /// of m baseline values (a = j, b = m − j + 1) when all are exchangeable: the baseline's own
    /// randomness is accounted for, not only the new records'.
    public static func betaBinomialUpperTail(successes k: Int, trials n: Int, a: Double, b: Double) -> Double {
        if k <= 0 { return 1 }
        if k > n { return 0 }
        let lg: (Double) -> Double = lgamma
        let logBetaAB = lg(a) + lg(b) - lg(a + b)
        let nn = Double(n)
        let logNFactorial = lg(nn + 1)
        func logPMF(_ i: Int) -> Double {
            let x = Double(i)
            return logNFactorial - lg(x + 1) - lg(nn - x + 1) + lg(x + a) + lg(nn - x + b) - lg(nn + a + b) - logBetaAB
        }
        // Sum the shorter side, in a numerically safe order.
        let mean = Double(n) * a / (a + b)
        if Double(k) > mean {
            var total = 0.0
            for i in k...n {
                let term = exp(logPMF(i))
                total += term
                if term < total * 1e-17, Double(i) > mean { break }
            }
            return Swift.min(1, total)
        }
        var lower = 0.0
        for i in 0..<k { lower += exp(logPMF(i)) }
        return Swift.max(0, 1 - lower)
    }

    /// I_x(a, b), the regularised incomplete beta function, for a, b > 0 and 0 ≤ x ≤ 1.
    public static func regularizedIncompleteBeta(x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
        // Use the continued fraction where it converges fast; otherwise the symmetry I_x(a,b) = 1 − I_{1−x}(b,a).
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * betaContinuedFraction(x: x, a: a, b: b) / a
        }
        return 1 - exp(logFront) * betaContinuedFraction(x: 1 - x, a: b, b: a) / b
    }

    /// The continued fraction of DLMF 8.17.22 by the modified Lentz method (Press et al., Numerical Recipes §6.4).
    static func betaContinuedFraction(x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300, epsilon = 1e-16
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...10_000 {
            let m = Double(m)
            let m2 = 2 * m
            var aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < epsilon { break }
        }
        return h
    }

    /// Wilson score interval for a proportion of `successes` in `trials` at confidence `1 − alpha`
    /// (Wilson 1927); (0, 1) when there are no trials.
    public static func wilsonInterval(successes: Int, trials: Int, z: Double = 1.959963984540054) -> (low: Double, high: Double) {
        guard trials > 0 else { return (0, 1) }
        let n = Double(trials), p = Double(successes) / n
        let denominator = 1 + z * z / n
        let centre = (p + z * z / (2 * n)) / denominator
        let half = z * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot() / denominator
        return (Swift.max(0, centre - half), Swift.min(1, centre + half))
    }

    /// The standard normal quantile Φ⁻¹(p), by Acklam's rational approximation refined with one
    /// Halley step on erfc (relative error below 1e-12 for 0 < p < 1).
    public static func normalQuantile(_ p: Double) -> Double {
        if p <= 0 { return -.infinity }
        if p >= 1 { return .infinity }
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        var x: Double
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p <= 1 - low {
            let q = p - 0.5, r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        } else {
            let q = (-2 * log1p(-p)).squareRoot()
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        let e = 0.5 * erfc(-x / 2.0.squareRoot()) - p
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        return x - u / (1 + x * u / 2)
    }
}
