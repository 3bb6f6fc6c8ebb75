import Foundation
import Testing
@testable import SynthScanCore

/// Properties of record digests on seeded random tables: what must not change them (column
/// order, number and date spelling, padding, row order, the table a record is in) and what must
/// (any single value, the column set), plus the configured case folding and rounding.
@Suite("DigestTests")
struct DigestTests {
    typealias Rng = TestFiles.SeededRandom

    // MARK: A random typed table

    /// One value, by meaning; `render` writes it in one of several equivalent spellings.
    enum Value: Equatable {
        case missing
        case integer(Int)
        case cents(Int)                   // value / 100
        case instant(day: Int, second: Int)
        case word(String)
        case flag(Bool)
    }

    /// The kinds of column a random table has.
    enum Kind: CaseIterable {
        case integer, cents, instant, word, flag, mixed   // mixed: integers and words (categorical)
    }

    static let words = ["alpha", "Beta", "x,y", "q\"q", "é", "multi\nline", "Ünï", "two words"]

    static func randomValue(_ kind: Kind, rng: inout Rng) -> Value {
        if rng.chance(0.1) { return .missing }
        switch kind {
        case .integer: return .integer(rng.int(-500...500))
        case .cents: return .cents(rng.int(-99_999...99_999))
        case .instant: return .instant(day: rng.int(-20_000...30_000), second: rng.chance(0.5) ? 0 : rng.int(0...86_399))
        case .word: return .word(rng.pick(words))
        case .flag: return .flag(rng.chance(0.5))
        case .mixed: return rng.chance(0.5) ? .integer(rng.int(-50...50)) : .word(rng.pick(words))
        }
    }

    /// A value that differs from `value` but is of the same kind.
    static func changed(_ value: Value, kind: Kind, rng: inout Rng) -> Value {
        switch value {
        case .missing: return kind == .mixed ? .integer(0) : fresh(kind, rng: &rng)
        case .integer(let v): return rng.chance(0.2) ? .missing : .integer(v + rng.pick([-1, 1, 7]))
        case .cents(let c): return .cents(c + rng.pick([-1, 1, 100]))
        case .instant(let d, let s): return rng.chance(0.5) ? .instant(day: d + 1, second: s) : .instant(day: d, second: (s + 1) % 86_400)
        case .word(let w): return .word(words.first { $0 != w }!)
        case .flag(let b): return .flag(!b)
        }
    }

    private static func fresh(_ kind: Kind, rng: inout Rng) -> Value {
        while true {
            let v = randomValue(kind, rng: &rng)
            if v != .missing { return v }
        }
    }

    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// `seconds` since the epoch as local date-time text at `offset` seconds east of UTC.
    static func civil(_ seconds: Int, offset: Int) -> (date: String, time: String) {
        let c = utc.dateComponents([.year, .month, .day, .hour, .minute, .second],
                                   from: Date(timeIntervalSince1970: TimeInterval(seconds + offset)))
        return (String(format: "%04ld-%02ld-%02ld", c.year!, c.month!, c.day!),
                String(format: "%02ld:%02ld:%02ld", c.hour!, c.minute!, c.second!))
    }

