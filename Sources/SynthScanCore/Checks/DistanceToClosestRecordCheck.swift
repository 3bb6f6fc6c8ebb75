import CXXHash

/// Distance to closest record (DCR): how close synthetic records come to training records,
/// judged against how close unseen real records (the holdout) come.
///
/// Two tests, each against an exact chance level rather than a fixed threshold:
/// - **Closer to train.** For each synthetic row, its DCR to train and to holdout. If the
///   generator did not memorise, train and holdout records are exchangeable, so the nearest of
///   train ∪ holdout is a train record with probability |T| / (|T| + |H|) (0.5 only when the two
///   are the same size; SDMetrics assumes 0.5 and only warns). Rows at equal distance (ties) are
///   counted separately and left out of the test. The rule fails when the observed share exceeds
///   the chance level by more than `max_excess_closer_to_train` and a one-sided binomial test
///   rejects chance at `alpha`.
/// - **Near copies.** The threshold is the `near_copy_quantile` of the holdout→train DCRs: how
///   close an unseen patient typically comes to the training data. A synthetic row at or below it
///   is a near copy. Under the same exchangeability, synthetic rows fall below it as often as
///   holdout rows do; the rule fails when they do more than `max_near_copy_ratio` times as often
///   and a binomial test rejects chance. Only then are the near copies listed (exact copies,
///   distance 0, are left to `exact-copy`), each with the digest of its nearest training record.
///   Without a holdout table, train→train leave-one-out distances stand in for holdout→train.
///
/// SDMetrics' scores are reported alongside: `overfitting_protection` (DCROverfittingProtection,
/// `min(2·(1 − p), 1)` with ties counted as closer to holdout) and `baseline_protection`
/// (DCRBaselineProtection, `min(median DCR(S→T) / median DCR(random→T), 1)` with a random table
/// drawn column by column, seeded from the scan seed).
public struct DistanceToClosestRecordCheck: Check {
    public static let kind = "distance-to-closest-record"
    /// Its distances come from nearest-record passes (sharded scans compute them).
    public static let usesNearestRecordPasses = true
    public static let summary = "Compares the distances of synthetic records to their closest training and holdout records: closer-to-train share against its exact chance level, and near copies against the holdout's own distances."
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("columns", .columns, default: .list([]),
                      doc: "Columns the distance uses; empty = every column except identifiers, ignored and free-text columns."),
        ParameterSpec("range_from", .choice(["reference", "train"]), default: .text("reference"),
                      doc: "Numeric ranges from the table searched in each pass (SDMetrics) or from train for every pass."),
        ParameterSpec("missing", .choice(["match", "mismatch"]), default: .text("match"),
                      doc: "Two missing values: distance 0 (match, SDMetrics) or 1 (mismatch, anonymeter)."),
        ParameterSpec("alpha", .number(NumberBounds(0, 0.5, lowerInclusive: false)), default: .number(0.01),
                      doc: "Significance level of the one-sided binomial tests."),
        ParameterSpec("max_excess_closer_to_train", .number(NumberBounds(0, 1)), default: .number(0.05),
                      doc: "How far the share of synthetic rows closer to train than to holdout may exceed its chance level |T|/(|T|+|H|)."),
        ParameterSpec("near_copy_quantile", .number(NumberBounds(0, 0.5, lowerInclusive: false)), default: .number(0.001),
                      doc: "Quantile of the holdout→train distances that defines a near copy."),
        ParameterSpec("max_near_copy_ratio", .number(NumberBounds(1, 1000)), default: .number(3),
                      doc: "How many times more often than holdout rows synthetic rows may fall below the near-copy threshold."),
        ParameterSpec("max_findings", .integer(0...1_000_000), default: .integer(1000),
                      doc: "Near copies listed as findings; the rest are counted in `findings_truncated`."),
        ParameterSpec("baseline_rows", .integer(0...100_000_000), default: .integer(10_000),
                      doc: "Rows of SDMetrics' random baseline table: as many as synthetic rows, at most this many (0 = no cap, SDMetrics' size). The median's 95% interval is reported."),
    ]
    public static let measurements: [MeasurementSpec] = [
        MeasurementSpec("synthetic_rows", "Rows in the synthetic table."),
        MeasurementSpec("columns_compared", "Columns the distance uses."),
        MeasurementSpec("dcr_train_p01", "1st percentile of synthetic→train DCR (linear interpolation, numpy default)."),
        MeasurementSpec("dcr_train_p05", "5th percentile of synthetic→train DCR."),
        MeasurementSpec("dcr_train_median", "Median synthetic→train DCR."),
        MeasurementSpec("dcr_train_mean", "Mean synthetic→train DCR."),
        MeasurementSpec("dcr_holdout_p05", "5th percentile of synthetic→holdout DCR.", optional: true),
        MeasurementSpec("dcr_holdout_median", "Median synthetic→holdout DCR.", optional: true),
        MeasurementSpec("dcr_real_p05", "5th percentile of holdout→train DCR (train→train leave-one-out without holdout): the real-to-real baseline."),
        MeasurementSpec("dcr_real_median", "Median of the real-to-real baseline DCR."),
        MeasurementSpec("share_closer_to_train", "Share of synthetic rows strictly closer to train than to holdout (SDMetrics semantics: ties count as closer to holdout).", optional: true),
        MeasurementSpec("share_closer_to_holdout", "Share strictly closer to holdout.", optional: true),
        MeasurementSpec("ties_train_holdout", "Synthetic rows exactly as close to train as to holdout.", optional: true),
        MeasurementSpec("share_closer_to_train_untied", "The tested share: closer to train among rows without a tie, both distances scaled by train's ranges (so a smaller holdout does not look farther away).", optional: true),
        MeasurementSpec("expected_share_closer_to_train", "Its chance level |T| / (|T| + |H|).", optional: true),
        MeasurementSpec("closer_to_train_ci_low", "Wilson 95% interval of the tested share, lower end.", optional: true),
        MeasurementSpec("closer_to_train_ci_high", "Upper end.", optional: true),
        MeasurementSpec("closer_to_train_p_value", "One-sided binomial p-value of the tested share against its chance level.", optional: true),
        MeasurementSpec("overfitting_protection", "SDMetrics DCROverfittingProtection: min(2·(1 − share_closer_to_train), 1).", optional: true),
        MeasurementSpec("baseline_protection", "SDMetrics DCRBaselineProtection: min(median DCR(S→T) / median DCR(random→T), 1), seeded random table."),
        MeasurementSpec("dcr_random_median", "Median DCR of the random baseline table to train."),
        MeasurementSpec("random_baseline_rows", "Rows of the random baseline table: the synthetic row count, capped by baseline_rows."),
        MeasurementSpec("dcr_random_median_ci_low", "Distribution-free 95% interval of the random median (order statistics of a binomial(n, ½)), lower end: the Monte-Carlo error of the baseline."),
        MeasurementSpec("dcr_random_median_ci_high", "Upper end."),
        MeasurementSpec("baseline_protection_ci_low", "baseline_protection at the upper end of the random median's interval."),
        MeasurementSpec("baseline_protection_ci_high", "baseline_protection at the lower end of the random median's interval."),
        MeasurementSpec("near_copy_threshold", "The j-th smallest real-to-real DCR, j = near_copy_rank."),
        MeasurementSpec("near_copy_rank", "j = ⌈near_copy_quantile · number of real-to-real distances⌉ (at least 1)."),
        MeasurementSpec("near_copies", "Synthetic rows with 0 < DCR < threshold (exact copies are exact-copy's findings)."),
        MeasurementSpec("near_copy_share", "Share of synthetic rows with DCR < threshold (exact copies included)."),
        MeasurementSpec("expected_near_copy_share", "Its chance level j / (m + 1) for m real-to-real distances."),
        MeasurementSpec("near_copy_p_value", "P(K ≥ observed) for K ~ BetaBinomial(n, j, m − j + 1): the exact null of records falling below the j-th of m exchangeable baseline values."),
        MeasurementSpec("findings_truncated", "Near copies counted but not listed.", optional: true),
    ]

    /// Creates the check.
    public init() {}

    public func run(rule: RuleDescriptor, context: ScanContext) throws -> RuleOutcome {
        let p = try Params(rule)
        let data = context.data
        let synthetic = data.synthetic
        let distance = p.distance
        let columns: [String]
        do { columns = try NearestRecordSearch.columns(of: distance, schema: context.schema) } catch {
            if case .unknownColumn(let c) = error { throw CheckError.unknownColumn(rule: rule.id, column: c) }
            return RuleOutcome(rule: rule, status: .skipped, level: rule.severity,
                               message: "No column is left to measure distances on (identifiers, ignored and free-text columns are excluded).",
                               measurements: [], findings: [])
        }
        guard synthetic.rowCount > 0, data.train.rowCount > 1 else {
            return RuleOutcome(rule: rule, status: .skipped, level: rule.severity,
                               message: "Distances need a non-empty synthetic table and at least two training rows.",
                               measurements: [], findings: [])
        }
        // Only synthetic→train needs the second-nearest record (near-copy findings report it).
        let toTrain = try neighbours(context, .synthetic, .train, distance, rule, secondNearest: true)
        let toHoldout = try data.holdout.map { _ in try neighbours(context, .synthetic, .holdout, distance, rule) }
        let realBaseline = try data.holdout != nil
            ? neighbours(context, .holdout, .train, distance, rule)
            : neighbours(context, .train, .train, distance, rule)

        let n = synthetic.rowCount
        let dTrain = toTrain.nearest
        let sortedTrain = dTrain.sorted()
        let sortedReal = realBaseline.nearest.filter(\.isFinite).sorted()
        var m: [Measurement] = [
            Measurement("synthetic_rows", Double(n)),
            Measurement("columns_compared", Double(columns.count)),
            Measurement("dcr_train_p01", Statistics.quantile(sorted: sortedTrain, 0.01)),
            Measurement("dcr_train_p05", Statistics.quantile(sorted: sortedTrain, 0.05)),
            Measurement("dcr_train_median", Statistics.quantile(sorted: sortedTrain, 0.5)),
            Measurement("dcr_train_mean", Statistics.mean(dTrain)),
        ]
        var reasons: [String] = []
        var failed = false

        if let toHoldout, let holdout = data.holdout {
            let sortedHoldout = toHoldout.nearest.sorted()
            m.append(Measurement("dcr_holdout_p05", Statistics.quantile(sorted: sortedHoldout, 0.05)))
            m.append(Measurement("dcr_holdout_median", Statistics.quantile(sorted: sortedHoldout, 0.5)))
            // SDMetrics' figures: each pass scaled by its own reference table's ranges.
            var closerTrain = 0, closerHoldout = 0
            for i in 0..<n {
                if dTrain[i] < toHoldout.nearest[i] { closerTrain += 1 } else if toHoldout.nearest[i] < dTrain[i] { closerHoldout += 1 }
            }
            let ties = n - closerTrain - closerHoldout
            let share = Double(closerTrain) / Double(n)
            // The test compares both distances on ONE scale (train's ranges): with each reference's
            // own ranges, a smaller holdout has narrower ranges, so distances to it are inflated and
            // records look closer to train by construction (the selftest's unseen-records scenario
            // shows it: 85.6% against a chance level of 80%).
            var fair = distance
            fair.rangeSource = .train
            // When holdout and train have the same range on every compared numeric column (common in
            // large tables), both scalings are the same distance and the pass is not run twice.
            let sameScaling = fair == distance || Self.sameRanges(columns, data.train, holdout)
            // Only the comparison with the synthetic→train distance is needed, so the fair pass
            // searches within that distance: +∞ where no holdout record is as close (closer to
            // train), else the exact holdout distance (a tie, or closer to holdout).
            let toHoldoutFair = sameScaling
                ? toHoldout
                : try neighbours(context, .synthetic, .holdout, fair, rule, within: NeighbourPass.Radius(reference: .train, distance: distance))
            // Synthetic→train is already scaled by train's ranges (train is its reference table).
            let toTrainFair = toTrain
            var fairTrain = 0, fairHoldout = 0
            for i in 0..<n {
                if toTrainFair.nearest[i] < toHoldoutFair.nearest[i] { fairTrain += 1 } else if toHoldoutFair.nearest[i] < toTrainFair.nearest[i] { fairHoldout += 1 }
            }
            let untied = fairTrain + fairHoldout
            let expected = Double(data.train.rowCount) / Double(data.train.rowCount + holdout.rowCount)
            let untiedShare = untied > 0 ? Double(fairTrain) / Double(untied) : .nan
            let interval = Statistics.wilsonInterval(successes: fairTrain, trials: untied)
            let pValue = Statistics.binomialUpperTail(successes: fairTrain, trials: untied, probability: expected)
            m += [
                Measurement("share_closer_to_train", share),
                Measurement("share_closer_to_holdout", Double(closerHoldout) / Double(n)),
                Measurement("ties_train_holdout", Double(ties)),
                Measurement("share_closer_to_train_untied", untiedShare),
                Measurement("expected_share_closer_to_train", expected),
                Measurement("closer_to_train_ci_low", interval.low),
                Measurement("closer_to_train_ci_high", interval.high),
                Measurement("closer_to_train_p_value", pValue),
                Measurement("overfitting_protection", Swift.min(2 * (1 - share), 1)),
            ]
            if untied > 0, untiedShare - expected > p.maxExcessCloser, pValue < p.alpha {
                failed = true
                reasons.append("\(Format.percent(untiedShare)) of synthetic rows are closer to a training record than to any holdout record (chance level \(Format.percent(expected)), p = \(Self.formatP(pValue)))")
            }
        }

        let random = try randomBaseline(context: context, distance: distance,
                                        rows: p.baselineRows == 0 ? n : Swift.min(n, p.baselineRows), rule: rule)
        let syntheticMedian = Statistics.quantile(sorted: sortedTrain, 0.5)
        func protection(_ randomMedian: Double) -> Double { randomMedian > 0 ? Swift.min(syntheticMedian / randomMedian, 1) : .nan }
        m.append(Measurement("baseline_protection", protection(random.median)))
        m.append(Measurement("dcr_random_median", random.median))
        m.append(Measurement("random_baseline_rows", Double(random.rows)))
        m.append(Measurement("dcr_random_median_ci_low", random.low))
        m.append(Measurement("dcr_random_median_ci_high", random.high))
        // The score falls as the random median rises: the interval's ends swap.
        m.append(Measurement("baseline_protection_ci_low", protection(random.high)))
        m.append(Measurement("baseline_protection_ci_high", protection(random.low)))

        m.append(Measurement("dcr_real_p05", Statistics.quantile(sorted: sortedReal, 0.05)))
        m.append(Measurement("dcr_real_median", Statistics.quantile(sorted: sortedReal, 0.5)))
        // Near copies: closer to train than the j-th closest unseen record, j = ⌈q·m⌉ of the m
        // real-to-real distances. Under exchangeability a synthetic record falls below that order
        // statistic with probability j/(m+1), and the count of n records that do follows
        // BetaBinomial(n, j, m − j + 1), which accounts for the baseline's own randomness
        // (a fixed-share binomial would not, and a small holdout would then raise false alarms).
        let realCount = sortedReal.count
        let j = realCount > 0 ? Swift.max(1, Int((p.nearCopyQuantile * Double(realCount)).rounded(.up))) : 0
        let threshold = realCount > 0 ? sortedReal[j - 1] : Double.nan
        let expectedNear = realCount > 0 ? Double(j) / Double(realCount + 1) : Double.nan
        let belowThreshold = realCount > 0 ? dTrain.filter { $0 < threshold }.count : 0
        let nearRows = (0..<n).filter { dTrain[$0] > 0 && dTrain[$0] < threshold }.sorted { (dTrain[$0], $0) < (dTrain[$1], $1) }
        let nearShare = Double(belowThreshold) / Double(n)
        let nearP = realCount > 0 ? Statistics.betaBinomialUpperTail(successes: belowThreshold, trials: n, a: Double(j), b: Double(realCount - j + 1)) : .nan
        m += [
            Measurement("near_copy_threshold", threshold),
            Measurement("near_copy_rank", Double(j)),
            Measurement("near_copies", Double(nearRows.count)),
            Measurement("near_copy_share", nearShare),
            Measurement("expected_near_copy_share", expectedNear),
            Measurement("near_copy_p_value", nearP),
        ]
        let nearFails = expectedNear.isFinite && nearShare > p.maxNearCopyRatio * expectedNear && nearP < p.alpha
        var findings: [Finding] = []
        if nearFails {
            failed = true
            reasons.append("\(belowThreshold) synthetic rows (\(Format.percent(nearShare))) are closer to a training record than all but the closest \(Format.percent(p.nearCopyQuantile)) of unseen real patients (chance level \(Format.percent(expectedNear)), p = \(Self.formatP(nearP)))")
            findings = nearCopyFindings(rows: nearRows, toTrain: toTrain, threshold: threshold, context: context, rule: rule,
                                        columns: columns, limit: p.maxFindings)
            if nearRows.count > p.maxFindings { m.append(Measurement("findings_truncated", Double(nearRows.count - p.maxFindings))) }
        }

        let message: String
        if failed {
            message = reasons.joined(separator: "; ") + "."
        } else {
            var parts = ["Synthetic records are no closer to the training data than unseen real records are: median DCR \(ParameterValue.format((syntheticMedian * 10_000).rounded() / 10_000)) to train"]
            if data.holdout == nil { parts.append("no holdout table, so the closer-to-train test did not run and the baseline is train→train") }
            message = parts.joined(separator: "; ") + "."
        }
        return RuleOutcome(rule: rule, status: failed ? .fail : .pass, level: rule.severity, message: message,
                           measurements: m, findings: findings)
    }

    /// The passes `run` asks for with the second-nearest record.
    public static func secondNearestPasses(rule: RuleDescriptor, context: ScanContext) throws -> [NeighbourPass] {
        [NeighbourPass(.synthetic, to: .train, distance: try Params(rule).distance)]
    }

    /// One pass of the rule; nearest only unless `secondNearest`.
    private func neighbours(_ context: ScanContext, _ query: TableRole, _ reference: TableRole, _ distance: RecordDistance,
                            _ rule: RuleDescriptor, secondNearest: Bool = false, within: NeighbourPass.Radius? = nil) throws -> NearestRecords {
        let pass = NeighbourPass(query: .table(query), reference: reference, distance: distance, secondNearest: secondNearest, within: within)
        do { return try context.nearestRecords(pass) } catch {
            throw CheckError.invalidParameter(rule: rule.id, name: "columns", reason: error.description)
        }
    }

    /// Whether every numeric column of `columns` has the same range (max − min, as the distance
    /// scales it) in `a` and `b`, so that "ranges from the reference" and "ranges from train" give
    /// the same distance for a pass against either.
    static func sameRanges(_ columns: [String], _ a: Table, _ b: Table) -> Bool {
        columns.allSatisfy { name in
            guard case .numeric? = a.column(named: name)?.storage else { return true }
            let ra = NearestRecordProblem.range(of: name, in: [a]), rb = NearestRecordProblem.range(of: name, in: [b])
            return ra == rb || (ra.isNaN && rb.isNaN)
        }
    }

    private static func formatP(_ p: Double) -> String {
        p < 1e-4 ? "< 0.0001" : String(ParameterValue.format((p * 10_000).rounded() / 10_000))
    }

    /// Near-copy findings at the synthetic row, with the (published) digests of the row and its nearest training record.
    private func nearCopyFindings(rows: [Int], toTrain: NearestRecords, threshold: Double, context: ScanContext,
                                  rule: RuleDescriptor, columns: [String], limit: Int) -> [Finding] {
        let synthetic = context.data.synthetic
        let syntheticDigests = context.digests(of: synthetic, columns: columns)
        let trainDigests = context.digests(of: context.data.train, columns: columns)
        var occurrences: [RecordDigest: Int] = [:]
        var findings: [Finding] = []
        for row in rows.prefix(limit) {
            let digest = context.published(syntheticDigests[row])
            let matched = context.published(trainDigests[Int(toTrain.nearestRow[row])])
            occurrences[digest, default: 0] += 1
            let d = toTrain.nearest[row]
            let key = "\(rule.id)\u{0}near-copy\u{0}\(digest.hex)\u{0}\(occurrences[digest]!)"
            let fingerprint = Array(key.utf8).withUnsafeBytes { RecordDigest.hex16(XXH3_64bits($0.baseAddress, $0.count)) }
            findings.append(Finding(
                ruleID: rule.id, level: rule.severity,
                message: "Synthetic row \(row + 1) (line \(synthetic.recordLines[row])) is a near copy of a training record (record \(matched.hex.prefix(16))): distance \(ParameterValue.format((d * 1e6).rounded() / 1e6)), below the near-copy threshold \(ParameterValue.format((threshold * 1e6).rounded() / 1e6)).",
                location: FindingLocation(table: .synthetic, row: row + 1, line: synthetic.recordLines[row], columns: columns,
                                          recordDigest: digest.hex, matchedRecordDigest: matched.hex),
                fingerprint: fingerprint,
                measurements: [Measurement("dcr_train", d), Measurement("dcr_train_second", toTrain.second[row])]))
        }
        return findings
    }

    /// Median DCR to train of SDMetrics' random baseline table (`RandomBaselineTable`, seeded
    /// from the scan seed and the rule id), with a distribution-free interval for it.
    ///
    /// The random table is a Monte-Carlo device, not data: its median DCR estimates a property of
    /// the training data's support. SDMetrics draws as many random rows as there are synthetic
    /// rows; `baseline_rows` caps that (0 = no cap), because random rows lie far from every
    /// training record and are the slowest queries of the scan. The interval is the order-statistic
    /// interval for a median (`Statistics.medianInterval`), so the sampling error is reported.
    private func randomBaseline(context: ScanContext, distance: RecordDistance, rows: Int, rule: RuleDescriptor) throws
        -> (median: Double, low: Double, high: Double, rows: Int) {
        let pass = NeighbourPass(query: .randomBaseline(stream: SeededRandom.stream(rule.id + "/random-baseline"), rows: rows),
                                 reference: .train, distance: distance, secondNearest: false)
        let distances: [Double]
        do { distances = try context.nearestRecords(pass).nearest.sorted() } catch {
            throw CheckError.invalidParameter(rule: rule.id, name: "columns", reason: error.description)
        }
        let interval = Statistics.medianInterval(sorted: distances, confidence: 0.95)
        return (Statistics.quantile(sorted: distances, 0.5), interval.low, interval.high, rows)
    }

    /// Parsed parameters.
    struct Params {
        var columns: [String]
        var rangeFrom: String
        var missing: String
        var alpha: Double
        var maxExcessCloser: Double
        var nearCopyQuantile: Double
        var maxNearCopyRatio: Double
        var maxFindings: Int
        var baselineRows: Int

        /// The distance the parameters describe.
        var distance: RecordDistance {
            RecordDistance(columns: columns, rangeSource: rangeFrom == "train" ? .train : .reference,
                           missing: missing == "mismatch" ? .neverMatch : .matchEachOther)
        }

        init(_ rule: RuleDescriptor) throws {
            let p = rule.parameters
            columns = try p.list("columns", rule: rule.id)
            rangeFrom = try p.text("range_from", rule: rule.id)
            missing = try p.text("missing", rule: rule.id)
            alpha = try p.number("alpha", rule: rule.id)
            maxExcessCloser = try p.number("max_excess_closer_to_train", rule: rule.id)
            nearCopyQuantile = try p.number("near_copy_quantile", rule: rule.id)
            maxNearCopyRatio = try p.number("max_near_copy_ratio", rule: rule.id)
            maxFindings = try p.integer("max_findings", rule: rule.id)
            baselineRows = try p.integer("baseline_rows", rule: rule.id)
        }
    }
}
