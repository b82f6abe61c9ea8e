#!/usr/bin/env bash
# The real /metrics of both daemons (issue #18): a collector on port 0 with
# its default SQLite store in a temp dir, a probe daemon enrolled to it
# with its metrics listener, one upload through. Then:
#   - `promtool check metrics` is clean on both (types, _total, HELP);
#   - values at full precision: timestamps within seconds of now (not
#     rounded to 6 digits, ~10,000 s), no exponent notation;
#   - the fleet gauge has the probe that ran and the one that never did;
#   - `v6scope probes --silent_for=2h` lists only the silent probe, and a
#     malformed duration is refused naming it;
#   - the Grafana dashboard uses only metrics that exist, in valid PromQL;
#   - docs/monitoring.md lists every metric either daemon exports.
set -uo pipefail

COLLECTOR="$1"; PROBE="$2"; CLI="$3"; DASHBOARD="$4"; ALERTS="$5"; CHECK_DASHBOARD="$6"
DOC="$7"
WORK="$(mktemp -d "${TEST_TMPDIR:-/tmp}/metrics.XXXXXX")"
SUITE=metrics_test
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/../e2e/lib.sh"
command -v promtool >/dev/null ||
  skip_test "promtool is not installed (Debian package prometheus; tools/install-deps)"
command -v curl >/dev/null || skip_test "curl is not installed"

# --- a collector and an enrolled probe daemon -----------------------------
printf 'default_interval_seconds: 600\ndefault_spread_seconds: 60\n' \
  >"$WORK/collector.textproto"
"$COLLECTOR" --config="$WORK/collector.textproto" \
  --grpc_listen='127.0.0.1:0' --data_dir="$WORK/data" \
  --port_file="$WORK/port" --http_listen='127.0.0.1:0' \
  --http_port_file="$WORK/http_port" 2>"$WORK/collector.log" &
PIDS+=("$!")
if ! wait_for "$WORK/collector.log" 'event=collector.started' 20; then
  fail "collector starts"; tail -n 20 "$WORK/collector.log"; finish; exit 1
fi
pass "collector starts"
ADDR="127.0.0.1:$(cat "$WORK/port")"
HTTP="http://127.0.0.1:$(cat "$WORK/http_port")"
ADMIN=(--collector="$ADDR" --admin_secret_file="$WORK/data/admin.secret")
token() { "$CLI" "${ADMIN[@]}" --org=mon --format=csv admin token create | sed -n 2p | cut -d, -f1; }
enrol() {  # enrol STATE_DIR: prints the probe id
  "$PROBE" enrol --state_dir="$1" --collector="$ADDR" --token="$(token)" 2>&1 |
    sed -n 's/^enrolled as \(p-[0-9a-f]*\) .*/\1/p'
}
P1="$(enrol "$WORK/probe")"
P2="$(enrol "$WORK/never")"  # Enrolled, never runs: silent.
check "two probes enrolled" [ -n "$P1" ] && [ -n "$P2" ]

"$PROBE" daemon --state_dir="$WORK/probe" \
  --loopback_targets="$(cat "$WORK/http_port")" \
  --metrics_listen='127.0.0.1:0' 2>"$WORK/daemon.log" &
PIDS+=("$!")
check "probe daemon uploads" wait_for "$WORK/daemon.log" 'event=upload.done' 30
PROBE_PORT="$(sed -n 's/.*event=metrics.listening .*port=\([0-9]*\).*/\1/p' "$WORK/daemon.log" | head -1)"
check "probe serves /metrics" [ -n "$PROBE_PORT" ]

curl -sf "$HTTP/metrics" >"$WORK/collector.metrics"
curl -sf "http://127.0.0.1:$PROBE_PORT/metrics" >"$WORK/probe.metrics"
NOW="$(date +%s)"

# --- promtool check metrics -------------------------------------------------
for d in collector probe; do
  OUT="$(promtool check metrics <"$WORK/$d.metrics" 2>&1)"; code=$?
  if [ "$code" -eq 0 ] && [ -z "$OUT" ]; then pass "promtool check metrics: $d"
  else fail "promtool check metrics: $d (exit $code): $OUT"; fi
