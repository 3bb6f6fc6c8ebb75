extension CellIndex {
    /// The rows of `role`'s table that belong to `cell`, as a mask (for `ColumnSlice`): a cell's
    /// slice of any column is read through it without copying the column. Nil when the table is
    /// absent or the cell's attributes are unknown.
    func rowMask(of cell: Cell, in role: TableRole) -> [Bool]? {
        var levelsAndWanted: [([Int32], Int32)] = []
        for part in cell.parts {
            guard let a = attributes.first(where: { part.hasPrefix($0.name + "=") }),
                  let levels = a.levels[role] else { return nil }
            let label = String(part.dropFirst(a.name.count + 1))
            guard let level = a.labels.firstIndex(of: label) else { return nil }
            levelsAndWanted.append((levels, Int32(level)))
        }
        guard let rows = levelsAndWanted.first?.0.count else { return nil }
        var mask = [Bool](repeating: true, count: rows)
        for (levels, wanted) in levelsAndWanted {
            for row in 0..<rows where levels[row] != wanted { mask[row] = false }
        }
        return mask
    }
}
