// synthscan-bench: load throughput, hashing rate, exact-copy scan time and peak memory on
// generated clinical-like data (release build: `make bench`).
//
// Usage: synthscan-bench [--rows N] [--dir DIR] [--json FILE] [--keep] [--neighbour-queries N] [--brute-force]
//        synthscan-bench --scan [--rows N] [--dir DIR] [--json FILE] [--keep]
//
// `--scan` generates train, holdout and synthetic tables shaped like the example cohort and times the
// FULL default scan (every enabled core rule, `ScanEngine.run`): per-rule wall times, total, peak RSS.
//
// `--neighbour-queries N` times the exact top-2 nearest-record search of the first N synthetic rows
// against the FULL train table (N ≥ --rows: every synthetic row, e.g. the full 100k × 100k pass);
// `--brute-force` also times the reference kernel on the same pass and checks the results are identical.
// `--cohort-roles` gives the tables the roles and types `--scan` gives them (zip3 categorical), so the
// pass is exactly privacy/distance-to-closest-record's synthetic→train pass on the same files;
// `--neighbour-distances FILE` writes that pass's nearest and second-nearest distance per query row
// (CSV, 17 significant digits) for Benchmarks/peers/run_peers.py to compare with other tools.
import Foundation
import SynthScanCore
import SynthScanExamples
#if canImport(Glibc)
import Glibc
#endif

struct BenchOptions {
    var rows = 1_000_000
    var directory: String? = nil
    var jsonPath: String? = nil
    var keepFiles = false
    /// Query rows for the nearest-record benchmark (the reference is always the full train table).
    var neighbourQueries = 2000
    /// Also time the brute-force reference kernel and compare its results with the fast kernel's.
    var bruteForce = false
    /// Time the full default scan instead of the load / hash / nearest-record passes.
    var scan = false
    /// Give the tables the example cohort's roles and column types, as `--scan` does.
    var cohortRoles = false
    /// Where to write the nearest-record pass's distances (one `nearest,second` line per query row).
    var neighbourDistancesPath: String? = nil

    init(arguments: [String]) throws {
        var i = 1
        func value() throws -> String {
            i += 1
            guard i < arguments.count else { throw BenchError.usage("\(arguments[i - 1]) needs a value") }
            return arguments[i]
        }
        while i < arguments.count {
            switch arguments[i] {
            case "--rows": guard let n = Int(try value()), n > 0 else { throw BenchError.usage("--rows needs a positive integer") }; rows = n
            case "--dir": directory = try value()
            case "--json": jsonPath = try value()
            case "--keep": keepFiles = true
            case "--brute-force": bruteForce = true
            case "--scan": scan = true
            case "--cohort-roles": cohortRoles = true
            case "--neighbour-distances": neighbourDistancesPath = try value()
            case "--neighbour-queries": guard let n = Int(try value()), n >= 0 else { throw BenchError.usage("--neighbour-queries needs a non-negative integer") }; neighbourQueries = n
            default: throw BenchError.usage("unknown argument \(arguments[i]); usage: synthscan-bench [--rows N] [--dir DIR] [--json FILE] [--keep] [--neighbour-queries N] [--brute-force] [--cohort-roles] [--neighbour-distances FILE] [--scan]")
            }
            i += 1
        }
    }
}

enum BenchError: Error, CustomStringConvertible {
    case usage(String)
    var description: String { switch self { case .usage(let m): "synthscan-bench: \(m)" } }
}

/// Peak resident set size of this process so far, in bytes.
func peakRSS() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int(usage.ru_maxrss) * 1024
}

/// User + system CPU time of this process so far, in seconds (all threads): on a shared machine
/// it moves less than wall time when other processes take the cores.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

extension Table {
    /// The first `rows` rows, as a synthetic table (for timing queries against a full reference).
    func subsetForBenchmark(rows: Int) -> Table {
        let columns = self.columns.map { column -> Column in
            switch column.storage {
            case .numeric(let values, let missing):
                var mask = MissingMask(count: rows)
                for i in 0..<rows where missing.isMissing(i) { mask.markMissing(i) }
                return Column(name: column.name, type: column.type, storage: .numeric(values: Array(values.prefix(rows)), missing: mask))
            case .coded(let codes, let dictionary):
                return Column(name: column.name, type: column.type, storage: .coded(codes: Array(codes.prefix(rows)), dictionary: dictionary))
            }
        }
        return Table(role: .synthetic, source: source, columns: columns, rowCount: rows, recordLines: Array(recordLines.prefix(rows)))
    }
}

