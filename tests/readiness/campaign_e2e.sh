#!/usr/bin/env bash
# Issue 16 end to end: a campaign created on the collector, assigned to two
# probes -- dual-stack (namespace cli) and IPv6-only behind NAT64 + DNS64
# (namespace cli6) -- run, stored, exported, and every domain's web, DNS and
# mail verdict equal to the readiness bed's truth table (truth.json) for
# each vantage (docs/readiness-bed.md, docs/methodology.md §13.6a).
#
#   campaign_e2e.sh [--all] [--keep]   (the Bazel test: no arguments)
#
# Steps: bed up (bed.sh); v6scope-collector in `cli` (embedded SQLite in a
# temporary state dir, TLS from the bed's test CA, campaign_poll_seconds
# small through its config file); two probes enrolled (each its own state
# dir, the bed's resolver -- unbound for cli, the DNS64 unbound for cli6 --
# and the test CA as settings.targets.ca_file; a small target set on the
# bed's own hosts, no --loopback_targets); `v6scope campaign create` over
# a sample (>= 300 domains, every case; --all: all ~2,100) selecting both
# probe ids, domains_per_day high, concurrency 32; wait (bounded) until
# `v6scope campaign progress` shows every domain stored for both; export
# `v6scope campaign results <id> --format=jsonl` (StoredDomainResult in
# proto JSON) and compare, printing a per-case table of mismatches.
#
# Binaries: $V6SCOPE_BIN_DIR, else the runfiles, else bazel-bin of the
# source tree. Needs root and what bed.sh needs; skips, saying why,
# without them. Exclusive: the bed's namespaces are machine-wide.
set -uo pipefail
export PATH="/usr/sbin:/sbin:/usr/bin:/bin:${PATH:-}"
export LC_ALL=C

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SRC="$(dirname "$(readlink -f "$HERE/gen.py")")"
BED="$HERE/bed.sh"
ALL=0 KEEP=0
SAMPLE=320
WAIT_SECONDS="${V6SCOPE_E2E_WAIT_SECONDS:-900}"
COLLECTOR_PORT=7443
CLI_V4=11.1.0.2 CLI_V6=2d00:1::2
COLLECTOR_ADDR="[$CLI_V6]:$COLLECTOR_PORT"
RES_V4=11.3.0.53 RES64_V6=2d00:3::64

log() { printf '[%s] e2e: %s\n' "$(date +%T)" "$*" >&2; }
now() { date +%s; }

find_bin() {  # find_bin NAME: the binary's path, or nothing
  local name="$1" d
  for d in "${V6SCOPE_BIN_DIR:-}" "${RUNFILES_DIR:-}/v6scope/$2" \
    "${TEST_SRCDIR:-}/v6scope/$2" "$SRC/../../bazel-bin/$2"; do
    [ -n "$d" ] && [ -x "$d/$name" ] && { echo "$d/$name"; return; }
  done
}

find_bins() {  # in the main shell (why_not_runnable runs in a subshell)
  COLLECTOR_BIN="$(find_bin v6scope-collector collector)"
  PROBE_BIN="$(find_bin v6scope-probe probe)"
  CLI_BIN="$(find_bin v6scope cli)"
}

why_not_runnable() {
  [ "$(id -u)" -eq 0 ] || { echo "needs root (network namespaces)"; return; }
  local r
  r="$("$BED" preflight 2>&1)" || { echo "the bed cannot run: $r"; return; }
  [ -n "$COLLECTOR_BIN" ] && [ -n "$PROBE_BIN" ] && [ -n "$CLI_BIN" ] ||
    { echo "binaries not built (bazel build //collector:v6scope-collector //probe:v6scope-probe //cli:v6scope)"; return; }
  command -v openssl >/dev/null || { echo "needs openssl"; return; }
}

junit() {  # junit STATUS MESSAGE: one test case (skip, ok or failure)
  [ -n "${XML_OUTPUT_FILE:-}" ] || return 0
  local body=""
  case "$1" in
    skip) body="<skipped message=\"$2\"/>" ;;
    fail) body="<failure message=\"$(sed 's/&/\&amp;/g; s/</\&lt;/g; s/"/\&quot;/g' <<<"$2")\"/>" ;;
  esac
  printf '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="readiness.campaign_e2e" tests="1" failures="%d" skipped="%d"><testcase classname="readiness.campaign_e2e" name="campaign end to end" time="0">%s</testcase></testsuite></testsuites>\n' \
    "$([ "$1" = fail ] && echo 1 || echo 0)" "$([ "$1" = skip ] && echo 1 || echo 0)" "$body" \
    >"$XML_OUTPUT_FILE"
}

