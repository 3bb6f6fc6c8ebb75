/// The storage and comparison type of a column, shared by the train, holdout and synthetic tables.
public enum ColumnType: String, Sendable, CaseIterable, Codable {
    /// Real numbers, stored as Float64 with a missing mask.
    case numeric
    /// A finite set of labels, stored as integer codes over one dictionary shared by all tables.
    case categorical
    /// ISO 8601 dates and timestamps, stored as seconds since 1970-01-01T00:00:00Z (Float64).
    case datetime
    /// true/false, yes/no; stored as codes 0 (false) and 1 (true).
    case boolean
    /// Free text or identifiers: kept for pattern checks, excluded from distances.
    case text

    /// Whether values of this type are stored as Float64.
    public var isNumericStorage: Bool { self == .numeric || self == .datetime }
}

/// What a column means for the checks. A column may have several roles (age is often both
/// a quasi-identifier and a protected attribute).
public enum ColumnRole: String, Sendable, CaseIterable, Codable, Comparable {
    /// A direct identifier (MRN, name, phone): must not appear in a release; excluded from distances and record digests.
    case identifier
    /// A quasi-identifier (age, sex, ZIP): can single a person out in combination.
    case quasiIdentifier = "quasi_identifier"
    /// A sensitive attribute an attacker might infer (diagnosis, HIV status).
    case sensitive
    /// A protected attribute defining subgroups (sex, race, ethnicity).
    case protected
    /// The outcome column (with a positive value) for bias checks.
    case outcome
    /// Ignored by every check.
    case ignored = "ignore"

    public static func < (lhs: ColumnRole, rhs: ColumnRole) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Which of the three tables a value, column or finding belongs to.
public enum TableRole: String, Sendable, CaseIterable, Codable, Comparable {
    /// Real records the generator was trained on.
    case train
    /// Real records the generator never saw (the baseline for chance matches).
    case holdout
    /// The synthetic release under review.
    case synthetic

    public static func < (lhs: TableRole, rhs: TableRole) -> Bool {
        lhs.order < rhs.order
    }
    private var order: Int {
        switch self { case .train: 0; case .holdout: 1; case .synthetic: 2 }
    }
}
