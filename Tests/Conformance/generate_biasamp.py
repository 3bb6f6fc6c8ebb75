#!/usr/bin/env python3
"""Golden values for synthscan's `directional-bias-amplification` check from the reference
implementation of BiasAmp→ (Wang & Russakovsky 2021), `biasamp_attribute_to_task` in
princetonvisualai/directional-bias-amp (copied verbatim, MIT licence, into
`directional_biasamp_reference.py`).

The adaptation: the real table is the training data (it sets y_at) and the synthetic table plays
the predictions. The reference compares labels and predictions of the *same* test rows; the real
and synthetic rows are not paired, so for attribute a each pair value is obtained from the
reference function on a crossed test set: every (real row i, synthetic row j) of a, with label
task_t(i) and prediction task_t(j). Its label mean is exactly P_R(t|a) and its prediction mean
exactly P_S(t|a) (equal rationals, correctly rounded). The function is called once per
(attribute, task) with the full real attribute and task matrices as its `*_train` arguments (the
column of interest first), so y_at and its `keep_indices` filter are the reference's own. The
aggregate is `np.nanmean` of the per-pair values, as in the reference.

Attributes are the one-hot columns of every level of every protected attribute (missing is a
level) and, for order 2, of every observed pair of levels; tasks are the observed outcome values
(a missing outcome is no task). Deterministic (fixed seeds); refuses other versions unless
--allow-version-mismatch.

    /tmp/conf-venv/bin/python Tests/Conformance/generate_biasamp.py
"""
import contextlib
import io
import itertools
import json
import os
import sys
import warnings

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from directional_biasamp_reference import biasamp_attribute_to_task  # noqa: E402

PINS = {"numpy": "1.26.4", "pandas": "2.3.3"}
REFERENCE_COMMIT = "537e76f938869d6877eef5f82ccb50ed92832ffe"
HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "biasamp")


def check_versions():
    found = {"numpy": np.__version__, "pandas": pd.__version__}
    bad = {k: v for k, v in found.items() if v != PINS[k]}
    if bad and "--allow-version-mismatch" not in sys.argv:
        sys.exit(f"version mismatch: {bad} (pins {PINS}); pass --allow-version-mismatch to override")


def draw(rng, n, attributes, outcome_levels, rate):
    """n rows: attribute levels drawn with the given probabilities, outcome from rate(row)."""
    rows = []
    for _ in range(n):
        row = {}
        for name, (levels, probs) in attributes.items():
            row[name] = levels[rng.choice(len(levels), p=probs)]
        p = rate(row)
        row["outcome"] = outcome_levels[rng.choice(len(outcome_levels), p=p)]
        rows.append(row)
    return rows


def binary_one_attribute():
    """One attribute with four levels, binary numeric outcome; the release amplifies level B."""
    attrs = {"race": (["A", "B", "C", "D"], [0.45, 0.30, 0.15, 0.10])}
    base = {"A": 0.15, "B": 0.25, "C": 0.30, "D": 0.10}
    synth = {"A": 0.13, "B": 0.40, "C": 0.22, "D": 0.12}
    rng = np.random.default_rng(6101)
    train = draw(rng, 600, attrs, ["0", "1"], lambda r: [1 - base[r["race"]], base[r["race"]]])
    synthetic = draw(rng, 500, attrs, ["0", "1"], lambda r: [1 - synth[r["race"]], synth[r["race"]]])
    return {"protected": ["race"], "order": 1, "outcome": "y", "positive": "1", "train": train, "synthetic": synthetic}


