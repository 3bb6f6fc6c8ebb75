import Foundation
import Testing
@testable import SynthScanCore

/// A unique temporary folder for one test, removed by `remove()`.
private struct TemporaryFolder {
    let path: String

    init() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("synthscan-config-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    /// Writes `text` to `name` inside the folder and returns the file's path.
    @discardableResult
    func write(_ text: String, to name: String = "synthscan.yaml") throws -> String {
        try write(Data(text.utf8), to: name)
    }

    /// Writes raw bytes to `name` inside the folder and returns the file's path.
    @discardableResult
    func write(_ data: Data, to name: String) throws -> String {
        let file = path + "/" + name
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: file))
        return file
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// An expected diagnostic (the file is checked separately).
private struct Expected: Equatable, CustomStringConvertible {
    var line: Int?
    var column: Int?
    var code: DiagnosticCode
    var message: String

    init(_ line: Int?, _ column: Int?, _ code: DiagnosticCode, _ message: String) {
        self.line = line
        self.column = column
        self.code = code
        self.message = message
    }

    init(_ diagnostic: ConfigDiagnostic) {
        self.init(diagnostic.line, diagnostic.column, diagnostic.code, diagnostic.message)
    }

    var description: String { "\(line ?? 0):\(column ?? 0) [\(code)] \(message)" }
}

/// Loads `path` and returns the error it throws (or `nil` if it loads).
private func loadError(_ path: String) -> ConfigurationError? {
    do {
        _ = try ScanConfigurationLoader.load(path: path)
        return nil
    } catch {
        return error
    }
}

/// Writes `yaml` to a temporary synthscan.yaml, loads it, and checks the diagnostics exactly (file included).
private func expectDiagnostics(_ yaml: String, _ expected: [Expected],
                               sourceLocation: SourceLocation = #_sourceLocation) throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let path = try folder.write(yaml)
    guard let error = loadError(path) else {
        Issue.record("expected the configuration to be rejected", sourceLocation: sourceLocation)
        return
    }
    let diagnostics = error.diagnostics
    #expect(diagnostics.map(Expected.init) == expected, sourceLocation: sourceLocation)
    #expect(diagnostics.allSatisfy { $0.file == path && $0.severity == .error }, sourceLocation: sourceLocation)
}

// MARK: - Valid configurations

@Test func fullConfigurationLoadsIntoTheExpectedStruct() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let path = try folder.write("""
        # synthscan configuration
        version: 1                      # optional; a version > 1 is an error
        inputs:
          train: data/train.csv         # real training data
          holdout: data/holdout.csv     # optional
          synthetic: data/synthetic.csv
          format: csv
          missing_values: ["", "NA"]    # optional; replaces the defaults
        roles:
          identifiers: [patient_id]
          quasi_identifiers: [age, sex, zip3]
          sensitive: [primary_dx]
          protected: [sex, race_ethnicity]
          outcome: { column: readmitted_30d, positive: "1" }
          ignore: [note]
        columns:
          admission_date: { type: datetime }
          creatinine: { round: 2 }
          race_ethnicity: { case_fold: true }
        schema:
          missing_column: warning
          extra_column: error
          type_conflict: warning
        rules: [Rules/examples/acme]
        fail_on: warning
        seed: 42
        source_root: .

        """)
    let dir = folder.path
    var expected = ScanConfiguration()
    expected.configFile = path
    expected.inputs.train = dir + "/data/train.csv"
    expected.inputs.holdout = dir + "/data/holdout.csv"
    expected.inputs.synthetic = dir + "/data/synthetic.csv"
    expected.inputs.format = .csv
    expected.inputs.missingValues = ["", "NA"]
    expected.roles.identifiers = ["patient_id"]
    expected.roles.quasiIdentifiers = ["age", "sex", "zip3"]
    expected.roles.sensitive = ["primary_dx"]
    expected.roles.protected = ["sex", "race_ethnicity"]
    expected.roles.outcome = OutcomeSpec(column: "readmitted_30d", positiveValue: "1")
    expected.roles.ignored = ["note"]
    expected.columns = [
        "admission_date": ColumnSettings(type: .datetime),
        "creatinine": ColumnSettings(roundDigits: 2),
        "race_ethnicity": ColumnSettings(caseFold: true),
    ]
    expected.schemaPolicy.missingColumn = .warning
    expected.schemaPolicy.extraColumn = .error
    expected.schemaPolicy.typeConflict = .warning
    expected.rulePacks = [dir + "/Rules/examples/acme"]
    expected.failOn = .warning
    expected.seed = 42
    expected.sourceRoot = dir

