import Foundation
import Testing
@testable import SynthScanCore

/// The linear-time pattern matcher: a table of matches, whole matches, raw bytes, parse errors
/// with offsets, pathological patterns, and a differential test against Swift's `Regex`.
@Suite("SafePatternTests")
struct SafePatternTests {
    /// A pattern, an input, whether a search should find a match, and the case flag.
    struct Case: Sendable, CustomStringConvertible {
        let pattern: String
        let input: String
        let expected: Bool
        let caseInsensitive: Bool
        init(_ pattern: String, _ input: String, _ expected: Bool, caseInsensitive: Bool = false) {
            self.pattern = pattern
            self.input = input
            self.expected = expected
            self.caseInsensitive = caseInsensitive
        }
        var description: String { "/\(pattern)/\(caseInsensitive ? "i" : "") ~ \(input.debugDescription) = \(expected)" }
    }

    static let email = "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}"

    static let cases: [Case] = [
        // Literals, '.', anchors.
        Case("abc", "xxabcxx", true),
        Case("abc", "ab", false),
        Case("", "", true),
        Case("", "anything", true),
        Case("a.c", "abc", true),
        Case("a.c", "a\nc", false),
        Case("^abc", "abcd", true),
        Case("^abc", "xabc", false),
        Case("abc$", "xabc", true),
        Case("abc$", "abcx", false),
        Case("abc$", "abc\n", false),
        Case("^$", "", true),
        Case("^$", "x", false),
        Case("a^b", "a^b", false),
        // Classes.
        Case("[a-z0-9_-]+", "___", true),
        Case("^[a-z0-9_-]+$", "ab-9_z", true),
        Case("^[a-z0-9_-]+$", "ab.9", false),
        Case("^[^0-9]+$", "abc", true),
        Case("^[^0-9]+$", "ab3", false),
        Case("[]a]", "]", true),
        Case("^[a-]$", "-", true),
        Case("^[\\d.]+$", "3.14", true),
        Case("^[^\\s]+$", "no-space", true),
        Case("^[^\\s]+$", "one space", false),
        Case("^[\\]\\[]+$", "][", true),
        // Escapes.
        Case("^\\d+$", "0123456789", true),
        Case("^\\d+$", "12a", false),
        Case("^\\D+$", "abc", true),
        Case("^\\w+$", "snake_case1", true),
        Case("^\\w+$", "kebab-case", false),
        Case("^\\W$", "-", true),
        Case("\\s", "a b", true),
        Case("^\\S+$", "a\tb", false),
        Case("^a\\.b$", "a.b", true),
        Case("^a\\.b$", "axb", false),
        Case("^\\\\$", "\\", true),
        Case("^\\(\\)\\[\\]\\{\\}\\*\\+\\?\\|\\^\\$\\/\\-$", "()[]{}*+?|^$/-", true),
        Case("a\\tb", "a\tb", true),
        // Groups and alternation.
        Case("^(cat|dog)s?$", "dogs", true),
        Case("^(cat|dog)s?$", "cow", false),
        Case("^(?:ab)+$", "ababab", true),
        Case("^(?:ab)+$", "ababa", false),
        Case("^(a|b|)$", "", true),
        Case("x(a|bc)*y", "xabcbcay", true),
        Case("^(a|ab)(c|bcd)$", "abcd", true),
        // Quantifiers.
        Case("^a{3}$", "aaa", true),
        Case("^a{3}$", "aaaa", false),
        Case("^a{2,}$", "aaaaa", true),
        Case("^a{2,}$", "a", false),
        Case("^a{2,3}$", "aaa", true),
        Case("^a{2,3}$", "aaaa", false),
        Case("^a{0}b$", "b", true),
        Case("^a*?b$", "aab", true),
        Case("^(ab){2}$", "abab", true),
        Case("^(a+)+$", "aaaa", true),
        // UTF-8: '.', negated classes and \W consume a whole scalar.
        Case("^.{3}$", "é12", true),
        Case("^.{3}$", "é1", false),
        Case("^[^a]$", "é", true),
        Case("^\\W$", "€", true),
        Case("^é+$", "ééé", true),
        Case("^.$", "😀", true),
        Case("^..$", "😀", false),
        Case("^\\w+$", "café", false),
        // Identifier formats.
        Case("^MRN-\\d{7}$", "MRN-0012345", true),
        Case("^MRN-\\d{7}$", "MRN-001234", false),
        Case("^MRN-\\d{7}$", "MRN-00123456", false),
        Case("^MRN-\\d{7}$", "mrn-0012345", false),
        Case("^MRN-\\d{7}$", "mrn-0012345", true, caseInsensitive: true),
        Case("^\\d{3}-\\d{2}-\\d{4}$", "123-45-6789", true),
        Case("^\\d{3}-\\d{2}-\\d{4}$", "123-456-789", false),
        Case("\\d{3}-\\d{2}-\\d{4}", "SSN: 123-45-6789.", true),
        Case(email, "contact: jane.doe+x@clinic.example.org", true),
        Case(email, "jane.doe@localhost", false),
        Case(email, "@example.com", false),
        Case("^(\\+1[ -]?)?\\(?\\d{3}\\)?[ -]?\\d{3}-\\d{4}$", "+1 (555) 123-4567", true),
        Case("^[A-Z]\\d{2}(\\.\\d{1,4})?$", "E11.65", true),
        Case("^[A-Z]\\d{2}(\\.\\d{1,4})?$", "E1.65", false),
        Case("^\\d{4}-\\d{2}-\\d{2}$", "2024-02-30", true),
        // Case-insensitive matching folds ASCII letters only.
        Case("^[a-c]+$", "AbC", true, caseInsensitive: true),
        Case("^[^a]$", "A", false, caseInsensitive: true),
        Case("hello", "Say HELLO", true, caseInsensitive: true),
        Case("hello", "Say HELLO", false),
        Case("^é$", "É", false, caseInsensitive: true),
    ]

