import CXXHash
/// Finds synthetic identifier values (MRNs, patient ids) equal to a real identifier.
///
/// A generator that carries real identifiers across links its synthetic rows back to real
/// patients even when the rest of each record is new. Identifier columns are compared value
/// by value: because a coded column's dictionary is shared by the three tables, equal codes
/// are equal values, so the check marks the codes present in the training (and holdout)
/// column in a bitmap and tests each synthetic code against it. Numeric identifier columns
/// are compared by canonical number (`00123` and `123` are one value once read as numbers).
/// Reuse of a holdout identifier (a patient the generator never saw) is reported as a note:
/// it is the chance level, not memorisation.
public struct IdentifierReuseCheck: Check {
    public static let kind = "identifier-reuse"
    public static let summary = "Counts synthetic rows whose identifier value equals a real training (and holdout) identifier in the same column."

    public static let parameters: [ParameterSpec] = [
        ParameterSpec("columns", .columns, default: .list([]),
                      doc: "Identifier columns compared, each with the same column of the real tables; empty = the columns with the identifier role (the rule is skipped when there are none)."),
        ParameterSpec("max_rows", .integer(0...Int.max), default: .integer(0),
                      doc: "Synthetic rows allowed to reuse a training identifier before the rule fails."),
        ParameterSpec("max_findings", .integer(0...1_000_000), default: .integer(1000),
                      doc: "Row-level findings listed per real table; the rest are counted in `findings_truncated`."),
    ]
    public static let measurements: [MeasurementSpec] = [
        MeasurementSpec("synthetic_rows", "Rows in the synthetic table."),
        MeasurementSpec("columns_compared", "Identifier columns compared."),
        MeasurementSpec("rows_reusing_train", "Synthetic rows with an identifier value equal to a training identifier (in the same column)."),
        MeasurementSpec("row_share_reusing_train", "rows_reusing_train / synthetic_rows."),
        MeasurementSpec("distinct_train_identifiers_reused", "Distinct training identifier values reused, counted per column."),
        MeasurementSpec("rows_reusing_holdout", "Synthetic rows with an identifier value equal to a holdout identifier (the chance level).", optional: true),
        MeasurementSpec("row_share_reusing_holdout", "rows_reusing_holdout / synthetic_rows.", optional: true),
        MeasurementSpec("max_rows", "The threshold in force."),
        MeasurementSpec("findings_truncated", "Reusing rows counted but not listed because of max_findings.", optional: true),
    ]

    /// Creates the check.
    public init() {}

