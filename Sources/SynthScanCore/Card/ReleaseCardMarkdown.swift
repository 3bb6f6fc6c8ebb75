/// Renders a release card as Markdown, deterministically: the same card gives the same bytes,
/// and the "How it was evaluated" section depends on `card.evaluation` (and its digest) only, so
/// it too is identical between runs of the same scan on the same files.
public struct ReleaseCardMarkdown {
    /// The heading that opens the evaluation section.
    public static let evaluationHeading = "## How it was evaluated"
    /// The heading that follows it.
    public static let governanceHeading = "## Governance"

    /// Creates a renderer.
    public init() {}

    /// The card as Markdown text ending with a newline.
    public func render(_ card: ReleaseCard, jsonName: String) -> String {
        var out = ""
        let synthetic = card.released.file(.synthetic)
        let title = card.creation.name ?? synthetic?.name ?? "synthetic release"
        out += "# Release card: \(inline(title))\n\n"
        out += "Written by synthscan \(inline(card.evaluation.tool.version)) on \(card.generatedAt) (card version \(card.cardVersion)). "
        out += "The same card as JSON: `\(code(jsonName))`. Check it against the files with `synthscan card verify`. "
        out += "The card shows file digests, counts, column names and aggregate figures, never a value of a real record.\n\n"
        out += released(card)
        out += creation(card)
        out += Self.evaluationHeading + "\n\n" + evaluation(card.evaluation, digest: card.evaluationDigest)
        out += governance(card.governance)
        return out
    }

    private func released(_ card: ReleaseCard) -> String {
        var out = "## What was released\n\n"
        out += "| Table | File | Format | Bytes | Rows | Columns | SHA-256 | XXH3-128 |\n|---|---|---|---:|---:|---:|---|---|\n"
        for f in card.released.files {
            out += "| \(cell(f.role)) | `\(code(f.name))` | \(cell(f.format)) | \(f.bytes) | \(f.rows) | \(f.columns) | `\(f.sha256)` | `\(f.xxh3)` |\n"
        }
        out += "\nThe real tables (train, holdout) are listed by digest and whole-table counts only.\n\n"
        return out
    }

    private func creation(_ card: ReleaseCard) -> String {
        let c = card.creation
        var out = "## How it was created\n\n"
        out += "As stated in the configuration's `release:` section; synthscan records it and does not check it.\n\n"
        out += "- Description: \(stated(c.description))\n"
        if let g = c.generator {
            out += "- Generator: \(stated(g.name)), version \(stated(g.version))\n"
            if g.parameters.isEmpty {
                out += "- Generator parameters: not stated\n"
            } else {
                out += "- Generator parameters: " + g.parameters.map { "`\(code($0.name))` = `\(code($0.value))`" }.joined(separator: ", ") + "\n"
            }
        } else {
            out += "- Generator: not stated\n"
        }
        if let b = c.privacyBudget {
            out += "- Privacy budget: ε = \(b.epsilon.map(ParameterValue.format) ?? "not stated"), δ = \(b.delta.map(ParameterValue.format) ?? "not stated"), mechanism: \(stated(b.mechanism))\n"
        } else {
            out += "- Privacy budget: none stated (no differential-privacy guarantee is claimed)\n"
        }
        out += "- Training data: \(stated(c.trainingData))\n\n"
        return out
    }

