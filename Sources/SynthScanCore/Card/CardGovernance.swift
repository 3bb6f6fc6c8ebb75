/// The release decision (from the config's `release.governance`) and every waiver or suppression
/// the evaluation honoured, with its justification, owner and expiry.
public struct CardGovernance: Codable, Sendable, Equatable {
    /// Reviewers.
    public var reviewers: [String]
    /// `pending`, `approved`, `approved-with-conditions` or `rejected`, if stated.
    public var decision: String?
    /// Date of the decision.
    public var decidedOn: String?
    /// Last day the decision holds.
    public var expiresOn: String?
    /// Waivers (rule packs) and suppressions (suppressions file) in force.
    public var waivers: [CardWaiver]

    enum CodingKeys: String, CodingKey {
        case reviewers, decision, waivers
        case decidedOn = "decided_on", expiresOn = "expires_on"
    }

    /// Creates the section.
    public init(reviewers: [String], decision: String?, decidedOn: String?, expiresOn: String?, waivers: [CardWaiver]) {
        self.reviewers = reviewers
        self.decision = decision
        self.decidedOn = decidedOn
        self.expiresOn = expiresOn
        self.waivers = waivers
    }
}

/// One waiver or suppression: which rule, what it covers, why, who owns it and until when.
public struct CardWaiver: Codable, Sendable, Equatable {
    /// Rule id.
    public var rule: String
    /// `suppressions` (the suppressions file) or the id of the pack that grants it.
    public var grantedBy: String
    /// File name (no folder) and line where it is written.
    public var source: String
    /// `whole rule`, or the finding fingerprints and subgroups it covers.
    public var scope: String
    /// The justification.
    public var justification: String
    /// Who approved it, if stated.
    public var owner: String?
    /// Last day it holds, if it expires.
    public var expires: String?
    /// Findings of this scan it suppressed (0 for a whole-rule waiver of a passing rule).
    public var findingsWaived: Int

    enum CodingKeys: String, CodingKey {
        case rule, source, scope, justification, owner, expires
        case grantedBy = "granted_by", findingsWaived = "findings_waived"
    }

    /// Creates an entry.
    public init(rule: String, grantedBy: String, source: String, scope: String, justification: String, owner: String?,
                expires: String?, findingsWaived: Int) {
        self.rule = rule
        self.grantedBy = grantedBy
        self.source = source
        self.scope = scope
        self.justification = justification
        self.owner = owner
        self.expires = expires
        self.findingsWaived = findingsWaived
    }
}
