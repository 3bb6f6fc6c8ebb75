import Foundation
import Testing

/// End-to-end tests of `synthscan rules ...` and of scanning with an institution pack.
@Suite struct RulesCommandTests {
    static let northwind = CLIRunner.repositoryRoot.appendingPathComponent("Rules/examples/northwind-health").path
    static let examples = CLIRunner.repositoryRoot.appendingPathComponent("Examples")

    /// A rule file for a pack under test; `expect` is what its one triggering example claims.
    static func rule(id: String, expectOnCopy: String = "fail", extra: String = "") -> String {
        """
        format: 1
        id: \(id)
        check: exact-copy
        summary: Test rule.
        description: Test rule.
        severity: warning
        help: Test help.
        \(extra)
        tests:
          - name: a copy
            expect: \(expectOnCopy)
            measurements: { exact_copies_train: 1 }
            train: |
              a,b
              1,x
            synthetic: |
              a,b
              1,x
          - name: no copy
            expect: pass
            train: |
              a,b
              1,x
            synthetic: |
              a,b
              2,y

        """
    }

    static func pack(_ folder: TemporaryFolder, rules: [String: String], manifestExtra: String = "") throws -> String {
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("pack/rules"), withIntermediateDirectories: true)
        try folder.write("pack/pack.yaml", """
            format: 1
            pack: test/pack
            version: 1.0.0
            extends: synthscan/core
            rules: ["rules/*.yaml"]
            \(manifestExtra)

            """)
        for (name, text) in rules { try folder.write("pack/rules/\(name)", text) }
        return folder.path("pack")
    }

    @Test func listShowsCoreRulesAndPacks() throws {
        let run = try CLIRunner.run(["rules", "list"], in: FileManager.default.temporaryDirectory)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("privacy/exact-copy") && run.stdout.contains("synthscan/core 0.4.0  embedded  sha256:"))
    }

    @Test func showNamesWhichPackSetEachValue() throws {
        let run = try CLIRunner.run(["rules", "show", "privacy/identifier-reuse", "--rules", Self.northwind])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("max_findings  100000  northwind-health/release-policy"))
        #expect(run.stdout.contains("Overrides:\n  northwind-health/release-policy: max_findings: 1000 → 100000"))
        let disabled = try CLIRunner.run(["rules", "show", "privacy/email-address", "--rules", Self.northwind])
        #expect(disabled.stdout.contains("state:              disabled by northwind-health/release-policy: Synthetic releases"))
        let unknown = try CLIRunner.run(["rules", "show", "privacy/exact-copie"])
        #expect(unknown.status == 2 && unknown.stderr.contains("did you mean 'privacy/exact-copy'?"))
    }

    @Test func validateReportsEveryMistakeWithPositions() throws {
        let f = try TemporaryFolder()
        let bad1 = Self.rule(id: "test/one").replacingOccurrences(of: "check: exact-copy", with: "check: exact-copie")
        let bad2 = Self.rule(id: "test/two", extra: "params: { max_copy: 1 }")
        let pack = try Self.pack(f, rules: ["one.yaml": bad1, "two.yaml": bad2])
        let run = try CLIRunner.run(["rules", "validate", pack])
        #expect(run.status == 2)
        #expect(run.stderr.contains("pack/rules/one.yaml:3:8: error: unknown check kind 'exact-copie' (did you mean 'exact-copy'?)"))
        #expect(run.stderr.contains("pack/rules/two.yaml:8:11: error: unknown parameter 'max_copy' for check kind 'exact-copy' (did you mean 'max_copies'?)"))
        #expect(run.stdout.isEmpty)
    }

    @Test func strictValidationFailsOnARuleWithoutTests() throws {
        let f = try TemporaryFolder()
        let untested = Self.rule(id: "test/untested").components(separatedBy: "tests:")[0]
        let pack = try Self.pack(f, rules: ["u.yaml": untested])
        let lenient = try CLIRunner.run(["rules", "validate", pack])
        #expect(lenient.status == 0 && lenient.stderr.contains("[missing-tests]"))
        let strict = try CLIRunner.run(["rules", "validate", "--strict", pack])
        #expect(strict.status == 2)
    }

    @Test func aWrongExampleFailsRulesTestWithAReadableDiff() throws {
        let f = try TemporaryFolder()
        let pack = try Self.pack(f, rules: ["w.yaml": Self.rule(id: "test/wrong", expectOnCopy: "pass")])
        let run = try CLIRunner.run(["rules", "test", pack])
        #expect(run.status == 1)
        #expect(run.stdout.contains("✗ a copy  [does not trigger]"))
        #expect(run.stdout.contains("pack/rules/w.yaml:10"))
        #expect(run.stdout.contains("verdict: expected pass, got fail"))
        #expect(run.stdout.contains("2 tests, 1 passed, 1 failed"))
        let good = try CLIRunner.run(["rules", "test", Self.northwind])
        #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
        #expect(good.stdout.contains("northwind/mrn-format") && good.stdout.contains(", 0 failed"))
    }

    @Test func initScaffoldsAPackThatValidatesAndPasses() throws {
        let f = try TemporaryFolder()
        let created = try CLIRunner.run(["rules", "init", "acme-health/policy", "--directory", "acme"], in: f.url)
        #expect(created.status == 0, "\(created.stderr)")
        #expect(try CLIRunner.run(["rules", "validate", "--strict", "acme"], in: f.url).status == 0)
        let tested = try CLIRunner.run(["rules", "test", "acme"], in: f.url)
        #expect(tested.status == 0 && tested.stdout.contains("acme-health/quasi-identifier-copy"))
        let manifest = try String(contentsOf: f.url.appendingPathComponent("acme/pack.yaml"), encoding: .utf8)
        let again = try CLIRunner.run(["rules", "init", "acme-health/policy", "--directory", "acme"], in: f.url)
        #expect(again.status == 2 && again.stderr.contains("already exists"))
        #expect(try String(contentsOf: f.url.appendingPathComponent("acme/pack.yaml"), encoding: .utf8) == manifest)
    }

    @Test func lockFileStopsASilentlyChangedPack() throws {
        let f = try TemporaryFolder()
        let pack = try Self.pack(f, rules: ["r.yaml": Self.rule(id: "test/locked")])
        let lock = try CLIRunner.run(["rules", "lock", pack])
        #expect(lock.status == 0, "\(lock.stderr)")
        let lockText = try String(contentsOfFile: pack + "/synthscan-pack.lock.yaml", encoding: .utf8)
        #expect(lockText.contains("pack: synthscan/core") && lockText.contains("pack: test/pack"))
        #expect(try CLIRunner.run(["rules", "validate", pack]).status == 0)
        try f.write("pack/rules/r.yaml", Self.rule(id: "test/locked").replacingOccurrences(of: "severity: warning", with: "severity: note"))
        let changed = try CLIRunner.run(["rules", "validate", pack])
        #expect(changed.status == 2)
        #expect(changed.stderr.contains("pack 'test/pack' has changed since it was locked"))
        #expect(changed.stderr.contains("synthscan rules lock"))
        #expect(try CLIRunner.run(["rules", "lock", pack]).status == 0)
        #expect(try CLIRunner.run(["rules", "validate", pack]).status == 0)
    }

    @Test func institutionPackRulesFireOnTheExampleData() throws {
        let f = try TemporaryFolder()
        let run = try CLIRunner.run(["scan", "--rules", Self.northwind, "--synthetic", "synthetic_near_copies.csv",
                                     "--json", f.path("report.json"), "--sarif", f.path("report.sarif"), "--fail-on", "none"],
                                    in: Self.examples)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("FAIL  warning  northwind/quasi-identifier-copy"))
        #expect(run.stdout.contains("OFF   privacy/email-address (northwind-health/release-policy)"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: f.path("report.json")))) as! [String: Any]
        let packs = (json["rule_packs"] as! [[String: Any]]).map { $0["id"] as! String }
        #expect(packs == ["synthscan/core", "northwind-health/release-policy"])
        let disabled = (json["disabled_rules"] as! [[String: Any]]).map { $0["id"] as! String }
        #expect(disabled == ["privacy/email-address"])
        let sarif = try String(contentsOfFile: f.path("report.sarif"), encoding: .utf8)
        #expect(sarif.contains("\"name\" : \"northwind-health/release-policy\""))
    }
}
