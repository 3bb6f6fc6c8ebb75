/// What a `BenchmarkTableWriter` call produced.
public struct BenchmarkWriteSummary: Sendable, Equatable {
    /// The file written.
    public let path: String
    /// Data rows written (the header not counted).
    public let rowCount: Int
    /// Total bytes written, header included.
    public let byteCount: Int
    /// Planted exact copies (empty for a plain table), sorted by target row.
    public let copies: [BenchmarkPlantedCopy]
}

/// Streams a `BenchmarkTable` to a CSV file (header plus `rowCount` rows, LF line endings)
/// in fixed-size chunks, so memory use stays constant however many rows are written.
///
/// A "synthetic" variant replaces chosen rows by exact copies (all columns but `record_id`)
/// of rows of another table, typically the training table written with a different seed:
///
/// ```swift
/// try BenchmarkTableWriter(table: BenchmarkTable(seed: 1)).write(rowCount: 1_000_000, to: "train.csv")
/// let plan = try BenchmarkCopyPlan.scattered(copyCount: 500, sourceSeed: 1, sourceRowCount: 1_000_000,
///                                            targetRowCount: 1_000_000, planSeed: 3)
/// try BenchmarkTableWriter(table: BenchmarkTable(seed: 2, idPrefix: "S-"))
///     .write(rowCount: 1_000_000, to: "synthetic.csv", copies: plan)
/// ```
public struct BenchmarkTableWriter: Sendable {
    /// The table whose rows are written.
    public let table: BenchmarkTable
    /// Bytes buffered before each write to disk.
    public let chunkByteCount: Int

    /// Creates a writer for `table`, flushing roughly every `chunkByteCount` bytes.
    public init(table: BenchmarkTable, chunkByteCount: Int = 1 << 20) {
        self.table = table
        self.chunkByteCount = Swift.max(4_096, chunkByteCount)
    }

    /// Writes the header and data rows `0..<rowCount` of the table to `path` (replacing it).
    /// - Throws: `ExamplesError.invalidArgument` for a negative row count, `ExamplesError.io`
    ///   if the file cannot be created or written.
    @discardableResult
    public func write(rowCount: Int, to path: String) throws -> BenchmarkWriteSummary {
        try write(rowCount: rowCount, to: path, copies: BenchmarkCopyPlan(sourceSeed: table.seed, copies: []))
    }

    /// Writes the table like `write(rowCount:to:)`, except that each row named by `plan` holds
    /// the content of its source row of the table seeded `plan.sourceSeed` (its `record_id`
    /// stays this table's identifier for that row).
    /// - Throws: `ExamplesError.invalidArgument` if the row count is negative or a copy targets
    ///   a row at or beyond `rowCount`; `ExamplesError.io` on file errors.
    @discardableResult
    public func write(rowCount: Int, to path: String, copies plan: BenchmarkCopyPlan) throws -> BenchmarkWriteSummary {
        guard rowCount >= 0 else {
            throw ExamplesError.invalidArgument("row count must be non-negative, got \(rowCount)")
        }
        if let outside = plan.copies.first(where: { $0.targetIndex >= rowCount }) {
            throw ExamplesError.invalidArgument("copy targets row index \(outside.targetIndex) but only \(rowCount) rows are written")
        }
        let sink = try FileSink(path: path)
        do {
            try stream(rowCount: rowCount, plan: plan, into: sink)
        } catch {
            try? sink.close()
            throw error
        }
        try sink.close()
        return BenchmarkWriteSummary(path: path, rowCount: rowCount, byteCount: sink.byteCount, copies: plan.copies)
    }

    private func stream(rowCount: Int, plan: BenchmarkCopyPlan, into sink: FileSink) throws {
        let prefix = Array(table.idPrefix.utf8)
        var buffer = BenchmarkTable.headerBytes
        buffer.reserveCapacity(chunkByteCount + 1_024)
        var nextCopy = 0
        for index in 0..<rowCount {
            if nextCopy < plan.copies.count && plan.copies[nextCopy].targetIndex == index {
                table.appendRow(index: index, prefix: prefix, contentSeed: plan.sourceSeed,
                                contentIndex: plan.copies[nextCopy].sourceIndex, to: &buffer)
                nextCopy += 1
            } else {
                table.appendRow(index: index, prefix: prefix, contentSeed: table.seed, contentIndex: index, to: &buffer)
            }
            if buffer.count >= chunkByteCount {
                try sink.write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if !buffer.isEmpty {
            try sink.write(buffer)
        }
    }
}
