import ArgumentParser
import Foundation
import SynthScanCore

/// Where reports go, and what the SARIF report includes.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Report format(s): text, json, sarif, markdown (a pull-request or step summary), junit or html (one self-contained page with charts); several separated by commas.",
        discussion: "Several formats need --output-dir: `--format sarif,markdown,junit --output-dir out/` writes out/synthscan.sarif, out/synthscan.md and out/synthscan.junit.xml; add html for out/synthscan.html."))
    var format: ReportFormatList = ReportFormatList([.text])

    @Option(name: .long, help: "File for the report (default: standard output).")
    var output: String?

    @Option(name: .customLong("output-dir"), help: "Folder for the reports, one file per format (synthscan.txt, .json, .sarif, .md, .junit.xml, .html); created if missing.")
    var outputDir: String?

    @Option(name: .long, help: "Also write a SARIF 2.1.0 report to this file.")
    var sarif: String?

    @Option(name: .long, help: "Also write the JSON report to this file.")
    var json: String?

    @Option(name: .long, help: "Also write the Markdown summary to this file.")
    var markdown: String?

    @Option(name: .long, help: "Also write a JUnit XML report to this file.")
    var junit: String?

    @Option(name: .long, help: "Also write the HTML report (self-contained, with charts) to this file.")
    var html: String?

    @Option(name: .customLong("source-root"), help: "Folder that report paths are relative to (default: the working directory).")
    var sourceRoot: String?

    @Option(name: .long, help: ArgumentHelp(
        "An earlier SARIF report of the same scan: results get a baselineState (new, unchanged, updated, absent).",
        discussion: "Findings match by rule and fingerprint (record digest or subgroup, never line numbers), so reordering the synthetic file changes nothing. With --fail-on new the exit code looks only at new findings."))
    var baseline: String?

    @Flag(name: .customLong("include-passes"), help: "Add a SARIF result of kind pass (or notApplicable) for every rule that did not fail, for audit trails.")
    var includePasses = false

    @Flag(name: .customLong("include-suppressed"), help: "Keep waived findings in the SARIF report, marked as suppressed (GitHub shows them as open alerts, so they are left out by default).")
    var includeSuppressed = false

    @Flag(inversion: .prefixedNo, help: "Colour the text report (default: when standard output is a terminal and NO_COLOR is not set).")
    var color: Bool?

    mutating func validate() throws {
        if format.formats.count > 1, outputDir == nil {
            throw ValidationError("several formats (\(format.description)) need --output-dir")
        }
        if outputDir != nil, output != nil {
            throw ValidationError("--output and --output-dir cannot be used together")
        }
    }

    /// The baseline, read once.
    func loadBaseline() throws -> SARIFBaseline? {
        guard let baseline else { return nil }
        do {
            return try SARIFBaseline(contentsOf: baseline)
        } catch {
            throw UserFacingError(message: error.description)
        }
    }

    /// Writes every requested report; never leaves a half-written file behind.
    func write(_ result: ScanResult, configuration: ScanConfiguration, baseline: SARIFBaseline?) throws {
        if let sarif { try writeFile(sarif, bytes: try writer(.sarif, result, configuration, baseline).write(result)) }
        if let json { try writeFile(json, bytes: try writer(.json, result, configuration, baseline).write(result)) }
        if let markdown { try writeFile(markdown, bytes: try writer(.markdown, result, configuration, baseline).write(result)) }
        if let junit { try writeFile(junit, bytes: try writer(.junit, result, configuration, baseline).write(result)) }
        if let html { try writeFile(html, bytes: try writer(.html, result, configuration, baseline).write(result)) }
        if let outputDir {
            do {
                try FileManager.default.createDirectory(atPath: outputDir, withIntermediateDirectories: true)
            } catch {
                throw UserFacingError(message: "\(outputDir): error: cannot create the output folder: \(error.localizedDescription)")
            }
            for f in format.formats {
                let path = URL(fileURLWithPath: outputDir).appendingPathComponent("synthscan.\(f.fileExtension)").path
                try writeFile(path, bytes: try writer(f, result, configuration, baseline).write(result))
            }
            return
        }
        let main = try writer(format.formats[0], result, configuration, baseline).write(result)
        if let output {
            try writeFile(output, bytes: main)
        } else {
            FileHandle.standardOutput.write(Data(main))
        }
    }

    /// The SARIF writer this command line asks for (also used to tell new findings from old ones).
    func sarifWriter(_ result: ScanResult, _ configuration: ScanConfiguration, _ baseline: SARIFBaseline?) -> SARIFReportWriter {
        let root = configuration.sourceRoot ?? FileManager.default.currentDirectoryPath
        let syntheticName = result.inputs.first { $0.role == .synthetic }.map { URL(fileURLWithPath: $0.path).lastPathComponent } ?? "synthetic"
        var writer = SARIFReportWriter(sourceRootURI: SARIFReportWriter.sourceRootURI(forDirectory: root),
                                       automationID: "synthscan/\(syntheticName)/")
        writer.includePasses = includePasses
        writer.includeSuppressed = includeSuppressed
        writer.baseline = baseline
        return writer
    }

    private func writer(_ format: ReportFormat, _ result: ScanResult, _ configuration: ScanConfiguration,
                        _ baseline: SARIFBaseline?) -> any ReportWriter {
        switch format {
        case .text: return TextReportWriter(color: useColor)
        case .json: return JSONReportWriter()
        case .markdown: return MarkdownReportWriter()
        case .junit: return JUnitReportWriter()
        case .html: return HTMLReportWriter()
        case .sarif: return sarifWriter(result, configuration, baseline)
        }
    }

    /// `--color` / `--no-color`, else colour on a terminal unless NO_COLOR (https://no-color.org) is set or TERM is dumb.
    private var useColor: Bool {
        if let color { return color }
        let environment = ProcessInfo.processInfo.environment
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        if environment["TERM"] == "dumb" { return false }
        return outputDir == nil && output == nil && isatty(STDOUT_FILENO) == 1
    }

    /// Writes atomically (a temporary file renamed into place).
    private func writeFile(_ path: String, bytes: [UInt8]) throws {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw UserFacingError(message: "\(path): error: cannot write report: \(error.localizedDescription)")
        }
    }
}

/// Report formats.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, sarif, markdown, junit, html

    /// File name extension under --output-dir.
    var fileExtension: String {
        switch self {
        case .text: "txt"
        case .json: "json"
        case .sarif: "sarif"
        case .markdown: "md"
        case .junit: "junit.xml"
        case .html: "html"
        }
    }
}

/// `--format a,b,c`: one or more distinct formats.
struct ReportFormatList: ExpressibleByArgument, CustomStringConvertible {
    let formats: [ReportFormat]

    init(_ formats: [ReportFormat]) { self.formats = formats }

    init?(argument: String) {
        var formats: [ReportFormat] = []
        for part in argument.split(separator: ",", omittingEmptySubsequences: false) {
            guard let f = ReportFormat(rawValue: part.trimmingCharacters(in: .whitespaces)) else { return nil }
            if !formats.contains(f) { formats.append(f) }
        }
        guard !formats.isEmpty else { return nil }
        self.formats = formats
    }

    var description: String { formats.map(\.rawValue).joined(separator: ",") }
    var defaultValueDescription: String { description }
    static var allValueStrings: [String] { ReportFormat.allCases.map(\.rawValue) }
}
