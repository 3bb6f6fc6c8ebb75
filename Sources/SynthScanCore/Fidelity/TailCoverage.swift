/// How well the synthetic slice of one numeric column covers the real slice's tails: SDMetrics
/// RangeCoverage, the synthetic type-7 quantiles q(0.01) and q(0.99), the number of real values
/// beyond the synthetic range, and the chance of that many by sampling.
///
/// The p-value is exact for exchangeable samples: if the n_R real and n_S synthetic values came
/// from one distribution, the number K of real values above the synthetic maximum is
/// BetaBinomial(n_R, 1, n_S) (each real value's rank among the pooled values is uniform; the
/// same argument gives `Statistics.betaBinomialUpperTail`'s use for "below the j-th smallest").
/// Both tails are tested and the smaller p-value doubled (Bonferroni). Ties with the synthetic
/// extremes do not count as beyond, which only makes the test conservative.
///
/// Real quantiles, minima and maxima are real values (a type-7 quantile is often exactly one
/// patient's value) and are not returned. Neither is a ratio q_S / q_R: the release is public, so
/// anyone can compute q_S from it and the ratio would give q_R away.
struct TailCoverage {
    /// SDMetrics RangeCoverage of the slices.
    let coverage: Double
    /// Real values below the synthetic minimum plus above the synthetic maximum.
    let realBeyond: Int
    /// The synthetic slice's q(0.01) and q(0.99) (synthetic figures, safe to print).
    let syntheticLowQuantile: Double, syntheticHighQuantile: Double
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
        syntheticLowQuantile = Statistics.quantile(sorted: s, 0.01)
        syntheticHighQuantile = Statistics.quantile(sorted: s, 0.99)
        let pBelow = Statistics.betaBinomialUpperTail(successes: below, trials: r.count, a: 1, b: Double(s.count))
        let pAbove = Statistics.betaBinomialUpperTail(successes: above, trials: r.count, a: 1, b: Double(s.count))
        pValue = Swift.min(1, 2 * Swift.min(pBelow, pAbove))
    }
}
