/// How a bias rule finds its cells: the protected columns it names (its `columns` parameter, or
/// the columns with the protected role) and the cell index over them, banded as configured.
/// Shared by every check that judges protected subgroups.
enum ProtectedCells {
    /// Why a subgroup rule is skipped when no protected attribute is declared.
    static let noProtectedAttribute = "No protected attribute is declared (roles.protected in the configuration, or the rule's `columns`): there are no subgroups to compare."
    /// Why a rule that compares tables is skipped when one has no rows.
    static let emptyTables = "The training or the synthetic table has no rows: there is nothing to compare."

    /// The rule's `columns` parameter, checked against the schema, or the protected columns.
    static func columns(for rule: RuleDescriptor, context: ScanContext) throws -> [String] {
        let listed = try rule.parameters.list("columns", rule: rule.id)
        for c in listed where context.schema.index(of: c) == nil { throw CheckError.unknownColumn(rule: rule.id, column: c) }
        return listed.isEmpty ? context.schema.names(withRole: .protected) : listed
    }

    /// The cells of `columns` up to `order`, with the configuration's bands for numeric columns.
    static func index(_ columns: [String], order: Int, context: ScanContext) -> CellIndex {
        var bands: [String: [Double]] = [:]
        for (name, settings) in context.configuration.columns { if let b = settings.bands { bands[name] = b } }
        return CellIndex(data: context.data, columns: columns, bands: bands, order: order)
    }
}
