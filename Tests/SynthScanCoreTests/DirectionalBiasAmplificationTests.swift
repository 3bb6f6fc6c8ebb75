import Foundation
import Testing
@testable import SynthScanCore

/// The `directional-bias-amplification` check: BiasAmp→ (Wang & Russakovsky 2021) pair values and
/// aggregate against the reference implementation (conformance fixtures), the exact sign y_at,
/// Newcombe intervals, amplified / attenuated / inconclusive verdicts, the seeded stratified
/// bootstrap, outcome levels, small cells, and the bundled example releases.
@Suite struct DirectionalBiasAmplificationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func rule(_ params: [String: ParameterValue] = [:]) -> RuleDescriptor {
        var values: [String: ParameterValue] = [:]
        for spec in DirectionalBiasAmplificationCheck.parameters { values[spec.name] = spec.defaultValue }
        values["bootstrap_samples"] = .integer(200)
        for (name, value) in params { values[name] = value }
        return RuleDescriptor(id: "test/directional-bias-amplification", check: DirectionalBiasAmplificationCheck.kind, summary: "test", description: "test", help: "test",
                              severity: .warning, tags: [], references: [], parameters: RuleParameters(values), messageTemplate: nil, pack: "test")
    }

    static func run(train: String, synthetic: String, protected: [String] = ["race"], outcome: OutcomeSpec? = OutcomeSpec(column: "y", positiveValue: "1"),
                    params: [String: ParameterValue] = [:], seed: UInt64? = nil) throws -> RuleOutcome {
        let folder = try TestFiles.Folder("biasamp")
        defer { folder.remove() }
        var configuration = ScanConfiguration()
        configuration.inputs.train = try folder.write("train.csv", train)
        configuration.inputs.synthetic = try folder.write("synthetic.csv", synthetic)
        configuration.roles.protected = protected
        configuration.roles.outcome = outcome
        configuration.failOn = nil
        if let seed { configuration.seed = seed }
        let context = ScanContext(data: try DatasetLoader.load(configuration), configuration: configuration)
        return try #require(try ScanEngine.evaluate(rules: [rule(params)], context: context).first)
    }

    /// Rows `group,1` (positives) then `group,0`: (group, rows, positives).
    static func table(_ groups: [(String, Int, Int)]) -> String {
        var lines = ["race,y"]
        for (g, n, p) in groups { lines += Array(repeating: "\(g),1", count: p) + Array(repeating: "\(g),0", count: n - p) }
        return lines.joined(separator: "\n") + "\n"
    }

    static func value(_ finding: Finding, _ key: String) -> Double? { finding.measurements.first { $0.key == key }?.value }

    @Test func directionIsTheExactSignOfTheRealAssociation() {
        // 20·400 = 100·80: independent, y = 0 (the reference's np.sign), not −1 (the paper's indicator).
        #expect(DirectionalBiasAmplification.direction(joint: 20, attributeRows: 100, taskRows: 80, rows: 400) == 0)
        #expect(DirectionalBiasAmplification.direction(joint: 21, attributeRows: 100, taskRows: 80, rows: 400) == 1)
        #expect(DirectionalBiasAmplification.direction(joint: 19, attributeRows: 100, taskRows: 80, rows: 400) == -1)
        // No overflow for large tables.
        let big = 3_000_000_000
        #expect(DirectionalBiasAmplification.direction(joint: big / 4, attributeRows: big / 2, taskRows: big / 2, rows: big) == 0)
    }

    @Test func newcombeHybridScoreIntervalMatchesNewcombe1998() {
        // Newcombe (1998), Table II example (56/70 vs 48/80), method 10: 0.0524 to 0.3339.
        let ci = Statistics.newcombeDifferenceInterval(56, 70, 48, 80, z: 1.959963984540054)
        #expect(abs(ci.low - 0.0524) < 5e-5 && abs(ci.high - 0.3339) < 5e-5)
        // Defined at the boundary (0 of n) where the Wald interval degenerates.
        let zero = Statistics.newcombeDifferenceInterval(0, 50, 3, 50, z: 1.959963984540054)
        #expect(zero.low < -0.1 && zero.high > 0)
    }

    @Test func skippedWithoutOutcomeOrProtectedAttribute() throws {
        let t = Self.table([("A", 50, 10), ("B", 50, 10)])
        #expect(try Self.run(train: t, synthetic: t, outcome: nil).status == .skipped)
        #expect(try Self.run(train: t, synthetic: t, protected: []).status == .skipped)
    }

    @Test func anExaggeratedAssociationFailsPerPairAndInTheAggregate() throws {
        let train = Self.table([("A", 200, 40), ("B", 200, 80)])
        let synthetic = Self.table([("A", 200, 10), ("B", 200, 120)])
        let outcome = try Self.run(train: train, synthetic: synthetic)
        #expect(outcome.status == .fail)
        // Binary outcome: the y=0 pairs repeat the y=1 ones; each association is judged once.
        #expect(outcome.measurement("pairs_judged") == 2 && outcome.measurement("pairs_amplified") == 2)
        #expect(outcome.findings.count == 2 && outcome.findings.allSatisfy { $0.message.contains("y=1") })
        #expect(abs(try #require(outcome.measurement("bias_amplification")) - 0.175) < 1e-12)
        #expect(try #require(outcome.measurement("ci_low")) > 0.01)
        let f = try #require(outcome.findings.first { $0.location.subgroup == "race=B" && Self.value($0, "direction") == 1 && $0.message.contains("y=1") })
        #expect(f.location.columns == ["race", "y"])
        #expect(abs(try #require(Self.value(f, "pair_value")) - 0.2) < 1e-12)
        let ci = Statistics.newcombeDifferenceInterval(120, 200, 80, 200, z: Statistics.normalQuantile(0.975))
        #expect(abs(try #require(Self.value(f, "ci_low")) - ci.low) < 1e-12)
        #expect(f.message.contains("amplified"))
        // For a binary outcome the positive value alone gives the same BiasAmp→.
        let positive = try Self.run(train: train, synthetic: synthetic, params: ["outcome_levels": .text("positive")])
        #expect(positive.measurement("pairs_judged") == 2)
        #expect(abs(try #require(positive.measurement("bias_amplification")) - 0.175) < 1e-12)
        #expect(outcome.message.contains("Top pairs by |y·Δ|"))
    }

    @Test func aWeakenedAssociationIsAttenuatedAndAFaithfulReleasePasses() throws {
        let train = Self.table([("A", 400, 40), ("B", 400, 160)])          // 10% vs 40%
        let flat = Self.table([("A", 400, 100), ("B", 400, 100)])          // 25% vs 25%
        let attenuated = try Self.run(train: train, synthetic: flat)
        #expect(attenuated.status == .fail)
        #expect(attenuated.measurement("pairs_attenuated") == 2)
        #expect(try #require(attenuated.measurement("bias_amplification")) < 0)
        let kept = try Self.run(train: train, synthetic: train)
        #expect(kept.status == .pass)
        #expect(kept.measurement("bias_amplification") == 0)
        #expect(kept.findings.isEmpty)
    }

    @Test func aCategoricalOutcomeJudgesEveryValue() throws {
        var lines = ["race,y"]
        for (g, counts) in [("A", [("home", 150), ("snf", 30), ("died", 20)]), ("B", [("home", 100), ("snf", 60), ("died", 40)])] {
            for (v, n) in counts { lines += Array(repeating: "\(g),\(v)", count: n) }
        }
        let train = lines.joined(separator: "\n") + "\n"
        let outcome = try Self.run(train: train, synthetic: train, outcome: OutcomeSpec(column: "y", positiveValue: "home"))
        #expect(outcome.measurement("tasks") == 3 && outcome.measurement("pairs_judged") == 6)
        #expect(outcome.status == .pass && outcome.measurement("bias_amplification") == 0)
    }

    @Test func theBootstrapIsSeededAndStratified() throws {
        let train = Self.table([("A", 300, 60), ("B", 150, 45), ("C", 60, 6)])
        let synthetic = Self.table([("A", 280, 50), ("B", 170, 60), ("C", 55, 9)])
        let a = try Self.run(train: train, synthetic: synthetic)
        let b = try Self.run(train: train, synthetic: synthetic)
        #expect(a.measurement("ci_low") == b.measurement("ci_low") && a.measurement("ci_high") == b.measurement("ci_high"))
        let c = try Self.run(train: train, synthetic: synthetic, seed: 7)
        #expect(c.measurement("ci_low") != a.measurement("ci_low"))
        let estimate = try #require(a.measurement("bias_amplification"))
        #expect(try #require(a.measurement("ci_low")) < estimate && estimate < (try #require(a.measurement("ci_high"))))
    }

    @Test func smallCellsAreSkippedAndSmallRealCountsSuppressed() throws {
        // C has 15 training rows: not judged. B's 8 real positives (1 to 10): real figures withheld.
        let train = Self.table([("A", 400, 150), ("B", 100, 8), ("C", 15, 3)])
        let synthetic = Self.table([("A", 400, 150), ("B", 100, 60), ("C", 15, 3)])
        let outcome = try Self.run(train: train, synthetic: synthetic)
        #expect(outcome.measurement("cells_skipped_small") == 1)
        #expect(outcome.measurement("cells_judged") == 2)
        let f = try #require(outcome.findings.first { $0.location.subgroup == "race=B" })
        #expect(f.message.contains("suppressed (small cell)"))
        #expect(Self.value(f, "real_rate") == nil && Self.value(f, "pair_value") == nil)
        #expect(!outcome.message.contains("race=B →"), "suppressed pairs are not among the top pairs")
        #expect(!outcome.message.contains("0.08"))
    }

    // MARK: - Reference implementation conformance (Tests/Conformance/generate_biasamp.py)

    @Test(arguments: ["binary_one_attribute", "categorical_two_attributes", "order2_with_tie"])
    func pairValuesAndAggregateAgreeWithTheReferenceImplementation(dataset: String) throws {
        let folder = Self.root.appendingPathComponent("Tests/Conformance/biasamp")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("expected.json"))) as? [String: Any])
        let entry = try #require((json["datasets"] as? [String: Any])?[dataset] as? [String: Any])
        var configuration = ScanConfiguration()
        configuration.inputs.train = folder.appendingPathComponent("\(dataset)/train.csv").path
        configuration.inputs.synthetic = folder.appendingPathComponent("\(dataset)/synthetic.csv").path
        configuration.roles.protected = try #require(entry["protected"] as? [String])
        let outcome = OutcomeSpec(column: try #require(entry["outcome"] as? String), positiveValue: try #require(entry["positive"] as? String))
        configuration.roles.outcome = outcome
        let context = ScanContext(data: try DatasetLoader.load(configuration), configuration: configuration)
        let order = try #require(entry["order"] as? Int)
        let p = try #require(DirectionalBiasAmplificationCheck.prepare(context: context, protected: configuration.roles.protected, outcome: outcome,
                                                                         order: order, allLevels: true, minReal: 1))
        let real = DirectionalBiasAmplificationCheck.counts(cells: p.cells, role: .train, members: p.members, strataCounts: p.strata.taskCounts(.train),
                                                            taskCount: p.tasks.labels.count, rows: context.data.train.rowCount)
        let synthetic = DirectionalBiasAmplificationCheck.counts(cells: p.cells, role: .synthetic, members: p.members, strataCounts: p.strata.taskCounts(.synthetic),
                                                                 taskCount: p.tasks.labels.count, rows: context.data.synthetic.rowCount)
        let pairs = DirectionalBiasAmplification.pairs(real: real, synthetic: synthetic)
        // yes/no outcomes are read as booleans (false/true).
        func task(_ label: String) -> String { label == "yes" ? "true" : label == "no" ? "false" : label }
        var swift: [String: DirectionalBiasAmplification.Pair] = [:]
        for pair in pairs { swift["\(p.cells[pair.attribute].key)|\(p.tasks.labels[pair.task])"] = pair }
        let expected = try #require(entry["pairs"] as? [String: [String: Any]])
        var compared = 0
        for (key, e) in expected {
            let parts = key.split(separator: "|", maxSplits: 1).map(String.init)
            let swiftKey = "\(parts[0])|\(task(parts[1]))"
            guard let value = e["value"] as? Double else {
                #expect(swift[swiftKey] == nil, "\(dataset) \(key): the reference has no value (NaN), synthscan leaves the cell out")
                continue
            }
            let pair = try #require(swift[swiftKey], "\(dataset) \(key)")
            if e["exact_tie"] as? Bool == true {
                // P_R(a,t) = P_R(a)P_R(t) exactly: y = 0. The reference's np.sign of a float
                // difference may give ±1 from rounding (0.525·0.2 ≠ 0.105 in binary).
                #expect(pair.direction == 0 && pair.value == 0, "\(dataset) \(key)")
                compared += 1
                continue
            }
            #expect(abs(pair.value - value) <= 1e-9, "\(dataset) \(key) swift \(pair.value) dir \(pair.direction) real \(pair.realRate) synth \(pair.syntheticRate)")
            #expect(Double(pair.direction) == (try #require(e["y"] as? Double)), "\(dataset) \(key)")
            #expect(abs(pair.realRate - (try #require(e["real_rate"] as? Double))) <= 1e-9)
            #expect(abs(pair.syntheticRate - (try #require(e["synthetic_rate"] as? Double))) <= 1e-9)
            compared += 1
        }
        #expect(compared == pairs.count && compared == (entry["pairs_with_value"] as? Int))
        #expect(abs(DirectionalBiasAmplification.aggregate(pairs) - (try #require(entry["bias_amplification_exact_ties"] as? Double))) <= 1e-9)
    }

    // MARK: - The core rule on the bundled examples

    static func exampleOutcome(_ release: String) throws -> RuleOutcome {
        let examples = root.appendingPathComponent("Examples")
        var c = try ScanConfigurationLoader.load(path: examples.appendingPathComponent("synthscan.yaml").path)
        c.inputs.synthetic = examples.appendingPathComponent(release).path
        c.failOn = nil
        let context = ScanContext(data: try DatasetLoader.load(c), configuration: c)
        let set = try RulePackLoader(repository: PackRepository(searchPaths: [root.appendingPathComponent("Rules").path]), today: "2026-11-29")
            .load(roots: [root.appendingPathComponent("Rules/core").path])
        let rule = try #require(set.rule("bias/directional-bias-amplification")).descriptor
        return try #require(try ScanEngine.evaluate(rules: [rule], context: context).first)
    }

    @Test func theCleanExampleReleaseDoesNotFail() throws {
        let outcome = try Self.exampleOutcome("synthetic_clean.csv")
        #expect(outcome.status == .pass, "\(outcome.message)")
        #expect(outcome.findings.isEmpty)
    }
}
