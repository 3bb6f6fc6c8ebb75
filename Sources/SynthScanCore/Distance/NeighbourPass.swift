/// One exact nearest-record pass: which query rows, against which reference table, under which
/// distance. The scan context runs each distinct pass once and every rule shares its result;
/// sharded scans split a pass's query rows between processes and merge them back.
///
/// A pass is a plain value (Hashable, Codable) so that it can key a cache and be written into a
/// partial result: every field is derived from the configuration and the table sizes, never from
/// data values, so two processes that scan the same inputs with the same rules name the same passes.
public struct NeighbourPass: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Where the query rows of a pass come from.
    public enum Query: Hashable, Sendable, Codable {
        /// Every row of a table.
        case table(TableRole)
        /// `count` rows of a table drawn uniformly without replacement from a fresh seeded stream
        /// (`SeededRandom(seed:stream:)`), in row order: `QuerySample.rows`.
        case sample(TableRole, stream: UInt64, count: Int)
        /// A random table of `rows` rows drawn column by column from the training data's support
        /// (`RandomBaselineTable`), seeded with `stream`.
        case randomBaseline(stream: UInt64, rows: Int)
    }

    /// A per-row search radius: query row i's nearest distance to `reference` under `distance`
    /// (another pass over the same query rows). A pass `within` a radius finds, for each query row,
    /// the nearest reference record at a distance ≤ that radius, and reports +∞ (row −1) when there
    /// is none. It answers "is any reference record as close as the radius?" exactly, and prunes
    /// from the first node on, so it costs a fraction of an unbounded search.
    public struct Radius: Hashable, Sendable, Codable {
        /// The table whose nearest distance is the radius.
        public var reference: TableRole
        /// The distance that radius is measured in.
        public var distance: RecordDistance

        /// Creates a radius description.
        public init(reference: TableRole, distance: RecordDistance) {
            self.reference = reference
            self.distance = distance
        }
    }

    /// The query rows.
    public var query: Query
    /// The table searched.
    public var reference: TableRole
    /// How records are compared.
    public var distance: RecordDistance
    /// Whether the pass finds each query row's second-nearest record too (the default), or only
    /// the nearest. A nearest-only search prunes against the nearest distance instead of the
    /// second-nearest one, which measured ≈ 1/3 less CPU on the 100k benchmark; its result holds
    /// NaN and −1 for the second-nearest. A rule that reads only `nearest` asks for this; the scan
    /// context serves it from the two-neighbour pass when some rule needs that one anyway
    /// (`ScanContext.expectSecondNearest(for:)`), so the tables are not searched twice.
    public var secondNearest: Bool
    /// Search only within this radius per query row (nil: unbounded). A bounded pass finds the
    /// nearest record only (`secondNearest` is false).
    public var within: Radius?

    /// Creates a pass description.
    public init(query: Query, reference: TableRole, distance: RecordDistance = .gower, secondNearest: Bool = true,
                within: Radius? = nil) {
        self.query = query
        self.reference = reference
        self.distance = distance
        self.secondNearest = within == nil && secondNearest
        self.within = within
    }

    /// The pass that supplies this pass's radius: the same query rows against the radius's table.
    public var radiusPass: NeighbourPass? {
        within.map { NeighbourPass(query: query, reference: $0.reference, distance: $0.distance, secondNearest: false) }
    }

    /// Every row of `query` against `reference`.
    public init(_ query: TableRole, to reference: TableRole, distance: RecordDistance = .gower, secondNearest: Bool = true) {
        self.init(query: .table(query), reference: reference, distance: distance, secondNearest: secondNearest)
    }

    /// The same pass with the second-nearest record (itself when it has it already, or when it is
    /// bounded by a radius).
    public var withSecondNearest: NeighbourPass {
        var pass = self
        pass.secondNearest = within == nil
        return pass
    }

    /// The table whose rows are queried (the synthetic role stands for the random baseline).
    public var queryRole: TableRole {
        switch query {
        case .table(let role), .sample(let role, _, _): role
        case .randomBaseline: .synthetic
        }
    }

    /// True when a query row is also a reference row (leave-one-out: a row is not its own neighbour).
    public var excludesSameRow: Bool {
        switch query {
        case .table(let role), .sample(let role, _, _): role == reference
        case .randomBaseline: false
        }
    }

    /// e.g. `synthetic→train gower(mean, range=reference, missing=match, comparable columns)`,
    /// followed by `, nearest only` for a pass without the second-nearest record and by its radius.
    public var description: String {
        "\(label) \(distance)" + (secondNearest ? "" : ", nearest only")
            + (within.map { ", within the nearest \($0.reference.rawValue) distance (\($0.distance))" } ?? "")
    }

    /// The tables only, for progress lines: e.g. `synthetic→train`, `10000 random baseline rows→train`.
    public var label: String {
        let from: String
        switch query {
        case .table(let role): from = role.rawValue
        case .sample(let role, _, let count): from = "\(count) sampled \(role.rawValue) rows"
        case .randomBaseline(_, let rows): from = "\(rows) random baseline rows"
        }
        return "\(from)→\(reference.rawValue)"
    }
}

/// Row samples for `NeighbourPass.Query.sample`.
public enum QuerySample {
    /// `k` of the rows `0..<n` drawn uniformly without replacement (partial Fisher–Yates, Knuth
    /// TAOCP vol. 2 §3.4.2, Algorithm P) from `SeededRandom(seed: seed, stream: stream)`, in row
    /// order; every row when `n ≤ k`.
    public static func rows(of n: Int, count k: Int, seed: UInt64, stream: UInt64) -> [Int] {
        guard n > k else { return Array(0..<n) }
        var rng = SeededRandom(seed: seed, stream: stream)
        var rows = Array(0..<n)
        for i in 0..<k {
            let remaining = rows.count - i
            let j = i + Swift.min(remaining - 1, Int(rng.unitInterval() * Double(remaining)))
            rows.swapAt(i, j)
        }
        return rows[0..<k].sorted()
    }
}
