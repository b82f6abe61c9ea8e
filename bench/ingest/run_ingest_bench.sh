#!/usr/bin/env bash
# Builds the collector and the ingest benchmark optimised (-c opt) and runs
# it: test results per second that --probes (default 1,000) simulated probes
# stream over loopback gRPC, one Upload stream each, into the real
# v6scope-collector on SQLite and on a private PostgreSQL 15 server, each
# beside its store's ceiling measured in the same run (the same rows
# through Store::StoreBatches directly; for SQLite also plain prepared
# INSERTs). Targets: >= 100,000 results/s and >= 0.5 of the ceiling.
#
#   bench/ingest/run_ingest_bench.sh
#   bench/ingest/run_ingest_bench.sh --stores=sqlite --batch_runs=1
#   bench/ingest/run_ingest_bench.sh --batch_runs=10 --runs_per_probe=100 --keep
#
# Extra flags go to ingest_bench (see `ingest_bench --help`: --probes,
# --runs_per_probe, --batch_runs, --tests_per_run, --connections,
# --commit_runs, --stores, --dir, --keep, --target_*). Runs are attributed
# with the shared data set (../shared/data, or $V6SCOPE_SHARED_DATA, or
# --data_dir=DIR) when it is there, as a production collector would;
# --no_attribution stores them unattributed. With CPUS=0,1 everything
# (benchmark, collector, PostgreSQL) is pinned to those CPUs (taskset).
# PostgreSQL is skipped, saying why, without /usr/lib/postgresql/15/bin
# (tools/install-deps installs it). Exit status: 0 all targets met, 1 a
# target missed, 2 bad usage, 3 the benchmark failed (lost or rejected
# data, wrong counts in a store, a process that did not start).
set -euo pipefail
cd "$(dirname "$0")/../.."
workspace=$(pwd)

data_dir="${V6SCOPE_SHARED_DATA:-$workspace/../shared/data}"
args=()
for arg in "$@"; do
  case "$arg" in
    --data_dir=*) data_dir="${arg#--data_dir=}" ;;
    --no_attribution) data_dir="" ;;
    *) args+=("$arg") ;;
  esac
done
if [ -n "$data_dir" ] && [ ! -f "$data_dir/prefix2as/RouteViewIPv4.pfx2as.gz" ]; then
  echo "run_ingest_bench: no attribution data at $data_dir; runs are stored" \
       "unattributed" >&2
  data_dir=""
fi
if [ -n "$data_dir" ]; then
  args+=("--data_dir=$(cd "$data_dir" && pwd)")
fi

# No convenience symlinks: bazel-bin etc. keep pointing where they did.
bazel build -c opt --symlink_prefix=/ \
  //bench/ingest:ingest_bench //collector:v6scope-collector >&2
bin="$(bazel info -c opt bazel-bin 2>/dev/null)"

pin=()
if [ -n "${CPUS:-}" ] && command -v taskset >/dev/null; then
  pin=(taskset -c "$CPUS")
fi
echo "== run_ingest_bench ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs," \
     "$(uname -r), $(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
exec "${pin[@]}" "$bin/bench/ingest/ingest_bench" \
  --collector="$bin/collector/v6scope-collector" "${args[@]}"
