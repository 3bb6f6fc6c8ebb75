import Foundation

/// Turns a finished `ScanResult` into the bytes of one report (UTF-8 text for every writer here).
///
/// Writers know nothing about checks: they print only what the result holds (row numbers,
/// line numbers, column names, group labels, digests and aggregate numbers), never a value of
/// a record. The same result always gives byte-identical output.
public protocol ReportWriter {
    /// Renders `result` as the UTF-8 bytes of a complete report (ending with a newline).
    func write(_ result: ScanResult) throws -> [UInt8]
}

extension ReportWriter {
    /// Renders `result` and decodes the bytes as a UTF-8 string.
    public func writeString(_ result: ScanResult) throws -> String {
        String(decoding: try write(result), as: UTF8.self)
    }
}

/// Why a report could not be written.
public enum ReportError: Error, Equatable, CustomStringConvertible {
    /// Two outcomes share one rule id, so SARIF `ruleIndex` would be ambiguous.
    case duplicateRuleID(String)
    /// A finding points at a table that was not read, and there is no synthetic input to fall back on.
    case missingInput(TableRole)
    /// The SARIF run would exceed GitHub's limit of results per run.
    case tooManyResults(count: Int, limit: Int)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .duplicateRuleID(let id): "two outcomes have the same rule id '\(id)'"
        case .missingInput(let role): "a finding points at the \(role.rawValue) table, but no such input was read"
        case .tooManyResults(let count, let limit): "\(count) SARIF results exceed the limit of \(limit) per run"
        }
    }
}

/// Counts over a scan result shared by the text and JSON reports.
public struct ReportSummary: Sendable, Equatable {
    /// Rules that ran (one per outcome).
    public var rules: Int
    /// Rules that passed.
    public var passed: Int
    /// Rules that failed.
    public var failed: Int
    /// Rules that were skipped.
    public var skipped: Int
    /// Failed rules, by level.
    public var failedByLevel: [Severity: Int]
    /// Findings over all rules.
    public var findings: Int
    /// Findings by level.
    public var findingsByLevel: [Severity: Int]
    /// Whether the `failOn` gate fails.
    public var gateFailed: Bool

    /// Counts the outcomes and findings of `result`.
    public init(_ result: ScanResult) {
        rules = result.outcomes.count
        passed = result.outcomes.count(where: { $0.status == .pass })
        failed = result.outcomes.count(where: { $0.status == .fail })
        skipped = result.outcomes.count(where: { $0.status == .skipped })
        var failedByLevel: [Severity: Int] = [:]
        var findingsByLevel: [Severity: Int] = [:]
        var findings = 0
        for outcome in result.outcomes {
            if outcome.status == .fail { failedByLevel[outcome.level, default: 0] += 1 }
            for finding in outcome.findings {
                findingsByLevel[finding.level, default: 0] += 1
                findings += 1
            }
        }
        self.failedByLevel = failedByLevel
        self.findingsByLevel = findingsByLevel
        self.findings = findings
        gateFailed = result.failsGate
    }
}

/// Formatting helpers shared by the writers. All of them are pure and locale-independent.
enum ReportFormatting {
    /// Shortest round-trip decimal for a finite double; integral values (|v| < 2^53) print as integers.
    /// Returns `nil` for NaN and infinities.
    static func number(_ value: Double) -> String? {
        guard value.isFinite else { return nil }
        if value == value.rounded(.towardZero), abs(value) < 9_007_199_254_740_992 {
            return String(Int64(value))
        }
        return value.description
    }

    /// A number for humans: like `number`, with `NaN`, `inf` and `-inf` for non-finite values.
    static func displayNumber(_ value: Double) -> String {
        if let text = number(value) { return text }
        if value.isNaN { return "NaN" }
        return value < 0 ? "-inf" : "inf"
    }

    /// ISO 8601 UTC timestamp, `2026-03-01T09:30:00Z`, with `.mmm` milliseconds only when non-zero.
    static func iso8601(_ date: Date) -> String {
        let totalMilliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = floorDiv(totalMilliseconds, 1000)
        let milliseconds = totalMilliseconds - seconds * 1000
        let days = floorDiv(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
        text += pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay % 3600 / 60, 2) + ":" + pad(secondOfDay % 60, 2)
        if milliseconds != 0 { text += "." + pad(milliseconds, 3) }
        return text + "Z"
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(abs(value))
        let padded = String(repeating: "0", count: max(0, width - digits.count)) + digits
        return value < 0 ? "-" + padded : padded
    }

    /// `privacy/exact-copy` → `PrivacyExactCopy`: every run of letters and digits, capitalised, joined.
    static func upperCamelName(_ id: String) -> String {
        let parts = id.split { !($0.isLetter || $0.isNumber) }
        let name = parts.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return name.isEmpty ? "Rule" : name
    }

    /// Replaces control characters (newlines, tabs, ESC) with spaces so a string stays on one line
    /// and cannot drive a terminal.
    static func singleLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            (scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}") ? " " : scalar
        }))
    }

    /// At most `limit` characters, ending with `…` when cut.
    static func truncated(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(max(0, limit - 1))) + "…"
    }

    /// 16 hex digits of FNV-1a 64 over the parts separated by NUL: a stable identity for results
    /// the writers synthesise (table-level and truncation results), not a security hash.
    static func stableHash(_ parts: [String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for (i, part) in parts.enumerated() {
            if i > 0 { hash = (hash ^ 0) &* 0x0000_0100_0000_01b3 }
            for byte in part.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The POSIX-shell-quoted form of an argument, unchanged when it needs no quoting.
    static func shellQuoted(_ argument: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=,+@%^")
        if !argument.isEmpty, argument.allSatisfy({ safe.contains($0) }) { return argument }
        return "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// "1 rule" / "2 rules".
    static func plural(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(count) " + (count == 1 ? singular : (plural ?? singular + "s"))
    }

    /// Levels from most to least severe.
    static let levelsDescending: [Severity] = [.error, .warning, .note]
}
