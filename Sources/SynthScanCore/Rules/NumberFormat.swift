// The number formats of message templates (split from MessageTemplate.swift).

/// The number format of a placeholder spec, Python-style (`.2%`, `,d`, `08.3f`) or printf-style
/// (`%.2f%%`, `%+05d`).
///
/// - Python types: `f` fixed (default precision 6); `e` scientific, exponent with sign and at
///   least two digits (default 6); `g` general, `p` significant digits (default 6, 0 means 1),
///   fixed if the exponent X after rounding has -4 <= X < p, else scientific, trailing zeros
///   removed; `d` integer, rounded half away from zero, no precision allowed; `%` multiplies by
///   100 (in Double arithmetic, as Python does), formats as `f` and appends `%`. No type: the
///   plain format (`plain(_:)`), with sign, grouping and width applied; a precision then needs a
///   type. `+` shows a plus sign on non-negative numbers; `,` groups the integer digits by three
///   with `,`; `width` is the minimum length of the whole field (including sign and `%`),
///   padded on the left with spaces, or with `0` zeros after the sign (zeros are grouped too,
///   as in Python: `{x:08,d}` of 1234 is `0,001,234`).
/// - printf conversions: `d`/`i` integer (rounded half away from zero, no precision allowed),
///   `f`, `e`/`E`, `g`/`G` as in C; `.` alone means precision 0. printf does NOT scale: write
///   `%.2f%%` for a value that is already a percentage, and Python's `.2%` for a share (0.125 →
///   `12.50%`). Flags `+` and `0` (any order), width, `%%` for a literal percent, and literal
///   text before and after the one conversion, which the width does not count.
/// - Rounding (`f`, `e`, `g`, `%` and the plain format) is exact on the binary value of the
///   Double with ties to even, as C printf and Python do: `.2f` of 0.125 is `0.12`, of 2.675
///   (really 2.67499999…) is `2.67`.
/// - A result that rounds to zero never has a minus sign (like Python's `z` option): `.2f` of
///   -0.001 is `0.00`, and -0.0 is `0`.
/// - NaN renders as `n/a`, infinities as `∞` and `-∞`, ignoring the whole spec (including any
///   printf literal text, width and `+`).
/// - Output never depends on the locale: the decimal point is always `.`.
public struct NumberFormat: Sendable, Equatable {
    /// Which of the two spec syntaxes a format was written in.
    public enum Dialect: Sendable, Equatable {
        /// Python format-spec subset, e.g. `.2%`, `,d`.
        case python
        /// printf subset, e.g. `%.2f%%`.
        case printf
    }

    /// What a format converts a number to.
    public enum Conversion: Sendable, Equatable {
        /// `f`: fixed-point.
        case fixed
        /// `e` / `E`: scientific notation.
        case exponent(uppercase: Bool)
        /// `g` / `G`: fixed or scientific, trailing zeros removed.
        case general(uppercase: Bool)
        /// `d` / `i`: integer, rounded half away from zero.
        case integer
        /// Python `%`: times 100, fixed-point, then `%`.
        case percent
    }

    /// The spec as written (the text between `:` and `}`).
    public let spec: String
    /// The syntax the spec was written in.
    public let dialect: Dialect
    /// The conversion, or `nil` for the plain format (Python spec without a type).
    public let conversion: Conversion?
    /// `+`: show a plus sign on non-negative results.
    public let showPlus: Bool
    /// `0`: pad to `width` with zeros after the sign instead of spaces before it.
    public let zeroPad: Bool
    /// Minimum field width (0...50), or `nil`.
    public let width: Int?
    /// Digits after the point (`f`, `e`, `%`) or significant digits (`g`), 0...50, or `nil` for the default 6.
    public let precision: Int?
    /// `,`: group integer digits by three (Python only).
    public let grouping: Bool
    /// printf literal text before the conversion (`%%` already turned into `%`).
    public let prefix: String
    /// printf literal text after the conversion (`%%` already turned into `%`).
    public let suffix: String

    /// Largest accepted width and precision.
    public static let maxWidthOrPrecision = 50

    /// Parses a spec (the text after `:` in a placeholder); error offsets are Character offsets into `spec`.
    public init(_ spec: String) throws(MessageTemplateError) {
        let units = SpecUnit.units(of: spec)
        guard !units.isEmpty else { throw MessageTemplateError(offset: 0, message: "empty format spec") }
        for u in units where u.scalar == "{" || u.scalar == "}" {
            throw MessageTemplateError(offset: u.offset, message: "\(SpecUnit.describe(u.scalar)) is not allowed inside a format spec")
        }
        try self.init(units: units)
    }

