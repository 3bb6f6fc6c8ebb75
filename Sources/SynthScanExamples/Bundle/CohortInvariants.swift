/// Sanity checks on generated data that the example files promise in their documentation.
enum CohortInvariants {
    static func check(_ cohort: RealCohort) throws {
        let all = cohort.train + cohort.holdout
        guard Set(all.map(\.record)).count == all.count else {
            throw ExamplesError.samplingExhausted("real rows are not pairwise distinct")
        }
        guard Set(all.map(\.id)).count == all.count else {
            throw ExamplesError.samplingExhausted("patient_id values are not unique")
        }
        for table in [cohort.train, cohort.holdout, all] {
            for code in DiagnosisCatalog.rareCodes {
                let count = table.filter { $0.record.diagnosis == code }.count
                guard count > 0, count * 200 < table.count else {
                    throw ExamplesError.samplingExhausted("rare code \(code) has \(count) of \(table.count) rows")
                }
            }
        }
    }

    /// No synthetic row equals a real row except at the listed (0-based) planted positions.
    static func check(_ release: SyntheticRelease, real: Set<PatientRecord>, plantedCopyIndices: Set<Int>) throws {
        for (index, record) in release.records.enumerated() where real.contains(record) && !plantedCopyIndices.contains(index) {
            throw ExamplesError.samplingExhausted("\(release.fileName) row \(index + 1) accidentally equals a real row")
        }
    }

    /// Every row of a release carries a distinct identifier (planted ones included).
    static func checkIdentifiers(_ release: SyntheticRelease) throws {
        let ids = release.identifiedRecords.map(\.id)
        guard Set(ids).count == ids.count else {
            throw ExamplesError.samplingExhausted("\(release.fileName) has duplicate patient_id values")
        }
    }
}
