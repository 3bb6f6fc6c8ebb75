import SynthScanCore

/// An error caused by the user's input, configuration or rules: printed as is, exit code 2.
struct UserFacingError: Error, CustomStringConvertible {
    let description: String

    /// Wraps the engine's typed errors; returns nil for anything else (an internal error).
    init?(_ error: any Error) {
        switch error {
        case let e as InputError: description = e.description
        case let e as SchemaError: description = e.description
        case let e as ConfigurationError: description = e.description
        case let e as CheckError: description = e.description
        case let e as RulePackError: description = e.description
        case let e as PackScaffold.ScaffoldError: description = e.description
        case let e as ShardSpecError: description = e.description
        case let e as PartialResultError: description = e.description
        case let e as ShardMergeError: description = e.description
        case let e as FileDigestError: description = e.description
        default: return nil
        }
    }

    init(message: String) { description = message }
}
