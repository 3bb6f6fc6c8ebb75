/// Plants near-copies of training rows: each is a distinct training record with one or two
/// tiny numeric perturbations, never an exact copy of any real row.
struct NearCopiesReleaseBuilder: ReleaseBuilder {
    let fileName: String
    let seed: UInt64
    var nearCopyCount = 15

    func build(in context: ReleaseContext) throws -> SyntheticRelease {
        var rng = Xoshiro256StarStar(seed: seed)
        var records = try context.sampler.draw(count: context.rowCount, using: &rng)
        var present = Set(records)
        let sources = rng.distinctSample(count: nearCopyCount, from: context.cohort.train.count)
        let positions = rng.distinctSample(count: nearCopyCount, from: context.rowCount)

        var entries: [(position: Int, json: JSONValue)] = []
        for (position, source) in zip(positions, sources) {
            let original = context.cohort.train[source].record
            var attempt = 0
            var (candidate, perturbations) = NearCopyPerturber.perturb(original, using: &rng)
            while context.realRecords.contains(candidate) || present.contains(candidate) {
                attempt += 1
                guard attempt < 1_000 else {
                    throw ExamplesError.samplingExhausted("could not perturb training row \(source + 1) into a new record")
                }
                (candidate, perturbations) = NearCopyPerturber.perturb(original, using: &rng)
            }
            records[position] = candidate
            present.insert(candidate)
            let member = PlantingJSON.location(index: position)
                .merging(PlantingJSON.source(.train, index: source, in: context))
                .merging([
                    "perturbed_columns": PlantingJSON.strings(perturbations.map(\.column.rawValue)),
                    "perturbations": .array(perturbations.map(\.json)),
                ])
            entries.append((position, .object(member)))
        }
        entries.sort { $0.position < $1.position }

        let planted: JSONValue = .object([
            "kind": "near_copies",
            "compared_columns": PlantingJSON.strings(CohortSchema.contentColumns),
            "near_copies": .array(entries.map(\.json)),
            "near_copy_rows": .integer(nearCopyCount),
            "max_perturbed_columns": 2,
        ])
        let summary = "\(nearCopyCount) rows are distinct training records with one or two numeric fields nudged by one "
            + "unit of their last digit (age or systolic_bp or length_of_stay ±1, hba1c ±0.1, creatinine ±0.01); none is an exact copy."
        return SyntheticRelease(fileName: fileName, seed: seed, records: records, planted: planted, summary: summary)
    }
}
