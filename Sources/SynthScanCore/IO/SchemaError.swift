/// A disagreement between the tables' columns, or a configuration naming a column that is not there.
public enum SchemaError: Error, Equatable, CustomStringConvertible {
    /// A train column is absent from another table.
    case missingColumn(column: String, table: TableRole, path: String)
    /// Another table has a column the train table lacks.
    case extraColumn(column: String, table: TableRole, path: String)
    /// A column reads as different types in different tables.
    case typeConflict(column: String, details: String)
    /// The configuration names a column no table has.
    case unknownColumn(column: String, setting: String, suggestion: String?)
    /// The format of a file cannot be told from its name.
    case unknownFormat(path: String)
    /// A required input is not given.
    case missingInput(TableRole)

    public var description: String {
        switch self {
        case .missingColumn(let c, let t, let p):
            "\(p): error: column '\(c)' of the train table is missing from the \(t.rawValue) table (set schema.missing_column: warning to scan without it)"
        case .extraColumn(let c, let t, let p):
            "\(p): error: the \(t.rawValue) table has column '\(c)', which the train table lacks (set schema.extra_column: warning to ignore it)"
        case .typeConflict(let c, let d):
            "error: column '\(c)' has conflicting types: \(d) (force one with columns.\(c).type, or set schema.type_conflict: warning to read it as categorical)"
        case .unknownColumn(let c, let s, let suggestion):
            "error: \(s) names column '\(c)', which is not in the data" + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")
        case .unknownFormat(let p):
            "\(p): error: cannot tell the format from the file name; use --input-format csv|tsv|jsonl or inputs.format in the config"
        case .missingInput(let t):
            "error: no \(t.rawValue) table given (use --\(t.rawValue) FILE or inputs.\(t.rawValue) in the config)"
        }
    }
}
