import Foundation

/// Protected subgroups whose share of the synthetic release differs from their share of the
/// training data, and whether the release systematically shrinks or flattens the small groups.
///
/// Definitions (train = T with N_T rows, synthetic = S with N_S rows; a *cell* g is a combination
/// of levels of the protected attributes up to `order`, see `CellIndex`):
/// - **Shares.** p_R(g) = n_T(g) / N_T, p_S(g) = n_S(g) / N_S. Cells with 1 to `min_real_count` − 1
///   training patients are counted in `cells_skipped_small`, not judged (`min_real_count` ≥ 11, so
///   no judged figure comes from a count under 11).
/// - **Log disparity** d(g) = logit p_S(g) − logit p_R(g), the log odds ratio of the 2×2 table
///   (a, b, c, d) = (n_S(g), N_S − n_S(g), n_T(g), N_T − n_T(g)) (cell vs rest, synthetic vs train),
///   with Woolf's standard error se = √(1/a + 1/b + 1/c + 1/d) (Woolf 1955, "On estimating the
///   relation between blood group and disease", Ann. Hum. Genet. 19:251–253); when a count is 0,
///   0.5 is added to all four (Haldane–Anscombe). 95% interval d ± 1.96·se.
/// - **p-value**: two-sided score test of p_S(g) = p_R(g) (Pearson's χ² of the same 2×2 table, the
///   pooled two-proportion z), not the Wald z = d / se: the Wald statistic loses power as the effect
///   grows (Hauck & Donner 1977, JASA 72:851–853) and collapses for an emptied cell, where the 0.5
///   correction makes se ≥ √2 (a group of 57 of 2,000 patients absent from a release of 2,000 gets
///   Wald p ≈ 1e-3 but score p ≈ 3e-14). q-values by Benjamini & Hochberg (1995) across the judged
///   cells.
/// - **Share ratio** p_S(g) / p_R(g) with the Katz log interval exp(log r ± 1.96·√(1/a − 1/N_S +
///   1/c − 1/N_T)) (Katz, Baptista, Azen & Pike 1978, Biometrics 34:469–474), a = 0.5 when 0.
/// - **Verdict per cell.** With the odds-ratio interval [L, U] = exp(d ± 1.96·se) and the band
///   [1/`tolerance`, `tolerance`]: **fail** when U < 1/tolerance or L > tolerance and q < `alpha`;
///   **inconclusive** when the interval crosses a band edge, or lies outside the band without
///   q < `alpha` (skew not established at the false discovery rate); **pass** when it lies inside
///   the band. Direction: **under**-represented when d < 0, **over**-represented when d > 0.
/// - **Matthew / Robin Hood slope.** Weighted least squares of d(g) on x(g) = log p_R(g) over the
///   judged cells, weights w = 1/se²: slope β = Σw(x−x̄)(d−d̄) / Σw(x−x̄)², se(β) = 1/√Σw(x−x̄)²
///   (variances taken as known). β > 0: the smaller a group, the more it shrinks and the larger
///   groups gain (Matthew effect: d rises with the real share); β < 0: small groups are inflated and
///   large ones deflated (Robin Hood effect), the two effects Ganev, Oprisanu & De Cristofaro
///   (ICML 2022) found in differentially private generators. (With x = log p_R a Matthew effect has
///   a positive slope: small x, d < 0; large x, d > 0.) The effect
///   is named only when |β| > 1.96·se(β). Cells overlap (margins and pairs share rows), so se(β)
///   is approximate; sampling noise in p_R, which enters x and (negatively) d, biases β slightly
///   towards a Robin Hood effect (≈ −mean(1/n_T) / var(x), small when cells hold ≥ 20 patients).
///   Reported with at least three judged cells; it does not decide the verdict.
///
/// Small cells: judged cells have ≥ 11 training patients. A failing one-attribute cell whose real
/// count would, with its printed pair sub-cells, reveal a count of 1 to 10
/// (`CellIndex.marginsRevealingSmallCells`) has its real-share figures (share ratio, shares)
/// withheld from its finding; `SmallCellGuard`.
public struct RepresentationSkewCheck: Check {
    public static let kind = "representation-skew"
    public static let summary = "Compares each protected subgroup's share of the release with its share of the training data (log odds disparity with Woolf interval, share ratio with Katz interval, Benjamini–Hochberg q-values) and measures whether small groups shrink (Matthew effect: positive slope of the disparity on the log real share) or are flattened (Robin Hood effect: negative slope)."
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("columns", .columns, default: .list([]),
                      doc: "Protected attributes the cells are made of; empty = the columns with the protected role (the rule is skipped when there are none). Numeric and datetime attributes need `bands` in the configuration."),
        ParameterSpec("order", .integer(1...2), default: .integer(2),
                      doc: "1 = every attribute alone; 2 = also every pair of attributes."),
        ParameterSpec("min_real_count", .integer(11...1_000_000), default: .integer(20),
                      doc: "Training patients a cell needs to be judged (at least 11: small-cell rule)."),
        ParameterSpec("tolerance", .number(NumberBounds(1, 100, lowerInclusive: false)), default: .number(1.25),
                      doc: "Accepted band for the odds ratio of a cell's synthetic vs real share: [1/tolerance, tolerance] (1.25 = ±25% on the odds). A cell fails only when its whole 95% interval lies outside the band."),
        ParameterSpec("alpha", .number(NumberBounds(0, 0.5, lowerInclusive: false)), default: .number(0.01),
                      doc: "False discovery rate over the judged cells (Benjamini–Hochberg q < alpha is required to fail)."),
        ParameterSpec("max_findings", .integer(0...1_000_000), default: .integer(1000),
                      doc: "Findings listed; the rest are counted in `findings_truncated`."),
    ]
    public static let measurements: [MeasurementSpec] = [
        MeasurementSpec("synthetic_rows", "Rows in the synthetic table."),
        MeasurementSpec("protected_columns", "Protected attributes the cells are made of."),
        MeasurementSpec("cells_judged", "Cells with at least min_real_count training patients."),
        MeasurementSpec("cells_skipped_small", "Cells with 1 to min_real_count − 1 training patients, not judged."),
        MeasurementSpec("cells_failing", "Judged cells whose odds-ratio interval lies outside the tolerance band with BH q < alpha."),
        MeasurementSpec("cells_under", "Failing cells that are under-represented in the release."),
        MeasurementSpec("cells_over", "Failing cells that are over-represented in the release."),
        MeasurementSpec("cells_inconclusive", "Judged cells whose interval crosses a band edge, or lies outside the band without q < alpha."),
        MeasurementSpec("max_abs_log_disparity", "Largest |logit p_S − logit p_R| over the judged cells.", optional: true),
        MeasurementSpec("matthew_slope", "Weighted least-squares slope (weights 1/se²) of the log disparity on log p_R: positive = small groups shrink while large ones gain (Matthew effect), negative = small groups inflated and large ones deflated (Robin Hood effect); with at least three judged cells.", optional: true),
        MeasurementSpec("matthew_slope_se", "Standard error of matthew_slope.", optional: true),
        MeasurementSpec("findings_truncated", "Findings counted but not listed because of max_findings.", optional: true),
    ]

    /// Creates the check.
    public init() {}

    static let z = 1.959963984540054

    /// The figures of one judged cell.
    struct Judged {
        var cell: CellIndex.Cell
        var realShare: Double
        var syntheticShare: Double
        /// logit p_S − logit p_R (continuity-corrected when a count is 0).
        var logDisparity: Double
        var se: Double
        var pValue: Double
        var qValue = 1.0
        var shareRatio: Double
        var shareRatioLow: Double
        var shareRatioHigh: Double
        var oddsLow: Double { exp(logDisparity - RepresentationSkewCheck.z * se) }
        var oddsHigh: Double { exp(logDisparity + RepresentationSkewCheck.z * se) }
    }

    enum Verdict { case pass, inconclusive, fail }

    /// Figures of a cell with `s` of `nS` synthetic and `t` of `nT` training rows.
    static func judge(_ cell: CellIndex.Cell, nS: Int, nT: Int) -> Judged {
        let s = cell.synthetic, t = cell.train
        var a = Double(s), b = Double(nS - s), c = Double(t), d = Double(nT - t)
        if s == 0 || s == nS || t == 0 || t == nT { a += 0.5; b += 0.5; c += 0.5; d += 0.5 }
        let logOR = log(a / b) - log(c / d)
        let se = (1 / a + 1 / b + 1 / c + 1 / d).squareRoot()
        let p = scoreTestPValue(s: s, nS: nS, t: t, nT: nT)
        // Katz: ratio of two proportions, 0.5 added to a zero numerator count.
        let sa = s == 0 ? 0.5 : Double(s)
        let ratio = (sa / Double(nS)) / (Double(t) / Double(nT))
        let katz = Swift.max(0, 1 / sa - 1 / Double(nS) + 1 / Double(t) - 1 / Double(nT)).squareRoot()
        return Judged(cell: cell, realShare: Double(t) / Double(nT), syntheticShare: Double(s) / Double(nS),
                      logDisparity: logOR, se: se, pValue: p,
                      shareRatio: s == 0 ? 0 : ratio,
                      shareRatioLow: s == 0 ? 0 : exp(log(ratio) - z * katz),
                      shareRatioHigh: exp(log(ratio) + z * katz))
    }

    /// Two-sided p-value of the score test of p_S = p_R (Pearson's χ² on the 2×2 table without
    /// continuity correction, equivalently the pooled two-proportion z test): z = (p_S − p_R) /
    /// √(p̄(1 − p̄)(1/N_S + 1/N_T)) with p̄ = (n_S + n_T) / (N_S + N_T); 1 when p̄ is 0 or 1.
    static func scoreTestPValue(s: Int, nS: Int, t: Int, nT: Int) -> Double {
        let pooled = Double(s + t) / Double(nS + nT)
        let variance = pooled * (1 - pooled) * (1 / Double(nS) + 1 / Double(nT))
        guard variance > 0 else { return 1 }
        let z = (Double(s) / Double(nS) - Double(t) / Double(nT)) / variance.squareRoot()
        return erfc(abs(z) / 2.0.squareRoot())
    }

    static func verdict(_ j: Judged, tolerance: Double, alpha: Double) -> Verdict {
        let low = j.oddsLow, high = j.oddsHigh
        let outside = high < 1 / tolerance || low > tolerance
        if outside { return j.qValue < alpha ? .fail : .inconclusive }
        let inside = low >= 1 / tolerance && high <= tolerance
        return inside ? .pass : .inconclusive
    }

    /// WLS slope of y on x with weights w, and its standard error (known variances); nil when x does not vary.
    static func weightedSlope(x: [Double], y: [Double], w: [Double]) -> (slope: Double, se: Double)? {
        let sw = w.reduce(0, +)
        guard x.count >= 3, sw > 0 else { return nil }
        let mx = zip(x, w).reduce(0) { $0 + $1.0 * $1.1 } / sw
        let my = zip(y, w).reduce(0) { $0 + $1.0 * $1.1 } / sw
        var sxx = 0.0, sxy = 0.0
        for i in x.indices {
            sxx += w[i] * (x[i] - mx) * (x[i] - mx)
            sxy += w[i] * (x[i] - mx) * (y[i] - my)
        }
        guard sxx > 0 else { return nil }
        return (sxy / sxx, (1 / sxx).squareRoot())
    }

    public func run(rule: RuleDescriptor, context: ScanContext) throws -> RuleOutcome {
        let parameters = rule.parameters
        let id = rule.id
        let protected = try ProtectedCells.columns(for: rule, context: context)
        let order = try parameters.integer("order", rule: id)
        let minReal = try parameters.integer("min_real_count", rule: id)
        let tolerance = try parameters.number("tolerance", rule: id)
        let alpha = try parameters.number("alpha", rule: id)
        let maxFindings = try parameters.integer("max_findings", rule: id)
        let data = context.data
        let nS = data.synthetic.rowCount, nT = data.train.rowCount

        guard !protected.isEmpty else {
            return RuleOutcome(rule: rule, status: .skipped, level: rule.severity,
                               message: ProtectedCells.noProtectedAttribute,
                               measurements: [Measurement("synthetic_rows", Double(nS)), Measurement("protected_columns", 0)], findings: [])
        }
        guard nS > 0, nT > 0 else {
            return RuleOutcome(rule: rule, status: .skipped, level: rule.severity,
                               message: ProtectedCells.emptyTables,
                               measurements: [Measurement("synthetic_rows", Double(nS)), Measurement("protected_columns", Double(protected.count))], findings: [])
        }
        let index = ProtectedCells.index(protected, order: order, context: context)

        var judged: [Judged] = []
        var skippedSmall = 0
        for cell in index.cells where cell.train > 0 {
            guard cell.train >= minReal else { skippedSmall += 1; continue }
            judged.append(Self.judge(cell, nS: nS, nT: nT))
        }
        let q = Statistics.benjaminiHochberg(judged.map(\.pValue))
        for i in judged.indices { judged[i].qValue = q[i] }
        let verdicts = judged.map { Self.verdict($0, tolerance: tolerance, alpha: alpha) }
        let failing = judged.indices.filter { verdicts[$0] == .fail }.map { judged[$0] }
        let under = failing.filter { $0.logDisparity < 0 }, over = failing.filter { $0.logDisparity > 0 }
        let inconclusive = verdicts.filter { $0 == .inconclusive }.count
        let slope = Self.weightedSlope(x: judged.map { log($0.realShare) }, y: judged.map(\.logDisparity),
                                       w: judged.map { 1 / ($0.se * $0.se) })

        var m: [Measurement] = [
            Measurement("synthetic_rows", Double(nS)),
            Measurement("protected_columns", Double(index.columns.count)),
            Measurement("cells_judged", Double(judged.count)),
            Measurement("cells_skipped_small", Double(skippedSmall)),
            Measurement("cells_failing", Double(failing.count)),
            Measurement("cells_under", Double(under.count)),
            Measurement("cells_over", Double(over.count)),
            Measurement("cells_inconclusive", Double(inconclusive)),
        ]
        if let v = judged.map({ abs($0.logDisparity) }).max() { m.append(Measurement("max_abs_log_disparity", v)) }
        if let s = slope { m += [Measurement("matthew_slope", s.slope), Measurement("matthew_slope_se", s.se)] }

        // Findings.
        let withheld = index.marginsRevealingSmallCells
        var findings: [Finding] = []
        for j in failing {
            let c = j.cell
            let direction = j.logDisparity < 0 ? "under-represented" : "over-represented"
            var fm = [Measurement("observed_synthetic", Double(c.synthetic)),
                      Measurement("log_disparity", j.logDisparity), Measurement("log_disparity_se", j.se),
                      Measurement("p_value", j.pValue), Measurement("q_value", j.qValue)]
            let odds = "odds ratio \(Self.f2(exp(j.logDisparity))) (95% CI \(Self.f2(j.oddsLow))–\(Self.f2(j.oddsHigh)))"
            let message: String
            if withheld.contains(c.key) {
                message = "Subgroup \(c.key) is \(direction) in the release (\(c.synthetic) synthetic records; \(odds), outside the tolerance band [\(Self.f2(1 / tolerance)), \(Self.f2(tolerance))]; BH q = \(SubgroupErasureCheck.formatP(j.qValue))). Its share ratio and real share are withheld: with its sub-groups they would reveal a count under 11."
            } else {
                fm += [Measurement("real_count", Double(c.train)), Measurement("real_share", j.realShare),
                       Measurement("synthetic_share", j.syntheticShare), Measurement("share_ratio", j.shareRatio),
                       Measurement("share_ratio_low", j.shareRatioLow), Measurement("share_ratio_high", j.shareRatioHigh)]
                message = "Subgroup \(c.key) is \(direction) in the release: \(Format.percent(j.syntheticShare)) of synthetic records vs \(Format.percent(j.realShare)) of training patients (\(SmallCellGuard.format(c.train))), share ratio \(Self.f2(j.shareRatio)) (95% CI \(Self.f2(j.shareRatioLow))–\(Self.f2(j.shareRatioHigh))); \(odds), outside the tolerance band [\(Self.f2(1 / tolerance)), \(Self.f2(tolerance))]; BH q = \(SubgroupErasureCheck.formatP(j.qValue))."
            }
            findings.append(Finding(
                ruleID: id, level: rule.severity, message: message,
                location: FindingLocation(table: .synthetic, columns: c.columns, subgroup: c.key),
                fingerprint: Self.fingerprint(id, j.logDisparity < 0 ? "under" : "over", c.key),
                measurements: fm))
        }
        if findings.count > maxFindings {
            m.append(Measurement("findings_truncated", Double(findings.count - maxFindings)))
            findings = Array(findings.prefix(maxFindings))
        }

        // Message.
        var parts: [String] = []
        if failing.isEmpty {
            parts.append("No protected subgroup's share of the release is skewed beyond the tolerance band [\(Self.f2(1 / tolerance)), \(Self.f2(tolerance))] on the odds (\(judged.count) judged, \(inconclusive) inconclusive)")
        } else {
            let names = failing.prefix(5).map { "\($0.cell.key) (\($0.logDisparity < 0 ? "under" : "over"))" }.joined(separator: "; ")
            parts.append("\(failing.count) of \(judged.count) protected subgroups judged are skewed beyond the tolerance band: \(under.count) under-represented, \(over.count) over-represented: \(names)\(failing.count > 5 ? " and \(failing.count - 5) more" : ""); \(inconclusive) inconclusive")
        }
        if let s = slope {
            let effect: String
            if abs(s.slope) > Self.z * s.se {
                effect = s.slope > 0 ? "small groups shrink while large ones gain (Matthew effect)" : "small groups are inflated and large ones deflated (Robin Hood effect)"
            } else {
                effect = "no Matthew or Robin Hood effect is established"
            }
            parts.append("Weighted slope of log disparity on log real share \(String(format: "%.3f", s.slope)) (se \(String(format: "%.3f", s.se))): \(effect)")
        }
        if skippedSmall > 0 { parts.append("\(skippedSmall) subgroups with fewer than \(minReal) training patients were not judged") }
        if !index.unbandedColumns.isEmpty {
            parts.append("Numeric protected attributes without `bands` in the configuration were left out: \(index.unbandedColumns.joined(separator: ", "))")
        }
        var outcome = RuleOutcome(rule: rule, status: failing.isEmpty ? .pass : .fail, level: rule.severity,
                                  message: parts.joined(separator: ". ") + ".", measurements: m, findings: findings)
        var verdictByKey: [String: String] = [:]
        for (j, v) in zip(judged, verdicts) {
            verdictByKey[j.cell.key] = switch v {
            case .pass: "pass"
            case .inconclusive: "inconclusive"
            case .fail: j.cell.synthetic == 0 ? "erased" : (j.logDisparity < 0 ? "under" : "over")
            }
        }
        outcome.groupFigures = Self.shareFigures(index, verdicts: verdictByKey,
                                                 printed: Set(failing.map(\.cell.key)).subtracting(withheld), nS: nS, nT: nT)
        return outcome
    }

    /// Real and synthetic shares (Wilson 95% intervals) of every one-attribute cell, for charts.
    /// A real share is withheld when the cell has 1 to 10 training patients or is a margin whose
    /// count would reveal a small pair sub-cell (`CellIndex.marginsRevealingSmallCells`), with
    /// complementary suppression within the attribute (`GroupFigure.withheld`): the shares of one
    /// attribute add up to 1. `printed`: cells whose findings print their real share.
    static func shareFigures(_ index: CellIndex, verdicts: [String: String], printed: Set<String>, nS: Int, nT: Int) -> [GroupFigure] {
        let withheldMargins = index.marginsRevealingSmallCells
        let margins = index.cells.filter { $0.columns.count == 1 && ($0.train > 0 || $0.synthetic > 0) }
        var hidden = Set<String>()
        for column in Set(margins.map { $0.columns[0] }) {
            let levels = margins.filter { $0.columns[0] == column }
            let unsafe = Set(levels.filter { SmallCellGuard.isSmall($0.train) || withheldMargins.contains($0.key) }.map(\.key))
            hidden.formUnion(GroupFigure.withheld(levels.map { ($0.key, $0.train) }, unsafe: unsafe, printed: printed))
        }
        return margins.map { c in
            GroupFigure(group: c.key, columns: c.columns,
                        real: hidden.contains(c.key) ? nil : .wilson(c.train, of: nT),
                        synthetic: .wilson(c.synthetic, of: nS),
                        status: verdicts[c.key] ?? (c.train > 0 && c.synthetic == 0 ? "erased" : "not-judged"))
        }
    }

    private static func f2(_ x: Double) -> String { String(format: "%.2f", x) }

    private static func fingerprint(_ rule: String, _ kind: String, _ key: String) -> String {
        return FindingFingerprint.make(rule: rule, kind: "representation-skew-\(kind)", key: key)
    }
}
