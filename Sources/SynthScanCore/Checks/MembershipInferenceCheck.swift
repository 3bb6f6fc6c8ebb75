/// Membership inference (MIA) from the released data alone: can an attacker who holds a real
/// patient's record tell, from the synthetic table, whether that patient was in the training data?
///
/// The attack needs no access to the generator. Its score for a real record is its distance to the
/// closest SYNTHETIC record (the same mixed-type Gower distance as `distance-to-closest-record`):
/// the closer, the more likely a member. This is the full black-box attack of GAN-Leaks (Chen, Yu,
/// Zhang & Fritz 2020, CCS: score = distance to the closest generated sample) and the limiting
/// case of the Monte Carlo attack of Hilprecht, Härterich & Bernau (2019, PoPETs 2019(4), which
/// counts generated samples within a small distance of the target). DOMIAS (van Breugel et al.
/// 2023, AISTATS) uses such attacks as baselines and shows they are confounded by the density of the
/// data (a record in a dense region is close to synthetic records whether or not it was trained on),
/// so they under-detect local overfitting: a pass is no proof of privacy, a fail is strong evidence
/// against it.
///
/// Members are the training records, non-members the holdout records (skipped without a holdout).
/// If the two differ in size, the larger side is subsampled to the smaller one (seeded from the
/// scan seed and the rule id; the synthetic table is never subsampled), so the AUC and the rates
/// are those of a balanced prior, as in Shokri et al. (2017) and Carlini et al. (2022).
///
/// Reported, with score = −distance and members as the positive class (`ROC`):
/// - `mia_auc`: Mann–Whitney AUC, P(member closer than non-member) + ½·P(tie), with a 95% DeLong
///   (1988) interval;
/// - `mia_tpr_at_fpr_0_01`, `mia_tpr_at_fpr_0_001`: the largest share of members recognised at a
///   threshold (at a distinct distance value, as sklearn's `roc_curve`) that flags at most 1% /
///   0.1% of non-members (Carlini et al. 2022: what matters is confident recognition of a few
///   patients, not the average), each with a Wilson (1927) 95% interval;
/// - `mia_advantage`: max over thresholds of TPR − FPR (Yeom et al. 2018);
/// - the members and non-members used, and their median distances.
///
/// Verdict: fail when the AUC's lower 95% bound exceeds `max_auc`, or when the TPR at FPR ≤ 1%
/// exceeds `max_tpr_at_fpr_0_01` with a Wilson lower bound above the chance level 0.01 (judged only
/// with at least `min_non_members_for_tpr` non-members). Table level only: no row findings, because
/// listing the training records the attack recognises would itself disclose their membership.
public struct MembershipInferenceCheck: Check {
    public static let kind = "membership-inference"
    /// Its distances come from nearest-record passes (sharded scans compute them).
    public static let usesNearestRecordPasses = true
    public static let summary = "A membership-inference attack on the released data alone: how well a real record's distance to its closest synthetic record tells training records (members) from holdout records (non-members)."
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("columns", .columns, default: .list([]),
                      doc: "Columns the distance uses; empty = every column except identifiers, ignored and free-text columns."),
        ParameterSpec("range_from", .choice(["reference", "train"]), default: .text("reference"),
                      doc: "Numeric ranges from the table searched (the synthetic table, SDMetrics) or from train."),
        ParameterSpec("missing", .choice(["match", "mismatch"]), default: .text("match"),
                      doc: "Two missing values: distance 0 (match, SDMetrics) or 1 (mismatch, anonymeter)."),
        ParameterSpec("max_auc", .number(NumberBounds(0.5, 1)), default: .number(0.6),
                      doc: "Fail when the lower end of the attack AUC's 95% DeLong interval exceeds this (0.5 = chance)."),
        ParameterSpec("max_tpr_at_fpr_0_01", .number(NumberBounds(0.01, 1)), default: .number(0.05),
                      doc: "Fail when the share of members recognised at a false-positive rate ≤ 1% exceeds this and its Wilson lower bound exceeds 0.01 (chance)."),
        ParameterSpec("min_non_members_for_tpr", .integer(1...1_000_000_000), default: .integer(500),
                      doc: "Non-members needed before the TPR at FPR ≤ 1% counts in the verdict; it is reported either way. With n non-members the 1% threshold rests on ⌊n/100⌋ + 1 of them: below 500, on 5 or fewer, and chance alone passes the Wilson test too often."),
        ParameterSpec("min_records", .integer(2...1_000_000_000), default: .integer(20),
                      doc: "Members and non-members needed (each, after balancing) to run at all; the rule is skipped below it."),
    ]
    public static let measurements: [MeasurementSpec] = [
        MeasurementSpec("columns_compared", "Columns the distance uses."),
        MeasurementSpec("members_used", "Training records used as members (the larger real table is subsampled to the smaller one's size)."),
        MeasurementSpec("non_members_used", "Holdout records used as non-members."),
        MeasurementSpec("mia_auc", "Attack AUC: P(a member is closer to the synthetic data than a non-member) + ½·P(tie) (Mann–Whitney; sklearn roc_auc_score)."),
        MeasurementSpec("mia_auc_se", "DeLong (1988) standard error of the AUC."),
        MeasurementSpec("mia_auc_ci_low", "95% DeLong interval of the AUC, lower end (auc − 1.96·SE, clipped to [0, 1])."),
        MeasurementSpec("mia_auc_ci_high", "Upper end."),
        MeasurementSpec("mia_tpr_at_fpr_0_01", "Largest share of members recognised at a distance threshold that flags at most 1% of non-members (thresholds at distinct distances, as sklearn roc_curve)."),
        MeasurementSpec("mia_tpr_at_fpr_0_01_ci_low", "Wilson 95% interval of that share, lower end."),
        MeasurementSpec("mia_tpr_at_fpr_0_01_ci_high", "Upper end."),
        MeasurementSpec("mia_tpr_at_fpr_0_001", "Largest share of members recognised at a threshold that flags at most 0.1% of non-members."),
        MeasurementSpec("mia_tpr_at_fpr_0_001_ci_low", "Wilson 95% interval of that share, lower end."),
        MeasurementSpec("mia_tpr_at_fpr_0_001_ci_high", "Upper end."),
        MeasurementSpec("mia_advantage", "Membership advantage: max over thresholds of TPR − FPR (0 = no better than chance)."),
        MeasurementSpec("member_distance_median", "Median distance of the members used to their closest synthetic record."),
        MeasurementSpec("non_member_distance_median", "Median distance of the non-members used to their closest synthetic record."),
    ]

    /// The chance level of the TPR at FPR ≤ 1%: a guesser that flags 1% of non-members flags 1% of members.
    static let chanceTPRAtOnePercent = 0.01

    /// Creates the check.
    public init() {}

    public func run(rule: RuleDescriptor, context: ScanContext) throws -> RuleOutcome {
        let p = try Params(rule)
        let data = context.data
        func skipped(_ message: String) -> RuleOutcome {
            RuleOutcome(rule: rule, status: .skipped, level: rule.severity, message: message, measurements: [], findings: [])
        }
        let distance = RecordDistance(columns: p.columns, rangeSource: p.rangeFrom == "train" ? .train : .reference,
                                      missing: p.missing == "mismatch" ? .neverMatch : .matchEachOther)
        let columns: [String]
        do { columns = try NearestRecordSearch.columns(of: distance, schema: context.schema) } catch {
            if case .unknownColumn(let c) = error { throw CheckError.unknownColumn(rule: rule.id, column: c) }
            return skipped("No column is left to measure distances on (identifiers, ignored and free-text columns are excluded).")
        }
        guard let holdout = data.holdout else {
            return skipped("Membership inference needs a holdout table: members are training records, non-members are real records the generator never saw, and without them there is nothing to compare the training records with.")
        }
        guard data.synthetic.rowCount > 0 else {
            return skipped("The synthetic table is empty: there are no distances to attack with.")
        }
        let used = Swift.min(data.train.rowCount, holdout.rowCount)
        guard used >= p.minRecords else {
            return skipped("Membership inference needs at least \(p.minRecords) training and \(p.minRecords) holdout records (min_records); there are \(data.train.rowCount) and \(holdout.rowCount).")
        }

        // Balance the two sides: the larger one is queried on a seeded sample of `used` rows (the
        // query side only; the synthetic reference is always complete), so no distance is wasted.
        let balance = SeededRandom.stream(rule.id + "/balance")
        func side(_ role: TableRole, rows: Int) -> NeighbourPass.Query {
            rows > used ? .sample(role, stream: balance, count: used) : .table(role)
        }
        let memberDistances = try neighbours(context, side(.train, rows: data.train.rowCount), distance, rule).nearest
        let nonMemberDistances = try neighbours(context, side(.holdout, rows: holdout.rowCount), distance, rule).nearest

        // Score = −distance: members (positives) should score higher.
        let memberScores = memberDistances.map { -$0 }, nonMemberScores = nonMemberDistances.map { -$0 }
        let estimate = ROC.aucWithDeLong(positives: memberScores, negatives: nonMemberScores)
        let curve = ROC.curve(positives: memberScores, negatives: nonMemberScores)
        let at1 = curve.operatingPoint(maxFalsePositiveRate: 0.01)
        let at01 = curve.operatingPoint(maxFalsePositiveRate: 0.001)
        let ci1 = Statistics.wilsonInterval(successes: at1.truePositives, trials: used)
        let ci01 = Statistics.wilsonInterval(successes: at01.truePositives, trials: used)
        let memberMedian = Statistics.quantile(sorted: memberDistances.sorted(), 0.5)
        let nonMemberMedian = Statistics.quantile(sorted: nonMemberDistances.sorted(), 0.5)
        let m: [Measurement] = [
            Measurement("columns_compared", Double(columns.count)),
            Measurement("members_used", Double(used)),
            Measurement("non_members_used", Double(used)),
            Measurement("mia_auc", estimate.auc),
            Measurement("mia_auc_se", estimate.standardError),
            Measurement("mia_auc_ci_low", estimate.low),
            Measurement("mia_auc_ci_high", estimate.high),
            Measurement("mia_tpr_at_fpr_0_01", at1.truePositiveRate),
            Measurement("mia_tpr_at_fpr_0_01_ci_low", ci1.low),
            Measurement("mia_tpr_at_fpr_0_01_ci_high", ci1.high),
            Measurement("mia_tpr_at_fpr_0_001", at01.truePositiveRate),
            Measurement("mia_tpr_at_fpr_0_001_ci_low", ci01.low),
            Measurement("mia_tpr_at_fpr_0_001_ci_high", ci01.high),
            Measurement("mia_advantage", curve.maxAdvantage),
            Measurement("member_distance_median", memberMedian),
            Measurement("non_member_distance_median", nonMemberMedian),
        ]

        var reasons: [String] = []
        let aucText = "AUC \(Self.round(estimate.auc, 3)) (95% DeLong interval \(Self.round(estimate.low, 3))–\(Self.round(estimate.high, 3)))"
        let tprText = "\(Format.percent(at1.truePositiveRate)) of training records at a false-positive rate of at most 1% (Wilson 95% interval \(Format.percent(ci1.low))–\(Format.percent(ci1.high)))"
        if estimate.low > p.maxAUC {
            reasons.append("a distance-based membership attack tells training records from holdout records with \(aucText), lower bound above \(ParameterValue.format(p.maxAUC))")
        }
        let tprJudged = used >= p.minNonMembersForTPR
        if tprJudged, at1.truePositiveRate > p.maxTPRAtOnePercent, ci1.low > Self.chanceTPRAtOnePercent {
            reasons.append("the attack recognises \(tprText), above \(Format.percent(p.maxTPRAtOnePercent)) and above chance (1%)")
        }
        let sizes = "\(used) members and \(used) non-members"
        let message: String
        if !reasons.isEmpty {
            let joined = reasons.joined(separator: "; ")
            message = joined.prefix(1).uppercased() + joined.dropFirst() + ", on \(sizes)."
        } else {
            var text = "A distance-based membership attack stays within the limits: \(aucText); it recognises \(tprText), on \(sizes)"
            if !tprJudged { text += " (fewer than \(p.minNonMembersForTPR) non-members, so the 1% operating point was reported but not judged)" }
            message = text + "."
        }
        return RuleOutcome(rule: rule, status: reasons.isEmpty ? .pass : .fail, level: rule.severity, message: message,
                           measurements: m, findings: [])
    }

    private func neighbours(_ context: ScanContext, _ query: NeighbourPass.Query, _ distance: RecordDistance,
                            _ rule: RuleDescriptor) throws -> NearestRecords {
        do { return try context.nearestRecords(NeighbourPass(query: query, reference: .synthetic, distance: distance, secondNearest: false)) } catch {
            throw CheckError.invalidParameter(rule: rule.id, name: "columns", reason: error.description)
        }
    }

    private static func round(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "n/a" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        return ParameterValue.format((value * scale).rounded() / scale)
    }

    /// Parsed parameters.
    struct Params {
        var columns: [String]
        var rangeFrom: String
        var missing: String
        var maxAUC: Double
        var maxTPRAtOnePercent: Double
        var minNonMembersForTPR: Int
        var minRecords: Int

        init(_ rule: RuleDescriptor) throws {
            let p = rule.parameters
            columns = try p.list("columns", rule: rule.id)
            rangeFrom = try p.text("range_from", rule: rule.id)
            missing = try p.text("missing", rule: rule.id)
            maxAUC = try p.number("max_auc", rule: rule.id)
            maxTPRAtOnePercent = try p.number("max_tpr_at_fpr_0_01", rule: rule.id)
            minNonMembersForTPR = try p.integer("min_non_members_for_tpr", rule: rule.id)
            minRecords = try p.integer("min_records", rule: rule.id)
        }
    }
}
