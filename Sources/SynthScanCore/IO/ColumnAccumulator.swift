#if canImport(Glibc)
import Glibc
#endif

/// Builds one column of one table while the file streams by, inferring its type as it goes.
///
/// A column starts with no type. The first value decides: a decimal number makes it numeric,
/// an ISO 8601 date or timestamp makes it datetime, anything else categorical. A later value
/// that does not fit turns a numeric or datetime column categorical (earlier values are
/// re-expressed in their canonical text). An integer literal beyond 2^53 in magnitude does not
/// fit a numeric column: Float64 would merge it with its neighbours, and such long integers are
/// record codes, so the column is categorical and keeps every code distinct (a type forced to
/// numeric still reads them as Float64). Categorical values are interned once per distinct
/// value; booleans and free text are told apart later from the distinct values of all tables.
/// A type forced by the configuration is checked on every value instead.
struct ColumnAccumulator {
    /// What the column holds so far.
    enum Mode: Equatable {
        case allMissing
        case numeric
        case datetime
        case categorical
    }

    let name: String
    let forcedType: ColumnType?
    private(set) var mode: Mode = .allMissing
    private(set) var rows = 0
    /// Float64 storage (numeric and datetime modes).
    private(set) var values: [Double] = []
    private(set) var missing = MissingMask()
    /// Interned ids (categorical mode); `Column.missingCode` for missing.
    private(set) var codes: [UInt32] = []
    private(set) var interner = ByteInterner()
    /// Line of the first value that did not fit the numeric or datetime type (nil if none).
    private(set) var firstMisfitLine: Int?
    /// The mode before the first misfit.
    private(set) var modeBeforeMisfit: Mode?
    /// Line of the first value stored as a category (for type-conflict messages).
    private(set) var firstCategoryLine: Int?
    /// Whether every categorical value reads as a number once leading zeros are allowed (codes such as ZIP prefixes).
    private(set) var allCategoriesNumberLike = true
    /// Line of the first integer beyond 2^53 that kept the column from being numeric (nil if none).
    private(set) var firstWideIntegerLine: Int?

    init(name: String, forcedType: ColumnType?) {
        self.name = name
        self.forcedType = forcedType
        switch forcedType {
        case .numeric?: mode = .numeric
        case .datetime?: mode = .datetime
        case .categorical?, .text?, .boolean?: mode = .categorical
        case nil: mode = .allMissing
        }
    }

    /// Appends a missing value.
    mutating func appendMissing() {
        switch mode {
        case .allMissing: break
        case .numeric, .datetime:
            values.append(0)
            missing.append(true)
        case .categorical:
            codes.append(Column.missingCode)
        }
        rows += 1
    }

