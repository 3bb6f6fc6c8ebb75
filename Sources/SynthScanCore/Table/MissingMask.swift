/// A bitmask marking which rows of a column hold no value.
public struct MissingMask: Sendable, Equatable {
    /// One bit per row, 1 = missing.
    public private(set) var words: [UInt64]
    /// Number of rows covered.
    public private(set) var count: Int
    /// Number of rows marked missing.
    public private(set) var missingCount: Int

    /// Creates an empty mask.
    public init() { words = []; count = 0; missingCount = 0 }

    /// Creates a mask of `count` rows with none missing.
    public init(count: Int) {
        words = [UInt64](repeating: 0, count: (count + 63) >> 6)
        self.count = count
        missingCount = 0
    }

    /// Appends one row.
    @inlinable
    public mutating func append(_ isMissing: Bool) {
        if count & 63 == 0 { appendWord() }
        if isMissing { setMissing(count) }
        bump()
    }

    @usableFromInline mutating func appendWord() { words.append(0) }
    @usableFromInline mutating func bump() { count += 1 }
    @usableFromInline mutating func setMissing(_ row: Int) {
        let bit: UInt64 = 1 << UInt64(row & 63)
        if words[row >> 6] & bit == 0 {
            words[row >> 6] |= bit
            missingCount += 1
        }
    }

    /// Marks an existing row as missing.
    public mutating func markMissing(_ row: Int) {
        precondition(row < count)
        setMissing(row)
    }

    /// Whether `row` is missing.
    @inlinable
    public func isMissing(_ row: Int) -> Bool {
        words[row >> 6] & (1 << UInt64(row & 63)) != 0
    }

    /// Reserves room for `rows` rows.
    public mutating func reserveCapacity(_ rows: Int) { words.reserveCapacity((rows + 63) >> 6) }
}
