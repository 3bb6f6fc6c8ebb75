import Foundation
import Testing

/// Scans the bundled example releases and checks the findings against `Examples/plantings.json`,
/// the generator's record of exactly what each release plants.
@Suite struct ExampleScanTests {
    struct PlantedCopy {
        let row: Int
        let line: Int
        let source: String
        let sourceRow: Int
    }

    static var examples: URL { CLIRunner.repositoryRoot.appendingPathComponent("Examples") }

    /// The copies planted in `file`, from the manifest.
    static func plantedCopies(in file: String) throws -> [PlantedCopy] {
        let data = try Data(contentsOf: examples.appendingPathComponent("plantings.json"))
        let manifest = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let files = try #require(manifest["files"] as? [String: Any])
        let entry = try #require(files[file] as? [String: Any])
        let planted = entry["planted"] as? [String: Any]
        let copies = planted?["copies"] as? [[String: Any]] ?? []
        return try copies.map { c in
            PlantedCopy(row: try #require(c["row"] as? Int), line: try #require(c["line"] as? Int),
                        source: try #require(c["source"] as? String), sourceRow: try #require(c["source_row"] as? Int))
        }
    }

    /// Runs a JSON scan of `release` with the example config; returns the exit code and the exact-copy rule.
    static func scan(_ release: String) throws -> (status: Int32, rule: [String: Any]) {
        let run = try CLIRunner.run(["scan", "--config", "synthscan.yaml", "--synthetic", release, "--format", "json"], in: examples)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any],
                                "no JSON on stdout; stderr: \(run.stderr)")
        let rules = try #require(json["rules"] as? [[String: Any]])
        return (run.status, try #require(rules.first { $0["id"] as? String == "privacy/exact-copy" }))
    }

    @Test func leakyReleaseFlagsExactlyThePlantedCopies() throws {
        let planted = try Self.plantedCopies(in: "synthetic_copies.csv")
        let trainCopies = planted.filter { $0.source == "train" }
        let holdoutCopies = planted.filter { $0.source == "holdout" }
        #expect(trainCopies.count == 20)
        #expect(holdoutCopies.count == 3)

        let (status, rule) = try Self.scan("synthetic_copies.csv")
        #expect(status == 1)
        #expect(rule["status"] as? String == "fail")
        let m = try #require(rule["measurements"] as? [String: Any])
        #expect(m["exact_copies_train"] as? Int == trainCopies.count)
        #expect(m["exact_copies_holdout"] as? Int == holdoutCopies.count)
        #expect(m["distinct_train_records_copied"] as? Int == Set(trainCopies.map(\.sourceRow)).count)
        let findings = try #require(rule["findings"] as? [[String: Any]])
        func rowsAndLines(level: String) -> [[Int]] {
            findings.filter { $0["level"] as? String == level }.compactMap { f in
                guard let row = f["row"] as? Int, let line = f["line"] as? Int else { return nil }
                return [row, line]
            }.sorted { $0[0] < $1[0] }
        }
        #expect(rowsAndLines(level: "error") == trainCopies.map { [$0.row, $0.line] }.sorted { $0[0] < $1[0] })
        #expect(rowsAndLines(level: "note") == holdoutCopies.map { [$0.row, $0.line] }.sorted { $0[0] < $1[0] })
    }

    @Test(arguments: ["synthetic_clean.csv", "synthetic_near_copies.csv", "synthetic_dropped_subgroup.csv",
                      "synthetic_amplified_disparity.csv", "synthetic_erased_rare.csv"])
    func releasesWithoutPlantedCopiesReportNone(release: String) throws {
        #expect(try Self.plantedCopies(in: release).isEmpty)
        let (status, rule) = try Self.scan(release)
        #expect(status == 0)
        #expect(rule["status"] as? String == "pass")
        let m = try #require(rule["measurements"] as? [String: Any])
        #expect(m["exact_copies_train"] as? Int == 0)
        #expect(m["exact_copies_holdout"] as? Int == 0)
        #expect((rule["findings"] as? [[String: Any]])?.isEmpty == true)
    }

    @Test func demoSARIFIsValidAgainstTheOfficialSchema() throws {
        let folder = try TemporaryFolder()
        let sarif = folder.path("copies.sarif")
        let run = try CLIRunner.run(["scan", "--config", "synthscan.yaml", "--sarif", sarif, "--source-root", ".."], in: Self.examples)
        #expect(run.status == 1)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sarif))) as? [String: Any])
        let results = try #require((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
        #expect(results.count == 23)
        for result in results {
            let location = (result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
            #expect((location?["artifactLocation"] as? [String: Any])?["uri"] as? String == "Examples/synthetic_copies.csv")
        }
    }
}
