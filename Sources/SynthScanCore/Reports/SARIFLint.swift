import Foundation

/// Checks on a SARIF log that the 2.1.0 JSON schema cannot express: GitHub code scanning's
/// ingestion rules and limits, and the consistency synthscan's own output promises.
///
/// - every result has `locations[0].physicalLocation.artifactLocation.uri` and a `region.startLine` ≥ 1;
/// - every result's `ruleId` names a rule of `tool.driver.rules`, and its `ruleIndex` points at that rule;
/// - every result has `partialFingerprints.primaryLocationLineHash`;
/// - GitHub limits: runs ≤ 20, results per run ≤ 25,000, rules per run ≤ 25,000, extensions ≤ 100,
///   tags per rule ≤ 20, rule `name` ≤ 255 characters, short and full descriptions ≤ 1024 characters;
/// - `properties.security-severity`, when present, is a string holding a number in (0, 10];
/// - `automationDetails.id`, when present, contains `/` (GitHub splits category and run id at the last `/`);
/// - `columnKind` is present when a run has results.
///
/// Schema validation itself is left to `scripts/validate_sarif.py`.
public enum SARIFLint {
    /// One problem: where (a JSON path such as `runs[0].results[3].ruleIndex`) and what.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// JSON path of the offending value (`(root)` for the document).
        public var path: String
        /// What is wrong.
        public var message: String

        /// Creates a problem.
        public init(path: String, message: String) {
            self.path = path
            self.message = message
        }