# --- processes we start (killed by pid at exit) ------------------------------------
PIDS=()
MAIN_PID=$$
cleanup() {
  # Only the script itself: a background subshell that exits must not
  # take the bed down under it.
  [ "$BASHPID" = "$MAIN_PID" ] || return 0
  local p
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
  sleep 1
  for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
  if [ "$KEEP" -eq 0 ]; then
    "$BED" down >/dev/null 2>&1
    rm -rf "$WORK"
  else
    log "kept: $WORK (bed.sh down removes the bed)"
  fi
}

ns() { echo "${BED_NS:-v6r}-$1"; }
in_ns() { local n; n="$(ns "$1")"; shift; ip netns exec "$n" "$@"; }

# --- steps -------------------------------------------------------------------------
collector_tls() {  # a server certificate from the bed's test CA
  local c="$BED_DIR/certs"
  printf 'basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:%s,IP:%s\n' \
    "$CLI_V4" "$CLI_V6" >"$WORK/collector.ext" &&
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
      -keyout "$WORK/collector.key" -out "$WORK/collector.csr" -subj "/CN=v6scope e2e collector" &&
    openssl x509 -req -in "$WORK/collector.csr" -CA "$c/ca.pem" -CAkey "$c/ca.key" \
      -set_serial "0x$(openssl rand -hex 8)" -days 2 -extfile "$WORK/collector.ext" \
      -out "$WORK/collector.pem"
} >"$WORK/openssl.log" 2>&1

start_collector() {
  mkdir -p "$WORK/collector" && chmod 700 "$WORK/collector" || return 1
  # campaign_poll_seconds: the collector option for tests (SPEC16C): the
  # probes are told to poll sooner than every 300 s (the probe keeps
  # at least 60 s between polls).
  cat >"$WORK/collector.textproto" <<EOF
grpc_listen: "[::]:$COLLECTOR_PORT"
data_dir: "$WORK/collector"
min_probes: 1
campaign_poll_seconds: 5
EOF
  in_ns cli "$COLLECTOR_BIN" --config="$WORK/collector.textproto" \
    --tls_cert="$WORK/collector.pem" --tls_key="$WORK/collector.key" \
    --port_file="$WORK/collector.port" >"$WORK/collector.log" 2>&1 </dev/null &
  PIDS+=($!)
  local deadline=$(($(now) + 30))
  until [ -s "$WORK/collector.port" ] && [ -s "$WORK/collector/admin.secret" ]; do
    kill -0 "${PIDS[-1]}" 2>/dev/null || { log "collector exited: $(tail -3 "$WORK/collector.log")"; return 1; }
    [ "$(now)" -lt "$deadline" ] || { log "collector not up after 30s"; return 1; }
    sleep 0.2
  done
}

admin() {  # the CLI as admin, from cli, over TLS
  in_ns cli "$CLI_BIN" --collector="$COLLECTOR_ADDR" --ca_file="$BED_DIR/certs/ca.pem" \
    --admin_secret_file="$WORK/collector/admin.secret" "$@"
}

# probe_files VANTAGE RESOLVER: the probe's settings and a target set on the
# bed's own hosts (a serving and an IPv4-only site), so capability runs have
# something real to measure; the CA is the bed's.
probe_files() {
  local v="$1" resolver="$2" ds v4
  ds="$(python3 - "$BED_DIR/truth.json" serving <<'EOF'
import json, sys
t = json.load(open(sys.argv[1]))
print(next("www." + d["domain"] for d in t["domains"]
           if d["cases"]["web"] == sys.argv[2] and d["cases"]["dns"] not in ("lame", "nxdomain")))
EOF
)"
  v4="$(python3 - "$BED_DIR/truth.json" no_aaaa <<'EOF'
import json, sys
t = json.load(open(sys.argv[1]))
print(next("www." + d["domain"] for d in t["domains"]
           if d["cases"]["web"] == sys.argv[2] and d["cases"]["dns"] not in ("lame", "nxdomain")))
EOF
)"
  mkdir -p "$WORK/probe-$v" && chmod 700 "$WORK/probe-$v" || return 1
  cat >"$WORK/probe-$v.textproto" <<EOF
settings {
  resolver: "$resolver"
  targets {
    name: "readiness bed ($v)"
    dual_stack_host: "$ds"
    v4_only_host: "$v4"
    v6_only_host: "$ds"
    scheme: "https"
    port: 443
    whoami_path: "/"
    small_path: "/"
    large_path: "/"
    ca_file: "$BED_DIR/certs/ca.pem"
  }
}
campaigns {
  max_domains_per_day: 100000
  max_bytes_per_day: 10737418240
  max_concurrency: 32
}
EOF
}

