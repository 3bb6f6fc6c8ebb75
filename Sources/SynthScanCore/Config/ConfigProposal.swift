import Foundation

/// What `synthscan init` proposes for a new scan configuration, from the tables alone: column
/// roles with the reason for each, the outcome, forced types, age bands and warnings. Every
/// proposal is a guess for a human to confirm; `ConfigProposalWriter` marks each one in the file.
///
/// Rules (by column name, tokenised on case changes and punctuation, and by content):
/// - **identifier**: named like an id (`id`, `mrn`, `uuid`, `patient_id`, `encounter`, …) and
///   distinct in every training row; a column distinct in every row but not named like one is
///   only warned about.
/// - **quasi-identifier**: age, dates (datetime columns; birth dates), sex/gender, ZIP or postcode
///   and other geography (county, state, city, region, FIPS, census tract).
/// - **protected**: sex, gender, race, ethnicity, language, payer/insurance (Medicaid, Medicare).
/// - **sensitive**: diagnoses, procedures, medications (`dx`, `diagnosis`, `icd`, `condition`, …).
/// - **outcome**: a column with exactly two values named like an outcome or event (`readmitted`,
///   `mortality`, `death`, `outcome`, `event`, `label`, …); the positive value is the one that reads
///   as positive (`1`, `true`, `yes`, `died`, …), else the rarer one.
/// - **types**: a numeric column named like a ZIP, postcode or FIPS code is made categorical, so
///   leading zeros and codes are compared as labels.
public struct ConfigProposal: Sendable, Equatable {
    /// One proposed role for one column.
    public struct RoleProposal: Sendable, Equatable {
        /// Column name.
        public var column: String
        /// The role.
        public var role: ColumnRole
        /// Why, for the comment in the file and the interactive prompt.
        public var reason: String
    }

    /// The proposed outcome.
    public struct OutcomeProposal: Sendable, Equatable {
        public var column: String
        public var positive: String
        public var reason: String
    }

    /// A forced type or bands for a column.
    public struct ColumnProposal: Sendable, Equatable {
        public var column: String
        public var type: ColumnType?
        public var bands: [Double]?
        public var reason: String
    }

    /// Input paths as the configuration will name them.
    public var train: String
    public var holdout: String?
    public var synthetic: String
    /// Role proposals, in column order, grouped by role when written.
    public var roles: [RoleProposal]
    /// Outcome proposal, if a column qualifies.
    public var outcome: OutcomeProposal?
    /// Type and band proposals.
    public var columns: [ColumnProposal]
    /// Warnings for the human (no holdout, tiny tables, mostly missing columns, …).
    public var warnings: [String]

    /// Age bands proposed for a numeric age column (children, young and middle-aged adults, older
    /// adults, the oldest): the usual clinical age groups.
    public static let ageBands: [Double] = [18, 45, 65, 80]

