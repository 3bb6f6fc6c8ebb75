#!/usr/bin/env python3
"""Writes the self-test fixtures of Rules/core/fidelity/missingness-parity.yaml (deterministic).

Two groups of 300 patients; a lab value missing for 10% of each; in the training data a missing
lab goes with the outcome (y = 1 for 60% of patients without the lab, 15% with it). Releases:
faithful (same mechanism), group B's lab missing 40% of the time, and the missingness made
uninformative (y independent of it).
"""
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "Rules/core/fidelity/tests"


def table(n_per, miss_a, miss_b, informative, seed):
    rnd = random.Random(seed)
    rows = []
    for group, miss in (("A", miss_a), ("B", miss_b)):
        for i in range(n_per):
            missing = i < round(n_per * miss)
            p = (0.6 if missing else 0.15) if informative else 0.2
            y = 1 if rnd.random() < p else 0
            lab = "" if missing else f"{rnd.uniform(4, 12):.1f}"
            rows.append((group, lab, str(y)))
    return rows


def write(name, rows):
    with open(OUT / name, "w") as f:
        f.write("group,lab,y\n")
        for row in rows:
            f.write(",".join(row) + "\n")


OUT.mkdir(parents=True, exist_ok=True)
write("missingness-train.csv", table(300, 0.10, 0.10, True, 1))
write("missingness-synthetic-faithful.csv", table(300, 0.10, 0.11, True, 2))
write("missingness-synthetic-group-b-missing.csv", table(300, 0.10, 0.40, True, 3))
write("missingness-synthetic-uninformative.csv", table(300, 0.10, 0.10, False, 4))
