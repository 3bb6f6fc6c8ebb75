// A regular-expression matcher that cannot be made to hang, for patterns from rule packs that
// come from outside the institution.
//
// Technique: Thompson's construction and simulation (K. Thompson, "Regular expression search
// algorithm", CACM 11(6), 1968), in the form described by Russ Cox, "Regular Expression Matching
// Can Be Simple And Fast" (2007) and "Regular Expression Matching: the Virtual Machine Approach"
// (2009, the Pike VM). The program is simulated over all NFA states at once, so matching takes
// O(input bytes × program size) time whatever the pattern: there is no backtracking.
// Syntax and semantics follow the RE2 syntax description (github.com/google/re2/wiki/Syntax)
// for the subset listed on `SafePattern`. UTF-8 sequences per RFC 3629 §4 (the well-formed
// byte sequences table). Written from those descriptions.

/// A linear-time regular expression (RE2 subset, no backtracking) matched over UTF-8 bytes.
///
/// Syntax:
/// - literals; `.` (any scalar except `\n`); classes `[a-z0-9_-]`, negated `[^...]`
///   (ASCII members only; `]` first in a class and `-` first or last are literal);
/// - escapes `\d \D \w \W \s \S` (ASCII: `[0-9]`, `[0-9A-Za-z_]`, `[\t\n\v\f\r ]`), `\t \n \r \f \v`,
///   and `\` before any ASCII punctuation (`\. \\ \- \[ \] \( \) \{ \} \* \+ \? \| \^ \$ \/` ...);
/// - groups `( )` and `(?: )` (nothing is captured), alternation `|`;
/// - quantifiers `* + ?`, `{n}`, `{n,}`, `{n,m}` with n, m ≤ `maxRepeatCount`; a lazy suffix
///   `?` is accepted and changes nothing (only match / no match is reported);
/// - anchors `^` (start of text) and `$` (end of text; not before a final newline).
///
/// Not supported (clear errors): backreferences, lookaround, `\b`, inline flags, possessive
/// quantifiers, POSIX classes, non-ASCII class members. `.`, `\D`, `\W`, `\S` and negated classes
/// consume one whole UTF-8 scalar (so `^.{3}$` matches `é12`); bytes that are not well-formed
/// UTF-8 are matched only by literal bytes, never by those. Case-insensitive matching folds
/// ASCII letters only. Offsets in errors count Unicode scalars of the pattern from 0.
public struct SafePattern: Sendable, CustomStringConvertible {
    /// Largest n or m allowed in `{n}`, `{n,}` and `{n,m}`.
    public static let maxRepeatCount = 100
    /// Largest compiled program (instructions); bounds memory and time per input byte.
    public static let maxInstructionCount = 10_000
    /// Deepest allowed nesting of groups.
    public static let maxGroupDepth = 100

    /// The pattern as written.
    public let pattern: String
    /// Whether ASCII letters match regardless of case.
    public let caseInsensitive: Bool
    /// The compiled program.
    let program: Program

    /// Parses and compiles `pattern`; errors carry the offset in the pattern and a message.
    public init(_ pattern: String, caseInsensitive: Bool = false) throws(SafePatternError) {
        self.pattern = pattern
        self.caseInsensitive = caseInsensitive
        var parser = Parser(pattern: pattern, caseInsensitive: caseInsensitive)
        let tree = try parser.parse()
        program = try Compiler.compile(tree)
    }

    /// The pattern as written.
    public var description: String { pattern }

    /// Number of compiled instructions (at most `maxInstructionCount`).
    public var instructionCount: Int { program.instructions.count }

    /// Whether the pattern matches somewhere in `bytes` (a search: unanchored unless `^`/`$`).
    public func firstMatch(in bytes: UnsafeRawBufferPointer) -> Bool {
        program.run(bytes, whole: false)
    }

    /// Whether the pattern matches all of `bytes`.
    public func wholeMatch(in bytes: UnsafeRawBufferPointer) -> Bool {
        program.run(bytes, whole: true)
    }

    /// Whether the pattern matches somewhere in `s`'s UTF-8 (search semantics).
    public func matches(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { program.run(UnsafeRawBufferPointer($0), whole: false) }
    }

