import Foundation
import Testing
@testable import SynthScanCore

/// Rule packs: the suite of broken packs (`RulePackTests.Errors`, one mistake each, asserting code,
/// file, line, column and message) and the resolution tests (`RulePackTests.Resolution`).
///
/// Every pack is written to a fresh temporary folder and loaded with an explicit, empty (or
/// test-made) search path, so `SYNTHSCAN_RULES_PATH` in the environment never changes a result.
@Suite("RulePackTests")
struct RulePackTests {
    /// The date the loader judges waiver expiry against.
    static let today = "2026-11-29"

    /// `<repo>` (from `<repo>/Tests/SynthScanCoreTests/RulePackTests.swift`).
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The version of the embedded core pack, as its pack.yaml states it.
    static var coreVersion: String { PackRepository.head(of: .embeddedCore)?.version ?? "?" }

    // MARK: A valid rule, edited into broken ones

    /// A valid rule of kind `exact-copy` with a triggering and a non-triggering self-test.
    /// Line numbers (the broken-pack tests assert positions against them):
    ///
    ///      1 format: 1
    ///      2 id: acme/sample
    ///      3 check: exact-copy
    ///      4 summary: Sample rule.
    ///      5 description: A sample rule for the tests.
    ///      6 severity: warning
    ///      7 tags: [acme]
    ///      8 params:
    ///      9   max_copies: 0
    ///     10 message: "{exact_copies_train} copies"
    ///     11 help: Fix it.
    ///     12 tests:
    ///     13   - name: a copy triggers
    ///     14     expect: fail
    ///     15     train: "a,b\n1,2\n"
    ///     16     synthetic: "a,b\n1,2\n"
    ///     17   - name: no copy passes
    ///     18     expect: pass
    ///     19     train: "a,b\n1,2\n"
    ///     20     synthetic: "a,b\n3,4\n"
    static func rule(id: String = "acme/sample", tags: String = "[acme]") -> String {
        #"""
        format: 1
        id: \#(id)
        check: exact-copy
        summary: Sample rule.
        description: A sample rule for the tests.
        severity: warning
        tags: \#(tags)
        params:
          max_copies: 0
        message: "{exact_copies_train} copies"
        help: Fix it.
        tests:
          - name: a copy triggers
            expect: fail
            train: "a,b\n1,2\n"
            synthetic: "a,b\n1,2\n"
          - name: no copy passes
            expect: pass
            train: "a,b\n1,2\n"
            synthetic: "a,b\n3,4\n"

        """#
    }

    /// `text` with the line `old` (exactly as written, indentation included) replaced by `new`
    /// (several lines, or none to delete it). Records an issue if `old` is not a line of `text`.
    static func edit(_ text: String, _ old: String, _ new: String?, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        var lines = text.components(separatedBy: "\n")
        guard let index = lines.firstIndex(of: old) else {
            Issue.record("line \(old.debugDescription) is not in the text", sourceLocation: sourceLocation)
            return text
        }
        if let new { lines[index] = new } else { lines.remove(at: index) }
        return lines.joined(separator: "\n")
    }

    /// A pack manifest without `extends`, including `rules/*.yaml`, followed by `tail` (from line 7):
    ///
    ///      1 format: 1
    ///      2 pack: <id>
    ///      3 version: <version>
    ///      4 description: <description>
    ///      5 rules:
    ///      6   - rules/*.yaml
    static func manifest(id: String = "acme/policy", version: String = "1.0.0", description: String = "Test pack.",
                         tail: String = "") -> String {
        """
        format: 1
        pack: \(id)
        version: \(version)
        description: \(description)
        rules:
          - rules/*.yaml

        """ + tail
    }

    // MARK: Workspace

    /// A fresh temporary folder holding pack folders; removed when the object goes away.
    final class Workspace {
        /// Absolute path.
        let root: String

        init() throws {
            let url = FileManager.default.temporaryDirectory
                .appendingPathComponent("synthscan-packs-tests-\(UUID().uuidString)", isDirectory: true)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            root = url.path
        }

        deinit { try? FileManager.default.removeItem(atPath: root) }

        /// The absolute path of `relative`.
        func path(_ relative: String) -> String { root + "/" + relative }

        /// Writes `text` to `relative` (creating folders); returns the absolute path.
        @discardableResult
        func write(_ relative: String, _ text: String) throws -> String {
            try write(relative, bytes: Array(text.utf8))
        }

        /// Writes raw bytes to `relative` (creating folders); returns the absolute path.
        @discardableResult
        func write(_ relative: String, bytes: [UInt8]) throws -> String {
            let target = path(relative)
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: target))
            return target
        }

        /// Creates a symbolic link at `relative` pointing to `destination` (an absolute path).
        func link(_ relative: String, to destination: String) throws {
            let target = path(relative)
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: target, withDestinationPath: destination)
        }

        /// A loader whose search path is `search` (workspace-relative folders) and whose today is fixed.
        func loader(search: [String] = []) -> RulePackLoader {
            RulePackLoader(repository: PackRepository(searchPaths: search.map(path)), today: RulePackTests.today)
        }

        /// Loads the packs in the workspace-relative folders `roots`.
        func load(_ roots: [String], search: [String] = []) throws(RulePackError) -> EffectiveRuleSet {
            try loader(search: search).load(roots: roots.map(path))
        }

        /// The diagnostics of a load that must fail (an issue is recorded if it succeeds).
        func errors(_ roots: [String], search: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) -> [ConfigDiagnostic] {
            do {
                let set = try load(roots, search: search)
                Issue.record("the packs loaded without error (\(set.rules.count) rules; warnings: \(set.warnings))",
                             sourceLocation: sourceLocation)
                return []
            } catch {
                return error.diagnostics
            }
        }

        /// Every file under the workspace (relative path → bytes, modification date and permissions).
        func snapshot() throws -> [String: String] {
            var result: [String: String] = [:]
            guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [:] }
            while let item = enumerator.nextObject() as? String {
                let full = path(item)
                let attributes = try FileManager.default.attributesOfItem(atPath: full)
                let date = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1
                let permissions = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
                var isDirectory: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory)
                let content = isDirectory.boolValue ? "dir" : SHA256.hex(SHA256.digest(Array(try Data(contentsOf: URL(fileURLWithPath: full)))))
                result[item] = "\(content) \(date) \(permissions)"
            }
            return result
        }
    }

    // MARK: Asserting diagnostics

    /// All diagnostics, one per line, for failure messages.
    static func dump(_ diagnostics: [ConfigDiagnostic]) -> String {
        diagnostics.isEmpty ? "(no diagnostics)" : diagnostics.map(\.description).joined(separator: "\n")
    }

    /// The errors among `diagnostics`.
    static func errorsOnly(_ diagnostics: [ConfigDiagnostic]) -> [ConfigDiagnostic] {
        diagnostics.filter { $0.severity == .error }
    }

    /// Asserts that `diagnostics` holds a diagnostic with `code` in a file ending in `file`, at `line`:`column`,
    /// whose message contains every string of `message` (in that order); returns it.
    @discardableResult
    static func expectDiagnostic(_ diagnostics: [ConfigDiagnostic], _ code: DiagnosticCode, file: String, line: Int?, column: Int?,
                                 message: [String] = [], severity: Severity = .error,
                                 sourceLocation: SourceLocation = #_sourceLocation) -> ConfigDiagnostic? {
        let candidates = diagnostics.filter { $0.code == code && $0.file.hasSuffix("/" + file) }
        guard let found = candidates.first(where: { $0.line == line && $0.column == column }) ?? candidates.first else {
            Issue.record("no [\(code)] diagnostic in …/\(file); got:\n\(dump(diagnostics))", sourceLocation: sourceLocation)
            return nil
        }
        #expect(found.line == line, "line of: \(found)", sourceLocation: sourceLocation)
        #expect(found.column == column, "column of: \(found)", sourceLocation: sourceLocation)
        #expect(found.severity == severity, "severity of: \(found)", sourceLocation: sourceLocation)
        var rest = Substring(found.message)
        for part in message {
            guard let range = rest.range(of: part) else {
                Issue.record("message lacks \(part.debugDescription) (after the earlier parts): \(found.message)",
                             sourceLocation: sourceLocation)
                break
            }
            rest = rest[range.upperBound...]
        }
        return found
    }

    /// Asserts that `diagnostics` holds exactly one error (warnings are ignored) and that it is as described.
    @discardableResult
    static func expectSingleError(_ diagnostics: [ConfigDiagnostic], _ code: DiagnosticCode, file: String, line: Int?, column: Int?,
                                  message: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) -> ConfigDiagnostic? {
        let errors = errorsOnly(diagnostics)
        #expect(errors.count == 1, "expected exactly one error, got:\n\(dump(diagnostics))", sourceLocation: sourceLocation)
        return expectDiagnostic(errors, code, file: file, line: line, column: column, message: message, sourceLocation: sourceLocation)
    }
}
