import Foundation

/// Writes a GitHub-flavoured Markdown summary: for a pull-request comment or `$GITHUB_STEP_SUMMARY`.
///
/// Headline verdict, one table row per rule (status, level, id, verdict message), failing
/// rules' findings folded in `<details>` (row, line, columns, digests; never values), then the
/// rule packs, disabled rules and inputs. Like every writer it prints only what the result
/// holds; table cells are escaped so a message cannot break the table.
public struct MarkdownReportWriter: ReportWriter {
    /// Findings listed per failing rule (the rest are counted).
    public var maxFindingsPerRule: Int

    /// Creates a Markdown writer.
    public init(maxFindingsPerRule: Int = 20) {
        self.maxFindingsPerRule = maxFindingsPerRule
    }

    public func write(_ result: ScanResult) throws -> [UInt8] {
        Array(render(result).utf8)
    }

    private func render(_ result: ScanResult) -> String {
        let summary = ReportSummary(result)
        let release = result.inputs.first { $0.role == .synthetic }?.uri ?? "synthetic table"
        var out = ""
        let gate = result.failOn.map { "fail-on \($0.rawValue)" } ?? "no gate"
        out += summary.gateFailed
            ? "## ❌ synthscan: `\(code(release))` fails the gate (\(gate))\n\n"
            : "## ✅ synthscan: `\(code(release))` passes (\(gate))\n\n"
        var counts = "\(summary.rules) rules: \(summary.failed) failed, \(summary.passed) passed"
        if summary.skipped > 0 { counts += ", \(summary.skipped) skipped" }
        counts += "; \(summary.findings) finding\(summary.findings == 1 ? "" : "s")."
        out += counts + "\n\n"

        out += "| | Rule | Level | Verdict |\n|---|---|---|---|\n"
        let ordered = result.outcomes.sorted { order($0) < order($1) }
        for outcome in ordered {
            var verdict = cell(outcome.message)
            if let waiver = outcome.waiver { verdict += " *(waived by \(cell(waiver.pack)): \(cell(waiver.reason)))*" }
            out += "| \(icon(outcome)) | `\(code(outcome.rule.id))` | \(outcome.level.rawValue) | \(verdict) |\n"
        }
        for disabled in result.disabledRules {
            out += "| ⏸️ | `\(code(disabled.id))` | off | disabled by \(cell(disabled.pack)): \(cell(disabled.reason)) |\n"
        }

        for outcome in ordered where outcome.status == .fail && !outcome.findings.isEmpty {
            let shown = outcome.findings.prefix(maxFindingsPerRule)
            out += "\n<details><summary><code>\(html(outcome.rule.id))</code>: \(outcome.findings.count) finding\(outcome.findings.count == 1 ? "" : "s")</summary>\n\n"
            out += "| Row | Line | Columns / group | Record | Level |\n|---|---|---|---|---|\n"
            for finding in shown {
                let loc = finding.location
                let place = loc.subgroup.map { "group \(cell($0))" } ?? cell(loc.columns.prefix(4).joined(separator: ", ") + (loc.columns.count > 4 ? ", …" : ""))
                let record = loc.recordDigest.map { "`\($0.prefix(16))`" } ?? ""
                let suppressed = finding.suppression != nil ? " (waived)" : ""
                out += "| \(loc.row.map(String.init) ?? "") | \(loc.line.map(String.init) ?? "") | \(place) | \(record) | \(finding.level.rawValue)\(suppressed) |\n"
            }
            if outcome.findings.count > shown.count {
                out += "\n… and \(outcome.findings.count - shown.count) more (see the SARIF or JSON report).\n"
            }
            out += "\n</details>\n"
        }

        out += "\n<details><summary>Inputs, rule packs and notes</summary>\n\n"
        out += "| Table | File | Rows | Columns |\n|---|---|---|---|\n"
        for input in result.inputs {
            out += "| \(input.role.rawValue) | `\(code(input.uri))` | \(input.rowCount) | \(input.columnCount) |\n"
        }
        if !result.rulePacks.isEmpty {
            out += "\nRule packs: " + result.rulePacks.map { "`\(code($0.id))` \($0.version) (`\($0.contentHash.prefix(19))…`)" }
                .joined(separator: ", ") + "\n"
        }
        if !result.notifications.isEmpty {
            out += "\nNotes:\n"
            for n in result.notifications { out += "- \(n.level.rawValue) `\(code(n.code))`: \(cell(n.message))\n" }
        }
        out += "\nsynthscan \(result.toolVersion), seed \(result.seed). Reports never show values of real records.\n\n</details>\n"
        return out
    }

    /// Failing rules first (by level), then skipped, then passing; by id within each.
    private func order(_ o: RuleOutcome) -> (Int, Int, String) {
        let status: Int = switch o.status { case .fail: 0; case .skipped: 1; case .pass: 2 }
        let level: Int = switch o.level { case .error: 0; case .warning: 1; case .note: 2 }
        return (status, o.status == .fail ? level : 0, o.rule.id)
    }

    private func icon(_ o: RuleOutcome) -> String {
        if o.isWaived, o.status == .fail { return "🔕" }
        switch o.status {
        case .pass: return "✅"
        case .skipped: return "➖"
        case .fail: return o.level == .error ? "❌" : (o.level == .warning ? "⚠️" : "ℹ️")
        }
    }

    /// Text for a table cell: one line, pipes escaped, HTML-significant characters neutralised.
    private func cell(_ text: String) -> String {
        html(text.split(whereSeparator: \.isNewline).joined(separator: " ")).replacingOccurrences(of: "|", with: "\\|")
    }

    /// Text inside backticks: backticks and pipes cannot appear.
    private func code(_ text: String) -> String {
        text.replacingOccurrences(of: "`", with: "'").replacingOccurrences(of: "|", with: "\\|")
    }

    private func html(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
