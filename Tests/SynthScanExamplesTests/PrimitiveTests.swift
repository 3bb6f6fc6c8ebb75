import Testing
@testable import SynthScanExamples

@Suite("Deterministic primitives")
struct PrimitiveTests {
    @Test("xoshiro256** seeded by SplitMix64 produces a pinned stream")
    func pinnedStream() {
        var splitMix = SplitMix64(seed: 0)
        // Reference values of SplitMix64 from seed 0 (Vigna's splitmix64.c).
        #expect(splitMix.next() == 0xE220_A839_7B1D_CDAF)
        #expect(splitMix.next() == 0x6E78_9E6A_A1B9_65F4)
        // Reference outputs of xoshiro256** from state {1, 2, 3, 4} (Vigna's xoshiro256starstar.c).
        var reference = Xoshiro256StarStar(state: (1, 2, 3, 4))
        #expect((0..<4).map { _ in reference.next() } == [11_520, 0, 1_509_978_240, 1_215_971_899_390_074_240])
        var a = Xoshiro256StarStar(seed: 12_345)
        var b = Xoshiro256StarStar(seed: 12_345)
        let first = (0..<8).map { _ in a.next() }
        #expect(first == (0..<8).map { _ in b.next() })
        var c = Xoshiro256StarStar(seed: 12_346)
        #expect(c.next() != first[0])
    }

    @Test("uniform, normal and sampling stay in range")
    func sampling() {
        var rng = Xoshiro256StarStar(seed: 1)
        #expect((0..<10_000).allSatisfy { _ in (0..<7).contains(rng.uniform(below: 7)) })
        let normals = (0..<20_000).map { _ in rng.normal(mean: 100, standardDeviation: 10) }
        let mean = normals.reduce(0, +) / normals.count
        #expect((99...101).contains(mean))
        let sample = rng.distinctSample(count: 50, from: 60)
        #expect(Set(sample).count == 50 && sample.allSatisfy { (0..<60).contains($0) })
    }

    @Test("fixed decimals and dates are formatted without Foundation")
    func formatting() {
        #expect(FixedDecimal.format(105, decimals: 2) == "1.05")
        #expect(FixedDecimal.format(7, decimals: 2) == "0.07")
        #expect(FixedDecimal.format(72, decimals: 1) == "7.2")
        #expect(FixedDecimal.format(-5, decimals: 1) == "-0.5")
        #expect(FixedDecimal.ratio(1, 3, decimals: 4) == "0.3333")
        #expect(FixedDecimal.ratio(2, 3, decimals: 4) == "0.6667")
        #expect(AdmissionWindow.iso(dayOffset: 0) == "2019-01-01")
        #expect(AdmissionWindow.iso(dayOffset: 59) == "2019-03-01")
        #expect(AdmissionWindow.iso(dayOffset: 365 + 59) == "2020-02-29")
        #expect(AdmissionWindow.iso(dayOffset: AdmissionWindow.dayCount - 1) == "2023-12-31")
        var buffer: [UInt8] = []
        buffer.appendPadded(42, width: 5)
        buffer.append(44)
        buffer.appendFixed(1234, decimals: 2)
        buffer.append(44)
        buffer.appendDecimal(0)
        #expect(String(decoding: buffer, as: UTF8.self) == "00042,12.34,0")
    }

    @Test("CSV quoting and JSON rendering are deterministic")
    func textFormats() {
        #expect(CSVFormatter.line(["a", "Home, with services", "say \"hi\""]) == "a,\"Home, with services\",\"say \"\"hi\"\"\"")
        let json: JSONValue = .object(["b": .array([1, .decimal("0.50")]), "a": "x", "c": .object([:])])
        #expect(json.rendered() == "{\n  \"a\": \"x\",\n  \"b\": [\n    1,\n    0.50\n  ],\n  \"c\": {}\n}\n")
    }
}
