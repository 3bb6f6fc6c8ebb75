/// Compares a stored release card with one rebuilt from a fresh scan, in plain words.
///
/// Files are compared by role (digests, size, rows), then the evaluation: tool version, rule
/// packs (content hashes), seed, settings, intended use and every rule's verdict, waiver, finding
/// count, figures and parameters; finally the evaluation digests, which catch anything else. The
/// differences name files, rules, digests and aggregate figures, never a value of a real record.
public struct ReleaseCardComparison {
    /// Figures listed per rule before the rest are counted.
    public var maxFiguresPerRule = 5

    /// Creates a comparison.
    public init() {}

    /// Every difference between `card` (as recorded) and `fresh` (as rebuilt); empty = verified.
    public func differences(card: ReleaseCard, fresh: ReleaseCard) -> [String] {
        var out = files(card.released, fresh.released)
        out += evaluation(card.evaluation, fresh.evaluation)
        if out.isEmpty, card.evaluationDigest != fresh.evaluationDigest {
            out.append("the evaluation section differs from the card's (evaluation digest recorded \(card.evaluationDigest), now \(fresh.evaluationDigest))")
        }
        if let recomputed = try? ReleaseCardCoding.digest(of: card.evaluation), recomputed != card.evaluationDigest {
            out.append("the card's evaluation section does not match its own evaluation digest (recorded \(card.evaluationDigest), its content gives \(recomputed)): the card was edited after it was written")
        }
        return out
    }

    /// The differences between the card's files and the files at `paths` (by role), from their
    /// digests alone: what `card verify` can say before, or without, scanning again.
    public func files(_ card: CardReleased, paths: [TableRole: String], digest: (String) throws -> FileDigest) -> [String] {
        var out: [String] = []
        for role in TableRole.allCases.sorted(by: { order($0) < order($1) }) {
            switch (card.file(role), paths[role]) {
            case (nil, nil): continue
            case (let r?, nil): out.append(missing(role, r))
            case (nil, let path?): out.append(extra(role, name(path)))
            case (let r?, let path?):
                guard let d = try? digest(path) else {
                    out.append("the \(role.rawValue) file \(name(path)) cannot be read to digest it (the card records \(r.name))")
                    continue
                }
                if let text = changed(role, r, name: name(path), digest: d, rows: nil) { out.append(text) }
            }
        }
        return out
    }

    func files(_ card: CardReleased, _ fresh: CardReleased) -> [String] {
        var out: [String] = []
        for role in TableRole.allCases.sorted(by: { order($0) < order($1) }) {
            let recorded = card.file(role), now = fresh.file(role)
            switch (recorded, now) {
            case (nil, nil): continue
            case (let r?, nil): out.append(missing(role, r))
            case (nil, let n?): out.append(extra(role, n.name))
            case (let r?, let n?):
                let d = FileDigest(bytes: n.bytes, sha256: n.sha256, xxh3: n.xxh3)
                if let text = changed(role, r, name: n.name, digest: d, rows: n.rows) { out.append(text) }
            }
        }
        return out
    }

    private func missing(_ role: TableRole, _ r: CardFile) -> String {
        "the card records a \(role.rawValue) table (\(r.name)) but none was given to verify against"
    }

    private func extra(_ role: TableRole, _ name: String) -> String {
        "a \(role.rawValue) table (\(name)) was given but the card records none"
    }

    /// "the synthetic file … is not the one the card records", or `nil` when the digests and size agree.
    private func changed(_ role: TableRole, _ r: CardFile, name: String, digest n: FileDigest, rows: Int?) -> String? {
        guard r.sha256 != n.sha256 || r.xxh3 != n.xxh3 || r.bytes != n.bytes else { return nil }
        var text = "the \(role.rawValue) file \(name) is not the one the card records (\(r.name)): "
        text += "SHA-256 expected \(r.sha256), actual \(n.sha256); XXH3-128 expected \(r.xxh3), actual \(n.xxh3); "
        text += r.bytes == n.bytes ? "same size (\(n.bytes) bytes)" : "size expected \(r.bytes) bytes, actual \(n.bytes) bytes"
        if let rows { text += r.rows == rows ? "; same row count (\(rows))" : "; rows expected \(r.rows), actual \(rows)" }
        return text
    }

