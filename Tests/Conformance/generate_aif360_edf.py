#!/usr/bin/env python3
"""Golden values for synthscan's `intersectional-fairness-amplification` check from AIF360 0.6.1:
`BinaryLabelDatasetMetric.smoothed_empirical_differential_fairness(concentration)` (Foulds et al.
2020) and the smoothed base rates behind it (`_smoothed_base_rates`), per table, over all observed
intersections of the protected attributes, for concentrations 1.0 (AIF360's default), 0.5 and 2.0.

AIF360 needs numeric protected attributes: each level (missing included) is mapped to its index
in the sorted list of synthscan labels, and the group keys in `expected.json` use synthscan's
labels (`sex=F & race=P`, `missing` for an empty field). Deterministic (fixed seeds); refuses
other versions unless --allow-version-mismatch.

    /tmp/conf-venv/bin/python Tests/Conformance/generate_aif360_edf.py
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
HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "aif360_edf")
CONCENTRATIONS = [1.0, 0.5, 2.0]


def check_versions():
    found = {"aif360": aif360.__version__, "numpy": np.__version__, "pandas": pd.__version__}
    bad = {k: v for k, v in found.items() if v != PINS[k]}
    if bad and "--allow-version-mismatch" not in sys.argv:
        sys.exit(f"version mismatch: {bad} (pins {PINS}); pass --allow-version-mismatch to override")


def draw(rng, n, attributes, rate, pos, neg):
    rows = []
    for _ in range(n):
        row = {name: levels[rng.choice(len(levels), p=probs)] for name, (levels, probs) in attributes.items()}
        row["outcome"] = pos if rng.random() < rate(row) else neg
        rows.append(row)
    return rows


def sex_race():
    """Two attributes (2 × 3 groups), 0/1 outcome; the release widens the F & R gap."""
    attrs = {"sex": (["F", "M"], [0.52, 0.48]), "race": (["P", "Q", "R"], [0.6, 0.3, 0.1])}
    real = {("F", "P"): 0.15, ("F", "Q"): 0.20, ("F", "R"): 0.30, ("M", "P"): 0.18, ("M", "Q"): 0.22, ("M", "R"): 0.25}
    fake = {**real, ("F", "R"): 0.45, ("M", "P"): 0.12}
    rng = np.random.default_rng(7101)
    return {"protected": ["sex", "race"], "outcome": "y", "positive": "1", "negative": "0",
            "train": draw(rng, 800, attrs, lambda r: real[(r["sex"], r["race"])], "1", "0"),
            "synthetic": draw(rng, 700, attrs, lambda r: fake[(r["sex"], r["race"])], "1", "0")}


def three_attributes_small_groups():
    """Three attributes (one with missing values), many small groups, some with no positives;
    a yes/no outcome (read as a boolean by synthscan)."""
    attrs = {"sex": (["F", "M", ""], [0.48, 0.48, 0.04]), "race": (["P", "Q", "R"], [0.7, 0.2, 0.1]),
             "band": (["young", "old"], [0.6, 0.4])}
    def rate(r, shift):
        base = 0.10 + (0.10 if r["band"] == "old" else 0) + (0.05 if r["race"] == "R" else 0)
        return min(0.95, base + (shift if (r["sex"], r["race"]) == ("M", "Q") else 0))
    rng = np.random.default_rng(7202)
    return {"protected": ["sex", "race", "band"], "outcome": "event", "positive": "yes", "negative": "no",
            "train": draw(rng, 400, attrs, lambda r: rate(r, 0), "yes", "no"),
            "synthetic": draw(rng, 380, attrs, lambda r: rate(r, 0.2), "yes", "no")}


def single_attribute_extremes():
    """One attribute, five levels: one group with every row positive, one with none (smoothing
    keeps ε finite); a text outcome."""
    rng = np.random.default_rng(7303)
    rows = {"train": [], "synthetic": []}
    spec = {"train": {"a": (60, 12), "b": (45, 45), "c": (30, 0), "d": (80, 30), "e": (15, 5)},
            "synthetic": {"a": (70, 10), "b": (40, 38), "c": (25, 1), "d": (90, 20), "e": (12, 0)}}
    for role, groups in spec.items():
        for level, (n, k) in groups.items():
            rows[role] += [{"site": level, "outcome": "died"}] * k + [{"site": level, "outcome": "alive"}] * (n - k)
        rows[role] = [rows[role][i] for i in rng.permutation(len(rows[role]))]
    return {"protected": ["site"], "outcome": "status", "positive": "died", "negative": "alive", **rows}


DATASETS = {"sex_race": sex_race, "three_attributes_small_groups": three_attributes_small_groups,
            "single_attribute_extremes": single_attribute_extremes}


def label(v):
    return "missing" if v == "" else v


def main():
    check_versions()
    expected = {"aif360": aif360.__version__, "concentrations": CONCENTRATIONS, "datasets": {}}
    for name, build in DATASETS.items():
        spec = build()
        folder = os.path.join(HERE, name)
        os.makedirs(folder, exist_ok=True)
        protected, outcome = spec["protected"], spec["outcome"]
        entry = {"protected": protected, "outcome": outcome, "positive": spec["positive"], "tables": {}}
        for role in ("train", "synthetic"):
            df = pd.DataFrame([{**{k: r[k] for k in protected}, outcome: r["outcome"]} for r in spec[role]], columns=protected + [outcome])
            path = os.path.join(folder, f"{role}.csv")
            df.to_csv(path, index=False, lineterminator="\n")
            df = pd.read_csv(path, dtype=str, keep_default_na=False)
            codes = {c: sorted(set(df[c].map(label))) for c in protected}
            numeric = pd.DataFrame({c: df[c].map(label).map({v: i for i, v in enumerate(codes[c])}).astype(float) for c in protected})
            numeric["label"] = (df[outcome] == spec["positive"]).astype(float)
            dataset = BinaryLabelDataset(df=numeric, label_names=["label"], protected_attribute_names=protected,
                                         favorable_label=1.0, unfavorable_label=0.0)
            metric = BinaryLabelDatasetMetric(dataset)
            groups = np.unique(dataset.protected_attributes, axis=0)
            keys = [" & ".join(f"{c}={codes[c][int(v)]}" for c, v in zip(protected, g)) for g in groups]
            table = {"rows": len(df), "groups": {}, "epsilon": {}}
            for a in CONCENTRATIONS:
                table["epsilon"][repr(a)] = float(metric.smoothed_empirical_differential_fairness(concentration=a))
                sbr = metric._smoothed_base_rates(dataset.labels, concentration=a)
                for key, p in zip(keys, sbr):
                    table["groups"].setdefault(key, {})[f"smoothed_rate_{a!r}"] = float(p)
            for key in keys:
                mask = np.ones(len(df), dtype=bool)
                for part in key.split(" & "):
                    c, v = part.split("=", 1)
                    mask &= (df[c].map(label) == v).to_numpy()
                table["groups"][key]["rows"] = int(mask.sum())
                table["groups"][key]["positives"] = int((df[outcome][mask] == spec["positive"]).sum())
            entry["tables"][role] = table
        expected["datasets"][name] = entry
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
