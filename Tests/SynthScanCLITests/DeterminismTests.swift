import Foundation
import Testing

/// Same inputs, same report: two scans of the same release in separate processes (so Swift's
/// per-process hash seeds differ, and with them the iteration order of every dictionary) give the
/// same JSON report, timestamps aside.
@Suite struct DeterminismTests {
    static func report(_ release: String) throws -> [String: Any] {
        let run = try CLIRunner.run(["scan", "--config", "synthscan.yaml", "--synthetic", release, "--format", "json"],
                                    in: ExampleScanTests.examples)
        var json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        var scan = try #require(json["scan"] as? [String: Any])
        for key in ["start_time", "end_time", "duration_seconds"] { scan.removeValue(forKey: key) }
        json["scan"] = scan
        return json
    }

    @Test func twoProcessesGiveTheSameReport() throws {
        let a = try Self.report("synthetic_copies.csv"), b = try Self.report("synthetic_copies.csv")
        let da = try JSONSerialization.data(withJSONObject: a, options: [.sortedKeys])
        let db = try JSONSerialization.data(withJSONObject: b, options: [.sortedKeys])
        #expect(da == db, "the JSON reports of two identical scans differ")
    }
}
