/// Parses a predicate (grammar in `RowExpression`) by recursive descent.
///
/// Errors name the character position, so `rules validate` can point into the rule file.
/// Nesting is limited to `maxDepth` levels so a hostile rule file cannot exhaust the stack.
public enum PredicateParser {
    /// Deepest nesting of parentheses and operators accepted.
    public static let maxDepth = 64

    /// Parses `text`.
    public static func parse(_ text: String) throws(PredicateSyntaxError) -> RowExpression {
        var state = State(tokens: try PredicateLexer.tokens(text))
        guard state.peek.kind != .end else {
            throw PredicateSyntaxError(message: "the predicate is empty", offset: 0)
        }
        let expression = try state.predicate(depth: 0)
        guard state.peek.kind == .end else {
            throw PredicateSyntaxError(message: "unexpected \(State.describe(state.peek)) after a complete predicate", offset: state.peek.offset)
        }
        return expression
    }

    /// The words with a meaning of their own; a column with such a name must be `backquoted`.
    static let keywords: Set<String> = ["and", "or", "not", "implies", "in", "true", "false", "missing", "present"]

    private struct State {
        let tokens: [PredicateToken]
        var position = 0

        init(tokens: [PredicateToken]) { self.tokens = tokens }

        var peek: PredicateToken { tokens[position] }

        mutating func advance() -> PredicateToken {
            let t = tokens[position]
            if position < tokens.count - 1 { position += 1 }
            return t
        }

        mutating func expect(_ symbol: String, _ context: String) throws(PredicateSyntaxError) {
            guard peek.isSymbol(symbol) else {
                throw PredicateSyntaxError(message: "expected '\(symbol)' \(context), found \(Self.describe(peek))", offset: peek.offset)
            }
            _ = advance()
        }

        static func describe(_ t: PredicateToken) -> String {
            switch t.kind {
            case .number: "a number"
            case .string: "a string"
            case .identifier(let w): keywords.contains(w) ? "'\(w)'" : "the name '\(w)'"
            case .quotedIdentifier(let w): "the column `\(w)`"
            case .symbol(let s): "'\(s)'"
            case .end: "the end of the predicate"
            }
        }

        func checkDepth(_ depth: Int) throws(PredicateSyntaxError) {
            if depth > PredicateParser.maxDepth {
                throw PredicateSyntaxError(message: "the predicate nests more than \(PredicateParser.maxDepth) levels deep", offset: peek.offset)
            }
        }

        mutating func predicate(depth: Int) throws(PredicateSyntaxError) -> RowExpression {
            try checkDepth(depth)
            let left = try disjunction(depth: depth + 1)
            if peek.isWord("implies") {
                _ = advance()
                return .implies(left, try predicate(depth: depth + 1))
            }
            return left
        }

        mutating func disjunction(depth: Int) throws(PredicateSyntaxError) -> RowExpression {
            var left = try conjunction(depth: depth)
            while peek.isWord("or") {
                _ = advance()
                left = .or(left, try conjunction(depth: depth))
            }
            return left
        }

        mutating func conjunction(depth: Int) throws(PredicateSyntaxError) -> RowExpression {
            var left = try negation(depth: depth)
            while peek.isWord("and") {
                _ = advance()
                left = .and(left, try negation(depth: depth))
            }
            return left
        }

        mutating func negation(depth: Int) throws(PredicateSyntaxError) -> RowExpression {
            try checkDepth(depth)
            if peek.isWord("not") {
                _ = advance()
                return .not(try negation(depth: depth + 1))
            }
            return try comparison(depth: depth)
        }

        mutating func comparison(depth: Int) throws(PredicateSyntaxError) -> RowExpression {
            let first = try additive(depth: depth)
            if peek.isWord("in") || (peek.isWord("not") && tokens[min(position + 1, tokens.count - 1)].isWord("in")) {
                let negated = peek.isWord("not")
                if negated { _ = advance() }
                _ = advance()
                return .membership(first, try literalList(), negated: negated)
            }
            var operands = [first]
            var operators: [ComparisonOperator] = []
            while case .symbol(let s) = peek.kind, let op = ComparisonOperator(rawValue: s) {
                _ = advance()
                operators.append(op)
                operands.append(try additive(depth: depth))
            }
            guard !operators.isEmpty else { return first }
            // a < b < c  ==  a < b and b < c
            var result = RowExpression.comparison(operators[0], operands[0], operands[1])
            for k in 1..<operators.count {
                result = .and(result, .comparison(operators[k], operands[k], operands[k + 1]))
            }
            return result
        }

