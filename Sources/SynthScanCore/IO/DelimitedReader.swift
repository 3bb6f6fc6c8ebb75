/// Streams an RFC 4180 delimited file (CSV, TSV, any single-byte delimiter) into a `RecordSink`.
///
/// Byte-level: quoted fields, doubled quotes, embedded newlines, CRLF or LF (or lone CR) line
/// ends and a UTF-8 byte-order mark are handled without building a String per cell. Blank
/// lines are skipped. The first record is the header, handed to `RecordSink.header`.
struct DelimitedReader {
    /// The field delimiter.
    let delimiter: UInt8
    /// Bytes read per call to the file.
    var chunkSize = 1 << 20

    private static let quote = UInt8(ascii: "\"")
    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")

    /// One field's extent inside the window.
    private struct Span {
        var start: Int
        var end: Int
        var hasDoubledQuotes: Bool
    }

    /// Reads the whole file into `sink`; returns whether a header was found.
    func read<S: RecordSink>(_ file: ChunkedFileReader, sink: inout S) throws -> Bool {
        var line = 1         // line of the first unconsumed byte
        var spans: [Span] = []
        spans.reserveCapacity(64)
        var headerSeen = false
        try ChunkStream(file: file, chunkSize: chunkSize).forEachWindow { data, start, isFinal in
            let (consumed, linesConsumed) = try parseRecords(data, from: start, to: data.count, isFinal: isFinal,
                                                             firstLine: line, spans: &spans, path: file.path,
                                                             headerSeen: &headerSeen, sink: &sink)
            line += linesConsumed
            return consumed
        }
        return headerSeen
    }

    /// Parses the complete records in `buf[from..<to]`; returns the bytes consumed and the newlines in them.
    private func parseRecords<S: RecordSink>(
        _ buf: UnsafeMutableBufferPointer<UInt8>, from: Int, to end: Int, isFinal: Bool, firstLine: Int,
        spans: inout [Span], path: String, headerSeen: inout Bool, sink: inout S
    ) throws -> (Int, Int) {
        guard let p = buf.baseAddress else { return (0, 0) }
        let delimiter = self.delimiter
        var pos = from
        var line = firstLine
        var lineStart = from   // offset of the current line's first byte, for column numbers
        var committed = from
        var committedLine = firstLine

        recordLoop: while pos < end {
            // Skip blank lines (LF, CRLF or CR alone).
            if p[pos] == Self.lf { pos += 1; line += 1; lineStart = pos; committed = pos; committedLine = line; continue }
            if p[pos] == Self.cr {
                if pos + 1 < end {
                    pos += p[pos + 1] == Self.lf ? 2 : 1
                } else if isFinal { pos += 1 } else { break recordLoop }
                line += 1; lineStart = pos; committed = pos; committedLine = line
                continue
            }
            let recordLine = line
            spans.removeAll(keepingCapacity: true)
            var fieldStart = pos
            while true {
                if pos < end && p[pos] == Self.quote {
                    // Quoted field.
                    let openLine = line, openColumn = pos - lineStart + 1
                    pos += 1
                    let contentStart = pos
                    var doubled = false
                    while true {
                        if pos >= end {
                            if isFinal { throw InputError.unterminatedQuote(path: path, line: openLine, column: openColumn) }
                            break recordLoop
                        }
                        let c = p[pos]
                        if c == Self.quote {
                            if pos + 1 < end {
                                if p[pos + 1] == Self.quote { doubled = true; pos += 2; continue }
                                break
                            }
                            if isFinal { break }
                            break recordLoop
                        }
                        if c == Self.lf { line += 1; lineStart = pos + 1 }
                        else if c == Self.cr && !(pos + 1 < end && p[pos + 1] == Self.lf) { line += 1; lineStart = pos + 1 }
                        pos += 1
                    }
                    spans.append(Span(start: contentStart, end: pos, hasDoubledQuotes: doubled))
                    pos += 1 // closing quote
                    if pos < end {
                        let c = p[pos]
                        if c != delimiter && c != Self.lf && c != Self.cr {
                            throw InputError.characterAfterQuote(path: path, line: line, column: pos - lineStart + 1)
                        }
                    } else if !isFinal {
                        break recordLoop
                    }
                } else {
                    // Unquoted field: up to the delimiter or the line end.
                    while pos < end {
                        let c = p[pos]
                        if c == delimiter || c == Self.lf || c == Self.cr { break }
                        pos += 1
                    }
                    if pos >= end && !isFinal { break recordLoop }
                    spans.append(Span(start: fieldStart, end: pos, hasDoubledQuotes: false))
                }
                // Here pos is at a delimiter, a line end, or the end of the final data.
                if pos < end && p[pos] == delimiter {
                    pos += 1
                    fieldStart = pos
                    continue
                }
                if pos < end && p[pos] == Self.cr {
                    if pos + 1 < end { pos += p[pos + 1] == Self.lf ? 2 : 1 }
                    else if isFinal { pos += 1 } else { break recordLoop }
                    line += 1; lineStart = pos
                } else if pos < end {
                    pos += 1 // LF
                    line += 1; lineStart = pos
                }
                break
            }
            try emit(p, spans: &spans, line: recordLine, headerSeen: &headerSeen, path: path, sink: &sink)
            committed = pos
            committedLine = line
        }
        return (committed, committedLine - firstLine)
    }

    /// Hands one complete record to the sink (or keeps it as the header).
    private func emit<S: RecordSink>(_ p: UnsafeMutablePointer<UInt8>, spans: inout [Span], line: Int,
                                     headerSeen: inout Bool, path: String,
                                     sink: inout S) throws {
        for i in spans.indices where spans[i].hasDoubledQuotes {
            // Collapse "" to " in place; the result is shorter, so it fits.
            var read = spans[i].start, write = spans[i].start
            while read < spans[i].end {
                p[write] = p[read]
                read += (p[read] == Self.quote) ? 2 : 1
                write += 1
            }
            spans[i].end = write
        }
        if !headerSeen {
            headerSeen = true
            var names: [String] = []
            names.reserveCapacity(spans.count)
            for (i, s) in spans.enumerated() {
                let bytes = UnsafeBufferPointer(start: p + s.start, count: s.end - s.start)
                guard let name = String(validating: bytes, as: UTF8.self) else {
                    throw InputError.invalidUTF8(path: path, line: line, field: "header field \(i + 1)")
                }
                names.append(name)
            }
            try sink.header(names, line: line)
            return
        }
        try sink.beginRecord(line: line)
        for (i, s) in spans.enumerated() {
            try sink.field(i, UnsafeBufferPointer(start: p + s.start, count: s.end - s.start))
        }
        try sink.endRecord(fieldCount: spans.count)
    }
}
