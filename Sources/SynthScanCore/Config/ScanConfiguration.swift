/// Everything a scan needs to know, from `synthscan.yaml` and the command line (which wins).
///
/// Paths are stored as given, already resolved against the folder of the config file that
/// named them (command-line paths are relative to the working directory).
public struct ScanConfiguration: Sendable, Equatable {
    /// The config file this came from, if any.
    public var configFile: String?
    /// The input tables and how to read them.
    public var inputs = InputsConfiguration()
    /// Column roles.
    public var roles = RoleAssignments()
    /// Per-column settings (type override, rounding, case folding), keyed by column name.
    public var columns: [String: ColumnSettings] = [:]
    /// What to do when the tables' schemas disagree.
    public var schemaPolicy = SchemaPolicy()
    /// Rule pack paths to load in addition to the built-in core pack.
    public var rulePacks: [String] = []
    /// Findings at or above this level make the scan exit with code 1; `nil` = never.
    public var failOn: Severity? = .error
    /// Seed for every random choice.
    public var seed: UInt64 = 20_261_129
    /// Where an input's location in SARIF is made relative to (defaults to the working directory).
    public var sourceRoot: String?
    /// The `release:` section: what the release card states about the release (`nil` = absent).
    public var release: ReleaseConfiguration?

    /// Creates the default configuration.
    public init() {}
}

/// The input tables and reading options.
public struct InputsConfiguration: Sendable, Equatable {
    /// Real data the generator was trained on.
    public var train: String?
    /// Real data the generator never saw.
    public var holdout: String?
    /// The synthetic release under review.
    public var synthetic: String?
    /// Format for all inputs; `nil` = chosen by each file's extension.
    public var format: InputFormatChoice?
    /// Values read as missing (compared after trimming surrounding spaces).
    public var missingValues: [String] = InputsConfiguration.defaultMissingValues

    /// The default missing-value tokens.
    public static let defaultMissingValues = ["", "NA", "N/A", "NaN", "null", "NULL", "?"]

    /// Creates default input settings.
    public init() {}
}

/// A user's choice of input format.
public enum InputFormatChoice: Sendable, Equatable {
    /// Comma-separated.
    case csv
    /// Tab-separated.
    case tsv
    /// Any single-byte delimiter.
    case delimited(UInt8)
    /// JSON Lines.
    case jsonLines
}

/// Which columns play which role.
public struct RoleAssignments: Sendable, Equatable {
    /// Direct identifiers (MRN, name): excluded from record comparison.
    public var identifiers: [String] = []
    /// Quasi-identifiers.
    public var quasiIdentifiers: [String] = []
    /// Sensitive attributes.
    public var sensitive: [String] = []
    /// Protected attributes.
    public var protected: [String] = []
    /// Outcome column and its positive value.
    public var outcome: OutcomeSpec?
    /// Columns no check looks at.
    public var ignored: [String] = []

    /// Creates empty role assignments.
    public init() {}

    /// Every (column, role) pair named.
    public var all: [(column: String, role: ColumnRole)] {
        identifiers.map { ($0, .identifier) } + quasiIdentifiers.map { ($0, .quasiIdentifier) }
            + sensitive.map { ($0, .sensitive) } + protected.map { ($0, .protected) }
            + (outcome.map { [($0.column, ColumnRole.outcome)] } ?? []) + ignored.map { ($0, .ignored) }
    }
}

/// The outcome column of bias checks and the value that counts as positive.
public struct OutcomeSpec: Sendable, Equatable {
    /// Column name.
    public var column: String
    /// The positive value, as written in the data (e.g. "1", "yes").
    public var positiveValue: String

    /// Creates an outcome specification.
    public init(column: String, positiveValue: String) {
        self.column = column
        self.positiveValue = positiveValue
    }
}

/// Settings for one column.
public struct ColumnSettings: Sendable, Equatable {
    /// Forced type (else inferred).
    public var type: ColumnType?
    /// Round numeric values to this many decimal places before hashing (may be negative: -1 rounds to tens).
    public var roundDigits: Int?
    /// Fold categories to lower case before comparing and hashing.
    public var caseFold: Bool = false
    /// Band edges of a numeric or datetime column (strictly increasing, at least two), for
    /// subgroup checks: `[0, 18, 45, 65, 90]` makes the bands [0, 18), [18, 45), [45, 65), [65, 90].
    /// Datetime edges are seconds since 1970-01-01T00:00:00Z.
    public var bands: [Double]?

    /// Creates column settings.
    public init(type: ColumnType? = nil, roundDigits: Int? = nil, caseFold: Bool = false, bands: [Double]? = nil) {
        self.type = type
        self.roundDigits = roundDigits
        self.caseFold = caseFold
        self.bands = bands
    }
}

/// How strictly the three tables' columns must agree.
public struct SchemaPolicy: Sendable, Equatable {
    /// A train column absent from the synthetic (or holdout) table.
    public var missingColumn: PolicyLevel = .error
    /// A synthetic (or holdout) column absent from the train table.
    public var extraColumn: PolicyLevel = .warning
    /// A column whose values read as different types in different tables.
    public var typeConflict: PolicyLevel = .error

    /// Creates the default policy.
    public init() {}
}

/// Whether a schema problem stops the scan or is reported and worked around.
public enum PolicyLevel: String, Sendable, Equatable, CaseIterable {
    /// Stop with exit code 2.
    case error
    /// Report, then continue (the column is left out, or read as categorical on a type conflict).
    case warning
}

/// Severity of a rule and its findings (the SARIF `level`).
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    /// Informational.
    case note
    /// Should be looked at before release.
    case warning
    /// Blocks a release.
    case error

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    private var rank: Int {
        switch self { case .note: 0; case .warning: 1; case .error: 2 }
    }
}
