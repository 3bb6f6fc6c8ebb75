import Foundation

/// Attribute inference through the quasi-identifiers: SDMetrics' CAP family (correct attribution
/// probability, Taub et al. 2018) as `DisclosureProtection` computes it, plus a holdout control in
/// the manner of anonymeter (Giomi et al. 2023).
///
/// Definitions, as read in SDMetrics 0.32.0 (`sdmetrics/single_table/privacy/`):
/// - **Categories** (`disclosure_protection.py`, `_discretize_and_fillna`). Key columns (default:
///   the quasi-identifiers) and sensitive columns (default: the sensitive columns) become
///   categories. Numeric and datetime columns are binned as `_discretize_column` does:
///   `pd.cut(real, bins)` into equal-width bins over the REAL (training) values, then the outer
///   edges are widened to ±∞ and the same edges cut the synthetic (and here the holdout) values.
///   pandas' `_nbins_to_bins` (`pandas/core/reshape/tile.py`) takes `np.linspace(min, max, bins + 1)`
///   (edge i = i·step + min, last edge = max; for a constant column min and max are first moved by
///   0.1% of |value|, or by 0.001 at 0) and lowers the first edge by 0.1% of the range; intervals
///   are right-closed, `(e[i], e[i+1]]`. Because every real value lies inside the outer edges and
///   the synthetic cut widens them to ±∞, a value's bin is the number of INNER edges strictly below
///   it; the 0.1% widening of the lowest edge never changes a bin (the tests pin this). Missing is a
///   category of its own (`fillna` with `__NULL_VALUE__`). Other columns compare by label.
///   Datetimes are binned on seconds since the epoch (SDMetrics bins int64 nanoseconds, the same
///   edges up to rounding; it turns NaT into the int64 minimum, which we do not copy: missing stays
///   its own category).
/// - **Row score** (`cap.py` `CAPAttacker.score`, `util.py` `count_frequency`): for a real record
///   with key k and sensitive tuple s, the share of synthetic rows with key k whose sensitive tuple
///   is s. `cap`: records whose key no synthetic row has are not scored (`base.py`,
///   `CategoricalPrivacyMetric.compute`, `row_score is None`); `zero_cap` (`ZeroCAPAttacker`):
///   they score 0.
/// - `cap_protection` = 1 − mean row score over the scored training records;
///   `baseline_protection` = 1 − 1/∏ nunique(training sensitive column, missing included)
///   (`_compute_baseline`); `disclosure_protection` = min(cap_protection / baseline_protection, 1)
///   (`compute_breakdown`; not reported when the baseline is 0).
///
/// Holdout control (beyond SDMetrics): the same attack on holdout records, which the generator
/// never saw. `cap_attack_train` / `cap_attack_holdout` are the mean row scores. A row score is the
/// success probability of an attacker who guesses a sensitive tuple drawn from the synthetic rows
/// sharing the key, so Σ scores is the expected number of correct guesses. The residual risk is
/// anonymeter's (`anonymeter/stats/confidence.py`, `residual_success`):
/// (attack − control) / (1 − control). Its interval is anonymeter's `EvaluationResults.risk()`:
/// each rate is the Wilson score estimate (`success_rate`, z = Φ⁻¹((1 + confidence_level)/2))
/// with n = records scored and "successes" = Σ scores; the residual of the two Wilson centres ±
/// the error propagated from both Wilson half-widths, clipped to [0, 1]. With heterogeneous
/// success probabilities the binomial variance used is an upper bound (Σpᵢ(1−pᵢ) ≤ n·p̄(1−p̄)), so
/// the interval is conservative. `residual_risk` itself is the formula on the plain means.
///
/// Verdict: fail when `residual_risk_ci_low` > `max_residual_risk`: the attack succeeds on
/// training patients more than `max_residual_risk` of the way beyond its success on unseen
/// patients, with confidence. One rule carries size and significance together, and a release
/// whose training and holdout patients are inferred equally well (the generalisation a synthetic
/// release is for) passes however high the raw CAP is. Without a holdout table the rule is
/// skipped, with the SDMetrics figures measured.
public struct AttributeInferenceCheck: Check {
    public static let kind = "attribute-inference"
    public static let summary = "Measures how well the release lets an attacker who knows a patient's quasi-identifiers infer their sensitive values (SDMetrics DisclosureProtection, CAP and zero-CAP), and how much better this works for training patients than for unseen holdout patients (anonymeter's residual risk)."
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("key_columns", .columns, default: .list([]),
                      doc: "Columns the attacker knows; empty = the columns with the quasi_identifier role (the rule is skipped when there are none)."),
        ParameterSpec("sensitive_columns", .columns, default: .list([]),
                      doc: "Columns the attacker wants to learn (their values together form the guessed tuple); empty = the columns with the sensitive role (the rule is skipped when there are none). Key columns are never sensitive columns."),
        ParameterSpec("method", .choice(["cap", "zero_cap"]), default: .text("zero_cap"),
                      doc: "SDMetrics computation method: `cap` scores only real records whose key occurs in the release; `zero_cap` scores every real record, 0 when its key does not occur."),
        ParameterSpec("bins", .integer(1...1000), default: .integer(10),
                      doc: "Equal-width bins for numeric and datetime key or sensitive columns, over the training values (SDMetrics `num_discrete_bins`)."),
        ParameterSpec("max_residual_risk", .number(.unit), default: .number(0.05),
                      doc: "The rule fails when the lower end of the residual risk's interval exceeds this."),
        ParameterSpec("confidence_level", .number(NumberBounds(0.5, 1, lowerInclusive: true, upperInclusive: false)), default: .number(0.95),
                      doc: "Confidence level of the Wilson intervals behind the residual risk interval (anonymeter's default 0.95)."),
    ]
    public static let measurements: [MeasurementSpec] = [
        MeasurementSpec("key_columns", "Key (known) columns."),
        MeasurementSpec("sensitive_columns", "Sensitive (guessed) columns."),
        MeasurementSpec("records_scored_train", "Training records scored (with `cap`, those whose key occurs in the release).", optional: true),
        MeasurementSpec("cap_protection", "SDMetrics cap_protection: 1 − mean row score over the scored training records.", optional: true),
        MeasurementSpec("baseline_protection", "SDMetrics baseline_protection: 1 − 1/∏ distinct training values (bins, missing included) of each sensitive column.", optional: true),
        MeasurementSpec("disclosure_protection", "SDMetrics DisclosureProtection score: min(cap_protection / baseline_protection, 1).", optional: true),
        MeasurementSpec("cap_attack_train", "Mean row score of training records: the attacker's expected success rate on patients the generator saw.", optional: true),
        MeasurementSpec("records_scored_holdout", "Holdout records scored.", optional: true),
        MeasurementSpec("cap_attack_holdout", "Mean row score of holdout records: the success rate on unseen patients (the control).", optional: true),
        MeasurementSpec("residual_risk", "(cap_attack_train − cap_attack_holdout) / (1 − cap_attack_holdout) (anonymeter's residual success; negative when unseen patients are inferred better).", optional: true),
        MeasurementSpec("residual_risk_ci_low", "Lower end of anonymeter's interval of the residual risk: Wilson-centred rates ± propagated Wilson half-widths at confidence_level, clipped to [0, 1].", optional: true),
        MeasurementSpec("residual_risk_ci_high", "Upper end of that interval.", optional: true),
    ]

    /// Creates the check.
    public init() {}

    public func run(rule: RuleDescriptor, context: ScanContext) throws -> RuleOutcome {
        let p = try Params(rule: rule, schema: context.schema)
        let data = context.data
        var m = [Measurement("key_columns", Double(p.keys.count)), Measurement("sensitive_columns", Double(p.sensitive.count))]
        func skipped(_ message: String) -> RuleOutcome {
            RuleOutcome(rule: rule, status: .skipped, level: rule.severity, message: message, measurements: m, findings: [])
        }
        if p.keys.isEmpty {
            return skipped("No key column is declared (roles.quasi_identifiers in the configuration, --quasi-identifiers on the command line, or the rule's `key_columns`): the attacker knows nothing to link on.")
        }
        if p.sensitive.isEmpty {
            return skipped("No sensitive column is declared (roles.sensitive in the configuration, or the rule's `sensitive_columns`; key columns do not count): there is no value to infer.")
        }
        if data.train.rowCount == 0 || data.synthetic.rowCount == 0 {
            return skipped("The training or the synthetic table has no rows: there is nothing to attack.")
        }

        let a = Self.analyse(context: context, keys: p.keys, sensitive: p.sensitive, bins: p.bins, zeroCAP: p.zeroCAP)
        let train = a.train
        m.append(Measurement("records_scored_train", Double(train.scored)))
        if let capProtection = train.protection {
            m.append(Measurement("cap_protection", capProtection))
        }
        m.append(Measurement("baseline_protection", a.baselineProtection))
        if let score = a.disclosureProtection { m.append(Measurement("disclosure_protection", score)) }
        if let rate = train.rate { m.append(Measurement("cap_attack_train", rate)) }

        guard let holdout = a.holdout else {
            return skipped("Without a holdout table there is no control for the attack (SDMetrics figures are measured: cap_protection \(Self.fmt(train.protection)), disclosure_protection \(Self.fmt(a.disclosureProtection))); give --holdout for a verdict.")
        }
        m.append(Measurement("records_scored_holdout", Double(holdout.scored)))
        if let rate = holdout.rate { m.append(Measurement("cap_attack_holdout", rate)) }

        let keyText = QuasiIdentifierDisclosureCheck.columnList(p.keys)
        let sensitiveText = QuasiIdentifierDisclosureCheck.columnList(p.sensitive)
        guard let attack = train.rate, let control = holdout.rate else {
            let which = train.rate == nil ? "training" : "holdout"
            return RuleOutcome(rule: rule, status: .pass, level: rule.severity,
                               message: "No \(which) patient's \(keyText) combination occurs in the release, so the CAP attack (method cap) has no \(which) records to score and the residual risk is not estimated; method zero_cap scores every record.",
                               measurements: m, findings: [])
        }
        if control < 1 { m.append(Measurement("residual_risk", (attack - control) / (1 - control))) }
        let risk = Self.residualRisk(attackSuccesses: train.sum, attacks: train.scored, controlSuccesses: holdout.sum,
                                     controls: holdout.scored, confidenceLevel: p.confidenceLevel)
        m.append(Measurement("residual_risk_ci_low", risk.low))
        m.append(Measurement("residual_risk_ci_high", risk.high))

        let summary = "An attacker who knows \(keyText) guesses \(sensitiveText) correctly for \(Format.percent(attack)) of training patients and \(Format.percent(control)) of unseen holdout patients (residual risk interval \(Format.percent(risk.low))–\(Format.percent(risk.high)), \(Int((p.confidenceLevel * 100).rounded()))%)"
        if risk.low > p.maxResidualRisk {
            return RuleOutcome(rule: rule, status: .fail, level: rule.severity,
                               message: summary + ": the release discloses training patients' sensitive values beyond what it reveals about patients it never saw (lower bound above \(Format.percent(p.maxResidualRisk))).",
                               measurements: m, findings: [])
        }
        return RuleOutcome(rule: rule, status: .pass, level: rule.severity,
                           message: summary + ".", measurements: m, findings: [])
    }

    // MARK: - Analysis

    /// The CAP attack on one real table.
    struct Attack {
        /// Records scored.
        var scored = 0
        /// Sum of their row scores.
        var sum = 0.0
        /// Mean row score, nil when nothing was scored.
        var rate: Double? { scored > 0 ? sum / Double(scored) : nil }
        /// SDMetrics' protection 1 − rate (NaN in SDMetrics when nothing was scored; nil here).
        var protection: Double? { rate.map { 1 - $0 } }
    }

    /// Everything the check measures.
    struct Analysis {
        var train: Attack
        var holdout: Attack?
        var baselineProtection: Double
        /// min(cap_protection / baseline_protection, 1); nil when either is undefined or the baseline is 0.
        var disclosureProtection: Double? {
            guard let cap = train.protection, baselineProtection != 0 else { return nil }
            return Swift.min(cap / baselineProtection, 1)
        }
    }

    /// A tuple of category codes (one per column; −1 = missing).
    struct Codes: Hashable {
        var values: [Int]
    }

    /// Runs the attack on train (and holdout) against the synthetic table.
    static func analyse(context: ScanContext, keys: [String], sensitive: [String], bins: Int, zeroCAP: Bool) -> Analysis {
        let data = context.data
        let encoders = (keys + sensitive).map { CategoryEncoder(train: data.train.column(named: $0)!, bins: bins) }
        let keyEncoders = Array(encoders[..<keys.count]), sensitiveEncoders = Array(encoders[keys.count...])
        func tuples(_ table: Table, _ names: [String], _ encs: [CategoryEncoder]) -> [Codes] {
            let columns = names.map { table.column(named: $0)! }
            return (0..<table.rowCount).map { row in Codes(values: zip(columns, encs).map { $1.code($0, row) }) }
        }
        // The attacker's model: per key, the sensitive tuples of the synthetic rows with that key.
        let sKeys = tuples(data.synthetic, keys, keyEncoders), sValues = tuples(data.synthetic, sensitive, sensitiveEncoders)
        var model: [Codes: (total: Int, counts: [Codes: Int])] = [:]
        for (k, s) in zip(sKeys, sValues) {
            model[k, default: (0, [:])].total += 1
            model[k]!.counts[s, default: 0] += 1
        }
        func attack(_ table: Table) -> Attack {
            var result = Attack()
            for (k, s) in zip(tuples(table, keys, keyEncoders), tuples(table, sensitive, sensitiveEncoders)) {
                if let entry = model[k] {
                    result.scored += 1
                    result.sum += Double(entry.counts[s] ?? 0) / Double(entry.total)
                } else if zeroCAP {
                    result.scored += 1
                }
            }
            return result
        }
        // Baseline: distinct training categories of each sensitive column, missing included.
        var product = 1.0
        for (name, encoder) in zip(sensitive, sensitiveEncoders) {
            let column = data.train.column(named: name)!
            product *= Double(Set((0..<data.train.rowCount).map { encoder.code(column, $0) }).count)
        }
        return Analysis(train: attack(data.train), holdout: data.holdout.map(attack), baselineProtection: 1 - 1 / product)
    }

    /// anonymeter's residual risk interval (`EvaluationResults.risk()` with a control): Wilson
    /// rates of the attack and of the control, the residual of their centres ± the propagated error,
    /// clipped to [0, 1]. `value` is anonymeter's clipped point estimate on the Wilson centres.
    static func residualRisk(attackSuccesses: Double, attacks: Int, controlSuccesses: Double, controls: Int,
                             confidenceLevel: Double) -> (value: Double, low: Double, high: Double) {
        let z = Statistics.normalQuantile(0.5 * (1 + confidenceLevel))
        let a = successRate(successes: attackSuccesses, total: attacks, z: z)
        let c = successRate(successes: controlSuccesses, total: controls, z: z)
        let residual = (a.rate - c.rate) / (1 - c.rate)
        let dAttack = 1 / abs(1 - c.rate)
        let dControl = (a.rate - 1) / ((1 - c.rate) * (1 - c.rate))
        let error = ((a.error * dAttack) * (a.error * dAttack) + (c.error * dControl) * (c.error * dControl)).squareRoot()
        func clip(_ x: Double) -> Double { Swift.min(Swift.max(x, 0), 1) }
        return (clip(residual), clip(residual - error), clip(residual + error))
    }

    /// anonymeter `success_rate`: the Wilson score centre and half-width for `successes` of `total`.
    static func successRate(successes x: Double, total: Int, z: Double) -> (rate: Double, error: Double) {
        let n = Double(total), z2 = z * z
        let variance = x * (n - x) / n
        let denominator = n + z2
        return ((x + 0.5 * z2) / denominator, (z / denominator) * (variance + 0.25 * z2).squareRoot())
    }

    static func fmt(_ value: Double?) -> String {
        guard let value else { return "n/a" }
        return String(format: "%.4f", value)
    }

    /// Parsed parameters.
    struct Params {
        var keys: [String]
        var sensitive: [String]
        var zeroCAP: Bool
        var bins: Int
        var maxResidualRisk: Double
        var confidenceLevel: Double

        init(rule: RuleDescriptor, schema: Schema) throws {
            let p = rule.parameters
            let listedKeys = try p.list("key_columns", rule: rule.id)
            let listedSensitive = try p.list("sensitive_columns", rule: rule.id)
            for c in listedKeys + listedSensitive where schema.index(of: c) == nil { throw CheckError.unknownColumn(rule: rule.id, column: c) }
            keys = Self.unique(listedKeys.isEmpty ? schema.names(withRole: .quasiIdentifier) : listedKeys)
            let keySet = Set(keys)
            sensitive = Self.unique(listedSensitive.isEmpty ? schema.names(withRole: .sensitive) : listedSensitive).filter { !keySet.contains($0) }
            zeroCAP = try p.text("method", rule: rule.id) == "zero_cap"
            bins = try p.integer("bins", rule: rule.id)
            maxResidualRisk = try p.number("max_residual_risk", rule: rule.id)
            confidenceLevel = try p.number("confidence_level", rule: rule.id)
        }

        private static func unique(_ names: [String]) -> [String] {
            var seen = Set<String>()
            return names.filter { seen.insert($0).inserted }
        }
    }
}