    init(units: [SpecUnit]) throws(MessageTemplateError) {
        var specText = String.UnicodeScalarView()
        specText.append(contentsOf: units.map(\.scalar))
        let spec = String(specText)
        if units.first?.scalar == "%" {
            self = try Self.parsePrintf(units, spec: spec)
            return
        }
        switch Self.parsePython(units, spec: spec) {
        case .success(let f): self = f
        case .failure(let error):
            if units.contains(where: { $0.scalar == "%" }) {
                self = try Self.parsePrintf(units, spec: spec)
            } else {
                throw error
            }
        }
    }

    private init(spec: String, dialect: Dialect, conversion: Conversion?, showPlus: Bool, zeroPad: Bool,
                 width: Int?, precision: Int?, grouping: Bool, prefix: String, suffix: String) {
        self.spec = spec
        self.dialect = dialect
        self.conversion = conversion
        self.showPlus = showPlus
        self.zeroPad = zeroPad
        self.width = width
        self.precision = precision
        self.grouping = grouping
        self.prefix = prefix
        self.suffix = suffix
    }

    // MARK: Parsing

    /// Reads a run of digits at `i` (advancing it); `nil` if there is none; throws above the limit.
    private static func number(_ u: [SpecUnit], _ i: inout Int, what: String) throws(MessageTemplateError) -> Int? {
        let start = i
        var value = 0
        while i < u.count, SpecUnit.isDigit(u[i].scalar) {
            value = min(value * 10 + Int(u[i].scalar.value - 48), 1_000_000)
            i += 1
        }
        guard i > start else { return nil }
        if value > maxWidthOrPrecision {
            let shown = value >= 1_000_000 ? "" : " \(value)"
            throw MessageTemplateError(offset: u[start].offset,
                                       message: "\(what)\(shown) is larger than the maximum of \(maxWidthOrPrecision)")
        }
        return value
    }

    private static func parsePython(_ u: [SpecUnit], spec: String) -> Result<NumberFormat, MessageTemplateError> {
        do throws(MessageTemplateError) {
            var i = 0
            var plus = false, zero = false, grouping = false
            var conversion: Conversion?
            var typeName: Unicode.Scalar?
            var precision: Int?
            var precisionOffset = 0
            if i < u.count, u[i].scalar == "+" { plus = true; i += 1 }
            if i < u.count, u[i].scalar == "0" { zero = true; i += 1 }
            let width = try number(u, &i, what: "width")
            if i < u.count, u[i].scalar == "," { grouping = true; i += 1 }
            if i < u.count, u[i].scalar == "." {
                precisionOffset = u[i].offset
                i += 1
                guard let p = try number(u, &i, what: "precision") else {
                    throw MessageTemplateError(offset: precisionOffset, message: "missing precision digits after '.'")
                }
                precision = p
            }
            if i < u.count {
                switch u[i].scalar {
                case "f": conversion = .fixed
                case "e": conversion = .exponent(uppercase: false)
                case "g": conversion = .general(uppercase: false)
                case "d": conversion = .integer
                case "%": conversion = .percent
                default: break
                }
                if conversion != nil { typeName = u[i].scalar; i += 1 }
            }
            if i < u.count {
                let c = u[i].scalar
                let message: String
                if let t = typeName {
                    message = "unexpected \(SpecUnit.describe(c)) after format type '\(t)'"
                } else if SpecUnit.isASCIILetter(c) {
                    message = "unknown format type \(SpecUnit.describe(c)) (expected f, e, g, d or %)"
                } else if c == "-" || c == " " {
                    message = "sign option \(SpecUnit.describe(c)) is not supported (only '+')"
                } else if "<>^=".unicodeScalars.contains(c) {
                    message = "fill and alignment (\(SpecUnit.describe(c))) are not supported"
                } else if c == "#" {
                    message = "alternate form '#' is not supported"
                } else if c == "_" {
                    message = "'_' grouping is not supported (use ',')"
                } else {
                    message = "unexpected \(SpecUnit.describe(c)) in format spec (expected [+][0][width][,][.precision][type])"
                }
                throw MessageTemplateError(offset: u[i].offset, message: message)
            }
            if precision != nil {
                if conversion == .integer {
                    throw MessageTemplateError(offset: precisionOffset, message: "precision is not allowed with format type 'd'")
                }
                if conversion == nil {
                    throw MessageTemplateError(offset: precisionOffset, message: "a precision needs a format type (f, e, g or %)")
                }
            }
            return .success(NumberFormat(spec: spec, dialect: .python, conversion: conversion, showPlus: plus, zeroPad: zero,
                                         width: width, precision: precision, grouping: grouping, prefix: "", suffix: ""))
        } catch {
            return .failure(error)
        }
    }

