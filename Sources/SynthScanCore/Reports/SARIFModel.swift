import Foundation

// The Codable SARIF 2.1.0 objects the writer emits (split from SARIFReportWriter.swift).

extension SARIFReportWriter {
    /// `sarifLog` (§3.13).
    struct Log: Codable, Equatable {
        var schema: String
        var version: String
        var runs: [Run]
        enum CodingKeys: String, CodingKey { case schema = "$schema", version, runs }
    }

    /// `run` (§3.14).
    struct Run: Codable, Equatable {
        var tool: Tool
        var invocations: [Invocation]
        var originalUriBaseIds: [String: ArtifactLocation]?
        var artifacts: [Artifact]
        var results: [Result]
        var automationDetails: AutomationDetails
        var columnKind: String
    }

    /// `tool` (§3.18).
    struct Tool: Codable, Equatable {
        var driver: ToolComponent
        var extensions: [ExtensionComponent]?
    }

    /// A rule pack as a `toolComponent` in `tool.extensions` (§3.18.3), listing the rules it
    /// defines that ran (`rules`, §3.19.23; results reach them through `rule.toolComponent`).
    struct ExtensionComponent: Codable, Equatable {
        var name: String
        var version: String
        var semanticVersion: String
        var rules: [ReportingDescriptor]
        var properties: ExtensionProperties
    }

    /// The pack's content hash, location and parent.
    struct ExtensionProperties: Codable, Equatable {
        var contentHash: String
        var location: String
        var extends: String?
    }

    /// `suppression` (§3.35).
    struct Suppression: Codable, Equatable {
        var kind: String
        var status: String
        var justification: String
    }

    /// `toolComponent` (§3.19).
    struct ToolComponent: Codable, Equatable {
        var name: String
        var semanticVersion: String
        var informationUri: String
        var rules: [ReportingDescriptor]
        /// Descriptors of the notifications the run's invocation carries (§3.19.24), so every
        /// `notification.descriptor` reference resolves; absent when there are none.
        var notifications: [NotificationDescriptor]? = nil
    }

    /// A `reportingDescriptor` (§3.49) for a notification: its id and what it means.
    struct NotificationDescriptor: Codable, Equatable {
        var id: String
        var shortDescription: MultiformatMessage
    }

    /// `reportingDescriptor` (§3.49).
    struct ReportingDescriptor: Codable, Equatable {
        var id: String
        var name: String
        var shortDescription: MultiformatMessage
        var fullDescription: MultiformatMessage
        var help: MultiformatMessage
        var defaultConfiguration: ReportingConfiguration
        var properties: RuleProperties
    }

    /// `multiformatMessageString` (§3.12).
    struct MultiformatMessage: Codable, Equatable {
        var text: String
        var markdown: String?
    }

    /// `reportingConfiguration` (§3.50).
    struct ReportingConfiguration: Codable, Equatable {
        var level: String
    }

    /// A rule's property bag: GitHub reads `tags` and `security-severity`.
    struct RuleProperties: Codable, Equatable {
        var tags: [String]
        var securitySeverity: String?
        var precision: String?
        var pack: String?
        enum CodingKeys: String, CodingKey { case tags, securitySeverity = "security-severity", precision, pack }
    }

    /// `result` (§3.27).
    struct Result: Codable, Equatable {
        var ruleId: String
        /// Index of the rule in `tool.driver.rules` (§3.27.6); left out for a pack's rule, which
        /// `rule.index` and `rule.toolComponent` locate (see `SARIFReportWriter.RulePlacement`).
        var ruleIndex: Int?
        /// `rule` (§3.27.7): id, index and, for a pack's rule, the pack's `toolComponent`.
        var rule: DescriptorReference
        var level: String
        var message: Message
        var locations: [Location]
        var partialFingerprints: [String: String]
        var properties: [String: PropertyNumber]?
        var suppressions: [Suppression]?
        /// `kind` (§3.27.9): absent means `fail`; `pass` and `notApplicable` with `--include-passes`.
        var kind: String? = nil
        /// `baselineState` (§3.27.24), when a baseline was given.
        var baselineState: String? = nil
    }

    /// `message` (§3.11), plain text only.
    struct Message: Codable, Equatable {
        var text: String
    }

    /// `location` (§3.28).
    struct Location: Codable, Equatable {
        var physicalLocation: PhysicalLocation
        var logicalLocations: [LogicalLocation]?
    }

    /// `physicalLocation` (§3.29).
    struct PhysicalLocation: Codable, Equatable {
        var artifactLocation: ArtifactLocation
        var region: Region
    }

    /// `artifactLocation` (§3.4).
    struct ArtifactLocation: Codable, Equatable {
        var uri: String
        var uriBaseId: String?
        var index: Int?
    }

