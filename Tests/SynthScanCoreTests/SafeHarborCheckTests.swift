import Foundation
import Testing
@testable import SynthScanCore

/// The `safe-harbor` check kind (ages over 89, date precision, ZIP digits) and the core rules built
/// on it, run on CSV files through the same loader, context and engine a scan uses.
@Suite("SafeHarborCheckTests")
struct SafeHarborCheckTests {
    /// Tables written to a temporary folder and loaded as a scan loads them.
    struct Fixture {
        let folder: TestFiles.Folder
        let context: ScanContext

        init(train: String, synthetic: String, quasiIdentifiers: [String] = [], ignored: [String] = [],
             types: [String: ColumnType] = [:]) throws {
            folder = try TestFiles.Folder("safeharbor")
            var configuration = ScanConfiguration()
            configuration.inputs.train = try folder.write("train.csv", train)
            configuration.inputs.synthetic = try folder.write("synthetic.csv", synthetic)
            configuration.roles.quasiIdentifiers = quasiIdentifiers
            configuration.roles.ignored = ignored
            for (name, type) in types { configuration.columns[name] = ColumnSettings(type: type) }
            configuration.failOn = nil
            context = ScanContext(data: try DatasetLoader.load(configuration), configuration: configuration)
        }

        func run(_ rule: RuleDescriptor) throws -> RuleOutcome {
            try #require(try ScanEngine.evaluate(rules: [rule], context: context).first)
        }
    }

    static func rule(_ hazard: String, _ params: [String: ParameterValue] = [:]) -> RuleDescriptor {
        var values: [String: ParameterValue] = [:]
        for spec in SafeHarborCheck.parameters { values[spec.name] = spec.defaultValue }
        values["hazard"] = .text(hazard)
        for (name, value) in params { values[name] = value }
        return RuleDescriptor(id: "test/safe-harbor", check: SafeHarborCheck.kind, summary: "test", description: "test",
                              help: "test", severity: .warning, tags: [], references: [], parameters: RuleParameters(values),
                              pack: "test")
    }

    static func m(_ outcome: RuleOutcome, _ key: String) -> Double? {
        outcome.measurements.first { $0.key == key }?.value
    }

    // MARK: Column names

