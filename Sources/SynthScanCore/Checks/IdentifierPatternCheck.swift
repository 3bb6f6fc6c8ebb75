import CXXHash

/// Finds synthetic values that have the format of a direct identifier (an SSN, an e-mail address,
/// a phone number, an institution's medical record number).
///
/// A rule gives the format as a `SafePattern` (linear-time, no backtracking). The pattern is
/// evaluated once per distinct label that occurs in a scanned column of the synthetic table
/// (dictionaries are shared by the three tables and hold each distinct value once), never once
/// per row; rows are then counted by code. Labels are matched in their canonical form: trimmed,
/// number-like labels normalised (`1.0` reads `1`), lower-cased when the column is configured
/// with case folding. Numeric and datetime columns are not scanned: their canonical values are
/// numbers, not the text that was written (a column of 10-digit phone numbers without
/// separators reads as numeric; configure its type as `categorical` or `text` to scan it).
///
/// Findings name the synthetic row, its file line, the column and a digest of the value, never
/// the value itself: reports travel further than the data.
public struct IdentifierPatternCheck: Check {
    public static let kind = "identifier-pattern"
    public static let summary = "Counts synthetic rows with a value in the format of a direct identifier (a regular expression), evaluated once per distinct value of each scanned column."

    /// The default pattern: the US Social Security number layout NNN-NN-NNNN (rules normally set their own).
    static let defaultPattern = #"^\d{3}-\d{2}-\d{4}$"#

    public static let parameters: [ParameterSpec] = [
        ParameterSpec("pattern", .pattern, default: .text(defaultPattern),
                      doc: "The identifier format, in the linear-time pattern syntax (RE2 subset, ASCII classes). Rules normally set it; the default is the plain SSN layout NNN-NN-NNNN."),
        ParameterSpec("case_insensitive", .boolean, default: .boolean(false),
                      doc: "Whether ASCII letters in the pattern match either case."),
        ParameterSpec("match", .choice(["whole", "anywhere"]), default: .text("whole"),
                      doc: "`whole`: the pattern must match the entire value; `anywhere`: a match inside the value counts (for free text; add `(?:^|[^0-9])`-style boundaries, there is no `\\b`)."),
        ParameterSpec("label", .text, default: .text("a direct identifier"),
                      doc: "What a matching value looks like, as findings word it: \"the value has the format of <label>\"."),
        ParameterSpec("columns", .columns, default: .list([]),
                      doc: "Columns scanned; empty = every column of the synthetic table that is not numeric or datetime, whatever its role (identifiers included), except columns with the `ignore` role. Numeric and datetime columns are never scanned, even when listed: their canonical values are numbers, not the text written in the file (force the type to `categorical` or `text` to scan one)."),
        ParameterSpec("max_rows", .integer(0...Int.max), default: .integer(0),
                      doc: "Synthetic rows allowed to hold a matching value before the rule fails."),
        ParameterSpec("max_findings", .integer(0...1_000_000), default: .integer(1000),
                      doc: "Findings listed (one per matching row and column); the rest are counted in `findings_truncated`."),
    ]
    public static let measurements: [MeasurementSpec] = [
        MeasurementSpec("synthetic_rows", "Rows in the synthetic table."),
        MeasurementSpec("columns_scanned", "Columns whose values were matched against the pattern (numeric and datetime columns are not)."),
        MeasurementSpec("rows_matching", "Synthetic rows with at least one matching value."),
        MeasurementSpec("row_share_matching", "rows_matching / synthetic_rows."),
        MeasurementSpec("values_matching", "Distinct matching values in the synthetic table, counted per column."),
        MeasurementSpec("columns_matching", "Scanned columns with at least one matching value."),
        MeasurementSpec("max_rows", "The threshold in force."),
        MeasurementSpec("findings_truncated", "Matches counted but not listed because of max_findings.", optional: true),
    ]

    /// Creates the check.
    public init() {}

