/// A release in which rare categories of one column never appear: draws with those primary
/// diagnoses are rejected and redrawn.
struct ErasedRareReleaseBuilder: ReleaseBuilder {
    let fileName: String
    let seed: UInt64
    var erasedCodes: [String] = DiagnosisCatalog.rareCodes

    func build(in context: ReleaseContext) throws -> SyntheticRelease {
        var rng = Xoshiro256StarStar(seed: seed)
        var sampler = context.sampler
        let erased = Set(erasedCodes)
        sampler.accept = { !erased.contains($0.diagnosis) }
        let records = try sampler.draw(count: context.rowCount, using: &rng)
        let planted: JSONValue = .object([
            "kind": "erased_rare_categories",
            "column": .string(CohortColumn.primaryDiagnosis.rawValue),
            "values": PlantingJSON.strings(erasedCodes),
            "synthetic_rows": 0,
            "train_counts": counts(in: context.cohort.train),
            "holdout_counts": counts(in: context.cohort.holdout),
        ])
        let summary = "The rare primary_dx codes \(erasedCodes.joined(separator: ", ")) never appear "
            + "(each is under 0.5% of real rows); such draws were rejected and redrawn."
        return SyntheticRelease(fileName: fileName, seed: seed, records: records, planted: planted, summary: summary)
    }

    private func counts(in table: [IdentifiedRecord]) -> JSONValue {
        .object(Dictionary(uniqueKeysWithValues: erasedCodes.map { code in
            (code, JSONValue.integer(table.filter { $0.record.diagnosis == code }.count))
        }))
    }
}
