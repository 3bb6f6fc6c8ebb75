import ArgumentParser
import Foundation
import SynthScanCore

/// `synthscan sarif`: tools for SARIF logs.
struct SarifCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sarif",
        abstract: "Work with SARIF logs.",
        subcommands: [SarifCheckCommand.self]
    )
}

/// `synthscan sarif check FILE...`: the checks the SARIF schema cannot express (see `SARIFLint`).
struct SarifCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check SARIF files against GitHub code scanning's rules and limits.",
        discussion: """
            Checks what the SARIF 2.1.0 schema cannot: every result has a physical location with a uri and \
            startLine >= 1, a rule that resolves (ruleId and rule.id name a rule of tool.driver, or of the \
            tool.extensions component rule.toolComponent names, and ruleIndex and rule.index point at it), \
            unique rule ids per component, and \
            partialFingerprints.primaryLocationLineHash; GitHub's limits (runs, results, rules, extensions, \
            tags, name and description lengths); security-severity is a string in (0, 10]; \
            automationDetails.id contains '/'; columnKind is present when there are results. \
            Schema validation is scripts/validate_sarif.py's job.
            Prints each problem as FILE: JSON-PATH: message. Exit 0 when every file passes, 1 when any \
            has a problem, 2 when a file cannot be read or is not a JSON object.
            """
    )

    @Argument(help: "SARIF files to check.")
    var files: [String]

    func run() throws {
        var problemCount = 0
        var unreadable = false
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                printError("\(file): cannot read file")
                unreadable = true
                continue
            }
            let log: [String: Any]
            do {
                log = try SARIFLint.parse(Array(data))
            } catch {
                printError("\(file): \(error.description)")
                unreadable = true
                continue
            }
            for problem in SARIFLint.check(object: log) {
                print("\(file): \(problem.path): \(problem.message)")
                problemCount += 1
            }
        }
        if unreadable { throw ExitCode(ExitStatus.usageOrInput) }
        if problemCount > 0 {
            printError("\(problemCount) problem\(problemCount == 1 ? "" : "s") in \(files.count) file\(files.count == 1 ? "" : "s")")
            throw ExitCode(ExitStatus.findings)
        }
    }

    private func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
