import Foundation

/// Rescales the number of control successes of a singling-out attack from the control table's
/// size to the training table's size, as anonymeter 1.1.0 does when the two differ
/// (`SinglingOutEvaluator.evaluate`, `fit_correction_term`, `_fit_model`,
/// `singling_out_probability_integral` in `evaluators/singling_out_evaluator.py`).
///
/// Model (Cohen & Nissim 2020, arXiv:1904.06009): a query of weight w (the chance that a random
/// record matches it) singles out in n records with probability P(w, n) = n·w·(1 − w)^(n−1). With
/// query weights spread uniformly over [0, w_eff] the expected number of successes at size n is
/// `norm · F(n, w_eff)`, F(n, w) = ∫₀ʷ P = (1 − (n·w + 1)(1 − w)^n)/(n + 1). The correction is
/// F(n_train, w_eff) / F(n_control, w_eff) (`norm` cancels).
///
/// Fit, where we differ from anonymeter: anonymeter fits `norm` and `w_eff` with
/// `scipy.optimize.curve_fit` to success counts on random subsamples of the control table (5
/// repeats at 10 sizes from min(1000, n_control) to n_control), so for a control table of at most
/// 1000 records every size is the same and the fit is not determined. We fit the EXPECTED count
/// at each size exactly (a query matching m of N control records singles out in a uniform
/// subsample of s records with the hypergeometric probability m·C(N−m, s−1)/C(N, s)), at 10 sizes
/// from ⌈N/10⌉ to N: no randomness, and a curve that always has a shape to fit. Least squares:
/// `norm` in closed form for each w, w by a log-spaced grid refined by golden-section search.
enum SinglingOutSizeCorrection {
    /// F(n, w): the integral of the singling-out probability over query weights in [0, w].
    static func integral(n: Double, w: Double) -> Double {
        guard w > 0 else { return 0 }
        let power = w >= 1 ? 0 : exp(n * log1p(-w))
        return (1 - (n * w + 1) * power) / (n + 1)
    }

    /// Probability that exactly one of `m` marked records is in a uniform sample of `s` out of `n`.
    static func exactlyOne(marked m: Int, sample s: Int, of n: Int) -> Double {
        guard m >= 1, s >= 1, s <= n, s - 1 <= n - m else { return 0 }
        return exp(log(Double(m)) + logChoose(n - m, s - 1) - logChoose(n, s))
    }

    static func logChoose(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n) + 1) - lgamma(Double(k) + 1) - lgamma(Double(n - k) + 1)
    }

    /// The factor to multiply control successes by: F(target, w_eff) / F(control, w_eff), with
    /// w_eff fitted to the expected successes of queries whose control match counts are
    /// `matchCounts` (over a control table of `controlSize` distinct records). 1 when the sizes
    /// agree or nothing singles out.
    static func factor(matchCounts: [Int], controlSize: Int, targetSize: Int) -> Double {
        guard controlSize != targetSize, controlSize > 0, targetSize > 0 else { return 1 }
        let marked = matchCounts.filter { $0 >= 1 && $0 <= controlSize }
        guard !marked.isEmpty else { return 1 }
        let lowest = max(1, (controlSize + 9) / 10)
        let sizes = (0..<10).map { i in lowest + Int((Double(controlSize - lowest) * Double(i) / 9).rounded()) }
        var histogram: [Int: Int] = [:]
        for m in marked { histogram[m, default: 0] += 1 }
        let expected = sizes.map { s in histogram.reduce(0.0) { $0 + Double($1.value) * exactlyOne(marked: $1.key, sample: s, of: controlSize) } }
        guard expected.contains(where: { $0 > 0 }) else { return 1 }
        let w = fitWeight(sizes: sizes.map(Double.init), successes: expected)
        let atControl = integral(n: Double(controlSize), w: w)
        guard atControl > 0 else { return 1 }
        return integral(n: Double(targetSize), w: w) / atControl
    }

    /// The w in (0, 1] minimising Σ (y − norm·F(x, w))² with the best `norm` for each w.
    static func fitWeight(sizes: [Double], successes: [Double]) -> Double {
        func loss(_ logW: Double) -> Double {
            let w = exp(logW)
            let f = sizes.map { integral(n: $0, w: w) }
            let ff = f.reduce(0) { $0 + $1 * $1 }
            guard ff > 0 else { return .infinity }
            let norm = max(0, zip(f, successes).reduce(0) { $0 + $1.0 * $1.1 } / ff)
            return zip(f, successes).reduce(0) { $0 + ($1.1 - norm * $1.0) * ($1.1 - norm * $1.0) }
        }
        let lo = log(1e-9), hi = 0.0, steps = 200
        var best = hi, bestLoss = Double.infinity
        for i in 0...steps {
            let x = lo + (hi - lo) * Double(i) / Double(steps)
            let l = loss(x)
            if l < bestLoss { bestLoss = l; best = x }
        }
        let step = (hi - lo) / Double(steps)
        var a = max(lo, best - step), b = min(hi, best + step)
        let ratio = (5.0.squareRoot() - 1) / 2
        for _ in 0..<60 {
            let c = b - ratio * (b - a), d = a + ratio * (b - a)
            if loss(c) < loss(d) { b = d } else { a = c }
        }
        return exp(0.5 * (a + b))
    }
}
