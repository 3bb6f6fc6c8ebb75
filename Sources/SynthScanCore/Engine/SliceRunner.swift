/// Runs a rule again on each subgroup of its `by:` columns, so a report shows where a problem
/// concentrates: memorisation hides in small groups and outliers, and a whole-table statistic
/// averages it away.
///
/// A *slice* is a group of one `by` column (or, with two columns, one of their intersections),
/// formed like the protected cells (numeric columns need `columns.X.bands`): the training, holdout
/// and synthetic tables are each restricted to the slice's rows and the rule's check runs on them
/// unchanged (distances, baselines and holdout comparisons all within the slice). Slices with
/// fewer than `minimumTrainRows` training rows, or no synthetic row, are counted, not run.
///
/// The rule's verdict stays the whole-table one: running k slices multiplies the chance that one
/// fails by chance, so a failing slice is reported as a finding at note level (with the slice's
/// own message and measurements, and its rows mapped back to the full synthetic file), and the
/// outcome gains `slices_run`, `slices_failing` and `slices_skipped_small`. A reviewer reads a
/// failing slice as "look here", not as a verdict.
enum SliceRunner {
    /// Training rows a slice needs (the small-cell rule: a smaller slice's figures could reveal
    /// counts under 11).
    static let minimumTrainRows = 11

    /// Adds the slices' findings and counts to `outcome`.
    static func apply(to outcome: inout RuleOutcome, rule: RuleDescriptor, check: any Check, context: ScanContext) throws {
        guard !rule.sliceBy.isEmpty, outcome.status != .skipped else { return }
        for c in rule.sliceBy where context.schema.index(of: c) == nil { throw CheckError.unknownColumn(rule: rule.id, column: c) }
        let index = ProtectedCells.index(rule.sliceBy, order: rule.sliceBy.count, context: context)
        var unsliced = rule
        unsliced.sliceBy = []
        var run = 0, failing = 0, skipped = 0
        for cell in index.cells where cell.columns == rule.sliceBy && cell.train > 0 {
            guard cell.train >= minimumTrainRows, cell.synthetic > 0,
                  let train = index.rowMask(of: cell, in: .train), let synthetic = index.rowMask(of: cell, in: .synthetic) else {
                skipped += 1
                continue
            }
            let holdout = context.data.holdout == nil ? nil : index.rowMask(of: cell, in: .holdout)
            let syntheticRows = rows(synthetic)
            let data = LoadedDatasets(schema: context.data.schema,
                                      train: context.data.train.subset(rows: rows(train), role: .train),
                                      holdout: holdout.flatMap { mask in context.data.holdout?.subset(rows: rows(mask), role: .holdout) },
                                      synthetic: context.data.synthetic.subset(rows: syntheticRows, role: .synthetic),
                                      notifications: [])
            let slice = try check.run(rule: unsliced, context: ScanContext(data: data, configuration: context.configuration))
            run += 1
            guard slice.status == .fail else { continue }
            failing += 1
            var message = "In slice \(cell.key) (\(cell.synthetic) synthetic records) this rule fails on its own: \(slice.message)"
            if let first = slice.findings.first(where: { $0.location.row != nil }), let row = first.location.row {
                message += " First flagged synthetic row in the slice: row \(syntheticRows[row - 1] + 1)."
            }
            outcome.findings.append(Finding(
                ruleID: rule.id, level: .note, message: message,
                location: FindingLocation(table: .synthetic, columns: cell.columns, subgroup: cell.key),
                fingerprint: FindingFingerprint.make(rule: rule.id, kind: "slice", key: cell.key),
                measurements: slice.measurements))
        }
        outcome.measurements += [Measurement("slices_run", Double(run)), Measurement("slices_failing", Double(failing)),
                                 Measurement("slices_skipped_small", Double(skipped))]
        if failing > 0 {
            outcome.message += " Sliced by \(rule.sliceBy.joined(separator: " × ")): the rule fails within \(failing) of \(run) slices (listed as notes)."
        }
    }

    private static func rows(_ mask: [Bool]) -> [Int] { mask.indices.filter { mask[$0] } }
}
