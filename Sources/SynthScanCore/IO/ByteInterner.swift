import CXXHash

/// Assigns dense ids to distinct byte strings, storing each distinct string once in an arena.
///
/// Open addressing keyed by XXH3-64; no String is built per lookup. Ids follow first-seen order.
struct ByteInterner {
    private var arena: [UInt8] = []
    private var offsets: [Int] = [0]
    private var hashes: [UInt64] = []
    private var slots: [Int32] = [Int32](repeating: -1, count: 64)
    /// The line on which each entry was first seen (for error messages).
    private(set) var firstLines: [Int] = []

    /// Number of distinct strings.
    var count: Int { hashes.count }

    /// The id of `bytes`, adding it if new; `isNew` tells which.
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) -> (id: UInt32, isNew: Bool) {
        let h = XXH3_64bits(bytes.baseAddress, bytes.count)
        var mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let id = slots[slot]
            if id < 0 { break }
            if hashes[Int(id)] == h && equals(Int(id), bytes) { return (UInt32(id), false) }
            slot = (slot + 1) & mask
        }
        let id = hashes.count
        hashes.append(h)
        arena.append(contentsOf: bytes)
        offsets.append(arena.count)
        firstLines.append(line)
        slots[slot] = Int32(id)
        if hashes.count * 2 > slots.count {
            grow()
            mask = slots.count - 1
        }
        return (UInt32(id), true)
    }

    private func equals(_ id: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = offsets[id], end = offsets[id + 1]
        guard end - start == bytes.count else { return false }
        return arena.withUnsafeBufferPointer { a in
            guard let ab = a.baseAddress, let bb = bytes.baseAddress else { return bytes.isEmpty }
            return memcmp(ab + start, bb, bytes.count) == 0
        }
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        var fresh = [Int32](repeating: -1, count: capacity)
        let mask = capacity - 1
        for (id, h) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: h) & mask
            while fresh[slot] >= 0 { slot = (slot + 1) & mask }
            fresh[slot] = Int32(id)
        }
        slots = fresh
    }

    /// The bytes of entry `id`.
    func bytes(of id: Int) -> ArraySlice<UInt8> { arena[offsets[id]..<offsets[id + 1]] }

    /// Whether entry `a` sorts before entry `b` by bytes.
    func precedes(_ a: Int, _ b: Int) -> Bool {
        let aStart = offsets[a], aCount = offsets[a + 1] - aStart
        let bStart = offsets[b], bCount = offsets[b + 1] - bStart
        return arena.withUnsafeBufferPointer { buf -> Bool in
            guard let base = buf.baseAddress else { return aCount < bCount }
            let c = memcmp(base + aStart, base + bStart, min(aCount, bCount))
            return c != 0 ? c < 0 : aCount < bCount
        }
    }

    /// Calls `body` with the bytes of entry `id`, without copying.
    func withBytes<R>(of id: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try arena.withUnsafeBufferPointer { buf in
            try body(UnsafeBufferPointer(rebasing: buf[offsets[id]..<offsets[id + 1]]))
        }
    }

    /// Entry `id` as a String (the caller has checked it is valid UTF-8).
    func string(of id: Int) -> String { String(decoding: bytes(of: id), as: UTF8.self) }
}

#if canImport(Glibc)
import Glibc
#endif
