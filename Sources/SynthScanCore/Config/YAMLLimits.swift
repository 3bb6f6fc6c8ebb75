/// Safety bounds for reading one YAML file.
///
/// Alias policy: with `maxAliasUses == 0` (the configuration default) anchors (`&name`) and aliases
/// (`*name`) are rejected outright. With a positive value, at most that many alias uses are allowed
/// in the whole document. Before parsing, the raw text is also scanned for `*name`-like character
/// sequences (wherever they occur, quoted text and comments included) and the file is rejected if
/// there are more than `maxAliasUses + aliasLikeSlack`: this bounds the work Yams does while it
/// composes the document (it hashes mapping keys, which would follow aliases), so a
/// "billion laughs" document is refused before Yams sees it.
public struct YAMLLimits: Sendable, Equatable {
    /// Largest accepted file, in bytes.
    public var maxBytes: Int
    /// Largest number of alias uses (`*name`) allowed; 0 forbids anchors and aliases altogether.
    public var maxAliasUses: Int

    /// `*name`-like sequences tolerated beyond `maxAliasUses` in the raw text (in strings or comments).
    public static let aliasLikeSlack = 8

    /// Creates limits.
    public init(maxBytes: Int, maxAliasUses: Int) {
        self.maxBytes = maxBytes
        self.maxAliasUses = max(0, maxAliasUses)
    }

    /// Limits for `synthscan.yaml`: 1 MiB, no anchors or aliases.
    public static let configuration = YAMLLimits(maxBytes: 1 << 20, maxAliasUses: 0)

    /// The most `*name`-like sequences the raw text may contain before it is refused unparsed.
    public var maxAliasLikeSequences: Int { maxAliasUses + YAMLLimits.aliasLikeSlack }
}
