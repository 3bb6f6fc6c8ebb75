/// A row predicate as written in a plausibility rule, e.g.
/// `discharge_disposition == "Expired" implies readmitted_30d == 0`, parsed but not yet bound to
/// any table. `PredicateParser` builds it; `PredicateBinder` type-checks it against a schema.
///
/// The grammar (lowest precedence first; `docs/plausibility-rules.md` is the user's reference):
/// ```
/// predicate      := disjunction ( "implies" predicate )?          right-associative
/// disjunction    := conjunction ( "or" conjunction )*
/// conjunction    := negation ( "and" negation )*
/// negation       := "not" negation | comparison
/// comparison     := additive ( compare additive )*                 chained: a < b < c
///                 | additive "not"? "in" "[" literal ( "," literal )* "]"
/// compare        := "==" | "!=" | "<" | "<=" | ">" | ">="
/// additive       := multiplicative ( ("+" | "-") multiplicative )*
/// multiplicative := unary ( ("*" | "/") unary )*
/// unary          := "-" unary | primary
/// primary        := number | string | "true" | "false" | column | function "(" column ")"
///                 | "(" predicate ")"
/// column         := [A-Za-z_][A-Za-z0-9_]* | `any text but a backquote`
/// function       := "missing" | "present"
/// ```
public indirect enum RowExpression: Sendable, Equatable {
    /// A number literal.
    case number(Double)
    /// A string literal (a category label, or an ISO 8601 date compared with a datetime column).
    case string(String)
    /// `true` or `false`.
    case boolean(Bool)
    /// A column reference; `offset` is the 0-based character position in the predicate text.
    case column(String, offset: Int)
    /// `missing(column)` (`isMissing` true) or `present(column)` (false).
    case missingTest(column: String, offset: Int, isMissing: Bool)
    /// Unary minus.
    case negate(RowExpression)
    /// `+ - * /`.
    case arithmetic(ArithmeticOperator, RowExpression, RowExpression)
    /// `== != < <= > >=`.
    case comparison(ComparisonOperator, RowExpression, RowExpression)
    /// `value in [literals]`, or `not in` when `negated`.
    case membership(RowExpression, [RowExpression], negated: Bool)
    /// `not p`.
    case not(RowExpression)
    /// `p and q`.
    case and(RowExpression, RowExpression)
    /// `p or q`.
    case or(RowExpression, RowExpression)
    /// `p implies q` (`not p or q`).
    case implies(RowExpression, RowExpression)

    /// The columns the expression reads, in order of first appearance.
    public var columns: [String] {
        var names: [String] = []
        func visit(_ e: RowExpression) {
            switch e {
            case .number, .string, .boolean: break
            case .column(let name, _), .missingTest(let name, _, _):
                if !names.contains(name) { names.append(name) }
            case .negate(let a), .not(let a): visit(a)
            case .arithmetic(_, let a, let b), .comparison(_, let a, let b), .and(let a, let b),
                 .or(let a, let b), .implies(let a, let b):
                visit(a); visit(b)
            case .membership(let a, let items, _):
                visit(a); items.forEach(visit)
            }
        }
        visit(self)
        return names
    }
}

/// An arithmetic operator of a predicate.
public enum ArithmeticOperator: String, Sendable, Equatable {
    case add = "+", subtract = "-", multiply = "*", divide = "/"

    /// Applies the operator.
    @inline(__always)
    func apply(_ a: Double, _ b: Double) -> Double {
        switch self {
        case .add: a + b
        case .subtract: a - b
        case .multiply: a * b
        case .divide: a / b
        }
    }
}

/// A comparison operator of a predicate.
public enum ComparisonOperator: String, Sendable, Equatable {
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="

    /// Whether the operator needs an ordering (not only equality).
    var isOrdering: Bool { self != .equal && self != .notEqual }

    /// Applies the operator to two numbers.
    @inline(__always)
    func apply(_ a: Double, _ b: Double) -> Bool {
        switch self {
        case .equal: a == b
        case .notEqual: a != b
        case .less: a < b
        case .lessOrEqual: a <= b
        case .greater: a > b
        case .greaterOrEqual: a >= b
        }
    }
}

/// A truth value of three-valued (Kleene) logic: a comparison that reads a missing value is
/// `unknown`, and `unknown` propagates through `and`, `or`, `not` and `implies` as in SQL.
public enum Truth: UInt8, Sendable, Equatable {
    case isFalse = 0, isTrue = 1, unknown = 2

    /// A known truth value.
    @inline(__always) init(_ value: Bool) { self = value ? .isTrue : .isFalse }

    /// Kleene negation.
    @inline(__always) var negated: Truth {
        switch self {
        case .isTrue: .isFalse
        case .isFalse: .isTrue
        case .unknown: .unknown
        }
    }

    /// Kleene conjunction: false wins over unknown.
    @inline(__always) static func && (a: Truth, b: @autoclosure () -> Truth) -> Truth {
        if a == .isFalse { return .isFalse }
        let right = b()
        if right == .isFalse { return .isFalse }
        return a == .isTrue && right == .isTrue ? .isTrue : .unknown
    }

    /// Kleene disjunction: true wins over unknown.
    @inline(__always) static func || (a: Truth, b: @autoclosure () -> Truth) -> Truth {
        if a == .isTrue { return .isTrue }
        let right = b()
        if right == .isTrue { return .isTrue }
        return a == .isFalse && right == .isFalse ? .isFalse : .unknown
    }
}
