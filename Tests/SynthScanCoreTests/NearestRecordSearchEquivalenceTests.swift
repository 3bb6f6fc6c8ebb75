import Foundation
import Testing
@testable import SynthScanCore

/// The pruned nearest-record search (`NearestRecordSearch`) returns exactly what the brute-force
/// reference kernel (`BruteForceNearestRecordSearch`) returns: bit-equal distances and equal row
/// indices (lowest reference row among ties), on seeded random mixed tables with missing values,
/// ties, duplicate rows, constant columns and weights, under both presets, with leaves small
/// enough that most of them are pruned.
@Suite struct NearestRecordSearchEquivalenceTests {
    /// The shape of one random table pair.
    struct Shape: Sendable, CustomTestStringConvertible {
        var name: String
        var queryRows: Int
        var referenceRows: Int
        /// Columns: "n" numeric, "d" datetime, "c" categorical, "b" boolean, "k" numeric constant in the reference,
        /// "w" categorical with more than 62 codes (codes sharing a bound bit).
        var kinds: [Character]
        var missingRate = 0.1
        /// Distinct levels per numeric column (few levels = many ties).
        var levels = 1000
        /// Share of query rows copied from the reference, and of reference rows duplicated.
        var copies = 0.1
        var testDescription: String { name }
    }

    static let shapes: [Shape] = [
        Shape(name: "mixed", queryRows: 300, referenceRows: 700, kinds: ["n", "d", "c", "b", "n", "c", "k"]),
        Shape(name: "coarse ties", queryRows: 250, referenceRows: 600, kinds: ["n", "c", "b", "n"], missingRate: 0.2, levels: 3, copies: 0.3),
        Shape(name: "wide codes", queryRows: 200, referenceRows: 500, kinds: ["w", "n", "w", "b"], missingRate: 0.15),
        Shape(name: "single categorical", queryRows: 120, referenceRows: 300, kinds: ["c"]),
        Shape(name: "single numeric", queryRows: 120, referenceRows: 300, kinds: ["n"], levels: 50),
        Shape(name: "single constant", queryRows: 40, referenceRows: 60, kinds: ["k"]),
        Shape(name: "query larger than reference", queryRows: 400, referenceRows: 9, kinds: ["n", "c", "d"]),
        Shape(name: "one reference row", queryRows: 30, referenceRows: 1, kinds: ["n", "c"]),
        Shape(name: "empty query", queryRows: 0, referenceRows: 100, kinds: ["n", "c"]),
        Shape(name: "no missing values", queryRows: 200, referenceRows: 400, kinds: ["n", "n", "c", "d", "b"], missingRate: 0),
    ]

    /// Distances under test: both presets, the other range and missing options, and weights.
    static let distances: [RecordDistance] = [
        .gower,
        .anonymeter,
        RecordDistance(rangeSource: .train, missing: .neverMatch),
        RecordDistance(weights: ["c0": 2.5, "n0": 0.3, "w0": 7, "b0": 1.75, "d0": 0.1]),
        RecordDistance(weights: ["c1": 3, "k0": 0.5], aggregation: .sum),
        // Beyond single precision's range: the search falls back to the reference kernel.
        RecordDistance(weights: ["c0": 1e31, "n0": 2e30], aggregation: .sum),
    ]

    /// Tables built in memory: query (synthetic), reference (train) and a separate holdout.
    struct Data {
        var schema: Schema
        var query: Table
        var reference: Table
        var holdout: Table
    }

