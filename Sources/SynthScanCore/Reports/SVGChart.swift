import Foundation

/// Escapes text for HTML and SVG, in element content and in quoted attribute values alike.
enum HTMLEscape {
    /// `&`, `<`, `>`, `"` and `'` as character references; control characters other than tab and
    /// newline become spaces (they are not allowed in HTML text).
    static func text(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            default:
                if scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}" {
                    out += " "
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}

/// Builds the report's inline SVG charts: horizontal dot-and-interval rows (one row per group,
/// a real and a synthetic mark each) and percentile strips. Pure string building, deterministic,
/// styled by the page's CSS classes (so light and dark schemes apply), every text escaped.
///
/// Every chart is an `<svg role="img" aria-label="…">` with a `<title>`, an x axis with ticks and
/// a title, a legend, and one `<g class="mark …">` per plotted value holding a `<title>` tooltip.
struct SVGChart {
    /// One plotted value with its interval.
    struct Point {
        var value: Double
        var low: Double?
        var high: Double?
        var tooltip: String
    }

    /// One row of a dot-and-interval chart.
    struct Row {
        var label: String
        /// Short annotation after the label (e.g. `▼ under`), drawn in the warning colour.
        var flag: String?
        /// Whether the flag is informational (muted colour) rather than a warning.
        var flagMuted = false
        var real: Point?
        var synthetic: Point?
        /// Shown in the plot area when `real` is absent (e.g. withheld by the small-cell rule).
        var realNote: String?
        /// Starts a new block (a thin rule above the row).
        var separatorBefore = false
    }

    /// One strip of a percentile chart: named percentiles (0...100) of one distribution.
    struct Strip {
        var label: String
        var percentiles: [(p: Double, value: Double)]
        var mean: Double?
        var seriesClass: String
    }

    static let width = 1000.0
    static let rowHeight = 26.0
    static let top = 44.0
    static let axisSpace = 46.0
    static let right = 24.0

    private typealias E = HTMLEscape

    // MARK: Dot and interval

    /// Horizontal dot-and-interval chart of proportions (real ● vs synthetic ■ per row), x in percent.
    static func dotInterval(title: String, axisTitle: String, rows: [Row], realName: String, syntheticName: String) -> String {
        let labelWidth = self.labelWidth(rows.map { $0.label + ($0.flag.map { "  " + $0 } ?? "") })
        let left = labelWidth + 16
        let plotWidth = width - left - right
        let height = top + Double(rows.count) * rowHeight + axisSpace
        let maxValue = rows.flatMap { [$0.real?.high ?? $0.real?.value, $0.synthetic?.high ?? $0.synthetic?.value] }
            .compactMap { $0 }.max() ?? 0
        let axis = Axis(maximum: max(maxValue, 0.01) * 1.05)
        let x = { (v: Double) in left + plotWidth * min(max(v, 0), axis.maximum) / axis.maximum }

        var out = open(title: title, height: height)
        out += legend([("real", "circle", realName), ("synthetic", "square", syntheticName)], x: left,
                      extra: "lines: 95% interval")
        out += xAxis(axis, x: x, top: top - 6, bottom: top + Double(rows.count) * rowHeight, title: axisTitle,
                     left: left, plotWidth: plotWidth, percent: true)
        for (i, row) in rows.enumerated() {
            let y = top + Double(i) * rowHeight + rowHeight / 2
            if row.separatorBefore, i > 0 {
                out += "<line class=\"separator\" x1=\"0\" x2=\"\(n(width - right))\" y1=\"\(n(y - rowHeight / 2))\" y2=\"\(n(y - rowHeight / 2))\"/>\n"
            }
            out += "<text class=\"label\" x=\"\(n(labelWidth + 8))\" y=\"\(n(y + 4))\" text-anchor=\"end\"><title>\(E.text(row.label))</title>"
            out += E.text(ReportFormatting.truncated(row.label, to: maxLabelCharacters))
            if let flag = row.flag { out += "<tspan class=\"\(row.flagMuted ? "flag muted" : "flag")\" dx=\"6\">\(E.text(flag))</tspan>" }
            out += "</text>\n"
            if let p = row.real {
                out += mark(p, y: y - 4, x: x, seriesClass: "real", shape: "circle")
            } else if let note = row.realNote {
                out += "<text class=\"note\" x=\"\(n(left + 4))\" y=\"\(n(y - 2))\">\(E.text(note))</text>\n"
            }
            if let p = row.synthetic { out += mark(p, y: y + 4, x: x, seriesClass: "synthetic", shape: "square") }
        }
        return out + "</svg>\n"
    }