    /// Proposes a configuration for `data`, loaded from the given paths (as the config will name them).
    public static func propose(data: LoadedDatasets, train: String, holdout: String?, synthetic: String) -> ConfigProposal {
        var proposal = ConfigProposal(train: train, holdout: holdout, synthetic: synthetic, roles: [], outcome: nil, columns: [], warnings: [])
        let rows = data.train.rowCount
        for descriptor in data.schema.columns {
            let name = descriptor.name
            let tokens = NameTokens(name)
            guard let column = data.train.column(named: name) else { continue }
            let stats = ColumnStats(column, rows: rows)

            if tokens.looksLikeIdentifier {
                if stats.distinctInEveryRow {
                    proposal.roles.append(RoleProposal(column: name, role: .identifier, reason: "named like an identifier and distinct in every training row"))
                    continue
                }
                proposal.warnings.append("column \(name) is named like an identifier but repeats across training rows; it is left as an ordinary column (declare it under roles.identifiers if it identifies patients)")
            } else if stats.distinctInEveryRow, rows >= 20, descriptor.type == .categorical || descriptor.type == .text {
                proposal.warnings.append("column \(name) has a different value in every training row: if it identifies patients or records, list it under roles.identifiers")
            }

            var quasi: String?
            if tokens.any(["age"]) && descriptor.type == .numeric { quasi = "an age" }
            else if descriptor.type == .datetime { quasi = tokens.any(["birth", "dob"]) ? "a birth date" : "a date" }
            else if tokens.any(["sex", "gender"]) { quasi = "sex or gender" }
            else if tokens.looksLikeGeography { quasi = "a geographic area" }
            if let quasi {
                proposal.roles.append(RoleProposal(column: name, role: .quasiIdentifier, reason: "\(quasi): with other quasi-identifiers it can single out a patient"))
            }

            if tokens.any(["sex", "gender", "race", "ethnicity", "ethnic", "language", "lang", "payer", "insurance", "insurer", "medicaid", "medicare"])
                || tokens.joined.contains("raceethnicity") {
                proposal.roles.append(RoleProposal(column: name, role: .protected, reason: "a protected characteristic (sex, gender, race, ethnicity, language or payer): bias rules compare its groups"))
            }
            if tokens.any(["dx", "diagnosis", "diagnoses", "icd", "icd10", "icd9", "condition", "procedure", "medication", "drug", "hiv"]) {
                proposal.roles.append(RoleProposal(column: name, role: .sensitive, reason: "clinical information an attacker could try to infer (diagnosis, procedure or medication)"))
            }

            if tokens.looksLikeCode, descriptor.type == .numeric {
                proposal.columns.append(ColumnProposal(column: name, type: .categorical, bands: nil,
                                                       reason: "a code, not a quantity: compared as a label (leading zeros kept)"))
            }
            if tokens.any(["age"]), descriptor.type == .numeric {
                proposal.columns.append(ColumnProposal(column: name, type: nil, bands: ageBands,
                                                       reason: "age groups for bias rules if you add this column to roles.protected"))
            }
            if proposal.outcome == nil, tokens.looksLikeOutcome, let positive = stats.binaryPositive(type: descriptor.type) {
                proposal.outcome = OutcomeProposal(column: name, positive: positive.value,
                                                   reason: "a two-valued column named like an outcome or event; positive value \(positive.value) (\(positive.why))")
            }
            if stats.missingShare > 0.3 {
                proposal.warnings.append("column \(name) is missing in \(Int((stats.missingShare * 100).rounded()))% of training rows: check that missing values mean what the scan assumes (missingness-parity compares them)")
            }
        }
        if holdout == nil {
            proposal.warnings.append("no holdout table: the privacy rules cannot tell memorised patients from merely similar ones without real patients the generator did not see; hold out 20 to 50% of the real data before training the generator")
        } else if let h = data.holdout, h.rowCount * 2 < rows {
            proposal.warnings.append("the holdout table (\(h.rowCount) rows) is smaller than half the training table (\(rows) rows): holdout-based figures will have wide intervals")
        }
        if rows < 200 || data.synthetic.rowCount < 200 {
            proposal.warnings.append("small tables (\(rows) training, \(data.synthetic.rowCount) synthetic rows): most subgroup and distance tests will be inconclusive")
        }
        if !proposal.roles.contains(where: { $0.role == .protected }) {
            proposal.warnings.append("no protected characteristic was recognised: the bias rules will be skipped until you list columns under roles.protected")
        }
        if proposal.outcome == nil {
            proposal.warnings.append("no outcome column was recognised: outcome-disparity rules will be skipped until you set roles.outcome (a two-valued column and its positive value)")
        }
        return proposal
    }

    /// Per-column facts the rules look at.
    struct ColumnStats {
        var distinctInEveryRow: Bool
        var missingShare: Double
        /// The two distinct labels (or numbers as text), when the column has exactly two.
        var twoValues: [String]?
        /// How often each of the two values occurs.
        var twoCounts: [Int]?

