/// A problem with an input table. Messages name the file, line and column, never a value.
public enum InputError: Error, Equatable, CustomStringConvertible {
    /// The path does not exist.
    case fileNotFound(path: String)
    /// The path is a directory.
    case isDirectory(path: String)
    /// The file exists but cannot be read.
    case unreadable(path: String, reason: String)
    /// The file holds no bytes (or only blank lines).
    case empty(path: String)
    /// The file has a header but no data rows.
    case noDataRows(path: String)
    /// A header cell is empty.
    case emptyColumnName(path: String, line: Int, field: Int)
    /// Two header cells have the same name.
    case duplicateColumnName(path: String, line: Int, name: String, firstField: Int, secondField: Int)
    /// A record has a different number of fields from the header.
    case raggedRow(path: String, line: Int, expected: Int, found: Int)
    /// A quoted field is never closed.
    case unterminatedQuote(path: String, line: Int, column: Int)
    /// A character follows a closing quote where a delimiter or line end was expected.
    case characterAfterQuote(path: String, line: Int, column: Int)
    /// A field is not valid UTF-8.
    case invalidUTF8(path: String, line: Int, field: String)
    /// A value does not fit the type the configuration forces on its column.
    case valueDoesNotMatchType(path: String, line: Int, field: String, expected: ColumnType)
    /// A JSON Lines record is malformed.
    case invalidJSON(path: String, line: Int, column: Int, reason: String)
    /// The gzip stream is corrupt or truncated.
    case corruptCompressedData(path: String, reason: String)
    /// A file is too large for the row or line counters.
    case tooLarge(path: String, reason: String)

    public var description: String {
        switch self {
        case .fileNotFound(let p): "\(p): error: no such file"
        case .isDirectory(let p): "\(p): error: is a directory, expected a data file"
        case .unreadable(let p, let r): "\(p): error: cannot read file: \(r)"
        case .empty(let p): "\(p): error: file is empty (expected a header row and data rows)"
        case .noDataRows(let p): "\(p): error: file has a header but no data rows"
        case .emptyColumnName(let p, let l, let f): "\(p):\(l): error: header field \(f) is empty; every column needs a name"
        case .duplicateColumnName(let p, let l, let n, let a, let b):
            "\(p):\(l): error: column name '\(n)' appears twice in the header (fields \(a) and \(b))"
        case .raggedRow(let p, let l, let e, let f):
            "\(p):\(l): error: record has \(f) field\(f == 1 ? "" : "s"), the header has \(e)"
        case .unterminatedQuote(let p, let l, let c): "\(p):\(l):\(c): error: quoted field is never closed"
        case .characterAfterQuote(let p, let l, let c):
            "\(p):\(l):\(c): error: unexpected character after a closing quote (expected a delimiter or end of line)"
        case .invalidUTF8(let p, let l, let f): "\(p):\(l): error: column '\(f)' holds bytes that are not valid UTF-8"
        case .valueDoesNotMatchType(let p, let l, let f, let t):
            "\(p):\(l): error: column '\(f)' is configured as \(t.rawValue) but this value does not read as \(t.rawValue)"
        case .invalidJSON(let p, let l, let c, let r): "\(p):\(l):\(c): error: \(r)"
        case .corruptCompressedData(let p, let r): "\(p): error: corrupt gzip data: \(r)"
        case .tooLarge(let p, let r): "\(p): error: file too large: \(r)"
        }
    }
}
