/// Why a predicate cannot be applied to the data: it names a column the data does not have, or it
/// combines values of types that do not go together.
public enum PredicateBindingError: Error, Equatable, CustomStringConvertible {
    /// The predicate reads a column that is not in the data.
    case unknownColumn(String)
    /// An operation on values of the wrong types, explained for a human.
    case typeMismatch(String)

    public var description: String {
        switch self {
        case .unknownColumn(let c): "column '\(c)' is not in the data"
        case .typeMismatch(let reason): reason
        }
    }
}

/// Type-checks a parsed predicate against the data and binds it to one table.
///
/// Types: numeric columns and number literals are numbers; datetime columns are datetimes
/// (a string literal compared with one is read as an ISO 8601 date or timestamp, UTC);
/// `datetime − datetime` is a number of days and `datetime ± number` shifts by that many days;
/// categorical and text columns compare with `==`, `!=` and `in` against labels (a number
/// literal matches the label the loader gives that number, so `code == 1` matches `1` and `1.0`);
/// boolean columns compare with `true`/`false` (or `"yes"`/`"no"`) and may stand alone as a truth
/// value. Ordering comparisons of labels, and mixing numbers with dates or labels, are errors.
public struct PredicateBinder {
    /// The loaded tables (their dictionaries are shared, so codes agree across tables).
    let data: LoadedDatasets
    /// Per-column settings (case folding changes how labels are looked up).
    let columnSettings: [String: ColumnSettings]

    /// Creates a binder for `data`, with the configuration's column settings.
    public init(data: LoadedDatasets, columnSettings: [String: ColumnSettings] = [:]) {
        self.data = data
        self.columnSettings = columnSettings
    }

    /// Labels in the predicate that occur in no table (e.g. a misspelt category), by column.
    public func unmatchedLabels(_ expression: RowExpression) throws(PredicateBindingError) -> [String] {
        var unmatched: [String] = []
        _ = try bind(expression, table: data.synthetic, unmatched: &unmatched)
        return unmatched
    }

    /// `expression` bound to `table`.
    public func bind(_ expression: RowExpression, table: Table) throws(PredicateBindingError) -> BoundPredicate {
        var unmatched: [String] = []
        return try bind(expression, table: table, unmatched: &unmatched)
    }

    private func bind(_ expression: RowExpression, table: Table, unmatched: inout [String]) throws(PredicateBindingError) -> BoundPredicate {
        var context = Context(binder: self, table: table)
        let root = try context.truth(expression)
        unmatched = context.unmatched
        return BoundPredicate(root: root)
    }

    /// A bound operand before its use decides what it must be.
    private enum Operand {
        case number(NumericNode)
        case datetime(NumericNode)
        /// A coded column (categorical, text or boolean).
        case coded(name: String, codes: [UInt32], dictionary: CategoryDictionary, type: ColumnType)
        case string(String)
        case boolean(Bool)
        case truth(TruthNode)

        var typeName: String {
            switch self {
            case .number: "a number"
            case .datetime: "a date"
            case .coded(let name, _, _, let type): "column '\(name)' (\(type.rawValue))"
            case .string(let s): "the string \"\(s)\""
            case .boolean(let b): "\(b)"
            case .truth: "a condition"
            }
        }
    }

    private struct Context {
        let binder: PredicateBinder
        let table: Table
        var unmatched: [String] = []

        init(binder: PredicateBinder, table: Table) {
            self.binder = binder
            self.table = table
        }

        mutating func truth(_ e: RowExpression) throws(PredicateBindingError) -> TruthNode {
            switch try operand(e) {
            case .truth(let t): return t
            case .boolean(let b): return .constant(Truth(b))
            case .coded(let name, let codes, _, let type) where type == .boolean:
                _ = name
                return .booleanColumn(codes)
            case let other:
                throw .typeMismatch("\(other.typeName) is not a condition: compare it with something (e.g. `== ...`)")
            }
        }

