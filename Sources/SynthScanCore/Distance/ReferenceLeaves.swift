/// The reference rows of a search, reordered into small leaves of similar rows, with per-leaf,
/// per-column bounds from which an exact lower bound of the distance from a query to every row of
/// a leaf follows.
///
/// The order comes from a k-d style recursive median split (Friedman, Bentley & Finkel 1977, "An
/// Algorithm for Finding Best Matches in Logarithmic Expected Time", ACM TOMS 3(3)); each split
/// takes the column whose expected per-pair contribution (Gini mean difference for scaled numeric
/// columns, Gini impurity for categorical and equality-compared ones, on a small sample) is the
/// largest. The split only decides which rows share a leaf; the bounds are computed from the
/// leaf's actual contents, so a poor split costs speed, never exactness.
///
/// Storage is columnar in leaf order (`slot * rowCount + position`), allocated once and read
/// through raw pointers by the search kernel; memory is proportional to the reference table.
final class ReferenceLeaves: @unchecked Sendable {
    /// How the kernel compares a column.
    enum Kind: UInt8, Sendable {
        /// Numeric, `min(|a − b| · scale, 1)`.
        case scaled
        /// Numeric with range 0 (or none): equal or not.
        case equality
        /// Codes: equal or not.
        case coded
    }

    /// One compared column, in canonical order; `slot` indexes the numeric or the coded storage.
    struct Column: Sendable {
        let kind: Kind
        let slot: Int
        let scale: Double
        let weight: Double
    }

    let columns: [Column]
    let rowCount: Int
    let leafCount: Int
    let maxLeafSize: Int
    let numericSlots: Int
    let codedSlots: Int
    /// Original reference row at each position.
    let rows: UnsafeMutablePointer<Int32>
    /// Leaf `k` covers positions `starts[k] ..< starts[k + 1]`.
    let starts: UnsafeMutablePointer<Int>
    /// Numeric values (NaN = missing) in leaf order, `slot * rowCount + position`.
    let numeric: UnsafeMutablePointer<Double>
    /// Codes in leaf order, `slot * rowCount + position`.
    let codes: UnsafeMutablePointer<UInt32>
    /// Smallest present value per numeric slot and leaf (`slot * leafCount + leaf`); +∞ if none.
    let low: UnsafeMutablePointer<Double>
    /// Largest present value per numeric slot and leaf; −∞ if none.
    let high: UnsafeMutablePointer<Double>
    /// The column term's lower bound for a MISSING query value, per numeric slot and leaf.
    let missingQueryBound: UnsafeMutablePointer<Double>
    /// Codes present per coded slot and leaf, one bit per `ReferenceLeaves.bit(of:)`.
    let codeBits: UnsafeMutablePointer<UInt64>

    /// The bit standing for `code` in `codeBits`: codes above 61 share bit 62, missing has bit 63.
    @inline(__always)
    static func bit(of code: UInt32) -> UInt64 {
        code == SynthScanCore.Column.missingCode ? 63 : UInt64(Swift.min(code, 62))
    }

    init(problem: NearestRecordProblem, leafSize: Int) {
        let n = problem.referenceCount
        let neverMatch = problem.missing == .neverMatch
        var kinds: [Column] = []
        var numericReference: [[Double]] = []
        var codedReference: [[UInt32]] = []
        for column in problem.columns {
            switch column {
            case .numeric(_, let reference, let scale, let weight):
                kinds.append(Column(kind: scale == 0 ? .equality : .scaled, slot: numericReference.count, scale: scale, weight: weight))
                numericReference.append(reference)
            case .coded(_, let reference, let weight):
                kinds.append(Column(kind: .coded, slot: codedReference.count, scale: 0, weight: weight))
                codedReference.append(reference)
            }
        }
        columns = kinds
        rowCount = n
        numericSlots = numericReference.count
        codedSlots = codedReference.count

        let splitter = LeafSplitter(columns: kinds, numeric: numericReference, codes: codedReference, leafSize: Swift.max(1, leafSize))
        let (order, leafStarts) = splitter.split(rowCount: n)
        leafCount = leafStarts.count - 1
        var largest = 0
        for k in 0..<leafCount { largest = Swift.max(largest, leafStarts[k + 1] - leafStarts[k]) }
        maxLeafSize = largest

        rows = .allocate(capacity: Swift.max(1, n))
        starts = .allocate(capacity: leafStarts.count)
        numeric = .allocate(capacity: Swift.max(1, numericSlots * n))
        codes = .allocate(capacity: Swift.max(1, codedSlots * n))
        low = .allocate(capacity: Swift.max(1, numericSlots * leafCount))
        high = .allocate(capacity: Swift.max(1, numericSlots * leafCount))
        missingQueryBound = .allocate(capacity: Swift.max(1, numericSlots * leafCount))
        codeBits = .allocate(capacity: Swift.max(1, codedSlots * leafCount))

        for p in 0..<n { rows[p] = order[p] }
        for k in leafStarts.indices { starts[k] = leafStarts[k] }
        for column in kinds {
            let s = column.slot
            switch column.kind {
            case .scaled, .equality:
                let source = numericReference[s]
                for p in 0..<n { numeric[s * n + p] = source[Int(order[p])] }
                for k in 0..<leafCount {
                    var lo = Double.infinity, hi = -Double.infinity, anyMissing = false
                    for p in leafStarts[k]..<leafStarts[k + 1] {
                        let v = numeric[s * n + p]
                        if v.isNaN { anyMissing = true } else { lo = Swift.min(lo, v); hi = Swift.max(hi, v) }
                    }
                    low[s * leafCount + k] = lo
                    high[s * leafCount + k] = hi
                    // A missing query value costs 0 only against a missing value, and only under `match`.
                    missingQueryBound[s * leafCount + k] = anyMissing && !neverMatch ? 0 : column.weight
                }
            case .coded:
                let source = codedReference[s]
                for p in 0..<n { codes[s * n + p] = source[Int(order[p])] }
                for k in 0..<leafCount {
                    var bits: UInt64 = 0
                    for p in leafStarts[k]..<leafStarts[k + 1] { bits |= 1 << Self.bit(of: codes[s * n + p]) }
                    codeBits[s * leafCount + k] = bits
                }
            }
        }
    }