def categorical_two_attributes():
    """Two attributes (one with missing values), four-level text outcome with missing values."""
    attrs = {"sex": (["F", "M", ""], [0.50, 0.46, 0.04]), "race": (["P", "Q", "R"], [0.6, 0.3, 0.1])}
    levels = ["home", "snf", "rehab", "died", ""]
    def real(r):
        if r["race"] == "R":
            return [0.50, 0.20, 0.15, 0.10, 0.05]
        return [0.65, 0.15, 0.10, 0.05, 0.05] if r["sex"] == "F" else [0.55, 0.20, 0.12, 0.08, 0.05]
    def fake(r):
        if r["race"] == "R":
            return [0.35, 0.30, 0.15, 0.17, 0.03]
        return [0.70, 0.12, 0.10, 0.05, 0.03] if r["sex"] == "F" else [0.50, 0.22, 0.12, 0.13, 0.03]
    rng = np.random.default_rng(6202)
    train = draw(rng, 700, attrs, levels, real)
    synthetic = draw(rng, 650, attrs, levels, fake)
    return {"protected": ["sex", "race"], "order": 1, "outcome": "disposition", "positive": "home", "train": train, "synthetic": synthetic}


def order2_with_tie():
    """Two attributes at order 2 (pair cells are attributes too), a yes/no outcome (read as a
    boolean by synthscan), exact independence ties (y = 0) for g=u and its complement g=v, a pair
    cell absent from the release and one present only in the release."""
    # Real: 400 rows; g=u 100 rows with 20 'yes'; overall 80 'yes' → 20·400 = 100·80 (y = 0).
    train = []
    def add(table, g, h, yes, n):
        table += [{"g": g, "h": h, "outcome": "yes"}] * yes + [{"g": g, "h": h, "outcome": "no"}] * (n - yes)
    add(train, "u", "k1", 13, 60); add(train, "u", "k2", 7, 40)
    add(train, "v", "k1", 31, 150); add(train, "v", "k2", 24, 110); add(train, "v", "k3", 5, 40)
    synthetic = []
    add(synthetic, "u", "k1", 15, 55); add(synthetic, "u", "k2", 6, 50)
    add(synthetic, "v", "k1", 40, 160); add(synthetic, "v", "k2", 20, 120); add(synthetic, "u", "k3", 3, 15)
    rng = np.random.default_rng(6303)
    train = [train[i] for i in rng.permutation(len(train))]
    synthetic = [synthetic[i] for i in rng.permutation(len(synthetic))]
    return {"protected": ["g", "h"], "order": 2, "outcome": "passed", "positive": "yes",
            "train": [{"g": r["g"], "h": r["h"], "passed": r["outcome"]} for r in train],
            "synthetic": [{"g": r["g"], "h": r["h"], "passed": r["outcome"]} for r in synthetic], "rename": True}


DATASETS = {"binary_one_attribute": binary_one_attribute, "categorical_two_attributes": categorical_two_attributes,
            "order2_with_tie": order2_with_tie}


def label(v):
    return "missing" if v == "" else v


def one_hot(df, protected, order, cells):
    """Attribute matrix: one column per cell key (synthscan's `column=label` / `a=x & b=y`)."""
    cols = []
    for key in cells:
        mask = np.ones(len(df), dtype=bool)
        for part in key.split(" & "):
            name, value = part.split("=", 1)
            mask &= df[name].map(label).to_numpy() == value
        cols.append(mask.astype(float))
    return np.stack(cols, axis=1)


def cell_keys(train, synthetic, protected, order):
    keys = []
    for name in protected:
        values = sorted(set(train[name].map(label)) | set(synthetic[name].map(label)))
        keys += [f"{name}={v}" for v in values]
    if order >= 2:
        for a, b in itertools.combinations(protected, 2):
            pairs = sorted(set(zip(train[a].map(label), train[b].map(label))) | set(zip(synthetic[a].map(label), synthetic[b].map(label))))
            keys += [f"{a}={x} & {b}={y}" for x, y in pairs]
    return keys


