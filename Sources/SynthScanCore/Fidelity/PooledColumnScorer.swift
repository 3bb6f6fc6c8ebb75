/// One column's rows of two samples pooled, prepared once so that the marginal fidelity score of
/// any split of the pool into a "real" and a "synthetic" part costs one pass over the pool: what a
/// permutation test of fidelity needs (hundreds of random splits per subgroup).
///
/// The score is the same as the SDMetrics metric on the two parts: `KSComplement` for numbers and
/// dates (values rounded as it rounds them, sorted once; the KS statistic walked over the sorted
/// pool with ties grouped, in exact integer arithmetic) and `TVComplement` for labels (code counts
/// per side).
///
/// The passes do not branch on the split: a row's side enters them as the 0 or 1 of
/// `PoolSplit.isReal`, added up, not as a condition (a random split makes such a branch a coin flip
/// that the CPU mispredicts half the time); their only branches are the ends of groups of tied
/// values or of equal codes, fixed by the pool. They read the pool through 32-bit row numbers (half
/// the memory traffic of `Int`).
struct PooledColumnScorer {
    private enum Kind {
        /// `order`: the pool rows of the present values in ascending order of value; `groupEnds`:
        /// where each group of tied values ends in `order`; `missing`: the pool rows whose value
        /// is missing (or NaN).
        case numeric(order: [UInt32], groupEnds: [UInt32], missing: [UInt32])
        /// `rows`: the pool rows of the present codes, grouped by code in ascending code order,
        /// rows ascending within a group; `groupEnds[g]` is where group g ends in `rows`. Codes with
        /// no row in the pool are left out: they add nothing to either count of TVComplement.
        case coded(rows: [UInt32], groupEnds: [Int])
    }

    private let kind: Kind
    /// Rows in the pool.
    let count: Int

