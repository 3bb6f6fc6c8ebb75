/// Writes a readable terminal summary of a scan.
///
/// Layout: a header with the tool version and seed; the inputs table; one line per rule
/// (`PASS`/`FAIL`/`SKIP`, level, rule id, message) followed by its measurements and, for failing
/// rules, up to `maxFindingsPerRule` findings (row, file line, record digests; never values) and
/// "… and K more"; the notifications; a closing count line and the gate verdict. Every string from
/// the result is printed on one line with control characters replaced, so messages cannot move the
/// cursor or inject terminal escapes. Output is deterministic; colour is off unless asked for.
public struct TextReportWriter: ReportWriter {
    /// Findings listed under each failing rule before "… and K more".
    public var maxFindingsPerRule: Int
    /// Measurements listed under each rule before "(+K more)".
    public var maxMeasurementsPerRule: Int
    /// Whether to colour status markers and the verdict with ANSI escape codes.
    public var color: Bool

    /// Creates a text writer listing at most `maxFindingsPerRule` findings and `maxMeasurementsPerRule` measurements per rule.
    public init(maxFindingsPerRule: Int = 10, maxMeasurementsPerRule: Int = 8, color: Bool = false) {
        self.maxFindingsPerRule = max(0, maxFindingsPerRule)
        self.maxMeasurementsPerRule = max(0, maxMeasurementsPerRule)
        self.color = color
    }

    /// Renders `result` as UTF-8 text ending with a newline.
    public func write(_ result: ScanResult) throws -> [UInt8] {
        Array(render(result).utf8)
    }

    private typealias F = ReportFormatting

    private func render(_ result: ScanResult) -> String {
        var lines: [String] = []
        lines.append(paint("synthscan \(F.singleLine(result.toolVersion))", .bold)
            + "  seed \(result.seed)  started \(F.iso8601(result.startTime))  "
            + "took \(F.displayNumber((result.endTime.timeIntervalSince(result.startTime) * 1000).rounded() / 1000))s")

        lines.append("")
        lines.append(paint("Inputs", .bold))
        if result.inputs.isEmpty {
            lines.append("  (none)")
        } else {
            let rows = [["ROLE", "FORMAT", "ROWS", "COLUMNS", "PATH"]] + result.inputs.map {
                [$0.role.rawValue, $0.format.description, String($0.rowCount), String($0.columnCount), F.singleLine($0.path)]
            }
            lines += table(rows, rightAligned: [2, 3]).map { "  " + $0 }
        }

        lines.append("")
        lines.append(paint("Rules", .bold))
        if result.outcomes.isEmpty { lines.append("  (none ran)") }
        let idWidth = result.outcomes.map { F.singleLine($0.rule.id).count }.max() ?? 0
        for outcome in result.outcomes {
            lines += rule(outcome, idWidth: idWidth)
        }

        if !result.disabledRules.isEmpty {
            lines.append("")
            lines.append(paint("Disabled rules", .bold))
            for d in result.disabledRules {
                lines.append("  " + paint("OFF ", .dim) + "  \(F.singleLine(d.id)) (\(F.singleLine(d.pack))): \(F.singleLine(d.reason))")
            }
        }
        if !result.rulePacks.isEmpty {
            lines.append("")
            lines.append(paint("Rule packs", .bold))
            for p in result.rulePacks {
                lines.append("  \(F.singleLine(p.id)) \(F.singleLine(p.version))  \(F.singleLine(p.location))  \(p.contentHash)")
            }
        }

        if !result.notifications.isEmpty {
            lines.append("")
            lines.append(paint("Notifications", .bold))
            for n in result.notifications {
                let level = pad(n.level.rawValue, 7)
                lines.append("  " + paint(level, colorFor(level: n.level)) + " [\(F.singleLine(n.code))] \(F.singleLine(n.message))")
            }
        }

        lines.append("")
        lines.append(closingLine(ReportSummary(result)))
        lines.append(gateLine(result))
        return lines.joined(separator: "\n") + "\n"
    }

