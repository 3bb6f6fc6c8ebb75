"""Golden values for synthscan's `singling-out` and `linkability` checks from anonymeter 1.1.0.

Writes Tests/Conformance/anonymeter/<dataset>/{train,holdout,synthetic}.csv and expected.json.
Read by Tests/SynthScanCoreTests/AnonymeterAttackTests.swift (no Python needed there).

The attacks are random (and anonymeter's linkability samples are unseeded), so the stochastic
figures are anonymeter's own `EvaluationResults` (attack, baseline and control rates, each a
Wilson centre and error) from one run with a fixed numpy seed; the Swift tests check that our
rates fall inside anonymeter's 95% intervals and anonymeter's inside ours. The deterministic
parts are compared exactly:
- `singling_out.univariate_all`: with n_attacks above the number of candidates, the univariate
  attack keeps EVERY candidate that singles out one synthetic record, so the number built and the
  numbers that single out one training / holdout record do not depend on the shuffle.
- `singling_out.queries`: the multivariate queries anonymeter built (recorded as structured
  predicates from the arguments of `_query_from_record`) with anonymeter's match counts on the
  deduplicated synthetic, training and holdout tables.
- `linkability.neighbours`: anonymeter's `MixedTypeKNeighbors` k nearest synthetic records of every
  training record on each half (queries = the whole training table, so the numeric ranges are
  train ∪ synthetic as in synthscan's `anonymeter` distance), with distances.

Usage: /tmp/conf-venv/bin/python Tests/Conformance/generate_anonymeter.py [--allow-version-mismatch]
"""

import json
import os
import sys
import warnings

import numpy as np
import pandas as pd

PINS = {'pandas': '2.3.3', 'numpy': '1.26.4', 'anonymeter': '1.1.0'}
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'anonymeter')
N_ATTACKS = 500
MAX_ATTEMPTS = 100_000   # synthscan's default; anonymeter's 10,000,000 runs for hours when few distinct queries exist
K = 3


def check_versions():
    from importlib.metadata import version
    found = {name: version(name) for name in PINS}
    if found != PINS and '--allow-version-mismatch' not in sys.argv:
        sys.exit(f'versions {found} differ from the pins {PINS} (pass --allow-version-mismatch to run anyway)')
    found['polars'] = version('polars')
    return found


def blank(rng, values, share):
    return [None if rng.random() < share else v for v in values]


def leak(rng, train, fresh, n_copies, n_syn):
    """Synthetic table: n_copies training rows copied, the rest fresh rows."""
    syn = {k: [] for k in train}
    n_train = len(next(iter(train.values())))
    for i in rng.choice(n_train, n_copies, replace=False):
        for k in syn:
            syn[k].append(train[k][i])
    extra = fresh(n_syn - n_copies)
    for k in syn:
        syn[k].extend(extra[k])
    order = rng.permutation(n_syn)
    return {k: [v[i] for i in order] for k, v in syn.items()}


def mixed_missing(rng):
    """Numbers and labels with missing values in both; equal train and holdout sizes."""
    dx = ['I10', 'E11.9', 'J45', 'N18.3', 'F32.1', 'C91.0', 'K35.8']

    def real(n):
        return {
            'age': blank(rng, rng.integers(18, 95, n).tolist(), 0.04),
            'sex': blank(rng, rng.choice(['F', 'M'], n).tolist(), 0.03),
            'dx': blank(rng, rng.choice(dx, n, p=[.3, .25, .2, .12, .08, .03, .02]).tolist(), 0.05),
            'bp': blank(rng, np.round(rng.normal(130, 18, n), 0).tolist(), 0.05),
            'hba1c': np.round(rng.normal(6.5, 1.2, n), 1).tolist(),
        }

    train, holdout = real(600), real(600)
    return {'train': train, 'holdout': holdout, 'synthetic': leak(rng, train, real, 180, 600),
            'numeric': ['age', 'bp', 'hba1c'], 'aux': [['age', 'sex'], ['bp', 'hba1c']]}


def constant_columns(rng):
    """A constant number and a constant label; the holdout smaller than train (size correction)."""
    def real(n):
        return {
            'site': ['S1'] * n,
            'version': [3] * n,
            'age': rng.integers(20, 90, n).tolist(),
            'region': rng.choice(['N', 'S', 'E', 'W', 'C'], n).tolist(),
            'weight': np.round(rng.normal(75, 14, n), 1).tolist(),
            'los': blank(rng, rng.integers(1, 30, n).tolist(), 0.06),
        }

    train, holdout = real(500), real(300)
    return {'train': train, 'holdout': holdout, 'synthetic': leak(rng, train, real, 150, 450),
            'numeric': ['version', 'age', 'weight', 'los'], 'aux': [['age', 'region', 'site'], ['weight', 'version']]}


