import Foundation
import Testing
@testable import SynthScanCore

/// Edge cases of the fidelity metrics, where SDMetrics returns NaN or raises (nil here), and the
/// row selections (an index list and a mask give the same slice without copying the column).
@Suite struct FidelityMetricTests {
    static func numeric(_ values: [Double?], type: ColumnType = .numeric) -> Column {
        var mask = MissingMask()
        for v in values { mask.append(v == nil) }
        return Column(name: "x", type: type, storage: .numeric(values: values.map { $0 ?? 0 }, missing: mask))
    }

    static func coded(_ labels: [String?], dictionary: [String] = ["A", "B", "C"]) -> Column {
        let d = CategoryDictionary(sortedUniqueLabels: dictionary)
        return Column(name: "c", type: .categorical,
                      storage: .coded(codes: labels.map { $0.flatMap { d.code(of: $0) } ?? Column.missingCode }, dictionary: d))
    }

    @Test func emptySlicesAreUndefined() {
        let n = ColumnSlice(Self.numeric([1, 2, 3])), none = ColumnSlice(Self.numeric([1, 2, 3]), rows: .indices([]))
        let c = ColumnSlice(Self.coded(["A", "B"])), noneC = ColumnSlice(Self.coded(["A", "B"]), rows: .mask([false, false]))
        #expect(KSComplement.score(real: n, synthetic: none) == nil)
        #expect(KSComplement.score(real: none, synthetic: n) == nil)
        #expect(RangeCoverage.score(real: n, synthetic: none) == nil)
        #expect(StatisticSimilarity.score(real: n, synthetic: none, statistic: .mean) == nil)
        #expect(MissingValueSimilarity.score(real: none, synthetic: n) == nil)
        #expect(TVComplement.score(real: c, synthetic: noneC) == nil)
        #expect(CategoryCoverage.score(real: noneC, synthetic: c) == nil)
        #expect(CategoryCoverage.score(real: c, synthetic: noneC) == 0)
        #expect(ContingencySimilarity.score(real: (n, n), synthetic: (none, none)) == nil)
        #expect(CorrelationSimilarity.score(real: (n, n), synthetic: (none, none)) == nil)
    }

    @Test func allMissingColumns() {
        let real = ColumnSlice(Self.numeric([1, 2, nil, 4])), missing = ColumnSlice(Self.numeric([nil, nil]))
        #expect(KSComplement.score(real: real, synthetic: missing) == nil)
        #expect(RangeCoverage.score(real: real, synthetic: missing) == nil)
        #expect(MissingValueSimilarity.score(real: real, synthetic: missing) == 0.25)
        #expect(TVComplement.score(real: ColumnSlice(Self.coded(["A"])), synthetic: ColumnSlice(Self.coded([nil, nil]))) == nil)
    }

    @Test func constantRealColumnsAreUndefined() {
        let constant = ColumnSlice(Self.numeric([5, 5, nil, 5])), varied = ColumnSlice(Self.numeric([1, 5, 9]))
        #expect(RangeCoverage.score(real: constant, synthetic: varied) == nil)
        for s in StatisticSimilarity.Statistic.allCases {
            #expect(StatisticSimilarity.score(real: constant, synthetic: varied, statistic: s) == nil)
        }
        #expect(CorrelationSimilarity.score(real: (varied, varied), synthetic: (varied, ColumnSlice(Self.numeric([2, 2, 2])))) == nil)
        // KS is defined for constant columns: identical constants agree fully.
        #expect(KSComplement.score(real: constant, synthetic: constant) == 1)
        // A constant synthetic slice still has a std of 0, and a range.
        #expect(StatisticSimilarity.score(real: varied, synthetic: ColumnSlice(Self.numeric([3, 3])), statistic: .std) == 0.5)
    }

    @Test func formulasOnSmallExamples() throws {
        let r = ColumnSlice(Self.numeric([0, 10])), s = ColumnSlice(Self.numeric([2, 9]))
        #expect(try #require(RangeCoverage.score(real: r, synthetic: s)) == 1 - (0.2 + 0.1))
        #expect(KSComplement.score(real: r, synthetic: s) == 0.5)
        // Synthetic-only category C: real counts A:1, B:1, C:1e-6.
        let tv = try #require(TVComplement.score(real: ColumnSlice(Self.coded(["A", "B"])), synthetic: ColumnSlice(Self.coded(["A", "C"]))))
        let total = 2 + 1e-6
        #expect(abs(tv - (1 - 0.5 * (abs(0.5 - 1 / total) + abs(0 - 1 / total) + abs(0.5 - 1e-6 / total)))) < 1e-15)
        #expect(CategoryCoverage.score(real: ColumnSlice(Self.coded(["A", "B", "B"])), synthetic: ColumnSlice(Self.coded(["B", "C"]))) == 0.5)
        #expect(CorrelationSimilarity.averageRanks([3, 1, 3, 2]) == [3.5, 1, 3.5, 2])
    }

    @Test func thresholdsMakeWeakRealAssociationsUndefined() {
        let x = ColumnSlice(Self.numeric([1, 2, 3, 4, 5, 6])), y = ColumnSlice(Self.numeric([1, 3, 2, 4, 6, 5]))
        #expect(CorrelationSimilarity.score(real: (x, y), synthetic: (x, y), realCorrelationThreshold: 0.5) == 1)
        #expect(CorrelationSimilarity.score(real: (x, y), synthetic: (x, y), realCorrelationThreshold: 0.99) == nil)
        let a = ColumnSlice(Self.coded(["A", "A", "B", "B"])), b = ColumnSlice(Self.coded(["A", "B", "A", "B"]))
        // Independent real pair: Cramér's V = 0.
        #expect(ContingencySimilarity.score(real: (a, b), synthetic: (a, b)) == 1)
        #expect(ContingencySimilarity.score(real: (a, b), synthetic: (a, b), realAssociationThreshold: 0.1) == nil)
    }

    @Test func indexListAndMaskSelectTheSameSlice() {
        let column = Self.numeric([4, nil, 1, 8, 2, 7, 3])
        let other = ColumnSlice(Self.numeric([1, 2, 3, 4, 5]))
        let byIndex = ColumnSlice(column, rows: .indices([0, 2, 3, 5]))
        let byMask = ColumnSlice(column, rows: .mask([true, false, true, true, false, true, false]))
        #expect(byIndex.count == byMask.count)
        #expect(byIndex.presentValues() == byMask.presentValues())
        #expect(KSComplement.score(real: other, synthetic: byIndex) == KSComplement.score(real: other, synthetic: byMask))
        #expect(RangeCoverage.score(real: other, synthetic: byIndex) == RangeCoverage.score(real: other, synthetic: byMask))
    }

    @Test func ksRoundingMergesValuesEqualTo14Decimals() {
        // 0.1 + 0.2 and 0.3 differ in the last bit and tie after numpy's round(…, 14).
        #expect(KSComplement.numpyRound(0.1 + 0.2) == KSComplement.numpyRound(0.3))
        let r = ColumnSlice(Self.numeric([0.1 + 0.2])), s = ColumnSlice(Self.numeric([0.3]))
        #expect(KSComplement.score(real: r, synthetic: s) == 1)
        // Datetimes are not rounded (SDMetrics rounds their integer nanoseconds, a no-op).
        let dr = ColumnSlice(Self.numeric([1_600_000_000], type: .datetime)), ds = ColumnSlice(Self.numeric([1_600_000_000.5], type: .datetime))
        #expect(KSComplement.score(real: dr, synthetic: ds) == 0)
    }
}
