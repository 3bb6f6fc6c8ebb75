import Yams

/// Turns a Yams `YamlError` into a positioned `yaml-syntax` or `duplicate-key` diagnostic.
enum YAMLSyntaxErrorConverter {
    /// Reports `error` (thrown while parsing `text`) into `collector`.
    static func report(_ error: YamlError, text: String, into collector: DiagnosticCollector) {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            collector.report(.yamlSyntax, message(problem: problem, context: context), at: SourcePosition(mark))
        case .reader(let problem, let offset, _, _):
            let position = offset.flatMap { characterPosition(ofOffset: $0, in: text) }
            collector.report(.yamlSyntax, "invalid YAML text: \(problem)", at: position)
        case .duplicatedKeysInMapping(let duplicates, let context):
            reportDuplicates(duplicates, first: SourcePosition(context.mark), text: text, into: collector)
        default:
            collector.report(.yamlSyntax, "cannot parse YAML: \(error)", at: nil)
        }
    }

    /// libyaml's problem text, with its context when it adds anything.
    private static func message(problem: String, context: YamlError.Context?) -> String {
        if problem == "but found another document" {
            return "expected a single YAML document, but found another document"
        }
        guard let context else { return "YAML syntax error: \(problem)" }
        return "YAML syntax error: \(problem) (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
    }

    /// Yams reports a duplicated key at its first occurrence; point at the repeat when it can be found.
    private static func reportDuplicates(_ keys: [String], first: SourcePosition, text: String,
                                         into collector: DiagnosticCollector) {
        let names = keys.map { "'\($0)'" }.joined(separator: ", ")
        let noun = keys.count == 1 ? "key" : "keys"
        if let key = keys.first, keys.count == 1,
           let repeated = DuplicateKeyLocator.repeatedKey(key, firstAt: first, in: text) {
            collector.report(.duplicateKey,
                             "duplicate \(noun) \(names) (first defined at line \(first.line), column \(first.column))",
                             at: repeated)
        } else {
            collector.report(.duplicateKey, "duplicate \(noun) \(names) in one mapping", at: first)
        }
    }

    /// The position of the character at `offset` (counted in Characters, as Yams does).
    private static func characterPosition(ofOffset offset: Int, in text: String) -> SourcePosition? {
        guard let index = text.index(text.startIndex, offsetBy: offset, limitedBy: text.endIndex) else { return nil }
        var line = 1
        var column = 1
        for scalar in text.unicodeScalars[..<index] {
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return SourcePosition(line: line, column: column)
    }
}

/// Finds the second occurrence of a block-mapping key: a later line at the same indentation that starts with the key.
enum DuplicateKeyLocator {
    /// The repeat of `key` first seen at `first`, if it sits in the same block mapping.
    static func repeatedKey(_ key: String, firstAt first: SourcePosition, in text: String) -> SourcePosition? {
        let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        let indent = first.column - 1
        let spellings = [key, "\"\(key)\"", "'\(key)'"]
        var lineIndex = first.line  // 0-based index of the line after the first occurrence
        while lineIndex < lines.count {
            let line = lines[lineIndex]
            lineIndex += 1
            let leading = line.prefix { $0 == " " }.count
            let rest = String(String.UnicodeScalarView(line.dropFirst(leading)))
            if rest.unicodeScalars.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) || rest.hasPrefix("#") {
                continue
            }
            if leading < indent { return nil }
            guard leading == indent else { continue }
            for spelling in spellings where rest.hasPrefix(spelling) {
                let after = rest.dropFirst(spelling.count).drop { $0 == " " || $0 == "\t" }
                if after.hasPrefix(":") { return SourcePosition(line: lineIndex, column: first.column) }
            }
        }
        return nil
    }
}
