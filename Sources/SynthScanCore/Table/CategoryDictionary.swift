/// The sorted, de-duplicated labels of one categorical (or text, or boolean) column.
///
/// One dictionary is shared by the train, holdout and synthetic tables, so a code means
/// the same label in every table. Labels are sorted by their UTF-8 bytes, which makes codes
/// independent of row order and of which table a label was first seen in.
public struct CategoryDictionary: Sendable, Equatable {
    /// Labels in code order (code `i` is `labels[i]`).
    public let labels: [String]

    /// Creates a dictionary from labels already sorted and unique.
    public init(sortedUniqueLabels: [String]) {
        labels = sortedUniqueLabels
    }

    /// The dictionary of a boolean column: 0 = "false", 1 = "true".
    public static let boolean = CategoryDictionary(sortedUniqueLabels: ["false", "true"])

    /// Number of labels.
    public var count: Int { labels.count }

    /// The code of `label`, if present (binary search over the byte order).
    public func code(of label: String) -> UInt32? {
        var low = 0, high = labels.count
        let key = Array(label.utf8)
        while low < high {
            let mid = (low + high) / 2
            let cmp = Self.compareBytes(Array(labels[mid].utf8), key)
            if cmp == 0 { return UInt32(mid) }
            if cmp < 0 { low = mid + 1 } else { high = mid }
        }
        return nil
    }

    /// Lexicographic comparison of byte strings: negative, zero or positive.
    static func compareBytes(_ a: [UInt8], _ b: [UInt8]) -> Int {
        let n = min(a.count, b.count)
        for i in 0..<n where a[i] != b[i] { return Int(a[i]) - Int(b[i]) }
        return a.count - b.count
    }
}
