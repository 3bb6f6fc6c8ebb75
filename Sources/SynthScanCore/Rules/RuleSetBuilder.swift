import Yams

/// The rules a scan runs, after every pack's additions, overrides, selection and waivers.
public struct EffectiveRuleSet: Sendable {
    /// Packs in the order they were applied (base first).
    public var packs: [PackSummary]
    /// Ids of the root packs (those named on the command line or in the config; the core pack by default).
    public var rootPackIDs: [String] = []
    /// Every rule, enabled or not, sorted by id.
    public var rules: [EffectiveRule]
    /// Waivers in force (unexpired).
    public var waivers: [Waiver]
    /// Problems that did not stop loading (expired waivers, rules without self-tests, ...).
    public var warnings: [ConfigDiagnostic]

    /// The rules that run, sorted by id.
    public var enabledRules: [RuleDescriptor] { rules.filter(\.enabled).map(\.descriptor) }

    /// The rule called `id`.
    public func rule(_ id: String) -> EffectiveRule? { rules.first { $0.id == id } }
}

/// Applies packs one after another (base first) to build the effective rule set.
struct RuleSetBuilder {
    /// Keys of one entry of `overrides`.
    static let overrideKeys = ["severity", "security-severity", "params", "by", "enabled", "reason", "tags", "tags+", "message"]
    /// Keys a rule has that an override may not change.
    static let immutableKeys = ["check", "id", "summary", "description", "help", "references", "tests", "precision"]
    /// Keys of a `select` predicate.
    static let predicateKeys = ["ids", "tags", "kinds", "severity", "precision", "packs"]
    /// Keys of one waiver.
    static let waiverKeys = ["rule", "fingerprints", "reason", "approved_by", "expires"]

    /// Where problems go.
    let diagnostics: PackDiagnostics
    /// Today (`yyyy-mm-dd`), for waiver expiry.
    let today: String
    private var rules: [String: EffectiveRule] = [:]
    private var packs: [ParsedPack] = []
    private var waivers: [Waiver] = []
    /// Ids of rules whose files had errors: other references to them are not reported again.
    private var brokenRuleIDs: Set<String> = []

    init(diagnostics: PackDiagnostics, today: String) {
        self.diagnostics = diagnostics
        self.today = today
    }

    /// Adds `pack`'s rules, then applies its overrides, selection, disables and waivers.
    mutating func apply(_ pack: ParsedPack) {
        packs.append(pack)
        addRules(of: pack)
        guard let manifest = pack.manifest else { return }
        let values = manifest.values
        if let overrides = manifest.mapping("overrides") { applyOverrides(overrides, pack: pack, values: values) }
        if let node = manifest.node("select") { applySelection(node, pack: pack, values: values) }
        if let node = manifest.node("disable") { applyDisables(node, pack: pack, values: values) }
        if let node = manifest.node("waivers") { readWaivers(node, pack: pack, values: values) }
        diagnostics.absorb(pack.collector)
    }

    /// The result, rules sorted by id.
    func result(warnings: [ConfigDiagnostic]) -> EffectiveRuleSet {
        EffectiveRuleSet(packs: packs.map(\.summary), rules: rules.values.sorted { $0.id < $1.id },
                         waivers: waivers, warnings: warnings)
    }

