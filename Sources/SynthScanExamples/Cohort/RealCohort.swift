/// The fabricated "real" cohort, split into a training table and a holdout table.
struct RealCohort: Sendable {
    let train: [IdentifiedRecord]
    let holdout: [IdentifiedRecord]

    /// Every real record (train and holdout), for copy detection.
    var allRecords: Set<PatientRecord> {
        Set(train.map(\.record)).union(holdout.map(\.record))
    }
}

/// Draws the real cohort: distinct records with unique MRN-like identifiers, then a random
/// split into train and holdout (each kept in draw order).
struct RealCohortGenerator: Sendable {
    let model: ClinicalModel
    let seed: UInt64
    let splitSeed: UInt64
    let trainCount: Int
    let holdoutCount: Int

    func generate() throws -> RealCohort {
        var rng = Xoshiro256StarStar(seed: seed)
        let total = trainCount + holdoutCount
        let records = try RecordSampler(model: model).draw(count: total, using: &rng)
        let ids = uniqueMedicalRecordNumbers(count: total, using: &rng)
        let patients = zip(ids, records).map { IdentifiedRecord(id: $0, record: $1) }

        var splitRng = Xoshiro256StarStar(seed: splitSeed)
        let trainIndices = Set(splitRng.distinctSample(count: trainCount, from: total))
        var train: [IdentifiedRecord] = []
        var holdout: [IdentifiedRecord] = []
        for (index, patient) in patients.enumerated() {
            if trainIndices.contains(index) { train.append(patient) } else { holdout.append(patient) }
        }
        return RealCohort(train: train, holdout: holdout)
    }

    private func uniqueMedicalRecordNumbers(count: Int, using rng: inout Xoshiro256StarStar) -> [String] {
        var seen = Set<Int>()
        var ids: [String] = []
        while ids.count < count {
            let number = rng.uniform(below: 10_000_000)
            guard seen.insert(number).inserted else { continue }
            let digits = String(number)
            ids.append("MRN-" + String(repeating: "0", count: 7 - digits.count) + digits)
        }
        return ids
    }
}
