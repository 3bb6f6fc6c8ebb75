"""Golden values for synthscan's `attribute-inference` check from SDMetrics 0.32.0 and anonymeter 1.1.0.

Writes Tests/Conformance/sdmetrics_cap/<dataset>/{train,holdout,synthetic}.csv and expected.json.
Read by Tests/SynthScanCoreTests/AttributeInferenceTests.swift (no Python needed there).

For each data set and method ('cap', 'zero_cap'):
- `DisclosureProtection.compute_breakdown(train, synthetic, key, sensitive, method, continuous, bins)`
  (sdmetrics/single_table/privacy/disclosure_protection.py): cap_protection, baseline_protection, score.
- The holdout control: holdout records binned with the TRAINING edges (SDMetrics'
  `_discretize_column(train, holdout)`, the holdout in the synthetic slot), nulls filled as
  `_discretize_and_fillna` does, and scored by SDMetrics' own `CategoricalCAP` / `CategoricalZeroCAP`
  `_compute` against the synthetic table binned the same way; records scored are counted from the
  key tuples. The residual risk interval is anonymeter's `EvaluationResults(...).risk()`
  (anonymeter/stats/confidence.py) with n_success = the sum of row scores.
- `bin_edges`: pandas' `pd.cut(train, bins, retbins=True)` edges (before SDMetrics widens the
  outer ones to +-inf), as repr strings so that they are read back bit-exactly;
  `bins_synthetic`: the bin SDMetrics gives each synthetic value (null = missing).

Usage: /tmp/conf-venv/bin/python Tests/Conformance/generate_sdmetrics_cap.py [--allow-version-mismatch]
"""

import json
import os
import sys
import warnings

import numpy as np
import pandas as pd

PINS = {'sdmetrics': '0.32.0', 'pandas': '2.3.3', 'numpy': '1.26.4', 'anonymeter': '1.1.0'}
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'sdmetrics_cap')


def check_versions():
    from importlib.metadata import version
    found = {name: version(name) for name in PINS}
    if found != PINS and '--allow-version-mismatch' not in sys.argv:
        sys.exit(f'versions {found} differ from the pins {PINS} (pass --allow-version-mismatch to run anyway)')
    return found


def blank(rng, values, share):
    return [None if rng.random() < share else v for v in values]


