import Foundation
import Testing
@testable import SynthScanCore

/// The `plausibility-rules` check: hard and soft verdicts, row findings that point at synthetic
/// lines without values, guarded real counts, concentration in protected groups, and the rule-file
/// validation of predicates.
@Suite struct PlausibilityRuleTests {
    static func rule(_ params: [String: ParameterValue]) -> RuleDescriptor {
        var values: [String: ParameterValue] = [:]
        for spec in PlausibilityRuleCheck.parameters { values[spec.name] = spec.defaultValue }
        for (k, v) in params { values[k] = v }
        return RuleDescriptor(id: "test/plausibility", check: PlausibilityRuleCheck.kind, summary: "s", description: "d", help: "h",
                              severity: .error, tags: [], references: [], parameters: RuleParameters(values), messageTemplate: nil, pack: "test")
    }

    static func run(train: String, synthetic: String, protected: [String] = [], _ params: [String: ParameterValue]) throws -> RuleOutcome {
        let folder = try TestFiles.Folder("plausibility")
        defer { folder.remove() }
        var configuration = ScanConfiguration()
        configuration.inputs.train = try folder.write("train.csv", train)
        configuration.inputs.synthetic = try folder.write("synthetic.csv", synthetic)
        configuration.roles.protected = protected
        configuration.failOn = nil
        let context = ScanContext(data: try DatasetLoader.load(configuration), configuration: configuration)
        return try #require(try ScanEngine.evaluate(rules: [rule(params)], context: context).first)
    }

    static func csv(_ header: String, _ rows: [String]) -> String { ([header] + rows).joined(separator: "\n") + "\n" }

    @Test func hardRuleListsViolatingRowsByLineWithoutValues() throws {
        // A quoted multi-line field shifts the file lines of later rows.
        let synthetic = "age,note\n40,ok\n-7,\"two\nlines\"\n200,x\n,x\n55,x\n-1,x\n"
        let outcome = try Self.run(train: Self.csv("age,note", ["30,a", "50,b"]), synthetic: synthetic,
                                   ["predicate": .text("age >= 0 and age <= 125"), "max_row_findings": .integer(2)])
        #expect(outcome.status == .fail)
        #expect(outcome.measurement("violations_synthetic") == 3)
        #expect(outcome.measurement("rows_evaluated_synthetic") == 5)
        #expect(outcome.measurement("rows_unknown_synthetic") == 1)
        #expect(outcome.measurement("violations_real") == 0)
        #expect(outcome.measurement("row_findings_truncated") == 1)
        let rows = outcome.findings.map { [$0.location.row ?? 0, $0.location.line ?? 0] }
        #expect(rows == [[2, 3], [3, 5]])
        for f in outcome.findings {
            #expect(!f.message.contains("-7") && !f.message.contains("200"), "no values: \(f.message)")
            #expect(f.location.recordDigest != nil && f.location.columns == ["age"])
        }
    }

    @Test func rowFingerprintsSurviveReordering() throws {
        let train = Self.csv("age,sex", ["30,F"])
        let a = try Self.run(train: train, synthetic: Self.csv("age,sex", ["-1,F", "40,M", "-1,F", "-2,M"]), ["predicate": .text("age >= 0")])
        let b = try Self.run(train: train, synthetic: Self.csv("age,sex", ["-2,M", "-1,F", "40,M", "-1,F"]), ["predicate": .text("age >= 0")])
        #expect(Set(a.findings.map(\.fingerprint)) == Set(b.findings.map(\.fingerprint)))
        #expect(Set(a.findings.map(\.fingerprint)).count == 3, "identical records get distinct fingerprints by occurrence")
    }

    @Test func maxViolationsAllowsAFew() throws {
        let outcome = try Self.run(train: Self.csv("age", ["30"]), synthetic: Self.csv("age", ["-1", "40", "50"]),
                                   ["predicate": .text("age >= 0"), "max_violations": .integer(1)])
        #expect(outcome.status == .pass)
        #expect(outcome.findings.isEmpty)
    }

    @Test func softRuleComparesWithTheTrainingDataAndGuardsSmallRealCounts() throws {
        // Training: 7 of 400 violate (small count: withheld); release: 60 of 400.
        let train = Self.csv("a1c,dm", Array(repeating: "7.0,no", count: 7) + Array(repeating: "7.0,yes", count: 193) + Array(repeating: "5.0,no", count: 200))
        let bad = Self.csv("a1c,dm", Array(repeating: "7.0,no", count: 60) + Array(repeating: "7.0,yes", count: 140) + Array(repeating: "5.0,no", count: 200))
        let soft: [String: ParameterValue] = ["predicate": .text("a1c >= 6.5 implies dm"), "hard": .boolean(false), "tolerance": .number(0.05)]
        let outcome = try Self.run(train: train, synthetic: bad, soft)
        #expect(outcome.status == .fail, "\(outcome.message)")
        #expect(outcome.measurement("violations_real") == nil && outcome.measurement("violation_share_real") == nil)
        #expect(outcome.measurement("difference_low") == nil, "the difference interval would reveal the small count")
        #expect(outcome.message.contains("<11 of 400"))
        #expect(!outcome.message.contains("1.75%"), "7/400 must not be printed")
        // The same release against a tolerance of 20 points: excess 13.25 points is within.
        var lenient = soft
        lenient["tolerance"] = .number(0.2)
        #expect(try Self.run(train: train, synthetic: bad, lenient).status == .pass)
        // Against a real table as inconsistent as the release, nothing fails.
        let same = try Self.run(train: bad, synthetic: bad, soft)
        #expect(same.status == .pass)
        #expect(same.measurement("violations_real") == 60)
        #expect(try #require(same.measurement("difference_low")) < 0)
    }

