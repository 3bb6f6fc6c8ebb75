import Foundation
import Testing
@testable import SynthScanCore

extension RulePackTests {
    /// How valid packs resolve: overrides and provenance, select/disable/waivers, the search path,
    /// layering, order independence, lock files, the embedded core pack, self-tests and the scaffold.
    @Suite("pack resolution")
    struct Resolution {
        typealias T = RulePackTests

        /// A pack manifest at `folder` extending `extends` (written as the value of `extends:`), then `tail`.
        func writeChild(_ ws: Workspace, _ folder: String, id: String, extends: String, tail: String) throws {
            try ws.write("\(folder)/pack.yaml", """
                format: 1
                pack: \(id)
                version: 1.0.0
                description: Pack \(id).
                extends: \(extends)

                """ + tail)
        }

        /// A rule's `name: value` parameter rows as `rules show` prints them: name → [value, set by].
        func parameterRows(_ text: String) -> [String: [String]] {
            var rows: [String: [String]] = [:]
            var inside = false
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("Parameters") { inside = true; continue }
                if inside, line.isEmpty { break }
                guard inside else { continue }
                let cells = line.split(separator: " ").map(String.init)
                if cells.count >= 3, !cells[0].hasSuffix(":") { rows[cells[0]] = [cells[1], cells[2]] }
            }
            return rows
        }

        // MARK: Overrides

