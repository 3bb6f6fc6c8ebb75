/// The version of synthscan, reported in every output.
public enum SynthScanVersion {
    /// Semantic version of this build.
    public static let current = "0.1.0"
}