    /// Whether the pattern matches all of `s`'s UTF-8.
    public func matchesWhole(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { program.run(UnsafeRawBufferPointer($0), whole: true) }
    }
}

/// Why a pattern was rejected: the 0-based offset (in Unicode scalars) and a human message.
public struct SafePatternError: Error, Equatable, CustomStringConvertible {
    /// Offset in the pattern, counted in Unicode scalars from 0.
    public let offset: Int
    /// What is wrong, e.g. `unbalanced ')'`.
    public let message: String

    /// Makes an error at `offset`.
    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    /// The message with its position, e.g. `unbalanced ')' at offset 7`.
    public var description: String { "\(message) at offset \(offset)" }
}

extension SafePattern {
    // MARK: - Sets

    /// A set of bytes (256 bits).
    struct ByteSet: Hashable, Sendable {
        var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0

        /// The set of bytes `lo...hi`.
        static func range(_ lo: UInt8, _ hi: UInt8) -> ByteSet {
            var set = ByteSet()
            for b in lo...hi { set.insert(b) }
            return set
        }

        /// Adds `b`.
        mutating func insert(_ b: UInt8) {
            let bit = UInt64(1) << UInt64(b & 63)
            switch b >> 6 {
            case 0: w0 |= bit
            case 1: w1 |= bit
            case 2: w2 |= bit
            default: w3 |= bit
            }
        }

        /// Whether `b` is in the set.
        @inline(__always)
        func contains(_ b: UInt8) -> Bool {
            let bit = UInt64(1) << UInt64(b & 63)
            switch b >> 6 {
            case 0: return w0 & bit != 0
            case 1: return w1 & bit != 0
            case 2: return w2 & bit != 0
            default: return w3 & bit != 0
            }
        }

        /// The union of two sets.
        func union(_ other: ByteSet) -> ByteSet {
            ByteSet(w0: w0 | other.w0, w1: w1 | other.w1, w2: w2 | other.w2, w3: w3 | other.w3)
        }

        /// Whether the set is empty.
        var isEmpty: Bool { (w0 | w1 | w2 | w3) == 0 }
    }

    /// A set of Unicode scalars: any subset of ASCII, plus either all or none of the non-ASCII scalars.
    struct ScalarClass: Sendable {
        /// ASCII members (bits 0...127 in `w0`, `w1`; `w2`, `w3` stay 0).
        var ascii = ByteSet()
        /// Whether every non-ASCII scalar is a member.
        var nonASCII = false

        /// Adds ASCII scalar `b`.
        mutating func insert(_ b: UInt8) { ascii.insert(b) }

        /// Adds ASCII scalars `lo...hi`.
        mutating func insertRange(_ lo: UInt8, _ hi: UInt8) { for b in lo...hi { ascii.insert(b) } }

        /// Adds every member of `other`.
        mutating func formUnion(_ other: ScalarClass) {
            ascii = ascii.union(other.ascii)
            nonASCII = nonASCII || other.nonASCII
        }

        /// The complement among all scalars.
        func inverted() -> ScalarClass {
            ScalarClass(ascii: ByteSet(w0: ~ascii.w0, w1: ~ascii.w1, w2: 0, w3: 0), nonASCII: !nonASCII)
        }

        /// The class with the other case of every ASCII letter added.
        func caseFolded() -> ScalarClass {
            var out = self
            for b in UInt8(ascii: "A")...UInt8(ascii: "Z") where ascii.contains(b) || ascii.contains(b | 0x20) {
                out.ascii.insert(b)
                out.ascii.insert(b | 0x20)
            }
            return out
        }

        /// `[0-9]`.
        static let digits: ScalarClass = { var c = ScalarClass(); c.insertRange(0x30, 0x39); return c }()
        /// `[0-9A-Za-z_]`.
        static let word: ScalarClass = {
            var c = ScalarClass()
            c.insertRange(0x30, 0x39); c.insertRange(0x41, 0x5A); c.insertRange(0x61, 0x7A); c.insert(0x5F)
            return c
        }()
        /// `[\t\n\v\f\r ]`.
        static let space: ScalarClass = { var c = ScalarClass(); c.insertRange(0x09, 0x0D); c.insert(0x20); return c }()
        /// `.`: every scalar except `\n`.
        static let dot: ScalarClass = { var c = ScalarClass(); c.insert(0x0A); return c.inverted() }()
    }

