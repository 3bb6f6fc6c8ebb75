/// Streams a JSON Lines file (one flat JSON object per line) into a `RecordSink`.
///
/// The first object's keys, in order, are the columns. A later object may omit a key (the
/// value is missing) but may not add one. Values must be strings, numbers, booleans or null;
/// nested objects and arrays are errors. Blank lines are skipped.
struct JSONLinesReader {
    /// Bytes read per call to the file.
    var chunkSize = 1 << 20

    /// Reads the whole file into `sink`; returns whether a first object (the header) was found.
    func read<S: RecordSink>(_ file: ChunkedFileReader, sink: inout S) throws -> Bool {
        var line = 1   // line of the first unconsumed byte
        var parser = JSONObjectParser(path: file.path)
        try ChunkStream(file: file, chunkSize: chunkSize).forEachWindow { data, start, isFinal in
            guard let p = data.baseAddress else { return 0 }
            let end = data.count
            var lineStart = start
            while lineStart < end {
                var stop = lineStart
                while stop < end && p[stop] != UInt8(ascii: "\n") { stop += 1 }
                if stop == end && !isFinal { break }
                var lineEnd = stop
                if lineEnd > lineStart && p[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
                try parser.parseLine(UnsafeBufferPointer(start: p + lineStart, count: lineEnd - lineStart), line: line,
                                     sink: &sink)
                line += 1
                lineStart = min(stop + 1, end)
            }
            return lineStart
        }
        return parser.columnNames != nil
    }
}

/// Parses one flat JSON object per call, mapping keys to column indices.
struct JSONObjectParser {
    let path: String
    /// Column names, from the first object.
    private(set) var columnNames: [String]? = nil
    private var keyBytes: [[UInt8]] = []
    private var seen: [Bool] = []
    private var scratch: [UInt8] = []
    private var keyScratch: [UInt8] = []

    init(path: String) { self.path = path }

    private func fail(_ line: Int, _ offset: Int, _ reason: String) -> InputError {
        .invalidJSON(path: path, line: line, column: offset + 1, reason: reason)
    }

