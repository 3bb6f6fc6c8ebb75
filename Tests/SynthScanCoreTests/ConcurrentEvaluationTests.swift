import Foundation
import Testing
@testable import SynthScanCore

/// `ScanEngine.evaluate` runs the rules without nearest-record passes two at a time: the outcomes
/// must not depend on scheduling (identical, bit for bit, to a strictly sequential evaluation),
/// the observer must hear every rule one call at a time, and a failing scan must throw the error
/// of the lowest-id failing rule, as the sequential engine did.
@Suite struct ConcurrentEvaluationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The bundled example cohort (`Examples/synthscan.yaml`, its release `synthetic_copies.csv`), loaded once.
    static let example: Result<(LoadedDatasets, ScanConfiguration), any Error> = Result {
        var configuration = try ScanConfigurationLoader.load(path: root.appendingPathComponent("Examples/synthscan.yaml").path)
        configuration.failOn = nil
        return (try DatasetLoader.load(configuration), configuration)
    }

    /// A fresh context over the example data (no cached digests or passes from an earlier run).
    static func context() throws -> ScanContext {
        let (data, configuration) = try example.get()
        return ScanContext(data: data, configuration: configuration)
    }

    /// Everything an outcome holds, as text: `Double`s print as their shortest round-trip form, so
    /// two texts are equal only when every figure is equal to the last bit (NaN included).
    static func fingerprint(_ outcome: RuleOutcome) -> String { String(reflecting: outcome) }

    /// A rule of `kind` with its default parameters and `overrides`.
    static func rule(_ kind: any Check.Type, id: String, _ overrides: [String: ParameterValue] = [:]) -> RuleDescriptor {
        var values: [String: ParameterValue] = [:]
        for spec in kind.parameters { values[spec.name] = spec.defaultValue }
        for (name, value) in overrides { values[name] = value }
        return RuleDescriptor(id: id, check: kind.kind, summary: "s", description: "d", help: "h", severity: .error,
                              tags: [], references: [], parameters: RuleParameters(values), messageTemplate: nil, pack: "test")
    }

    @Test func theCorePackGivesTheSameOutcomesConcurrentlyAsSequentially() throws {
        let ruleSet = try RulePackLoader().load(roots: [])
        let rules = ruleSet.enabledRules
        let sequential = try ScanEngine.evaluate(rules: rules, context: Self.context(), waivers: ruleSet.waivers,
                                                 observer: nil, concurrency: 1)
        #expect(sequential.map(\.rule.id) == rules.map(\.id).sorted())
        #expect(sequential.contains { CheckRegistry.type(kind: $0.rule.check)?.usesNearestRecordPasses == true })
        let expected = sequential.map(Self.fingerprint)
        for run in 1...4 {
            let concurrent = try ScanEngine.evaluate(rules: rules, context: Self.context(), waivers: ruleSet.waivers)
            #expect(concurrent.map(\.rule.id) == sequential.map(\.rule.id), "run \(run)")
            #expect(concurrent.map(\.status) == sequential.map(\.status), "run \(run)")
            #expect(concurrent.map(\.message) == sequential.map(\.message), "run \(run)")
            #expect(concurrent.map(\.findings) == sequential.map(\.findings), "run \(run)")
            for (outcome, text) in zip(concurrent, expected) {
                #expect(Self.fingerprint(outcome) == text, "run \(run): \(outcome.rule.id) differs from the sequential outcome")
            }
        }
    }

    /// Records events and counts calls that overlap another call (there must be none).
    final class Probe: @unchecked Sendable {
        private let lock = NSLock()
        private var inside = false
        private(set) var overlaps = 0
        private(set) var events: [ScanEvent] = []

        func observe(_ event: ScanEvent) {
            lock.lock()
            if inside { overlaps += 1 }
            inside = true
            lock.unlock()
            // Widen the window in which a second, concurrent call would be caught.
            Thread.sleep(forTimeInterval: 0.0005)
            lock.lock()
            events.append(event)
            inside = false
            lock.unlock()
        }
    }

    @Test func theObserverIsCalledOneEventAtATimeAndHearsEveryRule() throws {
        let ruleSet = try RulePackLoader().load(roots: [])
        let probe = Probe()
        let outcomes = try ScanEngine.evaluate(rules: ruleSet.enabledRules, context: Self.context(), waivers: ruleSet.waivers) {
            probe.observe($0)
        }
        #expect(probe.overlaps == 0)
        let ids = outcomes.map(\.rule.id)
        var started: [Int: String] = [:], finished: [Int: String] = [:]
        for event in probe.events {
            switch event {
            case .ruleStarted(let index, let count, let id):
                #expect(count == ids.count)
                #expect(started.updateValue(id, forKey: index) == nil, "\(id) started twice")
            case .ruleFinished(let index, let count, let id, let seconds):
                #expect(count == ids.count && seconds >= 0)
                #expect(started[index] == id, "\(id) finished before it started")
                #expect(finished.updateValue(id, forKey: index) == nil, "\(id) finished twice")
            default:
                break
            }
        }
        // Indices are positions in the id-sorted list, whatever order the rules ran in.
        let byPosition = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($0.offset + 1, $0.element) })
        #expect(started == byPosition)
        #expect(finished == byPosition)
    }

    @Test func theLowestIdFailingRuleDecidesTheError() throws {
        let missing: ParameterValue = .list(["no_such_column"])
        let fine = Self.rule(ExactCopyCheck.self, id: "a/fine")
        let unknownB = RuleDescriptor(id: "b/unknown", check: "no-such-check", summary: "s", description: "d", help: "h",
                                      severity: .error, tags: [], references: [], parameters: RuleParameters([:]),
                                      messageTemplate: nil, pack: "test")
        var unknownD = unknownB
        unknownD.id = "d/unknown"
        let nearestC = Self.rule(DistanceToClosestRecordCheck.self, id: "c/dcr", ["columns": missing])
        let nearestA = Self.rule(DistanceToClosestRecordCheck.self, id: "a/dcr", ["columns": missing])

        // Phase-2 failures only: the lower id wins, whichever worker finished first.
        for concurrency in [1, 2] {
            #expect(throws: CheckError.unknownKind(rule: "b/unknown", kind: "no-such-check")) {
                try ScanEngine.evaluate(rules: [unknownD, fine, unknownB], context: Self.context(), waivers: [], observer: nil, concurrency: concurrency)
            }
        }
        // A failing nearest-record rule (phase 1) with a higher id than a failing other rule: the other rule's error.
        let late = try Self.error { try ScanEngine.evaluate(rules: [nearestC, unknownB, fine], context: Self.context()) }
        #expect(late as? CheckError == .unknownKind(rule: "b/unknown", kind: "no-such-check"))
        // ... and with the lower id: its own error, as sequentially.
        let sequentialError = try Self.error {
            try ScanEngine.evaluate(rules: [nearestA, unknownB, fine], context: Self.context(), waivers: [], observer: nil, concurrency: 1)
        }
        let concurrentError = try Self.error { try ScanEngine.evaluate(rules: [nearestA, unknownB, fine], context: Self.context()) }
        #expect(String(reflecting: concurrentError) == String(reflecting: sequentialError))
        #expect(!(concurrentError is CheckError && concurrentError as? CheckError == .unknownKind(rule: "b/unknown", kind: "no-such-check")))
    }

    /// The error `body` throws (the test fails if it throws none).
    static func error(_ body: () throws -> [RuleOutcome]) throws -> any Error {
        do {
            _ = try body()
        } catch {
            return error
        }
        Issue.record("no error thrown")
        throw CheckError.unknownKind(rule: "-", kind: "-")
    }
}
