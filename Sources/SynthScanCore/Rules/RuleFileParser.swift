import Yams

/// Parses one rule file into a `RuleDefinition`, validating it against its check kind.
///
/// Every problem is reported into the collector with its position (the caller gathers the
/// problems of all files so `rules validate` shows them in one pass); `nil` means the file
/// had problems that leave no usable rule.
struct RuleFileParser {
    /// Keys of a rule file, in documentation order.
    static let keys = ["format", "id", "check", "summary", "description", "severity", "security-severity", "precision",
                       "tags", "by", "params", "message", "help", "references", "tests"]
    /// Keys of one self-test.
    static let testKeys = ["name", "expect", "findings", "measurements", "params", "roles", "columns",
                           "train", "holdout", "synthetic"]
    /// SARIF precision values.
    static let precisions = ["very-high", "high", "medium", "low"]

    /// Where problems go.
    let collector: DiagnosticCollector
    /// The pack the file belongs to.
    let source: PackSource
    /// The pack id.
    let packID: String

    /// Parses `text` (the file at `relative` inside the pack).
    func parse(text: String, relative: String) -> RuleDefinition? {
        let values = YAMLValueReader(diagnostics: collector)
        let document: YAMLDocument
        do {
            document = try YAMLDocument.parse(text, file: collector.file, limits: RulePackLoader.limits)
        } catch {
            for d in error.diagnostics { collector.report(d.code, d.message, at: d.line.map { SourcePosition(line: $0, column: d.column ?? 1) }) }
            return nil
        }
        guard let root = document.root else {
            collector.report(.missingKey, "rule file is empty", at: nil)
            return nil
        }
        guard let map = YAMLMappingReader(root, at: "", values: values, allowedKeys: Self.keys) else { return nil }
        let before = collector.diagnostics.count
        _ = map.int("format", in: 1...1)
        let id = map.string("id", required: true, nonEmpty: true) ?? ""
        if let node = map.node("id"), !id.isEmpty, !Self.isValidRuleID(id) {
            collector.report(.invalidValue,
                             "invalid rule id '\(id)': expected lower-case segments separated by '/', e.g. privacy/exact-copy", at: node)
        }
        let kind = map.string("check", required: true, nonEmpty: true) ?? ""
        var parameterReader: ParameterReader?
        if let node = map.node("check"), !kind.isEmpty {
            parameterReader = ParameterReader(kind: kind, values: values)
            if parameterReader == nil {
                var message = "unknown check kind '\(kind)'"
                if let guess = EditDistance.suggestion(for: kind, among: CheckRegistry.kinds) { message += " (did you mean '\(guess)'?)" }
                message += "; known kinds: \(CheckRegistry.kinds.joined(separator: ", "))"
                collector.report(.unknownCheckKind, message, at: node)
            }
        }
        let summary = map.string("summary", required: true, nonEmpty: true) ?? ""
        let description = map.string("description", required: true, nonEmpty: true) ?? ""
        let help = map.string("help", nonEmpty: true)
        if help == nil, map.node("help") == nil {
            collector.report(.missingHelp,
                             "rule '\(id)' has no 'help': add Markdown saying what it catches, why it matters clinically and how to fix it",
                             at: root)
        }
        let severity = map.enumValue("severity", as: Severity.self, required: true) ?? .warning
        var securitySeverity: Double?
        if let node = map.node("security-severity"), let v = values.double(node, at: "security-severity") {
            if v > 0 && v <= 10 { securitySeverity = v } else {
                collector.report(.invalidValue, "invalid value for 'security-severity': expected a number in (0, 10], found \(ParameterValue.format(v))", at: node)
            }
        }
        let precision = map.choice("precision", from: Self.precisions)
        let tags = map.stringList("tags", unique: true, nonEmpty: true) ?? []
        let references = map.stringList("references", nonEmpty: true) ?? []

        var parameters = RuleParameters()
        if let reader = parameterReader {
            for spec in reader.specs { parameters[spec.name] = spec.defaultValue }
            let params = map.mapping("params")
            for (name, value) in params.map({ reader.read($0) }) ?? [String: ParameterValue]() { parameters[name] = value }
            let given = Set(params?.entries.map(\.key) ?? [])
            for spec in reader.specs where spec.required && !given.contains(spec.name) {
                collector.report(.missingParameter,
                                 "rule '\(id)': check kind '\(kind)' needs the parameter '\(spec.name)' (\(spec.type.description)) under 'params'",
                                 at: map.node("check") ?? root)
            }
        }
        var sliceBy: [String] = []
        if let node = map.node("by"), let list = values.stringList(node, at: "by", unique: true, nonEmpty: true) {
            if list.count > 2 {
                collector.report(.invalidValue, "'by' names \(list.count) columns; a rule can be sliced by one column or the intersections of two", at: node)
            } else {
                sliceBy = list
            }
        }
        var template: String?
        if let node = map.node("message"), let text = values.string(node, at: "message", nonEmpty: true) {
            if parameterReader != nil { TemplateValidator(collector: collector).validate(text, node: node, kind: kind, parameters: parameters) }
            template = text
        }
        var tests: [RuleTestCase] = []
        if let node = map.node("tests") {
            tests = RuleTestParser(collector: collector, values: values, file: collector.file, kind: parameterReader != nil ? kind : nil)
                .parse(node)
        }
        guard collector.diagnostics.count == before else { return nil }
        let descriptor = RuleDescriptor(id: id, check: kind, summary: summary, description: description, help: help ?? "",
                                        severity: severity, securitySeverity: securitySeverity, precision: precision,
                                        tags: tags, references: references, parameters: parameters,
                                        messageTemplate: template, pack: packID)
        var sliced = descriptor
        sliced.sliceBy = sliceBy
        return RuleDefinition(descriptor: sliced, file: collector.file,
                              position: map.node("id").flatMap(YAMLNodeKind.position), tests: tests, source: source)
    }

