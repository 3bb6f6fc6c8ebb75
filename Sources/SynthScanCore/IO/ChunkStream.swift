/// The read loop shared by the record readers: a window over the file that is refilled chunk by
/// chunk, carrying the incomplete record at its end over to the next round.
///
/// Each round reads into the free end of the window (doubling the window when a record fills
/// it), then hands the reader every byte read so far that it has not consumed. The reader
/// parses the complete records, returns how many bytes they took, and the rest moves to the
/// front of the window for the next round. One UTF-8 byte-order mark is skipped at byte offset
/// 0 of the file, and only there, whatever the chunk size. Memory is one chunk plus the longest
/// record; nothing is allocated per byte or per record.
struct ChunkStream {
    /// The file being read.
    let file: ChunkedFileReader
    /// Bytes read per call to the file at first (the window grows for longer records).
    let chunkSize: Int

    /// Calls `parse` once per round until the file ends.
    ///
    /// `parse(data, start, isFinal)`: `data` holds the unconsumed bytes, from the start of the
    /// first incomplete record (the window may be rewritten in place, within `data`); parsing
    /// begins at `start` (3 past a byte-order mark at the start of the file, else 0); `isFinal`
    /// says the file has ended, so `data` must be consumed completely. It returns the bytes
    /// consumed from the front of `data` (at least `start`), whole records only.
    func forEachWindow(
        _ parse: (_ data: UnsafeMutableBufferPointer<UInt8>, _ start: Int, _ isFinal: Bool) throws -> Int
    ) throws {
        var window = [UInt8](repeating: 0, count: max(1, chunkSize))
        var filled = 0          // bytes of the window holding data
        var atFileStart = true  // window[0] is byte 0 of the file
        while true {
            if filled == window.count { window.append(contentsOf: repeatElement(0, count: window.count)) }
            let n = try window.withUnsafeMutableBytes { (raw) throws -> Int in
                try file.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...]))
            }
            let isFinal = n == 0
            filled += n
            var start = 0
            if atFileStart {
                if filled < 3 && !isFinal { continue }
                atFileStart = false
                if filled >= 3 && window[0] == 0xEF && window[1] == 0xBB && window[2] == 0xBF { start = 3 }
            }
            let consumed = try window.withUnsafeMutableBufferPointer { (buf) throws -> Int in
                try parse(UnsafeMutableBufferPointer(rebasing: buf[..<filled]), start, isFinal)
            }
            if isFinal { return }
            // Keep the incomplete tail for the next round.
            let tail = filled - consumed
            if consumed > 0 && tail > 0 {
                window.withUnsafeMutableBufferPointer { buf in
                    guard let base = buf.baseAddress else { return }
                    base.update(from: base + consumed, count: tail)
                }
            }
            filled = tail
        }
    }
}
