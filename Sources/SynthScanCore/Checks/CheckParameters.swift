/// The type of a check parameter: what a rule may write for it, and which values are in range.
///
/// One declaration per parameter (`ParameterSpec`) drives the rule-pack validator, `rules show`
/// and the generated check reference, so the three never disagree.
public enum ParameterType: Sendable, Equatable {
    /// A whole number within `range`.
    case integer(ClosedRange<Int>)
    /// A real number within the bounds.
    case number(NumberBounds)
    /// `true` or `false`.
    case boolean
    /// One of the listed words.
    case choice([String])
    /// Free text (non-empty).
    case text
    /// A list of column names (empty = the check's default columns); checked against the data at scan time.
    case columns
    /// A regular expression in the linear-time `SafePattern` syntax, checked when the pack loads.
    case pattern
    /// A list of free-text items.
    case textList
    /// A row predicate (`docs/plausibility-rules.md`), parsed when the pack loads.
    case predicate

    /// How the type reads in docs and messages, e.g. `integer in 0...1000000`.
    public var description: String {
        switch self {
        case .integer(let range):
            if range.upperBound == Int.max { return "integer ≥ \(range.lowerBound)" }
            return "integer in \(range.lowerBound)...\(range.upperBound)"
        case .number(let bounds): return "number in \(bounds)"
        case .boolean: return "boolean"
        case .choice(let words): return "one of " + words.joined(separator: ", ")
        case .text: return "text"
        case .columns: return "list of column names"
        case .pattern: return "regular expression"
        case .textList: return "list of text"
        case .predicate: return "row predicate"
        }
    }
}

/// Bounds of a real-valued parameter; each end may be open or closed.
public struct NumberBounds: Sendable, Equatable, CustomStringConvertible {
    /// Lower end.
    public var lower: Double
    /// Whether `lower` itself is allowed.
    public var lowerInclusive: Bool
    /// Upper end.
    public var upper: Double
    /// Whether `upper` itself is allowed.
    public var upperInclusive: Bool

    /// Creates bounds; by default both ends are included.
    public init(_ lower: Double, _ upper: Double, lowerInclusive: Bool = true, upperInclusive: Bool = true) {
        self.lower = lower
        self.upper = upper
        self.lowerInclusive = lowerInclusive
        self.upperInclusive = upperInclusive
    }

    /// The closed unit interval [0, 1], for shares and probabilities.
    public static let unit = NumberBounds(0, 1)

    /// Whether `value` lies within the bounds.
    public func contains(_ value: Double) -> Bool {
        guard value.isFinite else { return false }
        let aboveLower = lowerInclusive ? value >= lower : value > lower
        let belowUpper = upperInclusive ? value <= upper : value < upper
        return aboveLower && belowUpper
    }

    /// Interval notation, e.g. `(0, 1]`.
    public var description: String {
        "\(lowerInclusive ? "[" : "(")\(ParameterValue.format(lower)), \(ParameterValue.format(upper))\(upperInclusive ? "]" : ")")"
    }
}

/// A parameter value as a rule states it, already checked against its `ParameterType`.
public enum ParameterValue: Sendable, Equatable, CustomStringConvertible {
    /// A whole number.
    case integer(Int)
    /// A real number.
    case number(Double)
    /// A truth value.
    case boolean(Bool)
    /// A word, free text or a pattern.
    case text(String)
    /// A list of names or texts.
    case list([String])

    /// The value as a rule file would write it (lists as `[a, b]`).
    public var description: String {
        switch self {
        case .integer(let v): String(v)
        case .number(let v): Self.format(v)
        case .boolean(let v): v ? "true" : "false"
        case .text(let v): v
        case .list(let items): "[" + items.joined(separator: ", ") + "]"
        }
    }

    /// The numeric value of an integer or number, else `nil`.
    public var numericValue: Double? {
        switch self {
        case .integer(let v): Double(v)
        case .number(let v): v
        default: nil
        }
    }

    /// Shortest round-tripping text of a double, without a trailing `.0` for whole numbers.
    static func format(_ value: Double) -> String {
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}

/// Declares one parameter of a check kind: its name, type, default and meaning.
public struct ParameterSpec: Sendable, Equatable {
    /// Parameter name (snake_case), as rules write it under `params`.
    public let name: String
    /// Accepted values.
    public let type: ParameterType
    /// Value used when no rule or override sets it.
    public let defaultValue: ParameterValue
    /// What it does, in one or two sentences.
    public let doc: String
    /// Whether every rule of the kind must set it (`defaultValue` is then only a placeholder).
    public let required: Bool

    /// Creates a parameter declaration.
    public init(_ name: String, _ type: ParameterType, default defaultValue: ParameterValue, doc: String, required: Bool = false) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.doc = doc
        self.required = required
    }
}

/// Declares one measurement a check kind reports: the names rule message templates and self-tests may use.
public struct MeasurementSpec: Sendable, Equatable {
    /// snake_case key, as in reports.
    public let key: String
    /// What it measures.
    public let doc: String
    /// Whether it is only reported in some runs (e.g. only when a holdout table is given).
    public let optional: Bool

    /// Creates a measurement declaration.
    public init(_ key: String, _ doc: String, optional: Bool = false) {
        self.key = key
        self.doc = doc
        self.optional = optional
    }
}

/// The effective parameters of a rule, read with the types its check kind declares.
///
/// Values were validated when the pack loaded; a getter whose parameter is absent or of another
/// type (possible only for rules built in code) throws `CheckError.invalidParameter`.
public struct RuleParameters: Sendable, Equatable {
    /// Values by name.
    public var values: [String: ParameterValue]

    /// Wraps `values`.
    public init(_ values: [String: ParameterValue] = [:]) {
        self.values = values
    }

    /// The value of `name`, if set.
    public subscript(name: String) -> ParameterValue? {
        get { values[name] }
        set { values[name] = newValue }
    }

    /// Parameters sorted by name.
    public var sorted: [(name: String, value: ParameterValue)] {
        values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// An integer parameter.
    public func integer(_ name: String, rule: String) throws -> Int {
        guard case .integer(let v)? = values[name] else { throw mismatch(name, rule, "an integer") }
        return v
    }

    /// A number parameter (integers are accepted).
    public func number(_ name: String, rule: String) throws -> Double {
        guard let v = values[name]?.numericValue else { throw mismatch(name, rule, "a number") }
        return v
    }

    /// A boolean parameter.
    public func boolean(_ name: String, rule: String) throws -> Bool {
        guard case .boolean(let v)? = values[name] else { throw mismatch(name, rule, "a boolean") }
        return v
    }

    /// A text, choice or pattern parameter.
    public func text(_ name: String, rule: String) throws -> String {
        guard case .text(let v)? = values[name] else { throw mismatch(name, rule, "text") }
        return v
    }

    /// A list parameter (columns or texts).
    public func list(_ name: String, rule: String) throws -> [String] {
        guard case .list(let v)? = values[name] else { throw mismatch(name, rule, "a list") }
        return v
    }

    private func mismatch(_ name: String, _ rule: String, _ expected: String) -> CheckError {
        let found = values[name].map { "'\($0)'" } ?? "nothing"
        return CheckError.invalidParameter(rule: rule, name: name, reason: "must be \(expected), found \(found)")
    }
}
