#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// SHA-256 as specified in NIST FIPS 180-4, "Secure Hash Standard" (August 2015):
// §4.1.2 (functions Ch, Maj, Σ0, Σ1, σ0, σ1), §4.2.2 (constants K), §5.1.1 (padding),
// §5.3.3 (initial hash value) and §6.2.2 (hash computation). Written from the standard;
// pure Swift because Foundation has no cryptographic hashes on Linux.

/// SHA-256 (FIPS 180-4): one-shot and incremental digests, hex encoding and file digests.
public enum SHA256 {
    /// Length of a digest in bytes.
    public static let digestByteCount = 32

    /// Length of one message block in bytes.
    public static let blockByteCount = 64

    /// The SHA-256 digest (32 bytes) of `bytes`.
    public static func digest(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        var hasher = Hasher()
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            hasher.update(UnsafeRawBufferPointer(buffer))
        }
        if done == nil { hasher.update(Array(bytes)) }
        return hasher.finalize()
    }

    /// The SHA-256 digest of the UTF-8 encoding of `text`, as lower-case hex.
    public static func hexDigest(of text: String) -> String {
        hex(digest(Array(text.utf8)))
    }

    /// `bytes` as lower-case hexadecimal, two digits per byte.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Size of the chunks `hexDigest(ofFile:)` reads (1 MiB).
    public static let fileChunkByteCount = 1 << 20

    /// The SHA-256 digest of the file at `path` as lower-case hex, read in 1 MiB chunks.
    public static func hexDigest(ofFile path: String) throws(FileDigestError) -> String {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw FileDigestError.cannotOpen(path: path, reason: currentErrorText()) }
        defer { close(fd) }
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: fileChunkByteCount, alignment: 16)
        defer { chunk.deallocate() }
        var hasher = Hasher()
        while true {
            let got = read(fd, chunk.baseAddress, chunk.count)
            if got < 0 {
                if errno == EINTR { continue }
                throw FileDigestError.readFailed(path: path, reason: currentErrorText())
            }
            if got == 0 { break }
            hasher.update(UnsafeRawBufferPointer(rebasing: chunk[0..<got]))
        }
        return hex(hasher.finalize())
    }

    /// The text of the current `errno`.
    private static func currentErrorText() -> String {
        String(cString: strerror(errno))
    }

    /// An incremental SHA-256 computation: feed bytes with `update`, then call `finalize` once.
    public struct Hasher: Sendable {
        /// The eight working hash words H0...H7 (FIPS 180-4 §5.3.3 initial values).
        private var h0: UInt32 = 0x6a09e667, h1: UInt32 = 0xbb67ae85
        private var h2: UInt32 = 0x3c6ef372, h3: UInt32 = 0xa54ff53a
        private var h4: UInt32 = 0x510e527f, h5: UInt32 = 0x9b05688c
        private var h6: UInt32 = 0x1f83d9ab, h7: UInt32 = 0x5be0cd19
        /// A partial block waiting for more input (64 bytes of fixed storage).
        private var pending: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        /// How many bytes of `pending` are in use (0..<64).
        private var pendingCount = 0
        /// Total message length so far, in bytes.
        private var totalByteCount: UInt64 = 0

        /// A hasher for an empty message.
        public init() {}

        /// Appends the bytes in `buffer` to the message.
        public mutating func update(_ buffer: UnsafeRawBufferPointer) {
            guard var source = buffer.baseAddress, buffer.count > 0 else { return }
            var remaining = buffer.count
            totalByteCount &+= UInt64(remaining)
            if pendingCount > 0 {
                let take = min(SHA256.blockByteCount - pendingCount, remaining)
                let offset = pendingCount
                withUnsafeMutableBytes(of: &pending) { block in
                    block.baseAddress!.advanced(by: offset).copyMemory(from: source, byteCount: take)
                }
                pendingCount += take
                source += take
                remaining -= take
                guard pendingCount == SHA256.blockByteCount else { return }
                var block = pending
                withUnsafeBytes(of: &block) { compress($0.baseAddress!, blockCount: 1) }
                pendingCount = 0
            }
            let whole = remaining / SHA256.blockByteCount
            if whole > 0 {
                compress(source, blockCount: whole)
                source += whole * SHA256.blockByteCount
                remaining -= whole * SHA256.blockByteCount
            }
            if remaining > 0 {
                withUnsafeMutableBytes(of: &pending) { block in
                    block.baseAddress!.copyMemory(from: source, byteCount: remaining)
                }
                pendingCount = remaining
            }
        }

        /// Appends `bytes` to the message.
        public mutating func update(_ bytes: [UInt8]) {
            bytes.withUnsafeBytes { update($0) }
        }

        /// Pads the message (FIPS 180-4 §5.1.1), returns its 32-byte digest and resets the hasher.
        public mutating func finalize() -> [UInt8] {
            let bitLength = totalByteCount &* 8
            // 0x80, then zeros up to 56 mod 64, then the 64-bit big-endian bit length.
            let zeroCount = (SHA256.blockByteCount + 55 - pendingCount) % SHA256.blockByteCount
            var tail = [UInt8](repeating: 0, count: 1 + zeroCount + 8)
            tail[0] = 0x80
            for i in 0..<8 { tail[1 + zeroCount + i] = UInt8(truncatingIfNeeded: bitLength >> (56 - 8 * UInt64(i))) }
            update(tail)
            precondition(pendingCount == 0, "SHA-256 padding must end on a block boundary")
            var out = [UInt8]()
            out.reserveCapacity(SHA256.digestByteCount)
            for word in [h0, h1, h2, h3, h4, h5, h6, h7] {
                out.append(UInt8(truncatingIfNeeded: word >> 24))
                out.append(UInt8(truncatingIfNeeded: word >> 16))
                out.append(UInt8(truncatingIfNeeded: word >> 8))
                out.append(UInt8(truncatingIfNeeded: word))
            }
            self = Hasher()
            return out
        }

        /// Runs the compression function (FIPS 180-4 §6.2.2) over `blockCount` consecutive 64-byte blocks.
        private mutating func compress(_ start: UnsafeRawPointer, blockCount: Int) {
            // The message schedule W0...W63 lives in a fixed 64-word tuple on the stack.
            var schedule: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                           UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                           UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                           UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
                = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                   0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            var s0 = h0, s1 = h1, s2 = h2, s3 = h3, s4 = h4, s5 = h5, s6 = h6, s7 = h7
            withUnsafeMutableBytes(of: &schedule) { raw in
                let w = raw.baseAddress!.assumingMemoryBound(to: UInt32.self)
                SHA256.roundConstants.withUnsafeBufferPointer { kBuffer in
                    let k = kBuffer.baseAddress!
                    var block = start
                    for _ in 0..<blockCount {
                        for t in 0..<16 {
                            w[t] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: 4 * t, as: UInt32.self))
                        }
                        for t in 16..<64 {
                            let x = w[t - 15], y = w[t - 2]
                            let sigma0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >> 3)
                            let sigma1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >> 10)
                            w[t] = sigma1 &+ w[t - 7] &+ sigma0 &+ w[t - 16]
                        }
                        var a = s0, b = s1, c = s2, d = s3, e = s4, f = s5, g = s6, h = s7
                        for t in 0..<64 {
                            let bigSigma1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                            let ch = (e & f) ^ (~e & g)
                            let t1 = h &+ bigSigma1 &+ ch &+ k[t] &+ w[t]
                            let bigSigma0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                            let maj = (a & b) ^ (a & c) ^ (b & c)
                            let t2 = bigSigma0 &+ maj
                            h = g; g = f; f = e; e = d &+ t1
                            d = c; c = b; b = a; a = t1 &+ t2
                        }
                        s0 &+= a; s1 &+= b; s2 &+= c; s3 &+= d
                        s4 &+= e; s5 &+= f; s6 &+= g; s7 &+= h
                        block += SHA256.blockByteCount
                    }
                }
            }
            h0 = s0; h1 = s1; h2 = s2; h3 = s3; h4 = s4; h5 = s5; h6 = s6; h7 = s7
        }
    }

    /// Rotates `x` right by `n` bits (FIPS 180-4 §3.2, ROTR).
    @inline(__always)
    private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 {
        (x >> n) | (x << (32 - n))
    }

    /// The 64 round constants K0...K63 (FIPS 180-4 §4.2.2).
    private static let roundConstants: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]
}

/// Why a file could not be digested; the message names the file.
public enum FileDigestError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened (missing, no permission, ...).
    case cannotOpen(path: String, reason: String)
    /// Reading the file failed part-way (e.g. it is a directory, or an I/O error).
    case readFailed(path: String, reason: String)

    /// A one-line message naming the file.
    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "\(path): cannot open file for hashing: \(reason)"
        case .readFailed(let path, let reason): "\(path): cannot read file for hashing: \(reason)"
        }
    }
}
