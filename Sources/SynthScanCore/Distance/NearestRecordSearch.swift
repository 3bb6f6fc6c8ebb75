import Foundation

/// Exact nearest and second-nearest records under a `RecordDistance`, over the FULL reference
/// table (never subsampled), in parallel over query rows.
///
/// Exact branch and bound: the reference rows are grouped into small leaves of similar rows, and
/// the leaves into a shallow tree of wide nodes (`ReferenceLeaves`); each node carries per-column
/// bounds of the rows under it, from which a lower bound of the distance from a query row to any
/// of those rows follows. Per query row the search is best first (a min-heap of nodes by bound,
/// after a greedy descent that finds a good second-nearest distance early) and stops when the
/// smallest waiting bound exceeds the running second-nearest distance (the leaves of an expanded
/// lowest-level node are scanned at once, smallest bound first). Query rows are processed
/// in the order of the leaf their descent reaches, so consecutive rows read the same nodes.
/// Scanned rows get their distance from the same floating-point operations, in the same column
/// order, as `BruteForceNearestRecordSearch`, so distances are bit-equal to the reference kernel's.
///
/// Why the bound is exact in floating point: every column term is ≥ 0, and its bound is computed
/// by operations that are monotone under IEEE rounding from values that bracket the true ones
/// (`lo − a ≤ b − a` for `b ≥ lo`, and so on), so each bound term is ≤ the computed term; summing
/// in the same column order keeps `bound ≤ sum` because rounded addition is monotone. A leaf is
/// skipped only when `bound > second` strictly, so a row that ties the second-nearest distance
/// (and might win on its lower row index) is always scanned. Ties keep the lowest reference row.
/// A leaf scan stops early when the rows' partial sums plus the leaf's bound for the remaining
/// columns already exceed that distance (see `LeafScanner.sumMargin` for why this is exact).
public struct NearestRecordSearch: Sendable {
    /// Why a search cannot run.
    public enum SearchError: Error, Equatable, CustomStringConvertible {
        /// A named column is not in the data.
        case unknownColumn(String)
        /// No column is left to compare.
        case noColumns

        public var description: String {
            switch self {
            case .unknownColumn(let c): "column '\(c)' is not in the data"
            case .noColumns: "no column is left to compare records on"
            }
        }
    }

    let problem: NearestRecordProblem

