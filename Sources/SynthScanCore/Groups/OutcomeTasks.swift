import Foundation

/// The outcome values a bias check treats as *tasks* (in the sense of Wang & Russakovsky 2021: the
/// labels whose association with a protected attribute is measured), and the task of every row.
///
/// With `allLevels` every value of the outcome column seen in the training table is a task (a
/// categorical outcome one-hot encoded); otherwise the only task is the declared positive value
/// (`roles.outcome.positive`, matched as `OutcomeDisparityAmplificationCheck.positiveFlags` matches it).
/// A row whose outcome is missing, or is not a task, has no task (code −1).
struct OutcomeTasks: Sendable {
    /// Task labels, e.g. `1` or `home`.
    let labels: [String]
    /// Task code (index into `labels`, −1 for none) of each row, per table.
    let codes: [TableRole: [Int32]]

    /// The tasks of outcome column `column`.
    init(data: LoadedDatasets, column: Int, positive: String, allLevels: Bool) {
        guard allLevels else {
            labels = [positive]
            codes = OutcomeDisparityAmplificationCheck.positiveFlags(data: data, column: column, positive: positive)
                .mapValues { $0.map { $0 ? Int32(0) : Int32(-1) } }
            return
        }
        var raw: [TableRole: [Int32]] = [:]
        var rawLabels: [String] = []
        switch data.train.columns[column].storage {
        case .coded(_, let dictionary):
            rawLabels = dictionary.labels
            for table in data.tables {
                guard case .coded(let c, _) = table.columns[column].storage else { continue }
                raw[table.role] = c.map { $0 == Column.missingCode ? -1 : Int32($0) }
            }
        case .numeric:
            var values = Set<Double>()
            if case .numeric(let v, let missing) = data.train.columns[column].storage {
                for row in v.indices where !missing.isMissing(row) && !v[row].isNaN { values.insert(v[row]) }
            }
            let sorted = values.sorted()
            var position: [Double: Int32] = [:]
            for (i, v) in sorted.enumerated() { position[v] = Int32(i) }
            rawLabels = sorted.map(ParameterValue.format)
            for table in data.tables {
                guard case .numeric(let v, let missing) = table.columns[column].storage else { continue }
                raw[table.role] = v.indices.map { missing.isMissing($0) ? -1 : (position[v[$0]] ?? -1) }
            }
        }
        // Keep the levels seen in the training table, in label order.
        var seen = [Bool](repeating: false, count: rawLabels.count)
        for c in raw[.train] ?? [] where c >= 0 { seen[Int(c)] = true }
        var remap = [Int32](repeating: -1, count: rawLabels.count)
        var kept: [String] = []
        for i in rawLabels.indices where seen[i] { remap[i] = Int32(kept.count); kept.append(rawLabels[i]) }
        labels = kept
        codes = raw.mapValues { $0.map { $0 < 0 ? -1 : remap[Int($0)] } }
    }
}
