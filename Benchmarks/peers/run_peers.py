#!/usr/bin/env python3
"""synthscan against its peers on the same files: time ratios and agreement of the numbers.

On demand only (never in CI, never at run time): needs the pinned Python packages of
Benchmarks/peers/requirements.txt in a throwaway virtualenv (see Benchmarks/peers/README.md).

For generated train / holdout / synthetic CSVs (`synthscan-bench --scan --rows N --keep`, or
`--data DIR` with train.csv, holdout.csv and synthetic.csv and the same columns), it times:

1. SDMetrics 0.32.0 `DCROverfittingProtection.compute_breakdown` and
   `DCRBaselineProtection.compute_breakdown` on the FULL tables, against synthscan's
   privacy/distance-to-closest-record rule (the CLI, only that rule, JSON report). Agreement:
   overfitting score and closer-to-train share (deterministic: 1e-9), median DCRs (synthetic→train,
   synthetic→holdout), baseline protection (random in both tools: tolerance, see below).
2. scikit-learn `NearestNeighbors(n_neighbors=2, n_jobs=2)`, brute / kd_tree / ball_tree, Manhattan
   distance on an encoding whose L1 distance divided by the number of columns IS SDMetrics' DCR
   distance (see `encode_for_l1`), against synthscan's exact top-2 pass on the same files
   (`synthscan-bench --neighbour-queries N --cohort-roles`, which also writes its distances).
3. anonymeter 1.1.0 `InferenceEvaluator` (aux = the quasi-identifiers, a couple of secrets,
   control = holdout), against synthscan's privacy/attribute-inference rule with the same secret.

Each peer runs in its own child process (`--worker`), so a 30-minute limit can be enforced and the
CPU time (user + system, all threads) is the child's own. Peer times are the library call only
(pandas loading excluded); synthscan times are the whole process (CSV parsing, type inference and
the report included), so the ratios are conservative for synthscan.
"""

import argparse
import hashlib
import json
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

MISSING_TOKENS = ['', 'NA', 'N/A', 'NaN', 'null', 'NULL', '?']   # synthscan's default missing tokens
PINS = {'sdmetrics': '0.32.0', 'pandas': '2.3.3', 'numpy': '1.26.4', 'scipy': '1.17.1',
        'scikit-learn': '1.9.1', 'anonymeter': '1.1.0'}
DCR_RULE = 'privacy/distance-to-closest-record'
AI_RULE = 'privacy/attribute-inference'
# The roles `synthscan-bench --scan` gives the generated tables (Examples/synthscan.yaml's roles).
COHORT = {
    'identifiers': ['record_id'],
    'quasi_identifiers': ['age', 'sex', 'zip3', 'admission_date'],
    'sensitive': ['primary_dx'],
    'protected': ['sex', 'race_ethnicity'],
    'outcome': {'column': 'readmitted_30d', 'positive': '1'},
    'categorical': ['zip3'],
    'seed': 20261129,
}
TABLES = ('train', 'holdout', 'synthetic')


# --------------------------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------------------------

def run_child(cmd, timeout=None, stdout_path=None):
    """Runs `cmd`; returns (exit code, wall s, CPU s of the child (user + system), max RSS bytes).

    A child that exceeds `timeout` is killed (exit code None)."""
    out = open(stdout_path, 'wb') if stdout_path else subprocess.DEVNULL
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE)
    deadline = None if timeout is None else start + timeout
    status, usage = None, None
    while True:
        pid, st, ru = os.wait4(proc.pid, os.WNOHANG)
        if pid == proc.pid:
            status, usage = st, ru
            break
        if deadline is not None and time.perf_counter() > deadline:
            proc.kill()
            _, st, ru = os.wait4(proc.pid, 0)
            usage = ru
            status = None
            break
        time.sleep(0.02)
    wall = time.perf_counter() - start
    proc.returncode = 0  # reaped by wait4: keep Popen from waiting again
    stderr = proc.stderr.read().decode('utf-8', 'replace')
    proc.stderr.close()
    if stdout_path:
        out.close()
    code = None if status is None else os.waitstatus_to_exitcode(status)
    return code, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, stderr


def summarise(runs):
    """Best and median of repeated (wall, cpu) runs."""
    walls = [r['wall'] for r in runs]
    cpus = [r['cpu'] for r in runs]
    return {'runs': len(runs), 'wall_best': min(walls), 'wall_median': statistics.median(walls),
            'cpu_best': min(cpus), 'cpu_median': statistics.median(cpus), 'walls': walls, 'cpus': cpus}


def load_average():
    return os.getloadavg()


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------

def sha256(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            h.update(block)
    return h.hexdigest()


def rows_of(data_dir):
    with open(os.path.join(data_dir, 'train.csv'), 'rb') as f:
        return sum(1 for _ in f) - 1


def generate(bench, rows, directory):
    os.makedirs(directory, exist_ok=True)
    print(f'generating {rows} rows per table with {bench} --scan (the full default scan runs once too)',
          flush=True)
    code, wall, cpu, rss, err = run_child([bench, '--scan', '--rows', str(rows), '--dir', directory, '--keep',
                                           '--json', os.path.join(directory, 'bench-scan.json')])
    if code != 0:
        sys.exit(f'synthscan-bench --scan failed ({code}): {err}')
    return {'wall': wall, 'cpu': cpu}


def write_scan_config(work, data_dir, sensitive=None):
    """A synthscan.yaml with the generated tables' roles (as synthscan-bench --scan sets them)."""
    sensitive = sensitive or COHORT['sensitive']
    path = os.path.join(work, f'synthscan-{"-".join(sensitive)}.yaml')
    lines = [
        'version: 1',
        'inputs:',
        f'  train: {os.path.abspath(os.path.join(data_dir, "train.csv"))}',
        f'  holdout: {os.path.abspath(os.path.join(data_dir, "holdout.csv"))}',
        f'  synthetic: {os.path.abspath(os.path.join(data_dir, "synthetic.csv"))}',
        'roles:',
        f'  identifiers: [{", ".join(COHORT["identifiers"])}]',
        f'  quasi_identifiers: [{", ".join(COHORT["quasi_identifiers"])}]',
        f'  sensitive: [{", ".join(sensitive)}]',
        f'  protected: [{", ".join(COHORT["protected"])}]',
        f'  outcome: {{ column: {COHORT["outcome"]["column"]}, positive: {COHORT["outcome"]["positive"]} }}',
        'columns:',
    ] + [f'  {c}: {{ type: categorical }}' for c in COHORT['categorical']] + [
        'fail_on: none',
        f'seed: {COHORT["seed"]}',
    ]
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    return path


def write_pack(work, rule_id):
    """A rule pack that extends the core pack and keeps only `rule_id`."""
    name = rule_id.split('/')[-1]
    directory = os.path.join(work, f'pack-{name}')
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, 'pack.yaml'), 'w') as f:
        f.write('format: 1\n'
                f'pack: peers/{name}-only\n'
                'version: 1.0.0\n'
                f'description: Only {rule_id}, for Benchmarks/peers/run_peers.py.\n'
                'extends: { pack: synthscan/core }\n'
                'select:\n'
                f'  - include: {{ ids: ["{rule_id}"] }}\n')
    return directory


