import Foundation
import Testing
@testable import SynthScanCore

/// The nearest-record search agrees exactly with a naive pairwise implementation of the documented
/// distance, on random mixed-type tables with missing values and constant columns.
@Suite struct DistanceTests {
    /// Loads three random tables (numeric, datetime, categorical, boolean; ~8% missing; a column
    /// constant in train) through the scan's own loader.
    static func data(seed: UInt64, rows: (Int, Int, Int)) throws -> (LoadedDatasets, TestFiles.Folder) {
        var rng = SeededRandom(seed: seed)
        func cell(_ text: String) -> String { rng.unitInterval() < 0.08 ? "" : text }
        func table(_ n: Int, constant: Bool) -> String {
            var out = "age,lab,admitted,sex,dx,flag,steady\n"
            for _ in 0..<n {
                let age = String(Int(rng.unitInterval() * 5) * 10 + 20)
                let lab = String(Double(Int(rng.unitInterval() * 40)) / 4)
                let day = 1 + Int(rng.unitInterval() * 28)
                let date = "2022-03-" + (day < 10 ? "0\(day)" : "\(day)")
                let sex = rng.unitInterval() < 0.5 ? "F" : "M"
                let dx = ["I10", "E11", "J45", "K35"][Int(rng.unitInterval() * 4)]
                let flag = rng.unitInterval() < 0.3 ? "true" : "false"
                let steady = constant ? "7" : String(Int(rng.unitInterval() * 3) + 6)
                out += [cell(age), cell(lab), cell(date), cell(sex), cell(dx), cell(flag), steady].joined(separator: ",") + "\n"
            }
            return out
        }
        let folder = try TestFiles.Folder("distance")
        var configuration = ScanConfiguration()
        configuration.inputs.train = try folder.write("train.csv", table(rows.0, constant: true))
        configuration.inputs.holdout = try folder.write("holdout.csv", table(rows.1, constant: false))
        configuration.inputs.synthetic = try folder.write("synthetic.csv", table(rows.2, constant: false))
        return (try DatasetLoader.load(configuration), folder)
    }

    /// The documented distance, written as plainly as possible (one pair at a time).
    static func naiveDistance(_ q: Table, _ i: Int, _ r: Table, _ j: Int, ranges: [String: Double],
                              missing: RecordDistance.MissingPolicy, names: [String]) -> Double {
        var total = 0.0
        for name in names {
            let a = q.column(named: name)!, b = r.column(named: name)!
            let aMissing = a.isMissing(i), bMissing = b.isMissing(j)
            var d: Double
            if aMissing || bMissing {
                d = (aMissing && bMissing && missing == .matchEachOther) ? 0 : 1
            } else {
                switch (a.storage, b.storage) {
                case (.numeric(let av, _), .numeric(let bv, _)):
                    let range = ranges[name]!
                    d = range.isFinite && range > 0 ? min(abs(av[i] - bv[j]) / range, 1) : (av[i] == bv[j] ? 0 : 1)
                case (.coded(let ac, _), .coded(let bc, _)):
                    d = ac[i] == bc[j] ? 0 : 1
                default:
                    d = .nan
                }
            }
            total += d
        }
        return total / Double(names.count)
    }

