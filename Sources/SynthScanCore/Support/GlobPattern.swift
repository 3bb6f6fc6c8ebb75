// File-selection patterns for rule packs, in the style of POSIX.1-2017 "Pattern Matching
// Notation" (XCU §2.13: `*`, `?`, pathname rules where `/` is never matched by a wildcard)
// extended with the `**` segment of gitignore(5) and bash `globstar`. Bracket expressions are
// not supported: `[` and `]` are literal. Written from those descriptions.

/// A glob that selects files inside a rule pack folder by their `/`-separated relative path.
///
/// - `*` matches any run of characters except `/` (including none, and leading dots);
/// - `?` matches exactly one character except `/`;
/// - `**` as a whole segment matches zero or more whole segments;
/// - everything else matches itself, case-sensitively.
///
/// Matching compares Unicode scalars and runs in O(pattern × path) time: no exponential
/// backtracking whatever the pattern.
public struct GlobPattern: Sendable, Hashable, CustomStringConvertible {
    /// One piece of a segment.
    enum Token: Sendable, Hashable {
        /// Exactly this scalar.
        case literal(Unicode.Scalar)
        /// `?`: one scalar.
        case any
        /// `*`: any run of scalars.
        case star
    }

    /// One `/`-separated piece of the pattern.
    enum Segment: Sendable, Hashable {
        /// `**`: zero or more whole path segments.
        case anySegments
        /// A segment matching exactly one path segment.
        case tokens([Token])
    }

    /// The pattern as written.
    public let text: String
    /// The parsed segments (`.` segments dropped).
    let segments: [Segment]

    /// Parses `text`, rejecting absolute paths, `..`, empty patterns and segments, and `**` glued to other text.
    public init(_ text: String) throws(GlobPatternError) {
        self.text = text
        if text.isEmpty { throw GlobPatternError.empty }
        if text.hasPrefix("/") { throw GlobPatternError.absolute(pattern: text) }
        if text.contains("\\") { throw GlobPatternError.backslash(pattern: text) }
        var segments: [Segment] = []
        for piece in text.split(separator: "/", omittingEmptySubsequences: false) {
            if piece.isEmpty { throw GlobPatternError.emptySegment(pattern: text) }
            if piece == "." { continue }
            if piece == ".." { throw GlobPatternError.parentSegment(pattern: text) }
            if piece == "**" {
                // Consecutive `**` segments mean the same as one.
                if segments.last != .anySegments { segments.append(.anySegments) }
                continue
            }
            if piece.contains("**") {
                throw GlobPatternError.doubleStarInSegment(pattern: text, segment: String(piece))
            }
            segments.append(.tokens(piece.unicodeScalars.map { scalar in
                switch scalar {
                case "*": .star
                case "?": .any
                default: .literal(scalar)
                }
            }))
        }
        if segments.isEmpty { throw GlobPatternError.empty }
        self.segments = segments
    }

    /// The pattern as written.
    public var description: String { text }

    /// Whether the pattern has no wildcard, so it names exactly one path.
    public var isLiteral: Bool {
        segments.allSatisfy { segment in
            guard case .tokens(let tokens) = segment else { return false }
            return tokens.allSatisfy { if case .literal = $0 { true } else { false } }
        }
    }

    /// Whether `relativePath` (relative to the pack folder, `/`-separated) matches the pattern.
    ///
    /// Absolute paths and paths with a `..` segment never match; `.` and empty segments
    /// (`./a`, `a//b`) are ignored.
    public func matches(_ relativePath: String) -> Bool {
        if relativePath.hasPrefix("/") { return false }
        var path: [[Unicode.Scalar]] = []
        for piece in relativePath.split(separator: "/", omittingEmptySubsequences: true) {
            if piece == "." { continue }
            if piece == ".." { return false }
            path.append(Array(piece.unicodeScalars))
        }
        if path.isEmpty { return false }
        return Self.match(segments, path)
    }

    /// Matches segments against path segments. Every non-`**` segment consumes exactly one path
    /// segment, so, as in the classic single-star wildcard algorithm, on a mismatch it suffices
    /// to retry from the most recent `**` with one more segment absorbed: O(segments × path).
    private static func match(_ pattern: [Segment], _ path: [[Unicode.Scalar]]) -> Bool {
        var p = 0, s = 0
        var starP = -1, starS = 0
        while s < path.count {
            if p < pattern.count {
                switch pattern[p] {
                case .anySegments:
                    starP = p; starS = s; p += 1
                    continue
                case .tokens(let tokens):
                    if matchSegment(tokens, path[s]) { p += 1; s += 1; continue }
                }
            }
            guard starP >= 0 else { return false }
            starS += 1
            s = starS
            p = starP + 1
        }
        while p < pattern.count, pattern[p] == .anySegments { p += 1 }
        return p == pattern.count
    }

    /// Matches one segment's tokens against one path segment with the same single-backtrack-point
    /// algorithm at the scalar level (`*` never has to cross `/` here): O(tokens × scalars).
    private static func matchSegment(_ tokens: [Token], _ name: [Unicode.Scalar]) -> Bool {
        var t = 0, c = 0
        var starT = -1, starC = 0
        while c < name.count {
            if t < tokens.count {
                switch tokens[t] {
                case .star:
                    starT = t; starC = c; t += 1
                    continue
                case .any:
                    t += 1; c += 1
                    continue
                case .literal(let scalar):
                    if scalar == name[c] { t += 1; c += 1; continue }
                }
            }
            guard starT >= 0 else { return false }
            starC += 1
            c = starC
            t = starT + 1
        }
        while t < tokens.count, tokens[t] == .star { t += 1 }
        return t == tokens.count
    }
}

/// Why a text is not a valid file pattern; messages quote the pattern.
public enum GlobPatternError: Error, Equatable, CustomStringConvertible {
    /// The pattern is empty (or only `.` segments).
    case empty
    /// The pattern starts with `/`.
    case absolute(pattern: String)
    /// The pattern has a `..` segment.
    case parentSegment(pattern: String)
    /// The pattern has an empty segment (`a//b` or a trailing `/`).
    case emptySegment(pattern: String)
    /// `**` appears inside a segment with other text (e.g. `a**b`, `***`).
    case doubleStarInSegment(pattern: String, segment: String)
    /// The pattern contains `\` (paths in packs use `/`; escapes are not supported).
    case backslash(pattern: String)

    /// A one-line message for humans.
    public var description: String {
        switch self {
        case .empty:
            "empty file pattern: write a path relative to the pack folder, e.g. 'rules/*.yaml'"
        case .absolute(let p):
            "file pattern '\(p)' is absolute: patterns are relative to the pack folder, remove the leading '/'"
        case .parentSegment(let p):
            "file pattern '\(p)' contains '..': patterns cannot reach outside the pack folder"
        case .emptySegment(let p):
            "file pattern '\(p)' has an empty path segment ('//' or a trailing '/')"
        case .doubleStarInSegment(let p, let segment):
            "file pattern '\(p)': '**' must be a whole path segment (as in 'a/**/b'), found '\(segment)'; use '*' within a segment"
        case .backslash(let p):
            "file pattern '\(p)' contains '\\': separate folders with '/'; escapes are not supported"
        }
    }
}
