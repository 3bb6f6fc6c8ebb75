import Foundation
import Testing
@testable import SynthScanCore

/// The `identifier-pattern` and `identifier-reuse` check kinds and the core rules built on them
/// (privacy/us-ssn, privacy/email-address, privacy/phone-number, privacy/identifier-reuse), run
/// on CSV files through the same loader, context and engine a scan uses.
@Suite("IdentifierCheckTests")
struct IdentifierCheckTests {

    // MARK: Helpers

    /// Tables written to a temporary folder and loaded as a scan loads them.
    struct Fixture {
        let folder: TestFiles.Folder
        let data: LoadedDatasets
        let context: ScanContext

        init(train: String, synthetic: String, holdout: String? = nil, identifiers: [String] = [],
             ignored: [String] = [], types: [String: ColumnType] = [:]) throws {
            folder = try TestFiles.Folder("idchk")
            var configuration = ScanConfiguration()
            configuration.inputs.train = try folder.write("train.csv", train)
            configuration.inputs.synthetic = try folder.write("synthetic.csv", synthetic)
            if let holdout { configuration.inputs.holdout = try folder.write("holdout.csv", holdout) }
            configuration.roles.identifiers = identifiers
            configuration.roles.ignored = ignored
            for (name, type) in types { configuration.columns[name] = ColumnSettings(type: type) }
            configuration.failOn = nil
            data = try DatasetLoader.load(configuration)
            context = ScanContext(data: data, configuration: configuration)
        }

        /// Runs `rule` through the engine (message templates and all).
        func run(_ rule: RuleDescriptor) throws -> RuleOutcome {
            try #require(try ScanEngine.evaluate(rules: [rule], context: context).first)
        }

        /// A report of `outcomes` in every format, concatenated.
        func reports(_ outcomes: [RuleOutcome]) throws -> String {
            let inputs = data.tables.map { table in
                InputSummary(role: table.role, path: table.source.path, uri: table.role.rawValue + ".csv", format: table.source.format,
                             byteCount: table.source.byteCount, rowCount: table.rowCount, columnCount: table.columns.count)
            }
            let result = ScanResult(startTime: Date(timeIntervalSince1970: 0), endTime: Date(timeIntervalSince1970: 1),
                                    commandLine: ["synthscan", "scan"], seed: 1, inputs: inputs, columns: data.schema.columns,
                                    outcomes: outcomes, notifications: [], failOn: .error)
            return try JSONReportWriter().writeString(result)
                + TextReportWriter(maxFindingsPerRule: 10_000, maxMeasurementsPerRule: 100).writeString(result)
                + SARIFReportWriter().writeString(result)
        }
    }

    /// A rule of `kind` with the kind's defaults and `params` on top.
    static func rule(_ kind: String, id: String = "test/identifiers", _ params: [String: ParameterValue] = [:],
                     severity: Severity = .error) -> RuleDescriptor {
        var values: [String: ParameterValue] = [:]
        for spec in CheckRegistry.parameters(kind: kind) ?? [] { values[spec.name] = spec.defaultValue }
        for (name, value) in params { values[name] = value }
        return RuleDescriptor(id: id, check: kind, summary: "test", description: "test", help: "test", severity: severity,
                              tags: [], references: [], parameters: RuleParameters(values), pack: "test")
    }

    static let ssn = #"(?:^|[^0-9])[0-9]{3}-[0-9]{2}-[0-9]{4}(?:[^0-9]|$)"#

    /// The effective core rule set (embedded pack).
    static func coreRules() throws -> EffectiveRuleSet {
        try RulePackLoader().load(roots: [])
    }

    /// Fingerprints of an outcome's findings, as a multiset (sorted).
    static func fingerprints(_ outcome: RuleOutcome) -> [String] { outcome.findings.map(\.fingerprint).sorted() }

    // MARK: identifier-pattern

