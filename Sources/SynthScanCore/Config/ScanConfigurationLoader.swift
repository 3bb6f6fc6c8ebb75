import Foundation

/// Loads `synthscan.yaml` into a `ScanConfiguration`, strictly and with positioned errors.
///
/// The format (see `docs/configuration.md` for the full reference):
///
/// ```yaml
/// version: 1                      # optional; a version > 1 is an error
/// inputs:
///   train: data/train.csv         # real training data
///   holdout: data/holdout.csv     # optional
///   synthetic: data/synthetic.csv
///   format: csv                   # optional: csv | tsv | jsonl | {delimiter: ";"}
///   missing_values: ["", "NA"]    # optional; replaces the defaults
/// roles:
///   identifiers: [patient_id]
///   quasi_identifiers: [age, sex, zip3]
///   sensitive: [primary_dx]
///   protected: [sex, race_ethnicity]
///   outcome: { column: readmitted_30d, positive: "1" }   # positive: any scalar, kept as its text
///   ignore: [note]
/// columns:
///   admission_date: { type: datetime }   # numeric | categorical | datetime | boolean | text
///   creatinine: { round: 2 }             # integer in -15...15
///   race_ethnicity: { case_fold: true }
/// schema:
///   missing_column: error         # error | warning
///   extra_column: warning
///   type_conflict: error
/// rules: [Rules/examples/acme]    # rule pack paths (a list or a single string)
/// fail_on: error                  # error | warning | note | none
/// seed: 42                        # non-negative integer
/// source_root: .
/// ```
///
/// Rules:
/// - Every key is optional. Unknown keys, values of the wrong type, repeated keys, and a column
///   listed twice in one list are errors; all problems in a file are reported together.
/// - A key with a null value (`holdout:` or `holdout: ~`) counts as not given.
/// - List values also accept a single string. Scalars are read as written: `positive: 1` is `"1"`.
/// - Relative paths (`inputs.train|holdout|synthetic`, `rules`, `source_root`) are resolved against
///   the folder holding the config file; absolute paths are kept; no `~` expansion.
/// - An empty file, or one holding only comments, gives the default configuration.
/// - Safety: files over 1 MiB are refused, and YAML anchors/aliases (`&a`, `*a`) are not allowed
///   (see `YAMLLimits.configuration`).
public enum ScanConfigurationLoader {
    /// The newest configuration format version this build reads.
    public static let latestVersion = 1

    /// File names `discover(in:)` looks for, in order of preference.
    public static let fileNames = ["synthscan.yaml", "synthscan.yml"]

    /// Reads, validates and resolves the config file at `path`; throws `ConfigurationError` listing every problem.
    public static func load(path: String) throws(ConfigurationError) -> ScanConfiguration {
        let text = try YAMLSourceFile.read(path: path, maxBytes: YAMLLimits.configuration.maxBytes)
        return try parse(text, file: path)
    }

    /// Parses config text as if it were the file `file` (used for messages and to resolve relative paths).
    public static func parse(_ text: String, file: String) throws(ConfigurationError) -> ScanConfiguration {
        let document = try YAMLDocument.parse(text, file: file, limits: .configuration)
        let collector = DiagnosticCollector(file: file)
        let decoder = ScanConfigurationDecoder(values: YAMLValueReader(diagnostics: collector),
                                               directory: ConfigPathResolver.directory(ofFile: file))
        let configuration = decoder.decode(document.root, file: file)
        try collector.throwIfAny()
        return configuration
    }

    /// `directory/synthscan.yaml` (or, failing that, `directory/synthscan.yml`) if such a file exists.
    public static func discover(in directory: String) -> String? {
        for name in fileNames {
            let candidate: String
            if directory.isEmpty {
                candidate = name
            } else {
                candidate = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue {
                return candidate
            }
        }
        return nil
    }
}
