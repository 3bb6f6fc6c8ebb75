/// The random table of SDMetrics' DCRBaselineProtection (`_generate_random_data`, sdmetrics 0.32):
/// rows drawn column by column, independently, from the training data's support. Numeric and
/// datetime values are uniform in [min, max] (whole numbers when the column holds only whole
/// numbers), categories uniform over the distinct observed values, missing at the column's
/// missing rate. Seeded, so the same seed and stream give the same table on every machine.
enum RandomBaselineTable {
    /// `rows` random rows shaped like `train`, drawn from `SeededRandom(seed: seed, stream: stream)`.
    static func make(like train: Table, rows: Int, seed: UInt64, stream: UInt64) -> Table {
        var rng = SeededRandom(seed: seed, stream: stream)
        var columns: [Column] = []
        for column in train.columns {
            switch column.storage {
            case .numeric(let values, let mask):
                var present: [Double] = []
                present.reserveCapacity(values.count)
                for i in values.indices where !mask.isMissing(i) { present.append(values[i]) }
                let missingRate = values.isEmpty ? 0 : Double(mask.missingCount) / Double(values.count)
                let lo = present.min() ?? 0, hi = present.max() ?? 0
                let whole = present.allSatisfy { $0 == $0.rounded() }
                var out = [Double](repeating: 0, count: rows)
                var outMask = MissingMask(count: rows)
                for i in 0..<rows {
                    if present.isEmpty || rng.unitInterval() < missingRate { outMask.markMissing(i); continue }
                    let u = rng.unitInterval()
                    out[i] = whole ? Swift.min(hi, (lo + (u * (hi - lo + 1)).rounded(.down))) : lo + u * (hi - lo)
                }
                columns.append(Column(name: column.name, type: column.type, storage: .numeric(values: out, missing: outMask)))
            case .coded(let codes, let dictionary):
                var seen = Set<UInt32>()
                var present: [UInt32] = []
                var missing = 0
                for c in codes { if c == Column.missingCode { missing += 1 } else if seen.insert(c).inserted { present.append(c) } }
                present.sort()
                let missingRate = codes.isEmpty ? 0 : Double(missing) / Double(codes.count)
                var out = [UInt32](repeating: Column.missingCode, count: rows)
                for i in 0..<rows where !present.isEmpty && rng.unitInterval() >= missingRate {
                    out[i] = present[Swift.min(present.count - 1, Int(rng.unitInterval() * Double(present.count)))]
                }
                columns.append(Column(name: column.name, type: column.type, storage: .coded(codes: out, dictionary: dictionary)))
            }
        }
        return Table(role: .synthetic, source: train.source, columns: columns, rowCount: rows,
                     recordLines: Array(repeating: 0, count: rows))
    }
}
