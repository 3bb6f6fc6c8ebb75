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
        var observer = observer
        if let plain = observer {
            // Pass progress comes from worker threads, rule events from concurrent rules: one lock
            // serialises both (see ScanObserver).
            let serial = SerialObserver(plain)
            observer = { serial.report($0) }
            passProgress = { progress in serial.report(.neighbourPass(progress)) }
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
    /// `observer`, when given, hears `.ruleStarted` / `.ruleFinished` around each rule, one call at a time
    /// (see `evaluate(rules:context:waivers:observer:concurrency:)` for the order rules run in).
    public static func evaluate(rules: [RuleDescriptor], context: ScanContext, waivers: [Waiver] = [],
                                observer: ScanObserver? = nil) throws -> [RuleOutcome] {
        try evaluate(rules: rules, context: context, waivers: waivers, observer: observer, concurrency: 2)
    }

    /// Runs the rules in two phases and returns their outcomes in id order, exactly as a strictly
    /// sequential run in id order would (each check is pure and reads only shared, cached inputs).
    ///
    /// - Phase 1: the rules whose check uses nearest-record passes (`Check.usesNearestRecordPasses`),
    ///   one after another in id order. They dominate long scans and already use every core inside
    ///   their passes; running them alone also keeps the passes' order and progress reports as before.
    /// - Phase 2: every other rule, `concurrency` at a time on `Parallel`'s workers. Each worker takes
    ///   the next rule in id order from a shared counter (`RuleQueue`) when it is free, so a slow rule
    ///   holds up only its own worker. Message rendering, slicing and waivers stay with each rule.
    ///
    /// `context.expectSecondNearest(for:)` is told every rule before any runs. The observer is
    /// serialised with a lock (`SerialObserver`); event indices are positions in the id-sorted list.
    /// If rules throw, the error is the one the sequential run would have thrown: that of the
    /// failing rule with the lowest id. `concurrency` 1 is the strictly sequential engine (in id order).
    static func evaluate(rules: [RuleDescriptor], context: ScanContext, waivers: [Waiver], observer: ScanObserver?,
                         concurrency: Int) throws -> [RuleOutcome] {
        let sorted = rules.sorted { $0.id < $1.id }
        // Before any rule runs: nearest-only requests are then served by a two-neighbour pass another rule needs.
        context.expectSecondNearest(for: sorted)
        let observe = observer.map(SerialObserver.init)
        func run(_ index: Int) -> Result<RuleOutcome, any Error> {
            Result { try runRule(sorted[index], index: index, count: sorted.count, context: context, waivers: waivers, observer: observe) }
        }
        guard concurrency > 1 else {
            return try sorted.indices.map { try run($0).get() }
        }
        var results = [Result<RuleOutcome, any Error>?](repeating: nil, count: sorted.count)
        let usesPasses = sorted.map { CheckRegistry.type(kind: $0.check)?.usesNearestRecordPasses == true }
        // Phase 1. After a failure, no rule with a higher id matters (sequentially it would not run).
        var firstFailure = sorted.count
        for index in sorted.indices where usesPasses[index] {
            let result = run(index)
            results[index] = result
            if case .failure = result { firstFailure = index; break }
        }
        // Phase 2: the other rules that come before any phase-1 failure.
        let others = sorted.indices.filter { !usesPasses[$0] && $0 < firstFailure }
        let queue = RuleQueue(count: others.count)
        let batches = Parallel.map(min(concurrency, others.count)) { _ in
            var done: [(index: Int, result: Result<RuleOutcome, any Error>)] = []
            while let k = queue.next() {
                let result = run(others[k])
                if case .failure = result { queue.failed(at: k) }
                done.append((others[k], result))
            }
            return done
        }
        for batch in batches { for (index, result) in batch { results[index] = result } }
        // In id order: the first failure is the lowest-id one; every slot before it is filled.
        var outcomes: [RuleOutcome] = []
        outcomes.reserveCapacity(sorted.count)
        for (index, result) in results.enumerated() {
            guard let result else { preconditionFailure("rule \(sorted[index].id) did not run, and no rule before it failed") }
            outcomes.append(try result.get())
        }
        return outcomes
    }

    /// Runs one rule (position `index` of `count` in id order): its check, message template,
    /// slices and waivers, telling `observer` when it starts and finishes.
    private static func runRule(_ rule: RuleDescriptor, index: Int, count: Int, context: ScanContext, waivers: [Waiver],
                                observer: SerialObserver?) throws -> RuleOutcome {
        guard let check = CheckRegistry.check(kind: rule.check) else {
            throw CheckError.unknownKind(rule: rule.id, kind: rule.check)
        }
        observer?.report(.ruleStarted(index: index + 1, count: count, id: rule.id))
        let ruleStart = DispatchTime.now().uptimeNanoseconds
        var outcome = try check.run(rule: rule, context: context)
        observer?.report(.ruleFinished(index: index + 1, count: count, id: rule.id, seconds: ScanEvent.seconds(since: ruleStart)))
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

/// Receives scan phases as they happen (progress display, benchmarks). Called one event at a time
/// (the engine serialises the calls with a lock), but from several threads: `.neighbourPass` comes
/// from a pass's worker threads, and the rule events of rules without nearest-record passes from
/// the workers that run them two at a time (so two rules may be between start and finish at once).
public typealias ScanObserver = (ScanEvent) -> Void

/// A phase of a scan. Carries names, counts and timings only, never data values.
public enum ScanEvent: Sendable, Equatable {
    /// Reading the input files (in parallel) has begun.
    case loadStarted
    /// A table is loaded and aligned; `seconds` is the wall time of the whole (parallel) load.
    case tableLoaded(role: TableRole, rows: Int, bytes: Int, seconds: Double)
    /// Rule `index` of `count` (1-based position in id order, not necessarily the order rules run in) is starting.
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
