/// Receives the records a reader parses, field by field, without a String per cell.
///
/// Readers call `beginRecord`, then `field` once per field (JSON Lines may skip absent keys
/// and report them with `missingField`), then `endRecord`. The byte buffers are only valid
/// during the call.
protocol RecordSink {
    /// The column names, before any record (`line` is where they were read).
    mutating func header(_ names: [String], line: Int) throws
    /// A new record starts on `line` (1-based).
    mutating func beginRecord(line: Int) throws
    /// The field at position `index` holds `bytes` (quotes removed and unescaped).
    mutating func field(_ index: Int, _ bytes: UnsafeBufferPointer<UInt8>) throws
    /// The field at `index` is explicitly null (JSON `null`).
    mutating func nullField(_ index: Int) throws
    /// The record ended after `fieldCount` fields.
    mutating func endRecord(fieldCount: Int) throws
}
