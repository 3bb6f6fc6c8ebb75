/// Renders CSV records per RFC 4180: comma separated, LF line endings, and a field quoted
/// (with inner quotes doubled) only when it contains a comma, quote, CR or LF.
enum CSVFormatter {
    static func needsQuoting(_ field: String) -> Bool {
        field.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
    }

    static func escape(_ field: String) -> String {
        guard needsQuoting(field) else { return field }
        return "\"" + field.replacingAllQuotes() + "\""
    }

    /// One record without its line terminator.
    static func line(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: ",")
    }

    /// A whole document: header then records, each terminated by `\n`.
    static func document(header: [String], records: [[String]]) -> String {
        var text = line(header) + "\n"
        for record in records {
            text += line(record)
            text += "\n"
        }
        return text
    }
}

private extension String {
    func replacingAllQuotes() -> String {
        var result = ""
        for character in self {
            if character == "\"" { result += "\"\"" } else { result.append(character) }
        }
        return result
    }
}
