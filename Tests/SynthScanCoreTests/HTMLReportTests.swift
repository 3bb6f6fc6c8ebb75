import Foundation
import Testing
@testable import SynthScanCore

/// The HTML report: one self-contained page (no script, no external resource), every string from
/// the result escaped, the three charts with one mark per plotted value, notes in place of charts
/// whose rule did not run, and the per-group figures the charts draw (with the small-cell rule).
@Suite struct HTMLReportTests {
    static func rule(_ id: String, kind: String, severity: Severity = .warning, sliceBy: [String] = []) -> RuleDescriptor {
        var rule = RuleDescriptor(id: id, check: kind, summary: "s", description: "d", help: "h", severity: severity,
                                  tags: [], references: [], parameters: RuleParameters([:]), pack: "test/pack")
        rule.sliceBy = sliceBy
        return rule
    }

    static func estimate(_ v: Double) -> GroupFigure.Estimate { .init(v, low: max(0, v - 0.05), high: min(1, v + 0.05)) }

    /// The report fixture plus a representation-skew, a DCR and an outcome-disparity outcome.
    static func chartSample(label: String = "race=Black") -> ScanResult {
        var result = ReportTests.sample()
        var shares = RuleOutcome(rule: rule("bias/representation-skew", kind: "representation-skew"), status: .fail, level: .warning,
                                 message: "1 of 3 protected subgroups is skewed.", measurements: [Measurement("cells_judged", 3)], findings: [])
        shares.groupFigures = [
            GroupFigure(group: label, columns: ["race"], real: estimate(0.2), synthetic: estimate(0.05), status: "under"),
            GroupFigure(group: "race=White", columns: ["race"], real: estimate(0.7), synthetic: estimate(0.8), status: "pass"),
            GroupFigure(group: "race=Other", columns: ["race"], real: nil, synthetic: .init(0, low: 0, high: 0.01), status: "erased"),
        ]
        let dcr = RuleOutcome(rule: rule("privacy/distance-to-closest-record", kind: "distance-to-closest-record", severity: .error),
                              status: .pass, level: .error, message: "No closer to train than holdout.",
                              measurements: [Measurement("synthetic_rows", 300), Measurement("dcr_train_p01", 0.01),
                                             Measurement("dcr_train_p05", 0.04), Measurement("dcr_train_median", 0.12),
                                             Measurement("dcr_train_mean", 0.125), Measurement("dcr_holdout_p05", 0.05),
                                             Measurement("dcr_holdout_median", 0.13), Measurement("dcr_real_p05", 0.045),
                                             Measurement("dcr_real_median", 0.11), Measurement("dcr_random_median", 0.27),
                                             Measurement("near_copy_threshold", 0.015)],
                              findings: [])
        var rates = RuleOutcome(rule: rule("bias/outcome-disparity-amplification-2", kind: "outcome-disparity-amplification"),
                                status: .pass, level: .warning, message: "No disparity distorted.", measurements: [], findings: [])
        rates.groupFigures = [
            GroupFigure(group: "sex=F", columns: ["sex"], real: estimate(0.14), synthetic: estimate(0.16), status: "reference"),
            GroupFigure(group: "sex=M", columns: ["sex"], real: estimate(0.15), synthetic: estimate(0.10), status: "amplified"),
        ]
        result.outcomes += [shares, dcr, rates]
        return result
    }

    static func html(_ result: ScanResult) throws -> String { try HTMLReportWriter().writeString(result) }

