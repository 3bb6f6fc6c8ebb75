import Yams

/// Reads the `release:` section of `synthscan.yaml` strictly: unknown keys, wrong types, bad
/// dates and impossible budgets are reported with their position like every other config problem.
struct ReleaseSectionDecoder {
    /// Keys of `release`, in documentation order.
    static let keys = ["name", "description", "generator", "privacy_budget", "training_data", "intended_use", "governance"]
    /// Keys of `release.generator`.
    static let generatorKeys = ["name", "version", "parameters"]
    /// Keys of `release.privacy_budget`.
    static let budgetKeys = ["epsilon", "delta", "mechanism"]
    /// Keys of `release.governance`.
    static let governanceKeys = ["reviewers", "decision", "decided_on", "expires_on"]

    /// Reads values and reports problems.
    let values: YAMLValueReader

    /// The release description in `release` (a mapping already checked against `keys`).
    func decode(_ release: YAMLMappingReader) -> ReleaseConfiguration {
        var result = ReleaseConfiguration()
        result.name = release.string("name", nonEmpty: true)
        result.description = release.string("description", nonEmpty: true)
        if let generator = release.mapping("generator", allowedKeys: Self.generatorKeys) {
            result.generator = decodeGenerator(generator)
        }
        if let budget = release.mapping("privacy_budget", allowedKeys: Self.budgetKeys) {
            result.privacyBudget = decodeBudget(budget)
        }
        result.trainingData = release.string("training_data", nonEmpty: true)
        result.intendedUse = release.string("intended_use", nonEmpty: true)
        if let governance = release.mapping("governance", allowedKeys: Self.governanceKeys) {
            result.governance = decodeGovernance(governance)
        }
        return result
    }

    private func decodeGenerator(_ generator: YAMLMappingReader) -> GeneratorDescription {
        var result = GeneratorDescription(name: generator.string("name", nonEmpty: true),
                                          version: generator.string("version", nonEmpty: true))
        if let parameters = generator.mapping("parameters") {
            for entry in parameters.entries {
                let path = parameters.path(of: entry.key)
                if entry.key.isEmpty {
                    values.reportInvalid(entry.keyNode, at: parameters.path, value: "", expected: "a non-empty parameter name")
                    continue
                }
                guard case .scalar(let scalar) = entry.value else {
                    values.reportWrongType(entry.value, at: path, expected: "a scalar (number, string or boolean)")
                    continue
                }
                result.parameters.append(NamedText(name: entry.key, value: YAMLNodeKind.isNull(entry.value) ? "" : scalar.string))
            }
            result.parameters.sort { $0.name < $1.name }
        }
        return result
    }

    private func decodeBudget(_ budget: YAMLMappingReader) -> PrivacyBudget {
        var result = PrivacyBudget(mechanism: budget.string("mechanism", nonEmpty: true))
        if let epsilon = budget.double("epsilon"), let node = budget.node("epsilon") {
            if epsilon.isFinite, epsilon > 0 { result.epsilon = epsilon } else {
                values.reportInvalid(node, at: budget.path(of: "epsilon"), value: ParameterValue.format(epsilon), expected: "a finite number above 0")
            }
        }
        if let delta = budget.double("delta"), let node = budget.node("delta") {
            if delta >= 0, delta < 1 { result.delta = delta } else {
                values.reportInvalid(node, at: budget.path(of: "delta"), value: ParameterValue.format(delta), expected: "a number from 0 up to (not including) 1")
            }
        }
        return result
    }

    private func decodeGovernance(_ governance: YAMLMappingReader) -> ReleaseGovernance {
        var result = ReleaseGovernance()
        result.reviewers = governance.stringList("reviewers", unique: true, nonEmpty: true) ?? []
        result.decision = governance.choice("decision", from: ReleaseGovernance.decisions)
        result.decidedOn = date(governance, "decided_on")
        result.expiresOn = date(governance, "expires_on")
        if let decided = result.decidedOn, let expires = result.expiresOn, expires < decided, let node = governance.node("expires_on") {
            values.reportInvalid(node, at: governance.path(of: "expires_on"), value: expires,
                                 expected: "a date not before decided_on (\(decided))")
            result.expiresOn = nil
        }
        return result
    }

    /// A `yyyy-mm-dd` date (quoted or not).
    private func date(_ map: YAMLMappingReader, _ key: String) -> String? {
        guard let node = map.node(key), let text = values.string(node, at: map.path(of: key)) else { return nil }
        guard CalendarDate.isValid(text) else {
            values.reportInvalid(node, at: map.path(of: key), value: text, expected: "a date written yyyy-mm-dd, such as 2027-03-31")
            return nil
        }
        return text
    }
}
