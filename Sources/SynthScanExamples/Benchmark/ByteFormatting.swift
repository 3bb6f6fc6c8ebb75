/// Fast ASCII formatting of non-negative integers straight into a byte buffer.
extension Array where Element == UInt8 {
    /// Appends `value` (must be ≥ 0) in decimal.
    @inline(__always)
    mutating func appendDecimal(_ value: Int) {
        appendPadded(value, width: 1)
    }

    /// Appends `value` (must be ≥ 0) in decimal, left-padded with zeros to `width` digits.
    @inline(__always)
    mutating func appendPadded(_ value: Int, width: Int) {
        var digits = 1
        var limit = 10
        while limit <= value && digits < 19 {
            digits += 1
            limit &*= 10
        }
        let total = Swift.max(digits, width)
        let start = count
        append(contentsOf: repeatElement(UInt8(ascii: "0"), count: total))
        var remaining = value
        var position = start + total - 1
        repeat {
            self[position] = UInt8(truncatingIfNeeded: 48 + remaining % 10)
            remaining /= 10
            position -= 1
        } while remaining > 0
    }

    /// Appends `scaled / 10^decimals` (scaled ≥ 0) with exactly `decimals` fractional digits.
    @inline(__always)
    mutating func appendFixed(_ scaled: Int, decimals: Int) {
        var divisor = 1
        for _ in 0..<decimals { divisor *= 10 }
        appendDecimal(scaled / divisor)
        append(UInt8(ascii: "."))
        appendPadded(scaled % divisor, width: decimals)
    }
}
