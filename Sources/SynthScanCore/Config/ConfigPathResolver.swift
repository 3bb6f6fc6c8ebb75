/// Resolves paths written in a config file against the folder that holds it, as plain strings.
public enum ConfigPathResolver {
    /// The folder part of a config file path (`""` when the path has no folder).
    public static func directory(ofFile file: String) -> String {
        guard let slash = file.lastIndex(of: "/") else { return "" }
        if slash == file.startIndex { return "/" }
        return dropLeadingDotSlash(String(file[..<slash]))
    }

    /// `path` resolved against `directory`: absolute paths are kept, relative ones are joined (a leading `./` is dropped).
    public static func resolve(_ path: String, against directory: String) -> String {
        if path.hasPrefix("/") { return path }
        let relative = dropLeadingDotSlash(path)
        let base = dropLeadingDotSlash(directory)
        if base.isEmpty || base == "." { return relative.isEmpty ? "." : relative }
        if relative.isEmpty || relative == "." { return base }
        return base.hasSuffix("/") ? base + relative : base + "/" + relative
    }

    /// `path` without any leading `./` (and without extra slashes after it).
    static func dropLeadingDotSlash(_ path: String) -> String {
        var result = Substring(path)
        while result.hasPrefix("./") {
            result = result.dropFirst(2).drop { $0 == "/" }
        }
        return String(result)
    }
}
