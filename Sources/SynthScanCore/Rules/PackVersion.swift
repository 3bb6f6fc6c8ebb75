// Rule pack versions and version requirements.
//
// `PackVersion` implements Semantic Versioning 2.0.0 (https://semver.org/spec/v2.0.0.html):
// the version grammar of §2, §9 and §10 (strict: three numeric parts without leading zeros,
// dot-separated pre-release identifiers with no leading zeros in numeric ones, build metadata)
// and precedence per §11 (build metadata ignored).
//
// `PackVersionRange` follows the range syntax of npm's node-semver (README, "Ranges":
// comparators, `||`, tilde and caret ranges, partial versions, and the rule that a pre-release
// version only satisfies a comparator set with a pre-release on the same MAJOR.MINOR.PATCH),
// which is also what Cargo's `^`/`~` requirements mean. Written from those descriptions.

/// A semantic version (SemVer 2.0.0) of a rule pack, e.g. `1.4.0` or `2.0.0-rc.1+build.7`.
///
/// Equality, hashing and ordering follow SemVer precedence, so build metadata is ignored by
/// all three (`1.0.0+a == 1.0.0+b`); `description` keeps it.
public struct PackVersion: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// The MAJOR number (incompatible changes).
    public let major: Int
    /// The MINOR number (compatible additions).
    public let minor: Int
    /// The PATCH number (compatible fixes).
    public let patch: Int
    /// Dot-separated pre-release identifiers (`["rc", "1"]` for `-rc.1`); empty for a release.
    public let preRelease: [String]
    /// Dot-separated build metadata identifiers (`["build", "7"]` for `+build.7`); ignored for precedence.
    public let build: [String]

    /// A release version `major.minor.patch` (each must be ≥ 0).
    public init(major: Int, minor: Int, patch: Int) {
        precondition(major >= 0 && minor >= 0 && patch >= 0, "version numbers are non-negative")
        self.major = major
        self.minor = minor
        self.patch = patch
        self.preRelease = []
        self.build = []
    }

    /// Internal memberwise initializer; identifiers must already be valid.
    init(major: Int, minor: Int, patch: Int, preRelease: [String], build: [String] = []) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.preRelease = preRelease
        self.build = build
    }

    /// Parses a strict SemVer 2.0.0 version (no `v` prefix, no spaces, no leading zeros, all three parts).
    public init?(_ text: String) {
        guard let version = try? Self.parse(Substring(text)) else { return nil }
        self = version
    }

    /// Whether this is a pre-release (has pre-release identifiers).
    public var isPreRelease: Bool { !preRelease.isEmpty }

    /// The version as text, including pre-release and build metadata.
    public var description: String {
        var text = "\(major).\(minor).\(patch)"
        if !preRelease.isEmpty { text += "-" + preRelease.joined(separator: ".") }
        if !build.isEmpty { text += "+" + build.joined(separator: ".") }
        return text
    }

    /// Equal precedence (build metadata ignored).
    public static func == (a: PackVersion, b: PackVersion) -> Bool {
        a.major == b.major && a.minor == b.minor && a.patch == b.patch && a.preRelease == b.preRelease
    }

    /// Hashes the parts that take part in precedence (not build metadata).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(major)
        hasher.combine(minor)
        hasher.combine(patch)
        hasher.combine(preRelease)
    }

    /// SemVer §11 precedence.
    public static func < (a: PackVersion, b: PackVersion) -> Bool {
        if a.major != b.major { return a.major < b.major }
        if a.minor != b.minor { return a.minor < b.minor }
        if a.patch != b.patch { return a.patch < b.patch }
        // §11.3: a pre-release has lower precedence than the release.
        switch (a.preRelease.isEmpty, b.preRelease.isEmpty) {
        case (true, true), (true, false): return false
        case (false, true): return true
        case (false, false): break
        }
        // §11.4: identifier by identifier; a longer list wins when all shared ones are equal.
        for (x, y) in zip(a.preRelease, b.preRelease) where x != y {
            return identifierPrecedes(x, y)
        }
        return a.preRelease.count < b.preRelease.count
    }

    /// §11.4.1–3: numeric identifiers compare numerically and sort before alphanumeric ones,
    /// which compare in ASCII order. Numbers are compared by length, then digits (no overflow).
    private static func identifierPrecedes(_ x: String, _ y: String) -> Bool {
        let xNumeric = isNumeric(x), yNumeric = isNumeric(y)
        switch (xNumeric, yNumeric) {
        case (true, true):
            if x.utf8.count != y.utf8.count { return x.utf8.count < y.utf8.count }
            return x.utf8.lexicographicallyPrecedes(y.utf8)
        case (true, false): return true
        case (false, true): return false
        case (false, false): return x.utf8.lexicographicallyPrecedes(y.utf8)
        }
    }

    /// Whether `identifier` is all ASCII digits.
    private static func isNumeric(_ identifier: some StringProtocol) -> Bool {
        !identifier.isEmpty && identifier.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// Whether `identifier` is non-empty and uses only `[0-9A-Za-z-]` (SemVer §9, §10).
    private static func isIdentifier(_ identifier: some StringProtocol) -> Bool {
        !identifier.isEmpty && identifier.utf8.allSatisfy { c in
            (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z"))
                || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || c == UInt8(ascii: "-")
        }
    }

    /// Parses one numeric part (no leading zeros, fits in `Int`), naming the part on failure.
    static func parseNumber(_ text: Substring, part: String) throws(PackVersion.SyntaxError) -> Int {
        if text.isEmpty { throw PackVersion.SyntaxError("the \(part) version is missing") }
        guard isNumeric(text) else { throw PackVersion.SyntaxError("\(part) version '\(text)' is not a number") }
        if text.count > 1 && text.hasPrefix("0") {
            throw PackVersion.SyntaxError("\(part) version '\(text)' has a leading zero")
        }
        guard let value = Int(text) else { throw PackVersion.SyntaxError("\(part) version '\(text)' is too large") }
        return value
    }

    /// Parses pre-release identifiers (after `-`).
    static func parsePreRelease(_ text: Substring) throws(PackVersion.SyntaxError) -> [String] {
        var identifiers: [String] = []
        for piece in text.split(separator: ".", omittingEmptySubsequences: false) {
            guard isIdentifier(piece) else {
                let what = piece.isEmpty ? "an empty identifier" : "identifier '\(piece)' (allowed: 0-9 A-Z a-z -)"
                throw PackVersion.SyntaxError("pre-release '\(text)' has \(what)")
            }
            if isNumeric(piece) && piece.count > 1 && piece.hasPrefix("0") {
                throw PackVersion.SyntaxError("pre-release identifier '\(piece)' has a leading zero")
            }
            identifiers.append(String(piece))
        }
        return identifiers
    }

    /// Parses build metadata identifiers (after `+`; leading zeros allowed).
    static func parseBuild(_ text: Substring) throws(PackVersion.SyntaxError) -> [String] {
        var identifiers: [String] = []
        for piece in text.split(separator: ".", omittingEmptySubsequences: false) {
            guard isIdentifier(piece) else {
                let what = piece.isEmpty ? "an empty identifier" : "identifier '\(piece)' (allowed: 0-9 A-Z a-z -)"
                throw PackVersion.SyntaxError("build metadata '\(text)' has \(what)")
            }
            identifiers.append(String(piece))
        }
        return identifiers
    }

    /// Splits `text` into the core (before `-`/`+`), pre-release and build parts.
    static func splitSuffixes(_ text: Substring) -> (core: Substring, preRelease: Substring?, build: Substring?) {
        var rest = text
        var build: Substring?
        if let plus = rest.firstIndex(of: "+") {
            build = rest[rest.index(after: plus)...]
            rest = rest[..<plus]
        }
        var preRelease: Substring?
        if let dash = rest.firstIndex(of: "-") {
            preRelease = rest[rest.index(after: dash)...]
            rest = rest[..<dash]
        }
        return (rest, preRelease, build)
    }

    /// Parses a complete strict version, explaining what is wrong.
    static func parse(_ text: Substring) throws(PackVersion.SyntaxError) -> PackVersion {
        if text.isEmpty { throw PackVersion.SyntaxError("the version is empty") }
        let (core, pre, build) = splitSuffixes(text)
        let parts = core.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw PackVersion.SyntaxError("'\(core)' needs exactly three parts MAJOR.MINOR.PATCH")
        }
        return PackVersion(major: try parseNumber(parts[0], part: "major"),
                           minor: try parseNumber(parts[1], part: "minor"),
                           patch: try parseNumber(parts[2], part: "patch"),
                           preRelease: try pre.map { s throws(PackVersion.SyntaxError) in try parsePreRelease(s) } ?? [],
                           build: try build.map { s throws(PackVersion.SyntaxError) in try parseBuild(s) } ?? [])
    }

    /// The smallest pre-release of `major.minor.patch` (`X.Y.Z-0`), used as an exclusive upper bound.
    static func lowestPreRelease(_ major: Int, _ minor: Int, _ patch: Int) -> PackVersion {
        PackVersion(major: major, minor: minor, patch: patch, preRelease: ["0"])
    }
}

