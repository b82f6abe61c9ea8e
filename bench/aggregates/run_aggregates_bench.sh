#!/usr/bin/env bash
# Builds the aggregate-query benchmark optimised (-c opt) and runs it: a
# fresh SQLite store on disk filled with >= 10 million test results through
# Store::StoreBatches (rollups kept at ingest), then p50/p99 of the
# by-country and by-ASN aggregate queries from the rollups
# (AggregateQueries::Aggregates, the path of the gRPC and HTTP APIs) next to
# the same answer from a plain SQL GROUP BY over the raw runs table in the
# same database (with and without the indexes a DBA would add; the fastest
# is the baseline), and a check that both answers agree per group.
# Targets: p50 <= 20 ms and >= 50x faster than the plain query. Also, by
# default: one cold-cache query of each path and RebuildRollups on the big
# database (identical rows before and after). 4.5 to 6.5 minutes on 2 cores,
# about 1.1 GB of disk under $TMPDIR (or /var/tmp), removed afterwards.
#
#   bench/aggregates/run_aggregates_bench.sh
#   bench/aggregates/run_aggregates_bench.sh --window=week
#   bench/aggregates/run_aggregates_bench.sh --dir=/var/tmp/agg --keep
#       # keeps the database; the next run with that --dir reuses it
#   bench/aggregates/run_aggregates_bench.sh --rebuild=false --cold=false
#
# Extra flags go to aggregates_bench (see `aggregates_bench --help`:
# --probes, --days, --runs_per_day, --end, --at, --window, --repetitions,
# --plain_repetitions, --plain_variants, --cold, --rebuild, --target_*).
# With CPUS=0,1 the run is pinned to those CPUs (taskset). Exit status: 0
# all targets met, 1 a target missed, 2 bad usage, 3 the benchmark failed
# (the answers disagree, too few results, a store error).
set -euo pipefail
cd "$(dirname "$0")/../.."

# No convenience symlinks: bazel-bin etc. keep pointing where they did.
bazel build -c opt --symlink_prefix=/ //bench/aggregates:aggregates_bench >&2
bin="$(bazel info -c opt bazel-bin 2>/dev/null)"
bin="$bin/bench/aggregates/aggregates_bench"

pin=()
if [ -n "${CPUS:-}" ] && command -v taskset >/dev/null; then
  pin=(taskset -c "$CPUS")
fi
echo "== run_aggregates_bench ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs," \
     "$(uname -r), $(git rev-parse --short HEAD 2>/dev/null || echo '?')," \
     "load average $(cut -d' ' -f1-3 /proc/loadavg))"
exec "${pin[@]}" "$bin" "$@"
