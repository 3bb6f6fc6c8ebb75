import Foundation
import Testing
@testable import SynthScanCore

/// Tests of the small support types: SHA-256, file globs and pack versions / version ranges.
@Suite("SupportTests")
struct SupportTests {

    // MARK: - SHA-256 (FIPS 180-4)

    /// SHA-256 against the NIST example vectors and padding-boundary lengths.
    @Suite("SHA256")
    struct SHA256Tests {
        /// One known digest.
        struct Vector: Sendable, CustomStringConvertible {
            let name: String
            let message: [UInt8]
            let hex: String
            var description: String { name }
        }

        /// The FIPS 180-4 / NIST CSRC example vectors, plus lengths around the padding boundary
        /// (55, 56, 63, 64, 65, 119, 120 bytes of 'a'; digests from GNU coreutils sha256sum).
        static let vectors: [Vector] = [
            Vector(name: "empty", message: [],
                   hex: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            Vector(name: "abc", message: Array("abc".utf8),
                   hex: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            Vector(name: "448-bit", message: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8),
                   hex: "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
            Vector(name: "896-bit",
                   message: Array(("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                                   + "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu").utf8),
                   hex: "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
            Vector(name: "55 a", message: [UInt8](repeating: 0x61, count: 55),
                   hex: "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
            Vector(name: "56 a", message: [UInt8](repeating: 0x61, count: 56),
                   hex: "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
            Vector(name: "63 a", message: [UInt8](repeating: 0x61, count: 63),
                   hex: "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
            Vector(name: "64 a", message: [UInt8](repeating: 0x61, count: 64),
                   hex: "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
            Vector(name: "65 a", message: [UInt8](repeating: 0x61, count: 65),
                   hex: "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
            Vector(name: "119 a", message: [UInt8](repeating: 0x61, count: 119),
                   hex: "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"),
            Vector(name: "120 a", message: [UInt8](repeating: 0x61, count: 120),
                   hex: "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"),
        ]

        @Test("known digests", arguments: vectors)
        func knownDigest(_ vector: Vector) {
            #expect(SHA256.hex(SHA256.digest(vector.message)) == vector.hex)
            #expect(SHA256.digest(vector.message).count == 32)
        }

        @Test("one million 'a' (FIPS 180-4 long message), fed in uneven pieces")
        func millionA() {
            let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
            let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
            #expect(SHA256.hex(SHA256.digest(message)) == expected)
            var hasher = SHA256.Hasher()
            var offset = 0, step = 1
            while offset < message.count {
                let end = min(message.count, offset + step)
                hasher.update(Array(message[offset..<end]))
                offset = end
                step = step * 3 % 9_973 + 1
            }
            #expect(SHA256.hex(hasher.finalize()) == expected)
        }

        @Test("a non-contiguous sequence digests like its array")
        func nonContiguousSequence() {
            let bytes = (0..<300).lazy.map { UInt8(truncatingIfNeeded: $0 &* 7) }
            #expect(SHA256.digest(bytes) == SHA256.digest(Array(bytes)))
            #expect(SHA256.hexDigest(of: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        }

        @Test("incremental updates split at every offset 0...130 equal the one-shot digest")
        func splitAtEveryOffset() {
            let message = (0..<130).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 11) }
            let expected = SHA256.digest(message)
            for split in 0...130 {
                var hasher = SHA256.Hasher()
                hasher.update(Array(message[..<split]))
                message[split...].withUnsafeBytes { hasher.update($0) }
                #expect(hasher.finalize() == expected, "split at \(split)")
            }
            // Three pieces, including empty updates.
            for a in stride(from: 0, through: 130, by: 13) {
                for b in stride(from: a, through: 130, by: 7) {
                    var hasher = SHA256.Hasher()
                    hasher.update([])
                    hasher.update(Array(message[..<a]))
                    hasher.update(Array(message[a..<b]))
                    hasher.update(UnsafeRawBufferPointer(start: nil, count: 0))
                    hasher.update(Array(message[b...]))
                    #expect(hasher.finalize() == expected, "splits at \(a), \(b)")
                }
            }
        }

        @Test("finalize resets the hasher")
        func finalizeResets() {
            var hasher = SHA256.Hasher()
            hasher.update(Array("abc".utf8))
            _ = hasher.finalize()
            #expect(SHA256.hex(hasher.finalize()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        }

        @Test("hex is lower-case, two digits per byte")
        func hexFormatting() {
            #expect(SHA256.hex([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
            #expect(SHA256.hex([UInt8]()) == "")
        }

        @Test("hexDigest(ofFile:) streams a multi-chunk file")
        func fileDigest() throws {
            let folder = FileManager.default.temporaryDirectory
                .appendingPathComponent("synthscan-sha256-tests-\(UUID().uuidString)", isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }

            // 3 MiB + 17 bytes: three full chunks and a partial one.
            let size = 3 * SHA256.fileChunkByteCount + 17
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }
            let big = folder.appendingPathComponent("big.bin")
            try Data(bytes).write(to: big)
            #expect(try SHA256.hexDigest(ofFile: big.path) == SHA256.hex(SHA256.digest(bytes)))

            let small = folder.appendingPathComponent("abc.txt")
            try Data("abc".utf8).write(to: small)
            #expect(try SHA256.hexDigest(ofFile: small.path)
                    == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")

            let empty = folder.appendingPathComponent("empty")
            try Data().write(to: empty)
            #expect(try SHA256.hexDigest(ofFile: empty.path)
                    == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        }

        @Test("file errors name the path")
        func fileErrors() throws {
            let missing = "/nonexistent-synthscan-dir/pack.yaml"
            let openError = #expect(throws: FileDigestError.self) { try SHA256.hexDigest(ofFile: missing) }
            if case .cannotOpen(let path, _) = openError {
                #expect(path == missing)
            } else {
                Issue.record("expected cannotOpen, got \(String(describing: openError))")
            }
            #expect(openError?.description.contains(missing) == true)
            // A directory opens but cannot be read.
            let folder = FileManager.default.temporaryDirectory.path
            let readError = #expect(throws: FileDigestError.self) { try SHA256.hexDigest(ofFile: folder) }
            #expect(readError?.description.contains(folder) == true)
        }
    }

    // MARK: - GlobPattern

    /// File-selection globs.
    @Suite("GlobPattern")
    struct GlobPatternTests {
        /// A pattern, a path and whether it should match.
        struct Case: Sendable, CustomStringConvertible {
            let pattern: String
            let path: String
            let expected: Bool
            init(_ pattern: String, _ path: String, _ expected: Bool) {
                self.pattern = pattern
                self.path = path
                self.expected = expected
            }
            var description: String { "\(pattern) ~ \(path) = \(expected)" }
        }

        static let cases: [Case] = [
            // `**` as a whole segment: zero or more segments.
            Case("rules/**/*.yaml", "rules/a.yaml", true),
            Case("rules/**/*.yaml", "rules/x/a.yaml", true),
            Case("rules/**/*.yaml", "rules/x/y/a.yaml", true),
            Case("rules/**/*.yaml", "rules/a.yml", false),
            Case("rules/**/*.yaml", "other/rules/a.yaml", false),
            Case("rules/**/*.yaml", "rules", false),
            Case("**/*.yaml", "a.yaml", true),
            Case("**/*.yaml", "deep/er/a.yaml", true),
            Case("**/*.yaml", "deep/er/a.yaml/x", false),
            Case("rules/**", "rules/a", true),
            Case("rules/**", "rules/x/y/z", true),
            Case("rules/**", "rules", true),
            Case("rules/**", "rulesx/a", false),
            Case("a/**/b/**/c", "a/b/c", true),
            Case("a/**/b/**/c", "a/x/b/y/z/c", true),
            Case("a/**/b/**/c", "a/x/y/c", false),
            Case("a/**/**/b", "a/b", true),
            // `*`: any run except '/'.
            Case("*.yaml", "a.yaml", true),
            Case("*.yaml", ".yaml", true),
            Case("*.yaml", "x/a.yaml", false),
            Case("rules/*.yaml", "rules/a.yaml", true),
            Case("rules/*.yaml", "rules/x/a.yaml", false),
            Case("rules/*", "rules/a.yaml", true),
            Case("r*s/*", "rules/a", true),
            Case("*a*b", "xaxxb", true),
            Case("*a*b", "xaxxbc", false),
            Case("a*", "a", true),
            // `?`: exactly one character except '/'.
            Case("rule?.yaml", "rule1.yaml", true),
            Case("rule?.yaml", "rule.yaml", false),
            Case("rule?.yaml", "rule10.yaml", false),
            Case("a?b", "a/b", false),
            Case("d?.yaml", "dé.yaml", true),
            // Literal segments.
            Case("pack.yaml", "pack.yaml", true),
            Case("pack.yaml", "Pack.yaml", false),
            Case("pack.yaml", "x/pack.yaml", false),
            Case("rules/[a].yaml", "rules/[a].yaml", true),
            // `.` segments are ignored in patterns and paths; `..`/absolute paths never match.
            Case("./rules/*.yaml", "rules/a.yaml", true),
            Case("rules/*.yaml", "./rules/a.yaml", true),
            Case("**/*.yaml", "../a.yaml", false),
            Case("**/*.yaml", "/etc/a.yaml", false),
            Case("*/a.yaml", "../a.yaml", false),
        ]

        @Test("matching", arguments: cases)
        func matching(_ c: Case) throws {
            let glob = try GlobPattern(c.pattern)
            #expect(glob.matches(c.path) == c.expected)
        }

        @Test("isLiteral is true exactly when there is no wildcard")
        func literal() throws {
            #expect(try GlobPattern("pack.yaml").isLiteral)
            #expect(try GlobPattern("rules/core/exact-copy.yaml").isLiteral)
            #expect(try !GlobPattern("rules/*.yaml").isLiteral)
            #expect(try !GlobPattern("rule?.yaml").isLiteral)
            #expect(try !GlobPattern("rules/**/a.yaml").isLiteral)
            #expect(try GlobPattern("rules/*.yaml").description == "rules/*.yaml")
        }

        @Test("invalid patterns are rejected with messages for humans")
        func invalid() {
            let cases: [(String, GlobPatternError, String)] = [
                ("", .empty, "empty file pattern"),
                (".", .empty, "empty file pattern"),
                ("/rules/*.yaml", .absolute(pattern: "/rules/*.yaml"), "is absolute"),
                ("../x/*.yaml", .parentSegment(pattern: "../x/*.yaml"), "contains '..'"),
                ("rules/../../x", .parentSegment(pattern: "rules/../../x"), "outside the pack folder"),
                ("a**b", .doubleStarInSegment(pattern: "a**b", segment: "a**b"), "'**' must be a whole path segment"),
                ("rules/**.yaml", .doubleStarInSegment(pattern: "rules/**.yaml", segment: "**.yaml"), "found '**.yaml'"),
                ("***", .doubleStarInSegment(pattern: "***", segment: "***"), "whole path segment"),
                ("a//b", .emptySegment(pattern: "a//b"), "empty path segment"),
                ("rules/", .emptySegment(pattern: "rules/"), "empty path segment"),
                ("rules\\*.yaml", .backslash(pattern: "rules\\*.yaml"), "separate folders with '/'"),
            ]
            for (text, expected, phrase) in cases {
                do {
                    _ = try GlobPattern(text)
                    Issue.record("'\(text)' should be rejected")
                } catch {
                    #expect(error == expected, "\(text)")
                    #expect(error.description.contains(phrase), "\(error.description)")
                }
            }
        }

        @Test("no exponential blow-up on many stars and many ** segments")
        func linearTime() throws {
            let stars = try GlobPattern(String(repeating: "*a", count: 30) + "*b")
            let name = String(repeating: "a", count: 5_000)
            #expect(!stars.matches(name))
            #expect(stars.matches(name + "b"))

            let segments = try GlobPattern(Array(repeating: "**/x", count: 20).joined(separator: "/") + "/y")
            let path = Array(repeating: "x", count: 400).joined(separator: "/")
            #expect(!segments.matches(path))
            #expect(segments.matches(path + "/y"))
        }
    }

    // MARK: - PackVersion (SemVer 2.0.0)

    /// Pack versions and version ranges.
    @Suite("PackVersion")
    struct PackVersionTests {
        @Test("valid versions parse and print back")
        func valid() throws {
            for text in ["0.0.0", "1.2.3", "10.20.30", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-0.3.7",
                         "1.0.0-x.7.z.92", "1.0.0-x-y-z.--", "1.0.0+20130313144700", "1.0.0-beta+exp.sha.5114f85",
                         "1.0.0+21AF26D3----117B344092BD", "2.0.0-rc.1+build.123", "1.0.0-0A.is.legal"] {
                let v = try #require(PackVersion(text), "\(text)")
                #expect(v.description == text)
            }
            let v = try #require(PackVersion("2.0.1-rc.1+build.7"))
            #expect(v.major == 2 && v.minor == 0 && v.patch == 1)
            #expect(v.preRelease == ["rc", "1"] && v.build == ["build", "7"] && v.isPreRelease)
            #expect(PackVersion(major: 1, minor: 4, patch: 0).description == "1.4.0")
        }

        @Test("invalid versions are rejected (strict)")
        func invalid() {
            for text in ["", "1", "1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.03", "v1.2.3", " 1.2.3", "1.2.3 ",
                         "-1.2.3", "1.-2.3", "1.2.3-", "1.2.3-01", "1.2.3-alpha..1", "1.2.3-alpha.01", "1.2.3+",
                         "1.2.3+a..b", "1.2.3-a_b", "1.2.3-é", "1..3", "a.b.c", "1.2.x", "+1.2.3",
                         "99999999999999999999.0.0"] {
                #expect(PackVersion(text) == nil, "'\(text)' should be rejected")
            }
        }

        @Test("precedence follows SemVer §11")
        func precedence() throws {
            let chain = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
                         "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0-0", "2.0.0",
                         "2.1.0", "2.1.1", "10.0.0"]
            let versions = try chain.map { try #require(PackVersion($0)) }
            for i in versions.indices {
                for j in versions.indices {
                    #expect((versions[i] < versions[j]) == (i < j), "\(chain[i]) vs \(chain[j])")
                    #expect((versions[i] == versions[j]) == (i == j), "\(chain[i]) vs \(chain[j])")
                }
            }
            #expect(versions.shuffled().sorted() == versions)
            // Numeric identifiers compare as numbers even past 64 bits.
            let long = try #require(PackVersion("1.0.0-99999999999999999999"))
            let longer = try #require(PackVersion("1.0.0-100000000000000000000"))
            #expect(long < longer)
            let numeric = try #require(PackVersion("1.0.0-999"))
            let alphanumeric = try #require(PackVersion("1.0.0-a"))
            #expect(numeric < alphanumeric)
        }

        @Test("build metadata is ignored for equality, hashing and order")
        func buildMetadata() throws {
            let a = try #require(PackVersion("1.0.0+a"))
            let b = try #require(PackVersion("1.0.0+b.2"))
            #expect(a == b)
            #expect(!(a < b) && !(b < a))
            #expect(Set([a, b]).count == 1)
            #expect(a.description == "1.0.0+a")
        }

        /// A range, a version and whether the version is in the range.
        struct RangeCase: Sendable, CustomStringConvertible {
            let range: String
            let version: String
            let expected: Bool
            init(_ range: String, _ version: String, _ expected: Bool) {
                self.range = range
                self.version = version
                self.expected = expected
            }
            var description: String { "\(version) in \(range) = \(expected)" }
        }

        static let rangeCases: [RangeCase] = [
            // Exact and partial versions.
            RangeCase("1.2.3", "1.2.3", true),
            RangeCase("1.2.3", "1.2.4", false),
            RangeCase("=1.2.3", "1.2.3", true),
            RangeCase("= 1.2.3", "1.2.3", true),
            RangeCase("1.2.3", "1.2.3+build.9", true),
            RangeCase("1.2.3+build.1", "1.2.3", true),
            RangeCase("1.2", "1.2.9", true),
            RangeCase("1.2", "1.3.0", false),
            RangeCase("1", "1.9.0", true),
            // Caret.
            RangeCase("^1.2.3", "1.2.3", true),
            RangeCase("^1.2.3", "1.9.9", true),
            RangeCase("^1.2.3", "2.0.0", false),
            RangeCase("^1.2.3", "1.2.2", false),
            RangeCase("^1.2", "1.2.0", true),
            RangeCase("^1.2", "1.1.9", false),
            RangeCase("^1", "1.99.0", true),
            RangeCase("^1", "2.0.0", false),
            RangeCase("^0.2.3", "0.2.3", true),
            RangeCase("^0.2.3", "0.2.9", true),
            RangeCase("^0.2.3", "0.3.0", false),
            RangeCase("^0.2.3", "0.2.2", false),
            RangeCase("^0.0.3", "0.0.3", true),
            RangeCase("^0.0.3", "0.0.4", false),
            RangeCase("^0.0", "0.0.9", true),
            RangeCase("^0.0", "0.1.0", false),
            RangeCase("^0", "0.9.9", true),
            RangeCase("^0", "1.0.0", false),
            // Tilde.
            RangeCase("~1.2.3", "1.2.9", true),
            RangeCase("~1.2.3", "1.3.0", false),
            RangeCase("~1.2.3", "1.2.2", false),
            RangeCase("~1.2", "1.2.0", true),
            RangeCase("~1.2", "1.3.0", false),
            RangeCase("~1", "1.9.0", true),
            RangeCase("~1", "2.0.0", false),
            RangeCase("~0.2.3", "0.2.9", true),
            // Comparators, AND and OR.
            RangeCase(">=0.1", "0.1.0", true),
            RangeCase(">=0.1", "0.0.9", false),
            RangeCase(">=0.1 <1.0", "0.9.9", true),
            RangeCase(">=0.1 <1.0", "1.0.0", false),
            RangeCase(">= 1.2 < 2", "1.5.0", true),
            RangeCase(">1.2", "1.2.9", false),
            RangeCase(">1.2", "1.3.0", true),
            RangeCase(">1", "1.9.9", false),
            RangeCase(">1", "2.0.0", true),
            RangeCase(">1.2.3", "1.2.4", true),
            RangeCase(">1.2.3", "1.2.3", false),
            RangeCase("<=1.2", "1.2.9", true),
            RangeCase("<=1.2", "1.3.0", false),
            RangeCase("<=1.2.3", "1.2.3", true),
            RangeCase("<1.2.3", "1.2.3", false),
            RangeCase("<1.2.3", "1.2.2", true),
            RangeCase(">=1.0.0 <=1.0.0", "1.0.0", true),
            RangeCase("*", "0.0.1", true),
            RangeCase("*", "99.0.0", true),
            RangeCase("^1 || ^3", "3.1.0", true),
            RangeCase("^1 || ^3", "2.1.0", false),
            RangeCase("^1||^3", "1.0.0", true),
            RangeCase("<0.5 || >=2 <3", "2.5.0", true),
            RangeCase("<0.5 || >=2 <3", "1.0.0", false),
            // Pre-releases: only with a pre-release comparator on the same MAJOR.MINOR.PATCH.
            RangeCase("*", "1.0.0-alpha", false),
            RangeCase("^1.2.3", "1.2.4-alpha", false),
            RangeCase("^1.2.3-beta.2", "1.2.3-beta.4", true),
            RangeCase("^1.2.3-beta.2", "1.2.3-beta.1", false),
            RangeCase("^1.2.3-beta.2", "1.2.4-beta", false),
            RangeCase("^1.2.3-beta.2", "1.2.3", true),
            RangeCase("^1.2.3-beta.2", "1.9.0", true),
            RangeCase(">=1.0.0-beta <1.0.0", "1.0.0-rc.1", true),
            RangeCase(">1.0.0-alpha", "1.0.0-alpha.1", true),
            RangeCase("^1.2", "2.0.0-alpha", false),
            RangeCase("<1.0", "1.0.0-beta", false),
            RangeCase("<1.0.0", "0.9.0-beta", false),
            RangeCase(">=1.2.3 || >=2.0.0-rc.1", "2.0.0-rc.2", true),
            RangeCase(">=1.2.3-alpha || ^3", "3.0.0-alpha", false),
            RangeCase("=1.2.3-rc.1", "1.2.3-rc.1", true),
            RangeCase("1.2.3-rc.1", "1.2.3-rc.2", false),
            RangeCase("~1.2.3-beta", "1.2.3-rc", true),
            RangeCase("^0.0", "0.0.0-alpha", false),
        ]

        @Test("range membership", arguments: rangeCases)
        func rangeMembership(_ c: RangeCase) throws {
            let range = try PackVersionRange(c.range)
            let version = try #require(PackVersion(c.version))
            #expect(range.contains(version) == c.expected)
        }

        @Test("range description is the trimmed text")
        func rangeDescription() throws {
            #expect(try PackVersionRange("  ^1.2 || ~2.0\n").description == "^1.2 || ~2.0")
        }

        @Test("range parse errors name the part and the problem")
        func rangeErrors() {
            let cases: [(range: String, part: String, phrase: String)] = [
                ("", "", "the range is empty"),
                ("   ", "", "the range is empty"),
                ("^1.x", "^1.x", "wildcard 'x' in the minor version is not supported; leave the part out: write '^1'"),
                (">=1 ^1.x", "^1.x", "wildcard 'x'"),
                ("1.2.3.4", "1.2.3.4", "more than three parts"),
                (">=", ">=", "a version is missing after the operator"),
                ("^1 ||", "^1 ||", "an alternative around '||' is empty"),
                ("|| ^1", "|| ^1", "an alternative around '||' is empty"),
                ("~>1.2", "~>1.2", "operator '~' is followed by another operator"),
                ("v1.2.3", "v1.2.3", "remove the 'v' prefix"),
                ("1.2.3 - 2.0.0", "-", "hyphen ranges are not supported"),
                ("^01.2", "^01.2", "major version '01' has a leading zero"),
                (">=1.02", ">=1.02", "minor version '02' has a leading zero"),
                ("1.2.3-", "1.2.3-", "has an empty identifier"),
                (">=1.2-beta", ">=1.2-beta", "a pre-release needs a full MAJOR.MINOR.PATCH version"),
                ("<*", "<*", "'*' cannot follow '<'"),
                ("^abc", "^abc", "major version 'abc' is not a number"),
                ("1..2", "1..2", "the minor version is missing"),
                ("^99999999999999999999", "^99999999999999999999", "too large"),
            ]
            for c in cases {
                do {
                    _ = try PackVersionRange(c.range)
                    Issue.record("'\(c.range)' should be rejected")
                } catch {
                    #expect(error.part == c.part, "\(c.range): \(error)")
                    #expect(error.description.contains(c.phrase), "\(c.range): \(error)")
                    #expect(error.description.contains("is not a version range"), "\(error)")
                }
            }
            // The message quotes the offending part, and the whole range when they differ.
            #expect(throws: PackVersionRangeError.self) { try PackVersionRange("^1.x") }
            do {
                _ = try PackVersionRange("^1.x")
            } catch {
                #expect(error.description.hasPrefix("'^1.x' is not a version range: "))
            }
            do {
                _ = try PackVersionRange(">=1 ^1.x")
            } catch {
                #expect(error.description.hasPrefix("'>=1 ^1.x' is not a version range: in '^1.x', "))
            }
        }
    }
}
