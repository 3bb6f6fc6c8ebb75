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

    /// The canonical text of a number: integers up to 2^53 in magnitude without a fraction,
    /// others in Swift's shortest round-trip form (`1.2345678901234568e+16`); `-0` reads as `0`.
    static func canonicalText(_ value: Double) -> String {
        if value == 0 { return "0" }
        if value == value.rounded(), abs(value) <= largestExactInteger { return String(Int64(value)) }
        return value.description
    }

    /// The canonical text of the number `s` spells, only if it spells exactly the same decimal
    /// value (`1.0`, `1e0`, `+1` → `1`; `0.1` → `0.1`; `-0` → `0`); nil if `s` is not a number
    /// (leading zeros are not allowed) or if going through Float64 would lose digits
    /// (`12345678901234567` would read as `12345678901234568`, `1e-400` as `0`).
    static func exactCanonicalText(_ s: UnsafeBufferPointer<UInt8>) -> String? {
        guard let value = parse(s) else { return nil }
        let text = canonicalText(value)
        return ExactDecimal(s) == ExactDecimal(text.utf8) ? text : nil
    }

    /// 2^53: every integer up to this magnitude is exact in Float64, the next one is not.
    static let largestExactInteger: Double = 9_007_199_254_740_992

    /// Whether `s` is an integer literal (digits with an optional sign: no point, no exponent)
    /// whose magnitude is above 2^53, so that Float64 cannot keep it apart from its neighbours.
    /// `value` is what `parse` made of `s`; only values at or above 2^53 are looked at.
    @inline(__always)
    static func isIntegerBeyondFloat64(_ s: UnsafeBufferPointer<UInt8>, value: Double) -> Bool {
        abs(value) >= largestExactInteger && integerDigitsAbove2To53(s)
    }

    private static func integerDigitsAbove2To53(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        if i < s.count, s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+") { i += 1 }
        while i < s.count - 1, s[i] == UInt8(ascii: "0") { i += 1 }
        let digits = s.count - i
        guard digits > 0, s[i...].allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }) else { return false }
        if digits != 16 { return digits > 16 }
        return "9007199254740992".utf8.lexicographicallyPrecedes(s[i...])   // same length: numeric order
    }
}

/// The exact decimal value a number's text spells, for telling whether two spellings agree:
/// the significant digits (no leading or trailing zeros), the power of ten of the last one, and
/// the sign. Zero is one value whatever its sign. Only for text that `NumberParser.parse` accepts.
private struct ExactDecimal: Equatable {
    var negative = false
    var digits: [UInt8] = []
    var exponent = 0

    init<C: Collection<UInt8>>(_ text: C) {
        var i = text.startIndex
        if i < text.endIndex, text[i] == UInt8(ascii: "-") || text[i] == UInt8(ascii: "+") {
            negative = text[i] == UInt8(ascii: "-")
            i = text.index(after: i)
        }
        var fractionDigits = 0, inFraction = false
        while i < text.endIndex {
            let c = text[i]
            if c == UInt8(ascii: ".") {
                inFraction = true
            } else if c &- UInt8(ascii: "0") < 10 {
                if !(digits.isEmpty && c == UInt8(ascii: "0")) { digits.append(c) }
                if inFraction { fractionDigits += 1 }
            } else {
                break // the exponent marker
            }
            i = text.index(after: i)
        }
        var power = 0, powerNegative = false
        if i < text.endIndex {
            i = text.index(after: i)
            if i < text.endIndex, text[i] == UInt8(ascii: "-") || text[i] == UInt8(ascii: "+") {
                powerNegative = text[i] == UInt8(ascii: "-")
                i = text.index(after: i)
            }
            while i < text.endIndex {
                // Saturates: parse rejects text whose exponent is this far out anyway, or reads it as 0.
                if power < 100_000_000 { power = power * 10 + Int(text[i] &- UInt8(ascii: "0")) }
                i = text.index(after: i)
            }
        }
        exponent = (powerNegative ? -power : power) - fractionDigits
        while digits.last == UInt8(ascii: "0") {
            digits.removeLast()
            exponent += 1
        }
        if digits.isEmpty {
            negative = false
            exponent = 0
        }
    }
}
