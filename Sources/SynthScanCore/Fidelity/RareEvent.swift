import Foundation

/// One event whose prevalence the release must keep: a declared `column=value`, a rare category
/// of a categorical column (real share below `rare_share`), or the pooled rare categories of one
/// column (single rare categories usually have too few real patients to be judged alone).
///
/// Its overall counts are known up front; the per-row flags (needed only for per-subgroup counts)
/// are built on demand, so a column with thousands of rare codes costs one counting pass, not
/// one flag array per code.
struct RareEvent {
    /// How the event was found.
    enum Origin: String { case declared, rare, pooled }

    /// Which rows have the event.
    enum Rows {
        /// Precomputed flags per table (declared events).
        case flags([TableRole: [Bool]])
        /// The present codes of coded column `column` (schema index) whose `codes[code]` is true.
        case codes(column: Int, codes: [Bool])
    }

    /// Stable key, e.g. `primary_dx=A41.51` or `primary_dx=(rare categories)`.
    let key: String
    /// The column it is defined on.
    let column: String
    /// Origin.
    let origin: Origin
    /// For pooled events: the member categories' keys, in dictionary order.
    var members: [String] = []
    /// For pooled events: each member's training and synthetic occurrences.
    var memberCounts: [String: (train: Int, synthetic: Int)] = [:]
    /// Training and synthetic rows with the event.
    let trainCount: Int, syntheticCount: Int
    /// Which rows have the event.
    let rows: Rows

    /// Rows of `role`'s table with the event (train or synthetic).
    func count(_ role: TableRole) -> Int { role == .train ? trainCount : syntheticCount }

    /// Per table, whether each row has the event (missing never does).
    func flags(_ data: LoadedDatasets) -> [TableRole: [Bool]] {
        switch rows {
        case .flags(let flags): return flags
        case .codes(let column, let wanted):
            var out: [TableRole: [Bool]] = [:]
            for table in data.tables {
                guard case .coded(let codes, _) = table.columns[column].storage else { continue }
                out[table.role] = codes.map { $0 != Column.missingCode && Int($0) < wanted.count && wanted[Int($0)] }
            }
            return out
        }
    }
}

/// Finds the events a rule judges: the declared ones and the rare categories of its columns.
enum RareEventCatalog {
    /// The declared `column=value` entries (values matched as an outcome's positive value is:
    /// label, number or boolean token), then for every coded column in `columns` each category with
    /// 0 < real count < `rareShare` · real rows, and the pool of those categories when there are
    /// at least two of them.
    static func events(declared: [String], columns: [String], rareShare: Double, data: LoadedDatasets,
                       rule: String) throws -> [RareEvent] {
        var events: [RareEvent] = []
        var seen = Set<String>()
        for entry in declared {
            let parts = entry.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let c = data.schema.index(of: parts[0]) else { throw CheckError.unknownColumn(rule: rule, column: entry) }
            let key = "\(parts[0])=\(parts[1])"
            guard seen.insert(key).inserted else { continue }
            let flags = OutcomeDisparityAmplificationCheck.positiveFlags(data: data, column: c, positive: parts[1])
            let count = { (role: TableRole) in flags[role]?.reduce(0) { $0 + ($1 ? 1 : 0) } ?? 0 }
            events.append(RareEvent(key: key, column: parts[0], origin: .declared,
                                    trainCount: count(.train), syntheticCount: count(.synthetic), rows: .flags(flags)))
        }
        let nT = data.train.rowCount
        for name in columns {
            guard let c = data.schema.index(of: name), nT > 0,
                  case .coded(_, let dictionary) = data.train.columns[c].storage else { continue }
            let trainCounts = codeCounts(data.train.columns[c], size: dictionary.count)
            let syntheticCounts = codeCounts(data.synthetic.columns[c], size: dictionary.count)
            let rare = trainCounts.indices.filter { trainCounts[$0] > 0 && Double(trainCounts[$0]) < rareShare * Double(nT) }
            guard !rare.isEmpty else { continue }
            var isRare = [Bool](repeating: false, count: dictionary.count)
            var members: [String] = []
            var memberCounts: [String: (train: Int, synthetic: Int)] = [:]
            for code in rare {
                isRare[code] = true
                let key = "\(name)=\(dictionary.labels[code])"
                members.append(key)
                memberCounts[key] = (trainCounts[code], syntheticCounts[code])
                guard seen.insert(key).inserted else { continue }
                var wanted = [Bool](repeating: false, count: dictionary.count)
                wanted[code] = true
                events.append(RareEvent(key: key, column: name, origin: .rare, trainCount: trainCounts[code],
                                        syntheticCount: syntheticCounts[code], rows: .codes(column: c, codes: wanted)))
            }
            if rare.count >= 2 {
                events.append(RareEvent(key: "\(name)=(rare categories)", column: name, origin: .pooled, members: members,
                                        memberCounts: memberCounts,
                                        trainCount: rare.reduce(0) { $0 + trainCounts[$1] },
                                        syntheticCount: rare.reduce(0) { $0 + syntheticCounts[$1] },
                                        rows: .codes(column: c, codes: isRare)))
            }
        }
        return events
    }

    /// Occurrences of each code of a coded column (missing left out).
    private static func codeCounts(_ column: Column, size: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: size)
        if case .coded(let codes, _) = column.storage {
            for code in codes where code != Column.missingCode && Int(code) < size { counts[Int(code)] += 1 }
        }
        return counts
    }
}
