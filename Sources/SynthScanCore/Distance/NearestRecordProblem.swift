/// One nearest-record search, encoded for the kernels: the compared columns (query and reference
/// values, numeric scale, weight) in canonical order, and how column distances combine.
///
/// Both kernels (`BruteForceNearestRecordSearch`, the reference, and `NearestRecordSearch`, the
/// pruned one) read this, so they agree on every input by construction.
struct NearestRecordProblem: Sendable {
    /// One column as the kernels read it.
    enum EncodedColumn: Sendable {
        /// Numeric or datetime values, NaN = missing; `scale` = 1 / range, or 0 for equality comparison.
        case numeric(query: [Double], reference: [Double], scale: Double, weight: Double)
        /// Codes (shared dictionary), `Column.missingCode` = missing.
        case coded(query: [UInt32], reference: [UInt32], weight: Double)

        /// The column's weight.
        var weight: Double {
            switch self {
            case .numeric(_, _, _, let w), .coded(_, _, let w): w
            }
        }
    }

    let columns: [EncodedColumn]
    let queryCount: Int
    let referenceCount: Int
    let normaliser: Double
    let missing: RecordDistance.MissingPolicy
    let excludeSameRow: Bool

    /// Encodes a search of `query` rows against `reference` rows; `train` supplies ranges when the distance asks for it.
    init(query: Table, reference: Table, train: Table, distance: RecordDistance, schema: Schema,
         excludeSameRow: Bool) throws(NearestRecordSearch.SearchError) {
        let names = try NearestRecordSearch.columns(of: distance, schema: schema)
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
}

/// The running nearest and second-nearest of one query row, ordered by (distance, reference row):
/// the lowest row wins a tie. Offering rows in any order gives the same pair as the reference
/// kernel's ascending scan with strict `<`, which keeps exactly the two smallest (distance, row).
struct TopTwo {
    var d1 = Double.infinity, d2 = Double.infinity
    var i1: Int32 = -1, i2: Int32 = -1
    /// The row index of a radius search's sentinel neighbour: above every real row, so a real row
    /// at exactly the radius wins the tie.
    static let sentinelRow = Int32.max

    /// Considers reference row `row` at distance `d` (NaN never enters, as in the reference kernel).
    @inline(__always)
    mutating func offer(_ d: Double, _ row: Int32) {
        if d < d1 || (d == d1 && row < i1) {
            d2 = d1; i2 = i1
            d1 = d; i1 = row
        } else if d < d2 || (d == d2 && row < i2) {
            d2 = d; i2 = row
        }
    }
}