    private static func parsePrintf(_ u: [SpecUnit], spec: String) throws(MessageTemplateError) -> NumberFormat {
        var prefix = String.UnicodeScalarView(), suffix = String.UnicodeScalarView()
        var found: (conversion: Conversion, plus: Bool, zero: Bool, width: Int?, precision: Int?)?
        let missing = "missing conversion after '%' (expected d, i, f, e, E, g or G; write '%%' for a literal '%')"
        var i = 0
        while i < u.count {
            guard u[i].scalar == "%" else {
                if found == nil { prefix.append(u[i].scalar) } else { suffix.append(u[i].scalar) }
                i += 1
                continue
            }
            if i + 1 < u.count, u[i + 1].scalar == "%" {
                if found == nil { prefix.append("%") } else { suffix.append("%") }
                i += 2
                continue
            }
            let percent = u[i]
            if found != nil {
                throw MessageTemplateError(offset: percent.offset, message: "a format spec may have only one conversion (write '%%' for a literal '%')")
            }
            i += 1
            var plus = false, zero = false
            while i < u.count, u[i].scalar == "+" || u[i].scalar == "0" {
                if u[i].scalar == "+" { plus = true } else { zero = true }
                i += 1
            }
            if i < u.count, "- #'".unicodeScalars.contains(u[i].scalar) {
                throw MessageTemplateError(offset: u[i].offset, message: "printf flag \(SpecUnit.describe(u[i].scalar)) is not supported (only '+' and '0')")
            }
            let width = try number(u, &i, what: "width")
            var precision: Int?
            var precisionOffset = 0
            if i < u.count, u[i].scalar == "." {
                precisionOffset = u[i].offset
                i += 1
                precision = try number(u, &i, what: "precision") ?? 0
            }
            guard i < u.count else { throw MessageTemplateError(offset: percent.offset, message: missing) }
            let c = u[i].scalar
            let conversion: Conversion
            switch c {
            case "d", "i": conversion = .integer
            case "f": conversion = .fixed
            case "e": conversion = .exponent(uppercase: false)
            case "E": conversion = .exponent(uppercase: true)
            case "g": conversion = .general(uppercase: false)
            case "G": conversion = .general(uppercase: true)
            default:
                let message: String
                if c == "*" {
                    message = "'*' width or precision is not supported"
                } else if "hlLqjzt".unicodeScalars.contains(c) {
                    message = "length modifier \(SpecUnit.describe(c)) is not supported (write e.g. '%d' or '%f')"
                } else if c == "%" {
                    message = missing
                } else {
                    message = "unsupported conversion \(SpecUnit.describe(c)) (expected d, i, f, e, E, g or G)"
                }
                throw MessageTemplateError(offset: c == "%" ? percent.offset : u[i].offset, message: message)
            }
            if conversion == .integer, precision != nil {
                throw MessageTemplateError(offset: precisionOffset, message: "precision is not allowed with conversion '\(c)'")
            }
            found = (conversion, plus, zero, width, precision)
            i += 1
        }
        guard let f = found else {
            throw MessageTemplateError(offset: u.first?.offset ?? 0, message: "no conversion in printf-style spec (expected one of %d, %i, %f, %e, %E, %g, %G)")
        }
        return NumberFormat(spec: spec, dialect: .printf, conversion: f.conversion, showPlus: f.plus, zeroPad: f.zero,
                            width: f.width, precision: f.precision, grouping: false,
                            prefix: String(prefix), suffix: String(suffix))
    }

    // MARK: Formatting