extension PackVersion {
    /// What is wrong with a version's text (internal; wrapped by the public errors).
    struct SyntaxError: Error, Equatable {
        /// A human explanation.
        let reason: String
        /// An error explained by `reason`.
        init(_ reason: String) { self.reason = reason }
    }
}

/// A requirement on a pack version, in npm/Cargo range syntax: `^1.2`, `~1.2.3`, `>=0.1 <1.0`,
/// `1.2.3`, `*`, and alternatives joined by `||`.
///
/// - `1.2.3` / `=1.2.3`: exactly that version; a partial `1.2` or `1` means any version with that prefix.
/// - `^1.2.3` := `>=1.2.3 <2.0.0`, `^0.2.3` := `>=0.2.3 <0.3.0`, `^0.0.3` := `>=0.0.3 <0.0.4`,
///   `^1.2` := `>=1.2.0 <2.0.0`, `^0.0` := `>=0.0.0 <0.1.0`, `^1` := `>=1.0.0 <2.0.0`.
/// - `~1.2.3` := `>=1.2.3 <1.3.0`, `~1.2` := `>=1.2.0 <1.3.0`, `~1` := `>=1.0.0 <2.0.0`.
/// - `>`, `>=`, `<`, `<=` accept partial versions (`>=0.1` := `>=0.1.0`, `<1.0` := `<1.0.0`,
///   `>1.2` := `>=1.3.0`, `<=1.2` := `<1.3.0`).
/// - Comparators separated by spaces must all hold; `||` separates alternatives.
/// - A pre-release version satisfies an alternative only if one of its comparators names a
///   pre-release of the same MAJOR.MINOR.PATCH (`>=1.0.0-beta` admits `1.0.0-rc.1`, not `1.1.0-rc.1`).
///
/// Exclusive upper bounds produced by partial versions, `^` and `~` exclude the bound's
/// pre-releases too (`^1.2` does not admit `2.0.0-alpha`), as in npm.
public struct PackVersionRange: Sendable, CustomStringConvertible {
    /// The relation a comparator checks.
    enum Relation: Sendable {
        case less, lessOrEqual, greater, greaterOrEqual, equal
    }

