import Foundation
import Testing
@testable import SynthScanCore

/// Shared helpers of the reader, reader-fuzz and digest tests: temporary files, loading,
/// reading columns back as comparable cells, a recording `RecordSink`, a seeded generator.
enum TestFiles {
    // MARK: Temporary folder

    /// A unique folder under the system temporary directory. Call `remove()` (a `defer` right
    /// after creating it); the folder is also removed when the object goes away.
    final class Folder {
        /// Absolute path of the folder.
        let path: String

        init(_ label: String = "reader") throws {
            let url = FileManager.default.temporaryDirectory
                .appendingPathComponent("synthscan-\(label)-tests-\(UUID().uuidString)", isDirectory: true)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            path = url.path
        }

        deinit { remove() }

        /// Deletes the folder and everything in it (restoring permissions first).
        func remove() {
            if let names = try? FileManager.default.contentsOfDirectory(atPath: path) {
                for name in names { chmod(path + "/" + name, 0o700) }
            }
            try? FileManager.default.removeItem(atPath: path)
        }

        /// The path of `name` inside the folder (nothing is created).
        func file(_ name: String) -> String { path + "/" + name }

        /// Writes `text` (UTF-8) to `name`; returns the path.
        @discardableResult
        func write(_ name: String, _ text: String) throws -> String {
            try write(name, bytes: Array(text.utf8))
        }

        /// Writes raw bytes to `name`; returns the path.
        @discardableResult
        func write(_ name: String, bytes: [UInt8]) throws -> String {
            let target = file(name)
            try Data(bytes).write(to: URL(fileURLWithPath: target))
            return target
        }

