import Foundation
import Testing

/// `synthscan scan` options for code review, end to end on the example data: several formats in
/// one run, baselines with `--fail-on new` (stable when the synthetic file is reordered),
/// `--include-passes`, and a suppressions file.
@Suite struct ReviewCommandTests {
    static var examples: URL { ExampleScanTests.examples }

    static func scan(_ release: String, _ extra: [String]) throws -> CLIRunner.Run {
        try CLIRunner.run(["scan", "--config", "synthscan.yaml", "--synthetic", release] + extra, in: examples)
    }

    static func sarifResults(_ path: String) throws -> [[String: Any]] {
        let log = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        return try #require(((log["runs"] as? [[String: Any]])?.first?["results"]) as? [[String: Any]])
    }

    @Test func severalFormatsGoToAnOutputFolder() throws {
        let out = try TemporaryFolder()
        let dir = out.path("reports")
        let run = try Self.scan("synthetic_copies.csv", ["--format", "sarif,markdown,junit,json", "--output-dir", dir])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        for name in ["synthscan.sarif", "synthscan.md", "synthscan.junit.xml", "synthscan.json"] {
            #expect(FileManager.default.fileExists(atPath: dir + "/" + name), "\(name)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/synthscan.txt"))
        let junit = try String(contentsOfFile: dir + "/synthscan.junit.xml", encoding: .utf8)
        #expect(junit.contains("<testcase classname=\"synthscan/core\" name=\"privacy/exact-copy\""))
        #expect(junit.contains("<failure type=\"error\""))

        let usage = try Self.scan("synthetic_copies.csv", ["--format", "sarif,json"])
        #expect(usage.status == 2 && usage.stderr.contains("need --output-dir"))
        let unknown = try Self.scan("synthetic_copies.csv", ["--format", "sarif,pdf", "--output-dir", dir])
        #expect(unknown.status == 2)
    }

    /// `html` joins the other formats under --output-dir (issue 4), and has its own --html option.
    @Test func htmlAndSarifTogetherInAnOutputFolder() throws {
        let out = try TemporaryFolder()
        let dir = out.path("reports")
        let run = try Self.scan("synthetic_copies.csv", ["--format", "html,sarif", "--output-dir", dir, "--html", out.path("extra.html")])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        let html = try String(contentsOfFile: dir + "/synthscan.html", encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("role=\"img\""))
        #expect(try String(contentsOfFile: out.path("extra.html"), encoding: .utf8) == html)
        #expect(!(try Self.sarifResults(dir + "/synthscan.sarif")).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["synthscan.html", "synthscan.sarif"])
    }

    @Test func baselineMakesOnlyNewFindingsFailAndSurvivesReordering() throws {
        let out = try TemporaryFolder()
        let base = out.path("base.sarif")
        #expect(try Self.scan("synthetic_copies.csv", ["--format", "sarif", "--output", base]).status == 1)

        // The same release, rows shuffled: nothing new.
        let lines = try String(contentsOf: Self.examples.appendingPathComponent("synthetic_copies.csv"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        var rng = SystemRandomNumberGenerator()
        let shuffled = try out.write("shuffled.csv", ([lines[0]] + lines.dropFirst().shuffled(using: &rng)).joined(separator: "\n") + "\n")
        let again = out.path("again.sarif")
        let rerun = try Self.scan(shuffled, ["--baseline", base, "--fail-on", "new", "--format", "sarif", "--output", again])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let states = try Self.sarifResults(again).map { $0["baselineState"] as? String }
        #expect(!states.isEmpty && states.allSatisfy { $0 == "unchanged" }, "\(Set(states.map { $0 ?? "nil" }))")

        // Another release: its near copies are new and fail; the copies are absent.
        let other = out.path("other.sarif")
        let changed = try Self.scan("synthetic_near_copies.csv", ["--baseline", base, "--fail-on", "new", "--format", "sarif", "--output", other])
        #expect(changed.status == 1)
        let results = try Self.sarifResults(other)
        #expect(results.contains { $0["baselineState"] as? String == "new" })
        #expect(results.contains { $0["baselineState"] as? String == "absent" && $0["ruleId"] as? String == "privacy/exact-copy" })

        let missing = try Self.scan("synthetic_copies.csv", ["--fail-on", "new"])
        #expect(missing.status == 2 && missing.stderr.contains("--fail-on new needs --baseline"))
        let broken = try Self.scan("synthetic_copies.csv", ["--baseline", out.write("broken.sarif", "{}")])
        #expect(broken.status == 2 && broken.stderr.contains("not a usable SARIF baseline"))
    }

    @Test func passesAreAddedForAuditTrails() throws {
        let out = try TemporaryFolder()
        let path = out.path("passes.sarif")
        _ = try Self.scan("synthetic_clean.csv", ["--include-passes", "--format", "sarif", "--output", path])
        let results = try Self.sarifResults(path)
        #expect(results.contains { $0["kind"] as? String == "pass" && $0["ruleId"] as? String == "privacy/exact-copy" })
        #expect(results.allSatisfy { ($0["kind"] as? String).map { $0 == "pass" || $0 == "notApplicable" } ?? true })
        let check = try CLIRunner.run(["sarif", "check", path])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    @Test func aSuppressionsFileWaivesASubgroupAndReportsExpiredEntries() throws {
        let out = try TemporaryFolder()
        let file = try out.write("suppressions.yaml", """
            format: 1
            suppressions:
              - rule: bias/subgroup-erasure
                subgroup: race_ethnicity=American Indian or Alaska Native
                justification: Out of scope of this release (DRB-2026-09).
                owner: data-steward@northwind.example
                expires: 2099-12-31
              - rule: bias/representation-skew
                subgroup: race_ethnicity=American Indian or Alaska Native
                justification: Expired entry.
                owner: data-steward@northwind.example
                expires: 2020-01-01

            """)
        let before = try Self.scan("synthetic_dropped_subgroup.csv", [])
        #expect(before.status == 1)
        let sarif = out.path("s.sarif")
        let after = try Self.scan("synthetic_dropped_subgroup.csv", ["--suppressions", file, "--sarif", sarif])
        #expect(after.status == 0, "\(after.stdout)")
        #expect(after.stdout.contains("WAIV"))
        #expect(after.stdout.contains("expired-suppression") && after.stdout.contains("expired on 2020-01-01"))
        #expect(try Self.sarifResults(sarif).allSatisfy { $0["ruleId"] as? String != "bias/subgroup-erasure" },
                "suppressed results are left out of SARIF by default")
        let kept = out.path("kept.sarif")
        _ = try Self.scan("synthetic_dropped_subgroup.csv", ["--suppressions", file, "--sarif", kept, "--include-suppressed"])
        let suppressed = try Self.sarifResults(kept).filter { $0["ruleId"] as? String == "bias/subgroup-erasure" }
        #expect(!suppressed.isEmpty && suppressed.allSatisfy { ($0["suppressions"] as? [[String: Any]])?.isEmpty == false })
    }
}
