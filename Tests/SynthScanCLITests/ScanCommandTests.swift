import Foundation
import Testing

/// End-to-end tests of `synthscan scan`: exit codes, reports, and that no real value leaks.
@Suite struct ScanCommandTests {
    static let train = """
        mrn,age,sex,zip3,lab
        MRN-SECRET-1,34,F,021,1.5
        MRN-SECRET-2,50,M,945,2.25
        MRN-SECRET-3,61,F,100,
        MRN-SECRET-4,47,M,021,3.75

        """
    static let holdout = """
        mrn,age,sex,zip3,lab
        MRN-SECRET-5,29,F,945,4.5

        """
    /// Row 2 copies train record 2 (re-formatted numbers, other column order), row 3 copies train record 3,
    /// row 4 equals the holdout record; row 1 is new.
    static let synthetic = """
        lab,sex,zip3,age,mrn
        9.5,F,945,80,SYN-1
        2.250,M,945,50.0,SYN-2
        NA,F,100,61,SYN-3
        4.5,F,945,29,SYN-4

        """

    func folder() throws -> TemporaryFolder {
        let f = try TemporaryFolder()
        try f.write("train.csv", Self.train)
        try f.write("holdout.csv", Self.holdout)
        try f.write("synthetic.csv", Self.synthetic)
        return f
    }

    @Test func copiesFailTheGateWithExitCode1() throws {
        let f = try folder()
        let run = try CLIRunner.run(["scan", "--train", "train.csv", "--holdout", "holdout.csv", "--synthetic", "synthetic.csv",
                                     "--identifiers", "mrn", "--format", "json"], in: f.url)
        #expect(run.status == 1, "stderr: \(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let rules = try #require(json["rules"] as? [[String: Any]])
        let rule = try #require(rules.first { $0["id"] as? String == "privacy/exact-copy" })
        #expect(rule["status"] as? String == "fail")
        let m = try #require(rule["measurements"] as? [String: Any])
        #expect(m["exact_copies_train"] as? Int == 2)
        #expect(m["exact_copies_holdout"] as? Int == 1)
        let findings = try #require(rule["findings"] as? [[String: Any]])
        let trainRows = findings.filter { $0["level"] as? String == "error" }.compactMap { $0["row"] as? Int }
        #expect(trainRows == [2, 3])
        let lines = findings.filter { $0["level"] as? String == "error" }.compactMap { $0["line"] as? Int }
        #expect(lines == [3, 4])
        #expect(findings.filter { $0["level"] as? String == "note" }.compactMap { $0["row"] as? Int } == [4])
    }

    @Test func noRealValueAppearsInAnyReport() throws {
        let f = try folder()
        let run = try CLIRunner.run(["scan", "--train", "train.csv", "--holdout", "holdout.csv", "--synthetic", "synthetic.csv",
                                     "--identifiers", "mrn", "--sarif", "out.sarif", "--json", "out.json"], in: f.url)
        #expect(run.status == 1)
        let sarif = try String(contentsOfFile: f.path("out.sarif"), encoding: .utf8)
        let json = try String(contentsOfFile: f.path("out.json"), encoding: .utf8)
        for text in [run.stdout, run.stderr, sarif, json] {
            #expect(!text.contains("SECRET"))
            #expect(!text.contains("2.25"))
            #expect(!text.contains("3.75"))
        }
    }

    @Test func failOnNoneExitsZeroAndCleanDataPasses() throws {
        let f = try folder()
        let gated = try CLIRunner.run(["scan", "--train", "train.csv", "--synthetic", "synthetic.csv", "--identifiers", "mrn",
                                       "--fail-on", "none"], in: f.url)
        #expect(gated.status == 0, "stderr: \(gated.stderr)")
        try f.write("clean.csv", "mrn,age,sex,zip3,lab\nS1,81,F,945,9.5\nS2,82,M,100,8.5\n")
        let clean = try CLIRunner.run(["scan", "--train", "train.csv", "--synthetic", "clean.csv", "--identifiers", "mrn"], in: f.url)
        #expect(clean.status == 0, "stderr: \(clean.stderr)")
        #expect(clean.stdout.contains("PASS"))
    }

    @Test func uniqueIdColumnIsInferredAsTextAndLeftOutOfComparison() throws {
        // 30 distinct ids: the id column reads as free text, so a copy with a fresh id is still found
        // without --identifiers; with only a few rows the ids are categorical and the role is needed.
        let f = try TemporaryFolder()
        var train = "mrn,age,lab\n"
        for i in 0..<30 { train += "MRN-\(1000 + i),\(20 + i),\(Double(i) / 4)\n" }
        try f.write("train.csv", train)
        try f.write("synthetic.csv", "mrn,age,lab\nSYN-1,25,1.25\nSYN-2,99,9.75\n")
        let run = try CLIRunner.run(["scan", "--train", "train.csv", "--synthetic", "synthetic.csv", "--format", "json"], in: f.url)
        #expect(run.status == 1, "stderr: \(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let columns = try #require(json["columns"] as? [[String: Any]])
        #expect(columns.first { $0["name"] as? String == "mrn" }?["type"] as? String == "text")
    }

