/// Readmission counts for one subset of records.
struct GroupRate: Sendable {
    let rows: Int
    let readmitted: Int

    init(_ records: [PatientRecord], where predicate: (PatientRecord) -> Bool = { _ in true }) {
        var rows = 0
        var readmitted = 0
        for record in records where predicate(record) {
            rows += 1
            if record.readmitted { readmitted += 1 }
        }
        self.rows = rows
        self.readmitted = readmitted
    }

    /// The rate rounded half-up to four decimals, as a JSON literal such as `0.1523`.
    var rateLiteral: String {
        rows == 0 ? "0.0000" : FixedDecimal.ratio(readmitted, rows, decimals: 4)
    }

    var json: JSONValue {
        .object(["rows": .integer(rows), "readmitted": .integer(readmitted), "rate": .decimal(rateLiteral)])
    }

    /// (this rate) / (reference rate), to three decimals.
    func ratioLiteral(over reference: GroupRate) -> String {
        guard rows > 0, reference.readmitted > 0 else { return "0.000" }
        return FixedDecimal.ratio(readmitted * reference.rows, rows * reference.readmitted, decimals: 3)
    }
}

/// Readmission rates of a group versus a reference group within one table.
struct DisparitySummary: Sendable {
    let group: GroupRate
    let reference: GroupRate
    let overall: GroupRate

    init(_ records: [PatientRecord], group: RaceEthnicity, reference: RaceEthnicity) {
        self.group = GroupRate(records) { $0.race == group }
        self.reference = GroupRate(records) { $0.race == reference }
        self.overall = GroupRate(records)
    }

    var rateRatioLiteral: String { group.ratioLiteral(over: reference) }

    func json(sourceFile: String) -> JSONValue {
        .object([
            "file": .string(sourceFile),
            "group": group.json,
            "reference": reference.json,
            "overall": overall.json,
            "rate_ratio": .decimal(rateRatioLiteral),
        ])
    }
}
