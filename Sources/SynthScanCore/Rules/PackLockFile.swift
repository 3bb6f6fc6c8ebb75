import Yams

/// `synthscan-pack.lock.yaml`: the exact packs (versions and content hashes) a root pack was reviewed with.
///
/// Written by `synthscan rules lock PACK` and committed next to `pack.yaml`. When it exists, every
/// load checks that each pack of the chain still has the recorded version and content hash, so a
/// silently changed parent (a new core pack after an upgrade, an edited shared pack) stops the scan
/// until someone reviews the change and re-locks.
public enum PackLockFile {
    /// File name inside the root pack folder.
    public static let fileName = "synthscan-pack.lock.yaml"

    /// The lock file text recording `packs` (base first).
    public static func render(_ packs: [PackSummary]) -> String {
        var text = """
        # Written by `synthscan rules lock`. Commit it; do not edit by hand.
        # Every scan with this pack checks that each pack below still has this version and content.
        format: 1
        packs:

        """
        for pack in packs {
            text += "  - pack: \(pack.id)\n    version: \(pack.version)\n    sha256: \(pack.contentHash.replacingOccurrences(of: "sha256:", with: ""))\n"
        }
        return text
    }

    /// Checks `chain` (base first, ending with `root`) against the root's lock file, if it has one.
    static func verify(root: ParsedPack, chain: [ParsedPack], diagnostics: PackDiagnostics) {
        let file = root.source.displayPath(of: fileName)
        let text: String
        do { text = try root.source.read(fileName) } catch {
            if case .fileNotFound = error { return }
            for d in error.diagnostics { diagnostics.add(d) }
            return
        }
        let collector = diagnostics.collector(for: file)
        defer { diagnostics.absorb(collector) }
        let document: YAMLDocument
        do { document = try YAMLDocument.parse(text, file: file, limits: RulePackLoader.limits) } catch {
            for d in error.diagnostics { diagnostics.add(d) }
            return
        }
        let values = YAMLValueReader(diagnostics: collector)
        guard let rootNode = document.root,
              let map = YAMLMappingReader(rootNode, at: "", values: values, allowedKeys: ["format", "packs"]) else { return }
        _ = map.int("format", in: 1...1)
        guard let list = map.node("packs", required: true) else { return }
        guard case .sequence(let items) = list else {
            values.reportWrongType(list, at: "packs", expected: "a list of {pack, version, sha256}")
            return
        }
        var locked: [String: (version: String, hash: String, node: Node)] = [:]
        for (index, item) in items.enumerated() {
            guard let entry = YAMLMappingReader(item, at: "packs[\(index)]", values: values, allowedKeys: ["pack", "version", "sha256"]),
                  let id = entry.string("pack", required: true, nonEmpty: true),
                  let version = entry.string("version", required: true, nonEmpty: true),
                  let hash = entry.string("sha256", required: true, nonEmpty: true) else { continue }
            locked[id] = (version, "sha256:" + hash, item)
        }
        let hint = "review the change, then run `synthscan rules lock \(root.source.displayPath)`"
        for pack in chain {
            guard let entry = locked.removeValue(forKey: pack.id) else {
                collector.report(.packLock, "pack '\(pack.id)' \(pack.version) is not in the lock file; \(hint)", at: rootNode)
                continue
            }
            if entry.version != pack.version || entry.hash != pack.contentHash {
                let what = entry.version != pack.version
                    ? "is version \(pack.version) but the lock file records \(entry.version)"
                    : "has changed since it was locked (content \(pack.contentHash.prefix(19))…, locked \(entry.hash.prefix(19))…)"
                collector.report(.packLock, "pack '\(pack.id)' \(what); \(hint)", at: entry.node)
            }
        }
        for (id, entry) in locked.sorted(by: { $0.key < $1.key }) {
            collector.report(.packLock, "the lock file records pack '\(id)', which the chain no longer uses; \(hint)", at: entry.node)
        }
    }
}
