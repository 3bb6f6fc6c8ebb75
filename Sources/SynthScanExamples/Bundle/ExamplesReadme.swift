/// Renders `Examples/README.md` from the generated data, so every number in it is exact.
struct ExamplesReadme {
    let cohort: RealCohort
    let releases: [SyntheticRelease]

    func rendered() -> String {
        var lines: [String] = []
        lines += introduction
        lines += columnsSection
        lines += filesSection
        lines += releasesSection
        lines += manifestSection
        lines += regenerationSection
        return lines.joined(separator: "\n") + "\n"
    }

    private var allRecords: [PatientRecord] { (cohort.train + cohort.holdout).map(\.record) }

    private func share(_ count: Int, of total: Int) -> String {
        FixedDecimal.ratio(count * 100, total, decimals: 1) + "%"
    }

    private var introduction: [String] {
        let records = allRecords
        let missing = records.filter { $0.hba1cTenths == nil }.count
        let readmitted = records.filter(\.readmitted).count
        let aian = records.filter { $0.race == .americanIndianOrAlaskaNative }.count
        let disparity = DisparitySummary(cohort.train.map(\.record), group: .black, reference: .white)
        let model = ClinicalModel.standard.readmissionMultiplierPercent
        let multiplier = FixedDecimal.ratio(model[.black] ?? 100, model[.white] ?? 100, decimals: 2)
        let rareCounts = DiagnosisCatalog.rareCodes.map { code in
            "`\(code)` (\(records.filter { $0.diagnosis == code }.count))"
        }.joined(separator: ", ")
        return [
            "# synthscan example data",
            "",
            "**Everything in this directory is entirely fabricated.** No row describes a real patient: the",
            "\"real\" cohort and every \"synthetic release\" were drawn from a hand-written generative model",
            "with fixed seeds by `synthscan-examples` (target `SynthScanExamples`). Identifiers such as",
            "`MRN-0041235` are random numbers.",
            "",
            "The data is meant for demonstrating and testing `synthscan`: a privacy and bias risk scanner",
            "for synthetic tabular medical data. The synthetic releases are either clean or have exactly one",
            "planted problem, documented row by row in `plantings.json`.",
            "",
            "## The cohort",
            "",
            "\(records.count) adult inpatient admissions from 2019-01-01 to 2023-12-31 (ages 18 to 95, skewed",
            "towards older adults), split at random into `train.csv` (\(cohort.train.count) rows) and `holdout.csv`",
            "(\(cohort.holdout.count) rows). Every real row differs from every other real row on some column other",
            "than `patient_id`.",
            "",
            "Values are correlated plausibly: systolic pressure rises with age; HbA1c is high in diabetics",
            "(diabetes is more common with age and in some groups); creatinine rises with age, male sex and",
            "acute kidney injury (`N17.9`); length of stay and discharge disposition depend on diagnosis and",
            "age; 30-day readmission depends on age, diagnosis, diabetes, length of stay, creatinine and",
            "disposition.",
            "",
            "- 30-day readmission rate: \(share(readmitted, of: records.count)) of all real rows.",
            "- Modest real disparity: at equal covariates a Black patient's readmission risk is \(multiplier)",
            "  times a White patient's; through the covariates (e.g. more diabetes) the training data's",
            "  Black/White readmission rate ratio is \(disparity.rateRatioLiteral) (\(disparity.group.rateLiteral) vs \(disparity.reference.rateLiteral)).",
            "- `American Indian or Alaska Native` is a small minority: \(aian) real rows (\(share(aian, of: records.count))).",
            "- `hba1c` is missing (empty field) in \(share(missing, of: records.count)) of real rows.",
            "- `primary_dx` has \(DiagnosisCatalog.profiles.count) codes with a long tail; three are rare, each under 0.5% of",
            "  rows: \(rareCounts).",
            "",
        ]
    }

