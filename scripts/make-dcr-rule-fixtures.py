#!/usr/bin/env python3
"""Writes the small fabricated tables that the self-tests of privacy/distance-to-closest-record use
(Rules/core/privacy/tests/dcr-*.csv). Deterministic (fixed seed, standard library only); rerun
after changing it, then `make embed-rules`."""
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "Rules/core/privacy/tests"
HEADER = "age,sex,systolic_bp,hba1c,primary_dx"
DX = ["I10", "E11.9", "J45", "I21.4", "N18.3", "K35.8", "R55", "A41.9"]


def patient(rng):
    return [rng.randint(18, 90), rng.choice("FM"), rng.randint(95, 180), round(rng.uniform(4.8, 11.5), 1), rng.choice(DX)]


def write(name, rows):
    text = HEADER + "\n" + "".join(",".join(str(v) for v in r) + "\n" for r in rows)
    (OUT / name).write_text(text)


def main():
    rng = random.Random(20261129)
    train = [patient(rng) for _ in range(60)]
    holdout = [patient(rng) for _ in range(60)]
    fresh = [patient(rng) for _ in range(60)]
    # Near copies: each synthetic row is a training row with age moved by one year and
    # systolic pressure by 2 mmHg: never an exact copy, always closest to its source.
    near = [[r[0] + (1 if r[0] < 90 else -1), r[1], r[2] + 2, r[3], r[4]] for r in train]
    OUT.mkdir(parents=True, exist_ok=True)
    write("dcr-train.csv", train)
    write("dcr-holdout.csv", holdout)
    write("dcr-synthetic-fresh.csv", fresh)
    write("dcr-synthetic-near-copies.csv", near)


if __name__ == "__main__":
    main()