    // MARK: - Syntax tree

    /// A parsed pattern.
    indirect enum PatternNode: Sendable {
        /// Matches the empty string.
        case empty
        /// One scalar from a class (one byte if the class is ASCII-only).
        case scalar(ScalarClass)
        /// Exactly these bytes (a non-ASCII literal scalar).
        case bytes([UInt8])
        /// Each part in order.
        case concat([PatternNode])
        /// Any one of the branches.
        case alternate([PatternNode])
        /// `min` to `max` (nil: unbounded) repetitions; `offset`/`text` locate the quantifier for errors.
        case repetition(PatternNode, min: Int, max: Int?, offset: Int, text: String)
        /// `^`: the start of the text.
        case textStart
        /// `$`: the end of the text.
        case textEnd

        /// Whether every match must begin at the start of the text (conservative).
        var isAnchoredAtStart: Bool {
            switch self {
            case .textStart: true
            case .concat(let parts): parts.first?.isAnchoredAtStart ?? false
            case .alternate(let branches): branches.allSatisfy(\.isAnchoredAtStart)
            case .repetition(let sub, let min, _, _, _): min > 0 && sub.isAnchoredAtStart
            default: false
            }
        }
    }

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

    // MARK: - Program

    /// One VM instruction.
    struct Instruction: Sendable {
        /// What the instruction does.
        enum Operation: UInt8, Sendable {
            /// Consume one byte in `set`, then continue at `x`.
            case byte
            /// Continue at both `x` and `y`.
            case split
            /// Continue at `x` if at the start of the text.
            case assertStart
            /// Continue at `x` if at the end of the text.
            case assertEnd
            /// The pattern has matched.
            case match
        }

        /// What the instruction does.
        var operation: Operation
        /// The continuation (`byte`, asserts) or first branch (`split`).
        var x: Int32
        /// The second branch (`split` only).
        var y: Int32
        /// The bytes a `byte` instruction accepts.
        var set: ByteSet
    }

    /// Compiles a tree to a program, back to front: each node is compiled knowing where to continue.
    struct Compiler {
        /// Instructions emitted so far.
        var instructions: [Instruction] = []
        /// The outermost repetition being expanded (for the size error), if any.
        var outerRepetition: (offset: Int, text: String)?

        /// Compiles `tree` (entry, instructions) or fails if the program would be too large.
        static func compile(_ tree: PatternNode) throws(SafePatternError) -> Program {
            var compiler = Compiler()
            let match = try compiler.emit(Instruction(operation: .match, x: 0, y: 0, set: ByteSet()))
            let start = try compiler.compile(tree, next: match)
            return Program(instructions: compiler.instructions, start: start,
                           anchoredAtStart: tree.isAnchoredAtStart, firstBytes: compiler.firstBytes(from: start))
        }

        /// Appends an instruction, enforcing the size limit.
        mutating func emit(_ instruction: Instruction) throws(SafePatternError) -> Int32 {
            if instructions.count >= SafePattern.maxInstructionCount {
                if let outer = outerRepetition {
                    throw SafePatternError(offset: outer.offset, message: "pattern too large: repeating '\(outer.text)' needs more than \(SafePattern.maxInstructionCount) instructions")
                }
                throw SafePatternError(offset: 0, message: "pattern too large: it needs more than \(SafePattern.maxInstructionCount) instructions")
            }
            instructions.append(instruction)
            return Int32(instructions.count - 1)
        }

        /// A byte instruction.
        mutating func byte(_ set: ByteSet, _ next: Int32) throws(SafePatternError) -> Int32 {
            try emit(Instruction(operation: .byte, x: next, y: 0, set: set))
        }

        /// A split instruction.
        mutating func split(_ a: Int32, _ b: Int32) throws(SafePatternError) -> Int32 {
            try emit(Instruction(operation: .split, x: a, y: b, set: ByteSet()))
        }

