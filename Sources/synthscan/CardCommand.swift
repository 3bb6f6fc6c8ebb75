import ArgumentParser
import Foundation
import SynthScanCore

/// `synthscan card`: release cards (written by `synthscan scan --card`).
struct CardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "card",
        abstract: "Work with release cards (written by `synthscan scan --card card.md`).",
        discussion: """
            A release card documents a synthetic release: the files (sizes, rows, SHA-256 and XXH3-128), how it was \
            made (the config's `release:` section), how synthscan evaluated it (tool, rule packs with content hashes, \
            settings, seed, every rule's verdict and figures) and the release decision with its waivers. \
            Format and walk-through: docs/release-card.md.
            """,
        subcommands: [CardVerifyCommand.self]
    )
}

/// `synthscan card verify CARD`: the files still match the card's digests and the verdicts still hold.
struct CardVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that the files still match a release card's digests and its verdicts still hold.",
        discussion: """
            CARD is card.md or card.json (for card.md the JSON beside it is read). The files are digested again and \
            compared with the card's; then the scan is run again with the card's seed (and, without --config, the card's \
            roles and column settings) and every rule's verdict, finding count, figures and parameters, the rule packs' \
            content hashes and the whole evaluation section are compared with the card's.

            Exit codes: 0 card verified; 1 differences (each listed in plain words: which file's digest changed, which \
            rule's verdict moved); 2 usage, unreadable card, configuration, rule-pack or input error.

            Examples:
              synthscan card verify card.md --config synthscan.yaml
              synthscan card verify card.json --train t.csv --holdout h.csv \\
                --synthetic s.csv
              synthscan card verify card.md --config synthscan.yaml \\
                --rules packs/acme --suppressions accepted.yaml
            """
    )

    @Argument(help: "The release card: card.md (its sibling card.json is read) or card.json.")
    var card: String

    @OptionGroup var inputs: InputOptions

    @Option(name: .long, help: "Config file to scan with (default: the settings recorded in the card; file paths from --train, --holdout, --synthetic).")
    var config: String?

    @Option(name: .long, help: "A rule pack folder (repeatable), as for `scan`; the card's packs must have the same content hashes.")
    var rules: [String] = []

    @Option(name: .long, help: "The suppressions file the card was written with, if any.")
    var suppressions: String?

    @Flag(name: .long, help: "No progress on standard error.")
    var quiet = false

    func validate() throws {
        if config == nil, inputs.train == nil || inputs.synthetic == nil {
            throw ValidationError("give --config FILE, or the files to check: --train FILE --synthetic FILE (and --holdout FILE if the card records one)")
        }
    }

    func run() throws {
        do {
            let jsonPath = try Self.jsonPath(forCard: card)
            guard let data = FileManager.default.contents(atPath: jsonPath) else {
                if jsonPath != card {
                    throw UserFacingError(message: "\(jsonPath): error: the release card's JSON is missing (expected beside \(card); `synthscan scan --card` writes both)")
                }
                throw UserFacingError(message: "\(card): error: cannot read the release card")
            }
            let recorded = try ReleaseCardCoding.decode(data, file: jsonPath)
            let configuration = try effectiveConfiguration(recorded)
            let loader = RulePackLoader()
            var ruleSet = try loader.load(roots: configuration.rulePacks)
            if let suppressions {
                let file = try SuppressionsFile.load(path: suppressions, knownRules: Set(ruleSet.rules.map(\.id)), today: loader.today)
                ruleSet.waivers += file.waivers
                ruleSet.warnings += file.expired
            }
            let progress = ProgressReporter.isEnabled(quiet: quiet) ? ProgressReporter() : nil
            let result: ScanResult
            do {
                result = try ScanEngine.run(configuration: configuration, ruleSet: ruleSet, commandLine: CommandLine.arguments,
                                            observer: progress.map { reporter in { reporter.observe($0) } })
                progress?.finish()
            } catch {
                progress?.finish()
                // A changed file may no longer scan (a column renamed, a row broken): say which
                // files differ from the card before the input error.
                let paths = [TableRole.train: configuration.inputs.train, .holdout: configuration.inputs.holdout,
                             .synthetic: configuration.inputs.synthetic].compactMapValues { $0 }
                let differences = ReleaseCardComparison().files(recorded.released, paths: paths) { try FileDigest.of(file: $0) }
                if !differences.isEmpty, let userError = UserFacingError(error) {
                    report(differences + ["the scan could not run again on these files: \(userError.description)"])
                    throw ExitCode(ExitStatus.findings)
                }
                throw error
            }
            let fresh = try ReleaseCardBuilder().build(result, configuration: configuration, waivers: ruleSet.waivers, generatedAt: Date())
            let differences = ReleaseCardComparison().differences(card: recorded, fresh: fresh)
            if differences.isEmpty {
                print("card verified: \(card) matches the files and every verdict holds (\(fresh.evaluation.rules.count) rules, evaluation digest \(fresh.evaluationDigest))")
                throw ExitCode(ExitStatus.clean)
            }
            report(differences)
            throw ExitCode(ExitStatus.findings)
        } catch let exit as ExitCode {
            throw exit
        } catch let error as CardError {
            throw UserFacingError(message: error.description)
        } catch let error as FileDigestError {
            throw UserFacingError(message: error.description)
        } catch {
            if let userError = UserFacingError(error) { throw userError }
            throw error
        }
    }

    /// Prints the differences, one per line.
    private func report(_ differences: [String]) {
        print("card NOT verified: \(card): \(differences.count) difference\(differences.count == 1 ? "" : "s")")
        for d in differences { print("  - \(d)") }
    }

    /// The configuration to rescan with: the config file if given, else the card's recorded
    /// settings; the command line's files on top; always the card's seed.
    func effectiveConfiguration(_ recorded: ReleaseCard) throws -> ScanConfiguration {
        var configuration: ScanConfiguration
        if let config {
            configuration = try ScanConfigurationLoader.load(path: config)
        } else {
            configuration = ReleaseCardBuilder.configuration(from: recorded.evaluation.settings, seed: recorded.evaluation.seed)
            configuration.release = ReleaseConfiguration()
            configuration.release?.intendedUse = recorded.evaluation.intendedUse
        }
        try inputs.apply(to: &configuration)
        configuration.rulePacks += rules
        configuration.seed = recorded.evaluation.seed
        return configuration
    }

    /// The JSON file of a card: `card.json` itself, or the sibling of `card.md`.
    static func jsonPath(forCard path: String) throws -> String {
        let url = URL(fileURLWithPath: path)
        switch url.pathExtension.lowercased() {
        case "json": return path
        case "md", "markdown": return CardOutput.jsonPath(forMarkdown: path)
        default: throw UserFacingError(message: "\(path): error: expected a release card ending in .md or .json")
        }
    }
}

