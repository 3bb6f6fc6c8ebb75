/// Rejection sampler over the clinical model: draws records that pass an acceptance test,
/// are not equal to any forbidden record (e.g. any real row), and are distinct from each other.
struct RecordSampler: Sendable {
    let model: ClinicalModel
    var forbidden: Set<PatientRecord> = []
    var accept: @Sendable (PatientRecord) -> Bool = { _ in true }
    /// Draw attempts allowed per requested record before giving up.
    var attemptsPerRecord = 1_000

    func draw(count: Int, using rng: inout Xoshiro256StarStar) throws -> [PatientRecord] {
        var seen = Set<PatientRecord>()
        var records: [PatientRecord] = []
        records.reserveCapacity(count)
        var attempts = 0
        while records.count < count {
            attempts += 1
            guard attempts <= count * attemptsPerRecord else {
                throw ExamplesError.samplingExhausted("drew only \(records.count) of \(count) acceptable records")
            }
            let record = model.draw(using: &rng)
            guard accept(record), !forbidden.contains(record), seen.insert(record).inserted else { continue }
            records.append(record)
        }
        return records
    }
}
