import Foundation
import Testing

/// Sharded scans end to end (issue 7): `synthscan scan --shard K/N --partial-output FILE` four
/// times and `synthscan merge` give the reports of one unsharded scan, byte for byte; the merge
/// refuses incomplete, duplicated or stale partials; and the commands in deploy/ are these.
///
/// Every run works in a copy of the example data (train, holdout, synthetic_copies and
/// synthscan.yaml), as a cluster job works in its data folder, with the same relative paths.
///
/// Normalised before comparing (and nothing else): the timestamps and durations that
/// `ExampleGoldenTests.normalise` replaces, the binary's path, the output folder and the data
/// folder (the SARIF source root; each test has its own copy), and the
/// recorded command line (JSON `scan.command_line`, SARIF `invocations[0].arguments` and
/// `commandLine`): a merged report records the merge command that wrote it, honestly.
@Suite(.serialized) struct ShardMergeTests {
    /// What `--output-dir` writes for the formats below.
    static let formats = "text,json,sarif,markdown,junit,html"

    /// The commands, as deploy/ writes them (the deploy test checks that).
    static func shardArguments(_ k: Int, of n: Int, file: String) -> [String] {
        ["scan", "--config", "synthscan.yaml", "--shard", "\(k)/\(n)", "--partial-output", "partials/\(file)"]
    }
    static let mergeArguments = ["merge", "partials", "--config", "synthscan.yaml", "--format", formats, "--output-dir", "reports"]
    static let unshardedArguments = ["scan", "--config", "synthscan.yaml", "--format", formats, "--output-dir", "reports"]

