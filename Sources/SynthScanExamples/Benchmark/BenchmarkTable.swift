/// A virtual, arbitrarily long clinical-like table for benchmarks: 20 mixed-type columns
/// (identifier, integers, fixed-point decimals, categories, an ISO date, booleans), some
/// missing values (empty fields) and some quoted fields (`"Home, with services"` and
/// `"Left against medical advice (""AMA"")"`).
///
/// Row `index` (0-based) is a pure function of (`seed`, `index`), so any row can be
/// regenerated on its own; nothing is held in memory. The identifier of row `index` is
/// `idPrefix` followed by `index + 1` zero-padded to nine digits (e.g. `R-000000001`).
public struct BenchmarkTable: Sendable, Equatable {
    /// The header, in column order.
    public static let columns: [String] = [
        "record_id", "age", "sex", "race_ethnicity", "zip3", "admission_date", "primary_dx",
        "discharge_disposition", "diabetes", "hypertension", "smoker", "systolic_bp", "diastolic_bp",
        "heart_rate", "bmi", "hba1c", "creatinine", "ldl_cholesterol", "length_of_stay", "readmitted_30d",
    ]

    /// The direct-identifier column (always first); copies differ from their source only here.
    public static let idColumn = "record_id"

    /// The seed from which every row's content is derived.
    public let seed: UInt64
    /// Prefix of the `record_id` values, e.g. `R-` for a training table or `S-` for a synthetic one.
    public let idPrefix: String

    /// Creates the table with the given content seed and identifier prefix.
    public init(seed: UInt64, idPrefix: String = "R-") {
        self.seed = seed
        self.idPrefix = idPrefix
    }

    /// The encoded header line followed by a newline.
    static var headerBytes: [UInt8] {
        Array((CSVFormatter.line(columns) + "\n").utf8)
    }

    /// Appends data row `index` whose content comes from row `contentIndex` of the table
    /// seeded with `contentSeed` (itself, unless the row is a planted copy), plus a newline.
    @inline(__always)
    func appendRow(index: Int, prefix: [UInt8], contentSeed: UInt64, contentIndex: Int, to buffer: inout [UInt8]) {
        BenchmarkRowEncoder.appendID(prefix: prefix, number: index + 1, to: &buffer)
        BenchmarkRowEncoder.appendContent(seed: contentSeed, index: contentIndex, to: &buffer)
        buffer.append(BenchmarkRowEncoder.newline)
    }

    /// The CSV text of data row `index` (0-based), without the line terminator.
    public func csvLine(ofRow index: Int) -> String {
        var buffer: [UInt8] = []
        appendRow(index: index, prefix: Array(idPrefix.utf8), contentSeed: seed, contentIndex: index, to: &buffer)
        buffer.removeLast()
        return String(decoding: buffer, as: UTF8.self)
    }

    /// The unquoted field values of data row `index` (0-based), one per column.
    public func fields(ofRow index: Int) -> [String] {
        CSVLineSplitter.split(csvLine(ofRow: index))
    }
}

/// Splits one RFC 4180 record (no embedded line breaks) into unquoted fields.
enum CSVLineSplitter {
    static func split(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var inQuotes = false
        var characters = line.makeIterator()
        var pending: Character? = characters.next()
        while let character = pending {
            pending = characters.next()
            if inQuotes {
                if character == "\"" {
                    if pending == "\"" {
                        current.append("\"")
                        pending = characters.next()
                    } else {
                        inQuotes = false
                    }
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                inQuotes = true
            } else if character == "," {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}
