import Foundation

/// Compares a singling-out attack on two real tables of different sizes at the same size.
///
/// Whether a query singles out depends on the size of the table (Cohen & Nissim 2020,
/// arXiv:1904.06009: a query of weight w singles out in n records with probability
/// n·w·(1 − w)^(n−1)), so the training and holdout success counts are only comparable at equal
/// sizes. anonymeter 1.1.0 rescales the control count with a fitted model of that probability
/// (`fit_correction_term` in `evaluators/singling_out_evaluator.py`: query weights uniform on
/// [0, w_eff], fitted by `curve_fit` to random subsamples of sizes min(1000, n)…n of the control).
/// For a control of at most 1000 records every subsample is the whole control, the fit runs to
/// its bound w_eff = 1 and the factor becomes (n_control + 1)/(n_train + 1) whatever the queries;
/// and even a well-determined fit extrapolates: on the example cohort (train 2000, holdout 500,
/// unseen real records released) it scaled the control down to 38% and failed a release that
/// holds no training record.
///
/// We do not extrapolate. The larger table is brought down to the size of the smaller one, in
/// expectation and exactly: a query matching m of N records singles out in a uniform random
/// subsample of s records with the hypergeometric probability m·C(N−m, s−1)/C(N, s), so the
/// expected number of successes at size s is the sum of that over the queries. No randomness, no
/// model. The price is sensitivity when the training table is much larger: a query that singles
/// out a training patient survives in the subsample only if the patient does, so a copied
/// training table of 2000 against a holdout of 500 scores 0.25, not 1, at the compared size (the
/// residual risk then stays positive but its interval may reach below `max_residual_risk`). A
/// holdout of at least half the training table keeps the copy test decisive.
enum SinglingOutSizeCorrection {
    /// Probability that exactly one of `m` marked records is in a uniform sample of `s` out of `n`.
    static func exactlyOne(marked m: Int, sample s: Int, of n: Int) -> Double {
        guard m >= 1, s >= 1, s <= n, s - 1 <= n - m else { return 0 }
        if s == n { return m == 1 ? 1 : 0 }
        return exp(log(Double(m)) + logChoose(n - m, s - 1) - logChoose(n, s))
    }

    static func logChoose(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n) + 1) - lgamma(Double(k) + 1) - lgamma(Double(n - k) + 1)
    }

    /// Expected number of queries that single out exactly one record of a uniform random subsample
    /// of `size` records, for queries matching `matchCounts` records of the full table of
    /// `tableSize` records.
    static func expectedSuccesses(matchCounts: [Int], tableSize: Int, size: Int) -> Double {
        if size >= tableSize { return Double(matchCounts.filter { $0 == 1 }.count) }
        var histogram: [Int: Int] = [:]
        for m in matchCounts where m >= 1 { histogram[m, default: 0] += 1 }
        // Summed in key order: a dictionary's iteration order changes from run to run (per-process
        // hash seeds), and so would the last bits of the sum, and every report that prints it.
        return histogram.keys.sorted().reduce(0.0) { $0 + Double(histogram[$1]!) * exactlyOne(marked: $1, sample: size, of: tableSize) }
    }
}
