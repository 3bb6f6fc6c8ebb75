import Foundation

/// Whether the release keeps the clinically important associations of the real data, overall and
/// in every protected subgroup: reversed, erased or Simpson-reversed associations, and
/// associations weakened or strengthened beyond a tolerance (bias-peers FID-002).
///
/// Definitions (a *pair* is two columns, declared in `pairs` as `a ~ b`, by default each numeric
/// or two-valued column with the declared outcome; a *cell* is the whole table or a protected
/// subgroup of `order`; only complete rows count):
/// - **Association.** Two two-valued columns: the log odds ratio with Woolf's interval (all four
///   training counts at least 11). Otherwise Spearman's ρ (or Pearson's, `coefficient`) with a
///   Fisher-z interval (Bonett & Wright 2000 for Spearman; at least `min_real_count` training
///   rows). A two-valued column enters a correlation as 0/1 (its positive value, for the outcome;
///   else its second label).
/// - **Judged** only when the real association is material: |ρ_T| ≥ `min_real_correlation` or
///   |ln OR_T| ≥ ln `min_real_odds_ratio` (FID-002 defaults 0.1 and 1.25).
/// - **Reversed**: both intervals exclude 0 with opposite signs. **Erased**: the real interval
///   excludes 0, the release's includes it, and the change (Zou 2007 MOVER interval; p-value of the
///   difference on the Fisher-z or log scale, Benjamini–Hochberg over every judged pair and cell)
///   lies wholly towards 0 with q < `alpha`. Both are judged with `judge: reversals` or `all`.
/// - **Weakened / strengthened** (`judge: strength` or `all`): the change interval lies wholly
///   beyond ±`max_correlation_change` (ρ scale; 0.2 is SDMetrics CorrelationSimilarity 0.9) or
///   beyond ×`max_odds_ratio_change` (FID-002: ln 1.5), with q < `alpha`.
/// - **Simpson reversal** (`reversals`/`all`): for a pair and one protected attribute, a table
///   shows Simpson's paradox when its whole-table association is significant with one sign while
///   every judged subgroup of the attribute has the other sign and at least one is significant; it
///   is reported when one table shows it and the other shows the same significant whole-table and
///   subgroup sign (so the release has invented or lost the paradox).
///
/// Nothing real is printed but associations (correlations, odds ratios) of cells with at least
/// `min_real_count` rows, and of 2×2 tables whose four real counts are all at least 11.
public struct AssociationPreservationCheck: Check {
    public static let kind = "association-preservation"
    public static let summary = "Compares clinically important associations (Spearman correlation, or the odds ratio of two two-valued columns) between the release and the training data, overall and per protected subgroup: reversed, erased and Simpson-reversed associations, and associations weakened or strengthened beyond a tolerance (Zou intervals for the change, Benjamini–Hochberg)."
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("pairs", .textList, default: .list([]),
                      doc: "Pairs as `column_a ~ column_b`; empty = each numeric or two-valued column (not an identifier, protected attribute or date) with the declared outcome."),
        ParameterSpec("judge", .choice(["all", "reversals", "strength"]), default: .text("all"),
                      doc: "`reversals`: reversed, erased and Simpson-reversed associations; `strength`: associations weakened or strengthened beyond the tolerance; `all`: both."),
        ParameterSpec("coefficient", .choice(["spearman", "pearson"]), default: .text("spearman"),
                      doc: "Correlation coefficient for pairs that are not two two-valued columns."),
        ParameterSpec("columns", .columns, default: .list([]),
                      doc: "Protected attributes the subgroups are made of; empty = the columns with the protected role (without any, only whole tables are compared)."),
        ParameterSpec("order", .integer(1...2), default: .integer(1),
                      doc: "1 = every protected attribute alone; 2 = also every pair."),
        ParameterSpec("min_real_count", .integer(11...1_000_000), default: .integer(30),
                      doc: "Complete training rows a cell needs for a correlation to be judged (at least 11: small-cell rule)."),
        ParameterSpec("min_real_correlation", .number(NumberBounds(0, 1)), default: .number(0.1),
                      doc: "Smallest |ρ| in the training data for an association to be judged (FID-002)."),
        ParameterSpec("min_real_odds_ratio", .number(NumberBounds(1, 100)), default: .number(1.25),
                      doc: "Smallest odds ratio (or its inverse) in the training data for an association to be judged (FID-002)."),
        ParameterSpec("max_correlation_change", .number(NumberBounds(0, 2, lowerInclusive: false)), default: .number(0.2),
                      doc: "Tolerated change of ρ (0.2 = SDMetrics CorrelationSimilarity 0.9)."),
        ParameterSpec("max_odds_ratio_change", .number(NumberBounds(1, 100, lowerInclusive: false)), default: .number(1.5),
                      doc: "Tolerated factor of change of an odds ratio (FID-002)."),
        ParameterSpec("alpha", .number(NumberBounds(0, 0.5, lowerInclusive: false)), default: .number(0.01),
                      doc: "False discovery rate (Benjamini–Hochberg) over every judged (pair, cell)."),
        ParameterSpec("confidence", .number(NumberBounds(0.5, 1, lowerInclusive: true, upperInclusive: false)), default: .number(0.95),
                      doc: "Confidence level of the intervals."),
        ParameterSpec("max_findings", .integer(0...1_000_000), default: .integer(1000),
                      doc: "Findings listed; the rest are counted in `findings_truncated`."),
    ]
    public static let measurements: [MeasurementSpec] = [
        MeasurementSpec("pairs_checked", "Pairs of columns compared."),
        MeasurementSpec("associations_judged", "(pair, cell) associations that are material in the training data and large enough to judge."),
        MeasurementSpec("associations_skipped_small", "(pair, cell) associations with too few training rows (or a real 2×2 count under 11)."),
        MeasurementSpec("associations_reversed", "Judged associations whose sign the release reverses."),
        MeasurementSpec("associations_erased", "Judged associations the release loses."),
        MeasurementSpec("associations_weakened", "Judged associations the release weakens beyond the tolerance."),
        MeasurementSpec("associations_strengthened", "Judged associations the release strengthens beyond the tolerance."),
        MeasurementSpec("simpson_reversals", "(pair, attribute) combinations where one table shows Simpson's paradox and the other does not."),
        MeasurementSpec("min_correlation_similarity", "Lowest SDMetrics-style CorrelationSimilarity 1 − |ρ_T − ρ_S|/2 over the judged correlations.", optional: true),
        MeasurementSpec("findings_truncated", "Findings counted but not listed because of max_findings.", optional: true),
    ]

    /// Creates the check.
    public init() {}

    /// A column as numbers per table (NaN = missing), and whether it has two values (0/1).
    struct Encoded {
        var name: String
        var values: [TableRole: [Double]]
        var binary: Bool
    }

    /// One judged association.
    struct Judged {
        var pair: (String, String)
        var cellKey: String
        var cellColumns: [String]
        var isOddsRatio: Bool
        var real: AssociationStatistics.Estimate
        var synthetic: AssociationStatistics.Estimate
        var changeLow: Double, changeHigh: Double, p: Double
        var q = 1.0
        var verdict: Verdict = .kept
    }

    enum Verdict: String { case kept, reversed, erased, weakened, strengthened, inconclusive }

    public func run(rule: RuleDescriptor, context: ScanContext) throws -> RuleOutcome {
        let p = rule.parameters, id = rule.id
        let judge = try p.text("judge", rule: id)
        let confidence = try p.number("confidence", rule: id)
        let z = Statistics.normalQuantile(0.5 + confidence / 2)
        let alpha = try p.number("alpha", rule: id)
        let minReal = try p.integer("min_real_count", rule: id)
        let minRho = try p.number("min_real_correlation", rule: id)
        let minOR = log(try p.number("min_real_odds_ratio", rule: id))
        let maxRhoChange = try p.number("max_correlation_change", rule: id)
        let maxORChange = log(try p.number("max_odds_ratio_change", rule: id))
        let spearman = try p.text("coefficient", rule: id) == "spearman"

        let pairs = try Self.pairs(rule: rule, context: context)
        func skipped(_ message: String) -> RuleOutcome {
            RuleOutcome(rule: rule, status: .skipped, level: rule.severity, message: message,
                        measurements: [Measurement("pairs_checked", Double(pairs.count))], findings: [])
        }
        guard !pairs.isEmpty else {
            return skipped("No pair of columns to compare: declare `pairs` (e.g. `hba1c ~ readmitted_30d`) or an outcome (roles.outcome) with numeric or two-valued columns beside it.")
        }
        let data = context.data
        guard data.train.rowCount > 0, data.synthetic.rowCount > 0 else { return skipped(ProtectedCells.emptyTables) }

        var encoded: [String: Encoded] = [:]
        for (a, b) in pairs {
            for name in [a, b] where encoded[name] == nil {
                guard let e = Self.encode(name, context: context) else {
                    throw CheckError.invalidParameter(rule: id, name: "pairs", reason: "names column '\(name)', which is neither numeric nor two-valued: associations are measured between numeric or two-valued columns")
                }
                encoded[name] = e
            }
        }
        let protected = try ProtectedCells.columns(for: rule, context: context)
        let index = protected.isEmpty ? nil : ProtectedCells.index(protected, order: try p.integer("order", rule: id), context: context)
        // The cells: the whole table, then the protected cells with their row masks.
        var cells: [(key: String, columns: [String], masks: [TableRole: [Bool]]?)] = [("all rows", [], nil)]
        for cell in index?.cells ?? [] where cell.train >= minReal && cell.synthetic > 0 {
            guard let mt = index?.rowMask(of: cell, in: .train), let ms = index?.rowMask(of: cell, in: .synthetic) else { continue }
            cells.append((cell.key, cell.columns, [.train: mt, .synthetic: ms]))
        }

        var judged: [Judged] = []
        var skippedSmall = 0
        // Estimates of every (pair, cell), judged or not, for the Simpson test.
        var estimates: [String: [String: (real: AssociationStatistics.Estimate, synthetic: AssociationStatistics.Estimate)]] = [:]
        for (a, b) in pairs {
            let ea = encoded[a]!, eb = encoded[b]!
            let pairKey = "\(a) ~ \(b)"
            for cell in cells where !cell.columns.contains(a) && !cell.columns.contains(b) {
                guard let est = Self.estimate(ea, eb, masks: cell.masks, spearman: spearman, minReal: minReal, z: z) else {
                    skippedSmall += 1
                    continue
                }
                estimates[pairKey, default: [:]][cell.key] = (est.real, est.synthetic)
                let material = est.isOddsRatio ? abs(est.real.value) >= minOR : abs(est.real.value) >= minRho
                guard material else { continue }
                let change = AssociationStatistics.change(real: est.real, synthetic: est.synthetic)
                judged.append(Judged(pair: (a, b), cellKey: cell.key, cellColumns: cell.columns, isOddsRatio: est.isOddsRatio,
                                     real: est.real, synthetic: est.synthetic, changeLow: change.low, changeHigh: change.high, p: change.p))
            }
        }
        let q = Statistics.benjaminiHochberg(judged.map(\.p))
        for i in judged.indices {
            judged[i].q = q[i]
            let j = judged[i]
            let r = j.real, s = j.synthetic
            let tolerance = j.isOddsRatio ? maxORChange : maxRhoChange
            if r.direction != 0, s.direction == -r.direction {
                judged[i].verdict = .reversed
            } else if r.direction != 0, s.direction == 0, j.q < alpha,
                      (r.direction > 0 ? j.changeHigh < 0 : j.changeLow > 0) {
                judged[i].verdict = .erased
            } else if j.q < alpha, j.changeLow > tolerance || j.changeHigh < -tolerance {
                let away = (j.changeLow > tolerance) == (r.value >= 0)
                judged[i].verdict = away ? .strengthened : .weakened
            } else if j.changeLow < -tolerance || j.changeHigh > tolerance {
                judged[i].verdict = .inconclusive
            }
        }
        let simpson = judge == "strength" ? [] : Self.simpsonReversals(estimates: estimates, index: index)

        let wantsReversals = judge != "strength", wantsStrength = judge != "reversals"
        let failing = judged.filter {
            (wantsReversals && ($0.verdict == .reversed || $0.verdict == .erased))
                || (wantsStrength && ($0.verdict == .weakened || $0.verdict == .strengthened))
        }
        func count(_ v: Verdict) -> Double { Double(judged.filter { $0.verdict == v }.count) }
        var m: [Measurement] = [
            Measurement("pairs_checked", Double(pairs.count)),
            Measurement("associations_judged", Double(judged.count)),
            Measurement("associations_skipped_small", Double(skippedSmall)),
            Measurement("associations_reversed", count(.reversed)),
            Measurement("associations_erased", count(.erased)),
            Measurement("associations_weakened", count(.weakened)),
            Measurement("associations_strengthened", count(.strengthened)),
            Measurement("simpson_reversals", Double(simpson.count)),
        ]
        if let v = judged.filter({ !$0.isOddsRatio }).map({ 1 - abs($0.real.value - $0.synthetic.value) / 2 }).min() {
            m.append(Measurement("min_correlation_similarity", v))
        }

        var findings = failing.map { Self.finding($0, rule: rule, confidence: confidence) }
        findings += simpson.map { s in
            Finding(ruleID: id, level: rule.severity,
                    message: "Simpson's paradox for \(s.pair) across \(s.attribute): \(s.inRelease ? "the release shows it and the training data does not" : "the training data shows it and the release does not") (whole-table association \(s.pooledSign > 0 ? "positive" : "negative") in \(s.inRelease ? "the release" : "the training data"), every subgroup of \(s.attribute) the other way). Conclusions drawn across subgroups from the release would be wrong.",
                    location: FindingLocation(table: .synthetic, columns: s.columns + [s.attribute]),
                    fingerprint: Self.fingerprint(id, "simpson", "\(s.pair)\u{0}\(s.attribute)"), measurements: [])
        }
        let maxFindings = try p.integer("max_findings", rule: id)
        if findings.count > maxFindings {
            m.append(Measurement("findings_truncated", Double(findings.count - maxFindings)))
            findings = Array(findings.prefix(maxFindings))
        }

        var parts: [String] = []
        if failing.isEmpty && simpson.isEmpty {
            parts.append("The release keeps the \(judged.count) material associations judged (\(pairs.count) pairs, overall and per subgroup; \(Int(count(.inconclusive))) inconclusive)")
        } else {
            let names = failing.prefix(5).map { "\($0.pair.0) ~ \($0.pair.1) in \($0.cellKey) (\($0.verdict.rawValue))" }
            parts.append("\(failing.count + simpson.count) of \(judged.count) associations judged are distorted in the release: \((names + simpson.prefix(3).map { "Simpson reversal of \($0.pair) across \($0.attribute)" }).joined(separator: "; "))\(failing.count > 5 ? " and more" : "")")
        }
        if skippedSmall > 0 { parts.append("\(skippedSmall) (pair, subgroup) associations had too few training rows to judge") }
        return RuleOutcome(rule: rule, status: failing.isEmpty && simpson.isEmpty ? .pass : .fail, level: rule.severity,
                           message: parts.joined(separator: ". ") + ".", measurements: m, findings: findings)
    }

    // MARK: - Pairs and encoding

    /// The declared pairs, or each eligible column with the outcome.
    static func pairs(rule: RuleDescriptor, context: ScanContext) throws -> [(String, String)] {
        let listed = try rule.parameters.list("pairs", rule: rule.id)
        if !listed.isEmpty {
            return try listed.map { entry in
                let parts = entry.components(separatedBy: "~").map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, parts[0] != parts[1] else {
                    throw CheckError.invalidParameter(rule: rule.id, name: "pairs", reason: "entry '\(entry)' is not of the form `column_a ~ column_b`")
                }
                for c in parts where context.schema.index(of: c) == nil { throw CheckError.unknownColumn(rule: rule.id, column: c) }
                return (parts[0], parts[1])
            }
        }
        guard let outcome = context.configuration.roles.outcome, context.schema.index(of: outcome.column) != nil else { return [] }
        return context.schema.columns.filter { c in
            c.name != outcome.column && c.type != .datetime && c.type != .text
                && c.roles.isDisjoint(with: [.identifier, .ignored, .protected])
                && isEncodable(c.name, context: context)
        }.map { ($0.name, outcome.column) }
    }

    /// Whether `encode` would accept the column (numeric storage, or two labels), without encoding it.
    static func isEncodable(_ name: String, context: ScanContext) -> Bool {
        guard let column = context.data.train.column(named: name) else { return false }
        switch column.storage {
        case .numeric: return true
        case .coded(_, let dictionary): return dictionary.count == 2
        }
    }

    /// A column as numbers: numeric values, or 0/1 for a two-valued column (the outcome's positive
    /// value is 1; otherwise the second label in dictionary order). Nil for other columns.
    static func encode(_ name: String, context: ScanContext) -> Encoded? {
        let data = context.data
        guard let index = data.schema.index(of: name) else { return nil }
        var values: [TableRole: [Double]] = [:]
        if let outcome = context.configuration.roles.outcome, outcome.column == name {
            let flags = OutcomeDisparityAmplificationCheck.positiveFlags(data: data, column: index, positive: outcome.positiveValue)
            for table in data.tables {
                let column = table.columns[index]
                values[table.role] = (0..<table.rowCount).map { column.isMissing($0) ? .nan : (flags[table.role]?[$0] == true ? 1 : 0) }
            }
            return Encoded(name: name, values: values, binary: true)
        }
        var binary = true
        for table in data.tables {
            switch table.columns[index].storage {
            case .numeric(let v, let mask):
                values[table.role] = v.indices.map { mask.isMissing($0) ? .nan : v[$0] }
            case .coded(let codes, let dictionary):
                guard dictionary.count == 2 else { return nil }
                values[table.role] = codes.map { $0 == Column.missingCode ? .nan : Double($0) }
            }
        }
        if data.schema.columns[index].type.isNumericStorage {
            binary = values.values.allSatisfy { $0.allSatisfy { $0.isNaN || $0 == 0 || $0 == 1 } }
        }
        return Encoded(name: name, values: values, binary: binary)
    }

    /// The association of `a` and `b` in the rows of `masks` (all rows when nil), on each table.
    static func estimate(_ a: Encoded, _ b: Encoded, masks: [TableRole: [Bool]]?, spearman: Bool, minReal: Int, z: Double)
        -> (real: AssociationStatistics.Estimate, synthetic: AssociationStatistics.Estimate, isOddsRatio: Bool)? {
        func complete(_ role: TableRole) -> (x: [Double], y: [Double]) {
            let xs = a.values[role] ?? [], ys = b.values[role] ?? [], mask = masks?[role]
            var x: [Double] = [], y: [Double] = []
            for r in xs.indices where (mask?[r] ?? true) && !xs[r].isNaN && !ys[r].isNaN {
                x.append(xs[r]); y.append(ys[r])
            }
            return (x, y)
        }
        let (xt, yt) = complete(.train), (xs, ys) = complete(.synthetic)
        if a.binary && b.binary {
            func table(_ x: [Double], _ y: [Double]) -> (Int, Int, Int, Int) {
                var t = (0, 0, 0, 0)
                for i in x.indices {
                    switch (x[i] == 1, y[i] == 1) {
                    case (true, true): t.0 += 1
                    case (true, false): t.1 += 1
                    case (false, true): t.2 += 1
                    case (false, false): t.3 += 1
                    }
                }
                return t
            }
            let rt = table(xt, yt), st = table(xs, ys)
            guard [rt.0, rt.1, rt.2, rt.3].allSatisfy({ $0 > SmallCellGuard.threshold }), xs.count >= 4 else { return nil }
            return (AssociationStatistics.logOddsRatio(a: rt.0, b: rt.1, c: rt.2, d: rt.3, z: z),
                    AssociationStatistics.logOddsRatio(a: st.0, b: st.1, c: st.2, d: st.3, z: z), true)
        }
        guard xt.count >= minReal, xs.count >= 4 else { return nil }
        let coefficient: CorrelationSimilarity.Coefficient = spearman ? .spearman : .pearson
        guard let rhoT = CorrelationSimilarity.correlation(xt, yt, coefficient), let rhoS = CorrelationSimilarity.correlation(xs, ys, coefficient),
              let r = AssociationStatistics.correlation(rhoT, n: xt.count, spearman: spearman, z: z),
              let s = AssociationStatistics.correlation(rhoS, n: xs.count, spearman: spearman, z: z) else { return nil }
        return (r, s, false)
    }

    // MARK: - Simpson's paradox

    struct Simpson {
        var pair: String
        var columns: [String]
        var attribute: String
        var inRelease: Bool
        var pooledSign: Int
    }

    /// A table shows Simpson's paradox for a pair across one attribute when its whole-table
    /// association is significant with one sign while every subgroup of that attribute (at least
    /// two) has the other sign, one of them significantly.
    static func simpsonReversals(estimates: [String: [String: (real: AssociationStatistics.Estimate, synthetic: AssociationStatistics.Estimate)]],
                                 index: CellIndex?) -> [Simpson] {
        guard let index else { return [] }
        var found: [Simpson] = []
        for (pair, byCell) in estimates.sorted(by: { $0.key < $1.key }) {
            guard let pooled = byCell["all rows"] else { continue }
            for attribute in index.columns {
                let members = index.cells.filter { $0.columns == [attribute] }.compactMap { byCell[$0.key] }
                guard members.count >= 2 else { continue }
                func paradox(_ pick: ((real: AssociationStatistics.Estimate, synthetic: AssociationStatistics.Estimate)) -> AssociationStatistics.Estimate) -> Int? {
                    let whole = pick(pooled).direction
                    guard whole != 0 else { return nil }
                    let signs = members.map { pick($0).value }
                    let opposite = signs.allSatisfy { whole > 0 ? $0 < 0 : $0 > 0 }
                    let oneSignificant = members.contains { pick($0).direction == -whole }
                    return opposite && oneSignificant ? whole : nil
                }
                func agrees(_ pick: ((real: AssociationStatistics.Estimate, synthetic: AssociationStatistics.Estimate)) -> AssociationStatistics.Estimate) -> Bool {
                    let whole = pick(pooled).direction
                    return whole != 0 && members.contains { pick($0).direction == whole }
                }
                let columns = pair.components(separatedBy: " ~ ")
                if let sign = paradox({ $0.real }), agrees({ $0.synthetic }) {
                    found.append(Simpson(pair: pair, columns: columns, attribute: attribute, inRelease: false, pooledSign: sign))
                } else if let sign = paradox({ $0.synthetic }), agrees({ $0.real }) {
                    found.append(Simpson(pair: pair, columns: columns, attribute: attribute, inRelease: true, pooledSign: sign))
                }
            }
        }
        return found
    }

    // MARK: - Findings

    static func finding(_ j: Judged, rule: RuleDescriptor, confidence: Double) -> Finding {
        let level = PlausibilityRuleCheck.percentLabel(confidence)
        let what: String, figures: String
        if j.isOddsRatio {
            what = "odds ratio"
            figures = "\(f(exp(j.real.value))) in training (\(level) CI \(f(exp(j.real.low)))–\(f(exp(j.real.high)))) vs \(f(exp(j.synthetic.value))) in the release (\(f(exp(j.synthetic.low)))–\(f(exp(j.synthetic.high))))"
        } else {
            what = "correlation"
            figures = "\(f(j.real.value)) in training (\(level) CI \(f(j.real.low)) to \(f(j.real.high))) vs \(f(j.synthetic.value)) in the release (\(f(j.synthetic.low)) to \(f(j.synthetic.high)))"
        }
        let scope = j.cellColumns.isEmpty ? "over all rows" : "in subgroup \(j.cellKey)"
        let consequence: String
        switch j.verdict {
        case .reversed: consequence = "The release reverses the direction of the association: a study run on it would draw the opposite conclusion."
        case .erased: consequence = "The release erases the association: a study run on it would miss a real effect."
        case .weakened: consequence = "The release weakens the association beyond the tolerance."
        case .strengthened: consequence = "The release exaggerates the association beyond the tolerance."
        default: consequence = ""
        }
        return Finding(
            ruleID: rule.id, level: rule.severity,
            message: "Association \(j.pair.0) ~ \(j.pair.1) \(scope) is \(j.verdict.rawValue): \(what) \(figures); change \(j.isOddsRatio ? "(log scale) " : "")\(f(j.changeLow)) to \(f(j.changeHigh)); BH q = \(SubgroupErasureCheck.formatP(j.q)). \(consequence)",
            location: FindingLocation(table: .synthetic, columns: [j.pair.0, j.pair.1] + j.cellColumns, subgroup: j.cellColumns.isEmpty ? nil : j.cellKey),
            fingerprint: fingerprint(rule.id, j.verdict.rawValue, "\(j.pair.0)\u{0}\(j.pair.1)\u{0}\(j.cellKey)"),
            measurements: [Measurement(j.isOddsRatio ? "log_odds_ratio_real" : "correlation_real", j.real.value),
                           Measurement(j.isOddsRatio ? "log_odds_ratio_synthetic" : "correlation_synthetic", j.synthetic.value),
                           Measurement("ci_low", j.changeLow), Measurement("ci_high", j.changeHigh),
                           Measurement("p_value", j.p), Measurement("q_value", j.q)])
    }

    private static func f(_ x: Double) -> String { String(format: "%.3f", x) }

    private static func fingerprint(_ rule: String, _ kind: String, _ key: String) -> String {
        return FindingFingerprint.make(rule: rule, kind: "association-\(kind)", key: key)
    }
}
