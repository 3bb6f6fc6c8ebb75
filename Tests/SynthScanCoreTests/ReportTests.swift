import Foundation
import Testing
@testable import SynthScanCore

/// Report writers on a hand-made `ScanResult`: one failing privacy rule with three row-level
/// findings, one passing bias rule, one notification.
@Suite("ReportTests")
struct ReportTests {

    // MARK: Fixture

    /// Values that exist only in the (imaginary) data behind the fixture: no report may print them.
    static let realValues = ["MRN-004211", "E11.9", "1957-03-02", "Jane Roe", "90210"]

    static let digests = [
        "3f2a9c1b0d4e5f60718293a4b5c6d7e8", "0a1b2c3d4e5f60718293a4b5c6d7e8f9", "ffeeddccbbaa99887766554433221100",
    ]
    static let matched = [
        "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf", "b0b1b2b3b4b5b6b7b8b9babbbcbdbebf", "c0c1c2c3c4c5c6c7c8c9cacbcccdcecf",
    ]

    static func sample() -> ScanResult {
        let copy = RuleDescriptor(
            id: "privacy/exact-copy", check: "exact_copy",
            summary: "Synthetic rows that copy a training record.",
            description: "Flags synthetic records identical to a training record on every compared column, beyond the holdout baseline.",
            help: "## Exact copies\n\nRemove the rows listed, or retrain with stronger privacy.",
            severity: .error, tags: ["privacy", "memorisation", "privacy"], references: ["Platzer & Reutterer 2021"],
            parameters: RuleParameters(["max_share": .integer(0), "compare": .text("all")]), pack: "synthscan/core")
        let bias = RuleDescriptor(
            id: "bias/outcome-disparity-amplification", check: "outcome_disparity",
            summary: "Outcome disparity between groups grows in the synthetic data.",
            description: "Compares the log disparity of the outcome rate between protected groups in real and synthetic data.",
            help: "Rebalance the generator's training data.",
            severity: .warning, tags: ["bias"], references: [], parameters: RuleParameters(["tolerance": .number(0.1)]), pack: "synthscan/core")
        // Deliberately not in row order: JSON keeps the check's order, SARIF sorts by location.
        let rows = [(42, 43), (7, 8), (118, 119)]
        let findings = rows.enumerated().map { i, rl in
            Finding(ruleID: copy.id, level: .error, message: "Synthetic row \(rl.0) copies a training record.",
                    location: FindingLocation(table: .synthetic, row: rl.0, line: rl.1, columns: ["age", "diagnosis", "sex"],
                                              recordDigest: digests[i], matchedRecordDigest: matched[i]),
                    fingerprint: String(digests[i].prefix(16)), measurements: [Measurement("dcr_train", 0), Measurement("copies_in_train", 1)])
        }
        let outcomes = [
            RuleOutcome(rule: bias, status: .pass, level: .warning, message: "Disparity within tolerance for sex.",
                        measurements: [Measurement("log_disparity", 0.01), Measurement("amplification_ratio", 1.25),
                                       Measurement("groups_compared", 20), Measurement("q_value", .nan)],
                        findings: []),
            RuleOutcome(rule: copy, status: .fail, level: .error, message: "3 synthetic rows copy a training record.",
                        measurements: [Measurement("exact_copies_train", 3), Measurement("exact_copy_share_train", 0.01),
                                       Measurement("exact_copies_holdout", 0)],
                        findings: findings),
        ]
        var result = ScanResult(
            startTime: Date(timeIntervalSince1970: 1_772_357_400), // 2026-03-01T09:30:00Z
            endTime: Date(timeIntervalSince1970: 1_772_357_402.5),
            commandLine: ["synthscan", "scan", "--train", "data/train.csv", "--synthetic", "data/synth.csv", "--out", "my report.sarif"],
            seed: 20_261_129,
            inputs: [
                InputSummary(role: .train, path: "data/train.csv", uri: "data/train.csv", format: .csv, byteCount: 51_200, rowCount: 1000, columnCount: 5),
                InputSummary(role: .holdout, path: "data/holdout.csv", uri: "data/holdout.csv", format: .csv, byteCount: 25_600, rowCount: 500, columnCount: 5),
                InputSummary(role: .synthetic, path: "data/synth.csv", uri: "data/synth.csv", format: .csv, byteCount: 15_360, rowCount: 300, columnCount: 6),
            ],
            columns: [
                ColumnDescriptor(name: "age", type: .numeric, typeSource: .inferred, roles: [.quasiIdentifier, .protected]),
                ColumnDescriptor(name: "diagnosis", type: .categorical, typeSource: .inferred, roles: [.sensitive]),
                ColumnDescriptor(name: "mrn", type: .text, typeSource: .configured, roles: [.identifier]),
                ColumnDescriptor(name: "sex", type: .categorical, typeSource: .configured, roles: [.quasiIdentifier, .protected]),
            ],
            outcomes: outcomes,
            notifications: [ScanNotification(level: .warning, code: "extra-column",
                                              message: "Column 'notes' is only in the synthetic table; it was left out.")],
            failOn: .error)
        result.toolVersion = "0.1.0"
        return result
    }

    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func text(_ writer: some ReportWriter, _ result: ScanResult = sample()) throws -> String {
        try writer.writeString(result)
    }

