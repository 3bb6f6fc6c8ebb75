import Foundation
import Testing
@testable import SynthScanCore

/// The `subgroup-fidelity` check: a blurred subgroup fails, a faithful release passes, the
/// permutation scorer equals the SDMetrics metrics on every split, and results are reproducible.
@Suite struct SubgroupFidelityTests {
    static func rule(_ params: [String: ParameterValue] = [:]) -> RuleDescriptor {
        var values: [String: ParameterValue] = [:]
        for spec in SubgroupFidelityCheck.parameters { values[spec.name] = spec.defaultValue }
        for (k, v) in params { values[k] = v }
        return RuleDescriptor(id: "test/subgroup-fidelity", check: SubgroupFidelityCheck.kind, summary: "s", description: "d", help: "h",
                              severity: .warning, tags: [], references: [], parameters: RuleParameters(values), messageTemplate: nil, pack: "test")
    }

    static func context(_ train: String, _ synthetic: String, protected: [String] = ["g"], seed: UInt64 = 7) throws -> ScanContext {
        let folder = try TestFiles.Folder("subgroup-fidelity")
        defer { folder.remove() }
        var configuration = ScanConfiguration()
        configuration.inputs.train = try folder.write("train.csv", train)
        configuration.inputs.synthetic = try folder.write("synthetic.csv", synthetic)
        configuration.roles.protected = protected
        configuration.seed = seed
        return ScanContext(data: try DatasetLoader.load(configuration), configuration: configuration)
    }

    /// Group A: lab ≈ 5, mostly dx X; group B: lab ≈ 8, mostly dx Z. `blurB` draws B from A's model.
    static func cohort(seed: UInt64, blurB: Bool) -> String {
        var rng = TestFiles.SeededRandom(seed: seed)
        func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        var lines = ["g,lab,dx"]
        for g in ["A", "B"] {
            for _ in 0..<200 {
                let model = blurB && g == "B" ? (uniform() < 0.5 ? "A" : "B") : g
                let lab = (model == "A" ? 5.0 : 8.0) + (uniform() - 0.5) * 2
                let dx = uniform() < 0.7 ? (model == "A" ? "X" : "Z") : "Y"
                lines.append("\(g),\(String(format: "%.2f", lab)),\(dx)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func aBlurredSubgroupFailsAndAFaithfulReleasePasses() throws {
        let train = Self.cohort(seed: 1, blurB: false)
        let blurred = try SubgroupFidelityCheck().run(rule: Self.rule(), context: try Self.context(train, Self.cohort(seed: 2, blurB: true)))
        #expect(blurred.status == .fail)
        let b = try #require(blurred.findings.first { $0.location.subgroup == "g=B" })
        #expect(try #require(b.measurements.first { $0.key == "shortfall" }?.value) > 0.05)
        #expect(b.message.contains("lab") && b.message.contains("dx"))
        #expect(blurred.findings.allSatisfy { $0.location.subgroup != "g=A" }, "group A is reproduced faithfully")

        let faithful = try SubgroupFidelityCheck().run(rule: Self.rule(), context: try Self.context(train, Self.cohort(seed: 3, blurB: false)))
        #expect(faithful.status == .pass, "\(faithful.message)")
        #expect(faithful.measurement("cells_judged") == 3)
        #expect(faithful.measurement("columns_checked") == 2)
    }

    @Test func resultsAreReproducibleFromTheSeed() throws {
        let train = Self.cohort(seed: 1, blurB: false), synthetic = Self.cohort(seed: 2, blurB: true)
        let a = try SubgroupFidelityCheck().run(rule: Self.rule(), context: try Self.context(train, synthetic))
        let b = try SubgroupFidelityCheck().run(rule: Self.rule(), context: try Self.context(train, synthetic))
        #expect(a.measurements == b.measurements && a.findings == b.findings)
    }

    @Test func skippedWithoutProtectedAttributes() throws {
        let t = Self.cohort(seed: 1, blurB: false)
        #expect(try SubgroupFidelityCheck().run(rule: Self.rule(), context: try Self.context(t, t, protected: [])).status == .skipped)
    }

    /// The permutation null must score exactly the statistic the observed value uses.
    @Test func pooledScorerEqualsTheSDMetricsMetricsOnEverySplit() throws {
        let text = "x,c,d\n" + (0..<300).map { i in
            let x = i % 17 == 0 ? "" : String(format: "%.3f", Double((i * 7919) % 101) / 10)
            let c = i % 13 == 0 ? "" : ["a", "b", "c", "d"][(i * 31) % 4]
            return "\(x),\(c),2021-0\(1 + i % 9)-1\(i % 10)"
        }.joined(separator: "\n") + "\n"
        let ctx = try Self.context(text, text, protected: [])
        let t = ctx.data.train, s = ctx.data.synthetic
        var rng = TestFiles.SeededRandom(seed: 99)
        for name in ["x", "c", "d"] {
            let ct = try #require(t.column(named: name)), cs = try #require(s.column(named: name))
            let realRows = Array(0..<120), synthRows = Array(50..<300)
            let scorer = try #require(PooledColumnScorer(ct, .indices(realRows), cs, .indices(synthRows)))
            var scratch: [Int] = []
            for _ in 0..<25 {
                var isReal = [Bool](repeating: false, count: realRows.count + synthRows.count)
                for k in 0..<90 { isReal[k] = true }
                isReal.shuffle(using: &rng)
                // The same split as two slices of the pooled rows.
                let pooledRows = realRows.map { (ct, $0) } + synthRows.map { (cs, $0) }
                let left = pooledRows.indices.filter { isReal[$0] }, right = pooledRows.indices.filter { !isReal[$0] }
                func slice(_ picks: [Int]) -> ColumnSlice {
                    // Both tables hold the same text, so train rows stand for either side.
                    ColumnSlice(ct, rows: .indices(picks.map { pooledRows[$0].1 }))
                }
                let expected = name == "c" ? TVComplement.score(real: slice(left), synthetic: slice(right))
                                           : KSComplement.score(real: slice(left), synthetic: slice(right))
                let actual = scorer.score(isReal: isReal, scratch: &scratch)
                #expect(actual == expected, "\(name)")
            }
        }
    }
}
