import Foundation

/// Number formatting shared by messages, so every report prints numbers the same way.
public enum Format {
    /// A share as a percentage with two decimals, e.g. `1.25%`.
    public static func percent(_ share: Double) -> String {
        String(format: "%.2f%%", share * 100)
    }
}
