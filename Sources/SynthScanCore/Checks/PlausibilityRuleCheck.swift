import Foundation

/// Synthetic records that break a declared clinical plausibility rule (a row predicate such as
/// `discharge_date >= admission_date` or `sex == "M" implies not pregnant`), how often compared
/// with the training data, and whether the implausible records concentrate in a protected group.
///
/// Definitions (the predicate P is evaluated on every row of the training table T and of the
/// synthetic table S with SQL's three-valued logic, see `BoundPredicate`; a row is *evaluated*
/// when P is known on it, and *violates* when P is false; rows where P is unknown because of
/// missing values are counted in `rows_unknown_synthetic`, as SQL CHECK constraints let them pass):
/// - **Violation share** v_X = violating rows / evaluated rows of table X, with the Wilson interval.
/// - **Hard rule** (`hard: true`, a physical or logical impossibility): fails when S has more than
///   `max_violations` violating rows, whatever T holds.
/// - **Soft rule** (`hard: false`, clinically implausible but possible, or a data-quality rule the
///   real data also breaks): fails when the Newcombe hybrid score interval of v_S − v_T lies wholly
///   above `tolerance` (the release breaks the rule measurably more often than the real data).
/// - **Concentration** (SDNist `inconsistency.py` reports such rules per group; the per-group ratio
///   follows bias-peers FID-005): for each protected cell g (order 1 by default) with at least
///   `min_group_rows` evaluated synthetic rows inside and outside it, the ratio of violation shares
///   in g and in the rest of S, with the Katz log interval (Katz et al. 1978); the cell is
///   *concentrated* when the whole interval lies above `concentration` and the two-proportion
///   score test is significant after Benjamini–Hochberg correction at `alpha`. Computed when the
///   rule fails; concentrated cells are listed as findings.
///
/// Only synthetic rows are pointed at (row, file line, salted record digest); the predicate's
/// values are never printed. A training violation count from 1 to 10, and every figure it could be
/// derived from (its share and the difference interval), is withheld (`SmallCellGuard`).
public struct PlausibilityRuleCheck: Check {
    public static let kind = "plausibility-rules"
    public static let summary = "Counts synthetic records that break a declared clinical plausibility rule (a row predicate over the columns, with SQL's three-valued logic for missing values), compares the violation share with the training data (Wilson and Newcombe intervals), lists the violating synthetic rows, and finds protected groups in which the violations concentrate."
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("predicate", .predicate, default: .text(""),
                      doc: "What every plausible record satisfies, e.g. `discharge_date >= admission_date` or `discharge_disposition == \"Expired\" implies readmitted_30d == 0` (syntax: docs/plausibility-rules.md).",
                      required: true),
        ParameterSpec("hard", .boolean, default: .boolean(true),
                      doc: "true = an impossibility: any synthetic violation beyond `max_violations` fails; false = implausible but possible: fails when the release breaks the rule measurably more often than the training data (beyond `tolerance`)."),
        ParameterSpec("max_violations", .integer(0...Int.max), default: .integer(0),
                      doc: "Synthetic rows a hard rule may find violating without failing."),
        ParameterSpec("tolerance", .number(NumberBounds(0, 1)), default: .number(0.001),
                      doc: "Soft rules: the excess violation share (synthetic − training) tolerated; fails when the whole Newcombe interval of the difference lies above it (FID-005 default 0.1 percentage points)."),
        ParameterSpec("confidence", .number(NumberBounds(0.5, 1, lowerInclusive: true, upperInclusive: false)), default: .number(0.95),
                      doc: "Confidence level of the Wilson, Newcombe and Katz intervals."),
        ParameterSpec("missing_columns", .choice(["error", "skip"]), default: .text("error"),
                      doc: "When the data lacks a column the predicate reads: `error` stops the scan (a misspelt column must not pass silently); `skip` skips the rule (for generic rules shipped to many datasets)."),
        ParameterSpec("columns", .columns, default: .list([]),
                      doc: "Protected attributes whose cells are searched for concentrated violations; empty = the columns with the protected role."),
        ParameterSpec("order", .integer(1...2), default: .integer(1),
                      doc: "1 = every protected attribute alone; 2 = also every pair."),
        ParameterSpec("concentration", .number(NumberBounds(1, 100, lowerInclusive: false)), default: .number(1.25),
                      doc: "A cell is concentrated when its violation share over the rest of the release's has its whole interval above this ratio (FID-005 band [0.8, 1.25])."),
        ParameterSpec("alpha", .number(NumberBounds(0, 0.5, lowerInclusive: false)), default: .number(0.01),
                      doc: "False discovery rate over the cells tested for concentration (Benjamini–Hochberg)."),
        ParameterSpec("min_group_rows", .integer(1...1_000_000), default: .integer(20),
                      doc: "Evaluated synthetic rows a cell (and the rest of the release) needs to be tested for concentration."),
        ParameterSpec("max_row_findings", .integer(0...100_000), default: .integer(20),
                      doc: "Violating synthetic rows listed as findings (in row order); the rest are counted in `row_findings_truncated`."),
    ]
    public static let measurements: [MeasurementSpec] = [
        MeasurementSpec("synthetic_rows", "Rows in the synthetic table."),
        MeasurementSpec("rows_evaluated_synthetic", "Synthetic rows on which the predicate is known (true or false)."),
        MeasurementSpec("rows_unknown_synthetic", "Synthetic rows on which missing values leave the predicate unknown (not counted as violations)."),
        MeasurementSpec("violations_synthetic", "Synthetic rows on which the predicate is false."),
        MeasurementSpec("violation_share_synthetic", "violations_synthetic / rows_evaluated_synthetic."),
        MeasurementSpec("violation_share_synthetic_low", "Lower end of the Wilson interval of violation_share_synthetic."),
        MeasurementSpec("violation_share_synthetic_high", "Upper end of the Wilson interval of violation_share_synthetic."),
        MeasurementSpec("rows_evaluated_real", "Training rows on which the predicate is known."),
        MeasurementSpec("violations_real", "Training rows on which the predicate is false (withheld when 1 to 10).", optional: true),
        MeasurementSpec("violation_share_real", "violations_real / rows_evaluated_real (withheld with violations_real).", optional: true),
        MeasurementSpec("difference_low", "Lower end of the Newcombe interval of violation_share_synthetic − violation_share_real (withheld with violations_real).", optional: true),
        MeasurementSpec("difference_high", "Upper end of that interval (withheld with violations_real).", optional: true),
        MeasurementSpec("unmatched_labels", "Labels the predicate compares with that occur in no table (a misspelling makes a rule vacuous)."),
        MeasurementSpec("groups_judged", "Protected cells tested for concentrated violations (only when the rule fails).", optional: true),
        MeasurementSpec("groups_concentrated", "Cells whose violation share is significantly above the rest's beyond `concentration`.", optional: true),
        MeasurementSpec("row_findings_truncated", "Violating synthetic rows counted but not listed because of max_row_findings.", optional: true),
    ]

    /// Creates the check.
    public init() {}

    /// The violation counts of one table.
    struct Tally: Equatable {
        var evaluated = 0
        var violations = 0
        var unknown = 0

        init(_ truths: [Truth]) {
            for t in truths {
                switch t {
                case .isTrue: evaluated += 1
                case .isFalse: evaluated += 1; violations += 1
                case .unknown: unknown += 1
                }
            }
        }

        var share: Double { evaluated > 0 ? Double(violations) / Double(evaluated) : 0 }
    }

    public func run(rule: RuleDescriptor, context: ScanContext) throws -> RuleOutcome {
        let p = rule.parameters, id = rule.id
        let text = try p.text("predicate", rule: id)
        let expression: RowExpression
        do {
            expression = try PredicateParser.parse(text)
        } catch {
            throw CheckError.invalidParameter(rule: id, name: "predicate", reason: "is not a valid predicate: \(error)")
        }
        let data = context.data
        let absent = expression.columns.filter { data.schema.index(of: $0) == nil }
        if let first = absent.first {
            guard try p.text("missing_columns", rule: id) == "skip" else { throw CheckError.unknownColumn(rule: id, column: first) }
            return RuleOutcome(rule: rule, status: .skipped, level: rule.severity,
                               message: "The data has no column \(absent.map { "'\($0)'" }.joined(separator: ", ")) that the predicate reads; the rule does not apply (missing_columns: skip).",
                               measurements: [Measurement("synthetic_rows", Double(data.synthetic.rowCount))], findings: [])
        }
        let binder = PredicateBinder(data: data, columnSettings: context.configuration.columns)
        let syntheticPredicate: BoundPredicate, realPredicate: BoundPredicate, unmatched: [String]
        do {
            syntheticPredicate = try binder.bind(expression, table: data.synthetic)
            realPredicate = try binder.bind(expression, table: data.train)
            unmatched = try binder.unmatchedLabels(expression)
        } catch {
            throw CheckError.invalidParameter(rule: id, name: "predicate", reason: "cannot be applied to the data: \(error)")
        }

        let confidence = try p.number("confidence", rule: id)
        let z = Statistics.normalQuantile(1 - (1 - confidence) / 2)
        let hard = try p.boolean("hard", rule: id)
        let maxViolations = try p.integer("max_violations", rule: id)
        let tolerance = try p.number("tolerance", rule: id)

        let syntheticTruths = syntheticPredicate.evaluate(rowCount: data.synthetic.rowCount)
        let synthetic = Tally(syntheticTruths)
        let real = Tally(realPredicate.evaluate(rowCount: data.train.rowCount))
        let realShown = !SmallCellGuard.isSmall(real.violations)
        let wilson = Statistics.wilsonInterval(successes: synthetic.violations, trials: synthetic.evaluated, z: z)
        let difference = Statistics.newcombeDifferenceInterval(synthetic.violations, synthetic.evaluated, real.violations, real.evaluated, z: z)
        let fails = hard ? synthetic.violations > maxViolations : (synthetic.evaluated > 0 && difference.low > tolerance)

        var m: [Measurement] = [
            Measurement("synthetic_rows", Double(data.synthetic.rowCount)),
            Measurement("rows_evaluated_synthetic", Double(synthetic.evaluated)),
            Measurement("rows_unknown_synthetic", Double(synthetic.unknown)),
            Measurement("violations_synthetic", Double(synthetic.violations)),
            Measurement("violation_share_synthetic", synthetic.share),
            Measurement("violation_share_synthetic_low", wilson.low),
            Measurement("violation_share_synthetic_high", wilson.high),
            Measurement("rows_evaluated_real", Double(real.evaluated)),
        ]
        if realShown {
            m += [Measurement("violations_real", Double(real.violations)), Measurement("violation_share_real", real.share),
                  Measurement("difference_low", difference.low), Measurement("difference_high", difference.high)]
        }
        m.append(Measurement("unmatched_labels", Double(unmatched.count)))

        var findings: [Finding] = []
        var concentrated: [Concentration] = []
        if fails {
            let groups = try concentrations(rule: rule, context: context, truths: syntheticTruths, z: z)
            m += [Measurement("groups_judged", Double(groups.judged)), Measurement("groups_concentrated", Double(groups.concentrated.count))]
            concentrated = groups.concentrated
            findings += concentrated.map { c in
                Finding(ruleID: id, level: rule.severity,
                        message: "Records breaking the plausibility rule concentrate in subgroup \(c.key): \(Format.percent(c.share)) of its \(c.evaluated) synthetic rows vs \(Format.percent(c.restShare)) elsewhere (ratio \(Self.f2(c.ratio)), \(Self.percentLabel(confidence)) CI \(Self.f2(c.low))–\(Self.f2(c.high)); BH q = \(SubgroupErasureCheck.formatP(c.q))). Analyses of this group on the release rest on more implausible records than the rest.",
                        location: FindingLocation(table: .synthetic, columns: c.columns, subgroup: c.key),
                        fingerprint: Self.fingerprint(id, "concentration", c.key),
                        measurements: [Measurement("violation_share", c.share), Measurement("rows_evaluated", Double(c.evaluated)),
                                       Measurement("ratio", c.ratio), Measurement("ci_low", c.low), Measurement("ci_high", c.high),
                                       Measurement("q_value", c.q)])
            }
            let limit = try p.integer("max_row_findings", rule: id)
            let rows = syntheticTruths.indices.filter { syntheticTruths[$0] == .isFalse }
            findings += rowFindings(rows, limit: limit, rule: rule, context: context, columns: expression.columns, predicate: text)
            if rows.count > limit { m.append(Measurement("row_findings_truncated", Double(rows.count - limit))) }
        }

        let message = Self.message(predicate: text, hard: hard, fails: fails, synthetic: synthetic, real: real, realShown: realShown,
                                   wilson: wilson, difference: difference, confidence: confidence, maxViolations: maxViolations,
                                   tolerance: tolerance, concentrated: concentrated, unmatched: unmatched)
        return RuleOutcome(rule: rule, status: fails ? .fail : .pass, level: rule.severity, message: message,
                           measurements: m, findings: findings)
    }

    /// A protected cell in which violations concentrate.
    struct Concentration {
        var key: String
        var columns: [String]
        var evaluated: Int
        var share: Double
        var restShare: Double
        var ratio: Double
        var low: Double
        var high: Double
        var p: Double
        var q = 1.0
    }

    /// Cells of the protected attributes whose violation share exceeds the rest's.
    func concentrations(rule: RuleDescriptor, context: ScanContext, truths: [Truth], z: Double) throws -> (judged: Int, concentrated: [Concentration]) {
        let p = rule.parameters, id = rule.id
        let protected = try ProtectedCells.columns(for: rule, context: context)
        guard !protected.isEmpty else { return (0, []) }
        let index = ProtectedCells.index(protected, order: try p.integer("order", rule: id), context: context)
        let minRows = try p.integer("min_group_rows", rule: id)
        let threshold = try p.number("concentration", rule: id)
        let alpha = try p.number("alpha", rule: id)
        let violated = index.counts(where: [.synthetic: truths.map { $0 == .isFalse }])
        let evaluated = index.counts(where: [.synthetic: truths.map { $0 != .unknown }])
        let totalViolations = truths.reduce(0) { $0 + ($1 == .isFalse ? 1 : 0) }
        let totalEvaluated = truths.reduce(0) { $0 + ($1 != .unknown ? 1 : 0) }
        var tested: [Concentration] = []
        for cell in index.cells {
            let e = evaluated[cell.key]?.synthetic ?? 0, v = violated[cell.key]?.synthetic ?? 0
            let restE = totalEvaluated - e, restV = totalViolations - v
            guard e >= minRows, restE >= minRows else { continue }
            let k = OutcomeDisparityAmplificationCheck.katz(a: v, n: e, c: restV, m: restE)
            let se = k.variance.squareRoot()
            tested.append(Concentration(key: cell.key, columns: cell.columns, evaluated: e, share: Double(v) / Double(e),
                                        restShare: Double(restV) / Double(restE), ratio: exp(k.log),
                                        low: exp(k.log - z * se), high: exp(k.log + z * se),
                                        p: RepresentationSkewCheck.scoreTestPValue(s: v, nS: e, t: restV, nT: restE)))
        }
        let q = Statistics.benjaminiHochberg(tested.map(\.p))
        for i in tested.indices { tested[i].q = q[i] }
        return (tested.count, tested.filter { $0.low > threshold && $0.q < alpha })
    }

    /// One finding per listed violating synthetic row (the first `limit` of `rows`), at its file line.
    /// A fingerprint counts identical records among the violating rows in row order, as
    /// `ExactCopyCheck` does, so it survives reordering of the file.
    func rowFindings(_ rows: [Int], limit: Int, rule: RuleDescriptor, context: ScanContext, columns: [String], predicate: String) -> [Finding] {
        guard limit > 0, !rows.isEmpty else { return [] }
        let table = context.data.synthetic
        let digests = context.digests(of: table, columns: context.comparableColumns)
        var occurrences: [RecordDigest: Int] = [:]
        var findings: [Finding] = []
        for row in rows {
            let digest = context.published(digests[row])
            occurrences[digest, default: 0] += 1
            guard findings.count < limit else { continue }
            let line = table.recordLines[row]
            findings.append(Finding(
                ruleID: rule.id, level: rule.severity,
                message: "Synthetic row \(row + 1) (line \(line)) breaks the plausibility rule `\(predicate)`.",
                location: FindingLocation(table: .synthetic, row: row + 1, line: line, columns: columns, recordDigest: digest.hex),
                fingerprint: Self.fingerprint(rule.id, "violation", "\(digest.hex)\u{0}\(occurrences[digest]!)"),
                measurements: []))
        }
        return findings
    }

    static func message(predicate: String, hard: Bool, fails: Bool, synthetic: Tally, real: Tally, realShown: Bool,
                        wilson: (low: Double, high: Double), difference: (low: Double, high: Double), confidence: Double,
                        maxViolations: Int, tolerance: Double, concentrated: [Concentration], unmatched: [String]) -> String {
        let level = percentLabel(confidence)
        var parts: [String] = []
        let breaking = "\(synthetic.violations) of \(synthetic.evaluated) synthetic records (\(Format.percent(synthetic.share)), \(level) CI \(Format.percent(wilson.low))–\(Format.percent(wilson.high))) break `\(predicate)`"
        if hard {
            parts.append(breaking + " (hard rule, \(maxViolations) allowed)")
        } else {
            parts.append(breaking + " (soft rule, tolerated excess over the training data \(Format.percent(tolerance)))")
        }
        if realShown {
            var realPart = "training data: \(real.violations) of \(real.evaluated) (\(Format.percent(real.share)))"
            if !hard { realPart += "; excess \(Format.percent(synthetic.share - real.share)) (\(level) CI \(Format.percent(difference.low)) to \(Format.percent(difference.high)))" }
            parts.append(realPart)
        } else {
            parts.append("training data: \(SmallCellGuard.format(real.violations)) of \(real.evaluated) (share withheld: small count)")
        }
        if synthetic.unknown > 0 { parts.append("\(synthetic.unknown) synthetic records left unknown by missing values") }
        if !concentrated.isEmpty {
            parts.append("violations concentrate in \(concentrated.prefix(5).map(\.key).joined(separator: "; "))\(concentrated.count > 5 ? " and \(concentrated.count - 5) more" : "")")
        }
        if !unmatched.isEmpty {
            parts.append("no table holds \(unmatched.joined(separator: ", ")): check the spelling, or the rule cannot catch anything through it")
        }
        return parts.joined(separator: "; ") + "."
    }

    static func percentLabel(_ confidence: Double) -> String {
        let percent = confidence * 100
        return percent == percent.rounded() ? "\(Int(percent))%" : String(format: "%.1f%%", percent)
    }

    private static func f2(_ x: Double) -> String { String(format: "%.2f", x) }

    private static func fingerprint(_ rule: String, _ kind: String, _ key: String) -> String {
        return FindingFingerprint.make(rule: rule, kind: "plausibility-\(kind)", key: key)
    }
}
