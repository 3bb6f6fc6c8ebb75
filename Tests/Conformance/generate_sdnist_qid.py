#!/usr/bin/env python3
"""Golden values for synthscan's `quasi-identifier-disclosure` check.

Writes Tests/Conformance/sdnist_qid/<dataset>/{train,holdout,synthetic}.csv, config.json and
expected.json. Two independent sources of truth, cross-checked before anything is written:

1. NIST SDNist 2.5.0's own functions (https://github.com/usnistgov/SDNist, tag v2.5.0, commit
   f048b1c2ca3815239982ac181ec8cd01840fc351; PyPI stops at 2.4, which lacks disco.py):
   - `sdnist/metrics/apparent_match_dist.py::cellchange` (identical in 2.4 and 2.5.0): keys unique
     in both tables (`drop_duplicates(subset=quasi, keep=False)`), inner join on the QIs, per pair
     the percentage of the other common columns that are equal;
   - `sdnist/metrics/unique_exact_matches.py::unique_exact_matches`: target records unique on all
     columns that occur in the (deduplicated) deidentified data;
   - `sdnist/metrics/disco.py::KDiscoEvaluator.compute_disco` / `compute_dio` (Raab, Nowok & Dibben
     2024): share of target records whose QI key has a single target value in the synthetic data
     (respectively in the target data itself) equal to their own.
2. An independent plain-Python implementation (dicts and tuples over the CSV strings, no pandas
   group-bys) of synthscan's documented definitions, which extend SDNist's: apparent matches also
   count keys that several synthetic records share (scored by the best-matching one), holdout
   baselines, k-anonymity of the release against train, DiSCO over several sensitive columns (a
   record counts once), and Fisher exact one-sided p-values (checked against
   `scipy.stats.fisher_exact(alternative='greater')`).

Where the definitions coincide the script asserts that (1) and (2) agree: SDNist's cellchange
pairs are exactly our apparent matches whose key is unique in the synthetic table, with the same
percentages; SDNist's unique exact matches equal our apparent matches when every compared column
is a QI; SDNist's DiSCO and DiO equal ours for a single sensitive column.

Missing values. Files are read with `keep_default_na=False`, so an empty field is the empty
string: a value of its own, equal to another empty field, in keys, in the other columns and in
the sensitive column. This is how synthscan's record digests treat missing values, and how SDNist's
own data sets code N/A (the category 'N'). With pandas NaN, SDNist would differ: `==` in `match`
never equals NaN, `nunique` in compute_disco ignores NaN, and `groupby` in 2.4's
unique_exact_matches drops keys with NaN.

Numbers are written canonically (integers without a decimal point, one-decimal floats with a
non-zero decimal), so string equality here is numeric equality in synthscan.

Usage (Python 3.11):
    python3.11 -m venv /tmp/sdnist-venv
    git clone https://github.com/usnistgov/SDNist /tmp/SDNist && git -C /tmp/SDNist checkout v2.5.0
    /tmp/sdnist-venv/bin/pip install /tmp/SDNist          # pulls pandas 2.2.0, numpy 1.26.4, scipy 1.13.1
    /tmp/sdnist-venv/bin/python Tests/Conformance/generate_sdnist_qid.py
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import platform
import sys
from collections import Counter, defaultdict
from importlib import metadata as importlib_metadata
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

import sdnist.report  # noqa: F401  (breaks sdnist's circular import before the metrics are imported)
from sdnist.metrics.apparent_match_dist import cellchange
from sdnist.metrics.disco import KDiscoEvaluator
from sdnist.metrics.unique_exact_matches import unique_exact_matches

PINNED = {'sdnist': '2.5', 'pandas': '2.2.0', 'numpy': '1.26.4', 'scipy': '1.13.1'}
SDNIST_SOURCE = {
    'repository': 'https://github.com/usnistgov/SDNist',
    'tag': 'v2.5.0',
    'commit': 'f048b1c2ca3815239982ac181ec8cd01840fc351',
    'files': ['sdnist/metrics/apparent_match_dist.py', 'sdnist/metrics/unique_exact_matches.py', 'sdnist/metrics/disco.py'],
}
HERE = Path(__file__).resolve().parent
OUT_ROOT = HERE / 'sdnist_qid'
K_DEFAULT = 5
SEEDS = {'clinical_qi': 5101, 'coarse_qi': 5202, 'all_qi': 5303}


def check_versions(allow_mismatch):
    found = {name: importlib_metadata.version(name) for name in PINNED}
    bad = {k: (PINNED[k], v) for k, v in found.items() if v != PINNED[k]}
    if bad and not allow_mismatch:
        lines = ', '.join(f'{k} {v} (pinned {p})' for k, (p, v) in bad.items())
        sys.exit(f'version mismatch ({lines}); install the pins or pass --allow-version-mismatch')
    return found


# ---------------------------------------------------------------------------------------------
# Data sets. Every value is a string as written to the CSV; '' is missing.

def maybe_missing(rng, value, rate):
    return '' if rng.random() < rate else value


def build_clinical_qi(seed):
    """Fine QIs (age, sex, zip3) with missing values; one sensitive column (dx); four other columns."""
    rng = np.random.default_rng(seed)
    header = ['patient_id', 'age', 'sex', 'zip3', 'dx', 'los', 'lab', 'smoker']
    dxs = ['I10', 'E11.9', 'J45', 'N17.9', 'I50.9', 'J18.9', 'K85.90', 'R55']
    zips = ['100', '112', '331', '606', '981']

    def draw(prefix, i):
        age = int(rng.integers(40, 80))
        return {
            'patient_id': f'{prefix}{i:05d}',
            'age': maybe_missing(rng, str(age), 0.03),
            'sex': maybe_missing(rng, str(rng.choice(['F', 'M'])), 0.02),
            'zip3': maybe_missing(rng, str(rng.choice(zips)), 0.04),
            'dx': maybe_missing(rng, dxs[min(len(dxs) - 1, int(rng.exponential(2.0)))], 0.03),
            'los': str(int(rng.integers(1, 16))),
            'lab': maybe_missing(rng, f'{int(rng.integers(30, 90))}.{int(rng.integers(1, 10))}', 0.05),
            'smoker': str(rng.choice(['yes', 'no'], p=[0.2, 0.8])),
        }

    train = [draw('MRN-', i) for i in range(300)]
    holdout = [draw('MRN-', 1000 + i) for i in range(200)]
    qis = ['age', 'sex', 'zip3']
    others = ['dx', 'los', 'lab', 'smoker']
    t_counts = Counter(tuple(r[c] for c in qis) for r in train)
    h_counts = Counter(tuple(r[c] for c in qis) for r in holdout)
    t_unique = [r for r in train if t_counts[tuple(r[c] for c in qis)] == 1]
    h_unique = [r for r in holdout if h_counts[tuple(r[c] for c in qis)] == 1]
    t_shared = [r for r in train if t_counts[tuple(r[c] for c in qis)] >= 2]
    order = rng.permutation(len(t_unique))
    pool = [t_unique[i] for i in order]
    with_missing = [r for r in pool if '' in (r['age'], r['sex'], r['zip3'], r['lab'], r['dx'])]
    plain = [r for r in pool if r not in with_missing]

    synthetic, kinds = [], []

    def add(row, kind):
        synthetic.append(dict(row))
        kinds.append(kind)

    def changed(row, n):
        out = dict(row)
        for c in list(rng.choice(others, size=n, replace=False)):
            if c == 'dx':
                out[c] = dxs[(dxs.index(out[c]) + 1) % len(dxs)] if out[c] else 'I10'
            elif c == 'los':
                out[c] = str(int(out[c]) % 15 + 1)
            elif c == 'lab':
                out[c] = '99.9' if out[c] != '99.9' else '12.3'
            else:
                out[c] = 'no' if out[c] == 'yes' else 'yes'
        return out

    # Whole copies of unique training records, some with missing values; one copied three times.
    for r in with_missing[:4] + plain[:8]:
        add(r, 'copy_unique_train')
    add(plain[0], 'copy_unique_train_again')
    add(plain[0], 'copy_unique_train_again')
    # QI copies with 1-4 other columns changed (partial agreement).
    for i, r in enumerate(plain[8:23]):
        add(changed(r, 1 + i % 4), f'qi_copy_changed_{1 + i % 4}')
    # Keys of unique training records shared by 2-3 synthetic rows of different agreement.
    for i, r in enumerate(plain[23:28]):
        add(changed(r, 3), 'shared_key_low')
        add(changed(r, 1) if i % 2 == 0 else dict(r), 'shared_key_best' if i % 2 == 0 else 'shared_key_whole')
        if i < 2:
            add(changed(r, 4), 'shared_key_lowest')
    # Holdout: QI copies and whole copies of unique holdout records (the chance level).
    for i, r in enumerate(h_unique[:8]):
        add(dict(r) if i < 3 else changed(r, 2), 'copy_unique_holdout' if i < 3 else 'qi_copy_holdout')
    # Rows in shared training classes, with that class's first dx (k-anonymity, DiSCO).
    for r in t_shared[:12]:
        add(dict(r), 'shared_class_copy')
    # Fresh draws.
    while len(synthetic) < 250:
        add(draw('SYN-', len(synthetic)), 'fresh')
    return finish(rng, header, train, holdout, synthetic, kinds,
                  config={'identifiers': ['patient_id'], 'quasi_identifiers': qis, 'sensitive': ['dx'],
                          'types': {'age': 'numeric', 'sex': 'categorical', 'zip3': 'categorical', 'dx': 'categorical',
                                    'los': 'numeric', 'lab': 'numeric', 'smoker': 'categorical'}})


def build_coarse_qi(seed):
    """Coarse QIs (age band, sex) with large classes; two sensitive columns (dx, hiv)."""
    rng = np.random.default_rng(seed)
    header = ['record_id', 'age_band', 'sex', 'dx', 'hiv', 'los']
    bands = ['B20', 'B30', 'B40', 'B50', 'B60', 'B70', 'B80']
    dxs = ['I10', 'E11.9', 'J45', 'N17.9', 'F32.9']

    def draw(prefix, i, band=None):
        band = band or str(rng.choice(bands))
        b = bands.index(band) if band in bands else 3
        weights = np.array([1.0 + b, 1.0 + 0.5 * b, 4.0 - 0.4 * b, 0.5 + 0.2 * b, 2.0])
        return {
            'record_id': f'{prefix}{i:05d}',
            'age_band': band,
            'sex': maybe_missing(rng, str(rng.choice(['F', 'M'])), 0.03),
            'dx': maybe_missing(rng, str(rng.choice(dxs, p=weights / weights.sum())), 0.04),
            'hiv': str(rng.choice(['neg', 'pos'], p=[0.7, 0.3])),
            'los': str(int(rng.integers(1, 10))),
        }

    train = [draw('R', i) for i in range(400)]
    # A few rare classes: two unique records and a homogeneous class of three.
    train += [draw('R', 400, 'B90'), draw('R', 401, 'B10')]
    for i in range(3):
        r = draw('R', 402 + i, 'B95')
        r.update(sex='F', dx='F32.9', hiv='pos')
        train.append(r)
    holdout = [draw('H', i) for i in range(300)] + [draw('H', 300, 'B90')]
    synthetic, kinds = [], []
    # A generator that memorises: in three classes it emits only the training majority dx.
    t_by_key = defaultdict(list)
    for r in train:
        t_by_key[(r['age_band'], r['sex'])].append(r)
    memorised = [('B40', 'F'), ('B60', 'M'), ('B95', 'F')]
    for key in memorised:
        rows = t_by_key[key]
        majority = Counter(r['dx'] for r in rows).most_common(1)[0][0]
        for j in range(6 if key != ('B95', 'F') else 2):
            s = draw('S', len(synthetic), key[0])
            s.update(sex=key[1], dx=majority)
            if key == ('B95', 'F'):
                s['hiv'] = 'pos'
            synthetic.append(s)
            kinds.append('memorised_class')
    # A class whose synthetic records all say hiv 'neg' while dx varies: disclosure on hiv only.
    for j in range(5):
        s = draw('S', len(synthetic), 'B20')
        s.update(sex='M', hiv='neg')
        synthetic.append(s)
        kinds.append('homogeneous_hiv_class')
    # The unique B90 patient's key (also the unique holdout B90 patient's key).
    s = dict(next(r for r in train if r['age_band'] == 'B90'))
    synthetic.append(s)
    kinds.append('copy_unique_train')
    planted = set(memorised) | {('B20', 'M')}
    while len(synthetic) < 300:
        s = draw('S', len(synthetic))
        if (s['age_band'], s['sex']) in planted:   # keep the planted classes homogeneous
            continue
        synthetic.append(s)
        kinds.append('fresh')
    synthetic.append(draw('S', 999, 'B99'))   # a class training does not have (k = 0)
    kinds.append('class_absent_from_train')
    return finish(rng, header, train, holdout, synthetic, kinds,
                  config={'identifiers': ['record_id'], 'quasi_identifiers': ['age_band', 'sex'], 'sensitive': ['dx', 'hiv'],
                          'types': {'age_band': 'categorical', 'sex': 'categorical', 'dx': 'categorical', 'hiv': 'categorical',
                                    'los': 'numeric'}})


def build_all_qi(seed):
    """Every compared column is a QI (no other column, no sensitive one): SDNist unique exact matches."""
    rng = np.random.default_rng(seed)
    header = ['id', 'age', 'sex', 'zip3', 'dx']

    def draw(prefix, i):
        return {
            'id': f'{prefix}{i:04d}',
            'age': maybe_missing(rng, str(int(rng.integers(60, 75))), 0.05),
            'sex': str(rng.choice(['F', 'M'])),
            'zip3': maybe_missing(rng, str(rng.choice(['100', '331', '606'])), 0.05),
            'dx': maybe_missing(rng, str(rng.choice(['I10', 'E11.9', 'J45'])), 0.05),
        }

    train = [draw('T', i) for i in range(150)]
    holdout = [draw('H', i) for i in range(100)]
    cols = ['age', 'sex', 'zip3', 'dx']
    t_counts = Counter(tuple(r[c] for c in cols) for r in train)
    h_counts = Counter(tuple(r[c] for c in cols) for r in holdout)
    synthetic, kinds = [], []
    for r in [r for r in train if t_counts[tuple(r[c] for c in cols)] == 1][:10]:
        synthetic.append(dict(r))
        kinds.append('copy_unique_train')
    for r in [r for r in train if t_counts[tuple(r[c] for c in cols)] > 1][:6]:
        synthetic.append(dict(r))
        kinds.append('copy_shared_train')
    for r in [r for r in holdout if h_counts[tuple(r[c] for c in cols)] == 1][:4]:
        synthetic.append(dict(r))
        kinds.append('copy_unique_holdout')
    synthetic.append(dict(synthetic[0]))
    kinds.append('copy_unique_train_again')
    while len(synthetic) < 120:
        synthetic.append(draw('S', len(synthetic)))
        kinds.append('fresh')
    return finish(rng, header, train, holdout, synthetic, kinds,
                  config={'identifiers': ['id'], 'quasi_identifiers': cols, 'sensitive': [],
                          'types': {'age': 'numeric', 'sex': 'categorical', 'zip3': 'categorical', 'dx': 'categorical'}})


def finish(rng, header, train, holdout, synthetic, kinds, config):
    order = rng.permutation(len(synthetic))
    synthetic = [synthetic[i] for i in order]
    kinds = [kinds[i] for i in order]
    id_col = config['identifiers'][0]
    for i, r in enumerate(synthetic):
        r[id_col] = f'SYN-{i + 1:05d}'
    return {'header': header, 'train': train, 'holdout': holdout, 'synthetic': synthetic, 'kinds': kinds, 'config': config}


BUILDERS = {'clinical_qi': build_clinical_qi, 'coarse_qi': build_coarse_qi, 'all_qi': build_all_qi}


def write_csv(path, header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator='\n')
    w.writerow(header)
    for r in rows:
        for v in r.values():
            assert ',' not in v and '"' not in v and v not in ('NA', 'N/A', 'NaN', 'null', 'NULL', '?'), v
        w.writerow([r[c] for c in header])
    path.write_text(buf.getvalue())


def read_csv(path):
    # '' stays the empty string: missing is a value of its own (see the module docstring).
    return pd.read_csv(path, dtype=str, keep_default_na=False)


# ---------------------------------------------------------------------------------------------
# Independent implementation of synthscan's definitions (plain Python over the strings).

def rows_of(df):
    return df.to_dict('records')


def fisher_upper(x, n, y, m):
    p = stats.fisher_exact([[x, n - x], [y, m - y]], alternative='greater').pvalue
    return float(p)


def fisher_upper_exact(x, n, y, m):
    """Hypergeometric upper tail with exact integers (math.comb), to cross-check SciPy."""
    total, k = n + m, x + y
    hi = min(k, n)
    num = sum(math.comb(n, i) * math.comb(m, k - i) for i in range(x, hi + 1))
    return num / math.comb(total, k)


def apparent(real, synthetic, qis, others):
    counts = Counter(tuple(r[c] for c in qis) for r in real)
    index = defaultdict(list)
    for s_row, s in enumerate(synthetic):
        index[tuple(s[c] for c in qis)].append(s_row)
    unique = matches = syn_unique = full = 0
    shares, sdnist_pairs, disclosure_rows = [], [], []
    coverage = Counter()
    for r in real:
        key = tuple(r[c] for c in qis)
        if counts[key] != 1:
            continue
        unique += 1
        cands = index.get(key, [])
        if not cands:
            continue
        matches += 1
        agree = [sum(synthetic[s][c] == r[c] for c in others) for s in cands]
        best = max(agree)
        coverage['matches_with_missing_qi'] += '' in key
        coverage['matches_with_missing_other'] += any(r[c] == '' for c in others)
        coverage['matches_with_several_synthetic_records'] += len(cands) > 1
        coverage['several_records_best_not_first'] += len(cands) > 1 and agree[0] < best
        shares.append(best / len(others) if others else 1.0)
        if best == len(others):
            full += 1
        disclosure_rows += [s + 1 for s, a in zip(cands, agree) if a == len(others)]
        if len(cands) == 1:
            syn_unique += 1
            if others:
                sdnist_pairs.append(agree[0] / len(others) * 100)  # SDNist: (S / len(cols)) * 100
    return {'unique': unique, 'matches': matches, 'syn_unique': syn_unique, 'full': full, 'shares': shares,
            'sdnist_pairs': sorted(sdnist_pairs), 'disclosure_rows': sorted(disclosure_rows), 'coverage': dict(coverage)}


def disco(real, synthetic, qis, sensitive):
    """Records of `real` disclosed on at least one sensitive column, and the disclosive keys."""
    values = defaultdict(lambda: defaultdict(set))
    for s in synthetic:
        key = tuple(s[c] for c in qis)
        for c in sensitive:
            values[key][c].add(s[c])
    records, groups = 0, set()
    for r in real:
        key = tuple(r[c] for c in qis)
        if key not in values:
            continue
        hit = [c for c in sensitive if len(values[key][c]) == 1 and r[c] in values[key][c]]
        if hit:
            records += 1
            groups.add(key)
    return records, len(groups)


def dio(real, qis, sensitive):
    values = defaultdict(lambda: defaultdict(set))
    for r in real:
        key = tuple(r[c] for c in qis)
        for c in sensitive:
            values[key][c].add(r[c])
    return sum(1 for r in real if any(len(values[tuple(r[c] for c in qis)][c]) == 1 for c in sensitive))


def our_measurements(train, holdout, synthetic, qis, sensitive, others, k):
    t = apparent(train, synthetic, qis, others)
    h = apparent(holdout, synthetic, qis, others)
    m = {
        'synthetic_rows': len(synthetic),
        'quasi_identifier_columns': len(qis),
        'other_columns_compared': len(others),
        'real_unique_records': t['unique'],
        'real_unique_share': t['unique'] / len(train),
        'apparent_matches': t['matches'],
        'apparent_match_share': t['matches'] / t['unique'] if t['unique'] else 0.0,
        'apparent_matches_synthetic_unique': t['syn_unique'],
        'apparent_full_matches': t['full'],
        'apparent_full_match_share': t['full'] / t['unique'] if t['unique'] else 0.0,
        'disclosure_rows': len(t['disclosure_rows']),
        'holdout_unique_records': h['unique'],
        'apparent_matches_holdout': h['matches'],
        'apparent_match_share_holdout': h['matches'] / h['unique'] if h['unique'] else 0.0,
        'apparent_full_matches_holdout': h['full'],
    }
    if others and t['shares']:
        m['apparent_match_mean_other_match'] = sum(t['shares']) / len(t['shares'])
    if t['unique'] and h['unique']:
        p = fisher_upper(t['matches'], t['unique'], h['matches'], h['unique'])
        exact = fisher_upper_exact(t['matches'], t['unique'], h['matches'], h['unique'])
        assert abs(p - exact) <= 1e-12 * max(1.0, exact), (p, exact)
        m['apparent_match_p_value'] = exact
    t_counts = Counter(tuple(r[c] for c in qis) for r in train)
    ks = [t_counts.get(tuple(s[c] for c in qis), 0) for s in synthetic]
    if any(v >= 1 for v in ks):
        m['synthetic_k_min'] = min(v for v in ks if v >= 1)
    m['synthetic_records_k_below'] = sum(1 for v in ks if 1 <= v < k)
    m['synthetic_share_k_below'] = m['synthetic_records_k_below'] / len(synthetic)
    m['sensitive_columns'] = len(sensitive)
    if sensitive:
        records, groups = disco(train, synthetic, qis, sensitive)
        h_records, _ = disco(holdout, synthetic, qis, sensitive)
        m.update({
            'disclosive_groups': groups,
            'disclosive_records': records,
            'disclosive_share': records / len(train),
            'dio_share': dio(train, qis, sensitive) / len(train),
            'disclosive_records_holdout': h_records,
            'disclosive_share_holdout': h_records / len(holdout),
        })
        p = fisher_upper(records, len(train), h_records, len(holdout))
        exact = fisher_upper_exact(records, len(train), h_records, len(holdout))
        assert abs(p - exact) <= 1e-12 * max(1.0, exact), (p, exact)
        m['disclosive_p_value'] = exact
    return m, t


# ---------------------------------------------------------------------------------------------
# SDNist's own functions.

def sdnist_values(train_df, holdout_df, synthetic_df, qis, sensitive, compared):
    out = {}
    # cellchange(df1, df2, quasi, exclude): the SDNist report passes (synthetic, target).
    exclude = [c for c in train_df.columns if c not in compared]
    percents, _, _, matched = cellchange(synthetic_df.copy(), train_df.copy(), qis, exclude)
    others = [c for c in compared if c not in qis]
    out['cellchange'] = {'matched': int(matched.shape[0]),
                         'percents_sorted': sorted(float(v) for v in percents) if others else []}
    t_rec_matched, _, t_unique, _ = unique_exact_matches(train_df[compared].copy(), synthetic_df[compared].copy())
    out['unique_exact_matches'] = {'t_rec_matched': int(t_rec_matched), 't_unique_records': int(t_unique)}
    out['disco'] = {}
    for target in sensitive:
        ev = KDiscoEvaluator(train_df.copy(), synthetic_df.copy())
        ev_h = KDiscoEvaluator(holdout_df.copy(), synthetic_df.copy())
        out['disco'][target] = {'disco': float(ev.compute_disco(list(qis), target)),
                                'dio': float(ev.compute_dio(list(qis), target)),
                                'disco_holdout': float(ev_h.compute_disco(list(qis), target))}
    return out


def check_keys_injective(df, qis):
    # SDNist's DiSCO joins key values with '-': make sure that loses nothing here.
    tuples = set(map(tuple, df[sorted(qis)].values.tolist()))
    joined = set('-'.join(t) for t in tuples)
    assert len(tuples) == len(joined), 'a QI value with "-" makes SDNist keys ambiguous'


def generate(name, versions):
    built = BUILDERS[name](SEEDS[name])
    out = OUT_ROOT / name
    out.mkdir(parents=True, exist_ok=True)
    for table in ('train', 'holdout', 'synthetic'):
        write_csv(out / f'{table}.csv', built['header'], built[table])
    config = built['config']
    (out / 'config.json').write_text(json.dumps(config, indent=1, sort_keys=True) + '\n')

    # Everything below reads the files back, exactly as synthscan reads them.
    train_df, holdout_df, synthetic_df = (read_csv(out / f'{t}.csv') for t in ('train', 'holdout', 'synthetic'))
    train, holdout, synthetic = rows_of(train_df), rows_of(holdout_df), rows_of(synthetic_df)
    qis, sensitive = config['quasi_identifiers'], config['sensitive']
    compared = sorted(c for c in built['header'] if c not in config['identifiers'])
    others = [c for c in compared if c not in qis]
    for df in (train_df, holdout_df, synthetic_df):
        check_keys_injective(df, qis)

    ours, t = our_measurements(train, holdout, synthetic, qis, sensitive, others, K_DEFAULT)
    every_qi, _ = our_measurements(train, holdout, synthetic, compared, [], [], K_DEFAULT)
    sd = sdnist_values(train_df, holdout_df, synthetic_df, qis, sensitive, compared)

    # Cross-checks where the definitions coincide.
    assert sd['cellchange']['matched'] == ours['apparent_matches_synthetic_unique'], (sd['cellchange'], ours)
    if others:
        assert sd['cellchange']['percents_sorted'] == t['sdnist_pairs'], 'cellchange percentages differ'
    assert sd['unique_exact_matches']['t_rec_matched'] == every_qi['apparent_matches']
    assert sd['unique_exact_matches']['t_unique_records'] == every_qi['real_unique_records']
    if len(sensitive) == 1:
        d = sd['disco'][sensitive[0]]
        assert abs(d['disco'] - ours['disclosive_share']) < 1e-15
        assert abs(d['dio'] - ours['dio_share']) < 1e-15
        assert abs(d['disco_holdout'] - ours['disclosive_share_holdout']) < 1e-15
    elif sensitive:
        per = [sd['disco'][c]['disco'] for c in sensitive]
        # Strictly between: the data set discloses some records on one column only, others on both.
        assert max(per) + 1e-15 < ours['disclosive_share'] < sum(per) - 1e-15

    expected = {
        'dataset': name,
        'generator': 'Tests/Conformance/generate_sdnist_qid.py',
        'versions': versions,
        'sdnist_source': SDNIST_SOURCE,
        'seed': SEEDS[name],
        'k': K_DEFAULT,
        'compared_columns': compared,
        'measurements': ours,
        'disclosure_rows_1based': t['disclosure_rows'],
        'apparent_matches_synthetic_unique_other_match_percent_sorted': t['sdnist_pairs'],
        'all_columns_as_quasi_identifiers': {'real_unique_records': every_qi['real_unique_records'],
                                             'apparent_matches': every_qi['apparent_matches']},
        'sdnist': sd,
        'coverage_train_apparent_matches': t['coverage'],
        'synthetic_row_kinds': built['kinds'],
    }
    (out / 'expected.json').write_text(json.dumps(expected, indent=1, sort_keys=True) + '\n')
    summary = {k: ours[k] for k in ('real_unique_records', 'apparent_matches', 'apparent_matches_synthetic_unique',
                                    'apparent_full_matches', 'disclosure_rows', 'synthetic_records_k_below')}
    print(name, t['coverage'])
    print(name, summary, {k: v for k, v in ours.items() if k.startswith('disclos')})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('datasets', nargs='*', default=list(BUILDERS))
    parser.add_argument('--allow-version-mismatch', action='store_true')
    args = parser.parse_args()
    versions = check_versions(args.allow_version_mismatch)
    versions['python'] = platform.python_version()
    for name in args.datasets:
        generate(name, versions)


if __name__ == '__main__':
    main()