    // MARK: Percentile strips

    /// Percentile strips of distance distributions on one axis: a line from the lowest to the
    /// highest reported percentile (a box from p25 to p75 when both are reported), a tick per
    /// percentile labelled p1, p5, …, the median bold, the mean ◆; an optional dashed threshold.
    static func strips(title: String, axisTitle: String, strips: [Strip], threshold: (value: Double, label: String)?) -> String {
        let labelWidth = self.labelWidth(strips.map(\.label))
        let left = labelWidth + 16
        let plotWidth = width - left - right
        let stripHeight = 40.0
        let height = top + Double(strips.count) * stripHeight + axisSpace + (threshold == nil ? 0 : 14)
        let values = strips.flatMap { $0.percentiles.map(\.value) + [$0.mean].compactMap { $0 } } + [threshold?.value].compactMap { $0 }
        let axis = Axis(maximum: max(values.filter(\.isFinite).max() ?? 0, 1e-9) * 1.08)
        let x = { (v: Double) in left + plotWidth * min(max(v, 0), axis.maximum) / axis.maximum }
        let bottom = top + Double(strips.count) * stripHeight

        var out = open(title: title, height: height)
        out += legend([("synthetic", "tick", "percentile (p50 = median)"), ("synthetic", "diamond", "mean")], x: left,
                      extra: threshold == nil ? nil : "dashed: near-copy threshold")
        out += xAxis(axis, x: x, top: top - 6, bottom: bottom, title: axisTitle, left: left, plotWidth: plotWidth, percent: false)
        for (i, strip) in strips.enumerated() {
            let y = top + Double(i) * stripHeight + stripHeight / 2 + 4
            out += "<text class=\"label\" x=\"\(n(labelWidth + 8))\" y=\"\(n(y + 4))\" text-anchor=\"end\"><title>\(E.text(strip.label))</title>"
                + E.text(ReportFormatting.truncated(strip.label, to: maxLabelCharacters)) + "</text>\n"
            let ps = strip.percentiles.filter { $0.value.isFinite }.sorted { $0.p < $1.p }
            out += "<g class=\"strip \(strip.seriesClass)\">\n"
            if let lo = ps.first, let hi = ps.last, ps.count > 1 {
                out += "<line class=\"range\" x1=\"\(n(x(lo.value)))\" x2=\"\(n(x(hi.value)))\" y1=\"\(n(y))\" y2=\"\(n(y))\"/>\n"
            }
            if let q1 = ps.first(where: { $0.p == 25 }), let q3 = ps.first(where: { $0.p == 75 }) {
                out += "<rect class=\"box\" x=\"\(n(x(q1.value)))\" y=\"\(n(y - 7))\" width=\"\(n(max(1, x(q3.value) - x(q1.value))))\" height=\"14\"/>\n"
            }
            var lastLabelX = -Double.infinity
            for (k, p) in ps.enumerated() {
                let px = x(p.value)
                let name = p.p == 50 ? "median" : "p\(n(p.p))"
                out += "<g class=\"mark\"><title>\(E.text("\(strip.label): \(name) \(number(p.value))"))</title>"
                out += "<line class=\"tick\(p.p == 50 ? " median" : "")\" x1=\"\(n(px))\" x2=\"\(n(px))\" y1=\"\(n(y - (p.p == 50 ? 9 : 6)))\" y2=\"\(n(y + (p.p == 50 ? 9 : 6)))\"/></g>\n"
                // Labels above the strip, skipped when they would overlap the previous one.
                let shortName = p.p == 50 ? "p50" : "p\(n(p.p))"
                if px - lastLabelX >= 26 || k == ps.count - 1 && px - lastLabelX >= 18 {
                    out += "<text class=\"tick-label\" x=\"\(n(px))\" y=\"\(n(y - 12))\" text-anchor=\"middle\">\(shortName)</text>\n"
                    lastLabelX = px
                }
            }
            if let mean = strip.mean, mean.isFinite {
                let mx = x(mean)
                out += "<g class=\"mark\"><title>\(E.text("\(strip.label): mean \(number(mean))"))</title>"
                out += "<path class=\"mean\" d=\"M\(n(mx)) \(n(y - 5))L\(n(mx + 5)) \(n(y))L\(n(mx)) \(n(y + 5))L\(n(mx - 5)) \(n(y))Z\"/></g>\n"
            }
            out += "</g>\n"
        }
        if let threshold {
            let tx = x(threshold.value)
            out += "<g class=\"threshold\"><title>\(E.text("\(threshold.label): \(number(threshold.value))"))</title>"
            out += "<line x1=\"\(n(tx))\" x2=\"\(n(tx))\" y1=\"\(n(top - 6))\" y2=\"\(n(bottom))\"/>"
            let anchor = tx > left + plotWidth * 0.7 ? "end" : "start"
            out += "<text x=\"\(n(tx + (anchor == "end" ? -4 : 4)))\" y=\"\(n(bottom + axisSpace + 6))\" text-anchor=\"\(anchor)\">\(E.text(threshold.label))</text></g>\n"
        }
        return out + "</svg>\n"
    }

