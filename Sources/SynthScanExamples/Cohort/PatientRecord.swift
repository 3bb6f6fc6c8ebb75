/// One admission's clinical content: every column except `patient_id`.
///
/// Equality is equality of the rendered CSV text (rendering is injective), so a `Set` of
/// records is exactly the "equal on all columns except patient_id" relation.
struct PatientRecord: Hashable, Sendable {
    var age: Int
    var sex: Sex
    var race: RaceEthnicity
    var zip3: String
    /// Days since 2019-01-01.
    var admissionDay: Int
    var diagnosis: String
    var disposition: Disposition
    var diabetes: Bool
    var systolicBP: Int
    /// HbA1c in tenths of a percent; `nil` renders as an empty field.
    var hba1cTenths: Int?
    /// Serum creatinine in hundredths of mg/dL.
    var creatinineHundredths: Int
    var lengthOfStay: Int
    var readmitted: Bool

    /// The rendered text of one column.
    func value(of column: CohortColumn) -> String {
        switch column {
        case .age: return String(age)
        case .sex: return sex.rawValue
        case .raceEthnicity: return race.rawValue
        case .zip3: return zip3
        case .admissionDate: return AdmissionWindow.iso(dayOffset: admissionDay)
        case .primaryDiagnosis: return diagnosis
        case .dischargeDisposition: return disposition.rawValue
        case .diabetes: return diabetes ? "yes" : "no"
        case .systolicBP: return String(systolicBP)
        case .hba1c: return hba1cTenths.map { FixedDecimal.format($0, decimals: 1) } ?? ""
        case .creatinine: return FixedDecimal.format(creatinineHundredths, decimals: 2)
        case .lengthOfStay: return String(lengthOfStay)
        case .readmitted30d: return readmitted ? "1" : "0"
        }
    }

    /// All content fields in header order (without `patient_id`).
    var contentFields: [String] {
        CohortColumn.allCases.map(value(of:))
    }
}

/// A record together with the identifier it carries in its file.
struct IdentifiedRecord: Sendable {
    let id: String
    let record: PatientRecord

    var fields: [String] { [id] + record.contentFields }
}
