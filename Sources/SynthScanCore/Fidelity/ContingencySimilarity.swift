import Foundation

/// SDMetrics `ContingencySimilarity` of two columns of any type but text:
/// 1 − ½ Σ_cells |p_R(cell) − p_S(cell)| over the union of the cells of the two tables' 2-way
/// contingency tables (shares of all rows of the slice).
///
/// Source: sdmetrics 0.32.0 `column_pairs/statistical/contingency_similarity.py` with
/// `utils.py::discretize_column`:
/// - numeric and datetime columns are continuous: binned on `np.histogram_bin_edges` of the real
///   present values with `numDiscreteBins` equal-width bins (edges start + i·step with
///   step = (max − min)/bins, as numpy's `linspace`; a constant column spans min ± 0.5; an empty
///   one 0…1), the outer edges replaced by ∓∞, then `np.digitize` (a value on an inner edge goes
///   to the upper bin). Datetimes are binned in nanoseconds, as `pd.to_numeric` gives them;
/// - missing is a cell value of its own (`groupby(dropna=False)`; a missing number lands in
///   `np.digitize`'s overflow bin);
/// - with `realAssociationThreshold` > 0: nil when the real table has fewer than two rows or
///   columns of observed values, or Cramér's V of the real table (scipy `stats.contingency.
///   association(method='cramer')`, χ² without continuity correction) is ≤ the threshold.
///
/// Deliberate difference: an empty real or synthetic slice is nil; SDMetrics divides by a zero row
/// count there and returns a number with no meaning (0.5 or 1). The row subsample of SDMetrics
/// (`num_rows_subsample`, default None) is not offered.
public enum ContingencySimilarity {
    /// SDMetrics' default number of bins for a continuous column.
    public static let defaultBins = 10

    /// The score of the synthetic pair against the real pair (each pair's two slices select the
    /// same rows).
    public static func score(real: (ColumnSlice, ColumnSlice), synthetic: (ColumnSlice, ColumnSlice),
                             numDiscreteBins: Int = defaultBins, realAssociationThreshold: Double = 0) -> Double? {
        guard numDiscreteBins > 0,
              let first = Discretizer(real: real.0, bins: numDiscreteBins),
              let second = Discretizer(real: real.1, bins: numDiscreteBins) else { return nil }
        let width = second.levelCount
        let cells = first.levelCount * width
        var countsR = [Int](repeating: 0, count: cells), countsS = [Int](repeating: 0, count: cells)
        guard tally(real, first, second, into: &countsR), tally(synthetic, first, second, into: &countsS) else { return nil }
        let nR = countsR.reduce(0, +), nS = countsS.reduce(0, +)
        guard nR > 0, nS > 0 else { return nil }
        if realAssociationThreshold > 0 {
            guard let v = cramersV(countsR, rows: first.levelCount, columns: width), v > realAssociationThreshold else { return nil }
        }
        var variation = 0.0
        for c in 0..<cells where countsR[c] > 0 || countsS[c] > 0 {
            variation += abs(Double(countsR[c]) / Double(nR) - Double(countsS[c]) / Double(nS)) / 2
        }
        return 1 - variation
    }

    /// Counts the slice pair's rows per cell (false when the slices differ in length).
    static func tally(_ pair: (ColumnSlice, ColumnSlice), _ a: Discretizer, _ b: Discretizer, into counts: inout [Int]) -> Bool {
        let rows = pair.0.column.count
        guard rows == pair.1.column.count else { return false }
        let width = b.levelCount
        pair.0.rows.forEach(rowCount: rows) { row in
            counts[a.level(pair.0.column, row) * width + b.level(pair.1.column, row)] += 1
        }
        return true
    }

    /// Cramér's V of a rows × columns table of counts, over its non-empty rows and columns: nil
    /// when fewer than two of either remain (SDMetrics returns NaN there).
    static func cramersV(_ counts: [Int], rows: Int, columns: Int) -> Double? {
        var rowSums = [Double](repeating: 0, count: rows), columnSums = [Double](repeating: 0, count: columns)
        for r in 0..<rows { for c in 0..<columns { rowSums[r] += Double(counts[r * columns + c]); columnSums[c] += Double(counts[r * columns + c]) } }
        let usedRows = rowSums.indices.filter { rowSums[$0] > 0 }, usedColumns = columnSums.indices.filter { columnSums[$0] > 0 }
        guard usedRows.count >= 2, usedColumns.count >= 2 else { return nil }
        let n = rowSums.reduce(0, +)
        var chi2 = 0.0
        for r in usedRows {
            for c in usedColumns {
                let expected = rowSums[r] * columnSums[c] / n
                let d = Double(counts[r * columns + c]) - expected
                chi2 += d * d / expected
            }
        }
        return (chi2 / n / Double(Swift.min(usedRows.count, usedColumns.count) - 1)).squareRoot()
    }

    /// Maps a column's rows to cell levels: dictionary codes (+ missing) for coded columns,
    /// histogram bins of the real values (+ missing) for numeric and datetime ones.
    struct Discretizer {
        /// Inner bin edges (numeric columns; empty for coded ones).
        let innerEdges: [Double]
        /// Multiplier to the unit the edges are in (1e9: datetime seconds → nanoseconds).
        let scale: Double
        /// Levels: categories or bins, then missing.
        let levelCount: Int
        /// Whether the column is coded.
        let coded: Bool

        init?(real: ColumnSlice, bins: Int) {
            switch real.column.storage {
            case .coded(_, let dictionary):
                innerEdges = []; scale = 1; coded = true; levelCount = dictionary.count + 1
            case .numeric:
                guard real.column.type != .text else { return nil }
                let factor = real.column.type == .datetime ? 1e9 : 1
                scale = factor
                coded = false
                innerEdges = Self.histogramInnerEdges(real.presentValues().map { $0 * factor }, bins: bins)
                levelCount = bins + 1
            }
        }

        /// numpy `histogram_bin_edges(values, bins)` without its two outer edges.
        static func histogramInnerEdges(_ values: [Double], bins: Int) -> [Double] {
            var first = 0.0, last = 1.0
            if let lo = values.min(), let hi = values.max() { first = lo; last = hi }
            if first == last { first -= 0.5; last += 0.5 }
            let step = (last - first) / Double(bins)
            return (1..<bins).map { Double($0) * step + first }
        }

        /// The level of `row` of `column` (which must have the storage this was built for).
        @inline(__always)
        func level(_ column: Column, _ row: Int) -> Int {
            switch column.storage {
            case .coded(let codes, _):
                let code = codes[row]
                return code == Column.missingCode || Int(code) >= levelCount - 1 ? levelCount - 1 : Int(code)
            case .numeric(let values, let missing):
                let v = values[row]
                if missing.isMissing(row) || v.isNaN || coded { return levelCount - 1 }
                let x = v * scale
                // np.digitize (right=False): the number of inner edges ≤ x.
                var low = 0, high = innerEdges.count
                while low < high {
                    let mid = (low + high) / 2
                    if innerEdges[mid] <= x { low = mid + 1 } else { high = mid }
                }
                return low
            }
        }
    }
}
