import CXXHash
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

    /// `value` as 16 lower-case hex digits.
    static func hex64(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}
