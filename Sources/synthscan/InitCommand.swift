import ArgumentParser
import Foundation
import SynthScanCore

/// `synthscan init`: inspects the tables and writes a commented `synthscan.yaml` with proposed
/// roles, each marked with its reason, for a human to confirm.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Propose a scan configuration (synthscan.yaml) from the tables: column roles with reasons, outcome, age bands, warnings.",
        discussion: """
            On a terminal every proposal is shown for confirmation; --yes accepts them all (for scripts), \
            and marks them in the file as inferred, to be confirmed.

            Examples:
              synthscan init --train train.csv --holdout holdout.csv --synthetic synthetic.csv
              synthscan init --train train.csv --synthetic synthetic.csv --yes --output scans/synthscan.yaml
            """
    )

    @Option(name: .long, help: "Real data the generator was trained on.")
    var train: String

    @Option(name: .long, help: "The synthetic table to scan.")
    var synthetic: String

    @Option(name: .long, help: "Real data the generator never saw (strongly advised).")
    var holdout: String?

    @Option(name: .long, help: "Where to write the configuration.")
    var output: String = "synthscan.yaml"

    @Flag(name: .long, help: "Accept every proposal without asking (needed when not on a terminal).")
    var yes = false

    @Flag(name: .long, help: "Overwrite an existing configuration file.")
    var force = false

    func run() throws {
        do {
            if FileManager.default.fileExists(atPath: output), !force {
                throw UserFacingError(message: "\(output): error: the file exists; pass --force to overwrite it")
            }
            let interactive = !yes
            if interactive, isatty(STDIN_FILENO) != 1 {
                throw UserFacingError(message: "error: init asks to confirm each proposal on a terminal; pass --yes to accept them all (they are marked in the file as inferred)")
            }
            var configuration = ScanConfiguration()
            configuration.inputs.train = train
            configuration.inputs.synthetic = synthetic
            configuration.inputs.holdout = holdout
            let data = try DatasetLoader.load(configuration)
            let directory = URL(fileURLWithPath: output).deletingLastPathComponent().path
            func relative(_ path: String) -> String { ReportPaths.relativeURI(path, root: directory) }
            var proposal = ConfigProposal.propose(data: data, train: relative(train), holdout: holdout.map(relative), synthetic: relative(synthetic))
            if interactive { proposal = confirm(proposal) }
            let text = ConfigProposalWriter(proposal: proposal, confirmed: interactive).render()
            // What we write must load: a proposal that the loader rejects is a bug, not a file to hand over.
            _ = try ScanConfigurationLoader.parse(text, file: output)
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                throw UserFacingError(message: "\(output): error: cannot write: \(error.localizedDescription)")
            }
            print(summary(proposal))
        } catch {
            if let userError = UserFacingError(error) { throw userError }
            throw error
        }
    }

    /// Asks about each proposal on the terminal; returns the accepted ones.
    private func confirm(_ proposal: ConfigProposal) -> ConfigProposal {
        var kept = proposal
        print("Proposed roles (Enter or y keeps one, n drops it):")
        kept.roles = proposal.roles.filter { p in
            ask("  \(p.column) → \(p.role.rawValue): \(p.reason). Keep? [Y/n] ")
        }
        if let outcome = proposal.outcome, !ask("  \(outcome.column) → outcome (positive \(outcome.positive)): \(outcome.reason). Keep? [Y/n] ") {
            kept.outcome = nil
        }
        return kept
    }

    private func ask(_ question: String) -> Bool {
        print(question, terminator: "")
        guard let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() else { return true }
        return answer.isEmpty || answer == "y" || answer == "yes"
    }

    private func summary(_ p: ConfigProposal) -> String {
        var lines = ["wrote \(output)"]
        for role in [ColumnRole.identifier, .quasiIdentifier, .sensitive, .protected] {
            let names = p.roles.filter { $0.role == role }.map(\.column)
            lines.append("  \(role.rawValue): \(names.isEmpty ? "(none)" : names.joined(separator: ", "))")
        }
        lines.append("  outcome: \(p.outcome.map { "\($0.column) = \($0.positive)" } ?? "(none)")")
        for w in p.warnings { lines.append("warning: \(w)") }
        lines.append(yes ? "Every role is marked as inferred: review \(output) before relying on a scan." : "Scan with: synthscan scan --config \(output)")
        return lines.joined(separator: "\n")
    }
}
