/// Generates and encodes benchmark rows. Row `index` of a table depends only on
/// (`seed`, `index`): each row has its own xoshiro256** stream seeded from both, so any row
/// can be regenerated on its own, in any order, without generating the others.
enum BenchmarkRowEncoder {
    static let comma = UInt8(ascii: ",")
    static let newline = UInt8(ascii: "\n")

    /// Appends `prefix` followed by `number` zero-padded to nine digits.
    @inline(__always)
    static func appendID(prefix: [UInt8], number: Int, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: prefix)
        buffer.appendPadded(number, width: 9)
    }

    /// Appends the 19 content fields (every column after `record_id`, each preceded by a comma)
    /// of row `index` of the table with `seed`.
    static func appendContent(seed: UInt64, index: Int, to buffer: inout [UInt8]) {
        var rng = Xoshiro256StarStar(seed: SplitMix64.derive(seed: seed, index: UInt64(index)))

        let age = AgeDistribution.draw(using: &rng)
        field(&buffer) { $0.appendDecimal(age) }
        let sex = Int(rng.next() >> 63)
        field(&buffer) { $0.append(contentsOf: BenchmarkVocabulary.sexes[sex]) }
        let race = BenchmarkVocabulary.raceWeights.pick(using: &rng)
        field(&buffer) { $0.append(contentsOf: BenchmarkVocabulary.races[race]) }
        let zip = rng.uniform(below: BenchmarkVocabulary.zip3s.count)
        field(&buffer) { $0.append(contentsOf: BenchmarkVocabulary.zip3s[zip]) }
        let day = rng.uniform(below: AdmissionWindow.dayCount)
        field(&buffer) { $0.append(contentsOf: BenchmarkVocabulary.dates[day]) }
        let dx = BenchmarkVocabulary.diagnosisWeights.pick(using: &rng)
        field(&buffer) { $0.append(contentsOf: BenchmarkVocabulary.diagnoses[dx]) }
        let disposition = BenchmarkVocabulary.dispositionWeights.pick(using: &rng)
        field(&buffer) { $0.append(contentsOf: BenchmarkVocabulary.dispositions[disposition]) }

        let diabetic = BenchmarkVocabulary.diagnosisIsDiabetic[dx] || rng.chance(perMillion: 60_000 + (age - 18) * 2_600)
        field(&buffer) { $0.append(contentsOf: BenchmarkVocabulary.yesNo[diabetic ? 1 : 0]) }
        let hypertensive = rng.chance(perMillion: 150_000 + (age - 18) * 6_000)
        field(&buffer) { $0.append(contentsOf: BenchmarkVocabulary.falseTrue[hypertensive ? 1 : 0]) }
        let smokerMissing = rng.chance(perMillion: 30_000)
        let smoker = rng.chance(perMillion: 180_000)
        field(&buffer) { if !smokerMissing { $0.append(contentsOf: BenchmarkVocabulary.falseTrue[smoker ? 1 : 0]) } }

        let systolic = clamp(rng.quickNormal(mean: 112 + (age - 18) * 4 / 10 + (hypertensive ? 10 : 0),
                                             standardDeviation: 16), 78, 220)
        field(&buffer) { $0.appendDecimal(systolic) }
        let diastolic = clamp(rng.quickNormal(mean: systolic * 6 / 10 + 5, standardDeviation: 9), 40, 130)
        field(&buffer) { $0.appendDecimal(diastolic) }
        let heartRate = clamp(rng.quickNormal(mean: 82, standardDeviation: 14), 40, 160)
        field(&buffer) { $0.appendDecimal(heartRate) }
        let bmiMissing = rng.chance(perMillion: 50_000)
        let bmi = clamp(rng.quickNormal(mean: 285 + (diabetic ? 25 : 0), standardDeviation: 55), 150, 600)
        field(&buffer) { if !bmiMissing { $0.appendFixed(bmi, decimals: 1) } }
        let hba1cMissing = rng.chance(perMillion: 100_000)
        let hba1c = diabetic
            ? clamp(rng.quickNormal(mean: 78, standardDeviation: 14), 57, 140)
            : clamp(rng.quickNormal(mean: 54, standardDeviation: 4), 42, 64)
        field(&buffer) { if !hba1cMissing { $0.appendFixed(hba1c, decimals: 1) } }
        var creatinine = rng.quickNormal(mean: 80 + (age - 18) * 4 / 10 + (sex == 1 ? 18 : 0), standardDeviation: 20)
        if rng.chance(perMillion: 70_000) { creatinine += 40 + rng.uniform(below: 300) }
        creatinine = clamp(creatinine, 35, 950)
        field(&buffer) { $0.appendFixed(creatinine, decimals: 2) }
        let ldlMissing = rng.chance(perMillion: 150_000)
        let ldl = clamp(rng.quickNormal(mean: 110, standardDeviation: 32), 30, 300)
        field(&buffer) { if !ldlMissing { $0.appendDecimal(ldl) } }
        var stay = 1 + rng.uniform(below: 5)
        if rng.chance(perMillion: 250_000) { stay += rng.uniform(below: 12) }
        field(&buffer) { $0.appendDecimal(stay) }
        let risk = disposition == 4 ? 0 : 50_000 + (age - 18) * 900 + (diabetic ? 30_000 : 0) + (stay >= 7 ? 35_000 : 0)
        let readmitted = rng.chance(perMillion: race == 1 ? risk * 13 / 10 : risk)
        field(&buffer) { $0.append(readmitted ? UInt8(ascii: "1") : UInt8(ascii: "0")) }
    }

    @inline(__always)
    private static func field(_ buffer: inout [UInt8], _ body: (inout [UInt8]) -> Void) {
        buffer.append(comma)
        body(&buffer)
    }
}
