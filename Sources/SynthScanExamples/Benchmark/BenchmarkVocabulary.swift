/// Category values of the benchmark tables, pre-encoded as CSV-ready bytes (already quoted
/// where needed) with their relative weights.
enum BenchmarkVocabulary {
    static func encoded(_ values: [String]) -> [[UInt8]] {
        values.map { Array(CSVFormatter.escape($0).utf8) }
    }

    static let sexes = encoded(["F", "M"])

    static let races = encoded(RaceEthnicity.allCases.map(\.rawValue))
    static let raceWeights = WeightedTable<Int>([(0, 600), (1, 170), (2, 120), (3, 60), (4, 25), (5, 25)])

    static let zip3Values = ["021", "024", "010", "060", "100", "104", "112", "191", "303", "331",
                             "606", "770", "850", "945", "981", "200", "482", "554", "631", "750"]
    static let zip3s = encoded(zip3Values)

    static let diagnoses = encoded(DiagnosisCatalog.profiles.map(\.code))
    static let diagnosisIsDiabetic = DiagnosisCatalog.profiles.map(\.diabeticOnly)
    static let diagnosisWeights = WeightedTable<Int>(DiagnosisCatalog.profiles.enumerated().map { ($0.offset, $0.element.weight) })

    static let dispositionValues = ["Home", "Skilled nursing facility", "Home, with services", "Rehabilitation",
                                    "Expired", "Left against medical advice (\"AMA\")"]
    static let dispositions = encoded(dispositionValues)
    static let dispositionWeights = WeightedTable<Int>([(0, 540), (1, 150), (2, 160), (3, 80), (4, 40), (5, 30)])

    static let yesNo = encoded(["no", "yes"])
    static let falseTrue = encoded(["false", "true"])

    /// Every admission date of the window, ISO formatted.
    static let dates: [[UInt8]] = (0..<AdmissionWindow.dayCount).map { Array(AdmissionWindow.iso(dayOffset: $0).utf8) }
}
