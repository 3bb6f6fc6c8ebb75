/// How synthscan evaluated the release: tool, rule packs, settings, seed and every rule's
/// verdict. Holds no timestamp and no path, so the same scan of the same files (same tool, packs,
/// settings and seed) reproduces it byte for byte.
public struct CardEvaluation: Codable, Sendable, Equatable {
    /// Tool name and version.
    public var tool: CardTool
    /// Rule packs, base first, with versions and content hashes.
    public var rulePacks: [CardPack]
    /// The seed of every random choice.
    public var seed: UInt64
    /// The settings the scan ran with (roles, column settings, gate).
    public var settings: CardSettings
    /// What the release is meant for (the config's `release.intended_use`): the use the verdicts speak to.
    public var intendedUse: String?
    /// Counts of verdicts and whether the gate failed.
    public var summary: CardSummary
    /// Every rule that ran, in rule-id order.
    public var rules: [CardRule]
    /// Rules the packs disabled, with their reasons.
    public var disabledRules: [DisabledRule]

    enum CodingKeys: String, CodingKey {
        case tool, seed, settings, summary, rules
        case rulePacks = "rule_packs", intendedUse = "intended_use", disabledRules = "disabled_rules"
    }

    /// Creates the section.
    public init(tool: CardTool, rulePacks: [CardPack], seed: UInt64, settings: CardSettings, intendedUse: String?,
                summary: CardSummary, rules: [CardRule], disabledRules: [DisabledRule]) {
        self.tool = tool
        self.rulePacks = rulePacks
        self.seed = seed
        self.settings = settings
        self.intendedUse = intendedUse
        self.summary = summary
        self.rules = rules
        self.disabledRules = disabledRules
    }
}

/// The tool that evaluated the release.
public struct CardTool: Codable, Sendable, Equatable {
    /// Always `synthscan`.
    public var name: String
    /// Its version.
    public var version: String

    /// Creates a tool entry.
    public init(name: String, version: String) {
        self.name = name
        self.version = version
    }
}

/// A rule pack as it ran: id, version and content hash (no location: folders differ between machines).
public struct CardPack: Codable, Sendable, Equatable {
    /// Pack id.
    public var id: String
    /// Pack version.
    public var version: String
    /// `sha256:` content hash over the pack's files.
    public var contentHash: String

    enum CodingKeys: String, CodingKey {
        case id, version
        case contentHash = "content_hash"
    }

    /// Creates a pack entry.
    public init(id: String, version: String, contentHash: String) {
        self.id = id
        self.version = version
        self.contentHash = contentHash
    }
}

/// The scan settings that shape the verdicts: column roles, per-column settings, missing-value
/// tokens, schema policy and the gate. `card verify` without `--config` scans with these.
public struct CardSettings: Codable, Sendable, Equatable {
    /// Direct identifier columns.
    public var identifiers: [String]
    /// Quasi-identifier columns.
    public var quasiIdentifiers: [String]
    /// Sensitive columns.
    public var sensitive: [String]
    /// Protected columns.
    public var protected: [String]
    /// Outcome column and positive value.
    public var outcome: CardOutcome?
    /// Ignored columns.
    public var ignored: [String]
    /// Per-column settings, sorted by column name.
    public var columns: [CardColumnSetting]
    /// Missing-value tokens.
    public var missingValues: [String]
    /// Schema policy: `missing_column`, `extra_column`, `type_conflict` levels.
    public var schema: [NamedText]
    /// The gate level (`error`, `warning`, `note`, or `none`).
    public var failOn: String

    enum CodingKeys: String, CodingKey {
        case identifiers, sensitive, protected, outcome, ignored, columns, schema
        case quasiIdentifiers = "quasi_identifiers", missingValues = "missing_values", failOn = "fail_on"
    }

    /// Creates a settings entry.
    public init(identifiers: [String], quasiIdentifiers: [String], sensitive: [String], protected: [String],
                outcome: CardOutcome?, ignored: [String], columns: [CardColumnSetting], missingValues: [String],
                schema: [NamedText], failOn: String) {
        self.identifiers = identifiers
        self.quasiIdentifiers = quasiIdentifiers
        self.sensitive = sensitive
        self.protected = protected
        self.outcome = outcome
        self.ignored = ignored
        self.columns = columns
        self.missingValues = missingValues
        self.schema = schema
        self.failOn = failOn
    }
}

/// The outcome column and the value that counts as positive (as configured, not read from data).
public struct CardOutcome: Codable, Sendable, Equatable {
    /// Column name.
    public var column: String
    /// Positive value as configured.
    public var positive: String

    /// Creates an outcome entry.
    public init(column: String, positive: String) {
        self.column = column
        self.positive = positive
    }
}

/// One column's settings from the configuration.
public struct CardColumnSetting: Codable, Sendable, Equatable {
    /// Column name.
    public var name: String
    /// Forced type, if any.
    public var type: String?
    /// Rounding digits, if any.
    public var round: Int?
    /// Case folding.
    public var caseFold: Bool
    /// Band edges, if any.
    public var bands: [Double]?

    enum CodingKeys: String, CodingKey {
        case name, type, round, bands
        case caseFold = "case_fold"
    }

