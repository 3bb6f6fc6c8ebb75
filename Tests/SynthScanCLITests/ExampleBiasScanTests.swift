import Foundation
import Testing

/// Scans the bundled example releases with the core pack and checks the bias rules against
/// `Examples/plantings.json`: each planted distortion is flagged by the rule that owns it, at the
/// planted group, and the clean release passes every bias rule at the default settings.
@Suite struct ExampleBiasScanTests {
    /// The bias rules of a JSON scan of `release`, by rule id.
    static func biasRules(_ release: String) throws -> [String: [String: Any]] {
        let (_, rules) = try ExampleScanTests.scanRules(release)
        var byID: [String: [String: Any]] = [:]
        for rule in rules {
            guard let id = rule["id"] as? String, id.hasPrefix("bias/") else { continue }
            byID[id] = rule
        }
        return byID
    }

    /// The subgroup keys of the failing findings of `rule`.
    static func flaggedSubgroups(_ rule: [String: Any]?) -> Set<String> {
        let findings = rule?["findings"] as? [[String: Any]] ?? []
        return Set(findings.filter { $0["suppressed_by"] == nil || $0["suppressed_by"] is NSNull }.compactMap { $0["subgroup"] as? String })
    }

    @Test func theCleanReleasePassesEveryBiasRule() throws {
        let rules = try Self.biasRules("synthetic_clean.csv")
        #expect(rules.count >= 3, "the core pack's bias rules ran")
        for (id, rule) in rules {
            #expect(rule["status"] as? String == "pass", "\(id) on the clean release: \(rule["message"] ?? "")")
            #expect((rule["findings"] as? [[String: Any]])?.isEmpty == true, "\(id)")
        }
    }

    @Test func theDroppedSubgroupIsFlaggedAsErasedAtThePlantedGroup() throws {
        let planted = try #require(try ExampleScanTests.planted(in: "synthetic_dropped_subgroup.csv"))
        #expect(planted["kind"] as? String == "dropped_subgroup")
        let key = "\(try #require(planted["column"] as? String))=\(try #require(planted["value"] as? String))"
        let rules = try Self.biasRules("synthetic_dropped_subgroup.csv")
        let erasure = rules["bias/subgroup-erasure"]
        #expect(erasure?["status"] as? String == "fail")
        #expect(Self.flaggedSubgroups(erasure).contains(key), "subgroup-erasure names \(key)")
        #expect(rules["bias/outcome-disparity-amplification"]?["status"] as? String == "pass")
    }

    @Test func theErasedRareDiagnosesAreEachFlagged() throws {
        let planted = try #require(try ExampleScanTests.planted(in: "synthetic_erased_rare.csv"))
        #expect(planted["kind"] as? String == "erased_rare_categories")
        let column = try #require(planted["column"] as? String)
        let values = try #require(planted["values"] as? [String])
        let erasure = try Self.biasRules("synthetic_erased_rare.csv")["bias/subgroup-erasure"]
        #expect(erasure?["status"] as? String == "fail")
        let flagged = Self.flaggedSubgroups(erasure)
        #expect(Set(values.map { "\(column)=\($0)" }) == flagged.filter { $0.hasPrefix("\(column)=") },
                "exactly the planted categories of \(column) are flagged")
    }

    @Test func theAmplifiedDisparityIsFlaggedAtThePlantedGroupOnly() throws {
        let planted = try #require(try ExampleScanTests.planted(in: "synthetic_amplified_disparity.csv"))
        #expect(planted["kind"] as? String == "amplified_disparity")
        let key = "\(try #require(planted["column"] as? String))=\(try #require(planted["group"] as? String))"
        let rules = try Self.biasRules("synthetic_amplified_disparity.csv")
        let amplification = rules["bias/outcome-disparity-amplification"]
        #expect(amplification?["status"] as? String == "fail")
        #expect(Self.flaggedSubgroups(amplification) == [key])
        // The planting changes outcome rates, not group sizes.
        #expect(rules["bias/subgroup-erasure"]?["status"] as? String == "pass")
        #expect(rules["bias/representation-skew"]?["status"] as? String == "pass")
    }
}
