import Foundation

/// Singling out, as anonymeter 1.1.0's `SinglingOutEvaluator` measures it (Giomi et al. 2023,
/// "A Unified Framework for Quantifying Privacy Risk in Synthetic Data", PoPETs 2023(2);
/// `src/anonymeter/evaluators/singling_out_evaluator.py`, `stats/confidence.py`).
///
/// - **Queries** are built from the synthetic table only (seeded from the scan seed and the rule
///   id; `SinglingOutQueryBuilder`): univariate (rare values, extremes, a single missing value) or
///   multivariate (a random synthetic record's values on `n_cols` random columns, numbers as the
///   more extreme half-line); a query is kept when it matches exactly one synthetic record. All
///   three tables are deduplicated on the attack columns first, as anonymeter does.
/// - **Attack**: a query succeeds when it matches exactly one TRAINING record. `attack_rate` =
///   successes / `n_attacks`. **Control**: the same queries on the holdout table. Singling out
///   depends on table size, so attack and control are compared at the size of the smaller real
///   table: the larger one is brought down to it by the exact hypergeometric expectation
///   (`SinglingOutSizeCorrection`; anonymeter instead rescales the control with a fitted model,
///   which extrapolates badly). **Baseline**: `n_attacks` random queries (`_random_queries`) on
///   the training table.
/// - **Denominator**: always `n_attacks`, the number requested, also when fewer queries could be
///   built. anonymeter 1.1.0's `SinglingOutEvaluator.results()` does the same
///   (`EvaluationResults(n_attacks=self._n_attacks, ...)`) and only logs that the risk may be
///   under-estimated; its `EvaluationResults` accepts one count per attack, which the LeakPro fork
///   uses to divide the main and control attacks by the queries built (LeakPro issue #182, PR
///   #183). That measures the success per query the attacker could form; ours measures the
///   success per attempt, in which failing to form a query is a failure, and stays comparable
///   with anonymeter. We report `queries_built` and say in the message when fewer were built
///   (the risk is then a lower bound of the per-query risk).
/// - **Risk**: anonymeter's residual risk (attack − control)/(1 − control) with its interval
///   (Wilson score rates ± the propagated error, clipped to [0, 1]; `EvaluationResults.risk()`).
///
/// Verdict: fail when `residual_risk_ci_low` > `max_residual_risk`, as `attribute-inference`.
/// Without a holdout table the rule is skipped, with the attack and baseline rates measured.
public struct SinglingOutCheck: Check {
    public static let kind = "singling-out"
    public static let summary = "Measures how often predicate queries built from the release single out exactly one training patient, against the same queries on unseen holdout patients (anonymeter's singling-out attack and residual risk)."
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("n_attacks", .integer(1...1_000_000), default: .integer(500),
                      doc: "Queries requested, and the denominator of every rate (anonymeter's default 500)."),
        ParameterSpec("mode", .choice(["univariate", "multivariate"]), default: .text("multivariate"),
                      doc: "`univariate`: one-column queries from rare values, extremes and a single missing value; `multivariate`: conjunctions over `n_cols` columns of a random synthetic record (anonymeter's default)."),
        ParameterSpec("n_cols", .integer(1...100), default: .integer(3),
                      doc: "Columns per multivariate query (anonymeter's default 3; capped at the number of attack columns)."),
        ParameterSpec("columns", .columns, default: .list([]),
                      doc: "Columns the attacker queries; empty = every comparable column (no identifier, ignored or free-text column)."),
        ParameterSpec("max_attempts", .integer(1...100_000_000), default: .integer(100_000),
                      doc: "Most multivariate query attempts (anonymeter's default is 10,000,000; ours bounds the scan time)."),
        ParameterSpec("max_residual_risk", .number(.unit), default: .number(0.05),
                      doc: "The rule fails when the lower end of the residual risk's interval exceeds this."),
        ParameterSpec("confidence_level", .number(NumberBounds(0.5, 1, lowerInclusive: true, upperInclusive: false)), default: .number(0.95),
                      doc: "Confidence level of the Wilson intervals (anonymeter's default 0.95)."),
    ]
    public static let measurements: [MeasurementSpec] = [
        MeasurementSpec("attack_columns", "Columns the queries may use."),
        MeasurementSpec("queries_requested", "n_attacks: the denominator of every rate."),
        MeasurementSpec("queries_built", "Distinct queries that single out exactly one synthetic record (at most n_attacks).", optional: true),
        MeasurementSpec("query_attempts", "Multivariate records drawn to build them.", optional: true),
        MeasurementSpec("attack_rate", "Share of the n_attacks queries that match exactly one training record.", optional: true),
        MeasurementSpec("attack_rate_ci_low", "Lower end of anonymeter's Wilson interval of the attack rate.", optional: true),
        MeasurementSpec("attack_rate_ci_high", "Upper end of that interval.", optional: true),
        MeasurementSpec("baseline_rate", "Share of n_attacks random queries that match exactly one training record.", optional: true),
        MeasurementSpec("compared_size", "Distinct records at which attack and control are compared: the smaller of the deduplicated training and holdout tables.", optional: true),
        MeasurementSpec("attack_rate_compared", "Expected attack rate on a random subsample of compared_size training records (attack_rate when the training table is not larger).", optional: true),
        MeasurementSpec("control_rate", "Share of the queries that match exactly one holdout record, at compared_size (expected over random subsamples when the holdout is larger).", optional: true),
        MeasurementSpec("residual_risk", "(attack_rate_compared − control_rate) / (1 − control_rate) (anonymeter's residual success).", optional: true),
        MeasurementSpec("residual_risk_ci_low", "Lower end of anonymeter's interval of the residual risk, clipped to [0, 1].", optional: true),
        MeasurementSpec("residual_risk_ci_high", "Upper end of that interval.", optional: true),
    ]

    /// Creates the check.
    public init() {}

    public func run(rule: RuleDescriptor, context: ScanContext) throws -> RuleOutcome {
        let p = try Params(rule: rule, schema: context.schema)
        let data = context.data
        var m = [Measurement("attack_columns", Double(p.columns.count)), Measurement("queries_requested", Double(p.attacks))]
        func skipped(_ message: String) -> RuleOutcome {
            RuleOutcome(rule: rule, status: .skipped, level: rule.severity, message: message, measurements: m, findings: [])
        }
        if p.columns.isEmpty { return skipped("No column is left to query (identifiers, ignored and free-text columns are never queried).") }
        if data.train.rowCount == 0 || data.synthetic.rowCount == 0 { return skipped("The training or the synthetic table has no rows: there is nothing to attack.") }

        let attack = Self.attack(context: context, rule: rule, params: p)
        m.append(Measurement("queries_built", Double(attack.queries.count)))
        if p.multivariate { m.append(Measurement("query_attempts", Double(attack.attempts))) }
        let z = Statistics.normalQuantile(0.5 * (1 + p.confidenceLevel))
        let n = Double(p.attacks)
        let attackCI = AttributeInferenceCheck.successRate(successes: Double(attack.train), total: p.attacks, z: z)
        m.append(Measurement("attack_rate", Double(attack.train) / n))
        m.append(Measurement("attack_rate_ci_low", Self.clip(attackCI.rate - attackCI.error)))
        m.append(Measurement("attack_rate_ci_high", Self.clip(attackCI.rate + attackCI.error)))
        m.append(Measurement("baseline_rate", Double(attack.baseline) / n))

        let built = attack.queries.count < p.attacks
            ? " Only \(attack.queries.count) of the \(p.attacks) requested queries single out a synthetic record; rates are over the \(p.attacks) requested, so the risk per query formed is higher."
            : ""
        let columnsText = p.columns.count == 1 ? "1 column" : "\(p.columns.count) columns"
        guard let control = attack.control else {
            return skipped("Without a holdout table there is no control for the attack (\(Self.share(attack.train, of: p.attacks)) of \(p.attacks) \(p.mode) queries over \(columnsText) single out a training patient; random queries \(Self.share(attack.baseline, of: p.attacks))); give --holdout for a verdict." + built)
        }
        let attackRate = control.attackSuccesses / n, controlRate = control.successes / n
        m.append(Measurement("compared_size", Double(control.size)))
        m.append(Measurement("attack_rate_compared", attackRate))
        m.append(Measurement("control_rate", controlRate))
        if controlRate < 1 { m.append(Measurement("residual_risk", (attackRate - controlRate) / (1 - controlRate))) }
        let risk = AttributeInferenceCheck.residualRisk(attackSuccesses: control.attackSuccesses, attacks: p.attacks,
                                                        controlSuccesses: control.successes, controls: p.attacks, confidenceLevel: p.confidenceLevel)
        m.append(Measurement("residual_risk_ci_low", risk.low))
        m.append(Measurement("residual_risk_ci_high", risk.high))

        var summary = "Of \(p.attacks) \(p.mode) queries built from the release over \(columnsText), \(Self.share(attack.train, of: p.attacks)) single out exactly one training patient and \(Self.share(control.rawSuccesses, of: p.attacks, rate: controlRate)) an unseen holdout patient (random queries: \(Self.share(attack.baseline, of: p.attacks))); residual risk interval \(Format.percent(risk.low))–\(Format.percent(risk.high)) (\(Int((p.confidenceLevel * 100).rounded()))%)"
        if attack.baseline >= attack.train { summary += "; the attack does no better than random queries, so the figures say little (anonymeter's warning)" }
        if risk.low > p.maxResidualRisk {
            return RuleOutcome(rule: rule, status: .fail, level: rule.severity,
                               message: summary + ": the release singles out training patients beyond what it does for patients it never saw (lower bound above \(Format.percent(p.maxResidualRisk)))." + built,
                               measurements: m, findings: [])
        }
        return RuleOutcome(rule: rule, status: .pass, level: rule.severity, message: summary + "." + built, measurements: m, findings: [])
    }

    // MARK: - Attack

    /// The attack and the control at the size of the smaller real table.
    struct Control {
        /// Distinct records compared (min of the deduplicated training and holdout sizes).
        var size: Int
        /// Training successes at that size (expected over subsamples when train is larger).
        var attackSuccesses: Double
        /// Holdout successes at that size (expected over subsamples when the holdout is larger).
        var successes: Double
        /// Holdout successes on the whole holdout table.
        var rawSuccesses: Int
    }

    /// What the attack found.
    struct Result {
        var queries: [SinglingOutQuery]
        var attempts: Int
        var train: Int
        var baseline: Int
        var control: Control?
    }

    /// Builds the queries on the synthetic table and counts successes on train, holdout and the baseline.
    static func attack(context: ScanContext, rule: RuleDescriptor, params p: Params) -> Result {
        let data = context.data
        func table(_ t: Table) -> QueryTable { QueryTable(table: t, names: p.columns, digests: context.digests(of: t, columns: p.columns)) }
        let synthetic = table(data.synthetic), train = table(data.train)
        var builder = SinglingOutQueryBuilder(synthetic: synthetic,
                                              rng: SeededRandom(seed: context.configuration.seed, stream: SeededRandom.stream(rule.id + "/singling-out")))
        let queries: [SinglingOutQuery], attempts: Int
        if p.multivariate {
            (queries, attempts) = builder.multivariate(limit: p.attacks, columns: p.nCols, maxAttempts: p.maxAttempts)
        } else {
            (queries, attempts) = (builder.univariate(limit: p.attacks), 0)
        }
        let baselineQueries = builder.random(count: p.attacks, columns: p.multivariate ? p.nCols : 1)
        let holdout = data.holdout.map(table)
        // Full match counts on train only when it must be brought down to a smaller holdout.
        let trainLimit = holdout.map { train.count > $0.count } == true ? Int.max : 2
        let trainMatches = queries.map { train.count($0, limit: trainLimit) }
        let baseline = baselineQueries.reduce(0) { $0 + (train.count($1, limit: 2) == 1 ? 1 : 0) }
        var control: Control?
        if let holdout {
            let matches = queries.map { holdout.count($0) }
            let size = min(train.count, holdout.count)
            control = Control(size: size,
                              attackSuccesses: SinglingOutSizeCorrection.expectedSuccesses(matchCounts: trainMatches, tableSize: train.count, size: size),
                              successes: SinglingOutSizeCorrection.expectedSuccesses(matchCounts: matches, tableSize: holdout.count, size: size),
                              rawSuccesses: matches.filter { $0 == 1 }.count)
        }
        return Result(queries: queries, attempts: attempts, train: trainMatches.filter { $0 == 1 }.count, baseline: baseline, control: control)
    }

    /// A success count of real patients as a message may show it: "<11 of n" for 1 to 10 successes
    /// (`SmallCellGuard`: neither the count nor a percentage revealing it), else the percentage
    /// (`rate`, when given, is a rescaled rate shown in place of count/n).
    static func share(_ count: Int, of total: Int, rate: Double? = nil) -> String {
        if (1...SmallCellGuard.threshold).contains(count) { return "<\(SmallCellGuard.threshold + 1) of \(total)" }
        return Format.percent(rate ?? Double(count) / Double(max(total, 1)))
    }

    static func clip(_ x: Double) -> Double { Swift.min(Swift.max(x, 0), 1) }

    /// Parsed parameters.
    struct Params {
        var attacks: Int
        var multivariate: Bool
        var mode: String
        var nCols: Int
        var columns: [String]
        var maxAttempts: Int
        var maxResidualRisk: Double
        var confidenceLevel: Double

        init(rule: RuleDescriptor, schema: Schema) throws {
            let p = rule.parameters
            attacks = try p.integer("n_attacks", rule: rule.id)
            mode = try p.text("mode", rule: rule.id)
            multivariate = mode == "multivariate"
            nCols = try p.integer("n_cols", rule: rule.id)
            let listed = try p.list("columns", rule: rule.id)
            for c in listed where schema.index(of: c) == nil { throw CheckError.unknownColumn(rule: rule.id, column: c) }
            var seen = Set<String>()
            let chosen = listed.isEmpty ? schema.comparableColumnNames : listed
            columns = chosen.filter { seen.insert($0).inserted }
            maxAttempts = try p.integer("max_attempts", rule: rule.id)
            maxResidualRisk = try p.number("max_residual_risk", rule: rule.id)
            confidenceLevel = try p.number("confidence_level", rule: rule.id)
        }
    }
}