/// Writes the release card of a scan (`scan --card card.md`): Markdown there, JSON beside it.
enum CardOutput {
    /// `card.md` → `card.json` (any other name gets `.json` appended).
    static func jsonPath(forMarkdown path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let ext = url.pathExtension.lowercased()
        guard ext == "md" || ext == "markdown" else { return path + ".json" }
        return String(path.dropLast(ext.count)) + "json"
    }

    /// Builds and writes both files atomically.
    static func write(_ result: ScanResult, configuration: ScanConfiguration, waivers: [Waiver], to path: String) throws {
        let card: ReleaseCard
        do {
            card = try ReleaseCardBuilder().build(result, configuration: configuration, waivers: waivers, generatedAt: Date())
        } catch let error as FileDigestError {
            throw UserFacingError(message: error.description)
        }
        let jsonPath = jsonPath(forMarkdown: path)
        let markdown = ReleaseCardMarkdown().render(card, jsonName: URL(fileURLWithPath: jsonPath).lastPathComponent)
        for (file, bytes) in [(jsonPath, try ReleaseCardCoding.json(card)), (path, Array(markdown.utf8))] {
            do {
                try Data(bytes).write(to: URL(fileURLWithPath: file), options: .atomic)
            } catch {
                throw UserFacingError(message: "\(file): error: cannot write the release card: \(error.localizedDescription)")
            }
        }
    }
}
