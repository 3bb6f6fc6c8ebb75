/// Reads ISO 8601 dates and timestamps from bytes as seconds since 1970-01-01T00:00:00Z.
///
/// Accepted: `YYYY-MM-DD`, optionally followed by `T` or a space and `HH:MM`, `HH:MM:SS` or
/// `HH:MM:SS.fff…`, optionally followed by `Z` or an offset `±HH:MM` / `±HHMM` / `±HH`. A time
/// without an offset is read as UTC. Calendar validity (month lengths, leap years) is checked.
enum DateTimeParser {
    /// Seconds since the Unix epoch, or nil if `s` is not an ISO 8601 date or timestamp.
    static func parse(_ s: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = s.count
        guard n >= 10, n <= 40 else { return nil }
        guard let year = digits(s, 0, 4), s[4] == UInt8(ascii: "-"), let month = digits(s, 5, 2),
              s[7] == UInt8(ascii: "-"), let day = digits(s, 8, 2) else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month) else { return nil }
        var seconds = Double(daysFromCivil(year: year, month: month, day: day)) * 86_400
        var i = 10
        if i == n { return seconds }
        guard s[i] == UInt8(ascii: "T") || s[i] == UInt8(ascii: " ") else { return nil }
        i += 1
        guard i + 5 <= n, let hour = digits(s, i, 2), s[i + 2] == UInt8(ascii: ":"), let minute = digits(s, i + 3, 2),
              hour < 24, minute < 60 else { return nil }
        i += 5
        var second = 0.0
        if i < n, s[i] == UInt8(ascii: ":") {
            guard i + 3 <= n, let sec = digits(s, i + 1, 2), sec < 61 else { return nil }
            second = Double(sec)
            i += 3
            if i < n, s[i] == UInt8(ascii: ".") || s[i] == UInt8(ascii: ",") {
                i += 1
                var scale = 0.1, any = false
                while i < n, s[i] &- UInt8(ascii: "0") < 10 {
                    second += Double(s[i] &- UInt8(ascii: "0")) * scale
                    scale /= 10
                    i += 1
                    any = true
                }
                guard any else { return nil }
            }
        }
        seconds += Double(hour * 3600 + minute * 60) + second
        if i == n { return seconds }
        if s[i] == UInt8(ascii: "Z") { return i + 1 == n ? seconds : nil }
        guard s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") else { return nil }
        let sign = s[i] == UInt8(ascii: "+") ? 1.0 : -1.0
        i += 1
        guard let offH = digits(s, i, 2), offH < 24 else { return nil }
        i += 2
        var offM = 0
        if i < n {
            if s[i] == UInt8(ascii: ":") { i += 1 }
            guard let m = digits(s, i, 2), m < 60 else { return nil }
            offM = m
            i += 2
        }
        guard i == n else { return nil }
        return seconds - sign * Double(offH * 3600 + offM * 60)
    }

    /// The canonical text of a timestamp: `YYYY-MM-DD` at midnight, else `YYYY-MM-DDTHH:MM:SSZ`
    /// (with a fraction when there is one).
    static func canonicalText(_ seconds: Double) -> String {
        // Work in whole microseconds so a fraction that rounds up carries into the seconds.
        let microsPerDay: Int64 = 86_400_000_000
        let micros = Int64((seconds * 1_000_000).rounded())
        var days = micros / microsPerDay
        var rest = micros % microsPerDay
        if rest < 0 { days -= 1; rest += microsPerDay }
        let (y, m, d) = civilFromDays(Int(days))
        let date = pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
        if rest == 0 { return date }
        let whole = Int(rest / 1_000_000)
        var text = date + "T" + pad(whole / 3600, 2) + ":" + pad(whole / 60 % 60, 2) + ":" + pad(whole % 60, 2)
        let fraction = Int(rest % 1_000_000)
        if fraction > 0 {
            var f = pad(fraction, 6)
            while f.hasSuffix("0") { f.removeLast() }
            text += "." + f
        }
        return text + "Z"
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(abs(v))
        return (v < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - s.count)) + s
    }

    private static func digits(_ s: UnsafeBufferPointer<UInt8>, _ at: Int, _ count: Int) -> Int? {
        guard at + count <= s.count else { return nil }
        var v = 0
        for k in at..<(at + count) {
            let d = s[k] &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            v = v * 10 + Int(d)
        }
        return v
    }

    private static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-Compatible
    /// Low-Level Date Algorithms", days_from_civil).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The inverse of `daysFromCivil` (same source, civil_from_days).
    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
