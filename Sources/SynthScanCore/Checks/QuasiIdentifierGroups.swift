import Foundation

/// Rows grouped by key digest: group ids in order of first appearance, rows of a group ascending.
struct KeyGroups {
    /// Group id of each key.
    let group: [RecordDigest: Int]
    /// Key of each group.
    let keys: [RecordDigest]
    private let start: [Int]
    private let members: [Int]

    init(_ digests: [RecordDigest]) {
        var group: [RecordDigest: Int] = [:]
        var keys: [RecordDigest] = []
        var ids = [Int](repeating: 0, count: digests.count)
        var counts: [Int] = []
        for (row, d) in digests.enumerated() {
            if let g = group[d] {
                ids[row] = g
                counts[g] += 1
            } else {
                group[d] = keys.count
                ids[row] = keys.count
                keys.append(d)
                counts.append(1)
            }
        }
        var start = [Int](repeating: 0, count: keys.count + 1)
        for g in 0..<keys.count { start[g + 1] = start[g] + counts[g] }
        var next = Array(start.dropLast())
        var members = [Int](repeating: 0, count: digests.count)
        for row in 0..<digests.count {
            members[next[ids[row]]] = row
            next[ids[row]] += 1
        }
        self.group = group
        self.keys = keys
        self.start = start
        self.members = members
    }

    /// Number of groups.
    var count: Int { keys.count }
    /// Rows in group `g`.
    func size(_ g: Int) -> Int { start[g + 1] - start[g] }
    /// The rows of group `g`, ascending.
    func rows(_ g: Int) -> ArraySlice<Int> { members[start[g]..<start[g + 1]] }
}

/// Whether a synthetic value equals a real value as record digests would judge it: numbers
/// after the column's rounding (−0 = 0, NaN = NaN), labels by their canonical text, missing equal
/// to missing and to nothing else.
struct ValueComparator {
    private enum Kind {
        case numbers([Double], MissingMask, [Double], MissingMask, scale: Double?)
        case codes([UInt32], [UInt32])
        case labels([UInt32], CategoryDictionary, [UInt32], CategoryDictionary)
        case never
    }
    private let kind: Kind

    init(_ synthetic: Column, _ real: Column, roundDigits: Int?) {
        switch (synthetic.storage, real.storage) {
        case (.numeric(let a, let am), .numeric(let b, let bm)):
            var scale: Double?
            if let d = roundDigits {
                var v = 1.0
                for _ in 0..<abs(d) { v *= 10 }
                scale = d >= 0 ? v : 1 / v
            }
            kind = .numbers(a, am, b, bm, scale: scale)
        case (.coded(let a, let da), .coded(let b, let db)):
            kind = da == db ? .codes(a, b) : .labels(a, da, b, db)
        default:
            kind = .never
        }
    }

    func equal(_ s: Int, _ r: Int) -> Bool {
        switch kind {
        case .numbers(let a, let am, let b, let bm, let scale):
            let ma = am.isMissing(s), mb = bm.isMissing(r)
            if ma || mb { return ma && mb }
            var x = a[s], y = b[r]
            if let scale {
                x = (x * scale).rounded() / scale
                y = (y * scale).rounded() / scale
            }
            return x == y || (x.isNaN && y.isNaN)
        case .codes(let a, let b):
            return a[s] == b[r]
        case .labels(let a, let da, let b, let db):
            let x = a[s], y = b[r]
            if x == Column.missingCode || y == Column.missingCode { return x == y }
            return da.labels[Int(x)] == db.labels[Int(y)]
        case .never:
            return false
        }
    }
}
