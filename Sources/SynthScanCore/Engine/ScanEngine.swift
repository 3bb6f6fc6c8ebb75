import Foundation

/// Runs a scan: loads the tables, runs every rule, and returns a `ScanResult`. Never prints.
public enum ScanEngine {
    /// Loads the inputs of `configuration` and runs `rules` over them.
    public static func run(configuration: ScanConfiguration, rules: [RuleDescriptor], commandLine: [String]) throws -> ScanResult {
        let start = Date()
        let data = try DatasetLoader.load(configuration)
        let context = ScanContext(data: data, configuration: configuration)
        let outcomes = try evaluate(rules: rules, context: context)
        let root = configuration.sourceRoot ?? FileManager.default.currentDirectoryPath
        let inputs = data.tables.map { table in
            InputSummary(role: table.role, path: table.source.path, uri: ReportPaths.relativeURI(table.source.path, root: root),
                         format: table.source.format, byteCount: table.source.byteCount, rowCount: table.rowCount,
                         columnCount: table.columns.count)
        }
        return ScanResult(startTime: start, endTime: Date(), commandLine: commandLine, seed: configuration.seed,
                          inputs: inputs, columns: data.schema.columns, outcomes: outcomes,
                          notifications: data.notifications, failOn: configuration.failOn)
    }

    /// Runs each rule's check; outcomes come back sorted by rule id.
    public static func evaluate(rules: [RuleDescriptor], context: ScanContext) throws -> [RuleOutcome] {
        try rules.sorted { $0.id < $1.id }.map { rule in
            guard let check = CheckRegistry.check(kind: rule.check) else {
                throw CheckError.invalidParameter(rule: rule.id, name: "check", reason: "names unknown check kind '\(rule.check)'")
            }
            return try check.run(rule: rule, context: context)
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
