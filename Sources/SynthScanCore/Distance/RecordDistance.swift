/// How two records are compared: the one mixed-type distance every check uses.
///
/// Default (`gower`, SDMetrics DCR semantics, `sdmetrics/single_table/privacy/dcr_utils.py`
/// `calculate_dcr` in SDMetrics 0.32): per column, numeric and datetime values give
/// `min(|a − b| / range, 1)` where `range = max − min` of the REFERENCE table of the pass (the
/// table searched), or of the train table with `rangeSource = .train`; a reference column with
/// range 0 (or no values) compares by equality (0 or 1); categorical and boolean values give 0
/// when equal, else 1; a missing value against a present one gives 1, two missing values 0. The
/// record distance is the weighted mean over the columns, so it lies in [0, 1].
///
/// The `anonymeter` preset follows anonymeter 1.1.0 (`neighbors/mixed_types_kneighbors.py`,
/// `gower_distance`): numeric ranges over train ∪ the other table, two missing values count as a
/// mismatch, and column distances are summed rather than averaged.
public struct RecordDistance: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Where numeric ranges come from.
    public enum RangeSource: String, Hashable, Sendable, Codable, CaseIterable {
        /// The reference table of each pass (SDMetrics).
        case reference
        /// The train table, for every pass.
        case train
        /// The union of train and the other table of the pass (anonymeter).
        case trainAndOther = "train-and-other"
    }

    /// How missing values compare.
    public enum MissingPolicy: String, Hashable, Sendable, Codable, CaseIterable {
        /// Missing vs missing 0, missing vs present 1 (SDMetrics).
        case matchEachOther = "match"
        /// Missing vs anything 1 (anonymeter).
        case neverMatch = "mismatch"
    }

    /// How column distances combine into a record distance.
    public enum Aggregation: String, Hashable, Sendable, Codable, CaseIterable {
        /// Weighted mean (SDMetrics): in [0, 1].
        case mean
        /// Weighted sum (anonymeter).
        case sum
    }

    /// Columns compared (canonical order); empty = the comparable columns of the schema.
    public var columns: [String]
    /// Weight per column name (absent = 1).
    public var weights: [String: Double]
    /// Range source for numeric and datetime columns.
    public var rangeSource: RangeSource
    /// Missing-value policy.
    public var missing: MissingPolicy
    /// Aggregation over columns.
    public var aggregation: Aggregation

    /// Creates a distance definition; the defaults are SDMetrics' DCR semantics.
    public init(columns: [String] = [], weights: [String: Double] = [:], rangeSource: RangeSource = .reference,
                missing: MissingPolicy = .matchEachOther, aggregation: Aggregation = .mean) {
        self.columns = columns
        self.weights = weights
        self.rangeSource = rangeSource
        self.missing = missing
        self.aggregation = aggregation
    }

    /// SDMetrics' DCR distance over the schema's comparable columns.
    public static let gower = RecordDistance()

    /// anonymeter's Gower variant.
    public static let anonymeter = RecordDistance(rangeSource: .trainAndOther, missing: .neverMatch, aggregation: .sum)

    /// A short description for reports, e.g. `gower(mean, range=reference, missing=match, 12 columns)`.
    public var description: String {
        let cols = columns.isEmpty ? "comparable columns" : "\(columns.count) columns"
        let weighted = weights.isEmpty ? "" : ", weighted"
        return "gower(\(aggregation.rawValue), range=\(rangeSource.rawValue), missing=\(missing.rawValue), \(cols)\(weighted))"
    }
}

/// The nearest and second-nearest reference record of every query record, exactly.
public struct NearestRecords: Sendable {
    /// Distance to the nearest reference record, per query row.
    public var nearest: [Double]
    /// Row index (0-based) of that record in the reference table; the lowest index among ties.
    public var nearestRow: [Int32]
    /// Distance to the second-nearest reference record (`.infinity` if the reference has one row).
    public var second: [Double]
    /// Row index of that record (`-1` if none).
    public var secondRow: [Int32]

    /// Number of query rows.
    public var count: Int { nearest.count }
}
