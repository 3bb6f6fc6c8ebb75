import Foundation
import Testing

/// `scan --card` and `card verify` on the example data, as a releaser and a reviewer use them.
@Suite struct ReleaseCardCommandTests {
    /// A temporary copy of Examples/ (CSV files and synthscan.yaml).
    static func exampleCopy() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        let examples = ExampleScanTests.examples
        for name in try FileManager.default.contentsOfDirectory(atPath: examples.path) where name.hasSuffix(".csv") || name == "synthscan.yaml" {
            try FileManager.default.copyItem(at: examples.appendingPathComponent(name), to: folder.url.appendingPathComponent(name))
        }
        return folder
    }

    static func json(_ path: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    /// The demo's card verifies; a rescan reproduces its evaluation byte for byte; one changed
    /// synthetic row makes verification fail and names the file's digests.
    @Test func demoCardVerifiesAndFailsAfterOneRowChanges() throws {
        let folder = try Self.exampleCopy()
        let scan = try CLIRunner.run(["scan", "--config", "synthscan.yaml", "--card", "card.md", "--quiet"], in: folder.url)
        #expect(scan.status == 1, "the demo release fails the gate: \(scan.stderr)")
        let markdown = try String(contentsOfFile: folder.path("card.md"), encoding: .utf8)
        let card = try Self.json(folder.path("card.json"))
        #expect(card["format"] as? String == "synthscan-release-card")
        #expect(markdown.hasPrefix("# Release card: example-cohort-copies\n"))

        let verified = try CLIRunner.run(["card", "verify", "card.md", "--config", "synthscan.yaml", "--quiet"], in: folder.url)
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stdout.hasPrefix("card verified: card.md"))

        // The same scan again: the evaluation section is byte-identical (Markdown and JSON).
        let again = try CLIRunner.run(["scan", "--config", "synthscan.yaml", "--card", "again.md", "--quiet"], in: folder.url)
        #expect(again.status == 1)
        let againMarkdown = try String(contentsOfFile: folder.path("again.md"), encoding: .utf8)
        let section = { (text: String) -> Substring? in
            guard let a = text.range(of: "## How it was evaluated"), let b = text.range(of: "## Governance") else { return nil }
            return text[a.lowerBound..<b.lowerBound]
        }
        #expect(section(markdown) != nil)
        #expect(section(markdown) == section(againMarkdown))
        let againCard = try Self.json(folder.path("again.json"))
        #expect(againCard["evaluation_digest"] as? String == card["evaluation_digest"] as? String)
        let canonical = { (object: Any) throws -> Data in try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) }
        #expect(try canonical(try #require(card["evaluation"])) == canonical(try #require(againCard["evaluation"])))

        // One synthetic row changed: exit 1, the synthetic file's digest mismatch is named.
        let synthetic = folder.path("synthetic_copies.csv")
        var lines = try String(contentsOfFile: synthetic, encoding: .utf8).components(separatedBy: "\n")
        let row = lines[5]
        lines[5] = row.contains(",F,") ? row.replacingOccurrences(of: ",F,", with: ",M,") : row.replacingOccurrences(of: ",M,", with: ",F,")
        #expect(lines[5] != row)
        try lines.joined(separator: "\n").write(toFile: synthetic, atomically: true, encoding: .utf8)
        let released = try #require((card["released"] as? [String: Any])?["files"] as? [[String: Any]])
        let recordedSHA = try #require(released.first { $0["role"] as? String == "synthetic" }?["sha256"] as? String)
        let failed = try CLIRunner.run(["card", "verify", "card.json", "--config", "synthscan.yaml", "--quiet"], in: folder.url)
        #expect(failed.status == 1, "\(failed.stdout)\(failed.stderr)")
        #expect(failed.stdout.hasPrefix("card NOT verified: card.json:"))
        #expect(failed.stdout.contains("  - the synthetic file synthetic_copies.csv is not the one the card records (synthetic_copies.csv): SHA-256 expected \(recordedSHA), actual "),
                "\(failed.stdout)")
    }

    /// A suppression is listed in the card's governance with its justification, counted in the
    /// rule's verdict, and verification without the suppressions file says what changed.
    @Test func suppressionsAreRecordedAndVerified() throws {
        let folder = try Self.exampleCopy()
        let report = try CLIRunner.run(["scan", "--config", "synthscan.yaml", "--format", "json", "--quiet"], in: folder.url)
        let rules = try #require((try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])?["rules"] as? [[String: Any]])
        let copies = try #require(rules.first { $0["id"] as? String == "privacy/exact-copy" }?["findings"] as? [[String: Any]])
        let fingerprint = try #require(copies.first?["fingerprint"] as? String)
        try folder.write("accepted.yaml", """
            format: 1
            suppressions:
              - rule: privacy/exact-copy
                fingerprint: \(fingerprint)
                justification: Reviewed with the privacy office.
                owner: privacy-office@example.org
                expires: 2099-12-31

            """)
        let scan = try CLIRunner.run(["scan", "--config", "synthscan.yaml", "--suppressions", "accepted.yaml", "--card", "card.md", "--quiet"], in: folder.url)
        #expect(scan.status == 1, "\(scan.stderr)")
        let markdown = try String(contentsOfFile: folder.path("card.md"), encoding: .utf8)
        #expect(markdown.contains("| `privacy/exact-copy` | `suppressions` | `accepted.yaml:3` | findings \(fingerprint) | 1 | Reviewed with the privacy office. | privacy-office@example.org | 2099-12-31 |"),
                "\(markdown.components(separatedBy: "## Governance").last ?? "")")
        #expect(markdown.contains("(1 waived)"))
        let verified = try CLIRunner.run(["card", "verify", "card.md", "--config", "synthscan.yaml", "--suppressions", "accepted.yaml", "--quiet"], in: folder.url)
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        let without = try CLIRunner.run(["card", "verify", "card.md", "--config", "synthscan.yaml", "--quiet"], in: folder.url)
        #expect(without.status == 1)
        #expect(without.stdout.contains("rule privacy/exact-copy: waived findings recorded 1, now 0"), "\(without.stdout)")
    }

    /// Without a config, the card's own settings are used with the files given on the command line.
    @Test func verifyWithFilesOnlyUsesTheCardsSettings() throws {
        let folder = try TemporaryFolder()
        let examples = ExampleScanTests.examples.path
        let files = ["--train", examples + "/train.csv", "--holdout", examples + "/holdout.csv", "--synthetic", examples + "/synthetic_clean.csv"]
        let scan = try CLIRunner.run(["scan", "--config", examples + "/synthscan.yaml", "--card", folder.path("clean.md"), "--quiet"] + files)
        #expect(scan.status == 0, "\(scan.stderr)")
        let verified = try CLIRunner.run(["card", "verify", folder.path("clean.md"), "--quiet"] + files)
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        // The holdout the card records is missing: a difference, not a crash.
        let noHoldout = try CLIRunner.run(["card", "verify", folder.path("clean.json"), "--quiet", "--train", examples + "/train.csv",
                                           "--synthetic", examples + "/synthetic_clean.csv"])
        #expect(noHoldout.status == 1)
        #expect(noHoldout.stdout.contains("the card records a holdout table (holdout.csv) but none was given to verify against"), "\(noHoldout.stdout)")
    }

    /// A change that stops the file from scanning (a renamed column) is still a difference, named first.
    @Test func aFileThatNoLongerScansFailsWithItsDigest() throws {
        let folder = try TemporaryFolder()
        let train = "age,sex,dx\n" + (0..<30).map { "\(20 + $0),\($0 % 2 == 0 ? "F" : "M"),I10\n" }.joined()
        try folder.write("train.csv", train)
        try folder.write("synthetic.csv", train.replacingOccurrences(of: ",I10", with: ",E11"))
        let files = ["--train", "train.csv", "--synthetic", "synthetic.csv"]
        let scan = try CLIRunner.run(["scan", "--card", "card.md", "--quiet"] + files, in: folder.url)
        #expect(scan.status <= 1, "\(scan.stderr)")
        try folder.write("synthetic.csv", train.replacingOccurrences(of: "age,sex,dx", with: "age,gender,dx"))
        let verify = try CLIRunner.run(["card", "verify", "card.md", "--quiet"] + files, in: folder.url)
        #expect(verify.status == 1, "\(verify.stdout)\(verify.stderr)")
        let lines = verify.stdout.components(separatedBy: "\n")
        #expect(lines.count >= 3 && lines[1].hasPrefix("  - the synthetic file synthetic.csv is not the one the card records (synthetic.csv): SHA-256 expected "), "\(verify.stdout)")
        #expect(verify.stdout.contains("the scan could not run again on these files: "), "\(verify.stdout)")
    }

    @Test func usageErrorsExitWithTwo() throws {
        let folder = try TemporaryFolder()
        try folder.write("card.md", "# not a card\n")
        let missing = try CLIRunner.run(["card", "verify", "card.md", "--train", "t.csv", "--synthetic", "s.csv"], in: folder.url)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("card.json: error: the release card's JSON is missing (expected beside card.md"), "\(missing.stderr)")
        try folder.write("card.json", #"{"format": "synthscan-report"}"#)
        let other = try CLIRunner.run(["card", "verify", "card.json", "--train", "t.csv", "--synthetic", "s.csv"], in: folder.url)
        #expect(other.status == 2 && other.stderr.contains("not a release card"), "\(other.stderr)")
        try folder.write("card.json", #"{"format": "synthscan-release-card", "card_version": 1}"#)
        let noFiles = try CLIRunner.run(["card", "verify", "card.json"], in: folder.url)
        #expect(noFiles.status == 2 && noFiles.stderr.contains("give --config FILE"), "\(noFiles.stderr)")
        let jsonCard = try CLIRunner.run(["scan", "--card", "card.json"], in: folder.url)
        #expect(jsonCard.status == 2 && jsonCard.stderr.contains("--card takes the Markdown path"), "\(jsonCard.stderr)")
    }

    @Test func unknownKeyInReleaseIsAnErrorWithItsPosition() throws {
        let folder = try TemporaryFolder()
        try folder.write("t.csv", "age,sex\n30,F\n")
        try folder.write("synthscan.yaml", "inputs: { train: t.csv, synthetic: t.csv }\nrelease:\n  name: r1\n  governance:\n    decison: approved\n")
        let run = try CLIRunner.run(["scan", "--card", "card.md"], in: folder.url)
        #expect(run.status == 2)
        #expect(run.stderr.contains("synthscan.yaml:5:5: error: unknown key 'decison' in 'release.governance' (did you mean 'decision'?) [unknown-key]"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.path("card.md")))
    }

    /// A distinctive real value (an identifier and a diagnosis, copied into the release) never
    /// reaches the card, nor does a small count of real records.
    @Test func cardHoldsNoRealValue() throws {
        let folder = try TemporaryFolder()
        var train = "mrn,age,sex,dx\n"
        for i in 0..<40 { train += "M\(1000 + i),\(20 + i),\(i % 2 == 0 ? "F" : "M"),I10\n" }
        train += "ZEBRA-7731,97,F,XQZZY-RARE\n"
        try folder.write("train.csv", train)
        try folder.write("holdout.csv", (0..<20).map { "H\($0),\(30 + $0),F,E11\n" }.reduce("mrn,age,sex,dx\n", +))
        try folder.write("synthetic.csv", (0..<40).map { "S\($0),\(60 + $0 % 25),M,J45\n" }.reduce("mrn,age,sex,dx\n", +) + "ZEBRA-7731,97,F,XQZZY-RARE\n")
        let run = try CLIRunner.run(["scan", "--train", "train.csv", "--holdout", "holdout.csv", "--synthetic", "synthetic.csv",
                                     "--identifiers", "mrn", "--quasi-identifiers", "age,sex", "--sensitive", "dx",
                                     "--card", "card.md", "--quiet"], in: folder.url)
        #expect(run.status == 1, "the copied patient fails the scan: \(run.stderr)")
        for file in ["card.md", "card.json"] {
            let text = try String(contentsOfFile: folder.path(file), encoding: .utf8)
            for value in ["ZEBRA-7731", "XQZZY-RARE", "M1000", "97,F"] {
                #expect(!text.contains(value), "\(file) shows the real value \(value)")
            }
        }
        let card = try Self.json(folder.path("card.json"))
        let rules = try #require((card["evaluation"] as? [String: Any])?["rules"] as? [[String: Any]])
        let copy = try #require(rules.first { $0["id"] as? String == "privacy/exact-copy" })
        #expect(copy["status"] as? String == "fail")
        let figures = try #require(copy["figures"] as? [[String: Any]])
        let copies = try #require(figures.first { $0["key"] as? String == "exact_copies_train" })
        #expect(copies["note"] as? String == "<11" && copies["value"] == nil, "one copied patient is a small count: \(copies)")
    }
}
