"""Golden values for synthscan's `inference-attack` check from anonymeter 1.1.0's InferenceEvaluator.

Reads the data sets that generate_anonymeter.py wrote (Tests/Conformance/anonymeter/<dataset>/
{train,holdout,synthetic}.csv) and writes Tests/Conformance/anonymeter/<dataset>/inference.json.
Read by Tests/SynthScanCoreTests/AnonymeterAttackTests.swift (no Python needed there).

For each data set, a few (auxiliary columns, secret) attacks:
- `results`: anonymeter's `InferenceEvaluator(..., n_attacks = every record)` with a control, one
  run with a fixed numpy seed (its `DataFrame.sample` calls use numpy's global state): attack,
  baseline and control counts and rates (Wilson centre and error) and `risk()` (value and
  interval). Every real record is attacked, so only anonymeter's tie-breaking among equally near
  synthetic records and the random baseline are left to chance; the Swift test checks that
  synthscan's residual risk falls inside anonymeter's interval.
- `neighbours`: deterministic, for every training record: anonymeter's nearest synthetic row
  (`KNNInferencePredictor`'s `MixedTypeKNeighbors`, queries = the whole training table, so the
  numeric ranges are train ∪ synthetic as in synthscan's `anonymeter` distance), its distance and
  the runner-up's distance (None when NaN), and whether anonymeter's guess is right
  (`evaluate_inference_guesses`). Where the nearest record is unique the Swift test requires the
  same guess.

Usage: /tmp/conf-venv/bin/python Tests/Conformance/generate_anonymeter_inference.py [--allow-version-mismatch]
"""

import json
import os
import sys
import warnings

import numpy as np
import pandas as pd

PINS = {'pandas': '2.3.3', 'numpy': '1.26.4', 'anonymeter': '1.1.0'}
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'anonymeter')

# (auxiliary columns, secret, regression) per data set; regression=True is anonymeter's
# relative-tolerance mode (0.05) for numeric secrets, False its exact default.
ATTACKS = {
    'mixed_missing': [(['age', 'sex', 'bp'], 'dx', False), (['age', 'bp', 'hba1c'], 'sex', False),
                      (['age', 'sex', 'dx', 'bp'], 'hba1c', True)],
    'constant_columns': [(['age', 'weight', 'site'], 'region', False), (['age', 'region', 'weight'], 'los', False)],
    'categorical_only': [(['sex', 'race', 'zip3'], 'dx', False), (['zip3', 'ward', 'dx', 'race'], 'insurer', False)],
}


def check_versions():
    from importlib.metadata import version
    found = {name: version(name) for name in PINS}
    if found != PINS and '--allow-version-mismatch' not in sys.argv:
        sys.exit(f'versions {found} differ from the pins {PINS} (pass --allow-version-mismatch to run anyway)')
    return found


def read(path, numeric):
    df = pd.read_csv(path, keep_default_na=False, na_values=[''], float_precision='round_trip')
    for c in df.columns:
        df[c] = df[c].astype(float) if c in numeric else df[c].astype(object).where(df[c].notna(), None)
    return df


def rate(sr):
    return {'value': sr.value, 'error': sr.error}


def num(x):
    return None if x is None or np.isnan(x) else float(x)


def attack(train, holdout, syn, aux, secret, regression):
    from anonymeter.evaluators.inference_evaluator import InferenceEvaluator, evaluate_inference_guesses
    from anonymeter.neighbors.mixed_types_kneighbors import MixedTypeKNeighbors

    n = max(len(train), len(holdout))
    ev = InferenceEvaluator(ori=train, syn=syn, control=holdout, aux_cols=aux, secret=secret,
                            regression=regression, n_attacks=n)
    ev.evaluate(n_jobs=1)
    res = ev.results()
    risk = res.risk()
    out = {'aux_columns': aux, 'secret': secret, 'regression': regression,
           'n_attacks': {'train': ev._n_attacks_ori, 'baseline': ev._n_attacks_baseline, 'holdout': ev._n_attacks_control},
           'n_success': int(ev._n_success), 'n_baseline': int(ev._n_baseline), 'n_control': int(ev._n_control),
           'attack_rate': rate(res.attack_rate), 'baseline_rate': rate(res.baseline_rate),
           'control_rate': rate(res.control_rate), 'risk': {'value': risk.value, 'ci': list(risk.ci)}}
    nn = MixedTypeKNeighbors(n_neighbors=2, n_jobs=1).fit(syn[aux])
    dist, idx = nn.kneighbors(train[aux], return_distance=True)
    guesses = syn[secret].iloc[idx[:, 0]]
    guesses.index = train.index
    right = evaluate_inference_guesses(guesses=guesses, secrets=train[secret], regression=regression)
    out['neighbours'] = {'rows': idx[:, 0].tolist(), 'nearest': [num(d) for d in dist[:, 0]],
                         'runner_up': [num(d) for d in dist[:, 1]], 'correct': [bool(x) for x in right]}
    return out


def main():
    versions = check_versions()
    warnings.simplefilter('ignore')
    np.random.seed(515151)
    for name, attacks in ATTACKS.items():
        folder = os.path.join(OUT, name)
        with open(os.path.join(folder, 'expected.json')) as f:
            numeric = json.load(f)['numeric_columns']
        train, holdout, syn = (read(os.path.join(folder, f'{t}.csv'), numeric) for t in ('train', 'holdout', 'synthetic'))
        expected = {'dataset': name, 'generator': 'Tests/Conformance/generate_anonymeter_inference.py',
                    'versions': versions, 'numpy_seed': 515151,
                    'attacks': [attack(train, holdout, syn, aux, secret, reg) for aux, secret, reg in attacks]}
        with open(os.path.join(folder, 'inference.json'), 'w') as f:
            json.dump(expected, f, sort_keys=True, separators=(',', ':'))
            f.write('\n')
        for a in expected['attacks']:
            print(name, a['secret'], a['aux_columns'], 'success', a['n_success'], '/', a['n_attacks']['train'],
                  'control', a['n_control'], '/', a['n_attacks']['holdout'], 'baseline', a['n_baseline'],
                  'risk', a['risk'])


if __name__ == '__main__':
    main()
