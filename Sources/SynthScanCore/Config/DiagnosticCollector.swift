import Yams

/// A 1-based line and column in a source file.
public struct SourcePosition: Sendable, Equatable, Comparable {
    /// 1-based line.
    public var line: Int
    /// 1-based column, counted in Unicode scalars (as libyaml does).
    public var column: Int

    /// Creates a position.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// The position of a Yams mark.
    public init(_ mark: Mark) {
        self.init(line: mark.line, column: mark.column)
    }

    /// Orders positions by line, then column.
    public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

/// Gathers every problem found while reading one file, so they can all be reported at once.
public final class DiagnosticCollector {
    /// The file the problems are in, as the user named it.
    public let file: String
    /// The problems, in the order they were found.
    public private(set) var diagnostics: [ConfigDiagnostic] = []

    /// Creates an empty collector for `file`.
    public init(file: String) {
        self.file = file
    }

    /// Whether nothing has been reported.
    public var isEmpty: Bool { diagnostics.isEmpty }

    /// Records a problem at a position (or at no particular position).
    public func report(_ code: DiagnosticCode, _ message: String, at position: SourcePosition?) {
        diagnostics.append(ConfigDiagnostic(file: file, line: position?.line, column: position?.column,
                                            code: code, message: message))
    }

    /// Records a problem at a YAML node's position.
    public func report(_ code: DiagnosticCode, _ message: String, at node: Node) {
        report(code, message, at: node.mark.map(SourcePosition.init))
    }

    /// The problems sorted by position (file-level ones first), keeping discovery order for ties.
    public var sortedDiagnostics: [ConfigDiagnostic] {
        diagnostics.enumerated().sorted { lhs, rhs in
            let left = (lhs.element.line ?? 0, lhs.element.column ?? 0, lhs.offset)
            let right = (rhs.element.line ?? 0, rhs.element.column ?? 0, rhs.offset)
            return left < right
        }.map(\.element)
    }

    /// Throws `ConfigurationError.invalid` with every problem if any was reported.
    public func throwIfAny() throws(ConfigurationError) {
        if !diagnostics.isEmpty { throw .invalid(sortedDiagnostics) }
    }
}
