import Foundation
import Testing
@testable import SynthScanCore

/// The property every bias and fidelity rule must have (issue 6): a "release" made of unseen real
/// records from the same population is not a distortion, so at the default settings each rule
/// passes on at least 95% of random splits. Each seed splits the example cohort's 3,000 real
/// records (train ∪ holdout) at random into a training table of 2,000 and a release of 1,000, and
/// runs every `bias/` and `fidelity/` rule of the core pack with the example configuration.
@Suite struct BiasFidelityPropertyTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let seeds = 40

    @Test func unseenRealRecordsPassEveryBiasAndFidelityRuleInAtLeast95PercentOfSeeds() throws {
        let examples = Self.root.appendingPathComponent("Examples")
        func lines(_ name: String) throws -> [String] {
            try String(contentsOf: examples.appendingPathComponent(name), encoding: .utf8).split(separator: "\n").map(String.init)
        }
        let train = try lines("train.csv"), holdout = try lines("holdout.csv")
        #expect(train[0] == holdout[0])
        let header = train[0]
        let records = Array(train.dropFirst()) + Array(holdout.dropFirst())

        let set = try RulePackLoader(repository: PackRepository(searchPaths: [Self.root.appendingPathComponent("Rules").path]), today: "2026-11-29")
            .load(roots: [Self.root.appendingPathComponent("Rules/core").path])
        let rules = set.rules.map(\.descriptor).filter { $0.id.hasPrefix("bias/") || $0.id.hasPrefix("fidelity/") }
        #expect(rules.count >= 6, "the core pack's bias and fidelity rules: \(rules.map(\.id))")
        var base = try ScanConfigurationLoader.load(path: examples.appendingPathComponent("synthscan.yaml").path)
        base.failOn = nil
        base.inputs.holdout = nil

        var failures: [String: [UInt64]] = [:]
        var ran: [String: Int] = [:]
        let folder = try TestFiles.Folder("property")
        defer { folder.remove() }
        let path = folder.path
        // The splits are independent: both cores take them in turn.
        let outcomes: [[(id: String, failed: Bool)]] = try Parallel.map(Self.seeds) { k in
            let seed = UInt64(k)
            var rng = TestFiles.SeededRandom(seed: 0x5EED_0000 + seed)
            let shuffled = records.shuffled(using: &rng)
            var configuration = base
            configuration.inputs.train = path + "/train-\(seed).csv"
            configuration.inputs.synthetic = path + "/synthetic-\(seed).csv"
            try Data((([header] + shuffled.prefix(2000)).joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: configuration.inputs.train!))
            try Data((([header] + shuffled.dropFirst(2000)).joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: configuration.inputs.synthetic!))
            let context = ScanContext(data: try DatasetLoader.load(configuration), configuration: configuration)
            return try ScanEngine.evaluate(rules: rules, context: context).filter { $0.status != .skipped }.map { ($0.rule.id, $0.status == .fail) }
        }
        for (seed, list) in outcomes.enumerated() {
            for (id, failed) in list {
                ran[id, default: 0] += 1
                if failed { failures[id, default: []].append(UInt64(seed)) }
            }
        }
        for rule in rules where ran[rule.id] != nil {
            let failed = failures[rule.id] ?? []
            let passRate = 1 - Double(failed.count) / Double(ran[rule.id]!)
            #expect(passRate >= 0.95, "\(rule.id) failed on \(failed.count) of \(ran[rule.id]!) splits of unseen real records (seeds \(failed))")
        }
        #expect(ran["bias/outcome-disparity-amplification"] == Self.seeds, "the outcome rule ran on every split")
        #expect(ran["fidelity/missingness-parity"] == Self.seeds)
    }
}
