import Foundation
import Testing
@testable import SynthScanCore

/// The `association-preservation` check: reversed, erased, weakened and Simpson-reversed
/// associations, odds ratios for two-valued pairs with the small-count guard, and pair parsing.
@Suite struct AssociationPreservationTests {
    static func rule(_ params: [String: ParameterValue] = [:]) -> RuleDescriptor {
        var values: [String: ParameterValue] = [:]
        for spec in AssociationPreservationCheck.parameters { values[spec.name] = spec.defaultValue }
        for (k, v) in params { values[k] = v }
        return RuleDescriptor(id: "test/association", check: AssociationPreservationCheck.kind, summary: "s", description: "d", help: "h",
                              severity: .error, tags: [], references: [], parameters: RuleParameters(values), messageTemplate: nil, pack: "test")
    }

    static func run(train: String, synthetic: String, protected: [String] = ["g"], outcome: OutcomeSpec? = OutcomeSpec(column: "y", positiveValue: "1"),
                    _ params: [String: ParameterValue] = [:]) throws -> RuleOutcome {
        let folder = try TestFiles.Folder("association")
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

    /// `g,x,y` rows: per group, `n` rows with x = 0…n−1 and y = 1 for the top (or bottom) `positives`.
    static func table(_ groups: [(String, Int, Int, Bool)]) -> String {
        var lines = ["g,x,y"]
        for (g, n, positives, topPositive) in groups {
            for i in 0..<n {
                let positive = topPositive ? i >= n - positives : i < positives
                lines.append("\(g),\(i),\(positive ? 1 : 0)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func aReversedAssociationIsAnErrorInEveryCell() throws {
        let train = Self.table([("A", 100, 30, true), ("B", 100, 30, true)])
        let reversed = Self.table([("A", 100, 30, false), ("B", 100, 30, false)])
        let outcome = try Self.run(train: train, synthetic: reversed)
        #expect(outcome.status == .fail)
        #expect(outcome.measurement("pairs_checked") == 1)
        #expect(outcome.measurement("associations_reversed") == 3, "all rows, g=A, g=B")
        let f = try #require(outcome.findings.first { $0.location.subgroup == "g=A" })
        #expect(f.message.contains("reversed") && f.location.columns == ["x", "y", "g"])
        #expect(try #require(f.measurements.first { $0.key == "correlation_real" }?.value) > 0.6)
        #expect(try #require(f.measurements.first { $0.key == "correlation_synthetic" }?.value) < -0.6)
        // The same data passes, and reversals are not judged by a strength-only rule.
        #expect(try Self.run(train: train, synthetic: train).status == .pass)
        let strength = try Self.run(train: train, synthetic: reversed, ["judge": .text("strength")])
        #expect(strength.findings.allSatisfy { !$0.message.contains("is reversed") })
    }

    @Test func anErasedAssociationFailsAndAWeakOneIsNotJudged() throws {
        let train = Self.table([("A", 150, 50, true), ("B", 150, 50, true)])
        // Outcome spread evenly over x in the release: no association left.
        var lines = ["g,x,y"]
        for g in ["A", "B"] { for i in 0..<150 { lines.append("\(g),\(i),\(i % 3 == 0 ? 1 : 0)") } }
        let erased = try Self.run(train: train, synthetic: lines.joined(separator: "\n") + "\n")
        #expect(erased.status == .fail)
        #expect(try #require(erased.measurement("associations_erased")) >= 1)
        let judged = erased.measurement("associations_judged")
        let strict = try Self.run(train: train, synthetic: lines.joined(separator: "\n") + "\n", ["min_real_correlation": .number(0.99)])
        #expect(strict.measurement("associations_judged") == 0 && judged == 3, "only material real associations are judged")
    }

    @Test func twoValuedPairsUseOddsRatiosAndSkipSmallRealCounts() throws {
        func rows(_ cells: [(Int, Int, Int)]) -> String {   // (exposed, outcome, count)
            var lines = ["g,e,y"]
            for (e, y, n) in cells { for i in 0..<n { lines.append("\(i % 2 == 0 ? "A" : "B"),\(e),\(y)") } }
            return lines.joined(separator: "\n") + "\n"
        }
        let train = rows([(1, 1, 60), (1, 0, 40), (0, 1, 30), (0, 0, 70)])          // OR = 3.5
        let flat = rows([(1, 1, 45), (1, 0, 55), (0, 1, 45), (0, 0, 55)])           // OR = 1
        let outcome = try Self.run(train: train, synthetic: flat, protected: [], ["pairs": .list(["e ~ y"])])
        #expect(outcome.status == .fail)
        let f = try #require(outcome.findings.first)
        #expect(abs(try #require(f.measurements.first { $0.key == "log_odds_ratio_real" }?.value) - log(3.5)) < 1e-12)
        #expect(f.message.contains("odds ratio 3.500"))
        // A real 2×2 count from 1 to 10: not judged, nothing printed.
        let small = rows([(1, 1, 60), (1, 0, 7), (0, 1, 30), (0, 0, 70)])
        let skipped = try Self.run(train: small, synthetic: flat, protected: [], ["pairs": .list(["e ~ y"])])
        #expect(skipped.measurement("associations_judged") == 0 && skipped.measurement("associations_skipped_small") == 1)
        #expect(skipped.findings.isEmpty)
    }

    @Test func simpsonsParadoxLostInTheReleaseIsReported() throws {
        // Training: within each group higher x means less outcome, but group B has higher x and more outcomes.
        var train = ["g,x,y"], synthetic = ["g,x,y"]
        for i in 0..<200 {
            train.append("A,\(i),\(i < 60 ? 1 : 0)")
            train.append("B,\(i + 300),\(i < 180 ? 1 : 0)")
            synthetic.append("A,\(i),\(i >= 140 ? 1 : 0)")
            synthetic.append("B,\(i + 300),\(i >= 20 ? 1 : 0)")
        }
        let outcome = try Self.run(train: train.joined(separator: "\n") + "\n", synthetic: synthetic.joined(separator: "\n") + "\n")
        #expect(outcome.measurement("simpson_reversals") == 1)
        let f = try #require(outcome.findings.first { $0.message.contains("Simpson") })
        #expect(f.message.contains("the training data shows it and the release does not"))
    }

    @Test func pairsMustNameTwoUsableColumns() throws {
        let t = Self.table([("A", 40, 10, true)])
        #expect(throws: CheckError.self) { _ = try Self.run(train: t, synthetic: t, ["pairs": .list(["x - y"])]) }
        #expect(throws: CheckError.unknownColumn(rule: "test/association", column: "z")) {
            _ = try AssociationPreservationCheck().run(rule: Self.rule(["pairs": .list(["x ~ z"])]), context: try PlausibilityRuleTests.context(t, t))
        }
        let none = try Self.run(train: t, synthetic: t, outcome: nil)
        #expect(none.status == .skipped)
    }

    @Test func theChangeIntervalOfOddsRatiosIsTheSymmetricLogInterval() {
        let r = AssociationStatistics.logOddsRatio(a: 60, b: 40, c: 30, d: 70, z: 1.96)
        let s = AssociationStatistics.logOddsRatio(a: 45, b: 55, c: 45, d: 55, z: 1.96)
        let c = AssociationStatistics.change(real: r, synthetic: s)
        let se = (r.se * r.se + s.se * s.se).squareRoot()
        #expect(abs(c.low - (s.value - r.value - 1.96 * se)) < 1e-12 && abs(c.high - (s.value - r.value + 1.96 * se)) < 1e-12)
        // Correlations: the MOVER interval contains the difference and is asymmetric near ±1.
        let a = AssociationStatistics.correlation(0.9, n: 50, spearman: false, z: 1.96)!, b = AssociationStatistics.correlation(0.5, n: 50, spearman: false, z: 1.96)!
        let d = AssociationStatistics.change(real: a, synthetic: b)
        #expect(d.low < -0.4 && d.high > -0.4 && abs((-0.4 - d.low) - (d.high + 0.4)) > 0.01)
        // Fisher z for Pearson: tanh(atanh(0.5) ± 1.96/√47).
        #expect(abs(b.low - tanh(atanh(0.5) - 1.96 / 47.0.squareRoot())) < 1e-12)
    }
}
