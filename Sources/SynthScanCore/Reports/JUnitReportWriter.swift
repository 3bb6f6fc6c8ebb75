import Foundation

/// Writes a JUnit XML report (the Ant/Surefire schema CI systems read: GitLab, Jenkins, Azure
/// Pipelines): one `testsuite` named after the synthetic file, one `testcase` per rule (classname =
/// the rule's pack, name = the rule id). A failing rule is a `failure` whose `type` is its level
/// and whose text lists its findings (synthetic rows, lines, columns, subgroups; never values); a
/// waived failure is a `skipped` with the waiver's reason, as is a rule that did not apply.
/// Measurements go to `system-out`. Timestamps are the scan's, so the same result gives the same bytes.
public struct JUnitReportWriter: ReportWriter {
    /// Findings listed in a failure's text before the rest are counted.
    public var maxFindingsPerRule: Int

    /// Creates a JUnit writer.
    public init(maxFindingsPerRule: Int = 50) {
        self.maxFindingsPerRule = max(0, maxFindingsPerRule)
    }

    public func write(_ result: ScanResult) throws -> [UInt8] {
        let synthetic = result.inputs.first { $0.role == .synthetic }.map { URL(fileURLWithPath: $0.path).lastPathComponent } ?? "synthetic"
        let failures = result.outcomes.filter { $0.status == .fail && !$0.isWaived }.count
        let skipped = result.outcomes.filter { $0.status == .skipped || ($0.status == .fail && $0.isWaived) }.count
        let seconds = String(format: "%.3f", max(0, result.endTime.timeIntervalSince(result.startTime)))
        let stamp = ISO8601DateFormatter().string(from: result.startTime)
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"synthscan\" tests=\"\(result.outcomes.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\" time=\"\(seconds)\">\n"
        out += "  <testsuite name=\"\(Self.escape("synthscan: " + synthetic))\" tests=\"\(result.outcomes.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\" time=\"\(seconds)\" timestamp=\"\(stamp)\">\n"
        out += "    <properties>\n"
        out += "      <property name=\"synthscan.version\" value=\"\(Self.escape(result.toolVersion))\"/>\n"
        out += "      <property name=\"seed\" value=\"\(result.seed)\"/>\n"
        for pack in result.rulePacks {
            out += "      <property name=\"rule-pack\" value=\"\(Self.escape("\(pack.id) \(pack.version) \(pack.contentHash)"))\"/>\n"
        }
        out += "    </properties>\n"
        for outcome in result.outcomes {
            out += "    <testcase classname=\"\(Self.escape(outcome.rule.pack))\" name=\"\(Self.escape(outcome.rule.id))\" time=\"0\">\n"
            switch outcome.status {
            case .fail where outcome.isWaived:
                let reason = outcome.waiver?.reason ?? outcome.findings.first?.suppression?.reason ?? "waived"
                out += "      <skipped message=\"\(Self.escape("waived: " + reason))\"/>\n"
            case .fail:
                out += "      <failure type=\"\(outcome.level.rawValue)\" message=\"\(Self.escape(ReportFormatting.truncated(outcome.message, to: 1000)))\">"
                out += Self.escape(failureText(outcome)) + "</failure>\n"
            case .skipped:
                out += "      <skipped message=\"\(Self.escape(outcome.message))\"/>\n"
            case .pass:
                break
            }
            if !outcome.measurements.isEmpty {
                let lines = outcome.measurements.map { "\($0.key) = \(ParameterValue.format($0.value))" }
                out += "      <system-out>\(Self.escape(lines.joined(separator: "\n")))</system-out>\n"
            }
            out += "    </testcase>\n"
        }
        out += "  </testsuite>\n</testsuites>\n"
        return Array(out.utf8)
    }

    /// The failure's body: the message, then one line per listed finding.
    private func failureText(_ outcome: RuleOutcome) -> String {
        var lines = [outcome.message]
        let open = outcome.findings.filter { $0.suppression == nil }
        for f in open.prefix(maxFindingsPerRule) {
            var place: [String] = []
            if let row = f.location.row { place.append("row \(row)") }
            if let line = f.location.line { place.append("line \(line)") }
            if !f.location.columns.isEmpty { place.append("columns \(f.location.columns.joined(separator: ", "))") }
            if let subgroup = f.location.subgroup { place.append("subgroup \(subgroup)") }
            lines.append("- [\(f.level.rawValue)] \(place.joined(separator: ", ")): \(f.message)")
        }
        if open.count > maxFindingsPerRule { lines.append("… and \(open.count - maxFindingsPerRule) more findings (see the JSON report)") }
        return lines.joined(separator: "\n")
    }

    /// XML text and attribute escaping; characters XML 1.0 forbids are dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v < 0x20 || (0xFFFE...0xFFFF).contains(v) || (0xD800...0xDFFF).contains(v) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
