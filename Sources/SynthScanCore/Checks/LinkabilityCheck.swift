import Foundation

/// Linkability, as anonymeter 1.1.0's `LinkabilityEvaluator` measures it (Giomi et al. 2023,
/// PoPETs 2023(2); `src/anonymeter/evaluators/linkability_evaluator.py`, `stats/confidence.py`).
///
/// The attacker holds two external data sets about the same patients, one with the columns of
/// `aux_columns_a`, the other with those of `aux_columns_b` (anonymeter's `aux_cols`, a vertical
/// split), and uses the release to join them. For each target patient (a seeded sample of
/// `n_attacks` training records), the `n_neighbors` nearest synthetic records are found on each
/// half separately (`distance`, anonymeter's Gower variant by default: `NearestRecordsTopK`); the
/// patient is linked when the two neighbour sets share a record (`LinkabilityIndexes.find_links`).
/// **Control**: the same attack on a sample of holdout patients. **Baseline**: for each target,
/// two random sets of `n_neighbors` synthetic records (`_random_links`). Rates are over the
/// targets attacked (anonymeter passes a separate count per attack through `EvaluationResults`);
/// the residual risk and its interval are anonymeter's (`EvaluationResults.risk()`).
///
/// Differences from anonymeter, all deliberate: every sample is seeded (anonymeter's baseline
/// and target samples use unseeded generators); `n_attacks` larger than a real table attacks
/// every record of it (anonymeter raises); ties between equally near synthetic records are broken
/// by a seeded random order, independent per half (anonymeter's `argsort` breaks them in an
/// arbitrary, unseeded-looking order); a missing value against a present
/// one counts 1 (anonymeter's distance becomes NaN and sorts last); numeric ranges come from
/// train ∪ synthetic (anonymeter: the attacked records ∪ synthetic).
///
/// Verdict: fail when `residual_risk_ci_low` > `max_residual_risk`, as `attribute-inference`.
/// Without a holdout table the rule is skipped, with the attack and baseline rates measured.
public struct LinkabilityCheck: Check {
    public static let kind = "linkability"
    public static let summary = "Measures how often the release lets an attacker join two partial records of the same training patient (same nearest synthetic record on both halves of the auxiliary columns), against unseen holdout patients (anonymeter's linkability attack and residual risk)."
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("aux_columns_a", .columns, default: .list([]),
                      doc: "Columns of the attacker's first data set; with `aux_columns_b` empty too, one half of the quasi-identifiers, split so both halves have about as many distinct combinations."),
        ParameterSpec("aux_columns_b", .columns, default: .list([]),
                      doc: "Columns of the attacker's second data set (disjoint from `aux_columns_a`); with both empty, the other half of the quasi-identifiers."),
        ParameterSpec("n_attacks", .integer(1...1_000_000), default: .integer(500),
                      doc: "Target patients sampled from each real table (anonymeter's default 500; a smaller table is attacked whole)."),
        ParameterSpec("n_neighbors", .integer(1...1000), default: .integer(1),
                      doc: "Nearest synthetic records kept on each half; linked when the two sets intersect (anonymeter's default 1)."),
        ParameterSpec("distance", .choice(["anonymeter", "gower"]), default: .text("anonymeter"),
                      doc: "Record distance on each half: `anonymeter` (sum, range over train ∪ synthetic, missing never matches) or `gower` (SDMetrics' mean)."),
        ParameterSpec("max_residual_risk", .number(.unit), default: .number(0.05),
                      doc: "The rule fails when the lower end of the residual risk's interval exceeds this."),
        ParameterSpec("confidence_level", .number(NumberBounds(0.5, 1, lowerInclusive: true, upperInclusive: false)), default: .number(0.95),
                      doc: "Confidence level of the Wilson intervals (anonymeter's default 0.95)."),
    ]
    public static let measurements: [MeasurementSpec] = [
        MeasurementSpec("aux_columns_a", "Columns of the first half."),
        MeasurementSpec("aux_columns_b", "Columns of the second half."),
        MeasurementSpec("targets_train", "Training patients attacked.", optional: true),
        MeasurementSpec("attack_rate", "Share of them linked through the release.", optional: true),
        MeasurementSpec("attack_rate_ci_low", "Lower end of anonymeter's Wilson interval of the attack rate.", optional: true),
        MeasurementSpec("attack_rate_ci_high", "Upper end of that interval.", optional: true),
        MeasurementSpec("baseline_rate", "Share linked by random synthetic records.", optional: true),
        MeasurementSpec("targets_holdout", "Holdout patients attacked.", optional: true),
        MeasurementSpec("control_rate", "Share of them linked through the release.", optional: true),
        MeasurementSpec("residual_risk", "(attack_rate − control_rate) / (1 − control_rate) (anonymeter's residual success).", optional: true),
        MeasurementSpec("residual_risk_ci_low", "Lower end of anonymeter's interval of the residual risk, clipped to [0, 1].", optional: true),
        MeasurementSpec("residual_risk_ci_high", "Upper end of that interval.", optional: true),
    ]

    /// Creates the check.
    public init() {}

    public func run(rule: RuleDescriptor, context: ScanContext) throws -> RuleOutcome {
        var p = try Params(rule: rule, schema: context.schema)
        let data = context.data
        if p.halfA.isEmpty {
            let qi = context.schema.names(withRole: .quasiIdentifier).filter { context.schema.comparableColumnNames.contains($0) }
            (p.halfA, p.halfB) = Self.balancedSplit(qi, train: data.train)
        }
        var m = [Measurement("aux_columns_a", Double(p.halfA.count)), Measurement("aux_columns_b", Double(p.halfB.count))]
        func skipped(_ message: String) -> RuleOutcome {
            RuleOutcome(rule: rule, status: .skipped, level: rule.severity, message: message, measurements: m, findings: [])
        }
        if p.halfA.isEmpty || p.halfB.isEmpty {
            return skipped("Linkability needs two sets of auxiliary columns: declare at least two quasi-identifiers (roles.quasi_identifiers), or set the rule's `aux_columns_a` and `aux_columns_b`.")
        }
        if data.train.rowCount == 0 || data.synthetic.rowCount == 0 { return skipped("The training or the synthetic table has no rows: there is nothing to attack.") }

        var rng = SeededRandom(seed: context.configuration.seed, stream: SeededRandom.stream(rule.id + "/linkability"))
        let attack = try Self.links(context: context, targets: data.train, params: p, rng: &rng)
        let baseline = Self.randomLinks(attacks: attack.targets, synthetic: data.synthetic.rowCount, k: p.neighbours, rng: &rng)
        let z = Statistics.normalQuantile(0.5 * (1 + p.confidenceLevel))
        let attackRate = Double(attack.linked) / Double(attack.targets)
        let ci = AttributeInferenceCheck.successRate(successes: Double(attack.linked), total: attack.targets, z: z)
        m.append(Measurement("targets_train", Double(attack.targets)))
        m.append(Measurement("attack_rate", attackRate))
        m.append(Measurement("attack_rate_ci_low", SinglingOutCheck.clip(ci.rate - ci.error)))
        m.append(Measurement("attack_rate_ci_high", SinglingOutCheck.clip(ci.rate + ci.error)))
        let baselineRate = Double(baseline) / Double(attack.targets)
        m.append(Measurement("baseline_rate", baselineRate))

        let halves = "\(QuasiIdentifierDisclosureCheck.columnList(p.halfA)) and \(QuasiIdentifierDisclosureCheck.columnList(p.halfB))"
        guard let holdout = data.holdout, holdout.rowCount > 0 else {
            return skipped("Without a holdout table there is no control for the attack (\(SinglingOutCheck.share(attack.linked, of: attack.targets)) of \(attack.targets) training patients linked across \(halves); random links \(SinglingOutCheck.share(baseline, of: attack.targets))); give --holdout for a verdict.")
        }
        let control = try Self.links(context: context, targets: holdout, params: p, rng: &rng)
        let controlRate = Double(control.linked) / Double(control.targets)
        m.append(Measurement("targets_holdout", Double(control.targets)))
        m.append(Measurement("control_rate", controlRate))
        if controlRate < 1 { m.append(Measurement("residual_risk", (attackRate - controlRate) / (1 - controlRate))) }
        let risk = AttributeInferenceCheck.residualRisk(attackSuccesses: Double(attack.linked), attacks: attack.targets,
                                                        controlSuccesses: Double(control.linked), controls: control.targets,
                                                        confidenceLevel: p.confidenceLevel)
        m.append(Measurement("residual_risk_ci_low", risk.low))
        m.append(Measurement("residual_risk_ci_high", risk.high))

        var summary = "Joining \(halves) through the \(p.neighbours == 1 ? "nearest synthetic record" : "\(p.neighbours) nearest synthetic records") links \(SinglingOutCheck.share(attack.linked, of: attack.targets)) of \(attack.targets) training patients and \(SinglingOutCheck.share(control.linked, of: control.targets)) of \(control.targets) unseen holdout patients (random links: \(SinglingOutCheck.share(baseline, of: attack.targets))); residual risk interval \(Format.percent(risk.low))–\(Format.percent(risk.high)) (\(Int((p.confidenceLevel * 100).rounded()))%)"
        if baseline >= attack.linked { summary += "; the attack does no better than random links, so the figures say little (anonymeter's warning)" }
        if risk.low > p.maxResidualRisk {
            return RuleOutcome(rule: rule, status: .fail, level: rule.severity,
                               message: summary + ": the release links the records of training patients beyond what it does for patients it never saw (lower bound above \(Format.percent(p.maxResidualRisk))).",
                               measurements: m, findings: [])
        }
        return RuleOutcome(rule: rule, status: .pass, level: rule.severity, message: summary + ".", measurements: m, findings: [])
    }

    // MARK: - Attack

    /// Targets attacked and how many were linked.
    struct Links {
        var targets: Int
        var linked: Int
    }

    /// The linkability attack on a seeded sample of `targets` (`_linkability_attack`).
    static func links(context: ScanContext, targets table: Table, params p: Params, rng: inout SeededRandom) throws -> Links {
        let rows = sample(min(p.attacks, table.rowCount), of: table.rowCount, rng: &rng)
        let n = context.data.synthetic.rowCount
        let a = try neighbours(context: context, targets: table, rows: rows, columns: p.halfA, params: p, rank: ranking(n, rng: &rng))
        let b = try neighbours(context: context, targets: table, rows: rows, columns: p.halfB, params: p, rank: ranking(n, rng: &rng))
        return Links(targets: rows.count, linked: zip(a, b).filter { linked($0, $1) }.count)
    }

    /// Whether two neighbour sets intersect (`LinkabilityIndexes.find_links`).
    static func linked(_ a: [Int32], _ b: [Int32]) -> Bool {
        a.contains { b.contains($0) }
    }

    /// A seeded random ranking of `n` synthetic rows, one per half: equally near records are taken
    /// in random order, independently on each half, as anonymeter's `argsort` takes them in an
    /// arbitrary order. Taking the lowest rows on both halves would make tied neighbour sets
    /// overlap by construction and inflate every rate (on label-only halves by a quarter).
    static func ranking(_ n: Int, rng: inout SeededRandom) -> [UInt32] {
        var order = (0..<n).map { UInt32($0) }
        SinglingOutQueryBuilder.shuffle(&order, rng: &rng)
        return order
    }

    static func neighbours(context: ScanContext, targets: Table, rows: [Int], columns: [String], params p: Params, rank: [UInt32]) throws -> [[Int32]] {
        var distance = p.distance
        distance.columns = columns
        do {
            let search = try NearestRecordsTopK(query: targets, reference: context.data.synthetic, train: context.data.train, distance: distance)
            return search.neighbours(of: rows, k: p.neighbours, rank: rank)
        } catch {
            throw CheckError.invalidParameter(rule: p.ruleID, name: "aux_columns", reason: error.description)
        }
    }

    /// The default halves: quasi-identifiers dealt, most distinct training values first, to the
    /// half whose product of distinct counts is smaller (ties to the first half), so that each
    /// half identifies about as well as the other. anonymeter has no default (`aux_cols` is
    /// required); splitting in list order can put all the coarse columns (sex, ZIP3) in one half,
    /// whose ties then hide even a copied record. Fewer than two columns give no halves.
    static func balancedSplit(_ names: [String], train: Table) -> (a: [String], b: [String]) {
        guard names.count >= 2 else { return ([], []) }
        let distinct = names.map { name -> Int in
            switch train.column(named: name)!.storage {
            case .numeric(let values, let missing):
                var set = Set<Double>(), hasMissing = false
                for (i, v) in values.enumerated() { if missing.isMissing(i) { hasMissing = true } else { set.insert(v) } }
                return set.count + (hasMissing ? 1 : 0)
            case .coded(let codes, _):
                return Set(codes).count
            }
        }
        let order = names.indices.sorted { distinct[$0] != distinct[$1] ? distinct[$0] > distinct[$1] : $0 < $1 }
        var a: [String] = [], b: [String] = []
        var weightA = 0.0, weightB = 0.0
        for i in order {
            let w = log(Double(max(distinct[i], 1)))
            if a.isEmpty || (!b.isEmpty && weightA <= weightB) { a.append(names[i]); weightA += w }
            else { b.append(names[i]); weightB += w }
        }
        return (a, b)
    }

    /// `_random_links`: for each attack, two independent sets of `k` distinct random synthetic
    /// rows; the number of attacks whose sets intersect.
    static func randomLinks(attacks: Int, synthetic n: Int, k: Int, rng: inout SeededRandom) -> Int {
        var linked = 0
        for _ in 0..<attacks {
            let a = sample(min(k, n), of: n, rng: &rng), b = sample(min(k, n), of: n, rng: &rng)
            if a.contains(where: { b.contains($0) }) { linked += 1 }
        }
        return linked
    }

    /// `k` distinct indices of `0..<n` (Floyd's algorithm), in draw order.
    static func sample(_ k: Int, of n: Int, rng: inout SeededRandom) -> [Int] {
        if k >= n { return Array(0..<n) }
        var chosen = Set<Int>(), order: [Int] = []
        order.reserveCapacity(k)
        for j in (n - k)..<n {
            let t = Int(rng.next() % UInt64(j + 1))
            let pick = chosen.contains(t) ? j : t
            chosen.insert(pick)
            order.append(pick)
        }
        return order
    }

    /// Parsed parameters.
    struct Params {
        var ruleID: String
        var halfA: [String]
        var halfB: [String]
        var attacks: Int
        var neighbours: Int
        var distance: RecordDistance
        var maxResidualRisk: Double
        var confidenceLevel: Double

        init(rule: RuleDescriptor, schema: Schema) throws {
            let p = rule.parameters
            ruleID = rule.id
            let a = try p.list("aux_columns_a", rule: rule.id), b = try p.list("aux_columns_b", rule: rule.id)
            for c in a + b where schema.index(of: c) == nil { throw CheckError.unknownColumn(rule: rule.id, column: c) }
            if a.isEmpty != b.isEmpty {
                throw CheckError.invalidParameter(rule: rule.id, name: a.isEmpty ? "aux_columns_a" : "aux_columns_b",
                                                  reason: "must be set when the other half is set (the attacker holds two data sets)")
            }
            if let shared = a.first(where: { b.contains($0) }) {
                throw CheckError.invalidParameter(rule: rule.id, name: "aux_columns_b", reason: "shares column '\(shared)' with aux_columns_a; the two halves must be disjoint")
            }
            if a.isEmpty {
                halfA = []
                halfB = []
            } else {
                halfA = Self.unique(a)
                halfB = Self.unique(b)
            }
            attacks = try p.integer("n_attacks", rule: rule.id)
            neighbours = try p.integer("n_neighbors", rule: rule.id)
            distance = try p.text("distance", rule: rule.id) == "gower" ? .gower : .anonymeter
            maxResidualRisk = try p.number("max_residual_risk", rule: rule.id)
            confidenceLevel = try p.number("confidence_level", rule: rule.id)
        }

        private static func unique(_ names: [String]) -> [String] {
            var seen = Set<String>()
            return names.filter { seen.insert($0).inserted }
        }
    }
}