enrol() {  # enrol VANTAGE: prints the probe id
  local v="$1" token out
  token="$(admin --org="e2e-$v" --expires=1h --format=csv admin token create 2>>"$WORK/cli.log" |
    sed -n 2p | cut -d, -f1)"
  [ -n "$token" ] || { log "no enrolment token (see $WORK/cli.log)"; return 1; }
  out="$(in_ns "$v" "$PROBE_BIN" enrol --state_dir="$WORK/probe-$v" \
    --collector="$COLLECTOR_ADDR" --ca_file="$BED_DIR/certs/ca.pem" \
    --token="$token" 2>>"$WORK/probe-$v.log")" ||
    { log "enrol $v failed: $(tail -2 "$WORK/probe-$v.log")"; return 1; }
  sed -n 's/^enrolled as \(p-[0-9a-f]*\) .*/\1/p' <<<"$out"
}

start_probe() {  # start_probe VANTAGE
  local v="$1"
  in_ns "$v" "$PROBE_BIN" daemon --state_dir="$WORK/probe-$v" \
    --config="$WORK/probe-$v.textproto" --collector="$COLLECTOR_ADDR" \
    --ca_file="$BED_DIR/certs/ca.pem" --interval=1h --metrics_listen= \
    >>"$WORK/probe-$v.log" 2>&1 </dev/null &
  PIDS+=($!)
}

# The domains: a sample of every case (>= 300), or all.
domain_list() {
  python3 - "$BED_DIR/truth.json" "$ALL" "$SAMPLE" >"$WORK/domains.txt" <<'EOF'
import json, random, sys, collections
t = json.load(open(sys.argv[1]))
doms = t["domains"]
if sys.argv[2] != "1":
    rng = random.Random("e2e")
    pool = list(doms)
    rng.shuffle(pool)
    picked, count = [], collections.Counter()
    for d in pool:
        keys = [(s, d["cases"][s]) for s in ("web", "dns", "mail")]
        if any(count[k] < 3 for k in keys):
            picked.append(d)
            count.update(keys)
    rest = [d for d in pool if d not in picked]
    doms = picked + rest[:max(0, int(sys.argv[3]) - len(picked))]
for d in doms:
    print(d["domain"])
EOF
}

create_campaign() {  # prints the campaign id
  local out
  out="$(admin --name="e2e readiness bed" --list="$WORK/domains.txt" --list_format=text \
    --default_sector=government --probe_ids="$1,$2" --domains_per_day=100000 \
    --bytes_per_day=10G --concurrency=32 --created_by=campaign_e2e --format=csv campaign create 2>>"$WORK/cli.log")" ||
    { log "campaign create failed: $(tail -3 "$WORK/cli.log")"; return 1; }
  grep -o 'c-[0-9a-f]\+' <<<"$out" | head -1
}

# Every domain stored for both probes (campaign progress, csv: a row per
# probe with its stored count; the header names the columns).
all_stored() {
  local want="$1" out
  out="$(admin --format=csv campaign progress "$CAMPAIGN" 2>>"$WORK/cli.log")" || return 1
  echo "$out" >"$WORK/progress.csv"
  python3 - "$want" "$PROBE4" "$PROBE6" "$WORK/progress.csv" <<'EOF'
import csv, sys
want, probes = int(sys.argv[1]), set(sys.argv[2:4])
rows = list(csv.DictReader(open(sys.argv[4])))
col = next((c for c in (rows[0].keys() if rows else []) if c.lower().startswith("stored")), None)
done = {r.get("probe_id") or r.get("probe") for r in rows
        if col and r.get(col, "").isdigit() and int(r[col]) >= want}
sys.exit(0 if probes <= done else 1)
EOF
}

