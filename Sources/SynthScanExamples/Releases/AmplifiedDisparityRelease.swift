/// A release in which the readmission disparity of `group` versus `reference` is amplified.
///
/// Rows are drawn from the model with the group's readmission multiplier raised, then the
/// group's `readmitted_30d` values are flipped on randomly chosen non-expired rows until the
/// group's readmitted count equals round(intended ratio × reference rate × group rows), so
/// the synthetic rate ratio is the intended one up to rounding of a single count. All other
/// columns, and the reference group, keep their model distribution.
struct AmplifiedDisparityReleaseBuilder: ReleaseBuilder {
    let fileName: String
    let seed: UInt64
    var group: RaceEthnicity = .black
    var reference: RaceEthnicity = .white
    /// Intended synthetic rate ratio group/reference, in percent.
    var intendedRatioPercent = 250
    /// Readmission multiplier (percent) used for the group while drawing.
    var generationMultiplierPercent = 250

    func build(in context: ReleaseContext) throws -> SyntheticRelease {
        var rng = Xoshiro256StarStar(seed: seed)
        let amplifiedModel = context.model.withReadmissionMultiplier(generationMultiplierPercent, for: group)
        let sampler = RecordSampler(model: amplifiedModel, forbidden: context.realRecords)
        var records = try sampler.draw(count: context.rowCount, using: &rng)

        let drawn = DisparitySummary(records, group: group, reference: reference)
        let target = FixedDecimal.roundedQuotient(
            intendedRatioPercent * drawn.reference.readmitted * drawn.group.rows, 100 * drawn.reference.rows)
        let flipped = try adjust(&records, towards: target, from: drawn.group.readmitted, context: context, using: &rng)

        let real = DisparitySummary(context.cohort.train.map(\.record), group: group, reference: reference)
        let synthetic = DisparitySummary(records, group: group, reference: reference)
        let planted: JSONValue = .object([
            "kind": "amplified_disparity",
            "column": .string(CohortColumn.raceEthnicity.rawValue),
            "outcome": .string(CohortColumn.readmitted30d.rawValue),
            "positive_value": "1",
            "group": .string(group.rawValue),
            "reference_group": .string(reference.rawValue),
            "intended_rate_ratio": .decimal(FixedDecimal.format(intendedRatioPercent, decimals: 2)),
            "intended_group_rate": .decimal(FixedDecimal.ratio(target, synthetic.group.rows, decimals: 4)),
            "real": real.json(sourceFile: RealTable.train.fileName),
            "synthetic": synthetic.json(sourceFile: fileName),
            "generation_multiplier_percent": .integer(generationMultiplierPercent),
            "adjusted_rows": .array(flipped.sorted().map { .integer($0 + 1) }),
        ])
        let summary = "The readmitted_30d rate of \(group.rawValue) vs \(reference.rawValue) patients is \(synthetic.group.rateLiteral) vs "
            + "\(synthetic.reference.rateLiteral) (ratio \(synthetic.rateRatioLiteral)) instead of the training data's "
            + "\(real.group.rateLiteral) vs \(real.reference.rateLiteral) (ratio \(real.rateRatioLiteral))."
        return SyntheticRelease(fileName: fileName, seed: seed, records: records, planted: planted, summary: summary)
    }

    /// Flips the group's outcome on random eligible rows until `target` are readmitted.
    /// Returns the 0-based indices of flipped rows.
    private func adjust(_ records: inout [PatientRecord], towards target: Int, from current: Int,
                        context: ReleaseContext, using rng: inout Xoshiro256StarStar) throws -> [Int] {
        guard target != current else { return [] }
        let raise = target > current
        var candidates = records.indices.filter {
            records[$0].race == group && records[$0].readmitted != raise && records[$0].disposition != .expired
        }
        rng.shuffle(&candidates)
        var present = Set(records)
        var flipped: [Int] = []
        for index in candidates where flipped.count < abs(target - current) {
            var changed = records[index]
            changed.readmitted = raise
            guard !context.realRecords.contains(changed), !present.contains(changed) else { continue }
            present.remove(records[index])
            present.insert(changed)
            records[index] = changed
            flipped.append(index)
        }
        guard flipped.count == abs(target - current) else {
            throw ExamplesError.samplingExhausted("could only flip \(flipped.count) of \(abs(target - current)) outcomes")
        }
        return flipped
    }
}
