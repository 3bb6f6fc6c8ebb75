import Foundation
import Testing
import SynthScanExamples

@Suite("Committed example files")
struct RegenerationTests {
    @Test("regenerating in memory reproduces every committed file byte for byte")
    func committedFilesMatchGenerator() throws {
        let bundle = try ExampleBundle.generate()
        #expect(bundle.files.map(\.name) == ExampleBundle.fileNames)
        #expect(bundle.files.map(\.name).contains("plantings.json"))
        for file in bundle.files {
            let committed = try ExamplesLocation.text(file.name)
            #expect(committed == file.contents,
                    "Examples/\(file.name) differs from the generator; run `swift run synthscan-examples`")
        }
    }

    @Test("generation is deterministic across calls")
    func generationIsDeterministic() throws {
        #expect(try ExampleBundle.generate().files == ExampleBundle.generate().files)
    }

    @Test("the writer creates the directory and writes every file")
    func writerWritesAllFiles() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("synthscan-examples-\(UUID().uuidString)/nested")
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let bundle = try ExampleBundle.generate()
        let paths = try ExampleBundleWriter().write(bundle, toDirectory: directory.path)
        #expect(paths.count == bundle.files.count)
        for file in bundle.files {
            let written = try String(contentsOf: directory.appendingPathComponent(file.name), encoding: .utf8)
            #expect(written == file.contents)
        }
    }

    @Test("every file has the documented header, row count and unique ids")
    func shapesMatchManifest() throws {
        let manifest = try Manifest.load()
        let header = ["patient_id", "age", "sex", "race_ethnicity", "zip3", "admission_date", "primary_dx",
                      "discharge_disposition", "diabetes", "systolic_bp", "hba1c", "creatinine", "length_of_stay",
                      "readmitted_30d"]
        for name in realFiles + syntheticFiles {
            let table = try ParsedTable.load(name)
            let entry = try manifest.file(name)
            #expect(table.header == header, "\(name) header")
            #expect(table.rows.count == (try int(entry["rows"])), "\(name) row count")
            #expect(table.lines.count == (try int(entry["lines"])), "\(name) line count")
            #expect(table.rows.allSatisfy { $0.count == header.count }, "\(name) field counts")
            #expect(Set(table.rows.map { $0[0] }).count == table.rows.count, "\(name) ids unique")
            let role = entry["role"] as? String
            #expect(role == (realFiles.contains(name) ? String(name.dropLast(4)) : "synthetic"))
        }
        #expect(try ParsedTable.load("train.csv").rows.count == 2000)
        #expect(try ParsedTable.load("holdout.csv").rows.count == 1000)
    }
}