    // MARK: Pieces

    static let maxLabelCharacters = 52

    /// Width of the label column for `labels` at about 7 px per character (12 px sans-serif).
    private static func labelWidth(_ labels: [String]) -> Double {
        let longest = labels.map { min($0.count, maxLabelCharacters + 12) }.max() ?? 8
        return min(max(Double(longest) * 7.0, 80), 400)
    }

    private static func open(title: String, height: Double) -> String {
        "<svg class=\"chart\" role=\"img\" aria-label=\"\(E.text(title))\" viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" height=\"\(n(height))\">\n<title>\(E.text(title))</title>\n"
    }

    /// One plotted value: interval line (with end caps) and a circle or square, with a tooltip.
    private static func mark(_ p: Point, y: Double, x: (Double) -> Double, seriesClass: String, shape: String) -> String {
        var out = "<g class=\"mark \(seriesClass)\"><title>\(E.text(p.tooltip))</title>"
        if let low = p.low, let high = p.high, low.isFinite, high.isFinite {
            let a = x(low), b = x(high)
            out += "<line class=\"interval\" x1=\"\(n(a))\" x2=\"\(n(b))\" y1=\"\(n(y))\" y2=\"\(n(y))\"/>"
            out += "<line class=\"interval\" x1=\"\(n(a))\" x2=\"\(n(a))\" y1=\"\(n(y - 3))\" y2=\"\(n(y + 3))\"/>"
            out += "<line class=\"interval\" x1=\"\(n(b))\" x2=\"\(n(b))\" y1=\"\(n(y - 3))\" y2=\"\(n(y + 3))\"/>"
        }
        let cx = x(p.value)
        if shape == "circle" {
            out += "<circle cx=\"\(n(cx))\" cy=\"\(n(y))\" r=\"4\"/>"
        } else {
            out += "<rect x=\"\(n(cx - 3.5))\" y=\"\(n(y - 3.5))\" width=\"7\" height=\"7\"/>"
        }
        return out + "</g>\n"
    }

