/// One loaded table (train, holdout or synthetic), columnar, aligned to the shared `Schema`.
///
/// `columns[i]` holds the values of `schema.columns[i]`, whatever the order in the file.
public struct Table: Sendable {
    /// Which of the three tables this is.
    public let role: TableRole
    /// Where the data came from.
    public let source: DataSource
    /// The columns, in schema order.
    public let columns: [Column]
    /// Number of data rows (records).
    public let rowCount: Int
    /// The 1-based line of the file on which each record starts (the header and multi-line
    /// quoted fields counted), so findings can point at the exact line.
    public let recordLines: [Int]

    /// Creates a table.
    public init(role: TableRole, source: DataSource, columns: [Column], rowCount: Int, recordLines: [Int]) {
        self.role = role
        self.source = source
        self.columns = columns
        self.rowCount = rowCount
        self.recordLines = recordLines
    }

    /// The column called `name`, if any.
    public func column(named name: String) -> Column? {
        columns.first { $0.name == name }
    }
}

/// Where a table came from and how it was read.
public struct DataSource: Sendable, Equatable {
    /// The path as the user gave it (resolved against the config file's folder where relevant).
    public let path: String
    /// The format it was read as.
    public let format: DataFormat
    /// Size of the file on disk, in bytes.
    public let byteCount: Int
    /// Whether the file was gzip-compressed.
    public let isCompressed: Bool

    /// Creates a data source description.
    public init(path: String, format: DataFormat, byteCount: Int, isCompressed: Bool) {
        self.path = path
        self.format = format
        self.byteCount = byteCount
        self.isCompressed = isCompressed
    }
}

/// A file format synthscan reads.
public enum DataFormat: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Delimited text with a header row (RFC 4180 quoting); the delimiter is one byte.
    case delimited(delimiter: UInt8)
    /// JSON Lines: one flat JSON object per line.
    case jsonLines

    /// Comma-separated values.
    public static let csv = DataFormat.delimited(delimiter: UInt8(ascii: ","))
    /// Tab-separated values.
    public static let tsv = DataFormat.delimited(delimiter: UInt8(ascii: "\t"))

    public var description: String {
        switch self {
        case .delimited(let d) where d == UInt8(ascii: ","): "csv"
        case .delimited(let d) where d == UInt8(ascii: "\t"): "tsv"
        case .delimited(let d): "delimited(\(Character(Unicode.Scalar(d))))"
        case .jsonLines: "jsonl"
        }
    }
}
