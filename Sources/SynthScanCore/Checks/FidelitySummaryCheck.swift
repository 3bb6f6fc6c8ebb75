import Foundation

/// The whole-table fidelity figures users know from SDMetrics' quality and diagnostic reports, so
/// a synthscan report reads familiar next to the risk findings: Column Shapes (mean KSComplement /
/// TVComplement), Column Pair Trends (mean CorrelationSimilarity / ContingencySimilarity),
/// Coverage (mean RangeCoverage / CategoryCoverage) and MissingValueSimilarity.
///
/// Definitions (sdmetrics 0.32.0 `reports/single_table/_properties/column_shapes.py`,
/// `column_pair_trends.py`, `coverage.py`; every metric is the `Fidelity/` implementation,
/// conformant with SDMetrics at 1e-9):
/// - **Column Shapes**: mean over the checked columns of KSComplement (numbers, dates) or
///   TVComplement (labels, booleans).
/// - **Column Pair Trends**: mean over the pairs of checked columns of CorrelationSimilarity
///   (Pearson) for two numeric or date columns, else ContingencySimilarity (10 bins). Pairs whose
///   metric is undefined (a constant column) are left out, as SDMetrics leaves out NaN.
///   SDMetrics' report discretises numeric columns once for all pairs with its own bins; this
///   uses the ContingencySimilarity metric's binning (the difference is in which bin edges a
///   numeric column gets, not in the formula).
/// - **Coverage**: mean of RangeCoverage (numbers, dates) and CategoryCoverage (labels).
/// - **MissingValueSimilarity**: mean over the checked columns of 1 − |m_T − m_S|.
/// The rule fails when Column Shapes or Column Pair Trends fall below their floors, and lists the
/// columns and pairs below the floor. Only scores are printed, never values.
public struct FidelitySummaryCheck: Check {
    public static let kind = "fidelity-summary"
    public static let summary = "Reports the SDMetrics quality-report figures for the whole tables (Column Shapes, Column Pair Trends, Coverage, MissingValueSimilarity) and lists the columns and pairs of columns below a floor."
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("checked_columns", .columns, default: .list([]),
                      doc: "Columns scored; empty = every numeric, date, categorical or boolean column that is not an identifier or ignored."),
        ParameterSpec("min_column_shapes", .number(NumberBounds.unit), default: .number(0.75),
                      doc: "Floor for the Column Shapes score and for each column's shape score."),
        ParameterSpec("min_column_pair_trends", .number(NumberBounds.unit), default: .number(0.75),
                      doc: "Floor for the Column Pair Trends score and for each pair's score."),
        ParameterSpec("max_findings", .integer(0...1_000_000), default: .integer(100),
                      doc: "Columns and pairs listed below their floor; the rest are counted in `findings_truncated`."),
    ]
    public static let measurements: [MeasurementSpec] = [
        MeasurementSpec("columns_checked", "Columns scored."),
        MeasurementSpec("pairs_checked", "Pairs of columns with a defined pair score."),
        MeasurementSpec("column_shapes", "Mean KSComplement / TVComplement over the columns (SDMetrics Column Shapes).", optional: true),
        MeasurementSpec("column_pair_trends", "Mean CorrelationSimilarity / ContingencySimilarity over the pairs (SDMetrics Column Pair Trends).", optional: true),
        MeasurementSpec("coverage", "Mean RangeCoverage / CategoryCoverage (SDMetrics Coverage).", optional: true),
        MeasurementSpec("missing_value_similarity", "Mean SDMetrics MissingValueSimilarity over the columns.", optional: true),
        MeasurementSpec("worst_column_shape", "Lowest column shape score.", optional: true),
        MeasurementSpec("worst_pair_trend", "Lowest pair score.", optional: true),
        MeasurementSpec("findings_truncated", "Columns and pairs below the floor not listed because of max_findings.", optional: true),
    ]

    /// Creates the check.
    public init() {}

    public func run(rule: RuleDescriptor, context: ScanContext) throws -> RuleOutcome {
        let p = rule.parameters, id = rule.id
        let data = context.data
        let listed = try p.list("checked_columns", rule: id)
        for c in listed where context.schema.index(of: c) == nil { throw CheckError.unknownColumn(rule: id, column: c) }
        let names = listed.isEmpty
            ? context.schema.columns.filter { $0.type != .text && $0.roles.isDisjoint(with: [.identifier, .ignored]) }.map(\.name)
            : listed
        let columns = names.compactMap { name -> (String, Column, Column)? in
            guard let t = data.train.column(named: name), let s = data.synthetic.column(named: name) else { return nil }
            return (name, t, s)
        }
        guard !columns.isEmpty, data.train.rowCount > 0, data.synthetic.rowCount > 0 else {
            return RuleOutcome(rule: rule, status: .skipped, level: rule.severity,
                               message: "No column to score, or an empty table.", measurements: [Measurement("columns_checked", Double(columns.count))], findings: [])
        }
        let minShapes = try p.number("min_column_shapes", rule: id), minTrends = try p.number("min_column_pair_trends", rule: id)

        var shapes: [(String, Double)] = [], coverage: [Double] = [], missing: [Double] = []
        for (name, t, s) in columns {
            let real = ColumnSlice(t), synthetic = ColumnSlice(s)
            let numeric = t.type.isNumericStorage
            if let v = numeric ? KSComplement.score(real: real, synthetic: synthetic) : TVComplement.score(real: real, synthetic: synthetic) {
                shapes.append((name, v))
            }
            if let v = numeric ? RangeCoverage.score(real: real, synthetic: synthetic) : CategoryCoverage.score(real: real, synthetic: synthetic) {
                coverage.append(v)
            }
            if let v = MissingValueSimilarity.score(real: real, synthetic: synthetic) { missing.append(v) }
        }
        let pairIndices = columns.indices.flatMap { i in ((i + 1)..<columns.count).map { (i, $0) } }
        let trends: [(String, String, Double)] = Parallel.map(pairIndices.count) { k in
            let (i, j) = pairIndices[k]
            let a = columns[i], b = columns[j]
            let real = (ColumnSlice(a.1), ColumnSlice(b.1)), synthetic = (ColumnSlice(a.2), ColumnSlice(b.2))
            let v = a.1.type.isNumericStorage && b.1.type.isNumericStorage
                ? CorrelationSimilarity.score(real: real, synthetic: synthetic, coefficient: .pearson)
                : ContingencySimilarity.score(real: real, synthetic: synthetic)
            return v.map { (a.0, b.0, $0) }
        }.compactMap { $0 }

        func mean(_ xs: [Double]) -> Double? { xs.isEmpty ? nil : xs.reduce(0, +) / Double(xs.count) }
        let columnShapes = mean(shapes.map(\.1)), pairTrends = mean(trends.map(\.2))
        var m = [Measurement("columns_checked", Double(columns.count)), Measurement("pairs_checked", Double(trends.count))]
        if let v = columnShapes { m.append(Measurement("column_shapes", v)) }
        if let v = pairTrends { m.append(Measurement("column_pair_trends", v)) }
        if let v = mean(coverage) { m.append(Measurement("coverage", v)) }
        if let v = mean(missing) { m.append(Measurement("missing_value_similarity", v)) }
        if let v = shapes.map(\.1).min() { m.append(Measurement("worst_column_shape", v)) }
        if let v = trends.map(\.2).min() { m.append(Measurement("worst_pair_trend", v)) }

        var findings: [Finding] = shapes.filter { $0.1 < minShapes }.sorted { $0.1 < $1.1 }.map { name, v in
            Finding(ruleID: id, level: rule.severity,
                    message: "Column \(name) has shape score \(Self.f(v)) (SDMetrics \(data.train.column(named: name)!.type.isNumericStorage ? "KSComplement" : "TVComplement")), below the floor \(Self.f(minShapes)): the release reproduces its distribution poorly.",
                    location: FindingLocation(table: .synthetic, columns: [name]),
                    fingerprint: Self.fingerprint(id, "shape", name), measurements: [Measurement("score", v)])
        }
        findings += trends.filter { $0.2 < minTrends }.sorted { $0.2 < $1.2 }.map { a, b, v in
            Finding(ruleID: id, level: rule.severity,
                    message: "Columns \(a) and \(b) have pair score \(Self.f(v)), below the floor \(Self.f(minTrends)): the release reproduces how they go together poorly.",
                    location: FindingLocation(table: .synthetic, columns: [a, b]),
                    fingerprint: Self.fingerprint(id, "pair", "\(a)\u{0}\(b)"), measurements: [Measurement("score", v)])
        }
        let maxFindings = try p.integer("max_findings", rule: id)
        if findings.count > maxFindings {
            m.append(Measurement("findings_truncated", Double(findings.count - maxFindings)))
            findings = Array(findings.prefix(maxFindings))
        }
        let fails = (columnShapes.map { $0 < minShapes } ?? false) || (pairTrends.map { $0 < minTrends } ?? false)
        var text = "SDMetrics-style quality: Column Shapes \(columnShapes.map(Self.f) ?? "n/a"), Column Pair Trends \(pairTrends.map(Self.f) ?? "n/a"), Coverage \(mean(coverage).map(Self.f) ?? "n/a"), MissingValueSimilarity \(mean(missing).map(Self.f) ?? "n/a") (\(columns.count) columns, \(trends.count) pairs)"
        if !findings.isEmpty { text += "; \(findings.count) columns or pairs below the floor" }
        return RuleOutcome(rule: rule, status: fails ? .fail : .pass, level: rule.severity, message: text + ".", measurements: m, findings: fails ? findings : [])
    }

    private static func f(_ x: Double) -> String { String(format: "%.3f", x) }

    private static func fingerprint(_ rule: String, _ kind: String, _ key: String) -> String {
        return FindingFingerprint.make(rule: rule, kind: "fidelity-summary-\(kind)", key: key)
    }
}