    /// The text of `value`: `plain` is the canonical spelling, otherwise a random equivalent one.
    static func render(_ value: Value, plain: Bool, rng: inout Rng) -> String {
        switch value {
        case .missing:
            return plain ? "" : rng.pick(InputsConfiguration.defaultMissingValues)
        case .integer(let v):
            if plain { return "\(v)" }
            var spellings = ["\(v)", "\(v).0", "\(v)e0", "\(v).000", "\(v * 10)e-1", "\(v)00e-2", "\(v)E+0"]
            if v >= 0 { spellings.append("+\(v)") }
            if v == 0 { spellings += ["-0", "0.0", "-0.000", "0e5", ".0"] }
            return rng.pick(spellings)
        case .cents(let c):
            let canonical = "\(Double(c) / 100)"
            if plain { return canonical }
            var spellings = [canonical, "\(c)e-2", "\(c * 10)e-3", "\(c)E-02"]
            if !canonical.contains("e") { spellings.append(canonical + "0") }
            return rng.pick(spellings)
        case .instant(let day, let second):
            let t = day * 86_400 + second
            let (date, time) = civil(t, offset: 0)
            if plain { return second == 0 ? date : date + "T" + time + "Z" }
            switch rng.int(0...3) {
            case 0: return second == 0 ? date : date + " " + time
            case 1: return date + "T" + time + "Z"
            default:
                let offset = rng.pick([3600, -5 * 3600 - 1800, 14 * 3600, -12 * 3600])
                let (ld, lt) = civil(t, offset: offset)
                let sign = offset >= 0 ? "+" : "-"
                let h = abs(offset) / 3600, m = abs(offset) % 3600 / 60
                return ld + "T" + lt + sign + String(format: rng.chance(0.5) ? "%02ld:%02ld" : "%02ld%02ld", h, m)
            }
        case .word(let w):
            return w
        case .flag(let b):
            if plain { return b ? "true" : "false" }
            return rng.pick(b ? ["true", "TRUE", "yes", "Yes", "YES"] : ["false", "False", "no", "NO", "No"])
        }
    }

    /// A random table: column names, kinds, and rows of values.
    struct Sample {
        var names: [String]
        var kinds: [Kind]
        var rows: [[Value]]
    }

    static func randomSample(seed: UInt64, minColumns: Int = 2) -> Sample {
        var rng = Rng(seed: seed)
        let count = rng.int(minColumns...6)
        let kinds = (0..<count).map { _ in rng.pick(Kind.allCases) }
        let names = (0..<count).map { "\(rng.pick(["c", "é", "Z", "a b"]))\($0)" }
        let rows = (0..<rng.int(5...30)).map { _ in kinds.map { randomValue($0, rng: &rng) } }
        return Sample(names: names, kinds: kinds, rows: rows)
    }

    /// Options for writing a sample.
    struct Style {
        var plain = true              // canonical spellings
        var padded = false            // spaces and tabs around unquoted values
        var columnOrder: [Int]? = nil
        var rowOrder: [Int]? = nil
    }

    /// The sample as CSV text.
    static func csv(_ sample: Sample, style: Style, rng: inout Rng) -> String {
        let columns = style.columnOrder ?? Array(sample.names.indices)
        let rows = style.rowOrder ?? Array(sample.rows.indices)
        func field(_ text: String) -> String {
            if text.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) || (!style.plain && rng.chance(0.2)) {
                return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            if style.padded { return rng.pick(["", " ", "  ", "\t"]) + text + rng.pick(["", " ", "\t "]) }
            return text
        }
        var out = columns.map { field(sample.names[$0]) }.joined(separator: ",") + "\n"
        for r in rows {
            out += columns.map { field(render(sample.rows[r][$0], plain: style.plain, rng: &rng)) }.joined(separator: ",")
            out += style.plain ? "\n" : rng.pick(["\n", "\r\n"])
        }
        return out
    }

    /// Loads CSV text (as train and synthetic) and returns the train table and the loaded data.
    static func load(_ folder: TestFiles.Folder, _ text: String,
                     configure: (inout ScanConfiguration) -> Void = { _ in }) throws -> LoadedDatasets {
        try folder.load(train: text, configure: configure)
    }

    /// Digests of every train row over `columns` (all columns when nil), with the configuration's rounding.
    static func digests(_ data: LoadedDatasets, _ columns: [String]? = nil, configuration: ScanConfiguration = ScanConfiguration(),
                        table: TableRole = .train) -> [RecordDigest] {
        let context = ScanContext(data: data, configuration: configuration)
        return context.hasher(columns: columns ?? data.schema.columns.map(\.name)).digests(of: data.table(table)!)
    }

    // MARK: Invariances

