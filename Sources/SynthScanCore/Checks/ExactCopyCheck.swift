import CXXHash

/// Finds synthetic records that exactly copy a real record, by digest.
///
/// A synthetic row copies a training record when their digests over the compared columns
/// agree (identifiers, ignored and free-text columns are left out by default, since a
/// generator's fresh ids never match). Copies of holdout records, which the generator never
/// saw, are counted separately: they are the chance level that training copies are judged
/// against. The rule fails when more synthetic rows copy a training record than `max_copies`.
public struct ExactCopyCheck: Check {
    public static let kind = "exact-copy"
    public static let summary = "Counts synthetic rows whose values equal a real training (and holdout) record on the compared columns, by record digest."
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("columns", .columns, default: .list([]),
                      doc: "Columns compared; empty = every column except identifiers, ignored and free-text columns."),
        ParameterSpec("max_copies", .integer(0...Int.max), default: .integer(0),
                      doc: "Synthetic rows allowed to copy a training record before the rule fails."),
        ParameterSpec("max_findings", .integer(0...1_000_000), default: .integer(1000),
                      doc: "Row-level findings reported per table; the rest are counted in `findings_truncated`."),
    ]
    public static let measurements: [MeasurementSpec] = [
        MeasurementSpec("synthetic_rows", "Rows in the synthetic table."),
        MeasurementSpec("columns_compared", "Columns a record is compared on."),
        MeasurementSpec("exact_copies_train", "Synthetic rows equal to some training record."),
        MeasurementSpec("exact_copy_share_train", "exact_copies_train / synthetic_rows."),
        MeasurementSpec("distinct_train_records_copied", "Distinct training records among those copies."),
        MeasurementSpec("exact_copies_holdout", "Synthetic rows equal to some holdout record (the chance level).", optional: true),
        MeasurementSpec("exact_copy_share_holdout", "exact_copies_holdout / synthetic_rows.", optional: true),
        MeasurementSpec("unique_train_records", "Training records unique on the compared columns (no other training record equals them)."),
        MeasurementSpec("unique_train_records_copied", "Of those, how many appear in the synthetic table (SDNist unique exact matches)."),
        MeasurementSpec("unique_exact_match_share_train", "unique_train_records_copied / unique_train_records (SDNist 'perc_t_rec_matched' / 100)."),
        MeasurementSpec("unique_exact_match_share_holdout", "The same share for holdout records: the chance level.", optional: true),
        MeasurementSpec("max_copies", "The threshold in force."),
        MeasurementSpec("findings_truncated", "Copies counted but not listed because of max_findings.", optional: true),
    ]

    /// Creates the check.
    public init() {}

    public func run(rule: RuleDescriptor, context: ScanContext) throws -> RuleOutcome {
        let params = try Params(rule: rule, schema: context.schema, defaultColumns: context.comparableColumns)
        let data = context.data
        let synthetic = data.synthetic
        let syntheticDigests = context.digests(of: synthetic, columns: params.columns)
        let trainDigests = context.digests(of: data.train, columns: params.columns)
        let train = CopyMatch(reference: trainDigests, query: syntheticDigests)
        let holdoutDigests = data.holdout.map { context.digests(of: $0, columns: params.columns) }
        let holdout = holdoutDigests.map { CopyMatch(reference: $0, query: syntheticDigests) }
        let syntheticSet = Set(syntheticDigests)
        let uniqueTrain = UniqueExactMatch(reference: trainDigests, synthetic: syntheticSet)
        let uniqueHoldout = holdoutDigests.map { UniqueExactMatch(reference: $0, synthetic: syntheticSet) }

        let n = Double(max(1, synthetic.rowCount))
        var measurements = [
            Measurement("synthetic_rows", Double(synthetic.rowCount)),
            Measurement("columns_compared", Double(params.columns.count)),
            Measurement("exact_copies_train", Double(train.rows.count)),
            Measurement("exact_copy_share_train", Double(train.rows.count) / n),
            Measurement("distinct_train_records_copied", Double(train.distinctRecords)),
            Measurement("unique_train_records", Double(uniqueTrain.uniqueRecords)),
            Measurement("unique_train_records_copied", Double(uniqueTrain.copied)),
            Measurement("unique_exact_match_share_train", uniqueTrain.share),
        ]
        if let holdout, let uniqueHoldout {
            measurements.append(Measurement("exact_copies_holdout", Double(holdout.rows.count)))
            measurements.append(Measurement("exact_copy_share_holdout", Double(holdout.rows.count) / n))
            measurements.append(Measurement("unique_exact_match_share_holdout", uniqueHoldout.share))
        }
        measurements.append(Measurement("max_copies", Double(params.maxCopies)))

        var findings: [Finding] = []
        var occurrences: [RecordDigest: Int] = [:]
        for row in train.rows.prefix(params.maxFindings) {
            let digest = context.published(syntheticDigests[row])
            occurrences[digest, default: 0] += 1
            findings.append(finding(rule: rule, level: rule.severity, row: row, table: synthetic, digest: digest,
                                    occurrence: occurrences[digest]!, kind: "train",
                                    message: "Synthetic row \(row + 1) (line \(synthetic.recordLines[row])) is an exact copy of a training record (record \(digest.hex.prefix(16)))."))
        }
        if let holdout {
            occurrences = [:]
            for row in holdout.rows.prefix(params.maxFindings) {
                let digest = context.published(syntheticDigests[row])
                occurrences[digest, default: 0] += 1
                findings.append(finding(rule: rule, level: .note, row: row, table: synthetic, digest: digest,
                                        occurrence: occurrences[digest]!, kind: "holdout",
                                        message: "Synthetic row \(row + 1) (line \(synthetic.recordLines[row])) equals a holdout record the generator never saw (record \(digest.hex.prefix(16))): a chance match, the baseline for memorisation."))
            }
        }
        let truncated = max(0, train.rows.count - params.maxFindings) + max(0, (holdout?.rows.count ?? 0) - params.maxFindings)
        if truncated > 0 { measurements.append(Measurement("findings_truncated", Double(truncated))) }
        findings.sort { ($0.location.row ?? 0, $0.level) < ($1.location.row ?? 0, $1.level) }

        let failed = train.rows.count > params.maxCopies
        var message = failed
            ? "\(train.rows.count) synthetic row\(train.rows.count == 1 ? "" : "s") (\(Format.percent(Double(train.rows.count) / n))) exactly copy a training record (\(train.distinctRecords) distinct record\(train.distinctRecords == 1 ? "" : "s")); allowed: \(params.maxCopies)."
            : "\(train.rows.count) of \(synthetic.rowCount) synthetic rows copy a training record (allowed: \(params.maxCopies))."
        if let holdout {
            message += " \(holdout.rows.count) (\(Format.percent(Double(holdout.rows.count) / n))) equal a holdout record."
        } else {
            message += " No holdout table: the chance level of copies is unknown."
        }
        return RuleOutcome(rule: rule, status: failed ? .fail : .pass, level: rule.severity, message: message,
                           measurements: measurements, findings: findings)
    }

    private func finding(rule: RuleDescriptor, level: Severity, row: Int, table: Table, digest: RecordDigest,
                         occurrence: Int, kind: String, message: String) -> Finding {
        let key = "\(rule.id)\u{0}\(kind)\u{0}\(digest.hex)\u{0}\(occurrence)"
        let fingerprint = Array(key.utf8).withUnsafeBytes { RecordDigest.hex16(XXH3_64bits($0.baseAddress, $0.count)) }
        return Finding(ruleID: rule.id, level: level, message: message,
                       location: FindingLocation(table: .synthetic, row: row + 1, line: table.recordLines[row],
                                                 recordDigest: digest.hex, matchedRecordDigest: digest.hex),
                       fingerprint: fingerprint,
                       measurements: [Measurement("matches_holdout", kind == "holdout" ? 1 : 0)])
    }

    /// Parsed parameters.
    struct Params {
        var columns: [String]
        var maxCopies: Int
        var maxFindings: Int

        init(rule: RuleDescriptor, schema: Schema, defaultColumns: [String]) throws {
            let listed = try rule.parameters.list("columns", rule: rule.id)
            for c in listed where schema.index(of: c) == nil { throw CheckError.unknownColumn(rule: rule.id, column: c) }
            columns = listed.isEmpty ? defaultColumns : listed
            guard !columns.isEmpty else {
                throw CheckError.invalidParameter(rule: rule.id, name: "columns", reason: "leaves no column to compare")
            }
            maxCopies = try rule.parameters.integer("max_copies", rule: rule.id)
            maxFindings = try rule.parameters.integer("max_findings", rule: rule.id)
        }
    }
}