        mutating func literalList() throws(PredicateSyntaxError) -> [RowExpression] {
            try expect("[", "after 'in'")
            var items: [RowExpression] = []
            repeat {
                if !items.isEmpty { _ = advance() }
                let t = advance()
                switch t.kind {
                case .number(let v): items.append(.number(v))
                case .string(let s): items.append(.string(s))
                case .identifier("true"): items.append(.boolean(true))
                case .identifier("false"): items.append(.boolean(false))
                case .symbol("-"):
                    guard case .number(let v) = advance().kind else {
                        throw PredicateSyntaxError(message: "expected a number after '-' in the list", offset: t.offset)
                    }
                    items.append(.number(-v))
                default:
                    throw PredicateSyntaxError(message: "expected a number, a string, true or false in the list after 'in', found \(Self.describe(t))", offset: t.offset)
                }
            } while peek.isSymbol(",")
            try expect("]", "to close the list after 'in'")
            return items
        }

        mutating func additive(depth: Int) throws(PredicateSyntaxError) -> RowExpression {
            var left = try multiplicative(depth: depth)
            while case .symbol(let s) = peek.kind, s == "+" || s == "-" {
                _ = advance()
                left = .arithmetic(ArithmeticOperator(rawValue: s)!, left, try multiplicative(depth: depth))
            }
            return left
        }

        mutating func multiplicative(depth: Int) throws(PredicateSyntaxError) -> RowExpression {
            var left = try unary(depth: depth)
            while case .symbol(let s) = peek.kind, s == "*" || s == "/" {
                _ = advance()
                left = .arithmetic(ArithmeticOperator(rawValue: s)!, left, try unary(depth: depth))
            }
            return left
        }

        mutating func unary(depth: Int) throws(PredicateSyntaxError) -> RowExpression {
            try checkDepth(depth)
            if peek.isSymbol("-") {
                _ = advance()
                if case .number(let v) = peek.kind { _ = advance(); return .number(-v) }
                return .negate(try unary(depth: depth + 1))
            }
            return try primary(depth: depth)
        }

        mutating func primary(depth: Int) throws(PredicateSyntaxError) -> RowExpression {
            let t = advance()
            switch t.kind {
            case .number(let v): return .number(v)
            case .string(let s): return .string(s)
            case .quotedIdentifier(let name): return .column(name, offset: t.offset)
            case .identifier("true"): return .boolean(true)
            case .identifier("false"): return .boolean(false)
            case .identifier(let w) where w == "missing" || w == "present":
                try expect("(", "after '\(w)'")
                let arg = advance()
                let name: String
                switch arg.kind {
                case .identifier(let n) where !keywords.contains(n): name = n
                case .quotedIdentifier(let n): name = n
                default:
                    throw PredicateSyntaxError(message: "'\(w)' takes one column name, found \(Self.describe(arg))", offset: arg.offset)
                }
                try expect(")", "after the column of '\(w)'")
                return .missingTest(column: name, offset: arg.offset, isMissing: w == "missing")
            case .identifier(let w) where keywords.contains(w):
                throw PredicateSyntaxError(message: "expected a value, found '\(w)' (a column with this name must be written `\(w)`)", offset: t.offset)
            case .identifier(let name):
                if peek.isSymbol("(") {
                    throw PredicateSyntaxError(message: "unknown function '\(name)' (the functions are missing and present)", offset: t.offset)
                }
                return .column(name, offset: t.offset)
            case .symbol("("):
                let inner = try predicate(depth: depth + 1)
                try expect(")", "to close '('")
                return inner
            default:
                throw PredicateSyntaxError(message: "expected a value, found \(Self.describe(t))", offset: t.offset)
            }
        }
    }
}
