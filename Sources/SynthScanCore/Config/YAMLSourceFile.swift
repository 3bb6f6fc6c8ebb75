import Foundation

/// Reads a YAML file's text safely: existence, directory, size and UTF-8 checks.
public enum YAMLSourceFile {
    /// Returns the file's text (without a leading byte-order mark), or throws a file-level `ConfigurationError`.
    public static func read(path: String, maxBytes: Int) throws(ConfigurationError) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .fileNotFound(path: path)
        }
        if isDirectory.boolValue { throw .isDirectory(path: path) }

        let reportedSize = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
        if let reportedSize, reportedSize > maxBytes {
            throw .fileTooLarge(path: path, byteCount: reportedSize, limit: maxBytes)
        }
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            data = try handle.read(upToCount: maxBytes + 1) ?? Data()
        } catch {
            throw .unreadable(path: path, reason: reason(for: error))
        }
        if data.count > maxBytes {
            throw .fileTooLarge(path: path, byteCount: nil, limit: maxBytes)
        }
        return try decode(data, path: path)
    }

    /// Decodes strict UTF-8, dropping a leading byte-order mark.
    static func decode(_ data: Data, path: String) throws(ConfigurationError) -> String {
        let bytes = [UInt8](data)
        if let bad = UTF8Validator.firstInvalidOffset(in: bytes) {
            let position = UTF8Validator.position(ofOffset: bad, in: bytes)
            throw .notUTF8(path: path, line: position.line, column: position.column)
        }
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
        return String(decoding: body, as: UTF8.self)
    }

    /// A short reason for a read failure, without Foundation's long wording.
    private static func reason(for error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
           let message = strerror(Int32(underlying.code)) {
            return String(cString: message)
        }
        if nsError.domain == NSPOSIXErrorDomain, let message = strerror(Int32(nsError.code)) {
            return String(cString: message)
        }
        return nsError.localizedDescription
    }
}

/// Strict UTF-8 validation that reports where the first bad byte is.
enum UTF8Validator {
    /// Offset of the first byte that starts an invalid sequence, or `nil` if all of `bytes` is valid UTF-8.
    static func firstInvalidOffset(in bytes: [UInt8]) -> Int? {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch lead {
            case 0x00...0x7F: index += 1; continue
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: return index
            }
            guard index + length <= bytes.count else { return index }
            let second = bytes[index + 1]
            guard second >= lower, second <= upper else { return index }
            for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 { return index }
            index += length
        }
        return nil
    }

    /// 1-based line and column (counting characters as Unicode scalars) of a byte offset.
    static func position(ofOffset offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for byte in bytes[..<min(offset, bytes.count)] {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }
}