    private mutating func addRules(of pack: ParsedPack) {
        for relative in pack.ruleFiles {
            let file = pack.source.displayPath(of: relative)
            let collector = diagnostics.collector(for: file)
            defer { diagnostics.absorb(collector) }
            let text: String
            do { text = try pack.read(relative) } catch {
                for d in error.diagnostics { diagnostics.add(d) }
                continue
            }
            let parser = RuleFileParser(collector: collector, source: pack.source, packID: pack.id)
            guard let definition = parser.parse(text: text, relative: relative) else {
                if let document = try? YAMLDocument.parse(text, file: file, limits: RulePackLoader.limits),
                   case .mapping(let map)? = document.root, let id = map["id"]?.string {
                    brokenRuleIDs.insert(id)
                }
                continue
            }
            for test in definition.tests {
                for case .file(let fixture) in test.tables.values {
                    do { _ = try pack.read(fixture) } catch {
                        let cause = error.diagnostics.first
                        collector.report(cause?.code ?? .fileNotFound, "self-test '\(test.name)': fixture '\(fixture)' cannot be read: \(cause?.message ?? "")",
                                         at: test.position)
                    }
                }
            }
            let triggering = definition.tests.contains(where: \.triggers)
            let passing = definition.tests.contains { $0.expectedStatus == .pass }
            if !triggering || !passing {
                let missing = [triggering ? nil : "triggering (expect: fail)", passing ? nil : "non-triggering (expect: pass)"].compactMap { $0 }
                diagnostics.add(ConfigDiagnostic(file: file, line: definition.position?.line, column: definition.position?.column,
                                                 severity: .warning, code: .missingTests,
                                                 message: "rule '\(definition.descriptor.id)' has no \(missing.joined(separator: " and no ")) self-test; every rule needs both"))
            }
            if let existing = rules[definition.descriptor.id] {
                let place = existing.definition.position.map { "\(existing.definition.file):\($0.line)" } ?? existing.definition.file
                collector.report(.duplicateRuleID,
                                 "rule id '\(definition.descriptor.id)' is already defined in \(place); choose a new id (an institution rule needs its own namespace, e.g. acme/...)",
                                 at: definition.position)
                continue
            }
            rules[definition.descriptor.id] = EffectiveRule(definition: definition, descriptor: definition.descriptor, enabled: true, disabledReason: nil,
                                                            disabledBy: nil, overrides: [])
        }
    }

    /// Reports `id` as unknown at `node`, suggesting the closest rule id.
    private func reportUnknownRule(_ id: String, at node: Node, in collector: DiagnosticCollector, what: String) {
        // The rule's own file failed to load and says why; a second error here would only mislead.
        if brokenRuleIDs.contains(id) { return }
        var message = "\(what) names rule '\(id)', which no loaded pack defines"
        if let guess = EditDistance.suggestion(for: id, among: Array(rules.keys)) { message += " (did you mean '\(guess)'?)" }
        collector.report(.unknownRule, message, at: node)
    }