    @Test func patternCountsRowsValuesColumnsAndPointsAtRowsAndLines() throws {
        // Row 2's note spans two lines, so from row 3 on, line = row + 2.
        let train = "id,note,dx\nr1,none,I10\n"
        let synthetic = """
        id,note,dx
        s1,none,I10
        s2,"two
        lines",E11.9
        123-45-6789,none,J45
        s4,ssn 123-45-6789 on file,I10
        123-45-6789,none,I10
        s6,,E11.9

        """
        let f = try Fixture(train: train, synthetic: synthetic)
        let outcome = try f.run(Self.rule("identifier-pattern", ["pattern": .text(Self.ssn), "match": .text("anywhere"),
                                                                 "label": .text("a US Social Security number")]))
        #expect(outcome.status == .fail)
        #expect(outcome.measurement("rows_matching") == 3)
        #expect(outcome.measurement("row_share_matching") == 0.5)
        // The same SSN in `id` (twice) and inside a note: two distinct values, one per column.
        #expect(outcome.measurement("values_matching") == 2)
        #expect(outcome.measurement("columns_matching") == 2)
        #expect(outcome.measurement("columns_scanned") == 3)
        #expect(outcome.measurement("max_rows") == 0)
        #expect(outcome.measurement("findings_truncated") == nil)
        #expect(outcome.findings.map(\.location.row) == [3, 4, 5])
        #expect(outcome.findings.map(\.location.line) == [5, 6, 7])
        #expect(outcome.findings.map(\.location.columns) == [["id"], ["note"], ["id"]])
        #expect(outcome.findings.allSatisfy { $0.level == .error && $0.location.table == .synthetic })
        #expect(outcome.findings[0].message.hasPrefix("Synthetic row 3 (line 5), column id: the value has the format of a US Social Security number"))
        // The digest is of the value, salted by the real data (published): equal values, equal
        // digests; different fingerprints (occurrences); never the plain, guessable digest.
        #expect(outcome.findings[0].location.recordDigest == f.context.published(IdentifierValues.digest("123-45-6789")).hex)
        #expect(outcome.findings[0].location.recordDigest != IdentifierValues.digest("123-45-6789").hex)
        #expect(outcome.findings[0].location.recordDigest == outcome.findings[2].location.recordDigest)
        #expect(outcome.findings[0].location.recordDigest != outcome.findings[1].location.recordDigest)
        #expect(Set(outcome.findings.map(\.fingerprint)).count == 3)
    }

    @Test func patternMatchesWholeValuesByDefaultAndCaseOnlyWhenAsked() throws {
        let train = "code\nx\n"
        let synthetic = "code\nMRN-1234567\nmrn-7654321\nold MRN-1111111\nMRN-12345678\n"
        let f = try Fixture(train: train, synthetic: synthetic)
        let whole = try f.run(Self.rule("identifier-pattern", ["pattern": .text("MRN-[0-9]{7}")]))
        #expect(whole.findings.map(\.location.row) == [1])
        let folded = try f.run(Self.rule("identifier-pattern", ["pattern": .text("MRN-[0-9]{7}"), "case_insensitive": .boolean(true)]))
        #expect(folded.findings.map(\.location.row) == [1, 2])
        let anywhere = try f.run(Self.rule("identifier-pattern", ["pattern": .text("MRN-[0-9]{7}"), "match": .text("anywhere")]))
        #expect(anywhere.findings.map(\.location.row) == [1, 3, 4])
    }

    @Test func patternLooksOnlyAtSyntheticValues() throws {
        // The dictionary is shared: SSNs that occur only in the real tables are never counted.
        let f = try Fixture(train: "id\n123-45-6789\n234-56-7890\n", synthetic: "id\ns1\ns2\n",
                            holdout: "id\n345-67-8901\n")
        let outcome = try f.run(Self.rule("identifier-pattern", ["pattern": .text(Self.ssn)]))
        #expect(outcome.status == .pass)
        #expect(outcome.measurement("values_matching") == 0)
        #expect(outcome.findings.isEmpty)
    }

