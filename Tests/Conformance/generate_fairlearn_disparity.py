#!/usr/bin/env python3
"""Golden values for synthscan's `outcome-disparity-amplification` check from Fairlearn 0.15.0.

For three small data sets (train.csv and synthetic.csv each, a protected attribute and a binary
outcome) it writes, per table and protected column: Fairlearn `MetricFrame(selection_rate)`
group rates (positives / rows), `demographic_parity_ratio` and `demographic_parity_difference`,
the reference group (the largest group, as synthscan and Aequitas choose it) and each group's
disparity DI(g) = rate(g) / rate(reference).

Missing protected values: synthscan gives them a level of their own (`CellIndex.missingLabel`,
"missing"); Fairlearn 0.15.0 refuses them (`ValueError: Feature 'sensitive_feature_0' contains
missing values. Remove or replace them before constructing a MetricFrame`, raised from
`fairlearn/metrics/_group_feature.py`). For a data set with empty protected fields the generator
records that error under `fairlearn_missing_error` and then does what it asks, replacing NaN by
the string "missing" (synthscan's label), so the golden values are Fairlearn's on that explicit
level. Deterministic (fixed seeds); refuses other versions
unless --allow-version-mismatch.

    /tmp/conf-venv/bin/python Tests/Conformance/generate_fairlearn_disparity.py
"""
import json
import os
import sys

import numpy as np
import pandas as pd
import fairlearn
from fairlearn.metrics import MetricFrame, selection_rate, demographic_parity_ratio, demographic_parity_difference

PINS = {"fairlearn": "0.15.0", "pandas": "2.3.3", "numpy": "1.26.4"}
MISSING = "missing"  # CellIndex.missingLabel
HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fairlearn_disparity")

DATASETS = {
    # name: (seed, outcome column, positive value, negative value, {column: {level: (rows, rate)}} per table)
    "race_readmission": (5101, "y", "1", "0", {
        "train": {"race": {"A": (120, 0.15), "B": (70, 0.25), "C": (35, 0.30)}},
        "synthetic": {"race": {"A": (110, 0.14), "B": (80, 0.40), "C": (30, 0.20)}},
    }),
    "sex_yes_no": (5202, "died", "yes", "no", {
        "train": {"sex": {"F": (64, 0.20), "M": (81, 0.30), "X": (13, 0.50)}},
        "synthetic": {"sex": {"F": (70, 0.10), "M": (75, 0.33), "X": (12, 0.25)}},
    }),
    # Exact (rows, positives) per level, no jitter: many levels, a level with no positives (S3),
    # one with every row positive (S4, train), a 3-row level only in train (S6), a 2-row level only
    # in the release (S8), empty protected fields ("" → synthscan's `missing` level), a text outcome.
    "site_many_levels_missing": (5303, "discharge", "readmitted", "home", {
        "train": {"site": {"S1": [150, 30], "S2": [90, 27], "S3": [60, 0], "S4": [40, 40], "S5": [12, 3],
                           "S6": [3, 1], "": [25, 10]}},
        "synthetic": {"site": {"S1": [160, 28], "S2": [85, 30], "S3": [55, 0], "S4": [35, 33], "S5": [10, 0],
                               "S8": [2, 2], "": [20, 4]}},
    }),
}


def check_versions():
    found = {"fairlearn": fairlearn.__version__, "pandas": pd.__version__, "numpy": np.__version__}
    bad = {k: v for k, v in found.items() if v != PINS[k]}
    if bad and "--allow-version-mismatch" not in sys.argv:
        sys.exit(f"version mismatch: {bad} (pins {PINS}); pass --allow-version-mismatch to override")


def build(seed, outcome, pos, neg, spec):
    rng = np.random.default_rng(seed)
    (column, levels), = spec.items()
    rows = []
    for level, (n, rate) in levels.items():
        if isinstance(rate, int):  # a list [rows, positives]: exact counts
            k = rate
        else:
            k = int(round(n * rate)) + int(rng.integers(-2, 3))
            k = max(0, min(n, k))
        flags = np.array([1] * k + [0] * (n - k))
        rng.shuffle(flags)
        rows += [(level, pos if f else neg) for f in flags]
    order = rng.permutation(len(rows))
    return column, pd.DataFrame([rows[i] for i in order], columns=[column, outcome])


def main():
    check_versions()
    expected = {"fairlearn": fairlearn.__version__, "datasets": {}}
    for name, (seed, outcome, pos, neg, tables) in DATASETS.items():
        folder = os.path.join(HERE, name)
        os.makedirs(folder, exist_ok=True)
        entry = {"outcome": outcome, "positive": pos, "seed": seed, "tables": {}}
        for t, (role, spec) in enumerate(tables.items()):
            column, df = build(seed + t, outcome, pos, neg, spec)
            path = os.path.join(folder, f"{role}.csv")
            df.to_csv(path, index=False, lineterminator="\n")
            df = pd.read_csv(path, dtype=str)
            y = (df[outcome] == pos).astype(int).to_numpy()
            if df[column].isna().any():
                try:
                    MetricFrame(metrics=selection_rate, y_true=y, y_pred=y, sensitive_features=df[column])
                    sys.exit("fairlearn accepted missing sensitive features: update the README")
                except ValueError as error:
                    entry["fairlearn_missing_error"] = str(error)
                df[column] = df[column].fillna(MISSING)
            mf = MetricFrame(metrics=selection_rate, y_true=y, y_pred=y, sensitive_features=df[column])
            rates = {str(k): float(v) for k, v in mf.by_group.items()}
            counts = df[column].value_counts()
            reference = sorted(counts.index, key=lambda g: (-counts[g], g))[0]
            entry["tables"][role] = {
                "column": column,
                "rows": {str(k): int(v) for k, v in counts.items()},
                "selection_rate": rates,
                "reference": str(reference),
                "disparity": {g: r / rates[str(reference)] for g, r in rates.items()},
                "demographic_parity_ratio": float(demographic_parity_ratio(y, y, sensitive_features=df[column])),
                "demographic_parity_difference": float(demographic_parity_difference(y, y, sensitive_features=df[column])),
                "overall_rate": float(mf.overall),
            }
        expected["datasets"][name] = entry
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
