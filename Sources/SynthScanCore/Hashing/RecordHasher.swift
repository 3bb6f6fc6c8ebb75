import CXXHash

/// Canonicalises records and digests them with XXH3-128.
///
/// The canonical encoding of a record, over a set of columns taken in canonical (name) order:
/// per column one tag byte, then
/// - missing: nothing more (tag 0);
/// - numeric and datetime (tag 1): the IEEE-754 bits of the value, little-endian, after the
///   column's optional rounding, with `-0` read as `0` (so `1`, `1.0`, `1e0` agree);
/// - categorical, text, boolean (tag 2): the XXH3-128 of the label's UTF-8 bytes (labels are
///   already trimmed, numbers in them normalised, and case-folded where configured).
/// The digest is XXH3-128 of that encoding, seeded with XXH3-64 of the column names, so
/// digests over different column sets never agree by construction. Digests depend on values
/// only: never on row order, column order in the file, or dictionary codes.
public struct RecordHasher: Sendable {
    /// The columns hashed, in canonical order.
    public let columnNames: [String]
    private let seed: UInt64
    private let rounding: [Int?]

    /// Creates a hasher over `columns` (any order; they are sorted), with optional per-column rounding digits.
    public init(columns: [String], rounding: [String: Int] = [:]) {
        let sorted = columns.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        columnNames = sorted
        var joined: [UInt8] = []
        for name in sorted { joined.append(contentsOf: name.utf8); joined.append(0) }
        seed = joined.withUnsafeBytes { XXH3_64bits($0.baseAddress, $0.count) }
        self.rounding = sorted.map { rounding[$0] }
    }

    /// Digests every row of `table`, in row order.
    public func digests(of table: Table) -> [RecordDigest] {
        let columns = columnNames.map { name in table.column(named: name)! }
        let encoders = zip(columns, rounding).map { ColumnEncoder(column: $0.0, roundDigits: $0.1) }
        let recordWidth = max(1, encoders.count * 17)
        var out = [RecordDigest](repeating: RecordDigest(high: 0, low: 0), count: table.rowCount)
        let seed = self.seed
        out.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let output = buffer
            let ranges = Parallel.ranges(table.rowCount, chunks: Parallel.defaultChunkCount)
            _ = Parallel.map(ranges.count) { k in
                let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: recordWidth, alignment: 8)
                defer { scratch.deallocate() }
                for row in ranges[k] {
                    var length = 0
                    for encoder in encoders { length = encoder.encode(row: row, into: scratch, at: length) }
                    let h = XXH3_128bits_withSeed(scratch.baseAddress, length, seed)
                    output[row] = RecordDigest(high: h.high64, low: h.low64)
                }
                return 0
            }
        }
        return out
    }
}

/// Writes one column's canonical bytes for a row.
struct ColumnEncoder: @unchecked Sendable {
    private enum Kind {
        case number(values: [Double], missing: MissingMask, scale: Double?)
        case label(codes: [UInt32], labelHashes: [XXH128_hash_t])
    }
    private let kind: Kind

    init(column: Column, roundDigits: Int?) {
        switch column.storage {
        case .numeric(let values, let missing):
            kind = .number(values: values, missing: missing, scale: roundDigits.map { Self.powerOfTen($0) })
        case .coded(let codes, let dictionary):
            let hashes = dictionary.labels.map { label -> XXH128_hash_t in
                var bytes = Array(label.utf8)
                return bytes.withUnsafeMutableBytes { XXH3_128bits($0.baseAddress, $0.count) }
            }
            kind = .label(codes: codes, labelHashes: hashes)
        }
    }

    private static func powerOfTen(_ digits: Int) -> Double {
        var v = 1.0
        for _ in 0..<abs(digits) { v *= 10 }
        return digits >= 0 ? v : 1 / v
    }

    /// Rounds half away from zero at `scale` (10^digits).
    static func rounded(_ v: Double, scale: Double) -> Double { (v * scale).rounded() / scale }

    /// Writes the encoding of `row` at `offset`; returns the new end offset.
    @inline(__always)
    func encode(row: Int, into buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Int {
        switch kind {
        case .number(let values, let missing, let scale):
            if missing.isMissing(row) {
                buffer[offset] = 0
                return offset + 1
            }
            var v = values[row]
            if let scale { v = Self.rounded(v, scale: scale) }
            if v == 0 { v = 0 } // -0 → 0
            if v.isNaN { v = .nan }
            buffer[offset] = 1
            buffer.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: offset + 1, as: UInt64.self)
            return offset + 9
        case .label(let codes, let hashes):
            let code = codes[row]
            if code == Column.missingCode {
                buffer[offset] = 0
                return offset + 1
            }
            let h = hashes[Int(code)]
            buffer[offset] = 2
            buffer.storeBytes(of: h.low64.littleEndian, toByteOffset: offset + 1, as: UInt64.self)
            buffer.storeBytes(of: h.high64.littleEndian, toByteOffset: offset + 9, as: UInt64.self)
            return offset + 17
        }
    }
}
