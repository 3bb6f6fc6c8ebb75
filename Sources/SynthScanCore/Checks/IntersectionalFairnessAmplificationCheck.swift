import Foundation

/// Whether the release widens or narrows the largest outcome gap between intersectional groups:
/// the smoothed empirical differential fairness ε (Foulds et al. 2020; AIF360
/// `smoothed_empirical_differential_fairness`, see `SmoothedDifferentialFairness`) of the release
/// compared with that of the training data.
///
/// - **Groups**: every observed combination of levels of all the protected attributes (`missing`
///   and numeric bands included, see `CellIndex`), judged when it has at least `min_real_count`
///   training rows and a synthetic row; both tables' ε are taken over the same judged groups, so
///   they are comparable. Smaller groups are counted, not judged (smoothing alone still lets a
///   group of a few patients dominate the maximum); groups absent from the release are counted and
///   left out (`subgroup-erasure` reports them).
/// - **Outcome**: `roles.outcome` and its positive value (binary, as in AIF360).
/// - **Change** Δε = ε_S − ε_R (and the ratio ε_S / ε_R): positive = the release makes the worst
///   intersectional gap larger. e^Δε is the factor by which the bound on the ratio of two groups'
///   outcome probabilities grows.
/// - **Interval**: seeded stratified parametric bootstrap (`StratifiedBootstrap`): within each group
///   of each table, positives are redrawn as Binomial(N_s, p̃_s) from the *smoothed* rate, so group
///   sizes are fixed and only outcomes vary; ε is recomputed per replicate. Redrawing from p̃ rather
///   than resampling rows (which redraws from the raw rate N_{s,pos}/N_s) matters for exactly the
///   groups that decide ε: a group with no positive (or no negative) would otherwise never vary,
///   and the interval would treat its extreme rate as certain. The interval is the percentile
///   interval of Δε* (Efron & Tibshirani 1993, §13.3). ε is a maximum over group pairs, biased
///   upward by sampling noise (more in a smaller table), and its bootstrap distribution is not a
///   shifted copy of its sampling distribution near ties and at the 0/1 boundary (Andrews 2000,
///   Econometrica 68:399–405), so the bias-corrected estimate and basic interval used for BiasAmp→
///   are not used here: on the example cohort they moved the estimate further than the bias they
///   were meant to remove. p-value: two-sided z-test of Δε with the bootstrap standard error.
/// - **Verdict** with band [−`max_epsilon_change`, `max_epsilon_change`]: fail when the interval
///   lies outside and p < `alpha` (amplified when ε grows, attenuated when it shrinks);
///   inconclusive when it contains a band edge or lies outside without significance; else pass.
///
/// Small cells: no real group rate or count is printed (only ε, its change, the names of the
/// worst pairs and the release's rates); group counts print via `SmallCellGuard` only for the
/// release.
public struct IntersectionalFairnessAmplificationCheck: Check {
    public static let kind = "intersectional-fairness-amplification"
    public static let summary = "Compares the smoothed empirical differential fairness ε (Foulds et al. 2020, as AIF360 computes it) over all intersections of the protected attributes in the release with the training data, and finds a release that widens or narrows the largest outcome gap between intersectional groups (stratified bootstrap interval of ε_S − ε_R)."
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("columns", .columns, default: .list([]),
                      doc: "Protected attributes whose intersections form the groups; empty = the columns with the protected role (the rule is skipped when there are none). Numeric and datetime attributes need `bands` in the configuration."),
        ParameterSpec("concentration", .number(NumberBounds(0, 100, lowerInclusive: false)), default: .number(1),
                      doc: "Dirichlet concentration α of the smoothed rates (N_pos + α/2) / (N + α); 1.0 is AIF360's default."),
        ParameterSpec("min_real_count", .integer(11...1_000_000), default: .integer(20),
                      doc: "Training rows a group needs to be judged; at least 11 (small-cell rule)."),
        ParameterSpec("max_epsilon_change", .number(NumberBounds(0, 10, lowerInclusive: false)), default: .number(0.223),
                      doc: "Tolerated |ε_S − ε_R|; 0.223 = ln 1.25: the bound on the worst ratio between two groups' outcome probabilities may grow or shrink by 25%."),
        ParameterSpec("alpha", .number(NumberBounds(0, 0.5, lowerInclusive: false)), default: .number(0.01),
                      doc: "Level of the test of Δε = 0 required to fail."),
        ParameterSpec("confidence", .number(NumberBounds(0.5, 1, lowerInclusive: true, upperInclusive: false)), default: .number(0.95),
                      doc: "Level of the bootstrap interval."),
        ParameterSpec("bootstrap_samples", .integer(100...100_000), default: .integer(1000),
                      doc: "Bootstrap replicates (seeded from the scan seed)."),
    ]
    public static let measurements: [MeasurementSpec] = [
        MeasurementSpec("groups_judged", "Intersections with at least min_real_count training rows and a synthetic row."),
        MeasurementSpec("groups_skipped_small", "Intersections with 1 to min_real_count − 1 training rows, not judged."),
        MeasurementSpec("groups_absent_synthetic", "Intersections with at least min_real_count training rows and no synthetic row (left out; see subgroup-erasure)."),
        MeasurementSpec("epsilon_real", "Smoothed empirical differential fairness ε of the training data over the judged groups.", optional: true),
        MeasurementSpec("epsilon_synthetic", "ε of the release over the same groups.", optional: true),
        MeasurementSpec("epsilon_change", "ε_S − ε_R (positive = the release widens the largest intersectional gap).", optional: true),
        MeasurementSpec("epsilon_ratio", "ε_S / ε_R (left out when ε_R = 0).", optional: true),
        MeasurementSpec("ci_low", "Lower end of the stratified parametric bootstrap percentile interval of ε_S − ε_R.", optional: true),
        MeasurementSpec("ci_high", "Upper end of the stratified parametric bootstrap percentile interval of ε_S − ε_R.", optional: true),
        MeasurementSpec("p_value", "Two-sided z-test of ε_S − ε_R = 0 with the bootstrap standard error.", optional: true),
    ]

    /// Creates the check.
    public init() {}

    /// Groups and their positives and rows in one table.
    struct GroupCounts { var positives: [Int]; var totals: [Int] }

    /// Judged groups of a data set (used by the check and the conformance tests): the strata of
    /// all protected attributes, with the indices of those judged, and the small/absent counts.
    static func prepare(context: ScanContext, protected: [String], outcome: OutcomeSpec, minReal: Int)
        -> (index: CellIndex, strata: ProtectedStrata, judged: [Int], skippedSmall: Int, absent: Int)? {
        guard let column = context.schema.index(of: outcome.column) else { return nil }
        let index = ProtectedCells.index(protected.filter { $0 != outcome.column }, order: 1, context: context)
        let tasks = OutcomeTasks(data: context.data, column: column, positive: outcome.positiveValue, allLevels: false)
        let strata = ProtectedStrata(index: index, tasks: tasks)
        var judged: [Int] = []
        var small = 0, absent = 0
        for s in strata.levels.indices {
            let nR = strata.rows[.train]?[s].count ?? 0, nS = strata.rows[.synthetic]?[s].count ?? 0
            guard nR > 0 else { continue }
            if nR < minReal { small += 1 } else if nS == 0 { absent += 1 } else { judged.append(s) }
        }
        return (index, strata, judged, small, absent)
    }

    /// Positives (task 0) and rows of the `groups` strata from per-stratum task counts.
    static func counts(_ groups: [Int], taskCounts: [[Int]], rows: [[Int32]]) -> GroupCounts {
        GroupCounts(positives: groups.map { taskCounts[$0][0] }, totals: groups.map { rows[$0].count })
    }

    public func run(rule: RuleDescriptor, context: ScanContext) throws -> RuleOutcome {
        let parameters = rule.parameters
        let id = rule.id
        let protected = try ProtectedCells.columns(for: rule, context: context)
        let concentration = try parameters.number("concentration", rule: id)
        let minReal = try parameters.integer("min_real_count", rule: id)
        let band = try parameters.number("max_epsilon_change", rule: id)
        let alpha = try parameters.number("alpha", rule: id)
        let confidence = try parameters.number("confidence", rule: id)
        let replicates = try parameters.integer("bootstrap_samples", rule: id)
        let data = context.data

        func skipped(_ message: String, _ m: [Measurement] = []) -> RuleOutcome {
            RuleOutcome(rule: rule, status: .skipped, level: rule.severity, message: message, measurements: m, findings: [])
        }
        guard let outcome = context.configuration.roles.outcome else {
            return skipped("No outcome is declared (roles.outcome: column and positive value in the configuration): there is no outcome rate to compare.")
        }
        guard !protected.isEmpty else {
            return skipped("No protected attribute is declared (roles.protected in the configuration, or the rule's `columns`): there are no groups to compare.")
        }
        guard data.synthetic.rowCount > 0, data.train.rowCount > 0 else { return skipped(ProtectedCells.emptyTables) }
        guard let prepared = Self.prepare(context: context, protected: protected, outcome: outcome, minReal: minReal) else {
            return skipped("The outcome column \(outcome.column) is not in the data: there is no outcome rate to compare.")
        }
        let (index, strata, judged, skippedSmall, absent) = prepared
        var m: [Measurement] = [
            Measurement("groups_judged", Double(judged.count)),
            Measurement("groups_skipped_small", Double(skippedSmall)),
            Measurement("groups_absent_synthetic", Double(absent)),
        ]
        var notes: [String] = []
        if skippedSmall > 0 { notes.append("\(skippedSmall) intersectional groups with fewer than \(minReal) training rows were not judged") }
        if absent > 0 { notes.append("\(absent) intersectional groups absent from the release were left out (see subgroup-erasure)") }
        if !index.unbandedColumns.isEmpty {
            notes.append("Numeric protected attributes without `bands` in the configuration were left out: \(index.unbandedColumns.joined(separator: ", "))")
        }
        let trainRows = strata.rows[.train]!, synthRows = strata.rows[.synthetic]!
        let real = Self.counts(judged, taskCounts: strata.taskCounts(.train), rows: trainRows)
        let synth = Self.counts(judged, taskCounts: strata.taskCounts(.synthetic), rows: synthRows)
        guard let eR = SmoothedDifferentialFairness.epsilon(positives: real.positives, totals: real.totals, concentration: concentration),
              let eS = SmoothedDifferentialFairness.epsilon(positives: synth.positives, totals: synth.totals, concentration: concentration) else {
            return skipped((["Fewer than two intersectional groups can be judged: differential fairness compares groups"] + notes).joined(separator: ". ") + ".", m)
        }
        let change = eS.epsilon - eR.epsilon

        // Seeded stratified bootstrap of Δε (both tables, groups fixed).
        var bootstrap = StratifiedBootstrap(random: SeededRandom(seed: context.configuration.seed, stream: SeededRandom.stream(id + "/bootstrap")))
        let smoothedR = SmoothedDifferentialFairness.smoothedRates(positives: real.positives, totals: real.totals, concentration: concentration)
        let smoothedS = SmoothedDifferentialFairness.smoothedRates(positives: synth.positives, totals: synth.totals, concentration: concentration)
        var values: [Double] = []
        values.reserveCapacity(replicates)
        for _ in 0..<replicates {
            let r = real.totals.indices.map { bootstrap.binomial(trials: real.totals[$0], probability: smoothedR[$0]) }
            let s = synth.totals.indices.map { bootstrap.binomial(trials: synth.totals[$0], probability: smoothedS[$0]) }
            let a = SmoothedDifferentialFairness.epsilon(positives: r, totals: real.totals, concentration: concentration)!.epsilon
            let b = SmoothedDifferentialFairness.epsilon(positives: s, totals: synth.totals, concentration: concentration)!.epsilon
            values.append(b - a)
        }
        let ci = StratifiedBootstrap.percentileInterval(values, confidence: confidence)
        let se = StratifiedBootstrap.standardError(values)
        let p = se > 0 ? erfc(abs(change / se) / 2.0.squareRoot()) : (change == 0 ? 1 : 0)
        let verdict = DirectionalBiasAmplificationCheck.verdict(low: ci.low, high: ci.high, estimate: change, tolerance: band, significant: p < alpha)

        m += [Measurement("epsilon_real", eR.epsilon), Measurement("epsilon_synthetic", eS.epsilon),
              Measurement("epsilon_change", change)]
        if eR.epsilon > 0 { m.append(Measurement("epsilon_ratio", eS.epsilon / eR.epsilon)) }
        m += [Measurement("ci_low", ci.low), Measurement("ci_high", ci.high), Measurement("p_value", p)]

        func name(_ k: Int) -> String { strata.parts[judged[k]].joined(separator: " & ") }
        func pair(_ e: SmoothedDifferentialFairness.Result) -> String {
            "\(name(e.high)) vs \(name(e.low)) (\(e.outcome == .positive ? "\(outcome.column)=\(outcome.positiveValue)" : "not \(outcome.column)=\(outcome.positiveValue)"))"
        }
        let f3 = { (x: Double) in String(format: "%.3f", x) }
        let verdictText: String
        switch verdict {
        case .amplified: verdictText = "the release widens the largest intersectional outcome gap beyond the tolerated ±\(f3(band))"
        case .attenuated: verdictText = "the release narrows the largest intersectional outcome gap beyond the tolerated ±\(f3(band))"
        case .inconclusive: verdictText = "inconclusive against the tolerated ±\(f3(band))"
        case .pass: verdictText = "within the tolerated ±\(f3(band))"
        }
        var parts = ["Smoothed differential fairness over \(judged.count) intersections of \(index.columns.joined(separator: " × ")) (outcome \(outcome.column)=\(outcome.positiveValue), α = \(ParameterValue.format(concentration))): ε = \(f3(eR.epsilon)) in training (worst pair \(pair(eR))), \(f3(eS.epsilon)) in the release (worst pair \(pair(eS))); change \(f3(change)) (\(ParameterValue.format(confidence * 100))% stratified bootstrap interval \(f3(ci.low)) to \(f3(ci.high)), p = \(SubgroupErasureCheck.formatP(p))): \(verdictText)"]
        parts += notes

        var findings: [Finding] = []
        let failing = verdict == .amplified || verdict == .attenuated
        if failing {
            let worst = verdict == .amplified ? eS : eR
            let table = verdict == .amplified ? "release" : "training data"
            let groups = "\(name(worst.high)) vs \(name(worst.low))"
            let rateS = { (k: Int) in Double(synth.positives[k]) / Double(synth.totals[k]) }
            findings.append(Finding(
                ruleID: id, level: rule.severity,
                message: "The largest outcome gap between intersectional groups is \(verdict.rawValue) in the release: ε goes from \(f3(eR.epsilon)) to \(f3(eS.epsilon)) (e^ε from \(f3(exp(eR.epsilon))) to \(f3(exp(eS.epsilon))); interval of the change \(f3(ci.low)) to \(f3(ci.high)), p = \(SubgroupErasureCheck.formatP(p))). Worst pair in the \(table): \(groups); in the release their \(outcome.column)=\(outcome.positiveValue) rates are \(Format.percent(rateS(worst.high))) and \(Format.percent(rateS(worst.low))). A model trained on the release learns a \(verdict == .amplified ? "larger" : "smaller") gap for these patients than the real one.",
                location: FindingLocation(table: .synthetic, columns: index.columns + [outcome.column], subgroup: groups),
                fingerprint: Self.fingerprint(id, verdict.rawValue, groups),
                measurements: [Measurement("epsilon_change", change),
                               Measurement("ci_low", ci.low), Measurement("ci_high", ci.high), Measurement("p_value", p)]))
        }
        return RuleOutcome(rule: rule, status: failing ? .fail : .pass, level: rule.severity,
                           message: parts.joined(separator: ". ") + ".", measurements: m, findings: findings)
    }

    private static func fingerprint(_ rule: String, _ kind: String, _ key: String) -> String {
        return FindingFingerprint.make(rule: rule, kind: "intersectional-fairness-amplification-\(kind)", key: key)
    }
}