    /// A folder with the example scan's inputs and configuration.
    static func workspace() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        for name in ["train.csv", "holdout.csv", "synthetic_copies.csv", "synthscan.yaml"] {
            try FileManager.default.copyItem(at: ExampleScanTests.examples.appendingPathComponent(name),
                                             to: folder.url.appendingPathComponent(name))
        }
        return folder
    }

    /// The unsharded scan's reports (computed once, under a lock: DeployTests shares them), normalised, by file name.
    nonisolated(unsafe) static var unshardedCache: [String: String]?
    static let unshardedLock = NSLock()
    static func unsharded() throws -> [String: String] {
        unshardedLock.lock()
        defer { unshardedLock.unlock() }
        if let unshardedCache { return unshardedCache }
        let folder = try workspace()
        let run = try CLIRunner.run(unshardedArguments, in: folder.url)
        #expect(run.status == 1, "the example release fails the gate; stderr: \(run.stderr)")
        let reports = try read(folder.url.appendingPathComponent("reports"))
        unshardedCache = reports
        return reports
    }

    /// The normalised reports in `folder`.
    static func read(_ folder: URL) throws -> [String: String] {
        var reports: [String: String] = [:]
        for name in ExampleGoldenTests.files {
            let raw = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            reports[name] = normalise(raw, outputDirectory: folder.path, workspace: folder.deletingLastPathComponent().path)
        }
        return reports
    }

    /// Command-line fields, each matched where it occurs and only there.
    static let commandLinePatterns: [(String, String)] = [
        // JSON: scan.command_line (an array of strings; none of ours holds ']').
        (#"("command_line": )\[[^\]]*\]"#, "$1<COMMAND_LINE>"),
        // SARIF: invocations[0].arguments and commandLine.
        (#"("arguments" : )\[[^\]]*\]"#, "$1<COMMAND_LINE>"),
        (#"("commandLine" : )"[^"]*""#, "$1<COMMAND_LINE>"),
    ]

    static func normalise(_ text: String, outputDirectory: String, workspace: String) -> String {
        var out = ExampleGoldenTests.normalise(text, executable: CLIRunner.executable.path, outputDirectory: outputDirectory)
        out = out.replacingOccurrences(of: workspace, with: "<WORKSPACE>")
        for (pattern, template) in commandLinePatterns {
            out = out.replacingOccurrences(of: pattern, with: template, options: .regularExpression)
        }
        return out
    }

    /// Compares every report with the unsharded one, naming the first differing line.
    static func expectSameReports(_ actual: [String: String], _ expected: [String: String], _ label: String) {
        for name in ExampleGoldenTests.files {
            guard let a = actual[name], let e = expected[name] else { Issue.record("\(label): \(name) missing"); continue }
            if a != e {
                let al = a.split(separator: "\n", omittingEmptySubsequences: false), el = e.split(separator: "\n", omittingEmptySubsequences: false)
                let line = zip(al, el).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(al.count, el.count)
                Issue.record("""
                    \(label): \(name) differs from the unsharded report at line \(line + 1)
                      unsharded: \(line < el.count ? String(el[line]) : "<end>")
                      merged:    \(line < al.count ? String(al[line]) : "<end>")
                    """)
            }
        }
    }

    /// Runs shards 1...n into `folder`/partials (files shard-0.partial ... as the cluster jobs name them).
    static func runShards(_ n: Int, in folder: TemporaryFolder) throws {
        for k in 1...n {
            let run = try CLIRunner.run(shardArguments(k, of: n, file: "shard-\(k - 1).partial"), in: folder.url)
            #expect(run.status == 0, "shard \(k)/\(n): \(run.stderr)")
            // Nothing on standard output; one summary line on standard error.
            #expect(run.stdout.isEmpty)
            let lines = run.stderr.split(separator: "\n")
            #expect(lines.count == 1 && run.stderr.hasPrefix("synthscan: shard \(k)/\(n): "), "stderr: \(run.stderr)")
        }
    }

    @Test func fourShardsAndAMergeGiveTheUnshardedReportsByteForByte() throws {
        let expected = try Self.unsharded()
        let folder = try Self.workspace()
        try Self.runShards(4, in: folder)
        let partials = try FileManager.default.contentsOfDirectory(atPath: folder.path("partials")).sorted()
        #expect(partials == ["shard-0.partial", "shard-1.partial", "shard-2.partial", "shard-3.partial"])
        let merge = try CLIRunner.run(Self.mergeArguments, in: folder.url)
        #expect(merge.status == 1, "the merged scan fails the gate as the unsharded one does; stderr: \(merge.stderr)")
        let reportFolder = folder.url.appendingPathComponent("reports")
        Self.expectSameReports(try Self.read(reportFolder), expected, "4 shards")
        // The merged report records the merge command, which is all the normaliser hid.
        let json = try String(contentsOf: reportFolder.appendingPathComponent("synthscan.json"), encoding: .utf8)
        #expect(json.contains(#""merge","#) && json.contains(#""partials","#))
        // No data value in a partial result: no patient id of any input.
        let bytes = try Data(contentsOf: folder.url.appendingPathComponent("partials/shard-0.partial"))
        #expect(!String(decoding: bytes, as: UTF8.self).contains("MRN-"))

        // The same partials, one missing: an error naming it.
        try FileManager.default.moveItem(atPath: folder.path("partials/shard-2.partial"), toPath: folder.path("shard-2.partial.aside"))
        let missing = try CLIRunner.run(Self.mergeArguments, in: folder.url)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("shard 3/4 missing"), "stderr: \(missing.stderr)")
        // One given twice (a copy under another name): an error naming both files.
        try FileManager.default.moveItem(atPath: folder.path("shard-2.partial.aside"), toPath: folder.path("partials/shard-2.partial"))
        try FileManager.default.copyItem(atPath: folder.path("partials/shard-1.partial"), toPath: folder.path("partials/shard-1-again.partial"))
        let duplicate = try CLIRunner.run(Self.mergeArguments, in: folder.url)
        #expect(duplicate.status == 2)
        #expect(duplicate.stderr.contains("shard 2/4 is given more than once") && duplicate.stderr.contains("shard-1-again.partial"),
                "stderr: \(duplicate.stderr)")
        try FileManager.default.removeItem(atPath: folder.path("partials/shard-1-again.partial"))
        // A truncated partial: an error naming the file, no crash.
        let path = folder.path("partials/shard-3.partial")
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        try whole.prefix(whole.count - 100).write(to: URL(fileURLWithPath: path))
        let truncated = try CLIRunner.run(Self.mergeArguments, in: folder.url)
        #expect(truncated.status == 2)
        #expect(truncated.stderr.hasPrefix("partials/shard-3.partial: error: the partial result is truncated"), "stderr: \(truncated.stderr)")
    }

    @Test func aSyntheticFileChangedAfterTheShardsIsAnErrorNamingIt() throws {
        let folder = try Self.workspace()
        try Self.runShards(2, in: folder)
        // One byte: a digit of the last record becomes another digit (same size, other content).
        let url = folder.url.appendingPathComponent("synthetic_copies.csv")
        var bytes = [UInt8](try Data(contentsOf: url))
        let at = try #require(bytes.indices.last { bytes[$0] >= UInt8(ascii: "0") && bytes[$0] <= UInt8(ascii: "8") })
        bytes[at] += 1
        try Data(bytes).write(to: url)
        let merge = try CLIRunner.run(Self.mergeArguments, in: folder.url)
        #expect(merge.status == 2)
        #expect(merge.stderr.contains("synthetic_copies.csv: error: the synthetic input differs from the file shard"), "stderr: \(merge.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.path("reports")), "no report from a refused merge")
    }

    @Test func shardOptionsAreCheckedBeforeAnythingRuns() throws {
        let folder = try Self.workspace()
        let cases: [([String], String)] = [
            (["scan", "--config", "synthscan.yaml", "--shard", "1/4"], "--shard needs --partial-output"),
            (["scan", "--config", "synthscan.yaml", "--partial-output", "p.partial"], "add --shard K/N"),
            (["scan", "--config", "synthscan.yaml", "--shard", "5/4", "--partial-output", "p.partial"], "shard 5 of 4 does not exist"),
            (["scan", "--config", "synthscan.yaml", "--shard", "auto", "--partial-output", "p.partial"], "neither is set"),
            (["scan", "--config", "synthscan.yaml", "--shard", "1/4", "--partial-output", "p.partial", "--json", "r.json"], "give --json to synthscan merge"),
            (["merge", "--config", "synthscan.yaml", "--shard", "1/4", "partials"], "--shard and --partial-output belong to synthscan scan"),
            (["merge", "--config", "synthscan.yaml", "nothing.partial"], "nothing.partial: error: cannot read the partial result"),
            (["merge", "--config", "synthscan.yaml", "synthscan.yaml"], "synthscan.yaml: error: not a synthscan partial result"),
        ]
        for (args, message) in cases {
            let run = try CLIRunner.run(args, in: folder.url)
            #expect(run.status == 2, "\(args)")
            #expect(run.stderr.contains(message), "\(args): \(run.stderr)")
        }
        // merge's help offers no shard options (it refuses them, above); scan's does.
        let mergeHelp = try CLIRunner.run(["merge", "--help"], in: folder.url)
        #expect(mergeHelp.status == 0 && mergeHelp.stdout.contains("--format") && !mergeHelp.stdout.contains("--shard <"), "\(mergeHelp.stdout)")
        let scanHelp = try CLIRunner.run(["scan", "--help"], in: folder.url)
        #expect(scanHelp.stdout.contains("--shard <") && scanHelp.stdout.contains("--partial-output <"), "\(scanHelp.stdout)")
        // --quiet: a shard says nothing at all.
        let quiet = try CLIRunner.run(Self.shardArguments(1, of: 3, file: "q.partial") + ["--quiet"], in: folder.url)
        #expect(quiet.status == 0 && quiet.stdout.isEmpty && quiet.stderr.isEmpty, "stderr: \(quiet.stderr)")
    }
}
