import Foundation

/// Associations between protected subgroups and outcome values that the synthetic release
/// strengthens (amplifies) or weakens relative to the training data: BiasAmp→ in the
/// attribute→task direction (Wang & Russakovsky 2021, ICML), see `DirectionalBiasAmplification`.
///
/// Attributes a are the protected cells of `CellIndex` (each level of each protected attribute,
/// and pairs at `order` 2); tasks t are the outcome values (`roles.outcome`: every value seen in
/// training with `outcome_levels: all`, only the positive value with `positive`; for a binary
/// outcome both give the same BiasAmp→, since the pair (a, negative) has the opposite y and Δ of
/// (a, positive); its pairs are then judged and listed for the positive value only, so one
/// association is not reported twice). A missing outcome is no task.
///
/// - **Per pair** value v = y·Δ with Δ = P_S(t|a) − P_R(t|a). Interval: Newcombe's hybrid score
///   interval for the difference of two independent proportions (Wilson-based, as the scanner's
///   proportions are; defined at 0 and 1 where the Wald interval is not), turned by the sign y;
///   p-value: the pooled two-proportion score test of P_S(t|a) = P_R(t|a)
///   (`RepresentationSkewCheck.scoreTestPValue`), Benjamini–Hochberg across the pairs with y ≠ 0.
///   Verdict with band [−`max_pair_change`, `max_pair_change`]: fail when the interval lies outside
///   and q < `alpha` (amplified when v > 0, attenuated when v < 0), inconclusive when it contains a
///   band edge or lies outside without q < `alpha`, pass when inside. Pairs with y = 0 are not judged.
/// - **Aggregate** BiasAmp→ = mean v over the pairs of judged cells. Its interval is a seeded
///   stratified bootstrap (`bootstrap_samples` replicates; rows of each table resampled within the
///   finest intersection of the protected attributes, so every cell keeps its size and only
///   outcomes vary; the whole estimator, y included, recomputed on each replicate). Why a bootstrap
///   and not the delta method: cells overlap (a row is in one level of every attribute, and in
///   pairs), a cell's tasks are multinomially dependent, and y is a discontinuous function of the
///   same training counts as P_R(t|a); the delta method has no derivative for y. That last point
///   also biases BiasAmp→ downward: where the real association is weak, y follows the training
///   noise, so P_R(t|a) sits on the far side of the truth and a faithful release looks attenuated
///   (regression to the mean). The check therefore reports the bias-corrected estimate
///   2·BiasAmp→ − mean(replicates) and the basic (reverse-percentile) interval
///   [2θ̂ − q_hi, 2θ̂ − q_lo] (Efron & Tibshirani 1993, §10.6 and §13.4), which removes that bias
///   to first order. p-value: two-sided z-test of the corrected estimate with the bootstrap
///   standard error. Verdict with band [−`max_bias_amplification`, `max_bias_amplification`] on
///   the corrected estimate, as for pairs.
///
/// Cells with 1 to `min_real_count` − 1 training rows are not judged (counted); cells absent from
/// the release are counted and left out (`subgroup-erasure` reports them). A pair whose real
/// count n_R(a,t) or n_R(a) − n_R(a,t) is 1 to 10 has its real rate, Δ and v withheld from
/// messages and measurements (and from the top pairs), but is still judged and averaged.
public struct DirectionalBiasAmplificationCheck: Check {
    public static let kind = "directional-bias-amplification"
    public static let summary = "Measures directional bias amplification BiasAmp→ (attribute→outcome; Wang & Russakovsky 2021) of the release relative to the training data: for each protected subgroup and outcome value, how much the release moves the outcome rate in the direction of the real association (Newcombe intervals per pair, Benjamini–Hochberg, stratified bootstrap interval of the mean)."
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("columns", .columns, default: .list([]),
                      doc: "Protected attributes the cells are made of; empty = the columns with the protected role (the rule is skipped when there are none). Numeric and datetime attributes need `bands` in the configuration."),
        ParameterSpec("order", .integer(1...2), default: .integer(1),
                      doc: "1 = each level of each attribute is an attribute a (as in Wang & Russakovsky); 2 = also every pair of levels of two attributes."),
        ParameterSpec("outcome_levels", .choice(["all", "positive"]), default: .text("all"),
                      doc: "Tasks t: `all` = every value of the outcome column seen in training (a categorical outcome, one-hot); `positive` = only roles.outcome's positive value. For a binary outcome both give the same BiasAmp→, and pairs are judged and listed for the positive value only."),
        ParameterSpec("min_real_count", .integer(11...1_000_000), default: .integer(20),
                      doc: "Training rows a cell needs to be judged and averaged; at least 11 (small-cell rule)."),
        ParameterSpec("max_pair_change", .number(NumberBounds(0, 1, lowerInclusive: false)), default: .number(0.05),
                      doc: "Tolerated |y·Δ| of one pair (absolute change of P(t|a), 0.05 = 5 percentage points); a pair fails only when its whole interval lies beyond it."),
        ParameterSpec("max_bias_amplification", .number(NumberBounds(0, 1, lowerInclusive: false)), default: .number(0.01),
                      doc: "Tolerated |BiasAmp→| (mean of y·Δ over the pairs); the aggregate fails only when its whole bootstrap interval lies beyond it."),
        ParameterSpec("alpha", .number(NumberBounds(0, 0.5, lowerInclusive: false)), default: .number(0.01),
                      doc: "False discovery rate over the judged pairs (Benjamini–Hochberg), and the level of the aggregate's test."),
        ParameterSpec("confidence", .number(NumberBounds(0.5, 1, lowerInclusive: true, upperInclusive: false)), default: .number(0.95),
                      doc: "Level of the pair and aggregate intervals."),
        ParameterSpec("bootstrap_samples", .integer(100...100_000), default: .integer(1000),
                      doc: "Bootstrap replicates for the aggregate's interval (seeded from the scan seed)."),
        ParameterSpec("top_pairs", .integer(0...100), default: .integer(10),
                      doc: "Pairs with the largest |y·Δ| named in the message (the reference code prints 10)."),
        ParameterSpec("max_findings", .integer(0...1_000_000), default: .integer(1000),
                      doc: "Findings listed; the rest are counted in `findings_truncated`."),
    ]
    public static let measurements: [MeasurementSpec] = [
        MeasurementSpec("cells_judged", "Cells with at least min_real_count training rows and at least one synthetic row."),
        MeasurementSpec("cells_skipped_small", "Cells with 1 to min_real_count − 1 training rows, not judged."),
        MeasurementSpec("cells_absent_synthetic", "Cells with at least min_real_count training rows and no synthetic row (left out; see subgroup-erasure)."),
        MeasurementSpec("tasks", "Outcome values used as tasks."),
        MeasurementSpec("pairs_judged", "Cell × outcome-value pairs of judged cells whose real association has a sign (y ≠ 0); for a binary outcome only the positive value's pairs (the other value's repeat them)."),
        MeasurementSpec("pairs_amplified", "Failing pairs whose real association the release strengthens (interval of y·Δ above max_pair_change, BH q < alpha)."),
        MeasurementSpec("pairs_attenuated", "Failing pairs whose real association the release weakens or reverses (interval below −max_pair_change, BH q < alpha)."),
        MeasurementSpec("pairs_inconclusive", "Judged pairs whose interval contains a band edge, or lies outside it without BH significance."),
        MeasurementSpec("bias_amplification", "BiasAmp→: mean of y·Δ over the pairs of judged cells (positive = the release amplifies the real associations).", optional: true),
        MeasurementSpec("bias_amplification_corrected", "bias_amplification minus its bootstrap bias estimate (2·estimate − mean of the replicates): removes, to first order, the drift toward negative values that comes from taking y from the same noisy training rows as P_R(t|a).", optional: true),
        MeasurementSpec("ci_low", "Lower end of the basic (reverse-percentile) stratified bootstrap interval of BiasAmp→, centred on the bias-corrected estimate.", optional: true),
        MeasurementSpec("ci_high", "Upper end of the basic stratified bootstrap interval of BiasAmp→.", optional: true),
        MeasurementSpec("p_value", "Two-sided z-test of bias_amplification_corrected = 0 with the bootstrap standard error.", optional: true),
        MeasurementSpec("max_pair_value", "Largest y·Δ over the judged pairs whose real figures may be shown.", optional: true),
        MeasurementSpec("min_pair_value", "Smallest y·Δ over the judged pairs whose real figures may be shown.", optional: true),
        MeasurementSpec("findings_truncated", "Findings counted but not listed because of max_findings.", optional: true),
    ]

    /// Creates the check.
    public init() {}

    /// A verdict on an estimate's interval against a symmetric band [−tolerance, tolerance].
    enum Verdict: String { case amplified, attenuated, inconclusive, pass }

    /// Three-valued verdict: outside the band and significant = amplified/attenuated; outside
    /// without significance, or across a band edge = inconclusive; inside = pass.
    static func verdict(low: Double, high: Double, estimate: Double, tolerance: Double, significant: Bool) -> Verdict {
        if low > tolerance || high < -tolerance {
            return significant ? (estimate > 0 ? .amplified : .attenuated) : .inconclusive
        }
        if low >= -tolerance && high <= tolerance { return .pass }
        return .inconclusive
    }

    /// One judged pair.
    struct JudgedPair {
        var pair: DirectionalBiasAmplification.Pair
        var cell: CellIndex.Cell
        var task: String
        var low: Double, high: Double
        var pValue: Double
        var qValue = 1.0
        var verdict = Verdict.pass
        /// Whether the real figures may be printed.
        var realShown: Bool
    }

    /// The counts of `cells` × tasks in one table from per-stratum task counts.
    static func counts(cells: [CellIndex.Cell], role: TableRole, members: [[Int]], strataCounts: [[Int]], taskCount: Int, rows: Int) -> DirectionalBiasAmplification.Counts {
        var joint = [[Int]](repeating: [Int](repeating: 0, count: taskCount), count: cells.count)
        for (c, strata) in members.enumerated() {
            for s in strata { for t in 0..<taskCount { joint[c][t] += strataCounts[s][t] } }
        }
        var taskRows = [Int](repeating: 0, count: taskCount)
        for s in strataCounts { for t in 0..<taskCount { taskRows[t] += s[t] } }
        return .init(rows: rows, attributeRows: cells.map { $0.count(role) }, taskRows: taskRows, joint: joint)
    }

    /// The task of the declared positive outcome value (the code of the first training row that
    /// `OutcomeDisparityAmplificationCheck.positiveFlags` marks positive), if any.
    static func positiveTask(_ tasks: OutcomeTasks, _ positive: [Bool]) -> Int? {
        guard let codes = tasks.codes[.train], let row = positive.firstIndex(of: true), row < codes.count, codes[row] >= 0 else { return nil }
        return Int(codes[row])
    }

    /// BiasAmp→ inputs of a data set: the judged cells, the tasks and both tables' counts (used by
    /// the check and by the conformance tests).
    static func prepare(context: ScanContext, protected: [String], outcome: OutcomeSpec, order: Int, allLevels: Bool, minReal: Int)
        -> (index: CellIndex, tasks: OutcomeTasks, strata: ProtectedStrata, cells: [CellIndex.Cell], members: [[Int]], skippedSmall: Int, absent: Int, positiveCodes: [Bool])? {
        guard let column = context.schema.index(of: outcome.column) else { return nil }
        let index = ProtectedCells.index(protected.filter { $0 != outcome.column }, order: order, context: context)
        let tasks = OutcomeTasks(data: context.data, column: column, positive: outcome.positiveValue, allLevels: allLevels)
        let strata = ProtectedStrata(index: index, tasks: tasks)
        var cells: [CellIndex.Cell] = []
        var skippedSmall = 0, absent = 0
        for cell in index.cells where cell.train > 0 {
            if cell.train < minReal { skippedSmall += 1; continue }
            if cell.synthetic == 0 { absent += 1; continue }
            cells.append(cell)
        }
        var position: [String: Int] = [:]
        for (i, c) in cells.enumerated() { position[c.key] = i }
        var members = [[Int]](repeating: [], count: cells.count)
        for s in strata.levels.indices {
            for key in strata.cellKeys(of: s, order: order) { if let c = position[key] { members[c].append(s) } }
        }
        let positive = OutcomeDisparityAmplificationCheck.positiveFlags(data: context.data, column: column, positive: outcome.positiveValue)[.train] ?? []
        return (index, tasks, strata, cells, members, skippedSmall, absent, positive)
    }

    public func run(rule: RuleDescriptor, context: ScanContext) throws -> RuleOutcome {
        let parameters = rule.parameters
        let id = rule.id
        let protected = try ProtectedCells.columns(for: rule, context: context)
        let order = try parameters.integer("order", rule: id)
        let allLevels = try parameters.text("outcome_levels", rule: id) == "all"
        let minReal = try parameters.integer("min_real_count", rule: id)
        let pairBand = try parameters.number("max_pair_change", rule: id)
        let band = try parameters.number("max_bias_amplification", rule: id)
        let alpha = try parameters.number("alpha", rule: id)
        let confidence = try parameters.number("confidence", rule: id)
        let replicates = try parameters.integer("bootstrap_samples", rule: id)
        let topCount = try parameters.integer("top_pairs", rule: id)
        let maxFindings = try parameters.integer("max_findings", rule: id)
        let data = context.data
        let nS = data.synthetic.rowCount, nT = data.train.rowCount

        func skipped(_ message: String) -> RuleOutcome {
            RuleOutcome(rule: rule, status: .skipped, level: rule.severity, message: message, measurements: [], findings: [])
        }
        guard let outcomeSpec = context.configuration.roles.outcome else {
            return skipped("No outcome is declared (roles.outcome: column and positive value in the configuration): there is no outcome to measure associations with.")
        }
        guard !protected.isEmpty else {
            return skipped(ProtectedCells.noProtectedAttribute)
        }
        guard nS > 0, nT > 0 else { return skipped(ProtectedCells.emptyTables) }
        guard let prepared = Self.prepare(context: context, protected: protected, outcome: outcomeSpec, order: order, allLevels: allLevels, minReal: minReal) else {
            return skipped("The outcome column \(outcomeSpec.column) is not in the data: there is no outcome to measure associations with.")
        }
        let (index, tasks, strata, cells, members, skippedSmall, absent, _) = prepared
        let taskCount = tasks.labels.count

        let real = Self.counts(cells: cells, role: .train, members: members, strataCounts: strata.taskCounts(.train), taskCount: taskCount, rows: nT)
        let synthetic = Self.counts(cells: cells, role: .synthetic, members: members, strataCounts: strata.taskCounts(.synthetic), taskCount: taskCount, rows: nS)
        let pairs = DirectionalBiasAmplification.pairs(real: real, synthetic: synthetic)
        let aggregate = DirectionalBiasAmplification.aggregate(pairs)
        let z = Statistics.normalQuantile(0.5 + confidence / 2)
        let small = 1...SmallCellGuard.threshold

        // Per pair. A binary outcome's second value repeats each association with y and Δ both
        // negated (same y·Δ, same test): it counts in the mean but is judged and listed once.
        let judgedTask = taskCount == 2 ? Self.positiveTask(tasks, prepared.positiveCodes) : nil
        var judged: [JudgedPair] = []
        for p in pairs where p.direction != 0 && (judgedTask == nil || p.task == judgedTask) {
            let cell = cells[p.attribute]
            let xR = real.joint[p.attribute][p.task], xS = synthetic.joint[p.attribute][p.task]
            let d = Statistics.newcombeDifferenceInterval(xS, cell.synthetic, xR, cell.train, z: z)
            let (low, high) = p.direction > 0 ? d : (-d.high, -d.low)
            let pValue = RepresentationSkewCheck.scoreTestPValue(s: xS, nS: cell.synthetic, t: xR, nT: cell.train)
            judged.append(JudgedPair(pair: p, cell: cell, task: tasks.labels[p.task], low: low, high: high, pValue: pValue,
                                     realShown: !small.contains(xR) && !small.contains(cell.train - xR)))
        }
        let q = Statistics.benjaminiHochberg(judged.map(\.pValue))
        for i in judged.indices {
            judged[i].qValue = q[i]
            let j = judged[i]
            judged[i].verdict = Self.verdict(low: j.low, high: j.high, estimate: j.pair.value, tolerance: pairBand, significant: j.qValue < alpha)
        }
        let failing = judged.filter { $0.verdict == .amplified || $0.verdict == .attenuated }

        // Aggregate: seeded stratified bootstrap with bias correction.
        var aggregateVerdict = Verdict.pass
        var interval: (low: Double, high: Double)? = nil
        var aggregateP = Double.nan
        var corrected = Double.nan
        if !aggregate.isNaN {
            var bootstrap = StratifiedBootstrap(random: SeededRandom(seed: context.configuration.seed, stream: SeededRandom.stream(id + "/bootstrap")))
            var values: [Double] = []
            values.reserveCapacity(replicates)
            for _ in 0..<replicates {
                let r = Self.counts(cells: cells, role: .train, members: members, strataCounts: bootstrap.resample(strata.rows[.train]!, taskCount: taskCount), taskCount: taskCount, rows: nT)
                let s = Self.counts(cells: cells, role: .synthetic, members: members, strataCounts: bootstrap.resample(strata.rows[.synthetic]!, taskCount: taskCount), taskCount: taskCount, rows: nS)
                // The estimator re-applied to the replicate, y included (the bootstrap principle).
                values.append(DirectionalBiasAmplification.aggregate(DirectionalBiasAmplification.pairs(real: r, synthetic: s)))
            }
            let percentile = StratifiedBootstrap.percentileInterval(values, confidence: confidence)
            let meanReplicate = values.filter { !$0.isNaN }.reduce(0, +) / Double(Swift.max(1, values.filter { !$0.isNaN }.count))
            corrected = 2 * aggregate - meanReplicate
            // Basic (reverse-percentile) interval: centred on the bias-corrected estimate.
            let ci = (low: 2 * aggregate - percentile.high, high: 2 * aggregate - percentile.low)
            let se = StratifiedBootstrap.standardError(values)
            aggregateP = se > 0 ? erfc(abs(corrected / se) / 2.0.squareRoot()) : (corrected == 0 ? 1 : 0)
            interval = ci
            aggregateVerdict = Self.verdict(low: ci.low, high: ci.high, estimate: corrected, tolerance: band, significant: aggregateP < alpha)
        }
        let aggregateFails = aggregateVerdict == .amplified || aggregateVerdict == .attenuated

        // Measurements.
        var m: [Measurement] = [
            Measurement("cells_judged", Double(cells.count)),
            Measurement("cells_skipped_small", Double(skippedSmall)),
            Measurement("cells_absent_synthetic", Double(absent)),
            Measurement("tasks", Double(taskCount)),
            Measurement("pairs_judged", Double(judged.count)),
            Measurement("pairs_amplified", Double(failing.filter { $0.verdict == .amplified }.count)),
            Measurement("pairs_attenuated", Double(failing.filter { $0.verdict == .attenuated }.count)),
            Measurement("pairs_inconclusive", Double(judged.filter { $0.verdict == .inconclusive }.count)),
        ]
        if !aggregate.isNaN, let ci = interval {
            m += [Measurement("bias_amplification", aggregate), Measurement("bias_amplification_corrected", corrected), Measurement("ci_low", ci.low), Measurement("ci_high", ci.high), Measurement("p_value", aggregateP)]
        }
        let shown = judged.filter(\.realShown)
        if let v = shown.map(\.pair.value).max() { m.append(Measurement("max_pair_value", v)) }
        if let v = shown.map(\.pair.value).min() { m.append(Measurement("min_pair_value", v)) }

        // Findings: one per failing pair, located at its subgroup.
        let suppressed = "suppressed (small cell)"
        var findings: [Finding] = []
        for j in failing {
            let c = j.cell
            let taskName = "\(outcomeSpec.column)=\(j.task)"
            var fm = [Measurement("synthetic_rate", j.pair.syntheticRate), Measurement("direction", Double(j.pair.direction)),
                      Measurement("p_value", j.pValue), Measurement("q_value", j.qValue)]
            let realPart: String
            if j.realShown {
                fm += [Measurement("real_rate", j.pair.realRate), Measurement("delta", j.pair.delta), Measurement("pair_value", j.pair.value),
                       Measurement("ci_low", j.low), Measurement("ci_high", j.high)]
                realPart = "P(\(taskName) | \(c.key)) is \(Format.percent(j.pair.realRate)) in training (\(SmallCellGuard.format(c.train)) rows) vs \(Format.percent(j.pair.syntheticRate)) in the release; y·Δ = \(Self.f(j.pair.value)) (\(Self.pct(confidence)) interval \(Self.f(j.low)) to \(Self.f(j.high)))"
            } else {
                realPart = "P(\(taskName) | \(c.key)) in training \(suppressed) vs \(Format.percent(j.pair.syntheticRate)) in the release; y·Δ \(suppressed)"
            }
            let association = j.pair.direction > 0 ? "positively" : "negatively"
            let effect = j.verdict == .amplified
                ? "The release strengthens a real association beyond the tolerated \(Self.f(pairBand))"
                : "The release weakens or reverses a real association beyond the tolerated \(Self.f(pairBand))"
            findings.append(Finding(
                ruleID: id, level: rule.severity,
                message: "Association of subgroup \(c.key) with \(taskName) (\(association) associated in training) is \(j.verdict.rawValue): \(realPart); BH q = \(SubgroupErasureCheck.formatP(j.qValue)). \(effect): a model trained on the release learns a distorted link between this group and the outcome.",
                location: FindingLocation(table: .synthetic, columns: c.columns + [outcomeSpec.column], subgroup: c.key),
                fingerprint: Self.fingerprint(id, j.verdict.rawValue, c.key + "\u{0}" + j.task), measurements: fm))
        }
        if findings.count > maxFindings {
            m.append(Measurement("findings_truncated", Double(findings.count - maxFindings)))
            findings = Array(findings.prefix(maxFindings))
        }

        // Message.
        var parts: [String] = []
        if let ci = interval {
            let verdictText: String
            switch aggregateVerdict {
            case .amplified: verdictText = "the release amplifies the real subgroup–outcome associations beyond the tolerated \(Self.f(band))"
            case .attenuated: verdictText = "the release attenuates the real subgroup–outcome associations beyond the tolerated \(Self.f(band))"
            case .inconclusive: verdictText = "inconclusive against the tolerated ±\(Self.f(band))"
            case .pass: verdictText = "within the tolerated ±\(Self.f(band))"
            }
            parts.append("BiasAmp→ (subgroup → \(outcomeSpec.column)) = \(Self.f(aggregate)) over \(pairs.count) pairs of \(cells.count) subgroups × \(taskCount) outcome values; bias-corrected \(Self.f(corrected)) (\(Self.pct(confidence)) stratified bootstrap interval \(Self.f(ci.low)) to \(Self.f(ci.high)), p = \(SubgroupErasureCheck.formatP(aggregateP))): \(verdictText)")
        } else {
            parts.append("No protected subgroup has enough training rows and a synthetic row: BiasAmp→ is not defined")
        }
        if failing.isEmpty {
            parts.append("No pair's change exceeds ±\(Self.f(pairBand)) (\(judged.count) judged, \(judged.filter { $0.verdict == .inconclusive }.count) inconclusive)")
        } else {
            parts.append("\(failing.count) of \(judged.count) pairs change beyond ±\(Self.f(pairBand)): \(failing.filter { $0.verdict == .amplified }.count) amplified, \(failing.filter { $0.verdict == .attenuated }.count) attenuated")
        }
        let top = shown.sorted { abs($0.pair.value) > abs($1.pair.value) || (abs($0.pair.value) == abs($1.pair.value) && $0.cell.key < $1.cell.key) }.prefix(topCount)
        if !top.isEmpty {
            parts.append("Top pairs by |y·Δ|: " + top.map { "\($0.cell.key) → \(outcomeSpec.column)=\($0.task) \(String(format: "%+.4f", $0.pair.value))" }.joined(separator: "; "))
        }
        if skippedSmall > 0 { parts.append("\(skippedSmall) subgroups with fewer than \(minReal) training rows were not judged") }
        if absent > 0 { parts.append("\(absent) subgroups absent from the release were left out (see subgroup-erasure)") }
        if !index.unbandedColumns.isEmpty {
            parts.append("Numeric protected attributes without `bands` in the configuration were left out: \(index.unbandedColumns.joined(separator: ", "))")
        }
        return RuleOutcome(rule: rule, status: failing.isEmpty && !aggregateFails ? .pass : .fail, level: rule.severity,
                           message: parts.joined(separator: ". ") + ".", measurements: m, findings: findings)
    }

    private static func f(_ x: Double) -> String { String(format: "%.4f", x) }
    private static func pct(_ x: Double) -> String { ParameterValue.format(x * 100) + "%" }

    private static func fingerprint(_ rule: String, _ kind: String, _ key: String) -> String {
        return FindingFingerprint.make(rule: rule, kind: "directional-bias-amplification-\(kind)", key: key)
    }
}