    /// The evaluation section (without its heading): a function of the evaluation and its digest only.
    func evaluation(_ e: CardEvaluation, digest: String) -> String {
        var out = "Reproducible: the same scan of the same files gives this section byte for byte (evaluation digest `\(digest)`).\n\n"
        out += "- Tool: \(inline(e.tool.name)) \(inline(e.tool.version)), seed \(e.seed)\n"
        out += "- Intended use: \(stated(e.intendedUse))\n"
        let s = e.summary
        out += "- Verdicts: \(s.rules) rules, \(s.failed) failed, \(s.passed) passed, \(s.skipped) skipped; \(s.findings) finding\(s.findings == 1 ? "" : "s")\n"
        out += "- Gate (fail on \(inline(e.settings.failOn))): \(s.gateFailed ? "**failed**" : "passed")\n\n"

        out += "### Rule packs\n\n| Pack | Version | Content hash |\n|---|---|---|\n"
        for p in e.rulePacks { out += "| `\(code(p.id))` | \(cell(p.version)) | `\(code(p.contentHash))` |\n" }

        out += "\n### Settings\n\n"
        let st = e.settings
        func list(_ names: [String]) -> String { names.isEmpty ? "none" : names.map { "`\(code($0))`" }.joined(separator: ", ") }
        out += "- Identifiers: \(list(st.identifiers))\n- Quasi-identifiers: \(list(st.quasiIdentifiers))\n"
        out += "- Sensitive: \(list(st.sensitive))\n- Protected: \(list(st.protected))\n"
        out += "- Outcome: \(st.outcome.map { "`\(code($0.column))` (positive `\(code($0.positive))`)" } ?? "none")\n"
        out += "- Ignored: \(list(st.ignored))\n"
        if !st.columns.isEmpty {
            out += "- Column settings: " + st.columns.map { col in
                var parts: [String] = []
                if let t = col.type { parts.append("type \(t)") }
                if let r = col.round { parts.append("round \(r)") }
                if col.caseFold { parts.append("case fold") }
                if let b = col.bands { parts.append("bands [" + b.map(ParameterValue.format).joined(separator: ", ") + "]") }
                return "`\(code(col.name))` (\(parts.isEmpty ? "defaults" : parts.joined(separator: ", ")))"
            }.joined(separator: ", ") + "\n"
        }
        out += "- Missing values: " + st.missingValues.map { $0.isEmpty ? "(empty)" : "`\(span($0))`" }.joined(separator: ", ") + "\n"
        out += "- Schema policy: " + st.schema.map { "\($0.name) \($0.value)" }.joined(separator: ", ") + "\n"

        out += "\n### Verdicts\n\n| Rule | Level | Verdict | Findings | Message |\n|---|---|---|---:|---|\n"
        for r in e.rules {
            let verdict = r.status + (r.waived ? " (waived)" : "")
            let findings = r.waivedFindings > 0 ? "\(r.findings) (\(r.waivedFindings) waived)" : String(r.findings)
            out += "| `\(code(r.id))` | \(r.level) | \(verdict) | \(findings) | \(cell(r.message)) |\n"
        }

        out += "\n### Key figures and parameters\n\n"
        for r in e.rules {
            out += "- `\(code(r.id))` (\(cell(r.check)), pack `\(code(r.pack))`)\n"
            if !r.figures.isEmpty {
                out += "  - figures: " + r.figures.map { "\(cell($0.key)) = \(cell($0.display))" }.joined(separator: ", ") + "\n"
            }
            if !r.parameters.isEmpty {
                out += "  - parameters: " + r.parameters.map { "\(cell($0.name)) = `\(span($0.value))`" }.joined(separator: ", ") + "\n"
            }
        }
        if !e.disabledRules.isEmpty {
            out += "\n### Disabled rules\n\n"
            for d in e.disabledRules { out += "- `\(code(d.id))`, by `\(code(d.pack))`: \(cell(d.reason))\n" }
        }
        out += "\n"
        return out
    }

    private func governance(_ g: CardGovernance) -> String {
        var out = Self.governanceHeading + "\n\n"
        out += "- Reviewers: \(g.reviewers.isEmpty ? "not stated" : g.reviewers.map(cell).joined(separator: ", "))\n"
        out += "- Decision: \(stated(g.decision))\n"
        out += "- Decided on: \(stated(g.decidedOn))\n"
        out += "- Expires on: \(stated(g.expiresOn))\n\n"
        out += "### Waivers and suppressions\n\n"
        if g.waivers.isEmpty {
            out += "None: every verdict above stands as measured.\n"
        } else {
            out += "| Rule | Granted by | Where | Covers | Findings waived | Justification | Owner | Expires |\n|---|---|---|---|---:|---|---|---|\n"
            for w in g.waivers {
                out += "| `\(code(w.rule))` | `\(code(w.grantedBy))` | `\(code(w.source))` | \(cell(w.scope)) | \(w.findingsWaived) | \(cell(w.justification)) | \(stated(w.owner)) | \(stated(w.expires)) |\n"
            }
        }
        return out
    }

    private func stated(_ text: String?) -> String { text.map(cell) ?? "not stated" }

    /// Free text on one line, for a list item or a table cell: pipes escaped, HTML neutralised.
    private func cell(_ text: String) -> String {
        inline(text).replacingOccurrences(of: "|", with: "\\|")
    }

    /// Free text on one line with HTML-significant characters neutralised.
    private func inline(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
            .replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Text inside backticks outside a table (pipes need no escaping there).
    private func span(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ").replacingOccurrences(of: "`", with: "'")
    }

    /// Text inside backticks in a table cell.
    private func code(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
            .replacingOccurrences(of: "`", with: "'").replacingOccurrences(of: "|", with: "\\|")
    }
}
