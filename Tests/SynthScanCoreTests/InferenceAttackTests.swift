import Foundation
import Testing
@testable import SynthScanCore

/// Verdicts, parameters, measurements and message hygiene of the `inference-attack` check on
/// small tables (conformance with anonymeter's `InferenceEvaluator` is in
/// AnonymeterAttackTests).
@Suite struct InferenceAttackTests {
    struct Fixture {
        let folder: TestFiles.Folder
        let context: ScanContext

        init(train: String, synthetic: String, holdout: String?, seed: UInt64? = nil,
             quasiIdentifiers: [String] = ["age", "sex", "zip3", "sbp"], sensitive: [String] = ["dx"]) throws {
            folder = try TestFiles.Folder("inference")
            var configuration = ScanConfiguration()
            configuration.inputs.train = try folder.write("train.csv", train)
            configuration.inputs.synthetic = try folder.write("synthetic.csv", synthetic)
            if let holdout { configuration.inputs.holdout = try folder.write("holdout.csv", holdout) }
            configuration.roles.quasiIdentifiers = quasiIdentifiers
            configuration.roles.sensitive = sensitive
            configuration.columns["zip3"] = ColumnSettings(type: .categorical)
            if let seed { configuration.seed = seed }
            configuration.failOn = nil
            context = ScanContext(data: try DatasetLoader.load(configuration), configuration: configuration)
        }

        func run(_ params: [String: ParameterValue] = [:]) throws -> RuleOutcome {
            try InferenceAttackCheck().run(rule: AnonymeterAttackTests.rule(InferenceAttackCheck.self, params), context: context)
        }
    }

    static let diagnoses = ["I10", "E11.9", "J45", "N18.3", "F32.1"]