/// SDNist's unique exact match (`sdnist/metrics/unique_exact_matches.py`): reference records unique
/// on the compared columns (`duplicated(keep=False)` is false), and how many of them appear in the
/// (deduplicated) synthetic table.
struct UniqueExactMatch {
    /// Reference records with no duplicate in the reference.
    let uniqueRecords: Int
    /// Of those, the ones present in the synthetic table.
    let copied: Int

    init(reference: [RecordDigest], synthetic: Set<RecordDigest>) {
        var counts: [RecordDigest: Int] = [:]
        counts.reserveCapacity(reference.count)
        for d in reference { counts[d, default: 0] += 1 }
        var unique = 0, copied = 0
        for (d, c) in counts where c == 1 {
            unique += 1
            if synthetic.contains(d) { copied += 1 }
        }
        uniqueRecords = unique
        self.copied = copied
    }

    /// copied / uniqueRecords (0 when there are no unique records).
    var share: Double { uniqueRecords > 0 ? Double(copied) / Double(uniqueRecords) : 0 }
}

/// Which query rows have a digest present in the reference, and how many distinct records those are.
struct CopyMatch {
    /// Query rows (0-based, ascending) whose digest is in the reference.
    let rows: [Int]
    /// Distinct digests among those rows.
    let distinctRecords: Int

    init(reference: [RecordDigest], query: [RecordDigest]) {
        let set = Set(reference)
        var rows: [Int] = []
        var distinct = Set<RecordDigest>()
        for (i, d) in query.enumerated() where set.contains(d) {
            rows.append(i)
            distinct.insert(d)
        }
        self.rows = rows
        distinctRecords = distinct.count
    }
}
