import Foundation

/// A scan split over processes: each shard computes its slice of every nearest-record pass (the
/// expensive part: more than 95% of a large scan), and a merge assembles the passes and runs the
/// ordinary scan with them, so its reports are exactly those of an unsharded scan.
///
/// What is sharded: the passes of the rules whose checks declare `usesNearestRecordPasses`
/// (distance to closest record, nearest-neighbour distance ratio, membership inference), over
/// every query table of those passes (synthetic, train, holdout, the random baseline). What is
/// not: every other rule (cheap: counts, digests, group statistics) and the per-slice reruns of
/// rules with `by:` columns, which search within each slice's rows; the merge computes those.
public enum ShardedScan {
    /// Loads the inputs, runs the nearest-record rules of `ruleSet` in a context that computes
    /// only `shard`'s slice of each pass, and returns the slices with the identity of the run.
    /// The rules' outcomes (computed on placeholders outside the slice) are discarded.
    public static func run(configuration: ScanConfiguration, ruleSet: EffectiveRuleSet, shard: ShardSlice,
                           observer: ScanObserver? = nil) throws -> PartialResult {
        let data = try ScanEngine.load(configuration, observer: observer)
        let context = ScanContext(data: data, configuration: configuration, shard: shard)
        let rules = ruleSet.enabledRules.sorted { $0.id < $1.id }
        // The same declarations as the merge's scan (`ScanEngine.evaluate`), so both name the same passes.
        context.expectSecondNearest(for: rules)
        for rule in rules {
            guard let type = CheckRegistry.type(kind: rule.check) else { throw CheckError.unknownKind(rule: rule.id, kind: rule.check) }
            guard type.usesNearestRecordPasses else { continue }
            _ = try type.init().run(rule: rule, context: context)
        }
        let header = PartialResult.Header(
            formatVersion: PartialResult.formatVersion, toolVersion: SynthScanVersion.current,
            shard: shard.index + 1, shardCount: shard.count, seed: String(configuration.seed),
            ruleSet: identity(of: ruleSet), settings: settings(of: configuration), inputs: try inputs(of: data),
            parts: [], payloadBytes: 0, payloadChecksum: "")
        return PartialResult(header: header, parts: context.computedShardParts)
    }

    /// Checks that `partials` (file name, content) are the complete set of shards of a scan with
    /// this configuration, rule set and these inputs, assembles their passes, and runs the full
    /// scan with them (`ScanEngine.run(data:…preloaded:)`).
    public static func merge(partials: [(file: String, result: PartialResult)], configuration: ScanConfiguration,
                             ruleSet: EffectiveRuleSet, commandLine: [String], observer: ScanObserver? = nil) throws -> ScanResult {
        let start = Date()
        try checkConsistency(partials, configuration: configuration, ruleSet: ruleSet)
        let data = try ScanEngine.load(configuration, observer: observer)
        try checkInputs(partials, data: data)
        let passes = try assemble(partials)
        return try ScanEngine.run(data: data, configuration: configuration, ruleSet: ruleSet, commandLine: commandLine,
                                  startTime: start, preloaded: passes, observer: observer)
    }

    // MARK: - Identity

    /// The packs and enabled rules of `ruleSet`, as a partial result records them.
    public static func identity(of ruleSet: EffectiveRuleSet) -> PartialResult.RuleSetIdentity {
        PartialResult.RuleSetIdentity(
            packs: ruleSet.packs.map { .init(id: $0.id, version: $0.version, contentHash: $0.contentHash) },
            rules: ruleSet.enabledRules.sorted { $0.id < $1.id }.map { rule in
                .init(id: rule.id, check: rule.check, parameters: rule.parameters.sorted.map { "\($0.name)=\($0.value)" }, by: rule.sliceBy)
            })
    }

    /// The settings of `configuration` that shape the loaded tables or the passes (input format,
    /// missing-value tokens, column roles and settings, schema policy), one canonical line each.
    /// Input paths, the gate, the source root and the seed (recorded on its own) are not among them.
    public static func settings(of configuration: ScanConfiguration) -> [String] {
        let inputs = configuration.inputs, roles = configuration.roles, policy = configuration.schemaPolicy
        var lines = [
            "input-format=\(inputs.format.map { String(describing: $0) } ?? "by-extension")",
            "missing-values=\(inputs.missingValues)",
            "identifiers=\(roles.identifiers)", "quasi-identifiers=\(roles.quasiIdentifiers)", "sensitive=\(roles.sensitive)",
            "protected=\(roles.protected)", "ignored=\(roles.ignored)",
            "outcome=\(roles.outcome.map { "\($0.column)=\($0.positiveValue)" } ?? "none")",
            "schema=missing:\(policy.missingColumn.rawValue),extra:\(policy.extraColumn.rawValue),type:\(policy.typeConflict.rawValue)",
        ]
        for (name, c) in configuration.columns.sorted(by: { $0.key < $1.key }) {
            lines.append("column \(name): type=\(c.type.map(\.rawValue) ?? "inferred") round=\(c.roundDigits.map(String.init) ?? "none") case-fold=\(c.caseFold) bands=\(c.bands.map { "\($0)" } ?? "none")")
        }
        return lines
    }