    /// Parses one line; blank lines are skipped.
    mutating func parseLine<S: RecordSink>(_ s: UnsafeBufferPointer<UInt8>, line: Int, sink: inout S) throws {
        var i = 0
        skipSpace(s, &i)
        if i == s.count { return }
        guard s[i] == UInt8(ascii: "{") else { throw fail(line, i, "expected a JSON object ('{') at the start of the line") }
        i += 1
        let isHeader = columnNames == nil
        var names: [String] = []
        if !isHeader {
            for k in seen.indices { seen[k] = false }
            try sink.beginRecord(line: line)
        }
        var pendingHeaderValues: [(isNull: Bool, bytes: [UInt8])] = []
        var expectedIndex = 0
        skipSpace(s, &i)
        if i < s.count && s[i] == UInt8(ascii: "}") {
            i += 1
        } else {
            while true {
                skipSpace(s, &i)
                guard i < s.count, s[i] == UInt8(ascii: "\"") else { throw fail(line, i, "expected a key in double quotes") }
                let keyStart = i
                try readString(s, &i, line: line, into: &keyScratch)
                skipSpace(s, &i)
                guard i < s.count, s[i] == UInt8(ascii: ":") else { throw fail(line, i, "expected ':' after a key") }
                i += 1
                skipSpace(s, &i)
                // Resolve the key to a column.
                var column = -1
                if isHeader {
                    guard let name = String(validating: keyScratch, as: UTF8.self) else {
                        throw InputError.invalidUTF8(path: path, line: line, field: "a key")
                    }
                    if names.contains(name) { throw fail(line, keyStart, "key '\(name)' appears twice in the object") }
                    names.append(name)
                    keyBytes.append(keyScratch)
                } else {
                    if expectedIndex < keyBytes.count && keyBytes[expectedIndex] == keyScratch {
                        column = expectedIndex
                    } else if let k = keyBytes.firstIndex(of: keyScratch) {
                        column = k
                    } else {
                        let name = String(decoding: keyScratch, as: UTF8.self)
                        throw fail(line, keyStart, "key '\(name)' is not in the first record; every column must appear in line 1")
                    }
                    if seen[column] {
                        throw fail(line, keyStart, "key '\(columnNames![column])' appears twice in the object")
                    }
                    seen[column] = true
                    expectedIndex = column + 1
                }
                // Value.
                guard i < s.count else { throw fail(line, i, "expected a value") }
                let c = s[i]
                var isNull = false
                scratch.removeAll(keepingCapacity: true)
                if c == UInt8(ascii: "\"") {
                    try readString(s, &i, line: line, into: &scratch)
                } else if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                    throw fail(line, i, "nested objects and arrays are not supported (flat objects only)")
                } else if matchLiteral(s, &i, "true") { scratch.append(contentsOf: "true".utf8)
                } else if matchLiteral(s, &i, "false") { scratch.append(contentsOf: "false".utf8)
                } else if matchLiteral(s, &i, "null") { isNull = true
                } else if c == UInt8(ascii: "-") || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) {
                    let numberStart = i
                    try scanNumber(s, &i, line: line)
                    scratch.append(contentsOf: UnsafeBufferPointer(rebasing: s[numberStart..<i]))
                } else {
                    throw fail(line, i, "expected a string, number, true, false or null")
                }
                if isHeader {
                    pendingHeaderValues.append((isNull, scratch))
                } else if isNull {
                    try sink.nullField(column)
                } else {
                    try scratch.withUnsafeBufferPointer { (b) throws in try sink.field(column, b) }
                }
                skipSpace(s, &i)
                guard i < s.count else { throw fail(line, i, "object is not closed with '}'") }
                if s[i] == UInt8(ascii: ",") { i += 1; continue }
                if s[i] == UInt8(ascii: "}") { i += 1; break }
                throw fail(line, i, "expected ',' or '}'")
            }
        }
        skipSpace(s, &i)
        if i != s.count { throw fail(line, i, "unexpected text after the object (one object per line)") }
        if isHeader {
            guard !names.isEmpty else { throw fail(line, 0, "the first object has no keys, so there are no columns") }
            columnNames = names
            seen = [Bool](repeating: false, count: names.count)
            try sink.header(names, line: line)
            try sink.beginRecord(line: line)
            for (k, v) in pendingHeaderValues.enumerated() {
                if v.isNull { try sink.nullField(k) } else {
                    try v.bytes.withUnsafeBufferPointer { (b) throws in try sink.field(k, b) }
                }
            }
            try sink.endRecord(fieldCount: names.count)
            return
        }
        for k in seen.indices where !seen[k] { try sink.nullField(k) }
        try sink.endRecord(fieldCount: keyBytes.count)
    }

    /// Moves `i` past the JSON number that starts at `s[i]` (a digit or '-'), checking the
    /// grammar of RFC 8259 section 6: `-? (0 | [1-9] digit*) (. digit+)? ([eE] [+-]? digit+)?`.
    /// A malformed number (`01`, `-`, `1.`, `1e`, `1.2.3`, `-.5`) is an error at its first wrong byte.
    private func scanNumber(_ s: UnsafeBufferPointer<UInt8>, _ i: inout Int, line: Int) throws {
        let start = i
        if s[i] == UInt8(ascii: "-") { i += 1 }
        guard i < s.count, Self.isDigit(s[i]) else { throw fail(line, i, "malformed number: expected a digit after '-'") }
        if s[i] == UInt8(ascii: "0") {
            i += 1
            if i < s.count, Self.isDigit(s[i]) {
                throw fail(line, start, "malformed number: leading zeros are not allowed (write codes as strings)")
            }
        } else {
            skipDigits(s, &i)
        }
        if i < s.count, s[i] == UInt8(ascii: ".") {
            i += 1
            guard i < s.count, Self.isDigit(s[i]) else { throw fail(line, i, "malformed number: expected a digit after the decimal point") }
            skipDigits(s, &i)
        }
        if i < s.count, s[i] == UInt8(ascii: "e") || s[i] == UInt8(ascii: "E") {
            i += 1
            if i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") { i += 1 }
            guard i < s.count, Self.isDigit(s[i]) else { throw fail(line, i, "malformed number: expected a digit in the exponent") }
            skipDigits(s, &i)
        }
        if i < s.count, s[i] == UInt8(ascii: ".") || s[i] == UInt8(ascii: "e") || s[i] == UInt8(ascii: "E")
            || s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
            throw fail(line, i, "malformed number: unexpected character after the number")
        }
    }

    @inline(__always)
    private static func isDigit(_ c: UInt8) -> Bool { c &- UInt8(ascii: "0") < 10 }

    @inline(__always)
    private func skipDigits(_ s: UnsafeBufferPointer<UInt8>, _ i: inout Int) {
        while i < s.count, Self.isDigit(s[i]) { i += 1 }
    }

    private func skipSpace(_ s: UnsafeBufferPointer<UInt8>, _ i: inout Int) {
        while i < s.count, s[i] == 0x20 || s[i] == 0x09 || s[i] == 0x0D { i += 1 }
    }

    private func matchLiteral(_ s: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard i + n <= s.count else { return false }
        let w = word.utf8Start
        for k in 0..<n where s[i + k] != w[k] { return false }
        i += n
        return true
    }

    /// Reads a JSON string at `s[i]` (the opening quote), unescaping into `out`.
    private func readString(_ s: UnsafeBufferPointer<UInt8>, _ i: inout Int, line: Int, into out: inout [UInt8]) throws {
        out.removeAll(keepingCapacity: true)
        let open = i
        i += 1
        while true {
            guard i < s.count else { throw fail(line, open, "string is never closed") }
            let c = s[i]
            if c == UInt8(ascii: "\"") { i += 1; return }
            if c < 0x20 { throw fail(line, i, "control character inside a string (escape it)") }
            if c != UInt8(ascii: "\\") { out.append(c); i += 1; continue }
            guard i + 1 < s.count else { throw fail(line, i, "string is never closed") }
            let e = s[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "/"): out.append(UInt8(ascii: "/"))
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4(s, &i, line: line)
                if (0xD800...0xDBFF).contains(scalar) {
                    guard i + 1 < s.count, s[i] == UInt8(ascii: "\\"), s[i + 1] == UInt8(ascii: "u") else {
                        throw fail(line, i, "unpaired UTF-16 surrogate in \\u escape")
                    }
                    i += 2
                    let low = try hex4(s, &i, line: line)
                    guard (0xDC00...0xDFFF).contains(low) else { throw fail(line, i, "unpaired UTF-16 surrogate in \\u escape") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw fail(line, i, "unpaired UTF-16 surrogate in \\u escape")
                }
                guard let u = Unicode.Scalar(scalar) else { throw fail(line, i, "invalid \\u escape") }
                out.append(contentsOf: UTF8.encode(u)!)
            default:
                throw fail(line, i - 1, "invalid escape in a string")
            }
        }
    }

    private func hex4(_ s: UnsafeBufferPointer<UInt8>, _ i: inout Int, line: Int) throws -> UInt32 {
        guard i + 4 <= s.count else { throw fail(line, i, "incomplete \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = s[i]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw fail(line, i, "invalid hex digit in \\u escape")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }
}