    /// Formats `v` with this spec (see the type documentation for the rules).
    public func format(_ v: Double) -> String {
        if let special = Self.nonFinite(v) { return special }
        var x = v
        if conversion == .percent { x *= 100 }
        if let special = Self.nonFinite(x) { return special }
        let negative = x.sign == .minus
        var digits = ExactDigits(x.magnitude)
        var parts: (int: [UInt8], tail: String)
        switch conversion {
        case nil: parts = Self.plainParts(&digits, x)
        case .fixed?: parts = digits.fixed(precision ?? 6)
        case .percent?:
            parts = digits.fixed(precision ?? 6)
            parts.tail += "%"
        case .exponent(let upper)?: parts = digits.scientific(precision ?? 6, uppercase: upper, trim: false)
        case .general(let upper)?: parts = digits.general(precision ?? 6, uppercase: upper)
        case .integer?:
            digits.round(keeping: digits.point, halfAwayFromZero: true)
            parts = digits.fixed(0)
        }
        let sign = negative && !digits.isZero ? "-" : (showPlus ? "+" : "")
        var intDigits = parts.int
        func body() -> String {
            var s = ""
            for (n, d) in intDigits.enumerated() {
                if grouping, n > 0, (intDigits.count - n) % 3 == 0 { s += "," }
                s.unicodeScalars.append(Unicode.Scalar(48 + d))
            }
            return s
        }
        var core = body()
        if let width, zeroPad {
            let needed = width - sign.count - parts.tail.count
            while core.count < needed {
                intDigits.insert(0, at: 0)
                core = body()
            }
        }
        var field = sign + core + parts.tail
        if let width, field.count < width {
            field = String(repeating: " ", count: width - field.count) + field
        }
        return prefix + field + suffix
    }

    /// The plain format, for placeholders without a spec: integers print without decimals;
    /// |v| >= 1000 rounds to an integer (half to even: 1234.5 → `1234`, 1234.56 → `1235`);
    /// smaller values keep 4 significant digits with trailing zeros removed, like C `%.4g`
    /// (0.123456 → `0.1235`, 0.5 → `0.5`, 0.00001234 → `1.234e-05`); -0 → `0`; NaN → `n/a`;
    /// infinities → `∞` / `-∞`.
    public static func plain(_ v: Double) -> String {
        if let special = nonFinite(v) { return special }
        var digits = ExactDigits(v.magnitude)
        let parts = plainParts(&digits, v)
        var s = v.sign == .minus && !digits.isZero ? "-" : ""
        for d in parts.int { s.unicodeScalars.append(Unicode.Scalar(48 + d)) }
        return s + parts.tail
    }

    private static func plainParts(_ digits: inout ExactDigits, _ v: Double) -> (int: [UInt8], tail: String) {
        v.magnitude >= 1000 ? digits.fixed(0) : digits.general(4, uppercase: false)
    }

    private static func nonFinite(_ v: Double) -> String? {
        if v.isNaN { return "n/a" }
        if v.isInfinite { return v < 0 ? "-∞" : "∞" }
        return nil
    }
}

// MARK: - Support

/// One Unicode scalar of a template with the Character offset of the Character containing it.
struct SpecUnit {
    let scalar: Unicode.Scalar
    let offset: Int

    static func units(of text: String) -> [SpecUnit] {
        var units: [SpecUnit] = []
        units.reserveCapacity(text.unicodeScalars.count)
        for (offset, character) in text.enumerated() {
            for scalar in character.unicodeScalars { units.append(SpecUnit(scalar: scalar, offset: offset)) }
        }
        return units
    }