compare() {  # the export against truth.json, per vantage
  admin --format=jsonl campaign results "$CAMPAIGN" >"$WORK/results.jsonl" 2>>"$WORK/cli.log" ||
    { log "campaign results failed: $(tail -3 "$WORK/cli.log")"; return 1; }
  python3 - "$BED_DIR/truth.json" "$WORK/results.jsonl" "$WORK/domains.txt" \
    "cli=$PROBE4" "cli6=$PROBE6" <<'EOF'
import collections, json, sys
truth = json.load(open(sys.argv[1]))
expect = {d["domain"]: d for d in truth["domains"]}
wanted = [l.strip() for l in open(sys.argv[3]) if l.strip()]
vantage = dict(a.split("=", 1)[::-1] for a in sys.argv[4:])  # probe id -> vantage
got = {}
for line in open(sys.argv[2]):
    r = json.loads(line)
    pid = r.get("probe_id") or r.get("probeId")
    c = r.get("check", {})
    got[(vantage.get(pid), c.get("domain"))] = c.get("verdict", {})
bad = collections.Counter()
total = collections.Counter()
lines = []
for v in ("cli", "cli6"):
    differs = truth.get("vantages", {}).get(v, {}).get("differs", {})
    for name in wanted:
        d = expect[name]
        verdict = got.get((v, name))
        for s in ("web", "dns", "mail"):
            key = (v, s, d["cases"][s])
            total[key] += 1
            want = d["expect"][s]
            have = (verdict or {}).get(s, "SERVICE_STATE_UNSPECIFIED") if verdict is not None else "MISSING"
            if have != want and "%s %s" % (s, d["cases"][s]) not in differs:
                bad[key] += 1
                if len(lines) < 40:
                    lines.append("  %s %s %s: truth %s, probe %s" % (v, name, s, want, have))
print("%-6s %-5s %-18s %8s %10s" % ("vantage", "svc", "case", "domains", "mismatch"))
for key in sorted(total):
    print("%-6s %-5s %-18s %8d %10d%s" % (key + (total[key], bad[key], "  <--" if bad[key] else "")))
for l in lines:
    print(l)
n = sum(bad.values())
print("%d of %d verdicts differ from truth.json" % (n, sum(total.values())))
sys.exit(1 if n else 0)
EOF
}

main() {
  local a
  for a in "$@"; do
    case "$a" in
      --all) ALL=1 ;;
      --keep) KEEP=1 ;;
      *) echo "usage: campaign_e2e.sh [--all] [--keep]" >&2; return 2 ;;
    esac
  done
  local reason
  find_bins
  reason="$(why_not_runnable)"
  if [ -n "$reason" ]; then
    echo "SKIPPED: campaign end to end: $reason"
    junit skip "$reason"
    return 0
  fi
  WORK="$(mktemp -d "${TEST_TMPDIR:-/tmp}/v6scope-e2e.XXXXXX")"
  BED_DIR="$WORK/bed"
  export V6SCOPE_READINESS_DIR="$BED_DIR"
  # This run's own namespaces (v6e<pid>-cli, ...): a bed another run left
  # behind (killed before its cleanup) does not stand in the way.
  BED_NS="v6e$$"
  export V6SCOPE_READINESS_NS="$BED_NS"
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  local t0 n
  t0="$(now)"
  "$BED" up || { junit fail "bed up failed"; return 1; }
  collector_tls || { log "certificate: $(tail -2 "$WORK/openssl.log")"; return 1; }
  start_collector || { junit fail "collector did not start"; return 1; }
  log "collector up at $COLLECTOR_ADDR"
  probe_files cli "$RES_V4" && probe_files cli6 "$RES64_V6" || return 1
  PROBE4="$(enrol cli)" && PROBE6="$(enrol cli6)" && [ -n "$PROBE4" ] && [ -n "$PROBE6" ] ||
    { junit fail "enrolment failed"; return 1; }
  log "enrolled $PROBE4 (cli, dual-stack) and $PROBE6 (cli6, IPv6-only + NAT64)"
  start_probe cli && start_probe cli6
  domain_list || return 1
  n="$(wc -l <"$WORK/domains.txt")"
  CAMPAIGN="$(create_campaign "$PROBE4" "$PROBE6")"
  [ -n "$CAMPAIGN" ] || { junit fail "campaign create failed"; return 1; }
  log "campaign $CAMPAIGN over $n domains"
  local deadline=$(($(now) + WAIT_SECONDS))
  until all_stored "$n"; do
    [ "$(now)" -lt "$deadline" ] ||
      { log "not every domain stored after ${WAIT_SECONDS}s: $(cat "$WORK/progress.csv" 2>/dev/null)"
        junit fail "campaign did not finish in ${WAIT_SECONDS}s"; return 1; }
    sleep 5
  done
  log "every domain stored for both probes after $(($(now) - t0))s"
  if compare; then
    junit ok ""
    return 0
  fi
  junit fail "verdicts differ from truth.json (see the test log)"
  return 1
}

# V6SCOPE_E2E_SOURCE_ONLY=1: define the steps only (to run them by hand).
[ "${V6SCOPE_E2E_SOURCE_ONLY:-0}" = 1 ] || main "$@"
