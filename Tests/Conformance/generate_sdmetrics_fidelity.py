"""Golden values of SDMetrics 0.32.0 fidelity metrics for synthscan's Fidelity module.

Writes Tests/Conformance/sdmetrics_fidelity/<dataset>/{real.csv, synthetic.csv, metadata.json,
expected.json}. The CSVs are read back with pandas before scoring, so the golden values belong to
the files as written. Every metric is scored on the whole tables and on one row slice (the rows
where `slice.column == slice.value` in each table), the way synthscan scores subgroups.
A metric that raises or returns NaN is written as null.

Usage: /tmp/conf-venv/bin/python Tests/Conformance/generate_sdmetrics_fidelity.py [--allow-version-mismatch]
"""

import itertools
import json
import math
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import scipy
import sdmetrics
from sdmetrics.column_pairs import ContingencySimilarity, CorrelationSimilarity
from sdmetrics.single_column import (
    CategoryCoverage,
    KSComplement,
    MissingValueSimilarity,
    RangeCoverage,
    StatisticSimilarity,
    TVComplement,
)

PINS = {"sdmetrics": "0.32.0", "pandas": "2.3.3", "numpy": "1.26.4", "scipy": "1.17.1"}
OUT = Path(__file__).resolve().parent / "sdmetrics_fidelity"


def check_versions():
    found = {"sdmetrics": sdmetrics.__version__, "pandas": pd.__version__,
             "numpy": np.__version__, "scipy": scipy.__version__}
    bad = {k: v for k, v in found.items() if v != PINS[k]}
    if bad and "--allow-version-mismatch" not in sys.argv:
        sys.exit(f"version mismatch {bad}; pins {PINS} (pass --allow-version-mismatch to override)")


# ---------------------------------------------------------------- data sets

def dates(rng, n, start="2018-01-01", days=900):
    base = np.datetime64(start)
    return [str(base + np.timedelta64(int(d), "D")) for d in rng.integers(0, days, n)]


def blank(values, rng, share):
    return ["" if rng.random() < share else v for v in values]


def clinical_mixed():
    """Mixed types, missing values, a category only in the real and one only in the synthetic table."""
    rng = np.random.default_rng(5101)
    def table(n, synthetic):
        age = [str(int(a)) for a in rng.integers(18, 95 if not synthetic else 85, n)]
        lab = [repr(round(float(x), 2)) for x in rng.normal(4.2 if not synthetic else 4.4, 0.6, n)]
        dx_levels = ["E11.9", "I10", "J45.909", "A41.51"] if not synthetic else ["E11.9", "I10", "J45.909", "Z99.89"]
        dx_p = [0.5, 0.3, 0.17, 0.03] if not synthetic else [0.45, 0.35, 0.15, 0.05]
        dx = list(rng.choice(dx_levels, n, p=dx_p))
        sex = list(rng.choice(["F", "M"], n, p=[0.55, 0.45] if not synthetic else [0.5, 0.5]))
        smoker = list(rng.choice(["true", "false"], n, p=[0.2, 0.8] if not synthetic else [0.3, 0.7]))
        adm = dates(rng, n, days=900 if not synthetic else 700)
        # Correlated pair: creatinine follows age.
        creat = [repr(round(0.5 + int(a) * 0.01 + float(e), 3)) for a, e in zip(age, rng.normal(0, 0.2 if not synthetic else 0.5, n))]
        return {"age": blank(age, rng, 0.05), "potassium": blank(lab, rng, 0.1 if not synthetic else 0.02),
                "creatinine": creat, "primary_dx": blank(dx, rng, 0.04), "sex": sex,
                "smoker": blank(smoker, rng, 0.03), "admitted": blank(adm, rng, 0.05)}
    types = {"age": "numerical", "potassium": "numerical", "creatinine": "numerical", "primary_dx": "categorical",
             "sex": "categorical", "smoker": "boolean", "admitted": "datetime"}
    return table(400, False), table(300, True), types, ("sex", "F")


