import Foundation

/// Attribute inference by the nearest synthetic record, as anonymeter 1.1.0's
/// `InferenceEvaluator` measures it (Giomi et al. 2023, PoPETs 2023(2);
/// `src/anonymeter/evaluators/inference_evaluator.py`, `neighbors/mixed_types_kneighbors.py`
/// `KNNInferencePredictor`, `stats/confidence.py`).
///
/// The attacker knows a patient's `aux_columns` and wants one secret column. For each target (a
/// seeded sample of `n_attacks` training records, without replacement; the whole table when it
/// is smaller, `_run_attack`'s `target.sample(n_attacks, replace=False)`), the guess is the secret
/// of the single nearest synthetic record over the auxiliary columns (anonymeter's Gower variant,
/// `RecordDistance.anonymeter`, searched by `NearestRecordsTopK` with k = 1). The guess is right
/// when it equals the target's secret (`evaluate_inference_guesses`; two missing values match);
/// for a numeric secret with `tolerance` > 0, when |guess − secret| / (|guess| + 1e-12) ≤
/// `tolerance` (anonymeter's `regression=True` mode, tolerance 0.05; its default
/// `regression=False` compares exactly, which is `tolerance` 0). **Baseline**: the secret of a
/// random synthetic record per target (`naive=True`: `syn.sample(n_attacks)`, at most one per
/// synthetic row). **Control**: the same attack on `n_attacks` holdout records. Rates, the
/// residual risk (attack − control)/(1 − control) and its interval are anonymeter's
/// (`EvaluationResults.risk()`: `AttributeInferenceCheck.residualRisk`, `successRate`).
///
/// Each secret column is attacked separately (anonymeter's `secret` is one column); the rule
/// reports each in its message and measures the worst (highest `residual_risk_ci_low`, then
/// highest residual risk); `secrets_failing` counts those whose interval lies above
/// `max_residual_risk`, and each of them is a finding (columns: the secret, then the auxiliary
/// columns) with its own rates and interval.
///
/// Differences from anonymeter, all deliberate: every sample is seeded (scan seed + rule id;
/// anonymeter's `DataFrame.sample` calls are unseeded), and the same targets serve every secret
/// (anonymeter draws new ones per evaluator); ties between equally near synthetic records are
/// broken by one seeded random ranking of the synthetic rows, shared by the training and the
/// holdout attack (anonymeter's `argsort` takes an arbitrary one); a missing value against a
/// present one counts 1 (anonymeter's distance becomes NaN and sorts last); numeric ranges come
/// from train ∪ synthetic (anonymeter: the sampled targets ∪ synthetic, the same when every
/// training record is attacked); the regression tolerance divides by |guess| (anonymeter divides
/// by the signed guess, so every negative guess would count as right).
///
/// Verdict: fail when the worst secret's `residual_risk_ci_low` > `max_residual_risk`, as
/// `attribute-inference` and `linkability`. Without a holdout table the rule is skipped, with the
/// attack and baseline rates measured.
public struct InferenceAttackCheck: Check {
    public static let kind = "inference-attack"
    public static let summary = "Measures how often the secret of the nearest synthetic record (over the columns an attacker knows) is a training patient's own secret, against unseen holdout patients (anonymeter's inference attack and residual risk)."
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("aux_columns", .columns, default: .list([]),
                      doc: "Columns the attacker knows; empty = the columns with the quasi_identifier role (the rule is skipped when there are none)."),
        ParameterSpec("secret_columns", .columns, default: .list([]),
                      doc: "Columns the attacker wants to learn, each attacked separately; empty = the columns with the sensitive role (the rule is skipped when there are none). Auxiliary columns are never secrets."),
        ParameterSpec("n_attacks", .integer(1...1_000_000), default: .integer(500),
                      doc: "Target patients sampled from each real table (anonymeter's default 500; a smaller table is attacked whole)."),
        ParameterSpec("tolerance", .number(NumberBounds(0, 1, lowerInclusive: true, upperInclusive: true)), default: .number(0),
                      doc: "Numeric secrets only: a guess is right when |guess − secret| / |guess| ≤ tolerance (anonymeter's regression mode uses 0.05; 0 = exact, anonymeter's default)."),
        ParameterSpec("max_residual_risk", .number(.unit), default: .number(0.05),
                      doc: "The rule fails when the lower end of the worst secret's residual risk interval exceeds this."),
        ParameterSpec("confidence_level", .number(NumberBounds(0.5, 1, lowerInclusive: true, upperInclusive: false)), default: .number(0.95),
                      doc: "Confidence level of the Wilson intervals (anonymeter's default 0.95)."),
    ]
    public static let measurements: [MeasurementSpec] = [
        MeasurementSpec("aux_columns", "Auxiliary (known) columns."),
        MeasurementSpec("secret_columns", "Secret columns attacked."),
        MeasurementSpec("targets_train", "Training patients attacked (per secret).", optional: true),
        MeasurementSpec("attack_rate", "Worst secret: share of training patients whose secret the nearest synthetic record gives.", optional: true),
        MeasurementSpec("attack_rate_ci_low", "Lower end of anonymeter's Wilson interval of that attack rate.", optional: true),
        MeasurementSpec("attack_rate_ci_high", "Upper end of that interval.", optional: true),
        MeasurementSpec("baseline_rate", "Worst secret: share guessed right by a random synthetic record.", optional: true),
        MeasurementSpec("targets_holdout", "Holdout patients attacked (per secret).", optional: true),
        MeasurementSpec("control_rate", "Worst secret: share of holdout patients guessed right.", optional: true),
        MeasurementSpec("residual_risk", "Worst secret: (attack_rate − control_rate) / (1 − control_rate) (anonymeter's residual success).", optional: true),
        MeasurementSpec("residual_risk_ci_low", "Worst secret: lower end of anonymeter's interval of the residual risk, clipped to [0, 1].", optional: true),
        MeasurementSpec("residual_risk_ci_high", "Upper end of that interval.", optional: true),
        MeasurementSpec("secrets_failing", "Secret columns whose residual risk interval lies above max_residual_risk.", optional: true),
    ]

    /// Creates the check.
    public init() {}

    public func run(rule: RuleDescriptor, context: ScanContext) throws -> RuleOutcome {
        let p = try Params(rule: rule, schema: context.schema)
        let data = context.data
        var m = [Measurement("aux_columns", Double(p.aux.count)), Measurement("secret_columns", Double(p.secrets.count))]
        func skipped(_ message: String) -> RuleOutcome {
            RuleOutcome(rule: rule, status: .skipped, level: rule.severity, message: message, measurements: m, findings: [])
        }
        if p.aux.isEmpty {
            return skipped("No auxiliary column is declared (roles.quasi_identifiers in the configuration, --quasi-identifiers on the command line, or the rule's `aux_columns`): the attacker knows nothing to search on.")
        }
        if p.secrets.isEmpty {
            return skipped("No secret column is declared (roles.sensitive in the configuration, or the rule's `secret_columns`; auxiliary columns do not count): there is no value to infer.")
        }
        if data.train.rowCount == 0 || data.synthetic.rowCount == 0 { return skipped("The training or the synthetic table has no rows: there is nothing to attack.") }

        var rng = SeededRandom(seed: context.configuration.seed, stream: SeededRandom.stream(rule.id + "/inference-attack"))
        let rank = LinkabilityCheck.ranking(data.synthetic.rowCount, rng: &rng)
        let trainRows = LinkabilityCheck.sample(min(p.attacks, data.train.rowCount), of: data.train.rowCount, rng: &rng)
        let attack = try Self.successes(context: context, targets: data.train, rows: trainRows, params: p, rank: rank)
        let baseline = p.secrets.map { Self.baseline(context: context, targets: data.train, rows: trainRows, secret: $0, tolerance: p.tolerance, rng: &rng) }
        let z = Statistics.normalQuantile(0.5 * (1 + p.confidenceLevel))
        let auxText = QuasiIdentifierDisclosureCheck.columnList(p.aux)
        m.append(Measurement("targets_train", Double(trainRows.count)))

        guard let holdout = data.holdout, holdout.rowCount > 0 else {
            // The worst secret without a control: the highest attack rate.
            let w = attack.indices.max { attack[$0] != attack[$1] ? attack[$0] < attack[$1] : $0 > $1 }!
            Self.appendAttack(&m, successes: attack[w], baseline: baseline[w], targets: trainRows.count, z: z)
            let each = p.secrets.indices.map { "\(p.secrets[$0]) \(SinglingOutCheck.share(attack[$0], of: trainRows.count)) (random \(SinglingOutCheck.share(baseline[$0].successes, of: baseline[$0].guesses)))" }.joined(separator: ", ")
            return skipped("Without a holdout table there is no control for the attack (reading each secret off the nearest synthetic record over \(auxText) guesses right for \(each) of \(trainRows.count) training patients); give --holdout for a verdict.")
        }
        let holdoutRows = LinkabilityCheck.sample(min(p.attacks, holdout.rowCount), of: holdout.rowCount, rng: &rng)
        let control = try Self.successes(context: context, targets: holdout, rows: holdoutRows, params: p, rank: rank)
        let risks = p.secrets.indices.map { i in
            AttributeInferenceCheck.residualRisk(attackSuccesses: Double(attack[i]), attacks: trainRows.count,
                                                 controlSuccesses: Double(control[i]), controls: holdoutRows.count,
                                                 confidenceLevel: p.confidenceLevel)
        }
        func plain(_ i: Int) -> Double? {
            let a = Double(attack[i]) / Double(trainRows.count), c = Double(control[i]) / Double(holdoutRows.count)
            return c < 1 ? (a - c) / (1 - c) : nil
        }
        let w = p.secrets.indices.max { a, b in
            if risks[a].low != risks[b].low { return risks[a].low < risks[b].low }
            let ra = plain(a) ?? -.infinity, rb = plain(b) ?? -.infinity
            return ra != rb ? ra < rb : a > b
        }!
        Self.appendAttack(&m, successes: attack[w], baseline: baseline[w], targets: trainRows.count, z: z)
        m.append(Measurement("targets_holdout", Double(holdoutRows.count)))
        m.append(Measurement("control_rate", Double(control[w]) / Double(holdoutRows.count)))
        if let r = plain(w) { m.append(Measurement("residual_risk", r)) }
        m.append(Measurement("residual_risk_ci_low", risks[w].low))
        m.append(Measurement("residual_risk_ci_high", risks[w].high))
        let failing = p.secrets.indices.filter { risks[$0].low > p.maxResidualRisk }
        m.append(Measurement("secrets_failing", Double(failing.count)))

        let level = "\(Int((p.confidenceLevel * 100).rounded()))%"
        let each = p.secrets.indices.map { i in
            "\(p.secrets[i]): \(SinglingOutCheck.share(attack[i], of: trainRows.count)) of training and \(SinglingOutCheck.share(control[i], of: holdoutRows.count)) of holdout patients (random \(SinglingOutCheck.share(baseline[i].successes, of: baseline[i].guesses))), residual risk interval \(Format.percent(risks[i].low))–\(Format.percent(risks[i].high))"
        }.joined(separator: "; ")
        var summary = "Reading each secret off the nearest synthetic record over \(auxText) guesses right for \(each) (\(trainRows.count) training and \(holdoutRows.count) holdout patients attacked, \(level))"
        let weak = p.secrets.indices.filter { baseline[$0].successes * trainRows.count >= attack[$0] * baseline[$0].guesses }
        if !weak.isEmpty { summary += "; for \(QuasiIdentifierDisclosureCheck.columnList(weak.map { p.secrets[$0] })) the attack does no better than random guesses, so the figures say little (anonymeter's warning)" }
        if !failing.isEmpty {
            // One finding per failing secret, with its own figures (the outcome's are the worst's).
            let findings = failing.map { i in
                let attackRate = Double(attack[i]) / Double(trainRows.count), controlRate = Double(control[i]) / Double(holdoutRows.count)
                var fm = [Measurement("attack_rate", attackRate), Measurement("control_rate", controlRate),
                          Measurement("baseline_rate", Double(baseline[i].successes) / Double(max(baseline[i].guesses, 1)))]
                if let r = plain(i) { fm.append(Measurement("residual_risk", r)) }
                fm += [Measurement("residual_risk_ci_low", risks[i].low), Measurement("residual_risk_ci_high", risks[i].high)]
                return Finding(ruleID: rule.id, level: rule.severity,
                               message: "The nearest synthetic record over \(auxText) gives away \(p.secrets[i]) for \(SinglingOutCheck.share(attack[i], of: trainRows.count)) of training patients against \(SinglingOutCheck.share(control[i], of: holdoutRows.count)) of unseen holdout patients (residual risk interval \(Format.percent(risks[i].low))–\(Format.percent(risks[i].high)), limit \(Format.percent(p.maxResidualRisk))).",
                               location: FindingLocation(table: .synthetic, columns: [p.secrets[i]] + p.aux),
                               fingerprint: FindingFingerprint.make(rule: rule.id, kind: "inference-attack-secret", key: p.secrets[i]),
                               measurements: fm)
            }
            return RuleOutcome(rule: rule, status: .fail, level: rule.severity,
                               message: summary + ": the release discloses \(QuasiIdentifierDisclosureCheck.columnList(failing.map { p.secrets[$0] })) of training patients beyond what it reveals about patients it never saw (lower bound above \(Format.percent(p.maxResidualRisk))).",
                               measurements: m, findings: findings)
        }
        return RuleOutcome(rule: rule, status: .pass, level: rule.severity, message: summary + ".", measurements: m, findings: [])
    }

    static func appendAttack(_ m: inout [Measurement], successes: Int, baseline: (successes: Int, guesses: Int), targets: Int, z: Double) {
        let ci = AttributeInferenceCheck.successRate(successes: Double(successes), total: targets, z: z)
        m.append(Measurement("attack_rate", Double(successes) / Double(targets)))
        m.append(Measurement("attack_rate_ci_low", SinglingOutCheck.clip(ci.rate - ci.error)))
        m.append(Measurement("attack_rate_ci_high", SinglingOutCheck.clip(ci.rate + ci.error)))
        m.append(Measurement("baseline_rate", Double(baseline.successes) / Double(max(baseline.guesses, 1))))
    }

    // MARK: - Attack

    /// The synthetic row guessed for each of `rows` of `targets`: its nearest synthetic record
    /// over `aux` (`KNNInferencePredictor`), equally near records ordered by `rank`.
    static func guesses(context: ScanContext, targets: Table, rows: [Int], aux: [String], rank: [UInt32], ruleID: String) throws -> [Int] {
        var distance = RecordDistance.anonymeter
        distance.columns = aux
        do {
            let search = try NearestRecordsTopK(query: targets, reference: context.data.synthetic, train: context.data.train, distance: distance)
            return search.neighbours(of: rows, k: 1, rank: rank).map { Int($0[0]) }
        } catch {
            throw CheckError.invalidParameter(rule: ruleID, name: "aux_columns", reason: error.description)
        }
    }

    /// Correct guesses per secret column, for the targets `rows` of `targets`.
    static func successes(context: ScanContext, targets: Table, rows: [Int], params p: Params, rank: [UInt32]) throws -> [Int] {
        let guessed = try guesses(context: context, targets: targets, rows: rows, aux: p.aux, rank: rank, ruleID: p.ruleID)
        let synthetic = context.data.synthetic
        return p.secrets.map { secret in
            let s = synthetic.column(named: secret)!, t = targets.column(named: secret)!
            return zip(rows, guessed).filter { correct(guess: s, row: $1, secret: t, row: $0, tolerance: p.tolerance) }.count
        }
    }

    /// `naive=True`: one random synthetic record per target (distinct, at most one per synthetic
    /// row); correct guesses and guesses made.
    static func baseline(context: ScanContext, targets: Table, rows: [Int], secret: String, tolerance: Double,
                         rng: inout SeededRandom) -> (successes: Int, guesses: Int) {
        let synthetic = context.data.synthetic
        // A full shuffle, not `LinkabilityCheck.sample`, which returns every row in table order when
        // asked for all of them and would pair target i with synthetic row i.
        var order = (0..<synthetic.rowCount).map { UInt32($0) }
        SinglingOutQueryBuilder.shuffle(&order, rng: &rng)
        let picks = order.prefix(min(rows.count, synthetic.rowCount)).map { Int($0) }
        let s = synthetic.column(named: secret)!, t = targets.column(named: secret)!
        return (zip(rows, picks).filter { correct(guess: s, row: $1, secret: t, row: $0, tolerance: tolerance) }.count, picks.count)
    }

    /// `evaluate_inference_guesses`: two missing values match; labels match when equal; numbers
    /// when equal, or with `tolerance` > 0 when |guess − secret| / (|guess| + 1e-12) ≤ tolerance.
    static func correct(guess g: Column, row gr: Int, secret t: Column, row tr: Int, tolerance: Double) -> Bool {
        switch (g.storage, t.storage) {
        case (.numeric(let gv, let gm), .numeric(let tv, let tm)):
            let gMissing = gm.isMissing(gr) || gv[gr].isNaN, tMissing = tm.isMissing(tr) || tv[tr].isNaN
            if gMissing || tMissing { return gMissing && tMissing }
            if gv[gr] == tv[tr] { return true }
            return tolerance > 0 && abs(gv[gr] - tv[tr]) / (abs(gv[gr]) + 1e-12) <= tolerance
        case (.coded(let gc, _), .coded(let tc, _)):
            return gc[gr] == tc[tr]
        default:
            return false
        }
    }

    /// Parsed parameters.
    struct Params {
        var ruleID: String
        var aux: [String]
        var secrets: [String]
        var attacks: Int
        var tolerance: Double
        var maxResidualRisk: Double
        var confidenceLevel: Double

        init(rule: RuleDescriptor, schema: Schema) throws {
            let p = rule.parameters
            ruleID = rule.id
            let listedAux = try p.list("aux_columns", rule: rule.id), listedSecrets = try p.list("secret_columns", rule: rule.id)
            for c in listedAux + listedSecrets where schema.index(of: c) == nil { throw CheckError.unknownColumn(rule: rule.id, column: c) }
            aux = Self.unique(listedAux.isEmpty
                ? schema.names(withRole: .quasiIdentifier).filter { schema.comparableColumnNames.contains($0) }
                : listedAux)
            let auxSet = Set(aux)
            secrets = Self.unique(listedSecrets.isEmpty ? schema.names(withRole: .sensitive) : listedSecrets).filter { !auxSet.contains($0) }
            attacks = try p.integer("n_attacks", rule: rule.id)
            tolerance = try p.number("tolerance", rule: rule.id)
            maxResidualRisk = try p.number("max_residual_risk", rule: rule.id)
            confidenceLevel = try p.number("confidence_level", rule: rule.id)
        }

        private static func unique(_ names: [String]) -> [String] {
            var seen = Set<String>()
            return names.filter { seen.insert($0).inserted }
        }
    }
}
