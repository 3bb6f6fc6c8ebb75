/// How a diagnosis' frequency shifts with age.
enum AgePattern: Sendable {
    case neutral
    /// Twice as common from age 75.
    case elderly
    /// Four times as common from 75, a quarter as common under 50 (e.g. hip fracture).
    case frail
    /// Twice as common under 50, half as common from 75.
    case younger
}

/// Extra effect of a diagnosis on serum creatinine.
enum RenalEffect: Sendable {
    case none
    case acuteKidneyInjury
    case hepatic
}

/// One primary diagnosis (ICD-10-CM-like code) and its effects on the other variables.
struct DiagnosisProfile: Sendable {
    let code: String
    /// Baseline relative frequency (per 10,000 before age and diabetes adjustments).
    let weight: Int
    var agePattern: AgePattern = .neutral
    var diabeticOnly = false
    var systolicShift = 0
    var extraDays = 0
    var mortalityPerMille = 0
    var readmissionPerMille = 0
    var nursingFacilityPerMille = 0
    var rehabilitationPerMille = 0
    var renal: RenalEffect = .none
    var hba1cShiftTenths = 0

    /// Relative frequency for a patient of this age and diabetes status.
    func weight(age: Int, diabetic: Bool) -> Int {
        if diabeticOnly && !diabetic { return 0 }
        switch agePattern {
        case .neutral: return weight
        case .elderly: return age >= 75 ? weight * 2 : weight
        case .frail: return age >= 75 ? weight * 4 : (age < 50 ? weight / 4 : weight)
        case .younger: return age < 50 ? weight * 2 : (age >= 75 ? weight / 2 : weight)
        }
    }
}

/// The twenty primary diagnoses of the example cohort: a common head, a long tail, and three
/// rare codes (each well under 0.5% of admissions).
enum DiagnosisCatalog {
    static let rareCodes = ["A41.51", "G93.40", "K72.00"]

    static let profiles: [DiagnosisProfile] = [
        DiagnosisProfile(code: "I50.9", weight: 1100, systolicShift: 4, extraDays: 1, mortalityPerMille: 30,
                         readmissionPerMille: 70, nursingFacilityPerMille: 60),
        DiagnosisProfile(code: "J18.9", weight: 1000, extraDays: 1, mortalityPerMille: 30, readmissionPerMille: 20),
        DiagnosisProfile(code: "A41.9", weight: 800, systolicShift: -14, extraDays: 3, mortalityPerMille: 90,
                         readmissionPerMille: 30, nursingFacilityPerMille: 60),
        DiagnosisProfile(code: "J44.1", weight: 700, readmissionPerMille: 50),
        DiagnosisProfile(code: "N17.9", weight: 650, extraDays: 1, mortalityPerMille: 20, readmissionPerMille: 40,
                         renal: .acuteKidneyInjury),
        DiagnosisProfile(code: "N39.0", weight: 650, agePattern: .elderly, readmissionPerMille: 10),
        DiagnosisProfile(code: "I21.4", weight: 600, systolicShift: 6, mortalityPerMille: 25, readmissionPerMille: 30,
                         rehabilitationPerMille: 40),
        DiagnosisProfile(code: "I48.91", weight: 600, agePattern: .elderly, readmissionPerMille: 15),
        DiagnosisProfile(code: "E11.65", weight: 1200, diabeticOnly: true, readmissionPerMille: 20, hba1cShiftTenths: 15),
        DiagnosisProfile(code: "E11.9", weight: 800, diabeticOnly: true, extraDays: -1, readmissionPerMille: 10),
        DiagnosisProfile(code: "K92.2", weight: 450, systolicShift: -6, mortalityPerMille: 20, readmissionPerMille: 20),
        DiagnosisProfile(code: "I63.9", weight: 450, systolicShift: 12, extraDays: 2, mortalityPerMille: 40,
                         nursingFacilityPerMille: 80, rehabilitationPerMille: 250),
        DiagnosisProfile(code: "R55", weight: 450, agePattern: .elderly, extraDays: -1),
        DiagnosisProfile(code: "L03.115", weight: 400),
        DiagnosisProfile(code: "E87.1", weight: 300, agePattern: .elderly, readmissionPerMille: 15),
        DiagnosisProfile(code: "K85.90", weight: 300, agePattern: .younger, extraDays: 1, readmissionPerMille: 20),
        DiagnosisProfile(code: "S72.001A", weight: 300, agePattern: .frail, extraDays: 2, mortalityPerMille: 15,
                         nursingFacilityPerMille: 350, rehabilitationPerMille: 200),
        DiagnosisProfile(code: "A41.51", weight: 20, systolicShift: -14, extraDays: 4, mortalityPerMille: 90,
                         readmissionPerMille: 40),
        DiagnosisProfile(code: "G93.40", weight: 20, extraDays: 4, mortalityPerMille: 40, readmissionPerMille: 40,
                         nursingFacilityPerMille: 150),
        DiagnosisProfile(code: "K72.00", weight: 20, extraDays: 4, mortalityPerMille: 120, readmissionPerMille: 50,
                         renal: .hepatic),
    ]

    static let byCode: [String: DiagnosisProfile] = Dictionary(uniqueKeysWithValues: profiles.map { ($0.code, $0) })

    /// The diagnosis distribution for one patient.
    static func table(age: Int, diabetic: Bool) -> WeightedTable<DiagnosisProfile> {
        WeightedTable(profiles.map { ($0, $0.weight(age: age, diabetic: diabetic)) })
    }
}
