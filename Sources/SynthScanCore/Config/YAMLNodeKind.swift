import Yams

/// How YAML nodes are described in messages, and small tag tests.
enum YAMLNodeKind {
    /// "a string", "an integer", "a list", ... for "expected X, found Y" messages.
    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar:
            switch node.tag.description {
            case Tag.Name.str.rawValue: return "a string"
            case Tag.Name.int.rawValue: return "an integer"
            case Tag.Name.float.rawValue: return "a number"
            case Tag.Name.bool.rawValue: return "a boolean"
            case Tag.Name.null.rawValue: return "null"
            case Tag.Name.timestamp.rawValue: return "a timestamp"
            default: return "a scalar"
            }
        }
    }

    /// Whether the node is a scalar whose resolved tag is `name`.
    static func isScalar(_ node: Node, tagged name: Tag.Name) -> Bool {
        guard case .scalar = node else { return false }
        return node.tag.description == name.rawValue
    }

    /// Whether the node is null (`~`, `null` or nothing at all).
    static func isNull(_ node: Node) -> Bool {
        isScalar(node, tagged: .null)
    }

    /// The position of a node, if Yams recorded one.
    static func position(_ node: Node) -> SourcePosition? {
        node.mark.map(SourcePosition.init)
    }

    /// How a path is named in messages: `'roles.outcome'`, or "the top level".
    static func name(ofPath path: String) -> String {
        path.isEmpty ? "the top level" : "'\(path)'"
    }

    /// Where a key sits, in messages: "in 'roles'", or "at the top level".
    static func place(ofPath path: String) -> String {
        path.isEmpty ? "at the top level" : "in '\(path)'"
    }

    /// The path of `key` inside the mapping at `path`.
    static func child(_ key: String, of path: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }
}
