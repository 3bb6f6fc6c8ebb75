/// The `release:` section of `synthscan.yaml`: what the user states about a synthetic release
/// for its release card (`synthscan scan --card`). Every field is optional; the card says
/// "not stated" for what is missing. Nothing here is checked against the data: it is the
/// releaser's declaration, recorded as given.
public struct ReleaseConfiguration: Sendable, Equatable {
    /// Short name of the release (e.g. `readmissions-synthetic-2026q4`).
    public var name: String?
    /// One paragraph: what the table is.
    public var description: String?
    /// The generator that made it.
    public var generator: GeneratorDescription?
    /// The differential-privacy budget, for generators that have one.
    public var privacyBudget: PrivacyBudget?
    /// What the training data was (a description in words, never values).
    public var trainingData: String?
    /// What the release may be used for.
    public var intendedUse: String?
    /// Who reviewed it and what they decided.
    public var governance: ReleaseGovernance?

    /// Creates an empty release description.
    public init() {}
}

/// The generator of a synthetic release: name, version and the parameters it ran with.
public struct GeneratorDescription: Sendable, Equatable {
    /// Generator name (e.g. `CTGAN`, `synthpop`, `MST`).
    public var name: String?
    /// Its version.
    public var version: String?
    /// Parameters as written in the config (scalars kept as text), sorted by name.
    public var parameters: [NamedText]

    /// Creates a generator description.
    public init(name: String? = nil, version: String? = nil, parameters: [NamedText] = []) {
        self.name = name
        self.version = version
        self.parameters = parameters
    }
}

/// A name and a value kept as text (generator parameters, figures shown as written).
public struct NamedText: Sendable, Equatable, Codable {
    /// The name.
    public var name: String
    /// The value, as written.
    public var value: String

    /// Creates a pair.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A differential-privacy budget as the generator's documentation states it.
public struct PrivacyBudget: Sendable, Equatable {
    /// ε (positive).
    public var epsilon: Double?
    /// δ (0 ≤ δ < 1).
    public var delta: Double?
    /// The mechanism or accountant (e.g. `Gaussian, RDP accountant`).
    public var mechanism: String?

    /// Creates a budget.
    public init(epsilon: Double? = nil, delta: Double? = nil, mechanism: String? = nil) {
        self.epsilon = epsilon
        self.delta = delta
        self.mechanism = mechanism
    }
}

/// The release decision: reviewers, decision, when it was taken and until when it holds.
public struct ReleaseGovernance: Sendable, Equatable {
    /// Values `decision` accepts.
    public static let decisions = ["pending", "approved", "approved-with-conditions", "rejected"]

    /// People, boards or tickets that reviewed the release.
    public var reviewers: [String]
    /// One of `decisions`.
    public var decision: String?
    /// Date of the decision (`yyyy-mm-dd`).
    public var decidedOn: String?
    /// Last day the decision holds (`yyyy-mm-dd`, not before `decidedOn`).
    public var expiresOn: String?

    /// Creates a governance record.
    public init(reviewers: [String] = [], decision: String? = nil, decidedOn: String? = nil, expiresOn: String? = nil) {
        self.reviewers = reviewers
        self.decision = decision
        self.decidedOn = decidedOn
        self.expiresOn = expiresOn
    }
}

/// Calendar dates written `yyyy-mm-dd` (proleptic Gregorian).
public enum CalendarDate {
    /// Whether `text` is a real date `yyyy-mm-dd` (month 1–12, day within the month, leap years counted).
    public static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.unicodeScalars.allSatisfy { ("0"..."9").contains($0) } }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month) else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day)
    }
}