def synthscan_rule(synthscan, config, pack, rule_id, out_json, repeats):
    runs = []
    report = None
    for _ in range(repeats):
        cmd = [synthscan, 'scan', '--config', config, '--rules', pack, '--format', 'json', '--output', out_json,
               '--quiet', '--fail-on', 'none']
        code, wall, cpu, rss, err = run_child(cmd)
        if code != 0:
            sys.exit(f'{" ".join(cmd)} exited {code}: {err}')
        runs.append({'wall': wall, 'cpu': cpu, 'rss': rss, 'load': load_average()[0]})
        with open(out_json) as f:
            report = json.load(f)
    rules = [r for r in report['rules'] if r['id'] == rule_id]
    if len(report['rules']) != 1 or not rules:
        sys.exit(f'expected only {rule_id} in the report, got {[r["id"] for r in report["rules"]]}')
    return runs, rules[0], report


def column_types(report):
    """synthscan's schema: name -> (type, roles)."""
    return {c['name']: (c['type'], c['roles']) for c in report['columns']}


# --------------------------------------------------------------------------------------------
# Workers (child processes)
# --------------------------------------------------------------------------------------------

def load_frames(data_dir, schema):
    """The three tables as pandas reads them for SDMetrics: synthscan's missing tokens, labels as
    strings, numbers as numbers, datetimes parsed (so SDMetrics sees datetime64)."""
    import pandas as pd
    dtypes = {}
    dates = []
    for name, (kind, roles) in schema.items():
        if kind in ('categorical', 'boolean', 'text') or 'identifier' in roles:
            dtypes[name] = str
        elif kind == 'datetime':
            dtypes[name] = str
            dates.append(name)
    frames = {}
    for t in TABLES:
        df = pd.read_csv(os.path.join(data_dir, f'{t}.csv'), dtype=dtypes, keep_default_na=False,
                         na_values=MISSING_TOKENS, float_precision='round_trip')
        for c in dates:
            df[c] = pd.to_datetime(df[c], format='ISO8601', utc=False)
        frames[t] = df
    return frames


def sdmetrics_metadata(schema):
    columns = {}
    for name, (kind, roles) in sorted(schema.items()):
        if 'identifier' in roles:
            columns[name] = {'sdtype': 'id'}
        elif kind == 'numeric':
            columns[name] = {'sdtype': 'numerical'}
        elif kind == 'datetime':
            columns[name] = {'sdtype': 'datetime'}
        elif kind == 'boolean':
            columns[name] = {'sdtype': 'boolean'}
        elif kind == 'categorical':
            columns[name] = {'sdtype': 'categorical'}
        else:   # free text: synthscan leaves it out of the distance, SDMetrics drops 'pii'
            columns[name] = {'sdtype': 'pii'}
    return {'columns': columns}


def worker_sdmetrics(args, schema):
    import numpy as np
    frames = load_frames(args.data, schema)
    metadata = sdmetrics_metadata(schema)
    from sdmetrics.single_table import DCRBaselineProtection, DCROverfittingProtection
    from sdmetrics.single_table.privacy import dcr_baseline_protection as dbp
    from sdmetrics.single_table.privacy import dcr_overfitting_protection as dop

    captured = []
    for module in (dbp, dop):
        original = module.calculate_dcr

        def capture(*a, _original=original, **k):
            out = _original(*a, **k)
            captured.append(out.to_numpy(copy=True))
            return out
        module.calculate_dcr = capture

    # Progress: SDMetrics computes each pass in 1000 x 1000 chunks of equal cost, so the chunks done
    # and the CPU time they took show how far a run got and what the whole would cost (on a timeout).
    from sdmetrics.single_table.privacy import dcr_utils
    chunk_original = dcr_utils._process_dcr_chunk
    progress = {'chunks': 0, 'wall0': time.perf_counter(), 'cpu0': time.process_time()}

    def chunk(*a, **k):
        out = chunk_original(*a, **k)
        progress['chunks'] += 1
        cpu = time.process_time() - progress['cpu0']
        progress.setdefault('cpu_first', cpu)   # includes SDMetrics' preprocessing before the first chunk
        with open(args.out + '.progress', 'w') as f:
            json.dump({'chunks': progress['chunks'], 'wall': time.perf_counter() - progress['wall0'],
                       'cpu': cpu, 'cpu_first_chunk': progress['cpu_first']}, f)
        return out
    dcr_utils._process_dcr_chunk = chunk

    train, holdout, synthetic = frames['train'], frames['holdout'], frames['synthetic']
    if args.rows_limit:
        train, holdout, synthetic = (f.iloc[:args.rows_limit].reset_index(drop=True) for f in (train, holdout, synthetic))
    result = {'metric': args.worker, 'rows': [len(train), len(holdout), len(synthetic)]}
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        wall0, cpu0 = time.perf_counter(), time.process_time()
        if args.worker == 'sdmetrics-overfitting':
            out = DCROverfittingProtection.compute_breakdown(train, synthetic, holdout, metadata, None)
        else:
            DCRBaselineProtection._seed = args.seed
            np.random.seed(args.seed)
            out = DCRBaselineProtection.compute_breakdown(train, synthetic, metadata, None)
        result['wall'] = time.perf_counter() - wall0
        result['cpu'] = time.process_time() - cpu0
    result['breakdown'] = json.loads(json.dumps(out, default=float))
    dcrs = {}
    if args.worker == 'sdmetrics-overfitting':
        st, sh = captured
        dcrs = {'synthetic_to_train': st, 'synthetic_to_holdout': sh}
        result['share_closer_to_train'] = float(np.mean(st < sh))
        result['ties'] = int(np.sum(st == sh))
        result['near_ties_below_1e-9'] = int(np.sum((np.abs(st - sh) > 0) & (np.abs(st - sh) < 1e-9)))
    else:
        st, rt = captured
        dcrs = {'synthetic_to_train': st, 'random_to_train': rt}
    for k, v in dcrs.items():
        result[f'{k}_median'] = float(np.median(v))
        result[f'{k}_mean'] = float(np.mean(v))
        result[f'{k}_p01'] = float(np.percentile(v, 1))
        result[f'{k}_p05'] = float(np.percentile(v, 5))
    np.save(args.out + '.synthetic_to_train.npy', dcrs['synthetic_to_train'])
    return result


