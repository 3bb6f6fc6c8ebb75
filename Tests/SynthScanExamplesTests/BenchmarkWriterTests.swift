import Foundation
import Testing
import SynthScanExamples

@Suite("Benchmark table writer")
struct BenchmarkWriterTests {
    private func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("synthscan-bench-\(UUID().uuidString)-\(name)").path
    }

    private func lines(_ path: String) throws -> [String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        return Array(text.components(separatedBy: "\n").dropLast())
    }

    @Test("writes the requested rows deterministically, in chunks")
    func deterministicRowCount() throws {
        let first = temporaryPath("a.csv")
        let second = temporaryPath("b.csv")
        defer { try? FileManager.default.removeItem(atPath: first); try? FileManager.default.removeItem(atPath: second) }
        // A tiny chunk size forces many flushes; the result must not depend on it.
        let summary = try BenchmarkTableWriter(table: BenchmarkTable(seed: 99), chunkByteCount: 4_096).write(rowCount: 1_234, to: first)
        try BenchmarkTableWriter(table: BenchmarkTable(seed: 99)).write(rowCount: 1_234, to: second)
        let a = try Data(contentsOf: URL(fileURLWithPath: first))
        let b = try Data(contentsOf: URL(fileURLWithPath: second))
        #expect(a == b)
        #expect(summary.rowCount == 1_234 && summary.byteCount == a.count && summary.copies.isEmpty)

        let rows = try lines(first)
        #expect(rows.count == 1_235)
        #expect(rows[0] == BenchmarkTable.columns.joined(separator: ","))
        #expect(BenchmarkTable.columns.count == 20)
        let table = BenchmarkTable(seed: 99)
        for index in [0, 1, 617, 1_233] {
            #expect(rows[index + 1] == table.csvLine(ofRow: index))
            #expect(try CSVTestParser.fields(of: rows[index + 1]) == table.fields(ofRow: index))
        }
        let parsed = try rows.dropFirst().map(CSVTestParser.fields(of:))
        #expect(parsed.allSatisfy { $0.count == 20 })
        #expect(parsed.contains { $0.contains("") }, "some missing values")
        #expect(rows.contains { $0.contains("\"Home, with services\"") }, "some quoted fields")
        #expect(parsed[0][0] == "R-000000001")

        let other = temporaryPath("c.csv")
        defer { try? FileManager.default.removeItem(atPath: other) }
        try BenchmarkTableWriter(table: BenchmarkTable(seed: 100)).write(rowCount: 10, to: other)
        #expect(try lines(other)[1] != rows[1])
    }

    @Test("zero rows writes only the header")
    func zeroRows() throws {
        let path = temporaryPath("empty.csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try BenchmarkTableWriter(table: BenchmarkTable(seed: 1)).write(rowCount: 0, to: path)
        #expect(try lines(path) == [BenchmarkTable.columns.joined(separator: ",")])
    }

    @Test("a synthetic variant carries exact copies of the planned training rows")
    func syntheticCopies() throws {
        let train = BenchmarkTable(seed: 7)
        let trainPath = temporaryPath("train.csv")
        let synthPath = temporaryPath("synth.csv")
        defer { try? FileManager.default.removeItem(atPath: trainPath); try? FileManager.default.removeItem(atPath: synthPath) }
        try BenchmarkTableWriter(table: train).write(rowCount: 500, to: trainPath)
        let plan = try BenchmarkCopyPlan.scattered(copyCount: 12, sourceSeed: 7, sourceRowCount: 500,
                                                   targetRowCount: 400, planSeed: 3)
        #expect(plan == (try BenchmarkCopyPlan.scattered(copyCount: 12, sourceSeed: 7, sourceRowCount: 500,
                                                        targetRowCount: 400, planSeed: 3)))
        let summary = try BenchmarkTableWriter(table: BenchmarkTable(seed: 8, idPrefix: "S-"))
            .write(rowCount: 400, to: synthPath, copies: plan)
        #expect(summary.copies == plan.copies && summary.copies.count == 12)

        let trainRows = try lines(trainPath).dropFirst().map { try CSVTestParser.fields(of: $0) }
        let synthRows = try lines(synthPath).dropFirst().map { try CSVTestParser.fields(of: $0) }
        #expect(synthRows.count == 400)
        let trainContent = Set(trainRows.map { Array($0.dropFirst()) })
        var copied: [Int] = []
        for (index, row) in synthRows.enumerated() where trainContent.contains(Array(row.dropFirst())) {
            copied.append(index)
        }
        #expect(copied == plan.copies.map(\.targetIndex))
        for copy in plan.copies {
            #expect(synthRows[copy.targetIndex].dropFirst() == trainRows[copy.sourceIndex].dropFirst())
            #expect(synthRows[copy.targetIndex][0] == "S-" + String(format: "%09d", copy.targetIndex + 1))
        }
    }

    @Test("invalid arguments and unwritable paths throw clear errors")
    func errors() throws {
        let writer = BenchmarkTableWriter(table: BenchmarkTable(seed: 1))
        #expect(throws: ExamplesError.self) { try writer.write(rowCount: -1, to: temporaryPath("x.csv")) }
        #expect(throws: ExamplesError.self) {
            try writer.write(rowCount: 5, to: "/nonexistent-directory-\(UUID().uuidString)/x.csv")
        }
        let plan = try BenchmarkCopyPlan(sourceSeed: 2, copies: [BenchmarkPlantedCopy(targetIndex: 9, sourceIndex: 0)])
        #expect(throws: ExamplesError.self) { try writer.write(rowCount: 5, to: temporaryPath("y.csv"), copies: plan) }
        #expect(throws: ExamplesError.self) {
            try BenchmarkCopyPlan(sourceSeed: 2, copies: [BenchmarkPlantedCopy(targetIndex: 1, sourceIndex: 0),
                                                          BenchmarkPlantedCopy(targetIndex: 1, sourceIndex: 3)])
        }
        #expect(throws: ExamplesError.self) {
            try BenchmarkCopyPlan.scattered(copyCount: 11, sourceSeed: 1, sourceRowCount: 10, targetRowCount: 100, planSeed: 1)
        }
    }
}
