/// Reads one input file into column accumulators, choosing the parser by format.
struct TableFileReader {
    /// How to read.
    struct Options: Sendable {
        var format: DataFormat
        var missingTokens: MissingTokens
        var forcedTypes: [String: ColumnType]
    }

    /// The format implied by a file name: `.csv`/`.txt`, `.tsv`/`.tab`, `.jsonl`/`.ndjson`, each optionally `.gz`.
    static func format(forPath path: String) -> DataFormat? {
        var name = path.lowercased()
        if name.hasSuffix(".gz") { name.removeLast(3) }
        if name.hasSuffix(".csv") || name.hasSuffix(".txt") { return .csv }
        if name.hasSuffix(".tsv") || name.hasSuffix(".tab") { return .tsv }
        if name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson") { return .jsonLines }
        return nil
    }

    /// Reads `path` completely.
    static func read(path: String, options: Options) throws -> (accumulator: TableAccumulator, source: DataSource) {
        let file = try ChunkedFileReader(path: path)
        var sink = TableAccumulator(path: path, missingTokens: options.missingTokens, forcedTypes: options.forcedTypes)
        let sawHeader: Bool
        switch options.format {
        case .delimited(let delimiter): sawHeader = try DelimitedReader(delimiter: delimiter).read(file, sink: &sink)
        case .jsonLines: sawHeader = try JSONLinesReader().read(file, sink: &sink)
        }
        guard sawHeader else { throw InputError.empty(path: path) }
        guard !sink.recordLines.isEmpty else { throw InputError.noDataRows(path: path) }
        let source = DataSource(path: path, format: options.format, byteCount: file.byteCount, isCompressed: file.isCompressed)
        return (sink, source)
    }
}
