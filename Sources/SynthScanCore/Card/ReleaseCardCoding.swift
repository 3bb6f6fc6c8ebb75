import Foundation

/// How release cards are encoded and read: JSON with keys sorted (a fixed order that does not
/// depend on hashing), pretty-printed for the file and compact for the evaluation digest.
public enum ReleaseCardCoding {
    /// The card as written to `card.json`: sorted keys, two-space indentation, a final newline.
    public static func json(_ card: ReleaseCard) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var text = String(decoding: try encoder.encode(card), as: UTF8.self)
        // Foundation prints an empty array or object over two lines with a blank line between;
        // a literal line break cannot occur inside a JSON string, so this touches layout only.
        for (pattern, replacement) in [(#"\[\n\s*\n\s*\]"#, "[]"), (#"\{\n\s*\n\s*\}"#, "{}")] {
            text = text.replacing(try Regex(pattern), with: replacement)
        }
        return Array(text.utf8) + [UInt8(ascii: "\n")]
    }

    /// `evaluation` as compact JSON with sorted keys: the bytes the evaluation digest is taken over.
    public static func canonical(_ evaluation: CardEvaluation) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(evaluation))
    }

    /// `sha256:` + the SHA-256 of `canonical(evaluation)`.
    public static func digest(of evaluation: CardEvaluation) throws -> String {
        "sha256:" + SHA256.hex(SHA256.digest(try canonical(evaluation)))
    }

    /// Reads a card from JSON bytes; `file` names it in errors.
    public static func decode(_ data: Data, file: String) throws(CardError) -> ReleaseCard {
        let probe = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        guard let probe else { throw CardError("\(file): error: not a JSON object; expected a release card written by `synthscan scan --card`") }
        guard probe["format"] as? String == ReleaseCard.formatName else {
            throw CardError("\(file): error: not a release card (its \"format\" is not \"\(ReleaseCard.formatName)\")")
        }
        if let version = probe["card_version"] as? Int, version > ReleaseCard.currentVersion {
            throw CardError("\(file): error: card version \(version) is newer than this synthscan understands (latest: \(ReleaseCard.currentVersion))")
        }
        do {
            return try JSONDecoder().decode(ReleaseCard.self, from: data)
        } catch {
            throw CardError("\(file): error: the release card is incomplete or damaged: \(describe(error))")
        }
    }

    /// A decoding error in a few words, naming the JSON path (never a value).
    private static func describe(_ error: any Error) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined().drop { $0 == "." }.description
        }
        switch error {
        case DecodingError.keyNotFound(let key, let context): return "missing \(path(context.codingPath + [key]))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong type at \(path(context.codingPath))"
        case DecodingError.dataCorrupted(let context): return "unreadable value at \(path(context.codingPath))"
        default: return "unreadable"
        }
    }
}

/// A problem with a card or its use (unreadable card, missing sibling JSON): exit code 2.
public struct CardError: Error, CustomStringConvertible, Equatable {
    /// The message, naming the file.
    public var description: String

    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
