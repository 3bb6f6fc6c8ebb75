/// The XXH3-128 digest of one canonicalised record (or of a column subset of it).
public struct RecordDigest: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// High 64 bits.
    public let high: UInt64
    /// Low 64 bits.
    public let low: UInt64

    /// Creates a digest from its halves.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// 32 lower-case hex digits, high half first (xxHash's canonical big-endian form).
    public var hex: String { Self.hex16(high) + Self.hex16(low) }

    public var description: String { hex }

    public static func < (a: RecordDigest, b: RecordDigest) -> Bool { (a.high, a.low) < (b.high, b.low) }

    static func hex16(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
