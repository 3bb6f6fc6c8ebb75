import Yams

/// Enforces `YAMLLimits`' alias policy before and after Yams composes a document.
enum YAMLAliasGuard {
    /// Refuses text with more `*name`-like sequences than the limits allow; returns whether parsing may go on.
    static func prescan(_ text: String, limits: YAMLLimits, into collector: DiagnosticCollector) -> Bool {
        let limit = limits.maxAliasLikeSequences
        var count = 0
        var line = 1
        var column = 1
        var previousWasStar = false
        for scalar in text.unicodeScalars {
            if previousWasStar, isAnchorCharacter(scalar) {
                count += 1
                if count > limit {
                    collector.report(.yamlAlias,
                                     "too many '*name' sequences (possible YAML aliases) to parse safely; the limit is \(limit)",
                                     at: SourcePosition(line: line, column: column - 1))
                    return false
                }
            }
            previousWasStar = scalar == "*"
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return true
    }

    /// Reports anchors (when aliases are forbidden) or alias uses beyond the limit, visiting each anchored node once.
    static func audit(_ root: Node, limits: YAMLLimits, into collector: DiagnosticCollector) {
        var auditor = Auditor(limits: limits, collector: collector)
        auditor.visit(root)
    }

    /// Characters libyaml accepts in anchor and alias names.
    private static func isAnchorCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "-": true
        default: false
        }
    }

    /// Walks the tree without re-entering aliased subtrees, so the walk is linear in the text's size.
    private struct Auditor {
        let limits: YAMLLimits
        let collector: DiagnosticCollector
        var seen: Set<ObjectIdentifier> = []
        var aliasUses = 0
        var reportedTooMany = false

        mutating func visit(_ node: Node) {
            if let anchor = node.anchor {
                let id = ObjectIdentifier(anchor)
                if seen.contains(id) {
                    countAliasUse(of: anchor, at: node)
                    return
                }
                seen.insert(id)
                if limits.maxAliasUses == 0 {
                    collector.report(.yamlAlias,
                                     "YAML anchors and aliases are not allowed in this file (found anchor '&\(anchor.rawValue)')",
                                     at: node)
                }
            }
            switch node {
            case .mapping(let mapping):
                for (key, value) in mapping {
                    visit(key)
                    visit(value)
                }
            case .sequence(let sequence):
                for item in sequence { visit(item) }
            case .scalar, .alias:
                break
            }
        }

        private mutating func countAliasUse(of anchor: Anchor, at node: Node) {
            aliasUses += 1
            guard limits.maxAliasUses > 0, aliasUses > limits.maxAliasUses, !reportedTooMany else { return }
            reportedTooMany = true
            collector.report(.yamlAlias,
                             "too many YAML alias uses (more than \(limits.maxAliasUses)); '*\(anchor.rawValue)' refers to the anchor here",
                             at: node)
        }
    }
}
