/// How well the synthetic slice of one numeric column covers the real slice's tails: SDMetrics
/// RangeCoverage, the type-7 quantiles q(0.01) and q(0.99) of each side as ratios q_S / q_R, the
/// number of real values beyond the synthetic range, and the chance of that many by sampling.
///
/// The p-value is exact for exchangeable samples: if the n_R real and n_S synthetic values came
/// from one distribution, the number K of real values above the synthetic maximum is
/// BetaBinomial(n_R, 1, n_S) (each real value's rank among the pooled values is uniform; the
/// same argument gives `Statistics.betaBinomialUpperTail`'s use for "below the j-th smallest").
/// Both tails are tested and the smaller p-value doubled (Bonferroni). Ties with the synthetic
/// extremes do not count as beyond, which only makes the test conservative.
///
/// Real quantiles are real values: they are used only inside the ratios; no real quantile,
/// minimum or maximum is ever returned for printing, and the synthetic quantiles are not either
/// (with a printed ratio they would give the real quantile away).
struct TailCoverage {
    /// SDMetrics RangeCoverage of the slices.
    let coverage: Double
    /// Real values below the synthetic minimum plus above the synthetic maximum.
    let realBeyond: Int
    /// q_S(0.01) / q_R(0.01) and q_S(0.99) / q_R(0.99) when both quantiles are positive.
    let lowQuantileRatio: Double?, highQuantileRatio: Double?
    /// P(at least this many real values beyond the synthetic range on the worse side), doubled.
    let pValue: Double

    /// Nil when RangeCoverage is undefined (empty or constant real slice, empty synthetic slice).
    init?(real: ColumnSlice, synthetic: ColumnSlice) {
        guard let coverage = RangeCoverage.score(real: real, synthetic: synthetic) else { return nil }
        let r = real.presentValues().sorted(), s = synthetic.presentValues().sorted()
        guard let sMin = s.first, let sMax = s.last else { return nil }
        var below = 0, above = 0
        for v in r { if v < sMin { below += 1 } else if v > sMax { above += 1 } }
        self.coverage = coverage
        realBeyond = below + above
        func ratio(_ p: Double) -> Double? {
            let qR = Statistics.quantile(sorted: r, p), qS = Statistics.quantile(sorted: s, p)
            return qR > 0 && qS > 0 ? qS / qR : nil
        }
        lowQuantileRatio = ratio(0.01)
        highQuantileRatio = ratio(0.99)
        let pBelow = Statistics.betaBinomialUpperTail(successes: below, trials: r.count, a: 1, b: Double(s.count))
        let pAbove = Statistics.betaBinomialUpperTail(successes: above, trials: r.count, a: 1, b: Double(s.count))
        pValue = Swift.min(1, 2 * Swift.min(pBelow, pAbove))
    }
}