def worker_sdmetrics_rows(args, schema):
    """SDMetrics' own per-row DCR (`calculate_dcr`) of the first `--rows-limit` synthetic rows against
    the FULL training table: a row-by-row check at full size when the whole metric is too slow."""
    import numpy as np
    from sdmetrics.single_table.privacy.dcr_utils import calculate_dcr
    frames = load_frames(args.data, schema)
    metadata = sdmetrics_metadata(schema)
    queries = frames['synthetic'].iloc[:args.rows_limit].reset_index(drop=True)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        wall0, cpu0 = time.perf_counter(), time.process_time()
        dcr = calculate_dcr(queries, frames['train'], metadata).to_numpy()
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    np.save(args.out + '.dcr.npy', dcr)
    return {'metric': args.worker, 'rows': len(queries), 'reference_rows': len(frames['train']), 'wall': wall, 'cpu': cpu}


def encode_for_l1(frames, schema, reference='train'):
    """Rows as vectors whose L1 (Manhattan) distance / number of columns is SDMetrics' DCR distance
    to `reference` (the mean over columns of: numeric/datetime min(|a-b| / range, 1), range from the
    reference table; labels 0 if equal else 1; missing vs missing 0, missing vs present 1):

    - label (categorical, boolean) columns, and numeric columns with range 0 or no values in the
      reference (SDMetrics compares those by equality): one-hot over the values of both tables,
      missing as a level of its own, each indicator 1/2 (two levels differ in two indicators: 1/2 + 1/2 = 1);
    - numeric and datetime columns: two coordinates (v/2, v/2) with v = (x - min) / range, so two
      present values are |a-b|/range apart; a missing value is the point (3/4, -1/4), exactly 1 from
      every v in [-1/2, 3/2] (|v/2 - 3/4| + |v/2 + 1/4| = 1 there) and 0 from another missing value.

    What it cannot reproduce: the cap min(., 1), which binds only when a query value lies more than a
    whole range from a reference value, i.e. outside the reference's range (and then beyond
    [-1/2, 3/2] the missing point is no longer exactly 1 away). Rows with such values are counted."""
    import numpy as np
    import pandas as pd
    ref = frames[reference]
    blocks = {t: [] for t in frames}
    columns = [n for n, (kind, roles) in sorted(schema.items()) if 'identifier' not in roles and 'ignore' not in roles
               and kind != 'text']
    outside = {t: np.zeros(len(frames[t]), dtype=bool) for t in frames}
    for name in columns:
        kind = schema[name][0]
        numeric = kind in ('numeric', 'datetime')
        if numeric:
            def as_float(s):
                if kind == 'datetime':
                    out = (s - pd.Timestamp('1970-01-01')).dt.total_seconds()
                    return out.to_numpy(dtype=float)
                return s.to_numpy(dtype=float)
            r = as_float(ref[name])
            lo, hi = np.nanmin(r) if np.isfinite(r).any() else np.nan, np.nanmax(r) if np.isfinite(r).any() else np.nan
            span = hi - lo
            if np.isfinite(span) and span > 0:
                for t, df in frames.items():
                    x = as_float(df[name])
                    v = (x - lo) / span
                    miss = np.isnan(v)
                    outside[t] |= ~miss & ((x < lo) | (x > hi))
                    a = np.where(miss, 0.75, v / 2)
                    b = np.where(miss, -0.25, v / 2)
                    blocks[t].append(np.stack([a, b], axis=1))
                continue
        # labels (and range-0 / empty numeric columns): one-hot, missing its own level
        keys = {t: df[name].astype(object).where(df[name].notna(), None).map(lambda v: '\0missing' if v is None else str(v))
                for t, df in frames.items()}
        levels = sorted(set().union(*[set(k.unique()) for k in keys.values()]))
        index = {lv: i for i, lv in enumerate(levels)}
        for t, k in keys.items():
            m = np.zeros((len(k), len(levels)))
            m[np.arange(len(k)), k.map(index).to_numpy()] = 0.5
            blocks[t].append(m)
    encoded = {t: np.ascontiguousarray(np.hstack(b)) for t, b in blocks.items()}
    return encoded, len(columns), outside


def worker_sklearn(args, schema):
    import numpy as np
    from sklearn.neighbors import NearestNeighbors
    frames = load_frames(args.data, schema)
    frames = {'train': frames['train'], 'synthetic': frames['synthetic']}
    wall0, cpu0 = time.perf_counter(), time.process_time()
    encoded, n_columns, outside = encode_for_l1(frames, schema)
    encode_wall, encode_cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    algorithm = args.worker.split('-', 1)[1]
    nn = NearestNeighbors(n_neighbors=2, algorithm=algorithm, metric='manhattan', n_jobs=2)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    nn.fit(encoded['train'])
    dist, _ = nn.kneighbors(encoded['synthetic'])
    result = {'metric': args.worker, 'wall': time.perf_counter() - wall0, 'cpu': time.process_time() - cpu0,
              'encode_wall': encode_wall, 'encode_cpu': encode_cpu, 'dimensions': int(encoded['train'].shape[1]),
              'columns': n_columns, 'synthetic_rows_outside_train_range': int(outside['synthetic'].sum())}
    d = dist / n_columns
    np.save(args.out + '.top2.npy', d)
    result['top1_median'] = float(np.median(d[:, 0]))
    result['top1_mean'] = float(np.mean(d[:, 0]))
    return result


