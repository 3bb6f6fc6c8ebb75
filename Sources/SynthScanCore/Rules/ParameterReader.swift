import Yams

/// Reads the `params` mapping of a rule, an override or a self-test against a check kind's declarations.
///
/// Unknown names (with the nearest valid name suggested and the valid ones listed), wrong types and
/// out-of-range values are all reported with their position; valid values come back typed.
struct ParameterReader {
    /// Reads scalars and reports problems.
    let values: YAMLValueReader
    /// The kind whose parameters are read.
    let kind: String
    /// Its declarations.
    let specs: [ParameterSpec]

    /// Creates a reader for `kind`, or `nil` if the kind is unknown.
    init?(kind: String, values: YAMLValueReader) {
        guard let specs = CheckRegistry.parameters(kind: kind) else { return nil }
        self.values = values
        self.kind = kind
        self.specs = specs
    }

    /// The values set in `mapping` (a `params:` block), by name.
    func read(_ mapping: YAMLMappingReader) -> [String: ParameterValue] {
        var result: [String: ParameterValue] = [:]
        let names = specs.map(\.name)
        for entry in mapping.entries {
            guard let spec = specs.first(where: { $0.name == entry.key }) else {
                var message = "unknown parameter '\(entry.key)' for check kind '\(kind)'"
                if let guess = Self.suggestion(for: entry.key, among: names) { message += " (did you mean '\(guess)'?)" }
                message += names.isEmpty ? "; this kind takes no parameters" : "; valid parameters: \(names.joined(separator: ", "))"
                values.diagnostics.report(.unknownParameter, message, at: entry.keyNode)
                continue
            }
            if YAMLNodeKind.isNull(entry.value) {
                values.diagnostics.report(.parameterType,
                                          "parameter '\(spec.name)' has no value (expected \(spec.type.description))", at: entry.value)
                continue
            }
            if let value = read(entry.value, spec: spec) { result[spec.name] = value }
        }
        return result
    }

    /// One value, checked against `spec`.
    func read(_ node: Node, spec: ParameterSpec) -> ParameterValue? {
        let expected = spec.type.description
        func wrongType(found: String? = nil) -> ParameterValue? {
            values.diagnostics.report(.parameterType,
                                      "parameter '\(spec.name)' must be \(article(expected)), found \(found ?? YAMLNodeKind.describe(node))",
                                      at: node)
            return nil
        }
        func outOfRange(_ shown: String) -> ParameterValue? {
            values.diagnostics.report(.parameterRange,
                                      "parameter '\(spec.name)' must be \(article(expected)), found \(shown)", at: node)
            return nil
        }
        switch spec.type {
        // Scalars are read as the configuration reader reads them (YAMLValueReader): by their resolved
        // YAML tag, so a quoted "5" is a string, and `1_000`, `0x10`, `yes` mean what YAML says.
        case .integer(let range):
            guard case .scalar(let scalar) = node, scalar.style == .plain else { return wrongType() }
            if YAMLNodeKind.isScalar(node, tagged: .float) { return wrongType(found: scalar.string) }
            guard YAMLNodeKind.isScalar(node, tagged: .int) else { return wrongType() }
            guard let v = Int(scalar.string.replacingOccurrences(of: "_", with: "")) ?? Int.construct(from: scalar) else {
                return outOfRange(scalar.string)
            }
            return range.contains(v) ? .integer(v) : outOfRange(scalar.string)
        case .number(let bounds):
            guard case .scalar(let scalar) = node, scalar.style == .plain,
                  YAMLNodeKind.isScalar(node, tagged: .float) || YAMLNodeKind.isScalar(node, tagged: .int) else { return wrongType() }
            guard let v = Double.construct(from: scalar) else { return outOfRange(scalar.string) }
            return bounds.contains(v) ? .number(v) : outOfRange(scalar.string)
        case .boolean:
            guard case .scalar(let scalar) = node, scalar.style == .plain, YAMLNodeKind.isScalar(node, tagged: .bool),
                  let v = Bool.construct(from: scalar) else { return wrongType() }
            return .boolean(v)
        case .choice(let words):
            guard case .scalar(let scalar) = node else { return wrongType() }
            guard words.contains(scalar.string) else {
                var message = "parameter '\(spec.name)' must be one of \(words.joined(separator: ", ")), found '\(scalar.string)'"
                if let guess = EditDistance.suggestion(for: scalar.string, among: words) { message += " (did you mean '\(guess)'?)" }
                values.diagnostics.report(.parameterRange, message, at: node)
                return nil
            }
            return .text(scalar.string)
        case .text:
            guard case .scalar(let scalar) = node else { return wrongType() }
            guard !scalar.string.isEmpty else { return outOfRange("an empty string") }
            return .text(scalar.string)
        case .pattern:
            guard case .scalar(let scalar) = node else { return wrongType() }
            do {
                _ = try SafePattern(scalar.string)
            } catch {
                values.diagnostics.report(.parameterRange,
                                          "parameter '\(spec.name)' is not a valid pattern: \(error.message) (at character \(error.offset + 1))",
                                          at: node)
                return nil
            }
            return .text(scalar.string)
        case .predicate:
            guard case .scalar(let scalar) = node else { return wrongType() }
            do {
                _ = try PredicateParser.parse(scalar.string)
            } catch {
                values.diagnostics.report(.parameterRange,
                                          "parameter '\(spec.name)' is not a valid predicate: \(error.message) (at character \(error.offset + 1))",
                                          at: node)
                return nil
            }
            return .text(scalar.string)
        case .columns, .textList:
            if case .scalar = node { return wrongType() }
            guard let list = values.stringList(node, at: spec.name, unique: true, nonEmpty: true) else { return nil }
            return .list(list)
        }
    }

