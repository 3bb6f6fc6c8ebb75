import Foundation
import Testing
@testable import SynthScanCore

/// The `outcome-disparity-amplification` check: per-cell outcome rates, disparity to a reference
/// group (Fairlearn/Aequitas), Katz (1978) log intervals of the amplification ratio, BH control,
/// amplified / attenuated / reversed / inconclusive verdicts, the small-cell guard,
/// `CellIndex.counts(where:)`, and the bundled example releases against plantings.json.
@Suite struct OutcomeDisparityTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func rule(_ params: [String: ParameterValue] = [:]) -> RuleDescriptor {
        var values: [String: ParameterValue] = [:]
        for spec in OutcomeDisparityAmplificationCheck.parameters { values[spec.name] = spec.defaultValue }
        // The arithmetic tests below are written for the fixed-target interval (90%, release's
        // error only); the two-sample default is exercised where a test sets it explicitly.
        values["real_uncertainty"] = .boolean(false)
        values["confidence"] = .number(0.9)
        for (name, value) in params { values[name] = value }
        return RuleDescriptor(id: "test/outcome-disparity", check: OutcomeDisparityAmplificationCheck.kind, summary: "test", description: "test", help: "test",
                              severity: .warning, tags: [], references: [], parameters: RuleParameters(values), messageTemplate: nil, pack: "test")
    }

    static func run(train: String, synthetic: String, protected: [String] = ["race"], outcome: OutcomeSpec? = OutcomeSpec(column: "y", positiveValue: "1"),
                    params: [String: ParameterValue] = [:]) throws -> RuleOutcome {
        let folder = try TestFiles.Folder("disparity")
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

    /// Rows `group,1` (positives) then `group,0`: (group, rows, positives).
    static func table(_ groups: [(String, Int, Int)], header: String = "race,y") -> String {
        var lines = [header]
        for (g, n, p) in groups { lines += Array(repeating: "\(g),1", count: p) + Array(repeating: "\(g),0", count: n - p) }
        return lines.joined(separator: "\n") + "\n"
    }

    static func value(_ finding: Finding, _ key: String) -> Double? { finding.measurements.first { $0.key == key }?.value }

    @Test func skippedWithoutOutcomeOrProtectedAttribute() throws {
        let t = Self.table([("A", 50, 10), ("B", 50, 10)])
        let noOutcome = try Self.run(train: t, synthetic: t, outcome: nil)
        #expect(noOutcome.status == .skipped)
        #expect(noOutcome.message.contains("No outcome is declared"))
        let noProtected = try Self.run(train: t, synthetic: t, protected: [])
        #expect(noProtected.status == .skipped)
        #expect(noProtected.message.contains("No protected attribute"))
    }

    @Test func katzLogIntervalAndContinuityCorrection() {
        let k = OutcomeDisparityAmplificationCheck.katz(a: 30, n: 100, c: 20, m: 200)
        #expect(abs(k.log - log(0.3 / 0.1)) < 1e-15)
        #expect(abs(k.variance - (1.0 / 30 - 1.0 / 100 + 1.0 / 20 - 1.0 / 200)) < 1e-15)
        // A zero count: 0.5 is added to every cell of the 2×2 table (rows grow by 1).
        let z = OutcomeDisparityAmplificationCheck.katz(a: 0, n: 40, c: 12, m: 60)
        #expect(abs(z.log - log((0.5 / 41) / (12.5 / 61))) < 1e-15)
        #expect(abs(z.variance - (1 / 0.5 - 1.0 / 41 + 1 / 12.5 - 1.0 / 61)) < 1e-15)
    }

    @Test func cellIndexCountsPositivesPerCell() throws {
        let folder = try TestFiles.Folder("disparity-cells")
        defer { folder.remove() }
        var configuration = ScanConfiguration()
        configuration.inputs.train = try folder.write("train.csv", "race,sex,y\nA,F,1\nA,M,0\nA,F,1\nB,F,0\nB,M,1\n")
        configuration.inputs.synthetic = try folder.write("synthetic.csv", "race,sex,y\nA,F,0\nB,M,1\nB,M,1\n")
        let data = try DatasetLoader.load(configuration)
        let index = CellIndex(data: data, columns: ["race", "sex"], bands: [:], order: 2)
        let column = try #require(data.schema.index(of: "y"))
        let flags = OutcomeDisparityAmplificationCheck.positiveFlags(data: data, column: column, positive: "1")
        #expect(flags[.train] == [true, false, true, false, true])
        let counts = index.counts(where: flags)
        #expect(counts["race=A"]?.train == 2 && counts["race=A"]?.synthetic == 0)
        #expect(counts["race=B"]?.train == 1 && counts["race=B"]?.synthetic == 2)
        #expect(counts["race=A & sex=F"]?.train == 2)
        #expect(counts["race=B & sex=M"]?.synthetic == 2)
        #expect(counts["sex=F"]?.train == 2)
        #expect(counts["race=B & sex=F"] == nil)
        // The existing API is unchanged: every cell still has its row counts.
        #expect(index.cells.first { $0.key == "race=A & sex=F" }?.train == 2)
    }

    @Test func anAmplifiedDisparityFailsWithItsKatzInterval() throws {
        // Train: A 30% (reference, larger), B 36% → DI_R 1.2. Release: A 30%, B 72% → DI_S 2.4, A = 2.
        let train = Self.table([("A", 300, 90), ("B", 200, 72)])
        let synthetic = Self.table([("A", 300, 90), ("B", 200, 144)])
        let outcome = try Self.run(train: train, synthetic: synthetic, params: ["order": .integer(1)])
        #expect(outcome.status == .fail)
        #expect(outcome.measurement("cells_judged") == 1)
        #expect(outcome.measurement("cells_amplified") == 1)
        #expect(outcome.measurement("cells_attenuated") == 0)
        let f = try #require(outcome.findings.first)
        #expect(f.location.subgroup == "race=B")
        #expect(f.location.columns == ["race"])
        let varS = 1.0 / 144 - 1.0 / 200 + 1.0 / 90 - 1.0 / 300
        let z = Statistics.normalQuantile(0.95)
        #expect(abs(try #require(Self.value(f, "amplification_ratio")) - 2) < 1e-12)
        #expect(abs(try #require(Self.value(f, "ci_low")) - 2 * exp(-z * varS.squareRoot())) < 1e-12)
        #expect(abs(try #require(Self.value(f, "ci_high")) - 2 * exp(z * varS.squareRoot())) < 1e-12)
        #expect(abs(try #require(Self.value(f, "p_value")) - erfc(log(2) / varS.squareRoot() / 2.0.squareRoot())) < 1e-15)
        #expect(f.message.contains("amplified") && f.message.contains("DI_R = 1.200") && f.message.contains("DI_S = 2.400"))
        #expect(outcome.measurement("outcome_rate_real") == 162.0 / 500)

        // With the training table's variance added the same data may be inconclusive, never stricter.
        let twoSample = try Self.run(train: train, synthetic: synthetic, params: ["order": .integer(1), "real_uncertainty": .boolean(true)])
        let g = try #require(twoSample.findings.first)
        let varR = 1.0 / 72 - 1.0 / 200 + 1.0 / 90 - 1.0 / 300
        #expect(abs(try #require(Self.value(g, "ci_low")) - 2 * exp(-z * (varS + varR).squareRoot())) < 1e-12)
    }

    @Test func attenuatedReversedAndKeptDisparities() throws {
        let train = Self.table([("A", 300, 60), ("B", 200, 80)])         // 20% vs 40%: DI_R 2
        let flat = Self.table([("A", 300, 60), ("B", 200, 42)])          // 20% vs 21%: DI_S 1.05
        let attenuated = try Self.run(train: train, synthetic: flat, params: ["order": .integer(1)])
        #expect(attenuated.status == .fail)
        #expect(attenuated.measurement("cells_attenuated") == 1)
        #expect(attenuated.measurement("cells_reversed") == 0)
        let reversedData = Self.table([("A", 300, 120), ("B", 200, 20)]) // 40% vs 10%: DI_S 0.25
        let reversed = try Self.run(train: train, synthetic: reversedData, params: ["order": .integer(1)])
        #expect(reversed.status == .fail)
        #expect(reversed.measurement("cells_reversed") == 1)
        #expect(reversed.findings.first?.message.contains("is reversed") == true)
        let large = Self.table([("A", 1200, 240), ("B", 800, 320)])
        let kept = try Self.run(train: large, synthetic: large, params: ["order": .integer(1)])
        #expect(kept.status == .pass)
        #expect(kept.measurement("max_amplification_ratio") == 1)
        #expect(kept.measurement("cells_inconclusive") == 0)
    }

    @Test func aNamedReferenceAndSmallCellsSkipped() throws {
        let train = Self.table([("A", 300, 60), ("B", 200, 80), ("C", 15, 3)])
        let synthetic = Self.table([("A", 300, 60), ("B", 200, 160), ("C", 15, 3)])
        let outcome = try Self.run(train: train, synthetic: synthetic, params: ["order": .integer(1), "reference": .list(["race=B"])])
        #expect(outcome.measurement("cells_skipped_small") == 1)
        #expect(outcome.measurement("cells_judged") == 1)
        let f = try #require(outcome.findings.first)
        #expect(f.location.subgroup == "race=A")
        #expect(f.message.contains("vs race=B"))
        // DI 0.5 → 0.25 (A = 0.5): farther from parity, so amplified although A < 1.
        #expect(f.message.contains("amplified"))
        #expect(outcome.measurement("cells_amplified") == 1)
    }

    @Test func realRatesOfSmallPositiveCountsAreSuppressed() throws {
        // B has 7 real positives (1–10): its real rate, DI_R and A must not be printed.
        let train = Self.table([("A", 300, 60), ("B", 40, 7)])
        let synthetic = Self.table([("A", 300, 60), ("B", 40, 36)])
        let outcome = try Self.run(train: train, synthetic: synthetic, params: ["order": .integer(1)])
        #expect(outcome.status == .fail)
        let f = try #require(outcome.findings.first)
        #expect(f.message.contains("suppressed (small cell)"))
        #expect(!f.message.contains(Format.percent(7.0 / 40)))
        #expect(!f.message.contains("DI_R = 0.875"))
        #expect(Self.value(f, "real_rate") == nil && Self.value(f, "di_real") == nil && Self.value(f, "amplification_ratio") == nil)
        #expect(outcome.measurement("max_amplification_ratio") == nil)
    }

    // MARK: - The core rule on the bundled examples

    static func exampleOutcome(_ release: String, _ overrides: [String: ParameterValue] = [:]) throws -> RuleOutcome {
        let examples = root.appendingPathComponent("Examples")
        var c = try ScanConfigurationLoader.load(path: examples.appendingPathComponent("synthscan.yaml").path)
        c.inputs.synthetic = examples.appendingPathComponent(release).path
        c.failOn = nil
        let context = ScanContext(data: try DatasetLoader.load(c), configuration: c)
        let set = try RulePackLoader(repository: PackRepository(searchPaths: [root.appendingPathComponent("Rules").path]), today: "2026-11-29")
            .load(roots: [root.appendingPathComponent("Rules/core").path])
        var rule = try #require(set.rule("bias/outcome-disparity-amplification")).descriptor
        for (name, value) in overrides { rule.parameters[name] = value }
        return try #require(try ScanEngine.evaluate(rules: [rule], context: context).first)
    }

    /// The planted amplification (A ≈ 1.9 on a group of a few hundred patients) fails at the planted
    /// group with the default two-sample test and, more clearly, against the training disparity as a
    /// fixed target (`real_uncertainty: false`, 90% intervals). The clean release passes both ways.
    @Test func theAmplifiedExampleFailsAtItsPlantedGroupAndTheCleanOnePasses() throws {
        let fixedTarget: [String: ParameterValue] = ["real_uncertainty": .boolean(false), "confidence": .number(0.9)]
        let data = try Data(contentsOf: Self.root.appendingPathComponent("Examples/plantings.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let files = try #require(json["files"] as? [String: Any])
        var sawAmplified = false
        for (file, entry) in files where file.hasPrefix("synthetic_") {
            let planted = try #require((entry as? [String: Any])?["planted"] as? [String: Any])
            switch planted["kind"] as? String {
            case "amplified_disparity":
                sawAmplified = true
                let column = try #require(planted["column"] as? String), group = try #require(planted["group"] as? String)
                let reference = try #require(planted["reference_group"] as? String)
                let byDefault = try Self.exampleOutcome(file)
                #expect(byDefault.status == .fail, "\(file): \(byDefault.message)")
                #expect(byDefault.findings.map(\.location.subgroup) == ["\(column)=\(group)"], "only the planted group is certified amplified")
                #expect(try #require(byDefault.measurement("max_amplification_ratio")) > 1.4, "the planted cell is the most amplified")
                let outcome = try Self.exampleOutcome(file, fixedTarget)
                #expect(outcome.status == .fail, "\(file): \(outcome.message)")
                let f = try #require(outcome.findings.first { $0.location.subgroup == "\(column)=\(group)" }, "\(file): \(outcome.message)")
                #expect(f.message.contains("amplified") && f.message.contains("vs \(column)=\(reference)"))
                let ratio = try #require(planted["intended_rate_ratio"] as? Double)
                let real = try #require((planted["real"] as? [String: Any])?["rate_ratio"] as? Double)
                #expect(try #require(Self.value(f, "di_real")) > 1)
                #expect(abs(try #require(Self.value(f, "di_real")) - real) < 0.001)
                #expect(try #require(Self.value(f, "di_synthetic")) > real && ratio > real)
            case _ where file == "synthetic_clean.csv":
                for overrides in [[:], fixedTarget] {
                    let outcome = try Self.exampleOutcome(file, overrides)
                    #expect(outcome.status == .pass, "\(file): \(outcome.message)")
                    #expect(outcome.findings.isEmpty)
                }
            default:
                break
            }
        }
        #expect(sawAmplified)
    }

    // MARK: - Fairlearn 0.15.0 conformance (Tests/Conformance/generate_fairlearn_disparity.py)

    /// The disparity DI = (a/n) / (c/m) of a positives of n rows against c positives of the
    /// reference's m rows, as the check reports it (`exp(katz(...).log)`) and as the plain rate
    /// ratio Fairlearn and AIF360 compute. They coincide unless a count of the 2×2 table is 0
    /// (a = 0, a = n, c = 0 or c = m): then Katz adds 0.5 to every cell, and the check's `di_real` /
    /// `di_synthetic` are the corrected ((a+½)/(n+1)) / ((c+½)/(m+1)), which stays finite and
    /// non-zero (a group with no positives reads as a small ratio, not 0). `corrected` says so; this
    /// helper asserts the corrected value is what `katz` gives.
    static func reportedDisparity(a: Int, n: Int, c: Int, m: Int) -> (plain: Double, reported: Double, corrected: Bool) {
        let plain = (Double(a) / Double(n)) / (Double(c) / Double(m))
        let reported = exp(OutcomeDisparityAmplificationCheck.katz(a: a, n: n, c: c, m: m).log)
        let corrected = a == 0 || a == n || c == 0 || c == m
        if corrected {
            let expected = ((Double(a) + 0.5) / Double(n + 1)) / ((Double(c) + 0.5) / Double(m + 1))
            #expect(abs(reported - expected) <= 1e-12 * expected, "Katz-corrected DI for \(a)/\(n) vs \(c)/\(m)")
        }
        return (plain, reported, corrected)
    }

    @Test(arguments: ["race_readmission", "sex_yes_no", "site_many_levels_missing"])
    func groupRatesAndDisparitiesAgreeWithFairlearn(dataset: String) throws {
        let folder = Self.root.appendingPathComponent("Tests/Conformance/fairlearn_disparity")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("expected.json"))) as? [String: Any])
        let entry = try #require((json["datasets"] as? [String: Any])?[dataset] as? [String: Any])
        let outcome = try #require(entry["outcome"] as? String), positive = try #require(entry["positive"] as? String)
        let tables = try #require(entry["tables"] as? [String: [String: Any]])
        var configuration = ScanConfiguration()
        configuration.inputs.train = folder.appendingPathComponent("\(dataset)/train.csv").path
        configuration.inputs.synthetic = folder.appendingPathComponent("\(dataset)/synthetic.csv").path
        let data = try DatasetLoader.load(configuration)
        let column = try #require(tables["train"]?["column"] as? String)
        let index = CellIndex(data: data, columns: [column], bands: [:], order: 1)
        let flags = OutcomeDisparityAmplificationCheck.positiveFlags(data: data, column: try #require(data.schema.index(of: outcome)), positive: positive)
        let positives = index.counts(where: flags)
        for (roleName, role) in [("train", TableRole.train), ("synthetic", TableRole.synthetic)] {
            let expected = try #require(tables[roleName])
            let rates = try #require(expected["selection_rate"] as? [String: Double])
            let disparity = try #require(expected["disparity"] as? [String: Double])
            let reference = try #require(expected["reference"] as? String)
            let cells = index.cells.filter { $0.count(role) > 0 }
            // The reference group is the largest, as the check chooses it.
            let largest = try #require(cells.max { $0.count(role) < $1.count(role) || ($0.count(role) == $1.count(role) && $0.key > $1.key) })
            #expect(largest.key == "\(column)=\(reference)", "\(dataset) \(roleName)")
            func pos(_ key: String) -> Int { role == .train ? positives[key]?.train ?? 0 : positives[key]?.synthetic ?? 0 }
            var swiftRates: [String: Double] = [:]
            for cell in cells {
                let level = String(cell.key.dropFirst(column.count + 1))
                swiftRates[level] = Double(pos(cell.key)) / Double(cell.count(role))
            }
            #expect(Set(swiftRates.keys) == Set(rates.keys), "\(dataset) \(roleName)")
            for (level, rate) in rates { #expect(abs(try #require(swiftRates[level]) - rate) <= 1e-12, "\(dataset) \(roleName) \(level)") }
            let refKey = "\(column)=\(reference)"
            for cell in cells {
                let level = String(cell.key.dropFirst(column.count + 1))
                let di = Self.reportedDisparity(a: pos(cell.key), n: cell.count(role), c: pos(refKey), m: largest.count(role))
                #expect(abs(di.plain - (try #require(disparity[level]))) <= 1e-12, "\(dataset) \(roleName) \(level)")
                if !di.corrected { #expect(abs(di.reported - di.plain) <= 1e-12, "\(dataset) \(roleName) \(level)") }
            }
            let values = Array(swiftRates.values)
            #expect(abs(values.min()! / values.max()! - (try #require(expected["demographic_parity_ratio"] as? Double))) <= 1e-12)
            #expect(abs(values.max()! - values.min()! - (try #require(expected["demographic_parity_difference"] as? Double))) <= 1e-12)
        }
    }

    // MARK: - AIF360 0.6.1 conformance (Tests/Conformance/generate_aif360_disparity.py)

    /// AIF360 `BinaryLabelDatasetMetric.disparate_impact()` and `statistical_parity_difference()`
    /// with the check's reference group as the privileged group, against every other level alone and
    /// against all of them at once (AIF360's list of group dicts is a union; synthscan's side sums
    /// the cells' counts). Rates and SPD come from `CellIndex.counts(where:)` over
    /// `positiveFlags`; the single-level DI is the check's `exp(katz(...).log)` where no count of
    /// the 2×2 table is 0, the plain rate ratio otherwise (see `reportedDisparity`). The CSVs are the
    /// Fairlearn fixtures'; an empty protected field is synthscan's `missing` level on both sides.
    @Test(arguments: ["race_readmission", "sex_yes_no", "site_many_levels_missing"])
    func disparateImpactAndStatisticalParityAgreeWithAIF360(dataset: String) throws {
        let conformance = Self.root.appendingPathComponent("Tests/Conformance")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: conformance.appendingPathComponent("aif360_disparity/expected.json"))) as? [String: Any])
        #expect(json["aif360"] as? String == "0.6.1")
        let entry = try #require((json["datasets"] as? [String: Any])?[dataset] as? [String: Any])
        let outcome = try #require(entry["outcome"] as? String), positive = try #require(entry["positive"] as? String)
        let tables = try #require(entry["tables"] as? [String: [String: Any]])
        var configuration = ScanConfiguration()
        configuration.inputs.train = conformance.appendingPathComponent("fairlearn_disparity/\(dataset)/train.csv").path
        configuration.inputs.synthetic = conformance.appendingPathComponent("fairlearn_disparity/\(dataset)/synthetic.csv").path
        let data = try DatasetLoader.load(configuration)
        let column = try #require(tables["train"]?["column"] as? String)
        let index = CellIndex(data: data, columns: [column], bands: [:], order: 1)
        let flags = OutcomeDisparityAmplificationCheck.positiveFlags(data: data, column: try #require(data.schema.index(of: outcome)), positive: positive)
        let positives = index.counts(where: flags)
        var compared = 0
        for (roleName, role) in [("train", TableRole.train), ("synthetic", TableRole.synthetic)] {
            let expected = try #require(tables[roleName])
            let privileged = try #require(expected["privileged"] as? String)
            let cells = index.cells.filter { $0.count(role) > 0 }
            let reference = try #require(cells.max { $0.count(role) < $1.count(role) || ($0.count(role) == $1.count(role) && $0.key > $1.key) })
            #expect(reference.key == "\(column)=\(privileged)", "\(dataset) \(roleName): the check's reference is AIF360's privileged group")
            func pos(_ key: String) -> Int { role == .train ? positives[key]?.train ?? 0 : positives[key]?.synthetic ?? 0 }
            func rows(_ key: String) -> Int { cells.first { $0.key == key }?.count(role) ?? 0 }
            let c = pos(reference.key), m = reference.count(role)
            for comparison in try #require(expected["comparisons"] as? [[String: Any]]) {
                let levels = try #require(comparison["unprivileged"] as? [String])
                let keys = levels.map { "\(column)=\($0)" }
                let a = keys.map(pos).reduce(0, +), n = keys.map(rows).reduce(0, +)
                let label = "\(dataset) \(roleName) \(levels.joined(separator: "+")) vs \(privileged)"
                #expect(a == comparison["num_positives_unprivileged"] as? Int && n == comparison["num_instances_unprivileged"] as? Int, "\(label)")
                let rateU = Double(a) / Double(n), rateP = Double(c) / Double(m)
                #expect(abs(rateU - (try #require(comparison["base_rate_unprivileged"] as? Double))) <= 1e-12, "\(label)")
                #expect(abs(rateP - (try #require(comparison["base_rate_privileged"] as? Double))) <= 1e-12, "\(label)")
                #expect(abs((rateU - rateP) - (try #require(comparison["statistical_parity_difference"] as? Double))) <= 1e-12, "\(label) SPD")
                let di = try #require(comparison["disparate_impact"] as? Double)
                if levels.count == 1 {
                    let reported = Self.reportedDisparity(a: a, n: n, c: c, m: m)
                    #expect(abs(reported.plain - di) <= 1e-12, "\(label) DI")
                    if !reported.corrected { #expect(abs(reported.reported - di) <= 1e-12, "\(label) DI as the check reports it") }
                } else {
                    #expect(abs(rateU / rateP - di) <= 1e-12, "\(label) DI of the union")
                }
                compared += 1
            }
        }
        #expect(compared >= 6)
    }
}