    let loaded = try ScanConfigurationLoader.load(path: path)
    #expect(loaded == expected)
}

@Test func emptyAndCommentOnlyFilesGiveTheDefaults() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    for (index, text) in ["", "# nothing here\n\n   # still nothing\n", "---\n"].enumerated() {
        let path = try folder.write(text, to: "empty\(index).yaml")
        var expected = ScanConfiguration()
        expected.configFile = path
        #expect(try ScanConfigurationLoader.load(path: path) == expected)
    }
}

@Test func scalarsListsNullsAndFormatsAreReadFlexibly() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let path = try folder.write("""
        inputs:
          holdout:
          format: {delimiter: ";"}
          missing_values: "-"
        roles:
          sensitive: primary_dx
          outcome: {column: died, positive: 1}
        columns:
          note:
          "2019": {round: -1, type: numeric, case_fold: no}
        rules: packs/site
        fail_on: none
        seed: 18446744073709551615

        """)
    let config = try ScanConfigurationLoader.load(path: path)
    #expect(config.inputs.holdout == nil)
    #expect(config.inputs.format == .delimited(UInt8(ascii: ";")))
    #expect(config.inputs.missingValues == ["-"])
    #expect(config.roles.sensitive == ["primary_dx"])
    #expect(config.roles.outcome == OutcomeSpec(column: "died", positiveValue: "1"))
    #expect(config.columns == ["note": ColumnSettings(), "2019": ColumnSettings(type: .numeric, roundDigits: -1)])
    #expect(config.rulePacks == [folder.path + "/packs/site"])
    #expect(config.failOn == nil)
    #expect(config.seed == UInt64.max)

    let formats: [(String, InputFormatChoice)] = [
        ("csv", .csv), ("tsv", .tsv), ("jsonl", .jsonLines), ("{delimiter: \",\"}", .csv),
        ("{delimiter: \"\\t\"}", .tsv), ("{delimiter: \"|\"}", .delimited(UInt8(ascii: "|"))),
    ]
    for (written, choice) in formats {
        let config = try ScanConfigurationLoader.parse("inputs:\n  format: \(written)\n", file: "synthscan.yaml")
        #expect(config.inputs.format == choice, "format: \(written)")
    }
}

// MARK: - Paths

@Test func relativePathsResolveAgainstTheConfigFolder() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    let path = try folder.write("""
        inputs:
          train: ./data/train.csv
          holdout: ../shared/holdout.csv
          synthetic: /srv/release/synthetic.csv
        rules: [./Rules/acme, /opt/synthscan/packs/site]
        source_root: ..

        """, to: "project/conf/synthscan.yaml")
    let dir = folder.path + "/project/conf"
    let config = try ScanConfigurationLoader.load(path: path)
    #expect(config.inputs.train == dir + "/data/train.csv")
    #expect(config.inputs.holdout == dir + "/../shared/holdout.csv")
    #expect(config.inputs.synthetic == "/srv/release/synthetic.csv")
    #expect(config.rulePacks == [dir + "/Rules/acme", "/opt/synthscan/packs/site"])
    #expect(config.sourceRoot == dir + "/..")
}

@Test func pathResolverHandlesBareAndDotFolders() {
    #expect(ConfigPathResolver.directory(ofFile: "synthscan.yaml") == "")
    #expect(ConfigPathResolver.directory(ofFile: "./synthscan.yaml") == ".")
    #expect(ConfigPathResolver.directory(ofFile: "./conf/synthscan.yaml") == "conf")
    #expect(ConfigPathResolver.directory(ofFile: "/synthscan.yaml") == "/")
    #expect(ConfigPathResolver.resolve("./data/a.csv", against: "") == "data/a.csv")
    #expect(ConfigPathResolver.resolve("data/a.csv", against: ".") == "data/a.csv")
    #expect(ConfigPathResolver.resolve(".", against: "") == ".")
    #expect(ConfigPathResolver.resolve(".", against: "conf") == "conf")
    #expect(ConfigPathResolver.resolve("a.csv", against: "/") == "/a.csv")
    #expect(ConfigPathResolver.resolve("/abs/a.csv", against: "conf") == "/abs/a.csv")
    #expect(ConfigPathResolver.resolve("././a.csv", against: "conf/") == "conf/a.csv")
    // Parsing text under a relative file name resolves against that name's folder.
    let config = try? ScanConfigurationLoader.parse("inputs: {train: ./t.csv}\nsource_root: .\n", file: "./cfg/synthscan.yaml")
    #expect(config?.inputs.train == "cfg/t.csv")
    #expect(config?.sourceRoot == "cfg")
}

