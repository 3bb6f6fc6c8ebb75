#!/usr/bin/env bash
# Submits a sharded synthscan to Slurm: N shard tasks (a job array), then the merge, which
# starts only when every shard succeeded (--dependency=afterok).
# Usage: deploy/slurm/submit.sh [N]    (default 8), from the folder holding synthscan.yaml and the
# inputs, or with SYNTHSCAN_DATA set to it. Extra sbatch options: SBATCH_* environment variables
# (e.g. SBATCH_PARTITION, SBATCH_ACCOUNT).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shards=${1:-8}
if ! [[ $shards =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 [N]  (N, the number of shards, a positive whole number)" >&2
  exit 2
fi
export SYNTHSCAN_DATA=${SYNTHSCAN_DATA:-$PWD}
# Partials of an earlier run would make the merge fail (another shard count, or stale inputs).
rm -f "$SYNTHSCAN_DATA"/partials/*.partial
mkdir -p "$SYNTHSCAN_DATA/partials"
array=$(sbatch --parsable --array="0-$((shards - 1))" --chdir="$SYNTHSCAN_DATA" "$here/synthscan-shards.sbatch")
array=${array%%;*}   # --parsable prints "jobid[;cluster]"
merge=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes --chdir="$SYNTHSCAN_DATA" "$here/synthscan-merge.sbatch")
merge=${merge%%;*}
echo "shards: job array $array ($shards tasks); merge: job $merge (after every shard succeeded)"
echo "reports: $SYNTHSCAN_DATA/reports/ once job $merge has finished (squeue -j $array,$merge)"
