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
}
