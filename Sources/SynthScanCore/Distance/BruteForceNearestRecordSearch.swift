/// Exact nearest and second-nearest records under a `RecordDistance`, by brute force over the FULL
/// reference table (never subsampled), in parallel over query rows.
///
/// This is the reference kernel (the one synthscan shipped before issue 7): a blocked scan (one
/// query row against a block of reference rows, column by column, so each column's values stream
/// through the cache) with no approximation and no pruning. `NearestRecordSearch` must agree with
/// it bit for bit; the equivalence tests compare the two. Ties keep the lowest reference row.
public struct BruteForceNearestRecordSearch: Sendable {
    let problem: NearestRecordProblem

    /// Prepares a search of `query` rows against `reference` rows; `train` supplies ranges when the distance asks for it.
    ///
    /// With `excludeSameRow` (query and reference are the same table), a row is not its own neighbour.
    public init(query: Table, reference: Table, train: Table, distance: RecordDistance, schema: Schema,
                excludeSameRow: Bool = false) throws(NearestRecordSearch.SearchError) {
        problem = try NearestRecordProblem(query: query, reference: reference, train: train, distance: distance,
                                           schema: schema, excludeSameRow: excludeSameRow)
    }

    init(problem: NearestRecordProblem) { self.problem = problem }

    /// Rows per reference block: the block's accumulators and each column's slice stay in L1.
    static let blockSize = 512

    /// Runs the search over every query row (both cores; results do not depend on the core count).
    public func run() -> NearestRecords {
        let chunks = Parallel.ranges(problem.queryCount, chunks: Parallel.defaultChunkCount)
        return NearestRecords(joining: Parallel.map(chunks.count) { k in search(rows: chunks[k]) }, count: problem.queryCount)
    }

    /// The top-2 neighbours of the query rows in `rows`.
    func search(rows: Range<Int>) -> NearestRecords {
        let columns = problem.columns, referenceCount = problem.referenceCount
        let normaliser = problem.normaliser, excludeSameRow = problem.excludeSameRow
        var out = NearestRecords(nearest: [], nearestRow: [], second: [], secondRow: [])
        out.nearest.reserveCapacity(rows.count)
        out.nearestRow.reserveCapacity(rows.count)
        out.second.reserveCapacity(rows.count)
        out.secondRow.reserveCapacity(rows.count)
        var accumulator = [Double](repeating: 0, count: Self.blockSize)
        let neverMatch = problem.missing == .neverMatch
        accumulator.withUnsafeMutableBufferPointer { acc in
            for q in rows {
                var d1 = Double.infinity, d2 = Double.infinity
                var i1: Int32 = -1, i2: Int32 = -1
                var start = 0
                while start < referenceCount {
                    let n = Swift.min(Self.blockSize, referenceCount - start)
                    for j in 0..<n { acc[j] = 0 }
                    for column in columns {
                        switch column {
                        case .numeric(let query, let reference, let scale, let weight):
                            let a = query[q]
                            reference.withUnsafeBufferPointer { ref in
                                let block = UnsafeBufferPointer(rebasing: ref[start..<(start + n)])
                                if a.isNaN {
                                    let bothMissing = neverMatch ? weight : 0
                                    for j in 0..<n { acc[j] += block[j].isNaN ? bothMissing : weight }
                                } else if scale == 0 {
                                    for j in 0..<n { acc[j] += block[j] == a ? 0 : weight }
                                } else {
                                    for j in 0..<n {
                                        let b = block[j]
                                        let d = Swift.min(abs(a - b) * scale, 1)
                                        acc[j] += b.isNaN ? weight : weight * d
                                    }
                                }
                            }
                        case .coded(let query, let reference, let weight):
                            let a = query[q]
                            reference.withUnsafeBufferPointer { ref in
                                let block = UnsafeBufferPointer(rebasing: ref[start..<(start + n)])
                                if neverMatch, a == Column.missingCode {
                                    for j in 0..<n { acc[j] += weight }
                                } else {
                                    for j in 0..<n { acc[j] += block[j] == a ? 0 : weight }
                                }
                            }
                        }
                    }
                    for j in 0..<n {
                        let r = start + j
                        if excludeSameRow, r == q { continue }
                        let d = acc[j] * normaliser
                        if d < d1 {
                            d2 = d1; i2 = i1
                            d1 = d; i1 = Int32(r)
                        } else if d < d2 {
                            d2 = d; i2 = Int32(r)
                        }
                    }
                    start += n
                }
                out.nearest.append(d1)
                out.nearestRow.append(i1)
                out.second.append(d2)
                out.secondRow.append(i2)
            }
        }
        return out
    }
}

extension NearestRecords {
    /// The per-chunk results of a search, concatenated in chunk order.
    init(joining parts: [NearestRecords], count: Int) {
        self.init(nearest: [], nearestRow: [], second: [], secondRow: [])
        nearest.reserveCapacity(count)
        nearestRow.reserveCapacity(count)
        second.reserveCapacity(count)
        secondRow.reserveCapacity(count)
        for part in parts {
            nearest += part.nearest
            nearestRow += part.nearestRow
            second += part.second
            secondRow += part.secondRow
        }
    }
}
