import Foundation
import Testing
@testable import SynthScanCore

/// The Markdown summary (pull-request comments, step summaries) on the report fixture.
@Suite struct MarkdownReportTests {
    @Test func markdownSummaryMatchesTheGoldenFile() throws {
        let text = try MarkdownReportWriter().writeString(ReportTests.sample())
        try ReportTests.checkGolden("report-sample.md", text)
    }

    @Test func failingRulesComeFirstWithTheirFindingsAndNoValues() throws {
        let text = try MarkdownReportWriter(maxFindingsPerRule: 2).writeString(ReportTests.sample())
        #expect(text.hasPrefix("## ❌ synthscan:"))
        let failing = try #require(text.range(of: "`privacy/exact-copy`"))
        let passing = try #require(text.range(of: "`bias/outcome-disparity-amplification`"))
        #expect(failing.lowerBound < passing.lowerBound, "failing rules are listed first")
        #expect(text.contains("<details><summary><code>privacy/exact-copy</code>: 3 findings</summary>"))
        #expect(text.contains("… and 1 more"))
        for value in ReportTests.realValues { #expect(!text.contains(value), "the summary must not print \(value)") }
    }

    @Test func tableCellsCannotBeBrokenByAMessage() throws {
        var result = ReportTests.sample()
        result.outcomes[0].message = "a | b\nc <script>"
        let text = try MarkdownReportWriter().writeString(result)
        #expect(text.contains("a \\| b c &lt;script&gt;"))
        #expect(!text.contains("<script>"))
    }
}