@Test func discoverFindsYamlThenYml() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }
    #expect(ScanConfigurationLoader.discover(in: folder.path) == nil)
    try folder.write("seed: 1\n", to: "synthscan.yml")
    #expect(ScanConfigurationLoader.discover(in: folder.path) == folder.path + "/synthscan.yml")
    try folder.write("seed: 1\n", to: "synthscan.yaml")
    #expect(ScanConfigurationLoader.discover(in: folder.path) == folder.path + "/synthscan.yaml")
    #expect(ScanConfigurationLoader.discover(in: folder.path + "/") == folder.path + "/synthscan.yaml")

    let other = try TemporaryFolder()
    defer { other.remove() }
    try FileManager.default.createDirectory(atPath: other.path + "/synthscan.yaml", withIntermediateDirectories: true)
    #expect(ScanConfigurationLoader.discover(in: other.path) == nil)
}

// MARK: - Errors, one kind at a time

@Test func unknownKeyIsReportedWithASuggestion() throws {
    try expectDiagnostics("roles:\n  identifers: [patient_id]\n", [
        Expected(2, 3, .unknownKey, "unknown key 'identifers' in 'roles' (did you mean 'identifiers'?)"),
    ])
    try expectDiagnostics("seed: 1\nreport: sarif\n", [
        Expected(2, 1, .unknownKey,
                 "unknown key 'report' at the top level (expected one of: version, inputs, roles, columns, schema, rules, fail_on, seed, source_root, release)"),
    ])
}

@Test func wrongTypeIsReported() throws {
    try expectDiagnostics("seed: forty-two\n", [
        Expected(1, 7, .wrongType, "wrong type for 'seed': expected a non-negative integer, found a string"),
    ])
    try expectDiagnostics("roles:\n  identifiers: {patient_id: true}\n", [
        Expected(2, 16, .wrongType, "wrong type for 'roles.identifiers': expected a list of strings, found a mapping"),
    ])
    try expectDiagnostics("columns:\n  bmi: {case_fold: \"yes\"}\n", [
        Expected(2, 20, .wrongType, "wrong type for 'columns.bmi.case_fold': expected a boolean (true or false), found a string"),
    ])
}

@Test func badEnumValueIsReported() throws {
    try expectDiagnostics("schema:\n  extra_column: warn\n", [
        Expected(2, 17, .invalidValue, "invalid value 'warn' for 'schema.extra_column' (expected one of: error, warning; did you mean 'warning'?)"),
    ])
    try expectDiagnostics("fail_on: never\n", [
        Expected(1, 10, .invalidValue, "invalid value 'never' for 'fail_on' (expected one of: error, warning, note, none)"),
    ])
    try expectDiagnostics("columns:\n  admitted: {type: dattime}\n", [
        Expected(2, 20, .invalidValue,
                 "invalid value 'dattime' for 'columns.admitted.type' (expected one of: numeric, categorical, datetime, boolean, text; did you mean 'datetime'?)"),
    ])
    try expectDiagnostics("inputs:\n  format: {delimiter: \";;\"}\n", [
        Expected(2, 23, .invalidValue,
                 "invalid value ';;' for 'inputs.format.delimiter' (expected a single ASCII character other than a double quote or line break)"),
    ])
}

@Test func outOfRangeRoundIsReported() throws {
    try expectDiagnostics("columns:\n  creatinine: { round: 16 }\n", [
        Expected(2, 24, .invalidValue, "invalid value '16' for 'columns.creatinine.round' (expected an integer from -15 to 15)"),
    ])
    try expectDiagnostics("seed: -3\n", [
        Expected(1, 7, .invalidValue, "invalid value '-3' for 'seed' (expected a non-negative integer)"),
    ])
}

@Test func duplicateKeyIsReportedAtTheRepeat() throws {
    try expectDiagnostics("seed: 1\nroles:\n  identifiers: [a]\n  sensitive: [b]\n  identifiers: [c]\n", [
        Expected(5, 3, .duplicateKey, "duplicate key 'identifiers' (first defined at line 3, column 3)"),
    ])
    // Same text, different YAML types: Yams accepts them, the reader does not.
    try expectDiagnostics("columns:\n  2019: {round: 0}\n  \"2019\": {round: 1}\n", [
        Expected(3, 3, .duplicateKey, "duplicate key '2019' (first defined at line 2, column 3)"),
    ])
}

