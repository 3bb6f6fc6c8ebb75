import Foundation

/// The rows of each table partitioned by the finest intersection of the protected attributes of a
/// `CellIndex` (one *stratum* per observed combination of levels, `missing` and bands included),
/// with the outcome task of every row. Every cell of the index is a union of strata, so counts per
/// stratum add up to counts per cell, and resampling rows within strata (`StratifiedBootstrap`)
/// keeps every cell's size fixed.
struct ProtectedStrata: Sendable {
    /// Level of each attribute (index into the attribute's labels), per stratum.
    let levels: [[Int32]]
    /// Labels `column=label` of each stratum's levels, per stratum.
    let parts: [[String]]
    /// Task codes of the rows in each stratum, per table (train and synthetic).
    let rows: [TableRole: [[Int32]]]
    /// Number of tasks.
    let taskCount: Int

    /// Strata of `index`'s attributes over the train and synthetic tables.
    init(index: CellIndex, tasks: OutcomeTasks) {
        var position: [[Int32]: Int] = [:]
        var levels: [[Int32]] = []
        var rows: [TableRole: [[Int32]]] = [.train: [], .synthetic: []]
        for role in [TableRole.train, .synthetic] {
            guard let taskCodes = tasks.codes[role] else { continue }
            let columns = index.attributes.map { $0.levels[role] ?? [] }
            var key = [Int32](repeating: 0, count: columns.count)
            for row in taskCodes.indices {
                for a in columns.indices { key[a] = row < columns[a].count ? columns[a][row] : 0 }
                let s: Int
                if let p = position[key] { s = p } else {
                    s = levels.count
                    position[key] = s
                    levels.append(key)
                    rows[.train]!.append([]); rows[.synthetic]!.append([])
                }
                rows[role]![s].append(taskCodes[row])
            }
        }
        // Canonical order (strata by level tuple, rows by task code), so a resample depends on the
        // data, not on the order of its rows.
        let order = levels.indices.sorted { levels[$0].lexicographicallyPrecedes(levels[$1]) }
        let sortedLevels = order.map { levels[$0] }
        self.levels = sortedLevels
        self.rows = rows.mapValues { byStratum in order.map { byStratum[$0].sorted() } }
        self.parts = sortedLevels.map { key in key.indices.map { "\(index.attributes[$0].name)=\(index.attributes[$0].labels[Int(key[$0])])" } }
        taskCount = tasks.labels.count
    }

    /// Keys of the `CellIndex` cells (order 1, and pairs at order 2) that contain stratum `s`.
    func cellKeys(of s: Int, order: Int) -> [String] {
        let p = parts[s]
        var keys = p
        if order >= 2, p.count >= 2 {
            for i in 0..<(p.count - 1) { for j in (i + 1)..<p.count { keys.append("\(p[i]) & \(p[j])") } }
        }
        return keys
    }

    /// Rows with each task, per stratum, in `role`'s table (no resampling).
    func taskCounts(_ role: TableRole) -> [[Int]] {
        (rows[role] ?? []).map { codes in
            var c = [Int](repeating: 0, count: taskCount)
            for code in codes where code >= 0 { c[Int(code)] += 1 }
            return c
        }
    }
}

/// A seeded stratified bootstrap of task counts: within each stratum of one table, as many rows as
/// the stratum holds are drawn with replacement (Efron & Tibshirani 1993, "An Introduction to the
/// Bootstrap", §6 and §8.3 on stratified and two-sample resampling), and the drawn rows' tasks
/// counted. Stratum sizes, hence cell sizes, stay fixed; only the outcome varies. Each table is
/// resampled on its own (two independent samples).
struct StratifiedBootstrap {
    /// The generator (seeded from the scan seed).
    var random: SeededRandom

    /// One replicate of the task counts of each stratum, for the rows (task codes) of each stratum.
    mutating func resample(_ strata: [[Int32]], taskCount: Int) -> [[Int]] {
        strata.map { codes in
            var c = [Int](repeating: 0, count: taskCount)
            let n = UInt64(codes.count)
            guard n > 0 else { return c }
            for _ in 0..<codes.count {
                // Lemire's multiply-shift: a uniform index in 0..<n (bias below n / 2⁶⁴).
                let code = codes[Int(random.next().multipliedFullWidth(by: n).high)]
                if code >= 0 { c[Int(code)] += 1 }
            }
            return c
        }
    }

    /// One draw of Binomial(`trials`, `probability`), as the count of uniforms below the probability
    /// (exact, O(trials): strata are resampled row by row anyway).
    mutating func binomial(trials: Int, probability: Double) -> Int {
        var k = 0
        for _ in 0..<trials where random.unitInterval() < probability { k += 1 }
        return k
    }

    /// The percentile interval at `confidence` of `values` (Efron's percentile method, with the
    /// linear-interpolation quantile of `Statistics.quantile`); NaN values are left out.
    static func percentileInterval(_ values: [Double], confidence: Double) -> (low: Double, high: Double) {
        let sorted = values.filter { !$0.isNaN }.sorted()
        let tail = (1 - confidence) / 2
        return (Statistics.quantile(sorted: sorted, tail), Statistics.quantile(sorted: sorted, 1 - tail))
    }

    /// Standard deviation (n − 1 denominator) of the non-NaN `values`; NaN for fewer than two.
    static func standardError(_ values: [Double]) -> Double {
        let v = values.filter { !$0.isNaN }
        guard v.count > 1 else { return .nan }
        let mean = v.reduce(0, +) / Double(v.count)
        return (v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count - 1)).squareRoot()
    }
}