        mutating func operand(_ e: RowExpression) throws(PredicateBindingError) -> Operand {
            switch e {
            case .number(let v): return .number(.constant(v))
            case .string(let s): return .string(s)
            case .boolean(let b): return .boolean(b)
            case .column(let name, _): return try column(name)
            case .missingTest(let name, _, let isMissing):
                guard let column = table.column(named: name) else { throw .unknownColumn(name) }
                switch column.storage {
                case .numeric(_, let mask): return .truth(.numericMissing(mask, isMissing: isMissing))
                case .coded(let codes, _): return .truth(.codedMissing(codes, isMissing: isMissing))
                }
            case .negate(let a):
                guard case .number(let n) = try operand(a) else {
                    throw .typeMismatch("'-' needs a number")
                }
                return .number(.negate(n))
            case .arithmetic(let op, let a, let b):
                return try arithmetic(op, try operand(a), try operand(b))
            case .comparison(let op, let a, let b):
                return .truth(try comparison(op, try operand(a), try operand(b)))
            case .membership(let a, let items, let negated):
                return .truth(try membership(try operand(a), items, negated: negated))
            case .not(let a): return .truth(.not(try truth(a)))
            case .and(let a, let b): return .truth(.and(try truth(a), try truth(b)))
            case .or(let a, let b): return .truth(.or(try truth(a), try truth(b)))
            case .implies(let a, let b): return .truth(.implies(try truth(a), try truth(b)))
            }
        }

        func column(_ name: String) throws(PredicateBindingError) -> Operand {
            guard let column = table.column(named: name) else { throw .unknownColumn(name) }
            switch column.storage {
            case .numeric(let values, let mask):
                let node = NumericNode.column(values: values, missing: mask)
                return column.type == .datetime ? .datetime(node) : .number(node)
            case .coded(let codes, let dictionary):
                return .coded(name: name, codes: codes, dictionary: dictionary, type: column.type)
            }
        }

        func arithmetic(_ op: ArithmeticOperator, _ a: Operand, _ b: Operand) throws(PredicateBindingError) -> Operand {
            let secondsPerDay = 86_400.0
            switch (a, b) {
            case (.number(let x), .number(let y)):
                return .number(.arithmetic(op, x, y))
            case (.datetime(let x), .datetime(let y)) where op == .subtract:
                return .number(.scaled(.arithmetic(.subtract, x, y), 1 / secondsPerDay))
            case (.datetime(let x), .number(let days)) where op == .add || op == .subtract:
                return .datetime(.arithmetic(op, x, .scaled(days, secondsPerDay)))
            case (.number(let days), .datetime(let x)) where op == .add:
                return .datetime(.arithmetic(.add, .scaled(days, secondsPerDay), x))
            default:
                throw .typeMismatch("cannot apply '\(op.rawValue)' to \(a.typeName) and \(b.typeName) (dates subtract to a number of days, and a number of days can be added to or subtracted from a date)")
            }
        }

        mutating func comparison(_ op: ComparisonOperator, _ a: Operand, _ b: Operand) throws(PredicateBindingError) -> TruthNode {
            switch (a, b) {
            case (.number(let x), .number(let y)), (.datetime(let x), .datetime(let y)):
                return .compareNumbers(op, x, y)
            case (.datetime(let x), .string(let s)):
                return .compareNumbers(op, x, .constant(try date(s)))
            case (.string(let s), .datetime(let y)):
                return .compareNumbers(op, .constant(try date(s)), y)
            case (.coded(let name, let codes, let dictionary, let type), let literal),
                 (let literal, .coded(let name, let codes, let dictionary, let type)):
                if case .coded(let otherName, let otherCodes, let otherDictionary, let otherType) = literal {
                    guard !op.isOrdering else {
                        throw .typeMismatch("'\(op.rawValue)' cannot order the labels of columns '\(name)' and '\(otherName)'; use == or !=")
                    }
                    guard (type == .boolean) == (otherType == .boolean) else {
                        throw .typeMismatch("cannot compare column '\(name)' (\(type.rawValue)) with column '\(otherName)' (\(otherType.rawValue))")
                    }
                    // `name` is the left column only when `a` is coded; keep the written order.
                    let (leftCodes, leftDictionary, rightCodes, rightDictionary): ([UInt32], CategoryDictionary, [UInt32], CategoryDictionary)
                    if case .coded(let n, _, _, _) = a, n == name {
                        (leftCodes, leftDictionary, rightCodes, rightDictionary) = (codes, dictionary, otherCodes, otherDictionary)
                    } else {
                        (leftCodes, leftDictionary, rightCodes, rightDictionary) = (otherCodes, otherDictionary, codes, dictionary)
                    }
                    let map = rightDictionary.labels.map { leftDictionary.code(of: $0) ?? (Column.missingCode - 1) }
                    return .sameLabel(left: leftCodes, right: rightCodes, map: map, negated: op == .notEqual)
                }
                guard !op.isOrdering else {
                    throw .typeMismatch("'\(op.rawValue)' cannot order the labels of column '\(name)' (\(type.rawValue)); use ==, != or in")
                }
                var set = CodeSet(capacity: dictionary.count)
                if let code = try code(of: literal, column: name, dictionary: dictionary, type: type) { set.insert(code) }
                return .codeIn(codes: codes, set: set, negated: op == .notEqual)
            case (.truth(let x), .boolean(let v)), (.boolean(let v), .truth(let x)):
                guard !op.isOrdering else { throw .typeMismatch("'\(op.rawValue)' cannot order truth values") }
                return (v == (op == .equal)) ? x : .not(x)
            default:
                throw .typeMismatch("cannot compare \(a.typeName) with \(b.typeName) using '\(op.rawValue)'")
            }
        }

