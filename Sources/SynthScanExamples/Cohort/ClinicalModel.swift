/// The generative model behind the real cohort and every synthetic release.
///
/// Variables are drawn in causal order (demographics → diabetes → diagnosis → vitals and labs →
/// stay → disposition → readmission) so that they correlate plausibly: systolic pressure rises
/// with age, HbA1c is high in diabetics, creatinine rises with age and kidney injury, length of
/// stay and disposition depend on the diagnosis, and 30-day readmission depends on all of them.
/// Readmission risk is finally multiplied by a per-group factor, which creates a modest real
/// disparity (Black patients ~1.3x White at equal covariates).
struct ClinicalModel: Sendable {
    /// Readmission-risk multiplier per race/ethnicity, in percent.
    var readmissionMultiplierPercent: [RaceEthnicity: Int]

    static let standard = ClinicalModel(readmissionMultiplierPercent: [
        .white: 100, .black: 115, .hispanic: 110, .asian: 95, .americanIndianOrAlaskaNative: 115, .other: 100,
    ])

    /// A copy of the model with one group's readmission multiplier replaced.
    func withReadmissionMultiplier(_ percent: Int, for group: RaceEthnicity) -> ClinicalModel {
        var copy = self
        copy.readmissionMultiplierPercent[group] = percent
        return copy
    }

    func draw(using rng: inout Xoshiro256StarStar) -> PatientRecord {
        let age = AgeDistribution.draw(using: &rng)
        let sex: Sex = rng.chance(perMillion: 520_000) ? .female : .male
        let race = RaceEthnicity.weights.pick(using: &rng)
        let zip3 = ZipPrefixes.weights.pick(using: &rng)
        let admissionDay = rng.uniform(below: AdmissionWindow.dayCount)
        let diabetes = rng.chance(perMillion: diabetesRisk(age: age, race: race))
        let dx = DiagnosisCatalog.table(age: age, diabetic: diabetes).pick(using: &rng)

        let systolicMean = 112 + (age - 18) * 40 / 100 + (diabetes ? 4 : 0) + dx.systolicShift
        let systolic = clamp(rng.normal(mean: systolicMean, standardDeviation: 16), 78, 220)
        let hba1c = drawHbA1c(diabetes: diabetes, dx: dx, using: &rng)
        let creatinine = drawCreatinine(age: age, sex: sex, diabetes: diabetes, dx: dx, using: &rng)
        let stay = drawLengthOfStay(age: age, dx: dx, using: &rng)
        let disposition = drawDisposition(age: age, dx: dx, using: &rng)

        var record = PatientRecord(
            age: age, sex: sex, race: race, zip3: zip3, admissionDay: admissionDay,
            diagnosis: dx.code, disposition: disposition, diabetes: diabetes, systolicBP: systolic,
            hba1cTenths: hba1c, creatinineHundredths: creatinine, lengthOfStay: stay, readmitted: false)
        record.readmitted = rng.chance(perMillion: readmissionRisk(record, dx: dx))
        return record
    }

    private func diabetesRisk(age: Int, race: RaceEthnicity) -> Int {
        let bump: Int
        switch race {
        case .black: bump = 80_000
        case .hispanic: bump = 90_000
        case .americanIndianOrAlaskaNative: bump = 110_000
        case .asian: bump = 40_000
        case .white, .other: bump = 0
        }
        return 60_000 + (age - 18) * 2_600 + bump
    }

    private func drawHbA1c(diabetes: Bool, dx: DiagnosisProfile, using rng: inout Xoshiro256StarStar) -> Int? {
        let value = diabetes
            ? clamp(rng.normal(mean: 78 + dx.hba1cShiftTenths, standardDeviation: 14), 57, 140)
            : clamp(rng.normal(mean: 54, standardDeviation: 4), 42, 64)
        let missingPerMillion = diabetes ? 40_000 : 125_000
        return rng.chance(perMillion: missingPerMillion) ? nil : value
    }

    private func drawCreatinine(age: Int, sex: Sex, diabetes: Bool, dx: DiagnosisProfile,
                                using rng: inout Xoshiro256StarStar) -> Int {
        let base = (sex == .male ? 98 : 78) + (age - 18) * 4 / 10 + (diabetes ? 12 : 0)
        var value = rng.normal(mean: base, standardDeviation: 18)
        if rng.chance(perMillion: 60_000) {  // chronic kidney disease tail
            value += 40 + abs(rng.normal(mean: 0, standardDeviation: 80))
        }
        switch dx.renal {
        case .acuteKidneyInjury: value += 120 + abs(rng.normal(mean: 0, standardDeviation: 100))
        case .hepatic: value += 30 + abs(rng.normal(mean: 0, standardDeviation: 60))
        case .none: break
        }
        return clamp(value, 35, 950)
    }

    private func drawLengthOfStay(age: Int, dx: DiagnosisProfile, using rng: inout Xoshiro256StarStar) -> Int {
        var days = 2 + dx.extraDays + (age >= 75 ? 1 : 0)
        while rng.chance(perMillion: 600_000) && days < 45 {
            days += 1
        }
        if rng.chance(perMillion: 50_000) {
            days += rng.uniform(in: 5...20)
        }
        return clamp(days, 1, 45)
    }

    private func drawDisposition(age: Int, dx: DiagnosisProfile, using rng: inout Xoshiro256StarStar) -> Disposition {
        let expired = 10 + dx.mortalityPerMille + (age >= 80 ? 25 : (age >= 65 ? 10 : 0))
        let nursing = (age >= 75 ? 220 : (age >= 65 ? 110 : 40)) + dx.nursingFacilityPerMille
        let rehab = 40 + dx.rehabilitationPerMille
        let withServices = 90 + (age >= 65 ? 80 : 0)
        let home = max(100, 1000 - expired - nursing - rehab - withServices)
        return WeightedTable<Disposition>([
            (.home, home), (.skilledNursing, nursing), (.homeWithServices, withServices),
            (.rehabilitation, rehab), (.expired, expired),
        ]).pick(using: &rng)
    }

    private func readmissionRisk(_ record: PatientRecord, dx: DiagnosisProfile) -> Int {
        guard record.disposition != .expired else { return 0 }
        var risk = 50_000 + (record.age - 18) * 900 + dx.readmissionPerMille * 1_000
        if record.diabetes { risk += 30_000 }
        if record.lengthOfStay >= 7 { risk += 35_000 }
        if record.creatinineHundredths >= 200 { risk += 45_000 }
        switch record.disposition {
        case .skilledNursing: risk += 30_000
        case .homeWithServices: risk += 15_000
        case .home, .rehabilitation, .expired: break
        }
        risk = risk * (readmissionMultiplierPercent[record.race] ?? 100) / 100
        return min(risk, 900_000)
    }
}

func clamp(_ value: Int, _ low: Int, _ high: Int) -> Int {
    min(max(value, low), high)
}
