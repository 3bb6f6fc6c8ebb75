/// Locale-independent formatting of scaled integers as fixed-point decimals ("7.2", "1.05").
enum FixedDecimal {
    /// Formats `scaled / 10^decimals` with exactly `decimals` fractional digits.
    static func format(_ scaled: Int, decimals: Int) -> String {
        precondition(decimals >= 0)
        guard decimals > 0 else { return String(scaled) }
        var divisor = 1
        for _ in 0..<decimals { divisor *= 10 }
        let magnitude = scaled.magnitude
        let whole = magnitude / UInt(divisor)
        let fraction = String(magnitude % UInt(divisor))
        let padding = String(repeating: "0", count: decimals - fraction.count)
        return (scaled < 0 ? "-" : "") + String(whole) + "." + padding + fraction
    }

    /// `numerator / denominator` rounded half-up to the nearest integer (both non-negative).
    static func roundedQuotient(_ numerator: Int, _ denominator: Int) -> Int {
        precondition(denominator > 0 && numerator >= 0)
        return (2 * numerator + denominator) / (2 * denominator)
    }

    /// The ratio `numerator / denominator` as a decimal string with `decimals` digits.
    static func ratio(_ numerator: Int, _ denominator: Int, decimals: Int) -> String {
        var scale = 1
        for _ in 0..<decimals { scale *= 10 }
        return format(roundedQuotient(numerator * scale, denominator), decimals: decimals)
    }
}
