import Foundation
import Testing
@testable import SynthScanCore

/// Seeded, deterministic fuzzing of the readers.
///
/// Model-based: random tables are serialised correctly (random quoting, delimiters, line ends,
/// blank lines, BOM) and must read back exactly. Mutation-based: valid files are damaged at
/// random and must either load or fail with an `InputError`/`SchemaError` — never crash — and
/// the raw parse must not depend on the read chunk size. Bounded to a few seconds in debug builds.
@Suite("ReaderFuzzTests")
struct ReaderFuzzTests {
    typealias Rng = TestFiles.SeededRandom
    typealias Cell = TestFiles.Cell

    static let missingTokens = InputsConfiguration.defaultMissingValues

    // MARK: Generation helpers

    /// Pieces values are built from: delimiters, quotes, line ends, spaces, unicode, numbers, missing tokens.
    static let fragments = [
        "a", "Z", "hello", "x y", ",", ";", "|", "\t", "\"", "\"\"", "\n", "\r\n", "\r", "é", "😀", "日本", "ß",
        "0", "1.5", "-2", "007", "NA", "?", "null", " ", "  ", "e\u{301}", "\\", "{", "}", ":",
    ]

    /// A random value of 0 to 4 fragments.
    static func randomValue(_ rng: inout Rng) -> String {
        if rng.chance(0.1) { return rng.pick(missingTokens) }
        return (0..<rng.int(0...4)).map { _ in rng.pick(fragments) }.joined()
    }