/// Maps one column's values to category codes as SDMetrics' DisclosureProtection sees them:
/// labels by their shared dictionary code, numbers and dates by their `pd.cut` bin over the
/// training values, missing as −1.
struct CategoryEncoder {
    /// Inner bin edges (edges 1 … bins−1 of pandas' `bins + 1`), ascending; nil for label columns.
    let innerEdges: [Double]?

    init(train: Column, bins: Int) {
        guard case .numeric(let values, let missing) = train.storage else { innerEdges = nil; return }
        var low = Double.infinity, high = -Double.infinity
        for (row, v) in values.enumerated() where !missing.isMissing(row) && !v.isNaN {
            low = Swift.min(low, v)
            high = Swift.max(high, v)
        }
        guard low <= high else { innerEdges = []; return }   // no training value: one bin for every value
        innerEdges = Array(Self.edges(min: low, max: high, bins: bins).dropFirst().dropLast())
    }

    /// pandas `_nbins_to_bins` for numbers (right-closed): `np.linspace(min, max, bins + 1)` after
    /// moving equal ends apart by 0.1% (0.001 at 0), then the first edge lowered by 0.1% of the range.
    static func edges(min: Double, max: Double, bins: Int) -> [Double] {
        var mn = min, mx = max
        var adjust = 0.0
        if mn == mx {
            mn -= mn != 0 ? 0.001 * abs(mn) : 0.001
            mx += mx != 0 ? 0.001 * abs(mx) : 0.001
        } else {
            adjust = (mx - mn) * 0.001
        }
        var edges = linspace(mn, mx, bins + 1)
        edges[0] -= adjust
        return edges
    }

