import Yams

/// Parses one rule file into a `RuleDescriptor`, validating it against its check kind.
enum RuleFileParser {
    static let allowedKeys = ["format", "id", "check", "summary", "description", "severity", "security-severity",
                              "precision", "tags", "params", "references", "help"]

    static func parse(text: String, file: String, pack: String) throws -> RuleDescriptor {
        let collector = DiagnosticCollector(file: file)
        let values = YAMLValueReader(diagnostics: collector)
        let document = try RulePackLoader.wrap { () throws(ConfigurationError) in
            try YAMLDocument.parse(text, file: file, limits: RulePackLoader.limits)
        }
        guard let root = document.root, let map = YAMLMappingReader(root, at: "", values: values, allowedKeys: allowedKeys) else {
            if document.root == nil { collector.report(.missingKey, "rule file is empty", at: nil) }
            try RulePackLoader.wrap { () throws(ConfigurationError) in try collector.throwIfAny() }
            throw RulePackError.invalid(.invalid([]))
        }
        _ = map.int("format", in: 1...1)
        let id = map.string("id", required: true, nonEmpty: true) ?? ""
        if let node = map.node("id"), !id.isEmpty, !isValidRuleID(id) {
            collector.report(.invalidValue, "invalid rule id '\(id)': expected lower-case namespace/name, e.g. privacy/exact-copy", at: node)
        }
        let kind = map.string("check", required: true, nonEmpty: true) ?? ""
        var specs: [ParameterSpec] = []
        if let node = map.node("check"), !kind.isEmpty {
            if let found = CheckRegistry.parameters(kind: kind) {
                specs = found
            } else {
                var message = "unknown check kind '\(kind)'"
                if let guess = EditDistance.suggestion(for: kind, among: CheckRegistry.kinds) { message += " (did you mean '\(guess)'?)" }
                else { message += " (known kinds: \(CheckRegistry.kinds.joined(separator: ", ")))" }
                collector.report(.invalidValue, message, at: node)
            }
        }
        let summary = map.string("summary", required: true, nonEmpty: true) ?? ""
        let description = map.string("description", required: true, nonEmpty: true) ?? ""
        let help = map.string("help", required: true, nonEmpty: true) ?? ""
        let severity = map.enumValue("severity", as: Severity.self, required: true) ?? .warning
        if let s = map.node("security-severity"), let v = values.double(s, at: "security-severity"), !(v > 0 && v <= 10) {
            collector.report(.invalidValue, "invalid value for 'security-severity': expected a number in (0, 10], found \(v)", at: s)
        }
        _ = map.choice("precision", from: ["very-high", "high", "medium", "low"])
        let tags = map.stringList("tags", unique: true) ?? []
        let references = map.stringList("references") ?? []
        var parameters: [String: String] = [:]
        for spec in specs { parameters[spec.name] = spec.defaultValue }
        if let params = map.mapping("params") {
            let names = specs.map(\.name)
            if !specs.isEmpty { params.reportUnknownKeys(allowed: names) }
            for entry in params.entries where names.contains(entry.key) {
                switch entry.value {
                case .scalar(let scalar): parameters[entry.key] = scalar.string
                case .sequence:
                    if let list = values.stringList(entry.value, at: params.path(of: entry.key)) {
                        parameters[entry.key] = list.joined(separator: ",")
                    }
                default: values.reportWrongType(entry.value, at: params.path(of: entry.key), expected: "a scalar or a list")
                }
            }
        }
        try RulePackLoader.wrap { () throws(ConfigurationError) in try collector.throwIfAny() }
        return RuleDescriptor(id: id, check: kind, summary: summary, description: description, help: help,
                              severity: severity, tags: tags, references: references, parameters: parameters, pack: pack)
    }

    /// `namespace/name` (more segments allowed), lower-case letters, digits and `-`.
    static func isValidRuleID(_ id: String) -> Bool {
        let segments = id.split(separator: "/", omittingEmptySubsequences: false)
        return segments.count >= 2 && segments.allSatisfy { seg in
            !seg.isEmpty && seg.allSatisfy { $0.isLowercase && $0.isASCII || $0.isNumber && $0.isASCII || $0 == "-" }
        }
    }
}

/// The effective rule set: the embedded core pack plus any packs the user adds.
public enum RuleCatalog {
    /// The core pack, from the copy embedded in the binary.
    public static func corePack() throws -> RulePackLoader.Pack {
        let files = Dictionary(uniqueKeysWithValues: EmbeddedCorePack.files.map { ($0.path, $0.text) })
        return try RulePackLoader.load(folderName: "Rules/core") { relative in
            guard let text = files[relative] else { throw RulePackError.notAPack(path: "Rules/core/" + relative) }
            return text
        }
    }

    /// The core rules plus the rules of the packs in `packPaths`, sorted by id; ids must be unique.
    public static func load(packPaths: [String]) throws -> [RuleDescriptor] {
        var packs = [try corePack()]
        for path in packPaths { packs.append(try RulePackLoader.load(folder: path)) }
        var seen: [String: String] = [:]
        var rules: [RuleDescriptor] = []
        for pack in packs {
            for rule in pack.rules {
                if let first = seen[rule.id] {
                    throw RulePackError.duplicateRuleID(id: rule.id, first: first, second: pack.ruleFiles[rule.id] ?? pack.id)
                }
                seen[rule.id] = pack.ruleFiles[rule.id] ?? pack.id
                rules.append(rule)
            }
        }
        return rules.sorted { $0.id < $1.id }
    }
}
