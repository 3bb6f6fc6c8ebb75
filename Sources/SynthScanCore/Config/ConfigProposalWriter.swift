/// Renders a `ConfigProposal` as a commented `synthscan.yaml` that the configuration loader reads
/// back exactly. Every inferred role carries a comment with its reason and says whether a human
/// confirmed it (interactive `init`) or it still needs confirming (`init --yes`).
public struct ConfigProposalWriter {
    /// The proposal.
    public var proposal: ConfigProposal
    /// Whether a human accepted each proposal at a prompt (changes the comments only).
    public var confirmed: Bool
    /// The scan seed written to the file.
    public var seed: UInt64

    /// Creates a writer.
    public init(proposal: ConfigProposal, confirmed: Bool, seed: UInt64 = ScanConfiguration().seed) {
        self.proposal = proposal
        self.confirmed = confirmed
        self.seed = seed
    }

    /// The file's text.
    public func render() -> String {
        let mark = confirmed ? "confirmed" : "inferred, confirm"
        var out = """
        # synthscan scan configuration, written by `synthscan init`.
        # Every role below was proposed from the column names and contents; each comment gives the
        # reason. \(confirmed ? "They were confirmed at the prompt." : "Review them before relying on a scan: a wrong role hides a risk.")
        # Reference: docs/configuration.md. Scan with: synthscan scan --config <this file>
        version: 1
        inputs:
          train: \(Self.scalar(proposal.train))

        """
        if let holdout = proposal.holdout {
            out += "  holdout: \(Self.scalar(holdout))\n"
        } else {
            out += "  # holdout: <real records the generator did not see>   (strongly advised; see the warnings below)\n"
        }
        out += "  synthetic: \(Self.scalar(proposal.synthetic))\nroles:\n"
        let groups: [(String, ColumnRole)] = [("identifiers", .identifier), ("quasi_identifiers", .quasiIdentifier),
                                              ("sensitive", .sensitive), ("protected", .protected)]
        for (key, role) in groups {
            let members = proposal.roles.filter { $0.role == role }
            if members.isEmpty {
                out += "  \(key): []\n"
                continue
            }
            out += "  \(key):\n"
            for p in members {
                out += "    - \(Self.scalar(p.column))   # \(mark): \(p.reason)\n"
            }
        }
        if let outcome = proposal.outcome {
            out += "  # \(mark): \(outcome.reason)\n"
            out += "  outcome: { column: \(Self.scalar(outcome.column)), positive: \(Self.scalar(outcome.positive)) }\n"
        } else {
            out += "  # outcome: { column: <a two-valued outcome column>, positive: <its positive value> }\n"
        }
        if !proposal.columns.isEmpty {
            out += "columns:\n"
            var names: [String] = []
            for c in proposal.columns where !names.contains(c.column) { names.append(c.column) }
            for name in names {
                let entries = proposal.columns.filter { $0.column == name }
                var fields: [String] = []
                if let type = entries.compactMap(\.type).first { fields.append("type: \(type.rawValue)") }
                if let bands = entries.compactMap(\.bands).first { fields.append("bands: [\(bands.map { ParameterValue.format($0) }.joined(separator: ", "))]") }
                out += "  # \(entries.map(\.reason).joined(separator: "; "))\n"
                out += "  \(Self.scalar(name)): { \(fields.joined(separator: ", ")) }\n"
            }
        }
        out += """
        schema:
          missing_column: error
          extra_column: warning
          type_conflict: error
        fail_on: error
        seed: \(seed)

        """
        out += Self.releaseScaffold
        if !proposal.warnings.isEmpty {
            out += "\n# Warnings from `synthscan init`:\n"
            for w in proposal.warnings { out += "#   - \(w)\n" }
        }
        return out
    }

    /// The `release:` section `init` writes for the user to fill in (read by `scan --card`).
    /// Empty keys read as absent, so the file scans as written; the card says "not stated".
    public static let releaseScaffold = """

        # Release card (`synthscan scan --card card.md`, see docs/release-card.md): describe the release.
        # Every key is optional; an empty key reads as "not stated" on the card.
        release:
          name:                   # e.g. readmissions-synthetic-2026q4
          description:            # what the table is, in one paragraph
          generator:
            name:                 # e.g. CTGAN, synthpop, MST
            version:
            parameters: {}        # e.g. { epochs: 300, batch_size: 500 }
          # privacy_budget: { epsilon: 1.0, delta: 1e-6, mechanism: "Gaussian, RDP accountant" }   # differentially private generators only
          training_data:          # the real data in words: source, period, inclusion criteria (never values)
          intended_use:           # e.g. method development and teaching; not for clinical decisions
          governance:
            reviewers: []         # e.g. [privacy-office@example.org, data-steward]
            decision: pending     # pending | approved | approved-with-conditions | rejected
            # decided_on: 2026-12-01
            # expires_on: 2027-12-01

        """

    /// `text` as a YAML scalar: plain when that reads back as the same string, else double-quoted.
    public static func scalar(_ text: String) -> String {
        let plainSafe = !text.isEmpty && text.unicodeScalars.allSatisfy {
            ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_-./".unicodeScalars.contains($0)) && $0.isASCII
        } && !(text.first.map { "-./".contains($0) } ?? false)
        let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"]
        let lower = text.lowercased()
        // Plain only for words that YAML reads as strings: not booleans, nulls or numbers.
        if plainSafe, !reserved.contains(lower), Double(text) == nil, Int(text) == nil, !text.hasPrefix("0x"), !text.contains("..") {
            return text
        }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\x%02X", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
