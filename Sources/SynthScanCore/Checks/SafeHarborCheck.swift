/// Finds HIPAA Safe Harbor hazards left in a synthetic release (45 CFR 164.514(b)(2)(i)): ages over
/// 89, dates more precise than a year, and ZIP codes with more than three digits.
///
/// Safe Harbor is one of the two HIPAA de-identification routes (the other is expert
/// determination, 164.514(b)(1)); a release shared under Safe Harbor must have removed these
/// elements, synthetic or not, because downstream users treat it as de-identified by that method.
/// One rule checks one `hazard`:
///
/// - `age-over-89`: numeric age columns (or categorical ones whose labels read as numbers) with
///   values above `max_age`. Findings are row-level (row, line, column), never the age.
/// - `date-precision`: datetime columns holding a value that is not on January 1st at 00:00 UTC
///   (a month, a day or a time of day is kept). A generator that keeps day-level dates does so on
///   every row, so findings are per column, with counts and the finest precision seen.
/// - `zip-digits`: ZIP columns holding five-digit codes or ZIP+4 (or a three-digit prefix of an
///   area Safe Harbor requires to read `000`). Findings are per column; codes are never printed.
///
/// Every hazard counts rows once however many of its columns they trip, and reads distinct
/// dictionary labels once (coded columns) rather than once per row.
public struct SafeHarborCheck: Check {
    public static let kind = "safe-harbor"
    public static let summary = "Counts synthetic rows that keep an element HIPAA Safe Harbor removes: an age over 89, a date more precise than a year, or a ZIP code with more than three digits (one hazard per rule)."

    /// The hazards a rule may select.
    enum Hazard: String, CaseIterable {
        case ageOver89 = "age-over-89"
        case datePrecision = "date-precision"
        case zipDigits = "zip-digits"
    }

    /// Three-digit ZIP prefixes whose combined area had 20,000 or fewer people (HHS OCR guidance,
    /// 2012, from the 2000 Census): Safe Harbor requires them to read `000`.
    static let smallAreaPrefixes = ["036", "059", "063", "102", "203", "556", "692", "790", "821", "823", "830",
                                    "831", "878", "879", "884", "890", "893"]

