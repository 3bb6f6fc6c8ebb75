import Foundation
import Yams

/// Finds packs by id: the core pack embedded in the binary, and pack folders on the search path.
///
/// The search path is a list of folders (from `SYNTHSCAN_RULES_PATH`, `:`-separated, plus any the
/// caller adds); each is a pack itself or holds packs up to two levels down (`org/name/pack.yaml`).
/// Earlier folders win over later ones at the same version; the embedded core comes last.
public struct PackRepository: Sendable {
    /// One pack that could satisfy an `extends`.
    public struct Candidate: Sendable {
        /// Its files.
        public var source: PackSource
        /// Its version as written.
        public var version: String
        /// Priority: lower wins among equal versions.
        public var order: Int
    }

    /// Folders searched, in priority order.
    public var searchPaths: [String]

    /// Creates a repository over `searchPaths`.
    public init(searchPaths: [String] = []) {
        self.searchPaths = searchPaths
    }

    /// The repository named by `SYNTHSCAN_RULES_PATH`, plus `extra` folders first.
    public static func fromEnvironment(extra: [String] = []) -> PackRepository {
        let variable = ProcessInfo.processInfo.environment["SYNTHSCAN_RULES_PATH"] ?? ""
        let paths = variable.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        return PackRepository(searchPaths: extra + paths)
    }

    /// Every pack folder on the search path (a folder that is a pack, or packs one or two levels below it).
    public func packFolders() -> [PackSource] {
        var result: [PackSource] = []
        var seen = Set<String>()
        func add(_ source: PackSource) {
            guard case .folder(_, let real) = source.storage, seen.insert(real).inserted else { return }
            result.append(source)
        }
        for root in searchPaths {
            if let pack = PackSource.folder(root) { add(pack); continue }
            for child in Self.subfolders(root) {
                if let pack = PackSource.folder(child) { add(pack); continue }
                for grandchild in Self.subfolders(child) { if let pack = PackSource.folder(grandchild) { add(pack) } }
            }
        }
        return result
    }

    /// Packs whose id is `id`, with their versions, in priority order.
    public func candidates(id: String) -> [Candidate] {
        var result: [Candidate] = []
        for (index, source) in packFolders().enumerated() {
            if let head = Self.head(of: source), head.id == id { result.append(Candidate(source: source, version: head.version, order: index)) }
        }
        if id == RulePackLoader.corePackID, let head = Self.head(of: .embeddedCore) {
            result.append(Candidate(source: .embeddedCore, version: head.version, order: Int.max))
        }
        return result
    }

    /// Ids of every pack that can be found (for "did you mean" hints).
    public func knownPackIDs() -> [String] {
        var ids = packFolders().compactMap { Self.head(of: $0)?.id }
        ids.append(RulePackLoader.corePackID)
        return Array(Set(ids)).sorted()
    }

    /// The `pack` and `version` of a pack's manifest, read leniently (full validation happens on load).
    static func head(of source: PackSource) -> (id: String, version: String)? {
        guard let text = try? source.read("pack.yaml"),
              let document = try? YAMLDocument.parse(text, file: source.displayPath(of: "pack.yaml"), limits: RulePackLoader.limits),
              case .mapping(let map)? = document.root,
              let id = map["pack"]?.string, let version = map["version"]?.string else { return nil }
        return (id, version)
    }

    private static func subfolders(_ path: String) -> [String] {
        guard let items = try? FileManager.default.contentsOfDirectory(atPath: path) else { return [] }
        return items.filter { !$0.hasPrefix(".") }.sorted().compactMap { item in
            var isDirectory: ObjCBool = false
            let full = path + "/" + item
            return FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory) && isDirectory.boolValue ? full : nil
        }
    }
}