    private func name(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }

    func evaluation(_ card: CardEvaluation, _ fresh: CardEvaluation) -> [String] {
        var out: [String] = []
        if card.tool != fresh.tool {
            out.append("tool: the card was evaluated by \(card.tool.name) \(card.tool.version), this is \(fresh.tool.name) \(fresh.tool.version)")
        }
        out += packs(card.rulePacks, fresh.rulePacks)
        if card.seed != fresh.seed { out.append("seed: recorded \(card.seed), now \(fresh.seed)") }
        out += settings(card.settings, fresh.settings)
        if card.intendedUse != fresh.intendedUse {
            out.append("intended use: recorded \(quoted(card.intendedUse)), now \(quoted(fresh.intendedUse))")
        }
        if card.summary.gateFailed != fresh.summary.gateFailed {
            out.append("gate: the card records that the gate \(card.summary.gateFailed ? "failed" : "passed"), now it \(fresh.summary.gateFailed ? "fails" : "passes")")
        }
        let now = Dictionary(fresh.rules.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        // Verdicts first, then finding counts, then figures and parameters: the words that matter lead.
        var ruleDifferences: [(rank: Int, text: String)] = []
        for r in card.rules {
            guard let n = now[r.id] else {
                ruleDifferences.append((0, "rule \(r.id): in the card (\(verdict(r))) but did not run now"))
                continue
            }
            ruleDifferences += rule(r, n)
        }
        out += ruleDifferences.enumerated().sorted { ($0.element.rank, $0.offset) < ($1.element.rank, $1.offset) }.map(\.element.text)
        let recorded = Set(card.rules.map(\.id))
        for n in fresh.rules where !recorded.contains(n.id) {
            out.append("rule \(n.id): ran now (\(verdict(n))) but is not in the card")
        }
        if card.disabledRules != fresh.disabledRules {
            out.append("disabled rules: recorded \(names(card.disabledRules.map(\.id))), now \(names(fresh.disabledRules.map(\.id)))")
        }
        return out
    }

    private func packs(_ card: [CardPack], _ fresh: [CardPack]) -> [String] {
        var out: [String] = []
        let now = Dictionary(fresh.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for p in card {
            guard let n = now[p.id] else {
                out.append("rule pack \(p.id) \(p.version): in the card but not loaded now (pass it with --rules or the config's `rules`)")
                continue
            }
            if p.contentHash != n.contentHash || p.version != n.version {
                out.append("rule pack \(p.id): recorded version \(p.version) with content hash \(p.contentHash), now version \(n.version) with \(n.contentHash)")
            }
        }
        let recorded = Set(card.map(\.id))
        for n in fresh where !recorded.contains(n.id) {
            out.append("rule pack \(n.id) \(n.version): loaded now but not in the card")
        }
        return out
    }

    private func settings(_ card: CardSettings, _ fresh: CardSettings) -> [String] {
        var out: [String] = []
        func compare(_ name: String, _ a: [String], _ b: [String]) {
            if a != b { out.append("settings: \(name) recorded \(names(a)), now \(names(b))") }
        }
        compare("identifiers", card.identifiers, fresh.identifiers)
        compare("quasi-identifiers", card.quasiIdentifiers, fresh.quasiIdentifiers)
        compare("sensitive columns", card.sensitive, fresh.sensitive)
        compare("protected columns", card.protected, fresh.protected)
        compare("ignored columns", card.ignored, fresh.ignored)
        if card.outcome != fresh.outcome {
            out.append("settings: outcome recorded \(card.outcome.map { "\($0.column)=\($0.positive)" } ?? "none"), now \(fresh.outcome.map { "\($0.column)=\($0.positive)" } ?? "none")")
        }
        if card.columns != fresh.columns {
            let changed = Set(card.columns.map(\.name)).union(fresh.columns.map(\.name)).filter { name in
                card.columns.first { $0.name == name } != fresh.columns.first { $0.name == name }
            }
            out.append("settings: column settings differ for \(names(changed.sorted()))")
        }
        compare("missing-value tokens", card.missingValues, fresh.missingValues)
        if card.schema != fresh.schema { out.append("settings: schema policy recorded \(pairs(card.schema)), now \(pairs(fresh.schema))") }
        if card.failOn != fresh.failOn { out.append("settings: fail-on level recorded \(card.failOn), now \(fresh.failOn)") }
        return out
    }

    /// One rule's differences, each with its rank (0 verdict, 1 findings, 2 parameters and figures, 3 the rest).
    private func rule(_ r: CardRule, _ n: CardRule) -> [(rank: Int, text: String)] {
        var out: [(rank: Int, text: String)] = []
        let id = "rule \(r.id)"
        if r.status != n.status || r.level != n.level || r.waived != n.waived {
            out.append((0, "\(id): verdict recorded \(verdict(r)), now \(verdict(n))"))
        }
        if r.findings != n.findings { out.append((1, "\(id): findings recorded \(r.findings), now \(n.findings)")) }
        if r.waivedFindings != n.waivedFindings {
            out.append((1, "\(id): waived findings recorded \(r.waivedFindings), now \(n.waivedFindings) (was the same --suppressions file given?)"))
        }
        if r.parameters != n.parameters {
            let names = Set(r.parameters.map(\.name)).union(n.parameters.map(\.name)).sorted()
            let changed = names.compactMap { name -> String? in
                let a = r.parameters.first { $0.name == name }?.value, b = n.parameters.first { $0.name == name }?.value
                return a == b ? nil : "\(name) \(a ?? "unset") → \(b ?? "unset")"
            }
            out.append((2, "\(id): parameters changed: \(changed.joined(separator: ", "))"))
        }
        if r.figures != n.figures {
            let keys = r.figures.map(\.key) + n.figures.map(\.key).filter { k in !r.figures.contains { $0.key == k } }
            let changed = keys.compactMap { key -> String? in
                let a = r.figures.first { $0.key == key }, b = n.figures.first { $0.key == key }
                return a == b ? nil : "\(key) \(figure(a)) → \(figure(b))"
            }
            var text = "\(id): figures changed: " + changed.prefix(maxFiguresPerRule).joined(separator: ", ")
            if changed.count > maxFiguresPerRule { text += " (and \(changed.count - maxFiguresPerRule) more)" }
            out.append((2, text))
        }
        if r.message != n.message, out.isEmpty { out.append((3, "\(id): the verdict message changed")) }
        if r.check != n.check || r.pack != n.pack {
            out.append((3, "\(id): recorded as check \(r.check) from pack \(r.pack), now check \(n.check) from pack \(n.pack)"))
        }
        return out
    }

    private func verdict(_ r: CardRule) -> String { "\(r.status) (\(r.level))" + (r.waived ? ", waived" : "") }
    private func figure(_ f: CardFigure?) -> String {
        guard let f else { return "absent" }
        return f.display
    }
    private func names(_ list: [String]) -> String { list.isEmpty ? "none" : list.joined(separator: ", ") }
    private func pairs(_ list: [NamedText]) -> String { list.map { "\($0.name) \($0.value)" }.joined(separator: ", ") }
    private func quoted(_ text: String?) -> String { text.map { "\"\($0)\"" } ?? "none" }
    private func order(_ role: TableRole) -> Int { role == .synthetic ? 0 : role == .train ? 1 : 2 }
}
