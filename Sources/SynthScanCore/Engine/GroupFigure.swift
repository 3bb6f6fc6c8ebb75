import Foundation

/// One subgroup's figure in the real and the synthetic table, as a check exposes it for charts
/// (the HTML report's dot-and-interval charts). Only checks that judge protected subgroups fill
/// it (`representation-skew`: shares; `outcome-disparity-amplification`: outcome rates), only for
/// one-attribute cells, and only under the small-cell rule of the check's findings: `real` is `nil`
/// whenever the real figure, alone or with the other figures printed, could reveal a count of 1
/// to 10 (`SmallCellGuard`). The JSON and SARIF reports do not carry these figures: they hold
/// nothing a finding or measurement does not already imply beyond one share per group.
public struct GroupFigure: Sendable, Equatable {
    /// A proportion with its 95% interval.
    public struct Estimate: Sendable, Equatable {
        /// The proportion, 0...1.
        public var value: Double
        /// Lower end of its 95% interval.
        public var low: Double
        /// Upper end.
        public var high: Double

        /// Creates an estimate.
        public init(_ value: Double, low: Double, high: Double) {
            self.value = value
            self.low = low
            self.high = high
        }

        /// `successes` of `trials` with its Wilson 95% interval; `nil` without trials.
        public static func wilson(_ successes: Int, of trials: Int) -> Estimate? {
            guard trials > 0 else { return nil }
            let interval = Statistics.wilsonInterval(successes: successes, trials: trials)
            return Estimate(Double(successes) / Double(trials), low: interval.low, high: interval.high)
        }
    }

    /// Cell key, e.g. `sex=F`.
    public var group: String
    /// The attribute(s) it is defined on.
    public var columns: [String]
    /// The figure in the training data; `nil` when withheld by the small-cell rule.
    public var real: Estimate?
    /// The figure in the release; `nil` when the group has no synthetic record to take a rate over.
    public var synthetic: Estimate?
    /// The check's verdict for the group, one word: `pass`, `inconclusive`, `under`, `over`,
    /// `erased`, `amplified`, `attenuated`, `reversed`, `reference` or `not-judged`.
    public var status: String

    /// The levels of one attribute whose real figures are withheld, by complementary suppression:
    /// the figures of one attribute's levels add up to a total that is printed (the training row
    /// count, the real outcome rate), so one withheld level could be recovered from the others.
    /// With no unsafe level, none; with two or more, those; with exactly one, it and the smallest
    /// other level whose real figure no finding prints (or every level when there is none).
    /// - Parameters:
    ///   - levels: the attribute's levels with their training row counts.
    ///   - unsafe: levels whose figure could reveal a count of 1 to 10.
    ///   - printed: levels whose real figure a finding prints.
    public static func withheld(_ levels: [(key: String, size: Int)], unsafe: Set<String>, printed: Set<String>) -> Set<String> {
        let bad = levels.filter { unsafe.contains($0.key) }.map(\.key)
        if bad.count != 1 { return Set(bad) }
        let candidates = levels.filter { !unsafe.contains($0.key) && !printed.contains($0.key) }
        guard let complement = candidates.min(by: { ($0.size, $0.key) < ($1.size, $1.key) }) else {
            return Set(levels.map(\.key))
        }
        return [bad[0], complement.key]
    }

    /// Creates a group figure.
    public init(group: String, columns: [String], real: Estimate?, synthetic: Estimate?, status: String) {
        self.group = group
        self.columns = columns
        self.real = real
        self.synthetic = synthetic
        self.status = status
    }
}
