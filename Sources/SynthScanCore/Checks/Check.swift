/// A built-in check kind: the Swift code a rule runs. Pure: same context and parameters, same outcome.
public protocol Check: Sendable {
    /// The kind name rules refer to in their `check:` field, e.g. `exact-copy`.
    static var kind: String { get }
    /// The parameters this kind accepts, with defaults and documentation.
    static var parameters: [ParameterSpec] { get }
    /// Runs the check for `rule` (whose `parameters` hold the effective values as text).
    func run(rule: RuleDescriptor, context: ScanContext) throws -> RuleOutcome
}

/// Declares one parameter of a check kind.
public struct ParameterSpec: Sendable, Equatable {
    /// Parameter name (snake_case).
    public let name: String
    /// What it does.
    public let doc: String
    /// Default value, as text.
    public let defaultValue: String

    /// Creates a parameter declaration.
    public init(name: String, doc: String, defaultValue: String) {
        self.name = name
        self.doc = doc
        self.defaultValue = defaultValue
    }
}

/// A rule whose check could not run with the given data or parameters.
public enum CheckError: Error, Equatable, CustomStringConvertible {
    /// A parameter value is not valid.
    case invalidParameter(rule: String, name: String, reason: String)
    /// A parameter names a column the data does not have.
    case unknownColumn(rule: String, column: String)

    public var description: String {
        switch self {
        case .invalidParameter(let r, let n, let reason): "error: rule '\(r)': parameter '\(n)' \(reason)"
        case .unknownColumn(let r, let c): "error: rule '\(r)': column '\(c)' is not in the data"
        }
    }
}
