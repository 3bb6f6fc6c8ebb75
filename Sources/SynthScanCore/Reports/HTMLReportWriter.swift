import Foundation

/// Writes a self-contained HTML report: one file with inline CSS and inline SVG charts, no
/// script, no external font, image, style sheet or link, readable in light and dark schemes.
///
/// Content: a header (tool version, seed, scan time, rule packs, inputs with row and column
/// counts), the verdict and counts, a table of every rule (status, level, id, verdict message:
/// the same figures the text and Markdown reports print), three charts drawn from what the
/// checks report, the sliced (`by:`) rules, the failing rules' findings (rows, lines, columns,
/// groups, digests; never values), disabled rules and notes. The charts:
/// 1. subgroup shares in the training data vs the release with 95% intervals
///    (`representation-skew`'s group figures; erased and skewed groups flagged);
/// 2. distance-to-closest-record distributions, synthetic→train, synthetic→holdout,
///    holdout→train and the random baseline, as percentile strips from the reported percentiles
///    (`distance-to-closest-record`'s `dcr_*` measurements) with the near-copy threshold;
/// 3. outcome rates by subgroup, training vs release, with 95% intervals
///    (`outcome-disparity-amplification`'s group figures; the reference group marked).
/// A chart whose rule did not run, was skipped or reports no figures is replaced by a short note.
///
/// Like every writer it prints only what the result holds; real figures the checks withheld
/// under the small-cell rule stay withheld. Every string from the result is HTML-escaped.
/// The same result always gives the same bytes.
public struct HTMLReportWriter: ReportWriter {
    /// Findings listed per failing rule (the rest are counted).
    public var maxFindingsPerRule: Int

    /// Creates an HTML writer.
    public init(maxFindingsPerRule: Int = 20) {
        self.maxFindingsPerRule = max(0, maxFindingsPerRule)
    }

    public func write(_ result: ScanResult) throws -> [UInt8] {
        Array(render(result).utf8)
    }

    private typealias E = HTMLEscape
    private typealias F = ReportFormatting

    /// Check kinds whose outcomes feed the charts.
    static let shareKind = "representation-skew"
    static let erasureKind = "subgroup-erasure"
    static let dcrKind = "distance-to-closest-record"
    static let outcomeKind = "outcome-disparity-amplification"

