import Yams

/// Builds a `ScanConfiguration` from a parsed `synthscan.yaml`, reporting every problem it finds.
struct ScanConfigurationDecoder {
    /// Top-level keys, in documentation order.
    static let topLevelKeys = ["version", "inputs", "roles", "columns", "schema", "rules", "fail_on", "seed", "source_root", "release"]
    /// Keys of `inputs`.
    static let inputKeys = ["train", "holdout", "synthetic", "format", "missing_values"]
    /// Keys of `roles`.
    static let roleKeys = ["identifiers", "quasi_identifiers", "sensitive", "protected", "outcome", "ignore"]
    /// Keys of `roles.outcome`.
    static let outcomeKeys = ["column", "positive"]
    /// Keys of each entry of `columns`.
    static let columnKeys = ["type", "round", "case_fold", "bands"]
    /// Keys of `schema`.
    static let schemaKeys = ["missing_column", "extra_column", "type_conflict"]
    /// Values of `fail_on`.
    static let failOnValues = ["error", "warning", "note", "none"]
    /// Allowed range of `columns.*.round`.
    static let roundRange = -15...15

    /// Reads values and reports problems.
    let values: YAMLValueReader
    /// Folder that relative paths are resolved against.
    let directory: String

    /// The configuration described by `root` (the defaults for an empty document).
    func decode(_ root: Node?, file: String) -> ScanConfiguration {
        var config = ScanConfiguration()
        config.configFile = file
        guard let root, !YAMLNodeKind.isNull(root) else { return config }
        guard let top = YAMLMappingReader(root, at: "", values: values) else { return config }
        guard versionIsSupported(top) else { return config }
        top.reportUnknownKeys(allowed: Self.topLevelKeys)

        if let inputs = top.mapping("inputs", allowedKeys: Self.inputKeys) { config.inputs = decodeInputs(inputs) }
        if let roles = top.mapping("roles", allowedKeys: Self.roleKeys) { config.roles = decodeRoles(roles) }
        if let columns = top.mapping("columns") { config.columns = decodeColumns(columns) }
        if let schema = top.mapping("schema", allowedKeys: Self.schemaKeys) { config.schemaPolicy = decodeSchema(schema) }
        if let rules = top.stringList("rules", unique: true, nonEmpty: true) { config.rulePacks = rules.map(resolve) }
        if let failOn = top.choice("fail_on", from: Self.failOnValues) { config.failOn = Severity(rawValue: failOn) }
        if let seed = top.uint64("seed") { config.seed = seed }
        if let root = top.string("source_root", nonEmpty: true) { config.sourceRoot = resolve(root) }
        if let release = top.mapping("release", allowedKeys: ReleaseSectionDecoder.keys) {
            config.release = ReleaseSectionDecoder(values: values).decode(release)
        }
        return config
    }

    /// Checks `version`; a newer version stops decoding (its keys may mean things this build does not know).
    private func versionIsSupported(_ top: YAMLMappingReader) -> Bool {
        guard let node = top.node("version"), let version = values.int(node, at: "version") else { return true }
        let latest = ScanConfigurationLoader.latestVersion
        if version > latest {
            values.diagnostics.report(.unsupportedVersion,
                                      "configuration version \(version) is newer than this synthscan understands (latest: \(latest))",
                                      at: node)
            return false
        }
        if version < 1 {
            values.reportInvalid(node, at: "version", value: String(version), expected: "\(latest)")
        }
        return true
    }

    private func decodeInputs(_ inputs: YAMLMappingReader) -> InputsConfiguration {
        var result = InputsConfiguration()
        result.train = inputs.string("train", nonEmpty: true).map(resolve)
        result.holdout = inputs.string("holdout", nonEmpty: true).map(resolve)
        result.synthetic = inputs.string("synthetic", nonEmpty: true).map(resolve)
        if let format = inputs.node("format") {
            result.format = InputFormatReader(values: values).read(format, at: inputs.path(of: "format"))
        }
        if let missing = inputs.stringList("missing_values") { result.missingValues = missing }
        return result
    }

    func decodeRoles(_ roles: YAMLMappingReader) -> RoleAssignments {
        var result = RoleAssignments()
        let list = { (key: String) in roles.stringList(key, unique: true, nonEmpty: true) ?? [] }
        result.identifiers = list("identifiers")
        result.quasiIdentifiers = list("quasi_identifiers")
        result.sensitive = list("sensitive")
        result.protected = list("protected")
        result.ignored = list("ignore")
        if let outcome = roles.mapping("outcome", allowedKeys: Self.outcomeKeys) {
            let column = outcome.string("column", required: true, nonEmpty: true)
            let positive = outcome.string("positive", required: true)
            if let column, let positive { result.outcome = OutcomeSpec(column: column, positiveValue: positive) }
        }
        return result
    }

