/// The `k` nearest reference records of selected query records under a `RecordDistance`, exactly
/// and by brute force over the full reference table, for attacks that need more than the two
/// neighbours `NearestRecordSearch` keeps (anonymeter's linkability with `n_neighbors` > 2).
///
/// Column distances are those of `NearestRecordSearch`: numbers `min(|a − b| / range, 1)` (range
/// 0 or undefined → equality), codes 0/1, a missing value against a present one 1, two missing
/// values 0 or 1 by the missing policy; summed or averaged by the aggregation. Among equally near
/// records the one with the lowest `rank` wins (by default the lowest row), so the result never
/// depends on the order of evaluation; callers that must not favour the same rows in two searches
/// pass a seeded random ranking.
struct NearestRecordsTopK {
    /// One column, ready for the kernel.
    private enum Encoded {
        case numeric(query: [Double], reference: [Double], scale: Double, weight: Double)
        case coded(query: [UInt32], reference: [UInt32], weight: Double)
    }

    private let columns: [Encoded]
    private let referenceCount: Int
    private let normaliser: Double
    private let neverMatch: Bool

    /// Prepares a search of `query` rows against `reference`, comparing on `distance.columns`
    /// (which must be set); `train` supplies ranges when the distance asks for it.
    init(query: Table, reference: Table, train: Table, distance: RecordDistance) throws(NearestRecordSearch.SearchError) {
        var encoded: [Encoded] = []
        var total = 0.0
        for name in distance.columns {
            guard let q = query.column(named: name), let r = reference.column(named: name) else { throw .unknownColumn(name) }
            let weight = distance.weights[name] ?? 1
            guard weight > 0 else { continue }
            total += weight
            switch (q.storage, r.storage) {
            case (.numeric(let qv, let qm), .numeric(let rv, let rm)):
                let tables: [Table]
                switch distance.rangeSource {
                case .reference: tables = [reference]
                case .train: tables = [train]
                case .trainAndOther: tables = train.role == reference.role ? [train, query] : [train, reference]
                }
                let range = Self.range(of: name, in: tables)
                encoded.append(.numeric(query: Self.withNaN(qv, qm), reference: Self.withNaN(rv, rm),
                                        scale: range.isFinite && range > 0 ? 1 / range : 0, weight: weight))
            case (.coded(let qc, _), .coded(let rc, _)):
                encoded.append(.coded(query: qc, reference: rc, weight: weight))
            default:
                throw .unknownColumn(name)
            }
        }
        guard !encoded.isEmpty else { throw .noColumns }
        columns = encoded
        referenceCount = reference.rowCount
        normaliser = distance.aggregation == .mean ? 1 / total : 1
        neverMatch = distance.missing == .neverMatch
    }

    /// For each row of `queryRows`, the reference rows of its `k` nearest records, nearest first;
    /// `rank` (one entry per reference row, default the row itself) orders equally near records.
    func neighbours(of queryRows: [Int], k: Int, rank: [UInt32]? = nil) -> [[Int32]] {
        let order = rank ?? (0..<referenceCount).map { UInt32($0) }
        precondition(order.count == referenceCount, "one rank per reference row")
        let chunks = Parallel.ranges(queryRows.count, chunks: Parallel.defaultChunkCount)
        let parts = Parallel.map(chunks.count) { c -> [[Int32]] in
            var distances = [Double](repeating: 0, count: referenceCount)
            return chunks[c].map { i in search(queryRows[i], k: k, rank: order, scratch: &distances) }
        }
        return parts.flatMap { $0 }
    }

    /// The distances from query row `q` to every reference row (for tests and conformance).
    func distances(from q: Int) -> [Double] {
        var d = [Double](repeating: 0, count: referenceCount)
        fill(q, into: &d)
        return d
    }

    private func search(_ q: Int, k: Int, rank: [UInt32], scratch: inout [Double]) -> [Int32] {
        fill(q, into: &scratch)
        let k = Swift.min(k, referenceCount)
        var bestD: [Double] = [], bestK: [UInt32] = [], bestR: [Int32] = []
        bestD.reserveCapacity(k + 1); bestK.reserveCapacity(k + 1); bestR.reserveCapacity(k + 1)
        for r in 0..<referenceCount {
            let d = scratch[r], key = rank[r]
            if bestD.count == k, d > bestD[k - 1] || (d == bestD[k - 1] && key >= bestK[k - 1]) { continue }
            var i = bestD.count
            while i > 0, bestD[i - 1] > d || (bestD[i - 1] == d && bestK[i - 1] > key) { i -= 1 }
            bestD.insert(d, at: i); bestK.insert(key, at: i); bestR.insert(Int32(r), at: i)
            if bestD.count > k { bestD.removeLast(); bestK.removeLast(); bestR.removeLast() }
        }
        return bestR
    }

    private func fill(_ q: Int, into acc: inout [Double]) {
        for j in 0..<referenceCount { acc[j] = 0 }
        for column in columns {
            switch column {
            case .numeric(let query, let reference, let scale, let weight):
                let a = query[q]
                if a.isNaN {
                    let both = neverMatch ? weight : 0
                    for j in 0..<referenceCount { acc[j] += reference[j].isNaN ? both : weight }
                } else if scale == 0 {
                    for j in 0..<referenceCount { acc[j] += reference[j] == a ? 0 : weight }
                } else {
                    for j in 0..<referenceCount {
                        let b = reference[j]
                        acc[j] += b.isNaN ? weight : weight * Swift.min(abs(a - b) * scale, 1)
                    }
                }
            case .coded(let query, let reference, let weight):
                let a = query[q]
                if neverMatch, a == Column.missingCode {
                    for j in 0..<referenceCount { acc[j] += weight }
                } else {
                    for j in 0..<referenceCount { acc[j] += reference[j] == a ? 0 : weight }
                }
            }
        }
        if normaliser != 1 { for j in 0..<referenceCount { acc[j] *= normaliser } }
    }

    private static func withNaN(_ values: [Double], _ mask: MissingMask) -> [Double] {
        guard mask.missingCount > 0 else { return values }
        var out = values
        for i in out.indices where mask.isMissing(i) { out[i] = .nan }
        return out
    }

    private static func range(of name: String, in tables: [Table]) -> Double {
        var lo = Double.infinity, hi = -Double.infinity
        for table in tables {
            guard case .numeric(let values, let mask)? = table.column(named: name)?.storage else { continue }
            for i in values.indices where !mask.isMissing(i) {
                lo = Swift.min(lo, values[i]); hi = Swift.max(hi, values[i])
            }
        }
        return lo <= hi ? hi - lo : .nan
    }
}
