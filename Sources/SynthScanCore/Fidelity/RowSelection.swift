/// The rows of one table a fidelity metric reads: every row, a list of row numbers, or a mask.
///
/// Slices for subgroups (a protected cell's rows) are described by an index list or a mask over
/// the original table, so a per-subgroup metric copies no column: the metrics read the table's
/// columns through the selection.
public enum RowSelection: Sendable {
    /// Every row of the column.
    case all
    /// These rows (0-based, any order); a row listed twice counts twice (a bootstrap sample).
    case indices([Int])
    /// The rows whose flag is true (the mask is as long as the column).
    case mask([Bool])

    /// Calls `body` with every selected row of a column of `rowCount` rows, in increasing order
    /// for `.all` and `.mask`, in the given order for `.indices`.
    @inlinable
    public func forEach(rowCount: Int, _ body: (Int) -> Void) {
        switch self {
        case .all: for row in 0..<rowCount { body(row) }
        case .indices(let rows): for row in rows { body(row) }
        case .mask(let flags): for row in 0..<Swift.min(rowCount, flags.count) where flags[row] { body(row) }
        }
    }

    /// Number of selected rows of a column of `rowCount` rows.
    public func count(rowCount: Int) -> Int {
        switch self {
        case .all: rowCount
        case .indices(let rows): rows.count
        case .mask(let flags):
            flags.prefix(rowCount).reduce(0) { $0 + ($1 ? 1 : 0) }
        }
    }
}

/// One column of one table restricted to some of its rows: what every fidelity metric reads on
/// the real and on the synthetic side.
public struct ColumnSlice: Sendable {
    /// The column (not copied: arrays are shared).
    public let column: Column
    /// The rows read.
    public let rows: RowSelection

    /// The column restricted to `rows` (every row by default).
    public init(_ column: Column, rows: RowSelection = .all) {
        self.column = column
        self.rows = rows
    }

    /// Number of selected rows (missing ones included).
    public var count: Int { rows.count(rowCount: column.count) }

    /// The selected present values of a numeric or datetime column (missing and NaN left out, as
    /// pandas `dropna`), in row order; empty for a coded column.
    public func presentValues() -> [Double] {
        guard case .numeric(let values, let missing) = column.storage else { return [] }
        var out: [Double] = []
        out.reserveCapacity(count)
        rows.forEach(rowCount: values.count) { row in
            if !missing.isMissing(row), !values[row].isNaN { out.append(values[row]) }
        }
        return out
    }

    /// Per-code counts of the selected rows of a coded column (`dictionarySize` codes; missing
    /// rows are counted in `missing`), or nil for a numeric column.
    func codeCounts() -> (counts: [Int], missing: Int)? {
        guard case .coded(let codes, let dictionary) = column.storage else { return nil }
        var counts = [Int](repeating: 0, count: dictionary.count)
        var missing = 0
        rows.forEach(rowCount: codes.count) { row in
            let code = codes[row]
            if code == Column.missingCode || Int(code) >= counts.count { missing += 1 } else { counts[Int(code)] += 1 }
        }
        return (counts, missing)
    }

    /// Number of selected rows that hold no value (a NaN in a numeric column counts as missing,
    /// as pandas `isna`).
    public func missingCount() -> Int {
        var n = 0
        switch column.storage {
        case .numeric(let values, let missing):
            rows.forEach(rowCount: values.count) { row in if missing.isMissing(row) || values[row].isNaN { n += 1 } }
        case .coded(let codes, _):
            rows.forEach(rowCount: codes.count) { row in if codes[row] == Column.missingCode { n += 1 } }
        }
        return n
    }
}
