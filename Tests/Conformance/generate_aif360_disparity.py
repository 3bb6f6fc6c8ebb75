#!/usr/bin/env python3
"""Golden values for synthscan's `outcome-disparity-amplification` check from AIF360 0.6.1:
`BinaryLabelDatasetMetric.disparate_impact()` (rate(unprivileged) / rate(privileged)),
`statistical_parity_difference()` (rate(unprivileged) − rate(privileged)) and `base_rate(...)`.

It reuses the CSVs of the Fairlearn fixtures (`fairlearn_disparity/<data set>/{train,synthetic}.csv`,
written by `generate_fairlearn_disparity.py`; run that first if they change). Per table and group
definition it writes AIF360's values, with the privileged group always the reference group synthscan
picks (the level with the most rows of that table, ties by label) and as unprivileged group:
- each other level present in the table, alone (`unprivileged: ["S3"]`), and
- every other present level at once (`unprivileged: [...all...]`, AIF360's list of dicts = union).

AIF360 needs numeric protected attributes: each level (missing included) is mapped to its index in
the sorted list of synthscan labels (an empty field is synthscan's `missing` level,
`CellIndex.missingLabel`); `expected.json` names levels by those labels. Deterministic (no
randomness); refuses other versions unless --allow-version-mismatch.

    /tmp/conf-venv/bin/python Tests/Conformance/generate_aif360_disparity.py
"""
import json
import os
import sys
import warnings

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")
import aif360  # noqa: E402
from aif360.datasets import BinaryLabelDataset  # noqa: E402
from aif360.metrics import BinaryLabelDatasetMetric  # noqa: E402

PINS = {"aif360": "0.6.1", "numpy": "1.26.4", "pandas": "2.3.3"}
ROOT = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(ROOT, "fairlearn_disparity")
HERE = os.path.join(ROOT, "aif360_disparity")
MISSING = "missing"  # CellIndex.missingLabel


def check_versions():
    found = {"aif360": aif360.__version__, "numpy": np.__version__, "pandas": pd.__version__}
    bad = {k: v for k, v in found.items() if v != PINS[k]}
    if bad and "--allow-version-mismatch" not in sys.argv:
        sys.exit(f"version mismatch: {bad} (pins {PINS}); pass --allow-version-mismatch to override")


def number(x):
    x = float(x)
    return None if np.isnan(x) else x  # JSON has no NaN; AIF360 gives NaN only for 0/0


def main():
    check_versions()
    with open(os.path.join(SOURCE, "expected.json")) as f:
        fairlearn = json.load(f)
    expected = {"aif360": aif360.__version__, "source": "fairlearn_disparity", "datasets": {}}
    for name, spec in sorted(fairlearn["datasets"].items()):
        outcome, positive = spec["outcome"], spec["positive"]
        entry = {"outcome": outcome, "positive": positive, "tables": {}}
        for role in ("train", "synthetic"):
            column = spec["tables"][role]["column"]
            df = pd.read_csv(os.path.join(SOURCE, name, f"{role}.csv"), dtype=str, keep_default_na=False)
            levels = df[column].map(lambda v: MISSING if v == "" else v)
            codes = sorted(set(levels))
            numeric = pd.DataFrame({column: levels.map({v: i for i, v in enumerate(codes)}).astype(float)})
            numeric["label"] = (df[outcome] == positive).astype(float)
            dataset = BinaryLabelDataset(df=numeric, label_names=["label"], protected_attribute_names=[column],
                                         favorable_label=1.0, unfavorable_label=0.0)
            counts = levels.value_counts()
            reference = sorted(counts.index, key=lambda g: (-counts[g], g))[0]
            others = [g for g in codes if g != reference]
            privileged = [{column: float(codes.index(reference))}]
            comparisons = []
            for unprivileged in [[g] for g in others] + [others]:
                metric = BinaryLabelDatasetMetric(dataset, privileged_groups=privileged,
                                                  unprivileged_groups=[{column: float(codes.index(g))} for g in unprivileged])
                comparisons.append({
                    "unprivileged": unprivileged,
                    "disparate_impact": number(metric.disparate_impact()),
                    "statistical_parity_difference": number(metric.statistical_parity_difference()),
                    "base_rate_unprivileged": number(metric.base_rate(privileged=False)),
                    "base_rate_privileged": number(metric.base_rate(privileged=True)),
                    "num_positives_unprivileged": int(metric.num_positives(privileged=False)),
                    "num_instances_unprivileged": int(metric.num_instances(privileged=False)),
                })
            entry["tables"][role] = {"column": column, "privileged": reference, "comparisons": comparisons}
        expected["datasets"][name] = entry
    os.makedirs(HERE, exist_ok=True)
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