    public func run(rule: RuleDescriptor, context: ScanContext) throws -> RuleOutcome {
        let params = try Params(rule: rule, schema: context.schema)
        let synthetic = context.data.synthetic

        // The coded columns to scan, in schema order.
        var scanned: [(name: String, codes: [UInt32], dictionary: CategoryDictionary)] = []
        var numericListed: [String] = []
        for name in params.columns {
            guard let column = synthetic.column(named: name) else { continue }
            switch column.storage {
            case .coded(let codes, let dictionary): scanned.append((name, codes, dictionary))
            case .numeric: if params.listed { numericListed.append(name) }
            }
        }

        var measurements = [
            Measurement("synthetic_rows", Double(synthetic.rowCount)),
            Measurement("columns_scanned", Double(scanned.count)),
        ]
        guard !scanned.isEmpty else {
            let message = params.listed
                ? "No listed column can be scanned: \(Self.names(numericListed)) \(numericListed.count == 1 ? "is" : "are") numeric or datetime (force the type to categorical or text to scan \(numericListed.count == 1 ? "it" : "them"))."
                : "The synthetic table has no column to scan: every column is numeric, datetime or ignored."
            measurements.append(Measurement("max_rows", Double(params.maxRows)))
            return RuleOutcome(rule: rule, status: .skipped, level: rule.severity, message: message,
                               measurements: measurements, findings: [])
        }

        // Evaluate the pattern once per distinct label present in the synthetic column.
        var matchingLabels: [CodeSet] = []
        var valuesMatching = 0
        var columnsMatching = 0
        for column in scanned {
            let present = CodeSet(codes: column.codes, capacity: column.dictionary.count)
            var matching = CodeSet(capacity: column.dictionary.count)
            for code in present.members {
                var label = column.dictionary.labels[code]
                let hit = label.withUTF8 { utf8 in
                    let bytes = UnsafeRawBufferPointer(utf8)
                    return params.wholeMatch ? params.pattern.wholeMatch(in: bytes) : params.pattern.firstMatch(in: bytes)
                }
                if hit { matching.insert(UInt32(code)) }
            }
            valuesMatching += matching.count
            if matching.count > 0 { columnsMatching += 1 }
            matchingLabels.append(matching)
        }

        // Count rows by code, column by column. Each column keeps its first `maxFindings` matches
        // (row order), which contain the first `maxFindings` matches overall in (row, column) order;
        // a value's occurrence number counts its earlier rows in the same column.
        var matchedRows = CodeSet(capacity: synthetic.rowCount)
        var matchCount = 0
        var candidates: [(row: Int, column: Int, code: UInt32, occurrence: Int)] = []
        for (k, column) in scanned.enumerated() where matchingLabels[k].count > 0 {
            let matching = matchingLabels[k]
            var occurrences: [UInt32: Int] = [:]
            var listed = 0
            column.codes.withUnsafeBufferPointer { codes in
                for row in 0..<codes.count {
                    let code = codes[row]
                    guard code != Column.missingCode, matching.contains(code) else { continue }
                    matchedRows.insert(UInt32(row))
                    matchCount += 1
                    guard listed < params.maxFindings else { continue }
                    listed += 1
                    let occurrence = (occurrences[code] ?? 0) + 1
                    occurrences[code] = occurrence
                    candidates.append((row, k, code, occurrence))
                }
            }
        }
        candidates.sort { ($0.row, $0.column) < ($1.row, $1.column) }
        var digests = [[UInt32: RecordDigest]](repeating: [:], count: scanned.count)
        var findings: [Finding] = []
        for candidate in candidates.prefix(params.maxFindings) {
            let column = scanned[candidate.column]
            let digest = digests[candidate.column][candidate.code]
                ?? context.published(IdentifierValues.digest(column.dictionary.labels[Int(candidate.code)]))
            digests[candidate.column][candidate.code] = digest
            let row = candidate.row
            let line = synthetic.recordLines[row]
            findings.append(Finding(
                ruleID: rule.id, level: rule.severity,
                message: "Synthetic row \(row + 1) (line \(line)), column \(column.name): the value has the format of \(params.label) (value digest \(digest.hex.prefix(16)); the value itself is not shown).",
                location: FindingLocation(table: .synthetic, row: row + 1, line: line, columns: [column.name],
                                          recordDigest: digest.hex),
                fingerprint: IdentifierValues.fingerprint(rule: rule.id, kind: "pattern", column: column.name,
                                                          digest: digest, occurrence: candidate.occurrence)))
        }
        let rowsMatching = matchedRows.count

        let n = Double(max(1, synthetic.rowCount))
        measurements += [
            Measurement("rows_matching", Double(rowsMatching)),
            Measurement("row_share_matching", Double(rowsMatching) / n),
            Measurement("values_matching", Double(valuesMatching)),
            Measurement("columns_matching", Double(columnsMatching)),
            Measurement("max_rows", Double(params.maxRows)),
        ]
        if matchCount > findings.count {
            measurements.append(Measurement("findings_truncated", Double(matchCount - findings.count)))
        }

        let failed = rowsMatching > params.maxRows
        var message = failed
            ? "\(rowsMatching) synthetic row\(rowsMatching == 1 ? "" : "s") (\(Format.percent(Double(rowsMatching) / n))) hold a value in the format of \(params.label) (\(valuesMatching) distinct value\(valuesMatching == 1 ? "" : "s") in \(columnsMatching) column\(columnsMatching == 1 ? "" : "s")); allowed: \(params.maxRows)."
            : "\(rowsMatching) of \(synthetic.rowCount) synthetic rows hold a value in the format of \(params.label) (allowed: \(params.maxRows)); \(scanned.count) column\(scanned.count == 1 ? "" : "s") scanned."
        if !numericListed.isEmpty {
            message += " Not scanned (numeric or datetime): \(Self.names(numericListed))."
        }
        return RuleOutcome(rule: rule, status: failed ? .fail : .pass, level: rule.severity, message: message,
                           measurements: measurements, findings: findings)
    }

