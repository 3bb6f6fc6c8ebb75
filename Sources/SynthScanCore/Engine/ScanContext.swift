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
    /// One lock per digest key being (or once) computed, so that rules running at the same time
    /// compute the same digests once: the second waits for the first (see `digests(of:columns:)`).
    private var digestKeyLocks: [DigestKey: NSLock] = [:]
    private var salt: RecordDigest?
    private var neighbourCache: [NeighbourPass: NearestRecords] = [:]
    /// Passes some rule of this scan will ask for with the second-nearest record (see `expectSecondNearest`).
    private var secondNearestDemand: Set<NeighbourPass> = []
    private var passRuns: [NeighbourPassRun] = []
    private var shardParts: [ShardPart] = []
    /// The slice of every pass's query rows this process computes (`nil`: all of them).
    public let shard: ShardSlice?

    private struct DigestKey: Hashable {
        let table: TableRole
        let columns: [String]
    }

    /// Creates a context; with `shard`, nearest-record passes compute only that slice of their
    /// query rows (see `nearestRecords(_:)`).
    ///
    /// `passProgress`, when given, hears each nearest-record pass start (0 rows done), advance and
    /// finish, from worker threads (one call at a time per pass).
    public init(data: LoadedDatasets, configuration: ScanConfiguration, shard: ShardSlice? = nil,
                passProgress: (@Sendable (NeighbourPassProgress) -> Void)? = nil) {
        self.data = data
        self.configuration = configuration
        self.shard = shard
        self.passProgress = passProgress
    }

    private let passProgress: (@Sendable (NeighbourPassProgress) -> Void)?

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
        try nearestRecords(NeighbourPass(query, to: reference, distance: distance))
    }

    /// Declares passes that rules of this scan will ask for with the second-nearest record, so that
    /// a nearest-only request for the same tables and distance (`NeighbourPass.secondNearest ==
    /// false`) is answered by that one pass instead of a second search of the same tables.
    public func expectSecondNearest(_ passes: [NeighbourPass]) {
        lock.lock()
        defer { lock.unlock() }
        for pass in passes where pass.secondNearest { secondNearestDemand.insert(pass) }
    }

    /// Declares the two-neighbour passes of every rule in `rules` (`Check.secondNearestPasses`).
    /// A rule whose declaration fails (e.g. an unknown column) declares nothing; its own run reports the error.
    public func expectSecondNearest(for rules: [RuleDescriptor]) {
        for rule in rules {
            guard let type = CheckRegistry.type(kind: rule.check), type.usesNearestRecordPasses,
                  let passes = try? type.secondNearestPasses(rule: rule, context: self) else { continue }
            expectSecondNearest(passes)
        }
    }

    /// The pass that actually runs for a request: the two-neighbour version of a nearest-only
    /// request when that one is cached or declared, else the request itself.
    private func effectivePass(_ pass: NeighbourPass) -> NeighbourPass {
        guard !pass.secondNearest else { return pass }
        if hasResult(pass) { return pass }
        let full = pass.withSecondNearest
        return hasResult(full) || secondNearestDemand.contains(full) ? full : pass
    }

    /// Whether `pass` has run (or was preloaded); call with the lock held.
    private func hasResult(_ pass: NeighbourPass) -> Bool {
        neighbourCache[pass] != nil || shardParts.contains { $0.pass == pass }
    }

    /// The exact nearest (and, unless the pass asks for the nearest only, second-nearest) neighbours
    /// of every query row of `pass`, in the order of its query rows. Each distinct pass runs once per
    /// scan and every rule shares it; a pass given to `preload(_:_:)` (a merged sharded scan) is not
    /// run again. A nearest-only request may be answered by the two-neighbour pass (same nearest).
    ///
    /// In a sharded context only the shard's slice of the query rows is searched: the other
    /// entries are placeholders (distance 0, row 0) that no report may use, and the slice is kept
    /// for `shardParts`.
    public func nearestRecords(_ requested: NeighbourPass) throws(NearestRecordSearch.SearchError) -> NearestRecords {
        lock.lock()
        let pass = effectivePass(requested)
        if let cached = neighbourCache[pass] { lock.unlock(); return cached }
        if let part = shardParts.first(where: { $0.pass == pass }) { lock.unlock(); return Self.padded(part) }
        lock.unlock()
        guard let reference = data.table(pass.reference) else { throw .noColumns }
        let query: Table
        let rows: [Int]
        switch pass.query {
        case .table(let role):
            guard let table = data.table(role) else { throw .noColumns }
            query = table
            rows = Array(0..<table.rowCount)
        case .sample(let role, let stream, let count):
            guard let table = data.table(role) else { throw .noColumns }
            query = table
            rows = QuerySample.rows(of: table.rowCount, count: count, seed: configuration.seed, stream: stream)
        case .randomBaseline(let stream, let count):
            query = RandomBaselineTable.make(like: data.train, rows: count, seed: configuration.seed, stream: stream)
            rows = Array(0..<count)
        }
        // A bounded pass's radius: the nearest distances of the same query rows to the radius's table.
        let radius = try pass.radiusPass.map { radiusPass throws(NearestRecordSearch.SearchError) in try nearestRecords(radiusPass).nearest }
        let search = try NearestRecordSearch(query: query, reference: reference, train: data.train, distance: pass.distance,
                                             schema: schema, excludeSameRow: pass.excludesSameRow)
        let started = ProcessClock.now()
        let searched = shard.map { $0.range(of: rows.count).count } ?? rows.count
        var report: (@Sendable (Int) -> Void)?
        if let passProgress {
            let label = pass.label, startWall = started.wall
            passProgress(NeighbourPassProgress(pass: label, done: 0, total: searched, seconds: 0))
            report = { done in
                passProgress(NeighbourPassProgress(pass: label, done: done, total: searched, seconds: ProcessClock.now().wall - startWall))
            }
        }
        let result: NearestRecords
        if let shard {
            let slice = shard.range(of: rows.count)
            let part = ShardPart(pass: pass, queryCount: rows.count, range: slice,
                                 records: search.run(rows: Array(rows[slice]), secondNearest: pass.secondNearest,
                                                     radius: radius.map { Array($0[slice]) }, progress: report))
            result = Self.padded(part)
            lock.lock()
            shardParts.append(part)
            lock.unlock()
        } else {
            result = search.run(rows: rows, secondNearest: pass.secondNearest, radius: radius, progress: report)
        }
        let elapsed = ProcessClock.now().since(started)
        lock.lock()
        // A shard keeps only its slice (`shardParts`); the full-length placeholders are rebuilt for
        // each request instead of being cached, so a shard's memory grows with its slice, not the table.
        if shard == nil { neighbourCache[pass] = result }
        passRuns.append(NeighbourPassRun(pass: pass, queryRows: searched,
                                         referenceRows: reference.rowCount, wallSeconds: elapsed.wall, cpuSeconds: elapsed.cpu))
        lock.unlock()
        return result
    }

    /// A shard's slice at its place in a full-length result; the other rows are placeholders
    /// (distance 0, row 0) that a shard's discarded rule outcomes may read and no report uses.
    private static func padded(_ part: ShardPart) -> NearestRecords {
        let n = part.queryCount, slice = part.range
        var padded = NearestRecords(nearest: .init(repeating: 0, count: n), nearestRow: .init(repeating: 0, count: n),
                                    second: .init(repeating: 0, count: n), secondRow: .init(repeating: 0, count: n))
        padded.nearest.replaceSubrange(slice, with: part.records.nearest)
        padded.nearestRow.replaceSubrange(slice, with: part.records.nearestRow)
        padded.second.replaceSubrange(slice, with: part.records.second)
        padded.secondRow.replaceSubrange(slice, with: part.records.secondRow)
        return padded
    }

    /// Installs the complete result of `pass` (e.g. merged from shards) so that it is not run again.
    public func preload(_ pass: NeighbourPass, _ records: NearestRecords) {
        lock.lock()
        neighbourCache[pass] = records
        lock.unlock()
    }

    /// The passes this context ran, in order, with their sizes and times (for benchmarks and logs).
    public var neighbourPassRuns: [NeighbourPassRun] {
        lock.lock()
        defer { lock.unlock() }
        return passRuns
    }

    /// The slices a sharded context computed, in the order the passes ran.
    public var computedShardParts: [ShardPart] {
        lock.lock()
        defer { lock.unlock() }
        return shardParts
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

    /// Digests of every row of `table` over `columns` (cached; computed once even when two rules
    /// ask at the same time).
    ///
    /// The computation holds only its key's lock, never `lock`: requests for other keys, passes and
    /// the salt go on meanwhile. It takes no other lock (the hasher never calls back into the
    /// context), so waiting for a key's lock cannot deadlock.
    public func digests(of table: Table, columns: [String]) -> [RecordDigest] {
        let hasher = hasher(columns: columns)
        let key = DigestKey(table: table.role, columns: hasher.columnNames)
        lock.lock()
        if let cached = digestCache[key] { lock.unlock(); return cached }
        let keyLock = digestKeyLocks[key] ?? NSLock()
        digestKeyLocks[key] = keyLock
        lock.unlock()
        keyLock.lock()
        defer { keyLock.unlock() }
        // Another caller may have computed them while this one waited for the key.
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
