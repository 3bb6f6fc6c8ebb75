/// Built-in sanity scenarios that every memorisation rule must get right on the user's own data
/// (`synthscan selftest`, and the test suite on the bundled examples):
///
/// 1. **The training table released as is** (synthetic = train): every rule tagged
///    `memorisation` must fail. (anonymeter crashes on exactly this input.)
/// 2. **Independently resampled marginals**: each column drawn on its own from the training
///    column's values (identifier columns left empty), so no record survives: no privacy rule may fail.
/// 3. **Unseen real records as the release**: one half of the holdout as the synthetic table, the
///    other half as the holdout. The training table is then at least twice the holdout's size, so
///    size corrections are exercised: no privacy rule may fail.
public enum SanitySelfTest {
    /// One scenario.
    public enum Scenario: String, Sendable, CaseIterable {
        case trainAsRelease = "train-as-release"
        case resampledMarginals = "resampled-marginals"
        case unseenRealRecords = "unseen-real-records"

        /// What the scenario builds.
        public var summary: String {
            switch self {
            case .trainAsRelease: "the training table released as is"
            case .resampledMarginals: "each column resampled independently from train"
            case .unseenRealRecords: "half of the holdout released, the other half kept as holdout"
            }
        }
    }

    /// The verdict one rule gave in one scenario, and whether it is the one required.
    public struct Result: Sendable {
        /// Scenario.
        public var scenario: Scenario
        /// Rule id.
        public var ruleID: String
        /// What the rule said.
        public var status: RuleStatus
        /// The rule's level.
        public var level: Severity
        /// What is required: "fail", "not fail", or nil when the rule is not judged in this scenario.
        public var required: String?
        /// The rule's verdict message (no values).
        public var message: String

        /// Whether the requirement is met (true when not judged).
        public var ok: Bool {
            switch required {
            case "fail"?: status == .fail
            case "not fail"?: status != .fail
            default: true
            }
        }
    }

    /// Runs every scenario that the data allows (the third needs a holdout of at least 40 rows).
    public static func run(data: LoadedDatasets, configuration: ScanConfiguration, rules: [RuleDescriptor]) throws -> [Result] {
        var results: [Result] = []
        for scenario in Scenario.allCases {
            guard let scenarioData = build(scenario, from: data, seed: configuration.seed) else { continue }
            let context = ScanContext(data: scenarioData, configuration: configuration)
            for outcome in try ScanEngine.evaluate(rules: rules, context: context) {
                let tags = outcome.rule.tags
                var required: String?
                switch scenario {
                case .trainAsRelease: required = tags.contains("memorisation") ? "fail" : nil
                case .resampledMarginals, .unseenRealRecords: required = tags.contains("privacy") ? "not fail" : nil
                }
                results.append(Result(scenario: scenario, ruleID: outcome.rule.id, status: outcome.status,
                                      level: outcome.level, required: required, message: outcome.message))
            }
        }
        return results
    }

    /// The tables of `scenario`, or nil when the data cannot support it.
    static func build(_ scenario: Scenario, from data: LoadedDatasets, seed: UInt64) -> LoadedDatasets? {
        switch scenario {
        case .trainAsRelease:
            return LoadedDatasets(schema: data.schema, train: data.train, holdout: data.holdout,
                                  synthetic: data.train.subset(rows: Array(0..<data.train.rowCount), role: .synthetic),
                                  notifications: [])
        case .resampledMarginals:
            var rng = SeededRandom(seed: seed, stream: SeededRandom.stream("selftest/resampled-marginals"))
            let n = data.synthetic.rowCount
            let identifiers = Set(data.schema.columns.filter { $0.roles.contains(.identifier) }.map(\.name))
            let columns = data.train.columns.map { column -> Column in
                let rows = (0..<n).map { _ in Int(rng.unitInterval() * Double(data.train.rowCount)) }
                if identifiers.contains(column.name) { return column.emptied(count: n) }
                return column.subset(rows: rows)
            }
            let synthetic = Table(role: .synthetic, source: data.synthetic.source, columns: columns, rowCount: n,
                                  recordLines: Array(2..<(n + 2)))
            return LoadedDatasets(schema: data.schema, train: data.train, holdout: data.holdout, synthetic: synthetic,
                                  notifications: [])
        case .unseenRealRecords:
            guard let holdout = data.holdout, holdout.rowCount >= 40 else { return nil }
            var rng = SeededRandom(seed: seed, stream: SeededRandom.stream("selftest/holdout-split"))
            var order = Array(0..<holdout.rowCount)
            for i in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(i, Int(rng.unitInterval() * Double(i + 1)))
            }
            let half = holdout.rowCount / 2
            return LoadedDatasets(schema: data.schema, train: data.train,
                                  holdout: holdout.subset(rows: Array(order[half...]).sorted(), role: .holdout),
                                  synthetic: holdout.subset(rows: Array(order[..<half]).sorted(), role: .synthetic),
                                  notifications: [])
        }
    }
}

extension Table {
    /// A table of the given rows (in the given order) with a new role; dictionaries stay shared.
    func subset(rows: [Int], role: TableRole) -> Table {
        Table(role: role, source: source, columns: columns.map { $0.subset(rows: rows) }, rowCount: rows.count,
              recordLines: rows.map { recordLines[$0] })
    }
}

extension Column {
    /// The column's values at `rows`.
    func subset(rows: [Int]) -> Column {
        switch storage {
        case .numeric(let values, let mask):
            var out = [Double](repeating: 0, count: rows.count)
            var outMask = MissingMask(count: rows.count)
            for (i, r) in rows.enumerated() {
                if mask.isMissing(r) { outMask.markMissing(i) } else { out[i] = values[r] }
            }
            return Column(name: name, type: type, storage: .numeric(values: out, missing: outMask))
        case .coded(let codes, let dictionary):
            return Column(name: name, type: type, storage: .coded(codes: rows.map { codes[$0] }, dictionary: dictionary))
        }
    }

    /// A column of `count` missing values.
    func emptied(count: Int) -> Column {
        switch storage {
        case .numeric:
            var mask = MissingMask(count: count)
            for i in 0..<count { mask.markMissing(i) }
            return Column(name: name, type: type, storage: .numeric(values: [Double](repeating: 0, count: count), missing: mask))
        case .coded(_, let dictionary):
            return Column(name: name, type: type, storage: .coded(codes: [UInt32](repeating: Column.missingCode, count: count),
                                                                   dictionary: dictionary))
        }
    }
}
