import CXXHash
import Foundation

/// What one shard of a sharded scan computed (`synthscan scan --shard K/N --partial-output FILE`):
/// its slice of every nearest-record pass, and everything `synthscan merge` needs to check that
/// the partials belong together and to the inputs it loads.
///
/// The file holds distances and row indices only, never a data value. Layout:
///
///     "synthscan-partial\n"            18 bytes, the magic
///     header length                    UInt64, little-endian
///     header                           JSON (UTF-8): `Header`
///     payload                          for each part in header order, n = its slice's length:
///                                        nearest     n × Float64 (IEEE 754, little-endian)
///                                        second      n × Float64
///                                        nearestRow  n × Int32 (little-endian)
///                                        secondRow   n × Int32
///
/// 24 bytes per query row and pass: the core pack's eight passes over 1M synthetic, 1M training
/// and 500k holdout rows make about 130 MB split over the shards, where JSON text would take
/// several times that. The header records the
/// payload's length and XXH3-64 checksum, so a truncated or damaged file is an error, never a
/// silently wrong report.
public struct PartialResult: Sendable {
    /// The file's first bytes.
    public static let magic = Array("synthscan-partial\n".utf8)
    /// Version of the layout and header; a reader rejects other versions (2: passes record
    /// `secondNearest`).
    public static let formatVersion = 2
    /// Bytes per query row of one part.
    static let bytesPerRow = 24

    /// The JSON header.
    public struct Header: Codable, Sendable, Equatable {
        /// Layout version (`PartialResult.formatVersion`).
        public var formatVersion: Int
        /// `SynthScanVersion.current` of the writer.
        public var toolVersion: String
        /// 1-based shard number, as users write it (`--shard 2/4`).
        public var shard: Int
        /// Number of shards.
        public var shardCount: Int
        /// The scan seed, in decimal (a string: JSON numbers lose 64-bit precision in many readers).
        public var seed: String
        /// The rules that ran and their packs.
        public var ruleSet: RuleSetIdentity
        /// The configuration settings that shape the loaded tables (`ShardIdentity.settings`).
        public var settings: [String]
        /// The inputs the shard loaded.
        public var inputs: [InputIdentity]
        /// The slices, in payload order.
        public var parts: [PartHeader]
        /// Bytes of the payload.
        public var payloadBytes: Int
        /// XXH3-64 of the payload, 16 hex digits.
        public var payloadChecksum: String
    }

    /// The rules a scan runs, as far as they decide what is computed: each pack's id, version and
    /// content hash, and each enabled rule's id, check kind, parameters and `by:` columns.
    public struct RuleSetIdentity: Codable, Sendable, Equatable {
        /// A pack.
        public struct Pack: Codable, Sendable, Equatable {
            public var id: String
            public var version: String
            public var contentHash: String
        }
        /// An enabled rule.
        public struct Rule: Codable, Sendable, Equatable {
            public var id: String
            public var check: String
            /// `name=value`, sorted by name.
            public var parameters: [String]
            public var by: [String]
        }
        public var packs: [Pack]
        public var rules: [Rule]
    }

    /// One input file as the shard read it.
    public struct InputIdentity: Codable, Sendable, Equatable {
        public var role: TableRole
        /// The path as the shard's configuration named it (for messages; not compared).
        public var path: String
        public var byteCount: Int
        /// SHA-256 of the file's bytes, lower-case hex.
        public var sha256: String
    }

    /// One slice of one pass.
    public struct PartHeader: Codable, Sendable, Equatable {
        public var pass: NeighbourPass
        /// Query rows of the whole pass.
        public var queryCount: Int
        /// First position of the slice.
        public var lowerBound: Int
        /// One past the last position.
        public var upperBound: Int

        var range: Range<Int> { lowerBound..<upperBound }
    }

    /// The header.
    public var header: Header
    /// The slices, entry `i` described by `header.parts[i]`.
    public var parts: [ShardPart]

    /// Creates a partial result; the header's part list, payload length and checksum are derived
    /// from `parts` when the result is encoded.
    public init(header: Header, parts: [ShardPart]) {
        self.header = header
        self.parts = parts
        self.header.parts = parts.map { PartHeader(pass: $0.pass, queryCount: $0.queryCount, lowerBound: $0.range.lowerBound, upperBound: $0.range.upperBound) }
    }

    /// The file's bytes.
    public func encoded() throws -> [UInt8] {
        var payload: [UInt8] = []
        payload.reserveCapacity(parts.reduce(0) { $0 + $1.records.count * Self.bytesPerRow })
        for part in parts {
            for v in part.records.nearest { Self.append(v.bitPattern.littleEndian, to: &payload) }
            for v in part.records.second { Self.append(v.bitPattern.littleEndian, to: &payload) }
            for v in part.records.nearestRow { Self.append(v.littleEndian, to: &payload) }
            for v in part.records.secondRow { Self.append(v.littleEndian, to: &payload) }
        }
        var header = self.header
        header.payloadBytes = payload.count
        header.payloadChecksum = Self.checksum(payload[...])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let json = Array(try encoder.encode(header))
        var bytes = Self.magic
        Self.append(UInt64(json.count).littleEndian, to: &bytes)
        bytes += json
        bytes += payload
        return bytes
    }

