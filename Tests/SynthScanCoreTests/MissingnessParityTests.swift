import Foundation
import Testing
@testable import SynthScanCore

/// The `missingness-parity` check: missing rates per column and subgroup with Newcombe intervals,
/// small-cell withholding, SDMetrics MissingValueSimilarity, and informative missingness.
@Suite struct MissingnessParityTests {
    static func rule(_ params: [String: ParameterValue] = [:]) -> RuleDescriptor {
        var values: [String: ParameterValue] = [:]
        for spec in MissingnessParityCheck.parameters { values[spec.name] = spec.defaultValue }
        for (k, v) in params { values[k] = v }
        return RuleDescriptor(id: "test/missingness", check: MissingnessParityCheck.kind, summary: "s", description: "d", help: "h",
                              severity: .warning, tags: [], references: [], parameters: RuleParameters(values), messageTemplate: nil, pack: "test")
    }

    static func run(train: String, synthetic: String, protected: [String] = ["g"], outcome: OutcomeSpec? = nil,
                    _ params: [String: ParameterValue] = [:]) throws -> RuleOutcome {
        let folder = try TestFiles.Folder("missingness")
        defer { folder.remove() }
        var configuration = ScanConfiguration()
        configuration.inputs.train = try folder.write("train.csv", train)
        configuration.inputs.synthetic = try folder.write("synthetic.csv", synthetic)
        configuration.roles.protected = protected
        configuration.roles.outcome = outcome
        configuration.failOn = nil
        let context = ScanContext(data: try DatasetLoader.load(configuration), configuration: configuration)
        return try #require(try ScanEngine.evaluate(rules: [rule(params)], context: context).first)
    }

    /// `g,x` rows: for each group, `rows` rows of which `missing` have no x.
    static func table(_ groups: [(String, Int, Int)], header: String = "g,x") -> String {
        var lines = [header]
        for (g, rows, missing) in groups {
            for i in 0..<rows { lines.append("\(g),\(i < missing ? "" : String(i % 7))") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func aGroupThatLosesItsValuesFailsAndNamesTheGroup() throws {
        let train = Self.table([("A", 300, 30), ("B", 300, 30)])
        let synthetic = Self.table([("A", 300, 30), ("B", 300, 120)])
        let outcome = try Self.run(train: train, synthetic: synthetic)
        #expect(outcome.status == .fail)
        #expect(outcome.measurement("columns_checked") == 1)
        #expect(outcome.measurement("cells_judged") == 3, "all rows, g=A, g=B")
        let b = try #require(outcome.findings.first { $0.location.subgroup == "g=B" })
        #expect(b.location.columns == ["x", "g"])
        #expect(abs(try #require(b.measurements.first { $0.key == "difference" }?.value) - 0.3) < 1e-12)
        #expect(b.message.contains("40.00%") && b.message.contains("10.00%"))
        #expect(outcome.findings.allSatisfy { $0.location.subgroup != "g=A" })
        // SDMetrics MissingValueSimilarity over the whole tables: 1 − |60/600 − 150/600| = 0.85.
        #expect(abs(try #require(outcome.measurement("missing_value_similarity")) - 0.85) < 1e-12)
    }

    @Test func sameMechanismPassesAndSmallDifferencesAreNotFailures() throws {
        let train = Self.table([("A", 300, 30), ("B", 300, 30)])
        let outcome = try Self.run(train: train, synthetic: Self.table([("A", 300, 36), ("B", 300, 27)]))
        #expect(outcome.status == .pass)
        #expect(outcome.findings.isEmpty)
    }

    @Test func realRatesOfSmallCountsAreWithheld() throws {
        // Group B has 7 missing of 100 real values: its real rate must not be printed.
        let train = Self.table([("A", 300, 60), ("B", 100, 7)])
        let synthetic = Self.table([("A", 300, 60), ("B", 100, 60)])
        let outcome = try Self.run(train: train, synthetic: synthetic)
        let b = try #require(outcome.findings.first { $0.location.subgroup == "g=B" })
        #expect(b.message.contains("withheld"))
        #expect(!b.message.contains("7.00%"))
        #expect(b.measurements.first { $0.key == "real_missing_rate" } == nil)
        #expect(b.measurements.first { $0.key == "ci_low" } == nil)
    }

    @Test func aProtectedColumnIsNotJudgedInItsOwnCells() throws {
        var lines = ["g,x"]
        for i in 0..<400 { lines.append("\(i % 10 == 0 ? "" : (i % 2 == 0 ? "A" : "B")),\(i % 5)") }
        let text = lines.joined(separator: "\n") + "\n"
        let outcome = try Self.run(train: text, synthetic: text)
        #expect(outcome.status == .pass)
        #expect(outcome.measurement("columns_checked") == 1, "only g has missing values")
        #expect(outcome.measurement("cells_judged") == 1, "g is judged over all rows only, not within g's own cells")
    }

    @Test func informativeMissingnessMustSurvive() throws {
        // Real: x missing for 100 of 400; y = 1 for 60 of the missing and 45 of the 300 present.
        func rows(missingPositive: Int, presentPositive: Int) -> String {
            var lines = ["g,x,y"]
            for i in 0..<100 { lines.append("\(i % 2 == 0 ? "A" : "B"),,\(i < missingPositive ? 1 : 0)") }
            for i in 0..<300 { lines.append("\(i % 2 == 0 ? "A" : "B"),\(i % 9),\(i < presentPositive ? 1 : 0)") }
            return lines.joined(separator: "\n") + "\n"
        }
        let train = rows(missingPositive: 60, presentPositive: 45)
        let y = OutcomeSpec(column: "y", positiveValue: "1")
        let erased = try Self.run(train: train, synthetic: rows(missingPositive: 26, presentPositive: 79), outcome: y)
        #expect(erased.measurement("informative_columns_real") == 1)
        #expect(erased.measurement("informative_columns_failing") == 1)
        let f = try #require(erased.findings.first { $0.message.contains("weakened") })
        // OR_T = (60·255)/(40·45) = 8.5.
        #expect(abs(try #require(f.measurements.first { $0.key == "odds_ratio_real" }?.value) - 8.5) < 1e-9)
        let kept = try Self.run(train: train, synthetic: rows(missingPositive: 58, presentPositive: 48), outcome: y)
        #expect(kept.status == .pass)
        #expect(kept.measurement("informative_columns_failing") == 0)
        let none = try Self.run(train: train, synthetic: train)
        #expect(none.measurement("informative_columns_real") == nil, "without an outcome the relation is not examined")
    }

    @Test func namedColumnsMustExist() throws {
        let t = Self.table([("A", 30, 3)])
        #expect(throws: CheckError.unknownColumn(rule: "test/missingness", column: "hba1c")) {
            _ = try MissingnessParityCheck().run(rule: Self.rule(["checked_columns": .list(["hba1c"])]),
                                                 context: try PlausibilityRuleTests.context(t, t))
        }
    }
}