    /// Appends a present value (already trimmed, not a missing token).
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>, line: Int, path: String) throws {
        switch mode {
        case .allMissing:
            if let v = NumberParser.parse(bytes) {
                if NumberParser.isIntegerBeyondFloat64(bytes, value: v) {
                    firstWideIntegerLine = line
                    becomeCategorical()
                    try appendCategory(bytes, line: line, path: path)
                    return
                }
                becomeNumeric(.numeric)
                appendNumber(v)
            } else if let v = DateTimeParser.parse(bytes) {
                becomeNumeric(.datetime)
                appendNumber(v)
            } else {
                becomeCategorical()
                try appendCategory(bytes, line: line, path: path)
            }
            return
        case .numeric:
            if let v = NumberParser.parse(bytes, allowLeadingZeros: forcedType == .numeric) {
                if forcedType != nil || !NumberParser.isIntegerBeyondFloat64(bytes, value: v) {
                    appendNumber(v)
                    return
                }
                firstWideIntegerLine = line
            }
        case .datetime:
            if let v = DateTimeParser.parse(bytes) {
                appendNumber(v)
                return
            }
        case .categorical:
            try appendCategory(bytes, line: line, path: path)
            return
        }
        // The value does not fit a numeric or datetime column.
        if let forcedType {
            throw InputError.valueDoesNotMatchType(path: path, line: line, field: name, expected: forcedType)
        }
        firstMisfitLine = line
        modeBeforeMisfit = mode
        convertToCategorical()
        try appendCategory(bytes, line: line, path: path)
    }

    private mutating func appendNumber(_ v: Double) {
        values.append(v)
        missing.append(false)
        rows += 1
    }

    private mutating func appendCategory(_ bytes: UnsafeBufferPointer<UInt8>, line: Int, path: String) throws {
        if firstCategoryLine == nil { firstCategoryLine = line }
        let (id, isNew) = interner.intern(bytes, line: line)
        if isNew {
            if String(validating: bytes, as: UTF8.self) == nil {
                throw InputError.invalidUTF8(path: path, line: line, field: name)
            }
            if allCategoriesNumberLike && NumberParser.parse(bytes, allowLeadingZeros: true) == nil {
                allCategoriesNumberLike = false
            }
            if forcedType == .boolean && BooleanTokens.value(of: bytes) == nil {
                throw InputError.valueDoesNotMatchType(path: path, line: line, field: name, expected: .boolean)
            }
        }
        codes.append(id)
        rows += 1
    }

    /// Leaves the all-missing state for numeric storage, back-filling the missing rows.
    private mutating func becomeNumeric(_ newMode: Mode) {
        mode = newMode
        values = [Double](repeating: 0, count: rows)
        missing = MissingMask(count: 0)
        for _ in 0..<rows { missing.append(true) }
    }

    /// Leaves the all-missing state for coded storage, back-filling the missing rows.
    private mutating func becomeCategorical() {
        mode = .categorical
        codes = [UInt32](repeating: Column.missingCode, count: rows)
    }

    /// Re-expresses numeric or datetime values as categories (their canonical text).
    mutating func convertToCategorical() {
        let wasDatetime = mode == .datetime
        codes = []
        codes.reserveCapacity(values.count)
        for r in 0..<values.count {
            if missing.isMissing(r) { codes.append(Column.missingCode); continue }
            let text = wasDatetime ? DateTimeParser.canonicalText(values[r]) : NumberParser.canonicalText(values[r])
            var utf8 = Array(text.utf8)
            let id = utf8.withUnsafeMutableBufferPointer { interner.intern(UnsafeBufferPointer($0), line: 0).id }
            codes.append(id)
        }
        values = []
        missing = MissingMask()
        mode = .categorical
    }
}

/// The words read as booleans (case-insensitive): true/false, yes/no.
enum BooleanTokens {
    /// true, false, or nil if `bytes` is not a boolean word.
    static func value<C: Collection<UInt8>>(of bytes: C) -> Bool? {
        var lower: [UInt8] = []
        lower.reserveCapacity(5)
        for b in bytes {
            guard lower.count < 5 else { return nil }
            lower.append(b >= 65 && b <= 90 ? b + 32 : b)
        }
        switch lower {
        case Array("true".utf8), Array("yes".utf8): return true
        case Array("false".utf8), Array("no".utf8): return false
        default: return nil
        }
    }
}

/// The values read as missing, compared byte for byte after trimming.
struct MissingTokens: Sendable {
    /// All tokens' bytes, back to back.
    private let bytes: [UInt8]
    /// Start offset of each token in `bytes`, plus the end.
    private let offsets: [Int]
    /// Whether the empty string is a token.
    private let includesEmpty: Bool
    /// Length of the longest token.
    private let maxLength: Int

    /// Creates the token set.
    init(_ tokens: [String]) {
        var bytes: [UInt8] = [], offsets = [0]
        for t in tokens where !t.isEmpty {
            bytes.append(contentsOf: t.utf8)
            offsets.append(bytes.count)
        }
        self.bytes = bytes
        self.offsets = offsets
        includesEmpty = tokens.contains("")
        maxLength = tokens.map(\.utf8.count).max() ?? 0
    }

    /// Whether `value` is a missing-value token.
    @inline(__always)
    func contains(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        if value.isEmpty { return includesEmpty }
        if value.count > maxLength { return false }
        return bytes.withUnsafeBufferPointer { all in
            guard let base = all.baseAddress, let v = value.baseAddress else { return false }
            for k in 0..<(offsets.count - 1) where offsets[k + 1] - offsets[k] == value.count {
                if memcmp(base + offsets[k], v, value.count) == 0 { return true }
            }
            return false
        }
    }
}
