/// The columns shared by the three tables: names, types and roles, in canonical order.
///
/// Canonical order is the byte order of column names, so the order of columns in any file
/// never changes record digests or reports.
public struct Schema: Sendable {
    /// Columns in canonical order.
    public let columns: [ColumnDescriptor]

    /// Creates a schema; `columns` must already be in canonical order.
    public init(columns: [ColumnDescriptor]) { self.columns = columns }

    /// Index of the column called `name`.
    public func index(of name: String) -> Int? { columns.firstIndex { $0.name == name } }

    /// Names of the columns with `role`.
    public func names(withRole role: ColumnRole) -> [String] {
        columns.filter { $0.roles.contains(role) }.map(\.name)
    }

    /// Names of the columns a record is compared on: every column except identifiers and
    /// ignored ones (and text columns, which carry no comparable value).
    public var comparableColumnNames: [String] {
        columns.filter { c in
            !c.roles.contains(.identifier) && !c.roles.contains(.ignored) && c.type != .text
        }.map(\.name)
    }
}

/// One column of the schema.
public struct ColumnDescriptor: Sendable, Equatable {
    /// Name as in the header.
    public let name: String
    /// The type, inferred over all tables or set by the config.
    public let type: ColumnType
    /// How the type was decided.
    public let typeSource: TypeSource
    /// Roles given by the configuration.
    public let roles: Set<ColumnRole>

    /// Creates a descriptor.
    public init(name: String, type: ColumnType, typeSource: TypeSource, roles: Set<ColumnRole>) {
        self.name = name
        self.type = type
        self.typeSource = typeSource
        self.roles = roles
    }

    /// How a column's type was decided.
    public enum TypeSource: String, Sendable, Codable {
        /// Inferred from the values of all tables.
        case inferred
        /// Set in the configuration or on the command line.
        case configured
    }
}