    /// The columns a distance compares on, in canonical order: its own list or the schema's comparable columns.
    public static func columns(of distance: RecordDistance, schema: Schema) throws(SearchError) -> [String] {
        let names = distance.columns.isEmpty ? schema.comparableColumnNames : distance.columns
        for n in names where schema.index(of: n) == nil { throw .unknownColumn(n) }
        guard !names.isEmpty else { throw .noColumns }
        return names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// max − min of the non-missing values of `name` over `tables` (NaN when there are none).
    static func range(of name: String, in tables: [Table]) -> Double {
        NearestRecordProblem.range(of: name, in: tables)
    }

    /// Prepares a search of `query` rows against `reference` rows; `train` supplies ranges when the distance asks for it.
    ///
    /// With `excludeSameRow` (query and reference are the same table), a row is not its own neighbour.
    public init(query: Table, reference: Table, train: Table, distance: RecordDistance, schema: Schema,
                excludeSameRow: Bool = false) throws(SearchError) {
        problem = try NearestRecordProblem(query: query, reference: reference, train: train, distance: distance,
                                           schema: schema, excludeSameRow: excludeSameRow)
    }

    /// Reference rows per leaf, and children per node above the leaves: chosen by measurement on
    /// the 100k × 100k benchmark (leaves of 8–32 and fanouts of 16–64 are within noise of each
    /// other; fanout 4–8 is ~30 % slower). See Benchmarks/RESULTS.md.
    static let leafSize = 16
    static let fanout = 16

    /// Runs the search over every query row (both cores; results do not depend on the core count).
    ///
    /// With `secondNearest: false` only the nearest record is searched for: the search then prunes
    /// against the nearest distance, and `second`/`secondRow` hold NaN/−1. The nearest record is
    /// the same either way (same distance, same lowest row among ties).
    public func run(secondNearest: Bool = true) -> NearestRecords {
        run(leafSize: Self.leafSize, fanout: Self.fanout, secondNearest: secondNearest)
    }

    /// Runs the search over the query rows `rows` only (e.g. one shard's slice, or a seeded sample):
    /// entry `i` of the result belongs to query row `rows[i]`, and equals that row's entry in `run()`.
    ///
    /// `progress`, when given, is called (from worker threads, serialised) with the number of query
    /// rows finished so far, every few thousand rows and once at the end.
    ///
    /// With `radius` (one value per entry of `rows`), only the nearest record is searched for, and
    /// only among records at a distance ≤ the row's radius: the result is that record, or +∞ and
    /// row −1 when there is none (`NeighbourPass.within`). Nodes are pruned against the radius
    /// from the start, so the search costs a fraction of an unbounded one.
    public func run(rows: [Int], secondNearest: Bool = true, radius: [Double]? = nil,
                    progress: (@Sendable (Int) -> Void)? = nil) -> NearestRecords {
        run(leafSize: Self.leafSize, fanout: Self.fanout, rows: rows, secondNearest: secondNearest, radius: radius, progress: progress)
    }

    /// Query rows a worker searches between two progress reports.
    static let progressBatch = 2048

    /// Runs the search with the given tree shape (tests use tiny leaves and fanouts to exercise pruning).
    func run(leafSize: Int, fanout: Int, rows: [Int]? = nil, secondNearest: Bool = true, radius: [Double]? = nil,
             progress: (@Sendable (Int) -> Void)? = nil) -> NearestRecords {
        let rows = rows ?? Array(0..<problem.queryCount)
        precondition(radius == nil || radius!.count == rows.count, "one radius per query row")
        let secondNearest = secondNearest && radius == nil
        // Infinite weights make sums infinite and bounds useless, and weights beyond single precision's
        // range would overflow its bounds; the reference kernel defines the answer then.
        let totalWeight = problem.columns.reduce(0) { $0 + $1.weight }
        guard totalWeight < SinglePrecisionBounds.largestTotalWeight, problem.normaliser.isFinite else {
            let all = BruteForceNearestRecordSearch(problem: problem).run()
            var result = NearestRecords(nearest: rows.map { all.nearest[$0] }, nearestRow: rows.map { all.nearestRow[$0] },
                                        second: rows.map { secondNearest ? all.second[$0] : .nan },
                                        secondRow: rows.map { secondNearest ? all.secondRow[$0] : -1 })
            if let radius {
                for i in rows.indices where !(result.nearest[i] <= radius[i]) {
                    result.nearest[i] = .infinity
                    result.nearestRow[i] = -1
                }
            }
            return result
        }
        let leaves = ReferenceLeaves(problem: problem, leafSize: leafSize, fanout: fanout)
        let queries = QueryValues(problem: problem)
        let scanner = LeafScanner(leaves: leaves, queries: queries, problem: problem, secondNearest: secondNearest)
        let chunks = Parallel.ranges(rows.count, chunks: Parallel.defaultChunkCount)
        // Query rows in the order of the leaf their greedy descent reaches: consecutive rows then
        // read the same nodes and leaves, which stay in cache.
        let firstLeaf = Parallel.map(chunks.count) { k in chunks[k].map { scanner.greedyLeaf(rows[$0]) } }.flatMap { $0 }
        let order = (0..<rows.count).sorted { (firstLeaf[$0], $0) < (firstLeaf[$1], $1) }
        let counter = ProgressCounter(report: progress)
        let parts = Parallel.map(chunks.count) { k -> NearestRecords in
            let queryRows = order[chunks[k]].map { rows[$0] }
            let radii = radius.map { r in order[chunks[k]].map { r[$0] } }
            guard progress != nil else { return scanner.search(rows: queryRows[...], radii: radii?[...]) }
            var out = NearestRecords(nearest: [], nearestRow: [], second: [], secondRow: [])
            for start in stride(from: 0, to: queryRows.count, by: Self.progressBatch) {
                let range = start..<Swift.min(start + Self.progressBatch, queryRows.count)
                let batch = scanner.search(rows: queryRows[range], radii: radii?[range])
                out.nearest += batch.nearest
                out.nearestRow += batch.nearestRow
                out.second += batch.second
                out.secondRow += batch.secondRow
                counter.add(batch.count)
            }
            return out
        }
        var result = NearestRecords(nearest: .init(repeating: .infinity, count: rows.count),
                                    nearestRow: .init(repeating: -1, count: rows.count),
                                    second: .init(repeating: .infinity, count: rows.count),
                                    secondRow: .init(repeating: -1, count: rows.count))
        for (k, part) in parts.enumerated() {
            for (i, position) in order[chunks[k]].enumerated() {
                result.nearest[position] = part.nearest[i]
                result.nearestRow[position] = part.nearestRow[i]
                result.second[position] = part.second[i]
                result.secondRow[position] = part.secondRow[i]
            }
        }
        return result
    }
}

/// Counts finished query rows across worker threads and reports the running total.
final class ProgressCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0
    private let report: (@Sendable (Int) -> Void)?

