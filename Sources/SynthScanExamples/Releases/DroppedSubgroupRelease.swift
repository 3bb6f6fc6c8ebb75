/// A release in which one race/ethnicity group never appears: draws of that group are
/// rejected and redrawn, so the other groups fill its share.
struct DroppedSubgroupReleaseBuilder: ReleaseBuilder {
    let fileName: String
    let seed: UInt64
    var dropped: RaceEthnicity = .americanIndianOrAlaskaNative

    func build(in context: ReleaseContext) throws -> SyntheticRelease {
        var rng = Xoshiro256StarStar(seed: seed)
        var sampler = context.sampler
        let dropped = self.dropped
        sampler.accept = { $0.race != dropped }
        let records = try sampler.draw(count: context.rowCount, using: &rng)
        let trainRows = context.cohort.train.filter { $0.record.race == dropped }.count
        let holdoutRows = context.cohort.holdout.filter { $0.record.race == dropped }.count
        let planted: JSONValue = .object([
            "kind": "dropped_subgroup",
            "column": .string(CohortColumn.raceEthnicity.rawValue),
            "value": .string(dropped.rawValue),
            "synthetic_rows": 0,
            "train_rows": .integer(trainRows),
            "train_share": .decimal(FixedDecimal.ratio(trainRows, context.cohort.train.count, decimals: 4)),
            "holdout_rows": .integer(holdoutRows),
        ])
        let summary = "No row has race_ethnicity = \(dropped.rawValue) (\(trainRows) of \(context.cohort.train.count) "
            + "training rows do); such draws were rejected and redrawn."
        return SyntheticRelease(fileName: fileName, seed: seed, records: records, planted: planted, summary: summary)
    }
}