    @Test func usageErrorsExitWith2() throws {
        let f = try folder()
        let unknown = try CLIRunner.run(["scan", "--bogus"], in: f.url)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("--bogus"))
        let noSynthetic = try CLIRunner.run(["scan", "--train", "train.csv"], in: f.url)
        #expect(noSynthetic.status == 2)
        #expect(noSynthetic.stderr.contains("no synthetic table"))
        let badFailOn = try CLIRunner.run(["scan", "--train", "train.csv", "--synthetic", "synthetic.csv", "--fail-on", "fatal"], in: f.url)
        #expect(badFailOn.status == 2)
        let badRole = try CLIRunner.run(["scan", "--train", "train.csv", "--synthetic", "synthetic.csv", "--identifiers", "mnr"], in: f.url)
        #expect(badRole.status == 2)
        #expect(badRole.stderr.contains("did you mean 'mrn'"))
    }

    @Test func helpAndVersionExitZero() throws {
        let help = try CLIRunner.run(["scan", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--synthetic"))
        let version = try CLIRunner.run(["--version"])
        #expect(version.status == 0)
        #expect(!version.stdout.isEmpty)
    }

    @Test func badInputExitsWith2AndNamesTheLineNotTheValue() throws {
        let f = try folder()
        try f.write("ragged.csv", "mrn,age,sex,zip3,lab\nS1,81,F,945,9.5\nS2,82,M,SECRETVALUE\n")
        let run = try CLIRunner.run(["scan", "--train", "train.csv", "--synthetic", "ragged.csv"], in: f.url)
        #expect(run.status == 2)
        #expect(run.stderr.contains("ragged.csv:3"))
        #expect(!run.stderr.contains("SECRETVALUE"))
        let missing = try CLIRunner.run(["scan", "--train", "nope.csv", "--synthetic", "synthetic.csv"], in: f.url)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("nope.csv"))
        let directory = try CLIRunner.run(["scan", "--train", ".", "--synthetic", "synthetic.csv", "--input-format", "csv"], in: f.url)
        #expect(directory.status == 2)
        #expect(directory.stderr.contains("directory"))
    }

    @Test func badConfigExitsWith2WithPosition() throws {
        let f = try folder()
        try f.write("synthscan.yaml", "inputs:\n  train: train.csv\n  synthetic: synthetic.csv\nroles:\n  identifers: [mrn]\n")
        let run = try CLIRunner.run(["scan"], in: f.url)
        #expect(run.status == 2)
        #expect(run.stderr.contains("synthscan.yaml:5:3"))
        #expect(run.stderr.contains("identifiers"))
    }

    @Test func configFileIsDiscoveredAndCommandLineWins() throws {
        let f = try folder()
        try f.write("synthscan.yaml", "inputs:\n  train: train.csv\n  holdout: holdout.csv\n  synthetic: synthetic.csv\nroles:\n  identifiers: [mrn]\nfail_on: none\n")
        let discovered = try CLIRunner.run(["scan"], in: f.url)
        #expect(discovered.status == 0, "stderr: \(discovered.stderr)")
        let overridden = try CLIRunner.run(["scan", "--fail-on", "error"], in: f.url)
        #expect(overridden.status == 1)
    }

    @Test func sarifPointsAtSyntheticLines() throws {
        let f = try folder()
        let run = try CLIRunner.run(["scan", "--train", "train.csv", "--synthetic", "synthetic.csv", "--identifiers", "mrn",
                                     "--format", "sarif", "--output", "out.sarif"], in: f.url)
        #expect(run.status == 1)
        let data = try Data(contentsOf: URL(fileURLWithPath: f.path("out.sarif")))
        let log = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        let runs = try #require(log["runs"] as? [[String: Any]])
        let results = try #require(runs.first?["results"] as? [[String: Any]])
        let lines = results.filter { $0["ruleId"] as? String == "privacy/exact-copy" }.compactMap { r -> Int? in
            let loc = (r["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
            #expect((loc?["artifactLocation"] as? [String: Any])?["uri"] as? String == "synthetic.csv")
            return (loc?["region"] as? [String: Any])?["startLine"] as? Int
        }
        #expect(lines == [3, 4])
    }
}

/// Progress goes to stderr on a terminal only: a piped scan (as in CI) shows none, and `--quiet` is accepted.
@Suite struct ScanProgressTests {
    @Test func noProgressWhenStderrIsNotATerminal() throws {
        let f = try ScanCommandTests().folder()
        for extra in [[], ["--quiet"]] {
            let run = try CLIRunner.run(["scan", "--train", "train.csv", "--holdout", "holdout.csv", "--synthetic", "synthetic.csv",
                                         "--identifiers", "mrn", "--format", "json", "--fail-on", "none"] + extra, in: f.url)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            #expect(!run.stderr.contains("[1/"), "stderr: \(run.stderr)")
            #expect(!run.stderr.contains("loading"), "stderr: \(run.stderr)")
            #expect(!run.stderr.contains("\u{1B}"), "stderr: \(run.stderr)")
            #expect(!run.stdout.contains("loading"))
        }
    }
}
