import ArgumentParser
import SynthScanCore

/// Which files to read and how.
struct InputOptions: ParsableArguments {
    @Option(name: .long, help: "Real data the generator was trained on (CSV, TSV, JSON Lines; .gz allowed).")
    var train: String?

    @Option(name: .long, help: "The synthetic table to scan.")
    var synthetic: String?

    @Option(name: .long, help: "Real data the generator never saw (strongly advised: the baseline for chance matches).")
    var holdout: String?

    @Option(name: .customLong("input-format"), help: "Format of all inputs: csv, tsv, jsonl (default: by file extension).")
    var inputFormat: InputFormatOption?

    @Option(name: .long, help: "Single-character field delimiter for delimited inputs (e.g. ';' or '|').")
    var delimiter: String?

    @Option(name: .customLong("missing-values"), help: "Comma-separated tokens read as missing (replaces the defaults: empty, NA, N/A, NaN, null, NULL, ?).")
    var missingValues: String?

    @Option(name: .customLong("type"), help: "Force a column's type, as COLUMN=TYPE (numeric, categorical, datetime, boolean, text); repeatable.")
    var types: [String] = []

    /// Applies the options to `configuration`.
    func apply(to configuration: inout ScanConfiguration) throws {
        if let train { configuration.inputs.train = train }
        if let synthetic { configuration.inputs.synthetic = synthetic }
        if let holdout { configuration.inputs.holdout = holdout }
        if let inputFormat { configuration.inputs.format = inputFormat.choice }
        if let delimiter {
            let bytes = Array(delimiter.utf8)
            guard bytes.count == 1, bytes[0] != UInt8(ascii: "\""), bytes[0] != UInt8(ascii: "\n"), bytes[0] != UInt8(ascii: "\r") else {
                throw ValidationError("--delimiter must be one single-byte character other than a quote or a line break")
            }
            configuration.inputs.format = .delimited(bytes[0])
        }
        if let missingValues {
            configuration.inputs.missingValues = missingValues.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        for assignment in types {
            let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, let type = ColumnType(rawValue: parts[1]) else {
                throw ValidationError("--type expects COLUMN=TYPE with TYPE one of \(ColumnType.allCases.map(\.rawValue).joined(separator: ", ")); got '\(assignment)'")
            }
            configuration.columns[parts[0], default: ColumnSettings()].type = type
        }
    }
}

/// `--input-format` values.
enum InputFormatOption: String, ExpressibleByArgument, CaseIterable {
    case csv, tsv, jsonl

    var choice: InputFormatChoice {
        switch self {
        case .csv: .csv
        case .tsv: .tsv
        case .jsonl: .jsonLines
        }
    }
}

/// Column roles given on the command line (each replaces the config's list for that role).
struct RoleOptions: ParsableArguments {
    @Option(name: .long, help: "Direct identifier columns, comma-separated (e.g. mrn,name).")
    var identifiers: String?

    @Option(name: .customLong("quasi-identifiers"), help: "Quasi-identifier columns, comma-separated (e.g. age,sex,zip3).")
    var quasiIdentifiers: String?

    @Option(name: .long, help: "Sensitive attribute columns, comma-separated.")
    var sensitive: String?

    @Option(name: .long, help: "Protected attribute columns, comma-separated (e.g. sex,race).")
    var protected: String?

    @Option(name: .long, help: "Outcome column and its positive value, as COLUMN=VALUE (e.g. readmitted=1).")
    var outcome: String?

    @Option(name: .long, help: "Columns every check ignores, comma-separated.")
    var ignore: String?

    /// Applies the options to `configuration`.
    func apply(to configuration: inout ScanConfiguration) throws {
        func list(_ text: String) -> [String] {
            text.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        if let identifiers { configuration.roles.identifiers = list(identifiers) }
        if let quasiIdentifiers { configuration.roles.quasiIdentifiers = list(quasiIdentifiers) }
        if let sensitive { configuration.roles.sensitive = list(sensitive) }
        if let protected { configuration.roles.protected = list(protected) }
        if let ignore { configuration.roles.ignored = list(ignore) }
        if let outcome {
            let parts = outcome.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ValidationError("--outcome expects COLUMN=VALUE (e.g. readmitted=1); got '\(outcome)'")
            }
            configuration.roles.outcome = OutcomeSpec(column: parts[0], positiveValue: parts[1])
        }
    }
}
