import ArgumentParser
import Foundation
import SynthScanCore

/// `synthscan scan`: loads the tables, runs the rules, writes the reports, sets the exit code.
struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan a synthetic table against the real training (and holdout) data.",
        discussion: "Settings on the command line override the config file (synthscan.yaml in the working directory, or --config)."
    )

    @OptionGroup var inputs: InputOptions
    @OptionGroup var roles: RoleOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: "Config file (default: ./synthscan.yaml if present).")
    var config: String?

    @Option(name: .long, help: ArgumentHelp("A rule pack folder (repeatable); packs are layered in order. Default: the core pack.",
                                            discussion: "A pack that extends synthscan/core brings the core rules with it."))
    var rules: [String] = []

    @Option(name: .customLong("fail-on"), help: "Exit 1 when a finding is at or above this level: error, warning, note or none.")
    var failOn: FailOnLevel?

    @Option(name: .long, help: "Seed for every random choice.")
    var seed: UInt64?

    func run() throws {
        do {
            let configuration = try effectiveConfiguration()
            let ruleSet = try RulePackLoader().load(roots: configuration.rulePacks)
            let result = try ScanEngine.run(configuration: configuration, ruleSet: ruleSet, commandLine: CommandLine.arguments)
            try output.write(result, configuration: configuration)
            throw ExitCode(result.failsGate ? ExitStatus.findings : ExitStatus.clean)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            if let userError = UserFacingError(error) { throw userError }
            throw error
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
        if let failOn { configuration.failOn = failOn.severity }
        if let seed { configuration.seed = seed }
        if let root = output.sourceRoot { configuration.sourceRoot = root }
        return configuration
    }
}

/// `--fail-on` values.
enum FailOnLevel: String, ExpressibleByArgument, CaseIterable {
    case error, warning, note, none

    var severity: Severity? {
        switch self {
        case .error: .error
        case .warning: .warning
        case .note: .note
        case .none: nil
        }
    }
}