    @Test func columnOrderInTheFileDoesNotChangeDigests() throws {
        let folder = try TestFiles.Folder("digest")
        defer { folder.remove() }
        for seed in 1...25 as ClosedRange<UInt64> {
            var rng = Rng(seed: seed &* 977)
            let sample = Self.randomSample(seed: seed)
            let base = try Self.load(folder, Self.csv(sample, style: Style(), rng: &rng))
            var style = Style()
            style.columnOrder = Array(sample.names.indices).shuffled(using: &rng)
            let permuted = try Self.load(folder, Self.csv(sample, style: style, rng: &rng))
            #expect(permuted.schema.columns == base.schema.columns, "seed \(seed)")
            #expect(Self.digests(permuted) == Self.digests(base), "seed \(seed) order \(style.columnOrder!)")
        }
    }

    @Test func numberAndDateSpellingsDoNotChangeDigests() throws {
        let folder = try TestFiles.Folder("digest")
        defer { folder.remove() }
        for seed in 1...25 as ClosedRange<UInt64> {
            var rng = Rng(seed: seed &* 7919)
            let sample = Self.randomSample(seed: seed + 1000)
            let base = try Self.load(folder, Self.csv(sample, style: Style(), rng: &rng))
            var style = Style()
            style.plain = false
            let text = Self.csv(sample, style: style, rng: &rng)
            let respelled = try Self.load(folder, text)
            #expect(respelled.schema.columns.map(\.type) == base.schema.columns.map(\.type), "seed \(seed)")
            #expect(Self.digests(respelled) == Self.digests(base), "seed \(seed): \(text.debugDescription)")
        }
        // The spellings the brief names, one by one, in a numeric and in a categorical column.
        let numeric = try Self.load(folder, "x,k\n1,a\n1.0,a\n1e0,a\n1.000,a\n+1,a\n10e-1,a\n-0,b\n0,b\n0.0,b\n-0.0e3,b\n")
        let d = Self.digests(numeric, ["x"])
        #expect(Set(d[0..<6]).count == 1)
        #expect(Set(d[6..<10]).count == 1)
        #expect(d[0] != d[6])
        let categorical = try Self.load(folder, "x,k\n1,a\n1.0,a\n1e0,a\n1.000,a\nword,a\n-0,b\n0,b\n")
        #expect(categorical.schema.columns.first?.type == .categorical)
        let c = Self.digests(categorical, ["x"])
        #expect(Set(c[0..<4]).count == 1)
        #expect(c[5] == c[6])
        #expect(Set([c[0], c[4], c[5]]).count == 3)
    }

    @Test func paddingDoesNotChangeDigests() throws {
        let folder = try TestFiles.Folder("digest")
        defer { folder.remove() }
        for seed in 1...25 as ClosedRange<UInt64> {
            var rng = Rng(seed: seed &* 31)
            let sample = Self.randomSample(seed: seed + 2000)
            let base = try Self.load(folder, Self.csv(sample, style: Style(), rng: &rng))
            var style = Style()
            style.padded = true
            let padded = try Self.load(folder, Self.csv(sample, style: style, rng: &rng))
            #expect(Self.digests(padded) == Self.digests(base), "seed \(seed)")
        }
    }

    @Test func rowOrderDoesNotChangeARecordsDigest() throws {
        let folder = try TestFiles.Folder("digest")
        defer { folder.remove() }
        for seed in 1...25 as ClosedRange<UInt64> {
            var rng = Rng(seed: seed &* 131)
            let sample = Self.randomSample(seed: seed + 3000)
            let base = try Self.load(folder, Self.csv(sample, style: Style(), rng: &rng))
            var style = Style()
            let order = Array(sample.rows.indices).shuffled(using: &rng)
            style.rowOrder = order
            let shuffled = try Self.load(folder, Self.csv(sample, style: style, rng: &rng))
            let a = Self.digests(base), b = Self.digests(shuffled)
            #expect(order.indices.allSatisfy { b[$0] == a[order[$0]] }, "seed \(seed)")
        }
    }

