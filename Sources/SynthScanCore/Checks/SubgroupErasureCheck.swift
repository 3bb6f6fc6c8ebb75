import Foundation

/// Subgroups and categories of the real data that the synthetic release leaves out, or nearly.
///
/// Definitions (train = T with N_T rows, synthetic = S with N_S rows; a *cell* is a combination of
/// levels of the protected attributes up to `order`, see `CellIndex`; p_R(g) = n_T(g) / N_T):
/// - **Faithful sampler.** A generator that draws N_S records independently from the training
///   distribution puts X_g ~ Binomial(N_S, p_R(g)) records in cell g: expected N_S·p_R(g), and it
///   misses the cell altogether with probability (1 − p_R(g))^{N_S}.
/// - **Cells judged.** Cells with n_T(g) ≥ `min_real_count` (at least 11, so no judged count falls
///   under the small-cell rule); the others are counted in `cells_skipped_small`.
/// - **p-value** of a cell: the binomial lower tail P(X ≤ x_g | N_S, p_R(g)) (the miss probability
///   when x_g = 0), one-sided: only under-representation is tested. Corrected across the judged
///   cells by Benjamini & Hochberg (1995). A cell fails when q < `alpha` and x_g / (N_S·p_R(g)) <
///   `max_ratio`: **erased** when x_g = 0, **depleted** otherwise.
/// - **Category coverage** of every comparable categorical column (missing values left out):
///   `category_coverage` is SDMetrics `CategoryCoverage` (sdmetrics/single_column/statistical/
///   category_coverage.py: |categories of S ∩ categories of T| / |categories of T|), lowest over the
///   columns; `weighted_category_coverage` is the share of T's non-missing values whose category
///   occurs in S (lowest over the columns); `rare_category_coverage` the SDMetrics share over the
///   categories with real share < `rare_share`, pooled over the columns.
/// - **Erased categories.** Per column, E = the categories of T absent from S; a faithful sampler
///   misses all of them with probability (1 − Σ_{c∈E} p_R(c))^{N_S}. A column fails when that
///   probability, Benjamini–Hochberg-corrected across the columns, is below `alpha`. E is chosen
///   after looking at S, so this probability is a screening figure rather than an exact p-value;
///   `alpha` is kept small for that reason.
///
/// Messages never print a real count from 1 to 10, nor a figure it could be derived from
/// (expected counts, ratios, shares or miss probabilities of such categories): `SmallCellGuard`.
/// A failing one-attribute cell whose pair sub-cells include exactly one of 1 to 10 patients (for
/// some other attribute) has its real figures withheld, since its count minus the printed counts
/// of its other sub-cells would give the small one (`CellIndex.marginsRevealingSmallCells`); the
/// same holds for a column's erased-category total (`totalShown`).
public struct SubgroupErasureCheck: Check {
    public static let kind = "subgroup-erasure"
    public static let summary = "Finds protected subgroups (cells of one or two protected attributes) and categories present in the real data that the synthetic release leaves out or nearly out, judged by the chance that a faithful sampler would miss them, with SDMetrics category coverage."
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("columns", .columns, default: .list([]),
                      doc: "Protected attributes the cells are made of; empty = the columns with the protected role (the rule is skipped when there are none). Numeric and datetime attributes need `bands` in the configuration."),
        ParameterSpec("order", .integer(1...2), default: .integer(2),
                      doc: "1 = every attribute alone; 2 = also every pair of attributes."),
        ParameterSpec("min_real_count", .integer(11...1_000_000), default: .integer(20),
                      doc: "Training patients a cell needs to be judged (at least 11, so that no judged figure reveals a small cell; 20 keeps the expected synthetic count of a same-size release at 20, where a miss has probability e⁻²⁰)."),
        ParameterSpec("alpha", .number(NumberBounds(0, 0.5, lowerInclusive: false)), default: .number(0.01),
                      doc: "False discovery rate for the cells (Benjamini–Hochberg) and level of the erased-category screen."),
        ParameterSpec("max_ratio", .number(NumberBounds(0, 1, lowerInclusive: false)), default: .number(0.5),
                      doc: "A significant cell fails only when observed / expected synthetic count is below this (0.5 = the release has fewer than half the patients it should)."),
        ParameterSpec("rare_share", .number(NumberBounds(0, 1, lowerInclusive: false)), default: .number(0.01),
                      doc: "Categories with a real share below this are rare (for rare_category_coverage and rare_categories_erased)."),
        ParameterSpec("max_findings", .integer(0...1_000_000), default: .integer(1000),
                      doc: "Findings listed; the rest are counted in `findings_truncated`."),
    ]
    public static let measurements: [MeasurementSpec] = [
        MeasurementSpec("synthetic_rows", "Rows in the synthetic table."),
        MeasurementSpec("protected_columns", "Protected attributes the cells are made of."),
        MeasurementSpec("cells_judged", "Cells with at least min_real_count training patients."),
        MeasurementSpec("cells_skipped_small", "Cells with 1 to min_real_count − 1 training patients, not judged."),
        MeasurementSpec("cells_erased", "Judged cells that fail with no synthetic record."),
        MeasurementSpec("cells_depleted", "Judged cells that fail with some synthetic records."),
        MeasurementSpec("min_ratio", "Lowest observed / expected synthetic count over the judged cells.", optional: true),
        MeasurementSpec("categorical_columns", "Comparable categorical columns whose coverage is measured."),
        MeasurementSpec("category_coverage", "SDMetrics CategoryCoverage (share of real categories present in the release), lowest over the categorical columns.", optional: true),
        MeasurementSpec("weighted_category_coverage", "Share of real values whose category is present in the release, lowest over the categorical columns; left out when a column's uncovered real values number 1 to 10, or include exactly one category of 1 to 10 patients (small-cell rule).", optional: true),
        MeasurementSpec("rare_category_coverage", "CategoryCoverage over the rare categories (real share < rare_share), pooled over the columns.", optional: true),
        MeasurementSpec("erased_categories", "Real categories absent from the release, over all categorical columns."),
        MeasurementSpec("rare_categories_erased", "Rare real categories absent from the release."),
        MeasurementSpec("columns_failing", "Categorical columns whose erased categories a faithful sampler would miss together with probability (BH-corrected) below alpha."),
        MeasurementSpec("findings_truncated", "Findings counted but not listed because of max_findings.", optional: true),
    ]

    /// Creates the check.
    public init() {}

    /// One judged cell.
    struct JudgedCell {
        var cell: CellIndex.Cell
        var expected: Double
        var ratio: Double
        var pValue: Double
        var qValue = 1.0
    }

    /// One categorical column's coverage.
    struct ColumnCoverage {
        var column: String
        var realCategories = 0
        var covered = 0
        var realValues = 0
        var uncoveredValues = 0
        var rare = 0
        var rareCovered = 0
        /// Erased categories: label and real count.
        var erased: [(label: String, count: Int, rare: Bool)] = []
        /// (1 − Σ p)^{N_S} over the erased categories (1 without any).
        var missProbability = 1.0
        var qValue = 1.0

        /// Whether the erased categories' real total (and figures derived from it: the joint miss
        /// probability, the weighted coverage) may be shown: it is not 1 to 10, and it does not
        /// single out one small category next to the exact counts shown for the others
        /// (complementary suppression needs at least two suppressed cells).
        var totalShown: Bool {
            let small = erased.filter { $0.count <= SmallCellGuard.threshold }.count
            return uncoveredValues == 0 || (uncoveredValues > SmallCellGuard.threshold && small != 1)
        }
    }

    public func run(rule: RuleDescriptor, context: ScanContext) throws -> RuleOutcome {
        let parameters = rule.parameters
        let id = rule.id
        let protected = try ProtectedCells.columns(for: rule, context: context)
        let order = try parameters.integer("order", rule: id)
        let minReal = try parameters.integer("min_real_count", rule: id)
        let alpha = try parameters.number("alpha", rule: id)
        let maxRatio = try parameters.number("max_ratio", rule: id)
        let rareShare = try parameters.number("rare_share", rule: id)
        let maxFindings = try parameters.integer("max_findings", rule: id)
        let data = context.data
        let nS = data.synthetic.rowCount, nT = data.train.rowCount

        guard !protected.isEmpty else {
            return RuleOutcome(rule: rule, status: .skipped, level: rule.severity,
                               message: "No protected attribute is declared (roles.protected in the configuration, or the rule's `columns`): there are no subgroups to look for.",
                               measurements: [Measurement("synthetic_rows", Double(nS)), Measurement("protected_columns", 0)], findings: [])
        }
        guard nS > 0, nT > 0 else {
            return RuleOutcome(rule: rule, status: .skipped, level: rule.severity,
                               message: ProtectedCells.emptyTables,
                               measurements: [Measurement("synthetic_rows", Double(nS)), Measurement("protected_columns", Double(protected.count))], findings: [])
        }
        let index = ProtectedCells.index(protected, order: order, context: context)

        // Cells.
        var judged: [JudgedCell] = []
        var skippedSmall = 0
        for cell in index.cells where cell.train > 0 {
            guard cell.train >= minReal else { skippedSmall += 1; continue }
            let p = Double(cell.train) / Double(nT)
            let expected = Double(nS) * p
            judged.append(JudgedCell(cell: cell, expected: expected, ratio: Double(cell.synthetic) / expected,
                                     pValue: Statistics.binomialLowerTail(successes: cell.synthetic, trials: nS, probability: p)))
        }
        let q = Statistics.benjaminiHochberg(judged.map(\.pValue))
        for i in judged.indices { judged[i].qValue = q[i] }
        let failing = judged.filter { $0.qValue < alpha && $0.ratio < maxRatio }
        let erasedCells = failing.filter { $0.cell.synthetic == 0 }
        let depletedCells = failing.filter { $0.cell.synthetic > 0 }
        let failingKeys = Set(failing.map(\.cell.key))

        // Categories.
        var coverages: [ColumnCoverage] = []
        for name in context.comparableColumns {
            guard let c = context.schema.index(of: name), context.schema.columns[c].type == .categorical,
                  case .coded(let tCodes, let dictionary) = data.train.columns[c].storage,
                  case .coded(let sCodes, _) = data.synthetic.columns[c].storage else { continue }
            var tCount = [Int](repeating: 0, count: dictionary.count)
            var sSeen = [Bool](repeating: false, count: dictionary.count)
            for code in tCodes where code != Column.missingCode { tCount[Int(code)] += 1 }
            for code in sCodes where code != Column.missingCode { sSeen[Int(code)] = true }
            var cov = ColumnCoverage(column: name)
            cov.realValues = tCount.reduce(0, +)
            guard cov.realValues > 0 else { continue }
            var erasedMass = 0
            for code in tCount.indices where tCount[code] > 0 {
                let rare = Double(tCount[code]) / Double(nT) < rareShare
                cov.realCategories += 1
                if rare { cov.rare += 1 }
                if sSeen[code] {
                    cov.covered += 1
                    if rare { cov.rareCovered += 1 }
                } else {
                    cov.uncoveredValues += tCount[code]
                    erasedMass += tCount[code]
                    cov.erased.append((dictionary.labels[code], tCount[code], rare))
                }
            }
            cov.missProbability = erasedMass == 0 ? 1 : exp(Double(nS) * log1p(-Double(erasedMass) / Double(nT)))
            coverages.append(cov)
        }
        let columnQ = Statistics.benjaminiHochberg(coverages.map(\.missProbability))
        for i in coverages.indices { coverages[i].qValue = columnQ[i] }
        let failingColumns = coverages.filter { !$0.erased.isEmpty && $0.qValue < alpha }

        // Measurements.
        var m: [Measurement] = [
            Measurement("synthetic_rows", Double(nS)),
            Measurement("protected_columns", Double(index.columns.count)),
            Measurement("cells_judged", Double(judged.count)),
            Measurement("cells_skipped_small", Double(skippedSmall)),
            Measurement("cells_erased", Double(erasedCells.count)),
            Measurement("cells_depleted", Double(depletedCells.count)),
        ]
        if let minRatio = judged.map(\.ratio).min() { m.append(Measurement("min_ratio", minRatio)) }
        m.append(Measurement("categorical_columns", Double(coverages.count)))
        if let v = coverages.map({ Double($0.covered) / Double($0.realCategories) }).min() { m.append(Measurement("category_coverage", v)) }
        let weightedHidden = coverages.contains { !$0.totalShown }
        if !weightedHidden, let v = coverages.map({ 1 - Double($0.uncoveredValues) / Double($0.realValues) }).min() {
            m.append(Measurement("weighted_category_coverage", v))
        }
        let rareTotal = coverages.reduce(0) { $0 + $1.rare }, rareCovered = coverages.reduce(0) { $0 + $1.rareCovered }
        if rareTotal > 0 { m.append(Measurement("rare_category_coverage", Double(rareCovered) / Double(rareTotal))) }
        let erasedTotal = coverages.reduce(0) { $0 + $1.erased.count }
        let rareErased = coverages.reduce(0) { $0 + $1.erased.filter(\.rare).count }
        m += [Measurement("erased_categories", Double(erasedTotal)),
              Measurement("rare_categories_erased", Double(rareErased)),
              Measurement("columns_failing", Double(failingColumns.count))]

        // Findings.
        let cell = SmallCellGuard.format
        var findings: [Finding] = []
        let withheld = index.marginsRevealingSmallCells
        for j in failing {
            let c = j.cell
            var fm = [Measurement("observed_synthetic", Double(c.synthetic))]
            let message: String
            if withheld.contains(c.key) {
                message = "Subgroup \(c.key) is \(c.synthetic == 0 ? "absent from" : "depleted in") the release (\(c.synthetic) synthetic records): a faithful sampler would \(c.synthetic == 0 ? "miss it" : "give this few") with BH q < \(ParameterValue.format(alpha)). Its real figures are withheld: with its sub-groups they would reveal a count under 11. A model trained on this release would \(c.synthetic == 0 ? "never see" : "barely see") these patients."
            } else {
                let what = c.synthetic == 0
                    ? "is absent from the release: a faithful sampler of \(nS) records would miss it with probability \(Self.formatP(j.pValue))"
                    : "has \(c.synthetic) synthetic records where \(Self.formatCount(j.expected)) are expected (ratio \(Self.formatRatio(j.ratio)); P(this few) = \(Self.formatP(j.pValue)))"
                fm += [Measurement("real_count", Double(c.train)), Measurement("expected_synthetic", j.expected),
                       Measurement("ratio", j.ratio), Measurement("p_value", j.pValue), Measurement("q_value", j.qValue)]
                if c.synthetic == 0 { fm.append(Measurement("miss_probability", j.pValue)) }
                message = "Subgroup \(c.key) (\(cell(c.train)) training patients, \(Format.percent(Double(c.train) / Double(nT)))) \(what); BH q = \(Self.formatP(j.qValue)). A model trained on this release would \(c.synthetic == 0 ? "never see" : "barely see") these patients."
            }
            findings.append(Finding(
                ruleID: id, level: rule.severity, message: message,
                location: FindingLocation(table: .synthetic, columns: c.columns, subgroup: c.key),
                fingerprint: Self.fingerprint(id, c.synthetic == 0 ? "erased-cell" : "depleted-cell", c.key),
                measurements: fm))
        }
        for cov in failingColumns {
            for e in cov.erased {
                let key = "\(cov.column)=\(e.label)"
                guard !failingKeys.contains(key) else { continue }
                var fm = [Measurement("observed_synthetic", 0)]
                var detail = "\(cell(e.count)) training patients"
                if e.count > SmallCellGuard.threshold {
                    let p = Double(e.count) / Double(nT)
                    fm += [Measurement("real_count", Double(e.count)), Measurement("expected_synthetic", Double(nS) * p),
                           Measurement("miss_probability", exp(Double(nS) * log1p(-p)))]
                    detail += ", \(Format.percent(p)); expected \(Self.formatCount(Double(nS) * p)) synthetic records"
                }
                findings.append(Finding(
                    ruleID: id, level: rule.severity,
                    message: "Category \(key)\(e.rare ? " (rare)" : "") is absent from the release (\(detail)). Together with the other categories of \(cov.column) missing from the release, a faithful sampler would miss it with probability \(Self.jointMiss(cov)); BH q over columns = \(Self.formatP(cov.qValue)).",
                    location: FindingLocation(table: .synthetic, columns: [cov.column], subgroup: key),
                    fingerprint: Self.fingerprint(id, "erased-category", key),
                    measurements: fm))
            }
        }
        if findings.count > maxFindings {
            m.append(Measurement("findings_truncated", Double(findings.count - maxFindings)))
            findings = Array(findings.prefix(maxFindings))
        }

        // Message.
        let failed = !failing.isEmpty || !failingColumns.isEmpty
        var parts: [String] = []
        if !failing.isEmpty {
            let names = failing.prefix(5).map(\.cell.key).joined(separator: "; ")
            parts.append("\(erasedCells.count) protected subgroups are erased and \(depletedCells.count) depleted in the release (of \(judged.count) judged): \(names)\(failing.count > 5 ? " and \(failing.count - 5) more" : "")")
        } else {
            parts.append("Every one of the \(judged.count) protected subgroups judged is represented in the release"
                         + (judged.isEmpty ? "" : " (lowest observed/expected ratio \(Self.formatRatio(judged.map(\.ratio).min()!)))"))
        }
        for cov in failingColumns {
            let labels = cov.erased.prefix(5).map(\.label).joined(separator: ", ")
            parts.append("\(cov.erased.count) categories of \(cov.column) with \(cov.totalShown ? String(cov.uncoveredValues) : "some") training patients are absent from the release (\(labels)\(cov.erased.count > 5 ? " and more" : "")); a faithful sampler would miss them all with probability \(Self.jointMiss(cov))")
        }
        if erasedTotal > 0, failingColumns.isEmpty {
            parts.append("\(erasedTotal) real categories are absent from the release, as a faithful sampler may miss them by chance")
        }
        if skippedSmall > 0 { parts.append("\(skippedSmall) subgroups with fewer than \(minReal) training patients were not judged") }
        if !index.unbandedColumns.isEmpty {
            parts.append("Numeric protected attributes without `bands` in the configuration were left out: \(index.unbandedColumns.joined(separator: ", "))")
        }
        let message = parts.joined(separator: ". ") + "."
        return RuleOutcome(rule: rule, status: failed ? .fail : .pass, level: rule.severity, message: message,
                           measurements: m, findings: findings)
    }

    /// The joint miss probability of a column's erased categories, hidden when their real total is 1 to 10.
    private static func jointMiss(_ cov: ColumnCoverage) -> String {
        cov.totalShown ? formatP(cov.missProbability) : "(not shown: it would reveal a count under 11)"
    }

    static func formatP(_ p: Double) -> String {
        if p < 1e-4 { return p == 0 ? "< 1e-300" : String(format: "%.1e", p) }
        return String(ParameterValue.format((p * 10_000).rounded() / 10_000))
    }

    private static func formatRatio(_ r: Double) -> String { String(format: "%.2f", r) }
    private static func formatCount(_ x: Double) -> String { String(format: "%.1f", x) }

    private static func fingerprint(_ rule: String, _ kind: String, _ key: String) -> String {
        return FindingFingerprint.make(rule: rule, kind: kind, key: key)
    }
}
