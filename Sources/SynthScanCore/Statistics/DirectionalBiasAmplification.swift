import Foundation

/// Directional bias amplification BiasAmp→ in the attribute→task direction (Wang & Russakovsky
/// 2021, "Directional Bias Amplification", ICML, eq. 2), with the real table in the role of the
/// training data and the synthetic table in the role of the predictions.
///
/// For attribute a (a protected cell) and task t (an outcome value), on N_R real and N_S synthetic rows:
/// - y_at = sign(P_R(a, t) − P_R(a)·P_R(t)), computed exactly as sign(n_R(a,t)·N_R − n_R(a)·n_R(t));
///   +1 when a and t are positively correlated in the real data. The paper writes the indicator
///   y = 1[P(a,t) > P(a)P(t)] and sums y·Δ + (1 − y)·(−Δ); for y ≠ 0 this is sign·Δ. At an exact tie
///   the reference implementation (`directional_biasamp.py`, `np.sign`) gives 0, which is what is
///   used here, so the pair adds 0 but still counts in the mean.
/// - Δ_at = P_S(t | a) − P_R(t | a) (there is no row pairing between the tables, so each conditional
///   is estimated on its own table; the reference code compares predictions and labels of the same
///   test rows).
/// - value_at = y_at·Δ_at: positive when the release strengthens the real association (amplifies
///   it), negative when it weakens or reverses it.
/// - BiasAmp→ = mean of value_at over the pairs (the reference's `np.nanmean`: pairs whose
///   attribute has no synthetic row are left out).
public enum DirectionalBiasAmplification {
    /// Counts of one table: rows, rows per attribute, rows per task, and rows per attribute × task.
    public struct Counts: Sendable, Equatable {
        /// Rows of the table.
        public var rows: Int
        /// Rows in each attribute (cell).
        public var attributeRows: [Int]
        /// Rows with each task.
        public var taskRows: [Int]
        /// Rows with attribute a and task t: `joint[a][t]`.
        public var joint: [[Int]]

        /// Creates the counts.
        public init(rows: Int, attributeRows: [Int], taskRows: [Int], joint: [[Int]]) {
            self.rows = rows
            self.attributeRows = attributeRows
            self.taskRows = taskRows
            self.joint = joint
        }
    }

    /// One attribute × task pair.
    public struct Pair: Sendable, Equatable {
        /// Attribute (cell) index.
        public var attribute: Int
        /// Task index.
        public var task: Int
        /// y_at: +1, −1 or 0.
        public var direction: Int
        /// P_R(t | a).
        public var realRate: Double
        /// P_S(t | a) (NaN when a has no synthetic row).
        public var syntheticRate: Double
        /// Δ_at = P_S(t | a) − P_R(t | a).
        public var delta: Double { syntheticRate - realRate }
        /// y_at·Δ_at.
        public var value: Double { Double(direction) * delta }
    }

    /// y_at from real counts: sign(n(a,t)·N − n(a)·n(t)), in exact integer arithmetic.
    public static func direction(joint: Int, attributeRows: Int, taskRows: Int, rows: Int) -> Int {
        let lhs = joint.multipliedFullWidth(by: rows), rhs = attributeRows.multipliedFullWidth(by: taskRows)
        if lhs.high != rhs.high { return lhs.high > rhs.high ? 1 : -1 }
        return lhs.low == rhs.low ? 0 : (lhs.low > rhs.low ? 1 : -1)
    }

    /// Every attribute × task pair, attribute-major.
    public static func pairs(real: Counts, synthetic: Counts) -> [Pair] {
        var result: [Pair] = []
        for a in real.attributeRows.indices {
            for t in real.taskRows.indices {
                let y = direction(joint: real.joint[a][t], attributeRows: real.attributeRows[a], taskRows: real.taskRows[t], rows: real.rows)
                let pR = Double(real.joint[a][t]) / Double(real.attributeRows[a])
                let nS = synthetic.attributeRows[a]
                let pS = nS > 0 ? Double(synthetic.joint[a][t]) / Double(nS) : .nan
                result.append(Pair(attribute: a, task: t, direction: y, realRate: pR, syntheticRate: pS))
            }
        }
        return result
    }

    /// BiasAmp→: the mean of y·Δ over the pairs with a defined Δ (NaN when there is none).
    public static func aggregate(_ pairs: [Pair]) -> Double {
        let values = pairs.map(\.value).filter { !$0.isNaN }
        return values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
    }
}