    private mutating func applyOverrides(_ overrides: YAMLMappingReader, pack: ParsedPack, values: YAMLValueReader) {
        let collector = pack.collector
        for entry in overrides.entries {
            guard var rule = rules[entry.key] else {
                reportUnknownRule(entry.key, at: entry.keyNode, in: collector, what: "override")
                continue
            }
            guard let map = YAMLMappingReader(entry.value, at: overrides.path(of: entry.key), values: values) else { continue }
            for key in map.keys where Self.immutableKeys.contains(key) {
                let node = map.entries.first { $0.key == key }!.keyNode
                let message = key == "check"
                    ? "an override cannot change the check kind of '\(entry.key)': a different check needs a new rule id"
                    : "an override cannot change '\(key)' of '\(entry.key)': it defines what the rule is; write a new rule instead"
                collector.report(.immutableField, message, at: node)
            }
            map.reportUnknownKeys(allowed: Self.overrideKeys + Self.immutableKeys)
            var descriptor = rule.descriptor
            if let severity = map.enumValue("severity", as: Severity.self), severity != descriptor.severity {
                rule.overrides.append(RuleOverrideRecord(pack: pack.id, change: "severity: \(descriptor.severity.rawValue) → \(severity.rawValue)"))
                descriptor.severity = severity
                descriptor.provenance["severity"] = pack.id
            }
            if let node = map.node("security-severity"), let v = values.double(node, at: map.path(of: "security-severity")) {
                if v > 0 && v <= 10 {
                    descriptor.securitySeverity = v
                    descriptor.provenance["security-severity"] = pack.id
                } else {
                    collector.report(.invalidValue, "invalid value for 'security-severity': expected a number in (0, 10], found \(ParameterValue.format(v))", at: node)
                }
            }
            if let params = map.mapping("params"), let reader = ParameterReader(kind: descriptor.check, values: values) {
                for (name, value) in reader.read(params).sorted(by: { $0.key < $1.key }) where descriptor.parameters[name] != value {
                    let old = descriptor.parameters[name].map(\.description) ?? "unset"
                    rule.overrides.append(RuleOverrideRecord(pack: pack.id, change: "\(name): \(old) → \(value)"))
                    descriptor.parameters[name] = value
                    descriptor.provenance[name] = pack.id
                }
            }
            if let node = map.node("by"), let list = values.stringList(node, at: map.path(of: "by"), unique: true) {
                if list.count > 2 {
                    collector.report(.invalidValue, "'by' names \(list.count) columns; a rule can be sliced by one column or the intersections of two", at: node)
                } else if list != descriptor.sliceBy {
                    rule.overrides.append(RuleOverrideRecord(pack: pack.id, change: "by: [\(descriptor.sliceBy.joined(separator: ", "))] → [\(list.joined(separator: ", "))]"))
                    descriptor.sliceBy = list
                    descriptor.provenance["by"] = pack.id
                }
            }
            if let tags = map.stringList("tags", unique: true, nonEmpty: true) {
                descriptor.tags = tags
                descriptor.provenance["tags"] = pack.id
                rule.overrides.append(RuleOverrideRecord(pack: pack.id, change: "tags: [\(tags.joined(separator: ", "))]"))
            }
            if let added = map.stringList("tags+", unique: true, nonEmpty: true) {
                let new = added.filter { !descriptor.tags.contains($0) }
                descriptor.tags += new
                descriptor.provenance["tags"] = pack.id
                if !new.isEmpty { rule.overrides.append(RuleOverrideRecord(pack: pack.id, change: "tags+: [\(new.joined(separator: ", "))]")) }
            }
            if let node = map.node("message"), let text = values.string(node, at: map.path(of: "message"), nonEmpty: true) {
                TemplateValidator(collector: collector).validate(text, node: node, kind: descriptor.check, parameters: descriptor.parameters)
                descriptor.messageTemplate = text
                descriptor.provenance["message"] = pack.id
                rule.overrides.append(RuleOverrideRecord(pack: pack.id, change: "message"))
            }
            let reason = map.string("reason", nonEmpty: true)
            if let enabled = map.bool("enabled") {
                if enabled {
                    if !rule.enabled { rule.overrides.append(RuleOverrideRecord(pack: pack.id, change: "enabled")) }
                    rule.enabled = true
                    rule.disabledReason = nil
                    rule.disabledBy = nil
                } else if let reason {
                    disable(&rule, reason: reason, by: pack.id)
                } else {
                    collector.report(.missingKey, "disabling '\(entry.key)' needs a 'reason' (it is recorded in every report)",
                                     at: map.entries.first { $0.key == "enabled" }!.keyNode)
                }
            }
            rule.descriptor = descriptor
            rules[entry.key] = rule
        }
    }

    private func disable(_ rule: inout EffectiveRule, reason: String, by pack: String) {
        rule.enabled = false
        rule.disabledReason = reason
        rule.disabledBy = pack
        rule.overrides.append(RuleOverrideRecord(pack: pack, change: "disabled: \(reason)"))
    }

