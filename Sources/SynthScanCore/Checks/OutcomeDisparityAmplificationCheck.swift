import Foundation

/// Outcome disparities between protected subgroups that the synthetic release amplifies,
/// attenuates or reverses relative to the training data.
///
/// Definitions (train = R, synthetic = S; a *cell* g is a level or pair of levels of the protected
/// attributes, see `CellIndex`; its *family* is the cells defined on the same attributes):
/// - **Rate.** rate_X(g) = positives / rows of g in table X, a positive being a row whose outcome
///   (`roles.outcome`) equals the declared positive value; a missing outcome counts as not positive.
/// - **Reference group** r of a family: its cell with the most training rows, or the cell named by
///   `reference` (`column=level` entries; a pair family uses the named levels of both attributes).
/// - **Disparity** DI_X(g) = rate_X(g) / rate_X(r): the disparate-impact (selection-rate) ratio of
///   Fairlearn's `demographic_parity_ratio` and Aequitas' disparity relative to a reference group.
/// - **Amplification ratio** A(g) = DI_S(g) / DI_R(g); 1 = the release keeps the real disparity.
/// - **Interval.** Katz et al. (1978) log interval of a rate ratio: Var(log DI) = 1/a − 1/n_g + 1/c − 1/n_r
///   (a, c positives of g and r; n_g, n_r rows), with 0.5 added to every cell of the 2×2 table when
///   one of them is 0. Var(log A) = Var_S(log DI_S) (+ Var_R(log DI_R) when `real_uncertainty`);
///   interval exp(log A ± z·SE) at `confidence`; p-value two-sided z-test of log A = 0, corrected
///   across the judged cells by Benjamini & Hochberg (1995).
/// - **Verdict** per judged cell (n_R(g) ≥ `min_real_count`, g not the reference): **fail** when the
///   interval lies entirely above `max_amplification` or entirely below 1 / `max_amplification`
///   and q < `alpha`: **amplified** when the release moves the disparity farther from parity
///   (A on the same side of 1 as DI_R, or DI_R = 1), **attenuated** when it moves it toward or past parity; **inconclusive** when the interval
///   contains a band edge, or lies outside the band without q < `alpha`; **pass** otherwise. A cell
///   is **reversed** when DI_R and DI_S lie on opposite sides of 1 with both their own intervals
///   excluding 1; a failing reversed cell is reported as reversed.
///
/// Why the training variance is left out by default: the question is whether the generator is
/// faithful to the training data it was given (as for `subgroup-erasure`, the null is a sampler of
/// the training distribution), so the training disparity is the fixed target and only the release's
/// sampling error matters. `real_uncertainty: true` asks the two-sample question instead (would the
/// disparity differ in another sample of the population), which needs far larger groups.
///
/// Small cells: no figure from which a real count of 1 to 10 could be derived is printed. When
/// the real positives of g or r number 1 to 10 the real rate, DI_R, A and its interval are printed
/// as "suppressed (small cell)" and left out of the measurements; counts print via `SmallCellGuard`.
public struct OutcomeDisparityAmplificationCheck: Check {
    public static let kind = "outcome-disparity-amplification"
    public static let summary = "Compares, for a binary outcome, each protected subgroup's outcome-rate ratio to a reference group (disparate impact) in the release with the training data, and finds disparities the release amplifies, attenuates or reverses (Katz log interval of the amplification ratio, Benjamini–Hochberg)."
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("columns", .columns, default: .list([]),
                      doc: "Protected attributes the cells are made of; empty = the columns with the protected role (the rule is skipped when there are none). Numeric and datetime attributes need `bands` in the configuration."),
        ParameterSpec("order", .integer(1...2), default: .integer(2),
                      doc: "1 = every attribute alone; 2 = also every pair of attributes."),
        ParameterSpec("reference", .textList, default: .list([]),
                      doc: "Reference levels as `column=level` entries (e.g. `race_ethnicity=White`); a family without a named level uses its largest cell in the training data."),
        ParameterSpec("min_real_count", .integer(11...1_000_000), default: .integer(20),
                      doc: "Training rows a cell (and its reference) needs to be judged; at least 11 (small-cell rule)."),
        ParameterSpec("max_amplification", .number(NumberBounds(1, 100, lowerInclusive: false)), default: .number(1.25),
                      doc: "Band of tolerated amplification ratios [1/x, x]; a cell fails only when its whole interval lies outside it (1.25: the four-fifths rule's tolerance, applied to the change of disparity)."),
        ParameterSpec("alpha", .number(NumberBounds(0, 0.5, lowerInclusive: false)), default: .number(0.01),
                      doc: "False discovery rate over the judged cells (Benjamini–Hochberg on the z-test of log A = 0)."),
        ParameterSpec("confidence", .number(NumberBounds(0.5, 1, lowerInclusive: true, upperInclusive: false)), default: .number(0.95),
                      doc: "Level of the intervals (0.90 tests each band edge one-sided at 5%, as in two one-sided tests)."),
        ParameterSpec("real_uncertainty", .boolean, default: .boolean(true),
                      doc: "Add the training table's Katz variance to the interval (a two-sample comparison: a release of unseen real records then passes); false treats the training disparity as a fixed target (only the release's sampling error counts)."),
        ParameterSpec("max_findings", .integer(0...1_000_000), default: .integer(1000),
                      doc: "Findings listed; the rest are counted in `findings_truncated`."),
    ]
    public static let measurements: [MeasurementSpec] = [
        MeasurementSpec("cells_judged", "Cells (other than their family's reference) with at least min_real_count training rows, a judgeable reference, and positives in the reference of both tables."),
        MeasurementSpec("cells_skipped_small", "Cells with 1 to min_real_count − 1 training rows (or whose reference has), not judged."),
        MeasurementSpec("cells_amplified", "Failing cells whose disparity the release moves farther from parity (interval of A outside the band, on the same side of 1 as DI_R)."),
        MeasurementSpec("cells_attenuated", "Failing cells whose disparity the release moves toward or past parity."),
        MeasurementSpec("cells_reversed", "Judged cells whose disparity lies on the other side of 1 in the release, both intervals excluding 1."),
        MeasurementSpec("cells_inconclusive", "Judged cells whose interval contains a band edge, or lies outside the band without BH significance."),
        MeasurementSpec("max_amplification_ratio", "Largest amplification ratio DI_S/DI_R over the judged cells whose real figures may be shown.", optional: true),
        MeasurementSpec("min_amplification_ratio", "Smallest amplification ratio over the judged cells whose real figures may be shown.", optional: true),
        MeasurementSpec("outcome_rate_real", "Share of training rows with the positive outcome (left out when the positives number 1 to 10).", optional: true),
        MeasurementSpec("outcome_rate_synthetic", "Share of synthetic rows with the positive outcome.", optional: true),
        MeasurementSpec("findings_truncated", "Findings counted but not listed because of max_findings.", optional: true),
    ]

    /// Creates the check.
    public init() {}

    /// The verdict of one judged cell.
    enum Verdict: String { case amplified, attenuated, inconclusive, pass }

    /// One judged cell.
    struct JudgedCell {
        var cell: CellIndex.Cell
        var reference: CellIndex.Cell
        var posR: Int, posS: Int, refPosR: Int, refPosS: Int
        var diR: Double, diS: Double, ratio: Double
        var low: Double, high: Double
        var pValue: Double
        var qValue = 1.0
        var reversed = false
        var verdict = Verdict.pass
        /// Whether the real figures may be printed (no real positives count of 1 to 10).
        var realShown: Bool
    }

    /// Log rate ratio and its Katz variance for a positives of n against c positives of m, with the
    /// 0.5 continuity correction of every 2×2 cell when one of them is 0.
    static func katz(a: Int, n: Int, c: Int, m: Int) -> (log: Double, variance: Double) {
        var a = Double(a), n = Double(n), c = Double(c), m = Double(m)
        if a == 0 || a == n || c == 0 || c == m { a += 0.5; n += 1; c += 0.5; m += 1 }
        return (log(a / n) - log(c / m), 1 / a - 1 / n + 1 / c - 1 / m)
    }

    /// Positive-outcome flags per row of each table: a label equal to the positive value (numerically
    /// equal for numbers; true/yes and false/no alike for booleans); missing is never positive.
    static func positiveFlags(data: LoadedDatasets, column: Int, positive: String) -> [TableRole: [Bool]] {
        let wanted = positive.trimmingCharacters(in: .whitespaces)
        let wantedNumber = Double(wanted)
        let wantedBoolean = BooleanTokens.value(of: Array(wanted.utf8))
        var flags: [TableRole: [Bool]] = [:]
        for table in data.tables {
            switch table.columns[column].storage {
            case .coded(let codes, let dictionary):
                let positives = Set(dictionary.labels.indices.filter { i in
                    let label = dictionary.labels[i].trimmingCharacters(in: .whitespaces)
                    if label == wanted { return true }
                    if let w = wantedNumber, let v = Double(label) { return v == w }
                    // Boolean columns are stored as false/true: `positive: yes` matches `true`.
                    if let w = wantedBoolean, let v = BooleanTokens.value(of: Array(label.utf8)) { return v == w }
                    return false
                }.map { UInt32($0) })
                flags[table.role] = codes.map { $0 != Column.missingCode && positives.contains($0) }
            case .numeric(let values, let missing):
                guard let w = wantedNumber else { flags[table.role] = [Bool](repeating: false, count: values.count); continue }
                flags[table.role] = values.indices.map { !missing.isMissing($0) && values[$0] == w }
            }
        }
        return flags
    }

    public func run(rule: RuleDescriptor, context: ScanContext) throws -> RuleOutcome {
        let parameters = rule.parameters
        let id = rule.id
        let protected = try ProtectedCells.columns(for: rule, context: context)
        let order = try parameters.integer("order", rule: id)
        let referenceList = try parameters.list("reference", rule: id)
        let minReal = try parameters.integer("min_real_count", rule: id)
        let band = try parameters.number("max_amplification", rule: id)
        let alpha = try parameters.number("alpha", rule: id)
        let confidence = try parameters.number("confidence", rule: id)
        let realUncertainty = try parameters.boolean("real_uncertainty", rule: id)
        let maxFindings = try parameters.integer("max_findings", rule: id)
        let data = context.data
        let nS = data.synthetic.rowCount, nT = data.train.rowCount

        func skipped(_ message: String) -> RuleOutcome {
            RuleOutcome(rule: rule, status: .skipped, level: rule.severity, message: message, measurements: [], findings: [])
        }
        guard let outcomeSpec = context.configuration.roles.outcome else {
            return skipped("No outcome is declared (roles.outcome: column and positive value in the configuration): there is no outcome rate to compare.")
        }
        guard let outcomeIndex = context.schema.index(of: outcomeSpec.column) else {
            return skipped("The outcome column \(outcomeSpec.column) is not in the data: there is no outcome rate to compare.")
        }
        guard !protected.isEmpty else {
            return skipped(ProtectedCells.noProtectedAttribute)
        }
        guard nS > 0, nT > 0 else { return skipped(ProtectedCells.emptyTables) }

        var referenceLevels: [String: String] = [:]
        for entry in referenceList {
            let parts = entry.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, context.schema.index(of: parts[0]) != nil else { throw CheckError.unknownColumn(rule: id, column: entry) }
            referenceLevels[parts[0]] = parts[1]
        }

        let index = ProtectedCells.index(protected.filter { $0 != outcomeSpec.column }, order: order, context: context)
        let flags = Self.positiveFlags(data: data, column: outcomeIndex, positive: outcomeSpec.positiveValue)
        let positives = index.counts(where: flags)
        func pos(_ key: String, _ role: TableRole) -> Int {
            guard let v = positives[key] else { return 0 }
            return role == .train ? v.train : role == .synthetic ? v.synthetic : v.holdout
        }
        let totalPosR = flags[.train]?.filter { $0 }.count ?? 0
        let totalPosS = flags[.synthetic]?.filter { $0 }.count ?? 0

        // Families and their references.
        var families: [[String]: [CellIndex.Cell]] = [:]
        var familyOrder: [[String]] = []
        for cell in index.cells {
            if families[cell.columns] == nil { familyOrder.append(cell.columns) }
            families[cell.columns, default: []].append(cell)
        }
        let z = Statistics.normalQuantile(0.5 + confidence / 2)
        let small = 1...SmallCellGuard.threshold
        var judged: [JudgedCell] = []
        var skippedSmall = 0
        for columns in familyOrder {
            let members = families[columns]!
            let named = columns.allSatisfy { referenceLevels[$0] != nil }
                ? columns.map { "\($0)=\(referenceLevels[$0]!)" }.joined(separator: " & ") : nil
            let reference: CellIndex.Cell?
            if let named { reference = members.first { $0.key == named } }
            else { reference = members.max { $0.train < $1.train || ($0.train == $1.train && $0.key > $1.key) } }
            for cell in members where cell.train > 0 && cell.key != reference?.key {
                guard let r = reference, cell.train >= minReal, r.train >= minReal, cell.synthetic > 0, r.synthetic > 0 else {
                    skippedSmall += 1; continue
                }
                let a = pos(cell.key, .train), c = pos(r.key, .train)
                let aS = pos(cell.key, .synthetic), cS = pos(r.key, .synthetic)
                let real = Self.katz(a: a, n: cell.train, c: c, m: r.train)
                let synth = Self.katz(a: aS, n: cell.synthetic, c: cS, m: r.synthetic)
                let logA = synth.log - real.log
                let se = (synth.variance + (realUncertainty ? real.variance : 0)).squareRoot()
                let p = se > 0 ? erfc(abs(logA / se) / 2.0.squareRoot()) : (logA == 0 ? 1 : 0)
                let reversed = (real.log - z * real.variance.squareRoot() > 0 && synth.log + z * synth.variance.squareRoot() < 0)
                    || (real.log + z * real.variance.squareRoot() < 0 && synth.log - z * synth.variance.squareRoot() > 0)
                judged.append(JudgedCell(cell: cell, reference: r, posR: a, posS: aS, refPosR: c, refPosS: cS,
                                         diR: exp(real.log), diS: exp(synth.log), ratio: exp(logA),
                                         low: exp(logA - z * se), high: exp(logA + z * se), pValue: p, reversed: reversed,
                                         realShown: !small.contains(a) && !small.contains(c)))
            }
        }
        let q = Statistics.benjaminiHochberg(judged.map(\.pValue))
        for i in judged.indices {
            judged[i].qValue = q[i]
            let j = judged[i]
            if j.low > band || j.high < 1 / band {
                // Amplified: the release moves the disparity farther from parity (or creates one).
                let farther = j.diR == 1 || (j.ratio > 1) == (j.diR > 1)
                judged[i].verdict = j.qValue < alpha ? (farther ? .amplified : .attenuated) : .inconclusive
            } else if (j.low <= band && j.high >= band) || (j.low <= 1 / band && j.high >= 1 / band) {
                judged[i].verdict = .inconclusive
            }
        }
        let failing = judged.filter { $0.verdict == .amplified || $0.verdict == .attenuated }

        // Measurements.
        var m: [Measurement] = [
            Measurement("cells_judged", Double(judged.count)),
            Measurement("cells_skipped_small", Double(skippedSmall)),
            Measurement("cells_amplified", Double(failing.filter { $0.verdict == .amplified }.count)),
            Measurement("cells_attenuated", Double(failing.filter { $0.verdict == .attenuated }.count)),
            Measurement("cells_reversed", Double(judged.filter(\.reversed).count)),
            Measurement("cells_inconclusive", Double(judged.filter { $0.verdict == .inconclusive }.count)),
        ]
        let shown = judged.filter(\.realShown)
        if let v = shown.map(\.ratio).max() { m.append(Measurement("max_amplification_ratio", v)) }
        if let v = shown.map(\.ratio).min() { m.append(Measurement("min_amplification_ratio", v)) }
        if !small.contains(totalPosR) { m.append(Measurement("outcome_rate_real", Double(totalPosR) / Double(nT))) }
        m.append(Measurement("outcome_rate_synthetic", Double(totalPosS) / Double(nS)))

        // Findings.
        let suppressed = "suppressed (small cell)"
        var findings: [Finding] = []
        for j in failing {
            let c = j.cell
            let what = j.reversed ? "reversed" : j.verdict.rawValue
            var fm = [Measurement("synthetic_rate", Double(j.posS) / Double(c.synthetic)),
                      Measurement("di_synthetic", j.diS), Measurement("p_value", j.pValue), Measurement("q_value", j.qValue)]
            let realPart: String
            if j.realShown {
                fm += [Measurement("real_rate", Double(j.posR) / Double(c.train)), Measurement("di_real", j.diR),
                       Measurement("amplification_ratio", j.ratio), Measurement("ci_low", j.low), Measurement("ci_high", j.high)]
                realPart = "\(outcomeSpec.column)=\(outcomeSpec.positiveValue) rate \(Format.percent(Double(j.posR) / Double(c.train))) in training (\(SmallCellGuard.format(c.train)) rows) vs \(Format.percent(Double(j.posS) / Double(c.synthetic))) in the release; disparity vs \(j.reference.key) DI_R = \(Self.f(j.diR)), DI_S = \(Self.f(j.diS)); amplification A = \(Self.f(j.ratio)) (\(Self.pct(confidence)) interval \(Self.f(j.low))–\(Self.f(j.high)))"
            } else {
                realPart = "\(outcomeSpec.column)=\(outcomeSpec.positiveValue) rate in training \(suppressed) vs \(Format.percent(Double(j.posS) / Double(c.synthetic))) in the release; disparity vs \(j.reference.key) DI_R = \(suppressed), DI_S = \(Self.f(j.diS)); amplification A = \(suppressed)"
            }
            let effect = j.reversed
                ? "the release reverses the direction of the real disparity"
                : j.verdict == .amplified ? "the release exaggerates the real disparity beyond the tolerated ×\(Self.f(band)) change"
                : "the release shrinks the real disparity beyond the tolerated ×\(Self.f(band)) change"
            findings.append(Finding(
                ruleID: id, level: rule.severity,
                message: "Outcome disparity of subgroup \(c.key) is \(what): \(realPart); BH q = \(SubgroupErasureCheck.formatP(j.qValue)). \(effect.prefix(1).uppercased() + effect.dropFirst()): a model trained on it learns a distorted \(outcomeSpec.column) gap for these patients.",
                location: FindingLocation(table: .synthetic, columns: c.columns, subgroup: c.key),
                fingerprint: Self.fingerprint(id, what, c.key), measurements: fm))
        }
        if findings.count > maxFindings {
            m.append(Measurement("findings_truncated", Double(findings.count - maxFindings)))
            findings = Array(findings.prefix(maxFindings))
        }

        // Message.
        var parts: [String] = []
        if failing.isEmpty {
            parts.append("No outcome disparity of the \(judged.count) protected subgroups judged is amplified or attenuated beyond ×\(Self.f(band)) in the release (\(judged.filter { $0.verdict == .inconclusive }.count) inconclusive)")
        } else {
            let names = failing.prefix(5).map { "\($0.cell.key) (\($0.reversed ? "reversed" : $0.verdict.rawValue)\($0.realShown ? ", A = \(Self.f($0.ratio))" : ""))" }.joined(separator: "; ")
            parts.append("\(failing.count) of \(judged.count) protected subgroups have their \(outcomeSpec.column)=\(outcomeSpec.positiveValue) disparity distorted in the release: \(names)\(failing.count > 5 ? " and \(failing.count - 5) more" : "")")
        }
        if skippedSmall > 0 { parts.append("\(skippedSmall) subgroups with fewer than \(minReal) training rows (or a too small reference) were not judged") }
        if !index.unbandedColumns.isEmpty {
            parts.append("Numeric protected attributes without `bands` in the configuration were left out: \(index.unbandedColumns.joined(separator: ", "))")
        }
        var outcome = RuleOutcome(rule: rule, status: failing.isEmpty ? .pass : .fail, level: rule.severity,
                                  message: parts.joined(separator: ". ") + ".", measurements: m, findings: findings)
        // Chart figures: outcome rates of the one-attribute cells.
        var status: [String: String] = [:]
        for j in judged { status[j.cell.key] = j.reversed && j.verdict != .pass ? "reversed" : j.verdict.rawValue }
        let withheld = index.marginsRevealingSmallCells
        for columns in familyOrder where columns.count == 1 {
            let members = families[columns]!.filter { $0.train > 0 || $0.synthetic > 0 }
            let named = referenceLevels[columns[0]].map { "\(columns[0])=\($0)" }
            let reference = named.flatMap { n in members.first { $0.key == n } }
                ?? members.max { $0.train < $1.train || ($0.train == $1.train && $0.key > $1.key) }
            // Real rates are withheld where a count, positives or negatives of 1 to 10 (or a margin
            // revealing a small pair cell) could be derived, with complementary suppression: the
            // rates of one attribute add up, with the shares, to the printed overall rate.
            let unsafe = Set(members.filter { c in
                let p = pos(c.key, .train)
                return SmallCellGuard.isSmall(c.train) || SmallCellGuard.isSmall(p) || SmallCellGuard.isSmall(c.train - p)
                    || withheld.contains(c.key)
            }.map(\.key))
            // Findings print the real rate of failing cells, and through DI_R their reference's.
            var printed = Set(failing.filter { $0.realShown && $0.cell.columns == columns }.map(\.cell.key))
            if !printed.isEmpty, let r = reference { printed.insert(r.key) }
            let hidden = GroupFigure.withheld(members.map { ($0.key, $0.train) }, unsafe: unsafe, printed: printed)
            for c in members {
                outcome.groupFigures.append(GroupFigure(
                    group: c.key, columns: c.columns,
                    real: hidden.contains(c.key) ? nil : .wilson(pos(c.key, .train), of: c.train),
                    synthetic: .wilson(pos(c.key, .synthetic), of: c.synthetic),
                    status: c.key == reference?.key ? "reference" : status[c.key] ?? "not-judged"))
            }
        }
        return outcome
    }

    private static func f(_ x: Double) -> String { String(format: "%.3f", x) }
    private static func pct(_ x: Double) -> String { ParameterValue.format(x * 100) + "%" }

    private static func fingerprint(_ rule: String, _ kind: String, _ key: String) -> String {
        return FindingFingerprint.make(rule: rule, kind: kind, key: key)
    }
}
