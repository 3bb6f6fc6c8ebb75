import Foundation

/// Writes an `ExampleBundle` into a directory, creating the directory if needed. Files not
/// belonging to the bundle (for example `synthscan.yaml`) are left untouched.
public struct ExampleBundleWriter: Sendable {
    /// Creates a writer.
    public init() {}

    /// Writes every file of `bundle` into `directory` (atomically, one file at a time).
    /// - Returns: the paths written, in bundle order.
    /// - Throws: `ExamplesError.io` naming the directory or file that could not be written.
    @discardableResult
    public func write(_ bundle: ExampleBundle, toDirectory directory: String) throws -> [String] {
        let directoryURL = URL(fileURLWithPath: directory, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: directoryURL, withIntermediateDirectories: true)
        } catch {
            throw ExamplesError.io(path: directory, reason: "cannot create directory: \(error.localizedDescription)")
        }
        var written: [String] = []
        for file in bundle.files {
            let url = directoryURL.appendingPathComponent(file.name)
            do {
                try Data(file.contents.utf8).write(to: url, options: .atomic)
            } catch {
                throw ExamplesError.io(path: url.path, reason: "cannot write file: \(error.localizedDescription)")
            }
            written.append(url.path)
        }
        return written
    }
}
