/// Exact nearest and second-nearest records under a `RecordDistance`, by brute force over the FULL
/// reference table (never subsampled), in parallel over query rows.
///
/// This is the reference kernel: a blocked scan (one query row against a block of reference rows,
/// column by column, so each column's values stream through the cache) with no approximation.
/// Faster exact searches must agree with it. Ties keep the lowest reference row.
public struct NearestRecordSearch: Sendable {
    /// One column as the kernel reads it.
    enum EncodedColumn: Sendable {
        /// Numeric or datetime values, NaN = missing; `scale` = 1 / range, or 0 for equality comparison.
        case numeric(query: [Double], reference: [Double], scale: Double, weight: Double)
        /// Codes (shared dictionary), `Column.missingCode` = missing.
        case coded(query: [UInt32], reference: [UInt32], weight: Double)
    }

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

    let columns: [EncodedColumn]
    let queryCount: Int
    let referenceCount: Int
    let normaliser: Double
    let missing: RecordDistance.MissingPolicy
    let excludeSameRow: Bool

    /// The columns a distance compares on, in canonical order: its own list or the schema's comparable columns.
    public static func columns(of distance: RecordDistance, schema: Schema) throws(SearchError) -> [String] {
        let names = distance.columns.isEmpty ? schema.comparableColumnNames : distance.columns
        for n in names where schema.index(of: n) == nil { throw .unknownColumn(n) }
        guard !names.isEmpty else { throw .noColumns }
        return names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// Prepares a search of `query` rows against `reference` rows; `train` supplies ranges when the distance asks for it.
    ///
    /// With `excludeSameRow` (query and reference are the same table), a row is not its own neighbour.
    public init(query: Table, reference: Table, train: Table, distance: RecordDistance, schema: Schema,
                excludeSameRow: Bool = false) throws(SearchError) {
        let names = try Self.columns(of: distance, schema: schema)
        var encoded: [EncodedColumn] = []
        var totalWeight = 0.0
        for name in names {
            guard let q = query.column(named: name), let r = reference.column(named: name) else { throw .unknownColumn(name) }
            let weight = distance.weights[name] ?? 1
            guard weight > 0 else { continue }
            totalWeight += weight
            switch (q.storage, r.storage) {
            case (.numeric(let qv, let qm), .numeric(let rv, let rm)):
                let rangeTables: [Table]
                switch distance.rangeSource {
                case .reference: rangeTables = [reference]
                case .train: rangeTables = [train]
                case .trainAndOther: rangeTables = train.role == reference.role ? [train, query] : [train, reference]
                }
                let range = Self.range(of: name, in: rangeTables)
                let scale = range.isFinite && range > 0 ? 1 / range : 0
                encoded.append(.numeric(query: Self.withNaN(qv, qm), reference: Self.withNaN(rv, rm), scale: scale, weight: weight))
            case (.coded(let qc, _), .coded(let rc, _)):
                encoded.append(.coded(query: qc, reference: rc, weight: weight))
            default:
                throw .unknownColumn(name)
            }
        }
        guard !encoded.isEmpty else { throw .noColumns }
        columns = encoded
        queryCount = query.rowCount
        referenceCount = reference.rowCount
        normaliser = distance.aggregation == .mean ? 1 / totalWeight : 1
        missing = distance.missing
        self.excludeSameRow = excludeSameRow
    }

    /// Values with missing rows set to NaN.
    static func withNaN(_ values: [Double], _ mask: MissingMask) -> [Double] {
        guard mask.missingCount > 0 else { return values }
        var out = values
        for i in out.indices where mask.isMissing(i) { out[i] = .nan }
        return out
    }

    /// max − min of the non-missing values of `name` over `tables` (NaN when there are none).
    static func range(of name: String, in tables: [Table]) -> Double {
        var lo = Double.infinity, hi = -Double.infinity
        for table in tables {
            guard case .numeric(let values, let mask)? = table.column(named: name)?.storage else { continue }
            for i in values.indices where !mask.isMissing(i) {
                lo = Swift.min(lo, values[i])
                hi = Swift.max(hi, values[i])
            }
        }
        return lo <= hi ? hi - lo : .nan
    }

    /// Rows per reference block: the block's accumulators and each column's slice stay in L1.
    static let blockSize = 512

    /// Runs the search over every query row (both cores; results do not depend on the core count).
    public func run() -> NearestRecords {
        let chunks = Parallel.ranges(queryCount, chunks: Parallel.defaultChunkCount)
        let parts = Parallel.map(chunks.count) { k in search(rows: chunks[k]) }
        var result = NearestRecords(nearest: [], nearestRow: [], second: [], secondRow: [])
        result.nearest.reserveCapacity(queryCount)
        result.nearestRow.reserveCapacity(queryCount)
        result.second.reserveCapacity(queryCount)
        result.secondRow.reserveCapacity(queryCount)
        for part in parts {
            result.nearest += part.nearest
            result.nearestRow += part.nearestRow
            result.second += part.second
            result.secondRow += part.secondRow
        }
        return result
    }

    /// The top-2 neighbours of the query rows in `rows`.
    func search(rows: Range<Int>) -> NearestRecords {
        var out = NearestRecords(nearest: [], nearestRow: [], second: [], secondRow: [])
        out.nearest.reserveCapacity(rows.count)
        out.nearestRow.reserveCapacity(rows.count)
        out.second.reserveCapacity(rows.count)
        out.secondRow.reserveCapacity(rows.count)
        var accumulator = [Double](repeating: 0, count: Self.blockSize)
        let neverMatch = missing == .neverMatch
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
