import Foundation
import Testing
@testable import SynthScanCore

/// Sharded scans (issue 7): the partial-result file, `--shard` values, and merging.
@Suite("sharded scans", .serialized)
struct ShardedScanTests {
    /// A small scan: three tables of ages, sexes and scores (ties and missing values on purpose)
    /// and the core pack, so every nearest-record rule runs.
    final class Fixture {
        let folder: TestFiles.Folder
        var configuration = ScanConfiguration()
        let ruleSet: EffectiveRuleSet

        init() throws {
            let folder = try TestFiles.Folder("sharded-scan")
            self.folder = folder
            ruleSet = try RulePackLoader().load(roots: [])
            var rng = SeededRandom(seed: 17)
            func table(_ name: String, rows: Int) throws -> String {
                var text = "age,sex,score,readmitted\n"
                for _ in 0..<rows {
                    let age = Int(rng.unitInterval() * 80) + 10
                    let sex = rng.unitInterval() < 0.5 ? "F" : "M"
                    let score = rng.unitInterval() < 0.1 ? "" : String(Int(rng.unitInterval() * 5))
                    text += "\(age),\(sex),\(score),\(rng.unitInterval() < 0.3 ? 1 : 0)\n"
                }
                return try folder.write(name, text)
            }
            configuration.inputs.train = try table("train.csv", rows: 240)
            configuration.inputs.holdout = try table("holdout.csv", rows: 110)
            configuration.inputs.synthetic = try table("synthetic.csv", rows: 203)
            configuration.roles.protected = ["sex"]
            configuration.roles.outcome = OutcomeSpec(column: "readmitted", positiveValue: "1")
            configuration.seed = 9
            configuration.sourceRoot = folder.path
        }

        func shards(_ count: Int) throws -> [(file: String, result: PartialResult)] {
            try (0..<count).map { index in
                let partial = try ShardedScan.run(configuration: configuration, ruleSet: ruleSet, shard: ShardSlice(index: index, count: count)!)
                // Through the file format, as the CLI does.
                let file = "shard-\(index + 1).partial"
                return (file, try PartialResult.decode(try partial.encoded(), file: file))
            }
        }
    }

    /// The JSON report with the clock fixed.
    static func report(_ result: ScanResult) throws -> String {
        var r = result
        r.startTime = Date(timeIntervalSince1970: 0)
        r.endTime = Date(timeIntervalSince1970: 1)
        return String(decoding: try JSONReportWriter().write(r), as: UTF8.self)
    }

    static func samplePartial() -> PartialResult {
        let pass = NeighbourPass(query: .sample(.train, stream: UInt64.max - 12_345, count: 7), reference: .synthetic,
                                 distance: RecordDistance(columns: ["age", "sex"], weights: ["age": 0.25], rangeSource: .train, missing: .neverMatch))
        let records = NearestRecords(nearest: [0, 0.5, 1e-300, .greatestFiniteMagnitude], nearestRow: [0, 3, Int32.max, 2],
                                     second: [0.25, .infinity, 2, -0.0], secondRow: [1, -1, 0, 7])
        let other = NearestRecords(nearest: [], nearestRow: [], second: [], secondRow: [])
        let header = PartialResult.Header(
            formatVersion: PartialResult.formatVersion, toolVersion: SynthScanVersion.current, shard: 2, shardCount: 3,
            seed: String(UInt64.max), ruleSet: .init(packs: [.init(id: "synthscan/core", version: "0.3.0", contentHash: "sha256:ab")],
                                                     rules: [.init(id: "privacy/x", check: "membership-inference", parameters: ["a=1"], by: [])]),
            settings: ["s=1"], inputs: [.init(role: .train, path: "t.csv", byteCount: 10, sha256: "00")],
            parts: [], payloadBytes: 0, payloadChecksum: "")
        return PartialResult(header: header, parts: [
            ShardPart(pass: pass, queryCount: 12, range: 4..<8, records: records),
            ShardPart(pass: NeighbourPass(query: .randomBaseline(stream: 1 << 63, rows: 5), reference: .train), queryCount: 5, range: 3..<3, records: other),
        ])
    }

    // MARK: - File format