    @Test func theSameRecordHasTheSameDigestInEveryTable() throws {
        let folder = try TestFiles.Folder("digest")
        defer { folder.remove() }
        for seed in 1...15 as ClosedRange<UInt64> {
            var rng = Rng(seed: seed &* 17)
            let sample = Self.randomSample(seed: seed + 4000)
            // The synthetic table: the train records shuffled and mixed with other records, so its
            // dictionaries and codes differ; written with other spellings and another column order.
            var synthetic = sample
            let extra = (0..<rng.int(1...10)).map { _ in sample.kinds.map { Self.randomValue($0, rng: &rng) } }
            synthetic.rows = (sample.rows + extra).shuffled(using: &rng)
            var style = Style()
            style.plain = false
            style.columnOrder = Array(sample.names.indices).shuffled(using: &rng)
            // A mixed column may hold words in one table only: read it as categorical in both.
            let data = try folder.load(train: Self.csv(sample, style: Style(), rng: &rng),
                                       synthetic: Self.csv(synthetic, style: style, rng: &rng)) {
                $0.schemaPolicy.typeConflict = .warning
            }
            let train = Self.digests(data), synth = Self.digests(data, table: .synthetic)
            for (s, row) in synthetic.rows.enumerated() {
                for (t, trainRow) in sample.rows.enumerated() where trainRow == row {
                    #expect(synth[s] == train[t], "seed \(seed) synthetic row \(s) train row \(t)")
                }
            }
        }
    }

    // MARK: Sensitivity

    @Test func changingOneValueChangesThatRecordsDigestOnly() throws {
        let folder = try TestFiles.Folder("digest")
        defer { folder.remove() }
        var checked = 0
        for seed in 1...12 as ClosedRange<UInt64> {
            var rng = Rng(seed: seed &* 389)
            let sample = Self.randomSample(seed: seed + 5000)
            let base = try Self.load(folder, Self.csv(sample, style: Style(), rng: &rng))
            let before = Self.digests(base)
            for _ in 0..<6 {
                let r = rng.int(0...(sample.rows.count - 1)), c = rng.int(0...(sample.names.count - 1))
                var edited = sample
                edited.rows[r][c] = Self.changed(sample.rows[r][c], kind: sample.kinds[c], rng: &rng)
                let after = Self.digests(try Self.load(folder, Self.csv(edited, style: Style(), rng: &rng)))
                let what = "seed \(seed) row \(r) column \(c): \(sample.rows[r][c]) -> \(edited.rows[r][c])"
                #expect(after[r] != before[r], "\(what)")
                for other in before.indices where other != r {
                    #expect(after[other] == before[other], "\(what); row \(other) changed")
                }
                checked += 1
            }
        }
        #expect(checked == 72)
    }

    @Test func missingEmptyAndZeroAreDistinct() throws {
        let folder = try TestFiles.Folder("digest")
        defer { folder.remove() }
        // Numeric: missing differs from 0 (and from -0, which equals 0).
        let numeric = try Self.load(folder, "id,x\n1,0\n2,NA\n3,\n4,-0\n")
        #expect(numeric.schema.columns.first { $0.name == "x" }?.type == .numeric)
        let n = Self.digests(numeric, ["x"])
        #expect(n[0] != n[1])
        #expect(n[1] == n[2])
        #expect(n[0] == n[3])
        // Categorical with only "NA" missing: the empty string is a value, distinct from missing and "0".
        let categorical = try Self.load(folder, "id,x\n1,\n2,NA\n3,0\n4,x\n5,\"\"\n") { $0.inputs.missingValues = ["NA"] }
        #expect(categorical.schema.columns.first { $0.name == "x" }?.type == .categorical)
        let c = Self.digests(categorical, ["x"])
        #expect(Set([c[0], c[1], c[2], c[3]]).count == 4)
        #expect(c[0] == c[4])
        // A missing numeric and a missing label encode alike (both are "no value").
        let mixed = try Self.load(folder, "a,b\nNA,NA\n1,x\n")
        let byA = Self.digests(mixed, ["a"]), byB = Self.digests(mixed, ["b"])
        #expect(byA[0] != byB[0])   // the column names seed the digest
    }

