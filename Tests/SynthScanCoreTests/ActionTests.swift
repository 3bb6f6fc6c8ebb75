import Foundation
import Testing
@testable import SynthScanCore

/// The GitHub composite action at the repository root is valid YAML, declares every input it
/// uses, and never pastes an input into a shell script (inputs go through the environment).
@Suite struct ActionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @Test func actionDeclaresItsInputsAndKeepsThemOutOfScripts() throws {
        let path = Self.root + "/action.yml"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let document = try YAMLDocument.parse(text, file: path, limits: .configuration)
        guard case .mapping(let top)? = document.root, case .mapping(let inputs)? = top["inputs"],
              case .mapping(let runs)? = top["runs"], case .sequence(let steps)? = runs["steps"] else {
            Issue.record("action.yml lacks inputs or runs.steps")
            return
        }
        #expect(runs["using"]?.string == "composite")
        let declared = Set(inputs.keys.compactMap(\.string))
        #expect(declared.isSuperset(of: ["config", "synthetic", "rules", "fail-on", "sarif", "upload", "category"]))
        // Every `inputs.NAME` the file mentions is declared.
        let pattern = "inputs."
        var rest = Substring(text)
        while let range = rest.range(of: pattern) {
            let name = rest[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
            #expect(declared.contains(String(name)), "action.yml uses undeclared input '\(name)'")
            rest = rest[range.upperBound...]
        }
        for step in steps {
            guard case .mapping(let map) = step, let script = map["run"]?.string else { continue }
            #expect(!script.contains("${{"), "a run script must read inputs from env, not expressions: \(map["name"]?.string ?? "")")
        }
    }
}
