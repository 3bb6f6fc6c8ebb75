/// Single-precision copies of `ReferenceLeaves`' node bounds, for the bound kernel
/// (`LeafScanner.lowerBounds`): an SSE register holds four of them instead of two doubles, and
/// computing node bounds was the largest cost of a search (≈ 44 % of a 100k × 100k pass).
///
/// A bound only has to be a LOWER bound of the exact distance, so it may be computed in lower
/// precision as long as the result is shifted down by the worst rounding error (`slack`):
/// - scaled columns are stored in units of their range from `origin` (the reference's smallest
///   value), clamped to `window`: node lows rounded down, highs rounded up, the query rounded to
///   nearest. Clamping is monotone and never lengthens a gap, so the gap stays a lower bound, and
///   every value has magnitude ≤ 5, so each rounding costs at most 5 · 2⁻²⁴ in absolute terms;
/// - equality-compared columns keep raw values, lows rounded down and highs rounded up (the inside
///   test stays true whenever it is true in double precision);
/// - weights and missing-query bounds are rounded down.
/// A term then exceeds its double-precision bound by at most w · 10⁻⁶ (query rounding, one
/// subtraction, one product), and a sum of C terms adds at most (C − 1) · 2⁻²⁴ · Σw; `slack`
/// is twice the sum of both, and `LeafScanner` subtracts it from every bound before using it.
final class SinglePrecisionBounds: @unchecked Sendable {
    /// Node lows per numeric slot, laid out like `ReferenceLeaves.low`.
    let low: UnsafeMutablePointer<Float>
    /// Node highs, laid out like `ReferenceLeaves.high`.
    let high: UnsafeMutablePointer<Float>
    /// Missing-query bounds, laid out like `ReferenceLeaves.missingQueryBound`, rounded down.
    let missing: UnsafeMutablePointer<Float>
    /// Per numeric slot: the value that maps to 0 (scaled columns).
    let origin: UnsafeMutablePointer<Double>
    /// Per column (canonical order): the weight rounded down.
    let weight: UnsafeMutablePointer<Float>
    /// What is subtracted from a single-precision bound to make it a lower bound of the double one.
    let slack: Double
    private let count: Int

    /// Scaled values are clamped to this range (the reference's own values lie in [0, 1] when its
    /// range is the scale's, a little beyond when another table's range is).
    static let window: ClosedRange<Double> = -4...5

    /// The largest sum of weights the single-precision bounds take (`NearestRecordSearch` uses the
    /// brute-force kernel beyond it); far below Float's range, so no bound overflows.
    static let largestTotalWeight = 1e30

    /// Converts the bounds of `leaves`, whose weights sum to less than `largestTotalWeight`.
    init(leaves: ReferenceLeaves) {
        let totalWeight = leaves.columns.reduce(0) { $0 + $1.weight }
        precondition(totalWeight < Self.largestTotalWeight, "weights beyond single precision's range")
        let slots = leaves.numericSlots, fanout = leaves.fanout
        count = Swift.max(1, slots * leaves.nodeCount)
        var origins = [Double](repeating: 0, count: slots)
        for column in leaves.columns where column.kind == .scaled {
            var smallest = Double.infinity
            for k in 0..<leaves.leafCount {
                let v = leaves.low[leaves.boundIndex(slot: column.slot, node: k, slots: slots)]
                if v.isFinite { smallest = Swift.min(smallest, v) }
            }
            origins[column.slot] = smallest.isFinite ? smallest : 0
        }
        origin = .allocate(capacity: Swift.max(1, slots))
        origin.initialize(from: origins, count: slots)
        weight = .allocate(capacity: Swift.max(1, leaves.columns.count))
        weight.initialize(from: leaves.columns.map { Self.down($0.weight) }, count: leaves.columns.count)
        slack = 2 * totalWeight * (1e-6 + Double(leaves.columns.count) * 0x1p-24)
        low = .allocate(capacity: count)
        high = .allocate(capacity: count)
        missing = .allocate(capacity: count)
        var kinds = [ReferenceLeaves.Column?](repeating: nil, count: slots)
        for column in leaves.columns where column.kind != .coded { kinds[column.slot] = column }
        for i in 0..<count {
            let slot = slots == 0 ? 0 : (i / fanout) % slots
            missing[i] = Self.down(slots == 0 ? 0 : leaves.missingQueryBound[i])
            guard slots > 0, let column = kinds[slot] else { low[i] = .infinity; high[i] = -.infinity; continue }
            if column.kind == .scaled {
                low[i] = Self.down(Self.clamp((leaves.low[i] - origins[slot]) * column.scale))
                high[i] = Self.up(Self.clamp((leaves.high[i] - origins[slot]) * column.scale))
            } else {
                low[i] = Self.down(leaves.low[i])
                high[i] = Self.up(leaves.high[i])
            }
        }
    }

    deinit {
        low.deallocate(); high.deallocate(); missing.deallocate(); origin.deallocate(); weight.deallocate()
    }

    /// The bounds as raw pointers, valid while this object lives.
    var view: View { View(low: low, high: high, missing: missing, origin: origin, weight: weight, slack: slack) }

    /// Raw pointers to the bounds, for the kernel's inner loops (no reference counting there).
    struct View {
        let low: UnsafeMutablePointer<Float>
        let high: UnsafeMutablePointer<Float>
        let missing: UnsafeMutablePointer<Float>
        let origin: UnsafeMutablePointer<Double>
        let weight: UnsafeMutablePointer<Float>
        let slack: Double

        /// A query value of a scaled column in the stored units (rounded to nearest).
        @inline(__always)
        func scaled(_ value: Double, slot: Int, scale: Double) -> Float {
            Float(SinglePrecisionBounds.clamp((value - origin[slot]) * scale))
        }
    }

    /// `x` clamped to `window` (NaN stays NaN; ±∞ become the ends).
    @inline(__always)
    static func clamp(_ x: Double) -> Double { Swift.min(Swift.max(x, window.lowerBound), window.upperBound) }

    /// The largest Float ≤ x.
    static func down(_ x: Double) -> Float {
        let f = Float(x)
        return Double(f) > x ? f.nextDown : f
    }

    /// The smallest Float ≥ x.
    static func up(_ x: Double) -> Float {
        let f = Float(x)
        return Double(f) < x ? f.nextUp : f
    }
}
