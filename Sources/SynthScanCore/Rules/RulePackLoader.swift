import Foundation
import Yams

/// A problem with a rule pack as a whole (problems inside a file are `ConfigurationError`s).
public enum RulePackError: Error, Equatable, CustomStringConvertible {
    /// The folder has no `pack.yaml`.
    case notAPack(path: String)
    /// Two rules share an id.
    case duplicateRuleID(id: String, first: String, second: String)
    /// Problems inside pack or rule files, with positions.
    case invalid(ConfigurationError)

    public var description: String {
        switch self {
        case .notAPack(let p): "\(p): error: not a rule pack (no pack.yaml in this folder)"
        case .duplicateRuleID(let id, let a, let b): "\(b): error: rule id '\(id)' is already defined in \(a) [duplicate-rule-id]"
        case .invalid(let e): e.description
        }
    }
}

/// Loads rule packs: a folder with `pack.yaml` listing rule files inside the folder.
///
/// The format is strict: unknown keys, wrong types, unknown check kinds and unknown parameters
/// are errors with `file:line:column`, all reported in one pass. Files outside the pack folder
/// are never read; YAML aliases are refused and file sizes bounded.
public enum RulePackLoader {
    /// Size limit for pack and rule files.
    public static let limits = YAMLLimits(maxBytes: 256 * 1024, maxAliasUses: 0)

    /// A pack's identity and its rules.
    public struct Pack: Sendable {
        /// Pack id, e.g. `synthscan/core`.
        public var id: String
        /// Semantic version.
        public var version: String
        /// Rules in file order.
        public var rules: [RuleDescriptor]
        /// Where each rule was defined (for messages).
        public var ruleFiles: [String: String]
    }

    /// Loads the pack in folder `path` from disk.
    public static func load(folder path: String) throws -> Pack {
        let manifest = path + "/pack.yaml"
        guard FileManager.default.fileExists(atPath: manifest) else { throw RulePackError.notAPack(path: path) }
        return try load(folderName: path) { relative in
            try YAMLSourceFile.read(path: path + "/" + relative, maxBytes: limits.maxBytes)
        }
    }

    /// Loads a pack whose files come from `read` (relative path → text); `folderName` prefixes messages.
    static func load(folderName: String, read: (String) throws -> String) throws -> Pack {
        let manifestFile = folderName + "/pack.yaml"
        let manifestText = try read("pack.yaml")
        let collector = DiagnosticCollector(file: manifestFile)
        let values = YAMLValueReader(diagnostics: collector)
        let document = try wrap { () throws(ConfigurationError) in try YAMLDocument.parse(manifestText, file: manifestFile, limits: limits) }
        var id = "", version = "", files: [(String, Node)] = []
        if let root = document.root,
           let map = YAMLMappingReader(root, at: "", values: values, allowedKeys: ["format", "pack", "version", "description", "rules"]) {
            _ = map.int("format", in: 1...1)
            id = map.string("pack", required: true, nonEmpty: true) ?? ""
            version = map.string("version", required: true, nonEmpty: true) ?? ""
            if let v = map.node("version"), !version.isEmpty, !SemanticVersion.isValid(version) {
                collector.report(.invalidValue, "invalid value for 'version': expected a semantic version such as 1.2.0, found '\(version)'", at: v)
            }
            _ = map.string("description")
            if let list = map.node("rules", required: true), case .sequence(let seq) = list {
                for item in seq {
                    guard let file = values.string(item, at: "rules[]", nonEmpty: true) else { continue }
                    if file.hasPrefix("/") || file.split(separator: "/").contains("..") || !file.hasSuffix(".yaml") {
                        collector.report(.invalidValue, "rule file '\(file)' must be a .yaml path inside the pack folder (no '..', not absolute)", at: item)
                        continue
                    }
                    files.append((file, item))
                }
            } else if let list = map.node("rules") {
                values.reportWrongType(list, at: "rules", expected: "a list of rule files")
            }
        } else if document.root == nil {
            collector.report(.missingKey, "pack.yaml is empty; it needs at least 'pack', 'version' and 'rules'", at: nil)
        }
        try wrap { () throws(ConfigurationError) in try collector.throwIfAny() }

        var rules: [RuleDescriptor] = []
        var ruleFiles: [String: String] = [:]
        for (file, _) in files {
            let path = folderName + "/" + file
            let rule = try RuleFileParser.parse(text: try read(file), file: path, pack: id)
            if let first = ruleFiles[rule.id] { throw RulePackError.duplicateRuleID(id: rule.id, first: first, second: path) }
            ruleFiles[rule.id] = path
            rules.append(rule)
        }
        return Pack(id: id, version: version, rules: rules, ruleFiles: ruleFiles)
    }

    static func wrap<T>(_ body: () throws(ConfigurationError) -> T) throws -> T {
        do { return try body() } catch { throw RulePackError.invalid(error) }
    }
}

/// Checks semantic version strings (MAJOR.MINOR.PATCH with optional pre-release/build).
enum SemanticVersion {
    static func isValid(_ text: String) -> Bool {
        let core = text.split(separator: "+", maxSplits: 1)[0].split(separator: "-", maxSplits: 1)[0]
        let parts = core.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 3 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
    }
}