    init(report: (@Sendable (Int) -> Void)?) { self.report = report }

    func add(_ rows: Int) {
        guard let report else { return }
        lock.lock()
        defer { lock.unlock() }
        done += rows
        report(done)
    }
}

/// The query values of a search, columnar by kernel slot (`slot * queryCount + row`).
struct QueryValues: Sendable {
    let numeric: [Double]
    let codes: [UInt32]

    init(problem: NearestRecordProblem) {
        var numeric: [Double] = [], codes: [UInt32] = []
        for column in problem.columns {
            switch column {
            case .numeric(let query, _, _, _): numeric += query
            case .coded(let query, _, _): codes += query
            }
        }
        self.numeric = numeric
        self.codes = codes
    }
}

/// The branch-and-bound kernel over `ReferenceLeaves` for one range of query rows.
struct LeafScanner {
    let leaves: ReferenceLeaves
    let queries: QueryValues
    let problem: NearestRecordProblem
    /// false: only the nearest record is wanted, so nodes are pruned against the nearest distance.
    let secondNearest: Bool
    /// Single-precision node bounds; the kernel reads them through `singleView` (raw pointers:
    /// no reference counting in the hot loop).
    let single: SinglePrecisionBounds
    let singleView: SinglePrecisionBounds.View

    init(leaves: ReferenceLeaves, queries: QueryValues, problem: NearestRecordProblem, secondNearest: Bool) {
        self.leaves = leaves
        self.queries = queries
        self.problem = problem
        self.secondNearest = secondNearest
        single = SinglePrecisionBounds(leaves: leaves)
        singleView = single.view
    }

    /// The distance a node's bound must exceed to be skipped: the second-nearest distance so far,
    /// or the nearest one when the second-nearest is not wanted. Either way a node whose bound
    /// merely ties it is still searched, so the lowest row wins ties as in the reference kernel.
    @inline(__always)
    func pruningDistance(_ top: TopTwo) -> Double { secondNearest ? top.d2 : top.d1 }

