#!/usr/bin/env python3
"""Golden values from SciPy (pinned in requirements.txt) for synthscan's statistics:
binomial upper tails P(X >= k), the regularised incomplete beta function, standard normal
quantiles, and type-7 quantiles (numpy).
Writes scipy_stats/expected.json. Run: python generate_scipy_stats.py"""
import json
from pathlib import Path

import numpy as np
from scipy import special, stats

OUT = Path(__file__).resolve().parent / "scipy_stats" / "expected.json"


def main():
    cases = []
    for n, k, p in [(10, 3, 0.2), (10, 0, 0.5), (10, 10, 0.5), (100, 60, 0.5), (2000, 1450, 2 / 3), (2000, 36, 0.01),
                    (2000, 7, 0.001), (60, 60, 0.5), (1, 1, 0.3), (1_000_000, 1_000, 0.001), (5000, 2600, 0.5),
                    (300, 10, 0.05), (40, 35, 0.6), (2000, 1390, 0.6666666666666666)]:
        cases.append({"n": n, "k": k, "p": p, "upper_tail": float(stats.binom.sf(k - 1, n, p))})
    beta = []
    for x, a, b in [(0.3, 2.0, 5.0), (0.9, 0.5, 0.5), (0.01, 1.0, 100.0), (0.5, 1000.0, 1000.0), (0.999, 3.0, 0.7)]:
        beta.append({"x": x, "a": a, "b": b, "value": float(special.betainc(a, b, x))})
    quantiles = []
    rng = np.random.default_rng(20261129)
    for size in [1, 2, 5, 10, 101]:
        values = np.sort(rng.uniform(0, 1, size))
        for q in [0, 0.001, 0.01, 0.05, 0.25, 0.5, 0.95, 1]:
            quantiles.append({"values": [float(v) for v in values], "q": q, "value": float(np.quantile(values, q))})
    beta_binomial = []
    for k, n, a, b in [(17, 2000, 1, 1000), (9, 2000, 1, 1000), (36, 2000, 10, 991), (2, 2000, 1, 1000), (0, 50, 2, 3),
                       (5, 60, 1, 60), (60, 60, 1, 60), (3, 10, 2.5, 4.5), (400, 100000, 1, 300), (150, 100000, 1, 1000)]:
        beta_binomial.append({"k": k, "n": n, "a": a, "b": b, "upper_tail": float(stats.betabinom.sf(k - 1, n, a, b))})
    normal = [{"p": p, "quantile": float(stats.norm.ppf(p))} for p in [1e-12, 1e-6, 0.001, 0.01, 0.02425, 0.05, 0.3, 0.5, 0.9, 0.975, 0.99, 0.999, 1 - 1e-9]]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"scipy": stats.__name__ and __import__("scipy").__version__, "numpy": np.__version__,
                               "binomial_upper_tail": cases, "incomplete_beta": beta, "quantile_type7": quantiles, "normal_quantile": normal, "beta_binomial_upper_tail": beta_binomial},
                              indent=1) + "\n")


if __name__ == "__main__":
    main()
