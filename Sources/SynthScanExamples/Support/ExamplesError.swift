/// Errors raised while generating or writing example and benchmark data.
public enum ExamplesError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A file or directory could not be created, opened or written.
    case io(path: String, reason: String)
    /// A caller passed an argument outside its documented range.
    case invalidArgument(String)
    /// Rejection sampling could not satisfy its constraints within its attempt budget.
    case samplingExhausted(String)

    /// A one-line, human-readable explanation of the error.
    public var description: String {
        switch self {
        case .io(let path, let reason):
            return "I/O error at '\(path)': \(reason)"
        case .invalidArgument(let message):
            return "invalid argument: \(message)"
        case .samplingExhausted(let message):
            return "sampling gave up: \(message)"
        }
    }
}
