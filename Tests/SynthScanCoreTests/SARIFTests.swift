import Foundation
import Testing
@testable import SynthScanCore

/// SARIF provenance (artifact hashes, rule configuration overrides, configuration notifications),
/// `SARIFLint`, and fingerprint stability under row shuffling.
@Suite("SARIFTests")
struct SARIFTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var examples: URL { repoRoot.appendingPathComponent("Examples") }

    static func run(_ log: [String: Any]) throws -> [String: Any] {
        try #require((log["runs"] as? [[String: Any]])?.first)
    }

    static func log(_ writer: SARIFReportWriter, _ result: ScanResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(try writer.write(result))) as? [String: Any])
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("synthscan-sarif-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A `reportingDescriptorReference` as `id` or `id#index`.
    static func reference(_ value: Any?) -> String? {
        guard let object = value as? [String: Any], let id = object["id"] as? String else { return nil }
        return (object["index"] as? Int).map { "\(id)#\($0)" } ?? id
    }

    // MARK: Step 1: artifacts

    @Test func artifactsCarrySHA256LengthAndRoles() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var result = ReportTests.sample()
        let contents = ["id,age\n1,40\n", "id,age\n2,50\n"]
        for (i, text) in contents.enumerated() {
            let url = directory.appendingPathComponent("t\(i).csv")
            try Data(text.utf8).write(to: url)
            result.inputs[i].path = url.path
            result.inputs[i].byteCount = text.utf8.count
        }
        result.inputs[2].path = directory.appendingPathComponent("missing.csv").path // never written
        let log = try Self.log(SARIFReportWriter(), result)
        let run = try Self.run(log)
        let artifacts = try #require(run["artifacts"] as? [[String: Any]])
        #expect(artifacts.count == 3)
        for i in 0..<2 {
            #expect(artifacts[i]["hashes"] as? [String: String] == ["sha-256": SHA256.hexDigest(of: contents[i])])
            #expect(artifacts[i]["length"] as? Int == contents[i].utf8.count)
        }
        #expect(artifacts.map { $0["roles"] as? [String] } == [["referencedOnCommandLine"], ["referencedOnCommandLine"], ["analysisTarget"]])
        #expect(artifacts.map { ($0["properties"] as? [String: Any])?["table_role"] as? String } == ["train", "holdout", "synthetic"])
        #expect(artifacts[2]["hashes"] == nil, "an unreadable input is listed without a hash")
        let invocation = try #require((run["invocations"] as? [[String: Any]])?.first)
        let notes = try #require(invocation["toolExecutionNotifications"] as? [[String: Any]])
        let hashNotes = notes.filter { ($0["descriptor"] as? [String: Any])?["id"] as? String == SARIFReportWriter.hashFailedCode }
        #expect(hashNotes.count == 1)
        #expect((hashNotes.first?["message"] as? [String: String])?["text"]?.contains("missing.csv: cannot open file for hashing") == true)
        #expect(hashNotes.first?["level"] as? String == "warning")
        #expect(invocation["executionSuccessful"] as? Bool == true)
        #expect(SARIFLint.check(try SARIFReportWriter().write(result)).isEmpty)

        var noHash = SARIFReportWriter()
        noHash.hashArtifacts = false
        let plain = try #require(try Self.run(Self.log(noHash, result))["artifacts"] as? [[String: Any]])
        #expect(plain.allSatisfy { $0["hashes"] == nil })
    }

    @Test func injectedDigestIsUsed() throws {
        var writer = SARIFReportWriter()
        writer.fileDigest = { path in SHA256.hexDigest(of: path) }
        let artifacts = try #require(try Self.run(Self.log(writer, ReportTests.sample()))["artifacts"] as? [[String: Any]])
        #expect(artifacts.map { ($0["hashes"] as? [String: String])?["sha-256"] }
                == ["data/train.csv", "data/holdout.csv", "data/synth.csv"].map { SHA256.hexDigest(of: $0) })
    }

    // MARK: Step 2: overrides and configuration notifications

    static func provenanceSample() -> ScanResult {
        var result = ReportTests.sample()
        // privacy/exact-copy: level and one parameter set by an institution pack, one parameter by its own pack.
        result.outcomes[1].rule.provenance = ["severity": "acme/policy", "max_share": "acme/policy", "compare": "synthscan/core",
                                              "tags": "acme/policy"]
        result.outcomes[1].rule.parameters["max_share"] = .number(0.5)
        // bias rule: only tags changed, which is not a configuration override.
        result.outcomes[0].rule.provenance = ["tags": "acme/policy"]
        result.disabledRules = [DisabledRule(id: "privacy/email-address", pack: "acme/policy", reason: "No contact fields.")]
        let waiver = Waiver(ruleID: "bias/outcome-disparity-amplification", fingerprints: [], reason: "Known imbalance.",
                            approvedBy: "DRB", expires: "2027-01-01", pack: "acme/policy", file: "pack.yaml", line: 3)
        result.outcomes[0].waiver = waiver
        var findingWaiver = waiver
        findingWaiver.ruleID = "privacy/exact-copy"
        findingWaiver.fingerprints = [result.outcomes[1].findings[0].fingerprint]
        findingWaiver.approvedBy = nil
        findingWaiver.expires = nil
        findingWaiver.reason = "Public record."
        result.outcomes[1].findings[0].suppression = findingWaiver
        return result
    }

    @Test func ruleConfigurationOverridesRecordPackChanges() throws {
        let run = try Self.run(Self.log(SARIFReportWriter(), Self.provenanceSample()))
        let invocation = try #require((run["invocations"] as? [[String: Any]])?.first)
        let overrides = try #require(invocation["ruleConfigurationOverrides"] as? [[String: Any]])
        #expect(overrides.count == 1)
        let only = try #require(overrides.first)
        #expect(Self.reference(only["descriptor"]) == "privacy/exact-copy#1")
        let configuration = try #require(only["configuration"] as? [String: Any])
        #expect(configuration["level"] as? String == "error")
        #expect(configuration["parameters"] as? [String: Double] == ["max_share": 0.5], "only parameters another pack set")
        #expect((only["properties"] as? [String: Any])?["set_by"] as? [String: String]
                == ["severity": "acme/policy", "max_share": "acme/policy", "tags": "acme/policy"])

        let notes = try #require(invocation["toolConfigurationNotifications"] as? [[String: Any]])
        let texts = notes.compactMap { ($0["message"] as? [String: String])?["text"] }
        #expect(texts == [
            "privacy/email-address disabled by acme/policy: No contact fields.",
            "bias/outcome-disparity-amplification waived by acme/policy: Known imbalance. (approved by DRB, until 2027-01-01)",
            "1 finding of privacy/exact-copy waived by acme/policy: Public record.",
        ])
        #expect(notes.map { ($0["descriptor"] as? [String: String])?["id"] } == ["rule-disabled", "rule-waived", "rule-waived"])
        #expect(notes.map { Self.reference($0["associatedRule"]) }
                == ["privacy/email-address", "bias/outcome-disparity-amplification#0", "privacy/exact-copy#1"])
        #expect(notes.allSatisfy { $0["level"] as? String == "note" })
        #expect(SARIFLint.check(try SARIFReportWriter().write(Self.provenanceSample())).isEmpty)
    }

    @Test func noOverridesWithoutPackChanges() throws {
        let run = try Self.run(Self.log(SARIFReportWriter(), ReportTests.sample()))
        let invocation = try #require((run["invocations"] as? [[String: Any]])?.first)
        #expect(invocation["ruleConfigurationOverrides"] == nil)
        #expect(invocation["toolConfigurationNotifications"] == nil)
    }

    @Test func institutionPackScanRecordsOverridesAndDisabledRules() throws {
        var configuration = try ScanConfigurationLoader.load(path: Self.examples.appendingPathComponent("synthscan.yaml").path)
        configuration.rulePacks = [Self.repoRoot.appendingPathComponent("Rules/examples/northwind-health").path]
        let ruleSet = try RulePackLoader().load(roots: configuration.rulePacks)
        let result = try ScanEngine.run(configuration: configuration, ruleSet: ruleSet, commandLine: ["synthscan", "scan"])
        let bytes = try SARIFReportWriter().write(result)
        #expect(SARIFLint.check(bytes).isEmpty, "\(SARIFLint.check(bytes))")
        let run = try Self.run(try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]))
        let invocation = try #require((run["invocations"] as? [[String: Any]])?.first)
        let overrides = try #require(invocation["ruleConfigurationOverrides"] as? [[String: Any]])
        let ids = overrides.compactMap { ($0["descriptor"] as? [String: Any])?["id"] as? String }
        #expect(ids.contains("privacy/phone-number"))
        #expect(ids.contains("privacy/identifier-reuse"))
        #expect(!ids.contains("privacy/exact-copy"), "security-severity and tags are not configuration")
        // Each override's descriptor locates its rule in the pack that defines it (tool.extensions[k].rules).
        let tool = try #require(run["tool"] as? [String: Any])
        let extensions = try #require(tool["extensions"] as? [[String: Any]])
        #expect(((tool["driver"] as? [String: Any])?["rules"] as? [Any])?.isEmpty == true, "every rule belongs to a pack")
        for entry in overrides {
            let descriptor = try #require(entry["descriptor"] as? [String: Any])
            let index = try #require(descriptor["index"] as? Int)
            let component = try #require(descriptor["toolComponent"] as? [String: Any])
            let k = try #require(component["index"] as? Int)
            #expect(extensions[k]["name"] as? String == component["name"] as? String)
            let rules = try #require(extensions[k]["rules"] as? [[String: Any]])
            #expect(rules[index]["id"] as? String == descriptor["id"] as? String)
        }
        let reuse = try #require(overrides.first { ($0["descriptor"] as? [String: Any])?["id"] as? String == "privacy/identifier-reuse" })
        #expect(((reuse["configuration"] as? [String: Any])?["parameters"] as? [String: Int]) == ["max_findings": 100_000])
        let notes = try #require(invocation["toolConfigurationNotifications"] as? [[String: Any]])
        #expect(notes.contains { ($0["message"] as? [String: String])?["text"]?.hasPrefix("privacy/email-address disabled by northwind-health/release-policy: ") == true })
        let artifacts = try #require(run["artifacts"] as? [[String: Any]])
        for artifact in artifacts {
            #expect((artifact["hashes"] as? [String: String])?["sha-256"]?.count == 64)
        }
    }

    /// The new invocation fields (overrides, configuration notifications, hashes) pass the OASIS schema too.
    @Test func provenancePassesSchemaValidator() throws {
        guard ReportTests.pythonHasJSONSchema() else {
            print("SARIFTests: python3 with jsonschema is not available; schema validation skipped")
            return
        }
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var result = Self.provenanceSample()
        result.inputs[0].path = Self.examples.appendingPathComponent("train.csv").path
        let url = directory.appendingPathComponent("provenance.sarif")
        try Data(try SARIFReportWriter().write(result)).write(to: url)
        let script = Self.repoRoot.appendingPathComponent("scripts/validate_sarif.py").path
        let check = try ReportTests.run(["python3", script, url.path])
        #expect(check.status == 0, "validate_sarif.py rejected the provenance SARIF:\n\(check.output)")
    }

    // MARK: Step 3: SARIFLint

    @Test func lintAcceptsOurOutput() throws {
        #expect(SARIFLint.check(try SARIFReportWriter(sourceRootURI: "file:///repo/").write(ReportTests.sample())).isEmpty)
        let golden = try Data(contentsOf: ReportTests.fixtures.appendingPathComponent("report-sample.sarif"))
        #expect(SARIFLint.check(Array(golden)).isEmpty)
    }

    /// Applies `edit` to a fresh copy of the sample log and returns the lint problems.
    static func problems(_ edit: (inout [String: Any], inout [String: Any], inout [[String: Any]], inout [[String: Any]]) -> Void) throws -> [SARIFLint.Problem] {
        var log = try log(SARIFReportWriter(), ReportTests.sample())
        var runs = try #require(log["runs"] as? [[String: Any]])
        var run = runs[0]
        let tool = try #require(run["tool"] as? [String: Any])
        let driver = try #require(tool["driver"] as? [String: Any])
        var rules = try #require(driver["rules"] as? [[String: Any]])
        var results = try #require(run["results"] as? [[String: Any]])
        _ = (tool, driver)
        edit(&log, &run, &rules, &results)
        var editedTool = run["tool"] as? [String: Any] ?? [:]
        var editedDriver = editedTool["driver"] as? [String: Any] ?? [:]
        editedDriver["rules"] = rules
        editedTool["driver"] = editedDriver
        run["tool"] = editedTool
        run["results"] = results
        runs[0] = run
        // An edit that replaced the runs (the run limit) keeps its own array.
        if ((log["runs"] as? [Any])?.count ?? 0) <= 1 { log["runs"] = runs }
        return SARIFLint.check(object: log)
    }

    static func setLocation(_ result: inout [String: Any], _ edit: (inout [String: Any]) -> Void) {
        var locations = result["locations"] as! [[String: Any]]
        var physical = locations[0]["physicalLocation"] as! [String: Any]
        edit(&physical)
        locations[0]["physicalLocation"] = physical
        result["locations"] = locations
    }

    @Test func notificationDescriptorsAreDeclaredAndLinted() throws {
        // The sample carries execution and configuration notifications; each id is declared once.
        let log = try Self.log(SARIFReportWriter(), ReportTests.sample())
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let declared = try #require(driver["notifications"] as? [[String: Any]]).compactMap { $0["id"] as? String }
        let invocation = try #require((run["invocations"] as? [[String: Any]])?.first)
        let used = ["toolExecutionNotifications", "toolConfigurationNotifications"].flatMap {
            ((invocation[$0] as? [[String: Any]]) ?? []).compactMap { ($0["descriptor"] as? [String: Any])?["id"] as? String }
        }
        #expect(!used.isEmpty && declared == Set(used).sorted(), "\(declared) vs \(used)")
        // Without the declarations, the lint names each dangling reference.
        let problems = try Self.problems { _, run, _, _ in
            var tool = run["tool"] as! [String: Any]
            var driver = tool["driver"] as! [String: Any]
            driver["notifications"] = nil
            tool["driver"] = driver
            run["tool"] = tool
        }
        #expect(problems.count == used.count && problems.allSatisfy { $0.message.contains("is not in tool.driver.notifications") },
                "\(problems)")
    }

    @Test func lintReportsEachRuleOnce() throws {
        let long = String(repeating: "x", count: 1025)
        typealias Edit = (inout [String: Any], inout [String: Any], inout [[String: Any]], inout [[String: Any]]) -> Void
        let cases: [(String, String, Edit)] = [
            ("runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri", "uri",
             { _, _, _, results in Self.setLocation(&results[0]) { $0["artifactLocation"] = ["index": 2] } }),
            ("runs[0].results[0].locations", "at least one location", { _, _, _, results in results[0]["locations"] = [Any]() }),
            ("runs[0].results[1].locations[0].physicalLocation.region.startLine", "less than 1",
             { _, _, _, results in Self.setLocation(&results[1]) { $0["region"] = ["startLine": 0] } }),
            ("runs[0].results[1].locations[0].physicalLocation.region.startLine", "required",
             { _, _, _, results in Self.setLocation(&results[1]) { $0["region"] = nil } }),
            ("runs[0].results[2].ruleId", "not the id of a rule",
             { _, _, _, results in results[2]["ruleId"] = "privacy/nope"; results[2]["rule"] = ["id": "privacy/nope", "index": 1] }),
            ("runs[0].results[2].ruleIndex", "does not point at rule 'privacy/exact-copy'", { _, _, _, results in results[2]["ruleIndex"] = 0 }),
            ("runs[0].results[2].ruleIndex", "does not point at rule", { _, _, _, results in results[2]["ruleIndex"] = 7 }),
            ("runs[0].results[0].partialFingerprints.primaryLocationLineHash", "required",
             { _, _, _, results in results[0]["partialFingerprints"] = ["synthscan/finding/v1": "x"] }),
            ("runs", "at most 20", { log, run, _, _ in log["runs"] = Array(repeating: run, count: 21) }),
            ("runs[0].results", "at most 25000", { _, _, _, results in results = Array(repeating: results[0], count: 25_001) }),
            ("runs[0].tool.driver.rules", "at most 25000",
             { _, _, rules, _ in rules += (0..<25_000).map { ["id": "r\($0)"] } }),
            ("runs[0].tool.extensions", "at most 100",
             { _, run, _, _ in var tool = run["tool"] as! [String: Any]; tool["extensions"] = Array(repeating: ["name": "p"], count: 101); run["tool"] = tool }),
            ("runs[0].tool.driver.rules[1].properties.tags", "at most 20",
             { _, _, rules, _ in var p = rules[1]["properties"] as! [String: Any]; p["tags"] = (0..<21).map { "t\($0)" }; rules[1]["properties"] = p }),
            ("runs[0].tool.driver.rules[0].name", "at most 255", { _, _, rules, _ in rules[0]["name"] = String(repeating: "N", count: 256) }),
            ("runs[0].tool.driver.rules[0].shortDescription.text", "at most 1024", { _, _, rules, _ in rules[0]["shortDescription"] = ["text": long] }),
            ("runs[0].tool.driver.rules[0].fullDescription.text", "at most 1024", { _, _, rules, _ in rules[0]["fullDescription"] = ["text": long] }),
            ("runs[0].tool.driver.rules[1].properties.security-severity", "must be a string",
             { _, _, rules, _ in var p = rules[1]["properties"] as! [String: Any]; p["security-severity"] = 8.0; rules[1]["properties"] = p }),
            ("runs[0].tool.driver.rules[1].properties.security-severity", "not a number in (0, 10]",
             { _, _, rules, _ in var p = rules[1]["properties"] as! [String: Any]; p["security-severity"] = "0"; rules[1]["properties"] = p }),
            ("runs[0].tool.driver.rules[1].properties.security-severity", "not a number in (0, 10]",
             { _, _, rules, _ in var p = rules[1]["properties"] as! [String: Any]; p["security-severity"] = "10.5"; rules[1]["properties"] = p }),
            ("runs[0].automationDetails.id", "must contain '/'", { _, run, _, _ in run["automationDetails"] = ["id": "nightly"] }),
            ("runs[0]", "'columnKind' is required", { _, run, _, _ in run["columnKind"] = nil }),
        ]
        for (path, message, edit) in cases {
            let found = try Self.problems(edit)
            let matching = found.filter { $0.path == path && $0.message.contains(message) }
            #expect(!matching.isEmpty, "expected '\(message)' at \(path), got \(found)")
            // Only the rule that was broken fires (repeated runs report once per run).
            #expect(Set(found.map(\.message)).count == 1, "\(path): \(found)")
        }
        // A run count above the limit still lints each run: only the count is new.
        let many = try Self.problems { log, run, _, _ in log["runs"] = Array(repeating: run, count: 21) }
        #expect(many.count == 1)
    }

    // MARK: Rule packs as tool components (issue 4)

    /// A JSON value as compact JSON with sorted keys (`nil` when absent), for comparisons.
    static func canonical(_ value: Any?) -> String? {
        guard let value, JSONSerialization.isValidJSONObject(value),
              let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    static func pack(_ id: String) -> PackSummary {
        PackSummary(id: id, version: "1.2.0", contentHash: "sha256:" + String(repeating: "ab", count: 32),
                    location: "embedded", extends: nil, description: id)
    }

    /// The sample with two packs listed: the copy rule is `synthscan/core`'s (the second pack), the
    /// bias rule belongs to no listed pack, so it stays in `tool.driver.rules`.
    static func packedSample() -> ScanResult {
        var result = ReportTests.sample()
        result.rulePacks = [pack("acme/policy"), pack("synthscan/core")]
        result.outcomes[0].rule.pack = ""
        result.outcomes[0].status = .fail
        result.outcomes[0].findings = [Finding(
            ruleID: "bias/outcome-disparity-amplification", level: .warning, message: "Grew.",
            location: FindingLocation(table: .synthetic, columns: ["sex"], subgroup: "sex=F"), fingerprint: "feedface00000001")]
        return result
    }

    @Test func packRulesAreListedInTheirToolExtension() throws {
        let run = try Self.run(Self.log(SARIFReportWriter(), Self.packedSample()))
        let tool = try #require(run["tool"] as? [String: Any])
        let driver = try #require(tool["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "synthscan" && driver["semanticVersion"] as? String == "0.1.0")
        #expect(driver["informationUri"] as? String == "https://github.com/synthscan/synthscan")
        #expect((driver["rules"] as? [[String: Any]])?.map { $0["id"] as? String } == ["bias/outcome-disparity-amplification"])
        let extensions = try #require(tool["extensions"] as? [[String: Any]])
        #expect(extensions.map { $0["name"] as? String } == ["acme/policy", "synthscan/core"])
        #expect((extensions[0]["rules"] as? [Any])?.isEmpty == true, "a pack that defines no rule that ran lists none")
        let packRules = try #require(extensions[1]["rules"] as? [[String: Any]])
        #expect(packRules.map { $0["id"] as? String } == ["privacy/exact-copy"])
        let properties = try #require(packRules[0]["properties"] as? [String: Any])
        #expect(properties["security-severity"] as? String == "8.0" && properties["tags"] as? [String] == ["privacy", "memorisation"],
                "GitHub reads help, tags and security-severity from extension rules too")
        #expect((packRules[0]["help"] as? [String: String])?["markdown"]?.contains("Platzer") == true)

        let results = try #require(run["results"] as? [[String: Any]])
        let copies = results.filter { $0["ruleId"] as? String == "privacy/exact-copy" }
        #expect(copies.count == 3)
        for result in copies {
            #expect(result["ruleIndex"] == nil, "ruleIndex is kept for driver rules only")
            let rule = try #require(result["rule"] as? [String: Any])
            #expect(rule["id"] as? String == "privacy/exact-copy" && rule["index"] as? Int == 0)
            #expect(Self.canonical(rule["toolComponent"]) == #"{"index":1,"name":"synthscan/core"}"#)
        }
        let bias = try #require(results.first { $0["ruleId"] as? String == "bias/outcome-disparity-amplification" })
        #expect(bias["ruleIndex"] as? Int == 0)
        #expect(Self.canonical(bias["rule"]) == #"{"id":"bias/outcome-disparity-amplification","index":0}"#)
        #expect(SARIFLint.check(try SARIFReportWriter().write(Self.packedSample())).isEmpty)
        #expect(ReportTests.sarifStructuralProblems(try Self.log(SARIFReportWriter(), Self.packedSample())).isEmpty)
    }

    @Test func overridesAndNotificationsReferenceTheRuleInItsPack() throws {
        var result = Self.provenanceSample()
        result.rulePacks = [Self.pack("synthscan/core")]
        let run = try Self.run(Self.log(SARIFReportWriter(), result))
        let invocation = try #require((run["invocations"] as? [[String: Any]])?.first)
        let override = try #require((invocation["ruleConfigurationOverrides"] as? [[String: Any]])?.first)
        #expect(Self.canonical(override["descriptor"])
                == #"{"id":"privacy/exact-copy","index":1,"toolComponent":{"index":0,"name":"synthscan/core"}}"#)
        let notes = try #require(invocation["toolConfigurationNotifications"] as? [[String: Any]])
        let associated = notes.map { Self.canonical($0["associatedRule"]) }
        // A disabled rule did not run and is listed nowhere: it is referenced by id only.
        #expect(associated == [#"{"id":"privacy/email-address"}"#,
                               #"{"id":"bias/outcome-disparity-amplification","index":0,"toolComponent":{"index":0,"name":"synthscan/core"}}"#,
                               #"{"id":"privacy/exact-copy","index":1,"toolComponent":{"index":0,"name":"synthscan/core"}}"#])
        #expect(SARIFLint.check(try SARIFReportWriter().write(result)).isEmpty)
    }

    /// Baselines match by rule id and fingerprint: a log written before the packs became tool
    /// components (rules in `tool.driver`) is still a valid baseline, and absent results get the
    /// new references.
    @Test func baselineMatchesAcrossRulePlacements() throws {
        var oldWriter = SARIFReportWriter()
        oldWriter.hashArtifacts = false
        let old = ReportTests.sample() // no packs listed: rules in tool.driver
        let baseline = try SARIFBaseline(data: Data(try oldWriter.write(old)), path: "old.sarif")
        var current = old
        current.rulePacks = [Self.pack("synthscan/core")]
        current.outcomes[1].findings.removeFirst()
        var writer = oldWriter
        writer.baseline = baseline
        let log = try Self.log(writer, current)
        let results = try #require(try Self.run(log)["results"] as? [[String: Any]])
        #expect(results.filter { $0["baselineState"] as? String == "unchanged" }.count == 2)
        let absent = try #require(results.first { $0["baselineState"] as? String == "absent" })
        #expect(absent["ruleIndex"] == nil)
        #expect(Self.canonical((absent["rule"] as? [String: Any])?["toolComponent"]) == #"{"index":0,"name":"synthscan/core"}"#)
        #expect(SARIFLint.check(object: log).isEmpty, "\(SARIFLint.check(object: log))")
        // And the other way round: a new-layout log as the baseline of a pack-less scan.
        let packed = try SARIFBaseline(data: Data(try oldWriter.write(current)), path: "new.sarif")
        #expect(Set(packed.entries.map(\.ruleID)) == ["privacy/exact-copy"] && packed.entries.count == 2)
    }

    @Test func lintResolvesRulesThroughToolComponent() throws {
        let good = try Self.log(SARIFReportWriter(), Self.packedSample())
        func problems(_ edit: (inout [String: Any]) -> Void) throws -> [SARIFLint.Problem] {
            var log = good
            var runs = try #require(log["runs"] as? [[String: Any]])
            var results = try #require(runs[0]["results"] as? [[String: Any]])
            let i = try #require(results.firstIndex { $0["ruleId"] as? String == "privacy/exact-copy" })
            edit(&results[i])
            runs[0]["results"] = results
            log["runs"] = runs
            return SARIFLint.check(object: log)
        }
        func setRule(_ result: inout [String: Any], _ key: String, _ value: Any?) {
            var rule = result["rule"] as? [String: Any] ?? [:]
            rule[key] = value
            result["rule"] = rule
        }
        let cases: [(String, String, (inout [String: Any]) -> Void)] = [
            ("rule.toolComponent.index", "is not the index of a tool.extensions component",
             { setRule(&$0, "toolComponent", ["index": 5]) }),
            ("rule.toolComponent.name", "is not the name of tool.extensions[1]",
             { setRule(&$0, "toolComponent", ["index": 1, "name": "acme/policy"]) }),
            ("rule.toolComponent.name", "no tool.extensions component is named",
             { setRule(&$0, "toolComponent", ["name": "nope/pack"]) }),
            // Without toolComponent the rule is looked up in tool.driver, where it is not.
            ("ruleId", "is not the id of a rule in tool.driver.rules", { setRule(&$0, "toolComponent", nil) }),
            // In the wrong pack.
            ("ruleId", "is not the id of a rule in tool.extensions[0].rules",
             { setRule(&$0, "toolComponent", ["index": 0, "name": "acme/policy"]) }),
            ("rule.id", "differs from ruleId", { setRule(&$0, "id", "privacy/other") }),
            ("rule.index", "does not point at rule 'privacy/exact-copy'", { setRule(&$0, "index", 3) }),
            ("ruleIndex", "does not point at rule 'privacy/exact-copy'", { $0["ruleIndex"] = 1 }),
            ("ruleIndex", "neither ruleIndex nor rule.index", { setRule(&$0, "index", nil) }),
        ]
        for (suffix, message, edit) in cases {
            let found = try problems(edit)
            #expect(found.count == 1 && found[0].path.hasSuffix(suffix) && found[0].message.contains(message),
                    "expected '\(message)' at …\(suffix), got \(found)")
        }
        // ruleIndex alongside rule.toolComponent is valid SARIF (§3.27.6: it indexes that component's rules).
        #expect(try problems { $0["ruleIndex"] = 0 }.isEmpty)
        // The name alone finds the component too.
        #expect(try problems { setRule(&$0, "toolComponent", ["name": "synthscan/core"]) }.isEmpty)
        // Duplicate rule ids within one component.
        var log = good
        var runs = try #require(log["runs"] as? [[String: Any]])
        var tool = try #require(runs[0]["tool"] as? [String: Any])
        var extensions = try #require(tool["extensions"] as? [[String: Any]])
        let rules = try #require(extensions[1]["rules"] as? [[String: Any]])
        extensions[1]["rules"] = rules + rules
        tool["extensions"] = extensions
        runs[0]["tool"] = tool
        log["runs"] = runs
        #expect(SARIFLint.check(object: log).map(\.description) == ["runs[0].tool.extensions[1].rules[1].id: rule id 'privacy/exact-copy' repeats rules[0]"])
    }

    /// The official schema and validate_sarif.py's GitHub checks accept the pack layout and reject
    /// a broken toolComponent reference.
    @Test func packLayoutPassesSchemaValidator() throws {
        guard ReportTests.pythonHasJSONSchema() else {
            print("SARIFTests: python3 with jsonschema is not available; schema validation skipped")
            return
        }
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var writer = SARIFReportWriter()
        writer.hashArtifacts = false
        let good = directory.appendingPathComponent("packs.sarif")
        try Data(try writer.write(Self.packedSample())).write(to: good)
        var log = try Self.log(writer, Self.packedSample())
        var runs = try #require(log["runs"] as? [[String: Any]])
        var results = try #require(runs[0]["results"] as? [[String: Any]])
        let i = try #require(results.firstIndex { $0["ruleId"] as? String == "privacy/exact-copy" })
        results[i]["rule"] = ["id": "privacy/exact-copy", "index": 0, "toolComponent": ["index": 0, "name": "acme/policy"]]
        runs[0]["results"] = results
        log["runs"] = runs
        let bad = directory.appendingPathComponent("bad.sarif")
        try JSONSerialization.data(withJSONObject: log).write(to: bad)
        let script = Self.repoRoot.appendingPathComponent("scripts/validate_sarif.py").path
        let ok = try ReportTests.run(["python3", script, good.path])
        #expect(ok.status == 0, "validate_sarif.py rejected the pack layout:\n\(ok.output)")
        let rejected = try ReportTests.run(["python3", script, bad.path])
        #expect(rejected.status == 1 && rejected.output.contains("'privacy/exact-copy' is not in tool.extensions[0].rules"), "\(rejected.output)")
    }

    @Test func lintRejectsNonJSONAndNonObjects() {
        #expect(SARIFLint.check(Array("{".utf8)).first?.message.hasPrefix("not valid JSON") == true)
        #expect(SARIFLint.check(Array("[1]".utf8)) == [SARIFLint.Problem(path: "(root)", message: "not a JSON object")])
        #expect(SARIFLint.check(Array("{}".utf8)).map(\.message).contains("'runs' is required and must be an array"))
        #expect(SARIFLint.Problem(path: "runs[0]", message: "m").description == "runs[0]: m")
    }

    // MARK: Step 4: fingerprints are stable across runs and row order

    struct ResultKey: Hashable {
        var ruleID: String, level: String, message: String, properties: String, uri: String, logical: String
    }

    /// Results by primary fingerprint; digits in messages are masked (they name rows and lines).
    static func resultsByFingerprint(_ bytes: [UInt8]) throws -> [String: [ResultKey]] {
        let run = try Self.run(try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]))
        let results = try #require(run["results"] as? [[String: Any]])
        var out: [String: [ResultKey]] = [:]
        for result in results {
            let fingerprint = try #require((result["partialFingerprints"] as? [String: String])?["primaryLocationLineHash"])
            let location = try #require((result["locations"] as? [[String: Any]])?.first)
            // The shuffled copy lives elsewhere: compare the file name only.
            let uri = (((location["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: Any])?["uri"] as? String ?? "")
                .split(separator: "/").last.map(String.init) ?? ""
            func canonical(_ value: Any?) throws -> String {
                guard let value else { return "" }
                return String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
            }
            let message = ((result["message"] as? [String: Any])?["text"] as? String ?? "")
                .replacingOccurrences(of: "[0-9]+", with: "#", options: .regularExpression)
            var properties = result["properties"] as? [String: Any] ?? [:]
            for key in properties.keys where key.contains("row") || key.contains("line") { properties[key] = nil }
            out[fingerprint, default: []].append(ResultKey(
                ruleID: result["ruleId"] as? String ?? "", level: result["level"] as? String ?? "", message: message,
                properties: try canonical(properties), uri: uri, logical: try canonical(location["logicalLocations"])))
        }
        return out.mapValues { $0.sorted { "\($0)" < "\($1)" } }
    }

    static func scan(synthetic: String?) throws -> [UInt8] {
        var configuration = try ScanConfigurationLoader.load(path: examples.appendingPathComponent("synthscan.yaml").path)
        if let synthetic { configuration.inputs.synthetic = synthetic }
        let ruleSet = try RulePackLoader().load(roots: configuration.rulePacks)
        let result = try ScanEngine.run(configuration: configuration, ruleSet: ruleSet, commandLine: ["synthscan", "scan"])
        return try SARIFReportWriter(automationID: "synthscan/examples/").write(result)
    }

    @Test func fingerprintsSurviveRerunsAndRowShuffles() throws {
        let first = try Self.resultsByFingerprint(try Self.scan(synthetic: nil))
        let second = try Self.resultsByFingerprint(try Self.scan(synthetic: nil))
        #expect(!first.isEmpty, "the example release has findings")
        #expect(first == second, "two scans of the same data give the same fingerprints and results")
        #expect(first.keys.allSatisfy { $0.hasSuffix(":1") })

        // Shuffle the data rows (header stays first) with a fixed seed.
        let original = try String(contentsOf: Self.examples.appendingPathComponent("synthetic_copies.csv"), encoding: .utf8)
        var lines = original.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let header = lines.removeFirst()
        var generator = SeededShuffle(seed: 7)
        let shuffled = lines.shuffled(using: &generator)
        #expect(shuffled != lines)
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let copy = directory.appendingPathComponent("synthetic_copies.csv")
        try Data(([header] + shuffled).joined(separator: "\n").appending("\n").utf8).write(to: copy)

        let moved = try Self.resultsByFingerprint(try Self.scan(synthetic: copy.path))
        #expect(Set(moved.keys) == Set(first.keys), "the same set of fingerprints after shuffling rows")
        for (fingerprint, results) in first {
            #expect(moved[fingerprint] == results, "results for \(fingerprint) changed beyond their line numbers")
        }
    }

    /// SplitMix64, so the shuffle is the same on every machine.
    struct SeededShuffle: RandomNumberGenerator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
