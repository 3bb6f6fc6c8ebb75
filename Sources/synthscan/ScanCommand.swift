import ArgumentParser
import Foundation
import SynthScanCore

/// `synthscan scan`: loads the tables, runs the rules, writes the reports, sets the exit code.
struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan a synthetic table against the real training (and holdout) data.",
        discussion: """
            Settings on the command line override the config file (synthscan.yaml in the working directory, or --config).

            Examples:
              synthscan scan          # reads ./synthscan.yaml (see synthscan init)
              synthscan scan --train t.csv --holdout h.csv --synthetic s.csv \\
                --identifiers mrn --quasi-identifiers age,sex,zip3 \\
                --protected sex,race --outcome readmitted=1
              synthscan scan --format sarif,markdown,junit --output-dir out/
              synthscan scan --baseline main.sarif --fail-on new --sarif pr.sarif
              synthscan scan --rules packs/acme --suppressions accepted.yaml
              synthscan scan --card card.md    # also card.json (docs/release-card.md)
              synthscan scan --shard 2/8 --partial-output partials/shard-2.partial   # then: synthscan merge partials/
            """
    )

    @OptionGroup var options: ScanOptions
    @OptionGroup(title: "Sharded scans") var sharding: ShardOptions

    func run() throws {
        try sharding.validate(reports: options.output)
        try options.execute(merging: [], sharding: sharding)
    }
}

/// The options `scan` and `merge` share: inputs, roles, rules, reports, gate, seed.
struct ScanOptions: ParsableArguments {
    @OptionGroup var inputs: InputOptions
    @OptionGroup var roles: RoleOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: "Config file (default: ./synthscan.yaml if present).")
    var config: String?

    @Option(name: .long, help: ArgumentHelp("A rule pack folder (repeatable); packs are layered in order. Default: the core pack.",
                                            discussion: "A pack that extends synthscan/core brings the core rules with it."))
    var rules: [String] = []

    @Option(name: .customLong("fail-on"), help: ArgumentHelp(
        "Exit 1 when a finding is at or above this level: error, warning, note or none; or `new`: only findings the --baseline does not have.",
        discussion: "`new` gates on new findings at or above the configuration's fail_on level (default error)."))
    var failOn: FailOnLevel?

    @Option(name: .long, help: ArgumentHelp(
        "A suppressions file: accepted findings (rule, fingerprint or subgroup, justification, owner, expiry date).",
        discussion: "Suppressed findings are marked in every report and do not fail the scan; expired entries stop suppressing and are reported. Format: docs/code-review.md."))
    var suppressions: String?

    @Option(name: .long, help: ArgumentHelp(
        "Also write a release card: Markdown at this path and JSON beside it (card.md and card.json).",
        discussion: "The card records the files' digests, the config's `release:` section, the evaluation (reproducible byte for byte) and the waivers; `synthscan card verify` checks it. Format: docs/release-card.md."))
    var card: String?

    @Option(name: .long, help: "Seed for every random choice.")
    var seed: UInt64?

    @Flag(name: .long, help: ArgumentHelp("No progress on standard error.",
                                          discussion: "Progress (phases, each rule with its time) is shown only when standard error is a terminal and neither NO_PROGRESS nor CI is set; reports are the same either way."))
    var quiet = false

    func validate() throws {
        if let card, URL(fileURLWithPath: card).pathExtension.lowercased() == "json" {
            throw ValidationError("--card takes the Markdown path (card.md); the JSON is written beside it")
        }
        if failOn == .new, output.baseline == nil {
            throw ValidationError("--fail-on new needs --baseline (an earlier SARIF report of this scan)")
        }
    }

    /// Runs the scan. With `partials` (synthscan merge), the nearest-record passes come from those
    /// partial result files instead of being computed; with a `sharding.shard` (scan --shard), only
    /// that shard's slice of the passes is computed and written as a partial result.
    func execute(merging partials: [String], sharding: ShardOptions? = nil) throws {
        do {
            let configuration = try effectiveConfiguration()
            let loader = RulePackLoader()
            var ruleSet = try loader.load(roots: configuration.rulePacks)
            if let shard = sharding?.shard, let partialOutput = sharding?.partialOutput {
                try runShard(shard, writingTo: partialOutput, configuration: configuration, ruleSet: ruleSet)
                return
            }
            let baseline = try output.loadBaseline()
            if let suppressions {
                let file = try SuppressionsFile.load(path: suppressions, knownRules: Set(ruleSet.rules.map(\.id)), today: loader.today)
                ruleSet.waivers += file.waivers
                ruleSet.warnings += file.expired
            }
            let progress = ProgressReporter.isEnabled(quiet: quiet) ? ProgressReporter() : nil
            let result: ScanResult
            do {
                let observer = progress.map { reporter in { reporter.observe($0) } }
                if partials.isEmpty {
                    result = try ScanEngine.run(configuration: configuration, ruleSet: ruleSet, commandLine: CommandLine.arguments,
                                                observer: observer)
                } else {
                    let files = try partials.map { file in (file: file, result: try PartialResult.read(path: file)) }
                    result = try ShardedScan.merge(partials: files, configuration: configuration, ruleSet: ruleSet,
                                                   commandLine: CommandLine.arguments, observer: observer)
                }
                progress?.finish()
            } catch {
                progress?.finish()
                throw error
            }
            try output.write(result, configuration: configuration, baseline: baseline)
            if let card { try CardOutput.write(result, configuration: configuration, waivers: ruleSet.waivers, to: card) }
            let fails: Bool
            if failOn == .new {
                fails = try output.sarifWriter(result, configuration, baseline).newFailures(result, atOrAbove: configuration.failOn ?? .error) > 0
            } else {
                fails = result.failsGate
            }
            throw ExitCode(fails ? ExitStatus.findings : ExitStatus.clean)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            if let userError = UserFacingError(error) { throw userError }
            throw error
        }
    }

    /// Computes one shard's slice of the nearest-record passes and writes the partial result;
    /// prints one summary line on standard error (none with --quiet).
    private func runShard(_ text: String, writingTo path: String, configuration: ScanConfiguration, ruleSet: EffectiveRuleSet) throws {
        let slice = try ShardSpec.parse(text, environment: ProcessInfo.processInfo.environment)
        let started = Date()
        let partial = try ShardedScan.run(configuration: configuration, ruleSet: ruleSet, shard: slice)
        try partial.write(to: path)
        if !quiet {
            let rows = partial.parts.reduce(0) { $0 + $1.range.count }, total = partial.parts.reduce(0) { $0 + $1.queryCount }
            let seconds = (Date().timeIntervalSince(started) * 10).rounded() / 10
            FileHandle.standardError.write(Data("synthscan: shard \(slice): \(partial.parts.count) nearest-record passes, \(rows) of \(total) query rows in \(seconds)s; wrote \(path)\n".utf8))
        }
    }

    /// The config file's settings with the command line's on top.
    func effectiveConfiguration() throws -> ScanConfiguration {
        var configuration = ScanConfiguration()
        let cwd = FileManager.default.currentDirectoryPath
        if let path = config ?? ScanConfigurationLoader.discover(in: cwd) {
            configuration = try ScanConfigurationLoader.load(path: path)
        }
        try inputs.apply(to: &configuration)
        try roles.apply(to: &configuration)
        configuration.rulePacks += rules
        if let failOn, failOn != .new { configuration.failOn = failOn.severity }
        if let seed { configuration.seed = seed }
        if let root = output.sourceRoot { configuration.sourceRoot = root }
        return configuration
    }
}

