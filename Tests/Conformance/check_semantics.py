#!/usr/bin/env python3
"""Independent check of the SDMetrics DCR golden values in sdmetrics_dcr/*/expected.json.

Re-implements the documented semantics from the CSV files and metadata.json alone, with the
standard library's csv module and numpy (no pandas, no SDMetrics), the way the Swift side does:

  * numerical: float(text); datetime: seconds since 1970-01-01 UTC as a float64 (like
    synthscan's DateTimeParser); empty field = missing;
  * per column, with range = max - min over the REFERENCE table's present values:
      numerical/datetime  min(|a - b| / range, 1); range == 0 -> 0 if equal else 1;
                          no present value in the reference (range NaN) -> equality too;
      categorical/boolean 0 if the texts are equal else 1;
      one side missing -> 1; both missing -> 0;
  * record distance = mean over the DCR columns (numerical, datetime, categorical, boolean;
    'id', 'ordinal' and anything else are dropped); DCR = min over reference rows;
  * DCROverfittingProtection: p = share of synthetic rows with DCR(S->T) < DCR(S->H) (strict),
    score = min(2 (1 - p), 1);
  * DCRBaselineProtection: medians of DCR(S->T) and DCR(random->T), score = min(s / r, 1);
  * NewRowSynthesis (tolerance 0.01): a synthetic row is matched when one train row agrees on
    every numerical/datetime/categorical/boolean/ordinal column: missing matches missing only,
    numbers |t - s| <= |0.01 s|, datetimes the same on epoch NANOSECONDS, labels equal.

Prints, per data set, the max absolute difference against SDMetrics and which edge cases the
data exercised. Exit status 1 if any difference exceeds 1e-12 or any count differs.

    /tmp/conf-venv/bin/python Tests/Conformance/check_semantics.py
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent / 'sdmetrics_dcr'
DCR_SDTYPES = ('numerical', 'datetime', 'categorical', 'boolean')
NRS_SDTYPES = ('numerical', 'datetime', 'categorical', 'boolean', 'ordinal')
TOL = 1e-12
EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def parse_datetime(text):
    """(float seconds since epoch, int nanoseconds since epoch) of an ISO 8601 field."""
    date = dt.date(int(text[0:4]), int(text[5:7]), int(text[8:10]))
    days = date.toordinal() - EPOCH_ORDINAL
    h = m = s = 0
    frac = ''
    if len(text) > 10:
        assert text[10] == 'T', text
        h, m, s = int(text[11:13]), int(text[14:16]), int(text[17:19])
        if len(text) > 19:
            assert text[19] == '.', text
            frac = text[20:]
    whole = days * 86400 + h * 3600 + m * 60 + s
    ns = whole * 1_000_000_000 + (int(frac.ljust(9, '0')) if frac else 0)
    seconds = float(whole) + (int(frac) / 10 ** len(frac) if frac else 0.0)
    return seconds, ns


class Table:
    def __init__(self, path, metadata):
        with open(path, newline='', encoding='utf-8') as f:
            rows = list(csv.reader(f))
        header, body = rows[0], rows[1:]
        self.n = len(body)
        self.text = {c: [r[j] for r in body] for j, c in enumerate(header)}
        self.num = {}   # float values (NaN = missing) for numerical/datetime
        self.ns = {}    # exact epoch nanoseconds for datetime (None = missing)
        for c, m in metadata['columns'].items():
            if m['sdtype'] == 'numerical':
                self.num[c] = np.array([float(v) if v != '' else np.nan for v in self.text[c]])
            elif m['sdtype'] == 'datetime':
                parsed = [parse_datetime(v) if v != '' else (np.nan, None) for v in self.text[c]]
                self.num[c] = np.array([p[0] for p in parsed])
                self.ns[c] = [p[1] for p in parsed]


def column_distances(col, sdtype, query, ref):
    """Matrix (len(query) x len(ref)) of per-column distances and a dict of case masks."""
    if sdtype in ('numerical', 'datetime'):
        a = query.num[col][:, None]
        b = ref.num[col][None, :]
        present = ref.num[col][~np.isnan(ref.num[col])]
        rng = present.max() - present.min() if present.size else np.nan
        diff = np.abs(b - a)
        with np.errstate(invalid='ignore', divide='ignore'):
            if rng == 0 or np.isnan(rng):
                d = (diff > 0).astype(float)
                raw = np.zeros_like(diff)
            else:
                raw = diff / rng
                d = np.minimum(raw, 1.0)
        qm, rm = np.isnan(a), np.isnan(b)
    else:
        a = np.array(query.text[col], dtype=object)[:, None]
        b = np.array(ref.text[col], dtype=object)[None, :]
        d = (a != b).astype(float)
        raw = np.zeros(d.shape)
        rng = None
        qm, rm = (a == ''), (b == '')
    one = qm ^ rm
    both = qm & rm
    d = np.where(one, 1.0, np.where(both, 0.0, d))
    cases = {
        'both_missing': both & np.ones(d.shape, bool),
        'one_missing': one & np.ones(d.shape, bool),
        'capped': (raw > 1.0) & ~qm & ~rm,
    }
    return d, cases, rng


def dcr(query, ref, metadata):
    cols = [c for c, m in metadata['columns'].items() if m['sdtype'] in DCR_SDTYPES]
    total = np.zeros((query.n, ref.n))
    info = {}
    for c in cols:  # sequential sum in metadata order, like a plain loop
        sdtype = metadata['columns'][c]['sdtype']
        d, cases, rng = column_distances(c, sdtype, query, ref)
        total = total + d
        info[c] = (sdtype, cases, rng)
    dist = total / len(cols)
    nearest = dist.min(axis=1)
    first = dist.argmin(axis=1)  # lowest index among ties
    return nearest, first, info


def median(values):
    v = np.sort(np.asarray(values, dtype=float))
    n = v.size
    return float(v[n // 2]) if n % 2 else float((v[n // 2 - 1] + v[n // 2]) / 2)


def nrs_matched(train, synthetic, metadata, tolerance):
    cols = [c for c, m in metadata['columns'].items()
            if m['sdtype'] in NRS_SDTYPES and c != metadata.get('primary_key')]
    ok_all = np.ones((synthetic.n, train.n), bool)
    for c in cols:
        sdtype = metadata['columns'][c]['sdtype']
        if sdtype == 'numerical':
            s = synthetic.num[c][:, None]
            t = train.num[c][None, :]
            with np.errstate(invalid='ignore'):
                ok = np.abs(t - s) <= np.abs(tolerance * s)
            ok = np.where(np.isnan(s), np.isnan(t), ok)
        elif sdtype == 'datetime':
            ok = np.zeros((synthetic.n, train.n), bool)
            for i, s in enumerate(synthetic.ns[c]):
                for j, t in enumerate(train.ns[c]):
                    if s is None:
                        ok[i, j] = t is None
                    elif t is not None:
                        ok[i, j] = abs(t - s) <= abs(tolerance * s)
        else:
            s = np.array(synthetic.text[c], dtype=object)[:, None]
            t = np.array(train.text[c], dtype=object)[None, :]
            ok = (s == t)  # '' == '' covers missing matches missing
        ok_all &= ok
    return ok_all.any(axis=1)


def max_abs(a, b):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    assert a.shape == b.shape, (a.shape, b.shape)
    return float(np.max(np.abs(a - b))) if a.size else 0.0


def coverage(name, passes, metadata):
    """Edge cases met at the nearest record (first argmin) and over all pairs, per pass."""
    lines = []
    for label, (nearest, first, info, query, ref) in passes.items():
        parts = []
        for case in ('both_missing', 'one_missing', 'capped'):
            by_kind = {'num': [0, 0], 'cat': [0, 0]}
            for c, (sdtype, cases, _) in info.items():
                k = 'num' if sdtype in ('numerical', 'datetime') else 'cat'
                mask = cases[case]
                by_kind[k][0] += int(mask[np.arange(query.n), first].sum())
                by_kind[k][1] += int(mask.sum())
            parts.append(f"{case} num {by_kind['num'][0]}/{by_kind['num'][1]} "
                         f"cat {by_kind['cat'][0]}/{by_kind['cat'][1]}")
        zero = sorted(c for c, (sdtype, _, rng) in info.items()
                      if sdtype in ('numerical', 'datetime') and (rng == 0))
        nan = sorted(c for c, (sdtype, _, rng) in info.items()
                     if sdtype in ('numerical', 'datetime') and rng is not None and np.isnan(rng))
        parts.append(f'range0 {zero}' + (f' no-values {nan}' if nan else ''))
        lines.append(f'    {label}: ' + '; '.join(parts) + '   (nearest/all pairs)')
    return lines


def check_dataset(path):
    metadata = json.loads((path / 'metadata.json').read_text())
    expected = json.loads((path / 'expected.json').read_text())
    train = Table(path / 'train.csv', metadata)
    holdout = Table(path / 'holdout.csv', metadata)
    synthetic = Table(path / 'synthetic.csv', metadata)
    random = Table(path / 'random_baseline.csv', metadata)

    st, st_first, st_info = dcr(synthetic, train, metadata)
    sh, sh_first, sh_info = dcr(synthetic, holdout, metadata)
    ht, ht_first, ht_info = dcr(holdout, train, metadata)
    rt, _, _ = dcr(random, train, metadata)
    failures = []
    diffs = {
        'dcr_synthetic_to_train': max_abs(st, expected['dcr_synthetic_to_train']),
        'dcr_synthetic_to_holdout': max_abs(sh, expected['dcr_synthetic_to_holdout']),
        'dcr_holdout_to_train': max_abs(ht, expected['dcr_holdout_to_train']),
        'dcr_random_to_train': max_abs(rt, expected['baseline_protection']['dcr_random_to_train']),
    }
    exact = {k: int(np.sum(np.asarray(expected[k] if k in expected else
                                      expected['baseline_protection'][k], dtype=float) != v))
             for k, v in (('dcr_synthetic_to_train', st), ('dcr_synthetic_to_holdout', sh),
                          ('dcr_holdout_to_train', ht), ('dcr_random_to_train', rt))}
    for k, v in diffs.items():
        if v > TOL:
            failures.append(f'{k}: max |diff| {v:.3e}')

    # Overfitting protection from our own DCRs.
    over = expected['overfitting_protection']
    closer = st < sh
    p = closer.sum() / synthetic.n
    score = min((1.0 - p) * 2, 1.0)
    if list(map(bool, closer)) != over['closer_to_training']:
        failures.append('overfitting: closer_to_training flags differ')
    if abs(score - over['score']) > TOL or \
            abs(p - over['synthetic_data_percentages']['closer_to_training']) > TOL:
        failures.append(f'overfitting score {score} vs {over["score"]}')
    gap = np.abs(st - sh)
    near_ties = int(((gap > 0) & (gap < 1e-9)).sum())

    # Baseline protection from our own DCRs.
    base = expected['baseline_protection']
    s_med, r_med = median(st), median(rt)
    b_score = min(s_med / r_med, 1.0) if r_med != 0 else None
    med = base['median_DCR_to_real_data']
    base_diff = max(abs(s_med - med['synthetic_data']), abs(r_med - med['random_data_baseline']),
                    abs((b_score if b_score is not None else 0) - (base['score'] or 0)))
    if base_diff > TOL:
        failures.append(f'baseline: max |diff| {base_diff:.3e}')

    # NewRowSynthesis.
    nrs = expected['new_row_synthesis']
    matched = nrs_matched(train, synthetic, metadata, nrs['numerical_match_tolerance'])
    if list(map(bool, matched)) != nrs['matched'] or int(matched.sum()) != nrs['num_matched_rows']:
        bad = [i for i, (a, b) in enumerate(zip(matched, nrs['matched'])) if bool(a) != b]
        failures.append(f'new_row_synthesis: flags differ at rows {bad[:10]}')
    nrs_score = (synthetic.n - int(matched.sum())) / synthetic.n
    if abs(nrs_score - nrs['score']) > TOL:
        failures.append(f'new_row_synthesis score {nrs_score} vs {nrs["score"]}')

    print(f'{path.name}: train {train.n} holdout {holdout.n} synthetic {synthetic.n} '
          f'random {random.n}; DCR columns {expected["dcr_columns"]}')
    for k, v in diffs.items():
        print(f'    {k}: max |diff| {v:.3e}  (bit-identical except {exact[k]} rows)')
    print(f'    overfitting: closer_to_training {int(closer.sum())}/{synthetic.n}, exact ties '
          f'{int((st == sh).sum())} (nonzero {int(((st == sh) & (st != 0)).sum())}), '
          f'near ties (0 < gap < 1e-9) {near_ties}, score {score!r}')
    print(f'    baseline: medians {s_med!r} / {r_med!r}, score {b_score!r}, max |diff| {base_diff:.3e}')
    print(f'    new_row_synthesis: matched {int(matched.sum())}, score {nrs_score!r}')
    passes = {
        'S->T': (st, st_first, st_info, synthetic, train),
        'S->H': (sh, sh_first, sh_info, synthetic, holdout),
        'H->T': (ht, ht_first, ht_info, holdout, train),
    }
    for line in coverage(path.name, passes, metadata):
        print(line)
    for f in failures:
        print(f'    FAIL {f}')
    return failures


def main():
    names = sys.argv[1:] or sorted(p.name for p in ROOT.iterdir() if p.is_dir())
    failures = []
    for name in names:
        failures += check_dataset(ROOT / name)
    print(f'all {len(names)} data sets agree' if not failures else f'{len(failures)} failures')
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
