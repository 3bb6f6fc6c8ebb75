/// A set of dictionary codes (or any small non-negative integers) as a bitmap.
struct CodeSet {
    private var words: [UInt64]
    /// Number of members.
    private(set) var count = 0

    /// An empty set for codes `0..<capacity`.
    init(capacity: Int) {
        words = [UInt64](repeating: 0, count: (capacity + 63) >> 6)
    }

    /// The codes that occur in `codes` (missing values left out).
    init(codes: [UInt32], capacity: Int) {
        self.init(capacity: capacity)
        for code in codes where code != Column.missingCode { insert(code) }
    }

    /// Adds `code`.
    mutating func insert(_ code: UInt32) {
        let bit: UInt64 = 1 << UInt64(code & 63)
        let w = Int(code >> 6)
        if words[w] & bit == 0 {
            words[w] |= bit
            count += 1
        }
    }

    /// Whether `code` is a member (codes beyond the capacity are not).
    @inline(__always)
    func contains(_ code: UInt32) -> Bool {
        let w = Int(code >> 6)
        return w < words.count && words[w] & (1 << UInt64(code & 63)) != 0
    }

    /// The members in ascending order.
    var members: [Int] {
        var out: [Int] = []
        out.reserveCapacity(count)
        for (w, word) in words.enumerated() where word != 0 {
            var bits = word
            while bits != 0 {
                out.append(w << 6 + bits.trailingZeroBitCount)
                bits &= bits - 1
            }
        }
        return out
    }
}
