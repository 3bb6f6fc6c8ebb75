// Message templates: the `message:` field of a rule, with placeholders for a check's
// measurements and parameters.
//
// Templates come from rule packs written outside the institution, so they are parsed strictly
// and never reach a C format function: every number is formatted here, from the exact decimal
// value of the Double, with no locale (the decimal point is always ".").
//
// Grammar (offsets in errors are 0-based Character offsets into the template):
//
//     template     = { literal | "{{" | "}}" | placeholder }
//     literal      = any character except "{" and "}"
//     placeholder  = "{" name [ ":" spec ] "}"
//     name         = [a-z] [a-z0-9_]*
//     spec         = python-spec | printf-spec          (one or more characters, no "{" or "}")
//     python-spec  = [ "+" ] [ "0" ] [ width ] [ "," ] [ "." precision ] [ type ]
//     type         = "f" | "e" | "g" | "d" | "%"
//     printf-spec  = text "%" { flag } [ width ] [ "." [ precision ] ] conversion text
//     flag         = "+" | "0"
//     conversion   = "d" | "i" | "f" | "e" | "E" | "g" | "G"
//     text         = { any character except "%", "{", "}" | "%%" }
//     width, precision = decimal digits, at most 50
//
// Braces are read left to right, so "{{{x}}}" is "{", the placeholder x, "}". A spec that starts
// with "%" is printf-style (so "{x:%}" is an error, not Python's percent); otherwise it is
// Python-style if it matches the Python grammar, else printf-style if it contains "%", else an
// error. A precision is not allowed with d or i, and a Python precision needs a type.

/// A parse error in a message template or format spec.
public struct MessageTemplateError: Error, Equatable, CustomStringConvertible {
    /// 0-based Character offset of the offending character in the template (or spec).
    public let offset: Int
    /// What is wrong, in words (quotes template characters, never data values).
    public let message: String

    /// Creates an error at `offset`.
    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    /// `offset N: message`.
    public var description: String { "offset \(offset): \(message)" }
}

/// A value a placeholder can take.
public enum TemplateValue: Sendable, Equatable {
    /// A measurement or numeric parameter.
    case number(Double)
    /// A textual parameter or label; always rendered as-is.
    case text(String)
}

/// A parsed rule message, e.g. `{count} synthetic rows ({share:.2%}) copy a training record`.
///
/// Rendering (see `NumberFormat` for numbers): a placeholder whose value is `nil` renders as
/// `n/a`; a `.text` value renders as-is whatever its spec; a `.number` renders with its spec, or
/// with `NumberFormat.plain(_:)` when it has none. `{{` and `}}` render as `{` and `}`.
public struct MessageTemplate: Sendable, Equatable {
    /// One `{name}` or `{name:spec}` occurrence.
    public struct Placeholder: Sendable, Equatable {
        /// The measurement or parameter name, `[a-z][a-z0-9_]*`.
        public let name: String
        /// The number format after `:`, or `nil` for the plain format.
        public let format: NumberFormat?
        /// 0-based Character offset of the placeholder's `{` in the template text.
        public let offset: Int

        /// Creates a placeholder (normally made by parsing a template).
        public init(name: String, format: NumberFormat?, offset: Int) {
            self.name = name
            self.format = format
            self.offset = offset
        }
    }

    private enum Segment: Sendable, Equatable {
        case literal(String)
        case placeholder(Placeholder)
    }

    /// The template as written.
    public let text: String
    private let segments: [Segment]

    /// The placeholders in order of appearance (a name may occur more than once).
    public var placeholders: [Placeholder] {
        segments.compactMap { if case .placeholder(let p) = $0 { p } else { nil } }
    }

    /// Parses `text`; throws the first error, with its Character offset.
    public init(_ text: String) throws(MessageTemplateError) {
        self.text = text
        let units = SpecUnit.units(of: text)
        var segments: [Segment] = []
        var literal = String.UnicodeScalarView()
        func flush() {
            if !literal.isEmpty { segments.append(.literal(String(literal))); literal = String.UnicodeScalarView() }
        }
        var i = 0
        while i < units.count {
            let unit = units[i]
            switch unit.scalar {
            case "{":
                if i + 1 < units.count, units[i + 1].scalar == "{" {
                    literal.append("{")
                    i += 2
                    continue
                }
                let start = unit.offset
                var j = i + 1
                var name = String.UnicodeScalarView()
                while j < units.count, units[j].scalar != "}", units[j].scalar != ":" {
                    let c = units[j].scalar
                    if name.isEmpty, !SpecUnit.isLowerLetter(c) {
                        let reason = SpecUnit.isDigit(c) || c == "_"
                            ? "a placeholder name must start with a lower-case letter, found \(SpecUnit.describe(c))"
                            : "invalid character \(SpecUnit.describe(c)) at the start of a placeholder name"
                        throw MessageTemplateError(offset: units[j].offset, message: reason + Self.nameHint)
                    }
                    if !(SpecUnit.isLowerLetter(c) || SpecUnit.isDigit(c) || c == "_") {
                        throw MessageTemplateError(
                            offset: units[j].offset,
                            message: "invalid character \(SpecUnit.describe(c)) in placeholder name" + Self.nameHint)
                    }
                    name.append(c)
                    j += 1
                }
                guard j < units.count else {
                    throw MessageTemplateError(offset: start, message: "unterminated placeholder: '{' has no matching '}' (write '{{' for a literal '{')")
                }
                if name.isEmpty {
                    throw MessageTemplateError(offset: start, message: "empty placeholder name (write '{{' for a literal '{')")
                }
                var format: NumberFormat?
                if units[j].scalar == ":" {
                    let colon = units[j]
                    var k = j + 1
                    while k < units.count, units[k].scalar != "}" {
                        if units[k].scalar == "{" {
                            throw MessageTemplateError(offset: units[k].offset, message: "'{' is not allowed inside a format spec")
                        }
                        k += 1
                    }
                    guard k < units.count else {
                        throw MessageTemplateError(offset: start, message: "unterminated placeholder: '{' has no matching '}' (write '{{' for a literal '{')")
                    }
                    if k == j + 1 {
                        throw MessageTemplateError(offset: colon.offset, message: "empty format spec after ':' (remove the ':' for the plain format)")
                    }
                    format = try NumberFormat(units: Array(units[(j + 1)..<k]))
                    j = k
                }
                flush()
                segments.append(.placeholder(Placeholder(name: String(name), format: format, offset: start)))
                i = j + 1
            case "}":
                if i + 1 < units.count, units[i + 1].scalar == "}" {
                    literal.append("}")
                    i += 2
                    continue
                }
                throw MessageTemplateError(offset: unit.offset, message: "single '}' outside a placeholder (write '}}' for a literal '}')")
            default:
                literal.append(unit.scalar)
                i += 1
            }
        }
        flush()
        self.segments = segments
    }

    private static let nameHint = " (names are snake_case: a-z, 0-9 and '_'; write '{{' for a literal '{')"

    /// Renders with `value(name)` for each placeholder; `nil` renders as `n/a`.
    public func render(_ value: (String) -> TemplateValue?) -> String {
        var out = ""
        for segment in segments {
            switch segment {
            case .literal(let s): out += s
            case .placeholder(let p):
                switch value(p.name) {
                case nil: out += "n/a"
                case .text(let s)?: out += s
                case .number(let v)?: out += p.format?.format(v) ?? NumberFormat.plain(v)
                }
            }
        }
        return out
    }

    /// Renders with values looked up in `values`; missing names render as `n/a`.
    public func render(_ values: [String: TemplateValue]) -> String {
        render { values[$0] }
    }
}
