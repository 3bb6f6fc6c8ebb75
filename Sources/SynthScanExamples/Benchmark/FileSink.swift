import Foundation

/// A write-only file that receives byte chunks; creates or truncates the file on open.
final class FileSink {
    private let handle: FileHandle
    let path: String
    private(set) var byteCount = 0

    init(path: String) throws {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw ExamplesError.io(path: path, reason: "cannot create file (missing directory or no permission?)")
        }
        do {
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        } catch {
            throw ExamplesError.io(path: path, reason: "cannot open for writing: \(error.localizedDescription)")
        }
    }

    func write(_ bytes: [UInt8]) throws {
        do {
            try bytes.withUnsafeBytes { try handle.write(contentsOf: $0) }
        } catch {
            throw ExamplesError.io(path: path, reason: "write failed after \(byteCount) bytes: \(error.localizedDescription)")
        }
        byteCount += bytes.count
    }

    func close() throws {
        do {
            try handle.close()
        } catch {
            throw ExamplesError.io(path: path, reason: "close failed: \(error.localizedDescription)")
        }
    }
}
