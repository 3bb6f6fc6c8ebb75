/// One file of the example bundle: its name inside the output directory and its exact text.
public struct ExampleFile: Sendable, Equatable {
    /// File name relative to the output directory, e.g. `train.csv`.
    public let name: String
    /// The complete UTF-8 contents (LF line endings, trailing newline).
    public let contents: String

    /// Creates a file description.
    public init(name: String, contents: String) {
        self.name = name
        self.contents = contents
    }
}

/// The deterministic example bundle: a fabricated clinical cohort split into `train.csv` and
/// `holdout.csv`, seven synthetic releases (one clean, six with exactly one planted problem),
/// the machine-readable manifest `plantings.json`, and `README.md`.
///
/// Generation uses only seeded integer arithmetic, so every call returns byte-identical files
/// on every run and machine.
public struct ExampleBundle: Sendable {
    /// The files in a stable order: real tables, releases, manifest, README.
    public let files: [ExampleFile]

    /// The names of all files the bundle writes, in `files` order.
    public static var fileNames: [String] {
        [ExampleSpecification.trainFile, ExampleSpecification.holdoutFile]
            + ExampleSpecification.releaseBuilders.map(\.fileName)
            + [ExampleSpecification.manifestFile, ExampleSpecification.readmeFile]
    }

    /// Generates the whole bundle in memory.
    /// - Throws: `ExamplesError.samplingExhausted` if a generation constraint cannot be met
    ///   (which would indicate a bug in the generator, not bad input).
    public static func generate() throws -> ExampleBundle {
        let cohort = try RealCohortGenerator(
            model: .standard, seed: ExampleSpecification.cohortSeed, splitSeed: ExampleSpecification.splitSeed,
            trainCount: ExampleSpecification.trainRows, holdoutCount: ExampleSpecification.holdoutRows
        ).generate()
        try CohortInvariants.check(cohort)

        let context = ReleaseContext(model: .standard, cohort: cohort, realRecords: cohort.allRecords,
                                     rowCount: ExampleSpecification.syntheticRows)
        let releases = try ExampleSpecification.releaseBuilders.map { try $0.build(in: context) }
        for release in releases {
            try CohortInvariants.check(release, real: context.realRecords,
                                       plantedCopyIndices: release.exactCopyIndices)
            try CohortInvariants.checkIdentifiers(release)
        }

        var files = [
            ExampleFile(name: ExampleSpecification.trainFile, contents: render(cohort.train)),
            ExampleFile(name: ExampleSpecification.holdoutFile, contents: render(cohort.holdout)),
        ]
        files += releases.map { ExampleFile(name: $0.fileName, contents: render($0.identifiedRecords)) }
        files.append(ExampleFile(name: ExampleSpecification.manifestFile,
                                 contents: PlantingManifest(cohort: cohort, releases: releases).json.rendered()))
        files.append(ExampleFile(name: ExampleSpecification.readmeFile,
                                 contents: ExamplesReadme(cohort: cohort, releases: releases).rendered()))
        return ExampleBundle(files: files)
    }

    /// The file with the given name, if the bundle has one.
    public func file(named name: String) -> ExampleFile? {
        files.first { $0.name == name }
    }

    private static func render(_ rows: [IdentifiedRecord]) -> String {
        CSVFormatter.document(header: CohortSchema.header, records: rows.map(\.fields))
    }
}
