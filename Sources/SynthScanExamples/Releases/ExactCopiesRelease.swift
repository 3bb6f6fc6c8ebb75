/// Plants verbatim copies of real rows (all columns except `patient_id`) into clean draws:
/// `distinctTrainRecords` training records, one of them copied twice, plus `holdoutCopies`
/// holdout records, at random (scattered) positions.
///
/// To exercise quoting and missing values, the first copied training record is one whose
/// disposition is the quoted `Home, with services`, and the second one has an empty `hba1c`.
struct ExactCopiesReleaseBuilder: ReleaseBuilder {
    let fileName: String
    let seed: UInt64
    var distinctTrainRecords = 19
    var holdoutCopies = 3

    func build(in context: ReleaseContext) throws -> SyntheticRelease {
        var rng = Xoshiro256StarStar(seed: seed)
        var records = try context.sampler.draw(count: context.rowCount, using: &rng)

        let trainSources = try chooseTrainSources(context.cohort.train, using: &rng)
        let duplicated = trainSources[rng.uniform(below: trainSources.count)]
        var plan: [(table: RealTable, index: Int)] = (trainSources + [duplicated]).map { (.train, $0) }
        plan += rng.distinctSample(count: holdoutCopies, from: context.cohort.holdout.count).map { (.holdout, $0) }
        rng.shuffle(&plan)
        let positions = rng.distinctSample(count: plan.count, from: context.rowCount)
        let placements = zip(positions, plan).sorted { $0.0 < $1.0 }

        var copies: [JSONValue] = []
        var duplicatedRows: [JSONValue] = []
        for (position, source) in placements {
            records[position] = context.records(of: source.table)[source.index].record
            copies.append(.object(PlantingJSON.location(index: position)
                .merging(PlantingJSON.source(source.table, index: source.index, in: context))))
            if source.table == .train && source.index == duplicated {
                duplicatedRows.append(.integer(position + 1))
            }
        }

        let planted: JSONValue = .object([
            "kind": "exact_copies",
            "compared_columns": PlantingJSON.strings(CohortSchema.contentColumns),
            "copies": .array(copies),
            "copy_rows": .integer(placements.count),
            "train_copy_rows": .integer(trainSources.count + 1),
            "train_distinct_records": .integer(trainSources.count),
            "holdout_copy_rows": .integer(holdoutCopies),
            "holdout_distinct_records": .integer(holdoutCopies),
            "duplicated_train_record": .object(
                PlantingJSON.source(.train, index: duplicated, in: context).merging(["rows": .array(duplicatedRows)])),
        ])
        let summary = "\(trainSources.count + 1) rows copy \(trainSources.count) distinct training records "
            + "(one copied twice) and \(holdoutCopies) rows copy holdout records, verbatim on every column except patient_id. "
            + "The copied training records include one with the quoted disposition \"Home, with services\" and one with an empty hba1c."
        return SyntheticRelease(fileName: fileName, seed: seed, records: records, planted: planted, summary: summary,
                                exactCopyIndices: Set(positions))
    }

    private func chooseTrainSources(_ train: [IdentifiedRecord], using rng: inout Xoshiro256StarStar) throws -> [Int] {
        var chosen: [Int] = []
        let preferences: [(PatientRecord) -> Bool] = [
            { $0.disposition == .homeWithServices },
            { $0.hba1cTenths == nil },
        ]
        for preference in preferences {
            let candidates = train.indices.filter { preference(train[$0].record) && !chosen.contains($0) }
            guard !candidates.isEmpty else {
                throw ExamplesError.samplingExhausted("no training record has the property wanted for a planted copy")
            }
            chosen.append(candidates[rng.uniform(below: candidates.count)])
        }
        while chosen.count < distinctTrainRecords {
            let index = rng.uniform(below: train.count)
            if !chosen.contains(index) { chosen.append(index) }
        }
        return chosen
    }
}
