import CXXHash
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The SHA-256 and XXH3-128 digests and the byte size of a file, read once in 1 MiB chunks.
public struct FileDigest: Sendable, Equatable {
    /// Size in bytes.
    public var bytes: Int
    /// SHA-256, lower-case hex.
    public var sha256: String
    /// XXH3-128, lower-case hex in canonical (big-endian) order, as `xxhsum -H2` prints it.
    public var xxh3: String

    /// Creates a digest record.
    public init(bytes: Int, sha256: String, xxh3: String) {
        self.bytes = bytes
        self.sha256 = sha256
        self.xxh3 = xxh3
    }

    /// Digests the file at `path`.
    public static func of(file path: String) throws(FileDigestError) -> FileDigest {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw FileDigestError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: SHA256.fileChunkByteCount, alignment: 16)
        defer { chunk.deallocate() }
        guard let state = XXH3_createState() else { throw FileDigestError.readFailed(path: path, reason: "out of memory") }
        defer { XXH3_freeState(state) }
        XXH3_128bits_reset(state)
        var sha = SHA256.Hasher()
        var total = 0
        while true {
            let got = read(fd, chunk.baseAddress, chunk.count)
            if got < 0 {
                if errno == EINTR { continue }
                throw FileDigestError.readFailed(path: path, reason: String(cString: strerror(errno)))
            }
            if got == 0 { break }
            let slice = UnsafeRawBufferPointer(rebasing: chunk[0..<got])
            sha.update(slice)
            XXH3_128bits_update(state, slice.baseAddress, got)
            total += got
        }
        let h = XXH3_128bits_digest(state)
        return FileDigest(bytes: total, sha256: SHA256.hex(sha.finalize()), xxh3: hex64(h.high64) + hex64(h.low64))
    }

    /// Digests the file at `path`, once per process: the SARIF report's artifacts, the release card
    /// and a shard's partial result all record the inputs' digests, and each reading a 300 MB input
    /// again cost ≈ 0.6 s. The memo is keyed by the file's device, inode, size and modification
    /// time (nanoseconds), so a file that changes is digested again.
    public static func cached(file path: String) throws(FileDigestError) -> FileDigest {
        var info = stat()
        guard stat(path, &info) == 0 else { throw FileDigestError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        let key = MemoKey(path: path, device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                          seconds: Int64(info.st_mtim.tv_sec), nanoseconds: Int64(info.st_mtim.tv_nsec))
        if let known = memo.value(for: key) { return known }
        let digest = try of(file: path)
        memo.store(digest, for: key)
        return digest
    }

    /// What identifies one version of a file for `cached(file:)`.
    private struct MemoKey: Hashable {
        let path: String
        let device: UInt64
        let inode: UInt64
        let size: Int64
        let seconds: Int64
        let nanoseconds: Int64
    }

    /// The process-wide memo of `cached(file:)`.
    private static let memo = Memo<MemoKey, FileDigest>()

    /// `value` as 16 lower-case hex digits.
    static func hex64(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}

/// A small thread-safe dictionary (a lock around it).
final class Memo<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
    private var values: [Key: Value] = [:]
    private let lock = NSLock()

    /// The stored value for `key`, if any.
    func value(for key: Key) -> Value? {
        lock.lock()
        defer { lock.unlock() }
        return values[key]
    }

    /// Stores `value` for `key`.
    func store(_ value: Value, for key: Key) {
        lock.lock()
        defer { lock.unlock() }
        values[key] = value
    }
}