    @Test func caseFoldingOption() throws {
        let folder = try TestFiles.Folder("digest")
        defer { folder.remove() }
        let text = "sex,dx\nF,Ä1\nf,ä1\nM,Ä1\n"
        let plain = try Self.load(folder, text)
        let p = Self.digests(plain)
        #expect(p[0] != p[1])
        #expect(Self.digests(plain, ["sex"])[0] != Self.digests(plain, ["sex"])[1])
        var configuration = ScanConfiguration()
        configuration.columns["sex"] = ColumnSettings(caseFold: true)
        configuration.columns["dx"] = ColumnSettings(caseFold: true)
        let folded = try Self.load(folder, text) { $0.columns = configuration.columns }
        let f = Self.digests(folded, configuration: configuration)
        #expect(f[0] == f[1])
        #expect(f[0] != f[2])
        #expect(TestFiles.dictionary(folded.train, "sex")?.labels == ["f", "m"])
        #expect(TestFiles.dictionary(folded.train, "dx")?.labels == ["ä1"])
    }

    @Test func roundingOption() throws {
        let folder = try TestFiles.Folder("digest")
        defer { folder.remove() }
        let data = try Self.load(folder, "x,y\n7.21,123\n7.24,118\n7.26,125\n-7.21,124\n-7.24,-118\n")
        var configuration = ScanConfiguration()
        configuration.columns["x"] = ColumnSettings(roundDigits: 1)
        configuration.columns["y"] = ColumnSettings(roundDigits: -1)
        let x = Self.digests(data, ["x"], configuration: configuration)
        #expect(x[0] == x[1])          // 7.2
        #expect(x[0] != x[2])          // 7.3
        #expect(x[3] == x[4])          // -7.2
        #expect(x[0] != x[3])
        let y = Self.digests(data, ["y"], configuration: configuration)
        #expect(y[0] == y[1])          // 120
        #expect(y[0] != y[2])          // 130 (half away from zero)
        #expect(y[3] == y[0])          // 120
        #expect(y[4] != y[1])          // -120
        // Without the option every value is its own.
        let raw = Self.digests(data, ["x"])
        #expect(Set(raw).count == 5)
        // Rounding never touches labels.
        let labels = try Self.load(folder, "x,k\n7.21,a\n7.24,a\nword,a\n")
        let l = Self.digests(labels, ["x"], configuration: configuration)
        #expect(l[0] != l[1])
    }

    @Test func digestsOverAColumnSubsetIgnoreOtherColumns() throws {
        let folder = try TestFiles.Folder("digest")
        defer { folder.remove() }
        for seed in 1...20 as ClosedRange<UInt64> {
            var rng = Rng(seed: seed &* 53)
            let sample = Self.randomSample(seed: seed + 6000, minColumns: 3)
            let keep = Array(Array(sample.names.indices).shuffled(using: &rng).prefix(rng.int(1...(sample.names.count - 1))))
            var other = sample
            for r in other.rows.indices {
                for c in other.names.indices where !keep.contains(c) {
                    other.rows[r][c] = Self.randomValue(sample.kinds[c], rng: &rng)
                }
            }
            let a = try Self.load(folder, Self.csv(sample, style: Style(), rng: &rng))
            let b = try Self.load(folder, Self.csv(other, style: Style(), rng: &rng))
            let names = keep.map { sample.names[$0] }
            #expect(Self.digests(a, names) == Self.digests(b, names), "seed \(seed) keep \(names)")
            // The order the subset is named in does not matter.
            #expect(Self.digests(a, names.reversed()) == Self.digests(a, names))
        }
    }