@Test func duplicateEntryInOneRoleListIsReported() throws {
    try expectDiagnostics("roles:\n  quasi_identifiers: [age, sex, age]\n  protected: [sex, age]\n", [
        Expected(2, 33, .duplicateEntry,
                 "duplicate entry 'age' in 'roles.quasi_identifiers' (first listed at line 2, column 23)"),
    ])
}

@Test func yamlSyntaxErrorKeepsYamsPosition() throws {
    try expectDiagnostics("seed: 1\ninputs:\n  train: data: train.csv\n", [
        Expected(3, 14, .yamlSyntax, "YAML syntax error: mapping values are not allowed in this context"),
    ])
    try expectDiagnostics("roles:\n  identifiers: [a, b\n", [
        Expected(3, 1, .yamlSyntax,
                 "YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at line 2, column 16)"),
    ])
    try expectDiagnostics("seed: 1\n---\nseed: 2\n", [
        Expected(2, 1, .yamlSyntax, "expected a single YAML document, but found another document"),
    ])
}

@Test func newerVersionIsReportedAlone() throws {
    try expectDiagnostics("version: 2\nfuture_key: true\n", [
        Expected(1, 10, .unsupportedVersion, "configuration version 2 is newer than this synthscan understands (latest: 1)"),
    ])
}

@Test func nonMappingTopLevelIsReported() throws {
    try expectDiagnostics("- train.csv\n- synthetic.csv\n", [
        Expected(1, 1, .wrongType, "wrong type for the top level: expected a mapping, found a list"),
    ])
    try expectDiagnostics("just a string\n", [
        Expected(1, 1, .wrongType, "wrong type for the top level: expected a mapping, found a string"),
    ])
}

@Test func missingRequiredKeyIsReported() throws {
    try expectDiagnostics("roles:\n  outcome: { column: readmitted_30d }\n", [
        Expected(2, 12, .missingKey, "missing required key 'positive' in 'roles.outcome'"),
    ])
}

@Test func anchorsAndAliasesAreRejected() throws {
    try expectDiagnostics("roles:\n  protected: &p [sex]\n  quasi_identifiers: *p\n", [
        Expected(2, 14, .yamlAlias, "YAML anchors and aliases are not allowed in this file (found anchor '&p')"),
    ])
    // A "billion laughs" document is refused before Yams composes it.
    var lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for (name, previous) in zip(["b", "c", "d", "e", "f", "g", "h"], ["a", "b", "c", "d", "e", "f", "g"]) {
        lines.append("\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]")
    }
    try expectDiagnostics(lines.joined(separator: "\n") + "\n", [
        Expected(2, 40, .yamlAlias, "too many '*name' sequences (possible YAML aliases) to parse safely; the limit is 8"),
    ])
}

@Test func fileProblemsAreReported() throws {
    let folder = try TemporaryFolder()
    defer { folder.remove() }

    let missing = folder.path + "/nope.yaml"
    #expect(loadError(missing) == .fileNotFound(path: missing))
    #expect(loadError(missing)?.description == "\(missing): error: no such file [file-not-found]")

    #expect(loadError(folder.path) == .isDirectory(path: folder.path))
    #expect(loadError(folder.path)?.description == "\(folder.path): error: is a directory, not a YAML file [is-directory]")

    let large = try folder.write(String(repeating: "#", count: (1 << 20) + 1), to: "large.yaml")
    #expect(loadError(large) == .fileTooLarge(path: large, byteCount: (1 << 20) + 1, limit: 1 << 20))
    #expect(loadError(large)?.description
        == "\(large): error: file is too large (1048577 bytes; the limit is 1048576 bytes) [file-too-large]")

    let binary = try folder.write(Data("seed: 1\nx: caf".utf8) + Data([0xC3, 0x28]) + Data("\n".utf8), to: "latin.yaml")
    #expect(loadError(binary) == .notUTF8(path: binary, line: 2, column: 7))
    #expect(loadError(binary)?.description == "\(binary):2:7: error: file is not valid UTF-8 [not-utf8]")
}