    /// Role, path, size and SHA-256 of every loaded input file.
    public static func inputs(of data: LoadedDatasets) throws(FileDigestError) -> [PartialResult.InputIdentity] {
        var identities: [PartialResult.InputIdentity] = []
        for table in data.tables {
            identities.append(.init(role: table.role, path: table.source.path, byteCount: table.source.byteCount,
                                    sha256: try FileDigest.cached(file: table.source.path).sha256))
        }
        return identities
    }

    // MARK: - Merge checks

    /// Same tool version, rule set, settings, seed and shard count everywhere, and every shard
    /// `1...N` exactly once.
    static func checkConsistency(_ partials: [(file: String, result: PartialResult)], configuration: ScanConfiguration,
                                 ruleSet: EffectiveRuleSet) throws(ShardMergeError) {
        guard let first = partials.first else { throw .noPartials }
        let rules = identity(of: ruleSet), settings = settings(of: configuration)
        let count = first.result.header.shardCount
        for (file, partial) in partials {
            let h = partial.header
            guard h.toolVersion == SynthScanVersion.current else {
                throw .toolVersion(file: file, found: h.toolVersion, expected: SynthScanVersion.current)
            }
            guard h.shardCount == count else {
                throw .shardCount(file: file, found: h.shardCount, expected: count, firstFile: first.file)
            }
            guard h.seed == String(configuration.seed) else { throw .seed(file: file, found: h.seed, expected: String(configuration.seed)) }
            if h.ruleSet != rules { throw .ruleSet(file: file, difference: difference(h.ruleSet, rules)) }
            if h.settings != settings {
                let line = zip(h.settings, settings).first { $0 != $1 }.map { "the shard ran with \($0.0), the merge has \($0.1)" }
                    ?? "the shard ran with \(h.settings.count) settings, the merge has \(settings.count)"
                throw .settings(file: file, difference: line)
            }
        }
        var files: [Int: [String]] = [:]
        for (file, partial) in partials { files[partial.header.shard, default: []].append(file) }
        if let (shard, names) = files.sorted(by: { $0.key < $1.key }).first(where: { $0.value.count > 1 }) {
            throw .duplicateShard(shard: shard, count: count, files: names)
        }
        let missing = (1...count).filter { files[$0] == nil }
        if !missing.isEmpty { throw .missingShards(missing, count: count) }
    }