    @Test func violationsConcentratedInAGroupAreNamed() throws {
        var rows: [String] = []
        for i in 0..<400 { rows.append("\(i < 40 ? -1 : 50),F") }     // 10% of F violate
        for i in 0..<400 { rows.append("\(i < 4 ? -1 : 50),M") }      // 1% of M
        let outcome = try Self.run(train: Self.csv("age,sex", ["30,F", "40,M"]), synthetic: Self.csv("age,sex", rows),
                                   protected: ["sex"], ["predicate": .text("age >= 0"), "max_row_findings": .integer(0)])
        #expect(outcome.status == .fail)
        #expect(outcome.measurement("groups_judged") == 2)
        #expect(outcome.measurement("groups_concentrated") == 1)
        let group = try #require(outcome.findings.first { $0.location.subgroup != nil })
        #expect(group.location.subgroup == "sex=F")
        #expect(abs(try #require(group.measurements.first { $0.key == "ratio" }?.value) - 10) < 1e-9)
        #expect(outcome.message.contains("concentrate in sex=F"))
    }

    @Test func missingColumnsStopTheScanUnlessTheRuleSaysSkip() throws {
        let t = Self.csv("age", ["30"])
        #expect(throws: CheckError.unknownColumn(rule: "test/plausibility", column: "bmi")) {
            _ = try PlausibilityRuleCheck().run(rule: Self.rule(["predicate": .text("bmi < 100")]), context: try Self.context(t, t))
        }
        let skipped = try Self.run(train: t, synthetic: t, ["predicate": .text("bmi < 100"), "missing_columns": .text("skip")])
        #expect(skipped.status == .skipped)
        #expect(skipped.message.contains("'bmi'"))
    }

    @Test func typeErrorsAndMisspeltLabelsAreReported() throws {
        let t = Self.csv("age,sex", ["30,F", "40,M"])
        #expect(throws: CheckError.self) {
            _ = try PlausibilityRuleCheck().run(rule: Self.rule(["predicate": .text("sex > 3")]), context: try Self.context(t, t))
        }
        let outcome = try Self.run(train: t, synthetic: t, ["predicate": .text("sex == \"Femlae\" implies age > 18")])
        #expect(outcome.measurement("unmatched_labels") == 1)
        #expect(outcome.message.contains("no table holds sex == \"Femlae\""))
    }

    static func context(_ train: String, _ synthetic: String) throws -> ScanContext {
        let folder = try TestFiles.Folder("plausibility")
        var configuration = ScanConfiguration()
        configuration.inputs.train = try folder.write("train.csv", train)
        configuration.inputs.synthetic = try folder.write("synthetic.csv", synthetic)
        let data = try DatasetLoader.load(configuration)
        folder.remove()
        return ScanContext(data: data, configuration: configuration)
    }

    /// Newcombe (1998), Stat. Med. 17:873–890, Table II, example (a): 56/70 − 48/80, method 10
    /// (hybrid score) gives 0.0524 to 0.3339; (b) 9/10 − 3/10 gives 0.1705 to 0.8090; (d) 5/56 − 0/29
    /// gives −0.0381 to 0.1926 (the paper prints four decimals).
    @Test func newcombeIntervalMatchesThePaper() {
        for (x1, n1, x2, n2, low, high) in [(56, 70, 48, 80, 0.0524, 0.3339), (9, 10, 3, 10, 0.1705, 0.8090), (5, 56, 0, 29, -0.0381, 0.1926)] {
            let ci = Statistics.newcombeDifferenceInterval(x1, n1, x2, n2)
            #expect(abs(ci.low - low) < 5e-5 && abs(ci.high - high) < 5e-5, "\(x1)/\(n1) − \(x2)/\(n2): \(ci)")
        }
    }

    // MARK: - Rule files

    @Test func ruleFilesMustStateAValidPredicate() throws {
        let ws = try RulePackTests.Workspace()
        try ws.write("acme/pack.yaml", RulePackTests.manifest())
        let rule = """
            format: 1
            id: acme/plausible
            check: plausibility-rules
            summary: s
            description: d
            severity: error
            help: h
            params:
              predicate: "age >= 0 && age < 130"

            """
        try ws.write("acme/rules/sample.yaml", rule)
        let bad = RulePackTests.expectSingleError(ws.errors(["acme"]), .parameterRange, file: "acme/rules/sample.yaml", line: 9, column: 14,
                                                  message: ["parameter 'predicate' is not a valid predicate: '&&' is not an operator: write 'and' (at character 10)"])
        #expect(bad != nil)
        try ws.write("acme/rules/sample.yaml", rule.replacingOccurrences(of: "params:\n  predicate: \"age >= 0 && age < 130\"\n", with: "params:\n  hard: true\n"))
        RulePackTests.expectSingleError(ws.errors(["acme"]), .missingParameter, file: "acme/rules/sample.yaml", line: 3, column: 8,
                                        message: ["rule 'acme/plausible': check kind 'plausibility-rules' needs the parameter 'predicate' (row predicate) under 'params'"])
    }
}
