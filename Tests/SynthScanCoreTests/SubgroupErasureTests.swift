import Foundation
import Testing
@testable import SynthScanCore

/// The `subgroup-erasure` check: cells judged by the faithful-sampler miss probability with
/// Benjamini–Hochberg correction, category coverage (SDMetrics CategoryCoverage and its weighted
/// and rare variants), the small-cell guard, and the bundled example releases against plantings.json.
@Suite struct SubgroupErasureTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func rule(_ params: [String: ParameterValue] = [:]) -> RuleDescriptor {
        var values: [String: ParameterValue] = [:]
        for spec in SubgroupErasureCheck.parameters { values[spec.name] = spec.defaultValue }
        for (name, value) in params { values[name] = value }
        return RuleDescriptor(id: "test/subgroup-erasure", check: SubgroupErasureCheck.kind, summary: "test", description: "test", help: "test",
                              severity: .error, tags: [], references: [], parameters: RuleParameters(values), messageTemplate: nil, pack: "test")
    }

    static func run(train: String, synthetic: String, protected: [String], params: [String: ParameterValue] = [:]) throws -> RuleOutcome {
        let folder = try TestFiles.Folder("subgroup")
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

    @Test func withoutProtectedAttributesTheRuleIsSkipped() throws {
        let t = Self.table([("A,x", 30)])
        #expect(try Self.run(train: t, synthetic: t, protected: []).status == .skipped)
    }

    @Test func anErasedGroupFailsWithItsMissProbability() throws {
        let outcome = try Self.run(train: Self.table([("A,x", 70), ("B,x", 30)]), synthetic: Self.table([("A,x", 100)]), protected: ["race"])
        #expect(outcome.status == .fail)
        #expect(outcome.measurement("cells_judged") == 2)
        #expect(outcome.measurement("cells_erased") == 1)
        let finding = try #require(outcome.findings.first { $0.location.subgroup == "race=B" })
        let miss = try #require(finding.measurements.first { $0.key == "miss_probability" }?.value)
        #expect(abs(miss - pow(0.7, 100)) < 1e-12 * pow(0.7, 100))
        // No second finding for the same category from the coverage part.
        #expect(outcome.findings.count == 1)
        #expect(outcome.measurement("category_coverage") == 0.5)
        #expect(outcome.measurement("weighted_category_coverage") == 0.7)
    }

    @Test func aDepletedGroupFailsOnlyBelowTheRatio() throws {
        // B expected 30 of 100; 5 observed: P(X ≤ 5) tiny and ratio 1/6 < 0.5.
        let depleted = try Self.run(train: Self.table([("A,x", 70), ("B,x", 30)]), synthetic: Self.table([("A,x", 95), ("B,x", 5)]), protected: ["race"])
        #expect(depleted.status == .fail)
        #expect(depleted.measurement("cells_depleted") == 1)
        // 20 observed of 30 expected is significant at a loose alpha but above max_ratio.
        let fewer = try Self.run(train: Self.table([("A,x", 70), ("B,x", 30)]), synthetic: Self.table([("A,x", 80), ("B,x", 20)]), protected: ["race"],
                                 params: ["alpha": .number(0.2)])
        #expect(fewer.status == .pass)
        #expect(abs(try #require(fewer.measurement("min_ratio")) - 20.0 / 30.0) < 1e-12)
    }

    @Test func smallCellsAreSkippedAndCounted() throws {
        let outcome = try Self.run(train: Self.table([("A,x", 90), ("B,x", 10)]), synthetic: Self.table([("A,x", 100)]), protected: ["race"])
        #expect(outcome.measurement("cells_judged") == 1)
        #expect(outcome.measurement("cells_skipped_small") == 1)
        #expect(outcome.measurement("cells_erased") == 0)
    }

    @Test func erasedRareCategoriesAreReportedWithoutTheirSmallCounts() throws {
        // dx r1, r2: 7 and 6 real patients (rare), absent from the release; together 13 of 200.
        let train = Self.table([("A,x", 100), ("B,y", 87), ("A,r1", 7), ("B,r2", 6)])
        let synthetic = Self.table([("A,x", 100), ("B,y", 100)])
        let outcome = try Self.run(train: train, synthetic: synthetic, protected: ["race"])
        #expect(outcome.status == .fail)
        #expect(outcome.measurement("erased_categories") == 2)
        #expect(outcome.measurement("rare_categories_erased") == 0)   // 3.5% and 3% are not under 1%
        #expect(outcome.measurement("category_coverage") == 0.5)
        #expect(outcome.findings.map { $0.location.subgroup } == ["dx=r1", "dx=r2"])
        let text = ([outcome.message] + outcome.findings.map(\.message)).joined(separator: "\n")
        for n in 1...10 { #expect(!text.contains(" \(n) training"), "\(text)") }
        #expect(!outcome.findings.contains { $0.measurements.contains { $0.key == "real_count" || $0.key == "miss_probability" } })
        let rare = try Self.run(train: train, synthetic: synthetic, protected: ["race"], params: ["rare_share": .number(0.05)])
        #expect(rare.measurement("rare_categories_erased") == 2)
        #expect(rare.measurement("rare_category_coverage") == 0)
    }

    @Test func oneSmallErasedCategoryNextToALargeOneHidesTheTotal() throws {
        // r1 (30, shown) and r2 (4, suppressed): the total 34 would reveal r2.
        let train = Self.table([("A,x", 100), ("B,y", 66), ("A,r1", 30), ("B,r2", 4)])
        let outcome = try Self.run(train: train, synthetic: Self.table([("A,x", 100), ("B,y", 100)]), protected: ["race"])
        #expect(outcome.status == .fail)
        #expect(outcome.measurement("weighted_category_coverage") == nil)
        #expect(!outcome.message.contains("34"))
    }

    @Test func aMarginWithOneSmallSubCellHasItsRealFiguresWithheld() throws {
        // race=A: 30 patients, of whom 25 F and 5 M. Printing 30 next to the 25 of A & F would reveal the 5.
        let header = "race,sex"
        let train = Self.table([("A,F", 25), ("A,M", 5), ("B,F", 35), ("B,M", 35)], header: header)
        let synthetic = Self.table([("B,F", 50), ("B,M", 50)], header: header)
        let outcome = try Self.run(train: train, synthetic: synthetic, protected: ["race", "sex"])
        #expect(outcome.status == .fail)
        let margin = try #require(outcome.findings.first { $0.location.subgroup == "race=A" })
        #expect(!margin.message.contains("30"))
        #expect(margin.measurements.map(\.key) == ["observed_synthetic"])
        let pair = try #require(outcome.findings.first { $0.location.subgroup == "race=A & sex=F" })
        #expect(pair.measurements.contains { $0.key == "real_count" && $0.value == 25 })
    }

    // MARK: - The core rule on the bundled examples

    static func manifest() throws -> [String: Any] {
        let data = try Data(contentsOf: root.appendingPathComponent("Examples/plantings.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(json["files"] as? [String: Any])
    }

    static func exampleOutcome(_ release: String) throws -> RuleOutcome {
        let examples = root.appendingPathComponent("Examples")
        let configuration = try ScanConfigurationLoader.load(path: examples.appendingPathComponent("synthscan.yaml").path)
        var c = configuration
        c.inputs.synthetic = examples.appendingPathComponent(release).path
        c.failOn = nil
        let context = ScanContext(data: try DatasetLoader.load(c), configuration: c)
        let set = try RulePackLoader(repository: PackRepository(searchPaths: [root.appendingPathComponent("Rules").path]), today: "2026-11-29")
            .load(roots: [root.appendingPathComponent("Rules/core").path])
        let rule = try #require(set.rule("bias/subgroup-erasure")).descriptor
        return try #require(try ScanEngine.evaluate(rules: [rule], context: context).first)
    }

    @Test func exampleReleasesFailExactlyAtTheirPlantedErasures() throws {
        let files = try Self.manifest()
        for (file, entry) in files where file.hasPrefix("synthetic_") {
            let planted = try #require((entry as? [String: Any])?["planted"] as? [String: Any])
            let kind = try #require(planted["kind"] as? String)
            let outcome = try Self.exampleOutcome(file)
            let subgroups = Set(outcome.findings.compactMap(\.location.subgroup))
            switch kind {
            case "dropped_subgroup":
                let column = try #require(planted["column"] as? String), value = try #require(planted["value"] as? String)
                #expect(outcome.status == .fail, "\(file)")
                #expect(subgroups.contains("\(column)=\(value)"), "\(file): \(subgroups)")
                #expect(subgroups.allSatisfy { $0.contains("\(column)=\(value)") }, "\(file): \(subgroups)")
                #expect(outcome.measurement("cells_erased").map { $0 >= 1 } == true)
            case "erased_rare_categories":
                let column = try #require(planted["column"] as? String), values = try #require(planted["values"] as? [String])
                #expect(outcome.status == .fail, "\(file)")
                #expect(subgroups == Set(values.map { "\(column)=\($0)" }), "\(file): \(subgroups)")
                #expect(outcome.measurement("rare_categories_erased") == Double(values.count))
                #expect(outcome.measurement("cells_erased") == 0)
                // The planted training counts are under 11: none may be printed.
                let counts = try #require(planted["train_counts"] as? [String: Int])
                for n in Set(counts.values) where (1...10).contains(n) {
                    #expect(!outcome.findings.contains { $0.message.contains("(\(n) training") }, "\(file)")
                }
            default:
                #expect(outcome.status == .pass, "\(file): \(outcome.message)")
                #expect(outcome.findings.isEmpty, "\(file)")
            }
        }
    }
}
