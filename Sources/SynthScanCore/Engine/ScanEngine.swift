import Foundation

/// Runs a scan: loads the tables, runs every enabled rule, and returns a `ScanResult`. Never prints.
public enum ScanEngine {
    /// Loads the inputs of `configuration` and runs the enabled rules of `ruleSet` over them.
    ///
    /// `observer`, when given, is told of each phase as it starts and ends (for progress display);
    /// it never changes the result.
    public static func run(configuration: ScanConfiguration, ruleSet: EffectiveRuleSet, commandLine: [String],
                           observer: ScanObserver? = nil) throws -> ScanResult {
        let start = Date()
        let data = try load(configuration, observer: observer)
        return try run(data: data, configuration: configuration, ruleSet: ruleSet, commandLine: commandLine, startTime: start,
                       observer: observer)
    }

    /// Loads the inputs of `configuration`, telling `observer` of each table.
    public static func load(_ configuration: ScanConfiguration, observer: ScanObserver? = nil) throws -> LoadedDatasets {
        observer?(.loadStarted)
        let loadStart = DispatchTime.now().uptimeNanoseconds
        let data = try DatasetLoader.load(configuration)
        if let observer {
            let loadSeconds = ScanEvent.seconds(since: loadStart)
            for table in data.tables {
                observer(.tableLoaded(role: table.role, rows: table.rowCount, bytes: table.source.byteCount, seconds: loadSeconds))
            }
        }
        return data
    }

    /// Runs the enabled rules of `ruleSet` over tables already loaded.
    ///
    /// `preloaded` (a merged sharded scan, see `ShardedScan.merge`) installs complete
    /// nearest-record passes so that they are not computed again; a pass a rule asks for that is
    /// not among them is computed here, and the result then carries a `pass-not-in-partials`
    /// warning naming it. `nil`: an ordinary scan.
    public static func run(data: LoadedDatasets, configuration: ScanConfiguration, ruleSet: EffectiveRuleSet,
                           commandLine: [String], startTime: Date = Date(),
                           preloaded: [NeighbourPass: NearestRecords]? = nil, observer: ScanObserver? = nil) throws -> ScanResult {
        var passProgress: (@Sendable (NeighbourPassProgress) -> Void)?
        if let observer {
            // The observer is told pass progress from worker threads, one call at a time (see ScanObserver).
            nonisolated(unsafe) let observe = observer
            passProgress = { progress in observe(.neighbourPass(progress)) }
        }
        let context = ScanContext(data: data, configuration: configuration, passProgress: passProgress)
        for (pass, records) in preloaded ?? [:] { context.preload(pass, records) }
        let outcomes = try evaluate(rules: ruleSet.enabledRules, context: context, waivers: ruleSet.waivers, observer: observer)
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
        if preloaded != nil {
            for run in context.neighbourPassRuns {
                notifications.append(ScanNotification(
                    level: .warning, code: "pass-not-in-partials",
                    message: "The nearest-record pass \(run.pass) was in none of the partial results, so the merge computed it (\(run.queryRows) query rows); were the shards run with other rules or settings?"))
            }
        }
        var result = ScanResult(startTime: startTime, endTime: Date(), commandLine: commandLine, seed: configuration.seed,
                                inputs: inputs, columns: data.schema.columns, outcomes: outcomes,
                                notifications: notifications, failOn: configuration.failOn)
        result.rulePacks = ruleSet.packs
        result.neighbourPassRuns = context.neighbourPassRuns
        result.disabledRules = ruleSet.rules.filter { !$0.enabled }.map {
            DisabledRule(id: $0.id, pack: $0.disabledBy ?? "", reason: $0.disabledReason ?? "")
        }
        return result
    }

    /// Runs each rule's check, renders its message template and applies waivers; outcomes come back sorted by rule id.
    /// `observer`, when given, hears `.ruleStarted` / `.ruleFinished` around each rule (in run order).
    public static func evaluate(rules: [RuleDescriptor], context: ScanContext, waivers: [Waiver] = [],
                                observer: ScanObserver? = nil) throws -> [RuleOutcome] {
        let sorted = rules.sorted { $0.id < $1.id }
        // Before any rule runs: nearest-only requests are then served by a two-neighbour pass another rule needs.
        context.expectSecondNearest(for: sorted)
        return try sorted.enumerated().map { index, rule in
            guard let check = CheckRegistry.check(kind: rule.check) else {
                throw CheckError.unknownKind(rule: rule.id, kind: rule.check)
            }
            observer?(.ruleStarted(index: index + 1, count: sorted.count, id: rule.id))
            let ruleStart = DispatchTime.now().uptimeNanoseconds
            var outcome = try check.run(rule: rule, context: context)
            observer?(.ruleFinished(index: index + 1, count: sorted.count, id: rule.id, seconds: ScanEvent.seconds(since: ruleStart)))
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

/// Receives scan phases as they happen (progress display, benchmarks). Called on the scanning
/// thread, except `.neighbourPass`, which comes from the pass's worker threads (one at a time).
public typealias ScanObserver = (ScanEvent) -> Void

/// A phase of a scan. Carries names, counts and timings only, never data values.
public enum ScanEvent: Sendable, Equatable {
    /// Reading the input files (in parallel) has begun.
    case loadStarted
    /// A table is loaded and aligned; `seconds` is the wall time of the whole (parallel) load.
    case tableLoaded(role: TableRole, rows: Int, bytes: Int, seconds: Double)
    /// Rule `index` of `count` (1-based, in run order) is starting.
    case ruleStarted(index: Int, count: Int, id: String)
    /// Rule `index` of `count` finished after `seconds` of wall time.
    case ruleFinished(index: Int, count: Int, id: String, seconds: Double)
    /// A nearest-record pass of the running rule started (0 done), advanced or finished (done = total).
    case neighbourPass(NeighbourPassProgress)

    static func seconds(since start: UInt64) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
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
