import Foundation
import Testing

/// Golden files for every report format on the bundled example data (issue 4: "Golden-file tests
/// for every format on the example data (timestamps normalised)").
///
/// One `synthscan scan` of `Examples/synthetic_copies.csv` with `Examples/synthscan.yaml` writes
/// text, JSON, SARIF, Markdown, JUnit and HTML into a temporary folder; each report, normalised, must
/// equal its golden in `Tests/SynthScanCoreTests/Fixtures/example-golden/` (that folder is already
/// excluded from the test targets' sources). `SYNTHSCAN_UPDATE_GOLDEN=1` rewrites the goldens,
/// as for `ReportTests.checkGolden`.
///
/// The normaliser replaces only what legitimately differs between two runs of the same scan, and
/// only where it occurs: the timestamps and durations of named fields (each must still have its
/// usual shape, or the golden comparison fails), and three exact strings that depend on the
/// machine (the binary's path, the output folder, the repository's `file://` URI). Everything
/// else, every number and message included, is compared byte for byte.
@Suite(.serialized) struct ExampleGoldenTests {
    static var examples: URL { CLIRunner.repositoryRoot.appendingPathComponent("Examples") }
    static var goldens: URL {
        CLIRunner.repositoryRoot.appendingPathComponent("Tests/SynthScanCoreTests/Fixtures/example-golden")
    }

    /// The report files `--output-dir` writes, by format.
    static let files = ["synthscan.txt", "synthscan.json", "synthscan.sarif", "synthscan.md", "synthscan.junit.xml", "synthscan.html"]

    /// ISO 8601 UTC with optional milliseconds, as `ReportFormatting.iso8601` and JUnit write it.
    static let timestamp = #"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{3})?Z"#
    /// A non-negative decimal duration.
    static let seconds = #"[0-9]+(\.[0-9]+)?([eE]-?[0-9]+)?"#