    @Test("search semantics", arguments: cases)
    func search(_ c: Case) throws {
        let pattern = try SafePattern(c.pattern, caseInsensitive: c.caseInsensitive)
        #expect(pattern.matches(c.input) == c.expected)
        var input = c.input
        let viaBytes = input.withUTF8 { pattern.firstMatch(in: UnsafeRawBufferPointer($0)) }
        #expect(viaBytes == c.expected)
    }

    @Test("whole-match semantics")
    func whole() throws {
        let cases: [(String, String, Bool)] = [
            ("abc", "abc", true),
            ("abc", "xabc", false),
            ("abc", "abcx", false),
            ("a|ab", "ab", true),
            ("(a|ab)(c|bcd)", "abcd", true),
            ("a*", "", true),
            ("b", "abc", false),
            ("^a$", "a", true),
            ("\\d{3}-\\d{2}-\\d{4}", "123-45-6789", true),
            ("\\d{3}-\\d{2}-\\d{4}", "123-45-67890", false),
            (".*", "any thing", true),
            ("a+", "aaab", false),
        ]
        for (text, input, expected) in cases {
            let pattern = try SafePattern(text)
            #expect(pattern.matchesWhole(input) == expected, "/\(text)/ whole \(input)")
            var copy = input
            #expect(copy.withUTF8 { pattern.wholeMatch(in: UnsafeRawBufferPointer($0)) } == expected)
        }
    }

    @Test("raw bytes: malformed UTF-8 is never matched by '.' or negated classes")
    func rawBytes() throws {
        func search(_ pattern: String, _ bytes: [UInt8]) throws -> Bool {
            let compiled = try SafePattern(pattern)
            return bytes.withUnsafeBytes { compiled.firstMatch(in: $0) }
        }
        #expect(try search("é", [0x78, 0xC3, 0xA9]))
        #expect(try !search("a.b", [0x61, 0xFF, 0x62]))
        #expect(try !search("[^x]", [0xFF]))
        #expect(try !search("^.$", [0xC0, 0x80]))                // overlong NUL
        #expect(try !search("^.$", [0xED, 0xA0, 0x80]))          // UTF-16 surrogate
        #expect(try !search("^.$", [0xF4, 0x90, 0x80, 0x80]))    // above U+10FFFF
        #expect(try search("^.$", [0xF4, 0x8F, 0xBF, 0xBF]))     // U+10FFFF
        #expect(try search("^.$", [0xE0, 0xA0, 0x80]))           // U+0800
        #expect(try !search("^.$", [0xC3]))                      // truncated
        #expect(try search("b", [0xFF, 0x62]))
        #expect(try search("^$", []))
        let empty = try SafePattern("^$")
        #expect(empty.firstMatch(in: UnsafeRawBufferPointer(start: nil, count: 0)))
        #expect(empty.wholeMatch(in: UnsafeRawBufferPointer(start: nil, count: 0)))
    }

