/// Maps check kind names (the `check:` field of a rule) to the built-in checks.
public enum CheckRegistry {
    /// Every built-in check kind.
    public static let all: [any Check.Type] = [ExactCopyCheck.self]

    /// The check for `kind`, if it exists.
    public static func check(kind: String) -> (any Check)? {
        switch kind {
        case ExactCopyCheck.kind: ExactCopyCheck()
        default: nil
        }
    }

    /// The declared parameters of `kind`.
    public static func parameters(kind: String) -> [ParameterSpec]? {
        all.first { $0.kind == kind }?.parameters
    }

    /// All kind names, sorted.
    public static var kinds: [String] { all.map { $0.kind }.sorted() }
}
