/// Why a configuration (or another strictly read YAML file) could not be loaded.
///
/// `description` prints one clang-style line per problem, e.g.
/// `synthscan.yaml:12:5: error: unknown key 'identifers' in 'roles' (did you mean 'identifiers'?) [unknown-key]`.
public enum ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No file exists at the path.
    case fileNotFound(path: String)
    /// The path names a directory.
    case isDirectory(path: String)
    /// The file exists but could not be opened or read.
    case unreadable(path: String, reason: String)
    /// The file is larger than `limit` bytes (`byteCount` is its size, when the file system reports one).
    case fileTooLarge(path: String, byteCount: Int?, limit: Int)
    /// The file is not UTF-8; the position is that of the first invalid byte.
    case notUTF8(path: String, line: Int, column: Int)
    /// The file was read but its content has one or more problems (sorted by position).
    case invalid([ConfigDiagnostic])

    /// Every problem as a diagnostic (file-level problems have no line or column).
    public var diagnostics: [ConfigDiagnostic] {
        switch self {
        case .fileNotFound(let path):
            return [ConfigDiagnostic(file: path, code: .fileNotFound, message: "no such file")]
        case .isDirectory(let path):
            return [ConfigDiagnostic(file: path, code: .isDirectory, message: "is a directory, not a YAML file")]
        case .unreadable(let path, let reason):
            return [ConfigDiagnostic(file: path, code: .unreadable, message: "cannot read file: \(reason)")]
        case .fileTooLarge(let path, let byteCount, let limit):
            let size = byteCount.map { "\($0) bytes" } ?? "more than \(limit) bytes"
            return [ConfigDiagnostic(file: path, code: .fileTooLarge,
                                     message: "file is too large (\(size); the limit is \(limit) bytes)")]
        case .notUTF8(let path, let line, let column):
            return [ConfigDiagnostic(file: path, line: line, column: column, code: .notUTF8,
                                     message: "file is not valid UTF-8")]
        case .invalid(let diagnostics):
            return diagnostics
        }
    }

    /// One clang-style line per problem.
    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
