import Dispatch

/// Runs independent pieces of work on all cores. The one place that shares a results buffer
/// across threads: each index writes only its own slot.
enum Parallel {
    /// Calls `body(i)` for `i` in `0..<count`, concurrently, and returns the results in index order.
    static func map<T>(_ count: Int, _ body: (Int) throws -> T) rethrows -> [T] {
        if count == 0 { return [] }
        if count == 1 { return [try body(0)] }
        var results = [Result<T, any Error>?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let slots = buffer
            withoutActuallyEscaping(body) { body in
                nonisolated(unsafe) let work = body
                DispatchQueue.concurrentPerform(iterations: count) { i in
                    slots[i] = Result { try work(i) }
                }
            }
        }
        return try results.map { try $0!.get() }
    }

    /// Splits `0..<count` into at most `chunks` contiguous ranges of near-equal size.
    static func ranges(_ count: Int, chunks: Int) -> [Range<Int>] {
        let n = max(1, min(chunks, count))
        return (0..<n).map { k in (count * k / n)..<(count * (k + 1) / n) }
    }

    /// The number of chunks to split row-parallel work into (fixed, so results do not depend on core count).
    static let defaultChunkCount = 16
}
