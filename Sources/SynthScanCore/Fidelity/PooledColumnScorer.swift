/// One column's rows of two samples pooled, prepared once so that the marginal fidelity score of
/// any split of the pool into a "real" and a "synthetic" part costs one pass over the pool: what a
/// permutation test of fidelity needs (hundreds of random splits per subgroup).
///
/// The score is the same as the SDMetrics metric on the two parts: `KSComplement` for numbers and
/// dates (values rounded as it rounds them, sorted once; the KS statistic walked over the sorted
/// pool with ties grouped, in exact integer arithmetic) and `TVComplement` for labels (code counts
/// per side).
///
/// The passes are branch-free: a row's side enters them as the 0 or 1 of `PoolSplit.isReal`, not as
/// a condition (a random split makes such a branch a coin flip that the CPU mispredicts half the
/// time), and they read the pool through 32-bit row numbers (half the memory traffic of `Int`).
struct PooledColumnScorer {
    private enum Kind {
        /// `order`: the pool rows of the present values in ascending order of value, each with
        /// `groupEnd` set when the next value differs (the last row of a group of ties).
        /// `missing`: the pool rows whose value is missing (or NaN).
        case numeric(order: [UInt32], missing: [UInt32])
        /// `rows`: the pool rows of the present codes, grouped by code in ascending code order,
        /// rows ascending within a group; `groupEnds[g]` is where group g ends in `rows`. Codes with
        /// no row in the pool are left out: they add nothing to either count of TVComplement.
        case coded(rows: [UInt32], groupEnds: [Int])
    }

    /// The flag of `Kind.numeric`'s `order` marking the last row of a tie group.
    private static let groupEnd: UInt32 = 1 << 31

    private let kind: Kind
    /// Rows in the pool.
    let count: Int

    /// Pools the rows `a` of `x` and `b` of `y` (the same column of two tables), in that order.
    init?(_ x: Column, _ a: RowSelection, _ y: Column, _ b: RowSelection) {
        switch (x.storage, y.storage) {
        case (.numeric(let xv, let xm), .numeric(let yv, let ym)):
            // (value, pool row) of the present values, sorted by value: the pairs themselves
            // rather than row numbers compared through the values (no indirection in the sort).
            var present: [(value: Double, row: UInt32)] = [], missing: [UInt32] = []
            var rows = 0
            let round = x.type == .numeric
            func add(_ v: Double, _ isMissing: Bool) {
                // Row numbers must leave the top bit free for the group-end flag.
                precondition(rows < Int(Self.groupEnd), "a pool holds at most 2^31 − 1 rows")
                if !isMissing && !v.isNaN { present.append((round ? KSComplement.numpyRound(v) : v, UInt32(rows))) } else { missing.append(UInt32(rows)) }
                rows += 1
            }
            a.forEach(rowCount: xv.count) { add(xv[$0], xm.isMissing($0)) }
            b.forEach(rowCount: yv.count) { add(yv[$0], ym.isMissing($0)) }
            present.sort { $0.value < $1.value }
            let order = present.indices.map { k -> UInt32 in
                let last = k == present.count - 1 || present[k].value != present[k + 1].value
                return present[k].row | (last ? Self.groupEnd : 0)
            }
            kind = .numeric(order: order, missing: missing)
            count = rows
        case (.coded(let xc, let dictionary), .coded(let yc, _)):
            var codes: [UInt32] = []
            a.forEach(rowCount: xc.count) { codes.append(xc[$0]) }
            b.forEach(rowCount: yc.count) { codes.append(yc[$0]) }
            // A counting sort of the rows by code (`Column.missingCode` and codes outside the
            // dictionary are left out, as the counts of TVComplement leave them out).
            let width = dictionary.count
            var perCode = [Int](repeating: 0, count: width)
            for code in codes where code != Column.missingCode && Int(code) < width { perCode[Int(code)] += 1 }
            let used = perCode.indices.filter { perCode[$0] > 0 }
            var start = [Int](repeating: 0, count: width), groupEnds: [Int] = []
            var end = 0
            for code in used { start[code] = end; end += perCode[code]; groupEnds.append(end) }
            var rows = [UInt32](repeating: 0, count: end)
            for (row, code) in codes.enumerated() where code != Column.missingCode && Int(code) < width {
                rows[start[Int(code)]] = UInt32(row)
                start[Int(code)] += 1
            }
            kind = .coded(rows: rows, groupEnds: groupEnds)
            count = codes.count
        default:
            return nil
        }
    }

    /// The score of `split` (pool row i on the real side where `split.isReal[i]` is 1); nil where
    /// the metric is undefined (no present value on a side). `scratch` is reused between calls.
    func score(_ split: PoolSplit, scratch: inout [Int]) -> Double? {
        precondition(split.isReal.count == count, "split of \(split.isReal.count) rows for a pool of \(count)")
        return split.isReal.withUnsafeBufferPointer { isReal in
            switch kind {
            case .numeric(let order, let missing):
                return Self.ksComplement(order: order, missing: missing, isReal: isReal, realCount: split.realCount)
            case .coded(let rows, let groupEnds):
                return Self.tvComplement(rows: rows, groupEnds: groupEnds, isReal: isReal, scratch: &scratch)
            }
        }
    }

