import Foundation
import Testing
@testable import SynthScanCore

/// `CellIndex` (protected cells, bands, missing as a level), `SmallCellGuard`, the
/// Benjamini–Hochberg q-values and binomial lower tail, and `columns.<name>.bands` in the configuration.
@Suite struct GroupsTests {
    static func load(train: String, synthetic: String, protected: [String], columns: [String: ColumnSettings] = [:]) throws -> (LoadedDatasets, TestFiles.Folder) {
        let folder = try TestFiles.Folder("groups")
        var configuration = ScanConfiguration()
        configuration.inputs.train = try folder.write("train.csv", train)
        configuration.inputs.synthetic = try folder.write("synthetic.csv", synthetic)
        configuration.roles.protected = protected
        configuration.columns = columns
        return (try DatasetLoader.load(configuration), folder)
    }

    @Test func cellsOfOrderTwoCountEveryTableWithMissingAsALevel() throws {
        let (data, folder) = try Self.load(
            train: "sex,race,age\nF,A,30\nF,B,70\nM,A,\nF,A,90\n",
            synthetic: "sex,race,age\nF,A,10\nM,,50\n", protected: ["sex", "race", "age"])
        defer { folder.remove() }
        let index = CellIndex(data: data, columns: ["race", "sex", "age"], bands: ["age": [18, 65, 90]], order: 2)
        let cells = Dictionary(uniqueKeysWithValues: index.cells.map { ($0.key, $0) })
        #expect(index.columns == ["race", "sex", "age"])
        #expect(cells["race=A"]?.train == 3)
        #expect(cells["race=A"]?.synthetic == 1)
        #expect(cells["race=missing"]?.synthetic == 1)
        #expect(cells["race=missing"]?.train == 0)
        #expect(cells["race=A & sex=F"]?.train == 2)
        #expect(cells["sex=M & race=A"] == nil)
        #expect(cells["age=[65, 90]"]?.train == 2)          // 70 and 90: the last band is closed
        #expect(cells["age=missing"]?.train == 1)
        #expect(cells["age=<18"]?.synthetic == 1)
        #expect(cells["age=[18, 65)"]?.synthetic == 1)
        #expect(cells["sex=M & age=[18, 65)"]?.synthetic == 1)
        // Every row is in exactly one level of each attribute.
        for name in index.columns {
            #expect(index.cells.filter { $0.columns == [name] }.reduce(0) { $0 + $1.train } == 4)
        }
        // Order 1 has no pairs.
        #expect(CellIndex(data: data, columns: ["race", "sex"], bands: [:], order: 1).cells.allSatisfy { $0.columns.count == 1 })
    }

    @Test func numericAttributesWithoutBandsAreLeftOut() throws {
        let (data, folder) = try Self.load(train: "sex,age\nF,30\n", synthetic: "sex,age\nM,40\n", protected: ["sex", "age"])
        defer { folder.remove() }
        let index = CellIndex(data: data, columns: ["sex", "age"], bands: [:], order: 2)
        #expect(index.columns == ["sex"])
        #expect(index.unbandedColumns == ["age"])
    }

    @Test func bandsAndTheirLabels() {
        let edges: [Double] = [0, 18, 45, 65, 90]
        #expect(CellIndex.bandLabels(edges) == ["<0", "[0, 18)", "[18, 45)", "[45, 65)", "[65, 90]", ">90"])
        #expect(CellIndex.band(of: -1, edges: edges) == 0)
        #expect(CellIndex.band(of: 0, edges: edges) == 1)
        #expect(CellIndex.band(of: 17.9, edges: edges) == 1)
        #expect(CellIndex.band(of: 18, edges: edges) == 2)
        #expect(CellIndex.band(of: 64, edges: edges) == 3)
        #expect(CellIndex.band(of: 90, edges: edges) == 4)
        #expect(CellIndex.band(of: 90.5, edges: edges) == 5)
    }

