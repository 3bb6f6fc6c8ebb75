import CXXHash
import Foundation
import Testing
@testable import SynthScanCore

/// The `release:` config section, the card model, its renderings and the comparison `card verify` uses.
@Suite("ReleaseCardTests")
struct ReleaseCardTests {

    // MARK: release: section

    static let fullRelease = """
        release:
          name: readmissions-2026q4
          description: Synthetic readmissions table.
          generator:
            name: CTGAN
            version: 0.10.1
            parameters: { epochs: 300, batch_size: 500, pac: 10 }
          privacy_budget: { epsilon: 1.5, delta: 1e-6, mechanism: Gaussian }
          training_data: Adult admissions 2019-2023, one record per patient.
          intended_use: Method development; not for clinical decisions.
          governance:
            reviewers: [privacy-office, data-steward]
            decision: approved
            decided_on: 2026-11-29
            expires_on: "2027-11-29"

        """

    @Test func releaseSectionLoadsEveryField() throws {
        let config = try ScanConfigurationLoader.parse(Self.fullRelease, file: "synthscan.yaml")
        let release = try #require(config.release)
        #expect(release.name == "readmissions-2026q4")
        #expect(release.generator == GeneratorDescription(name: "CTGAN", version: "0.10.1", parameters: [
            NamedText(name: "batch_size", value: "500"), NamedText(name: "epochs", value: "300"), NamedText(name: "pac", value: "10"),
        ]))
        #expect(release.privacyBudget == PrivacyBudget(epsilon: 1.5, delta: 1e-6, mechanism: "Gaussian"))
        #expect(release.trainingData == "Adult admissions 2019-2023, one record per patient.")
        #expect(release.intendedUse == "Method development; not for clinical decisions.")
        #expect(release.governance == ReleaseGovernance(reviewers: ["privacy-office", "data-steward"], decision: "approved",
                                                        decidedOn: "2026-11-29", expiresOn: "2027-11-29"))
    }

    /// Each problem as `line:column [code]`.
    static func problems(_ yaml: String) -> [String] {
        do {
            _ = try ScanConfigurationLoader.parse(yaml, file: "synthscan.yaml")
            return []
        } catch {
            return error.diagnostics.map { "\($0.line ?? 0):\($0.column ?? 0) [\($0.code)] \($0.message)" }
        }
    }

    @Test func unknownKeysInsideReleaseAreErrorsWithTheirPosition() {
        let yaml = "seed: 1\nrelease:\n  name: x\n  generater: {name: y}\n  governance:\n    reviewer: [a]\n    decision: approved\n"
        let found = Self.problems(yaml)
        #expect(found.count == 2, "\(found)")
        #expect(found.first?.hasPrefix("4:3 [unknown-key] unknown key 'generater' in 'release' (did you mean 'generator'?)") == true, "\(found)")
        #expect(found.last?.hasPrefix("6:5 [unknown-key] unknown key 'reviewer' in 'release.governance' (did you mean 'reviewers'?)") == true, "\(found)")
    }

    @Test func datesDecisionsAndBudgetsAreChecked() {
        let yaml = """
            release:
              privacy_budget: { epsilon: 0, delta: 1 }
              governance:
                decision: maybe
                decided_on: 2026-02-30
                expires_on: 2025-13-01
            """
        let found = Self.problems(yaml)
        #expect(found.count == 5, "\(found)")
        #expect(found.contains { $0.hasPrefix("2:30 [invalid-value]") && $0.contains("epsilon") })
        #expect(found.contains { $0.hasPrefix("2:40 [invalid-value]") && $0.contains("delta") })
        #expect(found.contains { $0.hasPrefix("4:15 [invalid-value]") && $0.contains("approved") })
        #expect(found.contains { $0.hasPrefix("5:17 [invalid-value] invalid value '2026-02-30'") })
        #expect(found.contains { $0.hasPrefix("6:17 [invalid-value] invalid value '2025-13-01'") })
        let backwards = Self.problems("release:\n  governance: { decided_on: 2026-11-29, expires_on: 2026-11-28 }\n")
        #expect(backwards.count == 1 && backwards[0].contains("not before decided_on (2026-11-29)"), "\(backwards)")
    }

    @Test func calendarDatesKnowLeapYears() {
        #expect(CalendarDate.isValid("2024-02-29"))
        #expect(!CalendarDate.isValid("2026-02-29"))
        #expect(!CalendarDate.isValid("2100-02-29"))
        #expect(CalendarDate.isValid("2000-02-29"))
        #expect(!CalendarDate.isValid("2026-04-31"))
        #expect(!CalendarDate.isValid("26-04-01"))
        #expect(!CalendarDate.isValid("2026-4-01"))
    }

    @Test func initScaffoldReadsBackAsAnEmptyRelease() throws {
        let config = try ScanConfigurationLoader.parse("seed: 1\n" + ConfigProposalWriter.releaseScaffold, file: "synthscan.yaml")
        let release = try #require(config.release)
        #expect(release.name == nil && release.trainingData == nil && release.privacyBudget == nil)
        #expect(release.governance?.decision == "pending")
        #expect(ReleaseCardBuilder.creation(release) == CardCreation(), "an untouched scaffold states nothing")
    }

    // MARK: Card model

    static let digests: [String: FileDigest] = [
        "data/train.csv": FileDigest(bytes: 51_200, sha256: String(repeating: "a", count: 64), xxh3: String(repeating: "1", count: 32)),
        "data/holdout.csv": FileDigest(bytes: 25_600, sha256: String(repeating: "b", count: 64), xxh3: String(repeating: "2", count: 32)),
        "data/synth.csv": FileDigest(bytes: 15_360, sha256: String(repeating: "c", count: 64), xxh3: String(repeating: "3", count: 32)),
    ]

    static func builder(_ digests: [String: FileDigest] = digests) -> ReleaseCardBuilder {
        var builder = ReleaseCardBuilder()
        builder.digest = { path in digests[path]! }
        return builder
    }

    static func configuration() throws -> ScanConfiguration {
        var config = try ScanConfigurationLoader.parse(fullRelease, file: "synthscan.yaml")
        config.roles.identifiers = ["mrn"]
        config.roles.protected = ["sex"]
        return config
    }

    static func card(_ result: ScanResult = ReportTests.sample(), at seconds: TimeInterval = 1_772_357_500,
                     digests: [String: FileDigest] = digests) throws -> ReleaseCard {
        try builder(digests).build(result, configuration: try configuration(), generatedAt: Date(timeIntervalSince1970: seconds))
    }

    @Test func cardRecordsFilesCreationEvaluationAndGovernance() throws {
        var result = ReportTests.sample()
        result.outcomes[1].findings[0].suppression = Waiver(ruleID: "privacy/exact-copy", fingerprints: ["3f2a9c1b0d4e5f60"],
                                                            reason: "Reviewed: a common presentation.", approvedBy: "privacy-office",
                                                            expires: "2027-03-31", pack: "suppressions", file: "/abs/path/accepted.yaml", line: 3)
        let unused = Waiver(ruleID: "privacy/us-ssn", fingerprints: [], reason: "No SSN column exists.", approvedBy: nil, expires: nil,
                            pack: "acme/policy", file: "/packs/acme/pack.yaml", line: 12)
        let card = try Self.builder().build(result, configuration: try Self.configuration(), waivers: [unused],
                                            generatedAt: Date(timeIntervalSince1970: 1_772_357_500))
        #expect(card.format == "synthscan-release-card" && card.cardVersion == 1)
        #expect(card.generatedAt == "2026-03-01T09:31:40Z")
        #expect(card.released.files.map(\.role) == ["synthetic", "train", "holdout"])
        #expect(card.released.file(.synthetic) == CardFile(role: "synthetic", name: "synth.csv", format: "csv", bytes: 15_360, rows: 300,
                                                           columns: 6, sha256: String(repeating: "c", count: 64), xxh3: String(repeating: "3", count: 32)))
        #expect(card.creation.generator?.name == "CTGAN")
        #expect(card.creation.privacyBudget?.epsilon == 1.5)
        let e = card.evaluation
        #expect(e.tool == CardTool(name: "synthscan", version: "0.1.0"))
        #expect(e.seed == 20_261_129)
        #expect(e.intendedUse == "Method development; not for clinical decisions.")
        #expect(e.settings.identifiers == ["mrn"] && e.settings.failOn == "error")
        #expect(e.rules.map(\.id) == ["bias/outcome-disparity-amplification", "privacy/exact-copy"], "sorted by id")
        let copy = e.rules[1]
        #expect(copy.status == "fail" && copy.level == "error" && copy.findings == 3 && copy.waivedFindings == 1 && !copy.waived)
        #expect(copy.parameters == [NamedText(name: "compare", value: "all"), NamedText(name: "max_share", value: "0")])
        #expect(copy.figures == [CardFigure(key: "exact_copies_train", value: nil, note: "<11"),
                                 CardFigure(key: "exact_copy_share_train", value: 0.01), CardFigure(key: "exact_copies_holdout", value: 0)])
        #expect(e.rules[0].figures.last == CardFigure(key: "q_value", value: nil, note: "NaN"))
        #expect(e.summary == CardSummary(rules: 2, passed: 1, failed: 1, skipped: 0, findings: 3, gateFailed: true))
        #expect(card.governance.decision == "approved" && card.governance.reviewers == ["privacy-office", "data-steward"])
        #expect(card.governance.waivers == [CardWaiver(rule: "privacy/exact-copy", grantedBy: "suppressions", source: "accepted.yaml:3",
                                                       scope: "findings 3f2a9c1b0d4e5f60", justification: "Reviewed: a common presentation.",
                                                       owner: "privacy-office", expires: "2027-03-31", findingsWaived: 1),
                                            CardWaiver(rule: "privacy/us-ssn", grantedBy: "acme/policy", source: "pack.yaml:12", scope: "whole rule",
                                                       justification: "No SSN column exists.", owner: nil, expires: nil, findingsWaived: 0)])
    }

    @Test func smallCountsAreWithheldButSharesAndStructureCountsAreNot() {
        #expect(CardFigure(Measurement("near_copies", 3)) == CardFigure(key: "near_copies", value: nil, note: "<11"))
        #expect(CardFigure(Measurement("apparent_full_matches_holdout", 10)).note == "<11")
        #expect(CardFigure(Measurement("apparent_full_matches_holdout", 11)).value == 11)
        #expect(CardFigure(Measurement("exact_copies_train", 0)).value == 0)
        #expect(CardFigure(Measurement("real_unique_share", 1)).value == 1)
        #expect(CardFigure(Measurement("columns_checked", 1)).value == 1)
        #expect(CardFigure(Measurement("cells_judged", 4)).value == 4)
        #expect(CardFigure(Measurement("epsilon_ratio", 2)).value == 2)
        #expect(CardFigure(Measurement("mia_auc", .infinity)).note == "inf")
    }

    @Test func jsonRoundTripsAndTheDigestCoversTheEvaluation() throws {
        let card = try Self.card()
        let bytes = try ReleaseCardCoding.json(card)
        let decoded = try ReleaseCardCoding.decode(Data(bytes), file: "card.json")
        #expect(decoded == card)
        #expect(try ReleaseCardCoding.json(decoded) == bytes, "decoding and encoding again gives the same bytes")
        #expect(try ReleaseCardCoding.digest(of: decoded.evaluation) == card.evaluationDigest)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasSuffix("}\n"))
        #expect(text.range(of: "\"card_version\" : 1") != nil)
        let top = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(Set(top.keys) == ["format", "card_version", "generated_at", "released", "creation", "evaluation", "evaluation_digest", "governance"])
    }

    @Test func evaluationHoldsNoTimestampOrPath() throws {
        let early = try Self.card(at: 1_772_357_500)
        var later = ReportTests.sample()
        later.startTime = Date(timeIntervalSince1970: 1_800_000_000)
        later.endTime = Date(timeIntervalSince1970: 1_800_000_100)
        later.commandLine = ["synthscan", "scan", "--card", "/elsewhere/card.md"]
        later.inputs = later.inputs.map { var i = $0; i.path = "/elsewhere/" + i.path; return i }
        var moved: [String: FileDigest] = [:]
        for (path, digest) in Self.digests { moved["/elsewhere/" + path] = digest }
        let late = try Self.card(later, at: 1_800_000_200, digests: moved)
        #expect(early.generatedAt != late.generatedAt)
        #expect(try ReleaseCardCoding.canonical(early.evaluation) == ReleaseCardCoding.canonical(late.evaluation))
        #expect(early.evaluationDigest == late.evaluationDigest)
        let canonical = String(decoding: try ReleaseCardCoding.canonical(early.evaluation), as: UTF8.self)
        #expect(!canonical.contains("2026-") && !canonical.contains("data/"))
        let markdown = ReleaseCardMarkdown()
        #expect(Self.evaluationSection(markdown.render(early, jsonName: "card.json"))
                == Self.evaluationSection(markdown.render(late, jsonName: "card.json")))
        #expect(markdown.render(early, jsonName: "card.json") == markdown.render(early, jsonName: "card.json"))
    }

    /// The Markdown from the evaluation heading up to the governance heading.
    static func evaluationSection(_ markdown: String) -> Substring? {
        guard let start = markdown.range(of: ReleaseCardMarkdown.evaluationHeading),
              let end = markdown.range(of: ReleaseCardMarkdown.governanceHeading) else { return nil }
        return markdown[start.lowerBound..<end.lowerBound]
    }

    @Test func markdownShowsEverySectionAndNoRealValue() throws {
        let text = ReleaseCardMarkdown().render(try Self.card(), jsonName: "card.json")
        for heading in ["# Release card: readmissions-2026q4", "## What was released", "## How it was created", "## How it was evaluated",
                        "### Rule packs", "### Verdicts", "### Key figures and parameters", "## Governance", "### Waivers and suppressions"] {
            #expect(text.contains(heading + "\n"), "missing \(heading)")
        }
        #expect(text.contains("| synthetic | `synth.csv` | csv | 15360 | 300 | 6 | `\(String(repeating: "c", count: 64))` |"))
        #expect(text.contains("Privacy budget: ε = 1.5, δ = 1e-06, mechanism: Gaussian"))
        #expect(text.contains("| `privacy/exact-copy` | error | fail | 3 | 3 synthetic rows copy a training record. |"))
        #expect(text.contains("exact_copies_train = &lt;11"))
        for value in ReportTests.realValues { #expect(!text.contains(value), "\(value) printed") }
    }

    // MARK: Comparison

    @Test func identicalCardsHaveNoDifferences() throws {
        #expect(ReleaseCardComparison().differences(card: try Self.card(), fresh: try Self.card(at: 1_900_000_000)).isEmpty)
    }

    @Test func aChangedFileIsNamedWithBothDigests() throws {
        var changed = Self.digests
        changed["data/synth.csv"] = FileDigest(bytes: 15_361, sha256: String(repeating: "d", count: 64), xxh3: String(repeating: "4", count: 32))
        let differences = ReleaseCardComparison().differences(card: try Self.card(), fresh: try Self.card(digests: changed))
        #expect(differences.count == 1, "\(differences)")
        let text = try #require(differences.first)
        #expect(text.hasPrefix("the synthetic file synth.csv is not the one the card records (synth.csv)"))
        #expect(text.contains("SHA-256 expected \(String(repeating: "c", count: 64)), actual \(String(repeating: "d", count: 64))"))
        #expect(text.contains("size expected 15360 bytes, actual 15361 bytes"))
    }

    @Test func filesAreComparedFromDigestsAloneBeforeAScan() throws {
        let card = try Self.card()
        var digests = Self.digests
        digests["elsewhere/synth.csv"] = Self.digests["data/synth.csv"]
        digests["data/train2.csv"] = FileDigest(bytes: 1, sha256: String(repeating: "e", count: 64), xxh3: String(repeating: "5", count: 32))
        let digest = { (path: String) throws -> FileDigest in
            guard let d = digests[path] else { throw FileDigestError.cannotOpen(path: path, reason: "No such file or directory") }
            return d
        }
        let same = ReleaseCardComparison().files(card.released, paths: [.synthetic: "elsewhere/synth.csv", .train: "data/train.csv",
                                                                         .holdout: "data/holdout.csv"], digest: digest)
        #expect(same.isEmpty, "a moved file with the same bytes is the same file: \(same)")
        let found = ReleaseCardComparison().files(card.released, paths: [.synthetic: "gone.csv", .train: "data/train2.csv"], digest: digest)
        #expect(found == [
            "the synthetic file gone.csv cannot be read to digest it (the card records synth.csv)",
            "the train file train2.csv is not the one the card records (train.csv): SHA-256 expected \(String(repeating: "a", count: 64)), actual \(String(repeating: "e", count: 64)); XXH3-128 expected \(String(repeating: "1", count: 32)), actual \(String(repeating: "5", count: 32)); size expected 51200 bytes, actual 1 bytes",
            "the card records a holdout table (holdout.csv) but none was given to verify against",
        ])
    }

    @Test func changedVerdictsPacksAndSeedsAreListed() throws {
        var result = ReportTests.sample()
        result.outcomes[1].status = .pass
        result.outcomes[1].findings = []
        result.outcomes[1].measurements[0] = Measurement("exact_copies_train", 0)
        result.seed = 7
        result.rulePacks = [PackSummary(id: "synthscan/core", version: "0.3.0", contentHash: "sha256:00", location: "embedded", extends: nil, description: "")]
        let recorded = try Self.card()
        let differences = ReleaseCardComparison().differences(card: recorded, fresh: try Self.card(result))
        #expect(differences.contains("rule privacy/exact-copy: verdict recorded fail (error), now pass (error)"), "\(differences)")
        #expect(differences.contains("rule privacy/exact-copy: findings recorded 3, now 0"))
        #expect(differences.contains("rule privacy/exact-copy: figures changed: exact_copies_train <11 → 0"))
        #expect(differences.contains("seed: recorded 20261129, now 7"))
        #expect(differences.contains("rule pack synthscan/core 0.3.0: loaded now but not in the card"))
        #expect(differences.contains("gate: the card records that the gate failed, now it passes"))
    }

    @Test func anEditedCardIsCaught() throws {
        var edited = try Self.card()
        edited.evaluation.rules[1].status = "pass"
        let differences = ReleaseCardComparison().differences(card: edited, fresh: try Self.card())
        #expect(differences.contains { $0.contains("does not match its own evaluation digest") }, "\(differences)")
    }

    @Test func decodingRejectsOtherDocuments() {
        #expect(throws: CardError.self) { try ReleaseCardCoding.decode(Data("[1]".utf8), file: "x.json") }
        #expect(throws: CardError("r.json: error: not a release card (its \"format\" is not \"synthscan-release-card\")")) {
            try ReleaseCardCoding.decode(Data(#"{"format": "synthscan-report"}"#.utf8), file: "r.json")
        }
        #expect(throws: CardError.self) { try ReleaseCardCoding.decode(Data(#"{"format": "synthscan-release-card", "card_version": 1}"#.utf8), file: "c.json") }
    }

    // MARK: File digests

    @Test func fileDigestsAgreeWithOneShotHashes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("synthscan-card-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let empty = folder.appendingPathComponent("empty.csv")
        try Data().write(to: empty)
        let e = try FileDigest.of(file: empty.path)
        #expect(e == FileDigest(bytes: 0, sha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                                xxh3: "99aa06d3014798d86001c324468d497f"))
        // Larger than one read chunk, so the streaming state crosses chunk boundaries.
        var bytes = [UInt8](repeating: 0, count: SHA256.fileChunkByteCount * 2 + 12_345)
        for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: i &* 2_654_435_761 >> 7) }
        let big = folder.appendingPathComponent("big.csv")
        try Data(bytes).write(to: big)
        let d = try FileDigest.of(file: big.path)
        let h = bytes.withUnsafeBytes { XXH3_128bits($0.baseAddress, $0.count) }
        #expect(d.bytes == bytes.count)
        #expect(d.sha256 == SHA256.hex(SHA256.digest(bytes)))
        #expect(d.xxh3 == FileDigest.hex64(h.high64) + FileDigest.hex64(h.low64))
        #expect(throws: FileDigestError.self) { try FileDigest.of(file: folder.appendingPathComponent("missing.csv").path) }

        // The per-process memo: the same digest, and a changed file (same size, new time) is read again.
        #expect(try FileDigest.cached(file: big.path) == d)
        #expect(try FileDigest.cached(file: big.path) == d)
        bytes[0] ^= 0xFF
        try Data(bytes).write(to: big)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000_000_000)], ofItemAtPath: big.path)
        let changed = try FileDigest.cached(file: big.path)
        let reread = try FileDigest.of(file: big.path)
        #expect(changed == reread && changed != d)
        #expect(throws: FileDigestError.self) { try FileDigest.cached(file: folder.appendingPathComponent("missing.csv").path) }
    }
}