def numeric_key(rng):
    """age (int with missing, binned) + sex (with missing) -> dx (with missing); bins = 10."""
    dx = ['I10', 'E11.9', 'J45', 'N18.3', 'F32.1']

    def real(n):
        age = rng.integers(18, 91, n).tolist()
        sex = rng.choice(['F', 'M'], n).tolist()
        d = [dx[(a // 15 + (s == 'F')) % 5] if rng.random() < 0.6 else rng.choice(dx) for a, s in zip(age, sex)]
        return {'age': blank(rng, age, 0.05), 'sex': blank(rng, sex, 0.04), 'dx': blank(rng, d, 0.05)}

    train, holdout = real(240), real(160)
    # Synthetic: copies of training rows (the leak), fresh rows, ages outside the training range,
    # ages exactly on bin edges, blanks.
    syn = {k: [] for k in train}
    for i in rng.choice(240, 70, replace=False):
        for k in syn:
            syn[k].append(train[k][i])
    fresh = real(90)
    for k in syn:
        syn[k] += fresh[k]
    ages = [a for a in train['age'] if a is not None]
    mn, mx = min(ages), max(ages)
    step = (mx - mn) / 10
    for extra in [mn - 5, mx + 7, mn, mx] + [mn + step * i for i in range(1, 10)]:
        syn['age'].append(float(extra) if extra != int(extra) else int(extra))
        syn['sex'].append(rng.choice(['F', 'M']))
        syn['dx'].append(rng.choice(dx))
    return dict(train=train, holdout=holdout, synthetic=syn, key=['age', 'sex'], sensitive=['dx'],
                continuous=['age'], bins=10)


def two_sensitive(rng):
    """age (float) + zip3 -> (dx, lab binned): a two-column sensitive tuple with a binned column; bins = 4."""
    dx = ['I10', 'E11.9', 'J45']
    zips = ['Z021', 'Z100', 'Z300']

    def real(n):
        age = np.round(rng.uniform(20, 80, n), 1).tolist()
        z = rng.choice(zips, n).tolist()
        d = rng.choice(dx, n).tolist()
        lab = np.round(rng.normal(1.0, 0.3, n), 2).tolist()
        return {'age': age, 'zip3': blank(rng, z, 0.05), 'dx': blank(rng, d, 0.05), 'lab': blank(rng, lab, 0.06)}

    train, holdout = real(150), real(120)
    syn = {k: [] for k in train}
    for i in rng.choice(150, 50, replace=False):
        for k in syn:
            syn[k].append(train[k][i])
    fresh = real(60)
    for k in syn:
        syn[k] += fresh[k]
    syn['lab'] += [-3.0, 9.5]
    syn['age'] += [5.0, 99.0]
    syn['zip3'] += ['Z021', None]
    syn['dx'] += ['I10', None]
    return dict(train=train, holdout=holdout, synthetic=syn, key=['age', 'zip3'], sensitive=['dx', 'lab'],
                continuous=['age', 'lab'], bins=4)


def constant_key(rng):
    """A numeric key constant in train (pandas moves equal ends by 0.1%) + a numeric key with a
    negative range; sensitive: stage. bins = 10."""
    stages = ['S1', 'S2', 'S3']

    def real(n, const):
        return {'dose': [const] * n, 'temp': np.round(rng.uniform(-20, -5, n), 1).tolist(),
                'stage': blank(rng, rng.choice(stages, n).tolist(), 0.05)}

    train, holdout = real(100, 50), real(80, 50)
    syn = real(90, 50)
    syn['dose'] = [50] * 70 + [49.96, 49.95, 49.99, 50.01, 50.04, 50.05, 50.051, 49, 51, 0] + [50] * 10
    for i in range(10):
        syn['temp'][i] = train['temp'][i]
        syn['stage'][i] = train['stage'][i]
    return dict(train=train, holdout=holdout, synthetic=syn, key=['dose', 'temp'], sensitive=['stage'],
                continuous=['dose', 'temp'], bins=10)


BUILDERS = {'numeric_key': (numeric_key, 5101), 'two_sensitive': (two_sensitive, 5202), 'constant_key': (constant_key, 5303)}


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


def read(path, spec):
    labels = [c for c in spec['key'] + spec['sensitive'] if c not in spec['continuous']]
    return pd.read_csv(path, keep_default_na=False, na_values=[''], float_precision='round_trip',
                       dtype={c: str for c in labels})


def main():
    versions = check_versions()
    from anonymeter.stats.confidence import EvaluationResults
    from sdmetrics.single_table.privacy.cap import CategoricalCAP, CategoricalZeroCAP
    from sdmetrics.single_table.privacy.disclosure_protection import DisclosureProtection

    warnings.simplefilter('ignore')
    for name, (builder, seed) in BUILDERS.items():
        spec = builder(np.random.default_rng(seed))
        folder = os.path.join(OUT, name)
        os.makedirs(folder, exist_ok=True)
        frames = {}
        for table in ['train', 'holdout', 'synthetic']:
            write_csv(os.path.join(folder, f'{table}.csv'), spec[table])
            frames[table] = read(os.path.join(folder, f'{table}.csv'), spec)
        train, holdout, synthetic = frames['train'], frames['holdout'], frames['synthetic']
        key, sensitive, continuous, bins = spec['key'], spec['sensitive'], spec['continuous'], spec['bins']

        expected = {'dataset': name, 'generator': 'Tests/Conformance/generate_sdmetrics_cap.py', 'versions': versions,
                    'seed': seed, 'key_columns': key, 'sensitive_columns': sensitive, 'continuous_columns': continuous,
                    'bins': bins, 'shapes': {t: list(f.shape) for t, f in frames.items()}}
        edges = {}
        for col in continuous:
            _, e = pd.cut(pd.to_numeric(train[col].to_numpy()), bins, labels=[str(x) for x in range(bins)], retbins=True)
            edges[col] = [repr(float(x)) for x in e]  # strings: exact doubles whatever the JSON reader does
        expected['bin_edges'] = edges

        # Holdout and synthetic binned with the training edges, nulls filled as SDMetrics does.
        hold, syn = holdout.copy(), synthetic.copy()
        for col in continuous:
            _, hold[col] = DisclosureProtection._discretize_column(train[col], holdout[col], bins)
            _, syn[col] = DisclosureProtection._discretize_column(train[col], synthetic[col], bins)
        tr, _ = DisclosureProtection._discretize_and_fillna(train, synthetic, key, sensitive, continuous, bins)
        nulls = {c: '__NULL_VALUE__' for c in key + sensitive}
        hold, syn = hold.fillna(nulls), syn.fillna(nulls)
        expected['bins_synthetic'] = {c: [int(x) if x != '__NULL_VALUE__' else None for x in syn[c]] for c in continuous}
        syn_keys = set(tuple(r) for r in syn[key].itertuples(index=False))

        for method, metric in [('cap', CategoricalCAP), ('zero_cap', CategoricalZeroCAP)]:
            breakdown = DisclosureProtection.compute_breakdown(train, synthetic, key, sensitive, method, continuous, bins)
            result = {k: (None if v is None or np.isnan(v) else float(v)) for k, v in breakdown.items()}
            attack_train_protection = metric._compute(tr, syn, key_fields=key, sensitive_fields=sensitive)
            attack_holdout_protection = metric._compute(hold, syn, key_fields=key, sensitive_fields=sensitive)
            assert abs(attack_train_protection - breakdown['cap_protection']) < 1e-12
            n_train = sum(1 for r in tr[key].itertuples(index=False) if method == 'zero_cap' or tuple(r) in syn_keys)
            n_hold = sum(1 for r in hold[key].itertuples(index=False) if method == 'zero_cap' or tuple(r) in syn_keys)
            a, c = 1 - attack_train_protection, 1 - attack_holdout_protection
            risk = EvaluationResults(n_attacks=(n_train, n_train, n_hold), n_success=a * n_train, n_baseline=0,
                                     n_control=c * n_hold, confidence_level=0.95).risk()
            result.update({'records_scored_train': n_train, 'records_scored_holdout': n_hold,
                           'cap_attack_train': float(a), 'cap_attack_holdout': float(c),
                           'residual_risk': float((a - c) / (1 - c)),
                           'anonymeter_risk': float(risk.value),
                           'residual_risk_ci_low': float(risk.ci[0]), 'residual_risk_ci_high': float(risk.ci[1])})
            expected[method] = result
        with open(os.path.join(folder, 'expected.json'), 'w') as f:
            json.dump(expected, f, indent=1, sort_keys=True)
            f.write('\n')
        print(name, {m: {k: expected[m][k] for k in ('cap_protection', 'baseline_protection', 'score', 'residual_risk_ci_low')}
                     for m in ('cap', 'zero_cap')})


if __name__ == '__main__':
    main()