    private func render(_ result: ScanResult) -> String {
        let summary = ReportSummary(result)
        let release = result.inputs.first { $0.role == .synthetic }?.uri ?? "synthetic table"
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<meta name=\"color-scheme\" content=\"light dark\">\n"
        out += "<title>synthscan: \(E.text(release))</title>\n<style>\n\(Self.css)</style>\n</head>\n<body>\n<main>\n"

        // Header.
        out += "<header>\n<h1>synthscan report: <code>\(E.text(release))</code></h1>\n"
        out += "<p class=\"meta\">synthscan \(E.text(result.toolVersion)) · seed \(result.seed) · scanned <time datetime=\"\(F.iso8601(result.startTime))\">\(F.iso8601(result.startTime))</time>"
        if !result.rulePacks.isEmpty {
            out += " · rule packs " + result.rulePacks.map { "<code>\(E.text($0.id))</code> \(E.text($0.version))" }.joined(separator: ", ")
        }
        out += "</p>\n</header>\n"

        // Verdict.
        let gate = result.failOn.map { "fail-on \($0.rawValue)" } ?? "no gate"
        out += "<section class=\"verdict \(summary.gateFailed ? "fail" : "pass")\" id=\"verdict\">\n"
        out += summary.gateFailed
            ? "<h2>✕ The release fails the gate (\(gate))</h2>\n"
            : "<h2>✓ The release passes (\(gate))</h2>\n"
        var counts = "\(F.plural(summary.rules, "rule")): <strong>\(summary.failed) failed</strong>"
        let levels = F.levelsDescending.compactMap { level -> String? in
            guard let n = summary.failedByLevel[level], n > 0 else { return nil }
            return F.plural(n, level.rawValue)
        }
        if !levels.isEmpty { counts += " (" + levels.joined(separator: ", ") + ")" }
        counts += ", \(summary.passed) passed"
        if summary.skipped > 0 { counts += ", \(summary.skipped) skipped" }
        if !result.disabledRules.isEmpty { counts += ", \(result.disabledRules.count) disabled" }
        counts += "; " + F.plural(summary.findings, "finding") + "."
        out += "<p>\(counts)</p>\n"
        let failing = result.outcomes.filter { $0.status == .fail && !$0.isWaived }.sorted { order($0) < order($1) }
        if !failing.isEmpty {
            out += "<ul class=\"failing\">\n"
            for o in failing {
                out += "<li><span class=\"badge \(badgeClass(o))\">\(statusWord(o))</span> <a href=\"#\(anchor(o.rule.id))\"><code>\(E.text(o.rule.id))</code></a></li>\n"
            }
            out += "</ul>\n"
        }
        out += "</section>\n"

        // Inputs.
        out += "<section id=\"inputs\">\n<h2>Inputs</h2>\n<table>\n<thead><tr><th>Table</th><th>File</th><th>Format</th><th class=\"num\">Rows</th><th class=\"num\">Columns</th></tr></thead>\n<tbody>\n"
        for input in result.inputs {
            out += "<tr><td>\(input.role.rawValue)</td><td><code>\(E.text(input.uri))</code></td><td>\(E.text(input.format.description))</td><td class=\"num\">\(input.rowCount)</td><td class=\"num\">\(input.columnCount)</td></tr>\n"
        }
        if result.inputs.isEmpty { out += "<tr><td colspan=\"5\">(none)</td></tr>\n" }
        out += "</tbody>\n</table>\n</section>\n"

        // Rules.
        out += rulesTable(result)

        // Charts.
        out += "<section id=\"charts\">\n<h2>Charts</h2>\n"
        out += shareChart(result)
        out += dcrChart(result)
        out += outcomeChart(result)
        out += "</section>\n"

        out += slicesTable(result)
        out += findingsSection(result)
        out += notesSection(result)

        out += "<footer><p>synthscan \(E.text(result.toolVersion)), seed \(result.seed). Reports never show values of real records; real figures that could reveal a count of 1 to 10 patients are withheld.</p></footer>\n"
        out += "</main>\n</body>\n</html>\n"
        return out
    }

    // MARK: Rules

    private func rulesTable(_ result: ScanResult) -> String {
        var out = "<section id=\"rules\">\n<h2>Rules</h2>\n<table class=\"rules\">\n<thead><tr><th>Status</th><th>Level</th><th>Rule</th><th>Verdict</th></tr></thead>\n<tbody>\n"
        for o in result.outcomes.sorted(by: { order($0) < order($1) }) {
            var verdict = E.text(o.message)
            if let waiver = o.waiver {
                verdict += " <em>(waived by \(E.text(waiver.pack)): \(E.text(waiver.reason)))</em>"
            }
            out += "<tr id=\"\(anchor(o.rule.id))\"><td><span class=\"badge \(badgeClass(o))\">\(statusWord(o))</span></td><td>\(o.level.rawValue)</td><td><code>\(E.text(o.rule.id))</code></td><td>\(verdict)</td></tr>\n"
        }
        for d in result.disabledRules {
            out += "<tr><td><span class=\"badge off\">OFF</span></td><td>off</td><td><code>\(E.text(d.id))</code></td><td>disabled by \(E.text(d.pack)): \(E.text(d.reason))</td></tr>\n"
        }
        if result.outcomes.isEmpty, result.disabledRules.isEmpty { out += "<tr><td colspan=\"4\">(no rule ran)</td></tr>\n" }
        return out + "</tbody>\n</table>\n</section>\n"
    }

    /// Failing rules first (by level), then skipped, then passing; by id within each (as the Markdown report).
    private func order(_ o: RuleOutcome) -> (Int, Int, String) {
        let status: Int = switch o.status { case .fail: 0; case .skipped: 1; case .pass: 2 }
        let level: Int = switch o.level { case .error: 0; case .warning: 1; case .note: 2 }
        return (status, o.status == .fail ? level : 0, o.rule.id)
    }

    private func statusWord(_ o: RuleOutcome) -> String {
        switch o.status {
        case .pass: "PASS"
        case .skipped: "SKIP"
        case .fail: o.isWaived ? "WAIVED" : "FAIL"
        }
    }

    private func badgeClass(_ o: RuleOutcome) -> String {
        switch o.status {
        case .pass: "pass"
        case .skipped: "skip"
        case .fail: o.isWaived ? "skip" : o.level.rawValue
        }
    }

