/// Nearest-neighbour distance ratio (NNDR): d1 / d2, the distance to the closest record over the
/// distance to the second closest. A ratio near 0 means a record has one close neighbour that
/// stands apart from the rest: an outlier that was reproduced, the hardest kind of memorisation
/// to see in averages.
///
/// Two views from the one shared distance pass:
/// - **Real → synthetic, as SynthEval does** (`syntheval/metrics/privacy/metric_nn_distance_ratio.py`):
///   for each training record, the ratio of its two nearest synthetic records, `d1 / (d2 + 1e-16)`;
///   mean and standard error (ddof = 1). The same for holdout records; SynthEval's privacy loss is
///   `mean(NNDR_holdout) − mean(NNDR_train)`, with error `√(se_h² + se_t²)`. A generator that
///   memorised training records gives them lower ratios than unseen records.
/// - **Synthetic → train**: low percentiles of the synthetic records' ratios against train, next
///   to the same percentiles for holdout → train (the real-to-real baseline).
///
/// The rule fails when the privacy loss exceeds `max_privacy_loss` and is significant: its
/// z-score (loss / error) exceeds the one-sided normal quantile for `alpha`.
public struct NearestNeighbourDistanceRatioCheck: Check {
    public static let kind = "nearest-neighbour-distance-ratio"
    /// Its distances come from nearest-record passes (sharded scans compute them).
    public static let usesNearestRecordPasses = true
    public static let summary = "Compares nearest/second-nearest distance ratios of training and holdout records to the synthetic data (SynthEval's NNDR privacy loss), and of synthetic records to train."
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("columns", .columns, default: .list([]),
                      doc: "Columns the distance uses; empty = every column except identifiers, ignored and free-text columns."),
        ParameterSpec("range_from", .choice(["reference", "train"]), default: .text("reference"),
                      doc: "Numeric ranges from the table searched in each pass (SDMetrics) or from train for every pass."),
        ParameterSpec("missing", .choice(["match", "mismatch"]), default: .text("match"),
                      doc: "Two missing values: distance 0 (match) or 1 (mismatch)."),
        ParameterSpec("max_privacy_loss", .number(NumberBounds(0, 1)), default: .number(0.05),
                      doc: "Largest tolerated mean(NNDR holdout) − mean(NNDR train)."),
        ParameterSpec("alpha", .number(NumberBounds(0, 0.5, lowerInclusive: false)), default: .number(0.001),
                      doc: "One-sided significance level of the privacy-loss test."),
    ]
    public static let measurements: [MeasurementSpec] = [
        MeasurementSpec("columns_compared", "Columns the distance uses."),
        MeasurementSpec("nndr_synthetic_p01", "1st percentile of synthetic→train NNDR."),
        MeasurementSpec("nndr_synthetic_p05", "5th percentile of synthetic→train NNDR."),
        MeasurementSpec("nndr_synthetic_median", "Median synthetic→train NNDR."),
        MeasurementSpec("nndr_real_p05", "5th percentile of holdout→train NNDR (train→train leave-one-out without holdout): the baseline.", optional: true),
        MeasurementSpec("nndr_train_mean", "Mean NNDR of training records to the synthetic data (SynthEval 'avg')."),
        MeasurementSpec("nndr_train_se", "Its standard error (ddof = 1; SynthEval 'err')."),
        MeasurementSpec("nndr_holdout_mean", "Mean NNDR of holdout records to the synthetic data.", optional: true),
        MeasurementSpec("nndr_holdout_se", "Its standard error.", optional: true),
        MeasurementSpec("nndr_privacy_loss", "mean(NNDR holdout) − mean(NNDR train) (SynthEval 'priv_loss').", optional: true),
        MeasurementSpec("nndr_privacy_loss_se", "√(se_holdout² + se_train²) (SynthEval 'priv_loss_err').", optional: true),
        MeasurementSpec("nndr_privacy_loss_z", "nndr_privacy_loss / nndr_privacy_loss_se.", optional: true),
    ]

    /// Creates the check.
    public init() {}

    /// SynthEval's ratio: `d1 / (d2 + 1e-16)`.
    static func ratios(_ n: NearestRecords) -> [Double] {
        zip(n.nearest, n.second).compactMap { d1, d2 in d2.isFinite ? d1 / (d2 + 1e-16) : nil }
    }

    /// Mean and standard error of the mean (sample standard deviation, ddof = 1).
    static func meanAndError(_ values: [Double]) -> (mean: Double, se: Double) {
        guard values.count > 1 else { return (values.first ?? .nan, .nan) }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
        return (mean, (variance / Double(values.count)).squareRoot())
    }

    /// The distance the rule's parameters describe.
    static func distance(_ rule: RuleDescriptor) throws -> RecordDistance {
        let p = rule.parameters
        return RecordDistance(columns: try p.list("columns", rule: rule.id),
                              rangeSource: try p.text("range_from", rule: rule.id) == "train" ? .train : .reference,
                              missing: try p.text("missing", rule: rule.id) == "mismatch" ? .neverMatch : .matchEachOther)
    }

    /// The passes `run` asks for: every one needs the second-nearest record (the ratio's denominator).
    static func passes(_ distance: RecordDistance, hasHoldout: Bool) -> [NeighbourPass] {
        [NeighbourPass(.synthetic, to: .train, distance: distance),
         hasHoldout ? NeighbourPass(.holdout, to: .train, distance: distance) : NeighbourPass(.train, to: .train, distance: distance),
         NeighbourPass(.train, to: .synthetic, distance: distance)]
            + (hasHoldout ? [NeighbourPass(.holdout, to: .synthetic, distance: distance)] : [])
    }

    public static func secondNearestPasses(rule: RuleDescriptor, context: ScanContext) throws -> [NeighbourPass] {
        passes(try distance(rule), hasHoldout: context.data.holdout != nil)
    }

    public func run(rule: RuleDescriptor, context: ScanContext) throws -> RuleOutcome {
        let p = rule.parameters
        let distance = try Self.distance(rule)
        let maxLoss = try p.number("max_privacy_loss", rule: rule.id)
        let alpha = try p.number("alpha", rule: rule.id)
        let data = context.data
        let columns: [String]
        do { columns = try NearestRecordSearch.columns(of: distance, schema: context.schema) } catch {
            if case .unknownColumn(let c) = error { throw CheckError.unknownColumn(rule: rule.id, column: c) }
            return RuleOutcome(rule: rule, status: .skipped, level: rule.severity,
                               message: "No column is left to measure distances on.", measurements: [], findings: [])
        }
        guard data.synthetic.rowCount >= 2, data.train.rowCount >= 3 else {
            return RuleOutcome(rule: rule, status: .skipped, level: rule.severity,
                               message: "Distance ratios need at least two synthetic rows and three training rows.",
                               measurements: [], findings: [])
        }
        func pass(_ q: TableRole, _ r: TableRole) throws -> NearestRecords {
            do { return try context.nearestRecords(NeighbourPass(q, to: r, distance: distance, secondNearest: true)) } catch {
                throw CheckError.invalidParameter(rule: rule.id, name: "columns", reason: error.description)
            }
        }
        let synthetic = Self.ratios(try pass(.synthetic, .train)).sorted()
        let baseline = Self.ratios(try data.holdout != nil ? pass(.holdout, .train) : pass(.train, .train)).sorted()
        let train = Self.meanAndError(Self.ratios(try pass(.train, .synthetic)))
        var m = [
            Measurement("columns_compared", Double(columns.count)),
            Measurement("nndr_synthetic_p01", Statistics.quantile(sorted: synthetic, 0.01)),
            Measurement("nndr_synthetic_p05", Statistics.quantile(sorted: synthetic, 0.05)),
            Measurement("nndr_synthetic_median", Statistics.quantile(sorted: synthetic, 0.5)),
            Measurement("nndr_real_p05", Statistics.quantile(sorted: baseline, 0.05)),
            Measurement("nndr_train_mean", train.mean),
            Measurement("nndr_train_se", train.se),
        ]
        var failed = false
        var message: String
        if data.holdout != nil {
            let holdout = Self.meanAndError(Self.ratios(try pass(.holdout, .synthetic)))
            let loss = holdout.mean - train.mean
            let error = (holdout.se * holdout.se + train.se * train.se).squareRoot()
            let z = error > 0 ? loss / error : (loss > 0 ? Double.infinity : 0)
            m += [
                Measurement("nndr_holdout_mean", holdout.mean),
                Measurement("nndr_holdout_se", holdout.se),
                Measurement("nndr_privacy_loss", loss),
                Measurement("nndr_privacy_loss_se", error),
                Measurement("nndr_privacy_loss_z", z),
            ]
            let critical = Statistics.normalQuantile(1 - alpha)
            failed = loss > maxLoss && z > critical
            let round = { (v: Double) in ParameterValue.format((v * 10_000).rounded() / 10_000) }
            message = failed
                ? "Training records have markedly lower nearest-neighbour distance ratios to the synthetic data than unseen records: privacy loss \(round(loss)) ± \(round(error)) (mean NNDR \(round(train.mean)) for train, \(round(holdout.mean)) for holdout; allowed \(round(maxLoss)))."
                : "Training and holdout records have similar nearest-neighbour distance ratios to the synthetic data: privacy loss \(round(loss)) ± \(round(error)) (allowed \(round(maxLoss)))."
        } else {
            message = "No holdout table: the privacy loss (holdout vs train NNDR) cannot be measured; synthetic→train ratios are reported against train→train."
        }
        return RuleOutcome(rule: rule, status: failed ? .fail : .pass, level: rule.severity, message: message,
                           measurements: m, findings: [])
    }
}
