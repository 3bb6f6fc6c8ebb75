/// A stable, machine-readable name for one kind of configuration problem (printed as `[code]`).
public struct DiagnosticCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The code as printed, e.g. `unknown-key`.
    public let rawValue: String

    /// Creates a code from its printed name.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Creates a code from a string literal.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// The code as printed.
    public var description: String { rawValue }

    /// A key the reader does not know.
    public static let unknownKey: DiagnosticCode = "unknown-key"
    /// A required key is absent.
    public static let missingKey: DiagnosticCode = "missing-key"
    /// The same key appears twice in one mapping.
    public static let duplicateKey: DiagnosticCode = "duplicate-key"
    /// The same entry appears twice in one list.
    public static let duplicateEntry: DiagnosticCode = "duplicate-entry"
    /// A value of the wrong YAML type (a list where a string was expected, ...).
    public static let wrongType: DiagnosticCode = "wrong-type"
    /// A value of the right type that is not allowed (unknown choice, out of range, ...).
    public static let invalidValue: DiagnosticCode = "invalid-value"
    /// The YAML itself could not be parsed.
    public static let yamlSyntax: DiagnosticCode = "yaml-syntax"
    /// YAML anchors/aliases that the file's limits do not allow.
    public static let yamlAlias: DiagnosticCode = "yaml-alias"
    /// A format version newer than this build understands.
    public static let unsupportedVersion: DiagnosticCode = "unsupported-version"
    /// The file does not exist.
    public static let fileNotFound: DiagnosticCode = "file-not-found"
    /// A directory was given where a file was expected.
    public static let isDirectory: DiagnosticCode = "is-directory"
    /// The file exists but could not be read.
    public static let unreadable: DiagnosticCode = "unreadable"
    /// The file is larger than the reader accepts.
    public static let fileTooLarge: DiagnosticCode = "file-too-large"
    /// The file is not valid UTF-8.
    public static let notUTF8: DiagnosticCode = "not-utf8"
}

/// One problem in a configuration (or rule pack) file, with its position, printed in clang style.
public struct ConfigDiagnostic: Sendable, Equatable, CustomStringConvertible {
    /// The file, as the user named it.
    public var file: String
    /// 1-based line, if the problem has a position.
    public var line: Int?
    /// 1-based column (in Unicode scalars), if the problem has a position.
    public var column: Int?
    /// How serious the problem is.
    public var severity: Severity
    /// Stable code of the problem kind.
    public var code: DiagnosticCode
    /// Human-readable explanation.
    public var message: String

    /// Creates a diagnostic.
    public init(file: String, line: Int? = nil, column: Int? = nil, severity: Severity = .error,
                code: DiagnosticCode, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.severity = severity
        self.code = code
        self.message = message
    }

    /// `file:line:column: error: message [code]` (the position is left out when unknown).
    public var description: String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        return "\(location): \(severity.rawValue): \(message) [\(code)]"
    }
}
