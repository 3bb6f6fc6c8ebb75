import Foundation
import Testing
@testable import SynthScanCore

/// The `rare-event-preservation` check: prevalence ratios with Katz intervals and BH, pooled rare
/// categories, clipped subgroup tails, the disclosure rules, the bundled example releases against
/// plantings.json, and real subsamples passing as releases.
@Suite struct RareEventPreservationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let examples = root.appendingPathComponent("Examples")

    static func rule(_ params: [String: ParameterValue] = [:]) -> RuleDescriptor {
        var values: [String: ParameterValue] = [:]
        for spec in RareEventPreservationCheck.parameters { values[spec.name] = spec.defaultValue }
        for (name, value) in params { values[name] = value }
        return RuleDescriptor(id: "test/rare-event-preservation", check: RareEventPreservationCheck.kind, summary: "test", description: "test",
                              help: "test", severity: .error, tags: [], references: [], parameters: RuleParameters(values),
                              messageTemplate: nil, pack: "test")
    }

    static func run(train: String, synthetic: String, protected: [String], params: [String: ParameterValue] = [:]) throws -> RuleOutcome {
        let folder = try TestFiles.Folder("rare-event")
        defer { folder.remove() }
        var configuration = ScanConfiguration()
        configuration.inputs.train = try folder.write("train.csv", train)
        configuration.inputs.synthetic = try folder.write("synthetic.csv", synthetic)
        configuration.roles.protected = protected
        configuration.failOn = nil
        let context = ScanContext(data: try DatasetLoader.load(configuration), configuration: configuration)
        return try #require(try ScanEngine.evaluate(rules: [rule(params)], context: context).first)
    }

    static func table(_ rows: [(String, Int)], header: String = "sex,dx") -> String {
        header + "\n" + rows.flatMap { Array(repeating: $0.0, count: $0.1) }.joined(separator: "\n") + "\n"
    }

    /// The Examples configuration with `synthetic` as the release (a path).
    static func exampleContext(synthetic: String) throws -> ScanContext {
        var c = try ScanConfigurationLoader.load(path: examples.appendingPathComponent("synthscan.yaml").path)
        c.inputs.synthetic = synthetic
        c.failOn = nil
        return ScanContext(data: try DatasetLoader.load(c), configuration: c)
    }

    static func coreRule() throws -> RuleDescriptor {
        let set = try RulePackLoader(repository: PackRepository(searchPaths: [root.appendingPathComponent("Rules").path]), today: "2026-11-29")
            .load(roots: [root.appendingPathComponent("Rules/core").path])
        return try #require(set.rule("fidelity/rare-event-preservation")).descriptor
    }

    // MARK: Prevalence ratios

    @Test func katzIntervalAndVerdicts() {
        // 0 of 2000 against 12 of 2000: corrected to 0.5/2001 and 12.5/2001.
        let r = PrevalenceRatio(realEvents: 12, realRows: 2000, syntheticEvents: 0, syntheticRows: 2000, z: 1.6448536269514722)
        #expect(abs(r.ratio - 0.04) < 1e-12)
        let se = (1 / 0.5 - 1 / 2001.0 + 1 / 12.5 - 1 / 2001.0).squareRoot()
        #expect(abs(r.high - exp(log(0.04) + 1.6448536269514722 * se)) < 1e-12)
        #expect(r.verdict(band: 2, qValue: r.pValue, alpha: 0.05) == .underproduced)
        #expect(r.verdict(band: 2, qValue: 0.2, alpha: 0.05) == .inconclusive)
        let same = PrevalenceRatio(realEvents: 100, realRows: 1000, syntheticEvents: 100, syntheticRows: 1000, z: 1.645)
        #expect(same.ratio == 1)
        #expect(same.verdict(band: 2, qValue: 1, alpha: 0.05) == .pass)
        let more = PrevalenceRatio(realEvents: 20, realRows: 1000, syntheticEvents: 200, syntheticRows: 1000, z: 1.645)
        #expect(more.verdict(band: 2, qValue: more.pValue, alpha: 0.05) == .overproduced)
    }

    @Test func aDeclaredEventTheReleaseInflatesFails() throws {
        let train = Self.table([("F,x", 480), ("F,y", 20), ("M,x", 480), ("M,y", 20)])
        let synthetic = Self.table([("F,x", 400), ("F,y", 100), ("M,x", 480), ("M,y", 20)])
        let outcome = try Self.run(train: train, synthetic: synthetic, protected: ["sex"], params: ["events": .list(["dx=y"])])
        #expect(outcome.status == .fail)
        // Overall RR = 120/40 = 3 (interval 2.2–4.1) and among F 100/20 = 5; M keeps its prevalence.
        #expect(outcome.measurement("events_overproduced") == 2)
        #expect(Set(outcome.findings.compactMap(\.location.subgroup)) == ["dx=y", "sex=F"])
        let inF = try #require(outcome.findings.first { $0.location.subgroup == "sex=F" })
        #expect(inF.location.columns == ["dx", "sex"])
        #expect(inF.message.contains("among sex=F"))
    }

    @Test func aSubgroupsRealFiguresAreWithheldWhenASiblingHasFewerThan11() throws {
        // M has 5 real occurrences: printing F's real count (20) with the overall one (25) would reveal it.
        let train = Self.table([("F,x", 480), ("F,y", 20), ("M,x", 495), ("M,y", 5)])
        let synthetic = Self.table([("F,x", 400), ("F,y", 100), ("M,x", 495), ("M,y", 5)])
        let outcome = try Self.run(train: train, synthetic: synthetic, protected: ["sex"], params: ["events": .list(["dx=y"])])
        let inF = try #require(outcome.findings.first { $0.location.subgroup == "sex=F" })
        #expect(inF.message.contains("withheld"))
        #expect(!inF.message.contains("20 training") && !inF.message.contains("4.00%"))
        #expect(!inF.measurements.contains { ["prevalence_real", "prevalence_ratio", "ci_low", "ci_high"].contains($0.key) })
        let overall = try #require(outcome.findings.first { $0.location.subgroup == "dx=y" })
        #expect(overall.message.contains("25 training patients"))
    }

    @Test func aPoolWhoseMembersWouldRevealASmallRestIsWithheld() throws {
        // Rare (< 1% of 3000): r1 has 25 (judged alone, printed), r2 has 4; printing the pool's 29
        // next to r1's 25 would give r2's 4.
        let train = Self.table([("F,x", 2971), ("F,r1", 25), ("F,r2", 4)])
        let synthetic = Self.table([("F,x", 3000)])
        let outcome = try Self.run(train: train, synthetic: synthetic, protected: ["sex"])
        let r2 = try #require(outcome.findings.first { $0.location.subgroup == "dx=r2" })
        #expect(r2.message.contains("withheld"))
        #expect(!r2.measurements.contains { $0.key == "real_count" || $0.key == "prevalence_real" })
        for f in outcome.findings {
            #expect(!f.message.contains("29 training") && !f.message.contains("(4 training"), "\(f.message)")
        }
        #expect(outcome.findings.contains { $0.location.subgroup == "dx=r1" && $0.message.contains("(25 training") })
    }

    @Test func rareEventsBelowTheMinimumAreCountedNotJudged() throws {
        let train = Self.table([("F,x", 995), ("F,r", 5)])
        let synthetic = Self.table([("F,x", 1000)])
        let outcome = try Self.run(train: train, synthetic: synthetic, protected: ["sex"])
        #expect(outcome.status == .pass)
        #expect(outcome.measurement("events_judged") == 0)
        #expect(outcome.measurement("events_skipped_small") == 1)   // counted once: its subgroups are not examined
        #expect(outcome.measurement("rare_categories_absent") == 1)
        #expect(!outcome.message.contains("5 "))
    }

    // MARK: Tails

    @Test func aClippedSubgroupTailWarnsWithoutPrintingRealValues() throws {
        var train = "sex,lab\n", synthetic = "sex,lab\n"
        for i in 0..<400 {
            let v = 3.7 + Double(i % 200) * 0.5   // 3.7 … 103.2: real extremes that must not be printed
            train += "\(i % 2 == 0 ? "F" : "M"),\(v)\n"
            let s = i % 2 == 0 ? min(max(v, 30), 80) : v
            synthetic += "\(i % 2 == 0 ? "F" : "M"),\(s)\n"
        }
        let outcome = try Self.run(train: train, synthetic: synthetic, protected: ["sex"])
        #expect(outcome.status == .fail)
        #expect(outcome.level == .warning)
        #expect(outcome.measurement("group_tails_clipped") == 1)
        let finding = try #require(outcome.findings.first)
        #expect(finding.level == .warning)
        #expect(finding.location.subgroup == "sex=F")
        for text in [finding.message, outcome.message] {
            #expect(!text.contains("3.7") && !text.contains("103.2") && !text.contains("102.7"), "\(text)")
        }
        // Synthetic percentiles only: no ratio to a real quantile (the release is public).
        #expect(finding.measurements.contains { $0.key == "q99_synthetic" })
        #expect(!finding.measurements.contains { $0.key.hasSuffix("_ratio") })
    }

    @Test func tailPValueIsTheExchangeableBetaBinomialTail() throws {
        // One real value above the only synthetic value: P = 1/2, doubled → 1.
        let column = Column(name: "x", type: .numeric, storage: .numeric(values: [1, 2], missing: MissingMask(count: 2)))
        let tail = try #require(TailCoverage(real: ColumnSlice(column, rows: .all), synthetic: ColumnSlice(column, rows: .indices([0]))))
        #expect(tail.realBeyond == 1)
        #expect(tail.pValue == 1)
        #expect(tail.coverage == 0)
    }

    // MARK: Examples

    @Test func theErasedRareDiagnosesAreExactlyTheFlaggedEvents() throws {
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.examples.appendingPathComponent("plantings.json"))) as! [String: Any]
        let planted = try #require(((manifest["files"] as? [String: Any])?["synthetic_erased_rare.csv"] as? [String: Any])?["planted"] as? [String: Any])
        let column = try #require(planted["column"] as? String), values = try #require(planted["values"] as? [String])
        let context = try Self.exampleContext(synthetic: Self.examples.appendingPathComponent("synthetic_erased_rare.csv").path)
        let outcome = try #require(try ScanEngine.evaluate(rules: [Self.coreRule()], context: context).first)
        #expect(outcome.status == .fail)
        #expect(outcome.level == .error)
        #expect(Set(outcome.findings.compactMap(\.location.subgroup)) == Set(values.map { "\(column)=\($0)" }))
        #expect(outcome.measurement("events_underproduced") == 1)
        #expect(outcome.measurement("group_tails_clipped") == 0)
        let counts = try #require(planted["train_counts"] as? [String: Int])
        for n in Set(counts.values) where (1...10).contains(n) {
            #expect(!outcome.findings.contains { $0.message.contains("(\(n) training") })
        }
    }

    @Test func theCleanReleasePassesAtTheDefaults() throws {
        let context = try Self.exampleContext(synthetic: Self.examples.appendingPathComponent("synthetic_clean.csv").path)
        let outcome = try #require(try ScanEngine.evaluate(rules: [Self.coreRule()], context: context).first)
        #expect(outcome.status == .pass, "\(outcome.message)")
        #expect(outcome.findings.isEmpty)
    }

    /// A random half of the real rows (train ∪ holdout) as the release passes in at least 95% of
    /// 40 seeds: the rule does not flag sampling noise.
    @Test func realSubsamplesPassInAtLeast95PercentOfSeeds() throws {
        let read = { (name: String) throws -> [Substring] in
            try String(contentsOf: Self.examples.appendingPathComponent(name), encoding: .utf8).split(separator: "\n")
        }
        let train = try read("train.csv"), holdout = try read("holdout.csv")
        let header = train[0], rows = Array(train.dropFirst()) + Array(holdout.dropFirst())
        let rule = try Self.coreRule()
        let folder = try TestFiles.Folder("rare-event-subsample")
        defer { folder.remove() }
        var passes = 0, failures: [String] = []
        for seed in 0..<40 {
            var random = SeededRandom(seed: UInt64(seed), stream: SeededRandom.stream("rare-event-subsample"))
            let half = Array(rows.shuffled(using: &random).prefix(rows.count / 2))
            let path = try folder.write("synthetic-\(seed).csv", ([header] + half).joined(separator: "\n") + "\n")
            let outcome = try #require(try ScanEngine.evaluate(rules: [rule], context: Self.exampleContext(synthetic: path)).first)
            if outcome.status == .pass { passes += 1 } else { failures.append("seed \(seed): \(outcome.message)") }
        }
        #expect(passes >= 38, "\(passes)/40 passed; \(failures.joined(separator: " | "))")
    }
}