    private func rule(_ outcome: RuleOutcome, idWidth: Int) -> [String] {
        let marker: String
        let markerStyle: Style
        switch outcome.status {
        case .pass: marker = "PASS"; markerStyle = .green
        case .fail where outcome.isWaived: marker = "WAIV"; markerStyle = .dim
        case .fail: marker = "FAIL"; markerStyle = colorFor(level: outcome.level)
        case .skipped: marker = "SKIP"; markerStyle = .dim
        }
        var lines = ["  " + paint(marker, markerStyle) + "  " + pad(outcome.level.rawValue, 7) + "  "
            + pad(F.singleLine(outcome.rule.id), idWidth) + "  " + F.singleLine(outcome.message)]
        let indent = "        "
        if !outcome.measurements.isEmpty {
            let shown = outcome.measurements.prefix(maxMeasurementsPerRule)
                .map { "\(F.singleLine($0.key)) = \(F.displayNumber($0.value))" }
            let hidden = outcome.measurements.count - shown.count
            var text = shown.joined(separator: ", ")
            if hidden > 0 { text += (text.isEmpty ? "" : " ") + "(+\(hidden) more)" }
            lines.append(indent + text)
        }
        if let waiver = outcome.waiver {
            lines.append(indent + "waived by \(F.singleLine(waiver.pack)): \(F.singleLine(waiver.reason))"
                + (waiver.expires.map { " (until \($0))" } ?? ""))
        }
        if outcome.status == .fail {
            for finding in outcome.findings.prefix(maxFindingsPerRule) {
                lines.append(indent + "- " + describe(finding, ruleLevel: outcome.level))
            }
            let hidden = outcome.findings.count - min(outcome.findings.count, maxFindingsPerRule)
            if hidden > 0 {
                lines.append(indent + "… and \(hidden) more")
            }
        }
        return lines
    }

    /// Row-level findings: where the row is and which record (digests). Others: columns, subgroup and message.
    private func describe(_ finding: Finding, ruleLevel: Severity) -> String {
        let loc = finding.location
        var parts: [String] = []
        if let row = loc.row {
            parts.append(loc.table == .synthetic ? "row \(row)" : "\(loc.table.rawValue) row \(row)")
        }
        if let line = loc.line { parts.append("line \(line)") }
        if loc.row == nil, loc.table != .synthetic { parts.append("table \(loc.table.rawValue)") }
        if !loc.columns.isEmpty {
            parts.append((loc.columns.count == 1 ? "column " : "columns ") + loc.columns.map(F.singleLine).joined(separator: ", "))
        }
        if let subgroup = loc.subgroup { parts.append("subgroup \(F.singleLine(subgroup))") }
        if let digest = loc.recordDigest { parts.append("record \(F.singleLine(digest))") }
        if let digest = loc.matchedRecordDigest { parts.append("matches \(F.singleLine(digest))") }
        if finding.level != ruleLevel { parts.append("(\(finding.level.rawValue))") }
        if let waiver = finding.suppression, !waiver.coversWholeRule {
            parts.append("(waived by \(F.singleLine(waiver.pack)): \(F.singleLine(waiver.reason)))")
        }
        var text = parts.joined(separator: "  ")
        if loc.row == nil, !finding.message.isEmpty {
            text += (text.isEmpty ? "" : ": ") + F.singleLine(finding.message)
        }
        return text.isEmpty ? F.singleLine(finding.message) : text
    }

    /// `2 rules: 1 failed (1 error), 1 passed, 0 skipped` style (zero counts other than failed are left out).
    private func closingLine(_ s: ReportSummary) -> String {
        var text = F.plural(s.rules, "rule") + ": \(s.failed) failed"
        let levels = F.levelsDescending.compactMap { level -> String? in
            guard let n = s.failedByLevel[level], n > 0 else { return nil }
            return F.plural(n, level.rawValue)
        }
        if !levels.isEmpty { text += " (" + levels.joined(separator: ", ") + ")" }
        text += ", \(s.passed) passed"
        if s.skipped > 0 { text += ", \(s.skipped) skipped" }
        text += "; " + F.plural(s.findings, "finding")
        return text
    }

    private func gateLine(_ result: ScanResult) -> String {
        guard let failOn = result.failOn else { return "Gate: off (no fail-on level); exit 0" }
        if result.failsGate {
            return "Gate: " + paint("FAILED", .red) + " (fail-on \(failOn.rawValue): a failing rule is at \(failOn.rawValue) or above)"
        }
        return "Gate: " + paint("passed", .green) + " (fail-on \(failOn.rawValue): no failing rule at \(failOn.rawValue) or above)"
    }

    // MARK: Layout and colour

    private func table(_ rows: [[String]], rightAligned: Set<Int>) -> [String] {
        let widths = (0..<(rows.first?.count ?? 0)).map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { c, cell in
                if c == row.count - 1 { return cell }
                return rightAligned.contains(c) ? padLeft(cell, widths[c]) : pad(cell, widths[c])
            }.joined(separator: "  ")
        }
    }

    private func pad(_ s: String, _ width: Int) -> String { s + String(repeating: " ", count: max(0, width - s.count)) }
    private func padLeft(_ s: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }

    private enum Style: String {
        case bold = "1", dim = "2", red = "31", green = "32", yellow = "33", cyan = "36"
    }

    private func colorFor(level: Severity) -> Style {
        switch level { case .error: .red; case .warning: .yellow; case .note: .cyan }
    }

    private func paint(_ text: String, _ style: Style) -> String {
        color ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }
}
