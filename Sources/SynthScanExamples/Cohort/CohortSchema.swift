/// The content columns of the example cohort, in header order after `patient_id`.
enum CohortColumn: String, CaseIterable, Sendable {
    case age
    case sex
    case raceEthnicity = "race_ethnicity"
    case zip3
    case admissionDate = "admission_date"
    case primaryDiagnosis = "primary_dx"
    case dischargeDisposition = "discharge_disposition"
    case diabetes
    case systolicBP = "systolic_bp"
    case hba1c
    case creatinine
    case lengthOfStay = "length_of_stay"
    case readmitted30d = "readmitted_30d"
}

/// Header layout of every example CSV file.
enum CohortSchema {
    static let idColumn = "patient_id"
    static let header: [String] = [idColumn] + CohortColumn.allCases.map(\.rawValue)
    static let contentColumns: [String] = CohortColumn.allCases.map(\.rawValue)
}
