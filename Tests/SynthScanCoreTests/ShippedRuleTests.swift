import Foundation
import Testing
@testable import SynthScanCore

/// The rules synthscan ships (Rules/core and every pack under Rules/examples) load without a
/// single warning, carry triggering and non-triggering self-tests, and pass them: `swift test`
/// runs what `synthscan rules test` runs.
@Suite struct ShippedRuleTests {
    /// The repository root, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// Every shipped pack folder: Rules/core, then each pack under Rules/examples.
    static var packFolders: [String] {
        let examples = root + "/Rules/examples"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: examples)) ?? []
        return [root + "/Rules/core"] + names.sorted().map { examples + "/" + $0 }
            .filter { FileManager.default.fileExists(atPath: $0 + "/pack.yaml") }
    }

    static func load(_ folder: String) throws -> EffectiveRuleSet {
        try RulePackLoader(repository: PackRepository(searchPaths: [root + "/Rules"]), today: "2026-11-29").load(roots: [folder])
    }

    @Test func thereIsAtLeastOneExampleInstitutionPack() {
        #expect(Self.packFolders.count >= 2, "Rules/examples must hold an institution pack")
    }

    @Test(arguments: packFolders)
    func packLoadsWithoutWarnings(folder: String) throws {
        let set = try Self.load(folder)
        #expect(set.warnings.isEmpty, "\(set.warnings.map(\.description).joined(separator: "\n"))")
        #expect(!set.rules.isEmpty)
    }

    @Test(arguments: packFolders)
    func everyRuleHasBothKindsOfSelfTestAndPassesThem(folder: String) throws {
        let set = try Self.load(folder)
        let own = set.rules.filter { set.rootPackIDs.contains($0.definition.descriptor.pack) }
        #expect(!own.isEmpty)
        for rule in own {
            let tests = rule.definition.tests
            let triggering = tests.filter { $0.triggers }.count
            let passing = tests.filter { $0.expectedStatus == .pass }.count
            #expect(triggering > 0, "\(rule.id) has no triggering self-test")
            #expect(passing > 0, "\(rule.id) has no non-triggering self-test")
            for result in RuleSelfTestRunner.run(rule) {
                #expect(result.passed, "\(result.ruleID): \(result.name) at \(result.location):\n\(result.differences.joined(separator: "\n"))")
            }
        }
    }

    @Test func everyCheckKindHasACoreRule() throws {
        let set = try Self.load(Self.root + "/Rules/core")
        let used = Set(set.rules.map(\.descriptor.check))
        for kind in CheckRegistry.kinds {
            #expect(used.contains(kind), "check kind '\(kind)' has no rule in Rules/core")
        }
    }

    @Test func everyCoreRuleCitesReferencesAndHasAMessageTemplate() throws {
        let set = try Self.load(Self.root + "/Rules/core")
        for rule in set.rules {
            #expect(!rule.descriptor.references.isEmpty, "\(rule.id) cites no reference")
            #expect(rule.descriptor.messageTemplate != nil, "\(rule.id) has no message template")
            #expect(rule.descriptor.help.count > 200, "\(rule.id): help should say what, why and how to fix")
        }
    }

    @Test func checkKindReferenceIsUpToDate() throws {
        let onDisk = try String(contentsOfFile: Self.root + "/docs/check-kinds.md", encoding: .utf8)
        #expect(onDisk == RuleSetDescriber.checkKindReference(),
                "docs/check-kinds.md is stale: run `synthscan rules kinds > docs/check-kinds.md`")
    }

    @Test func exampleInstitutionPackChangesTakeEffect() throws {
        let set = try Self.load(Self.root + "/Rules/examples/northwind-health")
        #expect(set.packs.map(\.id) == ["synthscan/core", "northwind-health/release-policy"])
        let phone = try #require(set.rule("privacy/phone-number"))
        #expect(phone.descriptor.severity == .error && phone.descriptor.provenance["severity"] == "northwind-health/release-policy")
        #expect(phone.definition.descriptor.severity == .warning, "the core declaration is kept for self-tests")
        let email = try #require(set.rule("privacy/email-address"))
        #expect(!email.enabled && email.disabledBy == "northwind-health/release-policy")
        #expect(email.disabledReason?.contains("no contact fields") == true)
        let reuse = try #require(set.rule("privacy/identifier-reuse"))
        #expect(reuse.descriptor.parameters["max_findings"] == .integer(100_000))
        #expect(reuse.descriptor.provenance["max_findings"] == "northwind-health/release-policy")
        #expect(set.rule("northwind/mrn-format")?.enabled == true)
        #expect(set.rule("northwind/quasi-identifier-copy")?.descriptor.parameters["max_copies"] == .integer(2))
    }
}
