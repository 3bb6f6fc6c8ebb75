import Foundation
import Testing

/// Locates the committed example files relative to this source file.
enum ExamplesLocation {
    /// `<repo>/Examples`, derived from `#filePath` (`<repo>/Tests/SynthScanExamplesTests/...`).
    static func directory(filePath: String = #filePath) -> URL {
        URL(fileURLWithPath: filePath)
            .deletingLastPathComponent()  // SynthScanExamplesTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // repo root
            .appendingPathComponent("Examples", isDirectory: true)
    }

    static func text(_ name: String) throws -> String {
        let url = directory().appendingPathComponent(name)
        let data = try Data(contentsOf: url)
        return try #require(String(data: data, encoding: .utf8), "\(name) is not UTF-8")
    }
}

/// A parsed example CSV file whose records each occupy exactly one line.
struct ParsedTable {
    let header: [String]
    /// Data rows; `rows[r - 1]` is data row r (file line r + 1).
    let rows: [[String]]
    /// Raw file lines without terminators; `lines[l - 1]` is file line l.
    let lines: [String]

    init(text: String) throws {
        #expect(text.hasSuffix("\n"), "file must end with a newline")
        #expect(!text.contains("\r"), "file must use LF line endings")
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        self.lines = lines
        let parsed = try lines.map(CSVTestParser.fields(of:))
        header = parsed.first ?? []
        rows = Array(parsed.dropFirst())
    }

    static func load(_ name: String) throws -> ParsedTable {
        try ParsedTable(text: ExamplesLocation.text(name))
    }

    func column(_ name: String) throws -> Int {
        try #require(header.firstIndex(of: name), "missing column \(name)")
    }

    /// Every value of one column, in row order.
    func values(_ name: String) throws -> [String] {
        let index = try column(name)
        return rows.map { $0[index] }
    }

    /// All fields except `patient_id` (the first column).
    func content(ofRow row: Int) -> [String] {
        Array(rows[row - 1].dropFirst())
    }

    var contentSet: Set<[String]> {
        Set(rows.map { Array($0.dropFirst()) })
    }
}

/// A strict RFC 4180 parser for one line (the example files never break lines inside fields).
enum CSVTestParser {
    struct MalformedLine: Error, CustomStringConvertible {
        let line: String
        var description: String { "malformed CSV line: \(line)" }
    }

    static func fields(of line: String) throws -> [String] {
        var fields: [String] = []
        var current = ""
        var index = line.startIndex
        var quoted = false
        var fieldStart = true
        while index < line.endIndex {
            let character = line[index]
            if quoted {
                if character == "\"" {
                    let next = line.index(after: index)
                    if next < line.endIndex && line[next] == "\"" {
                        current.append("\"")
                        index = next
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(character)
                }
            } else if character == "," {
                fields.append(current)
                current = ""
                fieldStart = true
                index = line.index(after: index)
                continue
            } else if character == "\"" {
                guard fieldStart else { throw MalformedLine(line: line) }
                quoted = true
            } else {
                current.append(character)
            }
            fieldStart = false
            index = line.index(after: index)
        }
        guard !quoted else { throw MalformedLine(line: line) }
        fields.append(current)
        return fields
    }
}

/// Read access to `plantings.json`.
struct Manifest {
    let root: [String: Any]

    static func load() throws -> Manifest {
        let data = Data(try ExamplesLocation.text("plantings.json").utf8)
        let object = try JSONSerialization.jsonObject(with: data)
        return Manifest(root: try #require(object as? [String: Any], "manifest root is not an object"))
    }

    func file(_ name: String) throws -> [String: Any] {
        let files = try #require(root["files"] as? [String: Any])
        return try #require(files[name] as? [String: Any], "manifest has no entry for \(name)")
    }

    func planted(_ name: String) throws -> [String: Any] {
        try #require(try file(name)["planted"] as? [String: Any], "\(name) has no planted object")
    }
}

/// Integer/decimal access into JSONSerialization output.
func int(_ value: Any?) throws -> Int {
    try #require((value as? NSNumber)?.intValue, "expected an integer, got \(String(describing: value))")
}

func double(_ value: Any?) throws -> Double {
    try #require((value as? NSNumber)?.doubleValue, "expected a number, got \(String(describing: value))")
}

func objects(_ value: Any?) throws -> [[String: Any]] {
    try #require(value as? [[String: Any]], "expected an array of objects")
}

/// Readmitted count and row count for rows whose `race_ethnicity` equals `group`.
func readmission(in table: ParsedTable, group: String?) throws -> (readmitted: Int, rows: Int) {
    let race = try table.column("race_ethnicity")
    let outcome = try table.column("readmitted_30d")
    let rows = table.rows.filter { group == nil || $0[race] == group }
    return (rows.filter { $0[outcome] == "1" }.count, rows.count)
}

let realFiles = ["train.csv", "holdout.csv"]
let syntheticFiles = [
    "synthetic_clean.csv", "synthetic_copies.csv", "synthetic_near_copies.csv",
    "synthetic_dropped_subgroup.csv", "synthetic_amplified_disparity.csv", "synthetic_erased_rare.csv",
    "synthetic_leaked_identifiers.csv",
]
let rareCodes = ["A41.51", "G93.40", "K72.00"]
let aian = "American Indian or Alaska Native"
