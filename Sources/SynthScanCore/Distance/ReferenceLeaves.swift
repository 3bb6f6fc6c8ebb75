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
/// Above the leaves, consecutive nodes are grouped `fanout` at a time into coarser levels (whose
/// bounds are the union of their children's), up to a top level of at most `fanout` nodes, so a
/// search can discard thousands of leaves with one bound. Nodes are numbered level by level,
/// leaves first: level `l` holds nodes `levelStarts[l] ..< levelStarts[l] + levelCounts[l]`.
///
/// Storage is allocated once and read through raw pointers by the search kernel: each leaf's rows
/// are contiguous (column by column within the leaf), and so are the bounds of each block of
/// `fanout` sibling nodes (`boundIndex`), so one leaf scan or one node expansion reads one
/// contiguous stretch of memory. Memory is proportional to the reference table.
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
        /// Codes per bit of `codeBits` (coded columns; 1 for others): see `bit(of:width:)`.
        var codeWidth: UInt32 = 1
    }

    let columns: [Column]
    let rowCount: Int
    let leafCount: Int
    /// Children per node above the leaves.
    let fanout: Int
    /// First node of each level (level 0 = leaves); a multiple of `fanout`.
    let levelStarts: [Int]
    /// Number of nodes on each level.
    let levelCounts: [Int]
    /// Number of node slots, all levels, padding included.
    let nodeCount: Int
    let maxLeafSize: Int
    let numericSlots: Int
    let codedSlots: Int
    /// Original reference row at each position.
    let rows: UnsafeMutablePointer<Int32>
    /// Leaf `k` covers positions `starts[k] ..< starts[k + 1]`.
    let starts: UnsafeMutablePointer<Int>
    /// Numeric values (NaN = missing) in leaf order, leaf by leaf, each leaf column by column:
    /// leaf `[start, start + length)` holds slot `s`, row `j` at `start * numericSlots + s * length + j`.
    let numeric: UnsafeMutablePointer<Double>
    /// Codes, laid out like `numeric` with `codedSlots`.
    let codes: UnsafeMutablePointer<UInt32>
    /// Smallest present value per numeric slot and node (at `boundIndex`); +∞ if none.
    let low: UnsafeMutablePointer<Double>
    /// Largest present value per numeric slot and node; −∞ if none.
    let high: UnsafeMutablePointer<Double>
    /// The column term's lower bound for a MISSING query value, per numeric slot and node.
    let missingQueryBound: UnsafeMutablePointer<Double>
    /// Codes present per coded slot and node, one bit per `ReferenceLeaves.bit(of:)`.
    let codeBits: UnsafeMutablePointer<UInt64>

    /// The bit standing for `code` in `codeBits`: missing has bit 63; other codes are grouped
    /// `width` consecutive codes to a bit (bit `code / width`, codes past bit 62 sharing bit 62).
    ///
    /// A column with at most 62 codes in the reference has width 1: a bit per code, exact. Wider
    /// columns (ZIP areas, diagnoses) get ⌈(largest code + 1) / 62⌉ codes per bit, so a node holding
    /// a run of neighbouring codes, which is what a split on that column produces, still excludes
    /// every query code outside its buckets. (Before, codes from 62 up all shared one bit and such
    /// columns never pruned.) Any mapping is exact as long as query and reference use the same one:
    /// a clear bit means no reference row under the node has a code that maps there, so none
    /// equals the query's code.
    @inline(__always)
    static func bit(of code: UInt32, width: UInt32) -> UInt64 {
        code == SynthScanCore.Column.missingCode ? 63 : UInt64(Swift.min(code / width, 62))
    }

    /// Codes per bit for a coded column whose reference codes are `codes`.
    static func codeWidth(_ codes: [UInt32]) -> UInt32 {
        var largest: UInt32 = 0
        for c in codes where c != SynthScanCore.Column.missingCode { largest = Swift.max(largest, c) }
        return largest / 62 + 1
    }

    /// The global node range of the children of node `node` on level `level` (> 0).
    @inline(__always)
    func children(of node: Int, level: Int) -> Range<Int> {
        let first = (node - levelStarts[level]) * fanout + levelStarts[level - 1]
        return first..<Swift.min(first + fanout, levelStarts[level - 1] + levelCounts[level - 1])
    }

    init(problem: NearestRecordProblem, leafSize: Int, fanout: Int) {
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
                kinds.append(Column(kind: .coded, slot: codedReference.count, scale: 0, weight: weight,
                                    codeWidth: Self.codeWidth(reference)))
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
        self.fanout = Swift.max(2, fanout)
        let f = self.fanout
        // Level l holds levelCounts[l] nodes from levelStarts[l], each level starting on a multiple of `fanout`.
        var starts0 = [0], counts0 = [leafCount]
        while counts0[counts0.count - 1] > f {
            let below = counts0[counts0.count - 1]
            starts0.append((starts0[starts0.count - 1] + below + f - 1) / f * f)
            counts0.append((below + f - 1) / f)
        }
        levelStarts = starts0
        levelCounts = counts0
        nodeCount = (starts0[starts0.count - 1] + counts0[counts0.count - 1] + f - 1) / f * f
        let nodes = nodeCount

        rows = .allocate(capacity: Swift.max(1, n))
        starts = .allocate(capacity: leafStarts.count)
        numeric = .allocate(capacity: Swift.max(1, numericSlots * n))
        codes = .allocate(capacity: Swift.max(1, codedSlots * n))
        low = .allocate(capacity: Swift.max(1, numericSlots * nodes))
        high = .allocate(capacity: Swift.max(1, numericSlots * nodes))
        missingQueryBound = .allocate(capacity: Swift.max(1, numericSlots * nodes))
        codeBits = .allocate(capacity: Swift.max(1, codedSlots * nodes))
        // Padding nodes (never visited) bound everything.
        low.initialize(repeating: .infinity, count: Swift.max(1, numericSlots * nodes))
        high.initialize(repeating: -.infinity, count: Swift.max(1, numericSlots * nodes))
        missingQueryBound.initialize(repeating: 0, count: Swift.max(1, numericSlots * nodes))
        codeBits.initialize(repeating: 0, count: Swift.max(1, codedSlots * nodes))

        for p in 0..<n { rows[p] = order[p] }
        for k in leafStarts.indices { starts[k] = leafStarts[k] }
        let numericCount = numericSlots, codedCount = codedSlots
        // Columns are independent (each writes its own slots): one per task.
        _ = Parallel.map(kinds.count) { index in
            let column = kinds[index]
            let s = column.slot
            switch column.kind {
            case .scaled, .equality:
                let source = numericReference[s]
                for k in 0..<leafCount {
                    let start = leafStarts[k], length = leafStarts[k + 1] - start
                    var lo = Double.infinity, hi = -Double.infinity, anyMissing = false
                    for j in 0..<length {
                        let v = source[Int(order[start + j])]
                        numeric[start * numericCount + s * length + j] = v
                        if v.isNaN { anyMissing = true } else { lo = Swift.min(lo, v); hi = Swift.max(hi, v) }
                    }
                    let b = boundIndex(slot: s, node: k, slots: numericCount)
                    low[b] = lo
                    high[b] = hi
                    // A missing query value costs 0 only against a missing value, and only under `match`.
                    missingQueryBound[b] = anyMissing && !neverMatch ? 0 : column.weight
                }
                for level in levelStarts.indices.dropFirst() {
                    for node in levelStarts[level]..<(levelStarts[level] + levelCounts[level]) {
                        var lo = Double.infinity, hi = -Double.infinity, missing = column.weight
                        for child in children(of: node, level: level) {
                            let c = boundIndex(slot: s, node: child, slots: numericCount)
                            lo = Swift.min(lo, low[c])
                            hi = Swift.max(hi, high[c])
                            missing = Swift.min(missing, missingQueryBound[c])
                        }
                        let b = boundIndex(slot: s, node: node, slots: numericCount)
                        low[b] = lo
                        high[b] = hi
                        missingQueryBound[b] = missing
                    }
                }
            case .coded:
                let source = codedReference[s]
                for k in 0..<leafCount {
                    let start = leafStarts[k], length = leafStarts[k + 1] - start
                    var bits: UInt64 = 0
                    for j in 0..<length {
                        let code = source[Int(order[start + j])]
                        codes[start * codedCount + s * length + j] = code
                        bits |= 1 << Self.bit(of: code, width: column.codeWidth)
                    }
                    codeBits[boundIndex(slot: s, node: k, slots: codedCount)] = bits
                }
                for level in levelStarts.indices.dropFirst() {
                    for node in levelStarts[level]..<(levelStarts[level] + levelCounts[level]) {
                        var bits: UInt64 = 0
                        for child in children(of: node, level: level) { bits |= codeBits[boundIndex(slot: s, node: child, slots: codedCount)] }
                        codeBits[boundIndex(slot: s, node: node, slots: codedCount)] = bits
                    }
                }
            }
        }
    }

    /// Where (slot, node) lives in a bound array of `slots` slots: siblings (`fanout` aligned
    /// nodes) are stored together, column by column, so one expansion reads one contiguous block.
    @inline(__always)
    func boundIndex(slot: Int, node: Int, slots: Int) -> Int {
        (node / fanout) * slots * fanout + slot * fanout + node % fanout
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
    ///
    /// The top levels are split here until there are `parallelParts` subtrees, which are then split
    /// in parallel (disjoint ranges of the order). Each node's split depends only on the rows in
    /// its range, so the result is the same as splitting depth first on one thread.
    func split(rowCount n: Int) -> (order: [Int32], starts: [Int]) {
        var order = (0..<n).map { Int32($0) }
        let starts = order.withUnsafeMutableBufferPointer { buffer -> [Int] in
            nonisolated(unsafe) let rows = buffer
            var parts: [Range<Int>] = n > 0 ? [0..<n] : []
            var sample: [Double] = [], keys: [UInt64] = []
            while parts.count < Self.parallelParts, parts.contains(where: { $0.count > leafSize }) {
                var next: [Range<Int>] = []
                for node in parts {
                    guard node.count > leafSize else { next.append(node); continue }
                    let mid = partition(node, rows, &sample, &keys)
                    next.append(node.lowerBound..<mid)
                    next.append(mid..<node.upperBound)
                }
                parts = next
            }
            let ends = Parallel.map(parts.count) { k in leafEnds(of: parts[k], rows) }
            return [0] + ends.flatMap { $0 }
        }
        return (order, starts)
    }

    /// Subtrees split in parallel by `split` (a few per core, so uneven subtrees even out).
    static let parallelParts = 8

    /// Splits `part` of `order` depth first down to leaves; returns each leaf's end position, in order.
    func leafEnds(of part: Range<Int>, _ order: UnsafeMutableBufferPointer<Int32>) -> [Int] {
        var ends: [Int] = []
        var stack: [Range<Int>] = [part]
        var sample: [Double] = []
        var keys: [UInt64] = []
        sample.reserveCapacity(Self.sampleSize)
        keys.reserveCapacity(Self.sampleSize)
        while let node = stack.popLast() {
            if node.count <= leafSize {
                ends.append(node.upperBound)
                continue
            }
            let mid = partition(node, order, &sample, &keys)
            // Left first: leaves come out in position order.
            stack.append(mid..<node.upperBound)
            stack.append(node.lowerBound..<mid)
        }
        return ends
    }

    /// Splits `node` in place on its most spread column; returns the first position of the right part.
    func partition(_ node: Range<Int>, _ order: UnsafeMutableBufferPointer<Int32>, _ sample: inout [Double], _ keys: inout [UInt64]) -> Int {
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
