import Foundation

/// Runs a scan: loads the tables, runs every enabled rule, and returns a `ScanResult`. Never prints.
public enum ScanEngine {
    /// Loads the inputs of `configuration` and runs the enabled rules of `ruleSet` over them.
    public static func run(configuration: ScanConfiguration, ruleSet: EffectiveRuleSet, commandLine: [String]) throws -> ScanResult {
        let start = Date()
        let data = try DatasetLoader.load(configuration)
        let context = ScanContext(data: data, configuration: configuration)
        let outcomes = try evaluate(rules: ruleSet.enabledRules, context: context, waivers: ruleSet.waivers)
        let root = configuration.sourceRoot ?? FileManager.default.currentDirectoryPath
        let inputs = data.tables.map { table in
            InputSummary(role: table.role, path: table.source.path, uri: ReportPaths.relativeURI(table.source.path, root: root),
                         format: table.source.format, byteCount: table.source.byteCount, rowCount: table.rowCount,
                         columnCount: table.columns.count)
        }
        var notifications = data.notifications
        for warning in ruleSet.warnings where warning.code != .missingTests {
            notifications.append(ScanNotification(level: .warning, code: warning.code.rawValue, message: warning.description))
        }
        var result = ScanResult(startTime: start, endTime: Date(), commandLine: commandLine, seed: configuration.seed,
                                inputs: inputs, columns: data.schema.columns, outcomes: outcomes,
                                notifications: notifications, failOn: configuration.failOn)
        result.rulePacks = ruleSet.packs
        result.disabledRules = ruleSet.rules.filter { !$0.enabled }.map {
            DisabledRule(id: $0.id, pack: $0.disabledBy ?? "", reason: $0.disabledReason ?? "")
        }
        return result
    }

    /// Runs each rule's check, renders its message template and applies waivers; outcomes come back sorted by rule id.
    public static func evaluate(rules: [RuleDescriptor], context: ScanContext, waivers: [Waiver] = []) throws -> [RuleOutcome] {
        try rules.sorted { $0.id < $1.id }.map { rule in
            guard let check = CheckRegistry.check(kind: rule.check) else {
                throw CheckError.unknownKind(rule: rule.id, kind: rule.check)
            }
            var outcome = try check.run(rule: rule, context: context)
            // A skipped rule keeps the check's own explanation of why it could not run.
            if outcome.status != .skipped, let text = rule.messageTemplate, let template = try? MessageTemplate(text) {
                outcome.message = template.render { name in
                    if let v = outcome.measurement(name) { return .number(v) }
                    switch rule.parameters[name] {
                    case .integer(let v)?: return .number(Double(v))
                    case .number(let v)?: return .number(v)
                    case let value?: return .text(value.description)
                    case nil: return nil
                    }
                }
            }
            try SliceRunner.apply(to: &outcome, rule: rule, check: check, context: context)
            apply(waivers.filter { $0.ruleID == rule.id }, to: &outcome)
            return outcome
        }
    }

    /// Whether a waived subgroup covers the subgroup `key`: the same cell, or an intersection that
    /// contains it (`race=X` covers `race=X & sex=F`). Keys join their parts with " & ".
    static func covers(_ waived: [String], _ key: String) -> Bool {
        let parts = Set(key.components(separatedBy: " & "))
        return waived.contains { Set($0.components(separatedBy: " & ")).isSubset(of: parts) }
    }

    /// Marks the outcome (whole-rule waiver) or its findings (fingerprint or subgroup waivers) as waived.
    static func apply(_ waivers: [Waiver], to outcome: inout RuleOutcome) {
        for waiver in waivers {
            if waiver.coversWholeRule {
                outcome.waiver = waiver
                for i in outcome.findings.indices where outcome.findings[i].suppression == nil { outcome.findings[i].suppression = waiver }
            } else {
                for i in outcome.findings.indices where outcome.findings[i].suppression == nil {
                    let f = outcome.findings[i]
                    if waiver.fingerprints.contains(f.fingerprint) || f.location.subgroup.map({ covers(waiver.subgroups, $0) }) == true {
                        outcome.findings[i].suppression = waiver
                    }
                }
            }
        }
    }
}

/// Paths as reports show them.
public enum ReportPaths {
    /// `path` relative to `root` with `/` separators when it lies under `root`, else `path` normalised.
    public static func relativeURI(_ path: String, root: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var base = URL(fileURLWithPath: root).standardizedFileURL.path
        if !base.hasSuffix("/") { base += "/" }
        if absolute.hasPrefix(base) { return String(absolute.dropFirst(base.count)) }
        return absolute
    }
}