    /// Field-specific patterns: (regular expression, replacement template). Each names the field it
    /// rewrites, so a timestamp or duration anywhere else is still compared.
    static let patterns: [(String, String)] = [
        // text: the header line.
        (#"(?m)^(synthscan \S+  seed [0-9]+  started )"# + timestamp + #"(  took )"# + seconds + #"s$"#, "$1<TIMESTAMP>$3<SECONDS>s"),
        // JSON: scan.start_time, scan.end_time, scan.duration_seconds.
        (#"("(start|end)_time": )""# + timestamp + #"""#, "$1\"<TIMESTAMP>\""),
        (#"(?m)("duration_seconds": )"# + seconds + #"(,?)$"#, "$1\"<SECONDS>\"$4"),
        // SARIF: invocations[0].startTimeUtc / endTimeUtc.
        (#"("(start|end)TimeUtc" ?: )""# + timestamp + #"""#, "$1\"<TIMESTAMP>\""),
        // JUnit: the time and timestamp attributes of <testsuites> and <testsuite> (testcases are compared as written).
        // (timestamp first: the placeholders contain '>', which the attribute patterns do not cross.)
        (#"(<testsuite [^>]* timestamp=")"# + timestamp + #"(")"#, "$1<TIMESTAMP>$3"),
        (#"(<testsuites? [^>]* time=")"# + seconds + #"(")"#, "$1<SECONDS>$4"),
        // HTML: the scan time in the header, <time datetime="…">…</time>.
        (#"(<time datetime=")"# + timestamp + #"(">)"# + timestamp + #"(</time>)"#, "$1<TIMESTAMP>$3<TIMESTAMP>$5"),
    ]

    /// `text` with the run-specific parts replaced (see the type's documentation).
    static func normalise(_ text: String, executable: String, outputDirectory: String) -> String {
        var out = text
        // Exact strings first, longest first (the binary and the output folder may lie under the repository).
        let repository = CLIRunner.repositoryRoot.standardizedFileURL.path
        let exact = [
            (executable, "<SYNTHSCAN>"),
            (outputDirectory, "<OUTPUT_DIR>"),
            (URL(fileURLWithPath: repository, isDirectory: true).absoluteString, "file://<REPOSITORY>/"),
        ].sorted { $0.0.count > $1.0.count }
        for (value, placeholder) in exact where !value.isEmpty {
            out = out.replacingOccurrences(of: value, with: placeholder)
        }
        for (pattern, template) in patterns {
            out = out.replacingOccurrences(of: pattern, with: template, options: .regularExpression)
        }
        return out
    }

    /// Scans the example release into a new folder; returns the folder.
    static func scan(into folder: TemporaryFolder) throws -> (URL, CLIRunner.Run) {
        let output = folder.url.appendingPathComponent("reports")
        let run = try CLIRunner.run(["scan", "--config", "synthscan.yaml", "--synthetic", "synthetic_copies.csv",
                                     "--source-root", "..", "--format", "text,json,sarif,markdown,junit,html",
                                     "--output-dir", output.path], in: examples)
        return (output, run)
    }

    @Test func everyFormatMatchesItsGoldenOnTheExampleData() throws {
        let folder = try TemporaryFolder()
        let (output, run) = try Self.scan(into: folder)
        // The example release plants exact copies: the gate fails (exit 1), and the reports are written.
        #expect(run.status == 1, "stderr: \(run.stderr)")
        let update = ProcessInfo.processInfo.environment["SYNTHSCAN_UPDATE_GOLDEN"] == "1"
        if update { try FileManager.default.createDirectory(at: Self.goldens, withIntermediateDirectories: true) }
        for name in Self.files {
            let raw = try String(contentsOf: output.appendingPathComponent(name), encoding: .utf8)
            let actual = Self.normalise(raw, executable: CLIRunner.executable.path, outputDirectory: output.path)
            let golden = Self.goldens.appendingPathComponent(name)
            if update { try actual.write(to: golden, atomically: true, encoding: .utf8) }
            let expected = try String(contentsOf: golden, encoding: .utf8)
            if actual != expected {
                let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
                let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
                let line = zip(a, e).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, e.count)
                Issue.record("""
                    \(name) differs from its golden at line \(line + 1); rerun with SYNTHSCAN_UPDATE_GOLDEN=1 if intended
                      golden: \(line < e.count ? String(e[line]) : "<end>")
                      actual: \(line < a.count ? String(a[line]) : "<end>")
                    """)
            }
            // Nothing machine- or run-specific is left once normalised.
            #expect(!actual.contains(CLIRunner.repositoryRoot.path), "\(name) still holds the checkout path")
            #expect(!actual.contains(folder.url.path), "\(name) still holds the temporary folder")
        }
    }

    /// The normaliser rewrites only the named fields, and only values of the expected shape.
    @Test func normaliserTouchesOnlyTimestampsDurationsAndMachinePaths() {
        let exe = "/build/debug/synthscan", out = "/tmp/x/reports"
        let n = { (text: String) in Self.normalise(text, executable: exe, outputDirectory: out) }
        #expect(n("synthscan 0.1.0  seed 7  started 2026-01-02T03:04:05.678Z  took 1.5s")
                == "synthscan 0.1.0  seed 7  started <TIMESTAMP>  took <SECONDS>s")
        #expect(n(#"    "start_time": "2026-01-02T03:04:05.678Z","#) == #"    "start_time": "<TIMESTAMP>","#)
        #expect(n(#"    "duration_seconds": 20.89061748981476,"#) == #"    "duration_seconds": "<SECONDS>","#)
        #expect(n(#"          "endTimeUtc" : "2026-01-02T03:04:05.678Z","#) == #"          "endTimeUtc" : "<TIMESTAMP>","#)
        #expect(n(#"<testsuite name="s" tests="2" time="0.5" timestamp="2026-01-02T03:04:05Z">"#)
                == #"<testsuite name="s" tests="2" time="<SECONDS>" timestamp="<TIMESTAMP>">"#)
        #expect(n(#"scanned <time datetime="2026-01-02T03:04:05.678Z">2026-01-02T03:04:05.678Z</time> ·"#)
                == #"scanned <time datetime="<TIMESTAMP>"><TIMESTAMP></time> ·"#)
        #expect(n(#"["\#(exe)", "--output-dir", "\#(out)"]"#) == #"["<SYNTHSCAN>", "--output-dir", "<OUTPUT_DIR>"]"#)
        // Left alone: timestamps and numbers in other fields, testcase times, a malformed value.
        for kept in [#""admission_date": "2026-01-02T03:04:05Z""#, #"    "attack_rate": 0.1976602880033098,"#,
                     #"<testcase classname="c" name="r" time="0.25">"#, #"    "start_time": "yesterday","#,
                     "synthscan 0.1.0  seed 7  started 2026-01-02  took 1.5s"] {
            #expect(n(kept) == kept)
        }
    }

    /// Values of real records never reach a report: no patient id of train.csv or holdout.csv, in
    /// particular none of the records the release copies, and none of those records' rows.
    @Test func goldensHoldNoRealIdentifiers() throws {
        func ids(_ file: String) throws -> Set<String> {
            let text = try String(contentsOf: Self.examples.appendingPathComponent(file), encoding: .utf8)
            return Set(text.split(separator: "\n").dropFirst().compactMap { $0.split(separator: ",").first.map(String.init) })
        }
        let real = try ids("train.csv").union(try ids("holdout.csv"))
        #expect(real.count > 2000 && real.allSatisfy { $0.hasPrefix("MRN-") })
        // The records synthetic_copies.csv copies, from the generator's manifest.
        let copies = try ExampleScanTests.plantedCopies(in: "synthetic_copies.csv")
        #expect(!copies.isEmpty)
        let trainLines = try String(contentsOf: Self.examples.appendingPathComponent("train.csv"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let copied = copies.filter { $0.source == "train" }.map { trainLines[$0.sourceRow] } // row r is file line r + 1
        #expect(!copied.isEmpty)
        for name in Self.files {
            let text = try String(contentsOf: Self.goldens.appendingPathComponent(name), encoding: .utf8)
            let mentioned = text.matches(of: /MRN-[0-9]+/).map { String($0.output) }
            #expect(mentioned.filter(real.contains).isEmpty, "\(name) prints real patient ids")
            for line in copied {
                let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                #expect(!text.contains(String(fields[0])), "\(name) prints the copied record's id \(fields[0])")
                #expect(!text.contains(fields.dropFirst().joined(separator: ",")), "\(name) prints a copied record's row")
            }
        }
    }
}