    /// Pools the rows `a` of `x` and `b` of `y` (the same column of two tables), in that order.
    init?(_ x: Column, _ a: RowSelection, _ y: Column, _ b: RowSelection) {
        switch (x.storage, y.storage) {
        case (.numeric(let xv, let xm), .numeric(let yv, let ym)):
            // The present values as order-preserving integer keys with their pool rows, radix
            // sorted (the pool is sorted once per cell and column; a comparison sort was a fifth
            // of the rule's time).
            var keys: [UInt64] = [], present: [UInt32] = [], missing: [UInt32] = []
            var rows = 0
            let round = x.type == .numeric
            func add(_ v: Double, _ isMissing: Bool) {
                // 32-bit row numbers; below 2³¹ also keeps the integer KS walk within Int64.
                precondition(rows < 1 << 31, "a pool holds at most 2^31 − 1 rows")
                if !isMissing && !v.isNaN {
                    keys.append(Self.sortKey(round ? KSComplement.numpyRound(v) : v))
                    present.append(UInt32(rows))
                } else {
                    missing.append(UInt32(rows))
                }
                rows += 1
            }
            a.forEach(rowCount: xv.count) { add(xv[$0], xm.isMissing($0)) }
            b.forEach(rowCount: yv.count) { add(yv[$0], ym.isMissing($0)) }
            Self.radixSort(&keys, carrying: &present)
            let groupEnds = (1...present.count).lazy.filter { k in k == present.count || keys[k - 1] != keys[k] }.map(UInt32.init)
            kind = .numeric(order: present, groupEnds: Array(groupEnds), missing: missing)
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

    /// A key whose unsigned order is the order of the (non-NaN) doubles and whose equality is
    /// theirs: −0 is mapped to +0 (they compare equal, so they tie); then the sign bit is set for
    /// positive values and every bit is flipped for negative ones (IEEE 754 total order).
    static func sortKey(_ v: Double) -> UInt64 {
        let bits = (v == 0 ? 0.0 : v).bitPattern
        return bits >> 63 == 0 ? bits | (1 << 63) : ~bits
    }

    /// Sorts `keys` ascending, moving `rows` with them: a stable LSD radix sort on the 8 bytes of
    /// the keys, skipping each byte that all keys share (e.g. the low mantissa bytes of ages or
    /// dates), so a pass costs two sequential reads and one scattered write per key.
    static func radixSort(_ keys: inout [UInt64], carrying rows: inout [UInt32]) {
        let n = keys.count
        guard n > 1 else { return }
        var otherKeys = [UInt64](repeating: 0, count: n), otherRows = [UInt32](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: 256)
        for shift in stride(from: 0, to: 64, by: 8) {
            for i in counts.indices { counts[i] = 0 }
            for key in keys { counts[Int((key >> UInt64(shift)) & 0xFF)] += 1 }
            if counts.contains(n) { continue }  // every key has this byte: the pass changes nothing
            var start = 0
            for i in counts.indices { (counts[i], start) = (start, start + counts[i]) }
            for i in 0..<n {
                let digit = Int((keys[i] >> UInt64(shift)) & 0xFF)
                otherKeys[counts[digit]] = keys[i]
                otherRows[counts[digit]] = rows[i]
                counts[digit] += 1
            }
            swap(&keys, &otherKeys)
            swap(&rows, &otherRows)
        }
    }

    /// The score of `split` (pool row i on the real side where `split.isReal[i]` is 1); nil where
    /// the metric is undefined (no present value on a side). `scratch` is reused between calls.
    func score(_ split: PoolSplit, scratch: inout [Int]) -> Double? {
        precondition(split.isReal.count == count, "split of \(split.isReal.count) rows for a pool of \(count)")
        switch kind {
        case .numeric(let order, let groupEnds, let missing):
            return split.isReal.withUnsafeBufferPointer {
                Self.ksComplement(order: order, groupEnds: groupEnds, missing: missing, isReal: $0, realCount: split.realCount)
            }
        case .coded(let rows, let groupEnds):
            return split.isReal.withUnsafeBufferPointer {
                Self.tvComplement(rows: rows, groupEnds: groupEnds, isReal: $0, scratch: &scratch)
            }
        }
    }

    /// 1 − D, D the two-sample Kolmogorov–Smirnov statistic sup_x |F_R(x) − F_S(x)| (scipy
    /// `stats/_stats_py.py::ks_2samp`, as `KSComplement.statistic`: the empirical CDFs compared
    /// at every pooled value, ties on the right, i.e. at the end of each group of ties).
    ///
    /// At the end of a tie group, after the k smallest present values, r of them real and
    /// s = k − r synthetic, |F_R − F_S| = |r/n_R − s/n_S| = |r·n_S − s·n_R| / (n_R·n_S), and
    /// r·n_S − s·n_R = r·n − k·n_R (n = n_R + n_S); so D = max |r·n − k·n_R| / (n_R·n_S), the
    /// maximum taken over integers and divided once: the correctly rounded D (the per-value
    /// quotients of `KSComplement` may differ from it in the last bit). Int (64-bit) cannot
    /// overflow: n < 2³¹ (the pool's precondition), so r·n and k·n_R are below 2⁶²; the
    /// conversions to Double are exact while n_R·n_S < 2⁵³.
    ///
    /// The walk goes group by group: within a group only the real flags are summed (a
    /// reduction, no branch on them); the statistic is updated once per group.
    @inline(never)  // its own registers: inlined into the permutation loop, the maximum went to the stack
    private static func ksComplement(order: [UInt32], groupEnds: [UInt32], missing: [UInt32],
                                     isReal: UnsafeBufferPointer<UInt8>, realCount: Int) -> Double? {
        // The real rows among the present ones: every real row but the missing ones.
        var missingReal = 0
        missing.withUnsafeBufferPointer { for row in $0 { missingReal &+= Int(isReal[Int(row)]) } }
        let n = order.count, nR = realCount - missingReal, nS = n - nR
        guard nR > 0, nS > 0 else { return nil }
        var maxDiff: UInt = 0
        order.withUnsafeBufferPointer { order in
            groupEnds.withUnsafeBufferPointer { groupEnds in
                var r = 0, k = 0
                for end in groupEnds {
                    // The real rows of one group of ties: a sum of 0/1 flags, no branch on them.
                    let end = Int(end)
                    while k < end { r &+= Int(isReal[Int(order[k])]); k &+= 1 }
                    maxDiff = Swift.max(maxDiff, (r &* n &- end &* nR).magnitude)
                }
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
