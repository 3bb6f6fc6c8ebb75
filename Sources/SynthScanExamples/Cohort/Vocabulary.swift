/// Recorded sex.
enum Sex: String, CaseIterable, Sendable {
    case female = "F"
    case male = "M"
}

/// Race/ethnicity categories, spelled as they appear in the CSV files.
enum RaceEthnicity: String, CaseIterable, Sendable {
    case white = "White"
    case black = "Black"
    case hispanic = "Hispanic"
    case asian = "Asian"
    case americanIndianOrAlaskaNative = "American Indian or Alaska Native"
    case other = "Other"

    /// Population shares in per-mille.
    static let weights = WeightedTable<RaceEthnicity>([
        (.white, 600), (.black, 170), (.hispanic, 120), (.asian, 60),
        (.americanIndianOrAlaskaNative, 25), (.other, 25),
    ])
}

/// Discharge disposition. `Home, with services` contains a comma and is therefore quoted.
enum Disposition: String, CaseIterable, Sendable {
    case home = "Home"
    case skilledNursing = "Skilled nursing facility"
    case homeWithServices = "Home, with services"
    case rehabilitation = "Rehabilitation"
    case expired = "Expired"
}

/// Three-digit ZIP prefixes (text, leading zeros kept) with relative weights.
enum ZipPrefixes {
    static let weights = WeightedTable<String>([
        ("021", 90), ("024", 50), ("010", 40), ("060", 60), ("100", 120),
        ("104", 70), ("112", 90), ("191", 80), ("303", 70), ("331", 60),
        ("606", 90), ("770", 70), ("850", 50), ("945", 60), ("981", 40),
    ])
}

/// Age distribution of adult inpatients: skewed towards older adults.
enum AgeDistribution {
    static let buckets = WeightedTable<ClosedRange<Int>>([
        (18...29, 60), (30...39, 70), (40...49, 100), (50...59, 160),
        (60...69, 220), (70...79, 220), (80...89, 140), (90...95, 30),
    ])

    static func draw(using rng: inout Xoshiro256StarStar) -> Int {
        rng.uniform(in: buckets.pick(using: &rng))
    }
}
