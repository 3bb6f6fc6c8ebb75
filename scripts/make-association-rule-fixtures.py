#!/usr/bin/env python3
"""Writes the self-test fixtures of Rules/core/fidelity/association-*.yaml (deterministic).

Columns: g (a protected group A/B), lab (a numeric risk factor), y (a 0/1 outcome). In the
training data a higher lab value goes with the outcome (Spearman rho about 0.45). Releases:
faithful (same mechanism), reversed (higher lab goes with no outcome), weakened (the effect cut
to a quarter). A second training table shows Simpson's paradox across g: within each group the
lab value lowers the outcome, but group B has both higher lab values and more outcomes.
"""
import math
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "Rules/core/fidelity/tests"


def cohort(seed, n_per, slope, simpson=False):
    rnd = random.Random(seed)
    rows = []
    for group in ("A", "B"):
        for _ in range(n_per):
            if simpson:
                shift = 0.0 if group == "A" else 3.0
                lab = rnd.gauss(5 + shift, 1)
                logit = -2.0 + (2.5 if group == "B" else 0.0) + slope * (lab - 5 - shift) + 0.0 * shift
            else:
                lab = rnd.gauss(6, 1.5)
                logit = -1.0 + slope * (lab - 6)
            y = 1 if rnd.random() < 1 / (1 + math.exp(-logit)) else 0
            rows.append((group, f"{lab:.2f}", str(y)))
    return rows


def write(name, rows):
    with open(OUT / name, "w") as f:
        f.write("g,lab,y\n")
        for row in rows:
            f.write(",".join(row) + "\n")


OUT.mkdir(parents=True, exist_ok=True)
write("association-train.csv", cohort(11, 300, 1.2))
write("association-synthetic-faithful.csv", cohort(12, 300, 1.2))
write("association-synthetic-reversed.csv", cohort(13, 300, -1.2))
write("association-synthetic-weakened.csv", cohort(14, 300, 0.3))
write("association-train-simpson.csv", cohort(15, 300, -1.5, simpson=True))
write("association-synthetic-no-simpson.csv", cohort(16, 300, 1.0, simpson=True))