    @Test func aPartialResultRoundTripsExactly() throws {
        let partial = Self.samplePartial()
        let bytes = try partial.encoded()
        let back = try PartialResult.decode(bytes, file: "p")
        #expect(back.header.parts == partial.header.parts)
        #expect(back.header.ruleSet == partial.header.ruleSet && back.header.inputs == partial.header.inputs)
        #expect(back.header.seed == String(UInt64.max) && back.header.shard == 2 && back.header.shardCount == 3)
        #expect(back.header.payloadBytes == 4 * 24)
        #expect(back.parts.count == 2)
        // Decoded passes are equal (and hash equal) to the originals, 64-bit streams included.
        #expect(back.parts.map(\.pass) == partial.parts.map(\.pass))
        #expect(Set(back.parts.map(\.pass)) == Set(partial.parts.map(\.pass)))
        let a = back.parts[0].records, b = partial.parts[0].records
        #expect(a.nearest.map(\.bitPattern) == b.nearest.map(\.bitPattern) && a.second.map(\.bitPattern) == b.second.map(\.bitPattern))
        #expect(a.nearestRow == b.nearestRow && a.secondRow == b.secondRow)
        #expect(back.parts[0].range == 4..<8 && back.parts[0].queryCount == 12 && back.parts[1].range == 3..<3)
        // Encoding is deterministic: the same result gives the same bytes.
        #expect(try back.encoded() == bytes)
        // No data value: the header is JSON of names, sizes and hashes; the rest is the 96 payload bytes.
        #expect(bytes.count > 96 && String(decoding: bytes[..<(bytes.count - 96)], as: UTF8.self).contains("\"queryCount\""))
    }

