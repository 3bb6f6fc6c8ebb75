import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import SynthScanCore

/// The code-review features around the reports: JUnit XML, SARIF baselines (`baselineState`,
/// `--fail-on new`), pass results, suppressed results, and the suppressions file.
@Suite struct ReviewWorkflowTests {
    typealias R = ReportTests

    // MARK: - JUnit

    @Test func junitHasOneTestcasePerRuleAndIsWellFormed() throws {
        let text = try R.text(JUnitReportWriter())
        try R.checkGolden("report-sample.junit.xml", text)
        let parser = XMLParser(data: Data(text.utf8))
        #expect(parser.parse(), "well-formed XML: \(String(describing: parser.parserError))")
        let result = R.sample()
        #expect(text.components(separatedBy: "<testcase ").count - 1 == result.outcomes.count)
        let failing = result.outcomes.filter { $0.status == .fail && !$0.isWaived }.count
        #expect(text.contains("failures=\"\(failing)\""))
        for value in R.realValues { #expect(!text.contains(value), "JUnit must not print \(value)") }
    }

    @Test func junitEscapesMarkupAndDropsForbiddenCharacters() {
        #expect(JUnitReportWriter.escape("a<b & \"c\" 'd'>\u{1}\u{7}e") == "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;e")
    }

    // MARK: - Baselines

    /// The SARIF results of `result` as JSON objects, written by `writer`.
    static func results(_ writer: SARIFReportWriter, _ result: ScanResult) throws -> [[String: Any]] {
        let log = try R.json(try writer.writeString(result))
        return try #require(((log["runs"] as? [[String: Any]])?.first?["results"]) as? [[String: Any]])
    }

    static func writer() -> SARIFReportWriter {
        var w = SARIFReportWriter(sourceRootURI: "file:///repo/")
        w.hashArtifacts = false
        return w
    }

    @Test func baselineStatesAreUnchangedUpdatedNewAndAbsent() throws {
        let old = R.sample()
        let baselineText = try Self.writer().writeString(old)
        let baseline = try SARIFBaseline(data: Data(baselineText.utf8), path: "old.sarif")
        #expect(baseline.entries.count == (try Self.results(Self.writer(), old)).count)

        // Same scan: everything unchanged, nothing new.
        var w = Self.writer()
        w.baseline = baseline
        let same = try Self.results(w, old)
        #expect(same.allSatisfy { $0["baselineState"] as? String == "unchanged" })
        #expect(try w.newFailures(old, atOrAbove: .note) == 0)

        // Drop one copy finding, change a measurement of another, add a new one.
        var changed = old
        let copy = try #require(changed.outcomes.firstIndex { $0.rule.id == "privacy/exact-copy" })
        let dropped = changed.outcomes[copy].findings.removeFirst()
        changed.outcomes[copy].findings[0].measurements = [Measurement("distance", 0.5)]
        var added = changed.outcomes[copy].findings[0]
        added.fingerprint = "00000000000000ff"
        added.measurements = []
        changed.outcomes[copy].findings.append(added)
        let states = try Self.results(w, changed)
        func state(_ fingerprint: String) -> String? {
            states.first { ($0["partialFingerprints"] as? [String: String])?[SARIFReportWriter.findingFingerprintKey] == fingerprint }?["baselineState"] as? String
        }
        #expect(state(dropped.fingerprint) == "absent")
        #expect(state(changed.outcomes[copy].findings[0].fingerprint) == "updated")
        #expect(state("00000000000000ff") == "new")
        let absent = try #require(states.first { $0["baselineState"] as? String == "absent" })
        #expect(absent["kind"] as? String == "pass" && absent["level"] as? String == "none", "an absent result opens no alert")
        #expect(try w.newFailures(changed, atOrAbove: .error) == 1)
        #expect(try w.newFailures(changed, atOrAbove: .error) == 1)
        let log = try R.json(try w.writeString(changed))
        #expect(SARIFLint.check(object: log).isEmpty, "\(SARIFLint.check(object: log))")
    }

    @Test func aBaselineMustBeASynthscanSARIFLog() {
        #expect(throws: SARIFBaseline.LoadError.invalid(path: "x.sarif", reason: "the file is not JSON")) {
            _ = try SARIFBaseline(data: Data("not json".utf8), path: "x.sarif")
        }
        #expect(throws: SARIFBaseline.LoadError.invalid(path: "x.sarif", reason: "it holds no synthscan run")) {
            _ = try SARIFBaseline(data: Data(#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"other"}},"results":[]}]}"#.utf8), path: "x.sarif")
        }
    }

    // MARK: - Passes and suppressed results

    @Test func passesAreListedOnlyWhenAsked() throws {
        var result = R.sample()
        result.outcomes.append(RuleOutcome(rule: result.outcomes[0].rule.renamed("privacy/passing"), status: .pass, level: .error,
                                           message: "No copies.", measurements: [Measurement("copies", 0)], findings: []))
        let plain = try Self.results(Self.writer(), result)
        #expect(plain.allSatisfy { $0["kind"] == nil })
        var w = Self.writer()
        w.includePasses = true
        let withPasses = try Self.results(w, result)
        let pass = try #require(withPasses.first { $0["ruleId"] as? String == "privacy/passing" })
        #expect(pass["kind"] as? String == "pass" && pass["level"] as? String == "none")
        #expect((pass["properties"] as? [String: Any])?["copies"] as? Int == 0)
        #expect(SARIFLint.check(object: try R.json(try w.writeString(result))).isEmpty)
    }

    @Test func suppressedFindingsAreLeftOutUnlessAsked() throws {
        var result = R.sample()
        let copy = try #require(result.outcomes.firstIndex { $0.rule.id == "privacy/exact-copy" })
        let waived = result.outcomes[copy].findings[0].fingerprint
        ScanEngine.apply([Waiver(ruleID: "privacy/exact-copy", fingerprints: [waived], reason: "Reviewed: public statistic.",
                                 approvedBy: "privacy office", expires: "2027-01-01", pack: "suppressions", file: "s.yaml", line: 3)],
                         to: &result.outcomes[copy])
        var w = Self.writer()
        w.includeSuppressed = false
        let omitted = try Self.results(w, result)
        #expect(!omitted.contains { ($0["partialFingerprints"] as? [String: String])?[SARIFReportWriter.findingFingerprintKey] == waived })
        w.includeSuppressed = true
        let kept = try Self.results(w, result)
        let r = try #require(kept.first { ($0["partialFingerprints"] as? [String: String])?[SARIFReportWriter.findingFingerprintKey] == waived })
        let suppression = try #require((r["suppressions"] as? [[String: Any]])?.first)
        #expect((suppression["justification"] as? String)?.contains("Reviewed: public statistic.") == true)
    }

    // MARK: - Suppressions file

    static let rules: Set<String> = ["privacy/exact-copy", "bias/subgroup-erasure"]

    @Test func suppressionsFileEntriesBecomeWaiversAndExpiredOnesWarnings() throws {
        let text = """
            format: 1
            suppressions:
              - rule: privacy/exact-copy
                fingerprint: 0123456789ABCDEF
                justification: Reviewed.
                owner: privacy office
                expires: 2027-01-01
              - rule: bias/subgroup-erasure
                subgroup: race=X
                justification: Out of scope.
                owner: steward
                expires: 2026-01-01

            """
        let file = try SuppressionsFile.parse(text, file: "s.yaml", knownRules: Self.rules, today: "2026-11-29")
        #expect(file.waivers.count == 1)
        #expect(file.waivers[0].fingerprints == ["0123456789abcdef"] && file.waivers[0].approvedBy == "privacy office")
        #expect(file.expired.count == 1)
        #expect(file.expired[0].line == 8 && file.expired[0].message.contains("expired on 2026-01-01"))
    }

    @Test func subgroupSuppressionsCoverTheirIntersections() {
        #expect(ScanEngine.covers(["race=X"], "race=X & sex=F"))
        #expect(ScanEngine.covers(["race=X"], "race=X"))
        #expect(!ScanEngine.covers(["race=X"], "race=Y & sex=F"))
        #expect(!ScanEngine.covers(["race=X & sex=F"], "race=X"))
    }

    @Test(arguments: [
        ("  - rule: privacy/exact-copy\n    justification: x\n    owner: y\n    expires: 2027-01-01\n", 3, "give exactly one of `fingerprint`"),
        ("  - rule: privacy/exact-cpy\n    subgroup: a=b\n    justification: x\n    owner: y\n    expires: 2027-01-01\n", 3, "did you mean 'privacy/exact-copy'?"),
        ("  - rule: privacy/exact-copy\n    fingerprint: xyz\n    justification: x\n    owner: y\n    expires: 2027-01-01\n", 4, "16-digit hex"),
        ("  - rule: privacy/exact-copy\n    subgroup: a=b\n    justification: x\n    owner: y\n    expires: soon\n", 7, "a date such as 2027-03-31"),
        ("  - rule: privacy/exact-copy\n    subgroup: a=b\n    justification: x\n    expires: 2027-01-01\n", 3, "owner"),
    ])
    func badEntriesAreReportedWithTheirLine(entry: String, line: Int, phrase: String) {
        do {
            _ = try SuppressionsFile.parse("format: 1\nsuppressions:\n" + entry, file: "s.yaml", knownRules: Self.rules, today: "2026-11-29")
            Issue.record("parsed")
        } catch {
            let text = error.description
            #expect(text.contains("s.yaml:\(line):"), "\(text)")
            #expect(text.contains(phrase), "\(text)")
        }
    }
}

extension RuleDescriptor {
    /// A copy with another id.
    func renamed(_ id: String) -> RuleDescriptor {
        var copy = self
        copy.id = id
        return copy
    }
}
