#!/usr/bin/env bash
# Builds the attribution benchmark optimised (-c opt) and runs it on the real
# data set: load time of the IPv4+IPv6 pfx2as tables (target <= 1.5 s) and
# lookups/s (target >= 2 M/s on 2 cores), each beside a baseline measured in
# the same run (raw read + gunzip; std::map per prefix length; linear scan).
#
#   bench/enrich/run_enrich_bench.sh                  # data: ../shared/data
#   bench/enrich/run_enrich_bench.sh --data_dir=/srv/v6scope/data --threads=4
#
# Extra flags go to the benchmark (see enrich_bench --help). With
# CPUS=0,1 the run is pinned to those CPUs (taskset), e.g. to measure "2
# cores" on a bigger machine. Exits non-zero if a target is missed, 2 if
# the data set is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
workspace=$(pwd)

data_dir="${V6SCOPE_SHARED_DATA:-$workspace/../shared/data}"
args=()
for arg in "$@"; do
  case "$arg" in
    --data_dir=*) data_dir="${arg#--data_dir=}" ;;
    *) args+=("$arg") ;;
  esac
done
if [ ! -f "$data_dir/prefix2as/RouteViewIPv4.pfx2as.gz" ]; then
  echo "run_enrich_bench: no data set at $data_dir (want prefix2as/, rir/," \
       "asnames/); pass --data_dir= or set V6SCOPE_SHARED_DATA" >&2
  exit 2
fi

bazel build -c opt //bench/enrich:enrich_bench >&2
# bazel-bin follows the last build's configuration; ask for this one's.
bin="$(bazel info -c opt bazel-bin 2>/dev/null)/bench/enrich/enrich_bench"

pin=()
if [ -n "${CPUS:-}" ] && command -v taskset >/dev/null; then
  pin=(taskset -c "$CPUS")
fi
echo "== enrich_bench ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs," \
     "$(uname -r))"
"${pin[@]}" "$bin" --data_dir="$data_dir" "${args[@]}" 2> >(grep -v '^ts=' >&2)
