/// One table's attack columns as singling-out predicates read them: duplicate records removed
/// (anonymeter 1.1.0 deduplicates ori, syn and control with `unique()` before any query), values
/// copied into contiguous arrays (NaN = missing for numbers, `Column.missingCode` for codes).
struct QueryTable {
    /// The values of one column.
    enum Values {
        /// Numbers and datetimes (seconds); NaN = missing.
        case numeric([Double])
        /// Dictionary codes (categorical, boolean); `Column.missingCode` = missing.
        case coded([UInt32])
    }

    /// One entry per attack column, in the order given.
    let columns: [Values]
    /// Number of distinct records.
    let count: Int

    /// The distinct records of `table` over `names` (first occurrence kept, as polars `unique(maintain_order=True)`).
    init(table: Table, names: [String], digests: [RecordDigest]) {
        var seen = Set<RecordDigest>()
        var rows: [Int] = []
        rows.reserveCapacity(table.rowCount)
        for (row, d) in digests.enumerated() where seen.insert(d).inserted { rows.append(row) }
        columns = names.map { name in
            switch table.column(named: name)!.storage {
            case .numeric(let values, let missing):
                return .numeric(rows.map { missing.isMissing($0) ? .nan : values[$0] })
            case .coded(let codes, _):
                return .coded(rows.map { codes[$0] })
            }
        }
        count = rows.count
    }

    /// How many records `query` matches, counting no further than `limit`.
    func count(_ query: SinglingOutQuery, limit: Int = .max) -> Int {
        var n = 0
        for row in 0..<count where matches(query, row) {
            n += 1
            if n >= limit { return n }
        }
        return n
    }

    /// Whether record `row` satisfies every predicate of `query`.
    @inline(__always)
    func matches(_ query: SinglingOutQuery, _ row: Int) -> Bool {
        for p in query.predicates where !holds(p, row) { return false }
        return true
    }

    /// Polars semantics: a comparison with a missing value is null, which neither counts nor
    /// satisfies a conjunction; only `isMissing` / `isPresent` look at missingness.
    @inline(__always)
    func holds(_ p: SinglingOutQuery.Predicate, _ row: Int) -> Bool {
        switch columns[p.column] {
        case .numeric(let values):
            let v = values[row]
            switch p.op {
            case .isMissing: return v.isNaN
            case .isPresent: return !v.isNaN
            case .equal: return v == p.value
            case .notEqual: return !v.isNaN && v != p.value
            case .less: return v < p.value
            case .greater: return v > p.value
            case .lessOrEqual: return v <= p.value
            case .greaterOrEqual: return v >= p.value
            }
        case .coded(let codes):
            let c = codes[row]
            switch p.op {
            case .isMissing: return c == Column.missingCode
            case .isPresent: return c != Column.missingCode
            case .equal: return c != Column.missingCode && Double(c) == p.value
            case .notEqual: return c != Column.missingCode && Double(c) != p.value
            case .less, .greater, .lessOrEqual, .greaterOrEqual: return false
            }
        }
    }

    /// Whether column `index` holds numbers (ordered comparisons make sense).
    func isNumeric(_ index: Int) -> Bool {
        if case .numeric = columns[index] { return true }
        return false
    }
}

/// A conjunction of predicates on attack columns: anonymeter's singling-out query
/// (`_query_from_record`, `_random_query` in `evaluators/singling_out_evaluator.py`), held as
/// data so it can be counted fast and never printed with its values.
struct SinglingOutQuery: Hashable {
    /// Comparison of one column with one value.
    enum Op: UInt8, Hashable, CaseIterable {
        case isMissing, isPresent, equal, notEqual, less, greater, lessOrEqual, greaterOrEqual
    }

    /// One condition; `value` is the number, or the dictionary code for coded columns.
    struct Predicate: Hashable {
        var column: Int
        var op: Op
        var value: Double
    }