    @Test("parse errors carry the offset and a message")
    func parseErrors() {
        let deep = String(repeating: "(", count: 101) + "a" + String(repeating: ")", count: 101)
        let cases: [(pattern: String, offset: Int, message: String)] = [
            ("a)", 1, "unbalanced ')'"),
            ("abc)def)", 3, "unbalanced ')'"),
            ("(ab(c)", 0, "missing ')' to close '('"),
            ("éé)", 2, "unbalanced ')'"),
            ("[abc", 0, "missing ']' to close '['"),
            ("x[]", 1, "missing ']' to close '['"),
            ("a{2,1}", 1, "quantifier '{2,1}' has min > max"),
            ("a{101}", 1, "quantifier '{101}' exceeds the limit of 100 repetitions"),
            ("a{1,101}", 1, "quantifier '{1,101}' exceeds the limit of 100 repetitions"),
            ("*a", 0, "quantifier '*' has nothing to repeat"),
            ("a|*", 2, "quantifier '*' has nothing to repeat"),
            ("(+)", 1, "quantifier '+' has nothing to repeat"),
            ("{3}", 0, "quantifier '{3}' has nothing to repeat"),
            ("a**", 2, "quantifier '*' follows another quantifier; group the repeated part with '(?: )' first"),
            ("a{2}{3}", 4, "quantifier '{3}' follows another quantifier; group the repeated part with '(?: )' first"),
            ("a++", 2, "possessive quantifier '++' is not supported"),
            ("a{", 1, "'{' must be escaped as '\\{' unless it starts a quantifier {n}, {n,} or {n,m}"),
            ("a{x}", 1, "'{' must be escaped as '\\{' unless it starts a quantifier {n}, {n,} or {n,m}"),
            ("a{,3}", 1, "quantifier '{,3}' needs a minimum: write '{0,...}'"),
            ("\\bword", 0, "word boundaries '\\b' and '\\B' are not supported"),
            ("(a)b\\1", 4, "backreferences like '\\1' are not supported"),
            ("x(?=a)", 1, "unsupported group '(?': only '( )' and '(?: )' are supported (no lookaround, inline flags or named groups)"),
            ("(?i)a", 0, "unsupported group '(?': only '( )' and '(?: )' are supported (no lookaround, inline flags or named groups)"),
            ("[z-a]", 1, "invalid range 'z-a' in a class: start is after end"),
            ("[é]", 1, "non-ASCII character 'é' in a class is not supported (classes are ASCII-only)"),
            ("[[:alpha:]]", 1, "'[' inside a class must be escaped as '\\['"),
            ("[a-\\d]", 1, "a class like '\\d' cannot end a range"),
            ("abc\\", 3, "trailing '\\' at the end of the pattern"),
            ("\\q", 0, "unknown escape '\\q'"),
            ("\\A", 0, "escape '\\A' is not supported; use '^' or '$'"),
            (deep, 100, "groups nested deeper than 100"),
            ("x(a{100}){100}", 9, "pattern too large: repeating '{100}' needs more than 10000 instructions"),
            (String(repeating: "a", count: 10_001), 0, "pattern too large: it needs more than 10000 instructions"),
        ]
        for c in cases {
            do {
                _ = try SafePattern(c.pattern)
                Issue.record("/\(c.pattern)/ should be rejected")
            } catch {
                #expect(error.offset == c.offset, "/\(c.pattern)/: \(error)")
                #expect(error.message == c.message, "/\(c.pattern)/: \(error)")
                #expect(error.description == "\(c.message) at offset \(c.offset)")
            }
        }
    }

    @Test("size limits: large but bounded patterns compile")
    func sizeLimits() throws {
        #expect(try SafePattern("a{100}").instructionCount <= SafePattern.maxInstructionCount)
        #expect(try SafePattern("(?:(?:a{10}){10}){10}").matchesWhole(String(repeating: "a", count: 1_000)))
        #expect(try SafePattern(".{100}").matches(String(repeating: "é", count: 100)))
        let nested = String(repeating: "(", count: 100) + "a" + String(repeating: ")", count: 100)
        #expect(try SafePattern(nested).matches("a"))
    }

