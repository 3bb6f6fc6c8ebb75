import CZlib
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file's bytes in chunks, transparently inflating gzip (detected by its magic bytes).
///
/// Memory use is one chunk, whatever the file size.
final class ChunkedFileReader {
    private enum Handle {
        case plain(Int32)
        case gzip(gzFile)
    }

    private let handle: Handle
    /// The path being read (for error messages).
    let path: String
    /// Size of the file on disk.
    let byteCount: Int
    /// Whether the file is gzip-compressed.
    let isCompressed: Bool

    /// Opens `path`, failing with an `InputError` that names the file.
    init(path: String) throws {
        self.path = path
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { throw InputError.fileNotFound(path: path) }
            throw InputError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw InputError.isDirectory(path: path) }
        byteCount = Int(info.st_size)
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw InputError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        var magic: (UInt8, UInt8) = (0, 0)
        let got = withUnsafeMutableBytes(of: &magic) { Glibc.read(fd, $0.baseAddress, 2) }
        if got < 0 {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw InputError.unreadable(path: path, reason: reason)
        }
        if got == 2 && magic.0 == 0x1f && magic.1 == 0x8b {
            lseek(fd, 0, SEEK_SET)
            guard let gz = gzdopen(fd, "rb") else {
                close(fd)
                throw InputError.unreadable(path: path, reason: "cannot open gzip stream")
            }
            gzbuffer(gz, 1 << 17)
            handle = .gzip(gz)
            isCompressed = true
        } else {
            lseek(fd, 0, SEEK_SET)
            handle = .plain(fd)
            isCompressed = false
        }
    }

    deinit {
        switch handle {
        case .plain(let fd): close(fd)
        case .gzip(let gz): gzclose(gz)
        }
    }

    /// Reads up to `buffer.count` bytes; returns 0 at the end of the file.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        switch handle {
        case .plain(let fd):
            while true {
                let n = Glibc.read(fd, base, buffer.count)
                if n >= 0 { return n }
                if errno == EINTR { continue }
                throw InputError.unreadable(path: path, reason: String(cString: strerror(errno)))
            }
        case .gzip(let gz):
            let n = gzread(gz, base, UInt32(min(buffer.count, Int(Int32.max))))
            if n < 0 {
                var code: Int32 = 0
                let message = gzerror(gz, &code).map { String(cString: $0) } ?? "unknown error"
                throw InputError.corruptCompressedData(path: path, reason: message)
            }
            // A truncated stream ends with Z_BUF_ERROR recorded, not with a negative return.
            var code: Int32 = 0
            let message = gzerror(gz, &code)
            if code != Z_OK && code != Z_STREAM_END {
                throw InputError.corruptCompressedData(path: path, reason: message.map { String(cString: $0) } ?? "error \(code)")
            }
            if n == 0 && gzeof(gz) == 0 {
                throw InputError.corruptCompressedData(path: path, reason: "stream ended early")
            }
            return Int(n)
        }
    }
}