    func decodeColumns(_ columns: YAMLMappingReader) -> [String: ColumnSettings] {
        var result: [String: ColumnSettings] = [:]
        for entry in columns.entries {
            let path = columns.path(of: entry.key)
            if entry.key.isEmpty {
                values.reportInvalid(entry.keyNode, at: columns.path, value: "", expected: "a non-empty column name")
                continue
            }
            if YAMLNodeKind.isNull(entry.value) {
                result[entry.key] = ColumnSettings()
                continue
            }
            guard let settings = YAMLMappingReader(entry.value, at: path, values: values, allowedKeys: Self.columnKeys) else {
                continue
            }
            let type = settings.enumValue("type", as: ColumnType.self)
            result[entry.key] = ColumnSettings(
                type: type,
                roundDigits: settings.int("round", in: Self.roundRange),
                caseFold: settings.bool("case_fold") ?? false,
                bands: settings.node("bands").flatMap { decodeBands($0, at: settings.path(of: "bands"), type: type) }
            )
        }
        return result
    }

    /// Reads `columns.<name>.bands`: at least two finite, strictly increasing numbers, on a column
    /// whose type (when the configuration sets it) is numeric or datetime.
    func decodeBands(_ node: Node, at path: String, type: ColumnType?) -> [Double]? {
        guard case .sequence(let sequence) = node else {
            values.reportWrongType(node, at: path, expected: "a list of at least two increasing numbers")
            return nil
        }
        var edges: [Double] = []
        var ok = true
        for (index, item) in sequence.enumerated() {
            let itemPath = "\(path)[\(index)]"
            guard let value = values.double(item, at: itemPath) else { ok = false; continue }
            guard value.isFinite else {
                values.reportInvalid(item, at: itemPath, value: String(value), expected: "a finite number")
                ok = false
                continue
            }
            if let last = edges.last, value <= last {
                values.reportInvalid(item, at: itemPath, value: ParameterValue.format(value),
                                     expected: "a number greater than the previous edge \(ParameterValue.format(last))")
                ok = false
                continue
            }
            edges.append(value)
        }
        guard ok else { return nil }
        if edges.count < 2 {
            values.reportInvalid(node, at: path, value: "\(edges.count) edges", expected: "at least two band edges")
            return nil
        }
        if let type, !type.isNumericStorage {
            values.reportInvalid(node, at: path, value: "bands on a \(type.rawValue) column",
                                 expected: "bands only on numeric or datetime columns")
            return nil
        }
        return edges
    }

    private func decodeSchema(_ schema: YAMLMappingReader) -> SchemaPolicy {
        var result = SchemaPolicy()
        if let level = schema.enumValue("missing_column", as: PolicyLevel.self) { result.missingColumn = level }
        if let level = schema.enumValue("extra_column", as: PolicyLevel.self) { result.extraColumn = level }
        if let level = schema.enumValue("type_conflict", as: PolicyLevel.self) { result.typeConflict = level }
        return result
    }

    private func resolve(_ path: String) -> String {
        ConfigPathResolver.resolve(path, against: directory)
    }
}

/// Reads `inputs.format`: `csv`, `tsv`, `jsonl`, or `{delimiter: "<one ASCII character>"}`.
struct InputFormatReader {
    /// Format names accepted as a plain value.
    static let names = ["csv", "tsv", "jsonl"]

    /// Reads values and reports problems.
    let values: YAMLValueReader

    /// The chosen format, or `nil` after reporting a problem.
    func read(_ node: Node, at path: String) -> InputFormatChoice? {
        switch node {
        case .scalar:
            switch values.choice(node, at: path, from: Self.names) {
            case "csv": return .csv
            case "tsv": return .tsv
            case "jsonl": return .jsonLines
            default: return nil
            }
        case .mapping:
            guard let mapping = YAMLMappingReader(node, at: path, values: values, allowedKeys: ["delimiter"]),
                  let delimiterNode = mapping.node("delimiter", required: true),
                  let text = values.string(delimiterNode, at: mapping.path(of: "delimiter")) else { return nil }
            return delimiter(text, node: delimiterNode, at: mapping.path(of: "delimiter"))
        default:
            values.reportWrongType(node, at: path, expected: "csv, tsv, jsonl or {delimiter: \"<character>\"}")
            return nil
        }
    }

    /// A one-byte delimiter; `,` and tab map to `.csv` and `.tsv`.
    private func delimiter(_ text: String, node: Node, at path: String) -> InputFormatChoice? {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count == 1, let scalar = scalars.first, scalar.isASCII,
              !["\n", "\r", "\""].contains(scalar) else {
            values.reportInvalid(node, at: path, value: text,
                                 expected: "a single ASCII character other than a double quote or line break")
            return nil
        }
        switch scalar {
        case ",": return .csv
        case "\t": return .tsv
        default: return .delimited(UInt8(scalar.value))
        }
    }
}
