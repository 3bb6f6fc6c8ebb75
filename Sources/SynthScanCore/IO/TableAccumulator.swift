/// Collects the records of one file into per-column accumulators (the reader's sink).
struct TableAccumulator: RecordSink {
    let path: String
    let missingTokens: MissingTokens
    /// Column names from the header, in file order.
    private(set) var names: [String] = []
    var columns: [ColumnAccumulator] = []
    /// Line on which each record starts.
    private(set) var recordLines: [Int] = []
    private var currentLine = 0
    private var forcedTypes: [String: ColumnType]

    init(path: String, missingTokens: MissingTokens, forcedTypes: [String: ColumnType]) {
        self.path = path
        self.missingTokens = missingTokens
        self.forcedTypes = forcedTypes
    }

    /// Sets the header; checks for empty and duplicate names.
    mutating func header(_ header: [String], line: Int) throws {
        var seen: [String: Int] = [:]
        for (i, raw) in header.enumerated() {
            let name = raw.trimmingASCIIWhitespace()
            guard !name.isEmpty else { throw InputError.emptyColumnName(path: path, line: line, field: i + 1) }
            if let first = seen[name] {
                throw InputError.duplicateColumnName(path: path, line: line, name: name, firstField: first + 1, secondField: i + 1)
            }
            seen[name] = i
            names.append(name)
        }
        columns = names.map { ColumnAccumulator(name: $0, forcedType: forcedTypes[$0]) }
    }

    mutating func beginRecord(line: Int) throws {
        currentLine = line
        guard recordLines.count < Int(Int32.max) else {
            throw InputError.tooLarge(path: path, reason: "more than \(Int32.max) records")
        }
        recordLines.append(line)
    }

    mutating func field(_ index: Int, _ bytes: UnsafeBufferPointer<UInt8>) throws {
        guard index < columns.count else { return } // counted and rejected in endRecord
        let trimmed = bytes.trimmingASCIIWhitespace()
        if missingTokens.contains(trimmed) {
            columns[index].appendMissing()
        } else {
            try columns[index].append(trimmed, line: currentLine, path: path)
        }
    }

    mutating func nullField(_ index: Int) throws {
        guard index < columns.count else { return }
        columns[index].appendMissing()
    }

    mutating func endRecord(fieldCount: Int) throws {
        if fieldCount != columns.count {
            throw InputError.raggedRow(path: path, line: currentLine, expected: columns.count, found: fieldCount)
        }
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// The bytes without leading and trailing spaces and tabs.
    func trimmingASCIIWhitespace() -> UnsafeBufferPointer<UInt8> {
        guard let base = baseAddress else { return self }
        var lo = 0, hi = count
        while lo < hi, base[lo] == 0x20 || base[lo] == 0x09 { lo += 1 }
        while hi > lo, base[hi - 1] == 0x20 || base[hi - 1] == 0x09 { hi -= 1 }
        return UnsafeBufferPointer(start: base + lo, count: hi - lo)
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingASCIIWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}

extension TableAccumulator {
    /// Drops the stored values of column `index` (after they were moved into the result).
    mutating func releaseColumn(at index: Int) {
        columns[index] = ColumnAccumulator(name: columns[index].name, forcedType: nil)
    }
}
