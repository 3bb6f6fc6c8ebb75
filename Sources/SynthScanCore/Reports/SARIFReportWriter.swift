import Foundation

/// Writes a SARIF 2.1.0 log, valid against the OASIS schema and GitHub code scanning's rules.
///
/// One run: `tool.driver` is synthscan itself and each rule pack of `ScanResult.rulePacks` is a
/// `tool.extensions` component; a rule is listed in the `rules` of the pack that defines it (rules
/// of no listed pack stay in `tool.driver.rules`), in `ScanResult.outcomes` order. Every result
/// names its rule by `ruleId` and by `rule`, a `reportingDescriptorReference` with the id, the
/// index in its component's `rules` and, for a pack's rule, `toolComponent` (the pack by name and
/// index into `tool.extensions`); `ruleIndex` is written only for rules of `tool.driver.rules`.
/// See `RulePlacement` for the sources behind this layout. One result per finding, each with a physical location in
/// the input the finding points at (line 1 plus logical locations when the finding has no line)
/// and partial fingerprints taken from the finding's fingerprint. A failing rule without findings
/// gets one table-level result at line 1 of the synthetic input. Results are sorted by rule, then
/// location, then fingerprint; at most `maxResultsPerRule` findings per rule are written (the first
/// ones in the check's order) plus one result counting the rest.
///
/// Every artifact carries its length and, when the file can be read, `hashes["sha-256"]` (an
/// unreadable file gets a tool execution notification instead; the report is still written).
/// `invocations[0]` records what the rule packs changed: `ruleConfigurationOverrides` for rules
/// whose level or parameters another pack than the defining one set, and
/// `toolConfigurationNotifications` for disabled and waived rules.
public struct SARIFReportWriter: ReportWriter {
    /// `$schema` of the log (the URL GitHub's documentation uses).
    public static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"
    /// GitHub rejects runs with more results than this.
    public static let githubResultLimit = 25_000
    /// The `uriBaseId` every artifact location is relative to.
    public static let sourceRootBaseID = "%SRCROOT%"

    /// Absolute URI of the source root for `originalUriBaseIds` (a `/` is appended when missing); `nil` leaves it out.
    public var sourceRootURI: String?
    /// `runAutomationDetails.id` (`category/run-id`); `nil` = `synthscan/<synthetic file name>/`.
    public var automationID: String?
    /// Findings written per rule before the rest are summarised in one result.
    public var maxResultsPerRule: Int
    /// `tool.driver.informationUri`.
    public var informationURI: String
    /// Whether artifacts get `hashes["sha-256"]` (read from `InputSummary.path`).
    public var hashArtifacts: Bool = true
    /// Whether rules that passed (and rules skipped as not applicable) get a result of `kind`
    /// `pass` (`notApplicable`) at level `none`, for audit trails (`--include-passes`).
    public var includePasses: Bool = false
    /// Whether waived findings are written (with `suppressions`). GitHub code scanning shows
    /// suppressed results as open alerts, so `synthscan scan` leaves them out unless asked.
    public var includeSuppressed: Bool = true
    /// An earlier log: results get `baselineState`, and baseline results no longer found are
    /// written as `absent` (with `kind: pass`, level `none`, so they open no alert).
    public var baseline: SARIFBaseline?
    /// Computes a file's SHA-256 hex digest (replaceable in tests).
    var fileDigest: @Sendable (String) throws -> String = { path in try FileDigest.cached(file: path).sha256 }

    /// The `partialFingerprints` key of synthscan's own fingerprint (rule and record digest or
    /// subgroup key, never a line number): what baselines match on.
    public static let findingFingerprintKey = "synthscan/finding/v1"
    /// Notification descriptor id: an input could not be read to hash it.
    public static let hashFailedCode = "artifact-hash-failed"
    /// Notification descriptor id: a pack disabled a rule.
    public static let ruleDisabledCode = "rule-disabled"
    /// Notification descriptor id: a pack waived a rule or some of its findings.
    public static let ruleWaivedCode = "rule-waived"

    /// Creates a SARIF writer.
    public init(sourceRootURI: String? = nil, automationID: String? = nil, maxResultsPerRule: Int = 1000,
                informationURI: String = "https://github.com/synthscan/synthscan") {
        self.sourceRootURI = sourceRootURI
        self.automationID = automationID
        self.maxResultsPerRule = max(1, maxResultsPerRule)
        self.informationURI = informationURI
    }