    /// A one-line legend above the plot.
    private static func legend(_ items: [(seriesClass: String, shape: String, text: String)], x: Double, extra: String?) -> String {
        var out = "<g class=\"legend\">"
        var cx = x
        let y = 16.0
        for item in items {
            out += "<g class=\"\(item.seriesClass)\">"
            switch item.shape {
            case "circle": out += "<circle cx=\"\(n(cx + 5))\" cy=\"\(n(y - 4))\" r=\"4\"/>"
            case "square": out += "<rect x=\"\(n(cx + 1.5))\" y=\"\(n(y - 7.5))\" width=\"7\" height=\"7\"/>"
            case "diamond": out += "<path class=\"mean\" d=\"M\(n(cx + 5)) \(n(y - 9))L\(n(cx + 10)) \(n(y - 4))L\(n(cx + 5)) \(n(y + 1))L\(n(cx)) \(n(y - 4))Z\"/>"
            default: out += "<line class=\"tick median\" x1=\"\(n(cx + 5))\" x2=\"\(n(cx + 5))\" y1=\"\(n(y - 10))\" y2=\"\(n(y + 2))\"/>"
            }
            out += "</g><text x=\"\(n(cx + 14))\" y=\"\(n(y))\">\(E.text(item.text))</text>"
            cx += 14 + Double(item.text.count) * 6.6 + 22
        }
        if let extra { out += "<text class=\"note\" x=\"\(n(cx))\" y=\"\(n(y))\">\(E.text(extra))</text>" }
        return out + "</g>\n"
    }

    /// Grid lines, tick labels and the axis title.
    private static func xAxis(_ axis: Axis, x: (Double) -> Double, top: Double, bottom: Double, title: String,
                              left: Double, plotWidth: Double, percent: Bool) -> String {
        var out = "<g class=\"axis\">"
        for t in axis.ticks {
            let tx = x(t)
            out += "<line class=\"grid\" x1=\"\(n(tx))\" x2=\"\(n(tx))\" y1=\"\(n(top))\" y2=\"\(n(bottom))\"/>"
            out += "<text x=\"\(n(tx))\" y=\"\(n(bottom + 16))\" text-anchor=\"middle\">\(percent ? axis.percentLabel(t) : axis.label(t))</text>"
        }
        out += "<line class=\"baseline\" x1=\"\(n(left))\" x2=\"\(n(left + plotWidth))\" y1=\"\(n(bottom))\" y2=\"\(n(bottom))\"/>"
        out += "<text class=\"axis-title\" x=\"\(n(left + plotWidth / 2))\" y=\"\(n(bottom + 34))\" text-anchor=\"middle\">\(E.text(title))</text>"
        return out + "</g>\n"
    }

    /// A linear axis from 0 with 1, 2 or 5 × 10^k steps (4 to 8 ticks), widened to a whole step.
    struct Axis {
        var maximum: Double
        var step: Double
        var ticks: [Double]

        init(maximum raw: Double) {
            let target = raw / 5
            let magnitude = pow(10, floor(log10(target)))
            let step = [1.0, 2.0, 5.0, 10.0].map { $0 * magnitude }.first { raw / $0 <= 8 } ?? 10 * magnitude
            let count = Int((raw / step).rounded(.up))
            self.step = step
            self.maximum = Double(count) * step
            self.ticks = (0...count).map { Double($0) * step }
        }

        /// Decimals the step needs.
        private var decimals: Int { max(0, Int(-floor(log10(step)))) }

        func label(_ v: Double) -> String { String(format: "%.\(decimals)f", v) }
        func percentLabel(_ v: Double) -> String { String(format: "%.\(max(0, decimals - 2))f%%", v * 100) }
    }

    /// A coordinate with at most one decimal.
    static func n(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(format: "%.1f", r)
    }

    /// A value for tooltips: four significant digits.
    static func number(_ v: Double) -> String { String(format: "%.4g", v) }
}
