import Foundation

/// Disclosure through the quasi-identifiers (QIs): the combinations of age, sex, ZIP3, dates …
/// that single a patient out, worked on real equivalence classes (records with equal QI digests),
/// never on clusters.
///
/// Definitions (train = T, holdout = H, synthetic = S; a *key* is a record's digest over the QI
/// columns, so two records share a key exactly when their canonical QI values agree, a missing
/// value being a value of its own):
/// - **Unique records.** `real_unique_records`: training records whose key occurs once in T
///   (SDNist `cellchange`: `drop_duplicates(subset=quasi, keep=False)`).
/// - **Apparent matches** (NIST SDNist v2, "apparent match distribution",
///   `sdnist/metrics/apparent_match_dist.py`): unique training records whose key occurs in S.
///   SDNist also keeps only keys unique in S; we count every key present in S (an attacker who
///   finds two candidates has still found the patient's combination), and report SDNist's own
///   count as `apparent_matches_synthetic_unique`.
/// - **Other-column agreement.** For each apparent match, the share of the other compared columns
///   (every comparable column that is not a QI) on which the *best-matching* synthetic record with
///   that key equals the real record (the most the release reveals about that patient; with one
///   synthetic record per key this is SDNist's percentage). Values are compared as record digests
///   compare them: canonical numbers after the configured rounding, canonical labels, missing
///   equal to missing. `apparent_full_matches`: apparent matches whose best synthetic record agrees
///   on every other column, i.e. a whole unique record released (SDNist "unique exact match" when
///   the QIs are all columns; with no other column every apparent match counts).
/// - **k-anonymity of the release against T** (Sweeney 2002; El Emam & Dankar 2008): for each
///   synthetic record, k = the size of its key's class in T (0 when T has no record with that key);
///   `synthetic_records_k_below` counts records with 1 ≤ k < `k`.
/// - **DiSCO** (Raab, Nowok & Dibben 2024, as SDNist `sdnist/metrics/disco.py` computes it): a key
///   is disclosive for a sensitive column when every synthetic record with that key has the same
///   value of the column; a training record is disclosed when its key is disclosive and the
///   synthetic value equals its own. Over several sensitive columns a record counts once. DiO (the
///   same over T's own classes) is reported as `dio_share`.
/// - **Holdout baseline.** The apparent-match share and the DiSCO share are computed for holdout
///   records too: records the generator never saw, matched only by chance.
///
/// Verdict: fail when (1) the train apparent-match share exceeds the holdout share by more than
/// `max_excess_apparent_match` and Fisher's exact one-sided test rejects equal rates at `alpha`,
/// (2) more than `max_full_matches` unique training records are released whole, or (3) the train
/// DiSCO share exceeds the holdout DiSCO share by more than `max_excess_disclosive` and Fisher's
/// test rejects at `alpha`. (1) and (3) need a holdout table.
///
/// Messages never print a real count from 1 to 10 (they print `<11`, the CMS cell-size rule);
/// measurements stay numeric.
public struct QuasiIdentifierDisclosureCheck: Check {
    public static let kind = "quasi-identifier-disclosure"
    public static let summary = "Counts real patients singled out by their quasi-identifier combination in the release (SDNist apparent matches, against the holdout's chance level), how much of their record the matching synthetic rows disclose, the release's k-anonymity against the training data, and DiSCO attribute disclosure of sensitive columns."
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("columns", .columns, default: .list([]),
                      doc: "Quasi-identifier columns; empty = the columns with the quasi_identifier role (the rule is skipped when there are none)."),
        ParameterSpec("sensitive", .columns, default: .list([]),
                      doc: "Sensitive columns for DiSCO; empty = the columns with the sensitive role (DiSCO is skipped when there are none). Quasi-identifiers are never DiSCO targets."),
        ParameterSpec("k", .integer(2...1_000_000), default: .integer(5),
                      doc: "k-anonymity threshold: synthetic records whose quasi-identifier combination is shared by 1 to k−1 training patients are counted (5 is common practice, El Emam & Dankar 2008; 11 under some health policies)."),
        ParameterSpec("alpha", .number(NumberBounds(0, 0.5, lowerInclusive: false)), default: .number(0.001),
                      doc: "Significance level of the one-sided Fisher exact tests of train against holdout."),
        ParameterSpec("max_excess_apparent_match", .number(.unit), default: .number(0.05),
                      doc: "How far the share of unique training patients with an apparent match may exceed the same share for unique holdout patients."),
        ParameterSpec("max_full_matches", .integer(0...Int.max), default: .integer(0),
                      doc: "Unique training patients whose whole record (quasi-identifiers and every other compared column) the release may reproduce before the rule fails."),
        ParameterSpec("max_excess_disclosive", .number(.unit), default: .number(0.01),
                      doc: "How far the DiSCO share of training patients may exceed the DiSCO share of holdout patients."),
        ParameterSpec("max_findings", .integer(0...1_000_000), default: .integer(1000),
                      doc: "Row-level and group findings listed; the rest are counted in `findings_truncated`."),
    ]
    public static let measurements: [MeasurementSpec] = [
        MeasurementSpec("synthetic_rows", "Rows in the synthetic table."),
        MeasurementSpec("quasi_identifier_columns", "Quasi-identifier columns a key is made of."),
        MeasurementSpec("other_columns_compared", "Comparable columns that are not quasi-identifiers (the apparent-match agreement is over these)."),
        MeasurementSpec("real_unique_records", "Training records whose quasi-identifier combination occurs once in the training table."),
        MeasurementSpec("real_unique_share", "real_unique_records / training rows."),
        MeasurementSpec("apparent_matches", "Unique training records whose combination occurs in the synthetic table (SDNist apparent match)."),
        MeasurementSpec("apparent_match_share", "apparent_matches / real_unique_records (0 without unique records)."),
        MeasurementSpec("apparent_matches_synthetic_unique", "Apparent matches whose combination is also unique in the synthetic table (SDNist cellchange's count)."),
        MeasurementSpec("apparent_match_mean_other_match", "Mean over apparent matches of the share of other columns on which the best-matching synthetic record agrees with the real one.", optional: true),
        MeasurementSpec("apparent_full_matches", "Apparent matches whose best synthetic record agrees on every other column: unique records released whole."),
        MeasurementSpec("apparent_full_match_share", "apparent_full_matches / real_unique_records (0 without unique records)."),
        MeasurementSpec("disclosure_rows", "Synthetic rows that reproduce a unique training record whole (the row-level findings)."),
        MeasurementSpec("holdout_unique_records", "Holdout records whose combination occurs once in the holdout table.", optional: true),
        MeasurementSpec("apparent_matches_holdout", "Unique holdout records whose combination occurs in the synthetic table: the chance level.", optional: true),
        MeasurementSpec("apparent_match_share_holdout", "apparent_matches_holdout / holdout_unique_records.", optional: true),
        MeasurementSpec("apparent_full_matches_holdout", "Unique holdout records reproduced whole.", optional: true),
        MeasurementSpec("apparent_match_p_value", "One-sided Fisher exact p-value of the train apparent-match share against the holdout share.", optional: true),
        MeasurementSpec("synthetic_k_min", "Smallest training class size (≥ 1) of a synthetic record's combination.", optional: true),
        MeasurementSpec("synthetic_records_k_below", "Synthetic records whose combination is shared by 1 to k−1 training records."),
        MeasurementSpec("synthetic_share_k_below", "synthetic_records_k_below / synthetic_rows."),
        MeasurementSpec("sensitive_columns", "Sensitive columns DiSCO is computed for."),
        MeasurementSpec("disclosive_groups", "Combinations whose synthetic records all share one sensitive value that is the real value of a training record with that combination.", optional: true),
        MeasurementSpec("disclosive_records", "Training records so disclosed (DiSCO), on at least one sensitive column.", optional: true),
        MeasurementSpec("disclosive_share", "disclosive_records / training rows (DiSCO).", optional: true),
        MeasurementSpec("dio_share", "Share of training records whose combination has one sensitive value within the training table itself (DiO).", optional: true),
        MeasurementSpec("disclosive_records_holdout", "Holdout records disclosed the same way: the chance level.", optional: true),
        MeasurementSpec("disclosive_share_holdout", "disclosive_records_holdout / holdout rows.", optional: true),
        MeasurementSpec("disclosive_p_value", "One-sided Fisher exact p-value of the train DiSCO share against the holdout share.", optional: true),
        MeasurementSpec("findings_truncated", "Disclosures and groups counted but not listed because of max_findings.", optional: true),
    ]

    /// Creates the check.
    public init() {}

    public func run(rule: RuleDescriptor, context: ScanContext) throws -> RuleOutcome {
        let p = try Params(rule: rule, schema: context.schema)
        let data = context.data
        let synthetic = data.synthetic
        guard !p.quasiIdentifiers.isEmpty else {
            return RuleOutcome(rule: rule, status: .skipped, level: rule.severity,
                               message: "No quasi-identifier column is declared (roles.quasi_identifiers in the configuration, --quasi-identifiers on the command line, or the rule's `columns`): there is no combination to single a patient out with.",
                               measurements: [Measurement("synthetic_rows", Double(synthetic.rowCount)),
                                              Measurement("quasi_identifier_columns", 0)],
                               findings: [])
        }
        guard synthetic.rowCount > 0, data.train.rowCount > 0 else {
            return RuleOutcome(rule: rule, status: .skipped, level: rule.severity,
                               message: "The training or the synthetic table has no rows: there is nothing to match.",
                               measurements: [Measurement("synthetic_rows", Double(synthetic.rowCount)),
                                              Measurement("quasi_identifier_columns", Double(p.quasiIdentifiers.count))],
                               findings: [])
        }
        let others = context.comparableColumns.filter { !p.quasiIdentifiers.contains($0) }
        let sensitive = p.sensitive.filter { !p.quasiIdentifiers.contains($0) }
        let a = Self.analyse(context: context, quasiIdentifiers: p.quasiIdentifiers, others: others, sensitive: sensitive, k: p.k)

        // Measurements.
        let trainRows = Double(data.train.rowCount)
        func share(_ n: Int, _ d: Int) -> Double { d > 0 ? Double(n) / Double(d) : 0 }
        var m: [Measurement] = [
            Measurement("synthetic_rows", Double(synthetic.rowCount)),
            Measurement("quasi_identifier_columns", Double(p.quasiIdentifiers.count)),
            Measurement("other_columns_compared", Double(others.count)),
            Measurement("real_unique_records", Double(a.train.unique)),
            Measurement("real_unique_share", Double(a.train.unique) / trainRows),
            Measurement("apparent_matches", Double(a.train.matches.count)),
            Measurement("apparent_match_share", a.train.share),
            Measurement("apparent_matches_synthetic_unique", Double(a.train.syntheticUniqueMatches)),
        ]
        if let mean = a.train.meanOtherMatch { m.append(Measurement("apparent_match_mean_other_match", mean)) }
        m += [
            Measurement("apparent_full_matches", Double(a.train.fullMatches)),
            Measurement("apparent_full_match_share", share(a.train.fullMatches, a.train.unique)),
            Measurement("disclosure_rows", Double(a.disclosureRows.count)),
        ]
        var apparentP: Double?
        if let h = a.holdout {
            m += [
                Measurement("holdout_unique_records", Double(h.unique)),
                Measurement("apparent_matches_holdout", Double(h.matches.count)),
                Measurement("apparent_match_share_holdout", h.share),
                Measurement("apparent_full_matches_holdout", Double(h.fullMatches)),
            ]
            if a.train.unique > 0, h.unique > 0 {
                let pv = Self.fisherUpperTail(successes: a.train.matches.count, trials: a.train.unique,
                                              otherSuccesses: h.matches.count, otherTrials: h.unique)
                apparentP = pv
                m.append(Measurement("apparent_match_p_value", pv))
            }
        }
        if let kMin = a.syntheticKMin { m.append(Measurement("synthetic_k_min", Double(kMin))) }
        m += [
            Measurement("synthetic_records_k_below", Double(a.syntheticRecordsKBelow)),
            Measurement("synthetic_share_k_below", Double(a.syntheticRecordsKBelow) / Double(synthetic.rowCount)),
            Measurement("sensitive_columns", Double(sensitive.count)),
        ]
        var discoP: Double?
        if let d = a.disco {
            m += [
                Measurement("disclosive_groups", Double(d.groups.count)),
                Measurement("disclosive_records", Double(d.trainRecords)),
                Measurement("disclosive_share", Double(d.trainRecords) / trainRows),
                Measurement("dio_share", Double(d.dioRecords) / trainRows),
            ]
            if let hr = d.holdoutRecords, let holdout = data.holdout {
                m.append(Measurement("disclosive_records_holdout", Double(hr)))
                m.append(Measurement("disclosive_share_holdout", share(hr, holdout.rowCount)))
                if holdout.rowCount > 0 {
                    let pv = Self.fisherUpperTail(successes: d.trainRecords, trials: data.train.rowCount,
                                                  otherSuccesses: hr, otherTrials: holdout.rowCount)
                    discoP = pv
                    m.append(Measurement("disclosive_p_value", pv))
                }
            }
        }

        // Verdict.
        var reasons: [String] = []
        let qiText = Self.columnList(p.quasiIdentifiers)
        var apparentFails = false
        if let h = a.holdout, let pv = apparentP, a.train.share - h.share > p.maxExcessApparentMatch, pv < p.alpha {
            apparentFails = true
            reasons.append("\(Format.percent(a.train.share)) of the training patients unique on \(qiText) (\(Self.cell(a.train.matches.count)) of \(Self.cell(a.train.unique))) have their combination in the release, against \(Format.percent(h.share)) of unique holdout patients (p = \(Self.formatP(pv)))")
        }
        let fullFails = a.train.fullMatches > p.maxFullMatches
        if fullFails {
            reasons.append("\(Self.cell(a.train.fullMatches)) training patients unique on \(qiText) are reproduced whole by \(Self.cell(a.disclosureRows.count)) synthetic rows (allowed: \(p.maxFullMatches))")
        }
        var discoFails = false
        if let d = a.disco, let hr = d.holdoutRecords, let holdout = data.holdout, let pv = discoP {
            let trainShare = Double(d.trainRecords) / trainRows, holdoutShare = share(hr, holdout.rowCount)
            if trainShare - holdoutShare > p.maxExcessDisclosive, pv < p.alpha {
                discoFails = true
                reasons.append("\(Format.percent(trainShare)) of training patients (\(Self.cell(d.trainRecords))) have \(Self.columnList(sensitive)) disclosed by synthetic records that all share their combination and value (DiSCO), against \(Format.percent(holdoutShare)) of holdout patients (p = \(Self.formatP(pv)))")
            }
        }
        let failed = apparentFails || fullFails || discoFails

        // Findings.
        var findings: [Finding] = []
        var truncated = 0
        let qiDigests = context.digests(of: synthetic, columns: p.quasiIdentifiers)
        let recordDigests = context.digests(of: synthetic, columns: p.quasiIdentifiers + others)
        let trainRecordDigests = context.digests(of: data.train, columns: p.quasiIdentifiers + others)
        var occurrences: [RecordDigest: Int] = [:]
        for (row, realRow) in a.disclosureRows.prefix(p.maxFindings) {
            let key = context.published(qiDigests[row])
            let record = context.published(recordDigests[row])
            let matched = context.published(trainRecordDigests[realRow])
            occurrences[record, default: 0] += 1
            findings.append(Finding(
                ruleID: rule.id, level: fullFails ? rule.severity : .note,
                message: "Synthetic row \(row + 1) (line \(synthetic.recordLines[row])) has the quasi-identifier combination (key \(key.hex.prefix(16))) of a training patient who is the only one with it, and agrees with that patient on every other compared column: the patient's whole record is released (record \(matched.hex.prefix(16))).",
                location: FindingLocation(table: .synthetic, row: row + 1, line: synthetic.recordLines[row], columns: p.quasiIdentifiers,
                                          subgroup: "quasi-identifier key \(key.hex.prefix(16))",
                                          recordDigest: record.hex, matchedRecordDigest: matched.hex),
                fingerprint: Self.fingerprint(rule.id, "disclosure", record.hex, occurrences[record]!),
                measurements: [Measurement("other_match", 1)]))
        }
        truncated += max(0, a.disclosureRows.count - p.maxFindings)
        if apparentFails, let h = a.holdout {
            findings.append(Finding(
                ruleID: rule.id, level: rule.severity,
                message: "Training patients who are unique on \(qiText) have their combination reproduced in the release more often than unseen (holdout) patients do: \(Format.percent(a.train.share)) against \(Format.percent(h.share)). The generator has memorised rare combinations.",
                location: FindingLocation(table: .synthetic, columns: p.quasiIdentifiers),
                fingerprint: Self.fingerprint(rule.id, "apparent-match-excess", p.quasiIdentifiers.joined(separator: "\u{0}"), 1),
                measurements: [Measurement("apparent_match_share", a.train.share), Measurement("apparent_match_share_holdout", h.share)]))
        }
        if discoFails, let d = a.disco {
            let groups = d.groups.sorted { $0.key < $1.key }
            for g in groups.prefix(p.maxFindings) {
                let key = context.published(g.key)
                let columns = g.columns.map { sensitive[$0] }
                findings.append(Finding(
                    ruleID: rule.id, level: rule.severity,
                    message: "Every synthetic record with quasi-identifier key \(key.hex.prefix(16)) has the same value of \(Self.columnList(columns)), and it is the real value of \(Self.cell(g.trainRecords)) training patients with that combination (DiSCO).",
                    location: FindingLocation(table: .synthetic, columns: p.quasiIdentifiers + columns, subgroup: "quasi-identifier key \(key.hex.prefix(16))"),
                    fingerprint: Self.fingerprint(rule.id, "disclosive-group", key.hex, 1),
                    measurements: [Measurement("synthetic_records", Double(g.syntheticRecords)),
                                   Measurement("disclosive_records", Double(g.trainRecords))]))
            }
            truncated += max(0, groups.count - p.maxFindings)
        }
        if a.syntheticRecordsKBelow > 0 {
            findings.append(Finding(
                ruleID: rule.id, level: .note,
                message: "\(Self.cell(a.syntheticRecordsKBelow)) synthetic rows (\(Format.percent(Double(a.syntheticRecordsKBelow) / Double(synthetic.rowCount)))) carry a combination of \(qiText) shared by fewer than \(p.k) training patients (smallest: \(a.syntheticKMin.map(Self.cell) ?? "none")): the release is not \(p.k)-anonymous against the training data.",
                location: FindingLocation(table: .synthetic, columns: p.quasiIdentifiers),
                fingerprint: Self.fingerprint(rule.id, "k-anonymity", p.quasiIdentifiers.joined(separator: "\u{0}"), p.k),
                measurements: [Measurement("synthetic_records_k_below", Double(a.syntheticRecordsKBelow))]))
        }
        if truncated > 0 { m.append(Measurement("findings_truncated", Double(truncated))) }

        // Message.
        var parts: [String] = []
        if failed {
            parts.append(reasons.joined(separator: "; "))
        } else {
            var s = "\(Format.percent(a.train.share)) of the training patients unique on \(qiText) have their combination in the release"
            if let h = a.holdout { s += " (holdout: \(Format.percent(h.share)))" }
            if let mean = a.train.meanOtherMatch { s += "; the best-matching synthetic record agrees on \(Format.percent(mean)) of the other columns on average" }
            s += a.train.fullMatches == 0
                ? "; no unique patient is released whole"
                : "; \(Self.cell(a.train.fullMatches)) unique patients are released whole (allowed: \(p.maxFullMatches))"
            parts.append(s)
            if let d = a.disco {
                var t = "DiSCO: \(Format.percent(Double(d.trainRecords) / trainRows)) of training patients have \(Self.columnList(sensitive)) disclosed"
                if let hr = d.holdoutRecords, let holdout = data.holdout { t += " (holdout: \(Format.percent(share(hr, holdout.rowCount))))" }
                parts.append(t)
            }
        }
        if a.syntheticRecordsKBelow > 0 {
            parts.append("\(Format.percent(Double(a.syntheticRecordsKBelow) / Double(synthetic.rowCount))) of synthetic rows fall in combinations of fewer than \(p.k) training patients")
        }
        if a.disco == nil {
            parts.append(sensitive.isEmpty && !p.sensitive.isEmpty
                         ? "DiSCO was not computed: every sensitive column is a quasi-identifier"
                         : "No sensitive column is declared: DiSCO was not computed")
        }
        if data.holdout == nil { parts.append("No holdout table: the chance levels are unknown and only whole-record disclosures are judged") }
        let message = parts.joined(separator: ". ") + "."
        return RuleOutcome(rule: rule, status: failed ? .fail : .pass, level: rule.severity, message: message,
                           measurements: m, findings: findings)
    }

    // MARK: - Analysis

    /// Apparent matches of one real table's unique records against the synthetic table.
    struct ApparentMatches {
        /// Records unique on the QIs in their own table.
        var unique = 0
        /// Per apparent match: the real row, the synthetic records sharing its key, and the best
        /// agreement over the other columns (share; 1 when there is no other column).
        var matches: [(realRow: Int, syntheticRecords: Int, otherMatch: Double)] = []
        /// Apparent matches whose key is unique in the synthetic table too.
        var syntheticUniqueMatches = 0
        /// Apparent matches whose best synthetic record agrees on every other column.
        var fullMatches = 0
        /// Whether there are other columns to agree on.
        var hasOtherColumns = true

        /// matches / unique (0 without unique records).
        var share: Double { unique > 0 ? Double(matches.count) / Double(unique) : 0 }
        /// Mean best agreement, when there are matches and other columns.
        var meanOtherMatch: Double? {
            guard hasOtherColumns, !matches.isEmpty else { return nil }
            return matches.reduce(0) { $0 + $1.otherMatch } / Double(matches.count)
        }
    }

    /// A disclosive QI key with at least one training record disclosed.
    struct DisclosiveGroup {
        var key: RecordDigest
        /// Indexes (into the sensitive columns) of the columns it discloses.
        var columns: [Int]
        var syntheticRecords: Int
        var trainRecords: Int
    }

    /// DiSCO figures.
    struct Disco {
        var groups: [DisclosiveGroup] = []
        var trainRecords = 0
        var dioRecords = 0
        var holdoutRecords: Int?
    }

    /// Everything the check measures, before verdict and wording.
    struct Analysis {
        var train: ApparentMatches
        var holdout: ApparentMatches?
        /// Synthetic rows (0-based, ascending) that reproduce a unique training record whole, with that training row.
        var disclosureRows: [(row: Int, realRow: Int)]
        var syntheticKMin: Int?
        var syntheticRecordsKBelow: Int
        var disco: Disco?
    }

    /// Computes the analysis over the given column sets (names must exist in the schema).
    static func analyse(context: ScanContext, quasiIdentifiers: [String], others: [String], sensitive: [String], k: Int) -> Analysis {
        let data = context.data
        let synthetic = data.synthetic
        let sKeys = context.digests(of: synthetic, columns: quasiIdentifiers)
        let tKeys = context.digests(of: data.train, columns: quasiIdentifiers)
        let sGroups = KeyGroups(sKeys)
        let tGroups = KeyGroups(tKeys)

        var disclosureRows: [(row: Int, realRow: Int)] = []
        let train = apparentMatches(context: context, real: data.train, realGroups: tGroups, synthetic: synthetic,
                                    syntheticGroups: sGroups, others: others, disclosures: &disclosureRows)
        disclosureRows.sort { $0.row < $1.row }
        var holdout: ApparentMatches?
        if let h = data.holdout {
            var ignored: [(row: Int, realRow: Int)] = []
            holdout = apparentMatches(context: context, real: h, realGroups: KeyGroups(context.digests(of: h, columns: quasiIdentifiers)),
                                      synthetic: synthetic, syntheticGroups: sGroups, others: others, disclosures: &ignored)
        }

        var kMin: Int?
        var below = 0
        for key in sKeys {
            guard let g = tGroups.group[key] else { continue }
            let size = tGroups.size(g)
            kMin = Swift.min(kMin ?? size, size)
            if size < k { below += 1 }
        }

        var disco: Disco?
        if !sensitive.isEmpty {
            disco = discoFigures(context: context, quasiIdentifiers: quasiIdentifiers, sensitive: sensitive, sGroups: sGroups,
                                 tKeys: tKeys, tGroups: tGroups)
        }
        return Analysis(train: train, holdout: holdout, disclosureRows: disclosureRows, syntheticKMin: kMin,
                        syntheticRecordsKBelow: below, disco: disco)
    }

    private static func apparentMatches(context: ScanContext, real: Table, realGroups: KeyGroups, synthetic: Table,
                                        syntheticGroups: KeyGroups, others: [String],
                                        disclosures: inout [(row: Int, realRow: Int)]) -> ApparentMatches {
        let comparators = others.map { name in
            ValueComparator(synthetic.column(named: name)!, real.column(named: name)!,
                            roundDigits: context.configuration.columns[name]?.roundDigits)
        }
        var result = ApparentMatches()
        result.hasOtherColumns = !comparators.isEmpty
        for g in 0..<realGroups.count where realGroups.size(g) == 1 {
            result.unique += 1
            let realRow = realGroups.rows(g).first!
            guard let sg = syntheticGroups.group[realGroups.keys[g]] else { continue }
            let candidates = syntheticGroups.rows(sg)
            var best = 0
            for s in candidates {
                var agree = 0
                for c in comparators where c.equal(s, realRow) { agree += 1 }
                if agree == comparators.count { disclosures.append((s, realRow)) }
                best = Swift.max(best, agree)
            }
            let full = best == comparators.count
            result.matches.append((realRow, candidates.count, comparators.isEmpty ? 1 : Double(best) / Double(comparators.count)))
            if candidates.count == 1 { result.syntheticUniqueMatches += 1 }
            if full { result.fullMatches += 1 }
        }
        return result
    }

    private static func discoFigures(context: ScanContext, quasiIdentifiers: [String], sensitive: [String], sGroups: KeyGroups,
                                     tKeys: [RecordDigest], tGroups: KeyGroups) -> Disco {
        let data = context.data
        let sValues = sensitive.map { context.digests(of: data.synthetic, columns: [$0]) }
        let tValues = sensitive.map { context.digests(of: data.train, columns: [$0]) }
        // The one value each synthetic group has in each sensitive column, or nil when it has several.
        let groupValue: [[RecordDigest?]] = sValues.map { values in
            (0..<sGroups.count).map { g in
                let rows = sGroups.rows(g)
                let first = values[rows.first!]
                return rows.allSatisfy { values[$0] == first } ? first : nil
            }
        }
        var disco = Disco()
        var byGroup: [Int: DisclosiveGroup] = [:]
        for (row, key) in tKeys.enumerated() {
            guard let g = sGroups.group[key] else { continue }
            var disclosed: [Int] = []
            for c in sensitive.indices where groupValue[c][g] == tValues[c][row] { disclosed.append(c) }
            guard !disclosed.isEmpty else { continue }
            disco.trainRecords += 1
            var entry = byGroup[g] ?? DisclosiveGroup(key: key, columns: [], syntheticRecords: sGroups.size(g), trainRecords: 0)
            entry.trainRecords += 1
            entry.columns = Array(Set(entry.columns).union(disclosed)).sorted()
            byGroup[g] = entry
        }
        disco.groups = byGroup.keys.sorted().map { byGroup[$0]! }
        // DiO: the training table's own classes with one value.
        for g in 0..<tGroups.count {
            let rows = tGroups.rows(g)
            if tValues.contains(where: { values in rows.allSatisfy { values[$0] == values[rows.first!] } }) {
                disco.dioRecords += rows.count
            }
        }
        if let holdout = data.holdout {
            let hKeys = context.digests(of: holdout, columns: quasiIdentifiers)
            let hValues = sensitive.map { context.digests(of: holdout, columns: [$0]) }
            var n = 0
            for (row, key) in hKeys.enumerated() {
                guard let g = sGroups.group[key] else { continue }
                if sensitive.indices.contains(where: { groupValue[$0][g] == hValues[$0][row] }) { n += 1 }
            }
            disco.holdoutRecords = n
        }
        return disco
    }

    // MARK: - Helpers

    /// P(X ≥ `successes`) when X, the successes among `trials`, is drawn without replacement from the
    /// pooled `trials + otherTrials` with `successes + otherSuccesses` successes: the one-sided
    /// Fisher exact test of "the first proportion is larger" (Fisher 1935; Agresti, Categorical Data
    /// Analysis, 2nd ed., §3.5.1), as `scipy.stats.fisher_exact(..., alternative="greater")`.
    /// Hypergeometric terms in log space (lgamma), summed relative to the largest.
    static func fisherUpperTail(successes x: Int, trials n: Int, otherSuccesses y: Int, otherTrials m: Int) -> Double {
        let total = n + m, k = x + y
        let low = Swift.max(0, k - m), high = Swift.min(k, n)
        if x <= low { return 1 }
        if x > high { return 0 }
        func logChoose(_ a: Int, _ b: Int) -> Double { lgamma(Double(a + 1)) - lgamma(Double(b + 1)) - lgamma(Double(a - b + 1)) }
        let logDenominator = logChoose(total, k)
        func logTerm(_ i: Int) -> Double { logChoose(n, i) + logChoose(m, k - i) - logDenominator }
        let terms = (x...high).map(logTerm)
        let top = terms.max()!
        let sum = terms.reduce(0) { $0 + exp($1 - top) }
        return Swift.min(1, exp(top) * sum)
    }

    /// A count from real data as a message may print it: 1 to 10 become "<11" (small-cell rule).
    /// Messages always use the plural with such counts, so the wording does not reveal a count of 1.
    static func cell(_ n: Int) -> String { (1...10).contains(n) ? "<11" : String(n) }

    static func columnList(_ names: [String]) -> String {
        names.count <= 4 ? names.joined(separator: ", ") : names.prefix(3).joined(separator: ", ") + " and \(names.count - 3) more columns"
    }

    private static func formatP(_ p: Double) -> String {
        p < 1e-4 ? "< 0.0001" : String(ParameterValue.format((p * 10_000).rounded() / 10_000))
    }

    private static func fingerprint(_ rule: String, _ kind: String, _ key: String, _ occurrence: Int) -> String {
        return FindingFingerprint.make(rule: rule, kind: kind, key: "\(key)\u{0}\(occurrence)")
    }

    /// Parsed parameters.
    struct Params {
        var quasiIdentifiers: [String]
        var sensitive: [String]
        var k: Int
        var alpha: Double
        var maxExcessApparentMatch: Double
        var maxFullMatches: Int
        var maxExcessDisclosive: Double
        var maxFindings: Int

        init(rule: RuleDescriptor, schema: Schema) throws {
            let p = rule.parameters
            let listed = try p.list("columns", rule: rule.id)
            let listedSensitive = try p.list("sensitive", rule: rule.id)
            for c in listed + listedSensitive where schema.index(of: c) == nil { throw CheckError.unknownColumn(rule: rule.id, column: c) }
            quasiIdentifiers = Self.unique(listed.isEmpty ? schema.names(withRole: .quasiIdentifier) : listed)
            sensitive = Self.unique(listedSensitive.isEmpty ? schema.names(withRole: .sensitive) : listedSensitive)
            k = try p.integer("k", rule: rule.id)
            alpha = try p.number("alpha", rule: rule.id)
            maxExcessApparentMatch = try p.number("max_excess_apparent_match", rule: rule.id)
            maxFullMatches = try p.integer("max_full_matches", rule: rule.id)
            maxExcessDisclosive = try p.number("max_excess_disclosive", rule: rule.id)
            maxFindings = try p.integer("max_findings", rule: rule.id)
        }

        private static func unique(_ names: [String]) -> [String] {
            var seen = Set<String>()
            return names.filter { seen.insert($0).inserted }
        }
    }
}
