// The pattern parser of SafePattern (split from SafePattern.swift).

extension SafePattern {
    // MARK: - Parser

    /// Recursive-descent parser over the pattern's Unicode scalars.
    struct Parser {
        /// The pattern's scalars; an index is the offset reported in errors.
        let scalars: [Unicode.Scalar]
        /// Whether to fold ASCII letters.
        let caseInsensitive: Bool
        /// Current position.
        var position = 0

        /// A parser at the start of `pattern`.
        init(pattern: String, caseInsensitive: Bool) {
            scalars = Array(pattern.unicodeScalars)
            self.caseInsensitive = caseInsensitive
        }

        /// The scalar at the current position, if any.
        var peek: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

        /// The scalar `k` places ahead, if any.
        func peek(_ k: Int) -> Unicode.Scalar? { position + k < scalars.count ? scalars[position + k] : nil }

        /// Parses the whole pattern.
        mutating func parse() throws(SafePatternError) -> PatternNode {
            let tree = try parseAlternation(depth: 0)
            if position < scalars.count {
                // Only an unmatched ')' stops the top-level alternation early.
                throw SafePatternError(offset: position, message: "unbalanced ')'")
            }
            return tree
        }

        /// alternation := concatenation ('|' concatenation)*
        mutating func parseAlternation(depth: Int) throws(SafePatternError) -> PatternNode {
            var branches = [try parseConcatenation(depth: depth)]
            while peek == "|" {
                position += 1
                branches.append(try parseConcatenation(depth: depth))
            }
            return branches.count == 1 ? branches[0] : .alternate(branches)
        }

        /// concatenation := (atom quantifier*)*
        mutating func parseConcatenation(depth: Int) throws(SafePatternError) -> PatternNode {
            var parts: [PatternNode] = []
            while let c = peek, c != "|", c != ")" {
                let atom = try parseAtom(depth: depth)
                parts.append(try parseQuantifiers(atom))
            }
            switch parts.count {
            case 0: return .empty
            case 1: return parts[0]
            default: return .concat(parts)
            }
        }

        /// A literal, class, escape, anchor or group.
        mutating func parseAtom(depth: Int) throws(SafePatternError) -> PatternNode {
            let start = position
            let c = scalars[position]
            switch c {
            case "(":
                if depth >= SafePattern.maxGroupDepth {
                    throw SafePatternError(offset: start, message: "groups nested deeper than \(SafePattern.maxGroupDepth)")
                }
                position += 1
                if peek == "?" {
                    guard peek(1) == ":" else {
                        throw SafePatternError(offset: start, message: "unsupported group '(?': only '( )' and '(?: )' are supported (no lookaround, inline flags or named groups)")
                    }
                    position += 2
                }
                let inner = try parseAlternation(depth: depth + 1)
                guard peek == ")" else {
                    throw SafePatternError(offset: start, message: "missing ')' to close '('")
                }
                position += 1
                return inner
            case "*", "+", "?":
                throw SafePatternError(offset: start, message: "quantifier '\(c)' has nothing to repeat")
            case "{":
                if let (_, _, text) = try parseCountedQuantifier() {
                    throw SafePatternError(offset: start, message: "quantifier '\(text)' has nothing to repeat")
                }
                throw SafePatternError(offset: start, message: "'{' must be escaped as '\\{' unless it starts a quantifier {n}, {n,} or {n,m}")
            case "[":
                return .scalar(try parseClass())
            case ".":
                position += 1
                return .scalar(.dot)
            case "^":
                position += 1
                return .textStart
            case "$":
                position += 1
                return .textEnd
            case "\\":
                switch try parseEscape(inClass: false) {
                case .scalar(let s): return literal(s)
                case .set(let set): return .scalar(set)
                }
            default:
                position += 1
                return literal(c)
            }
        }

        /// A literal scalar, folded when case-insensitive.
        func literal(_ s: Unicode.Scalar) -> PatternNode {
            if s.isASCII {
                var set = ScalarClass()
                set.insert(UInt8(s.value))
                return .scalar(caseInsensitive ? set.caseFolded() : set)
            }
            return .bytes(Array(String(s).utf8))
        }

        /// Applies any quantifiers after an atom; a second quantifier (other than a lazy `?`) is an error.
        mutating func parseQuantifiers(_ atom: PatternNode) throws(SafePatternError) -> PatternNode {
            var node = atom
            var quantified = false
            while let c = peek {
                let start = position
                let min: Int, max: Int?, text: String
                switch c {
                case "*": (min, max, text) = (0, nil, "*"); position += 1
                case "+": (min, max, text) = (1, nil, "+"); position += 1
                case "?": (min, max, text) = (0, 1, "?"); position += 1
                case "{":
                    guard let counted = try parseCountedQuantifier() else {
                        throw SafePatternError(offset: start, message: "'{' must be escaped as '\\{' unless it starts a quantifier {n}, {n,} or {n,m}")
                    }
                    (min, max, text) = counted
                default:
                    return node
                }
                if quantified {
                    throw SafePatternError(offset: start, message: "quantifier '\(text)' follows another quantifier; group the repeated part with '(?: )' first")
                }
                quantified = true
                // A lazy marker changes which match is preferred, not whether there is one.
                if peek == "?" { position += 1 }
                if peek == "+" {
                    throw SafePatternError(offset: position, message: "possessive quantifier '\(text)+' is not supported")
                }
                node = .repetition(node, min: min, max: max, offset: start, text: text)
            }
            return node
        }