    /// `namespace/name` (more segments allowed): lower-case ASCII letters, digits and `-`.
    static func isValidRuleID(_ id: String) -> Bool {
        let segments = id.split(separator: "/", omittingEmptySubsequences: false)
        return segments.count >= 2 && segments.allSatisfy { seg in
            !seg.isEmpty && seg.allSatisfy { ($0.isLowercase || $0.isNumber || $0 == "-") && $0.isASCII }
        }
    }
}

/// Checks a rule's `message` template: it must parse, and every placeholder must name a measurement
/// of the check kind or one of its parameters (numeric formats only on numbers).
struct TemplateValidator {
    /// Where problems go.
    let collector: DiagnosticCollector

    /// Validates `text`, written at `node`, for a rule of `kind` with `parameters`.
    func validate(_ text: String, node: Node, kind: String, parameters: RuleParameters) {
        let template: MessageTemplate
        do {
            template = try MessageTemplate(text)
        } catch {
            collector.report(.badTemplate, "invalid message template: \(error.message) (at character \(error.offset + 1) of the message)",
                             at: node)
            return
        }
        let measurements = CheckRegistry.measurements(kind: kind)?.map(\.key) ?? []
        let names = measurements + parameters.values.keys.sorted()
        for placeholder in template.placeholders {
            if measurements.contains(placeholder.name) { continue }
            if let value = parameters[placeholder.name] {
                if placeholder.format != nil, value.numericValue == nil {
                    collector.report(.badTemplate,
                                     "placeholder '{\(placeholder.name)}' has a number format but parameter '\(placeholder.name)' is not a number",
                                     at: node)
                }
                continue
            }
            var message = "unknown placeholder '{\(placeholder.name)}' in message template"
            if let guess = EditDistance.suggestion(for: placeholder.name, among: names) { message += " (did you mean '{\(guess)}'?)" }
            message += "; check kind '\(kind)' reports: \(measurements.joined(separator: ", "))"
            collector.report(.badTemplate, message, at: node)
        }
    }
}

/// Reads the `tests:` list of a rule file.
struct RuleTestParser {
    /// Where problems go.
    let collector: DiagnosticCollector
    /// Reads scalars.
    let values: YAMLValueReader
    /// The rule file, as messages name it.
    let file: String
    /// The rule's check kind, if known.
    let kind: String?

