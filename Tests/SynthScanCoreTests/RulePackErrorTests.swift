import Foundation
import Testing
@testable import SynthScanCore

extension RulePackTests {
    /// The suite of broken packs: one mistake each (plus one pack with five), asserting the code, the
    /// file, the line and column, and the key parts of the message of every diagnostic.
    @Suite("broken packs")
    struct Errors {
        typealias T = RulePackTests

        /// A pack `acme` (manifest without `extends`) holding `rules/sample.yaml`: the sample rule with
        /// the line `old` replaced by `new`; returns the diagnostics of loading it.
        func brokenRule(_ old: String, _ new: String?, sourceLocation: SourceLocation = #_sourceLocation) throws -> [ConfigDiagnostic] {
            let ws = try Workspace()
            try ws.write("acme/pack.yaml", T.manifest())
            try ws.write("acme/rules/sample.yaml", T.edit(T.rule(), old, new, sourceLocation: sourceLocation))
            return ws.errors(["acme"], sourceLocation: sourceLocation)
        }

        /// A pack `acme` that extends the embedded core pack and has no rules of its own; `tail` starts at line 6:
        ///
        ///      1 format: 1
        ///      2 pack: acme/policy
        ///      3 version: 1.0.0
        ///      4 description: Test pack.
        ///      5 extends: { pack: synthscan/core }
        func corePack(_ tail: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [ConfigDiagnostic] {
            let ws = try Workspace()
            try ws.write("acme/pack.yaml", """
                format: 1
                pack: acme/policy
                version: 1.0.0
                description: Test pack.
                extends: { pack: synthscan/core }

                """ + tail)
            return ws.errors(["acme"], sourceLocation: sourceLocation)
        }

        // MARK: Rule files

        @Test func unknownCheckKindSuggestsTheClosestKind() throws {
            let d = try brokenRule("check: exact-copy", "check: exact-cpy")
            let e = T.expectSingleError(d, .unknownCheckKind, file: "acme/rules/sample.yaml", line: 3, column: 8,
                                        message: ["unknown check kind 'exact-cpy' (did you mean 'exact-copy'?); known kinds: "])
            #expect(e?.message.contains("exact-copy") == true)
            #expect(e?.description.hasSuffix("[unknown-check-kind]") == true)
        }

        /// The example of docs/rule-packs.md: a singular for a plural is suggested too, though it is 3 edits away.
        @Test func unknownParameterSuggestsAndListsTheValidOnes() throws {
            let d = try brokenRule("  max_copies: 0", "  max_copy: 0")
            let e = T.expectSingleError(d, .unknownParameter, file: "acme/rules/sample.yaml", line: 9, column: 3)
            #expect(e?.description.hasSuffix(":9:3: error: unknown parameter 'max_copy' for check kind 'exact-copy' (did you mean 'max_copies'?); valid parameters: columns, max_copies, max_findings [unknown-parameter]") == true)
            let typo = try brokenRule("  max_copies: 0", "  max_copeis: 0")
            T.expectSingleError(typo, .unknownParameter, file: "acme/rules/sample.yaml", line: 9, column: 3,
                                message: ["unknown parameter 'max_copeis' for check kind 'exact-copy' (did you mean 'max_copies'?)"])
        }

        @Test func unknownParameterWithoutAnyCloseNameStillListsTheValidOnes() throws {
            let d = try brokenRule("  max_copies: 0", "  limit: 0")
            let e = T.expectSingleError(d, .unknownParameter, file: "acme/rules/sample.yaml", line: 9, column: 3)
            #expect(e?.message == "unknown parameter 'limit' for check kind 'exact-copy'; valid parameters: columns, max_copies, max_findings")
        }

        @Test func textForAnIntegerParameterIsATypeError() throws {
            let d = try brokenRule("  max_copies: 0", "  max_copies: many")
            let e = T.expectSingleError(d, .parameterType, file: "acme/rules/sample.yaml", line: 9, column: 15)
            #expect(e?.message == "parameter 'max_copies' must be an integer ≥ 0, found a string")
        }

        /// Decision: a quoted number is a YAML string, and parameters are typed strictly (as every other
        /// integer in synthscan's YAML files), so `"5"` for an integer parameter is refused, not converted.
        @Test func aQuotedNumberForAnIntegerParameterIsRefused() throws {
            let d = try brokenRule("  max_copies: 0", #"  max_copies: "5""#)
            let e = T.expectSingleError(d, .parameterType, file: "acme/rules/sample.yaml", line: 9, column: 15)
            #expect(e?.message == "parameter 'max_copies' must be an integer ≥ 0, found a string")
        }

        /// Integers are read by their YAML type, as in synthscan.yaml: a fraction is a type error showing
        /// the value written, a whole number too large for any integer is out of range.
        @Test(arguments: [
            ("2.5", DiagnosticCode.parameterType, "found 2.5"),
            ("1e3", .parameterType, "found 1e3"),
            ("true", .parameterType, "found a boolean"),
            ("[1]", .parameterType, "found a list"),
            ("{ n: 1 }", .parameterType, "found a mapping"),
            ("99999999999999999999", .parameterRange, "found 99999999999999999999"),
        ])
        func otherMistypedIntegerValues(_ value: String, _ code: DiagnosticCode, _ found: String) throws {
            let d = try brokenRule("  max_copies: 0", "  max_copies: \(value)")
            let e = T.expectSingleError(d, code, file: "acme/rules/sample.yaml", line: 9, column: 15)
            #expect(e?.message == "parameter 'max_copies' must be an integer ≥ 0, \(found)")
        }

        @Test func parameterWithoutAValue() throws {
            let d = try brokenRule("  max_copies: 0", "  max_copies:")
            let e = T.expectSingleError(d, .parameterType, file: "acme/rules/sample.yaml", line: 9, column: 14)
            #expect(e?.message == "parameter 'max_copies' has no value (expected integer ≥ 0)")
        }

        /// Reads `yaml` as the value of a parameter of `type` (no shipped kind has every type yet).
        func readParameter(_ yaml: String, _ type: ParameterType) throws -> (ParameterValue?, [ConfigDiagnostic]) {
            let collector = DiagnosticCollector(file: "p.yaml")
            let values = YAMLValueReader(diagnostics: collector)
            let document = try YAMLDocument.parse("p: \(yaml)\n", file: "p.yaml", limits: RulePackLoader.limits)
            let root = try #require(document.root)
            let map = try #require(YAMLMappingReader(root, at: "", values: values))
            let reader = try #require(ParameterReader(kind: "exact-copy", values: values))
            let entry = try #require(map.entries.first)
            let value = reader.read(entry.value, spec: ParameterSpec("p", type, default: .integer(0), doc: ""))
            return (value, collector.diagnostics)
        }

        @Test func booleanParametersAreReadAsYAMLBooleans() throws {
            #expect(try readParameter("true", .boolean).0 == .boolean(true))
            #expect(try readParameter("no", .boolean).0 == .boolean(false))
            for (yaml, found) in [(#""true""#, "a string"), ("1", "an integer"), ("maybe", "a string")] {
                let (value, d) = try readParameter(yaml, .boolean)
                #expect(value == nil)
                #expect(d.map(\.description) == ["p.yaml:1:4: error: parameter 'p' must be a boolean, found \(found) [parameter-type]"])
            }
        }

        @Test func numberParametersAreReadAsYAMLNumbers() throws {
            #expect(try readParameter("0.25", .number(.unit)).0 == .number(0.25))
            #expect(try readParameter("1", .number(.unit)).0 == .number(1))
            for (yaml, code, found) in [("1.5", "parameter-range", "1.5"), (".inf", "parameter-range", ".inf"), (".nan", "parameter-range", ".nan"),
                                        (#""0.5""#, "parameter-type", "a string"), ("high", "parameter-type", "a string")] {
                let (value, d) = try readParameter(yaml, .number(.unit))
                #expect(value == nil)
                #expect(d.map(\.description) == ["p.yaml:1:4: error: parameter 'p' must be a number in [0, 1], found \(found) [\(code)]"])
            }
        }

        @Test func negativeMaxCopiesIsOutOfRange() throws {
            let d = try brokenRule("  max_copies: 0", "  max_copies: -1")
            let e = T.expectSingleError(d, .parameterRange, file: "acme/rules/sample.yaml", line: 9, column: 15)
            #expect(e?.message == "parameter 'max_copies' must be an integer ≥ 0, found -1")
        }

        @Test func maxFindingsAboveItsMaximumIsOutOfRange() throws {
            let d = try brokenRule("  max_copies: 0", "  max_copies: 0\n  max_findings: 1000001")
            let e = T.expectSingleError(d, .parameterRange, file: "acme/rules/sample.yaml", line: 10, column: 17)
            #expect(e?.message == "parameter 'max_findings' must be an integer in 0...1000000, found 1000001")
        }

        @Test func unknownTemplatePlaceholderSuggestsTheClosestMeasurement() throws {
            let d = try brokenRule(#"message: "{exact_copies_train} copies""#, #"message: "{exact_copies_trian} copies""#)
            T.expectSingleError(d, .badTemplate, file: "acme/rules/sample.yaml", line: 10, column: 10, message: [
                "unknown placeholder '{exact_copies_trian}' in message template (did you mean '{exact_copies_train}'?)",
                "; check kind 'exact-copy' reports: synthetic_rows, columns_compared, exact_copies_train",
            ])
        }

        @Test func templateSyntaxErrorGivesItsCharacterPosition() throws {
            let d = try brokenRule(#"message: "{exact_copies_train} copies""#, #"message: "copies: {exact_copies_train""#)
            let e = T.expectSingleError(d, .badTemplate, file: "acme/rules/sample.yaml", line: 10, column: 10)
            #expect(e?.message == "invalid message template: unterminated placeholder: '{' has no matching '}' (write '{{' for a literal '{') (at character 9 of the message)")
        }

        @Test func numberFormatOnAListParameterIsRefused() throws {
            let d = try brokenRule(#"message: "{exact_copies_train} copies""#, #"message: "{exact_copies_train} copies of {columns:.2f}""#)
            let e = T.expectSingleError(d, .badTemplate, file: "acme/rules/sample.yaml", line: 10, column: 10)
            #expect(e?.message == "placeholder '{columns}' has a number format but parameter 'columns' is not a number")
        }

        @Test func ruleWithoutHelp() throws {
            let d = try brokenRule("help: Fix it.", nil)
            T.expectSingleError(d, .missingHelp, file: "acme/rules/sample.yaml", line: 1, column: 1,
                                message: ["rule 'acme/sample' has no 'help': add Markdown saying what it catches, why it matters clinically and how to fix it"])
        }

        @Test func missingRequiredKeysAreEachReported() throws {
            let ws = try Workspace()
            try ws.write("acme/pack.yaml", T.manifest())
            try ws.write("acme/rules/sample.yaml", T.edit(T.edit(T.rule(), "summary: Sample rule.", nil), "severity: warning", nil))
            let d = ws.errors(["acme"])
            #expect(T.errorsOnly(d).count == 2, "\(T.dump(d))")
            #expect(T.errorsOnly(d).map(\.message) == ["missing required key 'summary' at the top level",
                                                        "missing required key 'severity' at the top level"])
            for e in T.errorsOnly(d) {
                #expect(e.code == .missingKey && e.file == ws.path("acme/rules/sample.yaml") && e.line == 1 && e.column == 1, "\(e)")
            }
        }

        @Test func invalidRuleID() throws {
            let d = try brokenRule("id: acme/sample", "id: Acme/Sample_Rule")
            let e = T.expectSingleError(d, .invalidValue, file: "acme/rules/sample.yaml", line: 2, column: 5)
            #expect(e?.message == "invalid rule id 'Acme/Sample_Rule': expected lower-case segments separated by '/', e.g. privacy/exact-copy")
        }

        @Test func selfTestWithAnUnknownMeasurement() throws {
            let d = try brokenRule("    expect: fail", "    expect: fail\n    measurements: { exact_copies_trian: 1 }")
            T.expectSingleError(d, .unknownKey, file: "acme/rules/sample.yaml", line: 15, column: 21, message: [
                "unknown measurement 'exact_copies_trian' in tests[0].measurements (did you mean 'exact_copies_train'?)",
                "; check kind 'exact-copy' reports: synthetic_rows, ",
            ])
        }

        @Test func selfTestFixtureOutsideThePack() throws {
            let ws = try Workspace()
            try ws.write("secret.csv", "a,b\nOUTSIDE-FIXTURE-CONTENT,2\n")
            try ws.write("acme/pack.yaml", T.manifest())
            try ws.write("acme/rules/sample.yaml", T.edit(T.rule(), #"    synthetic: "a,b\n1,2\n""#, "    synthetic: { file: ../secret.csv }"))
            let d = ws.errors(["acme"])
            let e = T.expectSingleError(d, .outsidePack, file: "acme/rules/sample.yaml", line: 16, column: 24)
            #expect(e?.message == "fixture '../secret.csv' must be a relative path inside the pack folder (no '..', not absolute)")
            #expect(!T.dump(d).contains("OUTSIDE-FIXTURE-CONTENT"))
        }

        // MARK: Rule ids across files and packs

        @Test func duplicateRuleIDWithinAPack() throws {
            let ws = try Workspace()
            try ws.write("acme/pack.yaml", T.manifest())
            try ws.write("acme/rules/a.yaml", T.rule())
            try ws.write("acme/rules/b.yaml", T.rule())
            let d = ws.errors(["acme"])
            T.expectSingleError(d, .duplicateRuleID, file: "acme/rules/b.yaml", line: 2, column: 5, message: [
                "rule id 'acme/sample' is already defined in \(ws.path("acme/rules/a.yaml")):2; choose a new id",
            ])
        }

        @Test func duplicateRuleIDAgainstAnInheritedCoreRule() throws {
            let ws = try Workspace()
            try ws.write("acme/pack.yaml", """
                format: 1
                pack: acme/policy
                version: 1.0.0
                description: Test pack.
                extends: { pack: synthscan/core }
                rules:
                  - rules/*.yaml

                """)
            try ws.write("acme/rules/copy.yaml", T.rule(id: "privacy/exact-copy"))
            let d = ws.errors(["acme"])
            T.expectSingleError(d, .duplicateRuleID, file: "acme/rules/copy.yaml", line: 2, column: 5, message: [
                "rule id 'privacy/exact-copy' is already defined in Rules/core/privacy/exact-copy.yaml:2",
                "(an institution rule needs its own namespace, e.g. acme/...)",
            ])
        }

        // MARK: Overrides, select, disable, waivers

        @Test func overrideOfARuleThatDoesNotExist() throws {
            let d = try corePack("""
                overrides:
                  privacy/exact-cpy:
                    severity: warning

                """)
            let e = T.expectSingleError(d, .unknownRule, file: "acme/pack.yaml", line: 7, column: 3)
            #expect(e?.message == "override names rule 'privacy/exact-cpy', which no loaded pack defines (did you mean 'privacy/exact-copy'?)")
        }

        @Test func overrideThatChangesTheCheckKind() throws {
            let d = try corePack("""
                overrides:
                  privacy/exact-copy:
                    check: near-copy

                """)
            let e = T.expectSingleError(d, .immutableField, file: "acme/pack.yaml", line: 8, column: 5)
            #expect(e?.message == "an override cannot change the check kind of 'privacy/exact-copy': a different check needs a new rule id")
        }

        @Test(arguments: ["id", "summary", "description", "help", "references", "tests", "precision"])
        func overrideThatChangesAnotherDefiningField(_ key: String) throws {
            let d = try corePack("""
                overrides:
                  privacy/exact-copy:
                    \(key): something else

                """)
            let e = T.expectSingleError(d, .immutableField, file: "acme/pack.yaml", line: 8, column: 5)
            #expect(e?.message == "an override cannot change '\(key)' of 'privacy/exact-copy': it defines what the rule is; write a new rule instead")
        }

        @Test func unknownKeyInAnOverride() throws {
            let d = try corePack("""
                overrides:
                  privacy/exact-copy:
                    severty: warning

                """)
            let e = T.expectSingleError(d, .unknownKey, file: "acme/pack.yaml", line: 8, column: 5)
            #expect(e?.message == "unknown key 'severty' in 'overrides.privacy/exact-copy' (did you mean 'severity'?)")
        }

        @Test func disableWithoutReason() throws {
            let d = try corePack("""
                disable:
                  - rule: privacy/exact-copy

                """)
            let e = T.expectSingleError(d, .missingKey, file: "acme/pack.yaml", line: 7, column: 5)
            #expect(e?.message == "missing required key 'reason' in 'disable[0]'")
        }

        @Test func enabledFalseOverrideWithoutReason() throws {
            let d = try corePack("""
                overrides:
                  privacy/exact-copy:
                    enabled: false

                """)
            let e = T.expectSingleError(d, .missingKey, file: "acme/pack.yaml", line: 8, column: 5)
            #expect(e?.message == "disabling 'privacy/exact-copy' needs a 'reason' (it is recorded in every report)")
        }

        @Test func waiverNamingAnUnknownRule() throws {
            let d = try corePack("""
                waivers:
                  - rule: privacy/exact-cpy
                    reason: Accepted by the board.

                """)
            let e = T.expectSingleError(d, .unknownRule, file: "acme/pack.yaml", line: 7, column: 11)
            #expect(e?.message == "waiver names rule 'privacy/exact-cpy', which no loaded pack defines (did you mean 'privacy/exact-copy'?)")
        }

        @Test func waiverWithAMalformedFingerprintAndDate() throws {
            let d = try corePack("""
                waivers:
                  - rule: privacy/exact-copy
                    fingerprints: [3f9a0c1d2e4b5a69, 3f9a0c1d2e4b5a6]
                    reason: Accepted by the board.
                    expires: 2027-31-03

                """)
            #expect(T.errorsOnly(d).count == 2, "\(T.dump(d))")
            let f = T.expectDiagnostic(d, .invalidValue, file: "acme/pack.yaml", line: 8, column: 38)
            #expect(f?.message == "invalid value '3f9a0c1d2e4b5a6' for 'waivers[0].fingerprints' (expected a 16-digit hex finding fingerprint, as reports print it)")
            let e = T.expectDiagnostic(d, .invalidValue, file: "acme/pack.yaml", line: 10, column: 14)
            #expect(e?.message == "invalid value '2027-31-03' for 'waivers[0].expires' (expected a date such as 2027-03-31)")
        }

        @Test func selectStepWithBothIncludeAndExclude() throws {
            let d = try corePack("""
                select:
                  - include: { tags: [privacy] }
                    exclude: { tags: [experimental] }

                """)
            let e = T.expectSingleError(d, .invalidValue, file: "acme/pack.yaml", line: 7, column: 5)
            #expect(e?.message == "each 'select' step is exactly one of 'include' or 'exclude'")
        }

        // MARK: Resolution

        @Test func extendsCycleBetweenTwoPacksByPath() throws {
            let ws = try Workspace()
            for (name, other) in [("a", "b"), ("b", "a")] {
                try ws.write("\(name)/pack.yaml", """
                    format: 1
                    pack: acme/\(name)
                    version: 1.0.0
                    description: Pack \(name).
                    extends: { path: ../\(other) }

                    """)
            }
            let d = ws.errors(["a"])
            let e = T.expectSingleError(d, .packCycle, file: "a/../b/pack.yaml", line: 5, column: 18)
            #expect(e?.message == "'extends' makes a cycle: acme/a → acme/b → acme/a (pack 'acme/a' appears twice)")
        }

        /// A pack in a cycle is read once: its own problems are not reported a second time.
        @Test func cycleReportsTheOtherProblemsOfItsPacksOnce() throws {
            let ws = try Workspace()
            for (name, other) in [("a", "b"), ("b", "a")] {
                try ws.write("\(name)/pack.yaml", """
                    format: 1
                    pack: acme/\(name)
                    version: 1.0.0
                    \(name == "a" ? "descripton" : "description"): Pack \(name).
                    extends: { path: ../\(other) }

                    """)
            }
            let d = ws.errors(["a"])
            let got = d.map { "\($0.file.replacingOccurrences(of: ws.root + "/", with: "")):\($0.line ?? 0):\($0.column ?? 0) \($0.code)" }
            // A parent named by path is shown by that path, relative to its child's folder.
            #expect(got == ["a/../b/pack.yaml:5:18 pack-cycle", "a/pack.yaml:4:1 unknown-key"], "\(T.dump(d))")
        }

        /// Chains of 16 packs load; a 17th is reported at the `extends` that reaches it.
        @Test func extendsChainLongerThanSixteen() throws {
            let ws = try Workspace()
            for i in 0...16 {
                try ws.write("p\(i)/pack.yaml", """
                    format: 1
                    pack: acme/p\(i)
                    version: 1.0.0
                    description: Pack \(i).

                    """ + (i == 0 ? "" : "extends: { path: ../p\(i - 1) }\n"))
            }
            #expect(try ws.load(["p15"]).packs.count == 16)
            let d = ws.errors(["p16"])
            let e = T.expectSingleError(d, .packCycle, file: "p1/pack.yaml", line: 5, column: 18)
            #expect(e?.message == "'extends' chain is longer than 16 packs (from 'acme/p16')")
        }

        @Test func packExtendingItselfByIDThroughTheSearchPath() throws {
            let ws = try Workspace()
            try ws.write("search/acme/self/pack.yaml", """
                format: 1
                pack: acme/self
                version: 1.0.0
                description: Extends itself.
                extends: { pack: acme/self }

                """)
            let d = ws.errors(["search/acme/self"], search: ["search"])
            let e = T.expectSingleError(d, .packCycle, file: "search/acme/self/pack.yaml", line: 5, column: 18)
            #expect(e?.message == "'extends' makes a cycle: acme/self → acme/self (pack 'acme/self' appears twice)")
        }

        @Test func extendsAnUnknownPackID() throws {
            let ws = try Workspace()
            try ws.write("acme/pack.yaml", """
                format: 1
                pack: acme/policy
                version: 1.0.0
                description: Test pack.
                extends: { pack: synthscan/cor }

                """)
            let d = ws.errors(["acme"])
            let e = T.expectSingleError(d, .packNotFound, file: "acme/pack.yaml", line: 5, column: 18)
            #expect(e?.message == "pack 'synthscan/cor' not found: it is not embedded and no folder on the search path holds it (did you mean 'synthscan/core'?); add its folder to SYNTHSCAN_RULES_PATH, or use 'extends: {path: ...}'")
        }

        @Test func versionRangeNotSatisfied() throws {
            let ws = try Workspace()
            try ws.write("acme/pack.yaml", """
                format: 1
                pack: acme/policy
                version: 1.0.0
                description: Test pack.
                extends: { pack: synthscan/core, version: "^9.0" }

                """)
            let d = ws.errors(["acme"])
            let e = T.expectSingleError(d, .packVersion, file: "acme/pack.yaml", line: 5, column: 43)
            #expect(e?.message == "pack 'synthscan/core' \(T.coreVersion) (embedded) does not satisfy '^9.0'")
        }

        @Test func invalidVersionRange() throws {
            let ws = try Workspace()
            try ws.write("acme/pack.yaml", """
                format: 1
                pack: acme/policy
                version: 1.0.0
                description: Test pack.
                extends: { pack: synthscan/core, version: "^x.1" }

                """)
            let d = ws.errors(["acme"])
            T.expectSingleError(d, .invalidValue, file: "acme/pack.yaml", line: 5, column: 43,
                                message: ["invalid version range for 'extends': ", "x"])
        }

        @Test func invalidPackVersion() throws {
            let ws = try Workspace()
            try ws.write("acme/pack.yaml", T.manifest(version: "1.2"))
            try ws.write("acme/rules/sample.yaml", T.rule())
            let d = ws.errors(["acme"])
            let e = T.expectSingleError(d, .invalidValue, file: "acme/pack.yaml", line: 3, column: 10)
            #expect(e?.message == "invalid value for 'version': expected a semantic version such as 1.2.0, found '1.2'")
        }

        @Test func engineRangeNotSatisfied() throws {
            let ws = try Workspace()
            try ws.write("acme/pack.yaml", T.manifest(tail: "synthscan: \">=99\"\n"))
            try ws.write("acme/rules/sample.yaml", T.rule())
            let d = ws.errors(["acme"])
            let e = T.expectSingleError(d, .engineVersion, file: "acme/pack.yaml", line: 7, column: 12)
            #expect(e?.message == "pack 'acme/policy' requires synthscan >=99; this is synthscan \(SynthScanVersion.current)")
        }

        // MARK: Safety

        /// A pack `acme` whose `rules:` is the single entry `entry` (line 6, column 5), next to an outside
        /// folder holding a rule whose text must never appear in a message.
        func packWithRuleEntry(_ entry: (Workspace) -> String) throws -> (Workspace, [ConfigDiagnostic]) {
            let ws = try Workspace()
            try ws.write("outside/rule.yaml", T.edit(T.rule(), "summary: Sample rule.", "summary: OUTSIDE-SECRET-TEXT"))
            try ws.write("acme/pack.yaml", """
                format: 1
                pack: acme/policy
                version: 1.0.0
                description: Test pack.
                rules:
                  - \(entry(ws))

                """)
            let d = ws.errors(["acme"])
            #expect(!T.dump(d).contains("OUTSIDE-SECRET-TEXT"))
            return (ws, d)
        }

        @Test func ruleFilePathWithDotDot() throws {
            let (_, d) = try packWithRuleEntry { _ in "../outside/rule.yaml" }
            T.expectSingleError(d, .outsidePack, file: "acme/pack.yaml", line: 6, column: 5,
                                message: ["rule file '../outside/rule.yaml' must be a path or glob inside the pack folder: "])
        }

        @Test func ruleFileAbsolutePath() throws {
            let (ws, d) = try packWithRuleEntry { $0.path("outside/rule.yaml") }
            T.expectSingleError(d, .outsidePack, file: "acme/pack.yaml", line: 6, column: 5,
                                message: ["rule file '\(ws.path("outside/rule.yaml"))' must be a path or glob inside the pack folder: "])
        }

        @Test func ruleGlobThatMatchesNothing() throws {
            let (_, d) = try packWithRuleEntry { _ in "rules/**/*.yaml" }
            let e = T.expectSingleError(d, .fileNotFound, file: "acme/pack.yaml", line: 6, column: 5)
            #expect(e?.message == "no rule file in the pack matches 'rules/**/*.yaml'")
        }

        @Test func literalRuleFileThatDoesNotExist() throws {
            let (_, d) = try packWithRuleEntry { _ in "rules/missing.yaml" }
            let e = T.expectSingleError(d, .fileNotFound, file: "acme/pack.yaml", line: 6, column: 5)
            #expect(e?.message == "rule file 'rules/missing.yaml' does not exist in the pack")
        }

        /// File-level problems (size, encoding) name the file as every other message does, even when the
        /// pack folder was given with a trailing '/'.
        @Test func fileLevelErrorsNameTheFileLikeOtherMessages() throws {
            let ws = try Workspace()
            try ws.write("acme/pack.yaml", T.manifest())
            try ws.write("acme/rules/a.yaml", bytes: Array(T.rule(id: "acme/a").utf8) + [0xC3])
            try ws.write("acme/rules/b.yaml", T.edit(T.rule(id: "acme/b"), "check: exact-copy", "check: exact-cpy"))
            var d: [ConfigDiagnostic] = []
            do { _ = try ws.loader().load(roots: [ws.path("acme") + "/"]) } catch { d = error.diagnostics }
            #expect(d.map(\.file) == [ws.path("acme/rules/a.yaml"), ws.path("acme/rules/b.yaml")], "\(T.dump(d))")
            #expect(d.map(\.code) == [.notUTF8, .unknownCheckKind])
        }

        /// A folder over the file limit is refused, not silently cut (which files were cut would depend on
        /// the file system's listing order).
        @Test func packFolderWithTooManyFiles() throws {
            let ws = try Workspace()
            try ws.write("acme/pack.yaml", T.manifest())
            try ws.write("acme/rules/sample.yaml", T.rule())
            for i in 0..<PackSource.maxFiles { try ws.write("acme/data/\(i).csv", "") }
            let d = ws.errors(["acme"])
            let e = T.expectSingleError(d, .fileTooLarge, file: "acme/pack.yaml", line: 6, column: 5)
            #expect(e?.message == "the pack folder holds more than 2000 files, the most a pack may have, so globs are not expanded; remove files or split the pack")
        }

        /// A link inside the pack to a rule outside it, matched by a glob next to a valid rule: refused, never read.
        @Test func symlinkLeavingThePackMatchedByAGlob() throws {
            let ws = try Workspace()
            try ws.write("outside/rule.yaml", T.edit(T.rule(id: "acme/evil"), "summary: Sample rule.", "summary: OUTSIDE-SECRET-TEXT"))
            try ws.write("acme/pack.yaml", T.manifest())
            try ws.write("acme/rules/good.yaml", T.rule())
            try ws.link("acme/rules/evil.yaml", to: ws.path("outside/rule.yaml"))
            let d = ws.errors(["acme"])
            T.expectSingleError(d, .outsidePack, file: "acme/rules/evil.yaml", line: nil, column: nil,
                                message: ["refused: it is a symbolic link leading outside the pack folder"])
            #expect(!T.dump(d).contains("OUTSIDE-SECRET-TEXT"))
            #expect(!T.dump(d).contains("acme/evil"))
        }

        /// The same link named literally in `rules:`.
        @Test func symlinkLeavingThePackNamedLiterally() throws {
            let ws = try Workspace()
            try ws.write("outside/rule.yaml", T.edit(T.rule(id: "acme/evil"), "summary: Sample rule.", "summary: OUTSIDE-SECRET-TEXT"))
            try ws.write("acme/pack.yaml", T.manifest().replacingOccurrences(of: "rules/*.yaml", with: "rules/evil.yaml"))
            try ws.link("acme/rules/evil.yaml", to: ws.path("outside/rule.yaml"))
            let d = ws.errors(["acme"])
            T.expectSingleError(d, .outsidePack, file: "acme/rules/evil.yaml", line: nil, column: nil,
                                message: ["refused: it is a symbolic link leading outside the pack folder"])
            #expect(!T.dump(d).contains("OUTSIDE-SECRET-TEXT"))
        }

        /// A self-test fixture that is a link leaving the pack is refused with the same code.
        @Test func symlinkedFixtureLeavingThePack() throws {
            let ws = try Workspace()
            try ws.write("outside/secret.csv", "a,b\nOUTSIDE-SECRET-TEXT,2\n")
            try ws.link("acme/tests/copy.csv", to: ws.path("outside/secret.csv"))
            try ws.write("acme/pack.yaml", T.manifest())
            try ws.write("acme/rules/sample.yaml", T.edit(T.rule(), #"    synthetic: "a,b\n1,2\n""#, "    synthetic: { file: tests/copy.csv }"))
            let d = ws.errors(["acme"])
            T.expectSingleError(d, .outsidePack, file: "acme/rules/sample.yaml", line: 13, column: 5, message: [
                "self-test 'a copy triggers': fixture 'tests/copy.csv' cannot be read: ",
                "refused: it is a symbolic link leading outside the pack folder",
            ])
            #expect(!T.dump(d).contains("OUTSIDE-SECRET-TEXT"))
        }

        @Test func yamlAliasIsRefused() throws {
            let d = try brokenRule("tags: [acme]", "tags: &t [acme]\nreferences: *t")
            let e = T.expectSingleError(d, .yamlAlias, file: "acme/rules/sample.yaml", line: 7, column: 7)
            #expect(e?.message == "YAML anchors and aliases are not allowed in this file (found anchor '&t')")
        }

        @Test func fileOverTheSizeLimit() throws {
            let ws = try Workspace()
            try ws.write("acme/pack.yaml", T.manifest())
            let padding = String(repeating: "# padding padding padding padding padding padding padding padding\n", count: 5000)
            let text = T.rule() + padding
            #expect(text.utf8.count > PackSource.maxFileBytes)
            try ws.write("acme/rules/big.yaml", text)
            let d = ws.errors(["acme"])
            let e = T.expectSingleError(d, .fileTooLarge, file: "acme/rules/big.yaml", line: nil, column: nil)
            #expect(e?.message == "file is too large (\(text.utf8.count) bytes; the limit is 262144 bytes)")
        }

        @Test func nonUTF8RuleFile() throws {
            let ws = try Workspace()
            try ws.write("acme/pack.yaml", T.manifest())
            var bytes = Array(T.rule().utf8)
            let at = bytes.indices.first { Array(bytes[$0...].prefix(7)) == Array("Sample ".utf8) }!
            bytes.insert(0xFF, at: at + 7) // line 4: "summary: Sample \u{FF}rule."
            try ws.write("acme/rules/sample.yaml", bytes: bytes)
            let d = ws.errors(["acme"])
            let e = T.expectSingleError(d, .notUTF8, file: "acme/rules/sample.yaml", line: 4, column: 17)
            #expect(e?.message == "file is not valid UTF-8")
        }

        // MARK: Lock files

        /// A pack `acme` (one rule) locked as `rules lock` does: loaded without lock checks, then `render`ed.
        func lockedPack() throws -> Workspace {
            let ws = try Workspace()
            try ws.write("acme/pack.yaml", T.manifest())
            try ws.write("acme/rules/sample.yaml", T.rule())
            var loader = ws.loader()
            loader.verifiesLockFiles = false
            let set = try loader.load(roots: [ws.path("acme")])
            try ws.write("acme/" + PackLockFile.fileName, PackLockFile.render(set.packs))
            return ws
        }

        @Test func lockFileMismatchAfterAChange() throws {
            let ws = try lockedPack()
            try ws.write("acme/rules/sample.yaml", T.edit(T.rule(), "summary: Sample rule.", "summary: Sample rule, edited."))
            let d = ws.errors(["acme"])
            T.expectSingleError(d, .packLock, file: "acme/" + PackLockFile.fileName, line: 5, column: 5, message: [
                "pack 'acme/policy' has changed since it was locked (content sha256:", ", locked sha256:",
                "); review the change, then run `synthscan rules lock \(ws.path("acme"))`",
            ])
        }

        @Test func lockFileRecordingAPackNoLongerInTheChain() throws {
            let ws = try lockedPack()
            let lock = try String(contentsOfFile: ws.path("acme/" + PackLockFile.fileName), encoding: .utf8)
            try ws.write("acme/" + PackLockFile.fileName, lock + "  - pack: acme/old\n    version: 0.9.0\n    sha256: \(String(repeating: "0", count: 64))\n")
            let d = ws.errors(["acme"])
            let e = T.expectSingleError(d, .packLock, file: "acme/" + PackLockFile.fileName, line: 8, column: 5)
            #expect(e?.message == "the lock file records pack 'acme/old', which the chain no longer uses; review the change, then run `synthscan rules lock \(ws.path("acme"))`")
        }

        @Test func lockFileRecordingAnotherVersion() throws {
            let ws = try lockedPack()
            let lock = try String(contentsOfFile: ws.path("acme/" + PackLockFile.fileName), encoding: .utf8)
            try ws.write("acme/" + PackLockFile.fileName, lock.replacingOccurrences(of: "version: 1.0.0", with: "version: 0.9.0"))
            let d = ws.errors(["acme"])
            let e = T.expectSingleError(d, .packLock, file: "acme/" + PackLockFile.fileName, line: 5, column: 5)
            #expect(e?.message == "pack 'acme/policy' is version 1.0.0 but the lock file records 0.9.0; review the change, then run `synthscan rules lock \(ws.path("acme"))`")
        }

        @Test func lockFileMissingAPackOfTheChain() throws {
            let ws = try lockedPack()
            try ws.write("acme/pack.yaml", T.manifest(tail: "extends: { pack: synthscan/core }\n"))
            let d = ws.errors(["acme"])
            #expect(T.errorsOnly(d).count == 2, "\(T.dump(d))")
            T.expectDiagnostic(d, .packLock, file: "acme/" + PackLockFile.fileName, line: 3, column: 1,
                               message: ["pack 'synthscan/core' \(T.coreVersion) is not in the lock file; review the change, then run `synthscan rules lock "])
            T.expectDiagnostic(d, .packLock, file: "acme/" + PackLockFile.fileName, line: 5, column: 5,
                               message: ["pack 'acme/policy' has changed since it was locked"])
        }

        // MARK: Hygiene

        @Test func ruleWithoutANonTriggeringSelfTestLoadsWithAWarning() throws {
            let ws = try Workspace()
            try ws.write("acme/pack.yaml", T.manifest())
            let rule = T.rule().components(separatedBy: "\n").prefix(16).joined(separator: "\n") + "\n"
            try ws.write("acme/rules/sample.yaml", rule)
            let set = try ws.load(["acme"])
            #expect(set.warnings.count == 1, "\(T.dump(set.warnings))")
            T.expectDiagnostic(set.warnings, .missingTests, file: "acme/rules/sample.yaml", line: 2, column: 5,
                               message: ["rule 'acme/sample' has no non-triggering (expect: pass) self-test; every rule needs both"], severity: .warning)
        }

        // MARK: All at once

        /// Five mistakes in three files are all reported by one load, sorted by file, then position.
        @Test func fiveMistakesInThreeFilesInOneLoad() throws {
            let ws = try Workspace()
            try ws.write("acme/pack.yaml", """
                format: 1
                pack: acme/policy
                version: 1.0.0
                descripton: Test pack.
                rules:
                  - rules/*.yaml
                disable:
                  - rule: acme/a

                """)
            // Written b first: the order files are created in must not matter.
            try ws.write("acme/rules/b.yaml", T.edit(T.rule(id: "acme/b"), "severity: warning", "severity: critical"))
            try ws.write("acme/rules/a.yaml", T.edit(T.edit(T.rule(id: "acme/a"), "  max_copies: 0", "  max_copy: 0"),
                                                     #"message: "{exact_copies_train} copies""#, #"message: "{exact_copies_trian} copies""#))
            let d = ws.errors(["acme"])
            let got = d.map { "\($0.file.replacingOccurrences(of: ws.root + "/", with: "")):\($0.line ?? 0):\($0.column ?? 0) \($0.code)" }
            #expect(got == [
                "acme/pack.yaml:4:1 unknown-key",
                "acme/pack.yaml:8:5 missing-key",
                "acme/rules/a.yaml:9:3 unknown-parameter",
                "acme/rules/a.yaml:10:10 bad-template",
                "acme/rules/b.yaml:6:11 invalid-value",
            ], "\(T.dump(d))")
            #expect(d.map(\.description) == d.sorted { ($0.file, $0.line ?? 0, $0.column ?? 0) < ($1.file, $1.line ?? 0, $1.column ?? 0) }.map(\.description))
            #expect(d.first?.message == "unknown key 'descripton' at the top level (did you mean 'description'?)")
            #expect(d.last?.message.hasPrefix("invalid value 'critical' for 'severity' (expected one of: ") == true)
        }
    }
}
