import Foundation

/// Everything a report writer needs, and nothing that holds a real value.
///
/// Writers receive row numbers, column names, digests and aggregate numbers only.
public struct ScanResult: Sendable {
    /// synthscan version.
    public var toolVersion: String = SynthScanVersion.current
    /// When the scan started and ended (UTC).
    public var startTime: Date
    /// When the scan ended.
    public var endTime: Date
    /// The command line, as given (arguments only, no environment).
    public var commandLine: [String]
    /// The seed every random choice used.
    public var seed: UInt64
    /// The inputs that were read.
    public var inputs: [InputSummary]
    /// The shared schema.
    public var columns: [ColumnDescriptor]
    /// One outcome per rule that ran, in rule-id order.
    public var outcomes: [RuleOutcome]
    /// Warnings about the configuration or inputs (ignored columns, type conflicts worked around).
    public var notifications: [ScanNotification]
    /// The level at or above which a finding fails the scan; `nil` = never.
    public var failOn: Severity?
    /// The rule packs that made up the rule set, base first (ids, versions, content hashes).
    public var rulePacks: [PackSummary] = []
    /// Rules the packs disabled, with who disabled them and why.
    public var disabledRules: [DisabledRule] = []
    /// The nearest-record passes the scan ran, with sizes and times (benchmarks and logs; never in reports,
    /// whose bytes must not depend on timing).
    public var neighbourPassRuns: [NeighbourPassRun] = []

    /// Creates a scan result.
    public init(startTime: Date, endTime: Date, commandLine: [String], seed: UInt64, inputs: [InputSummary],
                columns: [ColumnDescriptor], outcomes: [RuleOutcome], notifications: [ScanNotification], failOn: Severity?) {
        self.startTime = startTime
        self.endTime = endTime
        self.commandLine = commandLine
        self.seed = seed
        self.inputs = inputs
        self.columns = columns
        self.outcomes = outcomes
        self.notifications = notifications
        self.failOn = failOn
    }

    /// Whether any failing rule at or above `failOn` is not waived.
    public var failsGate: Bool {
        guard let failOn else { return false }
        return outcomes.contains { $0.status == .fail && $0.level >= failOn && !$0.isWaived }
    }
}

/// A rule that did not run because a pack disabled it (also recorded in release cards, hence Codable).
public struct DisabledRule: Codable, Sendable, Equatable {
    /// Rule id.
    public var id: String
    /// The pack that disabled it.
    public var pack: String
    /// The reason it gave.
    public var reason: String

    /// Creates a record.
    public init(id: String, pack: String, reason: String) {
        self.id = id
        self.pack = pack
        self.reason = reason
    }
}

/// One input table as read.
public struct InputSummary: Sendable, Equatable {
    /// Which table.
    public var role: TableRole
    /// Path as given.
    public var path: String
    /// URI for reports: the path relative to the source root, with `/` separators.
    public var uri: String
    /// Format read.
    public var format: DataFormat
    /// Size in bytes on disk.
    public var byteCount: Int
    /// Data rows.
    public var rowCount: Int
    /// Columns in the file.
    public var columnCount: Int

    /// Creates an input summary.
    public init(role: TableRole, path: String, uri: String, format: DataFormat, byteCount: Int, rowCount: Int, columnCount: Int) {
        self.role = role
        self.path = path
        self.uri = uri
        self.format = format
        self.byteCount = byteCount
        self.rowCount = rowCount
        self.columnCount = columnCount
    }
}

/// Describes a rule as it ran: identity, texts, severity, effective parameters and where each came from.
public struct RuleDescriptor: Sendable, Equatable {
    /// Stable namespaced id, e.g. `privacy/exact-copy`.
    public var id: String
    /// The check kind it runs.
    public var check: String
    /// One-line summary.
    public var summary: String
    /// One-paragraph description.
    public var description: String
    /// Markdown help: what it catches, why it matters, how to fix.
    public var help: String
    /// Severity of its findings.
    public var severity: Severity
    /// GitHub `security-severity` (0, 10], if the rule states one.
    public var securitySeverity: Double?
    /// SARIF precision: very-high, high, medium or low, if stated.
    public var precision: String?
    /// Tags.
    public var tags: [String]
    /// References (papers, peer tools).
    public var references: [String]
    /// Effective parameters, typed as the check kind declares them.
    public var parameters: RuleParameters
    /// The verdict message template (placeholders name measurements and parameters); `nil` = the check's own wording.
    public var messageTemplate: String?
    /// Pack that defines the rule.
    public var pack: String
    /// Which pack set each effective parameter, and `severity`/`tags` when overridden (absent = the rule's own file or the kind's default).
    public var provenance: [String: String]
    /// Columns (one or two) whose groups the rule is also run on, slice by slice (`by:` in the
    /// rule file); empty = the whole tables only. See `SliceRunner`.
    public var sliceBy: [String] = []

