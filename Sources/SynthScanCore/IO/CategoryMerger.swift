/// Builds one sorted dictionary for a coded column from every table's interned values, and
/// re-codes each table against it.
struct CategoryMerger {
    /// The shared dictionary.
    let dictionary: CategoryDictionary
    /// Codes per table, against `dictionary`.
    let codes: [[UInt32]]
    /// Number of non-missing values over all tables.
    let nonMissingCount: Int
    /// Whether every label is a boolean word.
    let isBoolean: Bool

    /// Merges the parts (numeric or datetime parts must already be converted to categorical).
    static func merge(_ parts: [ColumnAccumulator], canonicalizeNumbers: Bool, caseFold: Bool) -> CategoryMerger {
        // Canonical label of every local id, per table.
        var localLabels: [[String]] = []
        var all = Set<String>()
        for part in parts {
            var labels: [String] = []
            labels.reserveCapacity(part.interner.count)
            for id in 0..<part.interner.count {
                var label = part.interner.string(of: id)
                if canonicalizeNumbers {
                    let bytes = Array(part.interner.bytes(of: id))
                    if let v = bytes.withUnsafeBufferPointer({ NumberParser.parse($0) }) { label = NumberParser.canonicalText(v) }
                }
                if caseFold { label = label.lowercased() }
                labels.append(label)
                all.insert(label)
            }
            localLabels.append(labels)
        }
        let sorted = all.map { (label: $0, bytes: Array($0.utf8)) }
            .sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }.map(\.label)
        var index: [String: UInt32] = [:]
        index.reserveCapacity(sorted.count)
        for (i, label) in sorted.enumerated() { index[label] = UInt32(i) }
        var codes: [[UInt32]] = []
        var nonMissing = 0
        for (t, part) in parts.enumerated() {
            if part.mode == .allMissing {
                codes.append([UInt32](repeating: Column.missingCode, count: part.rows))
                continue
            }
            let remap = localLabels[t].map { index[$0]! }
            var out = part.codes
            for r in out.indices where out[r] != Column.missingCode {
                out[r] = remap[Int(out[r])]
                nonMissing += 1
            }
            codes.append(out)
        }
        let isBoolean = !sorted.isEmpty && sorted.allSatisfy { BooleanTokens.value(of: $0.utf8) != nil }
        return CategoryMerger(dictionary: CategoryDictionary(sortedUniqueLabels: sorted), codes: codes,
                              nonMissingCount: nonMissing, isBoolean: isBoolean)
    }

    /// The codes re-expressed as 0 (false) / 1 (true), for a boolean column.
    func booleanCodes() -> [[UInt32]] {
        let truth = dictionary.labels.map { (BooleanTokens.value(of: $0.utf8) ?? false) ? UInt32(1) : UInt32(0) }
        return codes.map { table in table.map { $0 == Column.missingCode ? $0 : truth[Int($0)] } }
    }
}