    static func data(_ shape: Shape, seed: UInt64) -> Data {
        var rng = SeededRandom(seed: seed)
        func uniform(_ n: Int) -> Int { Int(rng.unitInterval() * Double(n)) }
        var counters: [Character: Int] = [:]
        var descriptors: [ColumnDescriptor] = []
        var specs: [(name: String, kind: Character)] = []
        for kind in shape.kinds {
            let name = String(kind) + String(counters[kind, default: 0])
            counters[kind, default: 0] += 1
            specs.append((name, kind))
        }
        specs.sort { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
        for spec in specs {
            let type: ColumnType = switch spec.kind {
            case "n", "k": .numeric
            case "d": .datetime
            case "b": .boolean
            default: .categorical
            }
            descriptors.append(ColumnDescriptor(name: spec.name, type: type, typeSource: .inferred, roles: []))
        }
        func table(_ role: TableRole, rows: Int, copyFrom source: Table?) -> Table {
            var columns: [Column] = []
            // Which source row each row copies (or −1): copies of the source and duplicates within the table.
            var copyOf = [Int](repeating: -1, count: rows)
            for i in 0..<rows where rng.unitInterval() < shape.copies {
                if let source, source.rowCount > 0 { copyOf[i] = uniform(source.rowCount) } else if i > 0 { copyOf[i] = -2 - uniform(i) }
            }
            for spec in specs {
                let type = descriptors.first { $0.name == spec.name }!.type
                switch spec.kind {
                case "n", "d", "k":
                    var values = [Double](repeating: 0, count: rows)
                    var mask = MissingMask(count: rows)
                    let sourceColumn = source?.column(named: spec.name)
                    for i in 0..<rows {
                        if copyOf[i] >= 0, case .numeric(let sv, let sm)? = sourceColumn?.storage {
                            values[i] = sv[copyOf[i]]
                            if sm.isMissing(copyOf[i]) { mask.markMissing(i) }
                            continue
                        }
                        if copyOf[i] <= -2 {
                            let j = -2 - copyOf[i]
                            values[i] = values[j]
                            if mask.isMissing(j) { mask.markMissing(i) }
                            continue
                        }
                        if rng.unitInterval() < shape.missingRate { mask.markMissing(i); continue }
                        switch spec.kind {
                        case "k": values[i] = role == .train ? 42 : Double(40 + uniform(5))
                        case "d": values[i] = 1_600_000_000 + Double(uniform(shape.levels)) * 86_400
                        default: values[i] = -5 + Double(uniform(shape.levels)) * 0.37
                        }
                    }
                    columns.append(Column(name: spec.name, type: type, storage: .numeric(values: values, missing: mask)))
                default:
                    let labelCount = spec.kind == "b" ? 2 : spec.kind == "w" ? 90 : 5
                    let labels = (0..<labelCount).map { "L" + String(1000 + $0) }
                    var codes = [UInt32](repeating: 0, count: rows)
                    let sourceColumn = source?.column(named: spec.name)
                    for i in 0..<rows {
                        if copyOf[i] >= 0, case .coded(let sc, _)? = sourceColumn?.storage { codes[i] = sc[copyOf[i]]; continue }
                        if copyOf[i] <= -2 { codes[i] = codes[-2 - copyOf[i]]; continue }
                        codes[i] = rng.unitInterval() < shape.missingRate ? Column.missingCode : UInt32(uniform(labelCount))
                    }
                    columns.append(Column(name: spec.name, type: type,
                                          storage: .coded(codes: codes, dictionary: CategoryDictionary(sortedUniqueLabels: labels))))
                }
            }
            let source = DataSource(path: role.rawValue, format: .delimited(delimiter: UInt8(ascii: ",")), byteCount: 0, isCompressed: false)
            return Table(role: role, source: source, columns: columns, rowCount: rows, recordLines: Array(0..<rows))
        }
        let reference = table(.train, rows: shape.referenceRows, copyFrom: nil)
        let holdout = table(.holdout, rows: shape.referenceRows / 2 + 1, copyFrom: reference)
        let query = table(.synthetic, rows: shape.queryRows, copyFrom: reference)
        return Data(schema: Schema(columns: descriptors), query: query, reference: reference, holdout: holdout)
    }

    /// The first disagreement between two results, or nil when they are identical
    /// (distances compared by bit pattern, so −0 vs +0 or one ulp counts).
    static func difference(_ a: NearestRecords, _ b: NearestRecords) -> String? {
        guard a.count == b.count, a.nearestRow.count == b.nearestRow.count, a.second.count == b.second.count,
              a.secondRow.count == b.secondRow.count else { return "sizes \(a.count) vs \(b.count)" }
        for i in 0..<a.count {
            if a.nearest[i].bitPattern != b.nearest[i].bitPattern { return "row \(i): nearest \(a.nearest[i]) vs \(b.nearest[i])" }
            if a.nearestRow[i] != b.nearestRow[i] { return "row \(i): nearest row \(a.nearestRow[i]) vs \(b.nearestRow[i])" }
            if a.second[i].bitPattern != b.second[i].bitPattern { return "row \(i): second \(a.second[i]) vs \(b.second[i])" }
            if a.secondRow[i] != b.secondRow[i] { return "row \(i): second row \(a.secondRow[i]) vs \(b.secondRow[i])" }
        }
        return nil
    }

    /// Fast and reference kernels on one pass; several tree shapes, including leaves of one row and
    /// binary nodes (deep trees, most nodes pruned) as well as the default shape.
    static func expectEquivalent(query: Table, reference: Table, train: Table, distance: RecordDistance, schema: Schema,
                                 excludeSameRow: Bool = false, context: String) throws {
        let names = try NearestRecordSearch.columns(of: .gower, schema: schema)
        var usable = distance
        usable.weights = distance.weights.filter { names.contains($0.key) }
        let reference0 = try BruteForceNearestRecordSearch(query: query, reference: reference, train: train, distance: usable,
                                                           schema: schema, excludeSameRow: excludeSameRow).run()
        let fast = try NearestRecordSearch(query: query, reference: reference, train: train, distance: usable,
                                           schema: schema, excludeSameRow: excludeSameRow)
        #expect(reference0.count == query.rowCount)
        for (leafSize, fanout) in [(1, 2), (3, 4), (1, 16), (16, 2), (5, 16)] {
            let result = fast.run(leafSize: leafSize, fanout: fanout)
            #expect(difference(result, reference0) == nil,
                    "\(context), leaves of \(leafSize), fanout \(fanout): \(difference(result, reference0) ?? "")")
        }
        #expect(difference(fast.run(), reference0) == nil, "\(context), default run()")
        // Nearest only (pruned against the nearest distance): the same nearest record, no second one.
        var nearestOnly = reference0
        nearestOnly.second = .init(repeating: .nan, count: reference0.count)
        nearestOnly.secondRow = .init(repeating: -1, count: reference0.count)
        for (leafSize, fanout) in [(1, 2), (3, 4), (16, 16)] {
            let result = fast.run(leafSize: leafSize, fanout: fanout, secondNearest: false)
            #expect(difference(result, nearestOnly) == nil,
                    "\(context), nearest only, leaves of \(leafSize), fanout \(fanout): \(difference(result, nearestOnly) ?? "")")
        }
        // Within a radius per row: exactly the nearest distance (a tie at the radius), one step
        // below it, twice it, 0 and +∞. Expected: the nearest record when it lies within, else none.
        let radii = (0..<reference0.count).map { i -> Double in
            let d = reference0.nearest[i]
            switch i % 5 {
            case 0: return d
            case 1: return d.nextDown
            case 2: return d * 2
            case 3: return 0
            default: return .infinity
            }
        }
        var bounded = nearestOnly
        for i in 0..<bounded.count where !(bounded.nearest[i] <= radii[i]) {
            bounded.nearest[i] = .infinity
            bounded.nearestRow[i] = -1
        }
        #expect(bounded.nearestRow.contains(-1) && bounded.nearestRow.contains { $0 >= 0 } || reference0.count < 5)
        for (leafSize, fanout) in [(1, 2), (3, 4), (16, 16)] {
            let result = fast.run(leafSize: leafSize, fanout: fanout, rows: Array(0..<reference0.count), radius: radii)
            #expect(difference(result, bounded) == nil,
                    "\(context), within radius, leaves of \(leafSize), fanout \(fanout): \(difference(result, bounded) ?? "")")
        }
    }

    @Test(arguments: shapes, [UInt64(11), 12])
    func prunedSearchEqualsBruteForce(shape: Shape, seed: UInt64) throws {
        let data = Self.data(shape, seed: seed)
        for (k, distance) in Self.distances.enumerated() {
            try Self.expectEquivalent(query: data.query, reference: data.reference, train: data.reference, distance: distance,
                                      schema: data.schema, context: "\(shape.name) seed \(seed) distance \(k) synthetic→train")
        }
        // A reference other than train (ranges from train or from train ∪ holdout).
        for distance in [RecordDistance(rangeSource: .train), .anonymeter] {
            try Self.expectEquivalent(query: data.query, reference: data.holdout, train: data.reference, distance: distance,
                                      schema: data.schema, context: "\(shape.name) seed \(seed) synthetic→holdout \(distance)")
        }
    }

    @Test(arguments: [UInt64(21), 22])
    func leaveOneOutEqualsBruteForce(seed: UInt64) throws {
        let data = Self.data(Self.shapes[1], seed: seed)
        for distance in [RecordDistance.gower, .anonymeter] {
            try Self.expectEquivalent(query: data.reference, reference: data.reference, train: data.reference, distance: distance,
                                      schema: data.schema, excludeSameRow: true, context: "leave-one-out \(distance)")
        }
    }

    @Test func emptyReferenceGivesNoNeighbours() throws {
        var shape = Self.shapes[0]
        shape.referenceRows = 0
        let data = Self.data(shape, seed: 5)
        let result = try NearestRecordSearch(query: data.query, reference: data.reference, train: data.reference,
                                             distance: .gower, schema: data.schema).run()
        #expect(result.count == data.query.rowCount)
        #expect(result.nearestRow.allSatisfy { $0 == -1 } && result.nearest.allSatisfy { $0 == .infinity })
    }

    /// The single-precision bounds round outward: `down(x) ≤ x ≤ up(x)`, each the nearest Float on its side.
    @Test func singlePrecisionRoundingIsDirected() {
        var rng = SeededRandom(seed: 77)
        var values: [Double] = [0, -0.0, 1, -1, 0.1, -0.1, 1e-45, 3.5e38, 4e38, -4e38, .infinity, -.infinity,
                                Double(Float.greatestFiniteMagnitude), 1_600_000_000.123]
        for _ in 0..<2000 { values.append((rng.unitInterval() - 0.5) * pow(10, rng.unitInterval() * 20 - 10)) }
        for x in values {
            let d = SinglePrecisionBounds.down(x), u = SinglePrecisionBounds.up(x)
            #expect(Double(d) <= x && x <= Double(u), "\(x): \(d) \(u)")
            if x.isFinite, abs(x) < Double(Float.greatestFiniteMagnitude) {
                #expect(Double(d.nextUp) > x || Double(d) == x, "\(x): \(d) is not the largest Float below")
                #expect(Double(u.nextDown) < x || Double(u) == x, "\(x): \(u) is not the smallest Float above")
            }
        }
        // Clamping keeps NaN-free, ordered, windowed values.
        #expect(SinglePrecisionBounds.clamp(.infinity) == SinglePrecisionBounds.window.upperBound)
        #expect(SinglePrecisionBounds.clamp(-.infinity) == SinglePrecisionBounds.window.lowerBound)
        #expect(SinglePrecisionBounds.clamp(0.25) == 0.25)
    }

    /// The comparison above is not vacuous: it reports a one-ulp change and a swapped tie.
    @Test func comparisonDetectsOneUlpAndIndexChanges() throws {
        let data = Self.data(Self.shapes[1], seed: 31)
        let base = try BruteForceNearestRecordSearch(query: data.query, reference: data.reference, train: data.reference,
                                                     distance: .gower, schema: data.schema).run()
        #expect(Self.difference(base, base) == nil)
        var ulp = base
        ulp.second[7] = ulp.second[7].nextUp
        #expect(Self.difference(ulp, base) != nil)
        var index = base
        index.secondRow[3] += 1
        #expect(Self.difference(index, base) != nil)
        // Ties are present in this shape, so the tie-break is actually exercised.
        #expect((0..<base.count).contains { base.nearest[$0] == base.second[$0] })
    }
}
