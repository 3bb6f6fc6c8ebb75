// synthscan-examples: regenerates the bundled example data, or writes a benchmark table.
//
//   synthscan-examples [OUTPUT_DIR]
//       Writes train.csv, holdout.csv, the seven synthetic_*.csv releases, plantings.json and
//       README.md into OUTPUT_DIR (default: ./Examples).
//
//   synthscan-examples benchmark ROWS PATH [--seed N] [--id-prefix P]
//                      [--copies K --source-seed N --source-rows M --plan-seed N]
//       Streams a 20-column benchmark table of ROWS rows to PATH; with --copies, plants K exact
//       copies of rows of the table with --source-seed (of --source-rows rows).
import Foundation
import SynthScanExamples

let usage = """
    usage: synthscan-examples [OUTPUT_DIR]
           synthscan-examples benchmark ROWS PATH [--seed N] [--id-prefix P]
                              [--copies K --source-seed N --source-rows M --plan-seed N]
    """

/// Parses `--name value` options after the positional arguments of the benchmark command.
struct BenchmarkOptions {
    var rows = 0
    var path = ""
    var seed: UInt64 = 1
    var idPrefix = "R-"
    var copies = 0
    var sourceSeed: UInt64 = 1
    var sourceRows: Int?
    var planSeed: UInt64 = 7

    init(_ arguments: [String]) throws {
        guard arguments.count >= 2, let rows = Int(arguments[0]), rows >= 0 else {
            throw ExamplesError.invalidArgument("benchmark needs ROWS (a non-negative integer) and PATH")
        }
        self.rows = rows
        path = arguments[1]
        var rest = arguments.dropFirst(2).makeIterator()
        while let option = rest.next() {
            guard let value = rest.next() else { throw ExamplesError.invalidArgument("\(option) needs a value") }
            switch option {
            case "--seed": seed = try Self.number(value, option)
            case "--id-prefix": idPrefix = value
            case "--copies": copies = Int(try Self.number(value, option))
            case "--source-seed": sourceSeed = try Self.number(value, option)
            case "--source-rows": sourceRows = Int(try Self.number(value, option))
            case "--plan-seed": planSeed = try Self.number(value, option)
            default: throw ExamplesError.invalidArgument("unknown option \(option)")
            }
        }
    }

    private static func number(_ text: String, _ option: String) throws -> UInt64 {
        guard let value = UInt64(text), value <= UInt64(Int.max) else {
            throw ExamplesError.invalidArgument("\(option) expects a non-negative integer, got '\(text)'")
        }
        return value
    }
}

func runBenchmark(_ arguments: [String]) throws {
    let options = try BenchmarkOptions(arguments)
    let writer = BenchmarkTableWriter(table: BenchmarkTable(seed: options.seed, idPrefix: options.idPrefix))
    let plan = try BenchmarkCopyPlan.scattered(
        copyCount: options.copies, sourceSeed: options.sourceSeed, sourceRowCount: options.sourceRows ?? options.rows,
        targetRowCount: options.rows, planSeed: options.planSeed)
    let start = Date()
    let summary = try writer.write(rowCount: options.rows, to: options.path, copies: plan)
    let milliseconds = Int(Date().timeIntervalSince(start) * 1000)
    print("wrote \(summary.rowCount) rows (\(summary.byteCount) bytes, \(summary.copies.count) planted copies) to \(summary.path) in \(milliseconds) ms")
}

func runExamples(outputDirectory: String) throws {
    let bundle = try ExampleBundle.generate()
    let paths = try ExampleBundleWriter().write(bundle, toDirectory: outputDirectory)
    for path in paths {
        print("wrote \(path)")
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    switch arguments.first {
    case "-h", "--help":
        print(usage)
    case "benchmark":
        try runBenchmark(Array(arguments.dropFirst()))
    default:
        guard arguments.count <= 1 else { throw ExamplesError.invalidArgument("expected at most one OUTPUT_DIR") }
        try runExamples(outputDirectory: arguments.first ?? "Examples")
    }
} catch {
    FileHandle.standardError.write(Data("synthscan-examples: \(error)\n\(usage)\n".utf8))
    exit(1)
}