    static func check(_ data: LoadedDatasets, query: Table, reference: Table, distance: RecordDistance, rangeTable: Table) throws {
        let names = try NearestRecordSearch.columns(of: distance, schema: data.schema)
        var ranges: [String: Double] = [:]
        for name in names { ranges[name] = NearestRecordSearch.range(of: name, in: [rangeTable]) }
        let same = query.role == reference.role
        let result = try NearestRecordSearch(query: query, reference: reference, train: data.train, distance: distance,
                                             schema: data.schema, excludeSameRow: same).run()
        #expect(result.count == query.rowCount)
        for i in 0..<query.rowCount {
            var all: [(Double, Int)] = []
            for j in 0..<reference.rowCount where !(same && i == j) {
                all.append((naiveDistance(query, i, reference, j, ranges: ranges, missing: distance.missing, names: names), j))
            }
            all.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            #expect(abs(result.nearest[i] - all[0].0) < 1e-12, "row \(i): nearest \(result.nearest[i]) vs \(all[0].0)")
            #expect(Int(result.nearestRow[i]) == all[0].1, "row \(i): nearest row, lowest index among ties")
            #expect(abs(result.second[i] - all[1].0) < 1e-12, "row \(i): second")
            #expect(result.nearest[i] <= result.second[i])
        }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func searchAgreesWithNaivePairwiseDistances(seed: UInt64) throws {
        let (data, folder) = try Self.data(seed: seed, rows: (700, 90, 60))
        defer { folder.remove() }
        let holdout = try #require(data.holdout)
        // More than one reference block (512 rows), a constant reference column, both range sources.
        try Self.check(data, query: data.synthetic, reference: data.train, distance: .gower, rangeTable: data.train)
        try Self.check(data, query: data.synthetic, reference: holdout, distance: .gower, rangeTable: holdout)
        try Self.check(data, query: data.synthetic, reference: holdout, distance: RecordDistance(rangeSource: .train), rangeTable: data.train)
        try Self.check(data, query: data.synthetic, reference: data.train, distance: RecordDistance(missing: .neverMatch), rangeTable: data.train)
    }

    @Test func leaveOneOutNeverReturnsTheRowItself() throws {
        let (data, folder) = try Self.data(seed: 9, rows: (120, 20, 10))
        defer { folder.remove() }
        try Self.check(data, query: data.train, reference: data.train, distance: .gower, rangeTable: data.train)
    }

    @Test func columnsAndWeightsAreHonoured() throws {
        let (data, folder) = try Self.data(seed: 4, rows: (50, 10, 20))
        defer { folder.remove() }
        let sexOnly = try NearestRecordSearch(query: data.synthetic, reference: data.train, train: data.train,
                                              distance: RecordDistance(columns: ["sex"]), schema: data.schema).run()
        #expect(sexOnly.nearest.allSatisfy { $0 == 0 || $0 == 1 })
        #expect(throws: NearestRecordSearch.SearchError.unknownColumn("nope")) {
            try NearestRecordSearch(query: data.synthetic, reference: data.train, train: data.train,
                                    distance: RecordDistance(columns: ["nope"]), schema: data.schema)
        }
        // A weight of 3 on `sex` and 1 on `dx`: a sex mismatch alone costs 3/4.
        let weighted = RecordDistance(columns: ["dx", "sex"], weights: ["sex": 3])
        let result = try NearestRecordSearch(query: data.synthetic, reference: data.train, train: data.train,
                                             distance: weighted, schema: data.schema).run()
        #expect(result.nearest.allSatisfy { [0, 0.25, 0.75, 1].contains($0) })
    }

    @Test func contextSharesOnePassPerPairOfTables() throws {
        let (data, folder) = try Self.data(seed: 5, rows: (40, 10, 10))
        defer { folder.remove() }
        let context = ScanContext(data: data, configuration: ScanConfiguration())
        let a = try context.nearestRecords(query: .synthetic, reference: .train)
        let b = try context.nearestRecords(query: .synthetic, reference: .train)
        #expect(a.nearest == b.nearest && a.nearestRow == b.nearestRow)
    }
}

/// Passes over part of the query rows: seeded samples, shards and the random baseline.
@Suite("neighbour passes")
struct NeighbourPassTests {
    static func context(shard: ShardSlice? = nil) throws -> ScanContext {
        let folder = try TestFiles.Folder("neighbour-passes")
        var rng = SeededRandom(seed: 11)
        func table(_ name: String, rows: Int) throws -> String {
            var text = "age,sex,score\n"
            for _ in 0..<rows {
                let age = Int(rng.unitInterval() * 80) + 10
                let sex = rng.unitInterval() < 0.5 ? "F" : "M"
                // Ties on purpose: few distinct scores, some missing.
                let score = rng.unitInterval() < 0.1 ? "" : String(Int(rng.unitInterval() * 5))
                text += "\(age),\(sex),\(score)\n"
            }
            return try folder.write(name, text)
        }
        var configuration = ScanConfiguration()
        configuration.inputs.train = try table("train.csv", rows: 300)
        configuration.inputs.holdout = try table("holdout.csv", rows: 120)
        configuration.inputs.synthetic = try table("synthetic.csv", rows: 257)
        configuration.seed = 5
        return ScanContext(data: try DatasetLoader.load(configuration), configuration: configuration, shard: shard)
    }

    static func rows(_ r: NearestRecords, _ i: Int) -> [String] {
        ["\(r.nearest[i])", "\(r.nearestRow[i])", "\(r.second[i])", "\(r.secondRow[i])"]
    }

