import Foundation
import Testing

@Suite("Planted copies and near-copies")
struct PlantedCopiesTests {
    let tables: [String: ParsedTable]
    let manifest: Manifest

    init() throws {
        var tables: [String: ParsedTable] = [:]
        for name in realFiles + syntheticFiles {
            tables[name] = try ParsedTable.load(name)
        }
        self.tables = tables
        manifest = try Manifest.load()
    }

    private func table(_ name: String) throws -> ParsedTable {
        try #require(tables[name])
    }

    private var realContent: Set<[String]> {
        get throws { try table("train.csv").contentSet.union(try table("holdout.csv").contentSet) }
    }

    @Test("manifest copies equal their source rows, and rows and lines are right")
    func copiesMatchSources() throws {
        let synthetic = try table("synthetic_copies.csv")
        let planted = try manifest.planted("synthetic_copies.csv")
        #expect(planted["kind"] as? String == "exact_copies")
        let copies = try objects(planted["copies"])
        #expect(copies.count == 23)
        #expect(try int(planted["copy_rows"]) == 23)

        var trainSources: [Int] = []
        var holdoutSources: [Int] = []
        for copy in copies {
            let row = try int(copy["row"])
            let line = try int(copy["line"])
            let sourceFile = try #require(copy["source_file"] as? String)
            let sourceRow = try int(copy["source_row"])
            let sourceLine = try int(copy["source_line"])
            let source = try table(sourceFile)
            #expect(line == row + 1 && sourceLine == sourceRow + 1)
            // By data row number.
            #expect(synthetic.content(ofRow: row) == source.content(ofRow: sourceRow), "row \(row)")
            // By file line number, straight from the raw text.
            let syntheticFields = try CSVTestParser.fields(of: synthetic.lines[line - 1])
            let sourceFields = try CSVTestParser.fields(of: source.lines[sourceLine - 1])
            #expect(Array(syntheticFields.dropFirst()) == Array(sourceFields.dropFirst()), "line \(line)")
            // Same text formatting: the raw lines agree after the identifier.
            #expect(synthetic.lines[line - 1].drop { $0 != "," } == source.lines[sourceLine - 1].drop { $0 != "," })
            #expect(copy["patient_id"] as? String == synthetic.rows[row - 1][0])
            #expect(copy["source_patient_id"] as? String == source.rows[sourceRow - 1][0])
            #expect(synthetic.rows[row - 1][0] != source.rows[sourceRow - 1][0])
            if sourceFile == "train.csv" { trainSources.append(sourceRow) } else { holdoutSources.append(sourceRow) }
        }
        #expect(trainSources.count == 20 && Set(trainSources).count == 19)
        #expect(holdoutSources.count == 3 && Set(holdoutSources).count == 3)
        let rows = try copies.map { try int($0["row"]) }
        #expect(rows == rows.sorted() && Set(rows).count == rows.count)

        let duplicated = try #require(planted["duplicated_train_record"] as? [String: Any])
        let duplicatedRows = try #require(duplicated["rows"] as? [Int])
        #expect(duplicatedRows.count == 2)
        #expect(trainSources.filter { $0 == (try? int(duplicated["source_row"])) }.count == 2)
    }

    @Test("the only rows of synthetic_copies.csv equal to real rows are the documented ones")
    func noUndocumentedCopies() throws {
        let synthetic = try table("synthetic_copies.csv")
        let documented = Set(try objects(try manifest.planted("synthetic_copies.csv")["copies"]).map { try int($0["row"]) })
        let real = try realContent
        let found = Set(synthetic.rows.indices.filter { real.contains(Array(synthetic.rows[$0].dropFirst())) }.map { $0 + 1 })
        #expect(found == documented)
    }

    @Test("near-copies differ from their source only in the documented columns, by one last-digit unit")
    func nearCopies() throws {
        let synthetic = try table("synthetic_near_copies.csv")
        let train = try table("train.csv")
        let planted = try manifest.planted("synthetic_near_copies.csv")
        let entries = try objects(planted["near_copies"])
        #expect(entries.count == 15)
        #expect(Set(try entries.map { try int($0["source_row"]) }).count == 15)
        for entry in entries {
            let row = try int(entry["row"])
            #expect(try int(entry["line"]) == row + 1)
            let sourceRow = try int(entry["source_row"])
            let perturbed = try #require(entry["perturbed_columns"] as? [String])
            #expect((1...2).contains(perturbed.count))
            let mine = synthetic.rows[row - 1]
            let theirs = train.rows[sourceRow - 1]
            #expect(try CSVTestParser.fields(of: synthetic.lines[row]) == mine)
            for (index, column) in train.header.enumerated().dropFirst() {
                if perturbed.contains(column) {
                    let a = try #require(Double(mine[index]))
                    let b = try #require(Double(theirs[index]))
                    let unit = column == "creatinine" ? 0.01 : (column == "hba1c" ? 0.1 : 1)
                    #expect(abs(abs(a - b) - unit) < 1e-9, "row \(row) \(column): \(mine[index]) vs \(theirs[index])")
                } else {
                    #expect(mine[index] == theirs[index], "row \(row) \(column)")
                }
            }
            for change in try objects(entry["perturbations"]) {
                let column = try #require(change["column"] as? String)
                let index = try train.column(column)
                #expect(change["source_value"] as? String == theirs[index])
                #expect(change["value"] as? String == mine[index])
            }
        }
    }

    @Test("no file other than synthetic_copies.csv contains an exact copy of a real row")
    func noAccidentalCopies() throws {
        let real = try realContent
        for name in syntheticFiles where name != "synthetic_copies.csv" {
            let synthetic = try table(name)
            let copies = synthetic.rows.filter { real.contains(Array($0.dropFirst())) }
            #expect(copies.isEmpty, "\(name) has \(copies.count) exact copies of real rows")
            // Only the documented leaked identifiers differ from the row's own SYN- id.
            let leaks = try manifest.planted(name)["leaks"] as? [[String: Any]] ?? []
            let leaked = Set(try leaks.map { try int($0["row"]) })
            let foreign = synthetic.rows.indices.filter { synthetic.rows[$0][0] != String(format: "SYN-%06d", $0 + 1) }
            #expect(Set(foreign.map { $0 + 1 }) == leaked, "\(name) identifiers")
        }
    }
}