        mutating func membership(_ a: Operand, _ items: [RowExpression], negated: Bool) throws(PredicateBindingError) -> TruthNode {
            switch a {
            case .number(let x):
                let values = try items.map { item throws(PredicateBindingError) -> Double in
                    guard case .number(let v) = item else { throw .typeMismatch("the list after 'in' must hold numbers to match a number") }
                    return v
                }
                return .numberIn(x, values, negated: negated)
            case .datetime(let x):
                let values = try items.map { item throws(PredicateBindingError) -> Double in
                    guard case .string(let s) = item else { throw .typeMismatch("the list after 'in' must hold dates (\"YYYY-MM-DD\") to match a date") }
                    return try date(s)
                }
                return .numberIn(x, values, negated: negated)
            case .coded(let name, let codes, let dictionary, let type):
                var set = CodeSet(capacity: dictionary.count)
                for item in items {
                    let literal: Operand
                    switch item {
                    case .number(let v): literal = .number(.constant(v))
                    case .string(let s): literal = .string(s)
                    case .boolean(let b): literal = .boolean(b)
                    default: throw .typeMismatch("the list after 'in' must hold literals")
                    }
                    if let code = try code(of: literal, column: name, dictionary: dictionary, type: type) { set.insert(code) }
                }
                return .codeIn(codes: codes, set: set, negated: negated)
            default:
                throw .typeMismatch("'in' needs a column or a number on its left, found \(a.typeName)")
            }
        }

        /// The dictionary code a literal stands for in a coded column; nil when no table holds it
        /// (recorded in `unmatched`, so a misspelt label does not go unnoticed).
        mutating func code(of literal: Operand, column name: String, dictionary: CategoryDictionary,
                           type: ColumnType) throws(PredicateBindingError) -> UInt32? {
            if type == .boolean {
                let value: Bool
                switch literal {
                case .boolean(let b): value = b
                case .string(let s):
                    guard let b = BooleanTokens.value(of: s.lowercased().utf8) else {
                        throw .typeMismatch("column '\(name)' is boolean: compare it with true or false, not \"\(s)\"")
                    }
                    value = b
                default:
                    throw .typeMismatch("column '\(name)' is boolean: compare it with true or false")
                }
                return value ? 1 : 0
            }
            let label: String
            switch literal {
            case .string(let s):
                label = binder.columnSettings[name]?.caseFold == true ? s.lowercased() : s
            case .number(.constant(let v)):
                label = NumberParser.canonicalText(v)
            case .boolean(let b):
                label = b ? "true" : "false"
            default:
                throw .typeMismatch("column '\(name)' (\(type.rawValue)) can only be compared with a label")
            }
            if let code = dictionary.code(of: label) { return code }
            if !unmatched.contains("\(name) == \"\(label)\"") { unmatched.append("\(name) == \"\(label)\"") }
            return nil
        }

        func date(_ text: String) throws(PredicateBindingError) -> Double {
            let bytes = Array(text.utf8)
            let seconds = bytes.withUnsafeBufferPointer { DateTimeParser.parse($0) }
            guard let seconds else {
                throw .typeMismatch("\"\(text)\" is not an ISO 8601 date or timestamp (YYYY-MM-DD, optionally with a time)")
            }
            return seconds
        }
    }
}