    @Test func damagedPartialResultsAreErrorsNamingTheFile() throws {
        let bytes = try Self.samplePartial().encoded()
        func error(_ b: [UInt8]) -> PartialResultError? {
            do { _ = try PartialResult.decode(b, file: "shard-2.partial"); return nil } catch { return error }
        }
        #expect(error(Array(bytes.dropLast())) == .truncated(file: "shard-2.partial"))
        #expect(error(Array(bytes.prefix(40))) == .truncated(file: "shard-2.partial"))
        #expect(error(Array(bytes.prefix(20))) == .truncated(file: "shard-2.partial"))
        #expect(error(Array("id,age\n1,2\n".utf8)) == .notAPartial(file: "shard-2.partial"))
        #expect(error([]) == .notAPartial(file: "shard-2.partial"))
        var flipped = bytes
        flipped[flipped.count - 5] ^= 0x01
        guard case .corrupt(let file, let reason)? = error(flipped) else { Issue.record("a flipped payload byte was accepted"); return }
        #expect(file == "shard-2.partial" && reason.contains("checksum"))
        guard case .corrupt? = error(bytes + [0]) else { Issue.record("trailing bytes were accepted"); return }
        // A damaged header.
        var header = bytes
        header[PartialResult.magic.count + 8] = UInt8(ascii: "x")
        guard case .corrupt? = error(header) else { Issue.record("a damaged header was accepted"); return }
        // Another format version.
        let key = Array("\"formatVersion\" : \(PartialResult.formatVersion)".utf8)
        let at = try #require((0...(bytes.count - key.count)).first { Array(bytes[$0..<($0 + key.count)]) == key })
        var other = bytes
        other[at + key.count - 1] = UInt8(ascii: "7")
        #expect(error(other) == .unsupportedVersion(file: "shard-2.partial", version: 7))
        // Every message names the file.
        for e in [PartialResultError.truncated(file: "f.partial"), .notAPartial(file: "f.partial"), .corrupt(file: "f.partial", reason: "r"),
                  .unsupportedVersion(file: "f.partial", version: 2), .unreadable(file: "f.partial", reason: "r")] {
            #expect(e.description.hasPrefix("f.partial: error: "))
        }
        #expect(throws: PartialResultError.unreadable(file: "/nonexistent/x.partial", reason: "no such file")) {
            try PartialResult.read(path: "/nonexistent/x.partial")
        }
    }

    // MARK: - --shard values

    @Test func shardValuesAndBatchEnvironments() throws {
        func parse(_ text: String, _ env: [String: String] = [:]) throws -> String { try ShardSpec.parse(text, environment: env).description }
        #expect(try parse("1/4") == "1/4")
        #expect(try parse("4/4") == "4/4")
        #expect(try parse(" 2 / 8 ") == "2/8")
        #expect(try ShardSpec.parse("3/5", environment: [:]).index == 2)
        #expect(throws: ShardSpecError.outOfRange(shard: 5, count: 4, source: "--shard 5/4")) { try parse("5/4") }
        #expect(throws: ShardSpecError.outOfRange(shard: 0, count: 4, source: "--shard 0/4")) { try parse("0/4") }
        for bad in ["4", "a/4", "1/0", "1/", "/4", "1/2/3", "", "auto/x"] {
            #expect(throws: ShardSpecError.malformed(bad)) { try parse(bad) }
        }
        // Kubernetes Indexed Job: 0-based index, N from the argument.
        #expect(try parse("auto/4", ["JOB_COMPLETION_INDEX": "0"]) == "1/4")
        #expect(try parse("auto/4", ["JOB_COMPLETION_INDEX": "3"]) == "4/4")
        #expect(throws: ShardSpecError.countNeeded(variable: "JOB_COMPLETION_INDEX")) { try parse("auto", ["JOB_COMPLETION_INDEX": "3"]) }
        #expect(throws: ShardSpecError.outOfRange(shard: 5, count: 4, source: "JOB_COMPLETION_INDEX=4 (0-based)")) {
            try parse("auto/4", ["JOB_COMPLETION_INDEX": "4"])
        }
        #expect(throws: ShardSpecError.badVariable(name: "JOB_COMPLETION_INDEX", value: "x")) { try parse("auto/4", ["JOB_COMPLETION_INDEX": "x"]) }
        // Slurm arrays: 0-based or 1-based, N from the array or the argument.
        #expect(try parse("auto", ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "8"]) == "3/8")
        #expect(try parse("auto", ["SLURM_ARRAY_TASK_ID": "8", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "8"]) == "8/8")
        #expect(try parse("auto/8", ["SLURM_ARRAY_TASK_ID": "0"]) == "1/8")
        #expect(try parse("auto/8", ["SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_COUNT": "8", "SLURM_ARRAY_TASK_STEP": "1"]) == "1/8")
        #expect(throws: ShardSpecError.countMismatch(given: 4, environment: 8)) {
            try parse("auto/4", ["SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_COUNT": "8"])
        }
        #expect(throws: ShardSpecError.steppedArray(step: "2")) { try parse("auto", ["SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_STEP": "2"]) }
        #expect(throws: ShardSpecError.countNeeded(variable: "SLURM_ARRAY_TASK_ID")) { try parse("auto", ["SLURM_ARRAY_TASK_ID": "0"]) }
        // Kubernetes first when both are set; neither is an error.
        #expect(try parse("auto/8", ["JOB_COMPLETION_INDEX": "1", "SLURM_ARRAY_TASK_ID": "5"]) == "2/8")
        #expect(throws: ShardSpecError.noEnvironment) { try parse("auto/4") }
        // K/N ignores the environment.
        #expect(try parse("2/4", ["JOB_COMPLETION_INDEX": "0"]) == "2/4")
    }

    // MARK: - Merging

    @Test func mergedShardsGiveTheUnshardedReport() throws {
        let f = try Fixture()
        let whole = try ScanEngine.run(configuration: f.configuration, ruleSet: f.ruleSet, commandLine: ["synthscan"])
        let expected = try Self.report(whole)
        #expect(whole.outcomes.contains { $0.rule.id.hasPrefix("privacy/") && $0.status != .skipped })
        for count in [1, 3] {
            let partials = try f.shards(count)
            #expect(partials.allSatisfy { !$0.result.parts.isEmpty })
            let merged = try ShardedScan.merge(partials: partials.reversed(), configuration: f.configuration, ruleSet: f.ruleSet,
                                               commandLine: ["synthscan"])
            #expect(try Self.report(merged) == expected, "\(count) shards")
            // The merge computed no pass of its own.
            #expect(merged.neighbourPassRuns.isEmpty)
        }
    }

    @Test func aPassNoPartialCarriesIsComputedWithAWarning() throws {
        let f = try Fixture()
        var partials = try f.shards(2)
        let dropped = partials[0].result.parts[0].pass
        for i in partials.indices { partials[i].result.parts.removeAll { $0.pass == dropped } }
        let merged = try ShardedScan.merge(partials: partials, configuration: f.configuration, ruleSet: f.ruleSet, commandLine: ["synthscan"])
        let warnings = merged.notifications.filter { $0.code == "pass-not-in-partials" }
        #expect(warnings.count == 1 && warnings.first?.level == .warning && warnings.first?.message.contains(dropped.description) == true)
        let whole = try ScanEngine.run(configuration: f.configuration, ruleSet: f.ruleSet, commandLine: ["synthscan"])
        #expect(merged.outcomes.map(\.message) == whole.outcomes.map(\.message))
    }

    @Test func partialsThatDoNotBelongTogetherAreRefused() throws {
        let f = try Fixture()
        let partials = try f.shards(3)
        func error(_ p: [(file: String, result: PartialResult)], configuration: ScanConfiguration? = nil,
                   ruleSet: EffectiveRuleSet? = nil) -> String? {
            do {
                _ = try ShardedScan.merge(partials: p, configuration: configuration ?? f.configuration, ruleSet: ruleSet ?? f.ruleSet,
                                          commandLine: [])
                return nil
            } catch { return "\(error)" }
        }
        #expect(error([]) == ShardMergeError.noPartials.description)
        #expect(error(Array(partials.dropFirst())) == ShardMergeError.missingShards([1], count: 3).description)
        #expect(error([partials[0], partials[2]])?.contains("shard 2/3 missing") == true)
        #expect(error(partials + [(file: "copy.partial", result: partials[1].result)])
                == ShardMergeError.duplicateShard(shard: 2, count: 3, files: ["shard-2.partial", "copy.partial"]).description)
        // Another shard count, seed, rule set or settings.
        var other = partials
        other[1].result.header.shardCount = 4
        #expect(error(other)?.hasPrefix("shard-2.partial: error: shard of 4, but shard-1.partial is a shard of 3") == true)
        var seed = f.configuration
        seed.seed = 10
        #expect(error(partials, configuration: seed)?.contains("seed 9, the merge has seed 10") == true)
        var ruleSet = f.ruleSet
        if let i = ruleSet.rules.firstIndex(where: { $0.enabled }) { ruleSet.rules[i].enabled = false }
        #expect(error(partials, ruleSet: ruleSet)?.contains("the shard ran other rules than the merge") == true)
        var settings = f.configuration
        settings.roles.ignored = ["score"]
        #expect(error(partials, configuration: settings)?.contains("ignored=") == true)
        var version = partials
        version[0].result.header.toolVersion = "0.0.1"
        #expect(error(version)?.contains("written by synthscan 0.0.1") == true)
        // Slices that do not tile a pass.
        var gap = partials
        gap[1].result.parts.removeFirst()
        #expect(error(gap)?.contains("shard 2/3 did not compute it") == true)
        var overlap = partials
        let p = overlap[1].result.parts[0]
        overlap[1].result.parts[0] = ShardPart(pass: p.pass, queryCount: p.queryCount, range: (p.range.lowerBound - 1)..<(p.range.upperBound - 1),
                                               records: p.records)
        #expect(error(overlap)?.contains("already covered") == true)
    }

    @Test func aChangedInputIsAnErrorNamingTheFile() throws {
        let f = try Fixture()
        let partials = try f.shards(2)
        let path = f.configuration.inputs.synthetic!
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: ",F,", with: ",M,", options: [], range: text.range(of: ",F,"))
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try ShardedScan.merge(partials: partials, configuration: f.configuration, ruleSet: f.ruleSet, commandLine: [])
            Issue.record("a changed synthetic file was accepted")
        } catch let error as ShardMergeError {
            #expect(error.description.hasPrefix("\(path): error: the synthetic input differs from the file shard 1/2 scanned"))
        }
    }
}
