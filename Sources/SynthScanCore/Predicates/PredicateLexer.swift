/// A syntax error in a predicate, at a 0-based character `offset` of the predicate text.
public struct PredicateSyntaxError: Error, Equatable, CustomStringConvertible {
    /// What is wrong, for a human.
    public let message: String
    /// 0-based character position in the predicate text.
    public let offset: Int

    public var description: String { "\(message) (at character \(offset + 1))" }
}

/// One token of a predicate, with its 0-based character offset.
struct PredicateToken: Equatable {
    enum Kind: Equatable {
        case number(Double)
        case string(String)
        case identifier(String)
        /// A backquoted column name: never a keyword or function.
        case quotedIdentifier(String)
        case symbol(String)
        case end
    }

    let kind: Kind
    let offset: Int

    /// Whether the token is the bare word `word` (a keyword).
    func isWord(_ word: String) -> Bool { kind == .identifier(word) }
    /// Whether the token is the symbol `s`.
    func isSymbol(_ s: String) -> Bool { kind == .symbol(s) }
}

/// Splits a predicate into tokens: numbers, "double" or 'single' quoted strings (with `\"`, `\'`
/// and `\\` escapes), identifiers, `backquoted` column names and the operators
/// `== != <= >= < > + - * / ( ) [ ] ,`.
enum PredicateLexer {
    static func tokens(_ text: String) throws(PredicateSyntaxError) -> [PredicateToken] {
        let chars = Array(text)
        var tokens: [PredicateToken] = []
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            let start = i
            if c.isNumber || (c == "." && i + 1 < chars.count && chars[i + 1].isNumber) {
                tokens.append(PredicateToken(kind: .number(try number(chars, &i)), offset: start))
            } else if c == "\"" || c == "'" {
                tokens.append(PredicateToken(kind: .string(try string(chars, &i)), offset: start))
            } else if c == "`" {
                i += 1
                var name = ""
                while i < chars.count, chars[i] != "`" { name.append(chars[i]); i += 1 }
                guard i < chars.count else { throw PredicateSyntaxError(message: "unterminated `quoted` column name", offset: start) }
                guard !name.isEmpty else { throw PredicateSyntaxError(message: "empty `quoted` column name", offset: start) }
                i += 1
                tokens.append(PredicateToken(kind: .quotedIdentifier(name), offset: start))
            } else if c.isLetter || c == "_" {
                var name = ""
                while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" { name.append(chars[i]); i += 1 }
                tokens.append(PredicateToken(kind: .identifier(name), offset: start))
            } else {
                let two = i + 1 < chars.count ? String([c, chars[i + 1]]) : ""
                if ["==", "!=", "<=", ">="].contains(two) {
                    tokens.append(PredicateToken(kind: .symbol(two), offset: start))
                    i += 2
                } else if "<>+-*/()[],".contains(c) {
                    tokens.append(PredicateToken(kind: .symbol(String(c)), offset: start))
                    i += 1
                } else if c == "=" {
                    throw PredicateSyntaxError(message: "'=' is not an operator: write '==' to compare", offset: start)
                } else if two == "&&" || two == "||" || c == "!" {
                    let word = two == "&&" ? "and" : two == "||" ? "or" : "not"
                    throw PredicateSyntaxError(message: "'\(two == "&&" || two == "||" ? two : "!")' is not an operator: write '\(word)'", offset: start)
                } else {
                    throw PredicateSyntaxError(message: "unexpected character '\(c)'", offset: start)
                }
            }
        }
        tokens.append(PredicateToken(kind: .end, offset: chars.count))
        return tokens
    }

    /// A decimal number: digits, an optional fraction and an optional exponent.
    private static func number(_ chars: [Character], _ i: inout Int) throws(PredicateSyntaxError) -> Double {
        let start = i
        var text = ""
        func digits() { while i < chars.count, chars[i].isASCII, chars[i].isNumber { text.append(chars[i]); i += 1 } }
        digits()
        if i < chars.count, chars[i] == "." { text.append("."); i += 1; digits() }
        if i < chars.count, chars[i] == "e" || chars[i] == "E" {
            let mark = i
            text.append("e"); i += 1
            if i < chars.count, chars[i] == "+" || chars[i] == "-" { text.append(chars[i]); i += 1 }
            let before = text.count
            digits()
            if text.count == before { i = mark; text.removeLast(text.count - (mark - start)) }
        }
        if i < chars.count, chars[i].isLetter || chars[i] == "_" {
            throw PredicateSyntaxError(message: "a number runs into a name; put a space or an operator between them", offset: i)
        }
        guard let value = Double(text), value.isFinite else {
            throw PredicateSyntaxError(message: "'\(text)' is not a valid number", offset: start)
        }
        return value
    }

    /// A quoted string; the opening quote is at `i`.
    private static func string(_ chars: [Character], _ i: inout Int) throws(PredicateSyntaxError) -> String {
        let start = i
        let quote = chars[i]
        i += 1
        var text = ""
        while i < chars.count, chars[i] != quote {
            if chars[i] == "\\" {
                guard i + 1 < chars.count, ["\\", "\"", "'"].contains(chars[i + 1]) else {
                    throw PredicateSyntaxError(message: "unknown escape in a string (only \\\\, \\\" and \\' are allowed)", offset: i)
                }
                i += 1
            }
            text.append(chars[i])
            i += 1
        }
        guard i < chars.count else { throw PredicateSyntaxError(message: "unterminated string", offset: start) }
        i += 1
        return text
    }
}