    @Test func numericAndDatetimeColumnsAreNotScanned() throws {
        let train = "id,phone,seen,note\nr1,5551234567,2021-01-02,a\n"
        let synthetic = "id,phone,seen,note\ns1,5551234567,2021-01-02,b\ns2,2125550100,2022-03-04,5551234567\n"
        let f = try Fixture(train: train, synthetic: synthetic)
        #expect(f.data.schema.columns.first { $0.name == "phone" }?.type == .numeric)
        #expect(f.data.schema.columns.first { $0.name == "seen" }?.type == .datetime)
        let digits = ["pattern": ParameterValue.text("^[0-9-]+$")]
        let outcome = try f.run(Self.rule("identifier-pattern", digits))
        #expect(outcome.measurement("columns_scanned") == 2)
        #expect(outcome.findings.map(\.location.columns) == [["note"]])
        // Listed explicitly, a numeric column is still not scanned, and the message says so.
        let listed = try f.run(Self.rule("identifier-pattern", digits.merging(["columns": .list(["phone", "note"])]) { $1 }))
        #expect(listed.measurement("columns_scanned") == 1)
        #expect(listed.message.contains("Not scanned (numeric or datetime): 'phone'"))
        let onlyNumeric = try f.run(Self.rule("identifier-pattern", digits.merging(["columns": .list(["phone", "seen"])]) { $1 }))
        #expect(onlyNumeric.status == .skipped)
        #expect(onlyNumeric.findings.isEmpty)
        // Forced to text, the same column is scanned.
        let forced = try Fixture(train: train, synthetic: synthetic, types: ["phone": .text])
        let forcedOutcome = try forced.run(Self.rule("identifier-pattern", digits))
        // Row 2 has two matches, in schema (name byte) order: note, then phone.
        #expect(forcedOutcome.findings.map(\.location.columns) == [["phone"], ["note"], ["phone"]])
    }

    @Test func defaultColumnsIncludeIdentifiersButNotIgnoredColumns() throws {
        let train = "mrn,memo,dx\nr1,x,I10\n"
        let synthetic = "mrn,memo,dx\n123-45-6789,123-45-6789,I10\n"
        let f = try Fixture(train: train, synthetic: synthetic, identifiers: ["mrn"], ignored: ["memo"])
        let outcome = try f.run(Self.rule("identifier-pattern", ["pattern": .text(Self.ssn)]))
        #expect(outcome.findings.map(\.location.columns) == [["mrn"]])
        #expect(outcome.measurement("columns_scanned") == 2)
        // Listing it scans it anyway.
        let listed = try f.run(Self.rule("identifier-pattern", ["pattern": .text(Self.ssn), "columns": .list(["memo"])]))
        #expect(listed.findings.map(\.location.columns) == [["memo"]])
    }

    @Test func maxRowsAndMaxFindings() throws {
        var synthetic = "id,other\n"
        for i in 1...30 { synthetic += i % 3 == 0 ? "\(100 + i)-45-6789,\(100 + i)-45-6789\n" : "s\(i),x\n" }
        let f = try Fixture(train: "id,other\nr1,x\n", synthetic: synthetic)
        let capped = try f.run(Self.rule("identifier-pattern", ["pattern": .text(Self.ssn), "max_findings": .integer(5)]))
        #expect(capped.measurement("rows_matching") == 10)
        #expect(capped.findings.count == 5)
        #expect(capped.measurement("findings_truncated") == 15)
        // The first five matches in (row, column) order.
        #expect(capped.findings.map { "\($0.location.row!)\($0.location.columns[0])" } == ["3id", "3other", "6id", "6other", "9id"])
        let allowed = try f.run(Self.rule("identifier-pattern", ["pattern": .text(Self.ssn), "max_rows": .integer(10)]))
        #expect(allowed.status == .pass)
        #expect(allowed.findings.count == 20)
        let strict = try f.run(Self.rule("identifier-pattern", ["pattern": .text(Self.ssn), "max_rows": .integer(9)]))
        #expect(strict.status == .fail)
    }