        @Test func overridesMergeParametersKeyByKeyAndRecordWhoSetEach() throws {
            let ws = try Workspace()
            try ws.write("base/pack.yaml", T.manifest(id: "acme/base"))
            try ws.write("base/rules/sample.yaml", T.rule())
            try writeChild(ws, "mid", id: "acme/mid", extends: "{ path: ../base }", tail: """
                overrides:
                  acme/sample:
                    params: { max_copies: 2, columns: [age, sex] }
                    severity: error

                """)
            try writeChild(ws, "top", id: "acme/top", extends: "{ path: ../mid }", tail: """
                overrides:
                  acme/sample:
                    params: { max_findings: 10, columns: [zip3] }
                    tags+: [acme/irb]
                    security-severity: 7.5
                    message: "{exact_copies_train} copies (allowed: {max_copies})"

                """)
            let set = try ws.load(["top"])
            #expect(set.packs.map(\.id) == ["acme/base", "acme/mid", "acme/top"])
            #expect(set.packs.map(\.extends) == [nil, "../base", "../mid"])
            let rule = try #require(set.rule("acme/sample"))
            let d = rule.descriptor
            #expect(d.parameters.values == ["columns": .list(["zip3"]), "max_copies": .integer(2), "max_findings": .integer(10)])
            #expect(d.severity == .error)
            #expect(d.securitySeverity == 7.5)
            #expect(d.tags == ["acme", "acme/irb"])
            #expect(d.messageTemplate == "{exact_copies_train} copies (allowed: {max_copies})")
            #expect(d.provenance == ["columns": "acme/top", "max_copies": "acme/mid", "max_findings": "acme/top", "severity": "acme/mid",
                                     "security-severity": "acme/top", "tags": "acme/top", "message": "acme/top"])
            #expect(rule.overrides.map { "\($0.pack): \($0.change)" } == [
                "acme/mid: severity: warning → error",
                "acme/mid: columns: [] → [age, sex]",
                "acme/mid: max_copies: 0 → 2",
                "acme/top: columns: [age, sex] → [zip3]",
                "acme/top: max_findings: 1000 → 10",
                "acme/top: tags+: [acme/irb]",
                "acme/top: message",
            ])
            // The definition (what self-tests run against) is the rule file as written.
            #expect(rule.definition.descriptor.parameters.values == ["columns": .list([]), "max_copies": .integer(0), "max_findings": .integer(1000)])
            #expect(rule.definition.descriptor.severity == .warning)
            #expect(rule.definition.descriptor.tags == ["acme"])
            #expect(rule.descriptor.pack == "acme/base")

            let shown = RuleSetDescriber.show(rule, in: set)
            let rows = parameterRows(shown)
            #expect(rows["columns"] == ["[zip3]", "acme/top"], "\(shown)")
            #expect(rows["max_copies"] == ["2", "acme/mid"], "\(shown)")
            #expect(rows["max_findings"] == ["10", "acme/top"], "\(shown)")
            #expect(shown.contains("level:              error  (set by acme/mid)") || shown.contains("error  (set by acme/mid)"), "\(shown)")
        }

        @Test func parametersNobodyOverridesAreShownAsDefaultOrAsTheDefiningPack() throws {
            let ws = try Workspace()
            try ws.write("acme/pack.yaml", T.manifest())
            try ws.write("acme/rules/sample.yaml", T.edit(T.rule(), "  max_copies: 0", "  max_copies: 3"))
            let set = try ws.load(["acme"])
            let rule = try #require(set.rule("acme/sample"))
            #expect(rule.descriptor.provenance.isEmpty)
            let rows = parameterRows(RuleSetDescriber.show(rule, in: set))
            #expect(rows["max_copies"] == ["3", "acme/policy"])
            #expect(rows["max_findings"] == ["1000", "default"])
        }

        @Test func integerParametersAreReadAsYAMLIntegers() throws {
            let ws = try Workspace()
            try ws.write("acme/pack.yaml", T.manifest())
            try ws.write("acme/rules/sample.yaml", T.edit(T.rule(), "  max_copies: 0", "  max_copies: 1_000\n  max_findings: 0x10"))
            let rule = try #require(try ws.load(["acme"]).rule("acme/sample"))
            #expect(rule.descriptor.parameters["max_copies"] == .integer(1000))
            #expect(rule.descriptor.parameters["max_findings"] == .integer(16))
        }

        @Test func literalRuleFilePathsMayStartWithDotSlash() throws {
            let ws = try Workspace()
            try ws.write("acme/pack.yaml", T.manifest().replacingOccurrences(of: "  - rules/*.yaml", with: "  - ./rules/sample.yaml\n  - rules/sample.yaml"))
            try ws.write("acme/rules/sample.yaml", T.rule())
            let set = try ws.load(["acme"])
            #expect(set.rules.map(\.id) == ["acme/sample"])
            #expect(set.rule("acme/sample")?.definition.file == ws.path("acme/rules/sample.yaml"))
        }

        // MARK: Select, disable, waivers

        /// Enabled rule ids after a pack `acme/sel` applies `select` (its tail) to four rules of `acme/all`:
        /// acme/a [privacy], acme/b [fidelity], acme/c [privacy, experimental], acme/x/d [other].
        func selected(_ select: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> EffectiveRuleSet {
            let ws = try Workspace()
            try ws.write("all/pack.yaml", T.manifest(id: "acme/all").replacingOccurrences(of: "rules/*.yaml", with: "rules/**/*.yaml"))
            try ws.write("all/rules/a.yaml", T.rule(id: "acme/a", tags: "[privacy]"))
            try ws.write("all/rules/b.yaml", T.rule(id: "acme/b", tags: "[fidelity]"))
            try ws.write("all/rules/c.yaml", T.rule(id: "acme/c", tags: "[privacy, experimental]"))
            try ws.write("all/rules/x/d.yaml", T.rule(id: "acme/x/d", tags: "[other]"))
            try writeChild(ws, "sel", id: "acme/sel", extends: "{ path: ../all }", tail: "select:\n" + select)
            return try ws.load(["sel"])
        }

        @Test func selectFirstIncludeStartsFromNothing() throws {
            let set = try selected("  - include: { tags: [privacy] }\n")
            #expect(set.enabledRules.map(\.id) == ["acme/a", "acme/c"])
            let off = try #require(set.rule("acme/b"))
            #expect(!off.enabled && off.disabledReason == "not selected by pack 'acme/sel'" && off.disabledBy == "acme/sel")
        }

        @Test func selectFirstExcludeStartsFromEverything() throws {
            let set = try selected("  - exclude: { tags: [experimental] }\n")
            #expect(set.enabledRules.map(\.id) == ["acme/a", "acme/b", "acme/x/d"])
        }

        @Test func selectIDGlobs() throws {
            // `*` stays within one segment; `**` spans segments; `?` is one character.
            #expect(try selected("  - include: { ids: [\"acme/*\"] }\n").enabledRules.map(\.id) == ["acme/a", "acme/b", "acme/c"])
            #expect(try selected("  - include: { ids: [\"acme/**\"] }\n  - exclude: { ids: [\"acme/?\"] }\n").enabledRules.map(\.id) == ["acme/x/d"])
        }

        @Test func selectStepsApplyInOrder() throws {
            let set = try selected("  - exclude: { tags: [privacy] }\n  - include: { ids: [acme/c] }\n")
            #expect(set.enabledRules.map(\.id) == ["acme/b", "acme/c", "acme/x/d"])
            let all = try selected("  - include: { kinds: [exact-copy], severity: [warning], packs: [acme/all] }\n")
            #expect(all.enabledRules.count == 4)
        }

        @Test func disableAndEnabledFalseRecordReasonAndPack() throws {
            let ws = try Workspace()
            try ws.write("base/pack.yaml", T.manifest(id: "acme/base"))
            try ws.write("base/rules/a.yaml", T.rule(id: "acme/a"))
            try ws.write("base/rules/b.yaml", T.rule(id: "acme/b"))
            try ws.write("base/rules/c.yaml", T.rule(id: "acme/c"))
            try writeChild(ws, "top", id: "acme/top", extends: "{ path: ../base }", tail: """
                overrides:
                  acme/b:
                    enabled: false
                    reason: Replaced by acme/c for our extracts.
                disable:
                  - rule: acme/a
                    reason: Our extracts never carry this column.

                """)
            let set = try ws.load(["top"])
            #expect(set.enabledRules.map(\.id) == ["acme/c"])
            let a = try #require(set.rule("acme/a"))
            #expect(!a.enabled && a.disabledReason == "Our extracts never carry this column." && a.disabledBy == "acme/top")
            #expect(a.overrides == [RuleOverrideRecord(pack: "acme/top", change: "disabled: Our extracts never carry this column.")])
            let b = try #require(set.rule("acme/b"))
            #expect(!b.enabled && b.disabledReason == "Replaced by acme/c for our extracts." && b.disabledBy == "acme/top")
            #expect(RuleSetDescriber.list(set).contains("  acme/a: Our extracts never carry this column. (acme/top)\n"))
        }

        @Test func waiversWholeRuleByFingerprintAndExpired() throws {
            let ws = try Workspace()
            try ws.write("base/pack.yaml", T.manifest(id: "acme/base"))
            try ws.write("base/rules/sample.yaml", T.rule())
            // The fingerprint of the finding the rule's triggering self-test produces.
            let base = try ws.load(["base"])
            let rule = try #require(base.rule("acme/sample"))
            let trigger = try #require(rule.definition.tests.first { $0.triggers })
            var outcome = try RuleSelfTestRunner.outcome(of: trigger, definition: rule.definition)
            let fingerprint = try #require(outcome.findings.first?.fingerprint)
            #expect(outcome.findings.count == 1)

            try writeChild(ws, "top", id: "acme/top", extends: "{ path: ../base }", tail: """
                waivers:
                  - rule: acme/sample
                    fingerprints: [\(fingerprint)]
                    reason: Public reference record.
                    approved_by: DPO ticket 1234
                    expires: \(T.today)
                  - rule: acme/sample
                    reason: The whole rule, for a while.
                    expires: 2026-11-28

                """)
            let set = try ws.load(["top"])
            #expect(set.waivers == [Waiver(ruleID: "acme/sample", fingerprints: [fingerprint], reason: "Public reference record.",
                                           approvedBy: "DPO ticket 1234", expires: T.today, pack: "acme/top",
                                           file: ws.path("top/pack.yaml"), line: 7)])
            #expect(set.warnings.count == 1, "\(T.dump(set.warnings))")
            T.expectDiagnostic(set.warnings, "expired-waiver", file: "top/pack.yaml", line: 12, column: 5,
                               message: ["waiver for 'acme/sample' expired on 2026-11-28 and no longer applies; renew or remove it"],
                               severity: .warning)

            ScanEngine.apply(set.waivers, to: &outcome)
            #expect(outcome.findings.first?.suppression?.reason == "Public reference record.")
            #expect(outcome.waiver == nil)

            // A waiver without fingerprints covers the whole rule.
            try writeChild(ws, "whole", id: "acme/whole", extends: "{ path: ../base }", tail: """
                waivers:
                  - rule: acme/sample
                    reason: Accepted for the pilot.

                """)
            let whole = try ws.load(["whole"])
            #expect(whole.waivers.map(\.fingerprints) == [[]])
            #expect(whole.warnings.isEmpty)
            var all = try RuleSelfTestRunner.outcome(of: trigger, definition: rule.definition)
            ScanEngine.apply(whole.waivers, to: &all)
            #expect(all.waiver?.reason == "Accepted for the pilot.")
            #expect(all.findings.allSatisfy { $0.suppression != nil })
        }

        // MARK: Search path and layering

        /// `acme/base` packs with distinct descriptions, on two search folders.
        func searchWorkspace() throws -> Workspace {
            let ws = try Workspace()
            for (folder, version) in [("s1/acme/base-a", "1.0.0"), ("s1/acme/base-b", "1.2.0"), ("s1/base-c", "2.0.0"), ("s2/acme/base", "1.2.0")] {
                try ws.write("\(folder)/pack.yaml", """
                    format: 1
                    pack: acme/base
                    version: \(version)
                    description: \(folder.prefix(2)) \(version)

                    """)
            }
            return ws
        }

        /// The description of the `acme/base` that a root extending it with `range` resolves to.
        func resolvedBase(_ ws: Workspace, range: String, search: [String]) throws -> String? {
            try writeChild(ws, "root", id: "acme/root", extends: "{ pack: acme/base, version: \"\(range)\" }", tail: "")
            let set = try ws.load(["root"], search: search)
            #expect(set.packs.map(\.id) == ["acme/base", "acme/root"])
            return set.packs.first?.description
        }

        @Test func searchPathPicksTheHighestVersionInRange() throws {
            let ws = try searchWorkspace()
            #expect(try resolvedBase(ws, range: "^1.0", search: ["s1", "s2"]) == "s1 1.2.0")
            #expect(try resolvedBase(ws, range: ">=1.0", search: ["s1", "s2"]) == "s1 2.0.0")
            #expect(try resolvedBase(ws, range: "~1.0", search: ["s1", "s2"]) == "s1 1.0.0")
            let set = try ws.load(["root"], search: ["s1", "s2"])
            #expect(set.packs.first?.location == ws.path("s1/acme/base-a"))
        }

        @Test func searchPathPrefersEarlierFoldersAtEqualVersions() throws {
            let ws = try searchWorkspace()
            #expect(try resolvedBase(ws, range: "^1.0", search: ["s1", "s2"]) == "s1 1.2.0")
            #expect(try resolvedBase(ws, range: "^1.0", search: ["s2", "s1"]) == "s2 1.2.0")
            // A search folder may itself be a pack.
            #expect(try resolvedBase(ws, range: "1.2.0", search: ["s2/acme/base"]) == "s2 1.2.0")
        }

        /// `base` (rule acme/shared) extended by `a` and `b` (each overriding it and adding a rule).
        func layeredWorkspace() throws -> Workspace {
            let ws = try Workspace()
            try ws.write("base/pack.yaml", T.manifest(id: "acme/base"))
            try ws.write("base/rules/shared.yaml", T.rule(id: "acme/shared"))
            for (name, copies) in [("a", 1), ("b", 2)] {
                try writeChild(ws, name, id: "acme/\(name)", extends: "{ path: ../base }", tail: """
                    rules:
                      - rules/*.yaml
                    overrides:
                      acme/shared:
                        params: { max_copies: \(copies) }

                    """)
                try ws.write("\(name)/rules/own.yaml", T.rule(id: "acme/\(name)-own"))
            }
            return ws
        }

        @Test func layeringTwoRootsAppliesTheCommonAncestorOnce() throws {
            let ws = try layeredWorkspace()
            let set = try ws.load(["a", "b"])
            #expect(set.packs.map(\.id) == ["acme/base", "acme/a", "acme/b"])
            #expect(set.rootPackIDs == ["acme/a", "acme/b"])
            #expect(set.rules.map(\.id) == ["acme/a-own", "acme/b-own", "acme/shared"])
            let shared = try #require(set.rule("acme/shared"))
            #expect(shared.descriptor.parameters["max_copies"] == .integer(2))
            #expect(shared.descriptor.provenance["max_copies"] == "acme/b")
            #expect(shared.overrides.map(\.pack) == ["acme/a", "acme/b"])
            // The roots' order decides which override wins.
            let reversed = try ws.load(["b", "a"])
            #expect(reversed.packs.map(\.id) == ["acme/base", "acme/b", "acme/a"])
            #expect(reversed.rule("acme/shared")?.descriptor.parameters["max_copies"] == .integer(1))
        }

        /// Regression: the second root's copy of a shared ancestor was never applied, so its content
        /// hash covered only pack.yaml and the root's lock file failed spuriously.
        @Test func lockFileOfASecondRootHoldsWhenTheRootsShareAnAncestor() throws {
            let ws = try layeredWorkspace()
            var loader = ws.loader()
            loader.verifiesLockFiles = false
            let locked = try loader.load(roots: [ws.path("b")])
            try ws.write("b/" + PackLockFile.fileName, PackLockFile.render(locked.packs))
            let set = try ws.load(["a", "b"])
            #expect(set.packs.first?.contentHash == locked.packs.first?.contentHash)
        }

        @Test func resultDoesNotDependOnFileOrder() throws {
            let ids = ["acme/c", "acme/a", "acme/b"]
            let one = try Workspace()
            try one.write("acme/pack.yaml", T.manifest())
            for (index, id) in ids.enumerated() { try one.write("acme/rules/\(index).yaml", T.rule(id: id, tags: "[t\(index)]")) }
            let two = try Workspace()
            try two.write("acme/pack.yaml", T.manifest().replacingOccurrences(
                of: "  - rules/*.yaml", with: "  - rules/z.yaml\n  - rules/m.yaml\n  - rules/a.yaml"))
            for (name, index) in [("a", 0), ("z", 1), ("m", 2)] { try two.write("acme/rules/\(name).yaml", T.rule(id: ids[index], tags: "[t\(index)]")) }
            let first = try one.load(["acme"])
            let second = try two.load(["acme"])
            #expect(first.rules.map(\.id) == ["acme/a", "acme/b", "acme/c"])
            #expect(second.rules.map(\.id) == first.rules.map(\.id))
            #expect(second.rules.map(\.descriptor) == first.rules.map(\.descriptor))
            #expect(second.enabledRules == first.enabledRules)
        }

        // MARK: Lock files

        @Test func lockThenLoadWithTheLockPasses() throws {
            let ws = try Workspace()
            try ws.write("acme/pack.yaml", """
                format: 1
                pack: acme/policy
                version: 1.2.0
                description: Test pack.
                extends: { pack: synthscan/core, version: ">=0.1" }
                rules:
                  - rules/*.yaml

                """)
            try ws.write("acme/rules/sample.yaml", T.rule())
            var loader = ws.loader()
            loader.verifiesLockFiles = false
            let unlocked = try loader.load(roots: [ws.path("acme")])
            let lock = PackLockFile.render(unlocked.packs)
            #expect(lock.contains("  - pack: synthscan/core\n    version: \(T.coreVersion)\n    sha256: "))
            #expect(lock.contains("  - pack: acme/policy\n    version: 1.2.0\n    sha256: \(unlocked.packs[1].contentHash.dropFirst(7))\n"))
            try ws.write("acme/" + PackLockFile.fileName, lock)
            let locked = try ws.load(["acme"])
            #expect(locked.packs == unlocked.packs)
            #expect(locked.warnings.isEmpty)
        }

        /// The content hash is SHA-256 over the files the loader read, each as `path NUL length NUL bytes`,
        /// sorted by path (computed here by hand from that description); other files do not count.
        @Test func contentHashCoversExactlyTheFilesRead() throws {
            let ws = try Workspace()
            let files = [
                "pack.yaml": T.manifest(),
                "rules/sample.yaml": T.edit(T.rule(), #"    synthetic: "a,b\n1,2\n""#, "    synthetic: { file: tests/copy.csv }"),
                "tests/copy.csv": "a,b\n1,2\n",
            ]
            for (path, text) in files { try ws.write("acme/" + path, text) }
            try ws.write("acme/README.md", "# Not a pack file\n")
            try ws.write("acme/tests/unused.csv", "a,b\n9,9\n")
            var bytes: [UInt8] = []
            for path in files.keys.sorted() {
                let content = Array(files[path]!.utf8)
                bytes += Array(path.utf8) + [0] + Array(String(content.count).utf8) + [0] + content
            }
            let set = try ws.load(["acme"])
            #expect(set.packs.first?.contentHash == "sha256:" + SHA256.hex(SHA256.digest(bytes)))
            #expect(set.packs.first?.contentHash == PackContentHash.of(files))
        }

        // MARK: The embedded core pack

        /// The files `scripts/embed-core-pack.sh` embeds: every .yaml and .csv file under Rules/core.
        static func coreFilesOnDisk() throws -> [String: String] {
            let core = T.repoRoot + "/Rules/core"
            var files: [String: String] = [:]
            let enumerator = try #require(FileManager.default.enumerator(atPath: core))
            while let item = enumerator.nextObject() as? String {
                guard item.hasSuffix(".yaml") || item.hasSuffix(".csv") else { continue }
                files[item] = try String(contentsOfFile: core + "/" + item, encoding: .utf8)
            }
            return files
        }

        @Test func embeddedCoreHashEqualsTheHashOfRulesCore() throws {
            let disk = try Self.coreFilesOnDisk()
            #expect(disk["pack.yaml"] != nil)
            let loader = RulePackLoader(repository: PackRepository(searchPaths: []), today: T.today)
            let embedded = try loader.load(roots: [])
            let fromDisk = try loader.load(roots: [T.repoRoot + "/Rules/core"])
            #expect(embedded.packs.count == 1 && embedded.packs.first?.location == "embedded")
            let expected = PackContentHash.of(disk)
            #expect(embedded.packs.first?.contentHash == expected,
                    "EmbeddedCorePack.swift is out of date: run `make embed-rules` (scripts/embed-core-pack.sh)")
            #expect(fromDisk.packs.first?.contentHash == expected)
            #expect(embedded.rules.map(\.descriptor) == fromDisk.rules.map(\.descriptor))
        }

        @Test func everyFileTheCorePackIncludesIsEmbedded() throws {
            let core = T.repoRoot + "/Rules/core"
            let set = try RulePackLoader(repository: PackRepository(searchPaths: []), today: T.today).load(roots: [core])
            var included = ["pack.yaml"]
            for rule in set.rules {
                included.append(String(rule.definition.file.dropFirst(core.count + 1)))
                for test in rule.definition.tests {
                    for case .file(let fixture) in test.tables.values { included.append(fixture) }
                }
            }
            #expect(set.rules.count >= 1)
            let embedded = Dictionary(uniqueKeysWithValues: EmbeddedCorePack.files.map { ($0.path, $0.text) })
            let source = try #require(PackSource.folder(core))
            for path in Set(included).sorted() {
                #expect(embedded[path] != nil, "\(path) is not embedded: run `make embed-rules`")
                #expect(embedded[path] == (try? source.read(path)), "\(path) differs from its embedded copy: run `make embed-rules`")
            }
            // ... and nothing is embedded that Rules/core does not hold.
            #expect(Set(embedded.keys) == Set(try Self.coreFilesOnDisk().keys))
        }

        // MARK: Self-tests and the scaffold

        @Test func failingSelfTestPrintsReadableDifferences() throws {
            let ws = try Workspace()
            try ws.write("acme/pack.yaml", T.manifest())
            try ws.write("acme/rules/sample.yaml", T.rule() + #"""
                  - name: a wrong expectation
                    expect: pass
                    findings: 0
                    measurements: { exact_copies_train: 0, synthetic_rows: 2 }
                    train: "a,b\n1,2\n"
                    synthetic: "a,b\n1,2\n5,6\n"

                """#)
            let set = try ws.load(["acme"])
            #expect(set.warnings.isEmpty)
            let rule = try #require(set.rule("acme/sample"))
            let results = RuleSelfTestRunner.run(rule)
            #expect(results.map(\.passed) == [true, true, false])
            let failed = try #require(results.last)
            #expect(failed.location == ws.path("acme/rules/sample.yaml") + ":21")
            #expect(failed.differences == [
                "verdict: expected pass, got fail (1 copies)",
                "findings: expected 0, got 1",
                "exact_copies_train: expected 0, got 1",
            ])
            let report = RuleSetDescriber.testReport(results)
            #expect(report == """
                acme/sample  (acme/policy)
                  ✓ a copy triggers  [triggers]
                  ✓ no copy passes  [does not trigger]
                  ✗ a wrong expectation  [does not trigger]
                      at \(ws.path("acme/rules/sample.yaml")):21
                      verdict: expected pass, got fail (1 copies)
                      findings: expected 0, got 1
                      exact_copies_train: expected 0, got 1

                3 tests, 2 passed, 1 failed

                """)
        }

        @Test func scaffoldLoadsCleanlyAndItsSelfTestsPass() throws {
            let ws = try Workspace()
            let scaffold = try PackScaffold(name: "acme-health/policy")
            try scaffold.write(to: ws.path("policy"))
            let set = try ws.load(["policy"])
            #expect(set.warnings.isEmpty, "\(T.dump(set.warnings))")
            #expect(set.packs.map(\.id) == [RulePackLoader.corePackID, "acme-health/policy"])
            #expect(set.rule("acme-health/quasi-identifier-copy")?.enabled == true)
            let results = set.rules.flatMap(RuleSelfTestRunner.run)
            #expect(results.count >= 2)
            for r in results where !r.passed { Issue.record("\(r.ruleID): \(r.name) at \(r.location): \(r.differences)") }
        }

        // MARK: Read-only

        @Test func loadingNeverModifiesThePackFolder() throws {
            let ws = try Workspace()
            try ws.write("acme/pack.yaml", T.manifest())
            try ws.write("acme/tests/copy.csv", "a,b\n1,2\n")
            try ws.write("acme/rules/sample.yaml", T.edit(T.rule(), #"    synthetic: "a,b\n1,2\n""#, "    synthetic: { file: tests/copy.csv }"))
            try ws.write("broken/pack.yaml", T.manifest(id: "acme/broken"))
            try ws.write("broken/rules/sample.yaml", T.edit(T.rule(), "check: exact-copy", "check: exact-cpy"))
            var loader = ws.loader()
            loader.verifiesLockFiles = false
            let unlocked = try loader.load(roots: [ws.path("acme")])
            try ws.write("acme/" + PackLockFile.fileName, PackLockFile.render(unlocked.packs))

            let before = try ws.snapshot()
            let set = try ws.load(["acme"])
            _ = ws.errors(["broken"])
            _ = ws.errors(["acme", "broken"])
            let results = set.rules.flatMap(RuleSelfTestRunner.run)
            #expect(results.allSatisfy { $0.passed }, "\(results.map(\.differences))")
            #expect(try ws.snapshot() == before)
        }
    }
}
