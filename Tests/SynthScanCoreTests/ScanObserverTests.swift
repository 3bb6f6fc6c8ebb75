import Foundation
import SynthScanExamples
import Testing
@testable import SynthScanCore

/// The optional scan observer (progress on the CLI's stderr, per-rule times in the benchmark):
/// it hears every phase in order and never changes the result.
@Suite struct ScanObserverTests {
    /// Small generated tables (300 rows) with the example cohort's roles, so the whole core pack runs quickly.
    static func configuration(in folder: URL) throws -> ScanConfiguration {
        var configuration = ScanConfiguration()
        for (name, seed, prefix) in [("train", UInt64(1), "R-"), ("holdout", 3, "H-"), ("synthetic", 2, "S-")] {
            let path = folder.appendingPathComponent("\(name).csv").path
            _ = try BenchmarkTableWriter(table: BenchmarkTable(seed: seed, idPrefix: prefix)).write(rowCount: 300, to: path)
        }
        configuration.inputs.train = folder.appendingPathComponent("train.csv").path
        configuration.inputs.holdout = folder.appendingPathComponent("holdout.csv").path
        configuration.inputs.synthetic = folder.appendingPathComponent("synthetic.csv").path
        configuration.roles.identifiers = [BenchmarkTable.idColumn]
        configuration.roles.quasiIdentifiers = ["age", "sex", "zip3", "admission_date"]
        configuration.roles.sensitive = ["primary_dx"]
        configuration.roles.protected = ["sex", "race_ethnicity"]
        configuration.roles.outcome = OutcomeSpec(column: "readmitted_30d", positiveValue: "1")
        configuration.columns["zip3"] = ColumnSettings(type: .categorical)
        return configuration
    }

    /// Equal up to the last few bits: privacy/singling-out's `attack_rate_compared` and
    /// `residual_risk*` can differ in the last ulp between two identical scans (seen on the example
    /// cohort with and without an observer; a summation-order effect, left as is).
    static func close(_ a: [[SynthScanCore.Measurement]], _ b: [[SynthScanCore.Measurement]]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { x, y in
            x.map(\.key) == y.map(\.key) && zip(x, y).allSatisfy { m, n in
                m.value == n.value || (m.value.isNaN && n.value.isNaN) || abs(m.value - n.value) <= 1e-12 * max(abs(m.value), abs(n.value))
            }
        }
    }

    final class Recorder: @unchecked Sendable {
        var events: [ScanEvent] = []
    }

    @Test func observerHearsEveryPhaseAndLeavesTheResultUnchanged() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("synthscan-observer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let configuration = try Self.configuration(in: folder)
        let ruleSet = try RulePackLoader().load(roots: [])
        let plain = try ScanEngine.run(configuration: configuration, ruleSet: ruleSet, commandLine: ["synthscan", "scan"])
        let recorder = Recorder()
        let observed = try ScanEngine.run(configuration: configuration, ruleSet: ruleSet, commandLine: ["synthscan", "scan"]) {
            recorder.events.append($0)
        }

        // Same outcomes, rule for rule.
        #expect(observed.outcomes.map(\.rule.id) == plain.outcomes.map(\.rule.id))
        #expect(observed.outcomes.map(\.status) == plain.outcomes.map(\.status))
        #expect(observed.outcomes.map(\.message) == plain.outcomes.map(\.message))
        #expect(Self.close(observed.outcomes.map(\.measurements), plain.outcomes.map(\.measurements)))
        #expect(observed.outcomes.map(\.findings) == plain.outcomes.map(\.findings))

        // Load first (one event per table), then start/finish around each rule. Rules without
        // nearest-record passes run two at a time, so their events may interleave; indices are
        // positions in id order.
        let events = recorder.events
        #expect(events.first == .loadStarted)
        let loaded = events.compactMap { event -> TableRole? in
            if case .tableLoaded(let role, let rows, _, _) = event, rows > 0 { return role } else { return nil }
        }
        #expect(loaded == [.train, .holdout, .synthetic])
        let ids = ruleSet.enabledRules.map(\.id).sorted()
        var expected: [String] = []
        for (i, id) in ids.enumerated() { expected += ["start \(i + 1)/\(ids.count) \(id)", "end \(i + 1)/\(ids.count) \(id)"] }
        let ruleEvents = events.compactMap { event -> String? in
            switch event {
            case .ruleStarted(let i, let n, let id): "start \(i)/\(n) \(id)"
            case .ruleFinished(let i, let n, let id, let s): s >= 0 ? "end \(i)/\(n) \(id)" : "negative time"
            default: nil
            }
        }
        #expect(ruleEvents.sorted() == expected.sorted())
        for (i, id) in ids.enumerated() {
            let start = ruleEvents.firstIndex(of: "start \(i + 1)/\(ids.count) \(id)"), end = ruleEvents.firstIndex(of: "end \(i + 1)/\(ids.count) \(id)")
            #expect(start.flatMap { s in end.map { s < $0 } } == true, "\(id): finished before it started")
        }
        #expect(observed.outcomes.map(\.rule.id) == ids)

        // Nearest-record passes report start (0 done) to finish (done = total), counts only rising.
        // Passes run one after another: each starts with a report of 0 rows done.
        var passes: [[NeighbourPassProgress]] = []
        for event in events {
            guard case .neighbourPass(let p) = event else { continue }
            if p.done == 0 { passes.append([p]) } else { passes[passes.count - 1].append(p) }
        }
        #expect(passes.map { $0[0].pass } == observed.neighbourPassRuns.map(\.pass.label))
        #expect(passes.contains { $0[0].pass == "synthetic→train" } && passes.contains { $0[0].pass == "train→synthetic" })
        for reports in passes {
            #expect(reports.last.map { $0.done == $0.total && $0.total > 0 } == true, "\(reports[0].pass)")
            #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.done <= $1.done && $0.total == $1.total && $0.pass == $1.pass })
        }
    }
}