        /// `PATH: message`.
        public var description: String { "\(path): \(message)" }
    }

    /// The document is not JSON, or not a JSON object.
    public struct InvalidDocument: Error, Sendable, Equatable, CustomStringConvertible {
        /// Why.
        public var description: String
    }

    public static let maxRuns = 20
    public static let maxResultsPerRun = 25_000
    public static let maxRulesPerRun = 25_000
    public static let maxExtensionsPerRun = 100
    public static let maxTagsPerRule = 20
    public static let maxNameLength = 255
    public static let maxDescriptionLength = 1024

    /// The problems of the SARIF log in `data`; a document that is not a JSON object is one problem at `(root)`.
    public static func check(_ data: [UInt8]) -> [Problem] {
        do {
            return check(object: try parse(data))
        } catch {
            return [Problem(path: "(root)", message: error.description)]
        }
    }

    /// Parses `data` as a JSON object.
    public static func parse(_ data: [UInt8]) throws(InvalidDocument) -> [String: Any] {
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: Data(data), options: [.fragmentsAllowed])
        } catch {
            throw InvalidDocument(description: "not valid JSON: \(error.localizedDescription)")
        }
        guard let object = value as? [String: Any] else { throw InvalidDocument(description: "not a JSON object") }
        return object
    }

    /// The problems of an already parsed log.
    public static func check(object log: [String: Any]) -> [Problem] {
        var problems: [Problem] = []
        func report(_ path: String, _ message: String) { problems.append(Problem(path: path, message: message)) }

        for key in ["$schema", "version"] where !(log[key] is String) { report("(root)", "'\(key)' is required") }
        guard let runs = log["runs"] as? [Any] else {
            report("(root)", "'runs' is required and must be an array")
            return problems
        }
        if runs.count > maxRuns { report("runs", "\(runs.count) runs; GitHub accepts at most \(maxRuns)") }
        for (r, item) in runs.enumerated() {
            let at = "runs[\(r)]"
            guard let run = item as? [String: Any] else { report(at, "a run must be an object"); continue }
            let tool = run["tool"] as? [String: Any]
            let driver = tool?["driver"] as? [String: Any]
            if driver == nil { report("\(at).tool.driver", "'tool.driver' is required") }
            let rules = (driver?["rules"] as? [Any]) ?? []
            if rules.count > maxRulesPerRun {
                report("\(at).tool.driver.rules", "\(rules.count) rules; GitHub accepts at most \(maxRulesPerRun) per run")
            }
            var ruleIDs: [String?] = []
            for (i, item) in rules.enumerated() {
                let rule = item as? [String: Any] ?? [:]
                ruleIDs.append(rule["id"] as? String)
                checkRule(rule, at: "\(at).tool.driver.rules[\(i)]", report: report)
            }
            for (e, item) in ((tool?["extensions"] as? [Any]) ?? []).enumerated() {
                for (i, rule) in (((item as? [String: Any])?["rules"] as? [Any]) ?? []).enumerated() {
                    checkRule(rule as? [String: Any] ?? [:], at: "\(at).tool.extensions[\(e)].rules[\(i)]", report: report)
                }
            }
            if let extensions = tool?["extensions"] as? [Any], extensions.count > maxExtensionsPerRun {
                report("\(at).tool.extensions", "\(extensions.count) extensions; GitHub accepts at most \(maxExtensionsPerRun) per run")
            }
            if let automation = run["automationDetails"] as? [String: Any], let id = automation["id"] {
                if (id as? String)?.contains("/") != true {
                    report("\(at).automationDetails.id", "must contain '/' (GitHub reads it as category/run-id)")
                }
            }
            guard let results = run["results"] as? [Any] else {
                report("\(at).results", "'results' is required and must be an array")
                continue
            }
            if results.count > maxResultsPerRun {
                report("\(at).results", "\(results.count) results; GitHub accepts at most \(maxResultsPerRun) per run")
            }
            if !results.isEmpty, !(run["columnKind"] is String) {
                report(at, "'columnKind' is required when there are results")
            }
            for (i, item) in results.enumerated() {
                let path = "\(at).results[\(i)]"
                guard let result = item as? [String: Any] else { report(path, "a result must be an object"); continue }
                checkResult(result, at: path, ruleIDs: ruleIDs, report: report)
            }
        }
        return problems
    }

    private static func checkRule(_ rule: [String: Any], at path: String, report: (String, String) -> Void) {
        if (rule["id"] as? String)?.isEmpty != false { report("\(path).id", "a rule needs a non-empty 'id'") }
        if let name = rule["name"] as? String, name.count > maxNameLength {
            report("\(path).name", "\(name.count) characters; GitHub accepts at most \(maxNameLength)")
        }
        for key in ["shortDescription", "fullDescription"] {
            if let text = (rule[key] as? [String: Any])?["text"] as? String, text.count > maxDescriptionLength {
                report("\(path).\(key).text", "\(text.count) characters; GitHub accepts at most \(maxDescriptionLength)")
            }
        }
        let properties = rule["properties"] as? [String: Any] ?? [:]
        if let tags = properties["tags"] as? [Any], tags.count > maxTagsPerRule {
            report("\(path).properties.tags", "\(tags.count) tags; GitHub accepts at most \(maxTagsPerRule) per rule")
        }
        if let severity = properties["security-severity"] {
            guard let text = severity as? String else {
                report("\(path).properties.security-severity", "must be a string (e.g. \"8.0\"), not a JSON number or other value")
                return
            }
            guard let score = Double(text.trimmingCharacters(in: .whitespaces)), score.isFinite, score > 0, score <= 10 else {
                report("\(path).properties.security-severity", "'\(text)' is not a number in (0, 10]")
                return
            }
        }
    }

    private static func checkResult(_ result: [String: Any], at path: String, ruleIDs: [String?],
                                    report: (String, String) -> Void) {
        let ruleID = result["ruleId"] as? String ?? ((result["rule"] as? [String: Any])?["id"] as? String)
        let ruleIndex = result["ruleIndex"] as? Int ?? ((result["rule"] as? [String: Any])?["index"] as? Int)
        if let ruleID {
            if !ruleIDs.contains(ruleID) {
                report("\(path).ruleId", "'\(ruleID)' is not the id of a rule in tool.driver.rules")
            } else if let ruleIndex, !(ruleIDs.indices.contains(ruleIndex) && ruleIDs[ruleIndex] == ruleID) {
                report("\(path).ruleIndex", "ruleIndex \(ruleIndex) does not point at rule '\(ruleID)'")
            }
        } else {
            report("\(path).ruleId", "a result needs a 'ruleId'")
        }
        guard let location = (result["locations"] as? [Any])?.first as? [String: Any] else {
            report("\(path).locations", "a result needs at least one location (GitHub rejects results without one)")
            return checkFingerprint(result, at: path, report: report)
        }
        let physical = location["physicalLocation"] as? [String: Any]
        let uri = (physical?["artifactLocation"] as? [String: Any])?["uri"] as? String
        if uri?.isEmpty != false {
            report("\(path).locations[0].physicalLocation.artifactLocation.uri", "the first location needs a physical location with a uri")
        }
        let region = physical?["region"] as? [String: Any]
        if let startLine = region?["startLine"] as? Int {
            if startLine < 1 { report("\(path).locations[0].physicalLocation.region.startLine", "\(startLine) is less than 1") }
        } else {
            report("\(path).locations[0].physicalLocation.region.startLine", "startLine is required (≥ 1)")
        }
        checkFingerprint(result, at: path, report: report)
    }

    private static func checkFingerprint(_ result: [String: Any], at path: String, report: (String, String) -> Void) {
        let hash = (result["partialFingerprints"] as? [String: Any])?["primaryLocationLineHash"] as? String
        if hash?.isEmpty != false {
            report("\(path).partialFingerprints.primaryLocationLineHash", "is required (it keeps alert identity across runs)")
        }
    }
}
