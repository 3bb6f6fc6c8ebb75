import Foundation
import Yams

/// Why rule packs could not be loaded: every problem found, each with `file:line:column`.
public enum RulePackError: Error, Equatable, CustomStringConvertible {
    /// One or more problems in pack, rule, lock or fixture files (sorted by file, then position).
    case invalid([ConfigDiagnostic])

    /// The problems.
    public var diagnostics: [ConfigDiagnostic] {
        switch self { case .invalid(let d): d }
    }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}

/// Loads rule packs and resolves them into the effective rule set.
///
/// A pack is a folder with `pack.yaml`. Its `extends` names one parent (by pack id and version
/// range, found on the search path or embedded, or by a path relative to the pack), so packs form
/// chains; several root packs are layered in the order given, each ancestor applied once. For each
/// pack, base first: its rules are added, then its `overrides`, `select`, `disable` and `waivers`
/// apply to everything loaded so far. Problems in every file are collected and reported together.
/// Only files inside a pack's own folder are read; YAML aliases are refused and sizes bounded.
public struct RulePackLoader {
    /// Size and alias limits for pack, rule and lock files.
    public static let limits = YAMLLimits(maxBytes: PackSource.maxFileBytes, maxAliasUses: 0)
    /// Keys of `pack.yaml`, in documentation order.
    static let manifestKeys = ["format", "pack", "version", "description", "synthscan", "extends", "rules",
                               "overrides", "select", "disable", "waivers"]
    /// Id of the embedded core pack.
    public static let corePackID = "synthscan/core"
    /// Longest `extends` chain accepted.
    static let maxChainLength = 16

    /// Where packs named by id are looked for.
    public var repository: PackRepository
    /// Today's date (`yyyy-mm-dd`, UTC), against which waiver expiry is judged.
    public var today: String
    /// Whether root packs' lock files are checked (off only for `rules lock`, which rewrites them).
    public var verifiesLockFiles = true

    /// Creates a loader.
    public init(repository: PackRepository = .fromEnvironment(), today: String = RulePackLoader.todayUTC()) {
        self.repository = repository
        self.today = today
    }

    /// Today's date in UTC as `yyyy-mm-dd`.
    public static func todayUTC() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date())
    }

    /// The effective rule set of the packs in `roots` (folder paths), layered in order; none = the core pack.
    public func load(roots: [String]) throws(RulePackError) -> EffectiveRuleSet {
        let diagnostics = PackDiagnostics()
        var sources: [PackSource] = []
        for root in roots {
            if let source = PackSource.folder(root) ?? packOnSearchPath(root) {
                sources.append(source)
                continue
            }
            var message = "not a rule pack: no folder with a pack.yaml at this path"
            if RuleFileParser.isValidRuleID(root.split(separator: "@").first.map(String.init) ?? root) {
                message += ", and no pack with this id on SYNTHSCAN_RULES_PATH (\(repository.searchPaths.isEmpty ? "not set" : repository.searchPaths.joined(separator: ":")))"
            }
            diagnostics.add(ConfigDiagnostic(file: root, code: .packNotFound, message: message))
        }
        if roots.isEmpty { sources = [.embeddedCore] }
        let chains = sources.map { ChainLoader(repository: repository, diagnostics: diagnostics).chain(from: $0) }
        let order = linearize(chains, diagnostics: diagnostics)
        var builder = RuleSetBuilder(diagnostics: diagnostics, today: today)
        for pack in order { builder.apply(pack) }
        // A pack reached by several roots is applied once (its first copy): only that copy has read its
        // rule files and fixtures, so lock files are checked against the applied copies.
        let applied = Dictionary(order.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for chain in chains where verifiesLockFiles {
            if let root = chain.last { PackLockFile.verify(root: root, chain: chain.map { applied[$0.id] ?? $0 }, diagnostics: diagnostics) }
        }
        try diagnostics.throwIfErrors()
        var set = builder.result(warnings: diagnostics.warnings)
        set.rootPackIDs = chains.compactMap { $0.last?.id }
        return set
    }

    /// A root named by pack id (`org/name` or `org/name@range`) rather than by folder: the highest
    /// matching version on the search path (or the embedded core).
    private func packOnSearchPath(_ root: String) -> PackSource? {
        let parts = root.split(separator: "@", maxSplits: 1).map(String.init)
        guard let id = parts.first, RuleFileParser.isValidRuleID(id), !FileManager.default.fileExists(atPath: root) else { return nil }
        let range = parts.count > 1 ? try? PackVersionRange(parts[1]) : nil
        if parts.count > 1, range == nil { return nil }
        return repository.candidates(id: id)
            .filter { candidate in range.map { r in PackVersion(candidate.version).map(r.contains) ?? false } ?? true }
            .sorted { a, b in
                if let va = PackVersion(a.version), let vb = PackVersion(b.version), va != vb { return va > vb }
                return a.order < b.order
            }.first?.source
    }

    /// Packs in application order: each chain base first, every pack once (the same id twice must be the same pack).
    private func linearize(_ chains: [[ParsedPack]], diagnostics: PackDiagnostics) -> [ParsedPack] {
        var order: [ParsedPack] = []
        for chain in chains {
            for pack in chain {
                if let seen = order.first(where: { $0.id == pack.id }) {
                    if seen.source.displayPath != pack.source.displayPath, seen.contentHash != pack.contentHash {
                        diagnostics.add(ConfigDiagnostic(file: pack.manifestFile, code: .duplicateRuleID,
                                                         message: "pack '\(pack.id)' is also loaded from \(seen.source.displayPath) with different content; load one of them"))
                    }
                    continue
                }
                order.append(pack)
            }
        }
        return order
    }
}

