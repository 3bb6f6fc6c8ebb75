/// Exact nearest and second-nearest records under a `RecordDistance`, over the FULL reference
/// table (never subsampled), in parallel over query rows.
///
/// Exact branch and bound: the reference rows are grouped into small leaves of similar rows
/// (`ReferenceLeaves`); for each query row, a lower bound of its distance to every row of each
/// leaf is computed from the leaf's per-column bounds, the leaf with the smallest bound is scanned
/// first, and any other leaf whose bound exceeds the running second-nearest distance is skipped.
/// Scanned rows get their distance from the same floating-point operations, in the same column
/// order, as `BruteForceNearestRecordSearch`, so distances are bit-equal to the reference kernel's.
///
/// Why the bound is exact in floating point: every column term is ≥ 0, and its bound is computed
/// by operations that are monotone under IEEE rounding from values that bracket the true ones
/// (`lo − a ≤ b − a` for `b ≥ lo`, and so on), so each bound term is ≤ the computed term; summing
/// in the same column order keeps `bound ≤ sum` because rounded addition is monotone. A leaf is
/// skipped only when `bound > second` strictly, so a row that ties the second-nearest distance
/// (and might win on its lower row index) is always scanned. Ties keep the lowest reference row.
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

    /// Reference rows per leaf (measured on the 100k × 100k benchmark; see Benchmarks/RESULTS.md).
    static let leafSize = 64

    /// Runs the search over every query row (both cores; results do not depend on the core count).
    public func run() -> NearestRecords { run(leafSize: Self.leafSize) }

    /// Runs the search with leaves of at most `leafSize` rows (tests use tiny leaves to exercise pruning).
    func run(leafSize: Int) -> NearestRecords {
        // Infinite weights make sums infinite and bounds useless; the reference kernel defines the answer.
        guard problem.columns.allSatisfy({ $0.weight.isFinite }), problem.normaliser.isFinite else {
            return BruteForceNearestRecordSearch(problem: problem).run()
        }
        let leaves = ReferenceLeaves(problem: problem, leafSize: leafSize)
        let queries = QueryValues(problem: problem)
        let chunks = Parallel.ranges(problem.queryCount, chunks: Parallel.defaultChunkCount)
        return NearestRecords(joining: Parallel.map(chunks.count) { k in
            LeafScanner(leaves: leaves, queries: queries, problem: problem).search(rows: chunks[k])
        }, count: problem.queryCount)
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

    /// The top-2 neighbours of the query rows in `rows`.
    func search(rows: Range<Int>) -> NearestRecords {
        var out = NearestRecords(nearest: [], nearestRow: [], second: [], secondRow: [])
        out.nearest.reserveCapacity(rows.count)
        out.nearestRow.reserveCapacity(rows.count)
        out.second.reserveCapacity(rows.count)
        out.secondRow.reserveCapacity(rows.count)
        let leafCount = leaves.leafCount
        var boundStorage = [Double](repeating: 0, count: Swift.max(1, leafCount))
        var accumulatorStorage = [Double](repeating: 0, count: Swift.max(1, leaves.maxLeafSize))
        let normaliser = problem.normaliser
        boundStorage.withUnsafeMutableBufferPointer { bound in
            accumulatorStorage.withUnsafeMutableBufferPointer { acc in
                for q in rows {
                    var top = TopTwo()
                    guard leafCount > 0 else {
                        out.append(top)
                        continue
                    }
                    lowerBounds(q, into: bound)
                    var first = 0
                    for k in 1..<leafCount where bound[k] < bound[first] { first = k }
                    scan(leaf: first, query: q, acc: acc, top: &top)
                    for k in 0..<leafCount where k != first && !(bound[k] * normaliser > top.d2) {
                        scan(leaf: k, query: q, acc: acc, top: &top)
                    }
                    out.append(top)
                }
            }
        }
        return out
    }

    /// For every leaf, a lower bound (before normalising) of the column sum from query row `q` to
    /// any row of the leaf, summed in canonical column order.
    @inline(__always)
    func lowerBounds(_ q: Int, into bound: UnsafeMutableBufferPointer<Double>) {
        let leafCount = leaves.leafCount, queryCount = problem.queryCount
        let neverMatch = problem.missing == .neverMatch
        for k in 0..<leafCount { bound[k] = 0 }
        for column in leaves.columns {
            let w = column.weight, base = column.slot * leafCount
            switch column.kind {
            case .scaled, .equality:
                let a = queries.numeric[column.slot * queryCount + q]
                let lo = leaves.low + base, hi = leaves.high + base
                if a.isNaN {
                    let missingBound = leaves.missingQueryBound + base
                    for k in 0..<leafCount { bound[k] += missingBound[k] }
                } else if !a.isFinite {
                    continue  // a bound of 0 is always safe
                } else if column.kind == .equality {
                    for k in 0..<leafCount { bound[k] += lo[k] <= a && a <= hi[k] ? 0 : w }
                } else {
                    let scale = column.scale
                    for k in 0..<leafCount {
                        let gap = Swift.max(Swift.max(lo[k] - a, a - hi[k]), 0)
                        bound[k] += w * Swift.min(gap * scale, 1)
                    }
                }
            case .coded:
                let a = queries.codes[column.slot * queryCount + q]
                if neverMatch, a == Column.missingCode {
                    for k in 0..<leafCount { bound[k] += w }
                } else {
                    let bit = ReferenceLeaves.bit(of: a), bits = leaves.codeBits + base
                    for k in 0..<leafCount { bound[k] += (bits[k] >> bit) & 1 != 0 ? 0 : w }
                }
            }
        }
    }

    /// Exact distances from query row `q` to every row of leaf `k`: the reference kernel's
    /// operations, in its column order.
    @inline(__always)
    func scan(leaf k: Int, query q: Int, acc: UnsafeMutableBufferPointer<Double>, top: inout TopTwo) {
        let start = leaves.starts[k], n = leaves.starts[k + 1] - start
        let rowCount = leaves.rowCount, queryCount = problem.queryCount
        let neverMatch = problem.missing == .neverMatch
        for j in 0..<n { acc[j] = 0 }
        for column in leaves.columns {
            let weight = column.weight
            switch column.kind {
            case .scaled, .equality:
                let a = queries.numeric[column.slot * queryCount + q]
                let block = leaves.numeric + (column.slot * rowCount + start)
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
                let block = leaves.codes + (column.slot * rowCount + start)
                if neverMatch, a == Column.missingCode {
                    for j in 0..<n { acc[j] += weight }
                } else {
                    for j in 0..<n { acc[j] += block[j] == a ? 0 : weight }
                }
            }
        }
        let normaliser = problem.normaliser, excludeSameRow = problem.excludeSameRow
        for j in 0..<n {
            let r = leaves.rows[start + j]
            if excludeSameRow, Int(r) == q { continue }
            top.offer(acc[j] * normaliser, r)
        }
    }
}

extension NearestRecords {
    /// Appends one query row's result.
    mutating func append(_ top: TopTwo) {
        nearest.append(top.d1)
        nearestRow.append(top.i1)
        second.append(top.d2)
        secondRow.append(top.i2)
    }
}
