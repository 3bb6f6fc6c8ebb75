/// One small numeric change made to a copied record.
struct Perturbation: Sendable {
    let column: CohortColumn
    let sourceValue: String
    let value: String

    var json: JSONValue {
        .object(["column": .string(column.rawValue), "source_value": .string(sourceValue), "value": .string(value)])
    }
}

/// Makes a near-copy of a record by nudging one or two numeric columns by one unit of their
/// last printed digit: age ±1, systolic_bp ±1, hba1c ±0.1, creatinine ±0.01, length_of_stay ±1.
enum NearCopyPerturber {
    static func perturb(_ original: PatientRecord, using rng: inout Xoshiro256StarStar) -> (PatientRecord, [Perturbation]) {
        // Candidate columns in header order.
        let options: [CohortColumn] = original.hba1cTenths == nil
            ? [.age, .systolicBP, .creatinine, .lengthOfStay]
            : [.age, .systolicBP, .hba1c, .creatinine, .lengthOfStay]
        let changeCount = rng.chance(perMillion: 500_000) ? 1 : 2
        let columns = rng.distinctSample(count: changeCount, from: options.count).sorted().map { options[$0] }

        var record = original
        for column in columns {
            let step = rng.chance(perMillion: 500_000) ? 1 : -1
            switch column {
            case .age:
                record.age += (18...95).contains(record.age + step) ? step : -step
            case .systolicBP:
                record.systolicBP += step
            case .creatinine:
                record.creatinineHundredths += record.creatinineHundredths + step >= 35 ? step : -step
            case .lengthOfStay:
                record.lengthOfStay += record.lengthOfStay + step >= 1 ? step : -step
            case .hba1c:
                record.hba1cTenths = record.hba1cTenths.map { $0 + step }
            default:
                break
            }
        }
        let perturbations = columns.map {
            Perturbation(column: $0, sourceValue: original.value(of: $0), value: record.value(of: $0))
        }
        return (record, perturbations)
    }
}