    static func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 48 && c.value <= 57 }
    static func isLowerLetter(_ c: Unicode.Scalar) -> Bool { c.value >= 97 && c.value <= 122 }
    static func isASCIILetter(_ c: Unicode.Scalar) -> Bool { isLowerLetter(c) || (c.value >= 65 && c.value <= 90) }

    /// `'x'` for printable ASCII, `a space`, or `U+XXXX`.
    static func describe(_ c: Unicode.Scalar) -> String {
        if c == " " { return "a space" }
        if c.value > 32 && c.value < 127 { return "'\(Character(c))'" }
        let hex = String(c.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}

/// The exact decimal expansion of a finite non-negative Double, with rounding.
///
/// value = 0.d₀d₁d₂… × 10^point; `digits` has no leading or trailing zeros; zero has no digits.
private struct ExactDigits {
    var digits: [UInt8]
    var point: Int

    var isZero: Bool { digits.isEmpty }

    init(_ v: Double) {
        digits = []
        point = 0
        guard v != 0, v.isFinite else { return }
        let bits = v.bitPattern
        let exponentBits = Int((bits >> 52) & 0x7FF)
        let fraction = bits & ((1 << 52) - 1)
        var mantissa = exponentBits == 0 ? fraction : fraction | (1 << 52)
        var e2 = exponentBits == 0 ? -1074 : exponentBits - 1075
        let tz = mantissa.trailingZeroBitCount
        mantissa >>= UInt64(tz)
        e2 += tz
        // Little-endian base-10⁹ limbs.
        let base: UInt64 = 1_000_000_000
        var limbs: [UInt64] = [mantissa % base, (mantissa / base) % base, mantissa / (base * base)]
        while limbs.count > 1, limbs.last == 0 { limbs.removeLast() }
        func multiply(by m: UInt64) {
            var carry: UInt64 = 0
            for k in limbs.indices {
                let p = limbs[k] * m + carry
                limbs[k] = p % base
                carry = p / base
            }
            while carry > 0 { limbs.append(carry % base); carry /= base }
        }
        var fractionDigits = 0
        if e2 > 0 {
            var left = e2
            while left > 0 { let s = min(left, 31); multiply(by: 1 << UInt64(s)); left -= s }
        } else if e2 < 0 {
            // m × 2^-n = m × 5^n / 10^n
            var left = -e2
            fractionDigits = left
            while left > 0 {
                let s = min(left, 13)
                var f: UInt64 = 1
                for _ in 0..<s { f *= 5 }
                multiply(by: f)
                left -= s
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(limbs.count * 9)
        for (n, limb) in limbs.reversed().enumerated() {
            var chunk = [UInt8](repeating: 0, count: 9)
            var l = limb
            for k in stride(from: 8, through: 0, by: -1) { chunk[k] = UInt8(l % 10); l /= 10 }
            if n == 0 { out.append(contentsOf: chunk.drop { $0 == 0 }) } else { out.append(contentsOf: chunk) }
        }
        point = out.count - fractionDigits
        while out.last == 0 { out.removeLast() }
        digits = out
    }

    /// Digit `j` counted from the first significant digit (0 outside the stored digits).
    func digit(_ j: Int) -> UInt8 { j >= 0 && j < digits.count ? digits[j] : 0 }

    /// Rounds to the first `k` digits (k may be <= 0): ties to even, or away from zero.
    mutating func round(keeping k: Int, halfAwayFromZero: Bool = false) {
        guard k < digits.count else { return }
        guard k >= 0 else { digits = []; point = 0; return }
        let next = digits[k]
        let restNonZero = digits.count > k + 1
        let lastOdd = k > 0 && digits[k - 1] % 2 == 1
        let up = next > 5 || (next == 5 && (restNonZero || halfAwayFromZero || lastOdd))
        digits.removeLast(digits.count - k)
        if up {
            var idx = k - 1
            while idx >= 0, digits[idx] == 9 { digits[idx] = 0; idx -= 1 }
            if idx < 0 { digits.insert(1, at: 0); point += 1 } else { digits[idx] += 1 }
        }
        while digits.last == 0 { digits.removeLast() }
        if digits.isEmpty { point = 0 }
    }

    /// Fixed notation with `n` digits after the point: integer digits and `.ddd` tail.
    mutating func fixed(_ n: Int) -> (int: [UInt8], tail: String) {
        if !isZero { round(keeping: point + n) }
        let intDigits: [UInt8] = point > 0 ? (0..<point).map(digit) : [0]
        var tail = ""
        if n > 0 {
            tail = "."
            for j in point..<(point + n) { tail.unicodeScalars.append(Unicode.Scalar(48 + digit(j))) }
        }
        return (intDigits, tail)
    }

    /// Scientific notation with `n` digits after the point; `trim` removes trailing zeros (for `g`).
    mutating func scientific(_ n: Int, uppercase: Bool, trim: Bool) -> (int: [UInt8], tail: String) {
        round(keeping: n + 1)
        let exponent = isZero ? 0 : point - 1
        var fraction = (1...max(n, 1)).map(digit).prefix(n)
        if trim { while fraction.last == 0 { fraction.removeLast() } }
        var tail = ""
        if !fraction.isEmpty {
            tail = "."
            for d in fraction { tail.unicodeScalars.append(Unicode.Scalar(48 + d)) }
        }
        let e = abs(exponent)
        tail += (uppercase ? "E" : "e") + (exponent < 0 ? "-" : "+") + (e < 10 ? "0" : "") + String(e)
        return ([digit(0)], tail)
    }

    /// C/Python `g` with `p` significant digits (0 means 1), trailing zeros removed.
    mutating func general(_ p: Int, uppercase: Bool) -> (int: [UInt8], tail: String) {
        let p = max(p, 1)
        if isZero { return ([0], "") }
        round(keeping: p)
        let exponent = point - 1
        if exponent >= -4 && exponent < p {
            var parts = fixed(p - 1 - exponent)
            while parts.tail.hasSuffix("0") { parts.tail.removeLast() }
            if parts.tail == "." { parts.tail = "" }
            return parts
        }
        return scientific(p - 1, uppercase: uppercase, trim: true)
    }
}
