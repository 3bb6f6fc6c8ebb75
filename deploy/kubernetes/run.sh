#!/usr/bin/env bash
# Runs a sharded synthscan on Kubernetes: the shards (an Indexed Job), then the merge.
# Assumes the volume synthscan-data already holds synthscan.yaml and the input tables, and no
# partials/ from an earlier run (a stale partial makes the merge fail, naming it).
# Usage: deploy/kubernetes/run.sh [kubectl options, e.g. -n NAMESPACE]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kubectl=(kubectl "$@")

# Jobs are immutable: remove the previous run's (the volume and its files stay).
"${kubectl[@]}" delete job synthscan-shards synthscan-merge --ignore-not-found
"${kubectl[@]}" apply -f "$here/synthscan-shards.yaml"

# Waits until job $1 has the condition Complete (returns 0) or Failed (returns 1).
wait_for() {
  while true; do
    local conditions
    conditions=$("${kubectl[@]}" get job "$1" -o jsonpath='{range .status.conditions[?(@.status=="True")]}{.type}{" "}{end}')
    case " $conditions " in
      *" Complete "*) return 0 ;;
      *" Failed "*) return 1 ;;
    esac
    sleep 10
  done
}

if ! wait_for synthscan-shards; then
  echo "synthscan: a shard failed; its log: kubectl logs -l app.kubernetes.io/component=shard --prefix" >&2
  exit 2
fi
"${kubectl[@]}" apply -f "$here/synthscan-merge.yaml"
if wait_for synthscan-merge; then
  echo "synthscan: no finding at or above fail_on; reports are in reports/ on the volume"
else
  "${kubectl[@]}" logs job/synthscan-merge >&2 || true
  echo "synthscan: the merge exited non-zero (1: findings, reports in reports/ on the volume; 2: see the log above)" >&2
  exit 1
fi