    /// numpy 1.26 `linspace(start, stop, num, endpoint=True)`: i·step + start with step = (stop − start)/(num − 1),
    /// the last value set to `stop` (and i·delta/div when the step underflows to 0).
    static func linspace(_ start: Double, _ stop: Double, _ num: Int) -> [Double] {
        let div = Double(num - 1), delta = stop - start
        let step = delta / div
        var y = (0..<num).map { i -> Double in
            let t: Double = step == 0 ? (Double(i) / div) * delta : Double(i) * step
            return t + start
        }
        y[num - 1] = stop
        return y
    }

    /// The bin of `value` for these edges: the number of inner edges strictly below it (pandas
    /// `searchsorted(side="left")` on right-closed intervals whose outer edges hold every value).
    static func bin(_ value: Double, innerEdges: [Double]) -> Int {
        var low = 0, high = innerEdges.count
        while low < high {
            let mid = (low + high) / 2
            if innerEdges[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The category code of `row` in `column` (a column of the same name in any of the three tables).
    func code(_ column: Column, _ row: Int) -> Int {
        switch column.storage {
        case .numeric(let values, let missing):
            let v = values[row]
            if missing.isMissing(row) || v.isNaN { return -1 }
            return Self.bin(v, innerEdges: innerEdges ?? [])
        case .coded(let codes, _):
            let c = codes[row]
            return c == Column.missingCode ? -1 : Int(c)
        }
    }
}