    /// Conditions, sorted by column (anonymeter sorts the columns so equal queries compare equal).
    var predicates: [Predicate]
}

/// Builds singling-out queries from the synthetic table as anonymeter 1.1.0 does, with our seeded
/// generator (`evaluators/singling_out_evaluator.py`).
struct SinglingOutQueryBuilder {
    let synthetic: QueryTable
    var rng: SeededRandom

    /// `univariate_singling_out_queries`: for every column, `isMissing` when exactly one value is
    /// missing, `≤ min` and `≥ max` of numeric columns, `== v` for each value that occurs once;
    /// shuffled; the first `limit` distinct ones that match exactly one synthetic record are kept.
    mutating func univariate(limit: Int) -> [SinglingOutQuery] {
        var candidates: [SinglingOutQuery] = []
        for c in 0..<synthetic.columns.count {
            switch synthetic.columns[c] {
            case .numeric(let values):
                var missing = 0, lo = Double.infinity, hi = -Double.infinity
                var counts: [Double: Int] = [:]
                for v in values {
                    if v.isNaN { missing += 1; continue }
                    lo = Swift.min(lo, v); hi = Swift.max(hi, v)
                    counts[v, default: 0] += 1
                }
                if missing == 1 { candidates.append(Self.single(c, .isMissing, 0)) }
                if lo <= hi {
                    candidates.append(Self.single(c, .lessOrEqual, lo))
                    candidates.append(Self.single(c, .greaterOrEqual, hi))
                }
                for (v, n) in counts.sorted(by: { $0.key < $1.key }) where n == 1 { candidates.append(Self.single(c, .equal, v)) }
            case .coded(let codes):
                var counts: [UInt32: Int] = [:]
                for code in codes { counts[code, default: 0] += 1 }
                if counts[Column.missingCode] == 1 { candidates.append(Self.single(c, .isMissing, 0)) }
                for (code, n) in counts.sorted(by: { $0.key < $1.key }) where n == 1 && code != Column.missingCode {
                    candidates.append(Self.single(c, .equal, Double(code)))
                }
            }
        }
        Self.shuffle(&candidates, rng: &rng)
        var kept: [SinglingOutQuery] = []
        var seen = Set<SinglingOutQuery>()
        for q in candidates where kept.count < limit && synthetic.count(q, limit: 2) == 1 && seen.insert(q).inserted {
            kept.append(q)
        }
        return kept
    }

    /// `multivariate_singling_out_queries`: a random synthetic record and `columns` random columns;
    /// missing → `isMissing`, labels → `==`, numbers → `≥ v` when v > the column median, else `≤ v`
    /// (the more extreme side). Kept when it matches exactly one synthetic record and is new; stops
    /// at `limit` queries or `maxAttempts` attempts.
    mutating func multivariate(limit: Int, columns nCols: Int, maxAttempts: Int) -> (queries: [SinglingOutQuery], attempts: Int) {
        let medians = (0..<synthetic.columns.count).map { c -> Double in
            guard case .numeric(let values) = synthetic.columns[c] else { return .nan }
            return Self.median(values)
        }
        var kept: [SinglingOutQuery] = []
        var seen = Set<SinglingOutQuery>()
        var attempts = 0
        guard synthetic.count > 0 else { return ([], 0) }
        var order = Array(0..<synthetic.columns.count)
        while kept.count < limit && attempts < maxAttempts {
            attempts += 1
            let row = Int(rng.next() % UInt64(synthetic.count))
            let cols = Self.choose(nCols, from: &order, rng: &rng).sorted()
            var predicates: [SinglingOutQuery.Predicate] = []
            predicates.reserveCapacity(cols.count)
            for c in cols {
                switch synthetic.columns[c] {
                case .numeric(let values):
                    let v = values[row]
                    if v.isNaN { predicates.append(.init(column: c, op: .isMissing, value: 0)) }
                    else { predicates.append(.init(column: c, op: v > medians[c] ? .greaterOrEqual : .lessOrEqual, value: v)) }
                case .coded(let codes):
                    let code = codes[row]
                    predicates.append(code == Column.missingCode ? .init(column: c, op: .isMissing, value: 0)
                                                                 : .init(column: c, op: .equal, value: Double(code)))
                }
            }
            let q = SinglingOutQuery(predicates: predicates)
            if seen.contains(q) { continue }
            if synthetic.count(q, limit: 2) == 1 {
                seen.insert(q)
                kept.append(q)
            }
        }
        return (kept, attempts)
    }

