import Foundation

/// Where a rule pack's files come from: a folder on disk, or the copy of the core pack embedded in the binary.
///
/// Every read goes through `read(_:)` with a path relative to the pack folder, so nothing outside
/// the folder is ever read: `..`, absolute paths and symbolic links that leave the folder are refused.
public struct PackSource: Sendable {
    /// How the pack is stored.
    public enum Storage: Sendable, Equatable {
        /// Embedded in the binary (the core pack): relative path → text.
        case embedded([String: String])
        /// A folder on disk (the path as given, and its resolved real path).
        case folder(path: String, realPath: String)
    }

    /// How the pack is stored.
    public let storage: Storage
    /// The folder as messages name it (`Rules/core`, or the path the user gave).
    public let displayPath: String

    /// Largest pack, rule or fixture file read (256 KiB).
    public static let maxFileBytes = 256 * 1024
    /// Most files a pack folder may hold.
    public static let maxFiles = 2000

    /// The core pack as embedded in this binary.
    public static let embeddedCore = PackSource(
        storage: .embedded(Dictionary(uniqueKeysWithValues: EmbeddedCorePack.files.map { ($0.path, $0.text) })),
        displayPath: "Rules/core")

    /// A pack folder on disk; `nil` if `path` is not a directory holding `pack.yaml`.
    public static func folder(_ path: String) -> PackSource? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue,
              FileManager.default.fileExists(atPath: path + "/pack.yaml") else { return nil }
        let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
        let display = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
        return PackSource(storage: .folder(path: path, realPath: real), displayPath: display)
    }

    /// Whether this is the embedded core pack.
    public var isEmbedded: Bool {
        if case .embedded = storage { return true }
        return false
    }

    /// The path of `relative` as messages show it.
    public func displayPath(of relative: String) -> String {
        displayPath + "/" + relative
    }

    /// Whether `relative` is a safe path inside the pack: not absolute, no `..`, no empty segments.
    public static func isSafeRelativePath(_ relative: String) -> Bool {
        guard !relative.isEmpty, !relative.hasPrefix("/"), !relative.contains("\\") else { return false }
        return relative.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != ".." && $0 != "." }
    }

    /// The text of the file at `relative` (UTF-8, size-bounded), refusing anything outside the pack.
    public func read(_ relative: String) throws(ConfigurationError) -> String {
        let shown = displayPath(of: relative)
        guard Self.isSafeRelativePath(relative) else {
            throw .invalid([ConfigDiagnostic(file: shown, code: .outsidePack, message: "refused: the path leaves the pack folder")])
        }
        switch storage {
        case .embedded(let files):
            guard let text = files[relative] else { throw .fileNotFound(path: shown) }
            return text
        case .folder(_, let realPath):
            let full = shown // the folder as given, without a trailing '/', so file-level errors name the file as other messages do
            let real = URL(fileURLWithPath: full).resolvingSymlinksInPath().standardizedFileURL.path
            guard real.hasPrefix(realPath + "/") else {
                if FileManager.default.fileExists(atPath: full) {
                    throw .invalid([ConfigDiagnostic(file: shown, code: .outsidePack,
                                                     message: "refused: it is a symbolic link leading outside the pack folder")])
                }
                throw .fileNotFound(path: shown)
            }
            return try YAMLSourceFile.read(path: full, maxBytes: Self.maxFileBytes).replacingOccurrences(of: "\r\n", with: "\n")
        }
    }

    /// Whether `relative` (a safe relative path) names an entry of the pack: for a folder, a file system
    /// entry at that path (a link counts, wherever it leads: `read` decides whether it may be read).
    public func contains(_ relative: String) -> Bool {
        guard Self.isSafeRelativePath(relative) else { return false }
        switch storage {
        case .embedded(let files):
            return files[relative] != nil
        case .folder:
            let full = displayPath(of: relative)
            return FileManager.default.fileExists(atPath: full) || (try? FileManager.default.destinationOfSymbolicLink(atPath: full)) != nil
        }
    }

    /// Every regular file in the pack (relative paths, sorted by bytes), or `maxFiles + 1` of them if it
    /// holds more. Links leaving the folder are listed too (never followed), so a glob that matches one
    /// reports it when `read` refuses it.
    public func listFiles() -> [String] {
        switch storage {
        case .embedded(let files):
            return files.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        case .folder(_, let realPath):
            var result: [String] = []
            guard let enumerator = FileManager.default.enumerator(atPath: realPath) else { return [] }
            while let item = enumerator.nextObject() as? String {
                if result.count > Self.maxFiles { break } // one more than allowed: the caller reports the folder as too large
                let last = (item as NSString).lastPathComponent
                if last.hasPrefix(".") { enumerator.skipDescendants(); continue }
                let full = realPath + "/" + item
                let real = URL(fileURLWithPath: full).resolvingSymlinksInPath().standardizedFileURL.path
                guard real.hasPrefix(realPath + "/") else {
                    result.append(item)
                    continue
                }
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: real, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
                result.append(item)
            }
            return result.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        }
    }
}
