import Yams

/// Reads typed values from YAML nodes strictly, reporting each problem (with its position) to a collector.
///
/// Every reader returns `nil` after reporting a problem, so callers keep going and all problems in a
/// file are found in one pass. `path` names the value in messages (e.g. `roles.outcome.column`).
public struct YAMLValueReader {
    /// Where problems go.
    public let diagnostics: DiagnosticCollector

    /// Creates a reader reporting into `diagnostics`.
    public init(diagnostics: DiagnosticCollector) {
        self.diagnostics = diagnostics
    }

    /// Any non-null scalar, as written (`1`, `yes` and `data.csv` all read as text).
    public func string(_ node: Node, at path: String, nonEmpty: Bool = false) -> String? {
        guard case .scalar(let scalar) = node, !YAMLNodeKind.isNull(node) else {
            reportWrongType(node, at: path, expected: "a string")
            return nil
        }
        if nonEmpty, scalar.string.isEmpty {
            reportInvalid(node, at: path, value: "", expected: "a non-empty string")
            return nil
        }
        return scalar.string
    }

    /// A YAML boolean (`true`/`false`; also `yes`/`no`/`on`/`off` unquoted).
    public func bool(_ node: Node, at path: String) -> Bool? {
        guard case .scalar(let scalar) = node, YAMLNodeKind.isScalar(node, tagged: .bool),
              let value = Bool.construct(from: scalar) else {
            reportWrongType(node, at: path, expected: "a boolean (true or false)")
            return nil
        }
        return value
    }

    /// A decimal integer (underscores allowed), optionally within `range`.
    public func int(_ node: Node, at path: String, in range: ClosedRange<Int>? = nil) -> Int? {
        let expected = range.map { "an integer from \($0.lowerBound) to \($0.upperBound)" } ?? "an integer"
        guard case .scalar(let scalar) = node, YAMLNodeKind.isScalar(node, tagged: .int) else {
            reportWrongType(node, at: path, expected: expected)
            return nil
        }
        guard let value = Int(scalar.string.replacingOccurrences(of: "_", with: "")) ?? Int.construct(from: scalar),
              range?.contains(value) ?? true else {
            reportInvalid(node, at: path, value: scalar.string, expected: expected)
            return nil
        }
        return value
    }

    /// A non-negative integer that fits in 64 bits.
    public func uint64(_ node: Node, at path: String) -> UInt64? {
        let expected = "a non-negative integer"
        guard case .scalar(let scalar) = node, YAMLNodeKind.isScalar(node, tagged: .int) else {
            reportWrongType(node, at: path, expected: expected)
            return nil
        }
        let digits = scalar.string.replacingOccurrences(of: "_", with: "")
        guard !digits.hasPrefix("-"), let value = UInt64(digits) ?? UInt64.construct(from: scalar) else {
            let bound = digits.hasPrefix("-") ? "" : " no larger than \(UInt64.max)"
            reportInvalid(node, at: path, value: scalar.string, expected: expected + bound)
            return nil
        }
        return value
    }

    /// A number (integer or floating point, including `.inf` and `.nan`).
    public func double(_ node: Node, at path: String) -> Double? {
        guard case .scalar(let scalar) = node,
              YAMLNodeKind.isScalar(node, tagged: .float) || YAMLNodeKind.isScalar(node, tagged: .int),
              let value = Double.construct(from: scalar) else {
            reportWrongType(node, at: path, expected: "a number")
            return nil
        }
        return value
    }

    /// One of `allowed`, as written; suggests the closest allowed value on a typo.
    public func choice(_ node: Node, at path: String, from allowed: [String]) -> String? {
        let list = allowed.joined(separator: ", ")
        guard case .scalar(let scalar) = node, !YAMLNodeKind.isNull(node) else {
            reportWrongType(node, at: path, expected: "one of: \(list)")
            return nil
        }
        guard allowed.contains(scalar.string) else {
            var expected = "one of: \(list)"
            if let guess = EditDistance.suggestion(for: scalar.string, among: allowed) {
                expected += "; did you mean '\(guess)'?"
            }
            reportInvalid(node, at: path, value: scalar.string, expected: expected)
            return nil
        }
        return scalar.string
    }

    /// A case of a string-backed enum, by raw value (allowed values listed in declaration order).
    public func enumValue<E: RawRepresentable & CaseIterable>(_ node: Node, at path: String, as type: E.Type) -> E?
    where E.RawValue == String {
        choice(node, at: path, from: E.allCases.map(\.rawValue)).flatMap(E.init(rawValue:))
    }

    /// A list of strings; a single scalar counts as a one-entry list. Entries are taken as written.
    ///
    /// With `unique`, an entry repeated in the list is a `duplicate-entry` problem; with `nonEmpty`, so is "".
    public func stringList(_ node: Node, at path: String, unique: Bool = false, nonEmpty: Bool = false) -> [String]? {
        switch node {
        case .scalar:
            return string(node, at: path, nonEmpty: nonEmpty).map { [$0] }
        case .sequence(let sequence):
            var result: [String] = []
            var firstSeen: [String: Node] = [:]
            var ok = true
            for (index, item) in sequence.enumerated() {
                let itemPath = "\(path)[\(index)]"
                guard case .scalar(let scalar) = item else {
                    reportWrongType(item, at: itemPath, expected: "a string")
                    ok = false
                    continue
                }
                let value = scalar.string
                if nonEmpty, value.isEmpty {
                    reportInvalid(item, at: itemPath, value: value, expected: "a non-empty string")
                    ok = false
                    continue
                }
                if unique, let earlier = firstSeen[value] {
                    reportDuplicateEntry(value, in: path, repeat: item, first: earlier)
                    ok = false
                    continue
                }
                firstSeen[value] = item
                result.append(value)
            }
            return ok ? result : nil
        default:
            reportWrongType(node, at: path, expected: "a list of strings")
            return nil
        }
    }

    /// Reports a value of the wrong YAML type.
    public func reportWrongType(_ node: Node, at path: String, expected: String) {
        diagnostics.report(.wrongType,
                           "wrong type for \(YAMLNodeKind.name(ofPath: path)): expected \(expected), found \(YAMLNodeKind.describe(node))",
                           at: node)
    }

    /// Reports a value of the right type that is not allowed.
    public func reportInvalid(_ node: Node, at path: String, value: String, expected: String) {
        diagnostics.report(.invalidValue,
                           "invalid value '\(value)' for \(YAMLNodeKind.name(ofPath: path)) (expected \(expected))",
                           at: node)
    }

    /// Reports a list entry given twice.
    private func reportDuplicateEntry(_ value: String, in path: String, repeat item: Node, first: Node) {
        var message = "duplicate entry '\(value)' in \(YAMLNodeKind.name(ofPath: path))"
        if let position = YAMLNodeKind.position(first) {
            message += " (first listed at line \(position.line), column \(position.column))"
        }
        diagnostics.report(.duplicateEntry, message, at: item)
    }
}