/// Bytes held by a table's columns.
func columnarBytes(_ table: Table) -> Int {
    table.columns.reduce(table.recordLines.count * 8) { total, column in
        switch column.storage {
        case .numeric(let values, let missing): total + values.count * 8 + missing.words.count * 8
        case .coded(let codes, _): total + codes.count * 4
        }
    }
}

func mb(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1e6) }

do {
    let options = try BenchOptions(arguments: CommandLine.arguments)
    if options.scan {
        try runScanBenchmark(options)
        exit(0)
    }
    let dir = options.directory ?? (NSTemporaryDirectory() + "synthscan-bench-\(getpid())")
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let trainPath = dir + "/train.csv", syntheticPath = dir + "/synthetic.csv"
    let copyCount = min(1000, options.rows / 10)

    var trainSummary: BenchmarkWriteSummary?
    var syntheticSummary: BenchmarkWriteSummary?
    let generateTime = try seconds {
        trainSummary = try BenchmarkTableWriter(table: BenchmarkTable(seed: 1)).write(rowCount: options.rows, to: trainPath)
        let plan = try BenchmarkCopyPlan.scattered(copyCount: copyCount, sourceSeed: 1, sourceRowCount: options.rows,
                                                    targetRowCount: options.rows, planSeed: 7)
        syntheticSummary = try BenchmarkTableWriter(table: BenchmarkTable(seed: 2, idPrefix: "S-"))
            .write(rowCount: options.rows, to: syntheticPath, copies: plan)
    }
    let rssAfterGenerate = peakRSS()
    let totalBytes = (trainSummary?.byteCount ?? 0) + (syntheticSummary?.byteCount ?? 0)

    var configuration = ScanConfiguration()
    configuration.inputs.train = trainPath
    configuration.inputs.synthetic = syntheticPath
    configuration.roles.identifiers = [BenchmarkTable.idColumn]
    if options.cohortRoles { applyCohortRoles(&configuration) }

    var data: LoadedDatasets?
    let loadTime = try seconds { data = try DatasetLoader.load(configuration) }
    guard let data else { throw BenchError.usage("load produced no data") }
    let rssAfterLoad = peakRSS()
    let columnar = columnarBytes(data.train) + columnarBytes(data.synthetic)

    let context = ScanContext(data: data, configuration: configuration)
    let hashTime = seconds { _ = context.digests(of: data.train, columns: context.comparableColumns) }
    var outcomes: [RuleOutcome] = []
    let rules = try RulePackLoader().load(roots: []).enabledRules.filter { $0.id == "privacy/exact-copy" }
    let checkTime = try seconds { outcomes = try ScanEngine.evaluate(rules: rules, context: context) }
    let copiesFound = outcomes.first { $0.rule.id == "privacy/exact-copy" }?.measurement("exact_copies_train") ?? -1

    // Exact top-2 nearest training records for the first `neighbourQueries` synthetic rows over the
    // FULL training table: the pruned kernel, and (with --brute-force) the reference kernel: pairs per second.
    let queryCount = min(options.neighbourQueries, data.synthetic.rowCount)
    let queries = data.synthetic.subsetForBenchmark(rows: queryCount)
    var neighbourTime = 0.0, bruteForceTime = 0.0, neighbourCPU = 0.0, bruteForceCPU = 0.0
    var kernelsAgree: Bool? = nil
    var rssAfterNeighbours = 0
    if queryCount > 0 {
        let search = try NearestRecordSearch(query: queries, reference: data.train, train: data.train, distance: .gower, schema: data.schema)
        var fast: NearestRecords?
        let cpuBefore = cpuSeconds()
        neighbourTime = seconds { fast = search.run() }
        neighbourCPU = cpuSeconds() - cpuBefore
        rssAfterNeighbours = peakRSS()
        if let path = options.neighbourDistancesPath, let fast {
            var text = "nearest,second\n"
            for i in 0..<fast.count { text += String(format: "%.17g,%.17g\n", fast.nearest[i], fast.second[i]) }
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        if options.bruteForce, let fast {
            let reference = try BruteForceNearestRecordSearch(query: queries, reference: data.train, train: data.train,
                                                              distance: .gower, schema: data.schema)
            var slow: NearestRecords?
            let cpuBeforeBrute = cpuSeconds()
            bruteForceTime = seconds { slow = reference.run() }
            bruteForceCPU = cpuSeconds() - cpuBeforeBrute
            if let slow {
                kernelsAgree = fast.nearest.map(\.bitPattern) == slow.nearest.map(\.bitPattern)
                    && fast.second.map(\.bitPattern) == slow.second.map(\.bitPattern)
                    && fast.nearestRow == slow.nearestRow && fast.secondRow == slow.secondRow
            }
        }
    }
    let pairs = Double(queryCount) * Double(data.train.rowCount)
    let rssPeak = peakRSS()

    let loadMBps = Double(totalBytes) / 1e6 / loadTime
    let rows: [(String, String)] = [
        ("rows per table", "\(options.rows)"),
        ("columns", "\(BenchmarkTable.columns.count)"),
        ("CSV bytes (train + synthetic)", mb(totalBytes)),
        ("generate CSVs", String(format: "%.2f s", generateTime)),
        ("load + infer + align (2 files)", String(format: "%.2f s", loadTime)),
        ("load throughput", String(format: "%.0f MB/s", loadMBps)),
        ("hash train records (XXH3-128)", String(format: "%.3f s  (%.1f M rows/s)", hashTime, Double(options.rows) / hashTime / 1e6)),
        ("exact-copy check (synthetic hash + match)", String(format: "%.3f s", checkTime)),
        ("planted copies / found", "\(copyCount) / \(Int(copiesFound))"),
        ("nearest records, exact top-2 (\(queryCount) queries × full train)",
         queryCount > 0 ? String(format: "%.2f s  (%.0f M pairs/s), %.2f CPU-s", neighbourTime, pairs / neighbourTime / 1e6, neighbourCPU) : "skipped"),
        ("  same pass, brute-force reference kernel",
         bruteForceTime > 0 ? String(format: "%.2f s  (%.0f M pairs/s), %.2f CPU-s", bruteForceTime, pairs / bruteForceTime / 1e6, bruteForceCPU)
                                     + ", results identical: " + (kernelsAgree == true ? "yes" : "NO") : "not run (--brute-force)"),
        ("peak RSS after nearest records (fast kernel)", mb(rssAfterNeighbours)),
        ("columnar size of both tables", mb(columnar)),
        ("peak RSS after generation", mb(rssAfterGenerate)),
        ("peak RSS after load", mb(rssAfterLoad)),
        ("peak RSS overall", mb(rssPeak)),
    ]
    let width = rows.map(\.0.count).max() ?? 0
    print("synthscan-bench \(SynthScanVersion.current)  (\(ProcessInfo.processInfo.activeProcessorCount) cores)")
    for (name, value) in rows { print(name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value) }

    if let jsonPath = options.jsonPath {
        let json: [String: Any] = [
            "rows": options.rows, "columns": BenchmarkTable.columns.count, "csv_bytes": totalBytes,
            "load_seconds": loadTime, "load_mb_per_s": loadMBps, "hash_seconds": hashTime,
            "hash_rows_per_s": Double(options.rows) / hashTime, "exact_copy_check_seconds": checkTime,
            "planted_copies": copyCount, "copies_found": copiesFound, "columnar_bytes": columnar,
            "neighbour_queries": queryCount, "neighbour_seconds": neighbourTime,
            "neighbour_pairs_per_s": neighbourTime > 0 ? pairs / neighbourTime : 0,
            "brute_force_neighbour_seconds": bruteForceTime, "neighbour_cpu_seconds": neighbourCPU,
            "brute_force_neighbour_cpu_seconds": bruteForceCPU, "kernels_identical": kernelsAgree.map { $0 ? "yes" : "no" } ?? "not run",
            "peak_rss_after_neighbours_bytes": rssAfterNeighbours,
            "peak_rss_bytes": rssPeak, "peak_rss_after_load_bytes": rssAfterLoad,
        ]
        let out = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .prettyPrinted])
        try out.write(to: URL(fileURLWithPath: jsonPath))
    }
    if !options.keepFiles && options.directory == nil { try? FileManager.default.removeItem(atPath: dir) }
    if kernelsAgree == false {
        FileHandle.standardError.write(Data("synthscan-bench: the fast and brute-force nearest-record kernels disagree\n".utf8))
        exit(1)
    }
    if Int(copiesFound) != copyCount {
        FileHandle.standardError.write(Data("synthscan-bench: expected \(copyCount) copies, found \(Int(copiesFound))\n".utf8))
        exit(1)
    }
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(2)
}
