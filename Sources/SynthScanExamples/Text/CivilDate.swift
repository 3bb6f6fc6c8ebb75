/// Proleptic Gregorian calendar arithmetic on day counts (Howard Hinnant's algorithms),
/// used to render ISO `YYYY-MM-DD` dates without Foundation's calendar or locale.
struct CivilDate: Hashable, Sendable {
    let year: Int
    let month: Int
    let day: Int

    /// Days since 1970-01-01 for this date.
    var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    init(daysSinceEpoch days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let d = dayOfYear - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yearOfEra + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }

    /// `YYYY-MM-DD`.
    var iso: String {
        Self.pad(year, 4) + "-" + Self.pad(month, 2) + "-" + Self.pad(day, 2)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}

/// The admission window shared by the example cohort and the benchmark tables: 2019-01-01
/// through 2023-12-31 inclusive.
enum AdmissionWindow {
    static let firstDay = CivilDate(year: 2019, month: 1, day: 1).daysSinceEpoch
    static let dayCount = CivilDate(year: 2023, month: 12, day: 31).daysSinceEpoch - firstDay + 1

    /// The ISO date of the `offset`-th day of the window.
    static func iso(dayOffset offset: Int) -> String {
        CivilDate(daysSinceEpoch: firstDay + offset).iso
    }
}
