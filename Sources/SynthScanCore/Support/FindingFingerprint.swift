import CXXHash

/// Finding fingerprints that do not depend on row order or line numbers: XXH3-64 of the rule id,
/// a kind of finding and a key (a subgroup, a column, a record digest), as 16 hex digits.
enum FindingFingerprint {
    static func make(rule: String, kind: String, key: String) -> String {
        let text = "\(rule)\u{0}\(kind)\u{0}\(key)"
        return Array(text.utf8).withUnsafeBytes { RecordDigest.hex16(XXH3_64bits($0.baseAddress, $0.count)) }
    }
}
