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
