import Foundation
import Testing

/// The commands in `docs/getting-started.md` run as written, in order, on a copy of the example
/// data, and exit with the codes their `# exit N` comments state: the walk-through cannot drift
/// from what the tool does.
@Suite struct DocsExamplesTests {
    /// The `synthscan …` lines of the ```sh blocks of a Markdown file, with their expected exit codes.
    static func commands(in file: URL) throws -> [(args: [String], exit: Int32, line: Int)] {
        let text = try String(contentsOf: file, encoding: .utf8)
        var inBlock = false
        var out: [(args: [String], exit: Int32, line: Int)] = []
        for (number, line) in text.components(separatedBy: "\n").enumerated() {
            if line.hasPrefix("```") { inBlock = line == "```sh" ? !inBlock : false; continue }
            guard inBlock, line.hasPrefix("synthscan ") else { continue }
            let parts = line.components(separatedBy: "# exit ")
            let words = parts[0].split(separator: " ").map(String.init).dropFirst()
            out.append((Array(words), Int32(parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : "0") ?? -1, number + 1))
        }
        return out
    }

    @Test func gettingStartedRunsAsWritten() throws {
        let doc = CLIRunner.repositoryRoot.appendingPathComponent("docs/getting-started.md")
        let commands = try Self.commands(in: doc)
        #expect(commands.count >= 8, "the walk-through's commands were found")
        let folder = try TemporaryFolder()
        let examples = ExampleScanTests.examples
        for name in try FileManager.default.contentsOfDirectory(atPath: examples.path) where name.hasSuffix(".csv") {
            try FileManager.default.copyItem(at: examples.appendingPathComponent(name), to: folder.url.appendingPathComponent(name))
        }
        for command in commands {
            let run = try CLIRunner.run(command.args, in: folder.url)
            #expect(run.status == command.exit,
                    "docs/getting-started.md:\(command.line): `synthscan \(command.args.joined(separator: " "))` exited \(run.status), the doc says \(command.exit)\n\(run.stderr)")
        }
        #expect(FileManager.default.fileExists(atPath: folder.path("synthscan.sarif")))
        #expect(FileManager.default.fileExists(atPath: folder.path("summary.md")))
    }

    /// `docs/release-card.md`: writing a card, verifying it (by either file), and a failing verification.
    @Test func releaseCardRunsAsWritten() throws {
        let doc = CLIRunner.repositoryRoot.appendingPathComponent("docs/release-card.md")
        let commands = try Self.commands(in: doc)
        #expect(commands.count >= 5, "the walk-through's commands were found")
        let folder = try TemporaryFolder()
        let examples = ExampleScanTests.examples
        for name in try FileManager.default.contentsOfDirectory(atPath: examples.path) where name.hasSuffix(".csv") {
            try FileManager.default.copyItem(at: examples.appendingPathComponent(name), to: folder.url.appendingPathComponent(name))
        }
        for command in commands {
            let run = try CLIRunner.run(command.args, in: folder.url)
            #expect(run.status == command.exit,
                    "docs/release-card.md:\(command.line): `synthscan \(command.args.joined(separator: " "))` exited \(run.status), the doc says \(command.exit)\n\(run.stdout)\(run.stderr)")
        }
        #expect(FileManager.default.fileExists(atPath: folder.path("card.md")))
        #expect(FileManager.default.fileExists(atPath: folder.path("card.json")))
    }
}

/// Shell completions come from the argument parser's declarations and know every subcommand.
@Suite struct CompletionTests {
    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptsNameTheSubcommands(shell: String) throws {
        let run = try CLIRunner.run(["--generate-completion-script", shell])
        #expect(run.status == 0)
        for command in ["scan", "init", "rules", "selftest", "sarif", "card"] {
            #expect(run.stdout.contains(command), "\(shell) completion lacks \(command)")
        }
    }
}
