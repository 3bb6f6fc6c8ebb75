#!/usr/bin/env python3
"""Golden values from scikit-learn (pinned in requirements.txt) for synthscan's ROC helpers
(Sources/SynthScanCore/Statistics/ROC.swift), used by the membership-inference check.

For each case, two score vectors (members = the positive class, non-members = the negative
class; a higher score means "more likely a member") and:

  * auc: sklearn.metrics.roc_auc_score(y_true, y_score), the trapezoidal area under the ROC
    curve, which equals the Mann-Whitney statistic P(member > non-member) + 0.5 P(tie);
  * the full ROC curve of sklearn.metrics.roc_curve(..., drop_intermediate=False): thresholds
    at the distinct score values, highest first, after the (0, 0) point at threshold +inf
    (written without that first point, whose threshold is not JSON), as counts of true and
    false positives;
  * tpr_at_fpr_<t>: max(tpr[fpr <= t]) over that curve, for t = 0.01 and 0.001, and the true
    positive count at that point;
  * advantage: max(tpr - fpr) over that curve;
  * delong_se: the standard error of the AUC by DeLong, DeLong & Clarke-Pearson (1988),
    Biometrics 44(3):837-845, computed here directly from the definition (structural
    components V10, V01 from the O(m n) kernel psi, sample variances with ddof = 1), not with
    the midrank shortcut the Swift side uses (Sun & Xu 2014), so the two are independent.

Scores are rounded to 6 decimals (so they survive the JSON round trip exactly and carry ties).
Deterministic (seeded numpy generator). Writes sklearn_roc/expected.json.

    /tmp/conf-venv/bin/python Tests/Conformance/generate_sklearn_roc.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import sklearn
from sklearn.metrics import roc_auc_score, roc_curve

OUT = Path(__file__).resolve().parent / "sklearn_roc" / "expected.json"
SEED = 20261129


def delong_se(members: np.ndarray, non_members: np.ndarray) -> float | None:
    m, n = len(members), len(non_members)
    if m < 2 or n < 2:
        return None
    psi = (members[:, None] > non_members[None, :]).astype(float) + 0.5 * (members[:, None] == non_members[None, :])
    v10 = psi.mean(axis=1)  # per member: share of non-members it beats
    v01 = psi.mean(axis=0)  # per non-member: share of members that beat it
    var = v10.var(ddof=1) / m + v01.var(ddof=1) / n
    return float(np.sqrt(var))


def case(name: str, members, non_members) -> dict:
    members = np.round(np.asarray(members, dtype=float), 6)
    non_members = np.round(np.asarray(non_members, dtype=float), 6)
    y_true = np.concatenate([np.ones(len(members), dtype=int), np.zeros(len(non_members), dtype=int)])
    y_score = np.concatenate([members, non_members])
    fpr, tpr, thresholds = roc_curve(y_true, y_score, drop_intermediate=False)
    assert np.isinf(thresholds[0]) and fpr[0] == 0 and tpr[0] == 0
    out = {
        "name": name,
        "members": [float(v) for v in members],
        "non_members": [float(v) for v in non_members],
        "auc": float(roc_auc_score(y_true, y_score)),
        "curve_thresholds": [float(v) for v in thresholds[1:]],
        "curve_true_positives": [int(round(v * len(members))) for v in tpr[1:]],
        "curve_false_positives": [int(round(v * len(non_members))) for v in fpr[1:]],
        "advantage": float(np.max(tpr - fpr)),
        "delong_se": delong_se(members, non_members),
    }
    for label, target in (("0_01", 0.01), ("0_001", 0.001)):
        allowed = np.flatnonzero(fpr <= target)
        best = allowed[np.argmax(tpr[allowed])]
        out[f"tpr_at_fpr_{label}"] = float(tpr[best])
        out[f"tp_at_fpr_{label}"] = int(round(tpr[best] * len(members)))
    return out


def main() -> None:
    rng = np.random.default_rng(SEED)
    cases = [
        case("hand, ties across classes", [0.9, 0.8, 0.8, 0.3], [0.8, 0.5, 0.3, 0.1, 0.1]),
        case("one against one", [0.2], [0.7]),
        case("all scores equal", [0.5] * 40, [0.5] * 60),
        case("perfect separation", rng.uniform(0.6, 1.0, 50), rng.uniform(0.0, 0.4, 70)),
        case("perfectly reversed", rng.uniform(0.0, 0.4, 30), rng.uniform(0.6, 1.0, 30)),
        case("many ties, five levels", rng.integers(0, 5, 500), rng.integers(0, 5, 500)),
        case("many ties, shifted", rng.integers(0, 8, 800) + (rng.uniform(size=800) < 0.3), rng.integers(0, 8, 800)),
        case("unequal sizes, small shift", rng.normal(0.3, 1, 300), rng.normal(0, 1, 1700)),
        case("unequal sizes, more members", rng.normal(0.1, 1, 1500), rng.normal(0, 1, 250)),
        case("null, 1000 each", rng.normal(0, 1, 1000), rng.normal(0, 1, 1000)),
        case("strong signal, 2000 each", rng.normal(1.5, 1, 2000), rng.normal(0, 1, 2000)),
    ]
    # Negated Gower-like distances: 20 of 1000 members are copies (distance 0), the rest are on
    # the grid of a 14-column mean (multiples of 1/14) plus a little numeric jitter; ties galore.
    member_d = np.concatenate([np.zeros(20), np.round(rng.integers(1, 8, 980) / 14 + rng.uniform(0, 0.02, 980), 3)])
    non_member_d = np.round(rng.integers(1, 8, 1000) / 14 + rng.uniform(0, 0.02, 1000), 3)
    cases.append(case("negated distances, 20 copies", -member_d, -non_member_d))
    # A low-FPR tail only: the top 2% of members far above everyone, the rest exchangeable.
    tail = rng.normal(0, 1, 1000)
    tail[:20] += 6
    cases.append(case("low-FPR tail only", tail, rng.normal(0, 1, 1000)))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"scikit-learn": sklearn.__version__, "numpy": np.__version__, "cases": cases},
                              indent=None, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({len(cases)} cases)")


if __name__ == "__main__":
    main()