    public static let parameters: [ParameterSpec] = [
        ParameterSpec("hazard", .choice(Hazard.allCases.map(\.rawValue)), default: .text(Hazard.ageOver89.rawValue),
                      doc: "Which Safe Harbor element to look for: `age-over-89` (ages above `max_age`, row-level findings), `date-precision` (dates with a month, day or time of day, findings per column), `zip-digits` (ZIP codes with more than three digits, or a small-area three-digit prefix that must read 000; findings per column)."),
        ParameterSpec("columns", .columns, default: .list([]),
                      doc: "Columns checked; empty = by hazard: `age-over-89` the columns named `age`, `age_years` or ending in `_age` (any case); `date-precision` every datetime column with the `quasi_identifier` role; `zip-digits` the columns with a name part `zip`, `zipcode`, `zip` followed by digits (`zip3`, `zip5`), `postal`, `postcode` or `postalcode` (any case, parts split at non-alphanumerics). Ignored columns are never defaults. Name matching is a heuristic: list the columns when you know them."),
        ParameterSpec("max_age", .integer(0...150), default: .integer(89),
                      doc: "`age-over-89`: ages strictly above it are flagged (Safe Harbor: all ages over 89 aggregated into one category of 90 or older)."),
        ParameterSpec("small_area_prefixes", .textList, default: .list(smallAreaPrefixes),
                      doc: "`zip-digits`: three-digit ZIP prefixes of areas of 20,000 or fewer people, which Safe Harbor requires to read 000; the default is the 17 prefixes of HHS OCR's 2012 guidance (2000 Census). Empty = do not check prefixes."),
        ParameterSpec("max_rows", .integer(0...Int.max), default: .integer(0),
                      doc: "Synthetic rows allowed to hold the hazard before the rule fails."),
        ParameterSpec("max_findings", .integer(0...1_000_000), default: .integer(1000),
                      doc: "Findings listed (`age-over-89`: one per flagged row and column; the others: one per flagged column); the rest are counted in `findings_truncated`."),
    ]
    public static let measurements: [MeasurementSpec] = [
        MeasurementSpec("synthetic_rows", "Rows in the synthetic table."),
        MeasurementSpec("columns_checked", "Columns checked for the hazard."),
        MeasurementSpec("columns_flagged", "Checked columns with at least one flagged value."),
        MeasurementSpec("rows_flagged", "Synthetic rows with at least one flagged value."),
        MeasurementSpec("row_share_flagged", "rows_flagged / synthetic_rows."),
        MeasurementSpec("values_flagged", "Flagged values, counted per row and column."),
        MeasurementSpec("max_rows", "The threshold in force."),
        MeasurementSpec("max_precision_seconds", "`date-precision`: the finest precision of a flagged value, as the length of its unit in seconds (month 2629746, day 86400, hour 3600, minute 60, second 1, sub-second 0.001); a year (31556952) when no value is more precise than a year.", optional: true),
        MeasurementSpec("rows_time_of_day", "`date-precision`: rows with a value that has a time of day (not midnight UTC).", optional: true),
        MeasurementSpec("rows_five_digit", "`zip-digits`: rows with a five-digit ZIP code or ZIP+4 (or a whole number of four or more digits in a numeric ZIP column).", optional: true),
        MeasurementSpec("rows_small_area", "`zip-digits`: rows with a three-digit prefix listed in `small_area_prefixes` (must read 000).", optional: true),
        MeasurementSpec("findings_truncated", "Findings counted but not listed because of max_findings.", optional: true),
    ]

    /// Creates the check.
    public init() {}

    public func run(rule: RuleDescriptor, context: ScanContext) throws -> RuleOutcome {
        let params = try Params(rule: rule, schema: context.schema)
        let synthetic = context.data.synthetic
        var candidates: [Column] = []
        var unsuitable: [String] = []
        for name in params.columns {
            guard let column = synthetic.column(named: name) else { continue }
            if Self.suits(column, params.hazard) { candidates.append(column) } else if params.listed { unsuitable.append(name) }
        }
        guard !candidates.isEmpty else {
            return RuleOutcome(rule: rule, status: .skipped, level: rule.severity,
                               message: Self.skipMessage(params, unsuitable: unsuitable, schema: context.schema),
                               measurements: [Measurement("synthetic_rows", Double(synthetic.rowCount)),
                                              Measurement("columns_checked", 0),
                                              Measurement("max_rows", Double(params.maxRows))],
                               findings: [])
        }
        var outcome: RuleOutcome
        switch params.hazard {
        case .ageOver89: outcome = ages(candidates, rule: rule, params: params, context: context)
        case .datePrecision: outcome = dates(candidates, rule: rule, params: params, table: synthetic)
        case .zipDigits: outcome = zips(candidates, rule: rule, params: params, table: synthetic)
        }
        if !unsuitable.isEmpty {
            outcome.message += " Not checked (\(Self.expectedType(params.hazard)) expected): \(IdentifierPatternCheck.names(unsuitable))."
        }
        return outcome
    }

    // MARK: Columns

    /// Whether `column` has a type the hazard can read.
    static func suits(_ column: Column, _ hazard: Hazard) -> Bool {
        switch hazard {
        case .ageOver89, .zipDigits: column.type == .numeric || column.type == .categorical || column.type == .text
        case .datePrecision: column.type == .datetime
        }
    }

    /// The column types a hazard reads, as messages word them.
    static func expectedType(_ hazard: Hazard) -> String {
        switch hazard {
        case .ageOver89, .zipDigits: "a numeric, categorical or text column"
        case .datePrecision: "a datetime column"
        }
    }

