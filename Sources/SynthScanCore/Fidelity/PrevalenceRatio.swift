import Foundation

/// The prevalence ratio RR = r_S / r_R of one event in one group (or overall), with the Katz log
/// interval and a two-sided z-test of log RR = 0.
///
/// Katz, Baptista, Azen & Pike (1978), Biometrics 34(3):469–474: Var(log RR) = 1/x_S − 1/n_S +
/// 1/x_R − 1/n_R, with 0.5 added to every cell of the 2×2 table when one is 0 (the helper of
/// `OutcomeDisparityAmplificationCheck.katz`, reused). Both tables' sampling error counts (a
/// two-sample comparison), so a release of unseen real records from the same population passes.
struct PrevalenceRatio {
    /// Events and rows in the real (training) and synthetic group.
    let realEvents: Int, realRows: Int, syntheticEvents: Int, syntheticRows: Int
    /// RR (after the continuity correction when a cell is 0).
    let ratio: Double
    /// Interval at the requested confidence.
    let low: Double, high: Double
    /// Two-sided p-value of log RR = 0.
    let pValue: Double

    /// The ratio of x_S of n_S against x_R of n_R (all rows counts > 0), interval at z.
    init(realEvents xR: Int, realRows nR: Int, syntheticEvents xS: Int, syntheticRows nS: Int, z: Double) {
        realEvents = xR; realRows = nR; syntheticEvents = xS; syntheticRows = nS
        let k = OutcomeDisparityAmplificationCheck.katz(a: xS, n: nS, c: xR, m: nR)
        let se = k.variance.squareRoot()
        ratio = exp(k.log)
        low = exp(k.log - z * se)
        high = exp(k.log + z * se)
        pValue = se > 0 ? erfc(abs(k.log / se) / 2.0.squareRoot()) : (k.log == 0 ? 1 : 0)
    }

    /// Real prevalence x_R / n_R.
    var realPrevalence: Double { Double(realEvents) / Double(realRows) }
    /// Synthetic prevalence x_S / n_S.
    var syntheticPrevalence: Double { Double(syntheticEvents) / Double(syntheticRows) }

    /// What the interval says about the band [1/band, band] (band > 1), given the BH q-value.
    func verdict(band: Double, qValue: Double, alpha: Double) -> PrevalenceVerdict {
        if high < 1 / band || low > band {
            return qValue < alpha ? (high < 1 / band ? .underproduced : .overproduced) : .inconclusive
        }
        if (low <= 1 / band && high >= 1 / band) || (low <= band && high >= band) { return .inconclusive }
        return .pass
    }
}

/// The verdict on one event in one group.
enum PrevalenceVerdict: String {
    /// The whole interval lies below 1/band and the test is significant: the release loses the event.
    case underproduced
    /// The whole interval lies above band and the test is significant: the release inflates it.
    case overproduced
    /// The interval contains a band edge, or lies outside without significance.
    case inconclusive
    /// The interval lies inside the band.
    case pass
}
