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
                var split = PoolSplit(realCount: 90, count: realRows.count + synthRows.count)
                split.shuffle(using: &rng)
                let isReal = split.isReal.map { $0 == 1 }
                // The same split as two slices of the pooled rows.
                let pooledRows = realRows.map { (ct, $0) } + synthRows.map { (cs, $0) }
                let left = pooledRows.indices.filter { isReal[$0] }, right = pooledRows.indices.filter { !isReal[$0] }
                func slice(_ picks: [Int]) -> ColumnSlice {
                    // Both tables hold the same text, so train rows stand for either side.
                    ColumnSlice(ct, rows: .indices(picks.map { pooledRows[$0].1 }))
                }
                let expected = name == "c" ? TVComplement.score(real: slice(left), synthetic: slice(right))
                                           : KSComplement.score(real: slice(left), synthetic: slice(right))
                let actual = scorer.score(split, scratch: &scratch)
                if name == "c" {
                    #expect(actual == expected, "\(name)")
                } else {
                    // The scorer divides once (exactly rounded D); KSComplement divides per value.
                    let a = try #require(actual), e = try #require(expected)
                    #expect(abs(a - e) <= 1e-15, "\(name): \(a) vs \(e)")
                }
            }
        }
    }

    /// The integer KS walk of the permutation scorer against the definition, on random pools with
    /// many ties and missing values and random splits of every size: 1 − D with
    /// D = max over the present values v of |F_R(v) − F_S(v)|, the empirical CDFs counted directly.
    @Test func pooledKSEqualsTheDefinitionOnRandomSplits() throws {
        var rng = TestFiles.SeededRandom(seed: 2024)
        func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        // Quarters 0…5 (ties everywhere), about one value in six missing.
        let values: [Double?] = (0..<240).map { _ in uniform() < 0.17 ? nil : Double(Int(uniform() * 21)) / 4 }
        // A second column, so that a missing x is not a blank line.
        let text = "i,x\n" + values.enumerated().map { "\($0),\($1.map { String($0) } ?? "")" }.joined(separator: "\n") + "\n"
        let ctx = try Self.context(text, text, protected: [])
        let column = try #require(ctx.data.train.column(named: "x"))
        let syntheticColumn = try #require(ctx.data.synthetic.column(named: "x"))
        // The pool: train rows 0..<100, then synthetic rows 60..<240 (the same text).
        let rows = Array(0..<100) + Array(60..<240)
        let scorer = try #require(PooledColumnScorer(column, .indices(Array(0..<100)), syntheticColumn, .indices(Array(60..<240))))
        let pooled = rows.map { values[$0] }
        let distinct = Set(pooled.compactMap { $0 }).sorted()
        var scratch: [Int] = [], scored = 0
        for trial in 0..<400 {
            var split = PoolSplit(realCount: 1 + trial % (pooled.count - 1), count: pooled.count)
            split.shuffle(using: &rng)
            let real = pooled.indices.compactMap { split.isReal[$0] == 1 ? pooled[$0] : nil }
            let synthetic = pooled.indices.compactMap { split.isReal[$0] == 0 ? pooled[$0] : nil }
            let actual = scorer.score(split, scratch: &scratch)
            guard !real.isEmpty, !synthetic.isEmpty else {
                #expect(actual == nil, "trial \(trial): no present value on a side")
                continue
            }
            var d = 0.0, maxDiff = 0
            for v in distinct {
                let r = real.filter { $0 <= v }.count, s = synthetic.filter { $0 <= v }.count
                d = max(d, abs(Double(r) / Double(real.count) - Double(s) / Double(synthetic.count)))
                maxDiff = max(maxDiff, abs(r * synthetic.count - s * real.count))
            }
            let a = try #require(actual, "trial \(trial)")
            #expect(abs(a - (1 - d)) <= 1e-15, "trial \(trial): \(a) vs \(1 - d)")
            // And exactly the correctly rounded D of the rational max|r·n_S − s·n_R| / (n_R·n_S).
            #expect(a == 1 - Double(maxDiff) / Double(real.count * synthetic.count), "trial \(trial)")
            scored += 1
        }
        #expect(scored > 350)
        // Undefined when a side has no present value: the real side made of missing rows only.
        let missingRows = values.indices.filter { values[$0] == nil }
        let allMissing = try #require(PooledColumnScorer(column, .indices(missingRows), column, .indices(Array(0..<50))))
        #expect(allMissing.score(PoolSplit(realCount: missingRows.count, count: allMissing.count), scratch: &scratch) == nil)
        let firstPresent = try #require(values.firstIndex { $0 != nil })
        #expect(allMissing.score(PoolSplit(realCount: missingRows.count + firstPresent + 1, count: allMissing.count), scratch: &scratch) != nil)
    }

    /// The permutation test's splits come from the seed exactly as before `PoolSplit`: the same
    /// random numbers, the same permutation as `[Bool].shuffle(using:)`.
    @Test func poolSplitShufflesLikeABoolArray() {
        var a = SeededRandom(seed: 11), b = SeededRandom(seed: 11)
        var split = PoolSplit(realCount: 37, count: 1000)
        var flags = [Bool](repeating: false, count: 1000)
        for k in 0..<37 { flags[k] = true }
        for _ in 0..<5 {
            split.shuffle(using: &a)
            flags.shuffle(using: &b)
            #expect(split.isReal == flags.map { $0 ? 1 : 0 })
        }
        #expect(split.isReal.reduce(0) { $0 + Int($1) } == split.realCount)
    }
}