    /// The top-2 neighbours of the query rows in `rows`.
    ///
    /// Best-first branch and bound per query row: a greedy descent into the child with the smallest
    /// bound reaches a first leaf (a good second-nearest distance early), every other child met on
    /// the way waits in a min-heap keyed by its bound, and nodes are then expanded in bound order
    /// until the smallest waiting bound exceeds the second-nearest distance.
    ///
    /// With `radii` (aligned with `rows`), the search starts from a sentinel neighbour at the radius
    /// with a row index above every real row: only records at a distance ≤ the radius can displace
    /// it (a tie with the radius included), and nodes whose bound exceeds the radius are never
    /// opened. A row whose sentinel survives has no record within its radius: +∞, row −1.
    func search(rows: ArraySlice<Int>, radii: ArraySlice<Double>? = nil) -> NearestRecords {
        var out = NearestRecords(nearest: [], nearestRow: [], second: [], secondRow: [])
        out.nearest.reserveCapacity(rows.count)
        out.nearestRow.reserveCapacity(rows.count)
        out.second.reserveCapacity(rows.count)
        out.secondRow.reserveCapacity(rows.count)
        let levelStarts = leaves.levelStarts, topLevel = levelStarts.count - 1
        let widest = leaves.fanout
        var boundStorage = [Double](repeating: 0, count: Swift.max(1, widest))
        var accumulatorStorage = [Double](repeating: 0, count: Swift.max(1, leaves.maxLeafSize))
        var restStorage = [Double](repeating: 0, count: leaves.columns.count + 1)
        var prefixStorage = [Double](repeating: 0, count: Swift.max(1, leaves.columns.count / 4 * widest))
        var heap = NodeHeap()
        let normaliser = problem.normaliser
        boundStorage.withUnsafeMutableBufferPointer { bound in
          restStorage.withUnsafeMutableBufferPointer { rest in
           prefixStorage.withUnsafeMutableBufferPointer { prefix in
            accumulatorStorage.withUnsafeMutableBufferPointer { acc in
                for (position, q) in zip(rows.indices, rows) {
                    var top = TopTwo()
                    if let radii { top.d1 = radii[position]; top.i1 = TopTwo.sentinelRow }
                    guard leaves.leafCount > 0 else {
                        out.append(top, secondNearest: secondNearest)
                        continue
                    }
                    heap.removeAll()
                    // Greedy descent from the top level.
                    var level = topLevel
                    var nodes = levelStarts[topLevel]..<(levelStarts[topLevel] + leaves.levelCounts[topLevel])
                    while true {
                        lowerBounds(q, nodes: nodes, into: bound, prefix: level == 0 ? prefix : nil)
                        var best = 0
                        for k in 1..<nodes.count where bound[k] < bound[best] { best = k }
                        for k in 0..<nodes.count where k != best {
                            heap.push(NodeHeap.Entry(key: bound[k] * normaliser, node: Int32(nodes.lowerBound + k), level: Int32(level)))
                        }
                        if level == 0 {
                            scan(leaf: nodes.lowerBound + best, query: q, acc: acc, rest: rest, top: &top,
                                 bounds: LeafBoundPrefix(sums: prefix, position: best, total: bound[best]))
                            break
                        }
                        nodes = leaves.children(of: nodes.lowerBound + best, level: level)
                        level -= 1
                    }
                    // Best first: never expand a node whose bound exceeds the second-nearest distance.
                    while let entry = heap.popMin() {
                        if entry.key > pruningDistance(top) { break }
                        let node = Int(entry.node)
                        if entry.level == 0 {
                            scan(leaf: node, query: q, acc: acc, rest: rest, top: &top)
                            continue
                        }
                        let children = leaves.children(of: node, level: Int(entry.level))
                        lowerBounds(q, nodes: children, into: bound, prefix: entry.level == 1 ? prefix : nil)
                        if entry.level == 1 {
                            // Leaves: scan them now, smallest bound first, instead of queueing them (fewer
                            // heap operations; measured ≈ 4 % less CPU). Same skip rule: bound > second.
                            while true {
                                var best = -1
                                for k in 0..<children.count where !(bound[k] * normaliser > pruningDistance(top)) && (best < 0 || bound[k] < bound[best]) {
                                    best = k
                                }
                                if best < 0 { break }
                                let total = bound[best]
                                bound[best] = .infinity
                                scan(leaf: children.lowerBound + best, query: q, acc: acc, rest: rest, top: &top,
                                     bounds: LeafBoundPrefix(sums: prefix, position: best, total: total))
                            }
                            continue
                        }
                        for k in 0..<children.count {
                            let key = bound[k] * normaliser
                            if key > pruningDistance(top) { continue }
                            heap.push(NodeHeap.Entry(key: key, node: Int32(children.lowerBound + k), level: entry.level - 1))
                        }
                    }
                    out.append(top, secondNearest: secondNearest)
                }
            }
           }
          }
        }
        return out
    }

