import Foundation

/// Renders rule sets, rules and self-test results as text for the `rules` commands.
///
/// Pure functions of their input, so the CLI stays thin and tests can assert the exact wording.
public enum RuleSetDescriber {
    /// `rules list`: one line per rule (id, level, kind, pack, state, summary), then the packs.
    public static func list(_ set: EffectiveRuleSet) -> String {
        let header = ["ID", "LEVEL", "KIND", "PACK", "STATE", "SUMMARY"]
        let rows = set.rules.map { rule -> [String] in
            [rule.id, rule.descriptor.severity.rawValue, rule.descriptor.check, rule.descriptor.pack,
             rule.enabled ? "on" : "off", rule.descriptor.summary]
        }
        var out = table([header] + rows)
        out += "\nPacks (applied in this order):\n"
        for pack in set.packs {
            out += "  \(pack.id) \(pack.version)  \(pack.location)  \(pack.contentHash.prefix(23))…\n"
        }
        let disabled = set.rules.filter { !$0.enabled }
        if !disabled.isEmpty {
            out += "\nDisabled:\n"
            for rule in disabled { out += "  \(rule.id): \(rule.disabledReason ?? "") (\(rule.disabledBy ?? ""))\n" }
        }
        return out
    }

    /// `rules show ID`: the rule's texts, effective parameters with who set each, overrides, tests and help.
    public static func show(_ rule: EffectiveRule, in set: EffectiveRuleSet) -> String {
        let d = rule.descriptor
        var out = "\(d.id)\n"
        out += "  \(d.summary)\n\n"
        var facts = [("check kind", d.check), ("level", d.severity.rawValue + source(d.provenance["severity"])),
                     ("defined in", "\(d.pack) (\(rule.definition.file)\(rule.definition.position.map { ":\($0.line)" } ?? ""))"),
                     ("state", rule.enabled ? "enabled" : "disabled by \(rule.disabledBy ?? "?"): \(rule.disabledReason ?? "")")]
        if let s = d.securitySeverity { facts.append(("security-severity", ParameterValue.format(s) + source(d.provenance["security-severity"]))) }
        if let p = d.precision { facts.append(("precision", p)) }
        if !d.tags.isEmpty { facts.append(("tags", d.tags.joined(separator: ", ") + source(d.provenance["tags"]))) }
        if !d.sliceBy.isEmpty { facts.append(("sliced by", d.sliceBy.joined(separator: " × ") + source(d.provenance["by"]))) }
        out += table(facts.map { [$0.0 + ":", $0.1] }, indent: "  ")
        out += "\n" + wrap(d.description, indent: "  ") + "\n"

        out += "\nParameters (effective value, set by, type, default):\n"
        let specs = CheckRegistry.parameters(kind: d.check) ?? []
        var rows: [[String]] = []
        for spec in specs {
            let value = d.parameters[spec.name]?.description ?? spec.defaultValue.description
            let setBy = d.provenance[spec.name] ?? (rule.definition.descriptor.parameters[spec.name] == spec.defaultValue ? "default" : d.pack)
            rows.append([spec.name, value, setBy, spec.type.description, "default " + spec.defaultValue.description])
        }
        out += table(rows, indent: "  ")
        for spec in specs { out += "  \(spec.name): \(spec.doc)\n" }

        if let template = d.messageTemplate { out += "\nMessage template\(source(d.provenance["message"])):\n  \(template)\n" }
        if let measurements = CheckRegistry.measurements(kind: d.check) {
            out += "\nMeasurements: " + measurements.map(\.key).joined(separator: ", ") + "\n"
        }
        if !rule.overrides.isEmpty {
            out += "\nOverrides:\n"
            for o in rule.overrides { out += "  \(o.pack): \(o.change)\n" }
        }
        let waivers = set.waivers.filter { $0.ruleID == d.id }
        if !waivers.isEmpty {
            out += "\nWaivers:\n"
            for w in waivers {
                let scope = w.fingerprints.isEmpty ? "whole rule" : "\(w.fingerprints.count) finding(s)"
                out += "  \(w.pack): \(scope): \(w.reason)\(w.expires.map { " (until \($0))" } ?? "")\n"
            }
        }
        let tests = rule.definition.tests
        out += "\nSelf-tests: \(tests.count) (\(tests.filter(\.triggers).count) triggering, \(tests.filter { !$0.triggers }.count) not)\n"
        for t in tests { out += "  - \(t.name) (expect \(t.expectedStatus.rawValue))\n" }
        out += "\nHelp:\n" + d.help.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n") + "\n"
        if !d.references.isEmpty {
            out += "\nReferences:\n"
            for r in d.references { out += "  - \(r)\n" }
        }
        return out
    }

    /// `rules test`: one line per test (✓/✗), the differences under each failure, and a summary line.
    public static func testReport(_ results: [RuleTestResult]) -> String {
        var out = ""
        var lastRule = ""
        for r in results {
            if r.ruleID != lastRule {
                out += "\(r.ruleID)  (\(r.pack))\n"
                lastRule = r.ruleID
            }
            out += "  \(r.passed ? "✓" : "✗") \(r.name)  [\(r.triggers ? "triggers" : "does not trigger")]\n"
            if !r.passed {
                out += "      at \(r.location)\n"
                for d in r.differences { out += "      \(d)\n" }
            }
        }
        let failed = results.filter { !$0.passed }.count
        out += "\n\(results.count) test\(results.count == 1 ? "" : "s"), \(results.count - failed) passed, \(failed) failed\n"
        return out
    }

    /// The check kind reference (Markdown), generated from the kinds' own declarations: `docs/check-kinds.md`.
    public static func checkKindReference() -> String {
        var out = """
        # Check kinds

        <!-- GENERATED by `synthscan rules kinds` from the check kinds' declarations. Do not edit. -->

        A rule's `check:` names one of these kinds; its `params:` may set the parameters below (any it
        leaves out take the default). Message templates and self-test expectations may name the
        parameters and the measurements.

        """
        for type in CheckRegistry.all.sorted(by: { $0.kind < $1.kind }) {
            out += "\n## `\(type.kind)`\n\n\(type.summary)\n\n"
            out += "| parameter | type | default | meaning |\n|---|---|---|---|\n"
            for spec in type.parameters {
                out += "| `\(spec.name)` | \(spec.type.description) | \(spec.required ? "required" : "`\(spec.defaultValue)`") | \(spec.doc.replacingOccurrences(of: "|", with: "\\|")) |\n"
            }
            out += "\n| measurement | meaning |\n|---|---|\n"
            for m in type.measurements {
                out += "| `\(m.key)` | \(m.doc.replacingOccurrences(of: "|", with: "\\|"))\(m.optional ? " (not in every run)" : "") |\n"
            }
        }
        return out
    }

    private static func source(_ pack: String?) -> String {
        pack.map { "  (set by \($0))" } ?? ""
    }

    /// Left-aligned columns separated by two spaces.
    static func table(_ rows: [[String]], indent: String = "") -> String {
        guard let width = rows.map(\.count).max() else { return "" }
        var widths = [Int](repeating: 0, count: width)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        return rows.map { row in
            indent + row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// Wraps text at about 96 columns.
    static func wrap(_ text: String, indent: String) -> String {
        var lines: [String] = []
        var line = ""
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            if !line.isEmpty, line.count + word.count + 1 > 96 {
                lines.append(indent + line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(indent + line) }
        return lines.joined(separator: "\n")
    }
}
