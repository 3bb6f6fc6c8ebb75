import Foundation
import Testing
@testable import SynthScanCore

/// `synthscan init`: the roles it proposes on the example cohort and on a differently named
/// cohort are the ones a clinician would pick, the file it writes loads and scans without edits,
/// and it never overwrites a file or proceeds without confirmation.
@Suite struct InitCommandTests {
    static var examples: URL { ExampleScanTests.examples }

    @Test func theExampleCohortGetsTheRolesOfTheHandWrittenConfigAndScans() throws {
        let out = try TemporaryFolder()
        let e = Self.examples.path
        let run = try CLIRunner.run(["init", "--train", e + "/train.csv", "--holdout", e + "/holdout.csv",
                                     "--synthetic", e + "/synthetic_clean.csv", "--yes"], in: out.url)
        #expect(run.status == 0, "\(run.stderr)")
        let written = try ScanConfigurationLoader.load(path: out.path("synthscan.yaml"))
        let handWritten = try ScanConfigurationLoader.load(path: e + "/synthscan.yaml")
        #expect(written.roles.identifiers == handWritten.roles.identifiers)
        #expect(Set(written.roles.quasiIdentifiers) == Set(handWritten.roles.quasiIdentifiers))
        #expect(written.roles.sensitive == handWritten.roles.sensitive)
        #expect(Set(written.roles.protected) == Set(handWritten.roles.protected))
        #expect(written.roles.outcome?.column == handWritten.roles.outcome?.column)
        #expect(written.roles.outcome?.positiveValue == handWritten.roles.outcome?.positiveValue)
        let text = try String(contentsOfFile: out.path("synthscan.yaml"), encoding: .utf8)
        #expect(text.contains("- patient_id   # inferred, confirm: named like an identifier"))
        #expect(text.components(separatedBy: "# inferred, confirm:").count - 1 >= 9, "every role is marked")

        let scan = try CLIRunner.run(["scan"], in: out.url)
        #expect(scan.status == 0, "the clean release scans without edits: \(scan.stdout) \(scan.stderr)")
        let leaky = try CLIRunner.run(["scan", "--synthetic", e + "/synthetic_copies.csv"], in: out.url)
        #expect(leaky.status == 1, "and the leaky one fails")
    }

    @Test func aDifferentlyNamedCohortIsRecognisedToo() throws {
        let out = try TemporaryFolder()
        var lines = ["MRN,DOB,Gender,Race,Ethnicity,PreferredLanguage,Insurance,ZIP,ICD10,DiedInHospital,LOS,Notes"]
        let races = ["White", "Black", "Asian", "Other"], codes = ["I21.4", "E11.9", "J18.9", "N17.9"]
        for i in 0..<240 {
            lines.append("A\(100_000 + i),19\(40 + i % 50)-0\(1 + i % 9)-1\(i % 9),\(i % 2 == 0 ? "Female" : "Male"),\(races[i % 4]),"
                + "\(i % 5 == 0 ? "Hispanic" : "Not Hispanic"),\(i % 3 == 0 ? "Spanish" : "English"),\(["Medicaid", "Medicare", "Private"][i % 3]),"
                + "\(60_601 + i % 40),\(codes[i % 4]),\(i % 9 == 0 ? 1 : 0),\(1 + i % 12),\(i % 4 == 0 ? "" : "note \(i % 7)")")
        }
        let text = lines.joined(separator: "\n") + "\n"
        try out.write("train.csv", text)
        try out.write("synthetic.csv", text)
        let run = try CLIRunner.run(["init", "--train", "train.csv", "--synthetic", "synthetic.csv", "--yes"], in: out.url)
        #expect(run.status == 0, "\(run.stderr)")
        let c = try ScanConfigurationLoader.load(path: out.path("synthscan.yaml"))
        #expect(c.roles.identifiers == ["MRN"])
        #expect(Set(c.roles.quasiIdentifiers) == ["DOB", "Gender", "ZIP"])
        #expect(Set(c.roles.protected) == ["Gender", "Race", "Ethnicity", "PreferredLanguage", "Insurance"])
        #expect(c.roles.sensitive == ["ICD10"])
        #expect(c.roles.outcome?.column == "DiedInHospital" && c.roles.outcome?.positiveValue == "1")
        #expect(c.columns["ZIP"]?.type == .categorical, "a ZIP code is a label, not a quantity")
        #expect(c.inputs.holdout == nil)
        #expect(run.stdout.contains("warning: no holdout table"))
        #expect(run.stdout.contains("column Notes is missing in 25% of training rows") == false, "25% is below the 30% threshold")
        let scan = try CLIRunner.run(["scan"], in: out.url)
        #expect(scan.status != 2, "the written configuration loads and scans: \(scan.stderr)")
    }

    @Test func initRefusesToOverwriteOrToGuessWithoutConfirmation() throws {
        let out = try TemporaryFolder()
        let e = Self.examples.path
        let args = ["init", "--train", e + "/train.csv", "--synthetic", e + "/synthetic_clean.csv"]
        let noTerminal = try CLIRunner.run(args, in: out.url)
        #expect(noTerminal.status == 2 && noTerminal.stderr.contains("pass --yes"))
        try out.write("synthscan.yaml", "version: 1\n")
        let exists = try CLIRunner.run(args + ["--yes"], in: out.url)
        #expect(exists.status == 2 && exists.stderr.contains("pass --force"))
        #expect(try String(contentsOfFile: out.path("synthscan.yaml"), encoding: .utf8) == "version: 1\n", "nothing the user gave is modified")
        #expect(try CLIRunner.run(args + ["--yes", "--force"], in: out.url).status == 0)
    }

    @Test func scalarsReadBackAsTheSameStrings() throws {
        for name in ["age", "zip3", "true", "yes", "1", "0x1F", "-x", "a b", "weird\"name", "1e3", "null", "~", ".5", "café"] {
            let text = "version: 1\ninputs: { train: \(ConfigProposalWriter.scalar(name)), synthetic: s.csv }\n"
            let c = try ScanConfigurationLoader.parse(text, file: "/tmp/x.yaml")
            #expect(c.inputs.train?.hasSuffix(name) == true, "\(name) → \(ConfigProposalWriter.scalar(name)) → \(c.inputs.train ?? "nil")")
        }
    }
}
