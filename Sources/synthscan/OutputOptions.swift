import ArgumentParser
import Foundation
import SynthScanCore

/// Where reports go.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Format of the main report: text, json, sarif or markdown (a pull-request or step summary).")
    var format: ReportFormat = .text

    @Option(name: .long, help: "File for the main report (default: standard output).")
    var output: String?

    @Option(name: .long, help: "Also write a SARIF 2.1.0 report to this file.")
    var sarif: String?

    @Option(name: .long, help: "Also write the JSON report to this file.")
    var json: String?

    @Option(name: .long, help: "Also write the Markdown summary to this file.")
    var markdown: String?

    @Option(name: .customLong("source-root"), help: "Folder that report paths are relative to (default: the working directory).")
    var sourceRoot: String?

    @Flag(name: .long, help: "Colour the text report.")
    var color = false

    /// Writes every requested report; never leaves a half-written file behind.
    func write(_ result: ScanResult, configuration: ScanConfiguration) throws {
        if let sarif { try writeFile(sarif, bytes: try writer(.sarif, result, configuration).write(result)) }
        if let json { try writeFile(json, bytes: try writer(.json, result, configuration).write(result)) }
        if let markdown { try writeFile(markdown, bytes: try writer(.markdown, result, configuration).write(result)) }
        let main = try writer(format, result, configuration).write(result)
        if let output {
            try writeFile(output, bytes: main)
        } else {
            FileHandle.standardOutput.write(Data(main))
        }
    }

    private func writer(_ format: ReportFormat, _ result: ScanResult, _ configuration: ScanConfiguration) -> any ReportWriter {
        switch format {
        case .text: return TextReportWriter(color: color)
        case .json: return JSONReportWriter()
        case .markdown: return MarkdownReportWriter()
        case .sarif:
            let root = configuration.sourceRoot ?? FileManager.default.currentDirectoryPath
            let rootURI = URL(fileURLWithPath: root, isDirectory: true).standardizedFileURL.absoluteString
            let syntheticName = result.inputs.first { $0.role == .synthetic }.map { URL(fileURLWithPath: $0.path).lastPathComponent } ?? "synthetic"
            return SARIFReportWriter(sourceRootURI: rootURI.hasSuffix("/") ? rootURI : rootURI + "/",
                                     automationID: "synthscan/\(syntheticName)/")
        }
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
    case text, json, sarif, markdown
}
