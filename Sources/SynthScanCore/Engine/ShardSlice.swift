import Foundation

/// Shard `index` of `count` (0-based): the contiguous slice of every nearest-record pass's query
/// rows that one process of a sharded scan computes. Slices of the same pass are disjoint and
/// cover its rows, whatever the table size.
public struct ShardSlice: Hashable, Sendable, Codable, CustomStringConvertible {
    /// 0-based shard index, `0..<count`.
    public let index: Int
    /// Number of shards.
    public let count: Int

    /// Creates shard `index` of `count`; `nil` unless `0 ≤ index < count`.
    public init?(index: Int, count: Int) {
        guard count > 0, index >= 0, index < count else { return nil }
        self.index = index
        self.count = count
    }

    /// The positions of this shard among `total` query rows: `⌊total·k/N⌋ ..< ⌊total·(k+1)/N⌋`.
    public func range(of total: Int) -> Range<Int> {
        (total * index / count)..<(total * (index + 1) / count)
    }

    /// `K/N` with a 1-based K, as users write it.
    public var description: String { "\(index + 1)/\(count)" }
}

/// One shard's slice of one nearest-record pass.
public struct ShardPart: Sendable {
    /// The pass.
    public let pass: NeighbourPass
    /// Query rows of the whole pass.
    public let queryCount: Int
    /// The positions this slice covers.
    public let range: Range<Int>
    /// Their neighbours, entry `i` for position `range.lowerBound + i`.
    public let records: NearestRecords

    /// Creates a part.
    public init(pass: NeighbourPass, queryCount: Int, range: Range<Int>, records: NearestRecords) {
        self.pass = pass
        self.queryCount = queryCount
        self.range = range
        self.records = records
    }
}

/// One nearest-record pass as it ran: sizes and times, for benchmarks and progress logs.
public struct NeighbourPassRun: Sendable {
    /// The pass.
    public let pass: NeighbourPass
    /// Query rows searched (a shard's slice in a sharded scan).
    public let queryRows: Int
    /// Rows of the reference table.
    public let referenceRows: Int
    /// Wall-clock seconds.
    public let wallSeconds: Double
    /// CPU seconds of the whole process over the same interval (all threads).
    public let cpuSeconds: Double
}

/// Wall and process CPU clocks, read together.
struct ProcessClock {
    let wall: Double
    let cpu: Double

    static func now() -> ProcessClock {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        return ProcessClock(wall: Date().timeIntervalSinceReferenceDate, cpu: cpu)
    }

    /// Seconds elapsed since `start`.
    func since(_ start: ProcessClock) -> (wall: Double, cpu: Double) { (wall - start.wall, cpu - start.cpu) }
}

/// How far a nearest-record pass has got: names and counts only.
public struct NeighbourPassProgress: Sendable, Equatable {
    /// The pass's tables, e.g. `synthetic→train` (`NeighbourPass.label`).
    public let pass: String
    /// Query rows finished.
    public let done: Int
    /// Query rows to search.
    public let total: Int
    /// Wall seconds since the pass started.
    public let seconds: Double
}