def categorical_only(rng):
    """Labels only, some missing; a smaller synthetic table."""
    def real(n):
        return {
            'sex': rng.choice(['F', 'M'], n).tolist(),
            'race': rng.choice(['W', 'B', 'A', 'H', 'O'], n, p=[.55, .2, .1, .1, .05]).tolist(),
            'zip3': rng.choice([f'Z{i:02d}' for i in range(30)], n).tolist(),
            'ward': blank(rng, rng.choice(['W1', 'W2', 'W3', 'W4'], n).tolist(), 0.05),
            'insurer': rng.choice(['PUB', 'PRV', 'NONE'], n, p=[.5, .4, .1]).tolist(),
            'dx': rng.choice(['I10', 'E11.9', 'J45', 'N18.3', 'F32.1', 'C91.0'], n).tolist(),
        }

    train, holdout = real(500), real(500)
    return {'train': train, 'holdout': holdout, 'synthetic': leak(rng, train, real, 100, 300),
            'numeric': [], 'aux': [['sex', 'race', 'zip3'], ['ward', 'insurer', 'dx']]}


BUILDERS = {'mixed_missing': (mixed_missing, 5005), 'constant_columns': (constant_columns, 6006),
            'categorical_only': (categorical_only, 7007)}


def fmt(v):
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ''
    if isinstance(v, (float, np.floating)) and float(v) == int(v):
        return str(int(v))
    return repr(float(v)) if isinstance(v, (float, np.floating)) else str(v)


def write_csv(path, table):
    names = list(table)
    with open(path, 'w', newline='') as f:
        f.write(','.join(names) + '\n')
        for row in zip(*(table[n] for n in names)):
            cells = [fmt(v) for v in row]
            assert all(',' not in c and '"' not in c for c in cells)
            f.write(','.join(cells) + '\n')


def read(path, numeric):
    df = pd.read_csv(path, keep_default_na=False, na_values=[''], float_precision='round_trip')
    for c in df.columns:
        df[c] = df[c].astype(float) if c in numeric else df[c].astype(object).where(df[c].notna(), None)
    return df


def rate(sr):
    return {'value': sr.value, 'error': sr.error}


def results_json(res, n_success, n_baseline, n_control):
    out = {'n_success': n_success, 'n_baseline': n_baseline, 'n_control': n_control,
           'attack_rate': rate(res.attack_rate), 'baseline_rate': rate(res.baseline_rate)}
    if res.control_rate is not None:
        out['control_rate'] = rate(res.control_rate)
    risk = res.risk()
    out['risk'] = {'value': risk.value, 'ci': list(risk.ci)}
    return out


def singling_out(train, holdout, syn, numeric):
    import polars as pl
    from anonymeter.evaluators import singling_out_evaluator as so
    from anonymeter.stats.confidence import EvaluationResults

    # Record the structured predicates behind every query anonymeter builds.
    recorded = {}
    original = so._query_from_record

    def recording(record, dtypes, columns, medians, rng):
        expr = original(record=record, dtypes=dtypes, columns=columns, medians=medians, rng=rng)
        preds = []
        for col in sorted(columns):
            val = record[col]
            if val is None or (isinstance(val, float) and np.isnan(val)):
                preds.append({'column': col, 'op': 'isMissing'})
            elif dtypes[col].is_numeric():
                preds.append({'column': col, 'op': 'greaterOrEqual' if val > medians[col] else 'lessOrEqual', 'value': float(val)})
            else:
                preds.append({'column': col, 'op': 'equal', 'value': str(val)})
        recorded[str(expr)] = preds
        return expr

    so._query_from_record = recording
    out = {'n_attacks': N_ATTACKS, 'n_cols': 3, 'max_attempts': MAX_ATTEMPTS}
    try:
        ev = so.SinglingOutEvaluator(ori=train, syn=syn, control=holdout, n_attacks=N_ATTACKS, n_cols=3,
                                     max_attempts=MAX_ATTEMPTS, seed=11)
        ev.evaluate(mode='multivariate')
        res = ev.results()
        out['multivariate'] = results_json(res, ev._n_success, ev._n_baseline, float(ev._n_control))
        # Rebuild the same queries (same seed) to count them on every table.
        o, s, c = (pl.DataFrame(so._safe_column_names(d)).unique(maintain_order=True) for d in (train, syn, holdout))
        out['deduplicated_rows'] = {'train': len(o), 'synthetic': len(s), 'holdout': len(c)}
        recorded.clear()
        queries = so._generate_singling_out_queries(df=s, mode='multivariate', n_attacks=N_ATTACKS, n_cols=3,
                                                    max_attempts=MAX_ATTEMPTS, rng=np.random.default_rng(11))
        out['multivariate']['queries_built'] = len(queries)
        cs, co, cc = (so._evaluate_queries(d, queries) for d in (s, o, c))
        out['queries'] = [{'predicates': recorded[str(q)], 'synthetic': a, 'train': b, 'holdout': d}
                          for q, a, b, d in zip(queries, cs, co, cc)]
        out['multivariate']['n_control_raw'] = sum(1 for x in cc if x == 1)
    finally:
        so._query_from_record = original

    # Univariate, every candidate kept: deterministic counts.
    ev = so.SinglingOutEvaluator(ori=train, syn=syn, control=holdout, n_attacks=20_000, seed=12)
    ev.evaluate(mode='univariate')
    queries = so._generate_singling_out_queries(df=s, mode='univariate', n_attacks=20_000, n_cols=1,
                                                max_attempts=None, rng=np.random.default_rng(12))
    out['univariate_all'] = {'n_attacks': 20_000, 'queries_built': len(queries),
                             'n_success': ev._n_success,
                             'n_control_raw': sum(1 for x in so._evaluate_queries(c, queries) if x == 1)}
    # Univariate at the default n_attacks (random subset of the candidates).
    ev = so.SinglingOutEvaluator(ori=train, syn=syn, control=holdout, n_attacks=N_ATTACKS, seed=13)
    ev.evaluate(mode='univariate')
    out['univariate'] = results_json(ev.results(), ev._n_success, ev._n_baseline, float(ev._n_control))
    return out


