import Foundation
import Testing

@Suite("Planted subgroup, rare-category and disparity problems")
struct ReleaseProblemTests {
    @Test("the dropped subgroup is absent from its release and present elsewhere")
    func droppedSubgroup() throws {
        let planted = try Manifest.load().planted("synthetic_dropped_subgroup.csv")
        #expect(planted["column"] as? String == "race_ethnicity")
        #expect(planted["value"] as? String == aian)
        let dropped = try ParsedTable.load("synthetic_dropped_subgroup.csv").values("race_ethnicity")
        #expect(!dropped.contains(aian))
        let train = try ParsedTable.load("train.csv").values("race_ethnicity")
        #expect(train.filter { $0 == aian }.count == (try int(planted["train_rows"])))
        for name in syntheticFiles where name != "synthetic_dropped_subgroup.csv" {
            #expect(try ParsedTable.load(name).values("race_ethnicity").filter { $0 == aian }.count >= 45, "\(name)")
        }
    }

    @Test("rare codes are erased from their release and present elsewhere")
    func erasedRare() throws {
        let planted = try Manifest.load().planted("synthetic_erased_rare.csv")
        #expect(planted["column"] as? String == "primary_dx")
        #expect(planted["values"] as? [String] == rareCodes)
        let erased = Set(try ParsedTable.load("synthetic_erased_rare.csv").values("primary_dx"))
        #expect(erased.isDisjoint(with: rareCodes))
        #expect(erased.count == 17)
        let trainCounts = try #require(planted["train_counts"] as? [String: Any])
        let train = try ParsedTable.load("train.csv").values("primary_dx")
        for code in rareCodes {
            #expect(train.filter { $0 == code }.count == (try int(trainCounts[code])))
        }
        for name in syntheticFiles where name != "synthetic_erased_rare.csv" {
            let codes = try ParsedTable.load(name).values("primary_dx")
            for code in rareCodes {
                #expect(codes.filter { $0 == code }.count >= 2, "\(name) \(code)")
            }
        }
    }

    @Test("the clean release equals no real row")
    func cleanHasNoCopies() throws {
        let real = try ParsedTable.load("train.csv").contentSet.union(try ParsedTable.load("holdout.csv").contentSet)
        let clean = try ParsedTable.load("synthetic_clean.csv")
        #expect(clean.rows.allSatisfy { !real.contains(Array($0.dropFirst())) })
        #expect(try Manifest.load().planted("synthetic_clean.csv")["kind"] as? String == "none")
    }

    @Test("the amplified release shows the documented, clearly amplified disparity")
    func amplifiedDisparity() throws {
        let planted = try Manifest.load().planted("synthetic_amplified_disparity.csv")
        #expect(planted["group"] as? String == "Black")
        #expect(planted["reference_group"] as? String == "White")
        let intended = try double(planted["intended_rate_ratio"])

        for (key, name) in [("real", "train.csv"), ("synthetic", "synthetic_amplified_disparity.csv")] {
            let summary = try #require(planted[key] as? [String: Any])
            #expect(summary["file"] as? String == name)
            let table = try ParsedTable.load(name)
            for (member, group) in [("group", "Black"), ("reference", "White"), ("overall", nil)] as [(String, String?)] {
                let documented = try #require(summary[member] as? [String: Any])
                let actual = try readmission(in: table, group: group)
                #expect(try int(documented["rows"]) == actual.rows, "\(key) \(member) rows")
                #expect(try int(documented["readmitted"]) == actual.readmitted, "\(key) \(member) readmitted")
                let rate = Double(actual.readmitted) / Double(actual.rows)
                #expect(abs(try double(documented["rate"]) - rate) <= 0.00005 + 1e-12, "\(key) \(member) rate")
            }
        }

        let synthetic = try ParsedTable.load("synthetic_amplified_disparity.csv")
        let black = try readmission(in: synthetic, group: "Black")
        let white = try readmission(in: synthetic, group: "White")
        let ratio = (Double(black.readmitted) / Double(black.rows)) / (Double(white.readmitted) / Double(white.rows))
        #expect(abs(ratio - intended) < 0.03, "synthetic ratio \(ratio) vs intended \(intended)")
        #expect(abs(Double(black.readmitted) / Double(black.rows) - (try double(planted["intended_group_rate"]))) <= 0.00005 + 1e-12)

        let train = try ParsedTable.load("train.csv")
        let realBlack = try readmission(in: train, group: "Black")
        let realWhite = try readmission(in: train, group: "White")
        let realRatio = (Double(realBlack.readmitted) / Double(realBlack.rows)) / (Double(realWhite.readmitted) / Double(realWhite.rows))
        #expect(ratio - realRatio > 0.5, "amplified \(ratio) vs real \(realRatio)")
        // Other marginals stay similar: reference group and overall readmission rates.
        let overall = try readmission(in: synthetic, group: nil)
        let realOverall = try readmission(in: train, group: nil)
        #expect(abs(Double(white.readmitted) / Double(white.rows) - Double(realWhite.readmitted) / Double(realWhite.rows)) < 0.01)
        #expect(abs(Double(overall.readmitted) / Double(overall.rows) - Double(realOverall.readmitted) / Double(realOverall.rows)) < 0.01)
    }

    @Test("releases without a planted disparity keep the real Black/White ratio")
    func otherReleasesKeepDisparity() throws {
        let train = try ParsedTable.load("train.csv")
        func ratio(_ table: ParsedTable) throws -> Double {
            let black = try readmission(in: table, group: "Black")
            let white = try readmission(in: table, group: "White")
            return (Double(black.readmitted) / Double(black.rows)) / (Double(white.readmitted) / Double(white.rows))
        }
        let real = try ratio(train)
        let realOverall = try readmission(in: train, group: nil)
        for name in syntheticFiles where name != "synthetic_amplified_disparity.csv" {
            let table = try ParsedTable.load(name)
            #expect(abs(try ratio(table) - real) <= 0.05, "\(name)")
            let overall = try readmission(in: table, group: nil)
            #expect(abs(Double(overall.readmitted) / Double(overall.rows) - Double(realOverall.readmitted) / Double(realOverall.rows)) <= 0.01, "\(name)")
        }
    }
}
