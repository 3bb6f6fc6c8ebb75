import Foundation
import Testing
@testable import SynthScanCore

/// `by:` slicing: a rule runs again within each group of its `by` columns, and the groups where it
/// fails are named as notes without changing the whole-table verdict.
@Suite struct SliceRunnerTests {
    static func context(train: String, holdout: String, synthetic: String) throws -> ScanContext {
        let folder = try TestFiles.Folder("slices")
        defer { folder.remove() }
        var configuration = ScanConfiguration()
        configuration.inputs.train = try folder.write("train.csv", train)
        configuration.inputs.holdout = try folder.write("holdout.csv", holdout)
        configuration.inputs.synthetic = try folder.write("synthetic.csv", synthetic)
        configuration.failOn = nil
        return ScanContext(data: try DatasetLoader.load(configuration), configuration: configuration)
    }

    static func rule(_ kind: any Check.Type, id: String, by: [String]) -> RuleDescriptor {
        var values: [String: ParameterValue] = [:]
        for spec in kind.parameters { values[spec.name] = spec.defaultValue }
        var rule = RuleDescriptor(id: id, check: kind.kind, summary: "s", description: "d", help: "h", severity: .error,
                                  tags: [], references: [], parameters: RuleParameters(values), messageTemplate: nil, pack: "test")
        rule.sliceBy = by
        return rule
    }

    /// Rows `g,x,y` with x, y drawn uniformly (seeded), `a` rows in group A and `b` in B.
    static func rows(_ rng: inout TestFiles.SeededRandom, a: Int, b: Int) -> [String] {
        func u() -> String { String(format: "%.4f", Double(rng.next() >> 11) / Double(1 << 53) * 100) }
        return (0..<(a + b)).map { "\($0 < a ? "A" : "B"),\(u()),\(u())" }
    }

    @Test func memorisationInASmallGroupIsNamedAsASlice() throws {
        var rng = TestFiles.SeededRandom(seed: 41)
        let train = Self.rows(&rng, a: 300, b: 30), holdout = Self.rows(&rng, a: 300, b: 30)
        // The release: fresh records for A, copies of B's training records for B.
        let synthetic = Self.rows(&rng, a: 300, b: 0) + train.suffix(30)
        let header = "g,x,y\n"
        let context = try Self.context(train: header + train.joined(separator: "\n") + "\n",
                                       holdout: header + holdout.joined(separator: "\n") + "\n",
                                       synthetic: header + synthetic.joined(separator: "\n") + "\n")
        let rule = Self.rule(ExactCopyCheck.self, id: "test/exact-copy", by: ["g"])
        let outcome = try #require(try ScanEngine.evaluate(rules: [rule], context: context).first)
        #expect(outcome.measurement("slices_run") == 2)
        #expect(outcome.measurement("slices_failing") == 1)
        let slices = outcome.findings.filter { $0.location.subgroup != nil }
        #expect(slices.map(\.location.subgroup) == ["g=B"])
        let b = try #require(slices.first)
        #expect(b.level == .note)
        #expect(b.message.contains("First flagged synthetic row in the slice: row 301."), "rows map back to the full file: \(b.message)")
        #expect(outcome.message.contains("Sliced by g"))
        // Without `by` nothing about slices is added.
        let plain = try #require(try ScanEngine.evaluate(rules: [Self.rule(ExactCopyCheck.self, id: "test/exact-copy", by: [])], context: context).first)
        #expect(plain.measurement("slices_run") == nil && plain.findings.allSatisfy { $0.location.subgroup == nil })
        #expect(plain.status == outcome.status, "slicing does not change the verdict")
    }

    @Test func smallSlicesAreCountedNotRun() throws {
        var rng = TestFiles.SeededRandom(seed: 42)
        let header = "g,x,y\n"
        let text = header + Self.rows(&rng, a: 40, b: 5).joined(separator: "\n") + "\n"
        let context = try Self.context(train: text, holdout: text, synthetic: text)
        let outcome = try #require(try ScanEngine.evaluate(rules: [Self.rule(DistanceToClosestRecordCheck.self, id: "test/dcr", by: ["g"])], context: context).first)
        #expect(outcome.measurement("slices_run") == 1)
        #expect(outcome.measurement("slices_skipped_small") == 1, "group B has 5 training rows: under 11")
    }

    @Test func byIsReadFromRuleFilesAndOverrides() throws {
        let ws = try RulePackTests.Workspace()
        try ws.write("acme/rules/sample.yaml", RulePackTests.rule())
        try ws.write("acme/pack.yaml", RulePackTests.manifest(tail: """
            extends: { pack: synthscan/core }
            overrides:
              privacy/exact-copy:
                by: [race]

            """))
        let set = try ws.load(["acme"])
        #expect(set.rule("privacy/exact-copy")?.descriptor.sliceBy == ["race"])
        try ws.write("acme/pack.yaml", RulePackTests.manifest(tail: """
            extends: { pack: synthscan/core }
            overrides:
              privacy/exact-copy:
                by: [race, sex, age]

            """))
        let errors = ws.errors(["acme"])
        #expect(errors.contains { $0.message.contains("a rule can be sliced by one column or the intersections of two") })
    }
}