        init(_ column: Column, rows: Int) {
            let missing = column.missingCount
            missingShare = rows > 0 ? Double(missing) / Double(rows) : 0
            switch column.storage {
            case .coded(let codes, let dictionary):
                var counts = [Int](repeating: 0, count: dictionary.count)
                for c in codes where c != Column.missingCode { counts[Int(c)] += 1 }
                let present = counts.enumerated().filter { $0.element > 0 }
                distinctInEveryRow = missing == 0 && rows > 1 && present.count == rows
                if present.count == 2 {
                    twoValues = present.map { dictionary.labels[$0.offset] }
                    twoCounts = present.map(\.element)
                }
            case .numeric(let values, let mask):
                var seen: [Double: Int] = [:]
                for r in values.indices where !mask.isMissing(r) { seen[values[r], default: 0] += 1 }
                distinctInEveryRow = missing == 0 && rows > 1 && seen.count == rows
                if seen.count == 2 {
                    let sorted = seen.sorted { $0.key < $1.key }
                    twoValues = sorted.map { NumberParser.canonicalText($0.key) }
                    twoCounts = sorted.map(\.value)
                }
            }
        }

        /// The positive value of a two-valued column, and why.
        func binaryPositive(type: ColumnType) -> (value: String, why: String)? {
            guard let values = twoValues, let counts = twoCounts else { return nil }
            let positiveWords: Set<String> = ["1", "true", "yes", "y", "positive", "pos", "died", "dead", "deceased", "expired", "readmitted", "event"]
            if let hit = values.first(where: { positiveWords.contains($0.lowercased()) }) {
                return (hit, "it reads as positive")
            }
            let rarer = counts[0] <= counts[1] ? values[0] : values[1]
            return (rarer, "the rarer of the two values; events are usually the rarer")
        }
    }

    /// A column name split into lower-case words: `patientID` → patient, id; `zip3` → zip3, zip.
    struct NameTokens {
        let words: [String]
        let joined: String

        init(_ name: String) {
            var words: [String] = []
            var current = ""
            var previous: Character?
            for ch in name {
                if !(ch.isLetter || ch.isNumber) {
                    if !current.isEmpty { words.append(current) }
                    current = ""
                } else {
                    if ch.isUppercase, let p = previous, p.isLowercase, !current.isEmpty {
                        words.append(current)
                        current = ""
                    }
                    current.append(ch)
                }
                previous = ch
            }
            if !current.isEmpty { words.append(current) }
            var expanded: [String] = []
            for w in words.map({ $0.lowercased() }) {
                expanded.append(w)
                // A trailing number belongs to the word: zip3 → zip, icd10 → icd.
                let letters = String(w.prefix { $0.isLetter })
                if !letters.isEmpty, letters != w { expanded.append(letters) }
            }
            self.words = expanded
            joined = words.joined().lowercased()
        }

        func any(_ candidates: Set<String>) -> Bool { words.contains { candidates.contains($0) } }

        var looksLikeIdentifier: Bool {
            any(["id", "mrn", "uuid", "guid", "ssn", "identifier", "encounter", "visit", "account", "accession"])
                || ["patientid", "personid", "subjectid", "recordid", "mrn"].contains(joined)
        }

        var looksLikeGeography: Bool {
            any(["zip", "zipcode", "postcode", "postal", "county", "state", "city", "region", "fips", "tract", "district", "municipality", "geo"])
        }

        var looksLikeCode: Bool { any(["zip", "zipcode", "postcode", "postal", "fips", "tract"]) }

        var looksLikeOutcome: Bool {
            any(["outcome", "event", "label", "target", "readmitted", "readmission", "readmit", "mortality", "death", "died", "deceased",
                 "expired", "survived", "survival", "complication", "sepsis", "icu", "los", "response", "y"])
        }
    }
}
