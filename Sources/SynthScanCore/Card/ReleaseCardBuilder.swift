import Foundation

/// Builds a release card from a finished scan, the configuration it ran with and the input files.
///
/// Everything comes from the `ScanResult` that every report is written from (messages and
/// measurements as the checks guarded them), the configuration's `release:` section and the
/// files' digests; nothing is read from the data itself.
public struct ReleaseCardBuilder {
    /// Digests a file (replaceable in tests).
    public var digest: (String) throws -> FileDigest = { path in try FileDigest.cached(file: path) }

    /// Creates a builder.
    public init() {}

    /// The card of `result`, written at `generatedAt`. `waivers` are those in force for the scan
    /// (the rule set's, with the suppressions file's): each is listed in the governance section,
    /// also when it waived nothing this time.
    public func build(_ result: ScanResult, configuration: ScanConfiguration, waivers: [Waiver] = [], generatedAt: Date) throws -> ReleaseCard {
        let release = configuration.release ?? ReleaseConfiguration()
        return try ReleaseCard(generatedAt: ReportFormatting.iso8601(generatedAt), released: try released(result),
                               creation: Self.creation(release), evaluation: Self.evaluation(result, configuration),
                               governance: Self.governance(result, release, inForce: waivers))
    }

    /// The input files, synthetic first.
    func released(_ result: ScanResult) throws -> CardReleased {
        let order: [TableRole] = [.synthetic, .train, .holdout]
        let inputs = result.inputs.sorted { order.firstIndex(of: $0.role)! < order.firstIndex(of: $1.role)! }
        return CardReleased(files: try inputs.map { input in
            let d = try digest(input.path)
            return CardFile(role: input.role.rawValue, name: URL(fileURLWithPath: input.path).lastPathComponent,
                            format: input.format.description, bytes: d.bytes, rows: input.rowCount, columns: input.columnCount,
                            sha256: d.sha256, xxh3: d.xxh3)
        })
    }

    /// The `release:` section as the card records it.
    static func creation(_ release: ReleaseConfiguration) -> CardCreation {
        // A scaffolded section left empty (`init` writes the keys without values) states nothing.
        let generator = release.generator.flatMap { g in
            g.name == nil && g.version == nil && g.parameters.isEmpty ? nil : CardGenerator(name: g.name, version: g.version, parameters: g.parameters)
        }
        let budget = release.privacyBudget.flatMap { b in
            b.epsilon == nil && b.delta == nil && b.mechanism == nil ? nil : CardPrivacyBudget(epsilon: b.epsilon, delta: b.delta, mechanism: b.mechanism)
        }
        return CardCreation(name: release.name, description: release.description, generator: generator, privacyBudget: budget,
                            trainingData: release.trainingData)
    }

    /// The reproducible part: tool, packs, seed, settings, verdicts.
    public static func evaluation(_ result: ScanResult, _ configuration: ScanConfiguration) -> CardEvaluation {
        let summary = ReportSummary(result)
        return CardEvaluation(
            tool: CardTool(name: "synthscan", version: result.toolVersion),
            rulePacks: result.rulePacks.map { CardPack(id: $0.id, version: $0.version, contentHash: $0.contentHash) },
            seed: result.seed,
            settings: settings(configuration, failOn: result.failOn),
            intendedUse: configuration.release?.intendedUse,
            summary: CardSummary(rules: summary.rules, passed: summary.passed, failed: summary.failed, skipped: summary.skipped,
                                 findings: summary.findings, gateFailed: summary.gateFailed),
            rules: result.outcomes.sorted { $0.rule.id < $1.rule.id }.map(rule),
            disabledRules: result.disabledRules.sorted { $0.id < $1.id })
    }

    /// The configuration's settings that shape verdicts.
    static func settings(_ c: ScanConfiguration, failOn: Severity?) -> CardSettings {
        let roles = c.roles
        return CardSettings(
            identifiers: roles.identifiers, quasiIdentifiers: roles.quasiIdentifiers, sensitive: roles.sensitive,
            protected: roles.protected, outcome: roles.outcome.map { CardOutcome(column: $0.column, positive: $0.positiveValue) },
            ignored: roles.ignored,
            columns: c.columns.sorted { $0.key < $1.key }.map { name, s in
                CardColumnSetting(name: name, type: s.type?.rawValue, round: s.roundDigits, caseFold: s.caseFold, bands: s.bands)
            },
            missingValues: c.inputs.missingValues,
            schema: [NamedText(name: "extra_column", value: c.schemaPolicy.extraColumn.rawValue),
                     NamedText(name: "missing_column", value: c.schemaPolicy.missingColumn.rawValue),
                     NamedText(name: "type_conflict", value: c.schemaPolicy.typeConflict.rawValue)],
            failOn: failOn?.rawValue ?? "none")
    }

