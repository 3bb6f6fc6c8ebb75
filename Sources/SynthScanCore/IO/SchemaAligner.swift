/// Turns the per-file column accumulators into aligned tables with one shared schema.
struct SchemaAligner {
    let configuration: ScanConfiguration
    private var notifications: [ScanNotification] = []

    init(configuration: ScanConfiguration) { self.configuration = configuration }

    /// Aligns the tables; `roles[i]` is the role of `accumulators[i]`.
    mutating func align(roles: [TableRole], accumulators: [TableAccumulator], sources: [DataSource]) throws -> LoadedDatasets {
        var accumulators = accumulators
        guard let trainIndex = roles.firstIndex(of: .train) else { throw SchemaError.missingInput(.train) }
        let policy = configuration.schemaPolicy
        var names = accumulators[trainIndex].names
        // Columns of the train table missing elsewhere, and extra columns elsewhere.
        for (t, role) in roles.enumerated() where role != .train {
            let present = Set(accumulators[t].names)
            for name in names where !present.contains(name) {
                let error = SchemaError.missingColumn(column: name, table: role, path: sources[t].path)
                if policy.missingColumn == .error { throw error }
                notify("missing-column", "\(sources[t].path): column '\(name)' of the train table is missing from the \(role.rawValue) table; it is left out of the scan")
                names.removeAll { $0 == name }
            }
            let trainNames = Set(accumulators[trainIndex].names)
            for name in accumulators[t].names where !trainNames.contains(name) {
                if policy.extraColumn == .error {
                    throw SchemaError.extraColumn(column: name, table: role, path: sources[t].path)
                }
                notify("extra-column", "\(sources[t].path): column '\(name)' is not in the train table; it is ignored")
            }
        }
        names.sort { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        try checkConfiguredColumns(known: Set(accumulators[trainIndex].names), kept: Set(names))

        var descriptors: [ColumnDescriptor] = []
        var columnsByTable = [[Column]](repeating: [], count: roles.count)
        let roleMap = roleAssignments()
        for name in names {
            let positions = accumulators.map { acc in acc.names.firstIndex(of: name)! }
            var parts = (0..<roles.count).map { accumulators[$0].columns[positions[$0]] }
            // Free each accumulator's copy as we go so memory stays proportional to the result.
            for t in 0..<roles.count { accumulators[t].releaseColumn(at: positions[t]) }
            let (descriptor, columns) = try resolveColumn(name: name, parts: &parts, roles: roles, sources: sources,
                                                          columnRoles: roleMap[name] ?? [])
            descriptors.append(descriptor)
            for t in 0..<roles.count { columnsByTable[t].append(columns[t]) }
        }
        func table(_ t: Int) -> Table {
            Table(role: roles[t], source: sources[t], columns: columnsByTable[t], rowCount: accumulators[t].recordLines.count,
                  recordLines: accumulators[t].recordLines)
        }
        let holdoutIndex = roles.firstIndex(of: .holdout)
        guard let syntheticIndex = roles.firstIndex(of: .synthetic) else { throw SchemaError.missingInput(.synthetic) }
        return LoadedDatasets(schema: Schema(columns: descriptors), train: table(trainIndex),
                              holdout: holdoutIndex.map(table), synthetic: table(syntheticIndex),
                              notifications: notifications)
    }

    private mutating func notify(_ code: String, _ message: String, level: Severity = .warning) {
        notifications.append(ScanNotification(level: level, code: code, message: message))
    }

    /// The roles each column plays, from the configuration.
    private func roleAssignments() -> [String: Set<ColumnRole>] {
        var map: [String: Set<ColumnRole>] = [:]
        for (column, role) in configuration.roles.all { map[column, default: []].insert(role) }
        return map
    }

    /// Every column the configuration names must exist; a role on a column the schema policy left
    /// out is reported, so no check silently loses it.
    private mutating func checkConfiguredColumns(known: Set<String>, kept: Set<String>) throws {
        var named: [(String, String)] = configuration.roles.all.map { ($0.column, "roles.\($0.role.configKey)") }
        named += configuration.columns.keys.sorted().map { ($0, "columns") }
        for (column, setting) in named where !known.contains(column) {
            throw SchemaError.unknownColumn(column: column, setting: setting, suggestion: EditDistance.suggestion(for: column, among: Array(known).sorted()))
        }
        for (column, role) in configuration.roles.all where known.contains(column) && !kept.contains(column) {
            notify("role-column-dropped",
                   "roles.\(role.configKey) names column '\(column)', which is not in every table and was left out of the scan: no check sees it in that role")
        }
    }

    /// Decides one column's type and builds its storage in every table.
    private mutating func resolveColumn(name: String, parts: inout [ColumnAccumulator], roles: [TableRole],
                                        sources: [DataSource], columnRoles: Set<ColumnRole>) throws -> (ColumnDescriptor, [Column]) {
        let forced = configuration.columns[name]?.type
        var type: ColumnType
        if let forced {
            type = forced
        } else {
            let modes = Set(parts.map(\.mode)).subtracting([.allMissing])
            // Digit codes with leading zeros (ZIP prefixes) in one table and plain integers in another
            // are one categorical column, not a conflict.
            let numberCodes = modes == [.numeric, .categorical]
                && parts.allSatisfy { $0.mode != .categorical || $0.allCategoriesNumberLike }
            if numberCodes {
                for t in parts.indices where parts[t].mode == .numeric { parts[t].convertToCategorical() }
                type = .categorical
            } else if modes.count > 1 {
                let details = parts.enumerated().map { t, part in
                    var text = "\(part.mode.label) in \(roles[t].rawValue)"
                    if let line = part.firstMisfitLine, let before = part.modeBeforeMisfit {
                        text += " (\(before.label) until \(sources[t].path):\(line))"
                    } else if part.mode == .categorical, let line = part.firstCategoryLine {
                        text += " (first such value at \(sources[t].path):\(line))"
                    }
                    return text
                }.joined(separator: ", ")
                if configuration.schemaPolicy.typeConflict == .error {
                    throw SchemaError.typeConflict(column: name, details: details)
                }
                notify("type-conflict", "column '\(name)' has conflicting types (\(details)); it is read as categorical")
                for t in parts.indices where parts[t].mode != .categorical && parts[t].mode != .allMissing {
                    parts[t].convertToCategorical()
                }
                type = .categorical
            } else {
                switch modes.first {
                case .numeric?: type = .numeric
                case .datetime?: type = .datetime
                case .categorical?, .allMissing?, nil: type = .categorical
                }
                if modes.isEmpty {
                    notify("empty-column", "column '\(name)' has no values in any table")
                }
            }
        }
        if forced == nil, type == .categorical,
           parts.allSatisfy({ $0.mode != .categorical || $0.allCategoriesNumberLike }),
           let t = parts.firstIndex(where: { $0.firstWideIntegerLine != nil }), let line = parts[t].firstWideIntegerLine {
            // Only numbers here: the column would be numeric but for integers Float64 cannot keep apart.
            notify("wide-integers", "\(sources[t].path):\(line): column '\(name)' holds integers beyond 2^53, more digits "
                + "than Float64 keeps; it is read as categorical so that distinct codes stay distinct "
                + "(configure its type as numeric to read it as numbers)", level: .note)
        }
        let columns: [Column]
        switch type {
        case .numeric, .datetime:
            columns = parts.map { part in
                if part.mode == .allMissing {
                    var mask = MissingMask()
                    for _ in 0..<part.rows { mask.append(true) }
                    return Column(name: name, type: type, storage: .numeric(values: [Double](repeating: 0, count: part.rows), missing: mask))
                }
                return Column(name: name, type: type, storage: .numeric(values: part.values, missing: part.missing))
            }
        case .categorical, .text, .boolean:
            let canonicalize = forced == nil
            let caseFold = configuration.columns[name]?.caseFold ?? false
            let merged = CategoryMerger.merge(parts, canonicalizeNumbers: canonicalize, caseFold: caseFold)
            if forced == nil {
                if merged.isBoolean { type = .boolean }
                else if merged.dictionary.count >= DatasetLoader.textMinimumDistinct,
                        Double(merged.dictionary.count) >= DatasetLoader.textDistinctShare * Double(max(1, merged.nonMissingCount)) {
                    type = .text
                }
            }
            if type == .boolean {
                let booleanCodes = merged.booleanCodes()
                columns = booleanCodes.map { Column(name: name, type: .boolean, storage: .coded(codes: $0, dictionary: .boolean)) }
            } else {
                columns = merged.codes.map { Column(name: name, type: type, storage: .coded(codes: $0, dictionary: merged.dictionary)) }
            }
        }
        let descriptor = ColumnDescriptor(name: name, type: type, typeSource: forced == nil ? .inferred : .configured,
                                          roles: columnRoles)
        return (descriptor, columns)
    }
}

extension ColumnAccumulator.Mode {
    /// How the mode reads in messages.
    var label: String {
        switch self {
        case .allMissing: "empty"
        case .numeric: "numeric"
        case .datetime: "datetime"
        case .categorical: "categorical"
        }
    }
}

extension ColumnRole {
    /// The key of this role in the configuration's `roles` section.
    var configKey: String {
        switch self {
        case .identifier: "identifiers"
        case .quasiIdentifier: "quasi_identifiers"
        case .sensitive: "sensitive"
        case .protected: "protected"
        case .outcome: "outcome"
        case .ignored: "ignore"
        }
    }
}