    @Test func aSamplePassEqualsTheFullPassOnTheSampledRows() throws {
        let context = try Self.context()
        let full = try context.nearestRecords(query: .train, reference: .synthetic)
        let sample = try context.nearestRecords(NeighbourPass(query: .sample(.train, stream: 9, count: 50), reference: .synthetic))
        let rows = QuerySample.rows(of: 300, count: 50, seed: 5, stream: 9)
        #expect(sample.count == 50 && rows.count == 50)
        for (i, row) in rows.enumerated() { #expect(Self.rows(sample, i) == Self.rows(full, row)) }
    }

    @Test func shardsCoverEveryRowOnceAndAgreeWithTheUnshardedPass() throws {
        let whole = try Self.context()
        let passes = [NeighbourPass(.synthetic, to: .train), NeighbourPass(.train, to: .train),
                      NeighbourPass(query: .randomBaseline(stream: 3, rows: 90), reference: .train),
                      NeighbourPass(query: .sample(.train, stream: 9, count: 120), reference: .synthetic)]
        for count in [1, 3, 4] {
            var covered: [NeighbourPass: [Int]] = [:]
            for index in 0..<count {
                let shard = try Self.context(shard: ShardSlice(index: index, count: count)!)
                for pass in passes { _ = try shard.nearestRecords(pass) }
                for part in shard.computedShardParts {
                    let expected = try whole.nearestRecords(part.pass)
                    #expect(part.queryCount == expected.count)
                    for (i, position) in part.range.enumerated() {
                        #expect(Self.rows(part.records, i) == Self.rows(expected, position), "\(part.pass) row \(position) of shard \(index + 1)/\(count)")
                    }
                    covered[part.pass, default: []] += Array(part.range)
                }
            }
            for pass in passes {
                #expect(covered[pass] == Array(0..<(try whole.nearestRecords(pass).count)), "\(pass) with \(count) shards")
            }
        }
    }

    @Test func aNearestOnlyRequestRunsOnlyTheNearestSearchUnlessATwoNeighbourPassIsExpected() throws {
        let full = NeighbourPass(.holdout, to: .train)
        var nearestOnly = full
        nearestOnly.secondNearest = false
        #expect(nearestOnly.description == full.description + ", nearest only")

        // Nothing declared: the nearest-only pass runs on its own; same nearest, no second-nearest.
        let alone = try Self.context()
        let reference = try Self.context().nearestRecords(full)
        let narrow = try alone.nearestRecords(nearestOnly)
        #expect(narrow.nearest == reference.nearest && narrow.nearestRow == reference.nearestRow)
        #expect(narrow.second.allSatisfy(\.isNaN) && narrow.secondRow.allSatisfy { $0 == -1 })
        #expect(alone.neighbourPassRuns.map(\.pass) == [nearestOnly])

        // Declared (another rule reads the second-nearest): one search serves both requests.
        let shared = try Self.context()
        shared.expectSecondNearest([full])
        let served = try shared.nearestRecords(nearestOnly)
        _ = try shared.nearestRecords(full)
        #expect(Self.rows(served, 0) == Self.rows(reference, 0) && served.second == reference.second)
        #expect(shared.neighbourPassRuns.map(\.pass) == [full])

        // Already computed with the second-nearest: a later nearest-only request reuses it.
        let later = try Self.context()
        _ = try later.nearestRecords(full)
        _ = try later.nearestRecords(nearestOnly)
        #expect(later.neighbourPassRuns.map(\.pass) == [full])
    }

    @Test func theDistanceRulesDeclareTheirTwoNeighbourPasses() throws {
        let context = try Self.context()
        let pack = try RulePackLoader().load(roots: [])
        let rules = pack.enabledRules.filter { ["privacy/distance-to-closest-record", "privacy/nearest-neighbour-distance-ratio"].contains($0.id) }
        #expect(rules.count == 2)
        context.expectSecondNearest(for: rules)
        for rule in rules { _ = try CheckRegistry.check(kind: rule.check)!.run(rule: rule, context: context) }
        let runs = context.neighbourPassRuns.map(\.pass)
        // NNDR reads the second-nearest of holdout→train, which DCR asks for nearest only: one search.
        #expect(runs.filter { $0.query == .table(.holdout) && $0.reference == .train }.map(\.secondNearest) == [true])
        // DCR's synthetic→holdout and random-baseline passes need no second-nearest.
        #expect(runs.contains { $0.query == .table(.synthetic) && $0.reference == .holdout && !$0.secondNearest })
        #expect(runs.contains { if case .randomBaseline = $0.query { !$0.secondNearest } else { false } })
        // No pair of tables and distance is searched twice.
        #expect(Set(runs.map(\.withSecondNearest)).count == runs.count)
    }

    @Test func aShardSearchesEachPassOnceAndKeepsOnlyItsSlice() throws {
        let shard = try Self.context(shard: ShardSlice(index: 1, count: 3)!)
        let whole = try Self.context().nearestRecords(NeighbourPass(.synthetic, to: .train))
        let first = try shard.nearestRecords(NeighbourPass(.synthetic, to: .train))
        // Asked again (another rule), and nearest-only: served from the slice, not searched again.
        let again = try shard.nearestRecords(NeighbourPass(.synthetic, to: .train))
        let nearestOnly = try shard.nearestRecords(NeighbourPass(.synthetic, to: .train, secondNearest: false))
        #expect(shard.neighbourPassRuns.count == 1 && shard.computedShardParts.count == 1)
        let slice = ShardSlice(index: 1, count: 3)!.range(of: whole.count)
        for result in [first, again, nearestOnly] {
            #expect(result.count == whole.count)
            for row in slice { #expect(Self.rows(result, row) == Self.rows(whole, row)) }
            // Outside the slice: placeholders.
            #expect(result.nearest[0] == 0 && result.nearestRow[0] == 0)
        }
    }

    @Test func shardSlicesAreValidated() {
        #expect(ShardSlice(index: 0, count: 0) == nil && ShardSlice(index: 4, count: 4) == nil && ShardSlice(index: -1, count: 2) == nil)
        #expect(ShardSlice(index: 2, count: 3)!.range(of: 10) == 6..<10)
        #expect(ShardSlice(index: 0, count: 3)!.range(of: 2) == 0..<0)
        #expect(ShardSlice(index: 1, count: 4)!.description == "2/4")
    }

    @Test func thePassesARunRecordsAreNamedAndTimed() throws {
        let context = try Self.context()
        _ = try context.nearestRecords(query: .synthetic, reference: .train)
        _ = try context.nearestRecords(query: .synthetic, reference: .train)
        let runs = context.neighbourPassRuns
        #expect(runs.count == 1 && runs[0].queryRows == 257 && runs[0].referenceRows == 300 && runs[0].wallSeconds >= 0)
        #expect(runs[0].pass.description.hasPrefix("synthetic→train gower(mean"))
    }

    @Test func theFairHoldoutPassIsSkippedOnlyWhenBothScalingsAreTheSameDistance() throws {
        func dcr(holdoutAges: [Int]) throws -> (passes: [String], outcome: RuleOutcome) {
            let folder = try TestFiles.Folder("fair-pass")
            func write(_ name: String, _ ages: [Int]) throws -> String {
                try folder.write(name, "age,sex\n" + ages.enumerated().map { "\($1),\($0 % 3 == 0 ? "F" : "M")\n" }.joined())
            }
            var configuration = ScanConfiguration()
            configuration.inputs.train = try write("train.csv", Array(stride(from: 20, through: 80, by: 3)))
            configuration.inputs.holdout = try write("holdout.csv", holdoutAges)
            configuration.inputs.synthetic = try write("synthetic.csv", Array(stride(from: 21, through: 79, by: 4)))
            let context = ScanContext(data: try DatasetLoader.load(configuration), configuration: configuration)
            let rule = RuleDescriptor(id: "test/dcr", check: DistanceToClosestRecordCheck.kind, summary: "", description: "", help: "",
                                      severity: .error, tags: [], references: [],
                                      parameters: RuleParameters(Dictionary(uniqueKeysWithValues: DistanceToClosestRecordCheck.parameters.map { ($0.name, $0.defaultValue) })),
                                      pack: "test")
            let outcome = try DistanceToClosestRecordCheck().run(rule: rule, context: context)
            return (context.neighbourPassRuns.map(\.pass.description), outcome)
        }
        let fairPass = "synthetic→holdout gower(mean, range=train"
        // Same range (20…80) in holdout and train: one synthetic→holdout pass serves both figures.
        let same = try dcr(holdoutAges: [20, 35, 50, 62, 80])
        #expect(!same.passes.contains { $0.hasPrefix(fairPass) }, "\(same.passes)")
        #expect(same.outcome.measurement("share_closer_to_train_untied")! > 0)
        // Narrower holdout range: the fair test needs its own pass on train's ranges.
        let narrow = try dcr(holdoutAges: [30, 35, 50, 62, 70])
        #expect(narrow.passes.contains { $0.hasPrefix(fairPass) }, "\(narrow.passes)")
    }
}