    /// `region` (§3.30), line only.
    struct Region: Codable, Equatable {
        var startLine: Int
    }

    /// `logicalLocation` (§3.33).
    struct LogicalLocation: Codable, Equatable {
        var name: String
        var fullyQualifiedName: String
        var kind: String
    }

    /// `artifact` (§3.24).
    struct Artifact: Codable, Equatable {
        var location: ArtifactLocation
        var length: Int
        var hashes: [String: String]?
        var roles: [String]
        var properties: ArtifactProperties
    }

    /// An artifact's property bag.
    struct ArtifactProperties: Codable, Equatable {
        var tableRole: String
        var format: String
        var rows: Int
        var columns: Int
        enum CodingKeys: String, CodingKey { case tableRole = "table_role", format, rows, columns }
    }

    /// `invocation` (§3.20).
    struct Invocation: Codable, Equatable {
        var executionSuccessful: Bool
        var commandLine: String
        var arguments: [String]
        var startTimeUtc: String
        var endTimeUtc: String
        var ruleConfigurationOverrides: [ConfigurationOverride]?
        var toolExecutionNotifications: [Notification]?
        var toolConfigurationNotifications: [Notification]?
        var properties: InvocationProperties
    }

    /// An invocation's property bag.
    struct InvocationProperties: Codable, Equatable {
        var seed: UInt64
        var failOn: String?
        var gateFailed: Bool
        enum CodingKeys: String, CodingKey { case seed, failOn = "fail_on", gateFailed = "gate_failed" }
    }

    /// `notification` (§3.58).
    struct Notification: Codable, Equatable {
        var level: String
        var message: Message
        var descriptor: DescriptorReference
        var associatedRule: DescriptorReference?
    }

    /// `reportingDescriptorReference` (§3.52), by id; for rules that ran also the index into the
    /// `rules` of their component, and `toolComponent` when that component is a pack (absent = driver, §3.52.7).
    struct DescriptorReference: Codable, Equatable {
        var id: String
        var index: Int? = nil
        var toolComponent: ToolComponentReference? = nil
    }

    /// `toolComponentReference` (§3.54): a pack in `tool.extensions`, by name and index.
    struct ToolComponentReference: Codable, Equatable {
        var name: String
        var index: Int
    }

    /// `configurationOverride` (§3.51).
    struct ConfigurationOverride: Codable, Equatable {
        var configuration: OverrideConfiguration
        var descriptor: DescriptorReference
        var properties: OverrideProperties
    }

    /// The `reportingConfiguration` of an override: effective level and overridden parameters.
    struct OverrideConfiguration: Codable, Equatable {
        var level: String
        var parameters: [String: ParameterJSON]?
    }

    /// Which pack set each overridden key (`severity`, `security-severity`, `tags`, `message` or a parameter).
    struct OverrideProperties: Codable, Equatable {
        var setBy: [String: String]
        enum CodingKeys: String, CodingKey { case setBy = "set_by" }
    }

    /// A rule parameter as JSON: number, boolean, string or array of strings.
    struct ParameterJSON: Codable, Equatable {
        var value: ParameterValue

        init(_ value: ParameterValue) { self.value = value }

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let v = try? c.decode(Bool.self) { value = .boolean(v) }
            else if let v = try? c.decode(Int.self) { value = .integer(v) }
            else if let v = try? c.decode(Double.self) { value = .number(v) }
            else if let v = try? c.decode([String].self) { value = .list(v) }
            else { value = .text(try c.decode(String.self)) }
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            switch value {
            case .integer(let v): try c.encode(v)
            case .number(let v): if v.isFinite { try c.encode(PropertyNumber(v)) } else { try c.encodeNil() }
            case .boolean(let v): try c.encode(v)
            case .text(let v): try c.encode(v)
            case .list(let v): try c.encode(v)
            }
        }
    }

    /// `runAutomationDetails` (§3.17).
    struct AutomationDetails: Codable, Equatable {
        var id: String
    }

    /// A measurement in a property bag: integral values as integers, NaN and infinities as `null`.
    struct PropertyNumber: Codable, Equatable {
        var value: Double

        init(_ value: Double) { self.value = value }

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            value = container.decodeNil() ? .nan : try container.decode(Double.self)
        }

        func encode(to encoder: Encoder) throws {
            var container = encoder.singleValueContainer()
            if !value.isFinite {
                try container.encodeNil()
            } else if value == value.rounded(.towardZero), abs(value) < 9_007_199_254_740_992 {
                try container.encode(Int64(value))
            } else {
                try container.encode(value)
            }
        }

        static func == (a: PropertyNumber, b: PropertyNumber) -> Bool {
            a.value == b.value || (a.value.isNaN && b.value.isNaN)
        }
    }
}