    /// The `file://` URI of a directory, ending with `/`, suitable as `sourceRootURI`.
    public static func sourceRootURI(forDirectory path: String) -> String {
        let uri = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL.absoluteString
        return uri.hasSuffix("/") ? uri : uri + "/"
    }

    /// Renders `result` as pretty-printed UTF-8 SARIF JSON ending with a newline.
    public func write(_ result: ScanResult) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return Array(try encoder.encode(try log(result))) + [UInt8(ascii: "\n")]
    }

    // MARK: Building the log

    /// The whole log as Codable values.
    func log(_ result: ScanResult) throws -> Log {
        var seen = Set<String>()
        for outcome in result.outcomes where !seen.insert(outcome.rule.id).inserted {
            throw ReportError.duplicateRuleID(outcome.rule.id)
        }
        let results = try self.results(result)
        if results.count > Self.githubResultLimit {
            throw ReportError.tooManyResults(count: results.count, limit: Self.githubResultLimit)
        }
        var hashNotifications: [Notification] = []
        let artifacts = result.inputs.map { artifact($0, notifications: &hashNotifications) }
        let placement = RulePlacement(result)
        var driverRules: [ReportingDescriptor] = []
        var packRules = Array(repeating: [ReportingDescriptor](), count: result.rulePacks.count)
        for (i, outcome) in result.outcomes.enumerated() {
            if let k = placement.references[i].toolComponent?.index { packRules[k].append(descriptor(outcome)) }
            else { driverRules.append(descriptor(outcome)) }
        }
        let invocation = invocation(result, extraNotifications: hashNotifications)
        let notificationIDs = Set(((invocation.toolExecutionNotifications ?? []) + (invocation.toolConfigurationNotifications ?? []))
            .map(\.descriptor.id))
        let run = Run(
            tool: Tool(driver: ToolComponent(
                name: "synthscan", semanticVersion: result.toolVersion, informationUri: informationURI,
                rules: driverRules,
                notifications: notificationIDs.isEmpty ? nil : notificationIDs.sorted().map(Self.notificationDescriptor)),
                extensions: result.rulePacks.isEmpty ? nil
                    : result.rulePacks.enumerated().map { extensionComponent($1, rules: packRules[$0]) }),
            invocations: [invocation],
            originalUriBaseIds: sourceRootURI.map { uri in
                [Self.sourceRootBaseID: ArtifactLocation(uri: uri.hasSuffix("/") ? uri : uri + "/")]
            },
            artifacts: artifacts,
            results: results,
            automationDetails: AutomationDetails(id: automationDetailsID(result)),
            columnKind: "unicodeCodePoints")
        return Log(schema: Self.schemaURI, version: "2.1.0", runs: [run])
    }

    private func descriptor(_ outcome: RuleOutcome) -> ReportingDescriptor {
        let rule = outcome.rule
        let short = nonEmpty(rule.summary, rule.id)
        let full = nonEmpty(rule.description, short)
        var markdown = nonEmpty(rule.help, full)
        if !rule.references.isEmpty {
            markdown += "\n\n**References**\n\n" + rule.references.map { "- " + $0 }.joined(separator: "\n")
        }
        var tags: [String] = []
        for tag in rule.tags where !tags.contains(tag) { tags.append(tag) }
        let securitySeverity: String? = rule.securitySeverity.map { ParameterValue.format($0) }
            ?? (tags.contains("privacy") ? Self.securitySeverity(outcome.level) : nil)
        return ReportingDescriptor(
            id: rule.id,
            name: ReportFormatting.truncated(ReportFormatting.upperCamelName(rule.id), to: 255),
            shortDescription: MultiformatMessage(text: ReportFormatting.truncated(short, to: 1024)),
            fullDescription: MultiformatMessage(text: ReportFormatting.truncated(full, to: 1024)),
            help: MultiformatMessage(text: nonEmpty(rule.help, full), markdown: markdown),
            defaultConfiguration: ReportingConfiguration(level: outcome.level.rawValue),
            properties: RuleProperties(tags: Array(tags.prefix(20)), securitySeverity: securitySeverity,
                                       precision: rule.precision, pack: rule.pack))
    }

    /// A rule pack as a SARIF tool extension (§3.18.3): id, version, its rules that ran, and the
    /// content hash that identifies it exactly.
    /// What each notification code means, for `tool.driver.notifications`; codes without an entry
    /// (e.g. a configuration diagnostic) get their name in words.
    static let notificationMeanings: [String: String] = [
        "missing-column": "A column of the train table is missing from another table; it is left out of the scan.",
        "extra-column": "A table has a column the train table lacks; it is ignored.",
        "role-column-dropped": "A column named in a role is not in every table, so no check sees it in that role.",
        "type-conflict": "A column's type differs between tables; it is read as categorical.",
        "empty-column": "A column has no values in any table.",
        "wide-integers": "A column holds integers beyond 2^53; it is read as categorical so distinct codes stay distinct.",
        ruleDisabledCode: "A rule pack disabled a rule (the message names the pack and its reason).",
        ruleWaivedCode: "A rule pack or suppressions file waived a rule or some of its findings (the message gives the justification).",
        hashFailedCode: "An input file could not be hashed for its artifact entry.",
        "pass-not-in-partials": "A merged sharded scan computed a nearest-record pass that no partial result carried.",
    ]

    /// The descriptor of notification code `id`.
    static func notificationDescriptor(_ id: String) -> NotificationDescriptor {
        let text = notificationMeanings[id] ?? "synthscan notification: " + id.replacingOccurrences(of: "-", with: " ") + "."
        return NotificationDescriptor(id: id, shortDescription: MultiformatMessage(text: text, markdown: nil))
    }

    private func extensionComponent(_ pack: PackSummary, rules: [ReportingDescriptor]) -> ExtensionComponent {
        ExtensionComponent(name: pack.id, version: pack.version, semanticVersion: pack.version, rules: rules,
                           properties: ExtensionProperties(contentHash: pack.contentHash, location: pack.location, extends: pack.extends))
    }

    /// SARIF suppressions (§3.35) for a waived finding: external (the waiver lives in a rule pack), accepted.
    private func suppressions(_ waiver: Waiver?) -> [Suppression]? {
        guard let waiver else { return nil }
        var justification = waiver.reason + " (waiver in \(waiver.pack)"
        if let by = waiver.approvedBy { justification += ", approved by \(by)" }
        if let until = waiver.expires { justification += ", until \(until)" }
        return [Suppression(kind: "external", status: "accepted", justification: justification + ")")]
    }

    /// GitHub `security-severity` for a privacy rule at `level`: 8.0 (high), 5.0 (medium), 2.0 (low).
    static func securitySeverity(_ level: Severity) -> String {
        switch level { case .error: "8.0"; case .warning: "5.0"; case .note: "2.0" }
    }

    /// Failing results that are new against the baseline, not suppressed, at `level` or above:
    /// what `--fail-on new` gates on (0 without a baseline: nothing can be told new).
    public func newFailures(_ result: ScanResult, atOrAbove level: Severity) throws -> Int {
        guard baseline != nil else { return 0 }
        return try results(result).filter { r in
            r.kind == nil && r.baselineState == "new" && (r.suppressions ?? []).isEmpty
                && (Severity(rawValue: r.level).map { $0 >= level } ?? false)
        }.count
    }

    private func results(_ scan: ScanResult) throws -> [Result] {
        let placement = RulePlacement(scan)
        var all = try failureResults(scan, placement)
        if let baseline {
            var current = Set<String>()
            for i in all.indices {
                let fingerprint = all[i].partialFingerprints[Self.findingFingerprintKey] ?? ""
                current.insert(SARIFBaseline.key(all[i].ruleId, fingerprint))
                all[i].baselineState = baseline.state(ruleID: all[i].ruleId, fingerprint: fingerprint, level: all[i].level,
                                                      measurements: (all[i].properties ?? [:]).mapValues(\.value))
            }
            for entry in baseline.absent(from: current) {
                guard let outcomeIndex = scan.outcomes.firstIndex(where: { $0.rule.id == entry.ruleID }) else { continue }
                let rule = placement.references[outcomeIndex]
                all.append(Result(
                    ruleId: entry.ruleID, ruleIndex: Self.ruleIndex(rule), rule: rule, level: "none",
                    message: Message(text: "No longer found (was in the baseline \(URL(fileURLWithPath: baseline.path).lastPathComponent)): \(entry.message)"),
                    locations: [Location(
                        physicalLocation: PhysicalLocation(
                            artifactLocation: ArtifactLocation(uri: entry.uri ?? "", uriBaseId: entry.uriBaseID, index: nil),
                            region: Region(startLine: max(1, entry.line ?? 1))),
                        logicalLocations: nil)],
                    partialFingerprints: partialFingerprints(entry.fingerprint),
                    properties: nil, suppressions: nil, kind: "pass", baselineState: "absent"))
            }
        }
        if includePasses {
            for (ruleIndex, outcome) in scan.outcomes.enumerated() where outcome.status != .fail {
                var pass = try tableResult(outcome, placement.references[ruleIndex], scan, message: nonEmpty(outcome.message, nonEmpty(outcome.rule.summary, outcome.rule.id)),
                                           properties: properties(outcome.measurements),
                                           fingerprint: ReportFormatting.stableHash([outcome.rule.id, outcome.status.rawValue]))
                pass.level = "none"
                pass.kind = outcome.status == .pass ? "pass" : "notApplicable"
                pass.suppressions = nil
                all.append(pass)
            }
        }
        return all
    }

    private func failureResults(_ scan: ScanResult, _ placement: RulePlacement) throws -> [Result] {
        var all: [Result] = []
        for (outcomeIndex, outcome) in scan.outcomes.enumerated() {
            let rule = placement.references[outcomeIndex]
            if !includeSuppressed, outcome.waiver != nil { continue }
            let listed = includeSuppressed ? outcome.findings : outcome.findings.filter { $0.suppression == nil }
            let kept = listed.prefix(maxResultsPerRule)
            var rows: [(key: SortKey, result: Result)] = []
            for (i, finding) in kept.enumerated() {
                rows.append((SortKey(finding.location, finding.fingerprint, i), try result(finding, outcome, rule, scan)))
            }
            all += rows.sorted { $0.key < $1.key }.map(\.result)
            let hidden = listed.count - kept.count
            if hidden > 0 {
                all.append(try tableResult(
                    outcome, rule, scan,
                    message: "\(hidden) more findings of \(outcome.rule.id) are not listed here; see the JSON report.",
                    properties: ["truncated_findings": PropertyNumber(Double(hidden))],
                    fingerprint: ReportFormatting.stableHash([outcome.rule.id, "truncated"])))
            }
            if outcome.status == .fail, outcome.findings.isEmpty {
                all.append(try tableResult(
                    outcome, rule, scan,
                    message: nonEmpty(outcome.message, nonEmpty(outcome.rule.summary, outcome.rule.id)),
                    properties: properties(outcome.measurements),
                    fingerprint: ReportFormatting.stableHash([outcome.rule.id, "table"])))
            }
        }
        return all
    }

    private func result(_ finding: Finding, _ outcome: RuleOutcome, _ rule: DescriptorReference, _ scan: ScanResult) throws -> Result {
        let loc = finding.location
        let (artifactIndex, input) = try self.input(for: loc.table, in: scan)
        let line = input.role == loc.table ? loc.line.map { max(1, $0) } : nil
        var logical: [LogicalLocation] = []
        if line == nil {
            logical += loc.columns.map {
                LogicalLocation(name: $0, fullyQualifiedName: "\(loc.table.rawValue)/\($0)", kind: "property")
            }
            if let subgroup = loc.subgroup {
                logical.append(LogicalLocation(name: subgroup, fullyQualifiedName: "\(loc.table.rawValue)[\(subgroup)]", kind: "object"))
            }
        }
        let fingerprint = finding.fingerprint.isEmpty
            ? ReportFormatting.stableHash([outcome.rule.id, loc.table.rawValue, loc.columns.joined(separator: ","),
                                           loc.subgroup ?? "", loc.recordDigest ?? "", loc.row.map(String.init) ?? ""])
            : finding.fingerprint
        return Result(
            ruleId: outcome.rule.id, ruleIndex: Self.ruleIndex(rule), rule: rule, level: finding.level.rawValue,
            message: Message(text: nonEmpty(finding.message, nonEmpty(outcome.message, outcome.rule.id))),
            locations: [Location(
                physicalLocation: PhysicalLocation(artifactLocation: artifactLocation(input, index: artifactIndex),
                                                   region: Region(startLine: line ?? 1)),
                logicalLocations: logical.isEmpty ? nil : logical)],
            partialFingerprints: partialFingerprints(fingerprint),
            properties: finding.measurements.isEmpty ? nil : properties(finding.measurements),
            suppressions: suppressions(finding.suppression))
    }

    private func tableResult(_ outcome: RuleOutcome, _ rule: DescriptorReference, _ scan: ScanResult, message: String,
                             properties: [String: PropertyNumber], fingerprint: String) throws -> Result {
        let (artifactIndex, input) = try self.input(for: .synthetic, in: scan)
        return Result(
            ruleId: outcome.rule.id, ruleIndex: Self.ruleIndex(rule), rule: rule, level: outcome.level.rawValue, message: Message(text: message),
            locations: [Location(
                physicalLocation: PhysicalLocation(artifactLocation: artifactLocation(input, index: artifactIndex),
                                                   region: Region(startLine: 1)),
                logicalLocations: nil)],
            partialFingerprints: partialFingerprints(fingerprint),
            properties: properties.isEmpty ? nil : properties,
            suppressions: suppressions(outcome.waiver))
    }

    private func partialFingerprints(_ fingerprint: String) -> [String: String] {
        ["primaryLocationLineHash": fingerprint + ":1", Self.findingFingerprintKey: fingerprint]
    }

    private func properties(_ measurements: [Measurement]) -> [String: PropertyNumber] {
        var bag: [String: PropertyNumber] = [:]
        for m in measurements where bag[m.key] == nil { bag[m.key] = PropertyNumber(m.value) }
        return bag
    }

    /// The input for `table`, else the synthetic input.
    private func input(for table: TableRole, in scan: ScanResult) throws -> (Int, InputSummary) {
        if let i = scan.inputs.firstIndex(where: { $0.role == table }) { return (i, scan.inputs[i]) }
        if let i = scan.inputs.firstIndex(where: { $0.role == .synthetic }) { return (i, scan.inputs[i]) }
        throw ReportError.missingInput(table)
    }

    private func artifactLocation(_ input: InputSummary, index: Int?) -> ArtifactLocation {
        let uri = Self.uriReference(input.uri.isEmpty ? input.path : input.uri)
        let isAbsolute = uri.hasPrefix("/") || uri.range(of: "^[A-Za-z][A-Za-z0-9+.-]*:", options: .regularExpression) != nil
        return ArtifactLocation(uri: uri, uriBaseId: isAbsolute ? nil : Self.sourceRootBaseID, index: index)
    }

    /// An input as an artifact (§3.24): location, length, SHA-256 (§3.24.11), roles (§3.24.6).
    /// The synthetic table is the analysis target; the real tables are named by the invocation
    /// (on the command line or in the configuration it points at).
    private func artifact(_ input: InputSummary, notifications: inout [Notification]) -> Artifact {
        var hashes: [String: String]?
        if hashArtifacts {
            do {
                hashes = ["sha-256": try fileDigest(input.path)]
            } catch {
                let text = (error as? FileDigestError)?.description ?? "\(input.path): cannot hash file: \(error)"
                notifications.append(Notification(
                    level: Severity.warning.rawValue,
                    message: Message(text: text + " (the artifact is listed without a hash)"),
                    descriptor: DescriptorReference(id: Self.hashFailedCode)))
            }
        }
        return Artifact(
            location: artifactLocation(input, index: nil),
            length: max(-1, input.byteCount),
            hashes: hashes,
            roles: [input.role == .synthetic ? "analysisTarget" : "referencedOnCommandLine"],
            properties: ArtifactProperties(tableRole: input.role.rawValue, format: input.format.description,
                                           rows: input.rowCount, columns: input.columnCount))
    }

    private func invocation(_ result: ScanResult, extraNotifications: [Notification]) -> Invocation {
        let execution = result.notifications.map {
            Notification(level: $0.level.rawValue, message: Message(text: nonEmpty($0.message, $0.code)),
                         descriptor: DescriptorReference(id: $0.code))
        } + extraNotifications
        let placement = RulePlacement(result)
        let overrides = result.outcomes.enumerated().compactMap { configurationOverride($1, reference: placement.references[$0]) }
        let configuration = configurationNotifications(result, placement)
        return Invocation(
            executionSuccessful: true,
            commandLine: result.commandLine.map(ReportFormatting.shellQuoted).joined(separator: " "),
            arguments: result.commandLine,
            startTimeUtc: ReportFormatting.iso8601(result.startTime),
            endTimeUtc: ReportFormatting.iso8601(result.endTime),
            ruleConfigurationOverrides: overrides.isEmpty ? nil : overrides,
            toolExecutionNotifications: execution.isEmpty ? nil : execution,
            toolConfigurationNotifications: configuration.isEmpty ? nil : configuration,
            properties: InvocationProperties(seed: result.seed, failOn: result.failOn?.rawValue, gateFailed: result.failsGate))
    }

    /// A `configurationOverride` (§3.51) for a rule whose level or parameters a pack other than the
    /// defining one set: the effective level and the overridden parameters, with which pack set what.
    private func configurationOverride(_ outcome: RuleOutcome, reference: DescriptorReference) -> ConfigurationOverride? {
        let rule = outcome.rule
        let changed = rule.provenance.filter { !$0.value.isEmpty && $0.value != rule.pack }
        let parameters = changed.keys.filter { rule.parameters[$0] != nil }
        guard changed["severity"] != nil || !parameters.isEmpty else { return nil }
        var bag: [String: ParameterJSON] = [:]
        for name in parameters { bag[name] = ParameterJSON(rule.parameters[name]!) }
        return ConfigurationOverride(
            configuration: OverrideConfiguration(level: rule.severity.rawValue, parameters: bag.isEmpty ? nil : bag),
            descriptor: reference,
            properties: OverrideProperties(setBy: changed))
    }

    /// Disabled rules, whole-rule waivers and finding waivers as tool configuration notifications (§3.20.22).
    private func configurationNotifications(_ result: ScanResult, _ placement: RulePlacement) -> [Notification] {
        var out: [Notification] = result.disabledRules.sorted { $0.id < $1.id }.map { disabled in
            Notification(level: Severity.note.rawValue,
                         message: Message(text: "\(disabled.id) disabled by \(nonEmpty(disabled.pack, "a rule pack")): \(nonEmpty(disabled.reason, "no reason given"))"),
                         descriptor: DescriptorReference(id: Self.ruleDisabledCode),
                         associatedRule: DescriptorReference(id: disabled.id))
        }
        for (index, outcome) in result.outcomes.enumerated() {
            var waivers: [Waiver] = []
            if let waiver = outcome.waiver { waivers.append(waiver) }
            for finding in outcome.findings {
                if let waiver = finding.suppression, !waivers.contains(waiver) { waivers.append(waiver) }
            }
            for waiver in waivers {
                let count = outcome.findings.filter { $0.suppression == waiver }.count
                let what = waiver.coversWholeRule ? outcome.rule.id : "\(count) finding\(count == 1 ? "" : "s") of \(outcome.rule.id)"
                var text = "\(what) waived by \(waiver.pack): \(nonEmpty(waiver.reason, "no reason given"))"
                if let by = waiver.approvedBy { text += " (approved by \(by)" + (waiver.expires.map { ", until \($0))" } ?? ")") }
                else if let until = waiver.expires { text += " (until \(until))" }
                out.append(Notification(level: Severity.note.rawValue, message: Message(text: text),
                                        descriptor: DescriptorReference(id: Self.ruleWaivedCode),
                                        associatedRule: placement.references[index]))
            }
        }
        return out
    }

    private func automationDetailsID(_ result: ScanResult) -> String {
        if let automationID { return automationID.contains("/") ? automationID : automationID + "/" }
        let synthetic = result.inputs.first { $0.role == .synthetic }
        let name = synthetic.flatMap { input in input.path.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last }.map(String.init) ?? ""
        return "synthscan/" + (name.isEmpty ? "scan" : name) + "/"
    }

    private func nonEmpty(_ text: String, _ fallback: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? fallback : text
    }

    /// `uri` as a valid URI reference: characters outside RFC 3986 are percent-encoded (UTF-8),
    /// existing `%XX` escapes are kept, and `\` becomes `/`.
    static func uriReference(_ uri: String) -> String {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=".utf8)
        let hex = Set("0123456789abcdefABCDEF".utf8)
        let bytes = Array(uri.replacingOccurrences(of: "\\", with: "/").utf8)
        var out = ""
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if allowed.contains(b) {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else if b == UInt8(ascii: "%"), i + 2 < bytes.count, hex.contains(bytes[i + 1]), hex.contains(bytes[i + 2]) {
                out += "%"
            } else {
                let h = String(b, radix: 16, uppercase: true)
                out += "%" + (h.count == 1 ? "0" + h : h)
            }
            i += 1
        }
        return out
    }

    /// Where each rule of a scan is listed, as the `reportingDescriptorReference` results use.
    ///
    /// A rule whose `pack` is one of `ScanResult.rulePacks` is listed in that pack's
    /// `tool.extensions[k].rules`; every other rule (no pack, or a pack the scan does not list)
    /// in `tool.driver.rules`. `index` counts within that array.
    ///
    /// Sources for the layout:
    /// - SARIF 2.1.0 §3.27.6/§3.27.7: `ruleIndex` indexes the `rules` of *theComponent*, the
    ///   component `rule.toolComponent` names, or `tool.driver` when it is absent; when `ruleIndex`
    ///   and `rule.index` are both present they must be equal. §3.52.7 and §3.54: `toolComponent`
    ///   is a `toolComponentReference` whose `index` points into `tool.extensions` and whose
    ///   `name` is that component's `name`.
    /// - GitHub's "SARIF support for code scanning" (docs.github.com/en/code-security/
    ///   code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning) lists
    ///   `tool.extensions[]` as `toolComponent` objects with their own `rules[]`, describes
    ///   `result.ruleIndex` as the index "in the tool component `rules` array" (not specifically
    ///   the driver's) and `result.rule` as "a reference used to locate the rule"; it says
    ///   nothing more on how an extension's rule is found, so we follow what code scanning
    ///   ingests by default: since CodeQL CLI 2.5.1 the CodeQL Action lists query-pack rules in
    ///   `tool.extensions[].rules` and results reach them through `rule.toolComponent`
    ///   (microsoft/sarif-vscode-extension PR #392, which added that lookup to the SARIF viewer).
    /// - The same PR shows consumers that resolve `result.ruleIndex` against
    ///   `tool.driver.rules` only. So a pack rule's result carries `ruleId` and
    ///   `rule {id, index, toolComponent {name, index}}` but no top-level `ruleIndex` (optional in
    ///   the schema and in GitHub's table; `rule.index` holds the same number), and `ruleIndex`
    ///   stays where every reader agrees on it: rules of `tool.driver.rules`.
    /// - GitHub marks `tool.driver.rules[]` required, so the driver keeps the array even when
    ///   every rule belongs to a pack (then it is empty), and `ruleId` stays on every result
    ///   since code scanning filters alerts by it.
    struct RulePlacement {
        /// One reference per `ScanResult.outcomes` entry.
        var references: [DescriptorReference]

        init(_ scan: ScanResult) {
            var packIndex: [String: Int] = [:]
            for (k, pack) in scan.rulePacks.enumerated() where packIndex[pack.id] == nil { packIndex[pack.id] = k }
            var counts = Array(repeating: 0, count: scan.rulePacks.count)
            var driverCount = 0
            references = scan.outcomes.map { outcome in
                if let k = packIndex[outcome.rule.pack] {
                    defer { counts[k] += 1 }
                    return DescriptorReference(id: outcome.rule.id, index: counts[k],
                                               toolComponent: ToolComponentReference(name: scan.rulePacks[k].id, index: k))
                }
                defer { driverCount += 1 }
                return DescriptorReference(id: outcome.rule.id, index: driverCount)
            }
        }
    }

    /// `result.ruleIndex` for a reference: its index for a driver rule, absent for a pack's rule.
    static func ruleIndex(_ rule: DescriptorReference) -> Int? {
        rule.toolComponent == nil ? rule.index : nil
    }

    /// Orders a rule's results: table, line, row, subgroup, columns, fingerprint, then check order.
    private struct SortKey: Comparable {
        var table: TableRole, line: Int, row: Int, subgroup: String, columns: [String], fingerprint: String, index: Int

        init(_ loc: FindingLocation, _ fingerprint: String, _ index: Int) {
            table = loc.table; line = loc.line ?? 0; row = loc.row ?? 0; subgroup = loc.subgroup ?? ""
            columns = loc.columns; self.fingerprint = fingerprint; self.index = index
        }

        static func < (a: SortKey, b: SortKey) -> Bool {
            if a.table != b.table { return a.table < b.table }
            if a.line != b.line { return a.line < b.line }
            if a.row != b.row { return a.row < b.row }
            if a.subgroup != b.subgroup { return a.subgroup < b.subgroup }
            if a.columns != b.columns { return a.columns.lexicographicallyPrecedes(b.columns) }
            if a.fingerprint != b.fingerprint { return a.fingerprint < b.fingerprint }
            return a.index < b.index
        }
    }
}

// MARK: - SARIF object model (the subset synthscan writes; nil optionals are left out)
