import Yams

/// A suppressions file: findings a reviewer accepted, each with a justification, an owner and an
/// expiry date, kept next to the data release rather than in a rule pack.
///
/// ```yaml
/// format: 1
/// suppressions:
///   - rule: privacy/distance-to-closest-record
///     fingerprint: 3f2a9c0d11b7e4a5        # or: subgroup: race_ethnicity=Black
///     justification: Reviewed with the privacy office; the record is a common presentation.
///     owner: privacy-office@northwind.example
///     expires: 2027-03-31
/// ```
///
/// Each entry becomes a `Waiver` (pack `suppressions`), so waived findings are marked in every
/// report and written to SARIF as `suppressions` with the justification. An entry past its expiry
/// date stops suppressing and becomes a warning naming its line.
public struct SuppressionsFile: Sendable {
    /// Entries in force.
    public var waivers: [Waiver]
    /// Expired entries, as warnings (file, line, column).
    public var expired: [ConfigDiagnostic]

    /// Keys of an entry.
    static let entryKeys = ["rule", "fingerprint", "subgroup", "justification", "owner", "expires"]

    /// Reads and checks the file at `path`; `knownRules` are the ids of the effective rule set
    /// (an entry naming another rule is an error, since it would silently suppress nothing).
    public static func load(path: String, knownRules: Set<String>, today: String) throws(ConfigurationError) -> SuppressionsFile {
        let text = try YAMLSourceFile.read(path: path, maxBytes: YAMLLimits.configuration.maxBytes)
        return try parse(text, file: path, knownRules: knownRules, today: today)
    }

    /// Parses suppressions text as if it were the file `file`.
    public static func parse(_ text: String, file: String, knownRules: Set<String>, today: String) throws(ConfigurationError) -> SuppressionsFile {
        let document = try YAMLDocument.parse(text, file: file, limits: .configuration)
        let collector = DiagnosticCollector(file: file)
        let values = YAMLValueReader(diagnostics: collector)
        var result = SuppressionsFile(waivers: [], expired: [])
        if let root = document.root, let map = YAMLMappingReader(root, at: "", values: values, allowedKeys: ["format", "suppressions"]) {
            _ = map.int("format", in: 1...1)
            if let list = map.node("suppressions", required: true) {
                if case .sequence(let items) = list {
                    for (index, item) in items.enumerated() {
                        result.read(item, index: index, file: file, values: values, knownRules: knownRules, today: today)
                    }
                } else {
                    values.reportWrongType(list, at: "suppressions", expected: "a list of {rule, fingerprint or subgroup, justification, owner, expires}")
                }
            }
        } else if document.root == nil {
            collector.report(.invalidValue, "the suppressions file is empty: expected `format: 1` and a `suppressions` list", at: SourcePosition(line: 1, column: 1))
        }
        try collector.throwIfAny()
        return result
    }

    private mutating func read(_ item: Node, index: Int, file: String, values: YAMLValueReader, knownRules: Set<String>, today: String) {
        let at = "suppressions[\(index)]"
        guard let map = YAMLMappingReader(item, at: at, values: values, allowedKeys: Self.entryKeys) else { return }
        let rule = map.string("rule", required: true, nonEmpty: true)
        let justification = map.string("justification", required: true, nonEmpty: true)
        let owner = map.string("owner", required: true, nonEmpty: true)
        let fingerprint = map.string("fingerprint", nonEmpty: true)
        let subgroup = map.string("subgroup", nonEmpty: true)
        var expires: String?
        if let node = map.node("expires", required: true), let text = values.string(node, at: map.path(of: "expires")) {
            if RuleSetBuilder.isISODate(text) { expires = text } else {
                values.reportInvalid(node, at: map.path(of: "expires"), value: text, expected: "a date such as 2027-03-31")
            }
        }
        if let fingerprint, let node = map.node("fingerprint"), !(fingerprint.count == 16 && fingerprint.allSatisfy(\.isHexDigit)) {
            values.reportInvalid(node, at: map.path(of: "fingerprint"), value: fingerprint, expected: "a 16-digit hex finding fingerprint, as reports print it")
        }
        if (fingerprint == nil) == (subgroup == nil) {
            values.diagnostics.report(.invalidValue, "\(at): give exactly one of `fingerprint` (one finding) or `subgroup` (a subgroup's findings); a whole rule is waived in a rule pack", at: item)
        }
        if let rule, let node = map.node("rule"), !knownRules.contains(rule) {
            var message = "\(at): no rule '\(rule)' in the effective rule set"
            if let guess = EditDistance.suggestion(for: rule, among: Array(knownRules).sorted()) { message += " (did you mean '\(guess)'?)" }
            values.diagnostics.report(.unknownRule, message, at: node)
        }
        guard let rule, let justification, let owner, let expires, (fingerprint == nil) != (subgroup == nil) else { return }
        let position = YAMLNodeKind.position(item)
        var waiver = Waiver(ruleID: rule, fingerprints: fingerprint.map { [$0.lowercased()] } ?? [], reason: justification,
                            approvedBy: owner, expires: expires, pack: "suppressions", file: file, line: position?.line)
        waiver.subgroups = subgroup.map { [$0] } ?? []
        if waiver.isExpired(today: today) {
            expired.append(ConfigDiagnostic(file: file, line: position?.line, column: position?.column, severity: .warning, code: "expired-suppression",
                                            message: "suppression of \(fingerprint.map { "finding \($0)" } ?? "subgroup \(subgroup!)") of '\(rule)' expired on \(expires) and no longer applies; renew or remove it"))
        } else {
            waivers.append(waiver)
        }
    }
}