    /// Column names for a message, quoted and comma-separated.
    static func names(_ columns: [String]) -> String {
        columns.map { "'\($0)'" }.joined(separator: ", ")
    }

    /// Parsed parameters.
    struct Params {
        var pattern: SafePattern
        var wholeMatch: Bool
        var label: String
        /// Candidate columns in schema order (coded or not; only coded ones are scanned).
        var columns: [String]
        /// Whether the rule listed its columns (else the defaults apply).
        var listed: Bool
        var maxRows: Int
        var maxFindings: Int

        init(rule: RuleDescriptor, schema: Schema) throws {
            let text = try rule.parameters.text("pattern", rule: rule.id)
            let caseInsensitive = try rule.parameters.boolean("case_insensitive", rule: rule.id)
            do {
                pattern = try SafePattern(text, caseInsensitive: caseInsensitive)
            } catch {
                throw CheckError.invalidParameter(rule: rule.id, name: "pattern",
                                                  reason: "is not a valid pattern: \(error.message) (at character \(error.offset + 1))")
            }
            switch try rule.parameters.text("match", rule: rule.id) {
            case "whole": wholeMatch = true
            case "anywhere": wholeMatch = false
            case let other:
                throw CheckError.invalidParameter(rule: rule.id, name: "match", reason: "must be one of whole, anywhere, found '\(other)'")
            }
            label = try rule.parameters.text("label", rule: rule.id)
            let names = try rule.parameters.list("columns", rule: rule.id)
            for c in names where schema.index(of: c) == nil { throw CheckError.unknownColumn(rule: rule.id, column: c) }
            listed = !names.isEmpty
            if listed {
                let wanted = Set(names)
                columns = schema.columns.map(\.name).filter { wanted.contains($0) }
            } else {
                columns = schema.columns.filter { !$0.type.isNumericStorage && !$0.roles.contains(.ignored) }.map(\.name)
            }
            maxRows = try rule.parameters.integer("max_rows", rule: rule.id)
            maxFindings = try rule.parameters.integer("max_findings", rule: rule.id)
        }
    }
}

/// Digests and fingerprints of single values, shared by the identifier checks.
enum IdentifierValues {
    /// The XXH3-128 digest of a value's canonical UTF-8 bytes (the dictionary label).
    static func digest(_ label: String) -> RecordDigest {
        var bytes = Array(label.utf8)
        let h = bytes.withUnsafeMutableBytes { XXH3_128bits($0.baseAddress, $0.count) }
        return RecordDigest(high: h.high64, low: h.low64)
    }

    /// A finding fingerprint that does not depend on row order: XXH3-64 over the rule id, the finding
    /// kind, the column, the value digest and which occurrence of that value (in row order) this is,
    /// as `ExactCopyCheck` does for records.
    static func fingerprint(rule: String, kind: String, column: String, digest: RecordDigest, occurrence: Int) -> String {
        return FindingFingerprint.make(rule: rule, kind: kind, key: "\(column)\u{0}\(digest.hex)\u{0}\(occurrence)")
    }
}
