import Foundation
import Testing
@testable import SynthScanCore

/// A rule file that fails to load is reported once: overrides, waivers and `disable` entries that
/// name its rule do not add a misleading "no loaded pack defines it" error.
@Suite struct RulePackCascadeTests {
    @Test func referencesToABrokenRuleAreNotReportedAgain() throws {
        let w = try RulePackTests.Workspace()
        try w.write("acme/pack.yaml", RulePackTests.manifest(tail: """
            overrides:
              acme/sample:
                severity: note
            disable:
              - rule: acme/sample
                reason: Testing the cascade.
            waivers:
              - rule: acme/sampel
                reason: A real typo is still reported.

            """))
        try w.write("acme/rules/sample.yaml", RulePackTests.edit(RulePackTests.rule(), "check: exact-copy", "check: exact-copie"))
        let errors = RulePackTests.errorsOnly(w.errors(["acme"]))
        #expect(errors.filter { $0.code == .unknownCheckKind }.count == 1, "\(RulePackTests.dump(errors))")
        let unknown = errors.filter { $0.code == .unknownRule }
        #expect(unknown.count == 1, "only the typo, not the broken rule: \(RulePackTests.dump(errors))")
        #expect(unknown.first?.message.contains("'acme/sampel'") == true)
    }
}
