import Foundation

/// The result of one rule self-test.
public struct RuleTestResult: Sendable {
    /// The rule tested.
    public var ruleID: String
    /// The pack defining the rule.
    public var pack: String
    /// The test's name.
    public var name: String
    /// `file:line` of the test.
    public var location: String
    /// Whether the test expects the rule to trigger.
    public var triggers: Bool
    /// What differed from the expectation, one line each (empty = passed).
    public var differences: [String]

    /// Whether the outcome matched every expectation.
    public var passed: Bool { differences.isEmpty }
}

/// Runs the self-tests a rule carries: writes its small tables to a private temporary folder,
/// loads them exactly as a scan would, runs the rule, and compares verdict, finding count and
/// measurements with the expectation.
public enum RuleSelfTestRunner {
    /// Relative tolerance for expected measurements.
    public static let tolerance = 1e-9

    /// Runs every test of `rule`.
    public static func run(_ rule: EffectiveRule) -> [RuleTestResult] {
        rule.definition.tests.map { run($0, of: rule.definition) }
    }

    /// Runs one test of `definition`.
    public static func run(_ test: RuleTestCase, of definition: RuleDefinition) -> RuleTestResult {
        var result = RuleTestResult(ruleID: definition.descriptor.id, pack: definition.descriptor.pack, name: test.name,
                                    location: test.position.map { "\(test.file):\($0.line)" } ?? test.file,
                                    triggers: test.triggers, differences: [])
        do {
            let outcome = try outcome(of: test, definition: definition)
            result.differences = compare(outcome, with: test)
        } catch {
            result.differences = ["could not run: \(error)"]
        }
        return result
    }

    /// The outcome of the rule on the test's tables.
    static func outcome(of test: RuleTestCase, definition: RuleDefinition) throws -> RuleOutcome {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("synthscan-rule-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }

        var configuration = ScanConfiguration()
        configuration.roles = test.roles
        configuration.columns = test.columns
        configuration.failOn = nil
        for (role, table) in test.tables {
            let text: String
            let name: String
            switch table {
            case .inline(let csv):
                text = csv
                name = role.rawValue + ".csv"
            case .file(let relative):
                text = try definition.source.read(relative)
                name = role.rawValue + "-" + (relative as NSString).lastPathComponent
            }
            let path = folder + "/" + name
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            switch role {
            case .train: configuration.inputs.train = path
            case .holdout: configuration.inputs.holdout = path
            case .synthetic: configuration.inputs.synthetic = path
            }
        }
        configuration.sourceRoot = folder
        let data = try DatasetLoader.load(configuration)
        let context = ScanContext(data: data, configuration: configuration)
        var descriptor = definition.descriptor
        for (name, value) in test.parameters { descriptor.parameters[name] = value }
        guard let outcome = try ScanEngine.evaluate(rules: [descriptor], context: context).first else {
            throw CheckError.unknownKind(rule: descriptor.id, kind: descriptor.check)
        }
        return outcome
    }

    /// One line per expectation the outcome does not meet.
    static func compare(_ outcome: RuleOutcome, with test: RuleTestCase) -> [String] {
        var lines: [String] = []
        func line(_ what: String, _ expected: String, _ actual: String) {
            lines.append("\(what): expected \(expected), got \(actual)")
        }
        if outcome.status != test.expectedStatus {
            line("verdict", test.expectedStatus.rawValue, outcome.status.rawValue + " (\(outcome.message))")
        }
        if let expected = test.expectedFindings, expected != outcome.findings.count {
            line("findings", String(expected), String(outcome.findings.count))
        }
        for (key, expected) in test.expectedMeasurements {
            guard let actual = outcome.measurement(key) else {
                line(key, ParameterValue.format(expected), "no such measurement in this run")
                continue
            }
            let scale = max(1, abs(expected), abs(actual))
            if abs(actual - expected) > tolerance * scale {
                line(key, ParameterValue.format(expected), ParameterValue.format(actual))
            }
        }
        return lines
    }
}
