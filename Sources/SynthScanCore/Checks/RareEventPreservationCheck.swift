import Foundation

/// Rare events and numeric tails that the synthetic release loses or inflates, overall and per
/// protected subgroup (FID-003 of the bias/fidelity design).
///
/// Events (train = R, synthetic = S):
/// - **Which.** The declared `events` (`column=value`), every category of the `event_columns`
///   (default: the categorical and boolean columns that are neither identifiers, quasi-identifiers,
///   protected nor ignored) with a real share below `rare_share`, and per column the pool of its
///   rare categories (single rare categories seldom have enough real patients to be judged).
/// - **Prevalence ratio** RR(t, g) = r_S(t|g) / r_R(t|g) overall and in every protected cell g
///   (`CellIndex`, attributes alone or also in pairs by `order`), with the Katz log interval at
///   `confidence` and a z-test of log RR = 0, Benjamini–Hochberg-corrected within each family
///   (overall, order-1 cells, order-2 cells).
/// - **Verdict** for events with at least `min_real_count` real occurrences in the group (fewer are
///   counted, not judged): **fail** when the whole interval lies below 1/`max_ratio` or above
///   `max_ratio` and q < `alpha`; **inconclusive** when it contains a band edge (or lies outside
///   without significance); **pass** inside. A failing pool names each member category whose
///   own ratio lies outside the band (e.g. absent from the release).
///
/// Tails: for every numeric column in `numeric_columns` (default: the comparable numeric columns)
/// and protected cell g with at least `min_real_count` real rows, `TailCoverage`: SDMetrics
/// RangeCoverage(g), the synthetic quantiles q(0.01) and q(0.99), the real values beyond the
/// synthetic range and their exact exchangeable-sample p-value (BH per family). A **warning** when
/// RangeCoverage(g) < `group_range_coverage` while the column's overall RangeCoverage is at least
/// `overall_range_coverage` and q < `alpha`: the release clips this group's extremes only.
///
/// Disclosure: real counts print through `SmallCellGuard`; judged events have at least 11 real
/// occurrences. Real quantiles, minima and maxima are real values and never printed; nor are
/// ratios of synthetic to real quantiles, which with the (public) release give the real quantile
/// away. Tails are reported as RangeCoverage, the count beyond the synthetic range (guarded) and
/// synthetic quantiles.
public struct RareEventPreservationCheck: Check {
    public static let kind = "rare-event-preservation"
    public static let summary = "Compares the prevalence of declared and rare events (rare categories, pooled per column) between the release and the training data, overall and per protected subgroup (Katz log interval of the prevalence ratio, Benjamini–Hochberg), and finds numeric tails the release clips in one subgroup only (SDMetrics RangeCoverage, real values beyond the synthetic range)."
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("events", .textList, default: .list([]),
                      doc: "Declared events as `column=value` entries (e.g. `primary_dx=A41.51`, `deceased=true`), judged whatever their prevalence."),
        ParameterSpec("event_columns", .columns, default: .list([]),
                      doc: "Categorical or boolean columns whose rare categories are events; empty = the categorical and boolean columns that are neither identifiers, quasi-identifiers, protected nor ignored."),
        ParameterSpec("rare_share", .number(NumberBounds(0, 0.5, lowerInclusive: false)), default: .number(0.01),
                      doc: "A category with a real share below this is rare (1%: the FID-003 default, as subgroup-erasure's rare_share)."),
        ParameterSpec("numeric_columns", .columns, default: .list([]),
                      doc: "Numeric columns whose tails are compared per subgroup; empty = every comparable numeric column."),
        ParameterSpec("columns", .columns, default: .list([]),
                      doc: "Protected attributes the subgroups are made of; empty = the columns with the protected role (without any, only the whole tables are compared). Numeric ones need `bands`."),
        ParameterSpec("order", .integer(1...2), default: .integer(1),
                      doc: "1 = every protected attribute alone; 2 = also every pair."),
        ParameterSpec("min_real_count", .integer(11...1_000_000), default: .integer(11),
                      doc: "Real occurrences an event needs in a group (and real rows a group needs for its tails) to be judged; at least 11 (small-cell rule)."),
        ParameterSpec("max_ratio", .number(NumberBounds(1, 100, lowerInclusive: false)), default: .number(2),
                      doc: "Tolerated band [1/x, x] of the prevalence ratio; an event fails only when its whole interval lies outside (2: FID-003, wider than for common outcomes because events are rare)."),
        ParameterSpec("alpha", .number(NumberBounds(0, 0.5, lowerInclusive: false)), default: .number(0.05),
                      doc: "False discovery rate within each family (Benjamini–Hochberg, q = 0.05 as in CHECKS.md)."),
        ParameterSpec("confidence", .number(NumberBounds(0.5, 1, lowerInclusive: true, upperInclusive: false)), default: .number(0.9),
                      doc: "Level of the intervals (0.90: each band edge tested one-sided at 5%, as in two one-sided tests)."),
        ParameterSpec("group_range_coverage", .number(.unit), default: .number(0.9),
                      doc: "A group's RangeCoverage below this (with the overall one at least overall_range_coverage) is a clipped tail (FID-003)."),
        ParameterSpec("overall_range_coverage", .number(.unit), default: .number(0.98),
                      doc: "Overall RangeCoverage from which a group's clipped tail is reported (FID-003)."),
        ParameterSpec("max_findings", .integer(0...1_000_000), default: .integer(1000),
                      doc: "Findings listed; the rest are counted in `findings_truncated`."),
    ]
    public static let measurements: [MeasurementSpec] = [
        MeasurementSpec("events_judged", "Event × group pairs (overall included) with at least min_real_count real occurrences, judged."),
        MeasurementSpec("events_skipped_small", "Event × group pairs with 1 to min_real_count − 1 real occurrences (or no synthetic row in the group), not judged; an event that rare overall counts once, its subgroups unexamined."),
        MeasurementSpec("events_underproduced", "Judged pairs whose prevalence-ratio interval lies below 1/max_ratio, BH-significant."),
        MeasurementSpec("events_overproduced", "Judged pairs whose interval lies above max_ratio, BH-significant."),
        MeasurementSpec("events_inconclusive", "Judged pairs whose interval contains a band edge, or lies outside without significance."),
        MeasurementSpec("rare_categories", "Categories with a real share below rare_share in the event columns."),
        MeasurementSpec("rare_categories_absent", "Rare categories with no synthetic row."),
        MeasurementSpec("min_prevalence_ratio", "Smallest prevalence ratio r_S/r_R over the judged pairs.", optional: true),
        MeasurementSpec("max_prevalence_ratio", "Largest prevalence ratio over the judged pairs.", optional: true),
        MeasurementSpec("numeric_columns", "Numeric columns whose tails are compared."),
        MeasurementSpec("min_range_coverage", "Lowest overall SDMetrics RangeCoverage over the numeric columns.", optional: true),
        MeasurementSpec("group_tails_judged", "Group × numeric column pairs compared."),
        MeasurementSpec("group_tails_skipped_small", "Group × numeric column pairs with 1 to min_real_count − 1 real rows, or undefined coverage, not compared."),
        MeasurementSpec("group_tails_clipped", "Group × numeric column pairs reported as clipped (warning)."),
        MeasurementSpec("min_group_range_coverage", "Lowest RangeCoverage over the compared group × column pairs.", optional: true),
        MeasurementSpec("findings_truncated", "Findings counted but not listed because of max_findings.", optional: true),
    ]

    /// Creates the check.
    public init() {}

    /// One event judged in one group.
    struct JudgedEvent {
        let event: RareEvent
        /// Nil = the whole tables.
        let cell: CellIndex.Cell?
        let ratio: PrevalenceRatio
        var qValue = 1.0
        var verdict = PrevalenceVerdict.pass
        /// Whether the real figures (prevalence, RR, interval, count) may be printed: false for a
        /// subgroup of an event some other subgroup of which has 1 to 10 real occurrences, and for
        /// a pool whose members' printed counts leave a rest of 1 to 10, as the printed figures
        /// would let such a count be derived by subtraction.
        var realShown = true
        var family: Int { cell?.columns.count ?? 0 }
    }

    /// One numeric column's tails in one group.
    struct JudgedTail {
        let column: String
        let cell: CellIndex.Cell
        let tail: TailCoverage
        let overall: Double
        var qValue = 1.0
        var clipped = false
    }

    public func run(rule: RuleDescriptor, context: ScanContext) throws -> RuleOutcome {
        let p = rule.parameters, id = rule.id
        let declared = try p.list("events", rule: id)
        let eventColumnsParam = try p.list("event_columns", rule: id)
        let rareShare = try p.number("rare_share", rule: id)
        let numericParam = try p.list("numeric_columns", rule: id)
        let order = try p.integer("order", rule: id)
        let minReal = try p.integer("min_real_count", rule: id)
        let band = try p.number("max_ratio", rule: id)
        let alpha = try p.number("alpha", rule: id)
        let confidence = try p.number("confidence", rule: id)
        let groupCoverage = try p.number("group_range_coverage", rule: id)
        let overallCoverage = try p.number("overall_range_coverage", rule: id)
        let maxFindings = try p.integer("max_findings", rule: id)
        let data = context.data, schema = context.schema
        let nT = data.train.rowCount, nS = data.synthetic.rowCount
        guard nT > 0, nS > 0 else {
            return RuleOutcome(rule: rule, status: .skipped, level: rule.severity,
                               message: ProtectedCells.emptyTables, measurements: [], findings: [])
        }
        for c in eventColumnsParam + numericParam where schema.index(of: c) == nil { throw CheckError.unknownColumn(rule: id, column: c) }
        let excluded: Set<ColumnRole> = [.identifier, .quasiIdentifier, .protected, .ignored]
        let eventColumns = eventColumnsParam.isEmpty
            ? schema.columns.filter { ($0.type == .categorical || $0.type == .boolean) && $0.roles.isDisjoint(with: excluded) }.map(\.name)
            : eventColumnsParam
        let numericColumns = numericParam.isEmpty
            ? context.comparableColumns.filter { schema.columns[schema.index(of: $0)!].type == .numeric }
            : numericParam
        let protected = try ProtectedCells.columns(for: rule, context: context)
        let index = ProtectedCells.index(protected, order: order, context: context)
        let z = Statistics.normalQuantile(0.5 + confidence / 2)

        // Events, overall and per cell.
        let events = try RareEventCatalog.events(declared: declared, columns: eventColumns, rareShare: rareShare, data: data, rule: id)
        var judged: [JudgedEvent] = []
        var skippedSmall = 0
        func judge(_ event: RareEvent, _ cell: CellIndex.Cell?, xR: Int, nR: Int, xS: Int, nS: Int) {
            guard xR >= minReal, nS > 0 else { if xR > 0 { skippedSmall += 1 }; return }
            judged.append(JudgedEvent(event: event, cell: cell,
                                      ratio: PrevalenceRatio(realEvents: xR, realRows: nR, syntheticEvents: xS, syntheticRows: nS, z: z)))
        }
        for event in events {
            judge(event, nil, xR: event.count(.train), nR: nT, xS: event.count(.synthetic), nS: nS)
            // Subgroups are subsets: an event too rare overall is too rare in each of them, and
            // is counted once, without a pass over its rows.
            guard event.count(.train) >= minReal, !index.cells.isEmpty else { continue }
            let counts = index.counts(where: event.flags(data))
            let first = judged.count
            var smallSubgroup = false
            for cell in index.cells where cell.train > 0 {
                let c = counts[cell.key]
                if (1...SmallCellGuard.threshold).contains(c?.train ?? 0) { smallSubgroup = true }
                judge(event, cell, xR: c?.train ?? 0, nR: cell.train, xS: c?.synthetic ?? 0, nS: cell.synthetic)
            }
            if smallSubgroup { for i in first..<judged.count where judged[i].cell != nil { judged[i].realShown = false } }
        }
        // A pool's real count minus the printed counts of its members would reveal the rest: withhold
        // the pool's figures in a group when that rest is 1 to 10.
        for i in judged.indices where judged[i].event.origin == .pooled && judged[i].realShown {
            let pool = judged[i], memberKeys = Set(pool.event.members)
            let shown = judged.filter { memberKeys.contains($0.event.key) && $0.cell?.key == pool.cell?.key && $0.realShown }
            guard !shown.isEmpty else { continue }
            let rest = pool.ratio.realEvents - shown.reduce(0) { $0 + $1.ratio.realEvents }
            if (1...SmallCellGuard.threshold).contains(rest) { judged[i].realShown = false }
        }
        for family in 0...2 {
            let members = judged.indices.filter { judged[$0].family == family }
            let q = Statistics.benjaminiHochberg(members.map { judged[$0].ratio.pValue })
            for (k, i) in members.enumerated() {
                judged[i].qValue = q[k]
                judged[i].verdict = judged[i].ratio.verdict(band: band, qValue: q[k], alpha: alpha)
            }
        }
        let failingEvents = judged.filter { $0.verdict == .underproduced || $0.verdict == .overproduced }

        // Tails per cell.
        var tails: [JudgedTail] = []
        var tailsSkipped = 0
        var overallByColumn: [(String, Double)] = []
        var masks: [String: (train: [Bool], synthetic: [Bool])] = [:]
        if !numericColumns.isEmpty {
            for cell in index.cells where cell.train >= minReal && cell.synthetic > 0 {
                if let r = index.rowMask(of: cell, in: .train), let s = index.rowMask(of: cell, in: .synthetic) { masks[cell.key] = (r, s) }
            }
        }
        for name in numericColumns {
            guard let c = schema.index(of: name), data.train.columns[c].type.isNumericStorage,
                  let overall = RangeCoverage.score(real: ColumnSlice(data.train.columns[c]), synthetic: ColumnSlice(data.synthetic.columns[c])) else { continue }
            overallByColumn.append((name, overall))
            for cell in index.cells where cell.train > 0 {
                guard let mask = masks[cell.key],
                      let tail = TailCoverage(real: ColumnSlice(data.train.columns[c], rows: .mask(mask.train)),
                                              synthetic: ColumnSlice(data.synthetic.columns[c], rows: .mask(mask.synthetic))) else {
                    tailsSkipped += 1; continue
                }
                tails.append(JudgedTail(column: name, cell: cell, tail: tail, overall: overall))
            }
        }
        for family in 1...2 {
            let members = tails.indices.filter { tails[$0].cell.columns.count == family }
            let q = Statistics.benjaminiHochberg(members.map { tails[$0].tail.pValue })
            for (k, i) in members.enumerated() {
                tails[i].qValue = q[k]
                let t = tails[i]
                tails[i].clipped = t.tail.coverage < groupCoverage && t.overall >= overallCoverage && q[k] < alpha
            }
        }
        let clipped = tails.filter(\.clipped)

        // Findings.
        var findings = eventFindings(failingEvents, rule: rule, band: band, confidence: confidence, nT: nT, nS: nS)
        let tailLevel = Swift.min(rule.severity, .warning)
        for t in clipped { findings.append(Self.tailFinding(t, rule: rule, level: tailLevel, groupCoverage: groupCoverage)) }

        // Measurements.
        let rareEvents = events.filter { $0.origin == .rare }
        var m: [Measurement] = [
            Measurement("events_judged", Double(judged.count)),
            Measurement("events_skipped_small", Double(skippedSmall)),
            Measurement("events_underproduced", Double(failingEvents.filter { $0.verdict == .underproduced }.count)),
            Measurement("events_overproduced", Double(failingEvents.filter { $0.verdict == .overproduced }.count)),
            Measurement("events_inconclusive", Double(judged.filter { $0.verdict == .inconclusive }.count)),
            Measurement("rare_categories", Double(rareEvents.count)),
            Measurement("rare_categories_absent", Double(rareEvents.filter { $0.count(.synthetic) == 0 }.count)),
        ]
        let shown = judged.filter(\.realShown)
        if let v = shown.map(\.ratio.ratio).min() { m.append(Measurement("min_prevalence_ratio", v)) }
        if let v = shown.map(\.ratio.ratio).max() { m.append(Measurement("max_prevalence_ratio", v)) }
        m.append(Measurement("numeric_columns", Double(overallByColumn.count)))
        if let v = overallByColumn.map(\.1).min() { m.append(Measurement("min_range_coverage", v)) }
        m += [Measurement("group_tails_judged", Double(tails.count)),
              Measurement("group_tails_skipped_small", Double(tailsSkipped)),
              Measurement("group_tails_clipped", Double(clipped.count))]
        if let v = tails.map(\.tail.coverage).min() { m.append(Measurement("min_group_range_coverage", v)) }
        if findings.count > maxFindings {
            m.append(Measurement("findings_truncated", Double(findings.count - maxFindings)))
            findings = Array(findings.prefix(maxFindings))
        }

        // Message.
        var parts: [String] = []
        if failingEvents.isEmpty {
            parts.append("None of the \(judged.count) event × group pairs judged has its prevalence changed beyond ×\(Self.f(band)) in the release (\(judged.filter { $0.verdict == .inconclusive }.count) inconclusive)")
        } else {
            let names = failingEvents.prefix(5).map { "\($0.event.key)\($0.cell.map { " in \($0.key)" } ?? "") (\($0.verdict.rawValue)\($0.realShown ? ", RR = \(Self.f($0.ratio.ratio))" : ""))" }.joined(separator: "; ")
            parts.append("\(failingEvents.count) of \(judged.count) event × group pairs have their prevalence distorted beyond ×\(Self.f(band)) in the release: \(names)\(failingEvents.count > 5 ? " and \(failingEvents.count - 5) more" : "")")
        }
        if skippedSmall > 0 { parts.append("\(skippedSmall) event × group pairs with fewer than \(minReal) real occurrences were not judged") }
        if !clipped.isEmpty {
            let names = clipped.prefix(5).map { "\($0.column) in \($0.cell.key) (coverage \(Self.f($0.tail.coverage)))" }.joined(separator: "; ")
            parts.append("\(clipped.count) numeric tails are clipped in one subgroup while covered overall: \(names)\(clipped.count > 5 ? " and \(clipped.count - 5) more" : "")")
        } else if !tails.isEmpty {
            parts.append("No subgroup's numeric range is clipped while covered overall (\(tails.count) group × column pairs compared)")
        }
        if !index.unbandedColumns.isEmpty {
            parts.append("Numeric protected attributes without `bands` in the configuration were left out: \(index.unbandedColumns.joined(separator: ", "))")
        }
        let level: Severity = failingEvents.isEmpty && !clipped.isEmpty ? tailLevel : rule.severity
        return RuleOutcome(rule: rule, status: findings.isEmpty && clipped.isEmpty && failingEvents.isEmpty ? .pass : .fail, level: level,
                           message: parts.joined(separator: ". ") + ".", measurements: m, findings: findings)
    }

    /// Findings for the failing events: one per event and group; a failing pool instead names
    /// each member category whose own ratio lies outside the band (not already failing alone).
    private func eventFindings(_ failing: [JudgedEvent], rule: RuleDescriptor, band: Double, confidence: Double, nT: Int, nS: Int) -> [Finding] {
        let cell = SmallCellGuard.format
        let failingAlone = Set(failing.filter { $0.cell == nil }.map(\.event.key))
        var findings: [Finding] = []
        for j in failing {
            let r = j.ratio, e = j.event
            let where_ = j.cell.map { " among \($0.key)" } ?? ""
            let effect = j.verdict == .underproduced ? "under-produces" : "over-produces"
            let evidence: String
            var fm = [Measurement("prevalence_synthetic", r.syntheticPrevalence), Measurement("p_value", r.pValue), Measurement("q_value", j.qValue)]
            if j.realShown {
                evidence = "prevalence \(Format.percent(r.syntheticPrevalence)) in the release vs \(Format.percent(r.realPrevalence)) in training (\(cell(r.realEvents)) training patients); ratio RR = \(Self.f(r.ratio)) (\(Self.pct(confidence)) interval \(Self.f(r.low))–\(Self.f(r.high))), BH q = \(SubgroupErasureCheck.formatP(j.qValue))"
                fm += [Measurement("prevalence_real", r.realPrevalence), Measurement("prevalence_ratio", r.ratio),
                       Measurement("ci_low", r.low), Measurement("ci_high", r.high)]
            } else {
                evidence = "prevalence \(Format.percent(r.syntheticPrevalence)) in the release; its training prevalence and ratio lie outside the tolerated band but are withheld (with the other printed figures they would reveal a count under 11), BH q = \(SubgroupErasureCheck.formatP(j.qValue))"
            }
            let columns = [e.column] + (j.cell?.columns ?? [])
            if e.origin == .pooled, j.cell == nil {
                // Members' real figures print only when none has 1 to 10 training patients: the
                // pool's printed total minus the others' would reveal that count.
                let membersShown = !e.members.contains { (1...SmallCellGuard.threshold).contains(e.memberCounts[$0]?.train ?? 0) }
                var named = 0
                for member in e.members where !failingAlone.contains(member) {
                    let (xR, xS) = e.memberCounts[member] ?? (0, 0)
                    let ratioM = xR == 0 ? 1 : (Double(xS) / Double(nS)) / (Double(xR) / Double(nT))
                    guard ratioM < 1 / band || ratioM > band else { continue }
                    named += 1
                    let state = xS == 0 ? "is absent from the release"
                        : "has \(xS) synthetic records\(membersShown ? " (ratio \(Self.f(ratioM)) to its training prevalence)" : "")"
                    var mm = fm + [Measurement("synthetic_count", Double(xS))]
                    if membersShown { mm.append(Measurement("real_count", Double(xR))) }
                    findings.append(Finding(
                        ruleID: rule.id, level: rule.severity,
                        message: "Rare category \(member) (\(membersShown ? String(xR) : (1...SmallCellGuard.threshold).contains(xR) ? "<11" : "11 or more") training patients) \(state). Together the rare categories of \(e.column) have \(evidence): the release \(effect) them, so studies of these rare diagnoses or events on the release miss their patients.",
                        location: FindingLocation(table: .synthetic, columns: columns, subgroup: member),
                        fingerprint: Self.fingerprint(rule.id, "rare-member", member), measurements: mm))
                }
                if named > 0 { continue }
            }
            findings.append(Finding(
                ruleID: rule.id, level: rule.severity,
                message: "Event \(e.key)\(where_): \(evidence). The release \(effect) it beyond ×\(Self.f(band)), so models and studies run on the release misjudge how often it occurs\(j.cell == nil ? "" : " in this subgroup").",
                location: FindingLocation(table: .synthetic, columns: columns, subgroup: j.cell?.key ?? e.key),
                fingerprint: Self.fingerprint(rule.id, "event", e.key + "\u{0}" + (j.cell?.key ?? "")), measurements: fm))
        }
        return findings
    }

    private static func tailFinding(_ t: JudgedTail, rule: RuleDescriptor, level: Severity, groupCoverage: Double) -> Finding {
        var fm = [Measurement("range_coverage", t.tail.coverage), Measurement("range_coverage_overall", t.overall),
                  Measurement("p_value", t.tail.pValue), Measurement("q_value", t.qValue)]
        if !(1...SmallCellGuard.threshold).contains(t.tail.realBeyond) { fm.append(Measurement("real_beyond_synthetic_range", Double(t.tail.realBeyond))) }
        fm += [Measurement("q01_synthetic", t.tail.syntheticLowQuantile), Measurement("q99_synthetic", t.tail.syntheticHighQuantile)]
        return Finding(
            ruleID: rule.id, level: level,
            message: "The release clips the range of \(t.column) among \(t.cell.key): RangeCoverage \(Self.f(t.tail.coverage)) (below \(Self.f(groupCoverage))) while \(Self.f(t.overall)) overall; \(SmallCellGuard.format(t.tail.realBeyond)) training patients of the subgroup lie beyond its synthetic range (BH q = \(SubgroupErasureCheck.formatP(t.qValue))); the subgroup's synthetic 1st and 99th percentiles are \(Self.g(t.tail.syntheticLowQuantile)) and \(Self.g(t.tail.syntheticHighQuantile)). Extreme values of this subgroup (e.g. critical lab values) are missing from the release.",
            location: FindingLocation(table: .synthetic, columns: [t.column] + t.cell.columns, subgroup: t.cell.key),
            fingerprint: fingerprint(rule.id, "tail", t.column + "\u{0}" + t.cell.key), measurements: fm)
    }

    private static func f(_ x: Double) -> String { String(format: "%.3f", x) }
    private static func g(_ x: Double) -> String { String(format: "%.4g", x) }
    private static func pct(_ x: Double) -> String { ParameterValue.format(x * 100) + "%" }

    private static func fingerprint(_ rule: String, _ kind: String, _ key: String) -> String {
        return FindingFingerprint.make(rule: rule, kind: kind, key: key)
    }
}
