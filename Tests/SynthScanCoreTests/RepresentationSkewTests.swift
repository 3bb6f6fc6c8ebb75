import Foundation
import Testing
@testable import SynthScanCore

/// The `representation-skew` check: Woolf log odds disparity, Katz share ratio, score-test
/// p-values with Benjamini–Hochberg q-values, the three verdicts, the Matthew / Robin Hood slope (positive = Matthew),
/// the small-cell guard, and the core rule on the bundled example releases against plantings.json.
@Suite struct RepresentationSkewTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let z = 1.959963984540054

    static func rule(_ params: [String: ParameterValue] = [:]) -> RuleDescriptor {
        var values: [String: ParameterValue] = [:]
        for spec in RepresentationSkewCheck.parameters { values[spec.name] = spec.defaultValue }
        for (name, value) in params { values[name] = value }
        return RuleDescriptor(id: "test/representation-skew", check: RepresentationSkewCheck.kind, summary: "test", description: "test", help: "test",
                              severity: .warning, tags: [], references: [], parameters: RuleParameters(values), messageTemplate: nil, pack: "test")
    }

    static func run(train: String, synthetic: String, protected: [String], params: [String: ParameterValue] = [:]) throws -> RuleOutcome {
        let folder = try TestFiles.Folder("skew")
        defer { folder.remove() }
        var configuration = ScanConfiguration()
        configuration.inputs.train = try folder.write("train.csv", train)
        configuration.inputs.synthetic = try folder.write("synthetic.csv", synthetic)
        configuration.roles.protected = protected
        configuration.failOn = nil
        let context = ScanContext(data: try DatasetLoader.load(configuration), configuration: configuration)
        return try #require(try ScanEngine.evaluate(rules: [rule(params)], context: context).first)
    }

    static func table(_ rows: [(String, Int)], header: String = "race,dx") -> String {
        header + "\n" + rows.flatMap { Array(repeating: $0.0, count: $0.1) }.joined(separator: "\n") + "\n"
    }

    static func value(_ finding: Finding, _ key: String) throws -> Double {
        try #require(finding.measurements.first { $0.key == key }?.value, "\(key)")
    }

    static func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-12) -> Bool { abs(a - b) <= tolerance * Swift.max(1, abs(b)) }

    @Test func defaultsAreAsDocumented() throws {
        let defaults = Dictionary(uniqueKeysWithValues: RepresentationSkewCheck.parameters.map { ($0.name, $0.defaultValue) })
        #expect(defaults["order"] == .integer(2))
        #expect(defaults["min_real_count"] == .integer(20))
        #expect(defaults["tolerance"] == .number(1.25))
        #expect(defaults["alpha"] == .number(0.01))
        #expect(CheckRegistry.type(kind: "representation-skew") != nil)
    }

    @Test func withoutProtectedAttributesTheRuleIsSkipped() throws {
        let t = Self.table([("A,x", 30)])
        #expect(try Self.run(train: t, synthetic: t, protected: []).status == .skipped)
    }

    @Test func aSkewedGroupFailsWithWoolfKatzAndScoreFigures() throws {
        // B: 30 of 100 training rows, 10 of 100 synthetic rows.
        let outcome = try Self.run(train: Self.table([("A,x", 70), ("B,x", 30)]), synthetic: Self.table([("A,x", 90), ("B,x", 10)]), protected: ["race"])
        #expect(outcome.status == .fail)
        #expect(outcome.measurement("cells_judged") == 2)
        #expect(outcome.measurement("cells_failing") == 2)
        #expect(outcome.measurement("cells_under") == 1)
        #expect(outcome.measurement("cells_over") == 1)
        let b = try #require(outcome.findings.first { $0.location.subgroup == "race=B" })
        #expect(b.location.columns == ["race"])
        #expect(b.message.contains("under-represented"))
        let d = log(10.0 / 90) - log(30.0 / 70)
        let se = (1 / 10.0 + 1 / 90.0 + 1 / 30.0 + 1 / 70.0).squareRoot()
        #expect(Self.close(try Self.value(b, "log_disparity"), d))
        #expect(Self.close(try Self.value(b, "log_disparity_se"), se))
        #expect(Self.close(try Self.value(b, "share_ratio"), 1.0 / 3))
        let katz = (1 / 10.0 - 1 / 100.0 + 1 / 30.0 - 1 / 100.0).squareRoot()
        #expect(Self.close(try Self.value(b, "share_ratio_low"), exp(log(1.0 / 3) - Self.z * katz)))
        #expect(Self.close(try Self.value(b, "share_ratio_high"), exp(log(1.0 / 3) + Self.z * katz)))
        // Score test: pooled 40/200; z = (0.1 − 0.3) / √(0.2·0.8·0.02).
        let score = erfc(abs((0.1 - 0.3) / (0.16 * 0.02).squareRoot()) / 2.0.squareRoot())
        #expect(Self.close(try Self.value(b, "p_value"), score))
        #expect(Self.close(try Self.value(b, "q_value"), score))   // two equal p-values: BH leaves them
        let a = try #require(outcome.findings.first { $0.location.subgroup == "race=A" })
        #expect(a.message.contains("over-represented"))
        #expect(Self.close(try #require(outcome.measurement("max_abs_log_disparity")), abs(d)))
    }

    @Test func anEmptiedGroupUsesTheContinuityCorrection() throws {
        let outcome = try Self.run(train: Self.table([("A,x", 70), ("B,x", 30)]), synthetic: Self.table([("A,x", 100)]), protected: ["race"])
        #expect(outcome.status == .fail)
        let b = try #require(outcome.findings.first { $0.location.subgroup == "race=B" })
        #expect(Self.close(try Self.value(b, "log_disparity"), log(0.5 / 100.5) - log(30.5 / 70.5)))
        #expect(Self.close(try Self.value(b, "log_disparity_se"), (1 / 0.5 + 1 / 100.5 + 1 / 30.5 + 1 / 70.5).squareRoot()))
        #expect(try Self.value(b, "share_ratio") == 0)
        #expect(try Self.value(b, "p_value") < 1e-6)
    }

    @Test func verdictsPassInsideTheBandAndAreInconclusiveAcrossIt() throws {
        // Large and faithful: the whole interval lies inside [0.8, 1.25].
        let big = Self.table([("A,x", 7000), ("B,x", 3000)])
        let faithful = try Self.run(train: big, synthetic: big, protected: ["race"])
        #expect(faithful.status == .pass)
        #expect(faithful.measurement("cells_inconclusive") == 0)
        #expect(faithful.measurement("max_abs_log_disparity") == 0)
        // Small: the interval crosses the band edges.
        let small = try Self.run(train: Self.table([("A,x", 70), ("B,x", 30)]), synthetic: Self.table([("A,x", 72), ("B,x", 28)]), protected: ["race"])
        #expect(small.status == .pass)
        #expect(small.measurement("cells_inconclusive") == 2)
        // Outside the band but not significant at the FDR: inconclusive, not failing.
        let strict = try Self.run(train: Self.table([("A,x", 70), ("B,x", 30)]), synthetic: Self.table([("A,x", 90), ("B,x", 10)]), protected: ["race"],
                                  params: ["alpha": .number(1e-6)])
        #expect(strict.status == .pass)
        #expect(strict.measurement("cells_failing") == 0)
        #expect(strict.measurement("cells_inconclusive") == 2)
        // A wider tolerance accepts the same skew when the interval lies inside it.
        // B: odds ratio (2400·7000)/(7600·3000) ≈ 0.74, interval ≈ (0.69, 0.78): outside [0.8, 1.25], inside [0.67, 1.5].
        let loose = try Self.run(train: big, synthetic: Self.table([("A,x", 7600), ("B,x", 2400)]), protected: ["race"], params: ["tolerance": .number(1.5)])
        #expect(loose.status == .pass)
        #expect(loose.measurement("cells_inconclusive") == 0)
        let tight = try Self.run(train: big, synthetic: Self.table([("A,x", 7600), ("B,x", 2400)]), protected: ["race"])
        #expect(tight.status == .fail)
    }

    @Test func theWeightedSlopeMatchesAHandComputation() throws {
        let fit = try #require(RepresentationSkewCheck.weightedSlope(x: [0, 1, 2], y: [0, 2, 4], w: [1, 1, 1]))
        #expect(Self.close(fit.slope, 2))
        #expect(Self.close(fit.se, 1 / 2.0.squareRoot()))
        // Weights: y = x except a heavily down-weighted outlier.
        let weighted = try #require(RepresentationSkewCheck.weightedSlope(x: [0, 1, 2, 3], y: [0, 1, 2, 30], w: [1, 1, 1, 1e-12]))
        #expect(abs(weighted.slope - 1) < 1e-6)
        #expect(RepresentationSkewCheck.weightedSlope(x: [1, 1, 1], y: [0, 1, 2], w: [1, 1, 1]) == nil)
        #expect(RepresentationSkewCheck.weightedSlope(x: [0, 1], y: [0, 1], w: [1, 1]) == nil)
    }

    @Test func smallGroupsShrinkingIsAMatthewEffectAndFlatteningARobinHoodEffect() throws {
        let train = Self.table([("A,x", 6000), ("B,x", 3000), ("C,x", 800), ("D,x", 200)])
        let matthew = try Self.run(train: train, synthetic: Self.table([("A,x", 6700), ("B,x", 2800), ("C,x", 420), ("D,x", 80)]), protected: ["race"])
        let slope = try #require(matthew.measurement("matthew_slope")), se = try #require(matthew.measurement("matthew_slope_se"))
        #expect(slope > Self.z * se)   // d rises with the real share
        #expect(matthew.message.contains("(Matthew effect)"))
        #expect(matthew.measurement("cells_under") == 2)
        let robin = try Self.run(train: train, synthetic: Self.table([("A,x", 5200), ("B,x", 3000), ("C,x", 1200), ("D,x", 600)]), protected: ["race"])
        let r = try #require(robin.measurement("matthew_slope")), rse = try #require(robin.measurement("matthew_slope_se"))
        #expect(r < -Self.z * rse)
        #expect(robin.message.contains("(Robin Hood effect)"))
        let faithful = try Self.run(train: train, synthetic: train, protected: ["race"])
        #expect(faithful.measurement("matthew_slope") == 0)
        #expect(faithful.message.contains("no Matthew or Robin Hood effect"))
        // Fewer than three judged cells: no slope.
        let two = try Self.run(train: Self.table([("A,x", 70), ("B,x", 30)]), synthetic: Self.table([("A,x", 70), ("B,x", 30)]), protected: ["race"])
        #expect(two.measurement("matthew_slope") == nil)
    }

    @Test func smallCellsAreSkippedAndNeverRevealed() throws {
        // race=A: 30 training patients, 25 F and 5 M. Its share (30%) next to the 25 of A & F would reveal the 5.
        let header = "race,sex"
        let train = Self.table([("A,F", 25), ("A,M", 5), ("B,F", 35), ("B,M", 35)], header: header)
        let synthetic = Self.table([("A,F", 4), ("B,F", 50), ("B,M", 46)], header: header)
        let outcome = try Self.run(train: train, synthetic: synthetic, protected: ["race", "sex"])
        #expect(outcome.status == .fail)
        #expect(outcome.measurement("cells_skipped_small") == 1)   // A & M
        let margin = try #require(outcome.findings.first { $0.location.subgroup == "race=A" })
        #expect(!margin.message.contains("30"))
        #expect(!margin.measurements.contains { ["real_count", "real_share", "share_ratio", "share_ratio_low", "share_ratio_high"].contains($0.key) })
        let pair = try #require(outcome.findings.first { $0.location.subgroup == "race=A & sex=F" })
        #expect(pair.measurements.contains { $0.key == "real_count" && $0.value == 25 })
        #expect(pair.location.columns == ["race", "sex"])
        let text = ([outcome.message] + outcome.findings.map(\.message)).joined(separator: "\n")
        for n in 1...10 { #expect(!text.contains("patients (\(n))"), "\(text)") }
        // Order 1 judges the margins only.
        let order1 = try Self.run(train: train, synthetic: synthetic, protected: ["race", "sex"], params: ["order": .integer(1)])
        #expect(order1.measurement("cells_judged") == 4)
        #expect(order1.measurement("cells_skipped_small") == 0)
    }

    // MARK: - The core rule on the bundled examples

    static func manifest() throws -> [String: Any] {
        let data = try Data(contentsOf: root.appendingPathComponent("Examples/plantings.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(json["files"] as? [String: Any])
    }

    static func exampleOutcome(_ release: String) throws -> RuleOutcome {
        let examples = root.appendingPathComponent("Examples")
        var c = try ScanConfigurationLoader.load(path: examples.appendingPathComponent("synthscan.yaml").path)
        c.inputs.synthetic = examples.appendingPathComponent(release).path
        c.failOn = nil
        let context = ScanContext(data: try DatasetLoader.load(c), configuration: c)
        let set = try RulePackLoader(repository: PackRepository(searchPaths: [root.appendingPathComponent("Rules").path]), today: "2026-11-29")
            .load(roots: [root.appendingPathComponent("Rules/core").path])
        let rule = try #require(set.rule("bias/representation-skew")).descriptor
        #expect(rule.severity == .warning)
        return try #require(try ScanEngine.evaluate(rules: [rule], context: context).first)
    }

    @Test func exampleReleasesFailOnlyAtTheDroppedSubgroup() throws {
        let files = try Self.manifest()
        for (file, entry) in files where file.hasPrefix("synthetic_") {
            let planted = try #require((entry as? [String: Any])?["planted"] as? [String: Any])
            let kind = try #require(planted["kind"] as? String)
            let outcome = try Self.exampleOutcome(file)
            let subgroups = Set(outcome.findings.compactMap(\.location.subgroup))
            for name in ["cells_judged", "cells_skipped_small", "cells_under", "cells_over", "cells_inconclusive",
                         "max_abs_log_disparity", "matthew_slope", "matthew_slope_se"] {
                #expect(outcome.measurement(name) != nil, "\(file): \(name)")
            }
            if kind == "dropped_subgroup" {
                let column = try #require(planted["column"] as? String), value = try #require(planted["value"] as? String)
                #expect(outcome.status == .fail, "\(file)")
                #expect(subgroups.contains("\(column)=\(value)"), "\(file): \(subgroups)")
                #expect(subgroups.allSatisfy { $0.contains("\(column)=\(value)") }, "\(file): \(subgroups)")
                #expect(outcome.findings.allSatisfy { $0.message.contains("under-represented") })
                #expect(outcome.measurement("cells_over") == 0)
            } else {
                // Faithful apart from their planting: no false alarm at the defaults.
                #expect(outcome.status == .pass, "\(file): \(outcome.message)")
                #expect(outcome.findings.isEmpty, "\(file)")
            }
        }
    }
}
