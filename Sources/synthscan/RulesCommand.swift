import ArgumentParser
import Foundation
import SynthScanCore

/// `synthscan rules`: inspect, validate, test, scaffold and lock rule packs.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List, show, validate, test, scaffold and lock rule packs.",
        discussion: """
            Examples:
              synthscan rules list --rules packs/northwind
              synthscan rules show privacy/distance-to-closest-record
              synthscan rules validate packs/northwind --strict
              synthscan rules test packs/northwind
              synthscan rules init acme-health/policy --folder packs/acme
            """,
        subcommands: [List.self, Show.self, Validate.self, Test.self, Init.self, Lock.self, Kinds.self]
    )
}

/// Which packs a `rules` subcommand works on: `--rules`, else the config file's `rules:`, else the core pack.
struct PackSelection: ParsableArguments {
    @Option(name: .long, help: "A rule pack folder (repeatable; layered in order). Default: the config's rules, else the core pack.")
    var rules: [String] = []

    @Option(name: .long, help: "Config file whose 'rules:' to use (default: ./synthscan.yaml if present).")
    var config: String?

    /// The root pack folders.
    func roots(positional: [String] = []) throws -> [String] {
        if !positional.isEmpty || !rules.isEmpty { return positional + rules }
        if let path = config ?? ScanConfigurationLoader.discover(in: FileManager.default.currentDirectoryPath) {
            return try ScanConfigurationLoader.load(path: path).rulePacks
        }
        return []
    }
}

/// Runs `body`, turning library errors into the CLI's exit codes and messages.
func runReportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        if let userError = UserFacingError(error) { throw userError }
        throw error
    }
}

extension RulesCommand {
    /// `rules list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the effective rules: id, level, kind, pack, state and summary.")
        @OptionGroup var packs: PackSelection

        func run() throws {
            try runReportingErrors {
                let set = try RulePackLoader().load(roots: try packs.roots())
                print(RuleSetDescriber.list(set), terminator: "")
            }
        }
    }

    /// `rules show ID`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one rule: texts, effective parameters and which pack set each, overrides, self-tests and help.")
        @Argument(help: "Rule id, e.g. privacy/exact-copy.")
        var id: String
        @OptionGroup var packs: PackSelection

        func run() throws {
            try runReportingErrors {
                let set = try RulePackLoader().load(roots: try packs.roots())
                guard let rule = set.rule(id) else {
                    var message = "error: no rule '\(id)' in the effective rule set"
                    if let guess = closest(id, set.rules.map(\.id)) { message += " (did you mean '\(guess)'?)" }
                    throw UserFacingError(message: message)
                }
                print(RuleSetDescriber.show(rule, in: set), terminator: "")
            }
        }
    }

    /// `rules validate PATH...`.
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check packs for every mistake at once (file:line:column and a fix hint for each); exit 2 if any.")
        @Argument(help: "Pack folders (default: --rules, the config's rules, or the core pack).")
        var paths: [String] = []
        @OptionGroup var packs: PackSelection
        @Flag(name: .long, help: "Treat warnings (e.g. a rule without self-tests) as errors.")
        var strict = false

        func run() throws {
            try runReportingErrors {
                let set = try RulePackLoader().load(roots: try packs.roots(positional: paths))
                for warning in set.warnings { FileHandle.standardError.write(Data((warning.description + "\n").utf8)) }
                if strict, !set.warnings.isEmpty { throw ExitCode(ExitStatus.usageOrInput) }
                let enabled = set.rules.filter(\.enabled).count
                print("ok: \(set.rules.count) rules (\(enabled) enabled) from " + set.packs.map { "\($0.id) \($0.version)" }.joined(separator: ", "))
            }
        }
    }

    /// `rules test PATH...`.
    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the rules' self-tests (triggering and non-triggering examples); exit 1 if any fails.")
        @Argument(help: "Pack folders (default: --rules, the config's rules, or the core pack).")
        var paths: [String] = []
        @OptionGroup var packs: PackSelection
        @Flag(name: .long, help: "Also test the rules of the packs the given packs extend.")
        var all = false

        func run() throws {
            try runReportingErrors {
                let roots = try packs.roots(positional: paths)
                let set = try RulePackLoader().load(roots: roots)
                let rootIDs = Set(set.rootPackIDs)
                let rules = set.rules.filter { all || rootIDs.contains($0.definition.descriptor.pack) }
                let results = rules.flatMap(RuleSelfTestRunner.run)
                print(RuleSetDescriber.testReport(results), terminator: "")
                if results.contains(where: { !$0.passed }) { throw ExitCode(ExitStatus.findings) }
            }
        }

    }

    /// `rules init NAME`.
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Scaffold an institution pack that extends the core pack, with a sample rule and its self-tests.")
        @Argument(help: "Pack id (organisation/name, e.g. acme-health/policy) or just a name.")
        var name: String
        @Option(name: .long, help: "Folder to create (default: the last part of the name).")
        var directory: String?

        func run() throws {
            try runReportingErrors {
                let scaffold = try PackScaffold(name: name)
                let folder = directory ?? scaffold.folderName
                try scaffold.write(to: folder)
                print("created \(folder)/ (pack \(scaffold.packID)); try: synthscan rules test \(folder)")
            }
        }
    }

    /// `rules lock PATH`.
    struct Lock: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the exact versions and content hashes of a pack's chain in \(PackLockFile.fileName).")
        @Argument(help: "The root pack folder.")
        var path: String

        func run() throws {
            try runReportingErrors {
                var loader = RulePackLoader()
                loader.verifiesLockFiles = false
                let set = try loader.load(roots: [path])
                let file = path + "/" + PackLockFile.fileName
                do {
                    try Data(PackLockFile.render(set.packs).utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
                } catch {
                    throw UserFacingError(message: "\(file): error: cannot write the lock file: \(error.localizedDescription)")
                }
                print("wrote \(file): " + set.packs.map { "\($0.id) \($0.version)" }.joined(separator: ", "))
            }
        }
    }
}

extension RulesCommand {
    /// `rules kinds`.
    struct Kinds: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the check kinds with their parameters and measurements (Markdown; the source of docs/check-kinds.md).")

        func run() throws {
            print(RuleSetDescriber.checkKindReference(), terminator: "")
        }
    }
}

/// The closest of `candidates` to `word`, if reasonably close.
func closest(_ word: String, _ candidates: [String]) -> String? {
    EditDistance.suggestion(for: word, among: candidates)
}
