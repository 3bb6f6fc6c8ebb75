/// Which real table a planted row was taken from.
enum RealTable: String, Sendable {
    case train
    case holdout

    var fileName: String { rawValue + ".csv" }
}

/// Everything needed to build a synthetic release.
struct ReleaseContext: Sendable {
    let model: ClinicalModel
    let cohort: RealCohort
    /// All real records (train and holdout); no unplanted synthetic row may equal one.
    let realRecords: Set<PatientRecord>
    let rowCount: Int

    func records(of table: RealTable) -> [IdentifiedRecord] {
        table == .train ? cohort.train : cohort.holdout
    }

    /// A sampler that never returns a real record.
    var sampler: RecordSampler {
        RecordSampler(model: model, forbidden: realRecords)
    }
}

/// A finished synthetic release: its rows and a manifest description of what was planted.
struct SyntheticRelease: Sendable {
    let fileName: String
    let seed: UInt64
    let records: [PatientRecord]
    /// The manifest's `planted` object.
    let planted: JSONValue
    /// One sentence for the README.
    let summary: String
    /// 0-based indices of rows that are planted verbatim copies of real rows.
    var exactCopyIndices: Set<Int> = []
    /// Planted identifiers by 0-based row index; every other row gets its `SYN-` id.
    var identifiers: [Int: String] = [:]

    static let idPrefix = "SYN-"

    /// The synthetic identifier of data row `row` (1-based): `SYN-000001`, ...
    static func syntheticID(row: Int) -> String {
        let digits = String(row)
        return idPrefix + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    var identifiedRecords: [IdentifiedRecord] {
        records.enumerated().map {
            IdentifiedRecord(id: identifiers[$0.offset] ?? Self.syntheticID(row: $0.offset + 1), record: $0.element)
        }
    }
}

/// Builds one synthetic release from its own seed.
protocol ReleaseBuilder: Sendable {
    var fileName: String { get }
    var seed: UInt64 { get }
    func build(in context: ReleaseContext) throws -> SyntheticRelease
}

/// Manifest helpers shared by the release builders.
enum PlantingJSON {
    /// `row`/`line` of a synthetic data row given its 0-based index (header is line 1 and no
    /// field spans lines, so data row r is on line r + 1).
    static func location(index: Int) -> [String: JSONValue] {
        ["row": .integer(index + 1), "line": .integer(index + 2), "patient_id": .string(SyntheticRelease.syntheticID(row: index + 1))]
    }

    /// The `source*` members describing a real row given its 0-based index in its table.
    static func source(_ table: RealTable, index: Int, in context: ReleaseContext) -> [String: JSONValue] {
        [
            "source": .string(table.rawValue),
            "source_file": .string(table.fileName),
            "source_row": .integer(index + 1),
            "source_line": .integer(index + 2),
            "source_patient_id": .string(context.records(of: table)[index].id),
        ]
    }

    static func strings(_ values: [String]) -> JSONValue {
        .array(values.map(JSONValue.string))
    }
}

extension Dictionary where Key == String, Value == JSONValue {
    func merging(_ other: [String: JSONValue]) -> [String: JSONValue] {
        merging(other) { _, new in new }
    }
}
