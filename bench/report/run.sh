#!/usr/bin/env bash
# Builds the national report benchmark optimised (-c opt) and runs it: a
# 30-country synthetic fleet of >= 10 million test results in SQLite and a
# synthetic readiness campaign measured from every country, then every
# country's report (figures and page) timed against the API query it is
# built on, measured in the same run, and every report of `v6scope report
# region global --out=DIR` written at once. Target: <= 1 s per report.
# The store (and the written pages) go to a fresh /tmp folder, removed
# afterwards unless --dir=DIR. With CPUS=0,1 the benchmark is pinned to
# those CPUs. A few minutes at most on 2 cores.
#
#   bench/report/run.sh [--probes=1200] [--days=30] [--runs_per_day=24]
#                       [--countries=30] [--campaign_domains=3000]
#                       [--dir=DIR]
#
# Exit status: 0 target met, 1 missed, 3 the benchmark failed.
set -euo pipefail
cd "$(dirname "$0")/../.."
bazel build -c opt //bench/report:report_bench
bin=bazel-bin/bench/report/report_bench
keep=0
for a in "$@"; do [[ $a == --dir=* ]] && keep=1; done
status=0
output=$(${CPUS:+taskset -c "$CPUS"} "$bin" "$@") || status=$?
echo "$output"
if [[ $keep == 0 ]]; then
  dir=$(sed -n 's/.*store in \(\/tmp\/report-bench-[A-Za-z0-9]*\)$/\1/p' <<<"$output")
  [[ -n $dir ]] && rm -rf -- "$dir"
fi
exit "$status"
