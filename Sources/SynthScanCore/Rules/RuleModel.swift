/// A rule as a pack file defines it: its descriptor, where it was written, and its self-tests.
public struct RuleDefinition: Sendable {
    /// Identity, texts, severity and parameters as the rule file declares them (before any override).
    public var descriptor: RuleDescriptor
    /// The rule file, as messages name it.
    public var file: String
    /// Position of the rule's `id` in that file.
    public var position: SourcePosition?
    /// Triggering and non-triggering examples.
    public var tests: [RuleTestCase]
    /// The pack whose folder holds the rule (fixture files are read from it).
    public var source: PackSource
}

/// One self-test of a rule: small real, holdout and synthetic tables and the outcome they must give.
public struct RuleTestCase: Sendable {
    /// What the example shows, e.g. "a copied training row triggers".
    public var name: String
    /// The rule file, as messages name it.
    public var file: String
    /// Position of the test in that file.
    public var position: SourcePosition?
    /// Expected verdict.
    public var expectedStatus: RuleStatus
    /// Expected number of findings, if stated.
    public var expectedFindings: Int?
    /// Expected measurements (compared with a relative tolerance of 1e-9).
    public var expectedMeasurements: [(key: String, value: Double)]
    /// Parameters that differ from the rule's for this test.
    public var parameters: [String: ParameterValue]
    /// Column roles for the test tables.
    public var roles: RoleAssignments
    /// Per-column settings for the test tables.
    public var columns: [String: ColumnSettings]
    /// The tables, by role (train and synthetic are required).
    public var tables: [TableRole: RuleTestTable]

    /// Whether the test expects the rule to trigger.
    public var triggers: Bool { expectedStatus == .fail }
}

/// A self-test table: CSV text written in the rule file, or a CSV file inside the pack folder.
public enum RuleTestTable: Sendable, Equatable {
    /// CSV text, header first.
    case inline(String)
    /// A path relative to the pack folder.
    case file(String)
}

/// A change an institution pack makes to a rule it inherits (or defines).
public struct RuleOverrideRecord: Sendable, Equatable {
    /// The pack that made the change.
    public var pack: String
    /// What changed, e.g. `max_copies: 0 → 5`, `severity: error → warning`, `disabled: reason`.
    public var change: String
}

/// A rule of the effective rule set: its definition after every pack's overrides, and whether it runs.
public struct EffectiveRule: Sendable {
    /// The rule as its file declares it (self-tests run against this).
    public var definition: RuleDefinition
    /// The rule after every override: what a scan runs.
    public var descriptor: RuleDescriptor
    /// Whether the rule runs.
    public var enabled: Bool
    /// Why it does not run (the reason the disabling pack gave), if disabled.
    public var disabledReason: String?
    /// The pack that disabled it, if disabled.
    public var disabledBy: String?
    /// Every override applied, in order.
    public var overrides: [RuleOverrideRecord]

    /// The rule's id.
    public var id: String { definition.descriptor.id }
}

/// An accepted finding: a rule (or some of its findings) that a pack waives, with a justification.
public struct Waiver: Sendable, Equatable {
    /// The waived rule.
    public var ruleID: String
    /// Finding fingerprints waived; empty = the whole rule.
    public var fingerprints: [String]
    /// Why it is acceptable.
    public var reason: String
    /// Who approved it (a person, board or ticket), if stated.
    public var approvedBy: String?
    /// Last day the waiver holds (ISO date), if it expires.
    public var expires: String?
    /// The pack that grants it.
    public var pack: String
    /// Where it was written.
    public var file: String
    /// Position in that file.
    public var line: Int?
    /// Subgroup keys waived (`race=Black`), matched against a finding's subgroup; with
    /// `fingerprints` empty too, the whole rule is waived.
    public var subgroups: [String] = []

    /// Whether the waiver covers every finding of the rule.
    public var coversWholeRule: Bool { fingerprints.isEmpty && subgroups.isEmpty }

    /// Whether the waiver has expired on `today` (an ISO `yyyy-mm-dd` date).
    public func isExpired(today: String) -> Bool {
        guard let expires else { return false }
        return expires < today
    }
}

/// One pack that contributed to the effective rule set, as reports record it.
public struct PackSummary: Sendable, Equatable {
    /// Pack id, e.g. `synthscan/core`.
    public var id: String
    /// Semantic version.
    public var version: String
    /// `sha256:` + hex digest over the pack files that were read (see `PackContentHash`).
    public var contentHash: String
    /// Where it came from: `embedded` or the folder path.
    public var location: String
    /// The pack it extends, if any.
    public var extends: String?
    /// One-line description.
    public var description: String
}
