import Foundation
import Testing

@Suite("Leaked identifiers")
struct LeakedIdentifiersTests {
    static let release = "synthetic_leaked_identifiers.csv"

    let synthetic: ParsedTable
    let train: ParsedTable
    let holdout: ParsedTable
    let planted: [String: Any]
    let leaks: [[String: Any]]

    init() throws {
        synthetic = try ParsedTable.load(Self.release)
        train = try ParsedTable.load("train.csv")
        holdout = try ParsedTable.load("holdout.csv")
        planted = try Manifest.load().planted(Self.release)
        leaks = try objects(planted["leaks"])
    }

    private func leaks(ofKind kind: String) -> [[String: Any]] {
        leaks.filter { $0["kind"] as? String == kind }
    }

    private static func isMRN(_ id: String) -> Bool {
        id.count == 11 && id.hasPrefix("MRN-") && id.dropFirst(4).allSatisfy { ("0"..."9").contains($0) }
    }

    @Test("the manifest documents 12 training MRNs, 2 holdout MRNs and 9 MRN-format ids")
    func plantedCounts() throws {
        #expect(planted["kind"] as? String == "leaked_identifiers")
        #expect(planted["id_column"] as? String == "patient_id")
        #expect(planted["mrn_pattern"] as? String == "^MRN-[0-9]{7}$")
        #expect(Set(leaks.compactMap { $0["kind"] as? String }) == ["train_mrn_reuse", "holdout_mrn_reuse", "mrn_format"])
        let train = leaks(ofKind: "train_mrn_reuse").count
        let holdout = leaks(ofKind: "holdout_mrn_reuse").count
        let format = leaks(ofKind: "mrn_format").count
        #expect(try int(planted["train_mrn_reuse_rows"]) == train)
        #expect(try int(planted["holdout_mrn_reuse_rows"]) == holdout)
        #expect(try int(planted["mrn_format_rows"]) == format)
        #expect(try int(planted["leaked_rows"]) == leaks.count)
        #expect(train + holdout + format == leaks.count)
        #expect(try int(planted["exact_copy_rows"]) == 0)
        // The specification of this release.
        #expect(train == 12 && holdout == 2 && format == 9)
        let rows = try leaks.map { try int($0["row"]) }
        #expect(rows == rows.sorted() && Set(rows).count == rows.count)
    }

    @Test("each leaked id is in the file at the documented row and line")
    func leaksAreWhereDocumented() throws {
        for leak in leaks {
            let row = try int(leak["row"])
            let line = try int(leak["line"])
            let id = try #require(leak["patient_id"] as? String)
            #expect(line == row + 1)
            #expect(synthetic.rows[row - 1][0] == id, "row \(row)")
            #expect(try CSVTestParser.fields(of: synthetic.lines[line - 1])[0] == id, "line \(line)")
            #expect(Self.isMRN(id), "row \(row): \(id)")
        }
    }

    @Test("reused MRNs belong to the documented distinct real patients, whose records are not copied")
    func reusedMRNs() throws {
        for (kind, table, name) in [("train_mrn_reuse", train, "train.csv"), ("holdout_mrn_reuse", holdout, "holdout.csv")] {
            let entries = leaks(ofKind: kind)
            var sources: [Int] = []
            for leak in entries {
                let row = try int(leak["row"])
                let sourceRow = try int(leak["source_row"])
                #expect(leak["source_file"] as? String == name)
                #expect(leak["source"] as? String == String(name.dropLast(4)))
                #expect(try int(leak["source_line"]) == sourceRow + 1)
                let id = try #require(leak["patient_id"] as? String)
                #expect(leak["source_patient_id"] as? String == id)
                #expect(table.rows[sourceRow - 1][0] == id, "\(name) row \(sourceRow)")
                #expect(try CSVTestParser.fields(of: table.lines[sourceRow])[0] == id)
                // The rest of the row is freshly generated, not the patient's record.
                #expect(synthetic.content(ofRow: row) != table.content(ofRow: sourceRow), "row \(row)")
                sources.append(sourceRow)
            }
            #expect(Set(sources).count == entries.count, "\(kind) sources are distinct")
        }
    }

    @Test("MRN-format ids match no real patient, and every MRN in the release is documented")
    func formatOnlyIDs() throws {
        let realIDs = Set(train.rows.map { $0[0] }).union(holdout.rows.map { $0[0] })
        let trainIDs = Set(train.rows.map { $0[0] })
        let holdoutIDs = Set(holdout.rows.map { $0[0] })
        for leak in leaks(ofKind: "mrn_format") {
            let id = try #require(leak["patient_id"] as? String)
            #expect(!realIDs.contains(id))
            #expect(leak["source_row"] == nil && leak["source_file"] == nil)
        }
        func rows(_ kind: String) throws -> Set<Int> { Set(try leaks(ofKind: kind).map { try int($0["row"]) }) }
        let ids = synthetic.rows.map { $0[0] }
        #expect(Set(ids.indices.filter { trainIDs.contains(ids[$0]) }.map { $0 + 1 }) == (try rows("train_mrn_reuse")))
        #expect(Set(ids.indices.filter { holdoutIDs.contains(ids[$0]) }.map { $0 + 1 }) == (try rows("holdout_mrn_reuse")))
        #expect(Set(ids.indices.filter { Self.isMRN(ids[$0]) && !realIDs.contains(ids[$0]) }.map { $0 + 1 })
                == (try rows("mrn_format")))
        #expect(Set(ids).count == ids.count)
    }

    @Test("no row exactly copies a real record on the non-identifier columns")
    func noExactCopies() throws {
        let real = train.contentSet.union(holdout.contentSet)
        let copies = synthetic.rows.indices.filter { real.contains(Array(synthetic.rows[$0].dropFirst())) }
        #expect(copies.count == (try int(planted["exact_copy_rows"])))
        #expect(copies.isEmpty)
    }
}