    /// 1 − D, D the two-sample Kolmogorov–Smirnov statistic sup_x |F_R(x) − F_S(x)| (scipy
    /// `stats/_stats_py.py::ks_2samp`, as `KSComplement.statistic`: the empirical CDFs compared
    /// at every pooled value, ties on the right, i.e. at the end of each group of ties).
    ///
    /// After the k + 1 smallest present values, r of them real and s = k + 1 − r synthetic,
    /// |F_R − F_S| = |r/n_R − s/n_S| = |r·n_S − s·n_R| / (n_R·n_S) and r·n_S − s·n_R = r·n − (k+1)·n_R
    /// (n = n_R + n_S), so D = max |r·n − (k+1)·n_R| / (n_R·n_S), the maximum taken over integers
    /// and divided once: the correctly rounded D (the per-value quotients of `KSComplement` may
    /// differ from it in the last bit). Int (64-bit) cannot overflow: n < 2³¹ (`groupEnd`), so
    /// r·n and (k+1)·n_R are below 2⁶²; the conversions to Double are exact while n_R·n_S < 2⁵³.
    @inline(never)  // its own registers: inlined into the permutation loop, the maximum went to the stack
    private static func ksComplement(order: [UInt32], missing: [UInt32], isReal: UnsafeBufferPointer<UInt8>,
                                     realCount: Int) -> Double? {
        // The real rows among the present ones: every real row but the missing ones.
        var missingReal = 0
        missing.withUnsafeBufferPointer { for row in $0 { missingReal &+= Int(isReal[Int(row)]) } }
        let n = order.count, nR = realCount - missingReal, nS = n - nR
        guard nR > 0, nS > 0 else { return nil }
        var maxDiff: UInt = 0
        order.withUnsafeBufferPointer { order in
            var r = 0, kR = 0  // kR = (k + 1)·n_R, kept by addition
            for entry in order {
                r &+= Int(isReal[Int(entry & ~groupEnd)])
                kR &+= nR
                // All ones at the end of a tie group, zero inside one.
                let atEnd = UInt(0) &- UInt(entry >> 31)
                maxDiff = Swift.max(maxDiff, (r &* n &- kR).magnitude & atEnd)
            }
        }
        return 1 - Double(maxDiff) / Double(nR &* nS)
    }

    /// TVComplement of the split's code counts: per code, the real rows of its group (a sum of
    /// 0/1 flags) and the synthetic rows (the rest of the group). The counts go to TVComplement in
    /// ascending code order, so it adds the same terms in the same order as on full-width counts.
    @inline(never)
    private static func tvComplement(rows: [UInt32], groupEnds: [Int], isReal: UnsafeBufferPointer<UInt8>,
                                     scratch: inout [Int]) -> Double? {
        let width = groupEnds.count
        if scratch.count < 2 * width { scratch = [Int](repeating: 0, count: 2 * width) }
        return scratch.withUnsafeMutableBufferPointer { counts in
            rows.withUnsafeBufferPointer { rows in
                var start = 0
                for (g, end) in groupEnds.enumerated() {
                    var real = 0
                    for row in rows[start..<end] { real &+= Int(isReal[Int(row)]) }
                    counts[g] = real
                    counts[width + g] = end - start - real
                    start = end
                }
            }
            return TVComplement.score(realCounts: UnsafeBufferPointer(rebasing: counts[..<width]),
                                      syntheticCounts: UnsafeBufferPointer(rebasing: counts[width..<(2 * width)]))
        }
    }
}

/// A split of a pool of rows into a real and a synthetic side, as a permutation test draws them:
/// `realCount` real rows, placed at random by `shuffle(using:)`.
struct PoolSplit {
    /// 1 where pool row i is on the real side, 0 where it is on the synthetic side (bytes rather
    /// than `Bool`s so that the scorer adds them up instead of branching on them).
    private(set) var isReal: [UInt8]
    /// Rows on the real side: the ones in `isReal`, which shuffling keeps.
    let realCount: Int

    /// The split with the first `realCount` of `count` rows on the real side.
    init(realCount: Int, count: Int) {
        precondition(0...count ~= realCount)
        isReal = [UInt8](repeating: 0, count: count)
        for k in 0..<realCount { isReal[k] = 1 }
        self.realCount = realCount
    }

    /// Permutes the sides: the standard library's Fisher–Yates shuffle, so the random numbers it
    /// draws (and hence the splits drawn from a seed) are those of `[Bool].shuffle(using:)`.
    mutating func shuffle<G: RandomNumberGenerator>(using generator: inout G) {
        isReal.withUnsafeMutableBufferPointer { $0.shuffle(using: &generator) }
    }
}
