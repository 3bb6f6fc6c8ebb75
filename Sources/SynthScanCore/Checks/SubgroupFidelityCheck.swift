import CXXHash
import Foundation

/// Whether the release reproduces each protected subgroup's clinical columns as well as it
/// reproduces the whole table: per subgroup, the mean marginal fidelity of the clinical columns
/// (SDMetrics TVComplement for labels, KSComplement for numbers and dates) on the subgroup's
/// slices, judged against the sampling noise of a faithful sample of the same size.
///
/// Definitions (bias-peers FID-001; T = training, S = release; a *cell* g is the whole table or a
/// protected subgroup of `order`; C = the checked columns):
/// - **Fidelity** F(g) = mean over c ∈ C of score_c(T|g, S|g), where a column whose score is
///   undefined (SDMetrics NaN: e.g. all values missing) is left out.
/// - **Noise floor.** A faithful generator draws its records from the same population as the
///   training data, so under the null T|g and S|g are two samples of one distribution: the
///   permutation distribution F*(g) of the score over `bootstrap_samples` random splits of the
///   pooled rows T|g ∪ S|g into n_T(g) and n_S(g) rows (seeded from the scan seed, the rule and the
///   cell) holds both tables' sampling noise, which matters for small subgroups; its median is the
///   fidelity expected from sampling noise alone (a one-table bootstrap from T|g would forget the
///   training sample's own noise and blame small groups for it).
/// - **Test.** p(g) = Φ((F(g) − mean F*) / sd F*), the normal approximation of the permutation
///   distribution (so p-values are not floored at 1/(B + 1)), one-sided (only lower fidelity is a finding),
///   Benjamini–Hochberg over the cells. A cell **fails** when q < `alpha` and the shortfall
///   median(F*) − F(g) exceeds `tolerance` (FID-001: 0.05); **inconclusive** when only one of the
///   two holds.
/// - **Gap** G(g) = F(all rows) − F(g) and the disparity max F − min F over the judged subgroups,
///   reported as measurements (Fairlearn's between-groups difference applied to fidelity).
///
/// Only real figures of cells with at least `min_real_count` (≥ 11) training rows are used, and
/// only fidelity scores (not values or counts) are printed.
public struct SubgroupFidelityCheck: Check {
    public static let kind = "subgroup-fidelity"
    public static let summary = "Measures each protected subgroup's marginal fidelity (mean SDMetrics TVComplement / KSComplement of the clinical columns on the subgroup's slices) against the whole table and against the sampling noise of a faithful sample of the subgroup's size (seeded permutation test, Benjamini–Hochberg)."
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("checked_columns", .columns, default: .list([]),
                      doc: "Clinical columns whose marginals are compared; empty = every numeric, date, categorical or boolean column that is not an identifier, protected attribute or ignored."),
        ParameterSpec("columns", .columns, default: .list([]),
                      doc: "Protected attributes the subgroups are made of; empty = the columns with the protected role (the rule is skipped when there are none)."),
        ParameterSpec("order", .integer(1...2), default: .integer(1),
                      doc: "1 = every protected attribute alone; 2 = also every pair."),
        ParameterSpec("min_real_count", .integer(11...1_000_000), default: .integer(30),
                      doc: "Training rows a subgroup needs to be judged (at least 11: small-cell rule)."),
        ParameterSpec("tolerance", .number(NumberBounds(0, 1, lowerInclusive: false)), default: .number(0.05),
                      doc: "Shortfall of fidelity below the noise median that is tolerated (FID-001: 0.05)."),
        ParameterSpec("alpha", .number(NumberBounds(0, 0.5, lowerInclusive: false)), default: .number(0.01),
                      doc: "False discovery rate over the subgroups (Benjamini–Hochberg)."),
        ParameterSpec("bootstrap_samples", .integer(20...10_000), default: .integer(100),
                      doc: "Random splits of each subgroup's pooled real and synthetic rows for the noise floor (permutation distribution; its mean and standard deviation give the p-value)."),
        ParameterSpec("max_findings", .integer(0...1_000_000), default: .integer(1000),
                      doc: "Findings listed; the rest are counted in `findings_truncated`."),
    ]
    public static let measurements: [MeasurementSpec] = [
        MeasurementSpec("columns_checked", "Clinical columns compared."),
        MeasurementSpec("cells_judged", "Subgroups judged, the whole table included."),
        MeasurementSpec("cells_skipped_small", "Subgroups with fewer than min_real_count training rows."),
        MeasurementSpec("cells_failing", "Subgroups whose fidelity falls short of the noise median by more than the tolerance with BH q < alpha."),
        MeasurementSpec("cells_inconclusive", "Subgroups with only one of the two conditions."),
        MeasurementSpec("fidelity_overall", "F(all rows): mean marginal fidelity over the whole tables.", optional: true),
        MeasurementSpec("min_subgroup_fidelity", "Lowest F(g) over the judged subgroups.", optional: true),
        MeasurementSpec("max_fidelity_gap", "Largest F(all rows) − F(g) over the judged subgroups.", optional: true),
        MeasurementSpec("fidelity_disparity", "max F(g) − min F(g) over the judged subgroups.", optional: true),
        MeasurementSpec("max_shortfall", "Largest median(F*) − F(g): fidelity below what sampling noise explains.", optional: true),
        MeasurementSpec("findings_truncated", "Findings counted but not listed because of max_findings.", optional: true),
    ]

    /// Creates the check.
    public init() {}

    /// One judged cell.
    struct Judged {
        var key: String
        var columns: [String]
        var fidelity: Double
        var noiseMedian: Double
        var p: Double
        var q = 1.0
        /// (column, score, noise median of that column), worst shortfall first.
        var worst: [(String, Double, Double)]
        var shortfall: Double { noiseMedian - fidelity }
    }

    public func run(rule: RuleDescriptor, context: ScanContext) throws -> RuleOutcome {
        let p = rule.parameters, id = rule.id
        let data = context.data
        let protected = try ProtectedCells.columns(for: rule, context: context)
        let checked = try checkedColumns(rule: rule, context: context, protected: protected)
        func skipped(_ message: String) -> RuleOutcome {
            RuleOutcome(rule: rule, status: .skipped, level: rule.severity, message: message,
                        measurements: [Measurement("columns_checked", Double(checked.count))], findings: [])
        }
        guard !protected.isEmpty else { return skipped(ProtectedCells.noProtectedAttribute) }
        guard !checked.isEmpty else { return skipped("No clinical column to compare (numeric, date, categorical or boolean, not identifier or protected).") }
        guard data.train.rowCount > 0, data.synthetic.rowCount > 0 else { return skipped(ProtectedCells.emptyTables) }

        let minReal = try p.integer("min_real_count", rule: id)
        let tolerance = try p.number("tolerance", rule: id)
        let alpha = try p.number("alpha", rule: id)
        let samples = try p.integer("bootstrap_samples", rule: id)
        let index = ProtectedCells.index(protected, order: try p.integer("order", rule: id), context: context)

        var cells: [(key: String, columns: [String], real: RowSelection, synthetic: RowSelection)] = [("all rows", [], .all, .all)]
        var skippedSmall = 0
        for cell in index.cells where cell.train > 0 {
            guard cell.train >= minReal, cell.synthetic > 0,
                  let mt = index.rowMask(of: cell, in: .train), let ms = index.rowMask(of: cell, in: .synthetic) else {
                skippedSmall += 1
                continue
            }
            cells.append((cell.key, cell.columns, .mask(mt), .mask(ms)))
        }
        let available = checked.filter { data.train.column(named: $0) != nil && data.synthetic.column(named: $0) != nil }
        let pairs = available.map { (data.train.column(named: $0)!, data.synthetic.column(named: $0)!) }
        let seed = context.configuration.seed ^ Self.ruleSalt(id)
        var judged: [Judged] = Parallel.map(cells.count) { k in
            Self.judge(cells[k], pairs: pairs, names: available, samples: samples, seed: seed &+ UInt64(k))
        }.compactMap { $0 }
        let q = Statistics.benjaminiHochberg(judged.map(\.p))
        for i in judged.indices { judged[i].q = q[i] }
        let failing = judged.filter { $0.q < alpha && $0.shortfall > tolerance }
        let inconclusive = judged.filter { ($0.q < alpha) != ($0.shortfall > tolerance) }.count

        var m: [Measurement] = [
            Measurement("columns_checked", Double(checked.count)),
            Measurement("cells_judged", Double(judged.count)),
            Measurement("cells_skipped_small", Double(skippedSmall)),
            Measurement("cells_failing", Double(failing.count)),
            Measurement("cells_inconclusive", Double(inconclusive)),
        ]
        let overall = judged.first { $0.key == "all rows" }
        let subgroups = judged.filter { $0.key != "all rows" }
        if let overall { m.append(Measurement("fidelity_overall", overall.fidelity)) }
        if let lowest = subgroups.map(\.fidelity).min(), let highest = subgroups.map(\.fidelity).max() {
            m.append(Measurement("min_subgroup_fidelity", lowest))
            if let overall { m.append(Measurement("max_fidelity_gap", overall.fidelity - lowest)) }
            m.append(Measurement("fidelity_disparity", highest - lowest))
        }
        if let v = judged.map(\.shortfall).max() { m.append(Measurement("max_shortfall", v)) }

        var findings = failing.map { j in
            let worst = j.worst.prefix(3).map { "\($0.0) \(Self.f($0.1)) (noise median \(Self.f($0.2)))" }.joined(separator: ", ")
            let scope = j.columns.isEmpty ? "The release as a whole" : "Subgroup \(j.key)"
            return Finding(
                ruleID: id, level: rule.severity,
                message: "\(scope) reproduces its clinical columns with mean marginal fidelity \(Self.f(j.fidelity)), below the \(Self.f(j.noiseMedian)) a faithful sample of the same size reaches (shortfall \(Self.f(j.shortfall)), tolerated \(Self.f(tolerance)); BH q = \(SubgroupErasureCheck.formatP(j.q))); \(overall.map { "whole table \(Self.f($0.fidelity))" } ?? ""). Furthest off: \(worst). Analyses of these patients on the release rest on distorted distributions.",
                location: FindingLocation(table: .synthetic, columns: j.columns + j.worst.prefix(3).map(\.0), subgroup: j.columns.isEmpty ? nil : j.key),
                fingerprint: Self.fingerprint(id, j.key),
                measurements: [Measurement("fidelity", j.fidelity), Measurement("noise_median", j.noiseMedian),
                               Measurement("shortfall", j.shortfall), Measurement("p_value", j.p), Measurement("q_value", j.q)])
        }
        let maxFindings = try p.integer("max_findings", rule: id)
        if findings.count > maxFindings {
            m.append(Measurement("findings_truncated", Double(findings.count - maxFindings)))
            findings = Array(findings.prefix(maxFindings))
        }
        var parts: [String] = []
        if failing.isEmpty {
            parts.append("Every judged subgroup's marginal fidelity is within \(Self.f(tolerance)) of what a faithful sample of its size reaches (\(judged.count) judged, \(inconclusive) inconclusive)")
        } else {
            parts.append("\(failing.count) of \(judged.count) subgroups fall short of the fidelity a faithful sample reaches: \(failing.prefix(5).map { "\($0.key) (\(Self.f($0.fidelity)) vs \(Self.f($0.noiseMedian)))" }.joined(separator: "; "))")
        }
        if let overall, let lowest = subgroups.map(\.fidelity).min() {
            parts.append("Fidelity over all rows \(Self.f(overall.fidelity)), lowest subgroup \(Self.f(lowest))")
        }
        if skippedSmall > 0 { parts.append("\(skippedSmall) subgroups with fewer than \(minReal) training rows were not judged") }
        return RuleOutcome(rule: rule, status: failing.isEmpty ? .pass : .fail, level: rule.severity,
                           message: parts.joined(separator: ". ") + ".", measurements: m, findings: findings)
    }

    /// The checked columns: the rule's list, or every comparable non-protected clinical column.
    func checkedColumns(rule: RuleDescriptor, context: ScanContext, protected: [String]) throws -> [String] {
        let listed = try rule.parameters.list("checked_columns", rule: rule.id)
        for c in listed where context.schema.index(of: c) == nil { throw CheckError.unknownColumn(rule: rule.id, column: c) }
        if !listed.isEmpty { return listed }
        return context.schema.columns.filter {
            $0.type != .text && $0.roles.isDisjoint(with: [.identifier, .ignored, .protected]) && !protected.contains($0.name)
        }.map(\.name)
    }

    /// The score of one column: TVComplement for labels, KSComplement for numbers and dates.
    static func score(_ real: ColumnSlice, _ synthetic: ColumnSlice) -> Double? {
        switch real.column.storage {
        case .coded: TVComplement.score(real: real, synthetic: synthetic)
        case .numeric: KSComplement.score(real: real, synthetic: synthetic)
        }
    }

    /// F(g), its permutation noise floor and one-sided p-value; nil when no column has a score.
    static func judge(_ cell: (key: String, columns: [String], real: RowSelection, synthetic: RowSelection),
                      pairs: [(Column, Column)], names: [String], samples: Int, seed: UInt64) -> Judged? {
        var observed: [Int: Double] = [:]
        for (i, (t, s)) in pairs.enumerated() {
            if let v = score(ColumnSlice(t, rows: cell.real), ColumnSlice(s, rows: cell.synthetic)) { observed[i] = v }
        }
        guard !observed.isEmpty, let first = pairs.first else { return nil }
        let used = observed.keys.sorted()
        let fidelity = used.map { observed[$0]! }.reduce(0, +) / Double(used.count)
        let nR = cell.real.count(rowCount: first.0.count), nS = cell.synthetic.count(rowCount: first.1.count)
        guard nR > 0, nS > 0 else { return nil }
        // Each column's subgroup rows of both tables, pooled: under the null both tables' rows
        // come from one distribution, so any split into nR and nS rows is as likely as the observed one.
        let pooled = used.compactMap { i in PooledColumnScorer(pairs[i].0, cell.real, pairs[i].1, cell.synthetic) }
        guard pooled.count == used.count else { return nil }
        var rng = SeededRandom(seed: seed)
        var split = PoolSplit(realCount: nR, count: nR + nS)
        var scratch: [Int] = []
        var nullScores: [Double] = []
        var perColumn = [[Double]](repeating: [], count: used.count)
        for _ in 0..<samples {
            split.shuffle(using: &rng)
            var total = 0.0, counted = 0
            for (k, column) in pooled.enumerated() {
                if let v = column.score(split, scratch: &scratch) {
                    total += v; counted += 1
                    perColumn[k].append(v)
                }
            }
            if counted > 0 { nullScores.append(total / Double(counted)) }
        }
        guard !nullScores.isEmpty else { return nil }
        let median = Statistics.quantile(sorted: nullScores.sorted(), 0.5)
        // p from the normal approximation of the permutation distribution (its mean and standard
        // deviation over the splits): the rank p-value (1 + #{F* ≤ F}) / (B + 1) cannot go below
        // 1/(B + 1), too coarse for Benjamini–Hochberg over many subgroups.
        let mean = nullScores.reduce(0, +) / Double(nullScores.count)
        let sd = (nullScores.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, nullScores.count - 1))).squareRoot()
        let p = sd > 0 ? 0.5 * erfc((mean - fidelity) / sd / 2.0.squareRoot()) : (fidelity < mean ? 0 : 1)
        let worst = used.enumerated().map { k, i -> (String, Double, Double) in
            let col = perColumn[k].sorted()
            return (names[i], observed[i]!, col.isEmpty ? observed[i]! : Statistics.quantile(sorted: col, 0.5))
        }.sorted { ($0.2 - $0.1) > ($1.2 - $1.1) }
        return Judged(key: cell.key, columns: cell.columns, fidelity: fidelity, noiseMedian: median, p: p, worst: worst)
    }

    static func ruleSalt(_ id: String) -> UInt64 {
        Array(id.utf8).withUnsafeBytes { XXH3_64bits($0.baseAddress, $0.count) }
    }

    private static func f(_ x: Double) -> String { String(format: "%.3f", x) }

    private static func fingerprint(_ rule: String, _ key: String) -> String {
        return FindingFingerprint.make(rule: rule, kind: "subgroup-fidelity", key: key)
    }
}
