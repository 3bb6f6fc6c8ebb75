/// A predicate bound to one table: every column resolved to its storage, every literal to a
/// number or a dictionary code, every operation type-checked. Evaluating a row allocates nothing.
///
/// Missing values follow SQL's three-valued logic (ISO/IEC 9075, "unknown"): a comparison or an
/// arithmetic operation that reads a missing value (or gives NaN, e.g. 0/0) is `unknown`, and
/// `and`, `or`, `not`, `implies` combine truth values as in Kleene's logic. Only `missing(c)` and
/// `present(c)` look at missingness itself and are always known.
public struct BoundPredicate: Sendable {
    let root: TruthNode

    /// The predicate's truth value on `row`.
    @inline(__always)
    public func truth(_ row: Int) -> Truth { root.truth(row) }

    /// The truth value of every row of a table with `rowCount` rows, computed on all cores.
    public func evaluate(rowCount: Int) -> [Truth] {
        var result = [Truth](repeating: .unknown, count: rowCount)
        let ranges = Parallel.ranges(rowCount, chunks: Parallel.defaultChunkCount)
        result.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer
            _ = Parallel.map(ranges.count) { k in
                for r in ranges[k] { out[r] = root.truth(r) }
            }
        }
        return result
    }
}

/// A numeric (or datetime, in seconds since 1970) sub-expression; `nil` = unknown.
indirect enum NumericNode: Sendable {
    case column(values: [Double], missing: MissingMask)
    case constant(Double)
    case negate(NumericNode)
    case arithmetic(ArithmeticOperator, NumericNode, NumericNode)
    /// The operand times a constant (seconds ↔ days for datetimes).
    case scaled(NumericNode, Double)

    @inline(__always)
    func value(_ r: Int) -> Double? {
        switch self {
        case .column(let values, let missing):
            return missing.isMissing(r) ? nil : values[r]
        case .constant(let v):
            return v
        case .negate(let a):
            return a.value(r).map { -$0 }
        case .arithmetic(let op, let a, let b):
            guard let x = a.value(r), let y = b.value(r) else { return nil }
            let v = op.apply(x, y)
            return v.isNaN ? nil : v
        case .scaled(let a, let k):
            return a.value(r).map { $0 * k }
        }
    }
}

/// A sub-expression with a truth value.
indirect enum TruthNode: Sendable {
    case constant(Truth)
    case compareNumbers(ComparisonOperator, NumericNode, NumericNode)
    /// A coded column's value is (or, `negated`, is not) one of the codes in `set`.
    case codeIn(codes: [UInt32], set: CodeSet, negated: Bool)
    /// Two coded columns hold the same label; `map` takes the right column's codes to the left's.
    case sameLabel(left: [UInt32], right: [UInt32], map: [UInt32], negated: Bool)
    /// A number is (or is not) one of the values.
    case numberIn(NumericNode, [Double], negated: Bool)
    /// A boolean column read as a truth value (code 1 = true).
    case booleanColumn([UInt32])
    /// `missing(c)` / `present(c)` on numeric storage.
    case numericMissing(MissingMask, isMissing: Bool)
    /// `missing(c)` / `present(c)` on coded storage.
    case codedMissing([UInt32], isMissing: Bool)
    case not(TruthNode)
    case and(TruthNode, TruthNode)
    case or(TruthNode, TruthNode)
    case implies(TruthNode, TruthNode)

    @inline(__always)
    func truth(_ r: Int) -> Truth {
        switch self {
        case .constant(let t):
            return t
        case .compareNumbers(let op, let a, let b):
            guard let x = a.value(r), let y = b.value(r) else { return .unknown }
            return Truth(op.apply(x, y))
        case .codeIn(let codes, let set, let negated):
            let c = codes[r]
            if c == Column.missingCode { return .unknown }
            return Truth(set.contains(c) != negated)
        case .sameLabel(let left, let right, let map, let negated):
            let a = left[r], b = right[r]
            if a == Column.missingCode || b == Column.missingCode { return .unknown }
            return Truth((map[Int(b)] == a) != negated)
        case .numberIn(let a, let values, let negated):
            guard let x = a.value(r) else { return .unknown }
            return Truth(values.contains(x) != negated)
        case .booleanColumn(let codes):
            let c = codes[r]
            return c == Column.missingCode ? .unknown : Truth(c == 1)
        case .numericMissing(let mask, let isMissing):
            return Truth(mask.isMissing(r) == isMissing)
        case .codedMissing(let codes, let isMissing):
            return Truth((codes[r] == Column.missingCode) == isMissing)
        case .not(let a):
            return a.truth(r).negated
        case .and(let a, let b):
            return a.truth(r) && b.truth(r)
        case .or(let a, let b):
            return a.truth(r) || b.truth(r)
        case .implies(let a, let b):
            return a.truth(r).negated || b.truth(r)
        }
    }
}
