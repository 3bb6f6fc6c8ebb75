import Yams

/// One key/value pair of a YAML mapping, with the key as text.
public struct YAMLMappingEntry {
    /// The key as written.
    public let key: String
    /// The key node (for its position).
    public let keyNode: Node
    /// The value node.
    public let value: Node
}

/// Reads a YAML mapping strictly: unknown and repeated keys are reported, values are read by type.
///
/// A key whose value is null (`key:`, `key: ~`) counts as absent. All typed getters return `nil`
/// both when the key is absent and after reporting a problem with its value.
public struct YAMLMappingReader {
    /// The mapping's path in messages (`""` for the top level).
    public let path: String
    /// The mapping node.
    public let node: Node
    /// The value reader (and, through it, the diagnostics collector).
    public let values: YAMLValueReader
    /// The entries in document order; for a key written twice, only the first.
    public let entries: [YAMLMappingEntry]

    /// Reads `node` as a mapping, reporting `wrong-type` (and returning `nil`) if it is not one.
    ///
    /// Keys must be scalars; a key repeated with a different YAML type (`1` and `"1"`) is a `duplicate-key`.
    /// With `allowedKeys`, every other key is reported as `unknown-key`.
    public init?(_ node: Node, at path: String, values: YAMLValueReader, allowedKeys: [String]? = nil) {
        guard case .mapping(let mapping) = node else {
            values.reportWrongType(node, at: path, expected: "a mapping")
            return nil
        }
        self.path = path
        self.node = node
        self.values = values
        var entries: [YAMLMappingEntry] = []
        var firstKey: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                let place = path.isEmpty ? "a top-level key" : "a key in '\(path)'"
                values.diagnostics.report(.wrongType,
                                          "wrong type for \(place): expected a string, found \(YAMLNodeKind.describe(keyNode))",
                                          at: keyNode)
                continue
            }
            if let earlier = firstKey[scalar.string] {
                Self.reportDuplicate(scalar.string, repeat: keyNode, first: earlier, diagnostics: values.diagnostics)
                continue
            }
            firstKey[scalar.string] = keyNode
            entries.append(YAMLMappingEntry(key: scalar.string, keyNode: keyNode, value: value))
        }
        self.entries = entries
        if let allowedKeys { reportUnknownKeys(allowed: allowedKeys) }
    }

    /// The keys, in document order.
    public var keys: [String] { entries.map(\.key) }

    /// The path of `key` inside this mapping.
    public func path(of key: String) -> String { YAMLNodeKind.child(key, of: path) }

    /// Reports every key not in `allowed` as `unknown-key`, suggesting the closest allowed key.
    public func reportUnknownKeys(allowed: [String]) {
        let place = YAMLNodeKind.place(ofPath: path)
        for entry in entries where !allowed.contains(entry.key) {
            var message = "unknown key '\(entry.key)' \(place)"
            if let guess = EditDistance.suggestion(for: entry.key, among: allowed) {
                message += " (did you mean '\(guess)'?)"
            } else {
                message += " (expected one of: \(allowed.joined(separator: ", ")))"
            }
            values.diagnostics.report(.unknownKey, message, at: entry.keyNode)
        }
    }

    /// The value of `key`, or `nil` if absent or null; with `required`, absence is reported as `missing-key`.
    public func node(_ key: String, required: Bool = false) -> Node? {
        guard let entry = entries.first(where: { $0.key == key }) else {
            if required {
                values.diagnostics.report(.missingKey,
                                          "missing required key '\(key)' \(YAMLNodeKind.place(ofPath: path))", at: node)
            }
            return nil
        }
        if YAMLNodeKind.isNull(entry.value) {
            if required {
                values.diagnostics.report(.missingKey,
                                          "required key '\(key)' \(YAMLNodeKind.place(ofPath: path)) has no value",
                                          at: entry.keyNode)
            }
            return nil
        }
        return entry.value
    }

    /// A string value (any non-null scalar, as written).
    public func string(_ key: String, required: Bool = false, nonEmpty: Bool = false) -> String? {
        node(key, required: required).flatMap { values.string($0, at: path(of: key), nonEmpty: nonEmpty) }
    }

    /// A boolean value.
    public func bool(_ key: String, required: Bool = false) -> Bool? {
        node(key, required: required).flatMap { values.bool($0, at: path(of: key)) }
    }

    /// An integer value, optionally within `range`.
    public func int(_ key: String, in range: ClosedRange<Int>? = nil, required: Bool = false) -> Int? {
        node(key, required: required).flatMap { values.int($0, at: path(of: key), in: range) }
    }

    /// A non-negative 64-bit integer value.
    public func uint64(_ key: String, required: Bool = false) -> UInt64? {
        node(key, required: required).flatMap { values.uint64($0, at: path(of: key)) }
    }

    /// A numeric value.
    public func double(_ key: String, required: Bool = false) -> Double? {
        node(key, required: required).flatMap { values.double($0, at: path(of: key)) }
    }

    /// One of `allowed`.
    public func choice(_ key: String, from allowed: [String], required: Bool = false) -> String? {
        node(key, required: required).flatMap { values.choice($0, at: path(of: key), from: allowed) }
    }

    /// A case of a string-backed enum.
    public func enumValue<E: RawRepresentable & CaseIterable>(_ key: String, as type: E.Type, required: Bool = false) -> E?
    where E.RawValue == String {
        node(key, required: required).flatMap { values.enumValue($0, at: path(of: key), as: type) }
    }

    /// A list of strings (or a single string).
    public func stringList(_ key: String, unique: Bool = false, nonEmpty: Bool = false, required: Bool = false) -> [String]? {
        node(key, required: required).flatMap {
            values.stringList($0, at: path(of: key), unique: unique, nonEmpty: nonEmpty)
        }
    }

    /// A nested mapping, read strictly with its own allowed keys.
    public func mapping(_ key: String, allowedKeys: [String]? = nil, required: Bool = false) -> YAMLMappingReader? {
        node(key, required: required).flatMap {
            YAMLMappingReader($0, at: path(of: key), values: values, allowedKeys: allowedKeys)
        }
    }

    /// Reports a key written twice in one mapping.
    private static func reportDuplicate(_ key: String, repeat keyNode: Node, first: Node, diagnostics: DiagnosticCollector) {
        var message = "duplicate key '\(key)'"
        if let position = YAMLNodeKind.position(first) {
            message += " (first defined at line \(position.line), column \(position.column))"
        }
        diagnostics.report(.duplicateKey, message, at: keyNode)
    }
}
