/// SDMetrics `CorrelationSimilarity` of two numeric or datetime columns: 1 − |ρ_R − ρ_S| / 2,
/// ρ Pearson's or Spearman's correlation of the pair on each table.
///
/// Source: sdmetrics 0.32.0 `column_pairs/statistical/correlation_similarity.py`, with scipy
/// `stats.pearsonr` / `stats.spearmanr` (ranks with ties averaged, then Pearson of the ranks):
/// rows where either value is missing are dropped (pairwise `dropna`); datetimes as numbers
/// (correlations are invariant to the unit). Undefined (nil) where SDMetrics raises or returns NaN:
/// - a column with exactly one distinct present value in the real or synthetic slice
///   (`ConstantInputError`, checked before the pairwise drop);
/// - fewer than two complete rows (scipy raises), or a column constant over the complete rows;
/// - |ρ_R| ≤ `realCorrelationThreshold` (the real pair is not considered correlated).
/// Nil for coded columns.
public enum CorrelationSimilarity {
    /// The correlation coefficient compared.
    public enum Coefficient: String, Sendable, CaseIterable {
        /// Pearson's product-moment correlation.
        case pearson = "Pearson"
        /// Spearman's rank correlation.
        case spearman = "Spearman"
    }

    /// The score of the synthetic pair against the real pair. `realCorrelationThreshold` is in
    /// 0...1 (SDMetrics default 0).
    public static func score(real: (ColumnSlice, ColumnSlice), synthetic: (ColumnSlice, ColumnSlice),
                             coefficient: Coefficient = .pearson, realCorrelationThreshold: Double = 0) -> Double? {
        guard let r = pairs(real.0, real.1), let s = pairs(synthetic.0, synthetic.1) else { return nil }
        guard !r.constant, !s.constant else { return nil }
        guard let rhoR = correlation(r.x, r.y, coefficient), abs(rhoR) > realCorrelationThreshold else { return nil }
        guard let rhoS = correlation(s.x, s.y, coefficient) else { return nil }
        return 1 - abs(rhoR - rhoS) / 2
    }

    /// The complete (both present) pairs of two slices over the same rows, and whether either
    /// column has exactly one distinct present value before the pairwise drop.
    static func pairs(_ a: ColumnSlice, _ b: ColumnSlice) -> (x: [Double], y: [Double], constant: Bool)? {
        guard case .numeric(let xs, let xm) = a.column.storage, case .numeric(let ys, let ym) = b.column.storage,
              xs.count == ys.count else { return nil }
        var x: [Double] = [], y: [Double] = []
        x.reserveCapacity(a.count); y.reserveCapacity(a.count)
        var xFirst = Double.nan, yFirst = Double.nan, xVaries = false, yVaries = false, xAny = false, yAny = false
        a.rows.forEach(rowCount: xs.count) { row in
            let xOK = !xm.isMissing(row) && !xs[row].isNaN, yOK = !ym.isMissing(row) && !ys[row].isNaN
            if xOK { if !xAny { xAny = true; xFirst = xs[row] } else if xs[row] != xFirst { xVaries = true } }
            if yOK { if !yAny { yAny = true; yFirst = ys[row] } else if ys[row] != yFirst { yVaries = true } }
            if xOK && yOK { x.append(xs[row]); y.append(ys[row]) }
        }
        return (x, y, (xAny && !xVaries) || (yAny && !yVaries))
    }

    /// Pearson or Spearman correlation (nil for fewer than two pairs or a constant side).
    public static func correlation(_ x: [Double], _ y: [Double], _ coefficient: Coefficient) -> Double? {
        guard x.count >= 2, x.count == y.count else { return nil }
        switch coefficient {
        case .pearson: return pearson(x, y)
        case .spearman: return pearson(averageRanks(x), averageRanks(y))
        }
    }

    /// Pearson's r as scipy computes it: centred vectors, each scaled to unit length, their dot
    /// product clipped to [−1, 1]; nil when a side is constant.
    static func pearson(_ x: [Double], _ y: [Double]) -> Double? {
        let n = Double(x.count)
        if x.allSatisfy({ $0 == x[0] }) || y.allSatisfy({ $0 == y[0] }) { return nil }
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxx = 0.0, syy = 0.0, sxy = 0.0
        for i in x.indices {
            let dx = x[i] - mx, dy = y[i] - my
            sxx += dx * dx; syy += dy * dy; sxy += dx * dy
        }
        guard sxx > 0, syy > 0 else { return nil }
        return Swift.min(1, Swift.max(-1, sxy / (sxx.squareRoot() * syy.squareRoot())))
    }

    /// Ranks 1...n with ties given their average rank (scipy `rankdata(method='average')`).
    static func averageRanks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j { ranks[order[k]] = rank }
            i = j + 1
        }
        return ranks
    }
}