def worker_anonymeter(args, schema):
    import numpy as np
    import pandas as pd
    from anonymeter.evaluators import InferenceEvaluator
    frames = load_frames(args.data, schema)
    aux = COHORT['quasi_identifiers']
    prepared = {}
    for t, df in frames.items():
        df = df.drop(columns=COHORT['identifiers'])
        for name, (kind, _) in schema.items():
            if kind == 'datetime' and name in df:   # anonymeter's Gower wants numbers or labels: days since 1970
                df[name] = (df[name] - pd.Timestamp('1970-01-01')).dt.total_seconds() / 86400
        prepared[t] = df
    n_attacks = args.n_attacks if args.n_attacks > 0 else len(prepared['train'])
    np.random.seed(args.seed)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        ev = InferenceEvaluator(ori=prepared['train'], syn=prepared['synthetic'], control=prepared['holdout'],
                                aux_cols=aux, secret=args.secret, regression=False, n_attacks=n_attacks)
        ev.evaluate(n_jobs=2)
        risk = ev.risk(confidence_level=0.95)
        res = ev.results(confidence_level=0.95)
    return {'metric': args.worker, 'secret': args.secret, 'n_attacks': n_attacks,
            'wall': time.perf_counter() - wall0, 'cpu': time.process_time() - cpu0,
            'risk': float(risk.value), 'risk_ci': [float(risk.ci[0]), float(risk.ci[1])],
            'attack_rate': float(res.attack_rate.value), 'attack_rate_error': float(res.attack_rate.error),
            'control_rate': float(res.control_rate.value), 'control_rate_error': float(res.control_rate.error),
            'baseline_rate': float(res.baseline_rate.value)}