    /// An element id for a rule: `rule-` and the id with every other character than a letter or digit as `-`.
    private func anchor(_ id: String) -> String {
        "rule-" + String(id.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
    }

    // MARK: Charts

    /// The figure with a heading, a caption and either the chart or a note.
    private func figure(_ heading: String, caption: String, body: String) -> String {
        "<figure>\n<h3>\(E.text(heading))</h3>\n\(body)<figcaption>\(caption)</figcaption>\n</figure>\n"
    }

    private func note(_ text: String) -> String { "<p class=\"chart-note\">\(text)</p>\n" }

    /// Why a kind's chart is absent, or `nil` when its outcome can be drawn.
    private func absence(_ outcomes: [RuleOutcome], kind: String) -> String? {
        if outcomes.isEmpty { return "No <code>\(kind)</code> rule ran (it may be disabled: see the rules table), so there is nothing to draw." }
        if outcomes.allSatisfy({ $0.status == .skipped }) {
            return outcomes.map { "<code>\(E.text($0.rule.id))</code> was skipped: \(E.text($0.message))" }.joined(separator: "<br>")
        }
        return nil
    }

    private func shareChart(_ result: ScanResult) -> String {
        let heading = "Subgroup shares: training data vs release"
        let caption = "Share of each protected subgroup (one attribute at a time) among training patients (●) and synthetic records (■), with Wilson 95% intervals. ▼/▲: the rule found the group under- or over-represented; ✕ erased: absent from the release."
        let outcomes = result.outcomes.filter { $0.rule.check == Self.shareKind }
        if let why = absence(outcomes, kind: Self.shareKind) { return figure(heading, caption: caption, body: note(why)) }
        // Groups a subgroup-erasure rule reports erased (cells, or categories of a column).
        let erased = Set(result.outcomes.filter { $0.rule.check == Self.erasureKind }.flatMap(\.findings)
            .filter { $0.measurements.contains { $0.key == "observed_synthetic" && $0.value == 0 } }.compactMap(\.location.subgroup))
        var body = ""
        for o in outcomes where o.status != .skipped {
            guard !o.groupFigures.isEmpty else {
                body += note("<code>\(E.text(o.rule.id))</code> reports no per-group shares.")
                continue
            }
            let rows = groupRows(o.groupFigures, erased: erased, what: "share") { f in
                switch f.status {
                case "erased": "✕ erased"
                case "under": "▼ under"
                case "over": "▲ over"
                default: erased.contains(f.group) ? "✕ erased" : nil
                }
            }
            let title = "\(o.rule.id): subgroup shares, training data vs release, with 95% intervals (\(o.groupFigures.count) groups)"
            body += SVGChart.dotInterval(title: title, axisTitle: "share of the table", rows: rows,
                                         realName: "training data", syntheticName: "release (synthetic)")
        }
        return figure(heading, caption: caption, body: body)
    }

    private func outcomeChart(_ result: ScanResult) -> String {
        let heading = "Outcome rates by subgroup: training data vs release"
        let caption = "Share of each protected subgroup with the positive outcome, among training patients (●) and synthetic records (■), with Wilson 95% intervals. The rule compares each group's rate ratio to its reference group; ▲ amplified, ▼ attenuated, ⇄ reversed: the rule found the disparity distorted."
        let outcomes = result.outcomes.filter { $0.rule.check == Self.outcomeKind }
        if let why = absence(outcomes, kind: Self.outcomeKind) { return figure(heading, caption: caption, body: note(why)) }
        var body = ""
        for o in outcomes where o.status != .skipped {
            guard !o.groupFigures.isEmpty else {
                body += note("<code>\(E.text(o.rule.id))</code> reports no per-group outcome rates.")
                continue
            }
            let rows = groupRows(o.groupFigures, erased: [], what: "outcome rate") { f in
                switch f.status {
                case "reference": "reference"
                case "amplified": "▲ amplified"
                case "attenuated": "▼ attenuated"
                case "reversed": "⇄ reversed"
                default: nil
                }
            }
            let title = "\(o.rule.id): outcome rate by subgroup, training data vs release, with 95% intervals (\(o.groupFigures.count) groups)"
            body += SVGChart.dotInterval(title: title, axisTitle: "outcome rate (positive outcome)", rows: rows,
                                         realName: "training data", syntheticName: "release (synthetic)")
        }
        return figure(heading, caption: caption, body: body)
    }

    /// Rows of a dot-and-interval chart, one per group, a separator between attributes.
    private func groupRows(_ figures: [GroupFigure], erased: Set<String>, what: String,
                           flag: (GroupFigure) -> String?) -> [SVGChart.Row] {
        var rows: [SVGChart.Row] = []
        var lastColumns: [String]? = nil
        for f in figures {
            func point(_ e: GroupFigure.Estimate?, _ table: String) -> SVGChart.Point? {
                e.map { SVGChart.Point(value: $0.value, low: $0.low, high: $0.high,
                                       tooltip: "\(f.group): \(what) in the \(table) \(Self.percent($0.value)) (95% interval \(Self.percent($0.low))–\(Self.percent($0.high)))") }
            }
            rows.append(SVGChart.Row(label: f.group, flag: flag(f), flagMuted: f.status == "reference", real: point(f.real, "training data"),
                                     synthetic: point(f.synthetic, "release"),
                                     realNote: f.real == nil ? "real \(what) withheld (small-cell rule)" : nil,
                                     separatorBefore: lastColumns != nil && lastColumns != f.columns))
            lastColumns = f.columns
        }
        return rows
    }

    private func dcrChart(_ result: ScanResult) -> String {
        let heading = "Distance to the closest record"
        let caption = "Distribution of the distance from each record to its closest training (or holdout) record, from the percentiles the rule reports. A release that copies or overfits its training data sits left of the holdout→train baseline (unseen real patients); synthetic→train should look like synthetic→holdout."
        let outcomes = result.outcomes.filter { $0.rule.check == Self.dcrKind }
        if let why = absence(outcomes, kind: Self.dcrKind) { return figure(heading, caption: caption, body: note(why)) }
        let hasHoldout = result.inputs.contains { $0.role == .holdout }
        var body = ""
        for o in outcomes where o.status != .skipped {
            // dcr_<series>_<statistic>: p01, p05, p25, median, p75, p95, … and mean.
            var series: [String: (percentiles: [(p: Double, value: Double)], mean: Double?)] = [:]
            for m in o.measurements where m.key.hasPrefix("dcr_") {
                let parts = m.key.dropFirst(4).split(separator: "_")
                guard parts.count == 2 else { continue }
                let name = String(parts[0]), stat = parts[1]
                if stat == "mean" { series[name, default: ([], nil)].mean = m.value; continue }
                let p: Double? = stat == "median" ? 50 : (stat.hasPrefix("p") ? Double(stat.dropFirst()) : nil)
                if let p { series[name, default: ([], nil)].percentiles.append((p, m.value)) }
            }
            let known: [(key: String, label: String, cls: String)] = [
                ("train", "synthetic → train", "synthetic"),
                ("holdout", "synthetic → holdout", "holdout"),
                ("real", hasHoldout ? "holdout → train (real baseline)" : "train → train, leave-one-out (real baseline)", "real"),
                ("random", "random → train (baseline)", "random"),
            ]
            let strips = known.compactMap { k -> SVGChart.Strip? in
                guard let s = series[k.key], !s.percentiles.isEmpty || s.mean != nil else { return nil }
                return SVGChart.Strip(label: k.label, percentiles: s.percentiles, mean: s.mean, seriesClass: k.cls)
            }
            guard !strips.isEmpty else {
                body += note("<code>\(E.text(o.rule.id))</code> reports no distance percentiles.")
                continue
            }
            let threshold = o.measurement("near_copy_threshold").flatMap { $0.isFinite ? (value: $0, label: "near-copy threshold") : nil }
            let title = "\(o.rule.id): distance to closest record, percentiles per comparison"
            body += SVGChart.strips(title: title, axisTitle: "distance to the closest record (scaled to the training ranges)",
                                    strips: strips, threshold: threshold)
        }
        return figure(heading, caption: caption, body: body)
    }

    // MARK: Slices, findings, notes

    private func slicesTable(_ result: ScanResult) -> String {
        let sliced = result.outcomes.filter { !$0.rule.sliceBy.isEmpty }
        guard !sliced.isEmpty else { return "" }
        var out = "<section id=\"slices\">\n<h2>Sliced rules</h2>\n<p>Rules also run within each group of their <code>by</code> columns. A failing slice is a note (“look here”), not a verdict.</p>\n"
        out += "<table>\n<thead><tr><th>Rule</th><th>By</th><th class=\"num\">Slices run</th><th class=\"num\">Failing</th><th class=\"num\">Too small</th><th>Failing slices</th></tr></thead>\n<tbody>\n"
        for o in sliced {
            let count = { (key: String) in o.measurement(key).map { String(Int($0)) } ?? "–" }
            // SliceRunner words each failing slice's finding "In slice <group> …".
            let slices = o.findings.filter { $0.message.hasPrefix("In slice ") }.compactMap(\.location.subgroup)
            out += "<tr><td><code>\(E.text(o.rule.id))</code></td><td>\(E.text(o.rule.sliceBy.joined(separator: " × ")))</td>"
            out += "<td class=\"num\">\(count("slices_run"))</td><td class=\"num\">\(count("slices_failing"))</td><td class=\"num\">\(count("slices_skipped_small"))</td>"
            out += "<td>\(slices.isEmpty ? (o.status == .skipped ? "rule skipped" : "none") : slices.map { "<code>\(E.text($0))</code>" }.joined(separator: ", "))</td></tr>\n"
        }
        return out + "</tbody>\n</table>\n</section>\n"
    }

    private func findingsSection(_ result: ScanResult) -> String {
        let failing = result.outcomes.filter { $0.status == .fail && !$0.findings.isEmpty }.sorted { order($0) < order($1) }
        guard !failing.isEmpty else { return "" }
        var out = "<section id=\"findings\">\n<h2>Findings</h2>\n"
        for o in failing {
            let shown = o.findings.prefix(maxFindingsPerRule)
            out += "<details>\n<summary><code>\(E.text(o.rule.id))</code>: \(F.plural(o.findings.count, "finding"))</summary>\n"
            out += "<table>\n<thead><tr><th class=\"num\">Row</th><th class=\"num\">Line</th><th>Columns / group</th><th>Record</th><th>Level</th><th>Message</th></tr></thead>\n<tbody>\n"
            for f in shown {
                let loc = f.location
                let place = loc.subgroup.map { "group " + E.text($0) }
                    ?? E.text(loc.columns.prefix(4).joined(separator: ", ") + (loc.columns.count > 4 ? ", …" : ""))
                let record = loc.recordDigest.map { "<code>\(E.text(String($0.prefix(16))))</code>" } ?? ""
                let message = loc.row == nil ? E.text(f.message) : ""
                out += "<tr><td class=\"num\">\(loc.row.map(String.init) ?? "")</td><td class=\"num\">\(loc.line.map(String.init) ?? "")</td><td>\(place)</td><td>\(record)</td><td>\(f.level.rawValue)\(f.suppression != nil ? " (waived)" : "")</td><td>\(message)</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
            if o.findings.count > shown.count {
                out += "<p>… and \(o.findings.count - shown.count) more (see the SARIF or JSON report).</p>\n"
            }
            out += "</details>\n"
        }
        return out + "</section>\n"
    }

    private func notesSection(_ result: ScanResult) -> String {
        guard !result.notifications.isEmpty || !result.rulePacks.isEmpty else { return "" }
        var out = "<section id=\"notes\">\n<h2>Rule packs and notes</h2>\n"
        if !result.rulePacks.isEmpty {
            out += "<ul>\n"
            for p in result.rulePacks {
                out += "<li><code>\(E.text(p.id))</code> \(E.text(p.version)) (\(E.text(p.location))) <code>\(E.text(p.contentHash))</code></li>\n"
            }
            out += "</ul>\n"
        }
        if !result.notifications.isEmpty {
            out += "<ul>\n"
            for n in result.notifications {
                out += "<li>\(n.level.rawValue) <code>\(E.text(n.code))</code>: \(E.text(n.message))</li>\n"
            }
            out += "</ul>\n"
        }
        return out + "</section>\n"
    }

    /// A proportion as a percentage with one decimal.
    static func percent(_ v: Double) -> String { String(format: "%.1f%%", v * 100) }

    // MARK: Style

    static let css = """
    :root { --fg: #1f2328; --bg: #ffffff; --muted: #59636e; --grid: #d1d9e0; --card: #f6f8fa;
      --real: #0969da; --synthetic: #bc4c00; --holdout: #8250df; --random: #59636e;
      --error: #cf222e; --warning: #9a6700; --note: #0969da; --pass: #1a7f37; --flag: #cf222e; }
    @media (prefers-color-scheme: dark) {
      :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --grid: #3d444d; --card: #151b23;
        --real: #4493f8; --synthetic: #f0883e; --holdout: #ab7df8; --random: #9198a1;
        --error: #f85149; --warning: #d29922; --note: #4493f8; --pass: #3fb950; --flag: #ff7b72; }
    }
    * { box-sizing: border-box; }
    body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
    main { max-width: 1100px; margin: 0 auto; padding: 24px; }
    h1 { font-size: 1.5em; margin: 0 0 4px; } h2 { font-size: 1.25em; margin: 28px 0 8px; } h3 { font-size: 1.05em; margin: 0 0 6px; }
    code { font: 0.9em ui-monospace, "DejaVu Sans Mono", monospace; }
    .meta, figcaption, .chart-note, footer { color: var(--muted); font-size: 0.9em; }
    a { color: inherit; }
    .verdict { border-left: 6px solid var(--pass); background: var(--card); padding: 8px 16px; margin-top: 16px; }
    .verdict.fail { border-left-color: var(--error); }
    .verdict h2 { margin: 4px 0; }
    .verdict.fail h2 { color: var(--error); } .verdict.pass h2 { color: var(--pass); }
    ul.failing { list-style: none; padding: 0; margin: 4px 0; display: flex; flex-wrap: wrap; gap: 6px 16px; }
    table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
    th, td { border-bottom: 1px solid var(--grid); padding: 4px 8px; text-align: left; vertical-align: top; }
    th { background: var(--card); }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
    table.rules td:nth-child(3) { white-space: nowrap; }
    .badge { display: inline-block; min-width: 4.2em; text-align: center; border-radius: 4px; padding: 0 6px; font-size: 0.8em; font-weight: 600; color: #fff; }
    .badge.pass { background: var(--pass); } .badge.error { background: var(--error); } .badge.warning { background: var(--warning); }
    .badge.note { background: var(--note); } .badge.skip, .badge.off { background: var(--muted); }
    figure { margin: 16px 0 28px; padding: 12px 16px; background: var(--card); border-radius: 6px; }
    svg.chart { display: block; max-width: 100%; height: auto; margin: 4px 0 8px; font: 12px "DejaVu Sans", system-ui, sans-serif; }
    svg.chart text { fill: var(--fg); }
    svg.chart text.note, svg.chart .tick-label { fill: var(--muted); font-size: 11px; }
    svg.chart .flag { fill: var(--flag); font-weight: 600; } svg.chart .flag.muted { fill: var(--muted); font-weight: 400; }
    svg.chart .axis-title { fill: var(--muted); }
    svg.chart .grid { stroke: var(--grid); stroke-width: 1; }
    svg.chart .baseline { stroke: var(--muted); stroke-width: 1; }
    svg.chart .separator { stroke: var(--grid); stroke-dasharray: 2 3; }
    svg.chart .real { fill: var(--real); stroke: var(--real); }
    svg.chart .synthetic { fill: var(--synthetic); stroke: var(--synthetic); }
    svg.chart .holdout { fill: var(--holdout); stroke: var(--holdout); }
    svg.chart .random { fill: var(--random); stroke: var(--random); }
    svg.chart .interval { stroke-width: 2; }
    svg.chart circle, svg.chart rect, svg.chart path { stroke: none; }
    svg.chart .range { stroke-width: 3; opacity: 0.45; }
    svg.chart .box { opacity: 0.35; }
    svg.chart .tick { stroke-width: 2; } svg.chart .tick.median { stroke-width: 4; }
    svg.chart .legend .synthetic .tick { stroke: var(--fg); }
    svg.chart .legend .synthetic .mean { fill: var(--fg); }
    svg.chart .threshold line { stroke: var(--error); stroke-width: 1.5; stroke-dasharray: 5 4; }
    svg.chart .threshold text { fill: var(--error); }
    details { margin: 6px 0; } summary { cursor: pointer; }
    footer { margin-top: 32px; border-top: 1px solid var(--grid); padding-top: 8px; }

    """
}