def main():
    check_versions()
    expected = {"reference": f"princetonvisualai/directional-bias-amp@{REFERENCE_COMMIT} biasamp_attribute_to_task",
                "numpy": np.__version__, "datasets": {}}
    for name, build in DATASETS.items():
        spec = build()
        folder = os.path.join(HERE, name)
        os.makedirs(folder, exist_ok=True)
        outcome = spec["outcome"]
        columns = spec["protected"] + [outcome]
        frames = {}
        for role in ("train", "synthetic"):
            rows = spec[role]
            if not spec.get("rename"):
                rows = [{**{k: r[k] for k in spec["protected"]}, outcome: r["outcome"]} for r in rows]
            df = pd.DataFrame(rows, columns=columns)
            path = os.path.join(folder, f"{role}.csv")
            df.to_csv(path, index=False, lineterminator="\n")
            frames[role] = pd.read_csv(path, dtype=str, keep_default_na=False)
        train, synthetic = frames["train"], frames["synthetic"]
        tasks = sorted(v for v in set(train[outcome]) if v != "")
        if all(t.lstrip("-").isdigit() for t in tasks):
            tasks = sorted(tasks, key=float)
        cells = cell_keys(train, synthetic, spec["protected"], spec["order"])
        A_R, A_S = one_hot(train, spec["protected"], spec["order"], cells), one_hot(synthetic, spec["protected"], spec["order"], cells)
        T_R = np.stack([(train[outcome] == t).to_numpy().astype(float) for t in tasks], axis=1)
        T_S = np.stack([(synthetic[outcome] == t).to_numpy().astype(float) for t in tasks], axis=1)
        pairs = {}
        values = []
        ties_as_zero = []
        for a, key in enumerate(cells):
            in_r, in_s = A_R[:, a] == 1, A_S[:, a] == 1
            for t, task in enumerate(tasks):
                a_first = [a] + [i for i in range(len(cells)) if i != a]
                t_first = [t] + [i for i in range(len(tasks)) if i != t]
                lab, pred = T_R[in_r, t], T_S[in_s, t]
                crossed_labels = np.repeat(lab, len(pred)).reshape(-1, 1)
                crossed_preds = np.tile(pred, len(lab)).reshape(-1, 1)
                with np.errstate(all="ignore"), contextlib.redirect_stderr(io.StringIO()):
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        v = biasamp_attribute_to_task(crossed_labels, np.ones((len(crossed_labels), 1)), crossed_preds,
                                                      task_labels_train=T_R[:, t_first], attribute_labels_train=A_R[:, a_first])
                n = len(train)
                y = float(np.sign(np.sum(A_R[:, a] * T_R[:, t]) / n - (T_R[:, t].sum() / n) * (A_R[:, a].sum() / n)))  # as the reference
                values.append(v)
                n_at, n_a, n_t = int(np.sum(A_R[:, a] * T_R[:, t])), int(A_R[:, a].sum()), int(T_R[:, t].sum())
                tie = n_a > 0 and n_at * n == n_a * n_t  # exact independence: y is 0, np.sign of floats may say ±1
                ties_as_zero.append(0.0 if tie and not np.isnan(v) else v)
                pairs[f"{key}|{task}"] = {
                    "exact_tie": bool(n_a > 0 and n_at * n == n_a * n_t),
                    "value": None if np.isnan(v) else float(v), "y": y,
                    "real_rate": None if not in_r.any() else float(lab.mean()),
                    "synthetic_rate": None if not in_s.any() else float(pred.mean()),
                    "real_rows": int(in_r.sum()), "synthetic_rows": int(in_s.sum()),
                }
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            aggregate = float(np.nanmean(np.array(values, dtype=float)))
        expected["datasets"][name] = {
            "protected": spec["protected"], "order": spec["order"], "outcome": outcome, "positive": spec["positive"],
            "tasks": tasks, "cells": cells, "pairs": pairs, "bias_amplification": aggregate,
            "bias_amplification_exact_ties": float(np.nanmean(np.array(ties_as_zero, dtype=float))),
            "pairs_with_value": int(np.sum(~np.isnan(np.array(values, dtype=float)))),
        }
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