/// Diagnostics gathered across every file of every pack.
final class PackDiagnostics {
    private(set) var all: [ConfigDiagnostic] = []
    private var absorbed: [ObjectIdentifier: Int] = [:]
    /// Every collector handed out, kept alive so object identities stay unique.
    private var collectors: [DiagnosticCollector] = []

    /// A collector for `file`; its problems join the others when `absorb` is called.
    func collector(for file: String) -> DiagnosticCollector {
        let collector = DiagnosticCollector(file: file)
        collectors.append(collector)
        return collector
    }

    /// Adds the problems a collector gathered since it was last absorbed.
    func absorb(_ collector: DiagnosticCollector) {
        let done = absorbed[ObjectIdentifier(collector)] ?? 0
        all.append(contentsOf: collector.diagnostics.dropFirst(done))
        absorbed[ObjectIdentifier(collector)] = collector.diagnostics.count
    }

    /// Adds one problem.
    func add(_ diagnostic: ConfigDiagnostic) { all.append(diagnostic) }

    /// Warnings only.
    var warnings: [ConfigDiagnostic] { sorted.filter { $0.severity != .error } }

    /// Sorted by file, then position, keeping discovery order for ties.
    var sorted: [ConfigDiagnostic] {
        all.enumerated().sorted { l, r in
            (l.element.file, l.element.line ?? 0, l.element.column ?? 0, l.offset) < (r.element.file, r.element.line ?? 0, r.element.column ?? 0, r.offset)
        }.map(\.element)
    }

    /// Throws every error (warnings included, for context) if there is at least one error.
    func throwIfErrors() throws(RulePackError) {
        if all.contains(where: { $0.severity == .error }) { throw .invalid(sorted) }
    }
}

/// A pack whose `pack.yaml` has been read: identity, parent, rule files, and the manifest kept for later sections.
final class ParsedPack {
    /// Pack id.
    let id: String
    /// Version as written.
    let version: String
    /// Description.
    let description: String
    /// The files.
    let source: PackSource
    /// `pack.yaml` as messages name it.
    let manifestFile: String
    /// The parent named by `extends`.
    let parent: ParentReference?
    /// Rule files, relative to the pack folder, in load order.
    let ruleFiles: [String]
    /// The manifest's top-level mapping (for overrides, select, disable, waivers).
    let manifest: YAMLMappingReader?
    /// The manifest's collector (problems in later sections are reported into it).
    let collector: DiagnosticCollector
    /// Files read so far (relative path → text), for the content hash.
    private(set) var files: [String: String]

    init(id: String, version: String, description: String, source: PackSource, parent: ParentReference?, ruleFiles: [String],
         manifest: YAMLMappingReader?, collector: DiagnosticCollector, manifestText: String) {
        self.id = id
        self.version = version
        self.description = description
        self.source = source
        self.manifestFile = source.displayPath(of: "pack.yaml")
        self.parent = parent
        self.ruleFiles = ruleFiles
        self.manifest = manifest
        self.collector = collector
        self.files = ["pack.yaml": manifestText]
    }