        /// At `{`: parses `{n}`, `{n,}` or `{n,m}` and moves past it, or returns nil (position kept)
        /// when the brace does not start one. Bounds are checked here.
        mutating func parseCountedQuantifier() throws(SafePatternError) -> (Int, Int?, String)? {
            let start = position
            var k = position + 1
            /// Reads digits at k; nil if none. Values past the limit saturate.
            func number(_ k: inout Int) -> Int? {
                var value = 0, digits = 0
                while k < scalars.count, (0x30...0x39).contains(scalars[k].value) {
                    value = Swift.min(value * 10 + Int(scalars[k].value) - 0x30, 1_000_000)
                    digits += 1
                    k += 1
                }
                return digits > 0 ? value : nil
            }
            let scalars = self.scalars
            let text = { (end: Int) in String(String.UnicodeScalarView(scalars[start..<end])) }
            guard let min = number(&k) else {
                if k < scalars.count, scalars[k] == ",", let end = scalars[k...].firstIndex(of: "}") {
                    throw SafePatternError(offset: start, message: "quantifier '\(text(end + 1))' needs a minimum: write '{0,...}'")
                }
                return nil
            }
            var max: Int? = min
            if k < scalars.count, scalars[k] == "," {
                k += 1
                max = number(&k)
            }
            guard k < scalars.count, scalars[k] == "}" else { return nil }
            let quantifier = text(k + 1)
            if min > SafePattern.maxRepeatCount || (max ?? 0) > SafePattern.maxRepeatCount {
                throw SafePatternError(offset: start, message: "quantifier '\(quantifier)' exceeds the limit of \(SafePattern.maxRepeatCount) repetitions")
            }
            if let max, min > max {
                throw SafePatternError(offset: start, message: "quantifier '\(quantifier)' has min > max")
            }
            position = k + 1
            return (min, max, quantifier)
        }

        /// The meaning of an escape: one scalar or a class.
        enum Escape {
            case scalar(Unicode.Scalar)
            case set(ScalarClass)
        }

        /// At `\`: parses an escape and moves past it.
        mutating func parseEscape(inClass: Bool) throws(SafePatternError) -> Escape {
            let start = position
            guard let c = peek(1) else {
                throw SafePatternError(offset: start, message: "trailing '\\' at the end of the pattern")
            }
            position += 2
            switch c {
            case "d": return .set(fold(.digits))
            case "D": return .set(fold(.digits).inverted())
            case "w": return .set(fold(.word))
            case "W": return .set(fold(.word).inverted())
            case "s": return .set(.space)
            case "S": return .set(ScalarClass.space.inverted())
            case "t": return .scalar("\t")
            case "n": return .scalar("\n")
            case "r": return .scalar("\r")
            case "f": return .scalar("\u{0C}")
            case "v": return .scalar("\u{0B}")
            case "b", "B":
                throw SafePatternError(offset: start, message: inClass
                    ? "escape '\\\(c)' is not supported in a class"
                    : "word boundaries '\\b' and '\\B' are not supported")
            case "1"..."9":
                throw SafePatternError(offset: start, message: "backreferences like '\\\(c)' are not supported")
            case "A", "z", "Z":
                throw SafePatternError(offset: start, message: "escape '\\\(c)' is not supported; use '^' or '$'")
            default:
                if c.isASCII && !c.properties.isAlphabetic && !(0x30...0x39).contains(c.value) && c.value > 0x20 && c.value < 0x7F {
                    return .scalar(c)
                }
                throw SafePatternError(offset: start, message: "unknown escape '\\\(c)'")
            }
        }

        /// A built-in class, folded when case-insensitive (folding `\d` or `\w` adds nothing).
        func fold(_ set: ScalarClass) -> ScalarClass { caseInsensitive ? set.caseFolded() : set }

        /// At `[`: parses a class through its `]`.
        mutating func parseClass() throws(SafePatternError) -> ScalarClass {
            let start = position
            position += 1
            let negated = peek == "^"
            if negated { position += 1 }
            var set = ScalarClass()
            var first = true
            while true {
                guard let c = peek else {
                    throw SafePatternError(offset: start, message: "missing ']' to close '['")
                }
                if c == "]" && !first {
                    position += 1
                    break
                }
                first = false
                let itemStart = position
                let low: Unicode.Scalar
                switch try classMember() {
                case .set(let members):
                    set.formUnion(members)
                    continue
                case .scalar(let s):
                    low = s
                }
                // A range `low-high`, unless the '-' is last in the class.
                if peek == "-", let after = peek(1), after != "]" {
                    position += 1
                    guard case .scalar(let high) = try classMember() else {
                        throw SafePatternError(offset: itemStart, message: "a class like '\\d' cannot end a range")
                    }
                    guard low.value <= high.value else {
                        throw SafePatternError(offset: itemStart, message: "invalid range '\(low)-\(high)' in a class: start is after end")
                    }
                    set.insertRange(UInt8(low.value), UInt8(high.value))
                } else {
                    set.insert(UInt8(low.value))
                }
            }
            if caseInsensitive { set = set.caseFolded() }
            return negated ? set.inverted() : set
        }

        /// One class member: an ASCII scalar or an escape.
        mutating func classMember() throws(SafePatternError) -> Escape {
            let start = position
            let c = scalars[position]
            if c == "\\" {
                let escape = try parseEscape(inClass: true)
                if case .scalar(let s) = escape, !s.isASCII {
                    throw SafePatternError(offset: start, message: "non-ASCII character '\(s)' in a class is not supported")
                }
                return escape
            }
            if c == "[" {
                throw SafePatternError(offset: start, message: "'[' inside a class must be escaped as '\\['")
            }
            if !c.isASCII {
                throw SafePatternError(offset: start, message: "non-ASCII character '\(c)' in a class is not supported (classes are ASCII-only)")
            }
            position += 1
            return .scalar(c)
        }
    }
}
