import Foundation
import Testing

@Suite("Real cohort")
struct CohortTests {
    @Test("real rows are pairwise distinct on all columns except patient_id")
    func realRowsDistinct() throws {
        let train = try ParsedTable.load("train.csv")
        let holdout = try ParsedTable.load("holdout.csv")
        let all = train.rows + holdout.rows
        #expect(Set(all.map { Array($0.dropFirst()) }).count == all.count)
        #expect(Set(all.map { $0[0] }).count == all.count)
        #expect(all.allSatisfy { $0[0].hasPrefix("MRN-") && $0[0].count == 11 })
    }

    @Test("value formats and ranges")
    func formats() throws {
        let table = try ParsedTable.load("train.csv")
        func values(_ name: String) -> [String] { (try? table.values(name)) ?? [] }
        #expect(values("age").allSatisfy { Int($0).map { (18...95).contains($0) } ?? false })
        #expect(Set(values("sex")) == ["F", "M"])
        #expect(Set(values("zip3")).count == 15)
        #expect(values("zip3").allSatisfy { $0.count == 3 && $0.allSatisfy(\.isNumber) })
        #expect(values("zip3").contains { $0.hasPrefix("0") })
        #expect(values("admission_date").allSatisfy { $0.count == 10 && $0 >= "2019-01-01" && $0 <= "2023-12-31" })
        #expect(Set(values("primary_dx")).count == 20)
        #expect(Set(values("discharge_disposition")).contains("Home, with services"))
        #expect(values("hba1c").allSatisfy { $0.isEmpty || $0.split(separator: ".").last?.count == 1 })
        #expect(values("creatinine").allSatisfy { $0.split(separator: ".").last?.count == 2 })
        let missing = Double(values("hba1c").filter(\.isEmpty).count) / Double(table.rows.count)
        #expect(missing > 0.07 && missing < 0.13)
        let quoted = table.lines.filter { $0.contains("\"Home, with services\"") }.count
        #expect(quoted == values("discharge_disposition").filter { $0 == "Home, with services" }.count)
    }

    @Test("minority group and rare codes are small but present in both real tables")
    func minoritiesAndRareCodes() throws {
        for name in realFiles {
            let table = try ParsedTable.load(name)
            let race = try table.column("race_ethnicity")
            let dx = try table.column("primary_dx")
            let share = Double(table.rows.filter { $0[race] == aian }.count) / Double(table.rows.count)
            #expect(share >= 0.015 && share <= 0.035, "\(name) AIAN share \(share)")
            for code in rareCodes {
                let count = table.rows.filter { $0[dx] == code }.count
                #expect(count > 0 && count * 200 < table.rows.count, "\(name) \(code): \(count)")
            }
        }
    }

    @Test("real Black/White readmission disparity is modest")
    func realDisparity() throws {
        let train = try ParsedTable.load("train.csv")
        let black = try readmission(in: train, group: "Black")
        let white = try readmission(in: train, group: "White")
        let ratio = (Double(black.readmitted) / Double(black.rows)) / (Double(white.readmitted) / Double(white.rows))
        #expect(ratio > 1.15 && ratio < 1.45)
    }
}
