/// Subgroups ("cells") of the protected attributes: every attribute alone and, at order 2, every
/// pair, with each row of each table assigned to its cells and counted per table.
///
/// A categorical (or boolean) attribute's levels are its labels (from the dictionary shared by all
/// tables) plus `missing`; a numeric or datetime attribute needs `bands` (edges e₀ < … < e_k, from
/// `columns.<name>.bands`): levels `<e₀`, `[e₀, e₁)`, …, `[e_{k−1}, e_k]` (the last band closed, so
/// `[0, 18, 45, 65, 90]` keeps a 90-year-old in the top band), `>e_k` and `missing`. Numeric
/// attributes without bands are left out (listed in `unbandedColumns`). Missing is a level of its own.
///
/// Columnar: one level array per attribute and table, then one counting pass per cell family;
/// nothing is allocated per row. Cell keys are stable and built from column names and labels, e.g.
/// `race_ethnicity=Black` or `race_ethnicity=Black & sex=F` (columns in the given order).
public struct CellIndex: Sendable {
    /// One cell with its row count in each table.
    public struct Cell: Sendable, Equatable {
        /// Stable key, e.g. `race_ethnicity=Black & sex=F`.
        public let key: String
        /// The attributes it is defined on (1 or 2).
        public let columns: [String]
        /// The keys of the one-attribute cells it is the intersection of (itself for order 1).
        public let parts: [String]
        /// Rows of the training table in the cell.
        public let train: Int
        /// Rows of the holdout table in the cell (0 without a holdout).
        public let holdout: Int
        /// Rows of the synthetic table in the cell.
        public let synthetic: Int

        /// The count in `role`'s table.
        public func count(_ role: TableRole) -> Int {
            switch role { case .train: train; case .holdout: holdout; case .synthetic: synthetic }
        }
    }

    /// One attribute's levels.
    struct Attribute: Sendable {
        let name: String
        let labels: [String]
        /// Level of each row, per table (train, holdout, synthetic).
        let levels: [TableRole: [Int32]]
    }

    /// The attributes used, in the order given.
    public let columns: [String]
    /// Numeric or datetime attributes left out because they have no bands.
    public let unbandedColumns: [String]
    /// Every cell with at least one row in some table, order-1 cells first, then pairs; within a
    /// family in attribute order, then level order.
    public let cells: [Cell]
    /// The attributes with their per-row levels (for `counts(where:)`).
    let attributes: [Attribute]
    /// The order the cells were built to.
    let order: Int

    /// Builds the cells of `columns` (names must exist in `data.schema`) up to `order` (1 or 2).
    public init(data: LoadedDatasets, columns: [String], bands: [String: [Double]], order: Int) {
        var attributes: [Attribute] = []
        var unbanded: [String] = []
        for name in columns {
            guard let index = data.schema.index(of: name) else { continue }
            let type = data.schema.columns[index].type
            if type == .text { continue }
            if type.isNumericStorage {
                guard let edges = bands[name], edges.count >= 2 else { unbanded.append(name); continue }
                attributes.append(Self.banded(name: name, edges: edges, data: data, index: index))
            } else {
                attributes.append(Self.coded(name: name, data: data, index: index))
            }
        }
        self.columns = attributes.map(\.name)
        self.attributes = attributes
        self.order = order
        unbandedColumns = unbanded
        let roles: [TableRole] = [.train, .holdout, .synthetic]
        var cells: [Cell] = []
        for a in attributes {
            var counts: [TableRole: [Int]] = [:]
            for role in roles {
                var c = [Int](repeating: 0, count: a.labels.count)
                if let levels = a.levels[role] { for l in levels { c[Int(l)] += 1 } }
                counts[role] = c
            }
            for l in a.labels.indices {
                let t = counts[.train]![l], h = counts[.holdout]![l], s = counts[.synthetic]![l]
                guard t + h + s > 0 else { continue }
                let key = "\(a.name)=\(a.labels[l])"
                cells.append(Cell(key: key, columns: [a.name], parts: [key], train: t, holdout: h, synthetic: s))
            }
        }
        if order >= 2, attributes.count >= 2 {
            for i in 0..<(attributes.count - 1) {
                for j in (i + 1)..<attributes.count {
                    let a = attributes[i], b = attributes[j]
                    let width = b.labels.count
                    var counts: [TableRole: [Int]] = [:]
                    for role in roles {
                        var c = [Int](repeating: 0, count: a.labels.count * width)
                        if let la = a.levels[role], let lb = b.levels[role] {
                            for row in la.indices { c[Int(la[row]) * width + Int(lb[row])] += 1 }
                        }
                        counts[role] = c
                    }
                    for x in a.labels.indices {
                        for y in b.labels.indices {
                            let k = x * width + y
                            let t = counts[.train]![k], h = counts[.holdout]![k], s = counts[.synthetic]![k]
                            guard t + h + s > 0 else { continue }
                            let left = "\(a.name)=\(a.labels[x])", right = "\(b.name)=\(b.labels[y])"
                            cells.append(Cell(key: "\(left) & \(right)", columns: [a.name, b.name], parts: [left, right],
                                              train: t, holdout: h, synthetic: s))
                        }
                    }
                }
            }
        }
        self.cells = cells
    }

