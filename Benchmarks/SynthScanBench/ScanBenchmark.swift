// `synthscan-bench --scan`: the full default scan (every enabled rule of the embedded core pack)
// of generated tables shaped like the example cohort, in-process through `ScanEngine.run`.
import Foundation
import SynthScanCore
import SynthScanExamples

/// Times a full default scan at `options.rows` rows per table and prints per-rule wall times.
///
/// The rules run once, in the scan's own order, on ONE shared `ScanContext` (inside
/// `ScanEngine.run`), so shared artefacts (record digests, the nearest-record pass) are computed by
/// the first rule that needs them and reused by the later ones: a rule's time includes whatever
/// shared work it happened to trigger first. Per-rule times come from the engine's observer.
/// Rules without nearest-record passes run two at a time: their wall times overlap (the "rules"
/// line is a sum, more than the scan took), and a rule's CPU-s is the process's CPU while it ran,
/// so it includes whatever ran beside it.
func runScanBenchmark(_ options: BenchOptions) throws {
    let dir = options.directory ?? (NSTemporaryDirectory() + "synthscan-bench-scan-\(getpid())")
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let trainPath = dir + "/train.csv", holdoutPath = dir + "/holdout.csv", syntheticPath = dir + "/synthetic.csv"
    let copyCount = min(1000, options.rows / 10)

    var bytes = 0
    let generateTime = try seconds {
        bytes += try BenchmarkTableWriter(table: BenchmarkTable(seed: 1)).write(rowCount: options.rows, to: trainPath).byteCount
        bytes += try BenchmarkTableWriter(table: BenchmarkTable(seed: 3, idPrefix: "H-")).write(rowCount: options.rows, to: holdoutPath).byteCount
        let plan = try BenchmarkCopyPlan.scattered(copyCount: copyCount, sourceSeed: 1, sourceRowCount: options.rows,
                                                    targetRowCount: options.rows, planSeed: 7)
        bytes += try BenchmarkTableWriter(table: BenchmarkTable(seed: 2, idPrefix: "S-"))
            .write(rowCount: options.rows, to: syntheticPath, copies: plan).byteCount
    }

    // The roles of Examples/synthscan.yaml; the generated tables call the identifier `record_id`.
    var configuration = ScanConfiguration()
    configuration.inputs.train = trainPath
    configuration.inputs.holdout = holdoutPath
    configuration.inputs.synthetic = syntheticPath
    applyCohortRoles(&configuration)

    let ruleSet = try RulePackLoader().load(roots: [])  // no roots: the embedded core pack
    var ruleTimes: [(id: String, wall: Double, cpu: Double)] = []
    var loadTime = 0.0
    var cpuAtRuleStart: [Int: Double] = [:]  // by rule index: two rules may be running at once
    let cpuBefore = cpuSeconds()
    var result: ScanResult?
    let scanTime = try seconds {
        result = try ScanEngine.run(configuration: configuration, ruleSet: ruleSet, commandLine: ["synthscan-bench", "--scan"]) { event in
            switch event {
            case .tableLoaded(_, _, _, let s): loadTime = s
            case .ruleStarted(let index, _, _): cpuAtRuleStart[index] = cpuSeconds()
            case .ruleFinished(let index, _, let id, let s): ruleTimes.append((id, s, cpuSeconds() - (cpuAtRuleStart[index] ?? 0)))
            case .loadStarted, .neighbourPass: break
            }
        }
    }
    let scanCPU = cpuSeconds() - cpuBefore
    let rss = peakRSS()
    guard let result else { throw BenchError.usage("the scan produced no result") }

    print("synthscan-bench \(SynthScanVersion.current) --scan  (\(ProcessInfo.processInfo.activeProcessorCount) cores)")
    print("rows per table \(options.rows) × \(BenchmarkTable.columns.count) columns (train, holdout, synthetic with \(copyCount) planted copies), CSV \(mb(bytes))")
    print(String(format: "generate CSVs                 %.2f s", generateTime))
    print(String(format: "load + infer + align (3)      %.2f s", loadTime))
    print(String(format: "rules (%d enabled, sum)       %.2f s", ruleTimes.count, ruleTimes.reduce(0) { $0 + $1.wall }))
    print(String(format: "FULL SCAN (ScanEngine.run)    %.2f s wall, %.2f CPU-s", scanTime, scanCPU))
    print("peak RSS                      \(mb(rss))")
    print("status counts                 " + Dictionary(grouping: result.outcomes, by: { $0.status.rawValue })
        .map { "\($0.key) \($0.value.count)" }.sorted().joined(separator: ", "))
    print("\nper rule, slowest first (wall s, CPU-s):")
    let width = ruleTimes.map(\.id.count).max() ?? 0
    for t in ruleTimes.sorted(by: { $0.wall > $1.wall }) {
        print("  " + t.id.padding(toLength: width, withPad: " ", startingAt: 0) + String(format: "  %8.3f  %8.3f", t.wall, t.cpu))
    }
    print("\nnearest-record passes, in run order (wall s, CPU-s, query × reference rows):")
    for run in result.neighbourPassRuns {
        print(String(format: "  %8.3f  %8.3f  %7d × %7d  ", run.wallSeconds, run.cpuSeconds, run.queryRows, run.referenceRows) + run.pass.description)
    }

    if let jsonPath = options.jsonPath {
        let json: [String: Any] = [
            "mode": "scan", "rows": options.rows, "columns": BenchmarkTable.columns.count, "csv_bytes": bytes,
            "generate_seconds": generateTime, "load_seconds": loadTime, "scan_seconds": scanTime, "scan_cpu_seconds": scanCPU,
            "peak_rss_bytes": rss,
            "rules": ruleTimes.map { ["id": $0.id, "seconds": $0.wall, "cpu_seconds": $0.cpu] as [String: Any] },
            "neighbour_passes": result.neighbourPassRuns.map {
                ["pass": $0.pass.description, "seconds": $0.wallSeconds, "cpu_seconds": $0.cpuSeconds,
                 "query_rows": $0.queryRows, "reference_rows": $0.referenceRows] as [String: Any]
            },
        ]
        let out = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .prettyPrinted])
        try out.write(to: URL(fileURLWithPath: jsonPath))
    }
    if !options.keepFiles && options.directory == nil { try? FileManager.default.removeItem(atPath: dir) }
}

/// The roles and column types of Examples/synthscan.yaml (the generated tables call the identifier
/// `record_id`), and its seed.
func applyCohortRoles(_ configuration: inout ScanConfiguration) {
    configuration.roles.identifiers = [BenchmarkTable.idColumn]
    configuration.roles.quasiIdentifiers = ["age", "sex", "zip3", "admission_date"]
    configuration.roles.sensitive = ["primary_dx"]
    configuration.roles.protected = ["sex", "race_ethnicity"]
    configuration.roles.outcome = OutcomeSpec(column: "readmitted_30d", positiveValue: "1")
    configuration.columns["zip3"] = ColumnSettings(type: .categorical)
    configuration.seed = 20_261_129
}
