/// Seeds, sizes and file names of the bundled example data. Changing any value changes the
/// committed files, so the regeneration test would flag it.
///
/// The seeds were picked (by scanning candidates once, offline) so that each file shows only
/// its intended problem: the training split's Black/White readmission ratio is close to the
/// model's ~1.3, every rare diagnosis code occurs in both real tables, and in every release
/// other than the planted one the Black/White ratio stays within 0.05 of the training data's,
/// the overall readmission rate within 0.01, `American Indian or Alaska Native` has at least
/// 45 rows and each rare code at least 2 rows.
enum ExampleSpecification {
    static let cohortSeed: UInt64 = 42_010
    static let splitSeed: UInt64 = 42_002
    static let trainRows = 2_000
    static let holdoutRows = 1_000
    static let syntheticRows = 2_000

    static let trainFile = "train.csv"
    static let holdoutFile = "holdout.csv"
    static let manifestFile = "plantings.json"
    static let readmeFile = "README.md"

    static let releaseBuilders: [any ReleaseBuilder] = [
        CleanReleaseBuilder(fileName: "synthetic_clean.csv", seed: 56_801),
        ExactCopiesReleaseBuilder(fileName: "synthetic_copies.csv", seed: 55_002),
        NearCopiesReleaseBuilder(fileName: "synthetic_near_copies.csv", seed: 53_903),
        DroppedSubgroupReleaseBuilder(fileName: "synthetic_dropped_subgroup.csv", seed: 52_504),
        AmplifiedDisparityReleaseBuilder(fileName: "synthetic_amplified_disparity.csv", seed: 52_805),
        ErasedRareReleaseBuilder(fileName: "synthetic_erased_rare.csv", seed: 55_606),
        LeakedIdentifiersReleaseBuilder(fileName: "synthetic_leaked_identifiers.csv", seed: 50_407),
    ]
}
