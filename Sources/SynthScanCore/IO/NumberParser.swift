#if canImport(Glibc)
import Glibc
#endif

/// Reads decimal numbers from bytes, exactly as `strtod` would round them, without a String.
///
/// Grammar: `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`. Leading zeros in the
/// integer part (`007`, `021`) make a value NOT a number unless `allowLeadingZeros` is set,
/// so ZIP prefixes and codes stay categorical. `inf`, `nan` and hex floats are not numbers.
enum NumberParser {
    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// The value of `s`, or nil if it is not a decimal number.
    static func parse(_ s: UnsafeBufferPointer<UInt8>, allowLeadingZeros: Bool = false) -> Double? {
        let n = s.count
        guard n > 0, n < 400 else { return nil }
        var i = 0
        var negative = false
        if s[0] == UInt8(ascii: "-") || s[0] == UInt8(ascii: "+") { negative = s[0] == UInt8(ascii: "-"); i = 1 }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var decimalExponent = 0
        var intDigits = 0, fracDigits = 0
        let intStart = i
        while i < n, s[i] &- UInt8(ascii: "0") < 10 {
            accumulate(s[i], &mantissa, &significantDigits, &decimalExponent, isFraction: false)
            i += 1; intDigits += 1
        }
        if intDigits > 1 && s[intStart] == UInt8(ascii: "0") && !allowLeadingZeros { return nil }
        if i < n, s[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, s[i] &- UInt8(ascii: "0") < 10 {
                accumulate(s[i], &mantissa, &significantDigits, &decimalExponent, isFraction: true)
                i += 1; fracDigits += 1
            }
        }
        guard intDigits + fracDigits > 0 else { return nil }
        if i < n, s[i] == UInt8(ascii: "e") || s[i] == UInt8(ascii: "E") {
            i += 1
            var expNegative = false
            if i < n, s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+") { expNegative = s[i] == UInt8(ascii: "-"); i += 1 }
            var exp = 0, expDigits = 0
            while i < n, s[i] &- UInt8(ascii: "0") < 10 {
                if exp < 100_000 { exp = exp * 10 + Int(s[i] &- UInt8(ascii: "0")) }
                i += 1; expDigits += 1
            }
            guard expDigits > 0 else { return nil }
            decimalExponent += expNegative ? -exp : exp
        }
        guard i == n else { return nil }
        // Clinger's fast path: both operands exact, so one rounding gives the correct result.
        if significantDigits <= 15 && mantissa < (1 << 53) && abs(decimalExponent) <= 22 {
            var v = Double(mantissa)
            if decimalExponent >= 0 { v *= exactPowersOfTen[decimalExponent] } else { v /= exactPowersOfTen[-decimalExponent] }
            return negative ? -v : v
        }
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        return slowPath(s)
    }

    @inline(__always)
    private static func accumulate(_ c: UInt8, _ mantissa: inout UInt64, _ significant: inout Int,
                                   _ exponent: inout Int, isFraction: Bool) {
        let d = UInt64(c &- UInt8(ascii: "0"))
        if significant == 0 && d == 0 {
            if isFraction { exponent -= 1 }
            return
        }
        if significant < 19 {
            mantissa = mantissa * 10 + d
            significant += 1
            if isFraction { exponent -= 1 }
        } else {
            significant += 1
            if !isFraction { exponent += 1 }
        }
    }

    /// Correctly rounded conversion through the C library (rare: long or extreme numbers).
    private static func slowPath(_ s: UnsafeBufferPointer<UInt8>) -> Double? {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: s.count + 1) { buf -> Double? in
            for k in 0..<s.count { buf[k] = CChar(bitPattern: s[k]) }
            buf[s.count] = 0
            guard let base = buf.baseAddress else { return nil }
            var end: UnsafeMutablePointer<CChar>? = nil
            let v = strtod(base, &end)
            guard let end, end - base == s.count, v.isFinite else { return nil }
            return v
        }
    }

    /// The canonical text of a number: integers without a fraction, others in Swift's
    /// shortest round-trip form; `-0` reads as `0`.
    static func canonicalText(_ value: Double) -> String {
        if value == 0 { return "0" }
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 { return String(Int64(value)) }
        return value.description
    }
}
