import ArgumentParser
import Foundation
import SynthScanCore

/// `synthscan merge PARTIAL...`: combines the partial results of a sharded scan into the reports
/// an unsharded scan gives (see docs/scaling.md).
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine the partial results of a sharded scan (scan --shard K/N) into the reports of the whole scan.",
        discussion: """
            Takes the same options as scan (the same --config, --rules, --seed and inputs the shards ran with, \
            and the report options) and runs the whole scan with the shards' nearest-record distances instead \
            of computing them: the reports are those an unsharded scan writes, byte for byte, apart from \
            timestamps and the recorded command line. Before that it checks that every partial comes from this \
            synthscan version, the same rules, settings and seed, that every shard 1..N is there exactly once, \
            and that each input file it loads has the size and SHA-256 the shards recorded. A folder argument \
            stands for the *.partial files in it. Exit codes as for scan.

            Examples:
              synthscan scan --config synthscan.yaml --shard 1/4 --partial-output partials/shard-1.partial   # ... up to 4/4
              synthscan merge partials/ --config synthscan.yaml --format sarif,markdown --output-dir reports/
              synthscan merge partials/shard-*.partial --config synthscan.yaml --json report.json
            """
    )

    @Argument(help: "Partial result files of every shard, or folders holding them (*.partial).")
    var partials: [String]

    @OptionGroup(title: "Scan options (as for synthscan scan)") var scan: ScanOptions

    /// Accepted only to say clearly that they belong to `scan` (hidden from --help).
    @Option(name: .long, help: .hidden) var shard: String?
    @Option(name: .customLong("partial-output"), help: .hidden) var partialOutput: String?

    func validate() throws {
        if shard != nil || partialOutput != nil {
            throw ValidationError("merge combines partial results; --shard and --partial-output belong to synthscan scan")
        }
        if partials.isEmpty {
            throw ValidationError("give the partial results of every shard (files, or a folder holding *.partial files)")
        }
    }

    func run() throws {
        try scan.execute(merging: try Self.expand(partials))
    }

    /// Files as given; each folder replaced by its `*.partial` files in name order.
    static func expand(_ arguments: [String]) throws -> [String] {
        var files: [String] = []
        for argument in arguments {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory), isDirectory.boolValue else {
                files.append(argument)
                continue
            }
            let names: [String]
            do { names = try FileManager.default.contentsOfDirectory(atPath: argument) } catch {
                throw UserFacingError(message: "\(argument): error: cannot list the folder: \(error.localizedDescription)")
            }
            let found = names.filter { $0.hasSuffix(".partial") }.sorted()
            guard !found.isEmpty else { throw UserFacingError(message: "\(argument): error: the folder holds no *.partial file") }
            files += found.map { argument.hasSuffix("/") ? argument + $0 : argument + "/" + $0 }
        }
        return files
    }
}
