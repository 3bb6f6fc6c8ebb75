/// The bounds of the branch-and-bound kernel: node bounds for a whole block of siblings (in single
/// precision, see `SinglePrecisionBounds`) and a leaf's bound for the
/// columns a scan has not reached yet (`LeafBoundPrefix`, `remainingBounds`).
extension LeafScanner {
    /// For every node in `nodes`, a lower bound (before normalising) of the column sum from query
    /// row `q` to any row under the node, summed in canonical column order, into `bound[0 ..< nodes.count]`.
    ///
    /// With `prefix`, also records the partial sums before every fourth column (`c & 3 == 3`):
    /// `prefix[(c >> 2) * fanout + k]` is node k's bound over the columns before c, from which a
    /// leaf scan gets its bound for the remaining columns (`LeafBoundPrefix`).
    @inline(__always)
    func lowerBounds(_ q: Int, nodes: Range<Int>, into bound: UnsafeMutableBufferPointer<Double>,
                     prefix: UnsafeMutableBufferPointer<Double>? = nil) {
        let single = singleView
        let count = nodes.count, queryCount = problem.queryCount, fanout = leaves.fanout
        let neverMatch = problem.missing == .neverMatch
        let slack = single.slack
        // Siblings are stored together (see `ReferenceLeaves.boundIndex`): `nodes` starts on a block,
        // and every lane of the block is computed (padding lanes bound everything; they are ignored).
        let block = nodes.lowerBound / fanout * fanout
        withUnsafeTemporaryAllocation(of: Float.self, capacity: fanout) { sum in
            for k in 0..<fanout { sum[k] = 0 }
            for (c, column) in leaves.columns.enumerated() {
                if let prefix, c & 3 == 3 {
                    // Raised by the slack: `LeafBoundPrefix` subtracts it from a bound that is lowered by it.
                    let base = (c >> 2) * fanout
                    for k in 0..<count { prefix[base + k] = Double(sum[k]) + slack }
                }
                let w = single.weight[c]
                let base = column.kind == .coded
                    ? block * leaves.codedSlots + column.slot * fanout
                    : block * leaves.numericSlots + column.slot * fanout
                switch column.kind {
                case .scaled, .equality:
                    let a = queries.numeric[column.slot * queryCount + q]
                    if a.isNaN {
                        let missingBound = single.missing + base
                        for k in 0..<fanout { sum[k] += missingBound[k] }
                    } else if !a.isFinite {
                        continue  // a bound of 0 is always safe
                    } else if column.kind == .equality {
                        let lo = single.low + base, hi = single.high + base, value = Float(a)
                        for k in 0..<fanout { sum[k] += lo[k] <= value && value <= hi[k] ? 0 : w }
                    } else {
                        let lo = single.low + base, hi = single.high + base
                        let value = single.scaled(a, slot: column.slot, scale: column.scale)
                        for k in 0..<fanout {
                            let gap = Swift.max(Swift.max(lo[k] - value, value - hi[k]), 0)
                            sum[k] += w * Swift.min(gap, 1)
                        }
                    }
                case .coded:
                    let a = queries.codes[column.slot * queryCount + q]
                    if neverMatch, a == Column.missingCode {
                        for k in 0..<fanout { sum[k] += w }
                    } else {
                        let bit = ReferenceLeaves.bit(of: a, width: column.codeWidth), bits = leaves.codeBits + base
                        for k in 0..<fanout { sum[k] += (bits[k] >> bit) & 1 != 0 ? 0 : w }
                    }
                }
            }
            for k in 0..<count { bound[k] = Swift.max(Double(sum[k]) - slack, 0) }
        }
    }

    /// `rest[c]`: a lower bound of the column terms AFTER column `c` from query row `q` to any row
    /// of leaf `k` (the node bound of `lowerBounds`, column by column, summed from the end).
    @inline(__always)
    func remainingBounds(_ q: Int, leaf k: Int, into rest: UnsafeMutableBufferPointer<Double>) {
        let queryCount = problem.queryCount
        let neverMatch = problem.missing == .neverMatch
        let columns = leaves.columns
        var sum = 0.0
        for c in stride(from: columns.count - 1, through: 0, by: -1) {
            rest[c] = sum
            let column = columns[c]
            let w = column.weight
            switch column.kind {
            case .scaled, .equality:
                let b = leaves.boundIndex(slot: column.slot, node: k, slots: leaves.numericSlots)
                let a = queries.numeric[column.slot * queryCount + q]
                if a.isNaN {
                    sum += leaves.missingQueryBound[b]
                } else if !a.isFinite {
                    continue
                } else if column.kind == .equality {
                    sum += leaves.low[b] <= a && a <= leaves.high[b] ? 0 : w
                } else {
                    let gap = Swift.max(Swift.max(leaves.low[b] - a, a - leaves.high[b]), 0)
                    sum += w * Swift.min(gap * column.scale, 1)
                }
            case .coded:
                let a = queries.codes[column.slot * queryCount + q]
                if neverMatch, a == Column.missingCode {
                    sum += w
                } else {
                    let b = leaves.boundIndex(slot: column.slot, node: k, slots: leaves.codedSlots)
                    sum += (leaves.codeBits[b] >> ReferenceLeaves.bit(of: a, width: column.codeWidth)) & 1 != 0 ? 0 : w
                }
            }
        }
    }
}

/// A leaf's bound for the columns from a checkpoint on, from the partial sums `lowerBounds` recorded
/// when it computed the leaf's bound (no second pass over the leaf's per-column bounds).
///
/// `total − prefix` is within a few units of rounding of the exact sum of those columns' bound
/// terms (both are rounded sums of the same non-negative terms in the same order, and the prefix
/// is at most the total); `LeafScanner.sumMargin` absorbs that, as it does for `remainingBounds`.
struct LeafBoundPrefix {
    /// `lowerBounds`' recorded partial sums.
    let sums: UnsafeMutableBufferPointer<Double>
    /// The leaf's position among the nodes of that `lowerBounds` call.
    let position: Int
    /// The leaf's whole bound.
    let total: Double

    /// The bound of the columns from `c` on (`c & 3 == 3`).
    @inline(__always)
    func remaining(before c: Int, fanout: Int) -> Double { total - sums[(c >> 2) * fanout + position] }
}