    private var columnsSection: [String] {
        [
            "## Columns",
            "",
            "All files share this header (CSV, UTF-8, LF line endings, RFC 4180 quoting only where a field",
            "contains a comma or quote; no field spans lines):",
            "",
            "```",
            CSVFormatter.line(CohortSchema.header),
            "```",
            "",
            "| column | content |",
            "|---|---|",
            "| `patient_id` | direct identifier: `MRN-` + 7 digits in real files, `SYN-` + 6 digits (the row number) in releases (except the leaked ids planted in `synthetic_leaked_identifiers.csv`) |",
            "| `age` | integer 18–95 |",
            "| `sex` | `F` / `M` |",
            "| `race_ethnicity` | \(RaceEthnicity.allCases.map { "`\($0.rawValue)`" }.joined(separator: ", ")) |",
            "| `zip3` | 3-digit ZIP prefix as text, leading zeros kept (e.g. `021`) |",
            "| `admission_date` | ISO date `YYYY-MM-DD`, 2019–2023 |",
            "| `primary_dx` | ICD-10-CM-like code, \(DiagnosisCatalog.profiles.count) distinct |",
            "| `discharge_disposition` | \(Disposition.allCases.map { "`\($0.rawValue)`" }.joined(separator: ", ")) (the comma one is quoted) |",
            "| `diabetes` | `yes` / `no` |",
            "| `systolic_bp` | integer mmHg |",
            "| `hba1c` | percent, one decimal; empty when missing |",
            "| `creatinine` | mg/dL, two decimals |",
            "| `length_of_stay` | integer days |",
            "| `readmitted_30d` | `0` / `1` |",
            "",
        ]
    }

    private var filesSection: [String] {
        var lines = [
            "## Files",
            "",
            "| file | role | rows | seed | planted problem |",
            "|---|---|---|---|---|",
            "| `train.csv` | real (training) | \(cohort.train.count) | \(ExampleSpecification.cohortSeed) (split \(ExampleSpecification.splitSeed)) | — |",
            "| `holdout.csv` | real (holdout) | \(cohort.holdout.count) | \(ExampleSpecification.cohortSeed) (split \(ExampleSpecification.splitSeed)) | — |",
        ]
        for release in releases {
            let kind = release.planted["kind"]?.text ?? ""
            lines.append("| `\(release.fileName)` | synthetic | \(release.records.count) | \(release.seed) | \(kind == "none" ? "none" : "`\(kind)`") |")
        }
        lines += [
            "| `plantings.json` | manifest | | | exact description of every planting |",
            "| `synthscan.yaml` | scanner configuration | | | (maintained separately, not generated) |",
            "",
            "Each release is an independent draw from the same generative model with its own seed (not a",
            "copy of the real data), with fresh identifiers `SYN-000001`, `SYN-000002`, ... (only the planted",
            "rows of `synthetic_leaked_identifiers.csv` carry other ids). Apart from the planted rows of",
            "`synthetic_copies.csv`, no synthetic row equals any train or holdout row on all columns except",
            "`patient_id` (checked and redrawn during generation).",
            "",
            "The release seeds were chosen so that each file shows only its own problem: outside the",
            "planted release, the Black/White readmission rate ratio stays within 0.05 of the training",
            "data's, the overall readmission rate within 0.01, `American Indian or Alaska Native` keeps at",
            "least 45 rows and every rare diagnosis code at least 2 rows.",
            "",
        ]
        return lines
    }

    private var releasesSection: [String] {
        var lines = ["## What each release plants", ""]
        for release in releases {
            lines.append("### `\(release.fileName)`")
            lines.append("")
            lines.append(release.summary)
            lines.append("")
            lines += details(of: release.planted)
        }
        return lines
    }

    private func details(of planted: JSONValue) -> [String] {
        switch planted["kind"]?.text {
        case "exact_copies":
            return table(planted["copies"]?.elements ?? [], extraHeader: nil)
        case "near_copies":
            return table(planted["near_copies"]?.elements ?? [], extraHeader: "perturbation")
        case "leaked_identifiers":
            return leakTable(planted["leaks"]?.elements ?? [])
        default:
            return []
        }
    }

