import Foundation
import Testing
@testable import SynthScanCore

/// Regression tests for three reader bugs and the shared read loop:
/// - number-like category labels were canonicalised through Float64, merging distinct long codes;
///   integer literals beyond 2^53 now make a column categorical instead of numeric;
/// - JSON Lines numbers were not checked against the JSON grammar;
/// - the JSON Lines reader skipped a byte-order mark wherever a read round started on line 1;
/// - `ChunkStream`, the refill loop both readers share.
@Suite("ReaderRegressionTests")
struct ReaderRegressionTests {
    typealias Cell = TestFiles.Cell

    private static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// `NumberParser.exactCanonicalText` of `text`.
    private static func exactCanonical(_ text: String) -> String? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { NumberParser.exactCanonicalText(UnsafeBufferPointer($0)) }
    }

    /// `NumberParser.isIntegerBeyondFloat64` of `text` (which must parse).
    private static func isWideInteger(_ text: String) -> Bool? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer -> Bool? in
            let b = UnsafeBufferPointer(buffer)
            guard let v = NumberParser.parse(b) else { return nil }
            return NumberParser.isIntegerBeyondFloat64(b, value: v)
        }
    }

    // MARK: Exact canonical labels

    @Test(arguments: [
        ("1", "1"), ("1.0", "1"), ("1e0", "1"), ("+1", "1"), ("10e-1", "1"), ("1.000", "1"),
        ("-0", "0"), ("0.0", "0"), ("-0.0e5", "0"), ("0e999999999999", "0"),
        ("0.1", "0.1"), ("2.50", "2.5"), (".5", "0.5"), ("5.", "5"), ("1E-2", "0.01"), ("-1.25e-3", "-0.00125"),
        ("9007199254740992", "9007199254740992"), ("-9007199254740992", "-9007199254740992"),
        ("1234567890123456", "1234567890123456"), ("0.30000000000000004", "0.30000000000000004"),
        // Integers above 2^53 that Float64 holds exactly unify, in the shortest round-trip form.
        ("9007199254740994", "9.007199254740994e+15"), ("12345678901234568", "1.2345678901234568e+16"),
        ("1.2345678901234568e16", "1.2345678901234568e+16"), ("1e16", "1e+16"), ("10000000000000000", "1e+16"),
        ("5e-324", "5e-324"), ("1.7976931348623157e308", "1.7976931348623157e+308"),
    ])
    func numberLabelsThatSurviveFloat64AreCanonicalised(text: String, canonical: String) {
        #expect(Self.exactCanonical(text) == canonical, "\(text)")
    }

    @Test(arguments: [
        "12345678901234567", "12345678901234569", "9007199254740993", "-9007199254740993", "1.2345678901234567e16",
        "12345678901234567890", "0.10000000000000001", "1.0000000000000001", "123456789012345678901234567890",
        "1e-400", "2e-324",
        // Not numbers: leading zeros (codes), words, overflow.
        "007", "021.5", "abc", "1e400", "", "-", "1.2.3",
    ])
    func numberLabelsThatFloat64WouldChangeKeepTheirBytes(text: String) {
        #expect(Self.exactCanonical(text) == nil, "\(text)")
    }

    /// Two 17-digit codes one apart in a categorical column: Float64 reads both as
    /// 12345678901234568, which it holds exactly, so that one label is canonicalised (no digit is
    /// lost) while 12345678901234567 keeps its bytes; the two stay distinct.
    @Test func seventeenDigitCodesStayDistinctAndOthersStillUnify() throws {
        let folder = try TestFiles.Folder("regression")
        defer { folder.remove() }
        let csv = "id,k\n12345678901234567,1\n12345678901234568,1\nX,1\n1.0,1\n1,1\n007,1\n0.1,1\n0.10000000000000001,1\n1e-400,1\n0,1\n"
        let data = try folder.load(train: csv)
        #expect(data.schema.columns.first?.type == .categorical)
        #expect(TestFiles.dictionary(data.train, "id")?.labels == [
            "0", "0.1", "0.10000000000000001", "007", "1", "1.2345678901234568e+16", "12345678901234567", "1e-400", "X",
        ])
        #expect(TestFiles.cells(data.train, "id") == TestFiles.labels([
            "12345678901234567", "1.2345678901234568e+16", "X", "1", "1", "007", "0.1", "0.10000000000000001", "1e-400", "0",
        ]))
        let codes = TestFiles.codes(data.train, "id")
        #expect(codes[0] != codes[1])
        #expect(codes[3] == codes[4])     // 1.0 and 1
        #expect(codes[6] != codes[7])     // 0.1 and 0.10000000000000001
        #expect(codes[8] != codes[9])     // 1e-400 and 0
    }

    /// End to end: records that differ only in a long code get different digests (no false exact
    /// copy), and a true copy across tables still matches.
    @Test func longCodesDoNotMakeFalseExactCopies() throws {
        let folder = try TestFiles.Folder("regression")
        defer { folder.remove() }
        let train = "code,age\n12345678901234567,40\nA-1,50\n"
        let synthetic = "code,age\n12345678901234568,40\n12345678901234567,40\n"
        let data = try folder.load(train: train, synthetic: synthetic)
        #expect(data.schema.columns.map(\.type) == [.numeric, .categorical])   // age, code (name order)
        let hasher = RecordHasher(columns: ["code", "age"])
        let real = hasher.digests(of: data.train), fake = hasher.digests(of: data.synthetic)
        #expect(fake[0] != real[0])
        #expect(fake[1] == real[0])
        #expect(TestFiles.cells(data.synthetic, "code") == TestFiles.labels(["1.2345678901234568e+16", "12345678901234567"]))
    }

    // MARK: Integers beyond 2^53 in inferred columns

    @Test(arguments: [
        ("9007199254740992", false), ("-9007199254740992", false), ("+9007199254740992", false),
        ("9007199254740993", true), ("-9007199254740993", true), ("+9007199254740993", true),
        ("9999999999999999", true), ("10000000000000000", true), ("12345678901234567890123", true),
        ("1234567890123456", false), ("9007199254740993.0", false), ("9.007199254740993e15", false),
        ("1e300", false), ("12345678901234567e0", false),
    ])
    func integerLiteralsBeyond2To53AreWide(text: String, wide: Bool) {
        #expect(Self.isWideInteger(text) == wide, "\(text)")
    }

    @Test func integersBeyond2To53MakeAnInferredColumnCategorical() throws {
        let folder = try TestFiles.Folder("regression")
        defer { folder.remove() }
        // a: numeric until line 4; b: wide from its first value; c: at 2^53 exactly, stays numeric;
        // d: large but written as measurements (fraction or exponent), stays numeric.
        let csv = "a,b,c,d\n1,12345678901234567,9007199254740992,12345678901234567.0\n"
            + "2,3,-9007199254740992,1.2345678901234567e16\n"
            + "12345678901234567,12345678901234568,0,2.5\n"
            + "12345678901234568,1.0,1,NA\n"
        let data = try folder.load(train: csv)
        #expect(data.schema.columns.map(\.type) == [.categorical, .categorical, .numeric, .numeric])
        #expect(TestFiles.cells(data.train, "a") == TestFiles.labels(["1", "2", "12345678901234567", "1.2345678901234568e+16"]))
        #expect(TestFiles.cells(data.train, "b") == TestFiles.labels(["12345678901234567", "3", "1.2345678901234568e+16", "1"]))
        #expect(TestFiles.cells(data.train, "c") == TestFiles.numbers([9007199254740992, -9007199254740992, 0, 1]))
        #expect(TestFiles.cells(data.train, "d") == TestFiles.numbers([12345678901234568, 12345678901234568, 2.5, nil]))
        let path = data.train.source.path
        #expect(data.notifications.map(\.code) == ["wide-integers", "wide-integers"])
        #expect(data.notifications.map(\.level) == [.note, .note])
        #expect(data.notifications.first?.message == "\(path):4: column 'a' holds integers beyond 2^53, more digits "
            + "than Float64 keeps; it is read as categorical so that distinct codes stay distinct "
            + "(configure its type as numeric to read it as numbers)")
        #expect(data.notifications.last?.message.hasPrefix("\(path):2: column 'b' ") == true)
        for n in data.notifications { #expect(!n.message.contains("1234567890")) }
    }

    @Test func wideIntegersInOneTableMakeTheColumnCategoricalEverywhere() throws {
        let folder = try TestFiles.Folder("regression")
        defer { folder.remove() }
        let data = try folder.load(train: "id\n1\n2\n", synthetic: "id\n2\n18446744073709551617\n18446744073709551616\n")
        #expect(data.schema.columns.first?.type == .categorical)
        #expect(TestFiles.cells(data.train, "id") == TestFiles.labels(["1", "2"]))
        #expect(TestFiles.cells(data.synthetic, "id") == TestFiles.labels(["2", "18446744073709551617", "18446744073709551616"]))
        #expect(TestFiles.codes(data.train, "id")[1] == TestFiles.codes(data.synthetic, "id")[0])
        #expect(data.notifications.map(\.code) == ["wide-integers"])
        #expect(data.notifications.first?.message.hasPrefix("\(data.synthetic.source.path):3: ") == true)
    }

    @Test func aWordMakesTheColumnCategoricalWithoutAWideIntegerNote() throws {
        let folder = try TestFiles.Folder("regression")
        defer { folder.remove() }
        let data = try folder.load(train: "id\n1\n12345678901234567\nunknown code\n")
        #expect(data.schema.columns.first?.type == .categorical)
        #expect(TestFiles.cells(data.train, "id") == TestFiles.labels(["1", "12345678901234567", "unknown code"]))
        #expect(data.notifications.isEmpty)
    }

    @Test func aColumnForcedNumericStillReadsWideIntegersAsFloat64() throws {
        let folder = try TestFiles.Folder("regression")
        defer { folder.remove() }
        let data = try folder.load(train: "n\n12345678901234567\n12345678901234568\n3\n") {
            $0.columns["n"] = ColumnSettings(type: .numeric)
        }
        #expect(data.schema.columns.first?.type == .numeric)
        #expect(TestFiles.cells(data.train, "n") == TestFiles.numbers([12345678901234568, 12345678901234568, 3]))
        #expect(data.notifications.isEmpty)
    }

    @Test func jsonLinesWideIntegersStayDistinct() throws {
        let folder = try TestFiles.Folder("regression")
        defer { folder.remove() }
        let jsonl = "{\"id\": 12345678901234567, \"n\": 1}\n{\"id\": 12345678901234569, \"n\": 2}\n{\"id\": \"12345678901234567\", \"n\": 3}\n"
        let data = try folder.load(train: jsonl, ext: "jsonl")
        #expect(data.schema.columns.map(\.type) == [.categorical, .numeric])
        #expect(TestFiles.cells(data.train, "id") == TestFiles.labels(["12345678901234567", "12345678901234569", "12345678901234567"]))
        let codes = TestFiles.codes(data.train, "id")
        #expect(codes[0] != codes[1] && codes[0] == codes[2])
    }

    // MARK: JSON number grammar

    @Test func validJSONNumbersRead() throws {
        let folder = try TestFiles.Folder("regression")
        defer { folder.remove() }
        let tokens = ["-0", "0", "0.5", "1e-7", "1E+2", "-12.5e3", "10", "0e0", "-0.0E-0", "123456789.125"]
        let jsonl = tokens.map { "{\"v\":\($0)}" }.joined(separator: "\n") + "\n"
        let path = try folder.write("valid.jsonl", jsonl)
        for chunk in [1 << 20, 1, 3, 7] {
            guard case .parsed(true, let sink) = TestFiles.parseJSONLines(path, chunkSize: chunk) else {
                Issue.record("chunk \(chunk): \(TestFiles.parseJSONLines(path, chunkSize: chunk))")
                continue
            }
            #expect(sink.records == tokens.map { [.bytes(Array($0.utf8))] }, "chunk \(chunk)")
        }
        let data = try folder.load(train: jsonl, ext: "jsonl")
        #expect(data.schema.columns.first?.type == .numeric)
        #expect(TestFiles.cells(data.train, "v") == TestFiles.numbers([0, 0, 0.5, 1e-7, 100, -12500, 10, 0, 0, 123456789.125]))
    }

    /// The error is the same whatever the read chunk size, on the header line too, and after spaces.
    @Test func malformedJSONNumbersFailTheSameWayForEveryChunkSize() throws {
        let folder = try TestFiles.Folder("regression")
        defer { folder.remove() }
        let header = try folder.write("header.jsonl", "{\"a\": 1, \"b\": 1.2.3}\n{\"a\": 2, \"b\": 3}\n")
        let spaced = try folder.write("spaced.jsonl", "{\"a\": 1}\n\n  {  \"a\"  :  -  }\n")
        let tail = try folder.write("tail.jsonl", "{\"a\": 1}\n{\"a\": 00}")
        let cases: [(String, InputError)] = [
            (header, .invalidJSON(path: header, line: 1, column: 18, reason: "malformed number: unexpected character after the number")),
            (spaced, .invalidJSON(path: spaced, line: 3, column: 15, reason: "malformed number: expected a digit after '-'")),
            (tail, .invalidJSON(path: tail, line: 2, column: 7, reason: "malformed number: leading zeros are not allowed (write codes as strings)")),
        ]
        for (path, expected) in cases {
            for chunk in [1 << 20, 1, 2, 5, 16] {
                #expect(TestFiles.parseJSONLines(path, chunkSize: chunk) == .failed(expected), "chunk \(chunk)")
            }
        }
        #expect("\(cases[0].1)" == "\(header):1:18: error: malformed number: unexpected character after the number")
    }

    // MARK: Byte-order mark only at byte offset 0

    @Test func jsonLinesBOMAtFileStartIsStrippedForEveryChunkSize() throws {
        let folder = try TestFiles.Folder("regression")
        defer { folder.remove() }
        let body = TestFiles.bytes("{\"a\": \"x\", \"b\": 1}\n{\"a\": \"y\", \"b\": 2}\n")
        let plain = try folder.write("plain.jsonl", bytes: body)
        let marked = try folder.write("marked.jsonl", bytes: Self.bom + body)
        let reference = TestFiles.parseJSONLines(plain)
        guard case .parsed(true, let sink) = reference else { Issue.record("\(reference)"); return }
        #expect(sink.header == ["a", "b"])
        for chunk in [1 << 20] + Array(1...12) {
            #expect(TestFiles.parseJSONLines(marked, chunkSize: chunk) == reference, "chunk \(chunk)")
        }
    }

    /// Bytes EF BB BF later in line 1 (here at offsets 3 and 10, past the first chunk for small
    /// chunk sizes) are data, not a byte-order mark.
    @Test func jsonLinesBOMBytesInsideLineOneAreKept() throws {
        let folder = try TestFiles.Folder("regression")
        defer { folder.remove() }
        let twice = try folder.write("twice.jsonl", bytes: Self.bom + Self.bom + TestFiles.bytes("{\"a\": \"x\"}\n{\"a\": \"y\"}\n"))
        let inString = try folder.write("instring.jsonl", bytes: Self.bom + TestFiles.bytes("{\"a\": \"") + Self.bom
            + TestFiles.bytes("x\"}\n{\"a\": \"y\"}\n"))
        let secondLine = try folder.write("second.jsonl", bytes: TestFiles.bytes("{\"a\": \"x\"}\n") + Self.bom + TestFiles.bytes("{\"a\": \"y\"}\n"))
        for chunk in [1 << 20] + Array(1...12) {
            #expect(TestFiles.parseJSONLines(twice, chunkSize: chunk)
                == .failed(.invalidJSON(path: twice, line: 1, column: 1, reason: "expected a JSON object ('{') at the start of the line")),
                "chunk \(chunk)")
            #expect(TestFiles.parseJSONLines(secondLine, chunkSize: chunk)
                == .failed(.invalidJSON(path: secondLine, line: 2, column: 1, reason: "expected a JSON object ('{') at the start of the line")),
                "chunk \(chunk)")
            guard case .parsed(true, let sink) = TestFiles.parseJSONLines(inString, chunkSize: chunk) else {
                Issue.record("chunk \(chunk): \(TestFiles.parseJSONLines(inString, chunkSize: chunk))")
                continue
            }
            #expect(sink.records == [[.bytes(Self.bom + TestFiles.bytes("x"))], [.bytes(TestFiles.bytes("y"))]], "chunk \(chunk)")
        }
    }

    /// The delimited reader shares the loop: one BOM skipped at the start, a second one kept.
    @Test func delimitedBOMOnlyAtFileStart() throws {
        let folder = try TestFiles.Folder("regression")
        defer { folder.remove() }
        let once = try folder.write("once.csv", bytes: Self.bom + TestFiles.bytes("a,b\n1,2\n"))
        let twice = try folder.write("twice.csv", bytes: Self.bom + Self.bom + TestFiles.bytes("a,b\n1,2\n"))
        for chunk in [1 << 20] + Array(1...8) {
            guard case .parsed(true, let first) = TestFiles.parseDelimited(once, chunkSize: chunk),
                  case .parsed(true, let second) = TestFiles.parseDelimited(twice, chunkSize: chunk) else {
                Issue.record("chunk \(chunk) did not parse")
                continue
            }
            #expect(first.header == ["a", "b"], "chunk \(chunk)")
            #expect(second.header == ["\u{FEFF}a", "b"], "chunk \(chunk)")
            #expect(first.records == [[.bytes(TestFiles.bytes("1")), .bytes(TestFiles.bytes("2"))]], "chunk \(chunk)")
        }
    }

    // MARK: ChunkStream

    /// Runs `ChunkStream` over `bytes` with `chunkSize`, consuming per `policy`; returns each call's
    /// (data, start, isFinal).
    private static func rounds(_ bytes: [UInt8], chunkSize: Int, in folder: TestFiles.Folder,
                               consume policy: @escaping (_ count: Int, _ start: Int, _ isFinal: Bool) -> Int) throws
        -> [(data: [UInt8], start: Int, isFinal: Bool)] {
        let path = try folder.write("stream-\(UUID().uuidString)", bytes: bytes)
        let file = try ChunkedFileReader(path: path)
        var seen: [(data: [UInt8], start: Int, isFinal: Bool)] = []
        try ChunkStream(file: file, chunkSize: chunkSize).forEachWindow { data, start, isFinal in
            seen.append((Array(data), start, isFinal))
            return policy(data.count, start, isFinal)
        }
        return seen
    }

    @Test func chunkStreamCarriesUnconsumedBytesOver() throws {
        let folder = try TestFiles.Folder("regression")
        defer { folder.remove() }
        let bytes = Array((0..<100).map { UInt8($0 % 251) })
        for chunk in [1, 3, 7, 64, 1 << 20] {
            // Consuming nothing until the end: the last round sees the whole file at once.
            let lazy = try Self.rounds(bytes, chunkSize: chunk, in: folder) { count, _, isFinal in isFinal ? count : 0 }
            #expect(lazy.last?.data == bytes && lazy.last?.isFinal == true, "chunk \(chunk)")
            #expect(lazy.filter(\.isFinal).count == 1 && lazy.allSatisfy { $0.start == 0 }, "chunk \(chunk)")
            // Consuming all but the last byte each round: the consumed parts concatenate to the file.
            var joined: [UInt8] = []
            let eager = try Self.rounds(bytes, chunkSize: chunk, in: folder) { count, _, isFinal in
                isFinal ? count : max(0, count - 1)
            }
            for (k, round) in eager.enumerated() {
                joined += round.isFinal ? round.data : Array(round.data.dropLast())
                if k > 0, !eager[k - 1].data.isEmpty {
                    #expect(round.data.first == eager[k - 1].data.last, "chunk \(chunk): the kept byte leads the next round")
                }
            }
            #expect(joined == bytes, "chunk \(chunk)")
        }
    }

    @Test func chunkStreamReportsTheBOMOnlyOnTheFirstRound() throws {
        let folder = try TestFiles.Folder("regression")
        defer { folder.remove() }
        let bytes = Self.bom + Self.bom + Self.bom + TestFiles.bytes("abc")
        for chunk in [1, 2, 3, 4, 1 << 20] {
            // Consume exactly the skipped BOM and nothing else, so later rounds start at another BOM.
            let rounds = try Self.rounds(bytes, chunkSize: chunk, in: folder) { count, start, isFinal in isFinal ? count : start }
            #expect(rounds.first?.start == 3, "chunk \(chunk)")
            #expect(rounds.dropFirst().allSatisfy { $0.start == 0 }, "chunk \(chunk)")
            #expect(rounds.last?.data == Self.bom + Self.bom + TestFiles.bytes("abc"), "chunk \(chunk)")
        }
        // Files shorter than a BOM reach the parser once, whole.
        for short in [[UInt8](), [0xEF], [0xEF, 0xBB]] {
            let rounds = try Self.rounds(short, chunkSize: 1, in: folder) { count, _, _ in count }
            #expect(rounds.count == 1 && rounds[0].data == short && rounds[0].start == 0 && rounds[0].isFinal)
        }
    }
}