    /// Whether a column name reads as an age: `age`, `age_years` or `*_age`, any case.
    static func isAgeName(_ name: String) -> Bool {
        let n = name.lowercased()
        return n == "age" || n == "age_years" || n.hasSuffix("_age")
    }

    /// Whether a column name reads as a ZIP or postal code: a name part (split at non-alphanumerics)
    /// `zip`, `zipcode`, `zip` + digits, `postal`, `postcode` or `postalcode`, any case.
    static func isZipName(_ name: String) -> Bool {
        let parts = name.lowercased().split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }
        return parts.contains { part in
            if ["zip", "zipcode", "postal", "postcode", "postalcode"].contains(part) { return true }
            return part.hasPrefix("zip") && part.count > 3 && part.dropFirst(3).allSatisfy(\.isNumber)
        }
    }

    /// Why nothing could be checked.
    static func skipMessage(_ params: Params, unsuitable: [String], schema: Schema) -> String {
        if params.listed {
            return "No listed column can be checked for \(params.hazard.rawValue): \(IdentifierPatternCheck.names(unsuitable)) \(unsuitable.count == 1 ? "is not" : "are not") \(expectedType(params.hazard))."
        }
        switch params.hazard {
        case .ageOver89:
            return "No age column to check: no numeric, categorical or text column is named `age`, `age_years` or `*_age` (list the age columns in the `columns` parameter)."
        case .datePrecision:
            let others = schema.columns.filter { $0.type == .datetime && !$0.roles.contains(.ignored) }.map(\.name)
            return others.isEmpty
                ? "The data has no datetime column to check."
                : "No datetime column has the quasi_identifier role (\(others.count) datetime column\(others.count == 1 ? "" : "s") without it: \(IdentifierPatternCheck.names(others))); give the role or list the columns in the `columns` parameter."
        case .zipDigits:
            return "No ZIP column to check: no numeric, categorical or text column is named like `zip`, `zipcode`, `zip3`, `postal` or `postcode` (list the ZIP columns in the `columns` parameter)."
        }
    }

    // MARK: age-over-89

    func ages(_ columns: [Column], rule: RuleDescriptor, params: Params, context: ScanContext) -> RuleOutcome {
        let table = context.data.synthetic
        let limit = Double(params.maxAge)
        var flaggedRows = CodeSet(capacity: table.rowCount)
        var valuesFlagged = 0, columnsFlagged = 0
        // Each column keeps its first maxFindings hits; together they hold the first maxFindings overall.
        var candidates: [(row: Int, column: Int, key: String, occurrence: Int)] = []
        for (k, column) in columns.enumerated() {
            var hits: [(row: Int, key: String)] = []
            switch column.storage {
            case .numeric(let values, let missing):
                for row in 0..<values.count where !missing.isMissing(row) && values[row] > limit {
                    hits.append((row, ParameterValue.format(values[row])))
                }
            case .coded(let codes, let dictionary):
                let over = (0..<dictionary.count).map { code -> Bool in
                    guard let v = Double(dictionary.labels[code]), v.isFinite else { return false }
                    return v > limit
                }
                for row in 0..<codes.count where codes[row] != Column.missingCode && over[Int(codes[row])] {
                    hits.append((row, dictionary.labels[Int(codes[row])]))
                }
            }
            if !hits.isEmpty { columnsFlagged += 1 }
            valuesFlagged += hits.count
            var occurrences: [String: Int] = [:]
            for (i, hit) in hits.enumerated() {
                flaggedRows.insert(UInt32(hit.row))
                guard i < params.maxFindings else { continue }
                let occurrence = (occurrences[hit.key] ?? 0) + 1
                occurrences[hit.key] = occurrence
                candidates.append((hit.row, k, hit.key, occurrence))
            }
        }
        candidates.sort { ($0.row, $0.column) < ($1.row, $1.column) }
        var findings: [Finding] = []
        for c in candidates.prefix(params.maxFindings) {
            let name = columns[c.column].name
            let line = table.recordLines[c.row]
            // The fingerprint hashes a salted digest of the age, so it cannot be reversed by trying 90...150.
            let digest = context.published(IdentifierValues.digest(c.key))
            findings.append(Finding(
                ruleID: rule.id, level: rule.severity,
                message: "Synthetic row \(c.row + 1) (line \(line)), column \(name): the age is over \(params.maxAge) (Safe Harbor aggregates ages over 89 into one category, 90 or older; the value is not shown).",
                location: FindingLocation(table: .synthetic, row: c.row + 1, line: line, columns: [name]),
                fingerprint: IdentifierValues.fingerprint(rule: rule.id, kind: Hazard.ageOver89.rawValue, column: name,
                                                          digest: digest, occurrence: c.occurrence)))
        }
        let rows = flaggedRows.count
        let n = Double(max(1, table.rowCount))
        var measurements = common(table: table, checked: columns.count, flagged: columnsFlagged, rows: rows,
                                  values: valuesFlagged, params: params)
        if valuesFlagged > findings.count {
            measurements.append(Measurement("findings_truncated", Double(valuesFlagged - findings.count)))
        }
        let failed = rows > params.maxRows
        let names = IdentifierPatternCheck.names(columns.map(\.name))
        let message = failed
            ? "\(rows) synthetic row\(rows == 1 ? "" : "s") (\(Format.percent(Double(rows) / n))) give an age over \(params.maxAge) in \(columnsFlagged) of \(columns.count) age column\(columns.count == 1 ? "" : "s") (\(names)); allowed: \(params.maxRows). Safe Harbor aggregates ages over 89 into one category, 90 or older."
            : "\(rows) of \(table.rowCount) synthetic rows give an age over \(params.maxAge) (allowed: \(params.maxRows)); checked: \(names)."
        return RuleOutcome(rule: rule, status: failed ? .fail : .pass, level: rule.severity, message: message,
                           measurements: measurements, findings: findings)
    }

    // MARK: date-precision

    /// Units of date precision, as the length of the unit in seconds.
    enum Precision {
        static let year = 31_556_952.0
        static let month = 2_629_746.0
        static let day = 86_400.0
        static let hour = 3_600.0
        static let minute = 60.0
        static let second = 1.0
        static let subSecond = 0.001

        /// The unit a timestamp (seconds since the epoch, UTC) is precise to: `year` when it falls on
        /// January 1st at midnight.
        static func of(_ seconds: Double) -> Double {
            let days = (seconds / day).rounded(.down)
            let rest = seconds - days * day
            if rest != 0 {
                if rest != rest.rounded() { return subSecond }
                let s = Int(rest)
                return s % 3600 == 0 ? hour : s % 60 == 0 ? minute : second
            }
            guard let d = Int(exactly: days) else { return year }
            let (_, m, dd) = DateTimeParser.civilFromDays(d)
            return dd != 1 ? day : m != 1 ? month : year
        }

        /// The unit's name.
        static func name(_ unit: Double) -> String {
            switch unit {
            case year: "year"
            case month: "month"
            case day: "day"
            case hour: "hour (time of day)"
            case minute: "minute (time of day)"
            case second: "second (time of day)"
            default: "sub-second (time of day)"
            }
        }
    }

    func dates(_ columns: [Column], rule: RuleDescriptor, params: Params, table: Table) -> RuleOutcome {
        var flaggedRows = CodeSet(capacity: table.rowCount)
        var timeRows = CodeSet(capacity: table.rowCount)
        var valuesFlagged = 0
        var finest = Precision.year
        var perColumn: [(name: String, flagged: Int, present: Int, finest: Double)] = []
        for column in columns {
            guard case .numeric(let values, let missing) = column.storage else { continue }
            var flagged = 0, present = 0
            var columnFinest = Precision.year
            for row in 0..<values.count where !missing.isMissing(row) {
                present += 1
                let unit = Precision.of(values[row])
                guard unit < Precision.year else { continue }
                flagged += 1
                flaggedRows.insert(UInt32(row))
                if unit < Precision.day { timeRows.insert(UInt32(row)) }
                columnFinest = min(columnFinest, unit)
            }
            valuesFlagged += flagged
            finest = min(finest, columnFinest)
            if flagged > 0 { perColumn.append((column.name, flagged, present, columnFinest)) }
        }
        var findings: [Finding] = []
        for c in perColumn.prefix(params.maxFindings) {
            findings.append(Finding(
                ruleID: rule.id, level: rule.severity,
                message: "\(c.flagged) of \(c.present) synthetic dates in column \(c.name) (\(Format.percent(Double(c.flagged) / Double(max(1, c.present))))) are more precise than a year (finest precision: \(Precision.name(c.finest))); Safe Harbor keeps only the year of a date.",
                location: FindingLocation(table: .synthetic, columns: [c.name]),
                fingerprint: Self.columnFingerprint(rule: rule.id, hazard: .datePrecision, column: c.name),
                measurements: [Measurement("values_flagged", Double(c.flagged)),
                               Measurement("value_share_flagged", Double(c.flagged) / Double(max(1, c.present))),
                               Measurement("max_precision_seconds", c.finest)]))
        }
        let rows = flaggedRows.count
        let n = Double(max(1, table.rowCount))
        var measurements = common(table: table, checked: columns.count, flagged: perColumn.count, rows: rows,
                                  values: valuesFlagged, params: params)
        measurements += [Measurement("max_precision_seconds", finest), Measurement("rows_time_of_day", Double(timeRows.count))]
        if perColumn.count > findings.count {
            measurements.append(Measurement("findings_truncated", Double(perColumn.count - findings.count)))
        }
        let failed = rows > params.maxRows
        let names = IdentifierPatternCheck.names(columns.map(\.name))
        let message = failed
            ? "\(rows) synthetic row\(rows == 1 ? "" : "s") (\(Format.percent(Double(rows) / n))) hold a date more precise than a year in \(perColumn.count) of \(columns.count) datetime column\(columns.count == 1 ? "" : "s") (finest precision: \(Precision.name(finest))); allowed: \(params.maxRows). Safe Harbor keeps only the year of dates related to a patient."
            : "\(rows) of \(table.rowCount) synthetic rows hold a date more precise than a year (allowed: \(params.maxRows)); checked: \(names)."
        return RuleOutcome(rule: rule, status: failed ? .fail : .pass, level: rule.severity, message: message,
                           measurements: measurements, findings: findings)
    }

    // MARK: zip-digits

    /// What a ZIP value is, for Safe Harbor.
    enum ZipKind { case fine, fiveDigit, smallArea }

    /// Classifies a ZIP label: five digits, ZIP+4 (`NNNNN-NNNN`, `NNNNN NNNN`, nine digits) or four
    /// digits (a five-digit code whose leading zero was lost) are `fiveDigit`; one to three digits
    /// are a prefix (zero-padded), `smallArea` when listed; anything else is not a US ZIP code.
    static func classify(label: String, smallArea: Set<String>) -> ZipKind {
        let bytes = Array(label.utf8)
        let isDigit = { (b: UInt8) in b &- UInt8(ascii: "0") < 10 }
        if bytes.allSatisfy(isDigit) {
            switch bytes.count {
            case 1...3: return smallArea.contains(String(repeating: "0", count: 3 - bytes.count) + label) ? .smallArea : .fine
            case 4, 5, 9: return .fiveDigit
            default: return .fine
            }
        }
        if bytes.count == 10, bytes[5] == UInt8(ascii: "-") || bytes[5] == UInt8(ascii: " "),
           bytes[..<5].allSatisfy(isDigit), bytes[6...].allSatisfy(isDigit) {
            return .fiveDigit
        }
        return .fine
    }

    /// Classifies a number in a numeric ZIP column (leading zeros are lost): a whole number of four
    /// or more digits is more than a three-digit prefix; below 1000 it is a zero-padded prefix.
    static func classify(number v: Double, smallArea: Set<String>) -> ZipKind {
        guard v >= 0, v == v.rounded(), v < 1e10 else { return .fine }
        if v >= 1000 { return .fiveDigit }
        let text = String(Int(v))
        return smallArea.contains(String(repeating: "0", count: 3 - text.count) + text) ? .smallArea : .fine
    }

    func zips(_ columns: [Column], rule: RuleDescriptor, params: Params, table: Table) -> RuleOutcome {
        let smallArea = Set(params.smallAreaPrefixes)
        var flaggedRows = CodeSet(capacity: table.rowCount)
        var fiveRows = CodeSet(capacity: table.rowCount)
        var smallRows = CodeSet(capacity: table.rowCount)
        var valuesFlagged = 0
        var perColumn: [(name: String, five: Int, small: Int, present: Int)] = []
        for column in columns {
            var five = 0, small = 0, present = 0
            func note(_ kind: ZipKind, _ row: Int) {
                present += 1
                switch kind {
                case .fine: return
                case .fiveDigit: five += 1; fiveRows.insert(UInt32(row))
                case .smallArea: small += 1; smallRows.insert(UInt32(row))
                }
                flaggedRows.insert(UInt32(row))
            }
            switch column.storage {
            case .numeric(let values, let missing):
                for row in 0..<values.count where !missing.isMissing(row) {
                    note(Self.classify(number: values[row], smallArea: smallArea), row)
                }
            case .coded(let codes, let dictionary):
                let kinds = dictionary.labels.map { Self.classify(label: $0, smallArea: smallArea) }
                for row in 0..<codes.count where codes[row] != Column.missingCode {
                    note(kinds[Int(codes[row])], row)
                }
            }
            valuesFlagged += five + small
            if five + small > 0 { perColumn.append((column.name, five, small, present)) }
        }
        var findings: [Finding] = []
        for c in perColumn.prefix(params.maxFindings) {
            var parts: [String] = []
            if c.five > 0 {
                parts.append("\(c.five) of \(c.present) synthetic values (\(Format.percent(Double(c.five) / Double(max(1, c.present))))) are five-digit ZIP codes or ZIP+4 (Safe Harbor allows the first three digits only)")
            }
            if c.small > 0 {
                parts.append("\(c.small) (\(Format.percent(Double(c.small) / Double(max(1, c.present))))) are three-digit prefixes of areas of 20,000 or fewer people, which Safe Harbor requires to read 000")
            }
            findings.append(Finding(
                ruleID: rule.id, level: rule.severity,
                message: "In column \(c.name), " + parts.joined(separator: "; ") + "; the codes are not shown.",
                location: FindingLocation(table: .synthetic, columns: [c.name]),
                fingerprint: Self.columnFingerprint(rule: rule.id, hazard: .zipDigits, column: c.name),
                measurements: [Measurement("values_five_digit", Double(c.five)), Measurement("values_small_area", Double(c.small))]))
        }
        let rows = flaggedRows.count
        let n = Double(max(1, table.rowCount))
        var measurements = common(table: table, checked: columns.count, flagged: perColumn.count, rows: rows,
                                  values: valuesFlagged, params: params)
        measurements += [Measurement("rows_five_digit", Double(fiveRows.count)), Measurement("rows_small_area", Double(smallRows.count))]
        if perColumn.count > findings.count {
            measurements.append(Measurement("findings_truncated", Double(perColumn.count - findings.count)))
        }
        let failed = rows > params.maxRows
        let names = IdentifierPatternCheck.names(columns.map(\.name))
        let message = failed
            ? "\(rows) synthetic row\(rows == 1 ? "" : "s") (\(Format.percent(Double(rows) / n))) hold a ZIP code with more than three digits (\(fiveRows.count)) or a small-area prefix that must read 000 (\(smallRows.count)) in \(perColumn.count) of \(columns.count) ZIP column\(columns.count == 1 ? "" : "s"); allowed: \(params.maxRows)."
            : "\(rows) of \(table.rowCount) synthetic rows hold a ZIP code Safe Harbor does not allow (allowed: \(params.maxRows)); checked: \(names)."
        return RuleOutcome(rule: rule, status: failed ? .fail : .pass, level: rule.severity, message: message,
                           measurements: measurements, findings: findings)
    }

    // MARK: Shared

    /// The measurements every hazard reports.
    func common(table: Table, checked: Int, flagged: Int, rows: Int, values: Int, params: Params) -> [Measurement] {
        [
            Measurement("synthetic_rows", Double(table.rowCount)),
            Measurement("columns_checked", Double(checked)),
            Measurement("columns_flagged", Double(flagged)),
            Measurement("rows_flagged", Double(rows)),
            Measurement("row_share_flagged", Double(rows) / Double(max(1, table.rowCount))),
            Measurement("values_flagged", Double(values)),
            Measurement("max_rows", Double(params.maxRows)),
        ]
    }

    /// The fingerprint of a column-level finding: rule, hazard and column.
    static func columnFingerprint(rule: String, hazard: Hazard, column: String) -> String {
        IdentifierValues.fingerprint(rule: rule, kind: hazard.rawValue, column: column,
                                     digest: RecordDigest(high: 0, low: 0), occurrence: 0)
    }

    /// Parsed parameters.
    struct Params {
        var hazard: Hazard
        /// Candidate columns in schema order.
        var columns: [String]
        /// Whether the rule listed its columns (else the hazard's defaults apply).
        var listed: Bool
        var maxAge: Int
        var smallAreaPrefixes: [String]
        var maxRows: Int
        var maxFindings: Int

        init(rule: RuleDescriptor, schema: Schema) throws {
            let text = try rule.parameters.text("hazard", rule: rule.id)
            guard let hazard = Hazard(rawValue: text) else {
                throw CheckError.invalidParameter(rule: rule.id, name: "hazard",
                                                  reason: "must be one of \(Hazard.allCases.map(\.rawValue).joined(separator: ", ")), found '\(text)'")
            }
            self.hazard = hazard
            let names = try rule.parameters.list("columns", rule: rule.id)
            for c in names where schema.index(of: c) == nil { throw CheckError.unknownColumn(rule: rule.id, column: c) }
            listed = !names.isEmpty
            if listed {
                let wanted = Set(names)
                columns = schema.columns.map(\.name).filter { wanted.contains($0) }
            } else {
                let usable = schema.columns.filter { !$0.roles.contains(.ignored) }
                switch hazard {
                case .ageOver89: columns = usable.filter { SafeHarborCheck.isAgeName($0.name) }.map(\.name)
                case .datePrecision: columns = usable.filter { $0.type == .datetime && $0.roles.contains(.quasiIdentifier) }.map(\.name)
                case .zipDigits: columns = usable.filter { SafeHarborCheck.isZipName($0.name) }.map(\.name)
                }
            }
            maxAge = try rule.parameters.integer("max_age", rule: rule.id)
            smallAreaPrefixes = try rule.parameters.list("small_area_prefixes", rule: rule.id)
            for p in smallAreaPrefixes where p.utf8.count != 3 || !p.utf8.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }) {
                throw CheckError.invalidParameter(rule: rule.id, name: "small_area_prefixes",
                                                  reason: "must hold three-digit prefixes such as '036', found '\(p)'")
            }
            maxRows = try rule.parameters.integer("max_rows", rule: rule.id)
            maxFindings = try rule.parameters.integer("max_findings", rule: rule.id)
        }
    }
}
