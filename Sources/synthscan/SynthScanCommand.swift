import ArgumentParser
import SynthScanCore

/// The `synthscan` command: scans a synthetic release against the real data it was made from.
struct SynthScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synthscan",
        abstract: "Privacy and bias risk scanner for synthetic tabular data.",
        discussion: """
            Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it; \
            2 usage, configuration, rule or input error; 3 internal error.
            """,
        version: SynthScanVersion.current,
        subcommands: [ScanCommand.self, MergeCommand.self, InitCommand.self, RulesCommand.self, SelfTestCommand.self, SarifCommand.self,
                      CardCommand.self]
    )
}

/// Process exit codes, the same for every subcommand.
enum ExitStatus {
    static let clean: Int32 = 0
    static let findings: Int32 = 1
    static let usageOrInput: Int32 = 2
    static let internalError: Int32 = 3
}
