import Foundation

/// Checks on a SARIF log that the 2.1.0 JSON schema cannot express: GitHub code scanning's
/// ingestion rules and limits, and the consistency synthscan's own output promises.
///
/// - every result has `locations[0].physicalLocation.artifactLocation.uri` and a `region.startLine` ≥ 1;
/// - every result's rule resolves: its component is `tool.extensions[k]` when `rule.toolComponent`
///   names one (by `index` and/or `name`, which must agree) and `tool.driver` otherwise; `ruleId`
///   and `rule.id` (when both present) agree and name a rule of that component's `rules`; and
///   `ruleIndex` and `rule.index` (at least one present; equal when both are) point at that rule
///   (SARIF 2.1.0 §3.27.6, §3.27.7, §3.52, §3.54);
/// - rule ids are unique within each component;
/// - every result has `partialFingerprints.primaryLocationLineHash`;
/// - GitHub limits: runs ≤ 20, results per run ≤ 25,000, rules per run (driver and extensions) ≤ 25,000, extensions ≤ 100,
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
            // The driver first, then each extension, with the rule ids each lists.
            var components: [Component] = []
            func collect(_ object: [String: Any]?, at componentPath: String) -> Component {
                var ids: [String?] = []
                var seen: [String: Int] = [:]
                for (i, item) in ((object?["rules"] as? [Any]) ?? []).enumerated() {
                    let rule = item as? [String: Any] ?? [:]
                    let id = rule["id"] as? String
                    ids.append(id)
                    checkRule(rule, at: "\(componentPath).rules[\(i)]", report: report)
                    if let id, !id.isEmpty {
                        if let first = seen[id] { report("\(componentPath).rules[\(i)].id", "rule id '\(id)' repeats rules[\(first)]") }
                        else { seen[id] = i }
                    }
                }
                return Component(path: componentPath, name: object?["name"] as? String, ruleIDs: ids)
            }
            let driverComponent = collect(driver, at: "\(at).tool.driver")
            for (e, item) in ((tool?["extensions"] as? [Any]) ?? []).enumerated() {
                components.append(collect(item as? [String: Any], at: "\(at).tool.extensions[\(e)]"))
            }
            let ruleCount = components.reduce(driverComponent.ruleIDs.count) { $0 + $1.ruleIDs.count }
            if ruleCount > maxRulesPerRun {
                report("\(at).tool.driver.rules", "\(ruleCount) rules; GitHub accepts at most \(maxRulesPerRun) per run")
            }
            if let extensions = tool?["extensions"] as? [Any], extensions.count > maxExtensionsPerRun {
                report("\(at).tool.extensions", "\(extensions.count) extensions; GitHub accepts at most \(maxExtensionsPerRun) per run")
            }
            // Every notification's descriptor (by id, without a toolComponent: the driver's) must be declared.
            let declared = Set(((driver?["notifications"] as? [Any]) ?? []).compactMap { ($0 as? [String: Any])?["id"] as? String })
            for (v, item) in ((run["invocations"] as? [Any]) ?? []).enumerated() {
                let invocation = item as? [String: Any] ?? [:]
                for key in ["toolExecutionNotifications", "toolConfigurationNotifications"] {
                    for (n, note) in ((invocation[key] as? [Any]) ?? []).enumerated() {
                        let descriptor = (note as? [String: Any])?["descriptor"] as? [String: Any]
                        guard let id = descriptor?["id"] as? String, descriptor?["toolComponent"] == nil else { continue }
                        if !declared.contains(id) {
                            report("\(at).invocations[\(v)].\(key)[\(n)].descriptor.id",
                                   "notification descriptor '\(id)' is not in tool.driver.notifications")
                        }
                    }
                }
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
                checkResult(result, at: path, driver: driverComponent, extensions: components, report: report)
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

    /// A tool component's JSON path, `name` and rule ids (in `rules` order).
    private struct Component {
        var path: String
        var name: String?
        var ruleIDs: [String?]
    }

    /// Resolves a result's rule (§3.27.6 `ruleIndex`, §3.27.7 `rule`, §3.52
    /// `reportingDescriptorReference`, §3.54 `toolComponentReference`) and reports what does not
    /// agree. The component is the extension `rule.toolComponent` names, else the driver.
    private static func checkRule(ofResult result: [String: Any], at path: String, driver: Component,
                                  extensions: [Component], report: (String, String) -> Void) {
        let reference = result["rule"] as? [String: Any]
        if result["rule"] != nil, reference == nil { report("\(path).rule", "must be a reportingDescriptorReference object") }
        var component = driver
        if let toolComponent = reference?["toolComponent"] {
            let where_ = "\(path).rule.toolComponent"
            guard let object = toolComponent as? [String: Any] else { return report(where_, "must be a toolComponentReference object") }
            let name = object["name"] as? String
            if let index = object["index"] as? Int {
                guard extensions.indices.contains(index) else {
                    return report("\(where_).index", "\(index) is not the index of a tool.extensions component (\(extensions.count) listed)")
                }
                component = extensions[index]
                if let name, name != component.name {
                    return report("\(where_).name", "'\(name)' is not the name of tool.extensions[\(index)] ('\(component.name ?? "")')")
                }
            } else if let name {
                let matches = extensions.filter { $0.name == name }
                guard matches.count == 1 else {
                    return report("\(where_).name", matches.isEmpty ? "no tool.extensions component is named '\(name)'"
                                                                    : "\(matches.count) tool.extensions components are named '\(name)'; give its index")
                }
                component = matches[0]
            } else {
                return report(where_, "names no component (give 'index' and 'name' into tool.extensions)")
            }
        }
        let topID = result["ruleId"] as? String
        let refID = reference?["id"] as? String
        if let topID, let refID, topID != refID {
            report("\(path).rule.id", "'\(refID)' differs from ruleId '\(topID)'")
        }
        guard let ruleID = topID ?? refID else { return report("\(path).ruleId", "a result needs a 'ruleId'") }
        guard let position = component.ruleIDs.firstIndex(of: ruleID) else {
            return report("\(path).ruleId", "'\(ruleID)' is not the id of a rule in \(component.path.split(separator: ".").dropFirst().joined(separator: ".")).rules")
        }
        let topIndex = result["ruleIndex"] as? Int
        let refIndex = reference?["index"] as? Int
        if topIndex == nil, refIndex == nil {
            report("\(path).ruleIndex", "neither ruleIndex nor rule.index locates rule '\(ruleID)'")
        }
        for (key, index) in [("ruleIndex", topIndex), ("rule.index", refIndex)] {
            guard let index else { continue }
            if !(component.ruleIDs.indices.contains(index) && component.ruleIDs[index] == ruleID) {
                let component = component.path.split(separator: ".").dropFirst().joined(separator: ".")
                report("\(path).\(key)", "\(key == "ruleIndex" ? "ruleIndex" : "rule.index") \(index) does not point at rule '\(ruleID)' (it is \(component).rules[\(position)])")
            }
        }
    }

    private static func checkResult(_ result: [String: Any], at path: String, driver: Component, extensions: [Component],
                                    report: (String, String) -> Void) {
        checkRule(ofResult: result, at: path, driver: driver, extensions: extensions, report: report)
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
