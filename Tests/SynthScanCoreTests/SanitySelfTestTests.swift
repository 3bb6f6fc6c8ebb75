import Foundation
import Testing
@testable import SynthScanCore

/// The built-in sanity scenarios on the bundled example cohort: every memorisation rule fails when
/// the training table is released as is, and no privacy rule fails on resampled marginals or on
/// unseen real records (with a training table four times the holdout's size).
@Suite struct SanitySelfTestTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Examples").path

    @Test func coreRulesMeetEveryRequirementOnTheExampleCohort() throws {
        let configuration = try ScanConfigurationLoader.load(path: Self.examples + "/synthscan.yaml")
        let data = try DatasetLoader.load(configuration)
        let rules = try RulePackLoader(repository: PackRepository(), today: "2026-11-29").load(roots: []).enabledRules
        let results = try SanitySelfTest.run(data: data, configuration: configuration, rules: rules)
        for scenario in SanitySelfTest.Scenario.allCases {
            #expect(results.contains { $0.scenario == scenario && $0.required != nil }, "\(scenario.rawValue) ran")
        }
        let memorisation = rules.filter { $0.tags.contains("memorisation") }.map(\.id)
        #expect(memorisation.count >= 4)
        for id in memorisation {
            #expect(results.contains { $0.scenario == .trainAsRelease && $0.ruleID == id && $0.status == .fail })
        }
        for r in results where !r.ok {
            Issue.record("\(r.scenario.rawValue): \(r.ruleID) \(r.status.rawValue), required \(r.required ?? "")")
        }
    }
}