    public func run(rule: RuleDescriptor, context: ScanContext) throws -> RuleOutcome {
        let params = try Params(rule: rule, schema: context.schema)
        let data = context.data
        let synthetic = data.synthetic
        guard !params.columns.isEmpty else {
            return RuleOutcome(rule: rule, status: .skipped, level: rule.severity,
                               message: "No identifier column is declared (roles.identifiers in the configuration, --identifiers on the command line, or the rule's `columns`): there is nothing to compare.",
                               measurements: [Measurement("synthetic_rows", Double(synthetic.rowCount)),
                                              Measurement("columns_compared", 0),
                                              Measurement("max_rows", Double(params.maxRows))],
                               findings: [])
        }

        let matchers = params.columns.compactMap { name -> ColumnMatcher? in
            guard let s = synthetic.column(named: name), let t = data.train.column(named: name) else { return nil }
            return ColumnMatcher(name: name, synthetic: s, train: t, holdout: data.holdout?.column(named: name))
        }

        // Per row, the first column (in column order) whose value a real table holds.
        var trainRows: [(row: Int, column: Int)] = []
        var holdoutRows: [(row: Int, column: Int)] = []
        var holdoutOnlyRows: [(row: Int, column: Int)] = []
        var reusedTrain = matchers.map { CodeSet(capacity: $0.valueCount) }
        for row in 0..<synthetic.rowCount {
            var trainColumn: Int?
            var holdoutColumn: Int?
            for (k, matcher) in matchers.enumerated() {
                let (inTrain, inHoldout) = matcher.lookup(row)
                if inTrain {
                    reusedTrain[k].insert(UInt32(matcher.valueIndex(row)))
                    if trainColumn == nil { trainColumn = k }
                }
                if inHoldout, holdoutColumn == nil { holdoutColumn = k }
            }
            if let k = trainColumn { trainRows.append((row, k)) }
            if let k = holdoutColumn {
                holdoutRows.append((row, k))
                if trainColumn == nil { holdoutOnlyRows.append((row, k)) }
            }
        }
        let distinctReused = reusedTrain.reduce(0) { $0 + $1.count }

        let n = Double(max(1, synthetic.rowCount))
        var measurements = [
            Measurement("synthetic_rows", Double(synthetic.rowCount)),
            Measurement("columns_compared", Double(matchers.count)),
            Measurement("rows_reusing_train", Double(trainRows.count)),
            Measurement("row_share_reusing_train", Double(trainRows.count) / n),
            Measurement("distinct_train_identifiers_reused", Double(distinctReused)),
        ]
        if data.holdout != nil {
            measurements.append(Measurement("rows_reusing_holdout", Double(holdoutRows.count)))
            measurements.append(Measurement("row_share_reusing_holdout", Double(holdoutRows.count) / n))
        }
        measurements.append(Measurement("max_rows", Double(params.maxRows)))

        var findings: [Finding] = []
        for (kind, rows) in [("train", trainRows), ("holdout", holdoutOnlyRows)] {
            var occurrences: [String: Int] = [:]
            for (row, k) in rows.prefix(params.maxFindings) {
                let matcher = matchers[k]
                let digest = context.published(matcher.digest(row))
                let key = "\(k)\u{0}\(digest.hex)"
                occurrences[key, default: 0] += 1
                let line = synthetic.recordLines[row]
                let message = kind == "train"
                    ? "Synthetic row \(row + 1) (line \(line)), column \(matcher.name): the identifier equals a training identifier (value digest \(digest.hex.prefix(16)); the value itself is not shown)."
                    : "Synthetic row \(row + 1) (line \(line)), column \(matcher.name): the identifier equals a holdout identifier the generator never saw (value digest \(digest.hex.prefix(16))): a chance match, the baseline for reuse."
                findings.append(Finding(
                    ruleID: rule.id, level: kind == "train" ? rule.severity : .note, message: message,
                    location: FindingLocation(table: .synthetic, row: row + 1, line: line, columns: [matcher.name],
                                              recordDigest: digest.hex),
                    fingerprint: IdentifierValues.fingerprint(rule: rule.id, kind: kind, column: matcher.name,
                                                              digest: digest, occurrence: occurrences[key]!),
                    measurements: [Measurement("matches_holdout", kind == "holdout" ? 1 : 0)]))
            }
        }
        let truncated = max(0, trainRows.count - params.maxFindings) + max(0, holdoutOnlyRows.count - params.maxFindings)
        if truncated > 0 { measurements.append(Measurement("findings_truncated", Double(truncated))) }
        findings.sort { ($0.location.row ?? 0, $0.level) < ($1.location.row ?? 0, $1.level) }

        let failed = trainRows.count > params.maxRows
        let columns = IdentifierPatternCheck.names(matchers.map(\.name))
        var message = failed
            ? "\(trainRows.count) synthetic row\(trainRows.count == 1 ? "" : "s") (\(Format.percent(Double(trainRows.count) / n))) reuse a training identifier (\(distinctReused) distinct value\(distinctReused == 1 ? "" : "s"); columns \(columns)); allowed: \(params.maxRows)."
            : "\(trainRows.count) of \(synthetic.rowCount) synthetic rows reuse a training identifier (columns \(columns); allowed: \(params.maxRows))."
        if data.holdout != nil {
            message += " \(holdoutRows.count) (\(Format.percent(Double(holdoutRows.count) / n))) equal a holdout identifier."
        } else {
            message += " No holdout table: the chance level of reuse is unknown."
        }
        return RuleOutcome(rule: rule, status: failed ? .fail : .pass, level: rule.severity, message: message,
                           measurements: measurements, findings: findings)
    }

    /// Parsed parameters.
    struct Params {
        /// Identifier columns, in schema order.
        var columns: [String]
        var maxRows: Int
        var maxFindings: Int

        init(rule: RuleDescriptor, schema: Schema) throws {
            let listed = try rule.parameters.list("columns", rule: rule.id)
            for c in listed where schema.index(of: c) == nil { throw CheckError.unknownColumn(rule: rule.id, column: c) }
            if listed.isEmpty {
                columns = schema.names(withRole: .identifier)
            } else {
                let wanted = Set(listed)
                columns = schema.columns.map(\.name).filter { wanted.contains($0) }
            }
            maxRows = try rule.parameters.integer("max_rows", rule: rule.id)
            maxFindings = try rule.parameters.integer("max_findings", rule: rule.id)
        }
    }
}

