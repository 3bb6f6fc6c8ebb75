/// One planted exact copy: data row `targetIndex` of the synthetic file carries the content
/// (every column except `record_id`) of data row `sourceIndex` of the source table. Both
/// indices are 0-based data-row indices (the header is not counted).
public struct BenchmarkPlantedCopy: Sendable, Hashable {
    /// 0-based data row of the synthetic file.
    public let targetIndex: Int
    /// 0-based data row of the source (training) table.
    public let sourceIndex: Int

    /// Creates a planted copy description.
    public init(targetIndex: Int, sourceIndex: Int) {
        self.targetIndex = targetIndex
        self.sourceIndex = sourceIndex
    }
}

/// Which rows of a synthetic benchmark file are exact copies of which rows of a training
/// table, identified by the training table's seed.
public struct BenchmarkCopyPlan: Sendable, Equatable {
    /// Seed of the source (training) `BenchmarkTable` whose rows are copied.
    public let sourceSeed: UInt64
    /// The copies, sorted by `targetIndex`; target indices are unique.
    public let copies: [BenchmarkPlantedCopy]

    /// Creates a plan from explicit copies.
    /// - Throws: `ExamplesError.invalidArgument` if an index is negative or a target repeats.
    public init(sourceSeed: UInt64, copies: [BenchmarkPlantedCopy]) throws {
        guard copies.allSatisfy({ $0.targetIndex >= 0 && $0.sourceIndex >= 0 }) else {
            throw ExamplesError.invalidArgument("copy indices must be non-negative")
        }
        let sorted = copies.sorted { $0.targetIndex < $1.targetIndex }
        guard Set(sorted.map(\.targetIndex)).count == sorted.count else {
            throw ExamplesError.invalidArgument("each synthetic row can hold at most one copy")
        }
        self.sourceSeed = sourceSeed
        self.copies = sorted
    }

    /// A plan of `copyCount` copies of distinct random source rows (from `0..<sourceRowCount`)
    /// placed at distinct random target rows (in `0..<targetRowCount`), chosen
    /// deterministically from `planSeed`.
    /// - Throws: `ExamplesError.invalidArgument` if `copyCount` exceeds either row count.
    public static func scattered(copyCount: Int, sourceSeed: UInt64, sourceRowCount: Int,
                                 targetRowCount: Int, planSeed: UInt64) throws -> BenchmarkCopyPlan {
        guard copyCount >= 0, copyCount <= sourceRowCount, copyCount <= targetRowCount else {
            throw ExamplesError.invalidArgument(
                "cannot plant \(copyCount) copies with \(sourceRowCount) source and \(targetRowCount) target rows")
        }
        var rng = Xoshiro256StarStar(seed: planSeed)
        let sources = rng.distinctSample(count: copyCount, from: sourceRowCount)
        let targets = rng.distinctSample(count: copyCount, from: targetRowCount)
        return try BenchmarkCopyPlan(
            sourceSeed: sourceSeed,
            copies: zip(targets, sources).map { BenchmarkPlantedCopy(targetIndex: $0, sourceIndex: $1) })
    }
}