def constant_and_missing():
    """Constant columns, an all-missing synthetic column, a one-category column, tiny tables."""
    rng = np.random.default_rng(5202)
    def table(n, synthetic):
        return {
            "constant_num": ["7"] * n if not synthetic else [str(int(v)) for v in rng.integers(6, 9, n)],
            "mostly_missing": [""] * n if synthetic else blank([repr(round(float(v), 1)) for v in rng.normal(50, 5, n)], rng, 0.5),
            "lone_category": ["G1"] * n,
            "ward": list(rng.choice(["W1", "W2", "W3"] if not synthetic else ["W1", "W2"], n)),
            "score": [repr(float(v)) for v in rng.integers(0, 4, n)] if not synthetic else ["2"] * n,
            "visit": dates(rng, n, days=30),
        }
    types = {"constant_num": "numerical", "mostly_missing": "numerical", "lone_category": "categorical",
             "ward": "categorical", "score": "numerical", "visit": "datetime"}
    return table(40, False), table(25, True), types, ("ward", "W1")


def ties_and_edges():
    """Integer values with many ties (KS ties), values on histogram edges, timestamps with times."""
    rng = np.random.default_rng(5303)
    def table(n, synthetic):
        grade = [str(int(v)) for v in rng.integers(0, 11 if not synthetic else 9, n)]   # edges at integers
        dose = [repr(v) for v in np.round(rng.uniform(0, 100, n) / 12.5) * 12.5]          # multiples of 12.5
        t0 = np.datetime64("2021-03-01T00:00:00")
        stamp = [str(t0 + np.timedelta64(int(s), "s")) for s in rng.integers(0, 86400 * 20, n)]
        stage = list(rng.choice(["I", "II", "III", "IV"], n, p=[0.4, 0.3, 0.2, 0.1] if not synthetic else [0.25, 0.25, 0.25, 0.25]))
        flag = list(rng.choice(["true", "false"], n))
        bmi = [repr(round(float(v), 1)) for v in (rng.normal(27, 4, n) + np.array([int(g) for g in grade]) * (0.8 if not synthetic else -0.3))]
        return {"grade": grade, "dose": blank(dose, rng, 0.08), "stamp": stamp, "stage": stage,
                "flag": flag, "bmi": blank(bmi, rng, 0.04)}
    types = {"grade": "numerical", "dose": "numerical", "stamp": "datetime", "stage": "categorical",
             "flag": "boolean", "bmi": "numerical"}
    return table(500, False), table(450, True), types, ("stage", "IV")


DATASETS = {"clinical_mixed": clinical_mixed, "constant_and_missing": constant_and_missing,
            "ties_and_edges": ties_and_edges}


# ---------------------------------------------------------------- scoring

def write_csv(path, columns):
    names = list(columns)
    n = len(columns[names[0]])
    lines = [",".join(names)]
    for i in range(n):
        row = [columns[c][i] for c in names]
        assert all("," not in v and '"' not in v for v in row)
        lines.append(",".join(row))
    path.write_text("\n".join(lines) + "\n")


def read_csv(path, types):
    frame = pd.read_csv(path, keep_default_na=False, na_values=[""], float_precision="round_trip",
                        dtype={c: str for c, t in types.items() if t in ("categorical", "boolean")})
    for c, t in types.items():
        if t == "datetime":
            frame[c] = pd.to_datetime(frame[c], format="ISO8601")
        elif t == "boolean":
            frame[c] = frame[c].map({"true": True, "false": False})
    return frame


def value(fn):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            v = float(fn())
    except Exception as e:  # SDMetrics raises for undefined inputs; synthscan answers nil
        return None
    return None if math.isnan(v) else v


def numeric_for_pairs(series, sdtype):
    """Datetimes as the quality report's ColumnPairTrends passes them to ContingencySimilarity
    (reports/single_table/_properties/column_pair_trends.py): nanoseconds, NaT back to NaN
    (a bare pd.to_numeric would turn NaT into the int64 minimum)."""
    if sdtype != "datetime":
        return series
    missing = series.isna()
    numbers = pd.to_numeric(series).astype("float64")
    numbers[missing] = np.nan
    return numbers


