/// Writes the versioned machine-readable report (`"format": "synthscan-report"`, `"format_version": 1`).
///
/// Every key is snake_case and appears in a fixed, documented order (see `docs/json-report.md`);
/// optional fields are present with `null` rather than left out. Doubles print as shortest
/// round-trip decimals, integral doubles as integers (`20`, not `20.0`), and NaN or infinities as
/// `null`. Rules appear in the order of `ScanResult.outcomes`, findings in the order each check
/// reported them.
public struct JSONReportWriter: ReportWriter {
    /// The `format` value that names this document type.
    public static let formatName = "synthscan-report"
    /// The `format_version` this writer produces; raised on any incompatible change.
    public static let formatVersion = 1

    /// Creates a JSON report writer.
    public init() {}

    /// Renders `result` as pretty-printed UTF-8 JSON ending with a newline.
    public func write(_ result: ScanResult) throws -> [UInt8] {
        Array(document(result).rendered().utf8)
    }

    /// The whole document as an ordered JSON value.
    func document(_ result: ScanResult) -> ReportJSON {
        .object([
            ("format", .string(Self.formatName)),
            ("format_version", .int(Int64(Self.formatVersion))),
            ("tool", .object([
                ("name", .string("synthscan")),
                ("version", .string(result.toolVersion)),
            ])),
            ("scan", scan(result)),
            ("summary", summary(result)),
            ("inputs", .array(result.inputs.map(input))),
            ("columns", .array(result.columns.map(column))),
            ("rule_packs", .array(result.rulePacks.map(pack))),
            ("rules", .array(result.outcomes.map(rule))),
            ("disabled_rules", .array(result.disabledRules.map { disabled in
                .object([("id", .string(disabled.id)), ("pack", .string(disabled.pack)), ("reason", .string(disabled.reason))])
            })),
            ("notifications", .array(result.notifications.map(notification))),
        ])
    }

    private func scan(_ result: ScanResult) -> ReportJSON {
        .object([
            ("start_time", .string(ReportFormatting.iso8601(result.startTime))),
            ("end_time", .string(ReportFormatting.iso8601(result.endTime))),
            ("duration_seconds", .number(result.endTime.timeIntervalSince(result.startTime))),
            ("seed", .uint(result.seed)),
            ("fail_on", .string(result.failOn?.rawValue)),
            ("gate_failed", .bool(result.failsGate)),
            ("command_line", .array(result.commandLine.map(ReportJSON.string))),
        ])
    }

    private func summary(_ result: ScanResult) -> ReportJSON {
        let s = ReportSummary(result)
        func byLevel(_ counts: [Severity: Int]) -> ReportJSON {
            .object(ReportFormatting.levelsDescending.map { ($0.rawValue, .int(counts[$0] ?? 0)) })
        }
        return .object([
            ("rules", .int(s.rules)),
            ("by_status", .object([("pass", .int(s.passed)), ("fail", .int(s.failed)), ("skipped", .int(s.skipped))])),
            ("failed_by_level", byLevel(s.failedByLevel)),
            ("findings", .int(s.findings)),
            ("findings_by_level", byLevel(s.findingsByLevel)),
            ("gate_failed", .bool(s.gateFailed)),
        ])
    }

    private func input(_ input: InputSummary) -> ReportJSON {
        .object([
            ("role", .string(input.role.rawValue)),
            ("path", .string(input.path)),
            ("uri", .string(input.uri)),
            ("format", .string(input.format.description)),
            ("bytes", .int(input.byteCount)),
            ("rows", .int(input.rowCount)),
            ("columns", .int(input.columnCount)),
        ])
    }

    private func column(_ column: ColumnDescriptor) -> ReportJSON {
        .object([
            ("name", .string(column.name)),
            ("type", .string(column.type.rawValue)),
            ("type_source", .string(column.typeSource.rawValue)),
            ("roles", .array(column.roles.sorted().map { .string($0.rawValue) })),
        ])
    }

    private func rule(_ outcome: RuleOutcome) -> ReportJSON {
        .object([
            ("id", .string(outcome.rule.id)),
            ("check", .string(outcome.rule.check)),
            ("pack", .string(outcome.rule.pack)),
            ("status", .string(outcome.status.rawValue)),
            ("level", .string(outcome.level.rawValue)),
            ("summary", .string(outcome.rule.summary)),
            ("message", .string(outcome.message)),
            ("tags", .array(outcome.rule.tags.map(ReportJSON.string))),
            ("measurements", measurements(outcome.measurements)),
            ("parameters", .object(outcome.rule.parameters.sorted.map { ($0.name, parameter($0.value)) })),
            ("waiver", outcome.waiver.map(waiver) ?? .null),
            ("finding_count", .int(outcome.findings.count)),
            ("findings", .array(outcome.findings.map(finding))),
        ])
    }

    private func finding(_ finding: Finding) -> ReportJSON {
        let location = finding.location
        return .object([
            ("rule_id", .string(finding.ruleID)),
            ("level", .string(finding.level.rawValue)),
            ("message", .string(finding.message)),
            ("table", .string(location.table.rawValue)),
            ("row", .int(location.row)),
            ("line", .int(location.line)),
            ("columns", .array(location.columns.map(ReportJSON.string))),
            ("subgroup", .string(location.subgroup)),
            ("record_digest", .string(location.recordDigest)),
            ("matched_record_digest", .string(location.matchedRecordDigest)),
            ("fingerprint", .string(finding.fingerprint)),
            ("measurements", measurements(finding.measurements)),
            ("suppressed_by", finding.suppression.map(waiver) ?? .null),
        ])
    }

    private func pack(_ pack: PackSummary) -> ReportJSON {
        .object([
            ("id", .string(pack.id)),
            ("version", .string(pack.version)),
            ("content_hash", .string(pack.contentHash)),
            ("location", .string(pack.location)),
            ("extends", .string(pack.extends)),
        ])
    }

    private func waiver(_ waiver: Waiver) -> ReportJSON {
        .object([
            ("pack", .string(waiver.pack)),
            ("reason", .string(waiver.reason)),
            ("approved_by", .string(waiver.approvedBy)),
            ("expires", .string(waiver.expires)),
            ("fingerprints", .array(waiver.fingerprints.map(ReportJSON.string))),
        ])
    }

    private func parameter(_ value: ParameterValue) -> ReportJSON {
        switch value {
        case .integer(let v): .int(v)
        case .number(let v): .number(v)
        case .boolean(let v): .bool(v)
        case .text(let v): .string(v)
        case .list(let items): .array(items.map(ReportJSON.string))
        }
    }

    private func notification(_ notification: ScanNotification) -> ReportJSON {
        .object([
            ("level", .string(notification.level.rawValue)),
            ("code", .string(notification.code)),
            ("message", .string(notification.message)),
        ])
    }

    /// Measurements as an object in their given order; a repeated key keeps its first value.
    private func measurements(_ list: [Measurement]) -> ReportJSON {
        var seen = Set<String>()
        return .object(list.compactMap { m in seen.insert(m.key).inserted ? (m.key, .number(m.value)) : nil })
    }
}
