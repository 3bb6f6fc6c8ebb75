import Foundation

/// The results of an earlier SARIF log, keyed by rule and fingerprint, against which a new scan's
/// results get their `baselineState` (SARIF §3.27.24): `new` (not in the baseline), `unchanged`
/// (same rule, fingerprint, level and measurements), `updated` (same rule and fingerprint, another
/// level or other measurements in `properties`) and `absent` (in the baseline, no longer found).
/// Messages are not compared: they name row and line numbers, which reordering the file changes.
///
/// Results are matched by `partialFingerprints["synthscan/finding/v1"]`, which depends on the rule
/// and on record digests or subgroup keys, never on line numbers, so reordering the synthetic file
/// does not make findings "new". Results of other tools, and results without that fingerprint, are
/// ignored.
public struct SARIFBaseline: Sendable, Equatable {
    /// One result of the baseline log.
    public struct Entry: Sendable, Equatable {
        /// Rule id.
        public var ruleID: String
        /// `synthscan/finding/v1` fingerprint.
        public var fingerprint: String
        /// `level` as written (`error`, `warning`, `note`, `none`).
        public var level: String
        /// `message.text`.
        public var message: String
        /// `properties` that are numbers (the measurements behind the result); null reads as NaN.
        public var measurements: [String: Double] = [:]
        /// The result's first physical location: artifact URI and line.
        public var uri: String?
        /// `uriBaseId` of that location.
        public var uriBaseID: String?
        /// Line of that location.
        public var line: Int?
    }

    /// The baseline's results (failures only: `kind` absent or `fail`), in log order.
    public var entries: [Entry]
    /// The file it was read from, for messages.
    public var path: String

    /// Why a baseline could not be used.
    public enum LoadError: Error, Equatable, CustomStringConvertible {
        /// The file cannot be read.
        case unreadable(path: String, reason: String)
        /// The file is not a SARIF log synthscan can compare with.
        case invalid(path: String, reason: String)

        public var description: String {
            switch self {
            case .unreadable(let path, let reason): "\(path): error: cannot read the baseline: \(reason)"
            case .invalid(let path, let reason): "\(path): error: not a usable SARIF baseline: \(reason)"
            }
        }
    }

    /// Creates a baseline from entries (for tests and merges).
    public init(entries: [Entry], path: String = "baseline") {
        self.entries = entries
        self.path = path
    }

    /// Reads the synthscan run of the SARIF log at `path`.
    public init(contentsOf path: String) throws(LoadError) {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        try self.init(data: data, path: path)
    }

    /// Reads the synthscan run of a SARIF log.
    public init(data: Data, path: String) throws(LoadError) {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw .invalid(path: path, reason: "the file is not JSON")
        }
        guard let log = object as? [String: Any], (log["version"] as? String) == "2.1.0", let runs = log["runs"] as? [[String: Any]] else {
            throw .invalid(path: path, reason: "expected a SARIF 2.1.0 log with `runs`")
        }
        let ours = runs.filter { (($0["tool"] as? [String: Any])?["driver"] as? [String: Any])?["name"] as? String == "synthscan" }
        guard !ours.isEmpty else { throw .invalid(path: path, reason: "it holds no synthscan run") }
        var entries: [Entry] = []
        for run in ours {
            for case let result as [String: Any] in run["results"] as? [Any] ?? [] {
                let kind = result["kind"] as? String ?? "fail"
                // By rule id (`ruleId`, else `rule.id`) and fingerprint only, never by rule index
                // or component: a baseline written before rules moved into their packs'
                // `tool.extensions` entries still matches.
                guard kind == "fail", let rule = result["ruleId"] as? String ?? (result["rule"] as? [String: Any])?["id"] as? String,
                      let fingerprint = (result["partialFingerprints"] as? [String: Any])?[SARIFReportWriter.findingFingerprintKey] as? String
                else { continue }
                if (result["baselineState"] as? String) == "absent" { continue }
                var measurements: [String: Double] = [:]
                for (key, value) in result["properties"] as? [String: Any] ?? [:] {
                    if let n = value as? NSNumber { measurements[key] = n.doubleValue } else if value is NSNull { measurements[key] = .nan }
                }
                let physical = ((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
                let artifact = physical?["artifactLocation"] as? [String: Any]
                entries.append(Entry(ruleID: rule, fingerprint: fingerprint, level: result["level"] as? String ?? "warning",
                                     message: (result["message"] as? [String: Any])?["text"] as? String ?? "",
                                     measurements: measurements, uri: artifact?["uri"] as? String, uriBaseID: artifact?["uriBaseId"] as? String,
                                     line: (physical?["region"] as? [String: Any])?["startLine"] as? Int))
            }
        }
        self.entries = entries
        self.path = path
    }

    /// The state of a current result.
    public func state(ruleID: String, fingerprint: String, level: String, measurements: [String: Double]) -> String {
        guard let old = entries.first(where: { $0.ruleID == ruleID && $0.fingerprint == fingerprint }) else { return "new" }
        let same = old.measurements.count == measurements.count && measurements.allSatisfy { key, value in
            guard let before = old.measurements[key] else { return false }
            // JSON numbers read back through Foundation may differ in the last bits.
            return abs(before - value) <= 1e-12 * Swift.max(1, abs(before), abs(value)) || (before.isNaN && value.isNaN)
        }
        return old.level == level && same ? "unchanged" : "updated"
    }

    /// Baseline entries no current result matches (by rule and fingerprint).
    public func absent(from current: Set<String>) -> [Entry] {
        entries.filter { !current.contains(Self.key($0.ruleID, $0.fingerprint)) }
    }

    /// The matching key of a result.
    static func key(_ rule: String, _ fingerprint: String) -> String { rule + "\u{0}" + fingerprint }
}
