#!/usr/bin/env python3
"""Writes the self-test fixtures of Rules/core/fidelity/subgroup-fidelity.yaml (deterministic).

Two groups of 250 patients with a lab value and a diagnosis whose distributions differ by group
(group B: higher lab values, more of diagnosis "J18.9"). Releases: faithful (same model, another
seed), and "blurred", where group B's columns are drawn from the whole-table mixture, the
oversmoothing FID-001 describes (a minority reproduced as a blurred copy of the majority).
"""
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "Rules/core/fidelity/tests"


def draw(rnd, group):
    if group == "A":
        return f"{rnd.gauss(5.5, 0.8):.2f}", rnd.choices(["E11.9", "I21.4", "J18.9"], [0.6, 0.3, 0.1])[0]
    return f"{rnd.gauss(8.0, 1.0):.2f}", rnd.choices(["E11.9", "I21.4", "J18.9"], [0.2, 0.2, 0.6])[0]


def cohort(seed, blurred=False):
    rnd = random.Random(seed)
    rows = []
    for group in ("A", "B"):
        for _ in range(250):
            source = rnd.choice("AB") if (blurred and group == "B") else group
            lab, dx = draw(rnd, source)
            rows.append((group, lab, dx))
    return rows


def write(name, rows):
    with open(OUT / name, "w") as f:
        f.write("g,lab,dx\n")
        for row in rows:
            f.write(",".join(row) + "\n")


OUT.mkdir(parents=True, exist_ok=True)
write("subgroup-fidelity-train.csv", cohort(21))
write("subgroup-fidelity-synthetic-faithful.csv", cohort(22))
write("subgroup-fidelity-synthetic-blurred.csv", cohort(23, blurred=True))