    /// The declared name closest to `name`: by edit distance, else the first that starts with all of
    /// `name` but its last character (a singular for a plural: `max_copy` for `max_copies`).
    static func suggestion(for name: String, among names: [String]) -> String? {
        if let guess = EditDistance.suggestion(for: name, among: names) { return guess }
        guard name.count >= 4 else { return nil }
        let stem = name.dropLast()
        return names.first { $0.hasPrefix(stem) }
    }

    private func article(_ text: String) -> String {
        if text.hasPrefix("one of") { return text }
        return (text.first.map { "aeiou".contains($0) } == true ? "an " : "a ") + text
    }
}

extension DiagnosticCode {
    /// A rule names a check kind this build does not have.
    public static let unknownCheckKind: DiagnosticCode = "unknown-check-kind"
    /// A parameter the check kind does not declare.
    public static let unknownParameter: DiagnosticCode = "unknown-parameter"
    /// A rule leaves out a parameter its check kind requires.
    public static let missingParameter: DiagnosticCode = "missing-parameter"
    /// A parameter value of the wrong type.
    public static let parameterType: DiagnosticCode = "parameter-type"
    /// A parameter value outside its allowed range.
    public static let parameterRange: DiagnosticCode = "parameter-range"
    /// Two rules share an id.
    public static let duplicateRuleID: DiagnosticCode = "duplicate-rule-id"
    /// An override, waiver or selection names a rule that does not exist.
    public static let unknownRule: DiagnosticCode = "unknown-rule"
    /// A message template that does not parse or names an unknown placeholder.
    public static let badTemplate: DiagnosticCode = "bad-template"
    /// A rule without help text.
    public static let missingHelp: DiagnosticCode = "missing-help"
    /// A pack that cannot be found.
    public static let packNotFound: DiagnosticCode = "pack-not-found"
    /// A chain of `extends` that comes back to a pack already in it.
    public static let packCycle: DiagnosticCode = "pack-cycle"
    /// A parent pack whose version is outside the range asked for.
    public static let packVersion: DiagnosticCode = "pack-version"
    /// A pack that differs from what the lock file records.
    public static let packLock: DiagnosticCode = "pack-lock"
    /// A pack that needs a newer (or older) synthscan.
    public static let engineVersion: DiagnosticCode = "engine-version"
    /// An override that tries to change what a rule detects.
    public static let immutableField: DiagnosticCode = "immutable-field"
    /// A path that leaves the pack folder.
    public static let outsidePack: DiagnosticCode = "outside-pack"
    /// A rule without triggering and non-triggering self-tests.
    public static let missingTests: DiagnosticCode = "missing-tests"
}