    /// What differs between the rule set a shard ran and the merge's, in words.
    static func difference(_ shard: PartialResult.RuleSetIdentity, _ merge: PartialResult.RuleSetIdentity) -> String {
        if shard.packs != merge.packs {
            let describe = { (packs: [PartialResult.RuleSetIdentity.Pack]) in
                packs.map { "\($0.id) \($0.version) (\($0.contentHash.prefix(19)))" }.joined(separator: ", ")
            }
            return "rule packs: the shard had \(describe(shard.packs)), the merge has \(describe(merge.packs))"
        }
        let a = Dictionary(shard.rules.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
        let b = Dictionary(merge.rules.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
        if let id = a.keys.sorted().first(where: { b[$0] == nil }) { return "rule \(id) ran in the shard but is not enabled in the merge" }
        if let id = b.keys.sorted().first(where: { a[$0] == nil }) { return "rule \(id) is enabled in the merge but did not run in the shard" }
        if let id = a.keys.sorted().first(where: { a[$0] != b[$0] }), let x = a[id], let y = b[id] {
            return "rule \(id) differs: the shard had \(x.parameters.joined(separator: " ")) by \(x.by), the merge has \(y.parameters.joined(separator: " ")) by \(y.by)"
        }
        return "the rule lists differ"
    }

    /// Every input the merge loaded is the file every shard scanned (same role, size and SHA-256).
    static func checkInputs(_ partials: [(file: String, result: PartialResult)], data: LoadedDatasets) throws {
        let loaded = try inputs(of: data)
        for (file, partial) in partials {
            let recorded = partial.header.inputs
            for input in loaded {
                guard let theirs = recorded.first(where: { $0.role == input.role }) else {
                    throw ShardMergeError.inputRoles(file: file, role: input.role, inMerge: true)
                }
                guard theirs.byteCount == input.byteCount, theirs.sha256 == input.sha256 else {
                    throw ShardMergeError.inputChanged(role: input.role, path: input.path, partialFile: file, shardPath: theirs.path,
                                                       shard: partial.header.shard, count: partial.header.shardCount)
                }
            }
            if let extra = recorded.first(where: { r in !loaded.contains { $0.role == r.role } }) {
                throw ShardMergeError.inputRoles(file: file, role: extra.role, inMerge: false)
            }
        }
    }

    /// The complete passes: for each pass, the shards' slices must tile `0..<queryCount` exactly.
    static func assemble(_ partials: [(file: String, result: PartialResult)]) throws(ShardMergeError) -> [NeighbourPass: NearestRecords] {
        var slices: [NeighbourPass: [(shard: Int, part: ShardPart)]] = [:]
        var order: [NeighbourPass] = []
        for (_, partial) in partials.sorted(by: { $0.result.header.shard < $1.result.header.shard }) {
            for part in partial.parts {
                if slices[part.pass] == nil { order.append(part.pass) }
                slices[part.pass, default: []].append((partial.header.shard, part))
            }
        }
        let count = partials.first?.result.header.shardCount ?? 0
        var passes: [NeighbourPass: NearestRecords] = [:]
        for pass in order {
            let list = slices[pass]!.sorted { $0.part.range.lowerBound < $1.part.range.lowerBound }
            let total = list[0].part.queryCount
            if let odd = list.first(where: { $0.part.queryCount != total }) {
                throw .coverage(pass: pass.description, reason: "shard \(odd.shard)/\(count) has \(odd.part.queryCount) query rows, shard \(list[0].shard)/\(count) has \(total)")
            }
            let carried = Set(list.map(\.shard))
            if let absent = (1...count).first(where: { !carried.contains($0) }) {
                throw .coverage(pass: pass.description, reason: "shard \(absent)/\(count) did not compute it")
            }
            var next = 0
            var records = NearestRecords(nearest: [], nearestRow: [], second: [], secondRow: [])
            records.nearest.reserveCapacity(total)
            records.second.reserveCapacity(total)
            records.nearestRow.reserveCapacity(total)
            records.secondRow.reserveCapacity(total)
            for (shard, part) in list {
                guard part.range.lowerBound == next else {
                    let reason = part.range.lowerBound < next
                        ? "shard \(shard)/\(count) covers rows from \(part.range.lowerBound), already covered up to \(next)"
                        : "rows \(next)..<\(part.range.lowerBound) are in no shard"
                    throw .coverage(pass: pass.description, reason: reason)
                }
                records.nearest += part.records.nearest
                records.second += part.records.second
                records.nearestRow += part.records.nearestRow
                records.secondRow += part.records.secondRow
                next = part.range.upperBound
            }
            guard next == total else { throw .coverage(pass: pass.description, reason: "rows \(next)..<\(total) are in no shard") }
            passes[pass] = records
        }
        return passes
    }
}

/// Partial results that do not combine into one scan.
public enum ShardMergeError: Error, Equatable, CustomStringConvertible {
    /// No partial result was given.
    case noPartials
    /// Written by another synthscan version.
    case toolVersion(file: String, found: String, expected: String)
    /// Partials of scans with different shard counts.
    case shardCount(file: String, found: Int, expected: Int, firstFile: String)
    /// Another seed.
    case seed(file: String, found: String, expected: String)
    /// Other rules.
    case ruleSet(file: String, difference: String)
    /// Other configuration settings.
    case settings(file: String, difference: String)
    /// Two files carry the same shard.
    case duplicateShard(shard: Int, count: Int, files: [String])
    /// Shards without a file (1-based).
    case missingShards([Int], count: Int)
    /// An input file differs from the one the shards scanned.
    case inputChanged(role: TableRole, path: String, partialFile: String, shardPath: String, shard: Int, count: Int)
    /// A table one side has and the other has not.
    case inputRoles(file: String, role: TableRole, inMerge: Bool)
    /// The slices of a pass do not cover its rows exactly once.
    case coverage(pass: String, reason: String)

    public var description: String {
        switch self {
        case .noPartials:
            "error: merge needs the partial results of every shard (files, or folders holding *.partial files)"
        case .toolVersion(let f, let found, let expected):
            "\(f): error: written by synthscan \(found), this is synthscan \(expected); run the shards and the merge with the same version"
        case .shardCount(let f, let found, let expected, let first):
            "\(f): error: shard of \(found), but \(first) is a shard of \(expected); merge the partials of one sharded run"
        case .seed(let f, let found, let expected):
            "\(f): error: the shard ran with seed \(found), the merge has seed \(expected); give both the same --seed or config"
        case .ruleSet(let f, let d):
            "\(f): error: the shard ran other rules than the merge: \(d); give both the same --config and --rules"
        case .settings(let f, let d):
            "\(f): error: the shard ran with other settings than the merge: \(d); give both the same --config and options"
        case .duplicateShard(let shard, let count, let files):
            "error: shard \(shard)/\(count) is given more than once: \(files.joined(separator: ", "))"
        case .missingShards(let shards, let count):
            "error: shard\(shards.count == 1 ? "" : "s") \(shards.map { "\($0)/\(count)" }.joined(separator: ", ")) missing: merge needs the partial result of every shard 1..\(count)"
        case .inputChanged(let role, let path, let file, let shardPath, let shard, let count):
            "\(path): error: the \(role.rawValue) input differs from the file shard \(shard)/\(count) scanned (\(shardPath), recorded in \(file)): size or SHA-256 changed; rerun the shards on the current file"
        case .inputRoles(let f, let role, let inMerge):
            inMerge ? "\(f): error: the merge has a \(role.rawValue) table, the shard had none; give both the same inputs"
                    : "\(f): error: the shard had a \(role.rawValue) table, the merge has none; give both the same inputs"
        case .coverage(let pass, let reason):
            "error: the partial results do not cover the nearest-record pass \(pass) exactly once: \(reason)"
        }
    }
}
