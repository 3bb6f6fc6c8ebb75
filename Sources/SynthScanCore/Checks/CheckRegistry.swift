/// Maps check kind names (the `check:` field of a rule) to the built-in checks.
public enum CheckRegistry {
    /// Every built-in check kind, in documentation order.
    public static let all: [any Check.Type] = [AssociationPreservationCheck.self, AttributeInferenceCheck.self, DirectionalBiasAmplificationCheck.self, DistanceToClosestRecordCheck.self, ExactCopyCheck.self, FidelitySummaryCheck.self, IdentifierPatternCheck.self, IdentifierReuseCheck.self, InferenceAttackCheck.self, IntersectionalFairnessAmplificationCheck.self, LinkabilityCheck.self, MembershipInferenceCheck.self, MissingnessParityCheck.self, NearestNeighbourDistanceRatioCheck.self, OutcomeDisparityAmplificationCheck.self, PlausibilityRuleCheck.self, QuasiIdentifierDisclosureCheck.self, RareEventPreservationCheck.self, RepresentationSkewCheck.self, SafeHarborCheck.self, SinglingOutCheck.self, SubgroupErasureCheck.self, SubgroupFidelityCheck.self]

    /// The check type for `kind`, if it exists.
    public static func type(kind: String) -> (any Check.Type)? {
        all.first { $0.kind == kind }
    }

    /// The declared parameters of `kind`.
    public static func parameters(kind: String) -> [ParameterSpec]? {
        type(kind: kind)?.parameters
    }

    /// The declared measurements of `kind`.
    public static func measurements(kind: String) -> [MeasurementSpec]? {
        type(kind: kind)?.measurements
    }

    /// A runnable instance of `kind`.
    public static func check(kind: String) -> (any Check)? {
        type(kind: kind).map { $0.init() }
    }

    /// All kind names, sorted.
    public static var kinds: [String] { all.map { $0.kind }.sorted() }
}
