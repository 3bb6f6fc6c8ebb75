import Foundation
import Testing
@testable import SynthScanCore

/// The `intersectional-fairness-amplification` check: smoothed empirical differential fairness ε
/// against AIF360 0.6.1 (conformance fixtures), the worst pair, the change ε_S − ε_R with its
/// seeded stratified parametric bootstrap, verdicts, small and absent groups, and the example cohort.
@Suite struct IntersectionalFairnessAmplificationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func rule(_ params: [String: ParameterValue] = [:]) -> RuleDescriptor {
        var values: [String: ParameterValue] = [:]
        for spec in IntersectionalFairnessAmplificationCheck.parameters { values[spec.name] = spec.defaultValue }
        values["bootstrap_samples"] = .integer(300)
        for (name, value) in params { values[name] = value }
        return RuleDescriptor(id: "test/intersectional-fairness-amplification", check: IntersectionalFairnessAmplificationCheck.kind, summary: "test", description: "test", help: "test",
                              severity: .warning, tags: [], references: [], parameters: RuleParameters(values), messageTemplate: nil, pack: "test")
    }

    static func run(train: String, synthetic: String, outcome: OutcomeSpec? = OutcomeSpec(column: "y", positiveValue: "1"),
                    params: [String: ParameterValue] = [:], seed: UInt64? = nil) throws -> RuleOutcome {
        let folder = try TestFiles.Folder("edf")
        defer { folder.remove() }
        var configuration = ScanConfiguration()
        configuration.inputs.train = try folder.write("train.csv", train)
        configuration.inputs.synthetic = try folder.write("synthetic.csv", synthetic)
        configuration.roles.protected = ["sex", "race"]
        configuration.roles.outcome = outcome
        configuration.failOn = nil
        if let seed { configuration.seed = seed }
        let context = ScanContext(data: try DatasetLoader.load(configuration), configuration: configuration)
        return try #require(try ScanEngine.evaluate(rules: [rule(params)], context: context).first)
    }

    /// Rows `sex,race,1` then `sex,race,0`: (sex, race, rows, positives).
    static func table(_ groups: [(String, String, Int, Int)]) -> String {
        var lines = ["sex,race,y"]
        for (s, r, n, p) in groups { lines += Array(repeating: "\(s),\(r),1", count: p) + Array(repeating: "\(s),\(r),0", count: n - p) }
        return lines.joined(separator: "\n") + "\n"
    }

    static let base: [(String, String, Int, Int)] = [("F", "A", 200, 40), ("F", "B", 200, 50), ("M", "A", 200, 44), ("M", "B", 200, 56)]

    @Test func epsilonIsTheLargestLogRatioOfEitherOutcome() throws {
        // p̃ = (1 + 0.5)/(10 + 1) and (8 + 0.5)/(10 + 1): the positive-outcome ratio is larger.
        let r = try #require(SmoothedDifferentialFairness.epsilon(positives: [1, 8], totals: [10, 10], concentration: 1))
        #expect(abs(r.epsilon - log(8.5 / 1.5)) < 1e-15)
        #expect(r.high == 1 && r.low == 0 && r.outcome == .positive)
        // Rates near 1: the negative outcome's ratio decides.
        let n = try #require(SmoothedDifferentialFairness.epsilon(positives: [9, 5], totals: [10, 10], concentration: 1))
        #expect(abs(n.epsilon - log(5.5 / 1.5)) < 1e-15 && n.outcome == .negative && n.high == 1)
        #expect(SmoothedDifferentialFairness.epsilon(positives: [3], totals: [10], concentration: 1) == nil)
    }

    @Test func aWidenedGapFailsAndAFaithfulReleasePasses() throws {
        let train = Self.table(Self.base)
        let widened = Self.table([("F", "A", 200, 20), ("F", "B", 200, 50), ("M", "A", 200, 44), ("M", "B", 200, 90)])
        let outcome = try Self.run(train: train, synthetic: widened)
        #expect(outcome.status == .fail)
        #expect(abs(try #require(outcome.measurement("epsilon_real")) - log(56.5 / 40.5)) < 1e-12)
        #expect(abs(try #require(outcome.measurement("epsilon_synthetic")) - log(90.5 / 20.5)) < 1e-12)
        #expect(try #require(outcome.measurement("ci_low")) > 0.223)
        let f = try #require(outcome.findings.first)
        #expect(f.location.subgroup == "race=B & sex=M vs race=A & sex=F")
        #expect(f.location.columns == ["race", "sex", "y"])
        #expect(f.message.contains("amplified") && f.message.contains("45.00%") && f.message.contains("10.00%"))
        #expect(!f.message.contains("28.00%"), "no real rate is printed")
        let kept = try Self.run(train: train, synthetic: train)
        #expect(kept.status == .pass && kept.findings.isEmpty)
        #expect(kept.measurement("epsilon_change") == 0)
        #expect(kept.measurement("epsilon_ratio") == 1)
    }

    @Test func aNarrowedGapIsAttenuated() throws {
        let train = Self.table([("F", "A", 300, 30), ("F", "B", 300, 120), ("M", "A", 300, 60), ("M", "B", 300, 90)])
        let flat = Self.table([("F", "A", 300, 75), ("F", "B", 300, 75), ("M", "A", 300, 75), ("M", "B", 300, 78)])
        let outcome = try Self.run(train: train, synthetic: flat)
        #expect(outcome.status == .fail)
        #expect(try #require(outcome.measurement("epsilon_change")) < 0)
        #expect(outcome.findings.first?.message.contains("attenuated") == true)
    }

    @Test func theBootstrapIsSeeded() throws {
        let train = Self.table(Self.base)
        let synthetic = Self.table([("F", "A", 190, 30), ("F", "B", 210, 60), ("M", "A", 200, 40), ("M", "B", 200, 60)])
        let a = try Self.run(train: train, synthetic: synthetic), b = try Self.run(train: train, synthetic: synthetic)
        #expect(a.measurement("ci_low") == b.measurement("ci_low") && a.measurement("p_value") == b.measurement("p_value"))
        let c = try Self.run(train: train, synthetic: synthetic, seed: 11)
        #expect(c.measurement("ci_low") != a.measurement("ci_low"))
    }

    @Test func smallAndAbsentGroupsAreCountedNotJudged() throws {
        let train = Self.table(Self.base + [("X", "A", 15, 3), ("X", "B", 40, 10)])
        let synthetic = Self.table(Self.base + [("X", "A", 15, 3)])
        let outcome = try Self.run(train: train, synthetic: synthetic)
        #expect(outcome.measurement("groups_judged") == 4)
        #expect(outcome.measurement("groups_skipped_small") == 1)
        #expect(outcome.measurement("groups_absent_synthetic") == 1)
        #expect(outcome.message.contains("1 intersectional groups with fewer than 20 training rows were not judged"))
        let none = try Self.run(train: train, synthetic: synthetic, outcome: nil)
        #expect(none.status == .skipped)
        let tooFew = try Self.run(train: train, synthetic: synthetic, params: ["min_real_count": .integer(500)])
        #expect(tooFew.status == .skipped && tooFew.message.contains("Fewer than two"))
    }

    // MARK: - AIF360 0.6.1 conformance (Tests/Conformance/generate_aif360_edf.py)

    @Test(arguments: ["sex_race", "three_attributes_small_groups", "single_attribute_extremes"])
    func epsilonAndSmoothedRatesAgreeWithAIF360(dataset: String) throws {
        let folder = Self.root.appendingPathComponent("Tests/Conformance/aif360_edf")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("expected.json"))) as? [String: Any])
        let entry = try #require((json["datasets"] as? [String: Any])?[dataset] as? [String: Any])
        var configuration = ScanConfiguration()
        configuration.inputs.train = folder.appendingPathComponent("\(dataset)/train.csv").path
        configuration.inputs.synthetic = folder.appendingPathComponent("\(dataset)/synthetic.csv").path
        configuration.roles.protected = try #require(entry["protected"] as? [String])
        let outcome = OutcomeSpec(column: try #require(entry["outcome"] as? String), positiveValue: try #require(entry["positive"] as? String))
        configuration.roles.outcome = outcome
        let context = ScanContext(data: try DatasetLoader.load(configuration), configuration: configuration)
        let p = try #require(IntersectionalFairnessAmplificationCheck.prepare(context: context, protected: configuration.roles.protected, outcome: outcome, minReal: 1))
        let tables = try #require(entry["tables"] as? [String: [String: Any]])
        for (name, role) in [("train", TableRole.train), ("synthetic", TableRole.synthetic)] {
            let expected = try #require(tables[name])
            let groups = try #require(expected["groups"] as? [String: [String: Any]])
            let rows = try #require(p.strata.rows[role])
            let observed = rows.indices.filter { !rows[$0].isEmpty }   // AIF360: the groups present in the table
            let keys = observed.map { p.strata.parts[$0].joined(separator: " & ") }
            #expect(Set(keys) == Set(groups.keys), "\(dataset) \(name)")
            let counts = IntersectionalFairnessAmplificationCheck.counts(observed, taskCounts: p.strata.taskCounts(role), rows: rows)
            for (c, epsilon) in try #require(expected["epsilon"] as? [String: Double]) {
                let concentration = try #require(Double(c))
                let r = try #require(SmoothedDifferentialFairness.epsilon(positives: counts.positives, totals: counts.totals, concentration: concentration))
                #expect(abs(r.epsilon - epsilon) <= 1e-9, "\(dataset) \(name) α=\(c)")
                let rates = SmoothedDifferentialFairness.smoothedRates(positives: counts.positives, totals: counts.totals, concentration: concentration)
                for (i, key) in keys.enumerated() {
                    let g = try #require(groups[key])
                    #expect(abs(rates[i] - (try #require(g["smoothed_rate_\(c)"] as? Double))) <= 1e-9, "\(dataset) \(name) \(key)")
                    #expect(counts.totals[i] == g["rows"] as? Int && counts.positives[i] == g["positives"] as? Int)
                }
            }
        }
    }

    // MARK: - The core rule on the bundled examples

    @Test func theCleanExampleReleaseDoesNotFail() throws {
        let examples = Self.root.appendingPathComponent("Examples")
        var c = try ScanConfigurationLoader.load(path: examples.appendingPathComponent("synthscan.yaml").path)
        c.inputs.synthetic = examples.appendingPathComponent("synthetic_clean.csv").path
        c.failOn = nil
        let context = ScanContext(data: try DatasetLoader.load(c), configuration: c)
        let set = try RulePackLoader(repository: PackRepository(searchPaths: [Self.root.appendingPathComponent("Rules").path]), today: "2026-11-29")
            .load(roots: [Self.root.appendingPathComponent("Rules/core").path])
        let rule = try #require(set.rule("bias/intersectional-fairness-amplification")).descriptor
        let outcome = try #require(try ScanEngine.evaluate(rules: [rule], context: context).first)
        #expect(outcome.status == .pass, "\(outcome.message)")
        #expect(outcome.measurement("groups_judged") == 12)
    }
}
