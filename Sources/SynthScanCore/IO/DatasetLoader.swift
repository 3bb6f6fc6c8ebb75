/// The three tables, read and aligned to one schema, with the warnings raised on the way.
public struct LoadedDatasets: Sendable {
    /// The shared schema (canonical column order).
    public let schema: Schema
    /// Real training data.
    public let train: Table
    /// Real holdout data, if given.
    public let holdout: Table?
    /// The synthetic release.
    public let synthetic: Table
    /// Warnings about the inputs (dropped columns, conflicts read as categorical).
    public let notifications: [ScanNotification]

    /// The tables that are present, in train, holdout, synthetic order.
    public var tables: [Table] { [train] + (holdout.map { [$0] } ?? []) + [synthetic] }

    /// The table with `role`, if present.
    public func table(_ role: TableRole) -> Table? {
        switch role { case .train: train; case .holdout: holdout; case .synthetic: synthetic }
    }
}

/// Reads the train, holdout and synthetic files (in parallel) and aligns them to one schema:
/// columns matched by name, one type per column inferred over all tables together (or forced by
/// the configuration), one category dictionary per column shared by all tables.
public enum DatasetLoader {
    /// Distinct share of non-missing values at which an inferred categorical column counts as free text.
    static let textDistinctShare = 0.9
    /// Minimum distinct values for an inferred categorical column to count as free text.
    static let textMinimumDistinct = 20

    /// Loads the inputs named by `configuration`.
    public static func load(_ configuration: ScanConfiguration) throws -> LoadedDatasets {
        guard let trainPath = configuration.inputs.train else { throw SchemaError.missingInput(.train) }
        guard let syntheticPath = configuration.inputs.synthetic else { throw SchemaError.missingInput(.synthetic) }
        var inputs: [(TableRole, String)] = [(.train, trainPath)]
        if let holdout = configuration.inputs.holdout { inputs.append((.holdout, holdout)) }
        inputs.append((.synthetic, syntheticPath))

        let missingTokens = MissingTokens(configuration.inputs.missingValues)
        var forcedTypes: [String: ColumnType] = [:]
        for (name, settings) in configuration.columns { if let t = settings.type { forcedTypes[name] = t } }
        let options = try inputs.map { (_, path) in
            TableFileReader.Options(format: try format(for: path, choice: configuration.inputs.format),
                                    missingTokens: missingTokens, forcedTypes: forcedTypes)
        }
        let read = try Parallel.map(inputs.count) { i in try TableFileReader.read(path: inputs[i].1, options: options[i]) }
        var aligner = SchemaAligner(configuration: configuration)
        return try aligner.align(roles: inputs.map(\.0), accumulators: read.map(\.accumulator), sources: read.map(\.source))
    }

    /// The format of `path`: the configured choice, else its extension.
    static func format(for path: String, choice: InputFormatChoice?) throws -> DataFormat {
        switch choice {
        case .csv?: return .csv
        case .tsv?: return .tsv
        case .delimited(let d)?: return .delimited(delimiter: d)
        case .jsonLines?: return .jsonLines
        case nil:
            guard let f = TableFileReader.format(forPath: path) else { throw SchemaError.unknownFormat(path: path) }
            return f
        }
    }
}
