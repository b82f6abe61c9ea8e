#!/usr/bin/env bash
# Wall time of one probe run on each network of the netns test bed
# (tests/netns), methodology 2 against methodology 1 (see docs/benchmarks.md
# and docs/testbed.md).
#
# For each topology: bring it up once (testbed.sh up, with this checkout's
# collector and CLI), then alternately run
#   v2: this checkout's probe with its default settings (no deadline in
#       the config: DNS 2 s, HTTP 4 s, connect 3 s, stall 2 s), and
#   v1: a probe built from the methodology 1 commit (b219b39), with
#       methodology 1's defaults written out (DNS 5000 ms, HTTP 10000 ms),
# --repeat times each, timing the whole `run-once --json --upload` process;
# then tear it down. Prints a table topology | v1 s | v2 s | ratio (medians)
# with the verdict each gave, and the worst single v2 run against the 6 s
# bound of methodology 2 (docs/methodology.md).
#
# usage: bench/netns/run_walltime_bench.sh [--baseline-probe=BIN]
#          [--probe=BIN] [--repeat=N] [--keep] [TOPOLOGY...]
#   --baseline-probe  the v1 probe; default: built from b219b39 in a
#                     temporary git worktree with its own Bazel output base
#                     (removed afterwards)
#   --probe           the v2 probe; default: bazel-bin of this checkout
#                     (built here, with the collector and the CLI)
#   --repeat          runs per probe and topology (default 3); medians
#   --keep            keep the work directory (runs' JSON, test-bed files)
#   TOPOLOGY...       default: every topology (testbed.sh list)
# Needs root (network namespaces) and the bed's daemons
# (tools/install-deps); otherwise prints SKIPPED and why, and exits 0.
# Exit status: 0 worst v2 run within 6 s, 1 over it, 2 bad usage, 3 the
# benchmark itself failed (build, bring-up, a probe that did not run).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TESTBED="$ROOT/tests/netns/testbed.sh"
V1_COMMIT=b219b39
BOUND_S=6

BASELINE="" PROBE="" REPEAT=3 KEEP=0 TOPOS=()
for arg in "$@"; do
  case "$arg" in
    --baseline-probe=*) BASELINE="${arg#*=}" ;;
    --probe=*) PROBE="${arg#*=}" ;;
    --repeat=*) REPEAT="${arg#*=}" ;;
    --keep) KEEP=1 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"
      exit 0 ;;
    -*) echo "run_walltime_bench: unknown option '$arg' (see --help)" >&2; exit 2 ;;
    *) TOPOS+=("$arg") ;;
  esac
done
[[ "$REPEAT" =~ ^[1-9][0-9]?$ ]] || { echo "run_walltime_bench: --repeat must be 1..99" >&2; exit 2; }

