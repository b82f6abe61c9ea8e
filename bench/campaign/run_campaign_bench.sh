#!/usr/bin/env bash
# Builds the domain-list import benchmark optimised (-c opt) and imports
# (1) a generated list of 1,000,000 distinct names (the limit of one list)
# and (2) the real Tranco top-50k (invalid names skipped), printing
# names/s and peak RSS, each beside baselines run in the same run on the
# same file: `wc -l` (reading the lines) and `LC_ALL=C sort -u`
# (de-duplicating them), and the ratios.
#
#   bench/campaign/run_campaign_bench.sh         # data: ../shared/data
#   bench/campaign/run_campaign_bench.sh --data_dir=/srv/v6scope/data
#
# Without the data set the Tranco part is skipped (said so). No target is
# enforced yet: the figures are for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
workspace=$(pwd)

data_dir="${V6SCOPE_SHARED_DATA:-$workspace/../shared/data}"
for arg in "$@"; do
  case "$arg" in
    --data_dir=*) data_dir="${arg#--data_dir=}" ;;
    *) echo "usage: $0 [--data_dir=DIR]" >&2; exit 2 ;;
  esac
done
command -v /usr/bin/time >/dev/null || { echo "needs GNU time" >&2; exit 3; }

bazel build -c opt //bench/campaign:import_bench >&2
bin="$(bazel info -c opt bazel-bin 2>/dev/null)/bench/campaign/import_bench"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# 1M distinct names of realistic length, with a sector column's worth of
# variety left out: the plain format is what an office uploads most.
awk 'BEGIN { for (i = 0; i < 1000000; i++)
       printf "site-%d.region-%d.example\n", i * 7919 % 1000003, i % 97 }' \
  >"$work/million.txt"

# Wall seconds (ns clock: `wc -l` of 1M lines takes milliseconds) and
# peak RSS (KiB, from GNU time) of a command.
measure() {
  local t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -f '%M' -o "$work/time" "$@" >/dev/null
  t1=$(date +%s%N)
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')" \
       "$(cat "$work/time")"
}

bench_file() {  # label file [import flags...]
  local label="$1" file="$2"; shift 2
  local lines out secs rss wc_t sort_t sort_rss
  lines=$(wc -l <"$file")
  out=$("$bin" "$file" "$@")
  secs=$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<<"$out")
  rss=$(sed -n 's/.*peak_rss_kb=\([0-9]*\).*/\1/p' <<<"$out")
  read -r wc_t _ < <(measure wc -l "$file")
  read -r sort_t sort_rss < <(LC_ALL=C measure sort -u "$file")
  echo "== $label ($lines lines)"
  echo "   $out"
  awk -v n="$lines" -v s="$secs" -v r="$rss" -v w="$wc_t" -v t="$sort_t" \
      -v tr="$sort_rss" 'function rate(x) { return x > 0 ? n / x : 0 }
    BEGIN {
      printf "   %-10s %12s %12s %12s\n", "client", "names/s", "peak RSS MB", "ratio"
      printf "   %-10s %12.0f %12.1f %12s\n", "import", rate(s), r / 1024, "1.00"
      printf "   %-10s %12.0f %12s %12.2f\n", "wc -l", rate(w), "-", (s > 0 ? w / s : 0)
      printf "   %-10s %12.0f %12.1f %12.2f\n", "sort -u", rate(t), tr / 1024, (s > 0 ? t / s : 0)
      printf "   (ratio: baseline time / import time, i.e. import names/s as a fraction of the baseline'"'"'s)\n"
    }'
}

echo "== import_bench ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, $(uname -r))"
bench_file "generated 1M names" "$work/million.txt"
tranco="$data_dir/toplists/tranco_top_50k.csv"
if [ -f "$tranco" ]; then
  bench_file "Tranco top 50k" "$tranco" --skip_invalid
else
  echo "== Tranco top 50k: SKIPPED (no $tranco; pass --data_dir=)"
fi