/// Tests the synthetic values of one column for presence in the same column of the real tables.
///
/// Coded columns: the dictionary is shared, so presence is a bitmap over codes. Numeric and
/// datetime columns: a set of canonical values (with `-0` read as `0`), and the synthetic
/// distinct values are numbered so reused values can be counted in a bitmap too.
private struct ColumnMatcher {
    let name: String
    private let storage: Storage

    private enum Storage {
        case coded(synthetic: [UInt32], dictionary: CategoryDictionary, train: CodeSet, holdout: CodeSet?)
        case numeric(synthetic: [Double], missing: MissingMask, isDatetime: Bool,
                     index: [UInt64: Int], train: Set<UInt64>, holdout: Set<UInt64>?)
    }

    init(name: String, synthetic: Column, train: Column, holdout: Column?) {
        self.name = name
        switch (synthetic.storage, train.storage) {
        case (.coded(let codes, let dictionary), .coded(let trainCodes, _)):
            var holdoutSet: CodeSet?
            if case .coded(let holdoutCodes, _)? = holdout?.storage {
                holdoutSet = CodeSet(codes: holdoutCodes, capacity: dictionary.count)
            }
            storage = .coded(synthetic: codes, dictionary: dictionary,
                             train: CodeSet(codes: trainCodes, capacity: dictionary.count), holdout: holdoutSet)
        case (.numeric(let values, let missing), _):
            func keys(_ column: Column?) -> Set<UInt64>? {
                guard case .numeric(let values, let missing)? = column?.storage else { return nil }
                var set = Set<UInt64>()
                for (i, v) in values.enumerated() where !missing.isMissing(i) { set.insert(Self.key(v)) }
                return set
            }
            var index: [UInt64: Int] = [:]
            for (i, v) in values.enumerated() where !missing.isMissing(i) {
                let key = Self.key(v)
                if index[key] == nil { index[key] = index.count }
            }
            storage = .numeric(synthetic: values, missing: missing, isDatetime: synthetic.type == .datetime,
                               index: index, train: keys(train) ?? [], holdout: keys(holdout))
        default:
            // The loader gives one storage per column across tables; a mismatch cannot match.
            storage = .numeric(synthetic: [], missing: MissingMask(), isDatetime: false, index: [:], train: [], holdout: nil)
        }
    }

    /// `-0` and `0` are one value.
    private static func key(_ v: Double) -> UInt64 { v == 0 ? 0 : v.bitPattern }

    /// Number of distinct values `valueIndex` can return.
    var valueCount: Int {
        switch storage {
        case .coded(_, let dictionary, _, _): dictionary.count
        case .numeric(_, _, _, let index, _, _): index.count
        }
    }

    /// Whether the synthetic value of `row` is in the training and in the holdout column.
    @inline(__always)
    func lookup(_ row: Int) -> (train: Bool, holdout: Bool) {
        switch storage {
        case .coded(let codes, _, let train, let holdout):
            guard row < codes.count else { return (false, false) }
            let code = codes[row]
            guard code != Column.missingCode else { return (false, false) }
            return (train.contains(code), holdout?.contains(code) ?? false)
        case .numeric(let values, let missing, _, _, let train, let holdout):
            guard row < values.count, !missing.isMissing(row) else { return (false, false) }
            let key = Self.key(values[row])
            return (train.contains(key), holdout?.contains(key) ?? false)
        }
    }

    /// A number for the synthetic value of `row` (not missing), below `valueCount`.
    func valueIndex(_ row: Int) -> Int {
        switch storage {
        case .coded(let codes, _, _, _): Int(codes[row])
        case .numeric(let values, _, _, let index, _, _): index[Self.key(values[row])] ?? 0
        }
    }

    /// The XXH3-128 digest of the synthetic value of `row`, over its canonical text.
    func digest(_ row: Int) -> RecordDigest {
        switch storage {
        case .coded(let codes, let dictionary, _, _):
            IdentifierValues.digest(dictionary.labels[Int(codes[row])])
        case .numeric(let values, _, let isDatetime, _, _, _):
            IdentifierValues.digest(isDatetime ? DateTimeParser.canonicalText(values[row]) : NumberParser.canonicalText(values[row]))
        }
    }
}