        /// Compiles `node` to continue at `next`; returns its entry.
        mutating func compile(_ node: PatternNode, next: Int32) throws(SafePatternError) -> Int32 {
            switch node {
            case .empty:
                return next
            case .textStart:
                return try emit(Instruction(operation: .assertStart, x: next, y: 0, set: ByteSet()))
            case .textEnd:
                return try emit(Instruction(operation: .assertEnd, x: next, y: 0, set: ByteSet()))
            case .bytes(let bytes):
                var entry = next
                for b in bytes.reversed() { entry = try byte(.range(b, b), entry) }
                return entry
            case .scalar(let set):
                return try compileScalar(set, next: next)
            case .concat(let parts):
                var entry = next
                for part in parts.reversed() { entry = try compile(part, next: entry) }
                return entry
            case .alternate(let branches):
                var entry = try compile(branches[branches.count - 1], next: next)
                for branch in branches.dropLast().reversed() {
                    entry = try split(try compile(branch, next: next), entry)
                }
                return entry
            case .repetition(let sub, let min, let max, let offset, let text):
                let isOuter = outerRepetition == nil
                if isOuter { outerRepetition = (offset, text) }
                defer { if isOuter { outerRepetition = nil } }
                var entry: Int32
                if let max {
                    // Optional copies, innermost first: each may stop and continue at `next`.
                    entry = next
                    for _ in 0..<(max - min) {
                        entry = try split(try compile(sub, next: entry), next)
                    }
                    for _ in 0..<min { entry = try compile(sub, next: entry) }
                } else {
                    // loop: split(body, next); body continues at loop. `x+` enters at the body.
                    let loop = try split(0, next)
                    let body = try compile(sub, next: loop)
                    instructions[Int(loop)].x = body
                    entry = min == 0 ? loop : body
                    for _ in 0..<Swift.max(0, min - 1) { entry = try compile(sub, next: entry) }
                }
                return entry
            }
        }

        /// One scalar from `set`: a byte test for the ASCII part, plus, when non-ASCII scalars are
        /// members, the well-formed UTF-8 multi-byte sequences of RFC 3629 §4.
        mutating func compileScalar(_ set: ScalarClass, next: Int32) throws(SafePatternError) -> Int32 {
            guard set.nonASCII else { return try byte(set.ascii, next) }
            let tail = ByteSet.range(0x80, 0xBF)
            let tail1 = try byte(tail, next)
            let tail2 = try byte(tail, tail1)
            let tail3 = try byte(tail, tail2)
            var entries: [Int32] = []
            if !set.ascii.isEmpty { entries.append(try byte(set.ascii, next)) }
            entries.append(try byte(.range(0xC2, 0xDF), tail1))
            entries.append(try byte(.range(0xE0, 0xE0), try byte(.range(0xA0, 0xBF), tail1)))
            entries.append(try byte(ByteSet.range(0xE1, 0xEC).union(.range(0xEE, 0xEF)), tail2))
            entries.append(try byte(.range(0xED, 0xED), try byte(.range(0x80, 0x9F), tail1)))
            entries.append(try byte(.range(0xF0, 0xF0), try byte(.range(0x90, 0xBF), tail2)))
            entries.append(try byte(.range(0xF1, 0xF3), tail3))
            entries.append(try byte(.range(0xF4, 0xF4), try byte(.range(0x80, 0x8F), tail2)))
            var entry = entries[entries.count - 1]
            for e in entries.dropLast().reversed() { entry = try split(e, entry) }
            return entry
        }

        /// Bytes that can be consumed first from `start` (assertions are followed, conservatively).
        func firstBytes(from start: Int32) -> ByteSet {
            var seen = [Bool](repeating: false, count: instructions.count)
            var stack = [start]
            var set = ByteSet()
            while let pc = stack.popLast() {
                if seen[Int(pc)] { continue }
                seen[Int(pc)] = true
                let inst = instructions[Int(pc)]
                switch inst.operation {
                case .byte: set = set.union(inst.set)
                case .split: stack.append(inst.x); stack.append(inst.y)
                case .assertStart, .assertEnd: stack.append(inst.x)
                case .match: break
                }
            }
            return set
        }
    }

    /// A compiled pattern and its simulation.
    struct Program: Sendable {
        /// The instructions; index 0 is `match`.
        let instructions: [Instruction]
        /// Entry point.
        let start: Int32
        /// Whether every match starts at offset 0 (then only one thread set is ever started).
        let anchoredAtStart: Bool
        /// Bytes a match can begin with; used to skip ahead while no thread is alive.
        let firstBytes: ByteSet

