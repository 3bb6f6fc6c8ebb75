import Foundation

/// Whether the release keeps who has missing data, and what a missing value says about the
/// outcome: per column and protected subgroup, the missing rate in each table; per column, the
/// association between a value being missing and the outcome.
///
/// Definitions (train = T, synthetic = S; a *cell* g is the whole table or a combination of levels
/// of the protected attributes up to `order`, see `CellIndex`; for a checked column c,
/// m_X(c | g) = share of rows of g in table X whose c is missing):
/// - **Missing-rate difference** d = m_S − m_T with the Newcombe hybrid score interval (Newcombe
///   1998, method 10; both tables' sampling error counted) and the two-sided pooled score test;
///   q-values by Benjamini–Hochberg over every (column, cell) judged. A pair **fails** when the
///   whole interval lies outside [−`tolerance`, `tolerance`] and q < `alpha` (more or less missing
///   in the release); **inconclusive** when the interval crosses a band edge; **pass** inside. Cells
///   with fewer than `min_real_count` training rows are counted, not judged; the cells of the
///   column's own attribute are not formed (a column is always missing in its own `missing` cell).
/// - **SDMetrics MissingValueSimilarity** per column over the whole tables: 1 − |m_T − m_S|
///   (sdmetrics/single_column/statistical/missing_value_similarity.py); the lowest over the checked
///   columns is reported.
/// - **Informative missingness** (bias-peers FID-004), with a declared binary outcome y: per
///   column, the odds ratio of y = positive between rows where c is missing and rows where it is
///   present, OR_X, with Woolf's interval (Woolf 1955). The real relation is *informative* when
///   every one of its four training counts is at least 11 and its interval excludes 1. For those
///   columns the ratio OR_S / OR_T (log variances added: two-sample) is judged like
///   `outcome-disparity-amplification` judges disparities: it fails when its whole interval lies
///   outside [1/`or_tolerance`, `or_tolerance`] and its BH q (over the informative columns) is
///   below `alpha`, as **weakened** (towards no relation, or reversed) or **exaggerated**.
///
/// Real figures: a real missing rate is withheld when its cell's missing or present training
/// count is from 1 to 10 (either would be derivable from it and the cell size); odds ratios are
/// judged only when all four training counts are at least 11 (`SmallCellGuard`).
public struct MissingnessParityCheck: Check {
    public static let kind = "missingness-parity"
    public static let summary = "Compares the missing rate of each column in each protected subgroup between the release and the training data (Newcombe intervals, Benjamini–Hochberg), reports SDMetrics MissingValueSimilarity, and checks that a real association between a value being missing and the outcome (informative missingness) survives in the release."
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("checked_columns", .columns, default: .list([]),
                      doc: "Columns whose missingness is compared; empty = every column (other than identifiers and ignored columns) with a missing value in the training or the synthetic table."),
        ParameterSpec("columns", .columns, default: .list([]),
                      doc: "Protected attributes the subgroups are made of; empty = the columns with the protected role (without any, only whole-table rates are compared)."),
        ParameterSpec("order", .integer(1...2), default: .integer(1),
                      doc: "1 = every protected attribute alone; 2 = also every pair."),
        ParameterSpec("min_real_count", .integer(11...1_000_000), default: .integer(20),
                      doc: "Training rows a subgroup needs to be judged (at least 11: small-cell rule)."),
        ParameterSpec("tolerance", .number(NumberBounds(0, 1, lowerInclusive: false)), default: .number(0.05),
                      doc: "Tolerated difference of missing rates, synthetic − training (FID-004 default: 5 percentage points); a pair fails only when its whole interval lies beyond it."),
        ParameterSpec("or_tolerance", .number(NumberBounds(1, 100, lowerInclusive: false)), default: .number(2),
                      doc: "Tolerated factor between the release's and the training data's odds ratio of the outcome for missing vs present values."),
        ParameterSpec("alpha", .number(NumberBounds(0, 0.5, lowerInclusive: false)), default: .number(0.01),
                      doc: "False discovery rate (Benjamini–Hochberg) within each family: missing rates, and informative-missingness relations."),
        ParameterSpec("confidence", .number(NumberBounds(0.5, 1, lowerInclusive: true, upperInclusive: false)), default: .number(0.95),
                      doc: "Confidence level of the intervals."),
        ParameterSpec("max_findings", .integer(0...1_000_000), default: .integer(1000),
                      doc: "Findings listed; the rest are counted in `findings_truncated`."),
    ]
    public static let measurements: [MeasurementSpec] = [
        MeasurementSpec("columns_checked", "Columns whose missingness is compared."),
        MeasurementSpec("cells_judged", "(column, subgroup) pairs judged, the whole table included."),
        MeasurementSpec("cells_skipped_small", "Pairs whose subgroup has fewer than min_real_count training rows."),
        MeasurementSpec("cells_failing", "Pairs whose missing-rate difference lies beyond the tolerance with BH q < alpha."),
        MeasurementSpec("cells_more_missing", "Failing pairs with more missing values in the release."),
        MeasurementSpec("cells_less_missing", "Failing pairs with fewer missing values in the release."),
        MeasurementSpec("cells_inconclusive", "Pairs whose interval crosses a band edge, or lies beyond it without q < alpha."),
        MeasurementSpec("max_abs_missing_difference", "Largest |m_S − m_T| over the judged pairs whose real rate may be shown.", optional: true),
        MeasurementSpec("missing_value_similarity", "Lowest SDMetrics MissingValueSimilarity (1 − |m_T − m_S| over the whole tables) over the checked columns.", optional: true),
        MeasurementSpec("informative_columns_real", "Columns whose missingness is associated with the outcome in the training data (Woolf interval of the odds ratio excludes 1).", optional: true),
        MeasurementSpec("informative_columns_failing", "Of those, columns whose relation is weakened or exaggerated in the release beyond or_tolerance with BH q < alpha.", optional: true),
        MeasurementSpec("findings_truncated", "Findings counted but not listed because of max_findings.", optional: true),
    ]

    /// Creates the check.
    public init() {}

    enum Verdict { case pass, inconclusive, fail }

    /// One (column, cell) comparison.
    struct Pair {
        var column: String
        var cellKey: String
        var cellColumns: [String]
        var missingT: Int, rowsT: Int, missingS: Int, rowsS: Int
        var low: Double, high: Double
        var p: Double
        var q = 1.0
        var verdict = Verdict.pass
        var rateT: Double { Double(missingT) / Double(rowsT) }
        var rateS: Double { Double(missingS) / Double(rowsS) }
        var realShown: Bool { !SmallCellGuard.isSmall(missingT) && !SmallCellGuard.isSmall(rowsT - missingT) }
    }

    /// One column's informative-missingness relation.
    struct Relation {
        var column: String
        var logORT: Double, seT: Double
        var logORS: Double, seS: Double
        var low: Double, high: Double
        var p: Double
        var q = 1.0
        var ratio: Double { exp(logORS - logORT) }
    }

    public func run(rule: RuleDescriptor, context: ScanContext) throws -> RuleOutcome {
        let p = rule.parameters, id = rule.id
        let data = context.data
        let nS = data.synthetic.rowCount, nT = data.train.rowCount
        let tolerance = try p.number("tolerance", rule: id)
        let alpha = try p.number("alpha", rule: id)
        let minReal = try p.integer("min_real_count", rule: id)
        let confidence = try p.number("confidence", rule: id)
        let z = Statistics.normalQuantile(0.5 + confidence / 2)

        let checked = try checkedColumns(rule: rule, context: context)
        guard nS > 0, nT > 0 else {
            return RuleOutcome(rule: rule, status: .skipped, level: rule.severity,
                               message: ProtectedCells.emptyTables,
                               measurements: [Measurement("columns_checked", Double(checked.count))], findings: [])
        }
        guard !checked.isEmpty else {
            return RuleOutcome(rule: rule, status: .pass, level: rule.severity,
                               message: "No column has a missing value in the training or the synthetic table: missingness cannot differ.",
                               measurements: [Measurement("columns_checked", 0), Measurement("cells_judged", 0), Measurement("cells_skipped_small", 0),
                                              Measurement("cells_failing", 0), Measurement("cells_more_missing", 0), Measurement("cells_less_missing", 0),
                                              Measurement("cells_inconclusive", 0)], findings: [])
        }
        let protected = try ProtectedCells.columns(for: rule, context: context)
        let order = try p.integer("order", rule: id)

        // Missing rates per (column, cell).
        var pairs: [Pair] = []
        var skippedSmall = 0
        var similarity: [Double] = []
        for name in checked {
            let flagsT = Self.missingFlags(data.train, name), flagsS = Self.missingFlags(data.synthetic, name)
            let missingT = flagsT.reduce(0) { $0 + ($1 ? 1 : 0) }, missingS = flagsS.reduce(0) { $0 + ($1 ? 1 : 0) }
            similarity.append(1 - abs(Double(missingT) / Double(nT) - Double(missingS) / Double(nS)))
            pairs.append(Self.pair(name, key: "all rows", columns: [], missingT, nT, missingS, nS, z: z))
            let attributes = protected.filter { $0 != name }
            guard !attributes.isEmpty else { continue }
            let index = ProtectedCells.index(attributes, order: order, context: context)
            let counts = index.counts(where: [.train: flagsT, .synthetic: flagsS])
            for cell in index.cells where cell.train > 0 {
                guard cell.train >= minReal, cell.synthetic > 0 else { skippedSmall += 1; continue }
                let c = counts[cell.key]
                pairs.append(Self.pair(name, key: cell.key, columns: cell.columns, c?.train ?? 0, cell.train, c?.synthetic ?? 0, cell.synthetic, z: z))
            }
        }
        let q = Statistics.benjaminiHochberg(pairs.map(\.p))
        for i in pairs.indices {
            pairs[i].q = q[i]
            let (low, high) = (pairs[i].low, pairs[i].high)
            if low > tolerance || high < -tolerance {
                pairs[i].verdict = pairs[i].q < alpha ? .fail : .inconclusive
            } else if low < -tolerance || high > tolerance {
                pairs[i].verdict = .inconclusive
            }
        }
        let failing = pairs.filter { $0.verdict == .fail }

        // Informative missingness.
        let relations = try informativeRelations(rule: rule, context: context, columns: checked, z: z)
        let orTolerance = try p.number("or_tolerance", rule: id)
        let relationFailing = relations?.filter { $0.q < alpha && ($0.low > orTolerance || $0.high < 1 / orTolerance) } ?? []

        var m: [Measurement] = [
            Measurement("columns_checked", Double(checked.count)),
            Measurement("cells_judged", Double(pairs.count)),
            Measurement("cells_skipped_small", Double(skippedSmall)),
            Measurement("cells_failing", Double(failing.count)),
            Measurement("cells_more_missing", Double(failing.filter { $0.low > 0 }.count)),
            Measurement("cells_less_missing", Double(failing.filter { $0.high < 0 }.count)),
            Measurement("cells_inconclusive", Double(pairs.filter { $0.verdict == .inconclusive }.count)),
        ]
        if let v = pairs.filter(\.realShown).map({ abs($0.rateS - $0.rateT) }).max() { m.append(Measurement("max_abs_missing_difference", v)) }
        if let v = similarity.min() { m.append(Measurement("missing_value_similarity", v)) }
        if let relations {
            m += [Measurement("informative_columns_real", Double(relations.count)), Measurement("informative_columns_failing", Double(relationFailing.count))]
        }

        var findings: [Finding] = failing.map { Self.finding($0, rule: rule, tolerance: tolerance, confidence: confidence) }
        findings += relationFailing.map { Self.finding($0, rule: rule, orTolerance: orTolerance, confidence: confidence, outcome: context.configuration.roles.outcome) }
        let maxFindings = try p.integer("max_findings", rule: id)
        if findings.count > maxFindings {
            m.append(Measurement("findings_truncated", Double(findings.count - maxFindings)))
            findings = Array(findings.prefix(maxFindings))
        }

        var parts: [String] = []
        if failing.isEmpty {
            parts.append("No column's missing rate differs from the training data's by more than \(Self.points(tolerance)) in any of the \(pairs.count) (column, subgroup) pairs judged (\(pairs.filter { $0.verdict == .inconclusive }.count) inconclusive)")
        } else {
            let names = failing.prefix(5).map { "\($0.column) in \($0.cellKey) (\($0.low > 0 ? "more" : "less") missing)" }.joined(separator: "; ")
            parts.append("\(failing.count) of \(pairs.count) (column, subgroup) pairs have a missing rate that differs from the training data's by more than \(Self.points(tolerance)): \(names)\(failing.count > 5 ? " and \(failing.count - 5) more" : "")")
        }
        if let v = similarity.min() { parts.append("SDMetrics MissingValueSimilarity \(String(format: "%.3f", v)) (lowest of \(checked.count) columns)") }
        if let relations {
            if relations.isEmpty {
                parts.append("No column's missingness is associated with the outcome in the training data")
            } else if relationFailing.isEmpty {
                parts.append("The release keeps the association between missingness and the outcome of \(relations.count) column\(relations.count == 1 ? "" : "s") within ×\(String(format: "%.2f", orTolerance))")
            } else {
                parts.append("The association between missingness and the outcome is distorted for \(relationFailing.map(\.column).joined(separator: ", "))")
            }
        }
        if skippedSmall > 0 { parts.append("\(skippedSmall) (column, subgroup) pairs with fewer than \(minReal) training rows were not judged") }
        let fails = !failing.isEmpty || !relationFailing.isEmpty
        return RuleOutcome(rule: rule, status: fails ? .fail : .pass, level: rule.severity,
                           message: parts.joined(separator: ". ") + ".", measurements: m, findings: findings)
    }

    /// The checked columns: the rule's list, or every non-identifier column with a missing value.
    func checkedColumns(rule: RuleDescriptor, context: ScanContext) throws -> [String] {
        let listed = try rule.parameters.list("checked_columns", rule: rule.id)
        for c in listed where context.schema.index(of: c) == nil { throw CheckError.unknownColumn(rule: rule.id, column: c) }
        if !listed.isEmpty { return listed }
        let data = context.data
        return context.schema.columns.filter { c in
            !c.roles.contains(.identifier) && !c.roles.contains(.ignored)
                && ((data.train.column(named: c.name)?.missingCount ?? 0) > 0 || (data.synthetic.column(named: c.name)?.missingCount ?? 0) > 0)
        }.map(\.name)
    }

    static func missingFlags(_ table: Table, _ name: String) -> [Bool] {
        guard let column = table.column(named: name) else { return [Bool](repeating: false, count: table.rowCount) }
        return (0..<table.rowCount).map { column.isMissing($0) }
    }

    static func pair(_ column: String, key: String, columns: [String], _ mT: Int, _ nT: Int, _ mS: Int, _ nS: Int, z: Double) -> Pair {
        let ci = Statistics.newcombeDifferenceInterval(mS, nS, mT, nT, z: z)
        return Pair(column: column, cellKey: key, cellColumns: columns, missingT: mT, rowsT: nT, missingS: mS, rowsS: nS,
                    low: ci.low, high: ci.high, p: RepresentationSkewCheck.scoreTestPValue(s: mS, nS: nS, t: mT, nT: nT))
    }

    /// Informative-missingness relations of the training data and their fate in the release; nil
    /// without a declared outcome.
    func informativeRelations(rule: RuleDescriptor, context: ScanContext, columns: [String], z: Double) throws -> [Relation]? {
        guard let outcome = context.configuration.roles.outcome, let outcomeIndex = context.schema.index(of: outcome.column) else { return nil }
        let data = context.data
        let positive = OutcomeDisparityAmplificationCheck.positiveFlags(data: data, column: outcomeIndex, positive: outcome.positiveValue)
        let outcomeMissing: [TableRole: [Bool]] = [.train: Self.missingFlags(data.train, outcome.column), .synthetic: Self.missingFlags(data.synthetic, outcome.column)]
        var relations: [Relation] = []
        for name in columns where name != outcome.column {
            func table(_ role: TableRole, _ t: Table) -> (a: Int, b: Int, c: Int, d: Int) {
                let missing = Self.missingFlags(t, name), pos = positive[role] ?? [], gone = outcomeMissing[role] ?? []
                var a = 0, b = 0, c = 0, d = 0   // missing & y, missing & not y, present & y, present & not y
                for r in 0..<t.rowCount where !gone[r] {
                    switch (missing[r], pos[r]) {
                    case (true, true): a += 1
                    case (true, false): b += 1
                    case (false, true): c += 1
                    case (false, false): d += 1
                    }
                }
                return (a, b, c, d)
            }
            let real = table(.train, data.train)
            guard [real.a, real.b, real.c, real.d].allSatisfy({ $0 > SmallCellGuard.threshold }) else { continue }
            let lt = Self.woolf(real)
            guard lt.log - z * lt.se > 0 || lt.log + z * lt.se < 0 else { continue }
            let ls = Self.woolf(table(.synthetic, data.synthetic))
            let diff = ls.log - lt.log, se = (lt.se * lt.se + ls.se * ls.se).squareRoot()
            relations.append(Relation(column: name, logORT: lt.log, seT: lt.se, logORS: ls.log, seS: ls.se,
                                      low: exp(diff - z * se), high: exp(diff + z * se),
                                      p: erfc(abs(diff / se) / 2.0.squareRoot())))
        }
        let q = Statistics.benjaminiHochberg(relations.map(\.p))
        for i in relations.indices { relations[i].q = q[i] }
        return relations
    }

    /// Log odds ratio ad/bc and Woolf's standard error (0.5 added to every count when one is 0).
    static func woolf(_ t: (a: Int, b: Int, c: Int, d: Int)) -> (log: Double, se: Double) {
        let e = AssociationStatistics.logOddsRatio(a: t.a, b: t.b, c: t.c, d: t.d, z: 1)
        return (e.value, e.se)
    }

    static func finding(_ x: Pair, rule: RuleDescriptor, tolerance: Double, confidence: Double) -> Finding {
        let direction = x.low > 0 ? "more" : "less"
        let scope = x.cellColumns.isEmpty ? "of all synthetic records" : "of synthetic records in subgroup \(x.cellKey)"
        var fm = [Measurement("synthetic_missing_rate", x.rateS), Measurement("p_value", x.p), Measurement("q_value", x.q)]
        let real: String
        if x.realShown {
            fm += [Measurement("real_missing_rate", x.rateT), Measurement("difference", x.rateS - x.rateT),
                   Measurement("ci_low", x.low), Measurement("ci_high", x.high)]
            real = "vs \(Format.percent(x.rateT)) of training patients (\(SmallCellGuard.format(x.rowsT))); difference \(signedPoints(x.rateS - x.rateT)) (\(PlausibilityRuleCheck.percentLabel(confidence)) CI \(signedPoints(x.low)) to \(signedPoints(x.high)))"
        } else {
            real = "vs a training rate withheld (small count)"
        }
        return Finding(
            ruleID: rule.id, level: rule.severity,
            message: "Column \(x.column) is missing in \(Format.percent(x.rateS)) \(scope) \(real), beyond the tolerated \(points(tolerance)); BH q = \(SubgroupErasureCheck.formatP(x.q)). The release has \(direction) missing \(x.column) values for these patients than the real data: analyses and models trained on it learn a different documentation pattern.",
            location: FindingLocation(table: .synthetic, columns: [x.column] + x.cellColumns, subgroup: x.cellColumns.isEmpty ? nil : x.cellKey),
            fingerprint: fingerprint(rule.id, "rate-\(direction)", "\(x.column)\u{0}\(x.cellKey)"), measurements: fm)
    }

    static func finding(_ r: Relation, rule: RuleDescriptor, orTolerance: Double, confidence: Double, outcome: OutcomeSpec?) -> Finding {
        let weakened = r.high < 1 / orTolerance
        let what = weakened ? "weakened" : "exaggerated"
        let y = outcome.map { "\($0.column)=\($0.positiveValue)" } ?? "the outcome"
        return Finding(
            ruleID: rule.id, level: rule.severity,
            message: "In the training data a missing \(r.column) goes with a different rate of \(y) (odds ratio \(f2(exp(r.logORT)))); in the release the odds ratio is \(f2(exp(r.logORS))): the relation is \(what) by a factor \(f2(r.ratio)) (\(PlausibilityRuleCheck.percentLabel(confidence)) CI \(f2(r.low))–\(f2(r.high)), tolerated ×\(f2(orTolerance)); BH q = \(SubgroupErasureCheck.formatP(r.q))). Informative missingness is clinical signal (a test not ordered, a visit missed); a model trained on the release learns a wrong missingness mechanism.",
            location: FindingLocation(table: .synthetic, columns: [r.column] + (outcome.map { [$0.column] } ?? [])),
            fingerprint: fingerprint(rule.id, "informative-\(what)", r.column),
            measurements: [Measurement("odds_ratio_real", exp(r.logORT)), Measurement("odds_ratio_synthetic", exp(r.logORS)),
                           Measurement("ratio", r.ratio), Measurement("ci_low", r.low), Measurement("ci_high", r.high),
                           Measurement("p_value", r.p), Measurement("q_value", r.q)])
    }

    static func points(_ share: Double) -> String { String(format: "%.1f percentage points", share * 100) }
    static func signedPoints(_ share: Double) -> String { String(format: "%+.1f points", share * 100) }
    private static func f2(_ x: Double) -> String { String(format: "%.2f", x) }

    private static func fingerprint(_ rule: String, _ kind: String, _ key: String) -> String {
        return FindingFingerprint.make(rule: rule, kind: "missingness-\(kind)", key: key)
    }
}
