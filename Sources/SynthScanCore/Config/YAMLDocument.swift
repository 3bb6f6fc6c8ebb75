import Yams

/// One parsed YAML file: its root node (with 1-based line/column marks) and the name used in messages.
///
/// Parsing is strict: syntax errors, duplicate mapping keys, more than one document, and anchors or
/// aliases beyond `YAMLLimits.maxAliasUses` are all reported as `ConfigurationError.invalid`.
public struct YAMLDocument {
    /// The file, as the user named it.
    public let file: String
    /// The root node; `nil` for an empty document (nothing but comments or whitespace).
    public let root: Node?

    /// Reads and parses a file within `limits`.
    public static func load(path: String, limits: YAMLLimits) throws(ConfigurationError) -> YAMLDocument {
        let text = try YAMLSourceFile.read(path: path, maxBytes: limits.maxBytes)
        return try parse(text, file: path, limits: limits)
    }

    /// Parses YAML text (a leading byte-order mark is ignored); `file` is only used in messages.
    public static func parse(_ text: String, file: String, limits: YAMLLimits) throws(ConfigurationError) -> YAMLDocument {
        let text = text.unicodeScalars.first == "\u{FEFF}" ? String(text.unicodeScalars.dropFirst()) : text
        let collector = DiagnosticCollector(file: file)
        guard YAMLAliasGuard.prescan(text, limits: limits, into: collector) else {
            throw .invalid(collector.sortedDiagnostics)
        }
        let root: Node?
        do {
            // Keep the parser alive while auditing: it owns the anchors the nodes refer to weakly.
            let parser = try Parser(yaml: text)
            root = try parser.singleRoot()
            withExtendedLifetime(parser) {
                if let root { YAMLAliasGuard.audit(root, limits: limits, into: collector) }
            }
        } catch let error as YamlError {
            YAMLSyntaxErrorConverter.report(error, text: text, into: collector)
            throw .invalid(collector.sortedDiagnostics)
        } catch {
            collector.report(.yamlSyntax, "cannot parse YAML: \(error)", at: nil)
            throw .invalid(collector.sortedDiagnostics)
        }
        try collector.throwIfAny()
        return YAMLDocument(file: file, root: root)
    }
}