    static func json(_ string: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(string.utf8)) as? [String: Any])
    }

    /// Compares `actual` with a golden file in Fixtures; `SYNTHSCAN_UPDATE_GOLDEN=1` rewrites it.
    static func checkGolden(_ name: String, _ actual: String) throws {
        let url = fixtures.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["SYNTHSCAN_UPDATE_GOLDEN"] == "1" {
            try actual.write(to: url, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "\(name) differs from the golden file; rerun with SYNTHSCAN_UPDATE_GOLDEN=1 if intended")
    }

    // MARK: Shared helpers

    @Test func formattingHelpers() {
        #expect(ReportFormatting.number(20) == "20")
        #expect(ReportFormatting.number(0.01) == "0.01")
        #expect(ReportFormatting.number(-0.0) == "0")
        #expect(ReportFormatting.number(0.1 + 0.2) == "0.30000000000000004")
        #expect(ReportFormatting.number(1e-5) == "1e-05")
        #expect(ReportFormatting.number(.nan) == nil)
        #expect(ReportFormatting.number(.infinity) == nil)
        #expect(ReportFormatting.iso8601(Date(timeIntervalSince1970: 1_772_357_400)) == "2026-03-01T09:30:00Z")
        #expect(ReportFormatting.iso8601(Date(timeIntervalSince1970: 951_782_400.25)) == "2000-02-29T00:00:00.250Z")
        #expect(ReportFormatting.iso8601(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
        #expect(ReportFormatting.upperCamelName("privacy/exact-copy") == "PrivacyExactCopy")
        #expect(ReportFormatting.upperCamelName("bias/outcome-disparity-amplification") == "BiasOutcomeDisparityAmplification")
        #expect(ReportFormatting.singleLine("a\nb\u{1B}[31m") == "a b [31m")
        #expect(ReportFormatting.shellQuoted("my report.sarif") == "'my report.sarif'")
        #expect(ReportFormatting.shellQuoted("--out=x.sarif") == "--out=x.sarif")
        #expect(SARIFReportWriter.uriReference("data/my synth é.csv") == "data/my%20synth%20%C3%A9.csv")
        #expect(SARIFReportWriter.uriReference("data/a%20b.csv") == "data/a%20b.csv")
        #expect(SARIFReportWriter.uriReference("data\\win.csv") == "data/win.csv")
        #expect(SARIFReportWriter.sourceRootURI(forDirectory: "/home/ci/repo") == "file:///home/ci/repo/")
    }

    // MARK: Text

    @Test func textShowsInputsRulesFindingsAndVerdict() throws {
        let text = try Self.text(TextReportWriter())
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first?.hasPrefix("synthscan 0.1.0  seed 20261129  started 2026-03-01T09:30:00Z  took 2.5s") == true)
        #expect(lines.contains("  ROLE       FORMAT  ROWS  COLUMNS  PATH"))
        #expect(lines.contains("  synthetic  csv      300        6  data/synth.csv"))
        #expect(lines.contains("  PASS  warning  bias/outcome-disparity-amplification  Disparity within tolerance for sex."))
        #expect(lines.contains("  FAIL  error    privacy/exact-copy                    3 synthetic rows copy a training record."))
        #expect(lines.contains("        exact_copies_train = 3, exact_copy_share_train = 0.01, exact_copies_holdout = 0"))
        #expect(lines.contains("        log_disparity = 0.01, amplification_ratio = 1.25, groups_compared = 20, q_value = NaN"))
        #expect(lines.contains("        - row 42  line 43  columns age, diagnosis, sex  record \(Self.digests[0])  matches \(Self.matched[0])"))
        #expect(lines.contains("  warning [extra-column] Column 'notes' is only in the synthetic table; it was left out."))
        #expect(lines.contains("2 rules: 1 failed (1 error), 1 passed; 3 findings"))
        #expect(lines.contains("Gate: FAILED (fail-on error: a failing rule is at error or above)"))
        #expect(text.hasSuffix("\n"))
        #expect(!text.contains("\u{1B}"), "colour is off by default")
        // The order of sections: inputs, rules, notifications, closing line.
        let order = ["Inputs", "Rules", "Notifications", "2 rules:"].map { key in lines.firstIndex { $0.hasPrefix(key) } ?? -1 }
        #expect(order == order.sorted() && !order.contains(-1))
        try Self.checkGolden("report-sample.txt", text)
    }

    @Test func textCapsFindingsAndColours() throws {
        let text = try Self.text(TextReportWriter(maxFindingsPerRule: 1, maxMeasurementsPerRule: 2, color: true))
        #expect(text.contains("        … and 2 more\n"))
        #expect(text.components(separatedBy: "        - row ").count == 2)
        #expect(text.contains("log_disparity = 0.01, amplification_ratio = 1.25 (+2 more)"))
        #expect(text.contains("\u{1B}[31mFAIL\u{1B}[0m"))
        #expect(text.contains("\u{1B}[32mPASS\u{1B}[0m"))
    }

    @Test func textGateAndSkippedWording() throws {
        var result = Self.sample()
        result.failOn = nil
        result.outcomes.append(RuleOutcome(rule: result.outcomes[0].rule, status: .skipped, level: .note,
                                           message: "No holdout table:\nskipped.", measurements: [], findings: []))
        result.outcomes[2].rule.id = "fidelity/rare-event-preservation"
        let text = try Self.text(TextReportWriter(), result)
        #expect(text.contains("  SKIP  note     fidelity/rare-event-preservation      No holdout table: skipped.\n"))
        #expect(text.contains("3 rules: 1 failed (1 error), 1 passed, 1 skipped; 3 findings\n"))
        #expect(text.contains("Gate: off (no fail-on level); exit 0\n"))
        result.failOn = .error
        result.outcomes[1].level = .warning
        let passing = try Self.text(TextReportWriter(), result)
        #expect(passing.contains("Gate: passed (fail-on error: no failing rule at error or above)\n"))
        #expect(passing.contains("1 failed (1 warning)"))
    }

    @Test func textTableLevelFindingsShowColumnsAndSubgroup() throws {
        var result = Self.sample()
        result.outcomes[1].findings = [Finding(ruleID: "privacy/exact-copy", level: .warning, message: "Group too small.",
                                               location: FindingLocation(table: .synthetic, columns: ["sex"], subgroup: "sex=F"),
                                               fingerprint: "0011")]
        let text = try Self.text(TextReportWriter(), result)
        #expect(text.contains("        - column sex  subgroup sex=F  (warning): Group too small.\n"))
    }

    // MARK: JSON

    @Test func jsonHasDocumentedKeysAndExactNumbers() throws {
        let text = try Self.text(JSONReportWriter())
        let doc = try Self.json(text)
        #expect(Set(doc.keys) == ["format", "format_version", "tool", "scan", "summary", "inputs", "columns", "rule_packs", "rules",
                                  "disabled_rules", "notifications"])
        #expect(doc["format"] as? String == "synthscan-report")
        #expect(doc["format_version"] as? Int == 1)
        let tool = try #require(doc["tool"] as? [String: Any])
        #expect(tool["name"] as? String == "synthscan" && tool["version"] as? String == "0.1.0")

        let scan = try #require(doc["scan"] as? [String: Any])
        #expect(Set(scan.keys) == ["start_time", "end_time", "duration_seconds", "seed", "fail_on", "gate_failed", "command_line"])
        #expect(scan["start_time"] as? String == "2026-03-01T09:30:00Z")
        #expect(scan["end_time"] as? String == "2026-03-01T09:30:02.500Z")
        #expect(scan["seed"] as? Int == 20_261_129)
        #expect(scan["fail_on"] as? String == "error")
        #expect(scan["gate_failed"] as? Bool == true)
        #expect((scan["command_line"] as? [String])?.last == "my report.sarif")

        let summary = try #require(doc["summary"] as? [String: Any])
        #expect(summary["rules"] as? Int == 2 && summary["findings"] as? Int == 3)
        #expect(summary["by_status"] as? [String: Int] == ["pass": 1, "fail": 1, "skipped": 0])
        #expect(summary["failed_by_level"] as? [String: Int] == ["error": 1, "warning": 0, "note": 0])
        #expect(summary["findings_by_level"] as? [String: Int] == ["error": 3, "warning": 0, "note": 0])

        let inputs = try #require(doc["inputs"] as? [[String: Any]])
        #expect(inputs.count == 3)
        #expect(Set(inputs[2].keys) == ["role", "path", "uri", "format", "bytes", "rows", "columns"])
        #expect(inputs[2]["role"] as? String == "synthetic" && inputs[2]["rows"] as? Int == 300 && inputs[2]["format"] as? String == "csv")

        let columns = try #require(doc["columns"] as? [[String: Any]])
        #expect(Set(columns[0].keys) == ["name", "type", "type_source", "roles"])
        #expect(columns[0]["roles"] as? [String] == ["protected", "quasi_identifier"])
        #expect(columns[2]["type_source"] as? String == "configured")

        let rules = try #require(doc["rules"] as? [[String: Any]])
        #expect(rules.map { $0["id"] as? String } == ["bias/outcome-disparity-amplification", "privacy/exact-copy"])
        #expect(Set(rules[1].keys) == ["id", "check", "pack", "status", "level", "summary", "message", "tags", "measurements",
                                       "parameters", "waiver", "finding_count", "findings"])
        #expect(rules[0]["status"] as? String == "pass" && rules[1]["status"] as? String == "fail")
        let parameters = try #require(rules[1]["parameters"] as? [String: Any])
        #expect(parameters["max_share"] as? Int == 0 && parameters["compare"] as? String == "all", "parameters keep their types")
        #expect(rules[1]["waiver"] is NSNull)
        let passMeasurements = try #require(rules[0]["measurements"] as? [String: Any])
        #expect(passMeasurements["q_value"] is NSNull, "NaN is written as null")
        #expect(passMeasurements["log_disparity"] as? Double == 0.01)
        #expect(passMeasurements["groups_compared"] as? Int == 20)

        let findings = try #require(rules[1]["findings"] as? [[String: Any]])
        #expect(findings.count == 3)
        #expect(findings.map { $0["row"] as? Int } == [42, 7, 118], "findings keep the check's order")
        #expect(Set(findings[0].keys) == ["rule_id", "level", "message", "table", "row", "line", "columns", "subgroup",
                                          "record_digest", "matched_record_digest", "fingerprint", "measurements", "suppressed_by"])
        #expect(findings[0]["subgroup"] is NSNull)
        #expect(findings[0]["line"] as? Int == 43)
        #expect(findings[0]["record_digest"] as? String == Self.digests[0])
        #expect(findings[0]["matched_record_digest"] as? String == Self.matched[0])

        let notifications = try #require(doc["notifications"] as? [[String: Any]])
        #expect(notifications.first?["code"] as? String == "extra-column")

        // Exactness in the text itself: integers print without a fraction, decimals shortest.
        #expect(text.contains("\"groups_compared\": 20,"))
        #expect(text.contains("\"log_disparity\": 0.01,"))
        #expect(text.contains("\"exact_copy_share_train\": 0.01,"))
        #expect(text.contains("\"duration_seconds\": 2.5,"))
        #expect(text.contains("\"q_value\": null"))
        #expect(!text.contains(".0,") && !text.contains(".0\n"))
        try Self.checkGolden("report-sample.json", text)
    }

    @Test func jsonKeysAreSnakeCaseEverywhere() throws {
        let doc = try JSONSerialization.jsonObject(with: Data(try Self.text(JSONReportWriter()).utf8))
        var keys: [String] = []
        func walk(_ value: Any, measurementBag: Bool = false) {
            if let object = value as? [String: Any] {
                for (key, child) in object {
                    if !measurementBag { keys.append(key) }
                    walk(child, measurementBag: key == "parameters")
                }
            } else if let array = value as? [Any] {
                array.forEach { walk($0) }
            }
        }
        walk(doc)
        let bad = keys.filter { $0.range(of: "^[a-z][a-z0-9]*(_[a-z0-9]+)*$", options: .regularExpression) == nil }
        #expect(bad.isEmpty, "not snake_case: \(bad)")
    }

    @Test func jsonEscapesStrings() throws {
        var result = Self.sample()
        result.notifications[0].message = "quote \" backslash \\ newline \n tab \t bell \u{07} slash / é"
        let text = try Self.text(JSONReportWriter(), result)
        #expect(text.contains(#""quote \" backslash \\ newline \n tab \t bell \u0007 slash / é""#))
        let doc = try Self.json(text)
        #expect((doc["notifications"] as? [[String: Any]])?.first?["message"] as? String == result.notifications[0].message)
    }

    // MARK: SARIF

    @Test func sarifStructureRulesResultsAndFingerprints() throws {
        // The fixture's inputs are imaginary files: hashing is off so the golden log does not depend
        // on what exists in the working directory (SARIFTests covers hashing on real files).
        var writer = SARIFReportWriter(sourceRootURI: "file:///home/ci/repo")
        writer.hashArtifacts = false
        let text = try Self.text(writer)
        let log = try Self.json(text)
        #expect(log["$schema"] as? String == "https://json.schemastore.org/sarif-2.1.0.json")
        #expect(log["version"] as? String == "2.1.0")
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        #expect(run["columnKind"] as? String == "unicodeCodePoints")
        #expect((run["automationDetails"] as? [String: Any])?["id"] as? String == "synthscan/synth.csv/")
        #expect((run["originalUriBaseIds"] as? [String: [String: String]])?["%SRCROOT%"]?["uri"] == "file:///home/ci/repo/")

        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "synthscan" && driver["semanticVersion"] as? String == "0.1.0")
        #expect(driver["informationUri"] as? String == "https://github.com/synthscan/synthscan")
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.map { $0["id"] as? String } == ["bias/outcome-disparity-amplification", "privacy/exact-copy"])
        #expect(rules.map { $0["name"] as? String } == ["BiasOutcomeDisparityAmplification", "PrivacyExactCopy"])
        let privacy = rules[1]
        #expect((privacy["shortDescription"] as? [String: String])?["text"] == "Synthetic rows that copy a training record.")
        #expect((privacy["defaultConfiguration"] as? [String: String])?["level"] == "error")
        let help = try #require(privacy["help"] as? [String: String])
        #expect(help["text"]?.hasPrefix("## Exact copies") == true && help["markdown"]?.contains("- Platzer & Reutterer 2021") == true)
        let privacyProperties = try #require(privacy["properties"] as? [String: Any])
        #expect(privacyProperties["tags"] as? [String] == ["privacy", "memorisation"], "tags are de-duplicated")
        #expect(privacyProperties["security-severity"] as? String == "8.0")
        #expect((rules[0]["properties"] as? [String: Any])?["security-severity"] == nil, "only privacy rules are security results")

        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == 3)
        let startLines = results.compactMap { Self.startLine($0) }
        #expect(startLines == [8, 43, 119], "results sorted by line; startLine = the finding's line")
        for (result, digestIndex) in zip(results, [1, 0, 2]) {
            #expect(result["ruleId"] as? String == "privacy/exact-copy")
            #expect(result["ruleIndex"] as? Int == 1)
            #expect(result["level"] as? String == "error")
            let fingerprint = String(Self.digests[digestIndex].prefix(16))
            #expect(result["partialFingerprints"] as? [String: String]
                    == ["primaryLocationLineHash": fingerprint + ":1", "synthscan/finding/v1": fingerprint])
            #expect(result["properties"] as? [String: Int] == ["dcr_train": 0, "copies_in_train": 1])
            let location = try #require((result["locations"] as? [[String: Any]])?.first)
            let artifact = try #require((location["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: Any])
            #expect(artifact["uri"] as? String == "data/synth.csv" && artifact["uriBaseId"] as? String == "%SRCROOT%")
            #expect(artifact["index"] as? Int == 2)
            #expect(location["logicalLocations"] == nil)
        }

        let artifacts = try #require(run["artifacts"] as? [[String: Any]])
        #expect(artifacts.map { $0["roles"] as? [String] } == [["referencedOnCommandLine"], ["referencedOnCommandLine"], ["analysisTarget"]])
        #expect(artifacts[2]["length"] as? Int == 15_360)
        let artifactProperties = try #require(artifacts[2]["properties"] as? [String: Any])
        #expect(artifactProperties["table_role"] as? String == "synthetic" && artifactProperties["format"] as? String == "csv")
        #expect(artifactProperties["rows"] as? Int == 300 && artifactProperties["columns"] as? Int == 6)
        #expect(artifactProperties.count == 4)

        let invocation = try #require((run["invocations"] as? [[String: Any]])?.first)
        #expect(invocation["executionSuccessful"] as? Bool == true)
        #expect(invocation["commandLine"] as? String
                == "synthscan scan --train data/train.csv --synthetic data/synth.csv --out 'my report.sarif'")
        #expect((invocation["arguments"] as? [String])?.count == 8)
        #expect(invocation["startTimeUtc"] as? String == "2026-03-01T09:30:00Z")
        #expect(invocation["endTimeUtc"] as? String == "2026-03-01T09:30:02.500Z")
        let notes = try #require(invocation["toolExecutionNotifications"] as? [[String: Any]])
        #expect(notes.first?["level"] as? String == "warning")
        #expect((notes.first?["descriptor"] as? [String: String])?["id"] == "extra-column")

        #expect(Self.sarifStructuralProblems(log).isEmpty, "\(Self.sarifStructuralProblems(log))")
        try Self.checkGolden("report-sample.sarif", text)
    }

    @Test func sarifOmitsSourceRootWhenNotGiven() throws {
        let log = try Self.json(try Self.text(SARIFReportWriter(automationID: "nightly")))
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        #expect(run["originalUriBaseIds"] == nil)
        #expect((run["automationDetails"] as? [String: Any])?["id"] as? String == "nightly/", "a '/' is appended when missing")
        let given = try Self.json(try Self.text(SARIFReportWriter(automationID: "synthscan/nightly")))
        let givenRun = try #require((given["runs"] as? [[String: Any]])?.first)
        #expect((givenRun["automationDetails"] as? [String: Any])?["id"] as? String == "synthscan/nightly", "category/run-id is kept")
    }

    @Test func sarifTableLevelResultForFailingRuleWithoutFindings() throws {
        var result = Self.sample()
        result.outcomes[1].findings = []
        let log = try Self.json(try Self.text(SARIFReportWriter(), result))
        let results = try #require(((log["runs"] as? [[String: Any]])?.first)?["results"] as? [[String: Any]])
        #expect(results.count == 1)
        let only = results[0]
        #expect(only["ruleIndex"] as? Int == 1 && Self.startLine(only) == 1)
        #expect((only["message"] as? [String: String])?["text"] == "3 synthetic rows copy a training record.")
        #expect(only["properties"] as? [String: Double] == ["exact_copies_train": 3, "exact_copy_share_train": 0.01, "exact_copies_holdout": 0])
        let fingerprints = try #require(only["partialFingerprints"] as? [String: String])
        #expect(fingerprints["primaryLocationLineHash"]?.hasSuffix(":1") == true)
        #expect(Self.sarifStructuralProblems(log).isEmpty)
    }

    @Test func sarifFindingWithoutLineGetsLogicalLocations() throws {
        var result = Self.sample()
        result.outcomes[0].status = .fail
        result.outcomes[0].findings = [Finding(
            ruleID: "bias/outcome-disparity-amplification", level: .warning, message: "Disparity for sex=F grew.",
            location: FindingLocation(table: .synthetic, columns: ["sex"], subgroup: "sex=F"), fingerprint: "feedface00000001",
            measurements: [Measurement("log_disparity", 0.5), Measurement("ci_low", -.infinity)])]
        let log = try Self.json(try Self.text(SARIFReportWriter(), result))
        let results = try #require(((log["runs"] as? [[String: Any]])?.first)?["results"] as? [[String: Any]])
        let first = results[0]
        #expect(first["ruleIndex"] as? Int == 0 && first["level"] as? String == "warning" && Self.startLine(first) == 1)
        let logical = try #require(((first["locations"] as? [[String: Any]])?.first)?["logicalLocations"] as? [[String: String]])
        #expect(logical == [["name": "sex", "fullyQualifiedName": "synthetic/sex", "kind": "property"],
                            ["name": "sex=F", "fullyQualifiedName": "synthetic[sex=F]", "kind": "object"]])
        let properties = try #require(first["properties"] as? [String: Any])
        #expect(properties["ci_low"] is NSNull)
        #expect(Self.sarifStructuralProblems(log).isEmpty)
    }

    @Test func sarifCapsResultsPerRule() throws {
        let log = try Self.json(try Self.text(SARIFReportWriter(maxResultsPerRule: 2)))
        let results = try #require(((log["runs"] as? [[String: Any]])?.first)?["results"] as? [[String: Any]])
        #expect(results.count == 3)
        #expect(results.prefix(2).compactMap { Self.startLine($0) } == [8, 43], "the first two findings in the check's order, sorted")
        #expect(results[2]["properties"] as? [String: Int] == ["truncated_findings": 1])
        #expect(Self.sarifStructuralProblems(log).isEmpty)
    }

    @Test func sarifRejectsDuplicateRuleIDs() throws {
        var result = Self.sample()
        result.outcomes[0].rule.id = "privacy/exact-copy"
        #expect(throws: ReportError.duplicateRuleID("privacy/exact-copy")) { try SARIFReportWriter().write(result) }
    }

    // MARK: Determinism and privacy

    @Test func everyWriterIsDeterministicAndPrintsNoValues() throws {
        let writers: [any ReportWriter] = [TextReportWriter(), TextReportWriter(color: true), JSONReportWriter(),
                                           SARIFReportWriter(sourceRootURI: "file:///repo/"), HTMLReportWriter()]
        for writer in writers {
            let first = try writer.write(Self.sample())
            let second = try writer.write(Self.sample())
            #expect(first == second, "\(type(of: writer)) is not deterministic")
            let text = String(decoding: first, as: UTF8.self)
            for value in Self.realValues {
                #expect(!text.contains(value), "\(type(of: writer)) printed \(value)")
            }
        }
    }

    // MARK: Validation (python jsonschema + GitHub rules, and the same rules in Swift)

    @Test func sarifPassesValidatorAndBrokenFileFails() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("synthscan-report-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        // Several shapes: row-level, table-level, logical-location and truncated results.
        var tableLevel = Self.sample()
        tableLevel.outcomes[1].findings = []
        var logical = Self.sample()
        logical.outcomes[0].status = .fail
        logical.outcomes[0].findings = [Finding(ruleID: "bias/outcome-disparity-amplification", level: .warning, message: "Grew.",
                                                location: FindingLocation(table: .synthetic, columns: ["sex"], subgroup: "sex=F"),
                                                fingerprint: "feedface00000001")]
        let documents: [(String, [UInt8])] = [
            ("sample.sarif", try SARIFReportWriter(sourceRootURI: "file:///home/ci/repo/").write(Self.sample())),
            ("table-level.sarif", try SARIFReportWriter().write(tableLevel)),
            ("logical.sarif", try SARIFReportWriter(maxResultsPerRule: 1).write(logical)),
        ]
        var files: [String] = []
        for (name, bytes) in documents {
            let url = directory.appendingPathComponent(name)
            try Data(bytes).write(to: url)
            files.append(url.path)
            // Swift-side checks: always run, whether or not python is available.
            let log = try Self.json(String(decoding: bytes, as: UTF8.self))
            #expect(Self.sarifStructuralProblems(log).isEmpty, "\(name): \(Self.sarifStructuralProblems(log))")
        }

        // A deliberately broken log: an unknown level and a zero start line.
        var broken = try Self.json(String(decoding: documents[0].1, as: UTF8.self))
        var runs = try #require(broken["runs"] as? [[String: Any]])
        var results = try #require(runs[0]["results"] as? [[String: Any]])
        results[0]["level"] = "fatal"
        var locations = try #require(results[0]["locations"] as? [[String: Any]])
        var physical = try #require(locations[0]["physicalLocation"] as? [String: Any])
        physical["region"] = ["startLine": 0]
        locations[0]["physicalLocation"] = physical
        results[0]["locations"] = locations
        results[1]["ruleIndex"] = 0
        results[2]["partialFingerprints"] = [String: String]()
        runs[0]["results"] = results
        runs[0]["automationDetails"] = ["id": "no-slash"]
        broken["runs"] = runs
        let swiftProblems = Self.sarifStructuralProblems(broken)
        #expect(swiftProblems.contains { $0.contains("level") })
        #expect(swiftProblems.contains { $0.contains("startLine") })
        #expect(swiftProblems.contains { $0.contains("ruleIndex") })
        #expect(swiftProblems.contains { $0.contains("primaryLocationLineHash") })
        #expect(swiftProblems.contains { $0.contains("automationDetails") })
        let brokenURL = directory.appendingPathComponent("broken.sarif")
        try JSONSerialization.data(withJSONObject: broken, options: [.sortedKeys]).write(to: brokenURL)

        guard Self.pythonHasJSONSchema() else {
            print("ReportTests: python3 with jsonschema is not available; only the Swift-side SARIF checks ran")
            return
        }
        let script = Self.repoRoot.appendingPathComponent("scripts/validate_sarif.py").path
        let good = try Self.run(["python3", script] + files)
        #expect(good.status == 0, "validate_sarif.py rejected our SARIF:\n\(good.output)")
        let bad = try Self.run(["python3", script, brokenURL.path])
        #expect(bad.status == 1, "validate_sarif.py accepted a broken file:\n\(bad.output)")
        #expect(bad.output.contains("'fatal' is not one of"))
        #expect(bad.output.contains("less than the minimum of 1"))
        #expect(bad.output.contains("ruleIndex 0 does not point at rule"))
        #expect(bad.output.contains("primaryLocationLineHash is required"))
        #expect(bad.output.contains("must contain '/'"))
    }

    // MARK: Helpers

    static func startLine(_ result: [String: Any]) -> Int? {
        let location = (result["locations"] as? [[String: Any]])?.first
        let region = (location?["physicalLocation"] as? [String: Any])?["region"] as? [String: Any]
        return region?["startLine"] as? Int
    }

    /// The GitHub ingestion rules and the schema constraints our writer must meet, checked in Swift
    /// (mirrors scripts/validate_sarif.py, so the test means something without python).
    static func sarifStructuralProblems(_ log: [String: Any]) -> [String] {
        var problems: [String] = []
        let levels: Set<String> = ["none", "note", "warning", "error"]
        if log["$schema"] as? String == nil { problems.append("$schema missing") }
        if log["version"] as? String != "2.1.0" { problems.append("version is not 2.1.0") }
        guard let runs = log["runs"] as? [[String: Any]], !runs.isEmpty, runs.count <= 20 else {
            return problems + ["runs missing, empty or more than 20"]
        }
        for (r, run) in runs.enumerated() {
            let driver = (run["tool"] as? [String: Any])?["driver"] as? [String: Any]
            if driver?["name"] as? String == nil { problems.append("runs[\(r)]: driver.name missing") }
            // Rules of the driver, then of each extension (rule packs), ids unique within each.
            let extensions = (run["tool"] as? [String: Any])?["extensions"] as? [[String: Any]] ?? []
            let components = [driver?["rules"] as? [[String: Any]] ?? []] + extensions.map { $0["rules"] as? [[String: Any]] ?? [] }
            let componentIDs = components.map { $0.map { $0["id"] as? String ?? "" } }
            for ids in componentIDs where Set(ids).count != ids.count { problems.append("runs[\(r)]: rule ids repeat") }
            for (c, rules) in components.enumerated() { for (i, rule) in rules.enumerated() {
                let at = "runs[\(r)].components[\(c)].rules[\(i)]"
                for key in ["shortDescription", "fullDescription", "help"] {
                    guard let text = (rule[key] as? [String: Any])?["text"] as? String, !text.isEmpty else {
                        problems.append("\(at).\(key).text missing"); continue
                    }
                    if key != "help", text.count > 1024 { problems.append("\(at).\(key) longer than 1024") }
                }
                if let name = rule["name"] as? String, name.count > 255 { problems.append("\(at).name longer than 255") }
                if let level = (rule["defaultConfiguration"] as? [String: Any])?["level"] as? String, !levels.contains(level) {
                    problems.append("\(at).defaultConfiguration.level '\(level)'")
                }
                let properties = rule["properties"] as? [String: Any] ?? [:]
                if let tags = properties["tags"] as? [String], tags.count > 20 || Set(tags).count != tags.count {
                    problems.append("\(at).properties.tags: more than 20 or repeated")
                }
                if let severity = properties["security-severity"] {
                    guard let text = severity as? String, let score = Double(text), score > 0, score <= 10 else {
                        problems.append("\(at).properties.security-severity is not a string in (0, 10]"); continue
                    }
                }
            } }
            if ((run["automationDetails"] as? [String: Any])?["id"] as? String)?.contains("/") != true {
                problems.append("runs[\(r)].automationDetails.id missing or without '/'")
            }
            let results = run["results"] as? [[String: Any]]
            if results == nil { problems.append("runs[\(r)].results missing") }
            if let results, !results.isEmpty, run["columnKind"] as? String == nil { problems.append("runs[\(r)].columnKind missing") }
            if let results, results.count > 25_000 { problems.append("runs[\(r)]: more than 25,000 results") }
            let artifactCount = (run["artifacts"] as? [Any])?.count ?? 0
            for (i, result) in (results ?? []).enumerated() {
                let at = "runs[\(r)].results[\(i)]"
                if ((result["message"] as? [String: Any])?["text"] as? String)?.isEmpty != false { problems.append("\(at).message.text missing") }
                if let level = result["level"] as? String, !levels.contains(level) { problems.append("\(at).level '\(level)'") }
                // Our contract: `rule` always; a driver rule also has `ruleIndex` (= rule.index); a pack
                // rule has `rule.toolComponent` {name, index} into tool.extensions and no `ruleIndex`.
                let ruleID = result["ruleId"] as? String
                let ruleIndex = result["ruleIndex"] as? Int
                let reference = result["rule"] as? [String: Any]
                let toolComponent = reference?["toolComponent"] as? [String: Any]
                let c = toolComponent.map { ($0["index"] as? Int).map { $0 + 1 } ?? -1 } ?? 0
                let index = reference?["index"] as? Int
                if reference?["id"] as? String != ruleID { problems.append("\(at): rule.id differs from ruleId") }
                if c == 0, ruleIndex != index { problems.append("\(at): ruleIndex differs from rule.index") }
                if c > 0, ruleIndex != nil { problems.append("\(at): ruleIndex given for a pack rule") }
                if c > 0, c < components.count, toolComponent?["name"] as? String != extensions[c - 1]["name"] as? String {
                    problems.append("\(at): rule.toolComponent.name is not the extension's name")
                }
                if ruleID == nil || index == nil || !componentIDs.indices.contains(c) || !componentIDs[c].indices.contains(index!)
                    || componentIDs[c][index!] != ruleID {
                    problems.append("\(at): ruleId/ruleIndex/rule do not locate the rule in its component")
                }
                let location = (result["locations"] as? [[String: Any]])?.first
                let physical = location?["physicalLocation"] as? [String: Any]
                let artifact = physical?["artifactLocation"] as? [String: Any]
                if (artifact?["uri"] as? String)?.isEmpty != false { problems.append("\(at): no physical location with a uri") }
                if let index = artifact?["index"] as? Int, !(0..<artifactCount).contains(index) { problems.append("\(at): artifact index out of range") }
                let startLine = (physical?["region"] as? [String: Any])?["startLine"] as? Int
                if startLine == nil || startLine! < 1 { problems.append("\(at): region.startLine missing or < 1") }
                let fingerprint = (result["partialFingerprints"] as? [String: String])?["primaryLocationLineHash"]
                if fingerprint?.isEmpty != false { problems.append("\(at): partialFingerprints.primaryLocationLineHash missing") }
            }
            if let invocations = run["invocations"] as? [[String: Any]] {
                for invocation in invocations where invocation["executionSuccessful"] as? Bool == nil {
                    problems.append("runs[\(r)].invocations: executionSuccessful missing")
                }
            }
        }
        return problems
    }

    static func pythonHasJSONSchema() -> Bool {
        (try? run(["python3", "-c", "import jsonschema"]).status) == 0
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = repoRoot
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