    /// A card's settings back as a configuration (for `card verify` without `--config`).
    public static func configuration(from s: CardSettings, seed: UInt64) -> ScanConfiguration {
        var c = ScanConfiguration()
        c.roles.identifiers = s.identifiers
        c.roles.quasiIdentifiers = s.quasiIdentifiers
        c.roles.sensitive = s.sensitive
        c.roles.protected = s.protected
        c.roles.outcome = s.outcome.map { OutcomeSpec(column: $0.column, positiveValue: $0.positive) }
        c.roles.ignored = s.ignored
        for col in s.columns {
            c.columns[col.name] = ColumnSettings(type: col.type.flatMap(ColumnType.init(rawValue:)), roundDigits: col.round,
                                                 caseFold: col.caseFold, bands: col.bands)
        }
        c.inputs.missingValues = s.missingValues
        for entry in s.schema {
            guard let level = PolicyLevel(rawValue: entry.value) else { continue }
            switch entry.name {
            case "missing_column": c.schemaPolicy.missingColumn = level
            case "extra_column": c.schemaPolicy.extraColumn = level
            case "type_conflict": c.schemaPolicy.typeConflict = level
            default: break
            }
        }
        c.failOn = Severity(rawValue: s.failOn)
        c.seed = seed
        return c
    }

    /// One rule's verdict with its key figures (rule-level measurements, first of a repeated key) and parameters.
    static func rule(_ outcome: RuleOutcome) -> CardRule {
        var seen = Set<String>()
        let figures = outcome.measurements.compactMap { m -> CardFigure? in
            guard seen.insert(m.key).inserted else { return nil }
            return CardFigure(m)
        }
        return CardRule(id: outcome.rule.id, check: outcome.rule.check, pack: outcome.rule.pack, status: outcome.status.rawValue,
                        level: outcome.level.rawValue, waived: outcome.isWaived, message: outcome.message,
                        findings: outcome.findings.count, waivedFindings: outcome.findings.filter { $0.suppression != nil }.count,
                        figures: figures,
                        parameters: outcome.rule.parameters.sorted.map { NamedText(name: $0.name, value: $0.value.description) })
    }

    /// The decision and every waiver in force (rule-level and per-finding), sorted.
    static func governance(_ result: ScanResult, _ release: ReleaseConfiguration, inForce: [Waiver] = []) -> CardGovernance {
        struct Key: Hashable { let rule, pack, file, reason: String; let line: Int? }
        var waivers: [Key: (Waiver, Int)] = [:]
        for w in inForce {
            waivers[Key(rule: w.ruleID, pack: w.pack, file: w.file, reason: w.reason, line: w.line)] = (w, 0)
        }
        for outcome in result.outcomes {
            if let w = outcome.waiver {
                let key = Key(rule: w.ruleID, pack: w.pack, file: w.file, reason: w.reason, line: w.line)
                waivers[key] = (w, outcome.findings.count)
            }
            for finding in outcome.findings {
                guard let w = finding.suppression, outcome.waiver == nil else { continue }
                let key = Key(rule: w.ruleID, pack: w.pack, file: w.file, reason: w.reason, line: w.line)
                waivers[key] = (w, (waivers[key]?.1 ?? 0) + 1)
            }
        }
        let entries = waivers.values.map { w, count in
            var scope: [String] = []
            if !w.fingerprints.isEmpty { scope.append("findings " + w.fingerprints.joined(separator: ", ")) }
            if !w.subgroups.isEmpty { scope.append("subgroups " + w.subgroups.joined(separator: ", ")) }
            let file = URL(fileURLWithPath: w.file).lastPathComponent
            return CardWaiver(rule: w.ruleID, grantedBy: w.pack, source: file + (w.line.map { ":\($0)" } ?? ""),
                              scope: scope.isEmpty ? "whole rule" : scope.joined(separator: "; "), justification: w.reason,
                              owner: w.approvedBy, expires: w.expires, findingsWaived: count)
        }.sorted { ($0.rule, $0.grantedBy, $0.source) < ($1.rule, $1.grantedBy, $1.source) }
        let g = release.governance ?? ReleaseGovernance()
        return CardGovernance(reviewers: g.reviewers, decision: g.decision, decidedOn: g.decidedOn, expiresOn: g.expiresOn, waivers: entries)
    }
}
