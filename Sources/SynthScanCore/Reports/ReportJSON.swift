/// A JSON value whose objects keep their keys in the order they were built, so that the JSON
/// report's key order is part of its documented format and never depends on hashing.
indirect enum ReportJSON: Equatable {
    /// `null`.
    case null
    /// `true` / `false`.
    case bool(Bool)
    /// A signed integer, printed without a fraction.
    case int(Int64)
    /// An unsigned integer (seeds), printed without a fraction.
    case uint(UInt64)
    /// A double: shortest round-trip decimal, integral values as integers, non-finite as `null`.
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([ReportJSON])
    /// An object, keys in this order (the builder is responsible for uniqueness).
    case object([(String, ReportJSON)])

    static func == (lhs: ReportJSON, rhs: ReportJSON) -> Bool { lhs.rendered() == rhs.rendered() }

    /// An optional string, or `null`.
    static func string(_ value: String?) -> ReportJSON { value.map(ReportJSON.string) ?? .null }
    /// An optional integer, or `null`.
    static func int(_ value: Int?) -> ReportJSON { value.map { .int(Int64($0)) } ?? .null }

    /// Pretty-printed text: two-space indentation, `"key": value`, a trailing newline at the top level.
    func rendered() -> String {
        var out = ""
        render(into: &out, indent: 0)
        return out + "\n"
    }

    private func render(into out: inout String, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .uint(let u): out += String(u)
        case .number(let d): out += ReportFormatting.number(d) ?? "null"
        case .string(let s): ReportJSON.quote(s, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += String(repeating: "  ", count: indent + 1)
                item.render(into: &out, indent: indent + 1)
                out += i + 1 < items.count ? ",\n" : "\n"
            }
            out += String(repeating: "  ", count: indent) + "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{\n"
            for (i, (key, value)) in members.enumerated() {
                out += String(repeating: "  ", count: indent + 1)
                ReportJSON.quote(key, into: &out)
                out += ": "
                value.render(into: &out, indent: indent + 1)
                out += i + 1 < members.count ? ",\n" : "\n"
            }
            out += String(repeating: "  ", count: indent) + "}"
        }
    }

    /// RFC 8259 string: escapes quote, backslash, control characters and U+2028/U+2029; `/` and
    /// other non-ASCII characters stay as UTF-8.
    static func quote(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