    /// Reads a partial result; `file` names it in errors.
    public static func decode(_ bytes: [UInt8], file: String) throws(PartialResultError) -> PartialResult {
        guard bytes.count >= magic.count, Array(bytes[0..<magic.count]) == magic else { throw .notAPartial(file: file) }
        var offset = magic.count
        guard bytes.count >= offset + 8 else { throw .truncated(file: file) }
        let headerLength = Int(clamping: read(UInt64.self, bytes, at: offset))
        offset += 8
        guard headerLength <= bytes.count - offset else { throw .truncated(file: file) }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: Data(bytes[offset..<(offset + headerLength)]))
        } catch {
            // A header that parses as JSON but lacks fields may be from another version.
            if let object = try? JSONSerialization.jsonObject(with: Data(bytes[offset..<(offset + headerLength)])) as? [String: Any],
               let version = object["formatVersion"] as? Int, version != formatVersion {
                throw .unsupportedVersion(file: file, version: version)
            }
            throw .corrupt(file: file, reason: "the header is not valid")
        }
        guard header.formatVersion == formatVersion else { throw .unsupportedVersion(file: file, version: header.formatVersion) }
        offset += headerLength
        let payload = bytes[offset...]
        var expected = 0
        for part in header.parts {
            guard part.lowerBound >= 0, part.lowerBound <= part.upperBound, part.upperBound <= part.queryCount else {
                throw .corrupt(file: file, reason: "part \(part.pass) has an invalid range \(part.lowerBound)..<\(part.upperBound) of \(part.queryCount) rows")
            }
            expected += (part.upperBound - part.lowerBound) * bytesPerRow
        }
        guard header.payloadBytes == expected else { throw .corrupt(file: file, reason: "the header's payload length does not match its parts") }
        if payload.count < expected { throw .truncated(file: file) }
        if payload.count > expected { throw .corrupt(file: file, reason: "\(payload.count - expected) unexpected bytes after the payload") }
        guard checksum(payload) == header.payloadChecksum else { throw .corrupt(file: file, reason: "the payload checksum does not match (the file was damaged)") }
        var parts: [ShardPart] = []
        var at = offset
        for part in header.parts {
            let n = part.upperBound - part.lowerBound
            func doubles() -> [Double] {
                defer { at += n * 8 }
                return (0..<n).map { Double(bitPattern: UInt64(littleEndian: read(UInt64.self, bytes, at: at + 8 * $0))) }
            }
            func ints() -> [Int32] {
                defer { at += n * 4 }
                return (0..<n).map { Int32(littleEndian: read(Int32.self, bytes, at: at + 4 * $0)) }
            }
            let nearest = doubles(), second = doubles(), nearestRow = ints(), secondRow = ints()
            parts.append(ShardPart(pass: part.pass, queryCount: part.queryCount, range: part.range,
                                   records: NearestRecords(nearest: nearest, nearestRow: nearestRow, second: second, secondRow: secondRow)))
        }
        var result = PartialResult(header: header, parts: parts)
        result.header = header
        return result
    }

    /// Reads the partial result at `path`.
    public static func read(path: String) throws(PartialResultError) -> PartialResult {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .unreadable(file: path, reason: "no such file") }
        guard !isDirectory.boolValue else { throw .unreadable(file: path, reason: "is a directory") }
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(file: path, reason: "cannot read the file") }
        return try decode(Array(data), file: path)
    }

    /// Writes the file atomically (a temporary file renamed into place), creating its folder.
    public func write(to path: String) throws(PartialResultError) {
        do {
            let url = URL(fileURLWithPath: path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(try encoded()).write(to: url, options: .atomic)
        } catch {
            throw .unwritable(file: path, reason: error.localizedDescription)
        }
    }

    static func checksum(_ bytes: ArraySlice<UInt8>) -> String {
        let h = bytes.withUnsafeBytes { XXH3_64bits($0.baseAddress, $0.count) }
        return RecordDigest.hex16(h)
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value) { bytes.append(contentsOf: $0) }
    }

    private static func read<T: FixedWidthInteger>(_: T.Type, _ bytes: [UInt8], at offset: Int) -> T {
        var value = T.zero
        withUnsafeMutableBytes(of: &value) { target in
            for i in 0..<MemoryLayout<T>.size { target[i] = bytes[offset + i] }
        }
        return value
    }
}

/// A partial result file that cannot be read or written.
public enum PartialResultError: Error, Equatable, CustomStringConvertible {
    /// The file is missing or unreadable.
    case unreadable(file: String, reason: String)
    /// The file does not start with the partial result magic.
    case notAPartial(file: String)
    /// The file ends early.
    case truncated(file: String)
    /// The file is damaged.
    case corrupt(file: String, reason: String)
    /// Written by another layout version.
    case unsupportedVersion(file: String, version: Int)
    /// The file cannot be written.
    case unwritable(file: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let f, let r): "\(f): error: cannot read the partial result: \(r)"
        case .notAPartial(let f): "\(f): error: not a synthscan partial result (write one with synthscan scan --shard K/N --partial-output FILE)"
        case .truncated(let f): "\(f): error: the partial result is truncated (was the shard's copy interrupted?); rerun that shard"
        case .corrupt(let f, let r): "\(f): error: the partial result is corrupt: \(r); rerun that shard"
        case .unsupportedVersion(let f, let v): "\(f): error: partial result format version \(v) is not supported (this synthscan reads version \(PartialResult.formatVersion)); run the shards and the merge with the same synthscan"
        case .unwritable(let f, let r): "\(f): error: cannot write the partial result: \(r)"
        }
    }
}