    private func table(_ entries: [JSONValue], extraHeader: String?) -> [String] {
        var lines = extraHeader == nil
            ? ["| row | line | source file | source row | source line | source patient_id |", "|---|---|---|---|---|---|"]
            : ["| row | line | source file | source row | source line | source patient_id | perturbation |",
               "|---|---|---|---|---|---|---|"]
        for entry in entries {
            var cells = ["row", "line", "source_file", "source_row", "source_line", "source_patient_id"]
                .map { entry[$0]?.text ?? "" }
            if extraHeader != nil {
                let changes = (entry["perturbations"]?.elements ?? []).map { change in
                    "`\(change["column"]?.text ?? "")` \(change["source_value"]?.text ?? "") → \(change["value"]?.text ?? "")"
                }
                cells.append(changes.joined(separator: "; "))
            }
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        lines.append("")
        return lines
    }

    private func leakTable(_ entries: [JSONValue]) -> [String] {
        var lines = ["| row | line | patient_id | kind | source file | source row | source line |",
                     "|---|---|---|---|---|---|---|"]
        for entry in entries {
            let cells = ["row", "line", "patient_id", "kind", "source_file", "source_row", "source_line"]
                .map { entry[$0]?.text ?? "—" }
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        lines.append("")
        return lines
    }

    private var manifestSection: [String] {
        [
            "## `plantings.json`",
            "",
            "Pretty-printed JSON with sorted keys. `files` maps each file name to its `role` (`train`,",
            "`holdout` or `synthetic`), `rows` (data rows), `lines` (rows + header), `seed` and, for",
            "synthetic files, `planted` (with `kind` one of `none`, `exact_copies`, `near_copies`,",
            "`dropped_subgroup`, `amplified_disparity`, `erased_rare_categories`, `leaked_identifiers`) and a",
            "one-line `summary`. Each entry of `leaks` (in `leaked_identifiers`) has its own `kind`:",
            "`train_mrn_reuse` (a training patient's `patient_id`, with `source*` members naming that",
            "patient's row), `holdout_mrn_reuse` (likewise for a holdout patient) or `mrn_format` (an id in",
            "the `MRN-` + 7 digits format that belongs to no real patient, no `source*` members).",
            "Row numbers (`row`, `source_row`) are 1-based data rows, the header not counted; line numbers",
            "(`line`, `source_line`) are 1-based file lines with the header on line 1, so data row r is on",
            "line r + 1. Rates are readmitted/rows rounded to four decimals; rate ratios to three.",
            "",
        ]
    }

    private var regenerationSection: [String] {
        [
            "## Regenerating",
            "",
            "```",
            "swift run synthscan-examples            # writes into ./Examples",
            "swift run synthscan-examples OUTPUT_DIR  # writes into OUTPUT_DIR",
            "```",
            "",
            "Generation uses its own seeded xoshiro256** generator and integer arithmetic only (no system",
            "randomness, no floating-point formatting), so the output is byte-identical on every run and",
            "machine. The `SynthScanExamplesTests` tests regenerate the bundle in memory and fail if these",
            "files differ from it. `synthscan.yaml` is not touched by the generator.",
            "",
            "The same executable also streams large benchmark tables (20 mixed-type columns, see",
            "`BenchmarkTableWriter`), optionally with exact copies of rows of another seed's table:",
            "",
            "```",
            "swift run -c release synthscan-examples benchmark 1000000 /tmp/train.csv --seed 1",
            "swift run -c release synthscan-examples benchmark 1000000 /tmp/synthetic.csv --seed 2 --id-prefix S- \\",
            "    --copies 500 --source-seed 1 --source-rows 1000000 --plan-seed 3",
            "```",
        ]
    }
}
