import Foundation

/// One event whose prevalence the release must keep: a declared `column=value`, a rare category
/// of a categorical column (real share below `rare_share`), or the pooled rare categories of one
/// column (single rare categories usually have too few real patients to be judged alone).
struct RareEvent {
    /// How the event was found.
    enum Origin: String { case declared, rare, pooled }

    /// Stable key, e.g. `primary_dx=A41.51` or `primary_dx=(rare categories)`.
    let key: String
    /// The column it is defined on.
    let column: String
    /// Origin.
    let origin: Origin
    /// For pooled events: the member categories' keys, in dictionary order.
    let members: [String]
    /// For pooled events: each member's training and synthetic occurrences.
    var memberCounts: [String: (train: Int, synthetic: Int)] = [:]
    /// Per table, whether each row has the event (missing never does).
    let flags: [TableRole: [Bool]]

    /// Rows of `role`'s table with the event.
    func count(_ role: TableRole) -> Int { flags[role]?.reduce(0) { $0 + ($1 ? 1 : 0) } ?? 0 }
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
            events.append(RareEvent(key: key, column: parts[0], origin: .declared, members: [],
                                    flags: OutcomeDisparityAmplificationCheck.positiveFlags(data: data, column: c, positive: parts[1])))
        }
        let nT = data.train.rowCount
        for name in columns {
            guard let c = data.schema.index(of: name),
                  case .coded(let trainCodes, let dictionary) = data.train.columns[c].storage, nT > 0 else { continue }
            var counts = [Int](repeating: 0, count: dictionary.count)
            for code in trainCodes where code != Column.missingCode && Int(code) < counts.count { counts[Int(code)] += 1 }
            let rare = counts.indices.filter { counts[$0] > 0 && Double(counts[$0]) < rareShare * Double(nT) }
            guard !rare.isEmpty else { continue }
            var isRare = [Bool](repeating: false, count: dictionary.count)
            for code in rare { isRare[code] = true }
            var syntheticCounts = [Int](repeating: 0, count: dictionary.count)
            if case .coded(let codes, _) = data.synthetic.columns[c].storage {
                for code in codes where code != Column.missingCode && Int(code) < syntheticCounts.count { syntheticCounts[Int(code)] += 1 }
            }
            var memberKeys: [String] = []
            var memberCounts: [String: (train: Int, synthetic: Int)] = [:]
            for code in rare {
                let key = "\(name)=\(dictionary.labels[code])"
                memberKeys.append(key)
                memberCounts[key] = (counts[code], syntheticCounts[code])
                guard seen.insert(key).inserted else { continue }
                events.append(RareEvent(key: key, column: name, origin: .rare, members: [],
                                        flags: flags(data, column: c) { $0 == UInt32(code) }))
            }
            if rare.count >= 2 {
                events.append(RareEvent(key: "\(name)=(rare categories)", column: name, origin: .pooled, members: memberKeys,
                                        memberCounts: memberCounts,
                                        flags: flags(data, column: c) { Int($0) < isRare.count && isRare[Int($0)] }))
            }
        }
        return events
    }

    /// Per table, the rows of coded column `column` whose (present) code satisfies `test`.
    private static func flags(_ data: LoadedDatasets, column: Int, _ test: (UInt32) -> Bool) -> [TableRole: [Bool]] {
        var out: [TableRole: [Bool]] = [:]
        for table in data.tables {
            guard case .coded(let codes, _) = table.columns[column].storage else { continue }
            out[table.role] = codes.map { $0 != Column.missingCode && test($0) }
        }
        return out
    }
}