    @Test func defaultColumnNames() {
        for name in ["age", "AGE", "age_years", "patient_age", "Admission_Age"] { #expect(SafeHarborCheck.isAgeName(name), "\(name)") }
        for name in ["dosage", "page", "age_at_admission", "ages", "agent"] { #expect(!SafeHarborCheck.isAgeName(name), "\(name)") }
        for name in ["zip", "ZIP", "zip3", "zip_code", "ZipCode", "patient-zip5", "postal_code", "PostCode", "postalcode"] {
            #expect(SafeHarborCheck.isZipName(name), "\(name)")
        }
        for name in ["zipper", "zipx3", "postage", "hba1c"] {
            #expect(!SafeHarborCheck.isZipName(name), "\(name)")
        }
    }

    // MARK: age-over-89

    @Test func agesOverTheLimitAreRowLevelWithoutValues() throws {
        let f = try Fixture(train: "id,age,patient_age\nr1,40,40\n",
                            synthetic: "id,age,patient_age\ns1,90,40\ns2,89,95\ns3,120,101\ns4,,50\ns5,89.5,\n")
        let outcome = try f.run(Self.rule("age-over-89"))
        #expect(outcome.status == .fail)
        #expect(Self.m(outcome, "rows_flagged") == 4)
        #expect(Self.m(outcome, "values_flagged") == 5)
        #expect(Self.m(outcome, "columns_checked") == 2)
        #expect(Self.m(outcome, "columns_flagged") == 2)
        #expect(Self.m(outcome, "row_share_flagged") == 0.8)
        #expect(outcome.findings.map { [$0.location.row ?? 0, $0.location.line ?? 0] } == [[1, 2], [2, 3], [3, 4], [3, 4], [5, 6]])
        #expect(outcome.findings.map(\.location.columns) == [["age"], ["patient_age"], ["age"], ["patient_age"], ["age"]])
        for finding in outcome.findings {
            for value in ["95", "120", "101", "89.5"] { #expect(!finding.message.contains(" \(value) "), "\(finding.message)") }
            #expect(finding.location.recordDigest == nil)
        }
        #expect(Set(outcome.findings.map(\.fingerprint)).count == outcome.findings.count)
    }

    @Test func fingerprintsDoNotDependOnRowOrder() throws {
        let a = try Fixture(train: "age\n40\n", synthetic: "age\n91\n50\n91\n95\n")
        let b = try Fixture(train: "age\n40\n", synthetic: "age\n95\n91\n50\n91\n")
        let fa = try a.run(Self.rule("age-over-89")).findings.map(\.fingerprint).sorted()
        let fb = try b.run(Self.rule("age-over-89")).findings.map(\.fingerprint).sorted()
        #expect(fa.count == 3)
        #expect(fa == fb)
    }

    @Test func categoricalAgesReadLabelByLabel() throws {
        let f = try Fixture(train: "age\n40\n", synthetic: "age\n90+\n93\n85-89\n45\n", types: ["age": .categorical])
        let outcome = try f.run(Self.rule("age-over-89"))
        #expect(Self.m(outcome, "rows_flagged") == 1)
        #expect(outcome.findings.map { $0.location.row } == [2])
    }

    @Test func maxAgeMaxRowsAndMaxFindings() throws {
        let f = try Fixture(train: "age\n40\n", synthetic: "age\n91\n92\n80\n93\n")
        #expect(try f.run(Self.rule("age-over-89", ["max_age": .integer(91)])).findings.count == 2)
        #expect(try f.run(Self.rule("age-over-89", ["max_rows": .integer(3)])).status == .pass)
        let truncated = try f.run(Self.rule("age-over-89", ["max_findings": .integer(2)]))
        #expect(truncated.findings.map { $0.location.row } == [1, 2])
        #expect(Self.m(truncated, "findings_truncated") == 1)
        #expect(Self.m(truncated, "rows_flagged") == 3)
    }

    @Test func ageSkipsWithoutAgeColumnsAndNamesUnsuitableListedColumns() throws {
        let f = try Fixture(train: "id,age,admitted\nr1,40,2020-01-01\n", synthetic: "id,age,admitted\ns1,40,2020-03-02\n",
                            ignored: ["age"])
        let skipped = try f.run(Self.rule("age-over-89"))
        #expect(skipped.status == .skipped)
        #expect(skipped.message.contains("columns"))
        let listed = try f.run(Self.rule("age-over-89", ["columns": .list(["admitted"])]))
        #expect(listed.status == .skipped)
        #expect(listed.message.contains("'admitted'"))
        #expect(throws: CheckError.unknownColumn(rule: "test/safe-harbor", column: "nope")) {
            try f.run(Self.rule("age-over-89", ["columns": .list(["nope"])]))
        }
    }

    // MARK: date-precision

    @Test func precisionUnits() {
        func p(_ text: String) -> Double {
            let v = Array(text.utf8).withUnsafeBufferPointer { DateTimeParser.parse($0) }!
            return SafeHarborCheck.Precision.of(v)
        }
        #expect(p("2021-01-01") == SafeHarborCheck.Precision.year)
        #expect(p("1969-01-01") == SafeHarborCheck.Precision.year)
        #expect(p("1900-01-01") == SafeHarborCheck.Precision.year)
        #expect(p("2021-03-01") == SafeHarborCheck.Precision.month)
        #expect(p("2021-01-02") == SafeHarborCheck.Precision.day)
        #expect(p("1960-12-31") == SafeHarborCheck.Precision.day)
        #expect(p("2021-01-01T05:00") == SafeHarborCheck.Precision.hour)
        #expect(p("2021-01-01T05:30") == SafeHarborCheck.Precision.minute)
        #expect(p("2021-06-01T05:30:07") == SafeHarborCheck.Precision.second)
        #expect(p("2021-06-01T05:30:07.25") == SafeHarborCheck.Precision.subSecond)
        // An offset that lands on midnight UTC of January 1st is a year.
        #expect(p("2021-01-01T01:00+01:00") == SafeHarborCheck.Precision.year)
    }

    @Test func datesArePerColumnWithCountsAndFinestPrecision() throws {
        let f = try Fixture(train: "id,admitted,born,discharged\nr1,2020-01-01,1950-01-01,2020-01-01\n",
                            synthetic: """
                            id,admitted,born,discharged
                            s1,2020-05-17,1950-01-01,2020-05-20T10:15
                            s2,2021-01-01,1960-01-01,
                            s3,2022-02-01,1970-01-01,2022-02-03
                            """ + "\n",
                            quasiIdentifiers: ["admitted", "born", "discharged"])
        let outcome = try f.run(Self.rule("date-precision"))
        #expect(outcome.status == .fail)
        #expect(Self.m(outcome, "columns_checked") == 3)
        #expect(Self.m(outcome, "columns_flagged") == 2)
        #expect(Self.m(outcome, "rows_flagged") == 2)
        #expect(Self.m(outcome, "values_flagged") == 4)
        #expect(Self.m(outcome, "rows_time_of_day") == 1)
        #expect(Self.m(outcome, "max_precision_seconds") == 60)
        #expect(outcome.findings.count == 2)
        #expect(outcome.findings.allSatisfy { $0.location.row == nil && $0.location.line == nil })
        #expect(outcome.findings.map(\.location.columns) == [["admitted"], ["discharged"]])
        #expect(outcome.findings[0].message.contains("2 of 3") && outcome.findings[0].message.contains("day"))
        #expect(outcome.findings[1].message.contains("2 of 2") && outcome.findings[1].message.contains("minute"))
        for finding in outcome.findings { #expect(!finding.message.contains("2020-05")) }
        let capped = try f.run(Self.rule("date-precision", ["max_findings": .integer(1)]))
        #expect(capped.findings.count == 1)
        #expect(Self.m(capped, "findings_truncated") == 1)
    }

    @Test func datesDefaultToQuasiIdentifiersAndSkipOtherwise() throws {
        let f = try Fixture(train: "id,admitted\nr1,2020-01-01\n", synthetic: "id,admitted\ns1,2020-05-17\n")
        let skipped = try f.run(Self.rule("date-precision"))
        #expect(skipped.status == .skipped)
        #expect(skipped.message.contains("quasi_identifier") && skipped.message.contains("'admitted'"))
        #expect(try f.run(Self.rule("date-precision", ["columns": .list(["admitted"])])).status == .fail)
        let listedWrong = try f.run(Self.rule("date-precision", ["columns": .list(["id"])]))
        #expect(listedWrong.status == .skipped)
        #expect(listedWrong.message.contains("'id'"))
        let none = try Fixture(train: "id\nr1\n", synthetic: "id\ns1\n")
        #expect(try none.run(Self.rule("date-precision")).message.contains("no datetime column"))
    }

    // MARK: zip-digits

    @Test func zipLabelsAreClassified() {
        let small = Set(SafeHarborCheck.smallAreaPrefixes)
        func k(_ s: String) -> SafeHarborCheck.ZipKind { SafeHarborCheck.classify(label: s, smallArea: small) }
        #expect(k("021") == .fine)
        #expect(k("000") == .fine)
        #expect(k("036") == .smallArea)
        #expect(k("36") == .smallArea)
        #expect(k("02139") == .fiveDigit)
        #expect(k("2139") == .fiveDigit)
        #expect(k("02139-1234") == .fiveDigit)
        #expect(k("02139 1234") == .fiveDigit)
        #expect(k("021391234") == .fiveDigit)
        #expect(k("K1A 0B6") == .fine)
        #expect(k("021-39") == .fine)
        #expect(k("1234567") == .fine)
        func n(_ v: Double) -> SafeHarborCheck.ZipKind { SafeHarborCheck.classify(number: v, smallArea: small) }
        #expect(n(21) == .fine)
        #expect(n(102) == .smallArea)
        #expect(n(2139) == .fiveDigit)
        #expect(n(90210) == .fiveDigit)
        #expect(n(90210.5) == .fine)
    }

    @Test func zipFindingsArePerColumnAndNeverShowCodes() throws {
        let f = try Fixture(train: "id,zip,home_zip3\nr1,021,021\n",
                            synthetic: "id,zip,home_zip3\ns1,02139,021\ns2,021,036\ns3,90210-1234,\ns4,,000\n",
                            types: ["zip": .categorical, "home_zip3": .categorical])
        let outcome = try f.run(Self.rule("zip-digits"))
        #expect(outcome.status == .fail)
        #expect(Self.m(outcome, "columns_checked") == 2)
        #expect(Self.m(outcome, "columns_flagged") == 2)
        #expect(Self.m(outcome, "rows_flagged") == 3)
        #expect(Self.m(outcome, "rows_five_digit") == 2)
        #expect(Self.m(outcome, "rows_small_area") == 1)
        #expect(outcome.findings.map(\.location.columns) == [["home_zip3"], ["zip"]])
        #expect(outcome.findings.allSatisfy { $0.location.row == nil })
        for finding in outcome.findings {
            for code in ["02139", "90210", "036", "1234"] { #expect(!finding.message.contains(code), "\(finding.message)") }
        }
        // Without the small-area list only the five-digit codes count.
        let plain = try f.run(Self.rule("zip-digits", ["small_area_prefixes": .list([])]))
        #expect(Self.m(plain, "rows_flagged") == 2)
        #expect(plain.findings.count == 1)
    }

    @Test func numericZipColumnsAreChecked() throws {
        let f = try Fixture(train: "zipcode\n100\n", synthetic: "zipcode\n100\n90210\n981\n")
        let outcome = try f.run(Self.rule("zip-digits"))
        #expect(f.context.schema.columns.first?.type == .numeric)
        #expect(Self.m(outcome, "rows_five_digit") == 1)
        #expect(outcome.status == .fail)
    }

    @Test func zipSkipsWithoutZipColumns() throws {
        let f = try Fixture(train: "id,sex\nr1,F\n", synthetic: "id,sex\ns1,M\n")
        let outcome = try f.run(Self.rule("zip-digits"))
        #expect(outcome.status == .skipped)
        #expect(outcome.message.contains("ZIP"))
    }

    @Test func invalidSmallAreaPrefixIsRejected() throws {
        let f = try Fixture(train: "zip\n021\n", synthetic: "zip\n021\n", types: ["zip": .categorical])
        #expect(throws: CheckError.self) { try f.run(Self.rule("zip-digits", ["small_area_prefixes": .list(["36"])])) }
    }

    // MARK: Core rules

    @Test func coreRulesAreNotJudgedAsPrivacyBySelfTestAndDoNotFailTheDefaultGate() throws {
        let rules = try RulePackLoader().load(roots: []).rules
        for id in ["privacy/safe-harbor-ages", "privacy/safe-harbor-dates", "privacy/safe-harbor-zip"] {
            let rule = try #require(rules.first { $0.id == id }).descriptor
            #expect(rule.check == SafeHarborCheck.kind)
            #expect(rule.severity != .error)
            #expect(rule.tags.contains("hipaa-safe-harbor"))
            #expect(!rule.tags.contains("privacy"), "the hazard is in real data too: the self-test would fail it by design")
        }
    }
}