done

# --- full precision ----------------------------------------------------------
value() { awk -v m="$2" '$1 == m { print $2 }' "$WORK/$1.metrics"; }
near_now() {  # near_now VALUE: within 120 s of now (6 digits: ~10,000 s off)
  awk -v v="$1" -v now="$NOW" 'BEGIN { d = v - now; if (d < 0) d = -d; exit !(v != "" && d < 120) }'
}
ACK="$(value probe v6scope_probe_last_ack_timestamp_seconds)"
check "probe last ack is a full-precision timestamp ($ACK)" near_now "$ACK"
LAST_RUN="$(value collector "v6scope_collector_probe_last_run_timestamp_seconds{probe=\"$P1\",org=\"mon\"}")"
check "collector has the probe's last run, full precision ($LAST_RUN)" near_now "$LAST_RUN"
check "the never-run probe's last run is 0" \
  [ "$(value collector "v6scope_collector_probe_last_run_timestamp_seconds{probe=\"$P2\",org=\"mon\"}")" = 0 ]
check "attribution loaded timestamp present, 0 without data" \
  [ "$(value collector v6scope_collector_attribution_loaded_timestamp_seconds)" = 0 ]
check "spool dropped runs is a counter" \
  grep -qx '# TYPE v6scope_probe_spool_dropped_runs_total counter' "$WORK/probe.metrics"
check "store ready" grep -qx 'v6scope_collector_ready{check="store"} 1' "$WORK/collector.metrics"
for d in collector probe; do
  check "$d: no value in exponent notation" \
    bash -c "! grep -v '^#' '$WORK/$d.metrics' | awk '{print \$NF}' | grep -q 'e[+-]'"
done

# --- v6scope probes --silent_for ---------------------------------------------
expect_exit 0 "probes --silent_for=2h" "$CLI" --collector="$ADDR" --format=csv probes --silent_for=2h
check "silent_for=2h lists the never-run probe" has "^$P2," "$OUT"
check "silent_for=2h leaves out the probe that just ran" bash -c "! grep -q '^$P1,' <<<'$OUT'"
expect_exit 0 "probes without --silent_for" "$CLI" --collector="$ADDR" --format=csv probes
check "without silent_for both are listed" bash -c "grep -q '^$P1,' <<<'$OUT' && grep -q '^$P2,' <<<'$OUT'"
expect_exit 1 "probes --silent_for=2weeks fails" "$CLI" --collector="$ADDR" probes --silent_for=2weeks
check "the refusal names the value" has "silent_for: '2weeks'" "$OUT"
check "HTTP ?silent_for=2h lists the never-run probe" \
  bash -c "curl -sf '$HTTP/api/v1/probes?silent_for=2h' | grep -q '$P2'"

# --- the Grafana dashboard -----------------------------------------------------
while IFS= read -r line; do
  case "$line" in
    ok:*) pass "${line#ok: }" ;;
    FAIL:*) fail "${line#FAIL: }" ;;
    *) echo "$line" ;;
  esac
done < <(python3 "$CHECK_DASHBOARD" "$DASHBOARD" "$ALERTS" "$WORK/dashboard_rules.yml" \
  "$WORK/collector.metrics" "$WORK/probe.metrics" 2>&1)
check "every dashboard expression is valid PromQL" promtool check rules "$WORK/dashboard_rules.yml"

# --- docs/monitoring.md --------------------------------------------------------
undocumented=()
for name in $(sed -n 's/^# TYPE \([^ ]*\) .*/\1/p' "$WORK/collector.metrics" "$WORK/probe.metrics"); do
  grep -q "\`$name\`" "$DOC" || undocumented+=("$name")
done
check "docs/monitoring.md lists every exported metric (missing: ${undocumented[*]:-none})" \
  [ "${#undocumented[@]}" -eq 0 ]

finish