    /// Creates a rule descriptor.
    public init(id: String, check: String, summary: String, description: String, help: String, severity: Severity,
                securitySeverity: Double? = nil, precision: String? = nil, tags: [String], references: [String],
                parameters: RuleParameters, messageTemplate: String? = nil, pack: String, provenance: [String: String] = [:]) {
        self.id = id
        self.check = check
        self.summary = summary
        self.description = description
        self.help = help
        self.severity = severity
        self.securitySeverity = securitySeverity
        self.precision = precision
        self.tags = tags
        self.references = references
        self.parameters = parameters
        self.messageTemplate = messageTemplate
        self.pack = pack
        self.provenance = provenance
    }
}

/// The verdict of one rule.
public enum RuleStatus: String, Sendable, Codable {
    /// Nothing found.
    case pass
    /// The rule's condition was met: see its findings.
    case fail
    /// The rule could not run (e.g. a required table or column is absent); see the message.
    case skipped
}

/// One named measurement behind a verdict (snake_case key, e.g. `exact_copies_train`).
public struct Measurement: Sendable, Equatable {
    /// snake_case key, the same in JSON and SARIF properties.
    public var key: String
    /// The value.
    public var value: Double

    /// Creates a measurement.
    public init(_ key: String, _ value: Double) {
        self.key = key
        self.value = value
    }
}

/// What one rule concluded.
public struct RuleOutcome: Sendable {
    /// The rule.
    public var rule: RuleDescriptor
    /// Verdict.
    public var status: RuleStatus
    /// Level of the verdict (the rule's severity).
    public var level: Severity
    /// Human summary of the verdict; never holds a real value.
    public var message: String
    /// Measurements, in a stable order.
    public var measurements: [Measurement]
    /// Row-level or table-level findings.
    public var findings: [Finding]
    /// The waiver covering the whole rule, if a pack waived it.
    public var waiver: Waiver?
    /// Per-subgroup figures for charts (see `GroupFigure`); empty for most checks.
    public var groupFigures: [GroupFigure] = []

    /// Creates an outcome.
    public init(rule: RuleDescriptor, status: RuleStatus, level: Severity, message: String,
                measurements: [Measurement], findings: [Finding]) {
        self.rule = rule
        self.status = status
        self.level = level
        self.message = message
        self.measurements = measurements
        self.findings = findings
    }

    /// The measurement called `key`.
    public func measurement(_ key: String) -> Double? { measurements.first { $0.key == key }?.value }

    /// Whether the verdict does not count: the rule is waived, or every one of its findings is.
    public var isWaived: Bool {
        waiver != nil || (!findings.isEmpty && findings.allSatisfy { $0.suppression != nil })
    }
}

/// One finding: a synthetic row (or a column, or a subgroup) that triggered a rule.
public struct Finding: Sendable, Equatable {
    /// Rule id.
    public var ruleID: String
    /// Level.
    public var level: Severity
    /// Human message; never holds a real value.
    public var message: String
    /// Where it is.
    public var location: FindingLocation
    /// Stable identity across runs and row reorderings (rule id + record digest or subgroup key).
    public var fingerprint: String
    /// Measurements specific to this finding.
    public var measurements: [Measurement]
    /// The waiver that accepts this finding, if any (reports show it as suppressed).
    public var suppression: Waiver?

    /// Creates a finding.
    public init(ruleID: String, level: Severity, message: String, location: FindingLocation,
                fingerprint: String, measurements: [Measurement] = []) {
        self.ruleID = ruleID
        self.level = level
        self.message = message
        self.location = location
        self.fingerprint = fingerprint
        self.measurements = measurements
    }
}

/// Where a finding points. Row numbers are 1-based data rows (the header is not a row).
public struct FindingLocation: Sendable, Equatable {
    /// Table the row or column belongs to (usually synthetic).
    public var table: TableRole
    /// 1-based data row, for row-level findings.
    public var row: Int?
    /// 1-based line in the file where that row starts.
    public var line: Int?
    /// Columns involved.
    public var columns: [String]
    /// Subgroup label, for table-level findings about a group.
    public var subgroup: String?
    /// Digest of the record in question (hex), never its values.
    public var recordDigest: String?
    /// Digest of the matching real record (hex), for copies and near-copies.
    public var matchedRecordDigest: String?

    /// Creates a location.
    public init(table: TableRole, row: Int? = nil, line: Int? = nil, columns: [String] = [], subgroup: String? = nil,
                recordDigest: String? = nil, matchedRecordDigest: String? = nil) {
        self.table = table
        self.row = row
        self.line = line
        self.columns = columns
        self.subgroup = subgroup
        self.recordDigest = recordDigest
        self.matchedRecordDigest = matchedRecordDigest
    }
}

/// A warning or note about the scan itself (not a finding about the data).
public struct ScanNotification: Sendable, Equatable {
    /// Level.
    public var level: Severity
    /// Message; names files, lines and columns, never values.
    public var message: String
    /// Stable code, e.g. `extra-column`.
    public var code: String

    /// Creates a notification.
    public init(level: Severity, code: String, message: String) {
        self.level = level
        self.code = code
        self.message = message
    }
}