        /// Writes `bytes` gzip-compressed (by the system `gzip`) to `name`; returns the path.
        @discardableResult
        func writeGzip(_ name: String, bytes: [UInt8]) throws -> String {
            let plain = file(name + ".plain-\(UUID().uuidString)")
            try Data(bytes).write(to: URL(fileURLWithPath: plain))
            defer { try? FileManager.default.removeItem(atPath: plain) }
            let target = file(name)
            _ = FileManager.default.createFile(atPath: target, contents: nil)
            let output = try FileHandle(forWritingTo: URL(fileURLWithPath: target))
            defer { try? output.close() }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: TestFiles.gzipExecutable)
            process.arguments = ["-c", "-n", "-6", plain]
            process.standardOutput = output
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw TestFailure("gzip exited with status \(process.terminationStatus)")
            }
            return target
        }

        /// Creates a sub-folder `name`; returns its path.
        @discardableResult
        func makeDirectory(_ name: String) throws -> String {
            let target = file(name)
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
            return target
        }

        /// Writes `train` (and the optional other tables) under the given names and loads them.
        func load(train: String, synthetic: String? = nil, holdout: String? = nil, ext: String = "csv",
                  configure: (inout ScanConfiguration) -> Void = { _ in }) throws -> LoadedDatasets {
            var configuration = ScanConfiguration()
            configuration.inputs.train = try write("train.\(ext)", train)
            configuration.inputs.synthetic = try write("synthetic.\(ext)", synthetic ?? train)
            if let holdout { configuration.inputs.holdout = try write("holdout.\(ext)", holdout) }
            configure(&configuration)
            return try DatasetLoader.load(configuration)
        }
    }

    /// The system gzip.
    static let gzipExecutable: String = {
        for candidate in ["/bin/gzip", "/usr/bin/gzip"] where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return "/bin/gzip"
    }()

    /// A configuration reading `train` and `synthetic` (and `holdout`).
    static func configuration(train: String, synthetic: String, holdout: String? = nil) -> ScanConfiguration {
        var configuration = ScanConfiguration()
        configuration.inputs.train = train
        configuration.inputs.synthetic = synthetic
        configuration.inputs.holdout = holdout
        return configuration
    }

    /// A failure inside a helper.
    struct TestFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    // MARK: Reading values back

    /// One value of a loaded column, as the tests compare it.
    enum Cell: Equatable, Hashable, CustomStringConvertible {
        case missing
        case number(Double)
        case label(String)

        var description: String {
            switch self {
            case .missing: "∅"
            case .number(let v): "\(v)"
            case .label(let s): "\(s.debugDescription)"
            }
        }
    }

    /// Every row of `column` as a cell (numbers for numeric storage, labels for coded storage).
    static func cells(_ column: Column) -> [Cell] {
        switch column.storage {
        case .numeric(let values, let missing):
            return values.indices.map { missing.isMissing($0) ? .missing : .number(values[$0]) }
        case .coded(let codes, let dictionary):
            return codes.map { $0 == Column.missingCode ? .missing : .label(dictionary.labels[Int($0)]) }
        }
    }

    /// The cells of the column `name` of `table` (empty, with a recorded issue, if there is no such column).
    static func cells(_ table: Table, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) -> [Cell] {
        guard let column = table.column(named: name) else {
            Issue.record("no column '\(name)' in \(table.role.rawValue)", sourceLocation: sourceLocation)
            return []
        }
        return cells(column)
    }

    /// The codes of coded column `name` (empty for numeric storage).
    static func codes(_ table: Table, _ name: String) -> [UInt32] {
        guard case .coded(let codes, _)? = table.column(named: name)?.storage else { return [] }
        return codes
    }

    /// The dictionary of coded column `name` (nil for numeric storage).
    static func dictionary(_ table: Table, _ name: String) -> CategoryDictionary? {
        guard case .coded(_, let dictionary)? = table.column(named: name)?.storage else { return nil }
        return dictionary
    }

    /// Labels as cells (`nil` = missing).
    static func labels(_ values: [String?]) -> [Cell] { values.map { $0.map(Cell.label) ?? .missing } }

    /// Numbers as cells (`nil` = missing).
    static func numbers(_ values: [Double?]) -> [Cell] { values.map { $0.map(Cell.number) ?? .missing } }

    // MARK: Recording sink

    /// A `RecordSink` that keeps every record's raw (untrimmed) fields, for byte-exact comparisons.
    struct RecordingSink: RecordSink, Equatable {
        /// One field as handed to the sink.
        enum Field: Equatable, CustomStringConvertible {
            case bytes([UInt8])
            case null
            case absent

            var description: String {
                switch self {
                case .bytes(let b): String(decoding: b, as: UTF8.self).debugDescription
                case .null: "null"
                case .absent: "absent"
                }
            }
        }

        var header: [String]? = nil
        var headerLine = 0
        var lines: [Int] = []
        var records: [[Field]] = []
        private var current: [Int: Field] = [:]

        mutating func header(_ names: [String], line: Int) throws {
            header = names
            headerLine = line
        }

        mutating func beginRecord(line: Int) throws {
            lines.append(line)
            current = [:]
        }

        mutating func field(_ index: Int, _ bytes: UnsafeBufferPointer<UInt8>) throws {
            current[index] = .bytes(Array(bytes))
        }

        mutating func nullField(_ index: Int) throws {
            current[index] = .null
        }

        mutating func endRecord(fieldCount: Int) throws {
            records.append((0..<max(fieldCount, (current.keys.max() ?? -1) + 1)).map { current[$0] ?? .absent })
        }
    }

    /// What a raw parse produced: the records, or the error.
    enum ParseOutcome: Equatable, CustomStringConvertible {
        case parsed(sawHeader: Bool, sink: RecordingSink)
        case failed(InputError)
        case otherError(String)

        var description: String {
            switch self {
            case .parsed(let saw, let sink): "parsed(header: \(saw), \(sink.header ?? []), lines: \(sink.lines), \(sink.records))"
            case .failed(let e): "failed(\(e))"
            case .otherError(let e): "otherError(\(e))"
            }
        }
    }

    /// Parses a delimited file with `chunkSize`-byte reads into a recording sink.
    static func parseDelimited(_ path: String, delimiter: UInt8 = UInt8(ascii: ","), chunkSize: Int = 1 << 20) -> ParseOutcome {
        do {
            let file = try ChunkedFileReader(path: path)
            var sink = RecordingSink()
            let saw = try DelimitedReader(delimiter: delimiter, chunkSize: chunkSize).read(file, sink: &sink)
            return .parsed(sawHeader: saw, sink: sink)
        } catch let error as InputError {
            return .failed(error)
        } catch {
            return .otherError("\(error)")
        }
    }

    /// Parses a JSON Lines file with `chunkSize`-byte reads into a recording sink.
    static func parseJSONLines(_ path: String, chunkSize: Int = 1 << 20) -> ParseOutcome {
        do {
            let file = try ChunkedFileReader(path: path)
            var sink = RecordingSink()
            let saw = try JSONLinesReader(chunkSize: chunkSize).read(file, sink: &sink)
            return .parsed(sawHeader: saw, sink: sink)
        } catch let error as InputError {
            return .failed(error)
        } catch {
            return .otherError("\(error)")
        }
    }

    /// The bytes of `s`.
    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    // MARK: Seeded randomness

    /// SplitMix64: small, fast, and the same on every platform, so failures reproduce from the seed.
    struct SeededRandom: RandomNumberGenerator {
        private var state: UInt64

        init(seed: UInt64) { state = seed }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        /// A uniform integer in `range`.
        mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }

        /// True with probability `p`.
        mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }

        /// A uniformly chosen element.
        mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }
    }
}