    deinit {
        rows.deallocate(); starts.deallocate(); numeric.deallocate(); codes.deallocate()
        low.deallocate(); high.deallocate(); missingQueryBound.deallocate(); codeBits.deallocate()
    }
}

/// Orders reference rows into leaves of at most `leafSize` rows by recursive splits (see `ReferenceLeaves`).
struct LeafSplitter {
    let columns: [ReferenceLeaves.Column]
    let numeric: [[Double]]
    let codes: [[UInt32]]
    let leafSize: Int
    /// Rows sampled per node to choose and place a split.
    static let sampleSize = 48

    /// The rows in leaf order and the leaf boundaries (`starts.last == rowCount`).
    func split(rowCount n: Int) -> (order: [Int32], starts: [Int]) {
        var order = (0..<n).map { Int32($0) }
        var starts: [Int] = [0]
        var stack: [Range<Int>] = n > 0 ? [0..<n] : []
        var sample: [Double] = []
        var keys: [UInt64] = []
        sample.reserveCapacity(Self.sampleSize)
        keys.reserveCapacity(Self.sampleSize)
        while let node = stack.popLast() {
            if node.count <= leafSize {
                starts.append(node.upperBound)
                continue
            }
            let mid = partition(node, &order, &sample, &keys)
            // Left first: leaves come out in position order.
            stack.append(mid..<node.upperBound)
            stack.append(node.lowerBound..<mid)
        }
        return (order, starts)
    }

    /// Splits `node` in place on its most spread column; returns the first position of the right part.
    func partition(_ node: Range<Int>, _ order: inout [Int32], _ sample: inout [Double], _ keys: inout [UInt64]) -> Int {
        let m = Swift.min(Self.sampleSize, node.count)
        var bestScore = 0.0, best = -1, bestPivot: UInt64 = 0, bestPivotValue = 0.0
        for (c, column) in columns.enumerated() {
            switch column.kind {
            case .scaled:
                sample.removeAll(keepingCapacity: true)
                for k in 0..<m {
                    let v = numeric[column.slot][Int(order[node.lowerBound + k * node.count / m])]
                    if !v.isNaN { sample.append(v) }
                }
                guard sample.count >= 2 else { continue }
                sample.sort()
                // Gini mean difference of the sample: Σ (2i − m + 1) x_(i) · 2 / (m (m − 1)).
                var sum = 0.0
                let count = sample.count
                for i in 0..<count { sum += Double(2 * i - count + 1) * sample[i] }
                let spread = 2 * sum / Double(count * (count - 1))
                let score = column.weight * Swift.min(spread * column.scale, 1)
                if score > bestScore { bestScore = score; best = c; bestPivotValue = sample[count / 2] }
            case .equality, .coded:
                keys.removeAll(keepingCapacity: true)
                for k in 0..<m { keys.append(key(column, Int(order[node.lowerBound + k * node.count / m]))) }
                keys.sort()
                // Gini impurity: 1 − Σ p².
                var same = 0, run = 1
                for i in 1..<keys.count {
                    if keys[i] == keys[i - 1] { run += 1 } else { same += run * run; run = 1 }
                }
                same += run * run
                let score = column.weight * (1 - Double(same) / Double(m * m))
                if score > bestScore { bestScore = score; best = c; bestPivot = keys[m / 2] }
            }
        }
        let middle = (node.lowerBound + node.upperBound) / 2
        guard best >= 0 else { return middle }
        let column = columns[best]
        func place(_ isLeft: (Int32) -> Bool) -> Int {
            var i = node.lowerBound, j = node.upperBound
            while i < j {
                if isLeft(order[i]) { i += 1 } else { j -= 1; order.swapAt(i, j) }
            }
            return i
        }
        var mid: Int
        switch column.kind {
        case .scaled:
            let values = numeric[column.slot], pivot = bestPivotValue
            mid = place { let v = values[Int($0)]; return v < pivot }
            if mid == node.lowerBound { mid = place { let v = values[Int($0)]; return v <= pivot } }
        case .equality, .coded:
            let pivot = bestPivot
            mid = place { key(column, Int($0)) < pivot }
            if mid == node.lowerBound { mid = place { key(column, Int($0)) <= pivot } }
        }
        return mid == node.lowerBound || mid == node.upperBound ? middle : mid
    }

    /// An orderable key of a row's value in an equality-compared or coded column (missing sorts last).
    @inline(__always)
    func key(_ column: ReferenceLeaves.Column, _ row: Int) -> UInt64 {
        if column.kind == .coded { return UInt64(codes[column.slot][row]) }
        let v = numeric[column.slot][row]
        if v.isNaN { return .max }
        // Order-preserving map of a Double's bits to an unsigned integer (+0 and −0 compare equal in the kernel: merge them).
        let bits = (v == 0 ? 0.0 : v).bitPattern
        return bits >> 63 == 1 ? ~bits : bits | (1 << 63)
    }
}
