/// One column of one table, stored column-wise.
public struct Column: Sendable {
    /// Code used for a missing value in coded storage.
    public static let missingCode: UInt32 = .max

    /// Column name as written in the header (trimmed).
    public let name: String
    /// Type shared by all three tables.
    public let type: ColumnType
    /// The values.
    public let storage: ColumnStorage

    /// Creates a column.
    public init(name: String, type: ColumnType, storage: ColumnStorage) {
        self.name = name
        self.type = type
        self.storage = storage
    }

    /// Number of rows.
    public var count: Int {
        switch storage {
        case .numeric(let values, _): values.count
        case .coded(let codes, _): codes.count
        }
    }

    /// Whether `row` holds no value.
    public func isMissing(_ row: Int) -> Bool {
        switch storage {
        case .numeric(_, let missing): missing.isMissing(row)
        case .coded(let codes, _): codes[row] == Column.missingCode
        }
    }

    /// Number of missing values.
    public var missingCount: Int {
        switch storage {
        case .numeric(_, let missing): missing.missingCount
        case .coded(let codes, _): codes.reduce(0) { $0 + ($1 == Column.missingCode ? 1 : 0) }
        }
    }
}

/// The physical layout of a column's values.
public enum ColumnStorage: Sendable {
    /// Float64 values (numeric and datetime); a missing row holds 0 and is marked in the mask.
    case numeric(values: [Double], missing: MissingMask)
    /// Codes into a dictionary shared across tables (categorical, text, boolean);
    /// `Column.missingCode` marks a missing value.
    case coded(codes: [UInt32], dictionary: CategoryDictionary)
}
