import ArgumentParser
import Foundation
import SynthScanCore

/// `synthscan selftest`: checks the memorisation rules on three scenarios built from the user's own
/// real data, where the right answer is known (see `SanitySelfTest`).
struct SelfTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selftest",
        abstract: "Check the privacy rules on scenarios with known answers, built from your real data.",
        discussion: """
            1. train-as-release: the training table released as is; every memorisation rule must fail.
            2. resampled-marginals: each column drawn independently from train; no privacy rule may fail.
            3. unseen-real-records: half of the holdout released, the other half kept; no privacy rule may fail.
            Exit 0 when every requirement holds, 1 otherwise. The synthetic input only sets the size of scenario 2.
            """
    )

    @OptionGroup var inputs: InputOptions
    @OptionGroup var roles: RoleOptions

    @Option(name: .long, help: "Config file (default: ./synthscan.yaml if present).")
    var config: String?

    @Option(name: .long, help: "A rule pack folder (repeatable; layered in order). Default: the core pack.")
    var rules: [String] = []

    @Option(name: .long, help: "Seed for the scenarios' random choices.")
    var seed: UInt64?

    func run() throws {
        try runReportingErrors {
            var configuration = ScanConfiguration()
            if let path = config ?? ScanConfigurationLoader.discover(in: FileManager.default.currentDirectoryPath) {
                configuration = try ScanConfigurationLoader.load(path: path)
            }
            try inputs.apply(to: &configuration)
            try roles.apply(to: &configuration)
            configuration.rulePacks += rules
            if let seed { configuration.seed = seed }
            let ruleSet = try RulePackLoader().load(roots: configuration.rulePacks)
            let data = try DatasetLoader.load(configuration)
            let results = try SanitySelfTest.run(data: data, configuration: configuration, rules: ruleSet.enabledRules)
            var failures = 0
            for scenario in SanitySelfTest.Scenario.allCases {
                let rows = results.filter { $0.scenario == scenario && $0.required != nil }
                guard !rows.isEmpty else {
                    print("\(scenario.rawValue): not run (\(scenario == .unseenRealRecords ? "needs a holdout table of at least 40 rows" : "no rule applies"))\n")
                    continue
                }
                print("\(scenario.rawValue): \(scenario.summary)")
                for r in rows {
                    if !r.ok { failures += 1 }
                    print("  \(r.ok ? "✓" : "✗") \(r.ruleID): \(r.status.rawValue) (required: \(r.required!))")
                    if !r.ok { print("      \(r.message)") }
                }
                print("")
            }
            print(failures == 0 ? "selftest passed" : "selftest FAILED: \(failures) requirement\(failures == 1 ? "" : "s") not met")
            if failures > 0 { throw ExitCode(ExitStatus.findings) }
        }
    }
}
