/// A release with nothing planted: fresh draws from the model, none equal to a real row.
struct CleanReleaseBuilder: ReleaseBuilder {
    let fileName: String
    let seed: UInt64

    func build(in context: ReleaseContext) throws -> SyntheticRelease {
        var rng = Xoshiro256StarStar(seed: seed)
        let records = try context.sampler.draw(count: context.rowCount, using: &rng)
        return SyntheticRelease(
            fileName: fileName, seed: seed, records: records,
            planted: .object(["kind": "none"]),
            summary: "Clean release: independent draws from the generative model; no row equals any train or holdout row.")
    }
}
