import Foundation

/// The files of a new institution pack (`synthscan rules init`): a manifest that extends the core
/// pack, one sample rule with a triggering and a non-triggering self-test, and a README.
///
/// The scaffold is valid as written: `synthscan rules validate` and `rules test` pass on it.
public struct PackScaffold: Sendable {
    /// Why a scaffold cannot be written.
    public enum ScaffoldError: Error, CustomStringConvertible {
        /// The name cannot become a pack id.
        case invalidName(String)
        /// The target folder already exists.
        case exists(String)
        /// Writing failed.
        case cannotWrite(path: String, reason: String)

        public var description: String {
            switch self {
            case .invalidName(let n):
                "error: '\(n)' cannot name a pack: use lower-case letters, digits and '-', optionally 'organisation/name' (e.g. acme-health/policy)"
            case .exists(let p): "\(p): error: already exists; choose another --directory (nothing was written)"
            case .cannotWrite(let p, let r): "\(p): error: cannot write: \(r)"
            }
        }
    }

    /// Pack id, e.g. `acme-health/policy`.
    public let packID: String
    /// Rule namespace for the sample rule, e.g. `acme-health`.
    public let namespace: String
    /// Default folder name (the last part of the id).
    public var folderName: String { String(packID.split(separator: "/").last!) }

    /// A scaffold for `name`: `org/name`, or a single `name` (then the id is `name/policy`).
    public init(name: String) throws(ScaffoldError) {
        let id = name.contains("/") ? name : name + "/policy"
        guard RuleFileParser.isValidRuleID(id), id.split(separator: "/").count == 2 else { throw .invalidName(name) }
        packID = id
        namespace = String(id.split(separator: "/")[0])
    }

    /// File path (relative) → text.
    public var files: [(path: String, text: String)] {
        let coreVersion = PackRepository.head(of: .embeddedCore)?.version ?? SynthScanVersion.current
        let minor = coreVersion.split(separator: ".").prefix(2).joined(separator: ".")
        let manifest = """
        # Rule pack \(packID): extends the core pack with this institution's policy.
        # Validate with `synthscan rules validate .`, test with `synthscan rules test .`,
        # and record the exact core version with `synthscan rules lock .` before review.
        format: 1
        pack: \(packID)
        version: 0.1.0
        description: Policy of \(namespace) for synthetic releases (edit me).
        extends: { pack: \(RulePackLoader.corePackID), version: "^\(minor)" }
        rules:
          - rules/**/*.yaml

        # Tighten or relax core rules (a different check needs a new rule id, not an override):
        # overrides:
        #   privacy/exact-copy:
        #     params: { max_copies: 0 }
        #     severity: error

        # Switch a rule off, saying why (the reason is printed in every report):
        # disable:
        #   - rule: some/rule-id
        #     reason: Covered by our manual review board.

        # Accept known findings, with a justification and an expiry date:
        # waivers:
        #   - rule: privacy/exact-copy
        #     fingerprints: [0123456789abcdef]
        #     reason: Public reference record, approved by the data protection officer.
        #     approved_by: DPO ticket 1234
        #     expires: 2027-12-31

        """
        let rule = """
        format: 1
        id: \(namespace)/quasi-identifier-copy
        check: exact-copy
        summary: Synthetic records must not repeat a training record's quasi-identifiers.
        description: >-
          A synthetic row that reproduces a training patient's full quasi-identifier combination
          can be linked to that patient through outside data even when other columns differ.
        severity: warning
        tags: [privacy, \(namespace)]
        params:
          columns: [age, sex, zip3]   # edit: your quasi-identifier columns
          max_copies: 0
        message: "{exact_copies_train} synthetic rows ({exact_copy_share_train:.1%}) repeat a training record's quasi-identifiers; allowed: {max_copies}."
        help: |
          **What it catches.** Synthetic rows whose quasi-identifiers (age, sex, ZIP3) equal those of a
          training record. **Why it matters.** Such rows can be linked to the real patient. **How to fix.**
          Coarsen the quasi-identifiers before generation, or regenerate the rows.
        references:
          - "Sweeney L. k-anonymity: a model for protecting privacy. 2002."
        tests:
          - name: a repeated quasi-identifier combination triggers
            expect: fail
            measurements: { exact_copies_train: 1 }
            train: |
              age,sex,zip3,dx
              34,F,021,A
              71,M,945,B
            synthetic: |
              age,sex,zip3,dx
              34,F,021,C
              50,M,100,B
          - name: new combinations pass
            expect: pass
            train: |
              age,sex,zip3,dx
              34,F,021,A
            synthetic: |
              age,sex,zip3,dx
              35,F,021,A

        """
        let readme = """
        # \(packID)

        An institution rule pack for [synthscan](https://github.com/synthscan/synthscan). It extends the
        core pack: every core rule runs, with the overrides in `pack.yaml`, plus the rules in `rules/`.

        - `synthscan rules list --rules .` — the effective rules
        - `synthscan rules show \(namespace)/quasi-identifier-copy --rules .` — one rule, with who set each parameter
        - `synthscan rules validate .` — every mistake, with file:line:column
        - `synthscan rules test .` — run the rules' self-tests
        - `synthscan rules lock .` — pin the core pack's version and content

        """
        return [("pack.yaml", manifest), ("rules/\(namespace)/quasi-identifier-copy.yaml", rule), ("README.md", readme)]
    }

    /// Writes the files under `folder`, which must not exist yet.
    public func write(to folder: String) throws(ScaffoldError) {
        guard !FileManager.default.fileExists(atPath: folder) else { throw .exists(folder) }
        for (relative, text) in files {
            let path = folder + "/" + relative
            do {
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw .cannotWrite(path: path, reason: error.localizedDescription)
            }
        }
    }
}
