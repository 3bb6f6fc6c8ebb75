/// One column's rows of two samples pooled, prepared once so that the marginal fidelity score of
/// any split of the pool into a "real" and a "synthetic" part costs one pass over the pool: what a
/// permutation test of fidelity needs (hundreds of random splits per subgroup).
///
/// The score is the same as the SDMetrics metric on the two parts: `KSComplement` for numbers and
/// dates (values rounded as it rounds them, sorted once; the KS statistic walked over the sorted
/// pool with ties grouped) and `TVComplement` for labels (code counts per side).
struct PooledColumnScorer {
    private enum Kind {
        /// Sorted positions of the present values and, for each, whether the next one ties.
        case numeric(order: [Int], tiesNext: [Bool])
        /// Each row's code (`Column.missingCode` for missing) and the dictionary size.
        case coded(codes: [UInt32], width: Int)
    }

    private let kind: Kind
    /// Rows in the pool.
    let count: Int

    /// Pools the rows `a` of `x` and `b` of `y` (the same column of two tables), in that order.
    init?(_ x: Column, _ a: RowSelection, _ y: Column, _ b: RowSelection) {
        switch (x.storage, y.storage) {
        case (.numeric(let xv, let xm), .numeric(let yv, let ym)):
            var values: [Double] = []
            var present: [Int] = []
            let round = x.type == .numeric
            func add(_ v: Double, _ missing: Bool) {
                if !missing && !v.isNaN { present.append(values.count) }
                values.append(round ? KSComplement.numpyRound(v) : v)
            }
            a.forEach(rowCount: xv.count) { add(xv[$0], xm.isMissing($0)) }
            b.forEach(rowCount: yv.count) { add(yv[$0], ym.isMissing($0)) }
            let order = present.sorted { values[$0] < values[$1] }
            var tiesNext = [Bool](repeating: false, count: order.count)
            for k in 0..<Swift.max(0, order.count - 1) where values[order[k]] == values[order[k + 1]] { tiesNext[k] = true }
            kind = .numeric(order: order, tiesNext: tiesNext)
            count = values.count
        case (.coded(let xc, let dictionary), .coded(let yc, _)):
            var codes: [UInt32] = []
            a.forEach(rowCount: xc.count) { codes.append(xc[$0]) }
            b.forEach(rowCount: yc.count) { codes.append(yc[$0]) }
            kind = .coded(codes: codes, width: dictionary.count)
            count = codes.count
        default:
            return nil
        }
    }

    /// The score of the split where `isReal[i]` puts pool row i on the real side; nil where the
    /// metric is undefined (no present value on a side). `scratch` is reused between calls.
    func score(isReal: [Bool], scratch: inout [Int]) -> Double? {
        switch kind {
        case .numeric(let order, let tiesNext):
            var nR = 0
            for row in order where isReal[row] { nR += 1 }
            let nS = order.count - nR
            guard nR > 0, nS > 0 else { return nil }
            var r = 0, s = 0, d = 0.0
            for (k, row) in order.enumerated() {
                if isReal[row] { r += 1 } else { s += 1 }
                if !tiesNext[k] { d = Swift.max(d, abs(Double(r) / Double(nR) - Double(s) / Double(nS))) }
            }
            return 1 - d
        case .coded(let codes, let width):
            if scratch.count != 2 * width { scratch = [Int](repeating: 0, count: 2 * width) } else {
                for i in scratch.indices { scratch[i] = 0 }
            }
            for (row, code) in codes.enumerated() where code != Column.missingCode && Int(code) < width {
                scratch[(isReal[row] ? 0 : width) + Int(code)] += 1
            }
            return TVComplement.score(realCounts: Array(scratch[..<width]), syntheticCounts: Array(scratch[width...]))
        }
    }
}