@Test func severalErrorsAreAllReportedInOrder() throws {
    try expectDiagnostics("""
        seeds: 7
        inputs:
          format: xml
        roles:
          identifiers: {a: 1}
          protected: [sex, sex]
        columns:
          bmi: {round: 16, case_fold: "yes"}
        fail_on: never

        """, [
        Expected(1, 1, .unknownKey, "unknown key 'seeds' at the top level (did you mean 'seed'?)"),
        Expected(3, 11, .invalidValue, "invalid value 'xml' for 'inputs.format' (expected one of: csv, tsv, jsonl)"),
        Expected(5, 16, .wrongType, "wrong type for 'roles.identifiers': expected a list of strings, found a mapping"),
        Expected(6, 20, .duplicateEntry, "duplicate entry 'sex' in 'roles.protected' (first listed at line 6, column 15)"),
        Expected(8, 16, .invalidValue, "invalid value '16' for 'columns.bmi.round' (expected an integer from -15 to 15)"),
        Expected(8, 31, .wrongType, "wrong type for 'columns.bmi.case_fold': expected a boolean (true or false), found a string"),
        Expected(9, 10, .invalidValue, "invalid value 'never' for 'fail_on' (expected one of: error, warning, note, none)"),
    ])
}

@Test func errorsPrintOneClangStyleLineEach() {
    let error = ConfigurationError.invalid([
        ConfigDiagnostic(file: "conf/synthscan.yaml", line: 12, column: 5, code: .unknownKey,
                         message: "unknown key 'identifers' in 'roles' (did you mean 'identifiers'?)"),
        ConfigDiagnostic(file: "conf/synthscan.yaml", line: 20, column: 10, code: .invalidValue,
                         message: "invalid value 'never' for 'fail_on' (expected one of: error, warning, note, none)"),
    ])
    #expect(error.description == """
        conf/synthscan.yaml:12:5: error: unknown key 'identifers' in 'roles' (did you mean 'identifiers'?) [unknown-key]
        conf/synthscan.yaml:20:10: error: invalid value 'never' for 'fail_on' (expected one of: error, warning, note, none) [invalid-value]
        """)
}

// MARK: - The reusable YAML layer

@Test func yamlReaderSupportsOtherSchemasAndAliasBudgets() throws {
    let text = """
        id: acme.k-anonymity
        enabled: yes
        threshold: 0.25
        weight: 3
        tags: privacy
        extra: 1

        """
    let document = try YAMLDocument.parse(text, file: "pack.yaml", limits: .configuration)
    let collector = DiagnosticCollector(file: "pack.yaml")
    let values = YAMLValueReader(diagnostics: collector)
    let root = try #require(document.root)
    let rule = try #require(YAMLMappingReader(root, at: "", values: values,
                                              allowedKeys: ["id", "enabled", "threshold", "weight", "tags", "level"]))
    #expect(rule.string("id") == "acme.k-anonymity")
    #expect(rule.bool("enabled") == true)
    #expect(rule.double("threshold") == 0.25)
    #expect(rule.double("weight") == 3)
    #expect(rule.stringList("tags") == ["privacy"])
    #expect(rule.enumValue("level", as: Severity.self, required: true) == nil)
    #expect(collector.sortedDiagnostics.map(Expected.init) == [
        Expected(1, 1, .missingKey, "missing required key 'level' at the top level"),
        Expected(6, 1, .unknownKey,
                 "unknown key 'extra' at the top level (expected one of: id, enabled, threshold, weight, tags, level)"),
    ])

    // A positive alias budget allows that many alias uses and no more.
    let limits = YAMLLimits(maxBytes: 4096, maxAliasUses: 2)
    let twoUses = "base: &b {level: warning}\nr1: *b\nr2: *b\n"
    #expect(throws: Never.self) { try YAMLDocument.parse(twoUses, file: "pack.yaml", limits: limits) }
    do {
        _ = try YAMLDocument.parse(twoUses + "r3: *b\n", file: "pack.yaml", limits: limits)
        Issue.record("expected too many alias uses")
    } catch {
        #expect(error.diagnostics.map(Expected.init) == [
            Expected(1, 7, .yamlAlias, "too many YAML alias uses (more than 2); '*b' refers to the anchor here"),
        ])
    }
}

@Test func suggestionsUseEditDistance() {
    #expect(EditDistance.distance("identifers", "identifiers") == 1)
    #expect(EditDistance.distance("wraning", "warning") == 1)
    #expect(EditDistance.distance("", "abc") == 3)
    #expect(EditDistance.suggestion(for: "Seed", among: ["version", "seed"]) == "seed")
    #expect(EditDistance.suggestion(for: "xml", among: ["csv", "tsv", "jsonl"]) == nil)
    #expect(EditDistance.suggestion(for: "quasi", among: ["identifiers", "quasi_identifiers"]) == "quasi_identifiers")
    #expect(EditDistance.suggestion(for: "no", among: ["note", "none"]) == nil)
}