        /// Simulates the NFA over `bytes`: `whole` requires the match to span all of them, otherwise
        /// a match may start and end anywhere. Time O(bytes × instructions); no allocation per byte
        /// (the two thread lists, the closure stack and the marks are allocated once per call).
        func run(_ bytes: UnsafeRawBufferPointer, whole: Bool) -> Bool {
            let count = instructions.count
            return instructions.withUnsafeBufferPointer { code in
                withUnsafeTemporaryAllocation(of: Int32.self, capacity: 3 * count) { lists in
                    withUnsafeTemporaryAllocation(of: Int.self, capacity: count) { marks in
                        marks.initialize(repeating: -1)
                        var vm = Machine(code: code.baseAddress!, marks: marks.baseAddress!,
                                         stack: lists.baseAddress! + 2 * count, end: bytes.count)
                        return vm.run(bytes, current: lists.baseAddress!, next: lists.baseAddress! + count,
                                      start: start, seedEverywhere: !whole && !anchoredAtStart,
                                      whole: whole, firstBytes: firstBytes)
                    }
                }
            }
        }
    }

    /// The Pike VM state for one call: thread lists are sets of `byte` instructions waiting for the
    /// next input byte; `marks[pc] == position` means pc was already added at this position.
    struct Machine {
        /// The program.
        let code: UnsafePointer<Instruction>
        /// Per instruction, the last position at which it was added to a thread list.
        let marks: UnsafeMutablePointer<Int>
        /// Work stack for epsilon closures (at most one entry per instruction).
        let stack: UnsafeMutablePointer<Int32>
        /// Input length.
        let end: Int

        /// Adds the epsilon closure of `pc` at `position` to `list`; returns whether `match` was reached.
        @inline(__always)
        mutating func addClosure(_ pc: Int32, at position: Int, to list: UnsafeMutablePointer<Int32>, count: inout Int) -> Bool {
            if marks[Int(pc)] == position { return false }
            marks[Int(pc)] = position
            var depth = 0
            stack[0] = pc
            depth = 1
            var matched = false
            while depth > 0 {
                depth -= 1
                let current = stack[depth]
                let inst = code[Int(current)]
                var follow: Int32 = -1, also: Int32 = -1
                switch inst.operation {
                case .byte:
                    list[count] = current
                    count += 1
                case .match:
                    matched = true
                case .split:
                    follow = inst.x
                    also = inst.y
                case .assertStart:
                    if position == 0 { follow = inst.x }
                case .assertEnd:
                    if position == end { follow = inst.x }
                }
                if also >= 0 && marks[Int(also)] != position {
                    marks[Int(also)] = position
                    stack[depth] = also
                    depth += 1
                }
                if follow >= 0 && marks[Int(follow)] != position {
                    marks[Int(follow)] = position
                    stack[depth] = follow
                    depth += 1
                }
            }
            return matched
        }

        /// The simulation loop.
        mutating func run(_ bytes: UnsafeRawBufferPointer, current: UnsafeMutablePointer<Int32>,
                          next: UnsafeMutablePointer<Int32>, start: Int32, seedEverywhere: Bool,
                          whole: Bool, firstBytes: ByteSet) -> Bool {
            var clist = current, nlist = next
            var ccount = 0
            var position = 0
            var matched = addClosure(start, at: 0, to: clist, count: &ccount)
            while true {
                if matched && (!whole || position == end) { return true }
                if position == end { return false }
                if ccount == 0 {
                    if !seedEverywhere { return false }
                    // Nothing alive: jump to the next byte that can begin a match (or the end).
                    var p = position + 1
                    while p < end && !firstBytes.contains(bytes[p]) { p += 1 }
                    position = p
                    matched = addClosure(start, at: position, to: clist, count: &ccount)
                    continue
                }
                let b = bytes[position]
                let following = position + 1
                var ncount = 0
                matched = false
                for k in 0..<ccount {
                    let inst = code[Int(clist[k])]
                    if inst.set.contains(b) && addClosure(inst.x, at: following, to: nlist, count: &ncount) {
                        matched = true
                        if !whole { return true }
                    }
                }
                if seedEverywhere && addClosure(start, at: following, to: nlist, count: &ncount) {
                    matched = true
                }
                swap(&clist, &nlist)
                ccount = ncount
                position = following
            }
        }
    }
}