    /// The tests in `node` (a list of mappings).
    func parse(_ node: Node) -> [RuleTestCase] {
        guard case .sequence(let items) = node else {
            values.reportWrongType(node, at: "tests", expected: "a list of tests")
            return []
        }
        var tests: [RuleTestCase] = []
        var names: [String: Node] = [:]
        for (index, item) in items.enumerated() {
            let path = "tests[\(index)]"
            guard let map = YAMLMappingReader(item, at: path, values: values, allowedKeys: RuleFileParser.testKeys) else { continue }
            let name = map.string("name", required: true, nonEmpty: true) ?? ""
            if let nameNode = map.node("name"), !name.isEmpty {
                if names[name] != nil { collector.report(.duplicateEntry, "two tests are named '\(name)'", at: nameNode) }
                names[name] = nameNode
            }
            let expect = map.choice("expect", from: ["fail", "pass", "skipped"], required: true).flatMap(RuleStatus.init(rawValue:))
            let findings = map.int("findings", in: 0...1_000_000)
            var expectedMeasurements: [(String, Double)] = []
            if let m = map.mapping("measurements") {
                let known = kind.flatMap { CheckRegistry.measurements(kind: $0) }?.map(\.key) ?? []
                for entry in m.entries {
                    if kind != nil, !known.contains(entry.key) {
                        var message = "unknown measurement '\(entry.key)' in \(path).measurements"
                        if let guess = EditDistance.suggestion(for: entry.key, among: known) { message += " (did you mean '\(guess)'?)" }
                        message += "; check kind '\(kind!)' reports: \(known.joined(separator: ", "))"
                        collector.report(.unknownKey, message, at: entry.keyNode)
                        continue
                    }
                    if let v = values.double(entry.value, at: m.path(of: entry.key)) { expectedMeasurements.append((entry.key, v)) }
                }
            }
            var parameters: [String: ParameterValue] = [:]
            if let p = map.mapping("params"), let kind, let reader = ParameterReader(kind: kind, values: values) {
                parameters = reader.read(p)
            }
            let decoder = ScanConfigurationDecoder(values: values, directory: "")
            let roles = map.mapping("roles", allowedKeys: ScanConfigurationDecoder.roleKeys).map(decoder.decodeRoles) ?? RoleAssignments()
            let columns = map.mapping("columns").map(decoder.decodeColumns) ?? [:]
            var tables: [TableRole: RuleTestTable] = [:]
            for (key, role) in [("train", TableRole.train), ("holdout", .holdout), ("synthetic", .synthetic)] {
                guard let tableNode = map.node(key, required: role != .holdout) else { continue }
                if let table = table(tableNode, at: map.path(of: key)) { tables[role] = table }
            }
            guard let expect else { continue }
            tests.append(RuleTestCase(name: name, file: file, position: YAMLNodeKind.position(item), expectedStatus: expect,
                                      expectedFindings: findings, expectedMeasurements: expectedMeasurements,
                                      parameters: parameters, roles: roles, columns: columns, tables: tables))
        }
        return tests
    }

    /// A table: CSV text, or `{file: relative/path.csv}` inside the pack.
    private func table(_ node: Node, at path: String) -> RuleTestTable? {
        switch node {
        case .scalar:
            guard let text = values.string(node, at: path, nonEmpty: true) else { return nil }
            return .inline(text)
        case .mapping:
            guard let map = YAMLMappingReader(node, at: path, values: values, allowedKeys: ["file"]),
                  let fileNode = map.node("file", required: true),
                  let relative = values.string(fileNode, at: map.path(of: "file"), nonEmpty: true) else { return nil }
            guard PackSource.isSafeRelativePath(relative) else {
                collector.report(.outsidePack, "fixture '\(relative)' must be a relative path inside the pack folder (no '..', not absolute)",
                                 at: fileNode)
                return nil
            }
            return .file(relative)
        default:
            values.reportWrongType(node, at: path, expected: "CSV text or {file: path inside the pack}")
            return nil
        }
    }
}