    /// Reads a file of the pack, remembering it for the content hash.
    func read(_ relative: String) throws(ConfigurationError) -> String {
        if let text = files[relative] { return text }
        let text = try source.read(relative)
        files[relative] = text
        return text
    }

    /// `sha256:` + hex over the files read: pack.yaml, rule files and fixtures (see `PackContentHash`).
    var contentHash: String { PackContentHash.of(files) }

    /// The summary reports record.
    var summary: PackSummary {
        var extends: String?
        switch parent {
        case .pack(let id, let range, _, _): extends = range.map { "\(id) \($0)" } ?? id
        case .path(let path, _): extends = path
        case nil: extends = nil
        }
        return PackSummary(id: id, version: version, contentHash: contentHash,
                           location: source.isEmbedded ? "embedded" : source.displayPath, extends: extends, description: description)
    }
}

/// The parent a pack names in `extends`.
enum ParentReference {
    /// By id, with an optional version range (as written); `rangeNode` is where the range is written.
    case pack(id: String, range: String?, node: Node, rangeNode: Node?)
    /// By folder path relative to the child pack.
    case path(String, node: Node)
}

/// The content hash of a pack: SHA-256 over its files, each as `path NUL byte-count NUL bytes`, sorted by path.
///
/// Only the files the loader reads count (pack.yaml, rule files, self-test fixtures), so a README
/// next to them does not change the hash and the embedded core hashes like `Rules/core` on disk.
public enum PackContentHash {
    /// The hash of `files` (relative path → text).
    public static func of(_ files: [String: String]) -> String {
        var hasher = SHA256.Hasher()
        for path in files.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            let bytes = Array(files[path]!.utf8)
            hasher.update(Array(path.utf8) + [0] + Array(String(bytes.count).utf8) + [0])
            hasher.update(bytes)
        }
        return "sha256:" + SHA256.hex(hasher.finalize())
    }
}

/// Reads a pack's manifest and follows `extends` to the base, detecting cycles.
struct ChainLoader {
    /// Where packs named by id are found.
    let repository: PackRepository
    /// Where problems go.
    let diagnostics: PackDiagnostics

    /// The chain from the base pack to `root` (base first); stops early after a problem.
    func chain(from root: PackSource) -> [ParsedPack] {
        var chain: [ParsedPack] = []
        var source = root
        while true {
            // A folder already in the chain is not parsed again (its problems would be reported twice).
            if let earlier = chain.first(where: { Self.sameLocation($0.source, source) }) {
                let path = (chain.map(\.id) + [earlier.id]).joined(separator: " → ")
                report(.packCycle, "'extends' makes a cycle: \(path) (pack '\(earlier.id)' appears twice)", in: chain.last!)
                break
            }
            guard let pack = ManifestParser(diagnostics: diagnostics).parse(source) else { break }
            if let earlier = chain.first(where: { $0.id == pack.id }) {
                let path = (chain.map(\.id) + [pack.id]).joined(separator: " → ")
                report(.packCycle, "'extends' makes a cycle: \(path) (pack '\(earlier.id)' appears twice)", in: chain.last!)
                break
            }
            chain.append(pack)
            if chain.count > RulePackLoader.maxChainLength {
                // Reported where the limit is crossed: at the `extends` of the pack whose parent is one too many.
                report(.packCycle, "'extends' chain is longer than \(RulePackLoader.maxChainLength) packs (from '\(chain[0].id)')",
                       in: chain[chain.count - 2])
                break
            }
            guard let parent = pack.parent, let next = resolve(parent, of: pack) else { break }
            source = next
        }
        return chain.reversed()
    }

    /// Whether two sources are the same pack folder (by resolved path), or both the embedded core.
    private static func sameLocation(_ a: PackSource, _ b: PackSource) -> Bool {
        switch (a.storage, b.storage) {
        case (.folder(_, let x), .folder(_, let y)): x == y
        case (.embedded, .embedded): true
        default: false
        }
    }

    private func report(_ code: DiagnosticCode, _ message: String, in pack: ParsedPack) {
        var node: Node?
        if let parent = pack.parent { switch parent { case .pack(_, _, let n, _), .path(_, let n): node = n } }
        let collector = diagnostics.collector(for: pack.manifestFile)
        if let node { collector.report(code, message, at: node) } else { collector.report(code, message, at: nil) }
        diagnostics.absorb(collector)
    }

