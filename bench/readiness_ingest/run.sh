#!/usr/bin/env bash
# Builds the readiness ingest benchmark optimised (-c opt) and runs it:
# domain results per second through ReadinessIngestImpl into SQLite (the
# embedded default store) from 4 concurrent submitters, beside the raw
# SQLite insert of the same rows measured in the same run, with CPU time
# and peak RSS. Target: >= 50,000 results/s on 2 cores. The store is
# written to a fresh directory under /tmp, removed afterwards unless
# --dir=DIR is given. With CPUS=0,1 the benchmark is pinned to those CPUs.
#
#   bench/readiness_ingest/run.sh [--results=200000] [--batch=200]
#                                 [--submitters=4] [--dir=DIR]
#
# Exit status: 0 target met, 1 missed, 2 bad usage, 3 the benchmark failed.
set -euo pipefail
cd "$(dirname "$0")/../.."
bazel build -c opt //bench/readiness_ingest:readiness_ingest_bench
bin=bazel-bin/bench/readiness_ingest/readiness_ingest_bench
keep=0
for a in "$@"; do [[ $a == --dir=* ]] && keep=1; done
status=0
output=$(${CPUS:+taskset -c "$CPUS"} "$bin" "$@") || status=$?
echo "$output"
if [[ $keep == 0 ]]; then
  dir=$(sed -n 's/.*store in \(\/tmp\/readiness-ingest-bench-[A-Za-z0-9]*\)$/\1/p' <<<"$output")
  [[ -n $dir ]] && rm -rf -- "$dir"
fi
exit "$status"