    @Test func patternFingerprintsAreStableUnderRowPermutation() throws {
        let rows = ["s1,123-45-6789", "s2,x", "s3,123-45-6789", "s4,987-65-4321", "123-45-6789,123-45-6789", "s6,y"]
        var rng = TestFiles.SeededRandom(seed: 20_261_129)
        let base = try Fixture(train: "id,v\nr,x\n", synthetic: "id,v\n" + rows.joined(separator: "\n") + "\n")
        let rule = Self.rule("identifier-pattern", ["pattern": .text(Self.ssn)])
        let expected = Self.fingerprints(try base.run(rule))
        #expect(expected.count == 5)
        for _ in 0..<5 {
            let shuffled = try Fixture(train: "id,v\nr,x\n", synthetic: "id,v\n" + rows.shuffled(using: &rng).joined(separator: "\n") + "\n")
            #expect(Self.fingerprints(try shuffled.run(rule)) == expected)
        }
        // Fingerprints depend on the rule and the column.
        let other = Self.rule("identifier-pattern", id: "test/other", ["pattern": .text(Self.ssn)])
        #expect(Set(Self.fingerprints(try base.run(other))).isDisjoint(with: expected))
    }

    @Test func unknownColumnsAreErrors() throws {
        let f = try Fixture(train: "id\nr1\n", synthetic: "id\ns1\n", identifiers: ["id"])
        #expect(throws: CheckError.unknownColumn(rule: "test/identifiers", column: "mrn")) {
            try f.run(Self.rule("identifier-pattern", ["columns": .list(["id", "mrn"])]))
        }
        #expect(throws: CheckError.unknownColumn(rule: "test/identifiers", column: "mrn")) {
            try f.run(Self.rule("identifier-reuse", ["columns": .list(["mrn"])]))
        }
    }

    @Test func invalidPatternInARuleBuiltInCodeIsAParameterError() throws {
        let f = try Fixture(train: "id\nr1\n", synthetic: "id\ns1\n")
        #expect(throws: CheckError.self) {
            try f.run(Self.rule("identifier-pattern", ["pattern": .text("(a")]))
        }
    }

    // MARK: identifier-reuse

    @Test func reuseOfTrainingIdentifiersFailsAndHoldoutOnlyReuseIsANote() throws {
        let train = "mrn,age\nMRN-0000001,70\nMRN-0000002,53\nMRN-0000003,44\n"
        let holdout = "mrn,age\nMRN-0000009,84\n"
        let synthetic = "mrn,age\nSYN-1,70\nMRN-0000002,20\nMRN-0000009,30\nMRN-0000002,40\nMRN-0000003,50\nSYN-6,60\n,70\n"
        let f = try Fixture(train: train, synthetic: synthetic, holdout: holdout, identifiers: ["mrn"])
        let outcome = try f.run(Self.rule("identifier-reuse"))
        #expect(outcome.status == .fail)
        #expect(outcome.measurement("rows_reusing_train") == 3)
        #expect(outcome.measurement("row_share_reusing_train") == 3.0 / 7.0)
        #expect(outcome.measurement("distinct_train_identifiers_reused") == 2)
        #expect(outcome.measurement("rows_reusing_holdout") == 1)
        #expect(outcome.measurement("columns_compared") == 1)
        #expect(outcome.findings.map(\.location.row) == [2, 3, 4, 5])
        #expect(outcome.findings.map(\.level) == [.error, .note, .error, .error])
        #expect(outcome.findings.map(\.location.line) == [3, 4, 5, 6])
        #expect(outcome.findings.allSatisfy { $0.location.columns == ["mrn"] })
        #expect(outcome.findings[1].message.contains("holdout"))
        #expect(outcome.findings[0].location.recordDigest == f.context.published(IdentifierValues.digest("MRN-0000002")).hex)
        #expect(outcome.findings[0].location.recordDigest == outcome.findings[2].location.recordDigest)
        #expect(Set(outcome.findings.map(\.fingerprint)).count == 4)

        // Holdout-only reuse does not fail the rule.
        let noTrain = try Fixture(train: train, synthetic: "mrn,age\nSYN-1,70\nMRN-0000009,30\n", holdout: holdout, identifiers: ["mrn"])
        let chance = try noTrain.run(Self.rule("identifier-reuse"))
        #expect(chance.status == .pass)
        #expect(chance.findings.map(\.level) == [.note])
        #expect(chance.measurement("rows_reusing_holdout") == 1)
        // Without a holdout table the holdout measurements are absent.
        let withoutHoldout = try Fixture(train: train, synthetic: synthetic, identifiers: ["mrn"])
        let plain = try withoutHoldout.run(Self.rule("identifier-reuse"))
        #expect(plain.measurement("rows_reusing_holdout") == nil)
        #expect(plain.findings.count == 3)
        #expect(plain.message.contains("No holdout table"))
    }

    @Test func reuseIsSkippedWithoutIdentifierColumns() throws {
        let f = try Fixture(train: "mrn,age\nMRN-1,70\n", synthetic: "mrn,age\nMRN-1,70\n")
        let outcome = try f.run(Self.rule("identifier-reuse"))
        #expect(outcome.status == .skipped)
        #expect(outcome.findings.isEmpty)
        #expect(outcome.message.contains("No identifier column is declared"))
        // Naming the column in the rule works without the role.
        let listed = try f.run(Self.rule("identifier-reuse", ["columns": .list(["mrn"])]))
        #expect(listed.status == .fail)
        #expect(listed.measurement("rows_reusing_train") == 1)
    }

    @Test func reuseReportsTheFirstMatchingColumnOncePerRow() throws {
        let train = "a,b,x\nA1,B1,1\nA2,B2,2\n"
        let holdout = "a,b,x\nA9,B9,9\n"
        let synthetic = "a,b,x\nA1,B1,1\nA9,B2,2\nA3,B9,3\nA3,B3,4\n"
        let f = try Fixture(train: train, synthetic: synthetic, holdout: holdout, identifiers: ["a", "b"])
        let outcome = try f.run(Self.rule("identifier-reuse"))
        #expect(outcome.measurement("rows_reusing_train") == 2)
        #expect(outcome.measurement("distinct_train_identifiers_reused") == 3)   // A1, B1, B2
        #expect(outcome.measurement("rows_reusing_holdout") == 2)                // rows 2 and 3
        #expect(outcome.findings.map(\.location.row) == [1, 2, 3])
        #expect(outcome.findings.map(\.location.columns) == [["a"], ["b"], ["b"]])
        #expect(outcome.findings.map(\.level) == [.error, .error, .note])
    }

    @Test func numericIdentifiersAreComparedByValue() throws {
        let train = "pid,age\n100234,70\n100235,53\n"
        let synthetic = "pid,age\n100234.0,70\n900001,53\n1.00235e5,40\n"
        let f = try Fixture(train: train, synthetic: synthetic, identifiers: ["pid"])
        #expect(f.data.schema.columns.first { $0.name == "pid" }?.type == .numeric)
        let outcome = try f.run(Self.rule("identifier-reuse"))
        #expect(outcome.measurement("rows_reusing_train") == 2)
        #expect(outcome.measurement("distinct_train_identifiers_reused") == 2)
        #expect(outcome.findings.map(\.location.row) == [1, 3])
        #expect(outcome.findings[0].location.recordDigest == f.context.published(IdentifierValues.digest("100234")).hex)
    }

    @Test func reuseFingerprintsAreStableUnderRowPermutation() throws {
        let train = "mrn,age\nM1,1\nM2,2\nM3,3\n"
        let holdout = "mrn,age\nH1,1\n"
        let rows = ["M1,5", "S2,6", "M1,7", "H1,8", "M3,9", "S6,1", "H1,2"]
        var rng = TestFiles.SeededRandom(seed: 7)
        let rule = Self.rule("identifier-reuse")
        let base = try Fixture(train: train, synthetic: "mrn,age\n" + rows.joined(separator: "\n") + "\n", holdout: holdout, identifiers: ["mrn"])
        let expected = Self.fingerprints(try base.run(rule))
        #expect(expected.count == 5)
        #expect(Set(expected).count == 5)
        for _ in 0..<5 {
            let shuffled = try Fixture(train: train, synthetic: "mrn,age\n" + rows.shuffled(using: &rng).joined(separator: "\n") + "\n",
                                       holdout: holdout, identifiers: ["mrn"])
            #expect(Self.fingerprints(try shuffled.run(rule)) == expected)
        }
    }

    @Test func reuseMaxRowsAndMaxFindings() throws {
        var train = "mrn\n", synthetic = "mrn\n"
        for i in 1...12 { train += "M\(i)\n"; synthetic += i % 2 == 0 ? "M\(i)\n" : "S\(i)\n" }
        let f = try Fixture(train: train, synthetic: synthetic, identifiers: ["mrn"])
        let capped = try f.run(Self.rule("identifier-reuse", ["max_findings": .integer(2), "max_rows": .integer(6)]))
        #expect(capped.status == .pass)
        #expect(capped.measurement("rows_reusing_train") == 6)
        #expect(capped.findings.map(\.location.row) == [2, 4])
        #expect(capped.measurement("findings_truncated") == 4)
        #expect(try f.run(Self.rule("identifier-reuse", ["max_rows": .integer(5)])).status == .fail)
    }

    // MARK: Reports never show values

    @Test func noReportContainsAValue() throws {
        let values = ["123-45-6789", "078-05-1120", "jane.doe@example.org", "J.Roe@Clinic.Example.COM",
                      "(617) 555-0142", "617-555-0199", "+1 212 555 0100", "MRN-0295160", "MRN-5972680", "MRN-1248890"]
        let train = "mrn,contact,note\nMRN-0295160,none,none\nMRN-5972680,none,none\n"
        let holdout = "mrn,contact,note\nMRN-1248890,none,none\n"
        let synthetic = """
        mrn,contact,note
        MRN-0295160,123-45-6789,none
        SYN-000002,jane.doe@example.org,call (617) 555-0142
        MRN-1248890,617-555-0199,J.Roe@Clinic.Example.COM
        SYN-000004,+1 212 555 0100,SSN 078-05-1120
        MRN-5972680,none,none

        """
        let f = try Fixture(train: train, synthetic: synthetic, holdout: holdout, identifiers: ["mrn"])
        let core = try Self.coreRules()
        let rules = core.enabledRules.filter {
            ["privacy/us-ssn", "privacy/email-address", "privacy/phone-number", "privacy/identifier-reuse"].contains($0.id)
        }
        #expect(rules.count == 4)
        let outcomes = try ScanEngine.evaluate(rules: rules, context: f.context)
        let byID = Dictionary(uniqueKeysWithValues: outcomes.map { ($0.rule.id, $0) })
        #expect(byID["privacy/us-ssn"]?.measurement("rows_matching") == 2)
        #expect(byID["privacy/email-address"]?.measurement("rows_matching") == 2)
        #expect(byID["privacy/phone-number"]?.measurement("rows_matching") == 3)
        #expect(byID["privacy/identifier-reuse"]?.measurement("rows_reusing_train") == 2)
        #expect(byID["privacy/identifier-reuse"]?.measurement("rows_reusing_holdout") == 1)
        // The rules' templates rendered the verdicts.
        #expect(byID["privacy/us-ssn"]?.message.hasPrefix("2 synthetic rows (40.00%)") == true)
        let text = try f.reports(outcomes)
        #expect(text.contains("privacy/phone-number"))
        for value in values {
            #expect(!text.contains(value), "a report shows \(value)")
            #expect(!text.lowercased().contains(value.lowercased()), "a report shows \(value)")
        }
        for outcome in outcomes {
            for finding in outcome.findings {
                for value in values { #expect(!finding.message.contains(value)) }
            }
        }
    }

    // MARK: Core rules

    @Test func coreRulesSelfTestsPass() throws {
        let core = try Self.coreRules()
        for id in ["privacy/us-ssn", "privacy/email-address", "privacy/phone-number", "privacy/identifier-reuse"] {
            let rule = try #require(core.rule(id), "core rule \(id)")
            let results = RuleSelfTestRunner.run(rule)
            #expect(results.contains { $0.triggers } && results.contains { !$0.triggers }, "\(id) has both kinds of tests")
            for result in results { #expect(result.passed, "\(id): \(result.name): \(result.differences)") }
        }
    }

    @Test func coreRulesDoNotFireOnExampleLikeValues() throws {
        // The shapes of the bundled examples: SYN-/MRN- ids, ZIP3, dates, ICD-10 codes, free text.
        let header = "patient_id,zip3,admission_date,primary_dx,discharge_disposition,note,diabetes,hba1c\n"
        let train = header + "MRN-0295160,606,2021-10-16,I21.4,Home,none,no,5.2\n"
        var synthetic = header
        let dx = ["I21.4", "A41.9", "S72.001A", "J18.9", "E11.65", "K85.90", "L03.115", "N17.9", "I48.91", "R55"]
        let notes = ["none", "seen 2021-12-05 12:30", "ref 2019-555-0101", "lot 12-345-6789 ok", "v1.555.123",
                     "zip 02115-4567", "dose 5 mg @ night", "tel ext 4567", "2023-07-08T10:00:00Z", "room 555 1234"]
        for i in 1...200 {
            func padded(_ n: Int, _ width: Int) -> String { String(repeating: "0", count: max(0, width - String(n).count)) + String(n) }
            synthetic += "SYN-\(padded(i, 6)),\(padded(i % 1000, 3)),2022-\(padded(i % 12 + 1, 2))-\(padded(i % 28 + 1, 2)),"
                + "\(dx[i % dx.count]),\"Home, with services\",\(notes[i % notes.count]),yes,6.\(i % 10)\n"
        }
        let f = try Fixture(train: train, synthetic: synthetic, identifiers: ["patient_id"], types: ["zip3": .categorical])
        let core = try Self.coreRules()
        let rules = core.enabledRules.filter {
            ["privacy/us-ssn", "privacy/email-address", "privacy/phone-number", "privacy/identifier-reuse"].contains($0.id)
        }
        for outcome in try ScanEngine.evaluate(rules: rules, context: f.context) {
            #expect(outcome.status == .pass, "\(outcome.rule.id): \(outcome.message)")
            #expect(outcome.findings.isEmpty, "\(outcome.rule.id): rows \(outcome.findings.compactMap(\.location.row))")
        }
    }

    @Test func corePatternsOnSingleValues() throws {
        let core = try Self.coreRules()
        func pattern(_ id: String) throws -> SafePattern {
            let rule = try #require(core.rule(id)).descriptor
            return try SafePattern(try rule.parameters.text("pattern", rule: id),
                                   caseInsensitive: try rule.parameters.boolean("case_insensitive", rule: id))
        }
        let ssn = try pattern("privacy/us-ssn")
        for v in ["123-45-6789", "001-01-0001", "665-99-9999", "667-12-3456", "899-99-9999", "123 45 6789", "SSN:123-45-6789"] {
            #expect(ssn.matches(v), "\(v) should match")
        }
        for v in ["000-12-3456", "666-12-3456", "900-12-3456", "999-12-3456", "123-00-4567", "123-45-0000",
                  "1123-45-6789", "123-45-67890", "123456789", "12-345-6789", "2021-12-05"] {
            #expect(!ssn.matches(v), "\(v) should not match")
        }
        let phone = try pattern("privacy/phone-number")
        for v in ["555-123-4567", "(555) 123-4567", "(555)123-4567", "+1 555 123 4567", "1-555-123-4567", "555.123.4567",
                  "+1 (617) 555-0142", "tel: 212-555-0100."] {
            #expect(phone.matches(v), "\(v) should match")
        }
        for v in ["155-123-4567", "055-123-4567", "5551234567", "555-1234", "2021-12-05", "S72.001A", "02115-4567",
                  "123-45-6789", "1555-123-45678", "555-123-45678"] {
            #expect(!phone.matches(v), "\(v) should not match")
        }
        let email = try pattern("privacy/email-address")
        for v in ["a@b.co", "Jane.Doe+x@Mail.Example.ORG", "write to j_smith@example.com today"] {
            #expect(email.matches(v), "\(v) should match")
        }
        for v in ["user@localhost", "@home", "a@b", "a@.com", "name at example dot org"] {
            #expect(!email.matches(v), "\(v) should not match")
        }
    }
}