die() { echo "run_walltime_bench: $*" >&2; exit 3; }
step() { printf '\n== %s\n' "$*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  echo "SKIPPED: netns wall-time benchmark: needs root (network namespaces, nftables); run as root"
  exit 0
fi
if ! why="$("$TESTBED" check)"; then
  echo "SKIPPED: netns wall-time benchmark: $why"
  exit 0
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/v6scope-walltime.XXXXXX")"
UP=""      # the topology currently up, for the exit trap
V1_TREE="" # the temporary worktree and output base of the v1 build
export V6SCOPE_TESTBED_DIR="$WORK/testbed"
cleanup() {
  if [ -n "$UP" ]; then "$TESTBED" down "$UP" >/dev/null 2>&1; fi
  remove_v1_tree
  if [ "$KEEP" -eq 1 ]; then echo "kept: $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- binaries ---------------------------------------------------------------------
step "v2: this checkout's probe, collector and CLI"
(cd "$ROOT" && bazel build //probe:v6scope-probe //collector:v6scope-collector //cli:v6scope) \
  >"$WORK/build-v2.log" 2>&1 || die "bazel build failed (see $WORK/build-v2.log; --keep keeps it)"
PROBE="${PROBE:-$ROOT/bazel-bin/probe/v6scope-probe}"
COLLECTOR="$ROOT/bazel-bin/collector/v6scope-collector"
CLI="$ROOT/bazel-bin/cli/v6scope"
for b in "$PROBE" "$COLLECTOR" "$CLI"; do [ -x "$b" ] || die "$b is not an executable"; done

# build_v1: the probe of commit $V1_COMMIT, in a detached worktree with an
# output base of its own (so this checkout's Bazel server and analysis
# cache stay as they are); the shared disk cache of user.bazelrc, if any,
# makes it mostly cache hits.
build_v1() {
  V1_TREE="$WORK/v1"
  mkdir -p "$V1_TREE"
  git -C "$ROOT" worktree add --detach "$V1_TREE/src" "$V1_COMMIT" >"$WORK/build-v1.log" 2>&1 ||
    die "git worktree add $V1_COMMIT failed (see $WORK/build-v1.log)"
  [ ! -f "$ROOT/user.bazelrc" ] || cp "$ROOT/user.bazelrc" "$V1_TREE/src/"
  (cd "$V1_TREE/src" && bazel --output_base="$V1_TREE/output_base" build \
    //probe:v6scope-probe) >>"$WORK/build-v1.log" 2>&1 ||
    die "building the v1 probe failed (see $WORK/build-v1.log; --keep keeps it)"
  cp "$V1_TREE/src/bazel-bin/probe/v6scope-probe" "$WORK/v6scope-probe-v1" ||
    die "no v1 probe binary"
  BASELINE="$WORK/v6scope-probe-v1"
  remove_v1_tree
}

remove_v1_tree() {
  [ -n "$V1_TREE" ] && [ -d "$V1_TREE" ] || return 0
  if [ -d "$V1_TREE/output_base" ]; then
    (cd "$V1_TREE/src" 2>/dev/null && bazel --output_base="$V1_TREE/output_base" shutdown) \
      >/dev/null 2>&1
    chmod -R u+w "$V1_TREE/output_base" 2>/dev/null
  fi
  git -C "$ROOT" worktree remove --force "$V1_TREE/src" >/dev/null 2>&1
  rm -rf "$V1_TREE"
  V1_TREE=""
}

if [ -z "$BASELINE" ]; then
  step "v1: building the probe of $V1_COMMIT (temporary worktree, own output base)"
  build_v1
fi
[ -x "$BASELINE" ] || die "baseline probe $BASELINE is not an executable"
BASELINE="$(cd "$(dirname "$BASELINE")" && pwd)/$(basename "$BASELINE")"

# --- measurement --------------------------------------------------------------------
if [ ${#TOPOS[@]} -eq 0 ]; then
  mapfile -t TOPOS < <("$TESTBED" list | awk '{ print $1 }')
fi

# timed_run LABEL TOPO OUT [testbed options]: one run; prints its seconds.
timed_run() {
  local label="$1" topo="$2" out="$3"; shift 3
  local t0 t1 rc
  t0="$(date +%s%N)"
  "$TESTBED" --collector="$COLLECTOR" --cli="$CLI" "$@" run "$topo" --json \
    >"$out" 2>"$out.err"
  rc=$?
  t1="$(date +%s%N)"
  [ $rc -eq 0 ] || echo "  $topo $label: exit $rc: $(tail -n 1 "$out.err")" >&2
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }'
}

verdict_of() {  # the capability, causes and score a run printed
  python3 - "$1" <<'EOF' 2>/dev/null || echo "no run"
import json, sys
for line in open(sys.argv[1]):
    if line.startswith("{"):
        v = json.loads(line).get("verdict", {})
        print("%s [%s] %s" % (v.get("capability", "-"),
              " ".join(v.get("root_causes", [])) or "-", v.get("score", 0)))
        break
else:
    print("no run")
EOF
}

median() { tr ' ' '\n' | sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

ROWS=() WORST_S=0 WORST_TOPO="" FAILED=0
for topo in "${TOPOS[@]}"; do
  step "$topo"
  if ! "$TESTBED" --probe="$PROBE" --collector="$COLLECTOR" --cli="$CLI" up "$topo" \
    >"$WORK/up-$topo.log" 2>&1; then
    echo "  $topo: bring-up failed: $(tail -n 1 "$WORK/up-$topo.log")" >&2
    ROWS+=("$topo|-|-|-|bring-up failed|")
    FAILED=1
    continue
  fi
  UP="$topo"
  v1s=() v2s=()
  for ((i = 1; i <= REPEAT; i++)); do
    v2s+=("$(timed_run v2 "$topo" "$WORK/$topo-v2-$i.json" --probe="$PROBE")")
    v1s+=("$(timed_run v1 "$topo" "$WORK/$topo-v1-$i.json" --probe="$BASELINE" \
      --dns_timeout_ms=5000 --http_timeout_ms=10000)")
    echo "  run $i: v1 ${v1s[-1]} s, v2 ${v2s[-1]} s" >&2
  done
  "$TESTBED" down "$topo" >/dev/null 2>&1
  UP=""
  local_v1="$(median <<<"${v1s[*]}")" local_v2="$(median <<<"${v2s[*]}")"
  for s in "${v2s[@]}"; do
    if awk -v s="$s" -v w="$WORST_S" 'BEGIN { exit !(s > w) }'; then
      WORST_S="$s" WORST_TOPO="$topo"
    fi
  done
  ROWS+=("$topo|$local_v1|$local_v2|$(awk -v a="$local_v1" -v b="$local_v2" \
    'BEGIN { if (a > 0) printf "%.2f", b / a; else print "-" }')|$(verdict_of "$WORK/$topo-v1-$REPEAT.json")|$(verdict_of "$WORK/$topo-v2-$REPEAT.json")")
done

# --- report ---------------------------------------------------------------------------
echo
echo "Probe run wall time per topology (median of $REPEAT; v1 = $V1_COMMIT with DNS 5000 / HTTP 10000 ms, v2 = defaults)"
printf '%-16s | %6s | %6s | %5s | %-38s | %s\n' topology "v1 s" "v2 s" ratio "v1 verdict" "v2 verdict"
printf '%s\n' "-----------------+--------+--------+-------+----------------------------------------+---------------------------"
for r in "${ROWS[@]}"; do
  IFS='|' read -r t a b q v1v v2v <<<"$r"
  printf '%-16s | %6s | %6s | %5s | %-38s | %s\n' "$t" "$a" "$b" "$q" "$v1v" "$v2v"
done
echo
if [ -z "$WORST_TOPO" ]; then
  echo "worst v2 run: none measured"
  exit 3
fi
verdict=ok
awk -v s="$WORST_S" -v b="$BOUND_S" 'BEGIN { exit !(s > b) }' && verdict=OVER
echo "worst v2 run: $WORST_TOPO ${WORST_S} s (bound ${BOUND_S} s): $verdict"
[ "$FAILED" -eq 0 ] || exit 3
[ "$verdict" = ok ]
