/// Builds one sorted dictionary for a coded column from every table's interned values, and
/// re-codes each table against it.
///
/// Works on bytes: each table's distinct values are canonicalised (numbers normalised unless
/// the type was forced, optional case folding) and interned into one shared interner, whose
/// entries are then sorted by UTF-8 bytes. A number is normalised only when its canonical text
/// spells exactly the same decimal value (`1.0` and `1` agree), never when Float64 would lose
/// digits: `12345678901234567` and `12345678901234568` stay two labels. Cost is per distinct
/// value, plus one pass over the codes.
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
        var global = ByteInterner()
        var localToGlobal: [[UInt32]] = []
        for part in parts {
            var map = [UInt32](repeating: 0, count: part.interner.count)
            for id in 0..<part.interner.count {
                map[id] = part.interner.withBytes(of: id) { bytes in
                    if canonicalizeNumbers, let text = NumberParser.exactCanonicalText(bytes) {
                        return intern(text, caseFold: false, into: &global)
                    }
                    if caseFold, bytes.contains(where: { $0 >= 0x41 }) {
                        return intern(String(decoding: bytes, as: UTF8.self), caseFold: true, into: &global)
                    }
                    return global.intern(bytes, line: 0).id
                }
            }
            localToGlobal.append(map)
        }
        let order = (0..<global.count).sorted { global.precedes($0, $1) }
        var rank = [UInt32](repeating: 0, count: global.count)
        for (position, id) in order.enumerated() { rank[id] = UInt32(position) }
        let labels = order.map { global.string(of: $0) }

        var codes: [[UInt32]] = []
        var nonMissing = 0
        for (t, part) in parts.enumerated() {
            if part.mode == .allMissing {
                codes.append([UInt32](repeating: Column.missingCode, count: part.rows))
                continue
            }
            let remap = localToGlobal[t].map { rank[Int($0)] }
            var out = part.codes
            out.withUnsafeMutableBufferPointer { buffer in
                for r in buffer.indices where buffer[r] != Column.missingCode {
                    buffer[r] = remap[Int(buffer[r])]
                    nonMissing += 1
                }
            }
            codes.append(out)
        }
        let isBoolean = !labels.isEmpty && labels.allSatisfy { BooleanTokens.value(of: $0.utf8) != nil }
        return CategoryMerger(dictionary: CategoryDictionary(sortedUniqueLabels: labels), codes: codes,
                              nonMissingCount: nonMissing, isBoolean: isBoolean)
    }

    private static func intern(_ text: String, caseFold: Bool, into interner: inout ByteInterner) -> UInt32 {
        var bytes = Array((caseFold ? text.lowercased() : text).utf8)
        return bytes.withUnsafeMutableBufferPointer { interner.intern(UnsafeBufferPointer($0), line: 0).id }
    }

    /// The codes re-expressed as 0 (false) / 1 (true), for a boolean column.
    func booleanCodes() -> [[UInt32]] {
        let truth = dictionary.labels.map { (BooleanTokens.value(of: $0.utf8) ?? false) ? UInt32(1) : UInt32(0) }
        return codes.map { table in table.map { $0 == Column.missingCode ? $0 : truth[Int($0)] } }
    }
}
