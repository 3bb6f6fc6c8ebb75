#!/usr/bin/env python3
"""Generate SDMetrics 0.32.0 golden values for the distance-to-closest-record (DCR) family.

Writes Tests/Conformance/sdmetrics_dcr/<dataset>/{train,holdout,synthetic,random_baseline}.csv,
metadata.json and expected.json. Deterministic: every random draw comes from a seeded numpy
generator, and SDMetrics' own randomness (DCRBaselineProtection) is pinned through its `_seed`
class attribute plus numpy's legacy global seed (its NaN mask uses `np.random.rand`, see
sdmetrics/single_table/privacy/dcr_baseline_protection.py, `_generate_random_data`).

The golden values are computed from the CSV files as written (they are read back with pandas,
floats with float_precision='round_trip'), so what the Swift side reads is exactly what SDMetrics
scored. Python is only needed to regenerate; the Swift tests read the files.

Usage (see README.md):
    python3.11 -m venv /tmp/conf-venv
    /tmp/conf-venv/bin/pip install -r Tests/Conformance/requirements.txt
    /tmp/conf-venv/bin/python Tests/Conformance/generate_sdmetrics_dcr.py
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import sys
import warnings
from importlib import metadata as importlib_metadata
from pathlib import Path

import numpy as np
import pandas as pd

PINNED = {
    'sdmetrics': '0.32.0',
    'pandas': '2.3.3',
    'numpy': '1.26.4',
    'scipy': '1.17.1',
    'scikit-learn': '1.9.1',
}

HERE = Path(__file__).resolve().parent
OUT_ROOT = HERE / 'sdmetrics_dcr'

# DCRBaselineProtection._seed (feeds np.random.default_rng inside _generate_random_data).
BASELINE_SEED = 20240917
# np.random.seed(...) right before DCRBaselineProtection.compute_breakdown: the NaN mask of the
# random baseline is drawn from numpy's *global* legacy RNG, which `_seed` does not cover.
NUMPY_GLOBAL_SEED = 424242
# Seeds of the data-set builders.
DATASET_SEEDS = {
    'clinical_mixed': 1001,
    'constant_columns': 2002,
    'wide_numeric': 3003,
    'categorical_only': 4004,
}
NRS_TOLERANCE = 0.01  # NewRowSynthesis default numerical_match_tolerance
MAX_FILE_BYTES = 200 * 1024
DCR_SDTYPES = ('numerical', 'datetime', 'categorical', 'boolean')


# --------------------------------------------------------------------------------------------
# Versions
# --------------------------------------------------------------------------------------------


def installed_versions():
    return {name: importlib_metadata.version(name) for name in PINNED}


def check_versions(allow_mismatch):
    found = installed_versions()
    bad = {k: (PINNED[k], v) for k, v in found.items() if v != PINNED[k]}
    if bad and not allow_mismatch:
        lines = ', '.join(f'{k}: pinned {p}, installed {v}' for k, (p, v) in bad.items())
        sys.exit(f'version mismatch ({lines}); install requirements.txt or pass --allow-version-mismatch')
    return found


# --------------------------------------------------------------------------------------------
# CSV writing / reading
# --------------------------------------------------------------------------------------------


def _is_missing(v):
    if v is None:
        return True
    if v is pd.NaT:
        return True
    if isinstance(v, (float, np.floating)):
        return math.isnan(float(v))
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def format_value(v, sdtype, datetime_format):
    """One CSV field: empty = missing, true/false, ISO 8601, shortest round-trip floats."""
    if _is_missing(v):
        return ''
    if sdtype == 'boolean':
        if isinstance(v, str):
            raise ValueError(f'boolean column holds a string: {v!r}')
        return 'true' if bool(v) else 'false'
    if sdtype == 'datetime':
        ts = pd.Timestamp(v)
        frac_ns = ts.value % 1_000_000_000
        if datetime_format == '%Y-%m-%d' and frac_ns == 0 and ts.hour == 0 and ts.minute == 0 \
                and ts.second == 0:
            return ts.strftime('%Y-%m-%d')
        text = ts.strftime('%Y-%m-%dT%H:%M:%S')
        if frac_ns:
            text += f'.{frac_ns:09d}'
        return text
    if sdtype == 'numerical':
        f = float(v)
        if f.is_integer() and abs(f) < 2**53:
            return str(int(f))
        return repr(f)
    text = str(v)
    if ',' in text or '"' in text or '\n' in text:
        raise ValueError(f'field needs quoting, keep fixtures plain: {text!r}')
    return text


def write_csv(path, rows_or_frame, metadata):
    columns = list(metadata['columns'])
    if isinstance(rows_or_frame, pd.DataFrame):
        records = rows_or_frame[columns].to_dict('records')
    else:
        records = rows_or_frame
    lines = [','.join(columns)]
    for rec in records:
        fields = []
        for col in columns:
            meta = metadata['columns'][col]
            fields.append(format_value(rec.get(col), meta['sdtype'], meta.get('datetime_format')))
        lines.append(','.join(fields))
    path.write_text('\n'.join(lines) + '\n', encoding='utf-8')


def load_table(path, metadata):
    """Read a fixture CSV the way a pandas user would, with unambiguous settings.

    Only an empty field is missing (no 'NA'/'null' magic), floats parse round-trip exactly,
    text columns stay strings, booleans are pandas' own true/false inference, datetimes are
    converted to datetime64[ns] (ISO 8601).
    """
    cols = metadata['columns']
    text_cols = {c: str for c, m in cols.items() if m['sdtype'] in ('categorical', 'id', 'ordinal')}
    df = pd.read_csv(
        path,
        keep_default_na=False,
        na_values=[''],
        float_precision='round_trip',
        dtype=text_cols,
    )
    for c, m in cols.items():
        if m['sdtype'] == 'datetime':
            df[c] = pd.to_datetime(df[c], format='ISO8601')
        elif m['sdtype'] == 'numerical' and df[c].dtype == object:
            raise ValueError(f'{path}: numerical column {c} did not parse as numbers')
    return df


# --------------------------------------------------------------------------------------------
# Data-set builders. Each returns dict(metadata, train, holdout, synthetic, kinds) where the
# tables are lists of row dicts (None = missing) and kinds labels every synthetic row.
# --------------------------------------------------------------------------------------------


def _pick(rng, candidates, k):
    candidates = list(candidates)
    if len(candidates) < k:
        raise ValueError(f'need {k} candidates, have {len(candidates)}')
    idx = rng.choice(len(candidates), size=k, replace=False)
    return [candidates[i] for i in sorted(idx)]


def _has_missing(row, cols):
    return any(row[c] is None for c in cols)


def _assign_ids(rows, col, prefix):
    for i, r in enumerate(rows):
        r[col] = f'{prefix}{i + 1:05d}'


def _shuffle(rng, rows, kinds=None):
    order = rng.permutation(len(rows))
    rows = [rows[i] for i in order]
    if kinds is None:
        return rows
    return rows, [kinds[i] for i in order]


def build_clinical_mixed(seed):
    rng = np.random.default_rng(seed)
    metadata = {
        'primary_key': 'patient_id',
        'columns': {
            'patient_id': {'sdtype': 'id'},
            'age': {'sdtype': 'numerical'},
            'lab_creatinine': {'sdtype': 'numerical'},
            'admission_date': {'sdtype': 'datetime', 'datetime_format': '%Y-%m-%d'},
            'sex': {'sdtype': 'categorical'},
            'dx_code': {'sdtype': 'categorical'},
            'smoker': {'sdtype': 'boolean'},
        },
    }
    dcr_cols = ['age', 'lab_creatinine', 'admission_date', 'sex', 'dx_code', 'smoker']
    dx_codes = ['E11.9', 'I10', 'J45.909', 'N18.3', 'K21.0', 'F32.A', 'M54.5', 'C50.911']
    dx_p = [0.2, 0.22, 0.1, 0.1, 0.12, 0.1, 0.1, 0.06]
    missing_p = {'age': 0.05, 'lab_creatinine': 0.06, 'admission_date': 0.03, 'sex': 0.03,
                 'dx_code': 0.05, 'smoker': 0.04}
    day0 = pd.Timestamp('2019-01-01')

    def fresh(n):
        rows = []
        for _ in range(n):
            row = {
                'patient_id': None,
                'age': int(rng.integers(18, 96)),
                'lab_creatinine': round(float(np.clip(rng.lognormal(0.0, 0.35), 0.3, 4.0)), 3),
                'admission_date': day0 + pd.Timedelta(days=int(rng.integers(0, 1096))),
                'sex': str(rng.choice(['F', 'M'])),
                'dx_code': str(rng.choice(dx_codes, p=dx_p)),
                'smoker': bool(rng.random() < 0.22),
            }
            for c, p in missing_p.items():
                if rng.random() < p:
                    row[c] = None
            rows.append(row)
        return rows

    train = fresh(300)
    # Records present in both train and holdout (exact duplicates over the DCR columns),
    # including some with missing values.
    with_missing = [i for i, r in enumerate(train) if _has_missing(r, dcr_cols)]
    complete = [i for i, r in enumerate(train) if not _has_missing(r, dcr_cols)]
    shared_idx = _pick(rng, with_missing, 4) + _pick(rng, complete, 8)
    holdout = fresh(188) + [dict(train[i]) for i in shared_idx]
    holdout = _shuffle(rng, holdout)
    train_only = [i for i in range(len(train)) if i not in set(shared_idx)]

    synth, kinds = [], []

    def add(row, kind):
        synth.append(row)
        kinds.append(kind)

    tm = [i for i in train_only if _has_missing(train[i], dcr_cols)]
    tc = [i for i in train_only if not _has_missing(train[i], dcr_cols)]
    for i in _pick(rng, tm, 7) + _pick(rng, tc, 18):
        add(dict(train[i]), 'exact_train')
    for i in shared_idx[:8]:
        add(dict(train[i]), 'exact_shared')  # DCR 0 to train AND holdout: a tie
    for i in shared_idx[8:12]:
        r = dict(train[i])
        r['sex'] = 'M' if r['sex'] == 'F' else 'F'
        add(r, 'shared_categorical_changed')  # 1/6 to both, a tie unless something is closer
    for i in shared_idx[1:4]:
        r = dict(train[i])
        r['lab_creatinine'] = 12.5  # far outside both ranges: capped at 1 in both passes
        add(r, 'shared_out_of_range')
    for i in _pick(rng, [i for i in tc], 10):
        r = dict(train[i])
        r['age'] = int(r['age'] + rng.choice([-3, -2, -1, 1, 2, 3]))
        add(r, 'near_age')
    for i in _pick(rng, tc, 8):
        r = dict(train[i])
        r['lab_creatinine'] = round(r['lab_creatinine'] * (1 + float(rng.choice([-0.004, 0.004]))), 5)
        add(r, 'near_lab_within_1pct')
    for i in _pick(rng, tc, 8):
        r = dict(train[i])
        r['lab_creatinine'] = round(r['lab_creatinine'] + float(rng.choice([-0.25, 0.25])), 3)
        add(r, 'near_lab_shift')
    for i in _pick(rng, tc, 8):
        r = dict(train[i])
        r['admission_date'] = r['admission_date'] + pd.Timedelta(days=int(rng.integers(1, 41)) *
                                                                  int(rng.choice([-1, 1])))
        add(r, 'near_date')
    for j, i in enumerate(_pick(rng, tc, 5)):
        r = dict(train[i])
        r['age' if j % 2 == 0 else 'lab_creatinine'] = None
        add(r, 'blank_numeric')
    for j, i in enumerate(_pick(rng, tc, 5)):
        r = dict(train[i])
        r['dx_code' if j % 2 == 0 else 'sex'] = None
        add(r, 'blank_categorical')
    for j, i in enumerate(_pick(rng, tc, 3)):
        r = dict(train[i])
        r['smoker' if j % 2 == 0 else 'admission_date'] = None
        add(r, 'blank_boolean_or_date')
    oor = fresh(8)
    for j, r in enumerate(oor):
        if j % 4 == 0:
            r['age'] = 130
        elif j % 4 == 1:
            r['lab_creatinine'] = 15.0
        elif j % 4 == 2:
            r['admission_date'] = pd.Timestamp('2032-06-30')
        else:
            r['admission_date'] = pd.Timestamp('2005-01-01')
        add(r, 'out_of_range')
    for r in fresh(250 - len(synth)):
        add(r, 'fresh')
    synth, kinds = _shuffle(rng, synth, kinds)

    _assign_ids(train, 'patient_id', 'P')
    _assign_ids(holdout, 'patient_id', 'H')
    _assign_ids(synth, 'patient_id', 'S')
    return dict(metadata=metadata, train=train, holdout=holdout, synthetic=synth, kinds=kinds)


def build_constant_columns(seed):
    rng = np.random.default_rng(seed)
    metadata = {
        'primary_key': 'record_id',
        'columns': {
            'record_id': {'sdtype': 'id'},
            'site': {'sdtype': 'categorical'},
            'protocol_version': {'sdtype': 'numerical'},
            'calib_offset': {'sdtype': 'numerical'},
            'followup_score': {'sdtype': 'numerical'},
            'batch_date': {'sdtype': 'datetime', 'datetime_format': '%Y-%m-%d'},
            'event_time': {'sdtype': 'datetime', 'datetime_format': '%Y-%m-%dT%H:%M:%S'},
            'value': {'sdtype': 'numerical'},
            'grade': {'sdtype': 'categorical'},
            'flag': {'sdtype': 'boolean'},
        },
    }
    t0 = pd.Timestamp('2021-01-01T00:00:00')
    batch = pd.Timestamp('2022-03-01')

    def fresh(n, holdout=False):
        rows = []
        for _ in range(n):
            row = {
                'record_id': None,
                'site': 'SITE_A',                       # single level everywhere
                'protocol_version': 3,                  # constant everywhere
                'calib_offset': round(float(rng.uniform(95.0, 105.0)), 1) if holdout else 100.0,
                'followup_score': None if holdout else round(float(rng.normal(50, 10)), 1),
                'batch_date': batch,                    # constant datetime (range 0)
                'event_time': t0 + pd.Timedelta(seconds=int(rng.integers(0, 2 * 365 * 86400))),
                'value': round(float(rng.normal(0.0, 1.0)), 4),
                'grade': str(rng.choice(['G1', 'G2', 'G3', 'G4'], p=[0.4, 0.3, 0.2, 0.1])),
                'flag': bool(rng.random() < 0.5),
            }
            if not holdout and rng.random() < 0.06:
                row['followup_score'] = None
            if rng.random() < 0.04:
                row['event_time'] = None
            if rng.random() < 0.05:
                row['grade'] = None
            if rng.random() < 0.03:
                row['value'] = None
            rows.append(row)
        return rows

    train = fresh(200)
    # Shared records: holdout's followup_score is entirely missing, so share train rows whose
    # followup_score is missing (set it so), calib_offset is 100.0 (train's constant).
    shared_idx = _pick(rng, range(len(train)), 10)
    for i in shared_idx:
        train[i]['followup_score'] = None
    holdout = fresh(170, holdout=True) + [dict(train[i]) for i in shared_idx]
    holdout = _shuffle(rng, holdout)
    shared = set(shared_idx)
    train_only = [i for i in range(len(train)) if i not in shared]
    cols = [c for c in metadata['columns'] if c != 'record_id']
    tm = [i for i in train_only if _has_missing(train[i], cols)]
    tc = [i for i in train_only if not _has_missing(train[i], cols)]

    synth, kinds = [], []

    def add(row, kind):
        synth.append(row)
        kinds.append(kind)

    for i in _pick(rng, tm, 5) + _pick(rng, tc, 7):
        add(dict(train[i]), 'exact_train')
    for i in shared_idx[:6]:
        add(dict(train[i]), 'exact_shared')
    for i in shared_idx[6:9]:
        r = dict(train[i])
        r['grade'] = 'G4' if r['grade'] != 'G4' else 'G1'
        add(r, 'shared_categorical_changed')
    for i in shared_idx[7:10]:
        r = dict(train[i])
        r['value'] = 25.0  # outside both ranges by more than a range: capped at 1 in both passes
        add(r, 'shared_out_of_range')
    for i in _pick(rng, tc, 10):
        r = dict(train[i])
        r['calib_offset'] = round(100.0 + float(rng.choice([-1, 1])) * float(rng.uniform(0.5, 4.5)), 2)
        add(r, 'calib_differs_from_train_constant')
    for i in _pick(rng, tc, 5):
        r = dict(train[i])
        r['protocol_version'] = 3.000001  # range 0 in every reference: any difference is 1
        add(r, 'protocol_tiny_difference')
    for i in _pick(rng, tc, 4):
        r = dict(train[i])
        r['batch_date'] = batch + pd.Timedelta(days=1)
        add(r, 'batch_date_differs')
    for i in _pick(rng, tc, 8):
        r = dict(train[i])
        r['event_time'] = r['event_time'] + pd.Timedelta(seconds=int(rng.integers(1, 601)) *
                                                         int(rng.choice([-1, 1])))
        add(r, 'near_event_time')
    blanks = ['followup_score', 'grade', 'value', 'site', 'flag', 'event_time', 'followup_score',
              'grade']
    for c, i in zip(blanks, _pick(rng, tc, len(blanks))):
        r = dict(train[i])
        r[c] = None
        add(r, f'blank_{c}')
    oor = fresh(6)
    for j, r in enumerate(oor):
        if j % 3 == 0:
            r['value'] = 25.0
        elif j % 3 == 1:
            r['event_time'] = pd.Timestamp('2031-01-01T06:30:00')
        else:
            r['calib_offset'] = 250.0
        add(r, 'out_of_range')
    for r in fresh(160 - len(synth)):
        add(r, 'fresh')
    synth, kinds = _shuffle(rng, synth, kinds)
    _assign_ids(train, 'record_id', 'R')
    _assign_ids(holdout, 'record_id', 'H')
    _assign_ids(synth, 'record_id', 'S')
    return dict(metadata=metadata, train=train, holdout=holdout, synthetic=synth, kinds=kinds)


def build_wide_numeric(seed):
    rng = np.random.default_rng(seed)
    names = [f'x{j:02d}' for j in range(1, 13)]
    metadata = {'columns': {c: {'sdtype': 'numerical'} for c in names}}
    HOLDOUT_X11 = 5_000_000

    def sig(v, digits=6):
        return float(f'{v:.{digits}g}')

    def fresh(n, holdout=False):
        rows = []
        for _ in range(n):
            row = {
                'x01': sig(rng.uniform(0.0, 1e-6), 4),          # range ~1e-6
                'x02': round(float(rng.uniform(-5e5, 5e5)), 2),  # range ~1e6
                'x03': round(float(rng.uniform(-120.0, -10.0)), 3),
                'x04': int(rng.integers(-50, 51)),
                'x05': round(float(rng.normal(0.0, 1.0)), 5),
                'x06': round(float(rng.lognormal(3.0, 1.0)), 3),
                'x07': round(1e9 + float(rng.uniform(0.0, 5000.0)), 1),
                'x08': int(rng.integers(0, 2)),
                'x09': round(float(rng.uniform(0.0, 1.0)), 2),
                'x10': round(float(rng.uniform(-1e-3, 1e-3)), 8),
                # constant in holdout (range 0 as the S->H reference); in train and synthetic
                # mostly that value, else spread over [1e6, 1e7]
                'x11': HOLDOUT_X11 if holdout or rng.random() < 0.7
                else int(rng.integers(1_000_000, 10_000_001)),
                'x12': round(float(rng.normal(100.0, 15.0)), 2),
            }
            if rng.random() < 0.05:
                row['x07'] = None
            if rng.random() < 0.06:
                row['x12'] = None
            if rng.random() < 0.02:
                row['x05'] = None
            rows.append(row)
        return rows

    train = fresh(400)
    shared_idx = _pick(rng, range(len(train)), 8)
    for i in shared_idx:
        train[i]['x11'] = HOLDOUT_X11  # holdout's x11 is constant (range 0 as S->H reference)
    holdout = fresh(142, holdout=True) + [dict(train[i]) for i in shared_idx]
    holdout = _shuffle(rng, holdout)
    shared = set(shared_idx)
    train_only = [i for i in range(len(train)) if i not in shared]
    tm = [i for i in train_only if _has_missing(train[i], names)]
    tc = [i for i in train_only if not _has_missing(train[i], names)]
    ranges = {c: (max(r[c] for r in train if r[c] is not None) -
                  min(r[c] for r in train if r[c] is not None)) for c in names}

    synth, kinds = [], []

    def add(row, kind):
        synth.append(row)
        kinds.append(kind)

    for i in _pick(rng, tm, 6) + _pick(rng, tc, 14):
        add(dict(train[i]), 'exact_train')
    for i in shared_idx[:6]:
        add(dict(train[i]), 'exact_shared')
    for i in shared_idx[5:8]:
        r = dict(train[i])
        r['x02'] = 3.0e6  # outside both ranges by more than a range: capped at 1 in both passes
        add(r, 'shared_out_of_range')
    for i in _pick(rng, tc, 40):
        r = dict(train[i])
        c = names[int(rng.integers(0, 12))]
        delta = float(rng.choice([-1, 1])) * float(rng.uniform(0.005, 0.05)) * ranges[c]
        if c == 'x08':
            r[c] = 1 - r[c]  # binary 0/1: the only possible change is a flip
        elif c in ('x04', 'x11'):
            step = max(1, int(round(abs(delta))))
            r[c] = int(r[c] + (step if delta > 0 else -step))
        else:
            r[c] = sig(r[c] + delta, 8)
        add(r, f'near_{c}')
    for j, i in enumerate(_pick(rng, tc, 12)):
        r = dict(train[i])
        r[['x07', 'x12', 'x05'][j % 3]] = None
        add(r, 'blank_numeric')
    oor = fresh(12)
    for j, r in enumerate(oor):
        c, v = [('x01', 5e-06), ('x02', -4.0e6), ('x10', 0.05), ('x04', 500)][j % 4]
        r[c] = v
        add(r, 'out_of_range')
    for r in fresh(300 - len(synth)):
        add(r, 'fresh')
    synth, kinds = _shuffle(rng, synth, kinds)
    return dict(metadata=metadata, train=train, holdout=holdout, synthetic=synth, kinds=kinds)


def build_categorical_only(seed):
    rng = np.random.default_rng(seed)
    metadata = {
        'columns': {
            'sex': {'sdtype': 'categorical'},
            'dx_code': {'sdtype': 'categorical'},
            'ward': {'sdtype': 'ordinal'},  # ignored by DCR, used by NewRowSynthesis
            'smoker': {'sdtype': 'boolean'},
            'insurance': {'sdtype': 'categorical'},
            'region': {'sdtype': 'categorical'},
        },
    }
    dx_codes = ['E11.9', 'I10', 'J45.909', 'N18.3', 'K21.0', 'F32.A', 'M54.5', 'C50.911', 'Z00.00',
                'R07.9']
    cols = list(metadata['columns'])

    def fresh(n):
        rows = []
        for _ in range(n):
            row = {
                'sex': str(rng.choice(['F', 'M', 'X'], p=[0.5, 0.47, 0.03])),
                'dx_code': str(rng.choice(dx_codes)),
                'ward': str(rng.choice(['W1', 'W2', 'W3', 'W4', 'W5'])),
                'smoker': bool(rng.random() < 0.25),
                'insurance': str(rng.choice(['INS_PUB', 'INS_PRIV', 'INS_NONE'], p=[0.5, 0.4, 0.1])),
                'region': str(rng.choice(['R_N', 'R_S', 'R_E', 'R_W'])),
            }
            for c, p in [('sex', 0.02), ('dx_code', 0.05), ('smoker', 0.05), ('insurance', 0.06)]:
                if rng.random() < p:
                    row[c] = None
            rows.append(row)
        return rows

    train = fresh(250)
    shared_idx = _pick(rng, range(len(train)), 15)
    holdout = _shuffle(rng, fresh(185) + [dict(train[i]) for i in shared_idx])
    shared = set(shared_idx)
    train_only = [i for i in range(len(train)) if i not in shared]
    tm = [i for i in train_only if _has_missing(train[i], cols)]

    synth, kinds = [], []

    def add(row, kind):
        synth.append(row)
        kinds.append(kind)

    for i in _pick(rng, tm, 6) + _pick(rng, train_only, 14):
        add(dict(train[i]), 'exact_train')
    for i in shared_idx[:10]:
        add(dict(train[i]), 'exact_shared')
    for i in _pick(rng, train_only, 6):
        r = dict(train[i])
        r['ward'] = 'W5' if r['ward'] != 'W5' else 'W1'
        add(r, 'ward_changed')  # DCR 0 (ordinal dropped) but NewRowSynthesis sees a new row
    for i in _pick(rng, train_only, 30):
        r = dict(train[i])
        c = ['sex', 'dx_code', 'insurance', 'region', 'smoker'][int(rng.integers(0, 5))]
        if c == 'smoker':
            r[c] = (not r[c]) if r[c] is not None else True
        elif c == 'sex':
            r[c] = 'X' if r[c] != 'X' else 'F'
        elif c == 'dx_code':
            r[c] = 'Q99.9'  # a level that is in no real table
        elif c == 'insurance':
            r[c] = 'INS_NONE' if r[c] != 'INS_NONE' else 'INS_PUB'
        else:
            r[c] = 'R_N' if r[c] != 'R_N' else 'R_S'
        add(r, f'changed_{c}')
    for j, i in enumerate(_pick(rng, train_only, 10)):
        r = dict(train[i])
        r[['dx_code', 'insurance', 'smoker', 'sex', 'region'][j % 5]] = None
        add(r, 'blank_one')
    for r in fresh(200 - len(synth)):
        add(r, 'fresh')
    synth, kinds = _shuffle(rng, synth, kinds)
    return dict(metadata=metadata, train=train, holdout=holdout, synthetic=synth, kinds=kinds)


BUILDERS = {
    'clinical_mixed': build_clinical_mixed,
    'constant_columns': build_constant_columns,
    'wide_numeric': build_wide_numeric,
    'categorical_only': build_categorical_only,
}


# --------------------------------------------------------------------------------------------
# SDMetrics calls
# --------------------------------------------------------------------------------------------


def _floats(series_or_list):
    return [_json_float(v) for v in list(series_or_list)]


def _json_float(v):
    v = float(v)
    return None if math.isnan(v) else v


def _sanitize(obj):
    if isinstance(obj, dict):
        return {k: _sanitize(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_sanitize(v) for v in obj]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return _json_float(obj)
    return obj


def reference_ranges(reference, metadata):
    """The ranges SDMetrics uses, replicated from dcr_utils.py calculate_dcr (informational)."""
    from sdmetrics._utils_metadata import _process_data_with_metadata

    ref = _process_data_with_metadata(reference.copy(), metadata, True)
    out = {}
    for c, m in metadata['columns'].items():
        if m['sdtype'] in ('numerical', 'datetime') and c in ref.columns:
            r = ref[c].max() - ref[c].min()
            if isinstance(r, pd.Timedelta):
                r = r.total_seconds()
            out[c] = _json_float(r) if not pd.isna(r) else None
    return out


def run_baseline(train, synthetic, metadata):
    """DCRBaselineProtection with a fixed seed, capturing the random table and both DCR series."""
    from sdmetrics.single_table.privacy import dcr_baseline_protection as dbp

    cls = dbp.DCRBaselineProtection
    captured = {'random': [], 'dcr_calls': []}
    orig_generate = cls.__dict__['_generate_random_data']
    orig_calculate = dbp.calculate_dcr
    orig_seed = cls._seed

    def generate(klass, real_data, num_samples=None):
        out = orig_generate.__func__(klass, real_data, num_samples)
        captured['random'].append(out.copy())
        return out

    def calculate(dataset, reference_dataset, metadata, chunk_size=1000):
        out = orig_calculate(dataset=dataset, reference_dataset=reference_dataset,
                             metadata=metadata, chunk_size=chunk_size)
        captured['dcr_calls'].append(out.copy())
        return out

    try:
        cls._generate_random_data = classmethod(generate)
        dbp.calculate_dcr = calculate
        cls._seed = BASELINE_SEED
        np.random.seed(NUMPY_GLOBAL_SEED)
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            result = cls.compute_breakdown(train.copy(), synthetic.copy(), metadata, None)
    finally:
        cls._generate_random_data = orig_generate
        dbp.calculate_dcr = orig_calculate
        cls._seed = orig_seed
    assert len(captured['random']) == 1 and len(captured['dcr_calls']) == 2
    return result, captured['random'][0], captured['dcr_calls'][0], captured['dcr_calls'][1]


def nrs_per_row(train, synthetic, metadata):
    from sdmetrics.single_table import NewRowSynthesis

    flags = []
    for i in range(len(synthetic)):
        r = NewRowSynthesis.compute_breakdown(train.copy(), synthetic.iloc[[i]].copy(), metadata,
                                              None)
        flags.append(r['num_matched_rows'] == 1)
    return flags


def dtypes_of(df):
    return {c: str(t) for c, t in df.dtypes.items()}


def generate_dataset(name, versions):
    from sdmetrics.single_table import (DCRBaselineProtection, DCROverfittingProtection,
                                        NewRowSynthesis)
    from sdmetrics.single_table.privacy.dcr_utils import calculate_dcr

    seed = DATASET_SEEDS[name]
    spec = BUILDERS[name](seed)
    metadata = spec['metadata']
    out = OUT_ROOT / name
    out.mkdir(parents=True, exist_ok=True)
    (out / 'metadata.json').write_text(json.dumps(metadata, indent=2) + '\n', encoding='utf-8')
    for table in ('train', 'holdout', 'synthetic'):
        write_csv(out / f'{table}.csv', spec[table], metadata)

    train = load_table(out / 'train.csv', metadata)
    holdout = load_table(out / 'holdout.csv', metadata)
    synthetic = load_table(out / 'synthetic.csv', metadata)

    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # divide-by-zero for range 0, holdout-size warning
        dcr_st = calculate_dcr(synthetic, train, metadata)
        dcr_sh = calculate_dcr(synthetic, holdout, metadata)
        dcr_ht = calculate_dcr(holdout, train, metadata)
        overfit = DCROverfittingProtection.compute_breakdown(
            train.copy(), synthetic.copy(), holdout.copy(), metadata, None)

    closer = (dcr_st.to_numpy() < dcr_sh.to_numpy())
    ties = int((dcr_st.to_numpy() == dcr_sh.to_numpy()).sum())
    exact_ties_nonzero = int(((dcr_st.to_numpy() == dcr_sh.to_numpy()) &
                              (dcr_st.to_numpy() != 0)).sum())
    gap = np.abs(dcr_st.to_numpy() - dcr_sh.to_numpy())
    near_ties = int(((gap > 0) & (gap < 1e-9)).sum())
    assert math.isclose(overfit['synthetic_data_percentages']['closer_to_training'],
                        closer.mean(), rel_tol=0, abs_tol=0)

    baseline, random_df, dcr_syn_in_metric, dcr_rand_in_metric = run_baseline(train, synthetic,
                                                                              metadata)
    # The metric's own synthetic->train DCRs equal the direct calculate_dcr call.
    assert np.array_equal(dcr_syn_in_metric.to_numpy(), dcr_st.to_numpy())
    # Determinism: the same seeds give the same random table and breakdown.
    baseline2, random_df2, _, _ = run_baseline(train, synthetic, metadata)
    assert baseline2 == baseline or (math.isnan(baseline['score']) and math.isnan(baseline2['score']))
    pd.testing.assert_frame_equal(random_df, random_df2)

    write_csv(out / 'random_baseline.csv', random_df, metadata)
    random_reloaded = load_table(out / 'random_baseline.csv', metadata)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        dcr_rand_csv = calculate_dcr(random_reloaded, train, metadata)
    roundtrip_diff = float(np.max(np.abs(dcr_rand_csv.to_numpy() - dcr_rand_in_metric.to_numpy())))
    assert roundtrip_diff == 0.0, f'{name}: random baseline CSV round trip changed DCRs by {roundtrip_diff}'
    assert float(dcr_rand_csv.median()) == float(baseline['median_DCR_to_real_data']['random_data_baseline'])

    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        nrs = NewRowSynthesis.compute_breakdown(train.copy(), synthetic.copy(), metadata, None)
        matched = nrs_per_row(train, synthetic, metadata)
    assert sum(matched) == nrs['num_matched_rows'], (sum(matched), nrs)

    dcr_columns = [c for c, m in metadata['columns'].items() if m['sdtype'] in DCR_SDTYPES]
    dropped = {c: m['sdtype'] for c, m in metadata['columns'].items() if c not in dcr_columns}
    expected = {
        'dataset': name,
        'generator': 'Tests/Conformance/generate_sdmetrics_dcr.py',
        'versions': {**versions, 'python': platform.python_version()},
        'seeds': {
            'dataset_builder': seed,
            'baseline_seed': BASELINE_SEED,
            'numpy_global_seed': NUMPY_GLOBAL_SEED,
        },
        'shapes': {
            'train': list(train.shape),
            'holdout': list(holdout.shape),
            'synthetic': list(synthetic.shape),
            'random_baseline': list(random_df.shape),
        },
        'dcr_columns': dcr_columns,
        'dropped_columns': dropped,
        'pandas_dtypes': {
            'train': dtypes_of(train),
            'holdout': dtypes_of(holdout),
            'synthetic': dtypes_of(synthetic),
            'random_baseline': dtypes_of(random_reloaded),
        },
        'ranges': {
            'train': reference_ranges(train, metadata),
            'holdout': reference_ranges(holdout, metadata),
        },
        'synthetic_row_kinds': spec['kinds'],
        'dcr_synthetic_to_train': _floats(dcr_st),
        'dcr_synthetic_to_holdout': _floats(dcr_sh),
        'dcr_holdout_to_train': _floats(dcr_ht),
        'overfitting_protection': {
            'score': overfit['score'],
            'synthetic_data_percentages': overfit['synthetic_data_percentages'],
            'num_closer_to_training': int(closer.sum()),
            'num_exact_ties': ties,
            'num_exact_ties_nonzero': exact_ties_nonzero,
            'num_near_ties_below_1e-9': near_ties,
            'closer_to_training': [bool(b) for b in closer],
        },
        'baseline_protection': {
            'seed': BASELINE_SEED,
            'numpy_global_seed': NUMPY_GLOBAL_SEED,
            'score': baseline['score'],
            'median_DCR_to_real_data': baseline['median_DCR_to_real_data'],
            'random_baseline_file': 'random_baseline.csv',
            'dcr_random_to_train': _floats(dcr_rand_in_metric),
        },
        'new_row_synthesis': {
            'numerical_match_tolerance': NRS_TOLERANCE,
            'score': nrs['score'],
            'num_new_rows': nrs['num_new_rows'],
            'num_matched_rows': nrs['num_matched_rows'],
            'matched': matched,
        },
    }
    text = json.dumps(_sanitize(expected), indent=1, allow_nan=False) + '\n'
    (out / 'expected.json').write_text(text, encoding='utf-8')
    for f in sorted(out.iterdir()):
        size = f.stat().st_size
        assert size < MAX_FILE_BYTES, f'{f} is {size} bytes'
    print(f'{name}: train {train.shape} holdout {holdout.shape} synthetic {synthetic.shape}; '
          f'overfit {overfit["score"]:.6f} (ties {ties}, near ties {near_ties}); '
          f'baseline {baseline["score"]}; NRS {nrs["num_matched_rows"]} matched')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('datasets', nargs='*', default=list(BUILDERS), help='data sets to build')
    parser.add_argument('--allow-version-mismatch', action='store_true')
    args = parser.parse_args()
    versions = check_versions(args.allow_version_mismatch)
    for name in args.datasets:
        generate_dataset(name, versions)


if __name__ == '__main__':
    main()