    @Test("pathological patterns finish on 10,000 'a's (no backtracking)")
    func pathological() throws {
        let a10k = String(repeating: "a", count: 10_000)
        #expect(try !SafePattern("(a*)*b").matches(a10k))
        #expect(try !SafePattern("(a|a)*b").matches(a10k))
        #expect(try !SafePattern("((a+)+)+b").matches(a10k))
        #expect(try !SafePattern("(a|aa)*c").matches(a10k))
        #expect(try !SafePattern("^(a?){50}a{50}b$").matches(a10k))
        #expect(try SafePattern("^(a|a)*$").matches(a10k))
        #expect(try SafePattern("(a*)*$").matches(a10k))
        #expect(try SafePattern("^(a?){50}a{50}$").matches(String(repeating: "a", count: 50)))
        #expect(try !SafePattern("(x+x+)+y").matches(String(repeating: "x", count: 10_000)))
        #expect(try SafePattern("(a*)*b").matches(a10k + "b"))
    }

    @Test("the pattern is Sendable and reusable across tasks")
    func concurrentUse() async throws {
        let pattern = try SafePattern("^MRN-\\d{7}$")
        let results = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<8 { group.addTask { pattern.matches("MRN-\(1_000_000 + i)") } }
            var all: [Bool] = []
            for await r in group { all.append(r) }
            return all
        }
        #expect(results.count == 8 && results.allSatisfy { $0 })
    }

    // MARK: - Differential test against Swift Regex

    /// A SplitMix64 generator (fixed seed, so the cases are reproducible).
    private struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    }

    /// Random patterns from a small grammar that both engines read the same way.
    private struct PatternGrammar {
        var rng: SplitMix64

        static let atoms = ["a", "b", "c", "1", "-", ".", "[ab]", "[^a]", "[a-c]", "[^b-c1]", "[a-]",
                            "[1-]", "\\d", "\\w", "\\s", "\\D", "\\W", "\\.", "\\-"]
        static let quantifiers = ["", "", "", "*", "+", "?", "{2}", "{1,}", "{0,2}", "{1,3}", "*?", "{0}"]

        mutating func alternation(depth: Int) -> String {
            let count = depth > 0 && rng.below(4) == 0 ? 2 + rng.below(2) : 1
            return (0..<count).map { _ in concatenation(depth: depth) }.joined(separator: "|")
        }

        mutating func concatenation(depth: Int) -> String {
            (0..<(1 + rng.below(3))).map { _ in piece(depth: depth) }.joined()
        }

        mutating func piece(depth: Int) -> String {
            switch rng.below(20) {
            case 0: return "^"
            case 1: return "$"
            case 2...4 where depth > 0:
                let open = rng.below(2) == 0 ? "(" : "(?:"
                return open + alternation(depth: depth - 1) + ")" + rng.pick(Self.quantifiers)
            default:
                return rng.pick(Self.atoms) + rng.pick(Self.quantifiers)
            }
        }

        mutating func input(caseInsensitive: Bool) -> String {
            let alphabet: [Character] = caseInsensitive ? ["a", "b", "A", "B", "c", "1", "-", " "]
                                                        : ["a", "b", "c", "1", "-", " ", "é"]
            return String((0..<rng.below(9)).map { _ in rng.pick(alphabet) })
        }
    }

    @Test("agrees with Swift Regex on 2,000 random pattern/input pairs")
    func differential() throws {
        var grammar = PatternGrammar(rng: SplitMix64(state: 20_240_611))
        var mismatches: [String] = []
        var compared = 0, found = 0
        for _ in 0..<500 {
            let text = grammar.alternation(depth: 2)
            let caseInsensitive = grammar.rng.below(4) == 0
            let ours = try SafePattern(text, caseInsensitive: caseInsensitive)
            var reference = try Regex(text)
            reference = reference.asciiOnlyCharacterClasses()
            if caseInsensitive { reference = reference.ignoresCase() }
            for _ in 0..<4 {
                let input = grammar.input(caseInsensitive: caseInsensitive)
                let expected = (try reference.firstMatch(in: input)) != nil
                let actual = ours.matches(input)
                compared += 1
                if expected { found += 1 }
                if actual != expected {
                    mismatches.append("/\(text)/\(caseInsensitive ? "i" : "") on \(input.debugDescription): ours \(actual), Regex \(expected)")
                }
            }
        }
        #expect(compared == 2_000)
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, e.g.\n\(mismatches.prefix(10).joined(separator: "\n"))")
        // The grammar exercises both outcomes.
        #expect(found > 300 && found < 1_700, "\(found) of \(compared) matched")
    }
}
