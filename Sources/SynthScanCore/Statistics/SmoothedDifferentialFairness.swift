import Foundation

/// Smoothed empirical differential fairness (Foulds, Islam, Keya & Pan 2020, "An Intersectional
/// Definition of Fairness", ICDE; arXiv:1807.08362), as AIF360 computes it in
/// `BinaryLabelDatasetMetric.smoothed_empirical_differential_fairness` (binary outcome):
/// - each intersection s of the protected attributes gets the Dirichlet-smoothed positive rate
///   p̃_s = (N_{s,pos} + α/2) / (N_s + α), α = concentration (AIF360 default 1.0, two classes);
/// - ε = max over ordered pairs i ≠ j of max(|ln p̃_i − ln p̃_j|, |ln(1 − p̃_i) − ln(1 − p̃_j)|):
///   the largest log ratio between two groups of the probability of either outcome.
/// ε = 0 means every intersection has the same rate; e^ε bounds the ratio of any two groups' rates.
public enum SmoothedDifferentialFairness {
    /// Which outcome's ratio attains ε.
    public enum Outcome: String, Sendable { case positive, negative }

    /// ε and the pair of groups (indices) attaining it, first in pair order on ties.
    public struct Result: Sendable, Equatable {
        /// ε.
        public var epsilon: Double
        /// The group with the higher probability of `outcome`.
        public var high: Int
        /// The group with the lower probability of `outcome`.
        public var low: Int
        /// The outcome whose probability ratio attains ε.
        public var outcome: Outcome
    }

    /// p̃ of each group.
    public static func smoothedRates(positives: [Int], totals: [Int], concentration: Double) -> [Double] {
        zip(positives, totals).map { (Double($0) + concentration / 2) / (Double($1) + concentration) }
    }

    /// ε over the groups (at least two); nil for fewer.
    public static func epsilon(positives: [Int], totals: [Int], concentration: Double) -> Result? {
        let p = smoothedRates(positives: positives, totals: totals, concentration: concentration)
        guard p.count >= 2 else { return nil }
        let logP = p.map { Foundation.log($0) }, logQ = p.map { Foundation.log(1 - $0) }
        var best = Result(epsilon: -.infinity, high: 0, low: 1, outcome: .positive)
        for i in p.indices {
            for j in p.indices where j != i {
                let pos = abs(logP[i] - logP[j]), neg = abs(logQ[i] - logQ[j])
                if pos > best.epsilon { best = Result(epsilon: pos, high: p[i] >= p[j] ? i : j, low: p[i] >= p[j] ? j : i, outcome: .positive) }
                if neg > best.epsilon { best = Result(epsilon: neg, high: p[i] <= p[j] ? i : j, low: p[i] <= p[j] ? j : i, outcome: .negative) }
            }
        }
        return best
    }
}
