/// A minimal JSON tree with a deterministic pretty printer (two-space indent, keys sorted by
/// Unicode scalar order, `"key": value`, trailing newline). Numbers are carried as
/// already-formatted literals so no floating-point formatting is ever involved.
enum JSONValue: Equatable, Sendable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    case integer(Int)
    /// A decimal literal such as `0.1523`, emitted verbatim.
    case decimal(String)
    case bool(Bool)
    case null

    /// The pretty-printed document, ending with a newline.
    func rendered() -> String {
        var output = ""
        write(into: &output, indent: 0)
        output += "\n"
        return output
    }

    private func write(into output: inout String, indent: Int) {
        switch self {
        case .object(let members):
            guard !members.isEmpty else { output += "{}"; return }
            output += "{\n"
            let keys = members.keys.sorted { Array($0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.unicodeScalars.map(\.value)) }
            for (position, key) in keys.enumerated() {
                output += String(repeating: " ", count: indent + 2)
                output += Self.quoted(key) + ": "
                members[key]?.write(into: &output, indent: indent + 2)
                output += position == keys.count - 1 ? "\n" : ",\n"
            }
            output += String(repeating: " ", count: indent) + "}"
        case .array(let elements):
            guard !elements.isEmpty else { output += "[]"; return }
            output += "[\n"
            for (position, element) in elements.enumerated() {
                output += String(repeating: " ", count: indent + 2)
                element.write(into: &output, indent: indent + 2)
                output += position == elements.count - 1 ? "\n" : ",\n"
            }
            output += String(repeating: " ", count: indent) + "]"
        case .string(let text):
            output += Self.quoted(text)
        case .integer(let value):
            output += String(value)
        case .decimal(let literal):
            output += literal
        case .bool(let value):
            output += value ? "true" : "false"
        case .null:
            output += "null"
        }
    }

    private static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .integer(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSONValue {
    /// The member `key` of an object, or `nil`.
    subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The elements of an array, or an empty list.
    var elements: [JSONValue] {
        if case .array(let values) = self { return values }
        return []
    }

    /// The value as display text (strings unquoted, numbers as written).
    var text: String {
        switch self {
        case .string(let value): return value
        case .integer(let value): return String(value)
        case .decimal(let literal): return literal
        case .bool(let value): return value ? "true" : "false"
        case .null, .object, .array: return ""
        }
    }
}