    /// `_random_queries` (the baseline): `columns` random columns, each with a value drawn from the
    /// column's distinct synthetic values (missing included) and a random operator (`==`, `!=` for
    /// labels; `==, !=, >, <, ≥, ≤` for numbers; a missing value gives `isMissing` for `==`, else
    /// `isPresent`). Unlike anonymeter, a boolean column compares with the drawn value (anonymeter
    /// ignores it and tests `col` or `~col`).
    mutating func random(count n: Int, columns nCols: Int) -> [SinglingOutQuery] {
        let distinct: [[Double]] = synthetic.columns.map { values in
            switch values {
            case .numeric(let v):
                var set = Set<Double>(), hasMissing = false
                for x in v { if x.isNaN { hasMissing = true } else { set.insert(x) } }
                return set.sorted() + (hasMissing ? [.nan] : [])
            case .coded(let codes):
                return Set(codes).sorted().map { $0 == Column.missingCode ? .nan : Double($0) }
            }
        }
        var order = Array(0..<synthetic.columns.count)
        var queries: [SinglingOutQuery] = []
        queries.reserveCapacity(n)
        for _ in 0..<n {
            let cols = Self.choose(nCols, from: &order, rng: &rng).sorted()
            var predicates: [SinglingOutQuery.Predicate] = []
            for c in cols {
                let values = distinct[c]
                guard !values.isEmpty else { continue }
                let v = values[Int(rng.next() % UInt64(values.count))]
                let ops: [SinglingOutQuery.Op] = synthetic.isNumeric(c) ? [.equal, .notEqual, .greater, .less, .greaterOrEqual, .lessOrEqual]
                                                                        : [.equal, .notEqual]
                let op = ops[Int(rng.next() % UInt64(ops.count))]
                if v.isNaN { predicates.append(.init(column: c, op: op == .equal ? .isMissing : .isPresent, value: 0)) }
                else { predicates.append(.init(column: c, op: op, value: v)) }
            }
            queries.append(SinglingOutQuery(predicates: predicates))
        }
        return queries
    }

    static func single(_ column: Int, _ op: SinglingOutQuery.Op, _ value: Double) -> SinglingOutQuery {
        SinglingOutQuery(predicates: [.init(column: column, op: op, value: value)])
    }

    /// Fisher–Yates with our generator (the standard library's `shuffle` may change between releases).
    static func shuffle<T>(_ items: inout [T], rng: inout SeededRandom) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(i, Int(rng.next() % UInt64(i + 1)))
        }
    }

    /// `k` distinct entries of `pool` (a partial Fisher–Yates shuffle of the pool in place).
    static func choose(_ k: Int, from pool: inout [Int], rng: inout SeededRandom) -> [Int] {
        let k = Swift.min(k, pool.count)
        for i in 0..<k {
            let j = i + Int(rng.next() % UInt64(pool.count - i))
            pool.swapAt(i, j)
        }
        return Array(pool[..<k])
    }

    /// polars `median()`: the middle of the sorted present values (mean of the two middle ones), NaN when none.
    static func median(_ values: [Double]) -> Double {
        let present = values.filter { !$0.isNaN }.sorted()
        guard !present.isEmpty else { return .nan }
        let m = present.count / 2
        return present.count % 2 == 1 ? present[m] : 0.5 * (present[m - 1] + present[m])
    }
}