    /// Creates a column entry.
    public init(name: String, type: String?, round: Int?, caseFold: Bool, bands: [Double]?) {
        self.name = name
        self.type = type
        self.round = round
        self.caseFold = caseFold
        self.bands = bands
    }
}

/// Verdict counts and the gate.
public struct CardSummary: Codable, Sendable, Equatable {
    /// Rules that ran.
    public var rules: Int
    /// Rules that passed.
    public var passed: Int
    /// Rules that failed (waived or not).
    public var failed: Int
    /// Rules that could not run.
    public var skipped: Int
    /// Findings over all rules.
    public var findings: Int
    /// Whether a failing, unwaived rule at or above `fail_on` failed the gate.
    public var gateFailed: Bool

    enum CodingKeys: String, CodingKey {
        case rules, passed, failed, skipped, findings
        case gateFailed = "gate_failed"
    }

    /// Creates a summary.
    public init(rules: Int, passed: Int, failed: Int, skipped: Int, findings: Int, gateFailed: Bool) {
        self.rules = rules
        self.passed = passed
        self.failed = failed
        self.skipped = skipped
        self.findings = findings
        self.gateFailed = gateFailed
    }
}

/// One rule's verdict: status, level, whether it is waived, its message (the check's own,
/// guarded wording), finding count, key figures (its rule-level measurements, as every report
/// shows them) and effective parameters.
public struct CardRule: Codable, Sendable, Equatable {
    /// Rule id.
    public var id: String
    /// Check kind.
    public var check: String
    /// Pack that defines it.
    public var pack: String
    /// `pass`, `fail` or `skipped`.
    public var status: String
    /// `error`, `warning` or `note`.
    public var level: String
    /// Whether the verdict is waived (by a pack or the suppressions file).
    public var waived: Bool
    /// The verdict message.
    public var message: String
    /// Number of findings.
    public var findings: Int
    /// How many of them a waiver or suppression accepts.
    public var waivedFindings: Int
    /// Key figures in the check's order; `nil` value = not a finite number.
    public var figures: [CardFigure]
    /// Effective parameters, sorted by name, as a rule file would write them.
    public var parameters: [NamedText]

    enum CodingKeys: String, CodingKey {
        case id, check, pack, status, level, waived, message, findings, figures, parameters
        case waivedFindings = "waived_findings"
    }

    /// Creates a rule entry.
    public init(id: String, check: String, pack: String, status: String, level: String, waived: Bool, message: String,
                findings: Int, waivedFindings: Int = 0, figures: [CardFigure], parameters: [NamedText]) {
        self.id = id
        self.check = check
        self.pack = pack
        self.status = status
        self.level = level
        self.waived = waived
        self.message = message
        self.findings = findings
        self.waivedFindings = waivedFindings
        self.figures = figures
        self.parameters = parameters
    }
}

/// One key figure of a rule (a measurement: snake_case key and value).
///
/// A count from 1 to 10 is withheld (`value` null, `note` "<11"): the small-cell rule every
/// message follows (`SmallCellGuard`), applied to every count-like figure because a measurement
/// does not say whether it counts real or synthetic records. The JSON report keeps the exact
/// figures for the data holder.
public struct CardFigure: Codable, Sendable, Equatable {
    /// Measurement key.
    public var key: String
    /// Value; `nil` when withheld or not a finite number (see `note`).
    public var value: Double?
    /// Why `value` is absent: "<11" (small count withheld), "NaN", "inf" or "-inf".
    public var note: String?

    /// Key fragments of figures that are not counts of records (shares, rates, scores, statistics,
    /// and counts of columns, cells, pairs or events): never withheld.
    static let nonCountFragments = ["share", "rate", "coverage", "similarity", "ratio", "protection", "p_value", "auc",
                                    "epsilon", "fidelity", "ci_", "_ci", "mean", "median", "threshold", "seconds", "_se",
                                    "risk", "advantage", "distance", "_p0", "_p1", "_p5", "_p9", "dcr_", "nndr_", "slope",
                                    "disparity", "amplification", "gap", "shortfall", "trend", "shape", "pair_value", "correlation",
                                    // counts of structure, not of records: columns, subgroup cells, pairs, events, categories
                                    "column", "cells_", "pairs_", "tasks", "events_", "groups_", "associations_",
                                    "rare_categories", "_rank", "queries_", "query_", "attack_columns"]

    /// Creates a figure as recorded (no guard applied).
    public init(key: String, value: Double?, note: String? = nil) {
        self.key = key
        self.value = value
        self.note = note
    }

    /// The figure of `measurement` as a card shows it: small counts withheld, non-finite values noted.
    public init(_ measurement: Measurement) {
        key = measurement.key
        let v = measurement.value
        if !v.isFinite {
            value = nil
            note = v.isNaN ? "NaN" : (v < 0 ? "-inf" : "inf")
        } else if v == v.rounded(), v >= 1, v <= Double(SmallCellGuard.threshold), Self.isCount(measurement.key) {
            value = nil
            note = SmallCellGuard.format(Int(v))
        } else {
            value = v
            note = nil
        }
    }

    /// Whether `key` names a count of records (not a share, rate, score, statistic or structure count).
    static func isCount(_ key: String) -> Bool {
        !nonCountFragments.contains { key.contains($0) }
    }

    /// The value as Markdown and difference lists print it.
    public var display: String { value.map(ParameterValue.format) ?? note ?? "n/a" }
}