    /// The value trimmed of spaces and tabs, as the reader stores it.
    static func trimmed(_ s: String) -> String {
        var bytes = Array(s.utf8)[...]
        while let f = bytes.first, f == 0x20 || f == 0x09 { bytes = bytes.dropFirst() }
        while let l = bytes.last, l == 0x20 || l == 0x09 { bytes = bytes.dropLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// What the reader should make of `raw` in a categorical column (default missing tokens).
    static func expectedCell(_ raw: String) -> Cell {
        let t = Self.trimmed(raw)
        return missingTokens.contains { Array($0.utf8) == Array(t.utf8) } ? .missing : .label(t)
    }

    /// Line breaks in `bytes` as the reader counts them: LF, CRLF once, lone CR.
    static func lineBreaks<C: Collection<UInt8>>(_ bytes: C) -> Int where C.Index == Int {
        var n = 0
        for i in bytes.indices {
            if bytes[i] == 0x0A { n += 1 }
            else if bytes[i] == 0x0D && (i + 1 == bytes.endIndex || bytes[i + 1] != 0x0A) { n += 1 }
        }
        return n
    }

    /// One CSV field: quoted when it must be (or at random), doubled quotes inside.
    static func csvField(_ value: String, delimiter: UInt8, onlyColumn: Bool, rng: inout Rng) -> String {
        let bytes = Array(value.utf8)
        let mustQuote = bytes.contains { $0 == delimiter || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
            || (onlyColumn && bytes.isEmpty)   // an empty line would be skipped as blank
        if mustQuote || rng.chance(0.25) {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }

    /// A correctly serialised delimited file and where each record starts.
    struct CSVFile {
        var bytes: [UInt8] = []
        var recordLines: [Int] = []
    }

    static func serialiseCSV(header: [String], rows: [[String]], delimiter: UInt8, rng: inout Rng) -> CSVFile {
        var file = CSVFile()
        if rng.chance(0.2) { file.bytes += [0xEF, 0xBB, 0xBF] }
        let d = String(UnicodeScalar(delimiter))
        let ends = ["\n", "\r\n", "\r"]
        func record(_ fields: [String], rng: inout Rng) -> String {
            fields.map { Self.csvField($0, delimiter: delimiter, onlyColumn: fields.count == 1, rng: &rng) }.joined(separator: d)
        }
        if rng.chance(0.2) { file.bytes += Array(rng.pick(ends).utf8) }   // blank line before the header
        file.bytes += Array(record(header, rng: &rng).utf8)
        for row in rows {
            file.bytes += Array(rng.pick(ends).utf8)
            while rng.chance(0.15) { file.bytes += Array(rng.pick(ends).utf8) }   // blank lines
            file.recordLines.append(1 + Self.lineBreaks(file.bytes))
            file.bytes += Array(record(row, rng: &rng).utf8)
        }
        if rng.chance(0.7) { file.bytes += Array(rng.pick(ends).utf8) }
        return file
    }

    /// Unique, non-empty header names with awkward characters, no surrounding spaces.
    static func randomNames(_ count: Int, rng: inout Rng) -> [String] {
        (0..<count).map { i in
            var prefix = (0..<rng.int(0...2)).map { _ in rng.pick(["a", "é", ",", "\"", "\n", "x y", ";", "|", "日"]) }.joined()
            if Self.trimmed(prefix) != prefix { prefix = "" }
            return prefix + "_\(i)"
        }
    }

    // MARK: Model-based: delimited

    @Test(.timeLimit(.minutes(1)))
    func randomTablesReadBackExactly() throws {
        let folder = try TestFiles.Folder("fuzz")
        defer { folder.remove() }
        for iteration in 0..<150 {
            var rng = Rng(seed: 0xC5F_0000 + UInt64(iteration))
            let delimiter = rng.pick([",", ";", "\t", "|"].map { UInt8(ascii: $0) })
            let names = Self.randomNames(rng.int(1...5), rng: &rng)
            let rows = (0..<rng.int(1...12)).map { _ in names.map { _ in Self.randomValue(&rng) } }
            let file = Self.serialiseCSV(header: names, rows: rows, delimiter: delimiter, rng: &rng)
            let path = try folder.write("t\(iteration).txt", bytes: file.bytes)
            let context = "iteration \(iteration): \(String(decoding: file.bytes, as: UTF8.self).debugDescription)"

            // The raw parse: every field byte for byte, whatever the chunk size.
            let raw = TestFiles.parseDelimited(path, delimiter: delimiter)
            guard case .parsed(true, let sink) = raw else {
                Issue.record("raw parse failed: \(raw); \(context)")
                continue
            }
            #expect(sink.header == names, "\(context)")
            #expect(sink.lines == file.recordLines, "\(context)")
            #expect(sink.records == rows.map { $0.map { .bytes(Array($0.utf8)) } }, "\(context)")
            let chunk = rng.int(1...24)
            #expect(TestFiles.parseDelimited(path, delimiter: delimiter, chunkSize: chunk) == raw, "chunk \(chunk); \(context)")

            // Through the loader, every column forced categorical: labels are the trimmed values.
            var configuration = TestFiles.configuration(train: path, synthetic: path)
            configuration.inputs.format = .delimited(delimiter)
            for name in names { configuration.columns[name] = ColumnSettings(type: .categorical) }
            let data = try DatasetLoader.load(configuration)
            #expect(data.train.recordLines == file.recordLines, "\(context)")
            #expect(data.train.rowCount == rows.count)
            for (c, name) in names.enumerated() {
                #expect(TestFiles.cells(data.train, name) == rows.map { Self.expectedCell($0[c]) }, "column \(c); \(context)")
            }
        }
    }

    // MARK: Model-based: type inference

    /// A kind of column and how its values are written and read.
    enum Kind: CaseIterable {
        case integer, decimal, datetime, boolean, word, code
    }

    /// Integer literals beyond 2^53, some one apart, that Float64 cannot keep apart, with the label
    /// each reads as: its own bytes, or the canonical form where Float64 holds it exactly.
    static let longCodes = [
        ("12345678901234567", "12345678901234567"), ("12345678901234568", "1.2345678901234568e+16"),
        ("9007199254740993", "9007199254740993"), ("9007199254740995", "9007199254740995"),
        ("-9007199254740993", "-9007199254740993"), ("18446744073709551617", "18446744073709551617"),
        ("77777777777777777777777777", "77777777777777777777777777"),
    ]

    static let words = ["alpha", "beta gamma", "δ", "x,y", "q\"q", "multi\nline", "Ünï"]

    static var utcCalendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }

    /// A random value of `kind` as text, with what it should read as.
    static func randomTyped(_ kind: Kind, rng: inout Rng, calendar: Calendar) -> (text: String, cell: Cell) {
        if rng.chance(0.15) { return (rng.pick(missingTokens), .missing) }
        switch kind {
        case .integer:
            let v = rng.int(-1_000_000...1_000_000)
            let text = rng.chance(0.05) ? "-0" : (v >= 0 && rng.chance(0.2) ? "+\(v)" : "\(v)")
            return (text, .number(Double(text)!))
        case .decimal:
            let digits = String(rng.int(1...999_999_999))
            let text: String
            switch rng.int(0...4) {
            case 0: text = "\(digits).\(rng.int(0...99_999))"
            case 1: text = ".\(digits)"
            case 2: text = "\(digits)e\(rng.int(-30...30))"
            case 3: text = "-\(rng.int(0...9)).\(digits)E+\(rng.int(0...12))"
            default: text = "\(digits).\(String(repeating: "7", count: rng.int(10...25)))"   // long: the slow path
            }
            return (text, .number(Double(text)!))
        case .datetime:
            let year = rng.int(1900...2100), month = rng.int(1...12), day = rng.int(1...28)
            var text = String(format: "%04ld-%02ld-%02ld", year, month, day)
            var seconds = calendar.date(from: DateComponents(year: year, month: month, day: day))!.timeIntervalSince1970
            if rng.chance(0.6) {
                let h = rng.int(0...23), m = rng.int(0...59)
                text += (rng.chance(0.5) ? "T" : " ") + String(format: "%02ld:%02ld", h, m)
                seconds += Double(h * 3600 + m * 60)
                if rng.chance(0.7) {
                    let s = rng.int(0...59)
                    text += String(format: ":%02ld", s)
                    seconds += Double(s)
                    if rng.chance(0.3) {
                        let fraction = rng.pick([("5", 0.5), ("25", 0.25), ("75", 0.75), ("125", 0.125), ("0", 0)])
                        text += "." + fraction.0
                        seconds += fraction.1
                    }
                }
                switch rng.int(0...3) {
                case 0: break
                case 1: text += "Z"
                default:
                    let sign = rng.chance(0.5) ? 1 : -1, oh = rng.int(0...14), om = rng.pick([0, 30, 45])
                    text += (sign > 0 ? "+" : "-") + String(format: rng.chance(0.5) ? "%02ld:%02ld" : "%02ld%02ld", oh, om)
                    seconds -= Double(sign * (oh * 3600 + om * 60))
                }
            }
            return (text, .number(seconds))
        case .boolean:
            let word = rng.pick(["true", "FALSE", "Yes", "no", "TRUE", "No", "yes", "False"])
            return (word, .label(BooleanTokens.value(of: word.utf8)! ? "true" : "false"))
        case .word:
            let word = rng.pick(words)
            return (word, .label(word))
        case .code:
            let code = rng.pick(longCodes)
            return (code.0, .label(code.1))
        }
    }

    static func columnType(_ kind: Kind) -> ColumnType {
        switch kind {
        case .integer, .decimal: .numeric
        case .datetime: .datetime
        case .boolean: .boolean
        case .word, .code: .categorical
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func randomTypedTablesInferTypesAndValues() throws {
        let folder = try TestFiles.Folder("fuzz")
        defer { folder.remove() }
        let calendar = Self.utcCalendar
        for iteration in 0..<120 {
            var rng = Rng(seed: 0x7E9E_0000 + UInt64(iteration))
            let kinds = (0..<rng.int(1...6)).map { _ in rng.pick(Kind.allCases) }
            let names = kinds.indices.map { "col\($0)" }
            var tables: [(rows: [[(text: String, cell: Cell)]], path: String)] = []
            for role in ["train", "synthetic"] {
                let rows = (0..<rng.int(1...15)).map { _ in kinds.map { Self.randomTyped($0, rng: &rng, calendar: calendar) } }
                var text = names.joined(separator: ",") + "\n"
                for row in rows {
                    text += row.map { value in
                        let field = Self.csvField(value.text, delimiter: UInt8(ascii: ","), onlyColumn: kinds.count == 1, rng: &rng)
                        return field.hasPrefix("\"") ? field : String(repeating: " ", count: rng.int(0...1)) + field
                            + String(repeating: "\t", count: rng.int(0...1))
                    }.joined(separator: ",") + (rng.chance(0.5) ? "\n" : "\r\n")
                }
                tables.append((rows, try folder.write("\(role)\(iteration).csv", text)))
            }
            let data = try DatasetLoader.load(TestFiles.configuration(train: tables[0].path, synthetic: tables[1].path))
            for (c, name) in names.enumerated() {
                let allMissing = tables.allSatisfy { $0.rows.allSatisfy { $0[c].cell == .missing } }
                let expectedType = allMissing ? .categorical : Self.columnType(kinds[c])
                let descriptor = data.schema.columns.first { $0.name == name }
                #expect(descriptor?.type == expectedType, "iteration \(iteration) column \(c) \(kinds[c])")
                for (t, table) in [data.train, data.synthetic].enumerated() {
                    #expect(TestFiles.cells(table, name) == tables[t].rows.map { $0[c].cell },
                            "iteration \(iteration) column \(c) \(kinds[c]) table \(t)")
                }
            }
        }
    }

    // MARK: Model-based: JSON Lines

    /// `s` as a JSON string literal, escaping at random (\uXXXX, surrogate pairs, \/).
    static func jsonString(_ s: String, rng: inout Rng) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += rng.chance(0.5) ? "\\n" : "\\u000a"
            case "\r": out += rng.chance(0.5) ? "\\r" : "\\u000D"
            case "\t": out += rng.chance(0.5) ? "\\t" : "\\u0009"
            case "/": out += rng.chance(0.5) ? "\\/" : "/"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else if scalar.value > 0x7F && rng.chance(0.5) {
                    for unit in String(scalar).utf16 { out += String(format: rng.chance(0.5) ? "\\u%04x" : "\\u%04X", unit) }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static let jsonFragments = fragments + ["/", "\u{1}", "\u{1F}", "\u{7F}", "𝄞", "\u{FFFD}"]

    @Test(.timeLimit(.minutes(1)))
    func randomJSONLinesReadBackExactly() throws {
        let folder = try TestFiles.Folder("fuzz")
        defer { folder.remove() }
        for iteration in 0..<150 {
            var rng = Rng(seed: 0x15_0000 + UInt64(iteration))
            let names = (0..<rng.int(1...5)).map { i in
                (0..<rng.int(0...2)).map { _ in rng.pick(["k", "é", "\"", "\\", " x", "😀"]) }.joined() + "_\(i)"
            }
            // Column kinds: 0 = string (forced categorical), 1 = number, 2 = boolean.
            let kinds = names.map { _ in rng.int(0...2) }
            var text = ""
            var lines: [Int] = []
            var expected = [[Cell]](repeating: [], count: names.count)
            var line = 1
            func space(_ rng: inout Rng) -> String { rng.pick(["", "", " ", "\t", "  "]) }
            for r in 0..<rng.int(1...10) {
                while rng.chance(0.1) { text += space(&rng) + rng.pick(["\n", "\r\n"]); line += 1 }
                lines.append(line)
                var members: [String] = []
                var cells = [Cell](repeating: .missing, count: names.count)
                for c in names.indices {
                    if r > 0 && rng.chance(0.15) { continue }   // absent key: missing
                    let value: String
                    if rng.chance(0.12) {
                        value = "null"
                    } else {
                        switch kinds[c] {
                        case 0:
                            let s = (0..<rng.int(0...4)).map { _ in rng.pick(Self.jsonFragments) }.joined()
                            value = Self.jsonString(s, rng: &rng)
                            cells[c] = Self.expectedCell(s)
                        case 1:
                            let n = rng.pick(["0", "-0", "12", "-3.25", "1e3", "2.5E-2", "123456789.125", "-1E+2", "0.1"])
                            value = n
                            cells[c] = .number(Double(n)!)
                        default:
                            let b = rng.chance(0.5)
                            value = b ? "true" : "false"
                            cells[c] = .label(b ? "true" : "false")
                        }
                    }
                    members.append(space(&rng) + Self.jsonString(names[c], rng: &rng) + space(&rng) + ":" + space(&rng) + value + space(&rng))
                }
                if r > 0 { members.shuffle(using: &rng) }
                for c in names.indices { expected[c].append(cells[c]) }
                text += space(&rng) + "{" + members.joined(separator: ",") + "}" + space(&rng)
                if rng.chance(0.8) || r == 0 { text += rng.pick(["\n", "\r\n"]); line += 1 } else { break }
            }
            let path = try folder.write("t\(iteration).jsonl", text)
            let context = "iteration \(iteration): \(text.debugDescription)"
            let raw = TestFiles.parseJSONLines(path)
            guard case .parsed(true, let sink) = raw else {
                Issue.record("raw parse failed: \(raw); \(context)")
                continue
            }
            #expect(sink.header == names, "\(context)")
            #expect(sink.lines == lines, "\(context)")
            let chunk = rng.int(1...24)
            #expect(TestFiles.parseJSONLines(path, chunkSize: chunk) == raw, "chunk \(chunk); \(context)")

            var configuration = TestFiles.configuration(train: path, synthetic: path)
            for (c, name) in names.enumerated() where kinds[c] == 0 {
                configuration.columns[Self.trimmed(name)] = ColumnSettings(type: .categorical)
            }
            let data: LoadedDatasets
            do { data = try DatasetLoader.load(configuration) } catch {
                Issue.record("load failed: \(error); \(context)")
                continue
            }
            #expect(data.train.recordLines == lines, "\(context)")
            for (c, name) in names.enumerated() {
                #expect(TestFiles.cells(data.train, Self.trimmed(name)) == expected[c], "column \(c); \(context)")
            }
        }
    }

    // MARK: Mutation fuzzing

    /// Bytes that matter to the parsers.
    static let interesting: [UInt8] = [0x22, 0x0A, 0x0D, 0x2C, 0x3B, 0x09, 0xFF, 0xC3, 0x80, 0x00, 0x7B, 0x7D, 0x3A, 0x5C, 0x20, 0x5B, 0xEF]

    /// `bytes` after 1 to 4 random mutations.
    static func mutate(_ bytes: [UInt8], rng: inout Rng) -> [UInt8] {
        var b = bytes
        for _ in 0..<rng.int(1...4) {
            let position = b.isEmpty ? 0 : rng.int(0...(b.count - 1))
            switch rng.int(0...7) {
            case 0 where !b.isEmpty: b[position] ^= UInt8(1) << UInt8(rng.int(0...7))
            case 1 where !b.isEmpty: b[position] = rng.pick(interesting)
            case 2: b.insert(rng.pick(interesting), at: rng.int(0...b.count))
            case 3 where !b.isEmpty: b.removeSubrange(position..<min(b.count, position + rng.int(1...8)))
            case 4: b = Array(b[..<rng.int(0...b.count)])
            case 5 where !b.isEmpty:
                let chunk = Array(b[position..<min(b.count, position + rng.int(1...40))])
                b.insert(contentsOf: chunk, at: rng.int(0...b.count))
            case 6: b.insert(contentsOf: [0xEF, 0xBB, 0xBF], at: rng.int(0...b.count))
            default: b.insert(contentsOf: Array(rng.pick(["\"\"", "\r\n", ",,", "\"\n\"", "{}", "NA", "1e999", "-0", "\\u00"]).utf8), at: rng.int(0...b.count))
            }
        }
        return b
    }

    /// Valid small CSV files to start from.
    static func csvSeeds() -> [[UInt8]] {
        var rng = Rng(seed: 42)
        var seeds: [[UInt8]] = [
            TestFiles.bytes("age,sex,dx,when,flag\n30,F,E11.9,2021-03-04,yes\n41,M,\"I10, primary\",2020-01-01T10:00:00Z,no\n,NA,\"multi\nline\",,true\n"),
            TestFiles.bytes("\u{FEFF}id;note\r\n1;\"a;b\"\r\n2;\"say \"\"hi\"\"\"\r\n3;é😀\r\n"),
            TestFiles.bytes("zip,n\n021,1.5\n945,-0\n100,1e3"),
        ]
        for _ in 0..<3 {
            let names = Self.randomNames(rng.int(1...4), rng: &rng)
            let rows = (0..<rng.int(1...6)).map { _ in names.map { _ in Self.randomValue(&rng) } }
            seeds.append(Self.serialiseCSV(header: names, rows: rows, delimiter: UInt8(ascii: ","), rng: &rng).bytes)
        }
        return seeds
    }

    /// Valid small JSON Lines files to start from.
    static func jsonSeeds() -> [[UInt8]] {
        [
            TestFiles.bytes("{\"age\": 30, \"sex\": \"F\", \"dx\": \"E11.9\", \"ok\": true}\n{\"sex\": \"M\", \"age\": -4.5e1, \"dx\": null, \"ok\": false}\n{\"age\": 1}\n"),
            TestFiles.bytes("{\"s\": \"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\" \\\\ \\n\"}\r\n\r\n{\"s\": \"x\"}\r\n"),
            TestFiles.bytes("\u{FEFF}{\"a\":1,\"b\":\"2021-01-01\"}\n  \n{\"b\":\"2021-01-02T03:04:05+01:00\",\"a\":2}"),
        ]
    }

    /// Loads `path` as train (with `other` as synthetic), allowing only input and schema errors.
    static func loadAllowingInputErrors(_ path: String, other: String, format: InputFormatChoice, context: @autoclosure () -> String) {
        var configuration = TestFiles.configuration(train: path, synthetic: other)
        configuration.inputs.format = format
        configuration.schemaPolicy.typeConflict = .warning
        do {
            let data = try DatasetLoader.load(configuration)
            for table in data.tables {
                #expect(table.recordLines.count == table.rowCount)
                for column in table.columns { #expect(column.count == table.rowCount, "\(context())") }
            }
        } catch is InputError {
        } catch is SchemaError {
        } catch {
            Issue.record("unexpected error \(error); \(context())")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func mutatedCSVLoadsOrFailsCleanly() throws {
        let folder = try TestFiles.Folder("fuzz")
        defer { folder.remove() }
        let seeds = Self.csvSeeds()
        let seedPaths = try seeds.enumerated().map { try folder.write("seed\($0.offset).csv", bytes: $0.element) }
        var rng = Rng(seed: 0xB0B)
        let path = folder.file("mutated.csv")
        var outcomes = [0, 0]
        for iteration in 0..<2000 {
            let s = rng.int(0...(seeds.count - 1))
            let bytes = Self.mutate(seeds[s], rng: &rng)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let context = "iteration \(iteration): \(bytes)"
            let reference = TestFiles.parseDelimited(path)
            if case .otherError(let e) = reference { Issue.record("non-input error \(e); \(context)") }
            if case .parsed = reference { outcomes[0] += 1 } else { outcomes[1] += 1 }
            if iteration % 4 == 0 {
                let chunk = rng.int(1...16)
                #expect(TestFiles.parseDelimited(path, chunkSize: chunk) == reference, "chunk \(chunk); \(context)")
            }
            Self.loadAllowingInputErrors(path, other: seedPaths[s], format: .csv, context: context)
        }
        // Both outcomes occur, so the mutations are neither all harmless nor all fatal.
        #expect(outcomes[0] > 100 && outcomes[1] > 100, "\(outcomes)")
    }

    @Test(.timeLimit(.minutes(1)))
    func mutatedJSONLinesLoadsOrFailsCleanly() throws {
        let folder = try TestFiles.Folder("fuzz")
        defer { folder.remove() }
        let seeds = Self.jsonSeeds()
        let seedPaths = try seeds.enumerated().map { try folder.write("seed\($0.offset).jsonl", bytes: $0.element) }
        var rng = Rng(seed: 0x150)
        let path = folder.file("mutated.jsonl")
        var outcomes = [0, 0]
        for iteration in 0..<2000 {
            let s = rng.int(0...(seeds.count - 1))
            let bytes = Self.mutate(seeds[s], rng: &rng)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let context = "iteration \(iteration): \(bytes)"
            let reference = TestFiles.parseJSONLines(path)
            if case .otherError(let e) = reference { Issue.record("non-input error \(e); \(context)") }
            if case .parsed = reference { outcomes[0] += 1 } else { outcomes[1] += 1 }
            if iteration % 4 == 0 {
                let chunk = rng.int(1...16)
                #expect(TestFiles.parseJSONLines(path, chunkSize: chunk) == reference, "chunk \(chunk); \(context)")
            }
            Self.loadAllowingInputErrors(path, other: seedPaths[s], format: .jsonLines, context: context)
        }
        #expect(outcomes[0] > 100 && outcomes[1] > 100, "\(outcomes)")
    }

    @Test(.timeLimit(.minutes(1)))
    func mutatedGzipLoadsOrFailsCleanly() throws {
        let folder = try TestFiles.Folder("fuzz")
        defer { folder.remove() }
        let plain = Self.csvSeeds()[0]
        let seedPath = try folder.writeGzip("seed.csv.gz", bytes: plain)
        let compressed = try Array(Data(contentsOf: URL(fileURLWithPath: seedPath)))
        var rng = Rng(seed: 0x6219)
        let path = folder.file("mutated.csv.gz")
        for iteration in 0..<300 {
            var bytes = Self.mutate(compressed, rng: &rng)
            if bytes.count >= 2 && rng.chance(0.8) { bytes[0] = 0x1F; bytes[1] = 0x8B }   // keep it looking like gzip
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            Self.loadAllowingInputErrors(path, other: seedPath, format: .csv, context: "iteration \(iteration): \(bytes)")
        }
    }
}