    /// The folder or embedded pack that `reference` names, or `nil` after reporting why not.
    private func resolve(_ reference: ParentReference, of child: ParsedPack) -> PackSource? {
        let collector = diagnostics.collector(for: child.manifestFile)
        defer { diagnostics.absorb(collector) }
        switch reference {
        case .path(let relative, let node):
            guard case .folder(let path, _) = child.source.storage else {
                collector.report(.packNotFound, "the embedded pack cannot extend a path", at: node)
                return nil
            }
            let target = relative.hasPrefix("/") ? relative : path + "/" + relative
            guard let source = PackSource.folder(target) else {
                collector.report(.packNotFound, "'extends' path '\(relative)' is not a rule pack folder (no pack.yaml there)", at: node)
                return nil
            }
            return source
        case .pack(let id, let rangeText, let node, let rangeNode):
            var range: PackVersionRange?
            if let rangeText {
                do { range = try PackVersionRange(rangeText) } catch {
                    collector.report(.invalidValue, "invalid version range for 'extends': \(error)", at: rangeNode ?? node)
                    return nil
                }
            }
            let candidates = repository.candidates(id: id)
            if candidates.isEmpty {
                var message = "pack '\(id)' not found: it is not embedded and no folder on the search path holds it"
                let known = repository.knownPackIDs()
                if let guess = EditDistance.suggestion(for: id, among: known) { message += " (did you mean '\(guess)'?)" }
                message += "; add its folder to SYNTHSCAN_RULES_PATH, or use 'extends: {path: ...}'"
                collector.report(.packNotFound, message, at: node)
                return nil
            }
            let matching = candidates.filter { candidate in
                guard let range else { return true }
                return PackVersion(candidate.version).map(range.contains) ?? false
            }
            let ranked = matching.sorted { a, b in
                if let va = PackVersion(a.version), let vb = PackVersion(b.version), va != vb { return va > vb }
                return a.order < b.order
            }
            guard let best = ranked.first else {
                let found = candidates.map { "\($0.version) (\($0.source.isEmbedded ? "embedded" : $0.source.displayPath))" }
                collector.report(.packVersion,
                                 "pack '\(id)' \(found.joined(separator: ", ")) does not satisfy '\(rangeText ?? "*")'", at: rangeNode ?? node)
                return nil
            }
            return best.source
        }
    }
}

/// Reads `pack.yaml`: identity, engine range, parent, and the rule files it includes.
struct ManifestParser {
    /// Where problems go.
    let diagnostics: PackDiagnostics

    /// The parsed pack, or `nil` if its manifest cannot be used at all.
    func parse(_ source: PackSource) -> ParsedPack? {
        let file = source.displayPath(of: "pack.yaml")
        let collector = diagnostics.collector(for: file)
        defer { diagnostics.absorb(collector) }
        let text: String
        let document: YAMLDocument
        do {
            text = try source.read("pack.yaml")
            document = try YAMLDocument.parse(text, file: file, limits: RulePackLoader.limits)
        } catch {
            for d in error.diagnostics { diagnostics.add(d) }
            return nil
        }
        let values = YAMLValueReader(diagnostics: collector)
        guard let root = document.root else {
            collector.report(.missingKey, "pack.yaml is empty; it needs at least 'pack', 'version' and 'rules'", at: nil)
            return nil
        }
        guard let map = YAMLMappingReader(root, at: "", values: values, allowedKeys: RulePackLoader.manifestKeys) else { return nil }
        _ = map.int("format", in: 1...1)
        let id = map.string("pack", required: true, nonEmpty: true) ?? ""
        if let node = map.node("pack"), !id.isEmpty, !RuleFileParser.isValidRuleID(id) {
            collector.report(.invalidValue, "invalid pack id '\(id)': expected lower-case 'organisation/name', e.g. acme-health/policy", at: node)
        }
        let version = map.string("version", required: true, nonEmpty: true) ?? ""
        if let node = map.node("version"), !version.isEmpty, PackVersion(version) == nil {
            collector.report(.invalidValue, "invalid value for 'version': expected a semantic version such as 1.2.0, found '\(version)'", at: node)
        }
        let description = map.string("description", nonEmpty: true) ?? ""
        if let node = map.node("synthscan"), let text = values.string(node, at: "synthscan", nonEmpty: true) {
            do {
                let range = try PackVersionRange(text)
                if let engine = PackVersion(SynthScanVersion.current), !range.contains(engine) {
                    collector.report(.engineVersion, "pack '\(id)' requires synthscan \(text); this is synthscan \(SynthScanVersion.current)", at: node)
                }
            } catch {
                collector.report(.invalidValue, "invalid version range for 'synthscan': \(error)", at: node)
            }
        }
        let parent = map.node("extends").flatMap { parseParent($0, values: values) }
        let ruleFiles = resolveRuleFiles(map, source: source, values: values, collector: collector)
        return ParsedPack(id: id, version: version, description: description, source: source, parent: parent,
                          ruleFiles: ruleFiles, manifest: map, collector: collector, manifestText: text)
    }