    /// For every cell (by key), the number of rows of each table that are in the cell and have
    /// `flags[role][row] == true` (e.g. an outcome's positives). Tables without flags count 0;
    /// a flags array shorter than its table counts the missing rows as false. Same cells and
    /// keys as `cells`; cells with no flagged row are absent from the result (read as 0).
    public func counts(where flags: [TableRole: [Bool]]) -> [String: (train: Int, holdout: Int, synthetic: Int)] {
        var result: [String: (train: Int, holdout: Int, synthetic: Int)] = [:]
        func add(_ key: String, _ role: TableRole, _ n: Int) {
            guard n > 0 else { return }
            var v = result[key] ?? (0, 0, 0)
            switch role { case .train: v.train += n; case .holdout: v.holdout += n; case .synthetic: v.synthetic += n }
            result[key] = v
        }
        for a in attributes {
            for (role, levels) in a.levels {
                guard let f = flags[role] else { continue }
                var c = [Int](repeating: 0, count: a.labels.count)
                for row in levels.indices where row < f.count && f[row] { c[Int(levels[row])] += 1 }
                for l in c.indices { add("\(a.name)=\(a.labels[l])", role, c[l]) }
            }
        }
        if order >= 2, attributes.count >= 2 {
            for i in 0..<(attributes.count - 1) {
                for j in (i + 1)..<attributes.count {
                    let a = attributes[i], b = attributes[j], width = b.labels.count
                    for (role, la) in a.levels {
                        guard let f = flags[role], let lb = b.levels[role] else { continue }
                        var c = [Int](repeating: 0, count: a.labels.count * width)
                        for row in la.indices where row < f.count && f[row] { c[Int(la[row]) * width + Int(lb[row])] += 1 }
                        for x in a.labels.indices {
                            for y in b.labels.indices {
                                add("\(a.name)=\(a.labels[x]) & \(b.name)=\(b.labels[y])", role, c[x * width + y])
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    /// Keys of the one-attribute cells whose exact real count would, with the counts of their
    /// sub-cells, reveal a count of 1 to 10: for some other attribute, exactly one of the cell's
    /// pair sub-cells has 1 to 10 training patients (a margin minus its other, printed parts gives
    /// the small one; complementary suppression needs two suppressed cells). Empty at order 1.
    public var marginsRevealingSmallCells: Set<String> {
        var small: [String: Int] = [:]
        for c in cells where c.parts.count == 2 && (1...SmallCellGuard.threshold).contains(c.train) {
            small["\(c.parts[0])\u{0}\(c.columns[1])", default: 0] += 1
            small["\(c.parts[1])\u{0}\(c.columns[0])", default: 0] += 1
        }
        return Set(small.filter { $0.value == 1 }.map { String($0.key.split(separator: "\u{0}", maxSplits: 1)[0]) })
    }

    /// The label `missing` level.
    public static let missingLabel = "missing"

    /// Band labels for `edges`: `<e₀`, `[e₀, e₁)`, …, `[e_{k−1}, e_k]`, `>e_k`.
    public static func bandLabels(_ edges: [Double]) -> [String] {
        let f = ParameterValue.format
        var labels = ["<\(f(edges[0]))"]
        for i in 0..<(edges.count - 1) {
            let close = i == edges.count - 2 ? "]" : ")"
            labels.append("[\(f(edges[i])), \(f(edges[i + 1]))\(close)")
        }
        labels.append(">\(f(edges[edges.count - 1]))")
        return labels
    }

    /// The band level of `value` for `edges` (index into `bandLabels(edges)`).
    public static func band(of value: Double, edges: [Double]) -> Int {
        let k = edges.count
        if value < edges[0] { return 0 }
        if value > edges[k - 1] { return k }
        if value == edges[k - 1] { return k - 1 }
        // Binary search: the last edge ≤ value.
        var low = 0, high = k - 1
        while high - low > 1 {
            let mid = (low + high) / 2
            if edges[mid] <= value { low = mid } else { high = mid }
        }
        return low + 1
    }

    private static func banded(name: String, edges: [Double], data: LoadedDatasets, index: Int) -> Attribute {
        let labels = bandLabels(edges) + [missingLabel]
        let missingLevel = Int32(labels.count - 1)
        var levels: [TableRole: [Int32]] = [:]
        for table in data.tables {
            guard case .numeric(let values, let missing) = table.columns[index].storage else { continue }
            var out = [Int32](repeating: missingLevel, count: values.count)
            for row in values.indices where !missing.isMissing(row) && !values[row].isNaN {
                out[row] = Int32(band(of: values[row], edges: edges))
            }
            levels[table.role] = out
        }
        return Attribute(name: name, labels: labels, levels: levels)
    }

    private static func coded(name: String, data: LoadedDatasets, index: Int) -> Attribute {
        var labels: [String] = []
        var levels: [TableRole: [Int32]] = [:]
        for table in data.tables {
            guard case .coded(let codes, let dictionary) = table.columns[index].storage else { continue }
            if labels.isEmpty { labels = dictionary.labels + [missingLabel] }
            let missingLevel = Int32(dictionary.count)
            var out = [Int32](repeating: missingLevel, count: codes.count)
            for row in codes.indices where codes[row] != Column.missingCode { out[row] = Int32(codes[row]) }
            levels[table.role] = out
        }
        if labels.isEmpty { labels = [missingLabel] }
        return Attribute(name: name, labels: labels, levels: levels)
    }
}

/// The small-cell rule for counts of real patients: a count from 1 to 10 is never printed
/// (CMS cell-size suppression policy: no cell of 1 to 10 beneficiaries may be displayed; ResDAC,
/// "CMS Cell Size Suppression Policy"). Messages that print such counts use the plural, so the
/// wording does not reveal a count of 1.
public enum SmallCellGuard {
    /// Largest count that is suppressed.
    public static let threshold = 10

    /// `count` as a message may print it: "<11" for 1...10, else the number.
    public static func format(_ count: Int) -> String {
        isSmall(count) ? "<\(threshold + 1)" : String(count)
    }

    /// Whether `count` (1...10) must not be printed, nor any figure it could be derived from.
    public static func isSmall(_ count: Int) -> Bool { (1...threshold).contains(count) }
}
