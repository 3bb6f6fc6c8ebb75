import CXXHash
import Foundation

/// The three tables, their roles and the shared artefacts that checks need, each computed once.
///
/// Checks ask the context for record digests over a column set; the first request computes
/// them (in parallel over rows) and later requests reuse them.
public final class ScanContext: @unchecked Sendable {
    /// The loaded, aligned tables.
    public let data: LoadedDatasets
    /// The configuration the scan runs with.
    public let configuration: ScanConfiguration
    private let lock = NSLock()
    private var digestCache: [DigestKey: [RecordDigest]] = [:]
    private var salt: RecordDigest?
    private var neighbourCache: [NeighbourKey: NearestRecords] = [:]

    private struct NeighbourKey: Hashable {
        let query: TableRole
        let reference: TableRole
        let distance: RecordDistance
    }

    private struct DigestKey: Hashable {
        let table: TableRole
        let columns: [String]
    }

    /// Creates a context.
    public init(data: LoadedDatasets, configuration: ScanConfiguration) {
        self.data = data
        self.configuration = configuration
    }

    /// The schema.
    public var schema: Schema { data.schema }

    /// The columns a record is compared on by default (no identifiers, ignored or text columns).
    public var comparableColumns: [String] { data.schema.comparableColumnNames }

    /// A hasher over `columns` with the configured per-column rounding.
    public func hasher(columns: [String]) -> RecordHasher {
        var rounding: [String: Int] = [:]
        for name in columns { if let d = configuration.columns[name]?.roundDigits { rounding[name] = d } }
        return RecordHasher(columns: columns, rounding: rounding)
    }

    /// The exact nearest and second-nearest `reference` record of every `query` record (cached per
    /// query table, reference table and distance: the pass runs once and every rule shares it).
    ///
    /// When query and reference are the same table, a row is not its own neighbour (leave-one-out).
    public func nearestRecords(query: TableRole, reference: TableRole,
                               distance: RecordDistance = .gower) throws(NearestRecordSearch.SearchError) -> NearestRecords {
        let key = NeighbourKey(query: query, reference: reference, distance: distance)
        lock.lock()
        if let cached = neighbourCache[key] { lock.unlock(); return cached }
        lock.unlock()
        guard let q = data.table(query), let r = data.table(reference) else { throw .noColumns }
        let search = try NearestRecordSearch(query: q, reference: r, train: data.train, distance: distance, schema: schema,
                                             excludeSameRow: query == reference)
        let result = search.run()
        lock.lock()
        neighbourCache[key] = result
        lock.unlock()
        return result
    }

    /// A digest as reports may print it: XXH3-128 of a salt and `digest`.
    ///
    /// Plain digests of short values (an SSN, an MRN, a record of a few columns) can be reversed
    /// by trying every possible value. The salt is derived from every real record (an
    /// order-independent sum of the train and holdout digests), so the printed digest is stable
    /// across runs and row orders of the same data, and whoever holds the real data can recompute
    /// it, but a reader of the report alone cannot test guesses against it.
    public func published(_ digest: RecordDigest) -> RecordDigest {
        let salt = reportSalt()
        var bytes = [UInt8](repeating: 0, count: 32)
        for i in 0..<8 {
            bytes[i] = UInt8(truncatingIfNeeded: salt.high >> (8 * i))
            bytes[8 + i] = UInt8(truncatingIfNeeded: salt.low >> (8 * i))
            bytes[16 + i] = UInt8(truncatingIfNeeded: digest.high >> (8 * i))
            bytes[24 + i] = UInt8(truncatingIfNeeded: digest.low >> (8 * i))
        }
        let h = bytes.withUnsafeBytes { XXH3_128bits($0.baseAddress, $0.count) }
        return RecordDigest(high: h.high64, low: h.low64)
    }

    /// The report salt (computed once).
    private func reportSalt() -> RecordDigest {
        lock.lock()
        if let salt { lock.unlock(); return salt }
        lock.unlock()
        var high: UInt64 = 0, low: UInt64 = 0
        var count: UInt64 = 0
        for table in [data.train] + (data.holdout.map { [$0] } ?? []) {
            for d in digests(of: table, columns: data.schema.columns.map(\.name)) {
                high &+= d.high
                low &+= d.low
                count &+= 1
            }
        }
        var text = Array("synthscan-report-salt-v1".utf8)
        for v in [high, low, count] { for i in 0..<8 { text.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
        let h = text.withUnsafeBytes { XXH3_128bits($0.baseAddress, $0.count) }
        let computed = RecordDigest(high: h.high64, low: h.low64)
        lock.lock()
        salt = computed
        lock.unlock()
        return computed
    }

    /// Digests of every row of `table` over `columns` (cached).
    public func digests(of table: Table, columns: [String]) -> [RecordDigest] {
        let hasher = hasher(columns: columns)
        let key = DigestKey(table: table.role, columns: hasher.columnNames)
        lock.lock()
        if let cached = digestCache[key] { lock.unlock(); return cached }
        lock.unlock()
        let digests = hasher.digests(of: table)
        lock.lock()
        digestCache[key] = digests
        lock.unlock()
        return digests
    }
}