    @Test func differentColumnSetsGiveDifferentDigests() throws {
        let folder = try TestFiles.Folder("digest")
        defer { folder.remove() }
        // Columns a and b hold the same value in every row; c and d the same label.
        let data = try Self.load(folder, "a,b,c,d\n1,1,x,x\n2,2,y,y\nNA,NA,NA,NA\n")
        let a = Self.digests(data, ["a"]), b = Self.digests(data, ["b"])
        let c = Self.digests(data, ["c"]), d = Self.digests(data, ["d"])
        let ab = Self.digests(data, ["a", "b"]), abc = Self.digests(data, ["a", "b", "c"])
        for r in 0..<3 {
            #expect(Set([a[r], b[r], ab[r], abc[r]]).count == 4, "row \(r)")
            #expect(c[r] != d[r], "row \(r)")
        }
        // Column names are joined unambiguously: ["ab", "c"] is not ["a", "bc"].
        let split = try Self.load(folder, "ab,c,a,bc\n1,NA,1,NA\n")
        #expect(Self.digests(split, ["ab", "c"]) != Self.digests(split, ["a", "bc"]))
        #expect(RecordHasher(columns: ["b", "a"]).columnNames == ["a", "b"])
    }

    // MARK: Format and a known answer

    @Test func hexIsThirtyTwoLowerCaseDigits() throws {
        #expect(RecordDigest(high: 1, low: 0xABC).hex == "0000000000000001" + "0000000000000abc")
        #expect(RecordDigest(high: .max, low: 0).hex == "ffffffffffffffff0000000000000000")
        #expect(RecordDigest(high: 0x0123_4567_89AB_CDEF, low: 0xFEDC_BA98_7654_3210).description == "0123456789abcdeffedcba9876543210")
        #expect(RecordDigest(high: 1, low: 0) < RecordDigest(high: 1, low: 1))
        #expect(RecordDigest(high: 0, low: .max) < RecordDigest(high: 1, low: 0))
        let folder = try TestFiles.Folder("digest")
        defer { folder.remove() }
        let sample = Self.randomSample(seed: 99)
        var rng = Rng(seed: 99)
        for digest in Self.digests(try Self.load(folder, Self.csv(sample, style: Style(), rng: &rng))) {
            #expect(digest.hex.count == 32)
            #expect(digest.hex.allSatisfy { "0123456789abcdef".contains($0) })
        }
    }

    /// Pins the canonical record encoding (tags, IEEE-754 little-endian numbers, XXH3-128 of label
    /// bytes, the column-name seed) and XXH3-128 itself. The hex values were computed once, outside
    /// synthscan, by a small C program against libxxhash that builds the encoding exactly as
    /// `RecordHasher` documents it (seed = XXH3-64 of "age\0dx\0sex\0when\0"; per column 0x00 for
    /// missing, 0x01 + f64 LE bits, or 0x02 + XXH3-128(label) low64 LE, high64 LE; digest =
    /// XXH3-128 with that seed; hex = high then low) — and they agreed with synthscan's output.
    /// If this test fails, digests changed: every stored fingerprint and cross-release comparison
    /// changes with them, so change the encoding only on purpose.
    @Test func knownAnswer() throws {
        let folder = try TestFiles.Folder("digest")
        defer { folder.remove() }
        let data = try Self.load(folder, "age,sex,dx,when\n30,F,E11.9,2021-03-04\nNA,m,,2021-03-04T05:06:07Z\n-0.5,é,I10,\n")
        #expect(data.schema.columns.map(\.type) == [.numeric, .categorical, .categorical, .datetime])
        let all = Self.digests(data).map(\.hex)
        let age = Self.digests(data, ["age"]).map(\.hex)
        let sexDx = Self.digests(data, ["sex", "dx"]).map(\.hex)
        #expect(all == Self.knownAll, "\(all)")
        #expect(age == Self.knownAge, "\(age)")
        #expect(sexDx == Self.knownSexDx, "\(sexDx)")
    }

    static let knownAll = ["8965ef031a6f7b199b030d4f0ab805f4", "efabd50970aba72557c594bf0eed4d44", "42731831e46ba38ea1fefc5d2e06d1fb"]
    static let knownAge = ["11b2d66b3325a660daf35495694c983a", "a2deee81995e940f392bfa8b82c35bf8", "64bb956901c8d595825e780c0abfd5e3"]
    static let knownSexDx = ["443af1b74053b58854d9b7454a11e94e", "2f0b2a602e9968c9f119e6b39e6b9fa9", "7caa06f07d841ff168d63784894a6043"]
}