    @Test func smallCellGuardHidesOneToTen() {
        #expect(SmallCellGuard.format(0) == "0")
        #expect(SmallCellGuard.format(1) == "<11")
        #expect(SmallCellGuard.format(10) == "<11")
        #expect(SmallCellGuard.format(11) == "11")
    }

    /// Values from scipy 1.17.1 `scipy.stats.false_discovery_control(p, method="bh")`, which agree
    /// with the hand computation (m = 6: sorted ranks give 0.03, 0.03, 0.06, 0.06, 0.048, 0.2; running
    /// minimum from the top) and with statsmodels `multipletests(p, method="fdr_bh")`.
    @Test func benjaminiHochbergMatchesSciPy() {
        let q = Statistics.benjaminiHochberg([0.01, 0.04, 0.03, 0.005, 0.2, 0.04])
        let expected = [0.03, 0.048, 0.048, 0.03, 0.2, 0.048]
        for (a, b) in zip(q, expected) { #expect(abs(a - b) < 1e-12) }
        #expect(Statistics.benjaminiHochberg([]) == [])
        #expect(Statistics.benjaminiHochberg([0.9, 0.95]) == [0.95, 0.95])
    }

    /// Values from scipy 1.17.1 `scipy.stats.binom.cdf`.
    @Test func binomialLowerTailMatchesSciPy() {
        func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * b }
        #expect(close(Statistics.binomialLowerTail(successes: 3, trials: 2000, probability: 28.0 / 2000), 2.4073866308530953e-09))
        #expect(close(Statistics.binomialLowerTail(successes: 0, trials: 2000, probability: 57.0 / 2000), 7.684398376966434e-26))
        #expect(close(Statistics.binomialLowerTail(successes: 40, trials: 2000, probability: 0.03), 0.003564746642818235))
        #expect(Statistics.binomialLowerTail(successes: 5, trials: 5, probability: 0.5) == 1)
    }

    // MARK: - columns.<name>.bands in the configuration

    static func loadConfig(_ yaml: String) throws -> Result<ScanConfiguration, ConfigurationError> {
        let folder = try TestFiles.Folder("bands")
        defer { folder.remove() }
        let path = try folder.write("synthscan.yaml", yaml)
        do { return .success(try ScanConfigurationLoader.load(path: path)) } catch { return .failure(error) }
    }

    @Test func bandsAreRead() throws {
        let result = try Self.loadConfig("version: 1\ncolumns:\n  age: { bands: [0, 18, 45, 65, 90] }\n  t: { type: datetime, bands: [0, 1.5e9] }\n")
        let config = try result.get()
        #expect(config.columns["age"]?.bands == [0, 18, 45, 65, 90])
        #expect(config.columns["t"]?.bands == [0, 1.5e9])
    }

    @Test(arguments: [
        ("columns:\n  age: { bands: [0, 18, 18] }\n", 2, 25, "columns.age.bands[2]"),
        ("columns:\n  age: { bands: [18] }\n", 2, 17, "at least two band edges"),
        ("columns:\n  age: { bands: [0, .inf] }\n", 2, 21, "a finite number"),
        ("columns:\n  age: { bands: 18 }\n", 2, 17, "wrong type"),
        ("columns:\n  sex: { type: categorical, bands: [0, 1] }\n", 2, 36, "only on numeric or datetime columns"),
        ("columns:\n  age: { bands: [0, x] }\n", 2, 21, "expected a number"),
    ])
    func invalidBandsAreReportedWithTheirPosition(yaml: String, line: Int, column: Int, text: String) throws {
        guard case .failure(let error) = try Self.loadConfig("version: 1\n" + yaml) else {
            Issue.record("expected a rejection")
            return
        }
        let d = try #require(error.diagnostics.first)
        #expect(d.line == line + 1, "\(d)")
        #expect(d.column == column, "\(d)")
        #expect(d.message.contains(text), "\(d.message)")
    }
}