    /// The SVG elements of the page, in order.
    static func charts(_ html: String) -> [String] {
        html.components(separatedBy: "<svg ").dropFirst().map { String($0.components(separatedBy: "</svg>")[0]) }
    }

    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func aSelfContainedPageWithoutScriptOrExternalResources() throws {
        let text = try Self.html(Self.chartSample())
        #expect(text.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(text.hasSuffix("</html>\n"))
        for forbidden in ["<script", "src=", "http://", "https://", "@import", "url(", "<link", "<img", "<iframe", "<object"] {
            #expect(!text.lowercased().contains(forbidden), "the page holds \(forbidden)")
        }
        // The only links are to anchors on the page.
        for match in text.matches(of: /href="([^"]*)"/) { #expect(match.output.1.hasPrefix("#")) }
        #expect(Self.count("<style>", in: text) == 1)
        #expect(text.contains("prefers-color-scheme: dark"))
    }

    @Test func everyStringFromTheResultIsEscaped() throws {
        let hostile = "<script>alert(1)</script>&\"'"
        var result = Self.chartSample(label: "race=" + hostile)
        result.outcomes[0].message = hostile
        result.outcomes[1].rule.id = "privacy/" + hostile
        result.inputs[2].uri = "data/" + hostile + ".csv"
        result.notifications.append(ScanNotification(level: .note, code: hostile, message: hostile))
        result.disabledRules.append(DisabledRule(id: hostile, pack: hostile, reason: hostile))
        result.rulePacks.append(PackSummary(id: hostile, version: hostile, contentHash: hostile, location: hostile, extends: nil, description: hostile))
        result.toolVersion = hostile
        let text = try Self.html(result)
        #expect(!text.contains("<script>"))
        #expect(!text.contains("alert(1)</script>"))
        #expect(!text.contains("&\"'"))
        #expect(text.contains("&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;"))
        // Inside SVG labels and tooltips too.
        let shares = try #require(Self.charts(text).first)
        #expect(shares.contains("race=&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;"))
        #expect(HTMLEscape.text("a\u{1B}[31mb\u{0}") == "a [31mb ")
    }

    @Test func threeChartsWithOneMarkPerPlottedValue() throws {
        let text = try Self.html(Self.chartSample())
        let charts = Self.charts(text)
        try #require(charts.count == 3)
        for chart in charts {
            #expect(chart.hasPrefix("class=\"chart\" role=\"img\" aria-label=\""))
            #expect(chart.contains("<title>"))
            #expect(chart.contains("class=\"axis\""))
            #expect(chart.contains("class=\"legend\""))
        }
        let (shares, dcr, rates) = (charts[0], charts[1], charts[2])
        // Shares: three synthetic marks, two real ones (one withheld, with a note instead).
        #expect(Self.count("class=\"mark real\"", in: shares) == 2)
        #expect(Self.count("class=\"mark synthetic\"", in: shares) == 3)
        #expect(shares.contains("real share withheld (small-cell rule)"))
        #expect(shares.contains("▼ under") && shares.contains("✕ erased"))
        #expect(shares.contains(">0%</text>") && shares.contains("share of the table"))
        #expect(shares.contains("<title>race=Black: share in the training data 20.0% (95% interval 15.0%–25.0%)</title>"))
        // DCR: four strips (train, holdout, real, random), 3 + 2 + 2 + 1 percentile ticks and one mean.
        #expect(Self.count("<g class=\"strip ", in: dcr) == 4)
        #expect(Self.count("<g class=\"mark\">", in: dcr) == 9)
        #expect(Self.count("class=\"mean\"", in: dcr) == 2) // the mark and its legend entry
        #expect(dcr.contains("synthetic → train") && dcr.contains("synthetic → holdout")
                && dcr.contains("holdout → train (real baseline)") && dcr.contains("random → train (baseline)"))
        #expect(dcr.contains("near-copy threshold"))
        #expect(dcr.contains("<title>synthetic → train: median 0.12</title>"))
        // Outcome rates: two groups, both figures each; reference and amplified flags.
        #expect(Self.count("class=\"mark real\"", in: rates) == 2)
        #expect(Self.count("class=\"mark synthetic\"", in: rates) == 2)
        #expect(rates.contains("reference") && rates.contains("▲ amplified"))
    }

    @Test func aChartWhoseRuleDidNotRunIsANote() throws {
        var result = Self.chartSample()
        let i = try #require(result.outcomes.firstIndex { $0.rule.check == "representation-skew" })
        result.outcomes[i].status = .skipped
        result.outcomes[i].message = "No protected attribute is declared."
        result.outcomes[i].groupFigures = []
        result.outcomes.removeAll { $0.rule.check == "distance-to-closest-record" }
        let text = try Self.html(result)
        #expect(Self.charts(text).count == 1)
        #expect(text.contains("<code>bias/representation-skew</code> was skipped: No protected attribute is declared."))
        #expect(text.contains("No <code>distance-to-closest-record</code> rule ran"))
        // A rule that ran without figures (an older result) also gets a note.
        let j = try #require(result.outcomes.firstIndex { $0.rule.check == "outcome-disparity-amplification" })
        result.outcomes[j].groupFigures = []
        #expect(try Self.html(result).contains("reports no per-group outcome rates"))
        #expect(Self.charts(try Self.html(result)).isEmpty)
    }

    @Test func verdictRulesTableAndSlices() throws {
        var result = Self.chartSample()
        var sliced = RuleOutcome(rule: Self.rule("privacy/exact-copy-by-sex", kind: "exact-copy", sliceBy: ["sex"]), status: .pass,
                                 level: .note, message: "ok", measurements: [Measurement("slices_run", 2), Measurement("slices_failing", 1),
                                                                             Measurement("slices_skipped_small", 0)], findings: [])
        sliced.findings = [Finding(ruleID: "privacy/exact-copy-by-sex", level: .note, message: "In slice sex=F (40 synthetic records) this rule fails on its own: …",
                                   location: FindingLocation(table: .synthetic, subgroup: "sex=F"), fingerprint: "f")]
        result.outcomes.append(sliced)
        let text = try Self.html(result)
        #expect(text.contains("✕ The release fails the gate (fail-on error)"))
        #expect(text.contains("<td class=\"num\">1000</td>"), "input row counts")
        // Failing rules first, with the message as the key figure (as the Markdown report).
        let failing = try #require(text.range(of: "<code>privacy/exact-copy</code></td><td>3 synthetic rows copy a training record.</td>"))
        let passing = try #require(text.range(of: "<code>bias/outcome-disparity-amplification</code></td><td>Disparity within tolerance for sex.</td>"))
        #expect(failing.lowerBound < passing.lowerBound)
        #expect(text.contains("<section id=\"slices\">"))
        #expect(text.contains("<td><code>privacy/exact-copy-by-sex</code></td><td>sex</td><td class=\"num\">2</td><td class=\"num\">1</td><td class=\"num\">0</td><td><code>sex=F</code></td>"))
    }

    @Test func deterministicAndWithoutRealValues() throws {
        let first = try HTMLReportWriter().write(Self.chartSample())
        #expect(first == (try HTMLReportWriter().write(Self.chartSample())))
        let text = String(decoding: first, as: UTF8.self)
        for value in ReportTests.realValues { #expect(!text.contains(value)) }
    }

    @Test func axisTicksAreRoundSteps() {
        let axis = SVGChart.Axis(maximum: 0.66)
        #expect(axis.step == 0.1 && abs(axis.maximum - 0.7) < 1e-12 && axis.ticks.count == 8)
        #expect(axis.percentLabel(0.3) == "30%")
        let small = SVGChart.Axis(maximum: 0.283)
        #expect(small.step == 0.05 && small.label(0.15) == "0.15")
    }

    // MARK: Group figures and the small-cell rule

    @Test func complementarySuppressionWithinAnAttribute() {
        let levels = [("a", 500), ("b", 30), ("c", 8), ("d", 40)]
        #expect(GroupFigure.withheld(levels, unsafe: [], printed: []).isEmpty)
        // One unsafe level: it and the smallest other level no finding prints.
        #expect(GroupFigure.withheld(levels, unsafe: ["c"], printed: []) == ["c", "b"])
        #expect(GroupFigure.withheld(levels, unsafe: ["c"], printed: ["b"]) == ["c", "d"])
        // Every other level printed: the whole attribute.
        #expect(GroupFigure.withheld(levels, unsafe: ["c"], printed: ["a", "b", "d"]) == ["a", "b", "c", "d"])
        // Two or more: just those.
        #expect(GroupFigure.withheld(levels, unsafe: ["b", "c"], printed: []) == ["b", "c"])
    }

    @Test func representationSkewExposesEveryMarginWithSmallOnesWithheld() throws {
        let t = RepresentationSkewTests.self
        // race: A 600, B 300, C 95, D 5 (small) in training; the release drops D.
        let outcome = try t.run(train: t.table([("A,x", 600), ("B,x", 300), ("C,x", 95), ("D,x", 5)]),
                                synthetic: t.table([("A,x", 610), ("B,x", 295), ("C,x", 95)]), protected: ["race"])
        let figures = Dictionary(uniqueKeysWithValues: outcome.groupFigures.map { ($0.group, $0) })
        #expect(Set(figures.keys) == ["race=A", "race=B", "race=C", "race=D"])
        // D is small; C (the smallest other level) is withheld with it, so 1 − A − B gives C + D only.
        #expect(figures["race=D"]?.real == nil && figures["race=C"]?.real == nil)
        #expect(figures["race=A"]?.real?.value == 0.6 && figures["race=B"]?.real?.value == 0.3)
        let a = try #require(figures["race=A"]?.real)
        #expect(a.low < 0.6 && a.high > 0.6)
        #expect(figures["race=A"]?.synthetic?.value == 0.61)
        #expect(figures["race=D"]?.synthetic?.value == 0)
        #expect(figures["race=A"]?.status == "pass" || figures["race=A"]?.status == "inconclusive")
        #expect(figures["race=D"]?.status == "erased")
    }

    @Test func outcomeDisparityExposesRatesWithTheReferenceAndSmallCountsWithheld() throws {
        let t = OutcomeDisparityTests.self
        // C has 7 real positives (1 to 10): withheld, and with it D, the smallest other level.
        let train = t.table([("A", 300, 60), ("B", 100, 30), ("C", 40, 7), ("D", 60, 20)])
        let synthetic = t.table([("A", 300, 60), ("B", 100, 25), ("C", 40, 8), ("D", 60, 20)])
        let outcome = try t.run(train: train, synthetic: synthetic, params: ["order": .integer(1)])
        let figures = Dictionary(uniqueKeysWithValues: outcome.groupFigures.map { ($0.group, $0) })
        #expect(Set(figures.keys) == ["race=A", "race=B", "race=C", "race=D"])
        #expect(figures["race=A"]?.status == "reference")
        #expect(figures["race=A"]?.real?.value == 0.2 && figures["race=B"]?.real?.value == 0.3)
        #expect(figures["race=C"]?.real == nil && figures["race=D"]?.real == nil)
        #expect(figures["race=C"]?.synthetic?.value == 0.2 && figures["race=B"]?.synthetic?.value == 0.25)
        let b = try #require(figures["race=B"]?.synthetic)
        #expect(b.low < 0.25 && b.high > 0.25)
        // The JSON report does not carry them.
        var result = ReportTests.sample()
        result.outcomes = [outcome]
        let json = try JSONReportWriter().writeString(result)
        #expect(!json.contains("group_figures") && !json.contains("groupFigures"))
    }
}
