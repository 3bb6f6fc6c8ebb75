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

    /// A leaked identifier planted in a release (`kind` is `train_mrn_reuse`, `holdout_mrn_reuse`
    /// or `mrn_format`).
    struct PlantedLeak {
        let row: Int
        let line: Int
        let kind: String
    }

    /// The `planted` object of `file` in the manifest.
    static func planted(in file: String) throws -> [String: Any]? {
        let data = try Data(contentsOf: examples.appendingPathComponent("plantings.json"))
        let manifest = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let files = try #require(manifest["files"] as? [String: Any])
        let entry = try #require(files[file] as? [String: Any])
        return entry["planted"] as? [String: Any]
    }

    /// The copies planted in `file`, from the manifest.
    static func plantedCopies(in file: String) throws -> [PlantedCopy] {
        let copies = try planted(in: file)?["copies"] as? [[String: Any]] ?? []
        return try copies.map { c in
            PlantedCopy(row: try #require(c["row"] as? Int), line: try #require(c["line"] as? Int),
                        source: try #require(c["source"] as? String), sourceRow: try #require(c["source_row"] as? Int))
        }
    }

    /// The identifiers leaked into `file`, from the manifest.
    static func plantedLeaks(in file: String) throws -> [PlantedLeak] {
        let leaks = try planted(in: file)?["leaks"] as? [[String: Any]] ?? []
        return try leaks.map { l in
            PlantedLeak(row: try #require(l["row"] as? Int), line: try #require(l["line"] as? Int),
                        kind: try #require(l["kind"] as? String))
        }
    }

    /// Runs a JSON scan of `release` with the example config (and the rule packs in `packs`,
    /// relative to Examples/); returns the exit code and every rule.
    static func scanRules(_ release: String, packs: [String] = []) throws -> (status: Int32, rules: [[String: Any]]) {
        let run = try CLIRunner.run(["scan", "--config", "synthscan.yaml", "--synthetic", release, "--format", "json"]
                                    + packs.flatMap { ["--rules", $0] }, in: examples)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any],
                                "no JSON on stdout; stderr: \(run.stderr)")
        return (run.status, try #require(json["rules"] as? [[String: Any]]))
    }

    /// Runs a JSON scan of `release` with the example config; returns the exit code and the exact-copy rule.
    static func scan(_ release: String) throws -> (status: Int32, rule: [String: Any]) {
        let (status, rules) = try scanRules(release)
        return (status, try #require(rules.first { $0["id"] as? String == "privacy/exact-copy" }))
    }

    /// `[row, line]` of the findings at `level` (or at any level but `level` when `excluding`), sorted by row.
    static func rowsAndLines(_ findings: [[String: Any]], level: String, excluding: Bool = false) -> [[Int]] {
        findings.filter { ($0["level"] as? String == level) != excluding }.compactMap { f in
            guard let row = f["row"] as? Int, let line = f["line"] as? Int else { return nil }
            return [row, line]
        }.sorted { $0[0] < $1[0] }
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
        #expect(Self.rowsAndLines(findings, level: "error") == trainCopies.map { [$0.row, $0.line] }.sorted { $0[0] < $1[0] })
        #expect(Self.rowsAndLines(findings, level: "note") == holdoutCopies.map { [$0.row, $0.line] }.sorted { $0[0] < $1[0] })
    }

    @Test(arguments: ["synthetic_clean.csv", "synthetic_near_copies.csv", "synthetic_dropped_subgroup.csv",
                      "synthetic_amplified_disparity.csv", "synthetic_erased_rare.csv"])
    func releasesWithoutPlantedCopiesReportNone(release: String) throws {
        #expect(try Self.plantedCopies(in: release).isEmpty)
        let (status, rule) = try Self.scan(release)
        // The near copies are distance-to-closest-record's to find (see below), not exact-copy's;
        // the dropped subgroup and the erased rare diagnoses are bias/subgroup-erasure's.
        #expect(status == (["synthetic_near_copies.csv", "synthetic_dropped_subgroup.csv", "synthetic_erased_rare.csv"].contains(release) ? 1 : 0))
        #expect(rule["status"] as? String == "pass")
        let m = try #require(rule["measurements"] as? [String: Any])
        #expect(m["exact_copies_train"] as? Int == 0)
        #expect(m["exact_copies_holdout"] as? Int == 0)
        #expect((rule["findings"] as? [[String: Any]])?.isEmpty == true)
    }

    @Test func leakedIdentifiersReleaseHasNoExactCopies() throws {
        let release = "synthetic_leaked_identifiers.csv"
        #expect(try Self.plantedCopies(in: release).isEmpty)
        let documented = try #require(try Self.planted(in: release)?["exact_copy_rows"] as? Int)
        #expect(!(try Self.plantedLeaks(in: release)).isEmpty)
        #expect(documented == 0)
        // The exit status is not checked: the identifier rules fail this release.
        let (_, rule) = try Self.scan(release)
        #expect(rule["status"] as? String == "pass")
        let m = try #require(rule["measurements"] as? [String: Any])
        #expect(m["exact_copies_train"] as? Int == documented)
        #expect(m["exact_copies_holdout"] as? Int == 0)
        #expect((rule["findings"] as? [[String: Any]])?.count == documented)
    }

    @Test func identifierReuseFlagsExactlyThePlantedMRNs() throws {
        let release = "synthetic_leaked_identifiers.csv"
        let leaks = try Self.plantedLeaks(in: release)
        let trainReuse = leaks.filter { $0.kind == "train_mrn_reuse" }.map { [$0.row, $0.line] }
        let holdoutReuse = leaks.filter { $0.kind == "holdout_mrn_reuse" }.map { [$0.row, $0.line] }
        let planted = try #require(try Self.planted(in: release))
        #expect(trainReuse.count == planted["train_mrn_reuse_rows"] as? Int)
        #expect(holdoutReuse.count == planted["holdout_mrn_reuse_rows"] as? Int)
        #expect(!trainReuse.isEmpty && !holdoutReuse.isEmpty)

        let (status, rules) = try Self.scanRules(release)
        let rule = try #require(rules.first { $0["id"] as? String == "privacy/identifier-reuse" })
        #expect(rule["status"] as? String == "fail")
        if rule["level"] as? String == "error" { #expect(status == 1) }
        let findings = try #require(rule["findings"] as? [[String: Any]])
        // The training MRNs are the findings (at the rule's level); the holdout MRNs are the
        // chance baseline, notes; MRN-format ids that match no real patient are not reuse.
        #expect(Self.rowsAndLines(findings, level: "note", excluding: true) == trainReuse.sorted { $0[0] < $1[0] })
        #expect(Self.rowsAndLines(findings, level: "note") == holdoutReuse.sorted { $0[0] < $1[0] })
        #expect(findings.count == trainReuse.count + holdoutReuse.count)
        let levels = Set(findings.compactMap { $0["level"] as? String }.filter { $0 != "note" })
        #expect(levels == Set([rule["level"] as? String].compactMap { $0 }), "training MRNs are reported at the rule's level")
    }

    @Test func institutionMRNPatternFlagsEveryPlantedMRN() throws {
        let release = "synthetic_leaked_identifiers.csv"
        let leaks = try Self.plantedLeaks(in: release)
        let planted = try #require(try Self.planted(in: release))
        #expect(leaks.count == planted["leaked_rows"] as? Int)
        #expect(Set(leaks.map(\.kind)) == ["train_mrn_reuse", "holdout_mrn_reuse", "mrn_format"])

        // Every leaked id, reused or invented, is in the MRN format; the SYN- ids are not.
        let (status, rules) = try Self.scanRules(release, packs: ["../Rules/examples/northwind-health"])
        #expect(status == 1)
        let rule = try #require(rules.first { $0["id"] as? String == "northwind/mrn-format" })
        #expect(rule["status"] as? String == "fail")
        let findings = try #require(rule["findings"] as? [[String: Any]])
        #expect(Self.rowsAndLines(findings, level: "error") == leaks.map { [$0.row, $0.line] }.sorted { $0[0] < $1[0] })
        #expect(findings.count == leaks.count)
        #expect(findings.allSatisfy { $0["columns"] as? [String] == ["patient_id"] })
    }

    @Test func nearCopiesAreFoundByDistanceToClosestRecord() throws {
        let release = "synthetic_near_copies.csv"
        let planted = try #require(try Self.planted(in: release)?["near_copies"] as? [[String: Any]])
        let plantedRows = Set(planted.compactMap { $0["row"] as? Int })
        #expect(plantedRows.count == 15)
        let (status, rules) = try Self.scanRules(release)
        #expect(status == 1)
        let rule = try #require(rules.first { $0["id"] as? String == "privacy/distance-to-closest-record" })
        #expect(rule["status"] as? String == "fail")
        let findings = try #require(rule["findings"] as? [[String: Any]])
        let flagged = Set(findings.compactMap { $0["row"] as? Int })
        #expect(plantedRows.isSubset(of: flagged), "every planted near copy is flagged; missed: \(plantedRows.subtracting(flagged).sorted())")
        #expect(flagged.count <= plantedRows.count + 5, "few chance near copies besides the planted ones")
        for finding in findings {
            let line = try #require(finding["line"] as? Int)
            #expect(line == (finding["row"] as? Int ?? 0) + 1)
            #expect((finding["matched_record_digest"] as? String)?.count == 32)
        }
    }

    @Test(arguments: ["synthetic_clean.csv", "synthetic_dropped_subgroup.csv", "synthetic_amplified_disparity.csv",
                      "synthetic_erased_rare.csv", "synthetic_leaked_identifiers.csv"])
    func releasesWithoutMemorisationPassTheDistanceRule(release: String) throws {
        let (_, rules) = try Self.scanRules(release)
        let rule = try #require(rules.first { $0["id"] as? String == "privacy/distance-to-closest-record" })
        #expect(rule["status"] as? String == "pass")
        #expect((rule["findings"] as? [[String: Any]])?.isEmpty == true)
    }

    @Test func demoSARIFIsValidAgainstTheOfficialSchema() throws {
        let folder = try TemporaryFolder()
        let sarif = folder.path("copies.sarif")
        let json = folder.path("copies.json")
        let run = try CLIRunner.run(["scan", "--config", "synthscan.yaml", "--sarif", sarif, "--json", json, "--source-root", ".."],
                                    in: Self.examples)
        #expect(run.status == 1)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sarif))) as? [String: Any])
        let results = try #require((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        let rules = try #require(report["rules"] as? [[String: Any]])
        // One SARIF result per finding, plus one table-level result per failing rule without findings.
        let expected = rules.reduce(0) { total, rule in
            let findings = rule["finding_count"] as? Int ?? 0
            return total + findings + (rule["status"] as? String == "fail" && findings == 0 ? 1 : 0)
        }
        #expect(results.count == expected)
        #expect(results.count >= 23, "at least the 20 training and 3 holdout copies")
        for result in results {
            let location = (result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
            #expect((location?["artifactLocation"] as? [String: Any])?["uri"] as? String == "Examples/synthetic_copies.csv")
        }
    }
}