    /// `extends: synthscan/core`, `extends: {pack: synthscan/core, version: "^0.1"}` or `extends: {path: ../base}`.
    private func parseParent(_ node: Node, values: YAMLValueReader) -> ParentReference? {
        if case .scalar = node, let id = values.string(node, at: "extends", nonEmpty: true) {
            return .pack(id: id, range: nil, node: node, rangeNode: nil)
        }
        guard let map = YAMLMappingReader(node, at: "extends", values: values, allowedKeys: ["pack", "version", "path"]) else { return nil }
        let id = map.string("pack", nonEmpty: true)
        let path = map.string("path", nonEmpty: true)
        switch (id, path) {
        case (let id?, nil):
            return .pack(id: id, range: map.string("version", nonEmpty: true), node: map.node("pack")!, rangeNode: map.node("version"))
        case (nil, let path?):
            if map.node("version") != nil {
                values.diagnostics.report(.invalidValue, "'extends.version' applies to a pack id, not to a path", at: map.node("version")!)
            }
            return .path(path, node: map.node("path")!)
        case (_?, _?):
            values.diagnostics.report(.invalidValue, "'extends' takes either 'pack' or 'path', not both", at: node)
            return nil
        case (nil, nil):
            values.diagnostics.report(.missingKey, "'extends' needs 'pack' (an id, with an optional 'version' range) or 'path'", at: node)
            return nil
        }
    }

    /// The rule files that `rules:` selects (file paths or globs inside the pack), each once, in listed order.
    private func resolveRuleFiles(_ map: YAMLMappingReader, source: PackSource, values: YAMLValueReader,
                                  collector: DiagnosticCollector) -> [String] {
        guard let node = map.node("rules") else { return [] }
        guard case .sequence(let items) = node else {
            values.reportWrongType(node, at: "rules", expected: "a list of rule files or globs such as rules/**/*.yaml")
            return []
        }
        var listing: [String]?
        var result: [String] = []
        for item in items {
            guard let text = values.string(item, at: "rules[]", nonEmpty: true) else { continue }
            let pattern: GlobPattern
            do { pattern = try GlobPattern(text) } catch {
                collector.report(.outsidePack, "rule file '\(text)' must be a path or glob inside the pack folder: \(error)", at: item)
                continue
            }
            if pattern.isLiteral {
                guard text.hasSuffix(".yaml") || text.hasSuffix(".yml") else {
                    collector.report(.invalidValue, "rule file '\(text)' must end in .yaml", at: item)
                    continue
                }
                // `./rules/a.yaml` names `rules/a.yaml` (the pattern parser accepted it, so it has no '..' or empty segment).
                let relative = text.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
                guard source.contains(relative) else {
                    collector.report(.fileNotFound, "rule file '\(text)' does not exist in the pack", at: item)
                    continue
                }
                if !result.contains(relative) { result.append(relative) }
                continue
            }
            if listing == nil {
                listing = source.listFiles()
                if listing!.count > PackSource.maxFiles {
                    collector.report(.fileTooLarge,
                                     "the pack folder holds more than \(PackSource.maxFiles) files, the most a pack may have, so globs are not expanded; remove files or split the pack",
                                     at: item)
                }
            }
            if listing!.count > PackSource.maxFiles { continue }
            let matches = listing!.filter { pattern.matches($0) && ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && $0 != "pack.yaml" && $0 != PackLockFile.fileName }
            if matches.isEmpty { collector.report(.fileNotFound, "no rule file in the pack matches '\(text)'", at: item) }
            for m in matches where !result.contains(m) { result.append(m) }
        }
        return result
    }
}