    private mutating func applyDisables(_ node: Node, pack: ParsedPack, values: YAMLValueReader) {
        guard case .sequence(let items) = node else {
            values.reportWrongType(node, at: "disable", expected: "a list of {rule, reason}")
            return
        }
        for (index, item) in items.enumerated() {
            guard let map = YAMLMappingReader(item, at: "disable[\(index)]", values: values, allowedKeys: ["rule", "reason"]) else { continue }
            let id = map.string("rule", required: true, nonEmpty: true)
            let reason = map.string("reason", required: true, nonEmpty: true)
            guard let id, let reason else { continue }
            guard var rule = rules[id] else {
                reportUnknownRule(id, at: map.node("rule")!, in: pack.collector, what: "'disable'")
                continue
            }
            disable(&rule, reason: reason, by: pack.id)
            rules[id] = rule
        }
    }

    /// `select`: include/exclude steps in order. A first `include` starts from nothing; otherwise from every enabled rule.
    private mutating func applySelection(_ node: Node, pack: ParsedPack, values: YAMLValueReader) {
        guard case .sequence(let items) = node else {
            values.reportWrongType(node, at: "select", expected: "a list of {include: ...} or {exclude: ...}")
            return
        }
        var selected: Set<String>?
        for (index, item) in items.enumerated() {
            let path = "select[\(index)]"
            guard let step = YAMLMappingReader(item, at: path, values: values, allowedKeys: ["include", "exclude"]) else { continue }
            guard step.entries.count == 1, let entry = step.entries.first else {
                values.diagnostics.report(.invalidValue, "each 'select' step is exactly one of 'include' or 'exclude'", at: item)
                continue
            }
            guard let predicate = readPredicate(entry.value, at: step.path(of: entry.key), values: values, collector: pack.collector) else { continue }
            let matching = Set(rules.values.filter { predicate.matches($0) }.map(\.id))
            if entry.key == "include" {
                selected = (selected ?? []).union(matching)
            } else {
                selected = (selected ?? Set(rules.values.filter(\.enabled).map(\.id))).subtracting(matching)
            }
        }
        guard let selected else { return }
        for id in rules.keys.sorted() where !selected.contains(id) && rules[id]!.enabled {
            disable(&rules[id]!, reason: "not selected by pack '\(pack.id)'", by: pack.id)
        }
    }

    private func readPredicate(_ node: Node, at path: String, values: YAMLValueReader, collector: DiagnosticCollector) -> RulePredicate? {
        guard let map = YAMLMappingReader(node, at: path, values: values, allowedKeys: Self.predicateKeys) else { return nil }
        if map.entries.isEmpty {
            values.diagnostics.report(.missingKey, "'\(path)' needs at least one of: \(Self.predicateKeys.joined(separator: ", "))", at: node)
            return nil
        }
        var predicate = RulePredicate()
        if let ids = map.stringList("ids", nonEmpty: true) {
            for (offset, text) in ids.enumerated() {
                do {
                    let pattern = try GlobPattern(text)
                    predicate.ids.append(pattern)
                    if pattern.isLiteral, rules[text] == nil, let item = Self.item(offset, of: map.node("ids")!) {
                        reportUnknownRule(text, at: item, in: collector, what: "'select'")
                    }
                } catch {
                    values.diagnostics.report(.invalidValue, "invalid rule id pattern '\(text)': \(error)", at: map.node("ids")!)
                }
            }
        }
        predicate.tags = map.stringList("tags", nonEmpty: true)
        predicate.kinds = map.stringList("kinds", nonEmpty: true)
        if let kinds = predicate.kinds, let node = map.node("kinds") {
            for kind in kinds where !CheckRegistry.kinds.contains(kind) {
                values.diagnostics.report(.unknownCheckKind, "unknown check kind '\(kind)'; known kinds: \(CheckRegistry.kinds.joined(separator: ", "))", at: node)
            }
        }
        if let node = map.node("severity"), let list = values.stringList(node, at: map.path(of: "severity")) {
            predicate.severities = list.compactMap { text in
                guard let s = Severity(rawValue: text) else {
                    values.reportInvalid(node, at: map.path(of: "severity"), value: text, expected: "error, warning or note")
                    return nil
                }
                return s
            }
        }
        if let node = map.node("precision"), let list = values.stringList(node, at: map.path(of: "precision")) {
            for p in list where !RuleFileParser.precisions.contains(p) {
                values.reportInvalid(node, at: map.path(of: "precision"), value: p, expected: RuleFileParser.precisions.joined(separator: ", "))
            }
            predicate.precisions = list
        }
        predicate.packs = map.stringList("packs", nonEmpty: true)
        return predicate
    }