def run_worker(args):
    with open(args.schema) as f:
        schema = {k: tuple(v) for k, v in json.load(f).items()}
    if args.worker == 'sdmetrics-rows':
        result = worker_sdmetrics_rows(args, schema)
    elif args.worker.startswith('sdmetrics'):
        result = worker_sdmetrics(args, schema)
    elif args.worker.startswith('sklearn'):
        result = worker_sklearn(args, schema)
    else:
        result = worker_anonymeter(args, schema)
    result['peak_rss_bytes'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    with open(args.out, 'w') as f:
        json.dump(result, f, indent=1)


def peer(args, work, schema_path, worker, tag, extra=(), timeout=None):
    out = os.path.join(work, f'{tag}.json')
    if os.path.exists(out):
        os.remove(out)
    cmd = [sys.executable, os.path.abspath(__file__), '--worker', worker, '--data', args.data,
           '--schema', schema_path, '--out', out, '--seed', str(args.seed)] + list(extra)
    load_before = load_average()[0]
    code, wall, cpu, rss, err = run_child(cmd, timeout=timeout)
    if code is None:
        out_r = {'timed_out': True, 'process_wall': wall, 'process_cpu': cpu, 'limit_s': timeout, 'load': load_before}
        if os.path.exists(out + '.progress'):
            with open(out + '.progress') as f:
                progress = json.load(f)
            # SDMetrics: two passes of ceil(n/1000) x ceil(m/1000) equal chunks (n = m = rows here).
            extra = list(extra)
            rows = int(extra[extra.index('--rows-limit') + 1]) if '--rows-limit' in extra else rows_of(args.data)
            total = 2 * math.ceil(rows / 1000) ** 2
            done, first = progress['chunks'], progress['cpu_first_chunk']
            per_chunk = (progress['cpu'] - first) / (done - 1) if done > 1 else first
            progress.update({'chunks_total': total, 'cpu_per_chunk': per_chunk,
                             'cpu_extrapolated': first + (total - 1) * per_chunk})
            out_r['progress'] = progress
        return out_r
    if code != 0:
        return {'failed': True, 'exit': code, 'stderr': err[-3000:], 'process_wall': wall, 'process_cpu': cpu,
                'load': load_before}
    with open(out) as f:
        result = json.load(f)
    result.update({'process_wall': wall, 'process_cpu': cpu, 'process_peak_rss_bytes': rss, 'load': load_before})
    return result


def repeat_peer(args, work, schema_path, worker, tag, repeats, extra=(), timeout=None):
    runs = []
    for i in range(repeats):
        print(f'  {worker} {" ".join(extra)} run {i + 1}/{repeats} ...', flush=True)
        r = peer(args, work, schema_path, worker, f'{tag}-{i}', extra, timeout)
        runs.append(r)
        if r.get('timed_out') or r.get('failed'):
            print(f'    {"timed out" if r.get("timed_out") else "FAILED: " + r["stderr"][-800:]} '
                  f'{json.dumps(r.get("progress", ""))}', flush=True)
            break
        print(f'    {r["wall"]:.2f} s wall, {r["cpu"]:.2f} CPU-s (load {r["load"]:.1f})', flush=True)
    return runs


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------

def fmt_time(s):
    return '—' if s is None else (f'{s:.3f} s' if s < 10 else f'{s:.1f} s')


def ratio(peer_s, ours_s):
    return None if not peer_s or not ours_s else peer_s / ours_s


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--rows', type=int, default=20000, help='rows per generated table (default 20000)')
    ap.add_argument('--data', help='directory with train.csv, holdout.csv, synthetic.csv (default: generate)')
    ap.add_argument('--work', help='working directory (default: a temporary one, kept)')
    ap.add_argument('--synthscan', default='.build-peers/release/synthscan')
    ap.add_argument('--bench', default='.build-peers/release/synthscan-bench')
    ap.add_argument('--json', help='write all results here')
    ap.add_argument('--repeats', type=int, default=3, help='runs of each synthscan measurement and of fast peers')
    ap.add_argument('--slow-repeats', type=int, default=1,
                    help='runs of SDMetrics (minutes each at 20k rows; default 1)')
    ap.add_argument('--timeout', type=float, default=1800, help='limit per peer run in seconds (default 30 min)')
    ap.add_argument('--fallback-rows', type=int, nargs='*', default=[5000],
                    help='if SDMetrics times out or fails, rerun it on the first N rows of each table')
    ap.add_argument('--parallel-sdmetrics', action='store_true',
                    help='run the two SDMetrics metrics side by side (each is single-threaded)')
    ap.add_argument('--sdmetrics-rows', type=int, default=1000,
                    help="also run SDMetrics' calculate_dcr for the first N synthetic rows against the full train "
                         'table and compare it row by row with synthscan (0: skip)')
    ap.add_argument('--secrets', nargs='*', default=['primary_dx', 'discharge_disposition'])
    ap.add_argument('--attacks', type=int, nargs='*', default=[500, 0],
                    help='anonymeter n_attacks values; 0 = every training row (default: 500 (its default) and all)')
    ap.add_argument('--skip', nargs='*', default=[], choices=['sdmetrics', 'sklearn', 'anonymeter'])
    ap.add_argument('--sklearn-algorithms', nargs='*', default=['brute', 'kd_tree', 'ball_tree'])
    ap.add_argument('--seed', type=int, default=20240917, help="SDMetrics baseline seed / numpy global seed")
    # worker mode (internal)
    ap.add_argument('--worker', help=argparse.SUPPRESS)
    ap.add_argument('--schema', help=argparse.SUPPRESS)
    ap.add_argument('--out', help=argparse.SUPPRESS)
    ap.add_argument('--secret', help=argparse.SUPPRESS)
    ap.add_argument('--n-attacks', type=int, default=500, help=argparse.SUPPRESS)
    ap.add_argument('--rows-limit', type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        run_worker(args)
        return

    import numpy as np
    from importlib.metadata import version
    versions = {name: version(name) for name in PINS}
    if versions != PINS:
        print(f'WARNING: installed {versions} differ from the pins {PINS}', file=sys.stderr)
    for tool in (args.synthscan, args.bench):
        if not os.access(tool, os.X_OK):
            sys.exit(f'{tool} is not an executable: build it with swift build -c release --product ...')
    synthscan, bench = os.path.abspath(args.synthscan), os.path.abspath(args.bench)
    work = os.path.abspath(args.work or tempfile.mkdtemp(prefix='synthscan-peers-'))
    os.makedirs(work, exist_ok=True)
    results = {'date_utc': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()), 'versions': versions,
               'python': platform.python_version(), 'machine': machine_info(synthscan), 'work': work,
               'load_start': load_average()}
    try:
        from threadpoolctl import threadpool_info
        results['threadpools'] = [{k: p.get(k) for k in ('internal_api', 'num_threads', 'architecture', 'version')}
                                  for p in threadpool_info()]
    except ImportError:
        pass

    if args.data:
        args.data = os.path.abspath(args.data)
    else:
        args.data = os.path.join(work, f'data-{args.rows}')
        results['generate'] = generate(bench, args.rows, args.data)
    rows = {}
    for t in TABLES:
        with open(os.path.join(args.data, f'{t}.csv'), 'rb') as f:
            rows[t] = sum(1 for _ in f) - 1   # no embedded newlines in the generated tables
    results['rows'] = rows
    print(f'data {args.data}: {rows}; work {work}', flush=True)

    # synthscan: the DCR rule alone (its JSON report also gives the schema every peer uses).
    config = write_scan_config(work, args.data)
    print(f'synthscan {DCR_RULE} ×{args.repeats} ...', flush=True)
    dcr_runs, dcr_rule, report = synthscan_rule(synthscan, config, write_pack(work, DCR_RULE), DCR_RULE,
                                                os.path.join(work, 'synthscan-dcr.json'), args.repeats)
    schema = column_types(report)
    schema_path = os.path.join(work, 'schema.json')
    with open(schema_path, 'w') as f:
        json.dump(schema, f, indent=1)
    ours = dcr_rule['measurements']
    results['synthscan_dcr'] = {'timing': summarise(dcr_runs), 'runs': dcr_runs, 'measurements': ours,
                                'status': dcr_rule['status']}
    print(f'  best {min(r["wall"] for r in dcr_runs):.2f} s wall, {min(r["cpu"] for r in dcr_runs):.2f} CPU-s', flush=True)

    table = []   # (peer, synthscan s, synthscan CPU-s, peer s, peer CPU-s, agreement)

    # ---- 1. SDMetrics DCR -----------------------------------------------------------------
    if 'sdmetrics' not in args.skip:
        sd = {}
        full = {}
        if args.parallel_sdmetrics:
            # Each SDMetrics metric is single-threaded: on 2 cores the two can run side by side (each
            # still reports its own wall and CPU time); halves the waiting at 20k rows.
            from concurrent.futures import ThreadPoolExecutor
            with ThreadPoolExecutor(2) as pool:
                futures = {m: pool.submit(repeat_peer, args, work, schema_path, f'sdmetrics-{m}', f'sdmetrics-{m}',
                                          args.slow_repeats, (), args.timeout) for m in ('overfitting', 'baseline')}
                full = {m: f.result() for m, f in futures.items()}
        for metric in ('overfitting', 'baseline'):
            worker = f'sdmetrics-{metric}'
            runs = full.get(metric) or repeat_peer(args, work, schema_path, worker, worker, args.slow_repeats,
                                                   timeout=args.timeout)
            sd[metric] = {'full': runs, 'concurrent_with_other_metric': bool(args.parallel_sdmetrics)}
            ok = [r for r in runs if 'wall' in r]
            if not ok:
                for n in args.fallback_rows:
                    fb = repeat_peer(args, work, schema_path, worker, f'{worker}-{n}', args.slow_repeats,
                                     extra=['--rows-limit', str(n)], timeout=args.timeout)
                    sd[metric][f'first_{n}_rows'] = fb
        results['sdmetrics'] = sd
        st_syn = np.load(os.path.join(work, 'sdmetrics-overfitting-0.json.synthetic_to_train.npy')) \
            if sd['overfitting']['full'] and 'wall' in sd['overfitting']['full'][0] else None
        results['sdmetrics_agreement'] = agree_sdmetrics(sd, ours)
        ours_t = results['synthscan_dcr']['timing']
        for metric in ('overfitting', 'baseline'):
            ok = [r for r in sd[metric]['full'] if 'wall' in r]
            name = f'SDMetrics DCR{metric.capitalize()}Protection'
            if ok:
                t = summarise(ok)
                table.append((name, ours_t, t, results['sdmetrics_agreement'][metric]['summary']))
            else:
                r = sd[metric]['full'][-1]
                why = f'timed out after {r["process_wall"]:.0f} s' if r.get('timed_out') else f'failed (exit {r.get("exit")})'
                if r.get('progress'):
                    pg = r['progress']
                    why += (f': {pg["chunks"]}/{pg["chunks_total"]} chunks in {pg["cpu"]:.0f} CPU-s, whole run '
                            f'≈ {pg["cpu_extrapolated"]:.0f} CPU-s extrapolated')
                table.append((name, ours_t, None, why))
        ok_o = [r for r in sd['overfitting']['full'] if 'wall' in r]
        ok_b = [r for r in sd['baseline']['full'] if 'wall' in r]
        if ok_o and ok_b:
            both = {'wall_best': min(r['wall'] for r in ok_o) + min(r['wall'] for r in ok_b),
                    'wall_median': statistics.median([r['wall'] for r in ok_o]) + statistics.median([r['wall'] for r in ok_b]),
                    'cpu_best': min(r['cpu'] for r in ok_o) + min(r['cpu'] for r in ok_b),
                    'cpu_median': statistics.median([r['cpu'] for r in ok_o]) + statistics.median([r['cpu'] for r in ok_b])}
            table.append(('SDMetrics both DCR metrics (sum)', ours_t, both,
                          'synthscan computes both (and more) in one rule'))
    else:
        st_syn = None

    # ---- 2. scikit-learn NearestNeighbors --------------------------------------------------
    if 'sklearn' not in args.skip:
        bench_dir = os.path.join(work, f'bench-neighbours-{rows["synthetic"]}')
        nn_runs = []
        for i in range(args.repeats):
            dist_path = os.path.join(work, 'synthscan-top2.csv')
            bj = os.path.join(work, f'bench-neighbours-{i}.json')
            cmd = [bench, '--rows', str(rows['train']), '--dir', bench_dir, '--keep', '--cohort-roles',
                   '--neighbour-queries', str(rows['synthetic']), '--neighbour-distances', dist_path, '--json', bj]
            code, wall, cpu, rss, err = run_child(cmd)
            if code != 0:
                sys.exit(f'{" ".join(cmd)} exited {code}: {err}')
            with open(bj) as f:
                b = json.load(f)
            nn_runs.append({'wall': b['neighbour_seconds'], 'cpu': b['neighbour_cpu_seconds'], 'load': load_average()[0],
                            'process_wall': wall, 'process_cpu': cpu})
            print(f'  synthscan-bench top-2 pass run {i + 1}: {b["neighbour_seconds"]:.3f} s, '
                  f'{b["neighbour_cpu_seconds"]:.3f} CPU-s', flush=True)
        same_files = all(sha256(os.path.join(bench_dir, f'{t}.csv')) == sha256(os.path.join(args.data, f'{t}.csv'))
                         for t in ('train', 'synthetic'))
        ours_top2 = np.loadtxt(dist_path, delimiter=',', skiprows=1, ndmin=2)
        nn_t = summarise(nn_runs)
        results['synthscan_top2'] = {'timing': nn_t, 'runs': nn_runs, 'same_files_as_data': same_files}
        sk = {}
        for algorithm in args.sklearn_algorithms:
            worker = f'sklearn-{algorithm}'
            runs = repeat_peer(args, work, schema_path, worker, worker, args.repeats, timeout=args.timeout)
            ok = [r for r in runs if 'wall' in r]
            entry = {'runs': runs}
            if ok:
                theirs = np.load(os.path.join(work, f'{worker}-0.json.top2.npy'))
                entry['agreement'] = agree_top2(ours_top2, theirs, st_syn, ok[0], same_files)
                table.append((f'scikit-learn NearestNeighbors {algorithm} (n_jobs=2)', nn_t, summarise(ok),
                              entry['agreement']['summary']))
            else:
                table.append((f'scikit-learn NearestNeighbors {algorithm}', nn_t, None, 'timed out / failed'))
            sk[algorithm] = entry
        results['sklearn'] = sk
        if args.sdmetrics_rows:
            n = min(args.sdmetrics_rows, rows['synthetic'])
            print(f'  SDMetrics calculate_dcr, first {n} synthetic rows x full train ...', flush=True)
            r = peer(args, work, schema_path, 'sdmetrics-rows', 'sdmetrics-rows', ['--rows-limit', str(n)], args.timeout)
            if 'wall' in r:
                theirs = np.load(os.path.join(work, 'sdmetrics-rows.json.dcr.npy'))
                diff = np.abs(theirs - ours_top2[:n, 0])
                r['agreement'] = {'max_abs_diff': float(diff.max()), 'rows_above_1e-9': int((diff > 1e-9).sum()),
                                  'same_files': same_files}
                # The synthscan side of this row is the whole top-2 pass, scaled to n of its queries.
                scaled = {k: nn_t[k] * n / rows['synthetic'] for k in ('wall_best', 'wall_median', 'cpu_best', 'cpu_median')}
                table.append((f'SDMetrics calculate_dcr, {n} synthetic rows x {rows["train"]} train (top-2 pass time x {n}/{rows["synthetic"]})',
                              scaled, summarise([r]),
                              f'per-row DCR max |diff| {diff.max():.1e} ({int((diff > 1e-9).sum())} rows > 1e-9)'))
            results['sdmetrics_rows'] = r
        table.append(('(synthscan DCR rule, 5 passes, vs sklearn brute: see JSON)', results['synthscan_dcr']['timing'],
                      summarise([r for r in sk.get('brute', {}).get('runs', []) if 'wall' in r]) if
                      [r for r in sk.get('brute', {}).get('runs', []) if 'wall' in r] else None,
                      'one sklearn pass against the whole rule'))

    # ---- 3. anonymeter InferenceEvaluator ---------------------------------------------------
    if 'anonymeter' not in args.skip:
        an = {}
        for secret in args.secrets:
            cfg = write_scan_config(work, args.data, sensitive=[secret])
            print(f'synthscan {AI_RULE} (sensitive {secret}) ×{args.repeats} ...', flush=True)
            runs, rule, _ = synthscan_rule(synthscan, cfg, write_pack(work, AI_RULE), AI_RULE,
                                           os.path.join(work, f'synthscan-ai-{secret}.json'), args.repeats)
            an[secret] = {'synthscan': {'timing': summarise(runs), 'runs': runs, 'measurements': rule['measurements'],
                                        'status': rule['status']}}
            for n in args.attacks:
                worker = 'anonymeter-inference'
                label = 'all' if n <= 0 else str(n)
                pr = repeat_peer(args, work, schema_path, worker, f'{worker}-{secret}-{label}', args.repeats,
                                 extra=['--secret', secret, '--n-attacks', str(n)], timeout=args.timeout)
                ok = [r for r in pr if 'wall' in r]
                entry = {'runs': pr}
                if ok:
                    entry['agreement'] = agree_inference(rule['measurements'], ok)
                    table.append((f'anonymeter InferenceEvaluator {secret}, n_attacks={ok[0]["n_attacks"]}',
                                  an[secret]['synthscan']['timing'], summarise(ok), entry['agreement']['summary']))
                else:
                    table.append((f'anonymeter InferenceEvaluator {secret}, n_attacks={label}',
                                  an[secret]['synthscan']['timing'], None, 'timed out / failed'))
                an[secret][f'anonymeter_{label}'] = entry
        results['anonymeter'] = an

    results['load_end'] = load_average()
    results['table'] = [{'peer': p, 'synthscan': o, 'peer_timing': t, 'ratio_wall_best': ratio(t and t['wall_best'], o['wall_best']),
                         'ratio_cpu_best': ratio(t and t['cpu_best'], o['cpu_best']), 'agreement': a}
                        for p, o, t, a in table]
    print_table(results['table'])
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(results, f, indent=1, default=float)
        print(f'JSON: {args.json}')


# --------------------------------------------------------------------------------------------
# Agreement
# --------------------------------------------------------------------------------------------

def close(a, b, tol):
    return a is not None and b is not None and abs(a - b) <= tol


def agree_sdmetrics(sd, ours):
    out = {}
    o = [r for r in sd['overfitting']['full'] if 'wall' in r]
    if o:
        r = o[0]
        bd = r['breakdown']
        checks = {
            'overfitting_score': (ours.get('overfitting_protection'), bd['score'], 1e-9),
            'share_closer_to_train': (ours.get('share_closer_to_train'),
                                      bd['synthetic_data_percentages']['closer_to_training'], 1e-9),
            'median_dcr_synthetic_to_train': (ours.get('dcr_train_median'), r['synthetic_to_train_median'], 1e-9),
            'median_dcr_synthetic_to_holdout': (ours.get('dcr_holdout_median'), r['synthetic_to_holdout_median'], 1e-9),
            'mean_dcr_synthetic_to_train': (ours.get('dcr_train_mean'), r['synthetic_to_train_mean'], 1e-9),
            'p01_dcr_synthetic_to_train': (ours.get('dcr_train_p01'), r['synthetic_to_train_p01'], 1e-9),
            'p05_dcr_synthetic_to_train': (ours.get('dcr_train_p05'), r['synthetic_to_train_p05'], 1e-9),
            'p05_dcr_synthetic_to_holdout': (ours.get('dcr_holdout_p05'), r['synthetic_to_holdout_p05'], 1e-9),
        }
        detail = {k: {'synthscan': a, 'sdmetrics': b, 'abs_diff': None if a is None or b is None else abs(a - b),
                      'tolerance': t, 'agree': close(a, b, t)} for k, (a, b, t) in checks.items()}
        detail['ties_train_holdout'] = {'synthscan': ours.get('ties_train_holdout'), 'sdmetrics': r['ties']}
        detail['near_ties_below_1e-9'] = r['near_ties_below_1e-9']
        n_ok = sum(1 for v in detail.values() if isinstance(v, dict) and v.get('agree'))
        n_all = sum(1 for v in detail.values() if isinstance(v, dict) and 'agree' in v)
        worst = max((v['abs_diff'] for v in detail.values() if isinstance(v, dict) and v.get('abs_diff') is not None), default=None)
        out['overfitting'] = {'detail': detail,
                              'summary': f'{n_ok}/{n_all} figures within 1e-9 (max |diff| {fmt_num(worst, ".1e")})'}
    b = [r for r in sd['baseline']['full'] if 'wall' in r]
    if b:
        r = b[0]
        bd = r['breakdown']
        med_syn = bd['median_DCR_to_real_data']['synthetic_data']
        med_rand = bd['median_DCR_to_real_data']['random_data_baseline']
        # Both tools draw the random table with their own generator, so the random median is a sample
        # median of n draws: compare within a tolerance (2 % relative; reported as is). A measurement
        # synthscan no longer reports (or reports as null) shows as missing, never as agreement.
        def rel(a, b):
            return None if a is None or b is None or not b else abs(a - b) / abs(b)
        ours_med, ours_rand, ours_score = ours.get('dcr_train_median'), ours.get('dcr_random_median'), ours.get('baseline_protection')
        detail = {
            'median_dcr_synthetic_to_train': {'synthscan': ours_med, 'sdmetrics': med_syn,
                                              'abs_diff': None if ours_med is None else abs(ours_med - med_syn),
                                              'tolerance': 1e-9, 'agree': close(ours_med, med_syn, 1e-9)},
            'median_dcr_random_to_train': {'synthscan': ours_rand, 'sdmetrics': med_rand, 'rel_diff': rel(ours_rand, med_rand),
                                           'tolerance_rel': 0.02, 'agree': (rel(ours_rand, med_rand) or 1) <= 0.02},
            'baseline_score': {'synthscan': ours_score, 'sdmetrics': bd['score'], 'rel_diff': rel(ours_score, bd['score']),
                               'tolerance_rel': 0.02, 'agree': (rel(ours_score, bd['score']) or 1) <= 0.02},
        }

        def f(v, spec):
            return 'missing' if v is None else format(v, spec)
        out['baseline'] = {'detail': detail, 'summary':
                           f'median S→T {"equal" if detail["median_dcr_synthetic_to_train"]["agree"] else "DIFFERS"} '
                           f'(|diff| {f(detail["median_dcr_synthetic_to_train"]["abs_diff"], ".1e")}); random median '
                           f'{f(detail["median_dcr_random_to_train"]["rel_diff"], ".2%")} apart, score '
                           f'{f(ours_score, ".4f")} vs {bd["score"]:.4f} (random, 2% tolerance)'}
    return out


def agree_top2(ours, theirs, sdmetrics_st, run, same_files):
    import numpy as np
    d1 = np.abs(ours[:, 0] - theirs[:, 0])
    d2 = np.abs(ours[:, 1] - theirs[:, 1])
    out = {'max_abs_diff_top1': float(d1.max()), 'max_abs_diff_top2': float(d2.max()),
           'rows_top1_diff_above_1e-9': int((d1 > 1e-9).sum()),
           'synthetic_rows_outside_train_range': run['synthetic_rows_outside_train_range'],
           'same_files': same_files, 'dimensions': run['dimensions']}
    if sdmetrics_st is not None:
        out['max_abs_diff_top1_synthscan_vs_sdmetrics'] = float(np.abs(ours[:, 0] - sdmetrics_st).max())
        out['max_abs_diff_top1_sklearn_vs_sdmetrics'] = float(np.abs(theirs[:, 0] - sdmetrics_st).max())
    out['summary'] = (f'top-1 max |diff| {out["max_abs_diff_top1"]:.1e} ({out["rows_top1_diff_above_1e-9"]} rows > 1e-9), '
                      f'top-2 {out["max_abs_diff_top2"]:.1e}; {run["dimensions"]} dims')
    return out


def agree_inference(ours, runs):
    """synthscan's residual risk (CAP attack on the quasi-identifiers, holdout control) against
    anonymeter's inference risk (1-NN on the quasi-identifiers, control = holdout)."""
    risks = [r['risk'] for r in runs]
    r = runs[0]
    lo, hi = r['risk_ci']
    s = ours.get('residual_risk')
    s_lo, s_hi = ours.get('residual_risk_ci_low'), ours.get('residual_risk_ci_high')
    inside = s is not None and lo <= s <= hi
    overlap = s_lo is not None and s_hi is not None and not (s_hi < lo or s_lo > hi)
    return {'synthscan_residual_risk': s, 'synthscan_ci': [s_lo, s_hi],
            'synthscan_attack_train': ours.get('cap_attack_train'), 'synthscan_attack_holdout': ours.get('cap_attack_holdout'),
            'anonymeter_risk_runs': risks, 'anonymeter_ci_first_run': [lo, hi],
            'anonymeter_attack_rate': r['attack_rate'], 'anonymeter_control_rate': r['control_rate'],
            'synthscan_inside_anonymeter_ci': inside, 'intervals_overlap': overlap,
            'summary': (f'risk {fmt_num(s, ".4f")} [{fmt_num(s_lo, ".3f")}, {fmt_num(s_hi, ".3f")}] vs {statistics.median(risks):.4f} '
                        f'[{lo:.3f}, {hi:.3f}]: {"inside" if inside else "outside"} its CI, '
                        f'intervals {"overlap" if overlap else "DISJOINT"}')}


def fmt_num(v, spec):
    return 'missing' if v is None else format(v, spec)


def print_table(rows):
    print('\n| peer | synthscan wall best / median (CPU-s best) | peer wall best / median (CPU-s best) '
          '| ratio peer/synthscan wall (CPU) | agreement |')
    print('|---|---|---|---|---|')
    for r in rows:
        o, t = r['synthscan'], r['peer_timing']
        ours = f'{fmt_time(o["wall_best"])} / {fmt_time(o["wall_median"])} ({o["cpu_best"]:.2f})'
        theirs = '—' if t is None else f'{fmt_time(t["wall_best"])} / {fmt_time(t["wall_median"])} ({t["cpu_best"]:.2f})'
        rat = '—' if r['ratio_wall_best'] is None else f'{r["ratio_wall_best"]:.1f}× ({r["ratio_cpu_best"]:.1f}×)'
        agreement = r['agreement'] if isinstance(r['agreement'], str) else json.dumps(r['agreement'])
        print(f'| {r["peer"]} | {ours} | {theirs} | {rat} | {agreement} |')


def machine_info(synthscan):
    info = {'nproc': os.cpu_count(), 'platform': platform.platform()}
    try:
        for line in subprocess.run(['lscpu'], capture_output=True, text=True).stdout.splitlines():
            if line.startswith('Model name'):
                info['cpu'] = line.split(':', 1)[1].strip()
    except OSError:
        pass
    try:
        with open('/etc/os-release') as f:
            info['os'] = next((l.split('=', 1)[1].strip().strip('"') for l in f if l.startswith('PRETTY_NAME')), None)
    except OSError:
        pass
    try:
        info['swift'] = subprocess.run(['swift', '--version'], capture_output=True, text=True).stdout.strip().splitlines()[0]
    except (OSError, IndexError):
        pass
    try:
        info['synthscan'] = subprocess.run([synthscan, '--version'], capture_output=True, text=True).stdout.strip()
        info['commit'] = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True,
                                        cwd=os.path.dirname(os.path.abspath(__file__))).stdout.strip()
    except OSError:
        pass
    return info


if __name__ == '__main__':
    main()
