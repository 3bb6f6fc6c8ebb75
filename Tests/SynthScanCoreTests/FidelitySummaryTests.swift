import Foundation
import Testing
@testable import SynthScanCore

/// The `fidelity-summary` check aggregates the SDMetrics metrics exactly as the quality report
/// does (means over columns and pairs), and fails only below its floors.
@Suite struct FidelitySummaryTests {
    static func rule(_ params: [String: ParameterValue] = [:]) -> RuleDescriptor {
        var values: [String: ParameterValue] = [:]
        for spec in FidelitySummaryCheck.parameters { values[spec.name] = spec.defaultValue }
        for (k, v) in params { values[k] = v }
        return RuleDescriptor(id: "test/summary", check: FidelitySummaryCheck.kind, summary: "s", description: "d", help: "h",
                              severity: .note, tags: [], references: [], parameters: RuleParameters(values), messageTemplate: nil, pack: "test")
    }

    @Test func columnShapesAndPairTrendsAreTheMeansOfTheMetrics() throws {
        let train = "x,y,c\n" + (0..<60).map { "\($0 % 11),\(($0 * 7) % 13),\(["a", "b", "c"][$0 % 3])" }.joined(separator: "\n") + "\n"
        let synthetic = "x,y,c\n" + (0..<50).map { "\(($0 * 3) % 11),\($0 % 13),\(["a", "b", "b"][$0 % 3])" }.joined(separator: "\n") + "\n"
        let context = try PlausibilityRuleTests.context(train, synthetic)
        let outcome = try FidelitySummaryCheck().run(rule: Self.rule(), context: context)
        let t = context.data.train, s = context.data.synthetic
        func col(_ n: String) -> (ColumnSlice, ColumnSlice) { (ColumnSlice(t.column(named: n)!), ColumnSlice(s.column(named: n)!)) }
        let shapes = [KSComplement.score(real: col("x").0, synthetic: col("x").1)!, KSComplement.score(real: col("y").0, synthetic: col("y").1)!,
                      TVComplement.score(real: col("c").0, synthetic: col("c").1)!]
        #expect(abs(try #require(outcome.measurement("column_shapes")) - shapes.reduce(0, +) / 3) < 1e-15)
        let trends = [CorrelationSimilarity.score(real: (col("x").0, col("y").0), synthetic: (col("x").1, col("y").1))!,
                      ContingencySimilarity.score(real: (col("x").0, col("c").0), synthetic: (col("x").1, col("c").1))!,
                      ContingencySimilarity.score(real: (col("y").0, col("c").0), synthetic: (col("y").1, col("c").1))!]
        #expect(abs(try #require(outcome.measurement("column_pair_trends")) - trends.reduce(0, +) / 3) < 1e-15)
        #expect(outcome.measurement("pairs_checked") == 3)
        // Floors: below its scores the release passes with nothing listed; above them it fails and
        // lists the columns (and pairs) below the floor.
        let lenient = try FidelitySummaryCheck().run(rule: Self.rule(["min_column_shapes": .number(0.1), "min_column_pair_trends": .number(0.1)]), context: context)
        #expect(lenient.status == .pass && lenient.findings.isEmpty)
        let strict = try FidelitySummaryCheck().run(rule: Self.rule(["min_column_shapes": .number(0.999)]), context: context)
        #expect(strict.status == .fail)
        #expect(Set(strict.findings.flatMap(\.location.columns)).isSubset(of: ["x", "y", "c"]) && !strict.findings.isEmpty)
    }
}