    private static func item(_ index: Int, of node: Node) -> Node? {
        if case .sequence(let seq) = node, index < seq.count { return seq[index] }
        return node
    }

    private mutating func readWaivers(_ node: Node, pack: ParsedPack, values: YAMLValueReader) {
        guard case .sequence(let items) = node else {
            values.reportWrongType(node, at: "waivers", expected: "a list of {rule, reason, ...}")
            return
        }
        for (index, item) in items.enumerated() {
            guard let map = YAMLMappingReader(item, at: "waivers[\(index)]", values: values, allowedKeys: Self.waiverKeys) else { continue }
            let id = map.string("rule", required: true, nonEmpty: true)
            let reason = map.string("reason", required: true, nonEmpty: true)
            let fingerprints = map.stringList("fingerprints", unique: true, nonEmpty: true) ?? []
            if let node = map.node("fingerprints") {
                for (offset, f) in fingerprints.enumerated() where !(f.count == 16 && f.allSatisfy(\.isHexDigit)) {
                    values.reportInvalid(Self.item(offset, of: node) ?? node, at: map.path(of: "fingerprints"), value: f, expected: "a 16-digit hex finding fingerprint, as reports print it")
                }
            }
            let approvedBy = map.string("approved_by", nonEmpty: true)
            var expires: String?
            if let node = map.node("expires"), let text = values.string(node, at: map.path(of: "expires")) {
                if Self.isISODate(text) { expires = text } else {
                    values.reportInvalid(node, at: map.path(of: "expires"), value: text, expected: "a date such as 2027-03-31")
                }
            }
            guard let id, let reason else { continue }
            guard rules[id] != nil else {
                reportUnknownRule(id, at: map.node("rule")!, in: pack.collector, what: "waiver")
                continue
            }
            let waiver = Waiver(ruleID: id, fingerprints: fingerprints, reason: reason, approvedBy: approvedBy, expires: expires,
                                pack: pack.id, file: pack.manifestFile, line: YAMLNodeKind.position(item)?.line)
            if waiver.isExpired(today: today) {
                var warning = ConfigDiagnostic(file: pack.manifestFile, line: YAMLNodeKind.position(item)?.line,
                                               column: YAMLNodeKind.position(item)?.column, severity: .warning, code: "expired-waiver",
                                               message: "waiver for '\(id)' expired on \(expires!) and no longer applies; renew or remove it")
                warning.severity = .warning
                diagnostics.add(warning)
                continue
            }
            waivers.append(waiver)
        }
    }

    /// `yyyy-mm-dd` with a plausible month and day.
    static func isISODate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let month = Int(parts[1]), let day = Int(parts[2]) else { return false }
        return (1...12).contains(month) && (1...31).contains(day)
    }
}

/// A `select` predicate: every stated key must match (within a key, any listed value).
struct RulePredicate {
    var ids: [GlobPattern] = []
    var tags: [String]?
    var kinds: [String]?
    var severities: [Severity]?
    var precisions: [String]?
    var packs: [String]?

    func matches(_ rule: EffectiveRule) -> Bool {
        let d = rule.descriptor
        if !ids.isEmpty, !ids.contains(where: { $0.matches(d.id) }) { return false }
        if let tags, !tags.contains(where: d.tags.contains) { return false }
        if let kinds, !kinds.contains(d.check) { return false }
        if let severities, !severities.contains(d.severity) { return false }
        if let precisions, !precisions.contains(d.precision ?? "") { return false }
        if let packs, !packs.contains(d.pack) { return false }
        return true
    }
}