    /// The leaf reached from the top by always entering the child with the smallest bound.
    func greedyLeaf(_ q: Int) -> Int {
        guard leaves.leafCount > 0 else { return 0 }
        var level = leaves.levelStarts.count - 1
        var nodes = leaves.levelStarts[level]..<(leaves.levelStarts[level] + leaves.levelCounts[level])
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: leaves.fanout) { bound in
            while true {
                lowerBounds(q, nodes: nodes, into: bound)
                var best = 0
                for k in 1..<nodes.count where bound[k] < bound[best] { best = k }
                if level == 0 { return nodes.lowerBound + best }
                nodes = leaves.children(of: nodes.lowerBound + best, level: level)
                level -= 1
            }
        }
    }

    /// Early abandonment of a leaf scan. After the first `c` columns, `acc[j]` is row j's rounded
    /// partial sum; the kernel's final sum adds the remaining (non-negative) column terms, each at
    /// least its node-bound term, so by monotone rounding it is at least the rounded sequential sum
    /// of `acc[j]` and those bound terms, which differs from `acc[j] + rest` (rest summed in another
    /// order) by a relative error under 2·(columns + 1)·2⁻⁵³ for non-negative terms (Higham,
    /// Accuracy and Stability of Numerical Algorithms, 2nd ed., §4.2). Shrinking by `sumMargin`
    /// (10⁻¹², more than that for up to `abandonColumnLimit` columns) gives a value that the final
    /// sum cannot fall below; when it exceeds the pruning distance (after the same multiplication
    /// by the normaliser, monotone), no row of the leaf can enter the result, ties included.
    static let sumMargin = 1 - 1e-12
    /// Above this many columns the margin argument no longer holds, and leaves are scanned in full.
    static let abandonColumnLimit = 4000

    /// Exact distances from query row `q` to every row of leaf `k`: the reference kernel's
    /// operations, in its column order.
    @inline(__always)
    func scan(leaf k: Int, query q: Int, acc: UnsafeMutableBufferPointer<Double>, rest: UnsafeMutableBufferPointer<Double>,
              top: inout TopTwo, bounds: LeafBoundPrefix? = nil) {
        let start = leaves.starts[k], n = leaves.starts[k + 1] - start
        let queryCount = problem.queryCount
        let neverMatch = problem.missing == .neverMatch
        let normaliser = problem.normaliser, excludeSameRow = problem.excludeSameRow
        for j in 0..<n { acc[j] = 0 }
        let abandonable = leaves.columns.count <= Self.abandonColumnLimit
        if abandonable, bounds == nil { remainingBounds(q, leaf: k, into: rest) }
        let limit = pruningDistance(top)
        for (c, column) in leaves.columns.enumerated() {
            // Every few columns: stop when no row of the leaf can come within the pruning distance
            // (measured: ≈ 25 % less CPU per pass at 100k; checking every 2–4 columns is within noise).
            if c & 3 == 3, abandonable {
                var smallest = acc[0]
                for j in 1..<n { smallest = Swift.min(smallest, acc[j]) }
                let remaining = bounds?.remaining(before: c, fanout: leaves.fanout) ?? rest[c - 1]
                if (smallest + remaining) * Self.sumMargin * normaliser > limit { return }
            }
            let weight = column.weight
            switch column.kind {
            case .scaled, .equality:
                let a = queries.numeric[column.slot * queryCount + q]
                let block = leaves.numeric + (start * leaves.numericSlots + column.slot * n)
                if a.isNaN {
                    let bothMissing = neverMatch ? weight : 0
                    for j in 0..<n { acc[j] += block[j].isNaN ? bothMissing : weight }
                } else if column.kind == .equality {
                    for j in 0..<n { acc[j] += block[j] == a ? 0 : weight }
                } else {
                    let scale = column.scale
                    for j in 0..<n {
                        let b = block[j]
                        let d = Swift.min(abs(a - b) * scale, 1)
                        acc[j] += b.isNaN ? weight : weight * d
                    }
                }
            case .coded:
                let a = queries.codes[column.slot * queryCount + q]
                let block = leaves.codes + (start * leaves.codedSlots + column.slot * n)
                if neverMatch, a == Column.missingCode {
                    for j in 0..<n { acc[j] += weight }
                } else {
                    for j in 0..<n { acc[j] += block[j] == a ? 0 : weight }
                }
            }
        }
        for j in 0..<n {
            let r = leaves.rows[start + j]
            if excludeSameRow, Int(r) == q { continue }
            top.offer(acc[j] * normaliser, r)
        }
    }
}

extension NearestRecords {
    /// Appends one query row's result; without `secondNearest` the second-nearest is NaN/−1 (the
    /// running value is not exact when pruning against the nearest distance).
    mutating func append(_ top: TopTwo, secondNearest: Bool) {
        let found = top.i1 != TopTwo.sentinelRow
        nearest.append(found ? top.d1 : .infinity)
        nearestRow.append(found ? top.i1 : -1)
        second.append(secondNearest ? top.d2 : .nan)
        secondRow.append(secondNearest ? top.i2 : -1)
    }
}

/// A binary min-heap of tree nodes keyed by their lower bound (Williams 1964), reused across query rows.
struct NodeHeap {
    /// A node waiting to be expanded.
    struct Entry {
        var key: Double
        var node: Int32
        var level: Int32
    }

    private var items: [Entry] = []

    /// Empties the heap, keeping its storage.
    mutating func removeAll() { items.removeAll(keepingCapacity: true) }

    /// Adds an entry.
    mutating func push(_ entry: Entry) {
        items.append(entry)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) >> 1
            if items[parent].key <= entry.key { break }
            items[i] = items[parent]
            i = parent
        }
        items[i] = entry
    }

    /// Removes and returns the entry with the smallest key.
    mutating func popMin() -> Entry? {
        guard let last = items.popLast() else { return nil }
        guard !items.isEmpty else { return last }
        let result = items[0]
        var i = 0
        let n = items.count
        while true {
            var child = 2 * i + 1
            if child >= n { break }
            if child + 1 < n, items[child + 1].key < items[child].key { child += 1 }
            if last.key <= items[child].key { break }
            items[i] = items[child]
            i = child
        }
        items[i] = last
        return result
    }
}
