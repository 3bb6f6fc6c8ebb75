/// A built-in check kind: the Swift code a rule runs. Pure: same context and parameters, same outcome.
///
/// A kind declares everything a rule pack may say about it in one place: its parameters (types,
/// ranges, defaults) and the measurements it reports. The pack validator, `rules show`, message
/// templates and self-tests all read these declarations.
public protocol Check: Sendable {
    /// The kind name rules refer to in their `check:` field, e.g. `exact-copy`.
    static var kind: String { get }
    /// One sentence: what the kind measures.
    static var summary: String { get }
    /// The parameters this kind accepts, with types, defaults and documentation.
    static var parameters: [ParameterSpec] { get }
    /// The measurements every outcome of this kind may carry.
    static var measurements: [MeasurementSpec] { get }
    /// True when the check asks the context for nearest-record passes (`ScanContext.nearestRecords`):
    /// the expensive part of a scan, the only part a sharded scan (`--shard K/N`) computes.
    static var usesNearestRecordPasses: Bool { get }
    /// The nearest-record passes `rule` will ask for WITH the second-nearest record, declared before
    /// any rule runs so that other rules' nearest-only requests for the same tables share them
    /// (`ScanContext.expectSecondNearest(for:)`). An incomplete list costs time, never correctness.
    static func secondNearestPasses(rule: RuleDescriptor, context: ScanContext) throws -> [NeighbourPass]
    /// Creates the check (checks hold no state; parameters come with each rule).
    init()
    /// Runs the check for `rule`, whose `parameters` hold validated effective values.
    func run(rule: RuleDescriptor, context: ScanContext) throws -> RuleOutcome
}

extension Check {
    /// Most checks never search for nearest records.
    public static var usesNearestRecordPasses: Bool { false }
    /// Most checks need no second-nearest record.
    public static func secondNearestPasses(rule: RuleDescriptor, context: ScanContext) throws -> [NeighbourPass] { [] }
}

/// A rule whose check could not run with the given data or parameters.
public enum CheckError: Error, Equatable, CustomStringConvertible {
    /// A parameter value is not valid.
    case invalidParameter(rule: String, name: String, reason: String)
    /// A parameter names a column the data does not have.
    case unknownColumn(rule: String, column: String)
    /// A rule names a check kind this build does not have.
    case unknownKind(rule: String, kind: String)

    public var description: String {
        switch self {
        case .invalidParameter(let r, let n, let reason): "error: rule '\(r)': parameter '\(n)' \(reason)"
        case .unknownColumn(let r, let c): "error: rule '\(r)': column '\(c)' is not in the data"
        case .unknownKind(let r, let k): "error: rule '\(r)': unknown check kind '\(k)'"
        }
    }
}