def score(real, synthetic, types):
    out = {}
    for c, t in types.items():
        r, s = real[c], synthetic[c]
        m = {"MissingValueSimilarity": value(lambda: MissingValueSimilarity.compute(r, s))}
        if t in ("categorical", "boolean"):
            m["TVComplement"] = value(lambda: TVComplement.compute(r, s))
            m["CategoryCoverage"] = value(lambda: CategoryCoverage.compute(r, s))
        else:
            m["KSComplement"] = value(lambda: KSComplement.compute(r, s))
            m["RangeCoverage"] = value(lambda: RangeCoverage.compute(r, s))
            for stat in ("mean", "median", "std"):
                m[f"StatisticSimilarity_{stat}"] = value(lambda: StatisticSimilarity.compute(r, s, statistic=stat))
        out[c] = m
    pairs = {}
    for a, b in itertools.combinations(list(types), 2):
        key = f"{a}|{b}"
        m = {}
        ra, rb = numeric_for_pairs(real[a], types[a]), numeric_for_pairs(real[b], types[b])
        sa, sb = numeric_for_pairs(synthetic[a], types[a]), numeric_for_pairs(synthetic[b], types[b])
        if types[a] in ("numerical", "datetime") and types[b] in ("numerical", "datetime"):
            rp, sp = pd.DataFrame({a: real[a], b: real[b]}), pd.DataFrame({a: synthetic[a], b: synthetic[b]})
            for coef in ("Pearson", "Spearman"):
                for thr in (0, 0.3):
                    m[f"CorrelationSimilarity_{coef}_{thr}"] = value(lambda: CorrelationSimilarity.compute(
                        rp, sp, coefficient=coef, real_correlation_threshold=thr))
        continuous = [c for c in (a, b) if types[c] in ("numerical", "datetime")]
        rp, sp = pd.DataFrame({a: ra, b: rb}), pd.DataFrame({a: sa, b: sb})
        for thr in (0, 0.1):
            m[f"ContingencySimilarity_{thr}"] = value(lambda: ContingencySimilarity.compute(
                rp, sp, continuous_column_names=continuous or None, num_discrete_bins=10,
                real_association_threshold=thr))
        pairs[key] = m
    return {"columns": out, "pairs": pairs}


def main():
    check_versions()
    names = [a for a in sys.argv[1:] if not a.startswith("--")] or list(DATASETS)
    for name in names:
        real_cols, synth_cols, types, (slice_column, slice_value) = DATASETS[name]()
        folder = OUT / name
        folder.mkdir(parents=True, exist_ok=True)
        write_csv(folder / "real.csv", real_cols)
        write_csv(folder / "synthetic.csv", synth_cols)
        (folder / "metadata.json").write_text(json.dumps(
            {"columns": {c: {"sdtype": t} for c, t in types.items()}}, indent=1, sort_keys=True) + "\n")
        real, synthetic = read_csv(folder / "real.csv", types), read_csv(folder / "synthetic.csv", types)
        rmask, smask = real[slice_column] == slice_value, synthetic[slice_column] == slice_value
        expected = {
            "versions": PINS,
            "rows": {"real": len(real), "synthetic": len(synthetic)},
            "all": score(real, synthetic, types),
            "slice": {"column": slice_column, "value": slice_value,
                      "real_rows": [int(i) for i in np.flatnonzero(rmask.to_numpy())],
                      "synthetic_rows": [int(i) for i in np.flatnonzero(smask.to_numpy())],
                      **score(real[rmask].reset_index(drop=True), synthetic[smask].reset_index(drop=True), types)},
        }
        (folder / "expected.json").write_text(json.dumps(expected, indent=1, sort_keys=True) + "\n")
        print(name, "ok")


if __name__ == "__main__":
    main()
