/// A release whose generator leaked direct identifiers: the records are the clean release's
/// kind of fresh draws (none equals a real row), but some rows carry a real patient's MRN
/// instead of a synthetic `SYN-` id:
///
/// - `trainReuse` rows carry the `patient_id` of distinct training patients (memorised
///   identifiers; the rest of each row is freshly generated, so it is not a copy of that
///   patient's record),
/// - `holdoutReuse` rows carry the `patient_id` of distinct holdout patients (the chance
///   baseline: the generator never saw them),
/// - `formatOnly` rows carry made-up ids in the hospital's MRN format (`MRN-` + 7 digits) that
///   belong to no real patient (the generator learned the institution's id format).
///
/// Everything is drawn from the release's own seed, after the records, so the record draws are
/// exactly those of a clean release with that seed.
struct LeakedIdentifiersReleaseBuilder: ReleaseBuilder {
    let fileName: String
    let seed: UInt64
    var trainReuse = 12
    var holdoutReuse = 2
    var formatOnly = 9

    /// How a planted identifier relates to the real patients.
    enum Leak: String {
        case trainMRNReuse = "train_mrn_reuse"
        case holdoutMRNReuse = "holdout_mrn_reuse"
        case mrnFormat = "mrn_format"
    }

    static let mrnPrefix = "MRN-"
    static let mrnDigits = 7
    static let mrnPattern = "^MRN-[0-9]{7}$"

    static func mrn(_ number: Int) -> String {
        let digits = String(number)
        return mrnPrefix + String(repeating: "0", count: max(0, mrnDigits - digits.count)) + digits
    }

    func build(in context: ReleaseContext) throws -> SyntheticRelease {
        var rng = Xoshiro256StarStar(seed: seed)
        let records = try context.sampler.draw(count: context.rowCount, using: &rng)

        let realIDs = Set(context.cohort.train.map(\.id)).union(context.cohort.holdout.map(\.id))
        var plan: [(leak: Leak, source: (table: RealTable, index: Int)?, id: String)] = []
        for index in rng.distinctSample(count: trainReuse, from: context.cohort.train.count) {
            plan.append((.trainMRNReuse, (.train, index), context.cohort.train[index].id))
        }
        for index in rng.distinctSample(count: holdoutReuse, from: context.cohort.holdout.count) {
            plan.append((.holdoutMRNReuse, (.holdout, index), context.cohort.holdout[index].id))
        }
        var invented = Set<String>()
        var attempts = 0
        while invented.count < formatOnly {
            attempts += 1
            guard attempts <= formatOnly * 1_000 else {
                throw ExamplesError.samplingExhausted("could not invent \(formatOnly) unused MRN-format ids")
            }
            let id = Self.mrn(rng.uniform(below: 10_000_000))
            guard !realIDs.contains(id), invented.insert(id).inserted else { continue }
            plan.append((.mrnFormat, nil, id))
        }
        rng.shuffle(&plan)
        let positions = rng.distinctSample(count: plan.count, from: context.rowCount)
        let placements = zip(positions, plan).sorted { $0.0 < $1.0 }

        var identifiers: [Int: String] = [:]
        var leaks: [JSONValue] = []
        for (position, planned) in placements {
            identifiers[position] = planned.id
            var member = PlantingJSON.location(index: position)
                .merging(["kind": .string(planned.leak.rawValue), "patient_id": .string(planned.id)])
            if let source = planned.source {
                member = member.merging(PlantingJSON.source(source.table, index: source.index, in: context))
            }
            leaks.append(.object(member))
        }

        let planted: JSONValue = .object([
            "kind": "leaked_identifiers",
            "id_column": .string(CohortSchema.idColumn),
            "mrn_pattern": .string(Self.mrnPattern),
            "leaks": .array(leaks),
            "leaked_rows": .integer(placements.count),
            "train_mrn_reuse_rows": .integer(trainReuse),
            "holdout_mrn_reuse_rows": .integer(holdoutReuse),
            "mrn_format_rows": .integer(formatOnly),
            "compared_columns": PlantingJSON.strings(CohortSchema.contentColumns),
            "exact_copy_rows": 0,
        ])
        let summary = "\(trainReuse) rows carry the patient_id (MRN) of a distinct training patient and \(holdoutReuse) that of a "
            + "holdout patient, while the rest of each such row is freshly generated (no row copies a real record); "
            + "\(formatOnly) further rows carry made-up ids in the hospital's MRN format (MRN- + 7 digits) that match no real "
            + "patient. All other rows keep their SYN- ids."
        return SyntheticRelease(fileName: fileName, seed: seed, records: records, planted: planted, summary: summary,
                                identifiers: identifiers)
    }
}