/// `scan --shard K/N --partial-output FILE`: one shard of a sharded scan (not offered by merge).
struct ShardOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Compute one shard of a sharded scan: K/N (1-based), auto/N or auto; needs --partial-output, writes no report.",
        discussion: "auto reads JOB_COMPLETION_INDEX (Kubernetes Indexed Job, 0-based; write auto/N) or SLURM_ARRAY_TASK_ID (Slurm array, minus SLURM_ARRAY_TASK_MIN; N from SLURM_ARRAY_TASK_COUNT). `synthscan merge` combines the partial results into the reports of an unsharded scan. See docs/scaling.md."))
    var shard: String?

    @Option(name: .customLong("partial-output"), help: "Where a --shard run writes its partial result (nearest-record distances and row numbers only).")
    var partialOutput: String?

    /// The options' rules: both or neither, and no report options beside them (`reports`).
    func validate(reports output: OutputOptions) throws {
        if shard != nil, partialOutput == nil {
            throw ValidationError("--shard needs --partial-output FILE (the shard's partial result, for synthscan merge)")
        }
        if shard == nil, partialOutput != nil {
            throw ValidationError("--partial-output is written by a --shard run; add --shard K/N")
        }
        if shard != nil {
            let reports = [("--output", output.output), ("--output-dir", output.outputDir), ("--sarif", output.sarif), ("--json", output.json),
                           ("--markdown", output.markdown), ("--junit", output.junit), ("--baseline", output.baseline)]
            if let (flag, _) = reports.first(where: { $0.1 != nil }) {
                throw ValidationError("--shard writes a partial result, not reports: give \(flag) to synthscan merge instead")
            }
        }
    }
}

/// `--fail-on` values.
enum FailOnLevel: String, ExpressibleByArgument, CaseIterable {
    case error, warning, note, none, new

    var severity: Severity? {
        switch self {
        case .error: .error
        case .warning: .warning
        case .note: .note
        case .none, .new: nil
        }
    }
}
