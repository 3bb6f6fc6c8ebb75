import Foundation
import Testing

/// Runs the built `synthscan` executable and captures its exit code and output.
struct CLIRunner {
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The `synthscan` binary next to the test bundle (same build folder, whatever the scratch path).
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("synthscan")
    }

    /// The repository root, from this file's path.
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Runs `synthscan args…` in `directory`, with `environment` added to this process's
    /// (batch-system variables that `--shard auto` reads are never inherited: only given).
    static func run(_ args: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> Run {
        let binary = executable
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            Issue.record("synthscan binary not found at \(binary.path); build with `swift build --build-tests` first")
            return Run(status: -1, stdout: "", stderr: "")
        }
        return try run(binary, args, in: directory, environment: environment)
    }

    /// Runs `program args…` (see `run(_:in:environment:)`).
    static func run(_ program: URL, _ args: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = program
        process.arguments = args
        if let directory { process.currentDirectoryURL = directory }
        var inherited = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SLURM_") && $0.key != "JOB_COMPLETION_INDEX" }
        inherited.merge(environment) { _, given in given }
        process.environment = inherited
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                   stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// A temporary folder with files, removed when the test ends.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("synthscan-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `text` to `name` and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return file.path
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}