    /// One primitive comparison against a full version.
    struct Comparator: Sendable {
        /// How the version must relate to `bound`.
        var relation: Relation
        /// The version compared against.
        var bound: PackVersion

        /// Whether `v` satisfies this comparison.
        func admits(_ v: PackVersion) -> Bool {
            switch relation {
            case .less: v < bound
            case .lessOrEqual: v <= bound
            case .greater: v > bound
            case .greaterOrEqual: v >= bound
            case .equal: v == bound
            }
        }
    }

    /// The range as written (whitespace-trimmed).
    public let text: String
    /// Alternatives (OR) of comparator sets (AND); an empty set admits every release.
    let alternatives: [[Comparator]]

    /// Parses a range, explaining which part is wrong.
    public init(_ text: String) throws(PackVersionRangeError) {
        let trimmed = Self.trimmed(text)
        self.text = trimmed
        if trimmed.isEmpty {
            throw PackVersionRangeError(range: trimmed, part: trimmed, reason: "the range is empty (use '*' for any version)")
        }
        var alternatives: [[Comparator]] = []
        for alternative in Self.splitAlternatives(trimmed) {
            let tokens = Self.joinOperators(alternative.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init))
            if tokens.isEmpty {
                throw PackVersionRangeError(range: trimmed, part: trimmed, reason: "an alternative around '||' is empty")
            }
            var set: [Comparator] = []
            for token in tokens {
                do {
                    set += try Self.parseComparator(token)
                } catch {
                    throw PackVersionRangeError(range: trimmed, part: token, reason: error.reason)
                }
            }
            alternatives.append(set)
        }
        self.alternatives = alternatives
    }

    /// The range as written.
    public var description: String { text }

    /// Whether `v` satisfies the range (see the type's documentation for pre-releases).
    public func contains(_ v: PackVersion) -> Bool {
        alternatives.contains { set in
            guard set.allSatisfy({ $0.admits(v) }) else { return false }
            if !v.isPreRelease { return true }
            return set.contains { c in
                c.bound.isPreRelease && c.bound.major == v.major && c.bound.minor == v.minor && c.bound.patch == v.patch
            }
        }
    }

    /// Splits on `||` (surrounding spaces optional).
    private static func splitAlternatives(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var iterator = text.makeIterator()
        var lookahead = iterator.next()
        while let c = lookahead {
            lookahead = iterator.next()
            if c == "|" && lookahead == "|" {
                parts.append(current)
                current = ""
                lookahead = iterator.next()
            } else {
                current.append(c)
            }
        }
        parts.append(current)
        return parts
    }

    /// Joins a bare operator token with the version after it (`>= 1.2` → `>=1.2`).
    private static func joinOperators(_ tokens: [String]) -> [String] {
        var out: [String] = []
        var i = 0
        while i < tokens.count {
            let token = tokens[i]
            if ["=", "^", "~", ">", ">=", "<", "<="].contains(token), i + 1 < tokens.count {
                out.append(token + tokens[i + 1])
                i += 2
            } else {
                out.append(token)
                i += 1
            }
        }
        return out
    }

    /// A possibly partial version: MAJOR[.MINOR[.PATCH[-pre][+build]]].
    private struct Partial {
        /// MAJOR (always given).
        var major: Int
        /// MINOR, if given.
        var minor: Int?
        /// PATCH, if given.
        var patch: Int?
        /// Pre-release identifiers (only with all three parts).
        var preRelease: [String]

        /// The version with missing parts as 0.
        var floor: PackVersion {
            PackVersion(major: major, minor: minor ?? 0, patch: patch ?? 0, preRelease: preRelease)
        }
    }

    /// Parses a partial version written after operator `op` (used in hints).
    private static func parsePartial(_ text: Substring, op: String) throws(PackVersion.SyntaxError) -> Partial {
        if text.isEmpty { throw PackVersion.SyntaxError("a version is missing after the operator") }
        let (core, pre, build) = PackVersion.splitSuffixes(text)
        let parts = core.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count > 3 {
            throw PackVersion.SyntaxError("'\(core)' has more than three parts MAJOR.MINOR.PATCH")
        }
        let names = ["major", "minor", "patch"]
        var numbers: [Int] = []
        for (part, name) in zip(parts, names) {
            if ["x", "X", "*"].contains(part) {
                let prefix = numbers.map(String.init).joined(separator: ".")
                let hint = prefix.isEmpty ? "use '*' for any version" : "leave the part out: write '\(op)\(prefix)'"
                throw PackVersion.SyntaxError("wildcard '\(part)' in the \(name) version is not supported; \(hint)")
            }
            numbers.append(try PackVersion.parseNumber(part, part: name))
        }
        var preRelease: [String] = []
        if let pre {
            guard numbers.count == 3 else {
                throw PackVersion.SyntaxError("a pre-release needs a full MAJOR.MINOR.PATCH version")
            }
            preRelease = try PackVersion.parsePreRelease(pre)
        }
        if let build {
            guard numbers.count == 3 else {
                throw PackVersion.SyntaxError("build metadata needs a full MAJOR.MINOR.PATCH version")
            }
            _ = try PackVersion.parseBuild(build)
        }
        return Partial(major: numbers[0], minor: numbers.count > 1 ? numbers[1] : nil,
                       patch: numbers.count > 2 ? numbers[2] : nil, preRelease: preRelease)
    }

    /// `n + 1`, or an error if it overflows.
    private static func next(_ n: Int) throws(PackVersion.SyntaxError) -> Int {
        let (sum, overflow) = n.addingReportingOverflow(1)
        if overflow { throw PackVersion.SyntaxError("version number \(n) is too large") }
        return sum
    }

    /// The exclusive upper bound just past every version starting with the given parts of `p`
    /// (`1.2` → `<1.3.0-0`, `1` → `<2.0.0-0`); nil when all three parts are given.
    private static func pastPrefix(_ p: Partial) throws(PackVersion.SyntaxError) -> Comparator? {
        if p.patch != nil { return nil }
        if let minor = p.minor {
            return Comparator(relation: .less, bound: PackVersion.lowestPreRelease(p.major, try next(minor), 0))
        }
        return Comparator(relation: .less, bound: PackVersion.lowestPreRelease(try next(p.major), 0, 0))
    }

    /// Parses one comparator token into primitive comparisons.
    private static func parseComparator(_ token: String) throws(PackVersion.SyntaxError) -> [Comparator] {
        if token == "*" { return [] }
        let operators = [">=", "<=", ">", "<", "=", "^", "~"]
        let op = operators.first { token.hasPrefix($0) } ?? ""
        let versionText = token.dropFirst(op.count)
        if let first = versionText.first, "<>=^~".contains(first) {
            throw PackVersion.SyntaxError("operator '\(op)' is followed by another operator")
        }
        if versionText == "*" {
            guard op.isEmpty || op == "=" || op == ">=" else { throw PackVersion.SyntaxError("'*' cannot follow '\(op)'") }
            return []
        }
        if versionText.hasPrefix("v") || versionText.hasPrefix("V") {
            throw PackVersion.SyntaxError("remove the 'v' prefix: versions are written like '1.2.3'")
        }
        if versionText.first == "-" {
            throw PackVersion.SyntaxError("hyphen ranges are not supported; write '>=A <=B'")
        }
        let partial = try parsePartial(versionText, op: op)
        let floor = partial.floor
        switch op {
        case "", "=":
            if let upper = try pastPrefix(partial) {
                return [Comparator(relation: .greaterOrEqual, bound: floor), upper]
            }
            return [Comparator(relation: .equal, bound: floor)]
        case ">=":
            return [Comparator(relation: .greaterOrEqual, bound: floor)]
        case "<":
            // `<1.2` excludes 1.2.0's pre-releases too: `<1.2.0-0`.
            if partial.patch == nil {
                return [Comparator(relation: .less, bound: PackVersion.lowestPreRelease(floor.major, floor.minor, 0))]
            }
            return [Comparator(relation: .less, bound: floor)]
        case ">":
            if partial.patch != nil { return [Comparator(relation: .greater, bound: floor)] }
            // `>1.2` means past every 1.2.x: `>=1.3.0`.
            let lower = partial.minor != nil
                ? PackVersion(major: floor.major, minor: try next(floor.minor), patch: 0)
                : PackVersion(major: try next(floor.major), minor: 0, patch: 0)
            return [Comparator(relation: .greaterOrEqual, bound: lower)]
        case "<=":
            if let upper = try pastPrefix(partial) { return [upper] }
            return [Comparator(relation: .lessOrEqual, bound: floor)]
        case "~":
            let upper = partial.minor != nil
                ? PackVersion.lowestPreRelease(floor.major, try next(floor.minor), 0)
                : PackVersion.lowestPreRelease(try next(floor.major), 0, 0)
            return [Comparator(relation: .greaterOrEqual, bound: floor), Comparator(relation: .less, bound: upper)]
        default: // "^": the leftmost non-zero part that was given may not change.
            let upper: PackVersion
            if floor.major > 0 || partial.minor == nil {
                upper = PackVersion.lowestPreRelease(try next(floor.major), 0, 0)
            } else if floor.minor > 0 || partial.patch == nil {
                upper = PackVersion.lowestPreRelease(0, try next(floor.minor), 0)
            } else {
                upper = PackVersion.lowestPreRelease(0, 0, try next(floor.patch))
            }
            return [Comparator(relation: .greaterOrEqual, bound: floor), Comparator(relation: .less, bound: upper)]
        }
    }

    /// `text` without leading and trailing spaces, tabs and newlines (no Foundation needed).
    private static func trimmed(_ text: String) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let start = text.firstIndex(where: { !isSpace($0) }),
              let end = text.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(text[start...end])
    }
}

/// Why a text is not a version range: the whole range, the offending part and the reason.
public struct PackVersionRangeError: Error, Equatable, CustomStringConvertible {
    /// The whole range as written (trimmed).
    public let range: String
    /// The comparator or part that is wrong (equal to `range` when the problem is the whole range).
    public let part: String
    /// What is wrong with `part`.
    public let reason: String

    /// E.g. `'^1.x' is not a version range: wildcard 'x' in the minor version is not supported; ...`.
    public var description: String {
        if part == range { return "'\(range)' is not a version range: \(reason)" }
        return "'\(range)' is not a version range: in '\(part)', \(reason)"
    }
}
