import Foundation
import Testing

/// `synthscan sarif check`: passes the SARIF `scan` writes, reports problems as `FILE: PATH: message`.
@Suite struct SarifCommandTests {
    static var examples: URL { CLIRunner.repositoryRoot.appendingPathComponent("Examples") }

    @Test func checkPassesScanOutputAndReportsProblems() throws {
        let f = try TemporaryFolder()
        let sarif = f.path("examples.sarif")
        let scan = try CLIRunner.run(["scan", "--config", "synthscan.yaml", "--sarif", sarif, "--source-root", ".."], in: Self.examples)
        #expect(scan.status == 0 || scan.status == 1, "scan failed: \(scan.stderr)")
        let good = try CLIRunner.run(["sarif", "check", sarif])
        #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
        #expect(good.stdout.isEmpty)

        // The same log, broken twice: a category without '/' and a rule.index pointing elsewhere.
        var log = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sarif))) as? [String: Any])
        var runs = try #require(log["runs"] as? [[String: Any]])
        runs[0]["automationDetails"] = ["id": "no-slash"]
        var results = try #require(runs[0]["results"] as? [[String: Any]])
        try #require(!results.isEmpty)
        // The scan's rules are the core pack's: results locate them by rule.index in tool.extensions[0].
        let rule = try #require(results[0]["rule"] as? [String: Any])
        #expect(results[0]["ruleIndex"] == nil && (rule["toolComponent"] as? [String: Any])?["index"] as? Int == 0)
        let rules = try #require(((runs[0]["tool"] as? [String: Any])?["extensions"] as? [[String: Any]])?.first?["rules"] as? [[String: Any]])
        results[0]["rule"] = rule.merging(["index": rules.count]) { $1 }
        runs[0]["results"] = results
        log["runs"] = runs
        let broken = f.path("broken.sarif")
        try JSONSerialization.data(withJSONObject: log).write(to: URL(fileURLWithPath: broken))
        let bad = try CLIRunner.run(["sarif", "check", sarif, broken])
        #expect(bad.status == 1)
        let lines = bad.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(bad.stdout)")
        #expect(lines.contains("\(broken): runs[0].automationDetails.id: must contain '/' (GitHub reads it as category/run-id)"))
        #expect(lines.contains { $0.hasPrefix("\(broken): runs[0].results[0].rule.index: rule.index \(rules.count) does not point at rule") })
        #expect(!bad.stdout.contains(sarif + ":"), "the good file has no problems")
        #expect(bad.stderr.contains("2 problems in 2 files"))
    }

    @Test func unreadableOrInvalidFilesExitTwo() throws {
        let f = try TemporaryFolder()
        let notJSON = try f.write("not.sarif", "{ runs: ")
        let missing = f.path("missing.sarif")
        let run = try CLIRunner.run(["sarif", "check", notJSON, missing])
        #expect(run.status == 2)
        #expect(run.stderr.contains("\(notJSON): not valid JSON"))
        #expect(run.stderr.contains("\(missing): cannot read file"))
        let array = try f.write("array.sarif", "[]")
        let arrayRun = try CLIRunner.run(["sarif", "check", array])
        #expect(arrayRun.status == 2 && arrayRun.stderr.contains("not a JSON object"))
    }
}
