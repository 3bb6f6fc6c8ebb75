/// A release card: what a synthetic table is, how it was made, how synthscan evaluated it and
/// who decided to release it. Written by `synthscan scan --card card.md` as Markdown and as JSON
/// (`card.json`, this type), checked by `synthscan card verify`.
///
/// Only `evaluation` is recomputed by a verification; it holds no timestamp and no path, so the
/// same scan of the same files gives it byte for byte (`evaluationDigest` is the SHA-256 of its
/// canonical JSON). Like every report, the card holds file digests, counts, column names and
/// the rules' (guarded) messages and measurements, never a value of a real record.
public struct ReleaseCard: Codable, Sendable, Equatable {
    /// The `format` value naming this document type.
    public static let formatName = "synthscan-release-card"
    /// The `card_version` this build writes; raised on any incompatible change.
    public static let currentVersion = 1

    /// Always `formatName`.
    public var format: String
    /// The card format version.
    public var cardVersion: Int
    /// When the card was written (UTC, ISO 8601); deliberately outside `evaluation`.
    public var generatedAt: String
    /// The files the card is about.
    public var released: CardReleased
    /// How the release was made (the config's `release:` section, as stated).
    public var creation: CardCreation
    /// How synthscan evaluated it: reproducible byte for byte.
    public var evaluation: CardEvaluation
    /// `sha256:` + hex digest of `evaluation`'s canonical JSON (`ReleaseCardCoding.canonical`).
    public var evaluationDigest: String
    /// The release decision, and the waivers and suppressions the evaluation honoured.
    public var governance: CardGovernance

    enum CodingKeys: String, CodingKey {
        case format, released, creation, evaluation, governance
        case cardVersion = "card_version", generatedAt = "generated_at", evaluationDigest = "evaluation_digest"
    }

    /// Creates a card; the evaluation digest is computed from `evaluation`.
    public init(generatedAt: String, released: CardReleased, creation: CardCreation, evaluation: CardEvaluation,
                governance: CardGovernance) throws {
        format = Self.formatName
        cardVersion = Self.currentVersion
        self.generatedAt = generatedAt
        self.released = released
        self.creation = creation
        self.evaluation = evaluation
        evaluationDigest = try ReleaseCardCoding.digest(of: evaluation)
        self.governance = governance
    }
}

/// The released files: the synthetic table first, then the real tables it was judged against.
public struct CardReleased: Codable, Sendable, Equatable {
    /// One entry per input table.
    public var files: [CardFile]

    /// Creates the section.
    public init(files: [CardFile]) { self.files = files }

    /// The entry of `role`, if that table was read.
    public func file(_ role: TableRole) -> CardFile? { files.first { $0.role == role.rawValue } }
}

/// One input file: its name (no folder), size, row count and digests. Real tables appear by
/// digest and whole-table counts only.
public struct CardFile: Codable, Sendable, Equatable {
    /// `synthetic`, `train` or `holdout`.
    public var role: String
    /// File name without its folder.
    public var name: String
    /// Format read (`csv`, `tsv`, `jsonl`, with `+gzip` when compressed).
    public var format: String
    /// Size on disk in bytes.
    public var bytes: Int
    /// Data rows.
    public var rows: Int
    /// Columns in the file.
    public var columns: Int
    /// SHA-256 of the file's bytes, lower-case hex.
    public var sha256: String
    /// XXH3-128 of the file's bytes, lower-case hex (canonical order, as `xxhsum -H2` prints it).
    public var xxh3: String

    enum CodingKeys: String, CodingKey {
        case role, name, format, bytes, rows, columns, sha256
        case xxh3 = "xxh3_128"
    }

    /// Creates a file entry.
    public init(role: String, name: String, format: String, bytes: Int, rows: Int, columns: Int, sha256: String, xxh3: String) {
        self.role = role
        self.name = name
        self.format = format
        self.bytes = bytes
        self.rows = rows
        self.columns = columns
        self.sha256 = sha256
        self.xxh3 = xxh3
    }
}

/// How the release was made: the `release:` section of the config, as the releaser stated it.
public struct CardCreation: Codable, Sendable, Equatable {
    /// Release name.
    public var name: String?
    /// What the table is.
    public var description: String?
    /// Generator name, version and parameters.
    public var generator: CardGenerator?
    /// Differential-privacy budget, if the generator has one.
    public var privacyBudget: CardPrivacyBudget?
    /// What the training data was, in words.
    public var trainingData: String?

    enum CodingKeys: String, CodingKey {
        case name, description, generator
        case privacyBudget = "privacy_budget", trainingData = "training_data"
    }

    /// Creates the section.
    public init(name: String? = nil, description: String? = nil, generator: CardGenerator? = nil,
                privacyBudget: CardPrivacyBudget? = nil, trainingData: String? = nil) {
        self.name = name
        self.description = description
        self.generator = generator
        self.privacyBudget = privacyBudget
        self.trainingData = trainingData
    }
}

/// The generator as stated: name, version, parameters (values as written, sorted by name).
public struct CardGenerator: Codable, Sendable, Equatable {
    /// Generator name.
    public var name: String?
    /// Generator version.
    public var version: String?
    /// Parameters, sorted by name.
    public var parameters: [NamedText]

    /// Creates a generator entry.
    public init(name: String?, version: String?, parameters: [NamedText]) {
        self.name = name
        self.version = version
        self.parameters = parameters
    }
}

/// A differential-privacy budget as stated.
public struct CardPrivacyBudget: Codable, Sendable, Equatable {
    /// ε.
    public var epsilon: Double?
    /// δ.
    public var delta: Double?
    /// Mechanism or accountant.
    public var mechanism: String?

    /// Creates a budget entry.
    public init(epsilon: Double?, delta: Double?, mechanism: String?) {
        self.epsilon = epsilon
        self.delta = delta
        self.mechanism = mechanism
    }
}