def linkability(train, holdout, syn, aux, numeric):
    from anonymeter.evaluators.linkability_evaluator import LinkabilityEvaluator
    from anonymeter.neighbors.mixed_types_kneighbors import MixedTypeKNeighbors

    n = min(N_ATTACKS, len(train), len(holdout))
    out = {'aux_columns': aux, 'n_attacks': n}
    for k in (1, K):
        ev = LinkabilityEvaluator(ori=train, syn=syn, control=holdout, aux_cols=(aux[0], aux[1]), n_attacks=n, n_neighbors=k)
        ev.evaluate(n_jobs=1)
        res = ev.results()
        out[f'k{k}'] = results_json(res, res.n_success, res.n_baseline, res.n_control)
    halves = []
    for cols in aux:
        nn = MixedTypeKNeighbors(n_neighbors=K, n_jobs=1).fit(syn[cols])
        dist, idx = nn.kneighbors(train[cols], return_distance=True)   # (distances, indices)
        halves.append({'columns': cols, 'rows': idx.tolist(),
                       'distances': [[None if np.isnan(x) else float(x) for x in r] for r in dist]})
    out['neighbours'] = halves
    return out


def main():
    versions = check_versions()
    warnings.simplefilter('ignore')
    np.random.seed(424242)   # anonymeter's linkability target and baseline samples use numpy's global state
    for name, (builder, seed) in BUILDERS.items():
        spec = builder(np.random.default_rng(seed))
        folder = os.path.join(OUT, name)
        os.makedirs(folder, exist_ok=True)
        for t in ('train', 'holdout', 'synthetic'):
            write_csv(os.path.join(folder, f'{t}.csv'), spec[t])
        train, holdout, syn = (read(os.path.join(folder, f'{t}.csv'), spec['numeric']) for t in ('train', 'holdout', 'synthetic'))
        expected = {'dataset': name, 'generator': 'Tests/Conformance/generate_anonymeter.py', 'versions': versions,
                    'builder_seed': seed, 'numeric_columns': spec['numeric'],
                    'sizes': {'train': len(train), 'holdout': len(holdout), 'synthetic': len(syn)},
                    'singling_out': singling_out(train, holdout, syn, spec['numeric']),
                    'linkability': linkability(train, holdout, syn, spec['aux'], spec['numeric'])}
        with open(os.path.join(folder, 'expected.json'), 'w') as f:
            json.dump(expected, f, sort_keys=True, separators=(',', ':'))   # compact: ~1,800 neighbour rows per data set
            f.write('\n')
        so = expected['singling_out']
        print(name, 'SO multivariate', so['multivariate']['n_success'], so['multivariate']['n_control'],
              'univariate_all', so['univariate_all'], 'link k1', expected['linkability']['k1']['n_success'],
              expected['linkability']['k1']['n_control'])


if __name__ == '__main__':
    main()