    /// `n` patients with distinct ages and pressures and a diagnosis drawn by a seeded generator
    /// (offset moves them away from another cohort and draws other diagnoses).
    static func cohort(_ n: Int, offset: Int, secretLOS: Bool = false) -> String {
        var rng = SeededRandom(seed: UInt64(offset + 1))
        var lines = ["age,sex,zip3,sbp,dx,los"]
        for i in 0..<n {
            let dx = diagnoses[Int(rng.next() % UInt64(diagnoses.count))]
            lines.append("\(18 + (i * 7 + offset) % 80),\(i % 2 == 0 ? "F" : "M"),\(100 + (i * 3 + offset) % 17),\(90 + i * 2 + offset),\(dx),\(1 + rng.next() % 20)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func exactCopiesTrigger() throws {
        let train = Self.cohort(120, offset: 0)
        let f = try Fixture(train: train, synthetic: train, holdout: Self.cohort(120, offset: 1001))
        let o = try f.run()
        #expect(o.status == .fail, "\(o.message)")
        #expect(o.measurement("attack_rate") == 1 && o.measurement("targets_train") == 120 && o.measurement("targets_holdout") == 120)
        #expect(o.measurement("control_rate")! < 0.5)
        #expect(o.measurement("residual_risk_ci_low")! > 0.05 && o.measurement("secrets_failing") == 1)
        #expect(o.measurement("baseline_rate")! < 0.5)
        // Column names and rates only: no real value (ages, pressures, diagnoses) in the message.
        for value in Self.diagnoses + ["190", "101,"] { #expect(!o.message.contains(value), "\(value) in \(o.message)") }
        #expect(o.message.contains("dx") && o.message.contains("age, sbp, sex, zip3"), "\(o.message)")
    }

    @Test func freshRecordsPass() throws {
        let f = try Fixture(train: Self.cohort(120, offset: 0), synthetic: Self.cohort(120, offset: 501), holdout: Self.cohort(120, offset: 1001))
        let o = try f.run()
        #expect(o.status == .pass, "\(o.message)")
        #expect(o.measurement("secrets_failing") == 0)
    }

    @Test func worstSecretDecidesAndEachIsReported() throws {
        // Copies of the training table leak dx and los alike; a second, fresh secret would not.
        let train = Self.cohort(120, offset: 0)
        let f = try Fixture(train: train, synthetic: train, holdout: Self.cohort(120, offset: 1001), sensitive: ["dx", "los"])
        let o = try f.run()
        #expect(o.status == .fail)
        #expect(o.measurement("secret_columns") == 2 && o.measurement("secrets_failing") == 2)
        #expect(o.message.contains("dx:") && o.message.contains("los:"))
        // Each failing secret is a finding with its own figures; the outcome carries the worst.
        #expect(o.findings.map { $0.location.columns.first } == ["dx", "los"])
        #expect(Set(o.findings.map(\.fingerprint)).count == 2)
        let worst = o.findings.map { f in f.measurements.first { $0.key == "residual_risk_ci_low" }!.value }.max()
        #expect(worst == o.measurement("residual_risk_ci_low"))
        for finding in o.findings { #expect(!Self.diagnoses.contains { finding.message.contains($0) }, "\(finding.message)") }
        // An auxiliary column is never a secret.
        let g = try f.run(["secret_columns": .list(["dx", "age"])])
        #expect(g.measurement("secret_columns") == 1)
    }

    @Test func numericToleranceFollowsAnonymeterRegression() throws {
        let folder = try TestFiles.Folder("inference-tol")
        let table = { (rows: [String]) in (["a,b,y"] + rows).joined(separator: "\n") + "\n" }
        var configuration = ScanConfiguration()
        configuration.inputs.train = try folder.write("train.csv", table(["1,x,100", "2,y,-10", "3,z,"]))
        configuration.inputs.synthetic = try folder.write("synthetic.csv", table(["1,x,104", "2,y,-10.4", "3,z,"]))
        configuration.failOn = nil
        let context = ScanContext(data: try DatasetLoader.load(configuration), configuration: configuration)
        let s = context.data.synthetic.column(named: "y")!, t = context.data.train.column(named: "y")!
        // Exact by default (anonymeter's regression=False); two missing values match.
        #expect(!InferenceAttackCheck.correct(guess: s, row: 0, secret: t, row: 0, tolerance: 0))
        #expect(InferenceAttackCheck.correct(guess: s, row: 2, secret: t, row: 2, tolerance: 0))
        #expect(!InferenceAttackCheck.correct(guess: s, row: 2, secret: t, row: 0, tolerance: 0.05))
        // |104 − 100| / 104 ≤ 0.05; |−10.4 − (−10)| / 10.4 ≤ 0.05 (relative to |guess|).
        #expect(InferenceAttackCheck.correct(guess: s, row: 0, secret: t, row: 0, tolerance: 0.05))
        #expect(InferenceAttackCheck.correct(guess: s, row: 1, secret: t, row: 1, tolerance: 0.05))
        #expect(!InferenceAttackCheck.correct(guess: s, row: 0, secret: t, row: 1, tolerance: 0.05))
    }

    @Test func skippedWithoutHoldoutWithRatesMeasured() throws {
        let train = Self.cohort(60, offset: 0)
        let f = try Fixture(train: train, synthetic: train, holdout: nil)
        let o = try f.run()
        #expect(o.status == .skipped)
        #expect(o.measurement("attack_rate") == 1 && o.measurement("baseline_rate") != nil && o.measurement("control_rate") == nil)
        #expect(o.message.contains("--holdout"))
    }

    @Test func skippedWithoutAuxOrSecretColumns() throws {
        let train = Self.cohort(20, offset: 0)
        #expect(try Fixture(train: train, synthetic: train, holdout: train, quasiIdentifiers: []).run().status == .skipped)
        #expect(try Fixture(train: train, synthetic: train, holdout: train, sensitive: []).run().status == .skipped)
    }

    @Test func unknownColumnsAreErrors() throws {
        let train = Self.cohort(20, offset: 0)
        let f = try Fixture(train: train, synthetic: train, holdout: train)
        #expect(throws: CheckError.unknownColumn(rule: "test/inference-attack", column: "mrn")) { try f.run(["aux_columns": .list(["mrn"])]) }
        #expect(throws: CheckError.unknownColumn(rule: "test/inference-attack", column: "hiv")) { try f.run(["secret_columns": .list(["hiv"])]) }
    }

    @Test func everyMeasurementIsDeclared() throws {
        let train = Self.cohort(60, offset: 0)
        let declared = Set(InferenceAttackCheck.measurements.map(\.key))
        let full = try Fixture(train: train, synthetic: train, holdout: Self.cohort(60, offset: 1001)).run()
        #expect(Set(full.measurements.map(\.key)) == declared)
        let skipped = try Fixture(train: train, synthetic: train, holdout: nil).run()
        #expect(Set(skipped.measurements.map(\.key)).isSubset(of: declared))
        let required = Set(InferenceAttackCheck.measurements.filter { !$0.optional }.map(\.key))
        #expect(required.isSubset(of: Set(skipped.measurements.map(\.key))))
    }

    @Test func sameSeedSameFiguresOtherSeedOtherSample() throws {
        let train = Self.cohort(300, offset: 0), syn = Self.cohort(300, offset: 501), holdout = Self.cohort(300, offset: 1001)
        let params: [String: ParameterValue] = ["n_attacks": .integer(100)]
        let a = try Fixture(train: train, synthetic: syn, holdout: holdout).run(params)
        let b = try Fixture(train: train, synthetic: syn, holdout: holdout).run(params)
        #expect(a.measurements == b.measurements && a.message == b.message)
        #expect(a.measurement("targets_train") == 100)
        var differs = false
        for seed in [UInt64(1), 2, 3] {
            let c = try Fixture(train: train, synthetic: syn, holdout: holdout, seed: seed).run(params)
            differs = differs || c.measurements != a.measurements
        }
        #expect(differs)
    }
}
