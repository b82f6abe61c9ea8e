#!/usr/bin/env bash
# "Never lose a result", end to end with real processes on loopback: the
# probe's spool and upload stream against collectors that are killed,
# restarted and absent; probes killed while writing; quota drops counted at
# the collector; a corrupted spool segment; failover between collectors.
set -uo pipefail

COLLECTOR="$1"; PROBE="$2"; CLI="$3"
WORK="$(mktemp -d "${TEST_TMPDIR:-/tmp}/delivery.XXXXXX")"
SUITE=delivery_test
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

HTTP_PORT=""   # The built-in targets of the first collector.
# start_collector NAME DATA_DIR [PORT]: starts one, sets ${NAME}_PID/_ADDR.
start_collector() {
  local name="$1" dir="$2" port="${3:-0}"
  rm -f "$WORK/$name.port" "$WORK/$name.http"
  "$COLLECTOR" --grpc_listen="[::1]:$port" --data_dir="$dir" \
    --port_file="$WORK/$name.port" --http_listen='[::1]:0' \
    --http_port_file="$WORK/$name.http" 2>>"$WORK/$name.log" &
  local pid=$!
  PIDS+=("$pid")
  printf -v "${name}_PID" '%s' "$pid"
  for _ in $(seq 1 200); do [ -s "$WORK/$name.port" ] && break; sleep 0.05; done
  printf -v "${name}_ADDR" '%s' "[::1]:$(cat "$WORK/$name.port")"
  for _ in $(seq 1 200); do [ -s "$WORK/$name.http" ] && break; sleep 0.05; done
  [ -n "$HTTP_PORT" ] || HTTP_PORT="$(cat "$WORK/$name.http")"
}

# stored_seqs ADDR PROBE_ID: the stored sequence numbers, sorted.
stored_seqs() {
  "$CLI" --collector="$1" --format=csv --limit=100000 --probe="$2" runs |
    tail -n +2 | cut -d, -f2 | sort -n
}

# enrol STATE_DIR ADDR ADMIN_SECRET_FILE: prints the probe id.
enrol() {
  local token
  token="$("$CLI" --collector="$2" --admin_secret_file="$3" --org=delivery \
    --format=csv admin token create | sed -n 2p | cut -d, -f1)"
  "$PROBE" enrol --state_dir="$1" --collector="$2" --token="$token" 2>/dev/null |
    sed -n 's/^enrolled as \(p-[0-9a-f]*\) .*/\1/p'
}

start_collector A "$WORK/a"
TARGETS="--loopback_targets=$HTTP_PORT"
# Fast runs and fast retries: the schedule and back-off are what is tested,
# in seconds rather than hours.
FAST=(--interval=100ms --spread=0 --retry_base=100ms --retry_max=400ms
  --metrics_listen=127.0.0.1:0)

# --- 1. Collector down for many runs: the spool grows, then drains ---------
P1="$(enrol "$WORK/p1" "$A_ADDR" "$WORK/a/admin.secret")"
check "probe 1 enrolled" [ -n "$P1" ]
kill -KILL "$A_PID"; wait "$A_PID" 2>/dev/null
"$PROBE" daemon --state_dir="$WORK/p1" "$TARGETS" "${FAST[@]}" \
  --max_runs=15 --final_drain=60s 2>"$WORK/p1.log" &
P1_PID=$!; PIDS+=("$P1_PID")
check "runs spool while the collector is down" \
  wait_for "$WORK/p1.log" 'event=run.spooled seq=15 pending=15' 30
check "uploads are retried with back-off" grep -q 'event=drain.retry_later' "$WORK/p1.log"
mport="$(sed -n 's/.*event=metrics.listening .*port=\([0-9]*\).*/\1/p' "$WORK/p1.log")"
scrape="$(curl -s "http://127.0.0.1:$mport/metrics")"
pending="$(sed -n 's/^v6scope_probe_spool_pending_runs //p' <<<"$scrape")"
check "probe /metrics shows the spool backlog ($pending)" \
  test "${pending:-0}" -ge 1
check "probe /metrics counts failed uploads" \
  has "^v6scope_probe_upload_failures_total [1-9]" "$scrape"
check "probe /metrics counts failures by class" \
  has 'v6scope_probe_tests_total{kind="HTTP_V6_ONLY",outcome="CONNECTION_REFUSED"}' "$scrape"
start_collector A "$WORK/a" "${A_ADDR##*:}"
wait "$P1_PID"; code=$?
check "daemon drains and exits 0 once the collector is back" [ "$code" -eq 0 ]
check "all 15 runs stored exactly once" \
  [ "$(stored_seqs "$A_ADDR" "$P1" | tr '\n' ' ')" = "$(seq -s ' ' 1 15) " ]
check "the spool is empty afterwards" grep -q 'event=daemon.stopped runs=15 pending=0' "$WORK/p1.log"

# --- 2. Collector SIGKILLed mid-stream and restarted: exactly once ----------
P2="$(enrol "$WORK/p2" "$A_ADDR" "$WORK/a/admin.secret")"
"$PROBE" daemon --state_dir="$WORK/p2" "$TARGETS" "${FAST[@]}" \
  --interval=20ms --max_runs=60 --final_drain=60s 2>"$WORK/p2.log" &
P2_PID=$!; PIDS+=("$P2_PID")
for round in 1 2 3; do
  wait_for "$WORK/p2.log" "event=run.spooled seq=$((round * 15)) " 30
  kill -KILL "$A_PID"; wait "$A_PID" 2>/dev/null
  start_collector A "$WORK/a" "${A_ADDR##*:}"
done
wait "$P2_PID"; code=$?
check "daemon survives three collector kills and exits 0" [ "$code" -eq 0 ]
check "60 runs stored exactly once across collector kills" \
  [ "$(stored_seqs "$A_ADDR" "$P2" | tr '\n' ' ')" = "$(seq -s ' ' 1 60) " ]

# --- 3. Probe SIGKILLed while spooling, restarted: nothing taken is lost ----
P3="$(enrol "$WORK/p3" "$A_ADDR" "$WORK/a/admin.secret")"
kill -KILL "$A_PID"; wait "$A_PID" 2>/dev/null   # Keep runs in the spool.
for attempt in 1 2 3; do
  "$PROBE" daemon --state_dir="$WORK/p3" "$TARGETS" "${FAST[@]}" \
    --interval=10ms 2>>"$WORK/p3.log" &
  pid=$!; PIDS+=("$pid")
  wait_for "$WORK/p3.log" "event=run.spooled seq=$((attempt * 10)) " 30
  kill -KILL "$pid"; wait "$pid" 2>/dev/null
done
start_collector A "$WORK/a" "${A_ADDR##*:}"
"$PROBE" daemon --state_dir="$WORK/p3" "$TARGETS" "${FAST[@]}" \
  --max_runs=1 --final_drain=60s 2>>"$WORK/p3.log"
taken="$(grep -o 'event=run.spooled seq=[0-9]*' "$WORK/p3.log" | cut -d= -f3 | sort -n | uniq)"
stored="$(stored_seqs "$A_ADDR" "$P3")"
check "every run the killed probe had taken is stored" \
  [ -z "$(comm -23 <(echo "$taken") <(echo "$stored"))" ]
check "no run is stored twice" [ -z "$(echo "$stored" | uniq -d)" ]
# Each kill may land between reserving a sequence number and spooling the
# run: that number is skipped (a gap, not a loss: the run was never taken).
ntaken="$(echo "$taken" | wc -l)"
check "at least 28 of 31 sequence numbers taken across 3 kills ($ntaken)" \
  [ "$ntaken" -ge 28 ]

# --- 4. Quota: oldest dropped, the count reaches the collector --------------
P4="$(enrol "$WORK/p4" "$A_ADDR" "$WORK/a/admin.secret")"
kill -KILL "$A_PID"; wait "$A_PID" 2>/dev/null
"$PROBE" daemon --state_dir="$WORK/p4" "$TARGETS" "${FAST[@]}" --interval=5ms \
  --spool_max_bytes=65536 --max_runs=120 --final_drain=0s 2>"$WORK/p4.log"
dropped="$(grep -o 'dropped_total=[0-9]*' "$WORK/p4.log" | tail -1 | cut -d= -f2)"
check "the spool quota dropped runs" [ "${dropped:-0}" -gt 0 ]
check "drops are logged with the file" grep -q 'event=spool.quota_dropped file=' "$WORK/p4.log"
start_collector A "$WORK/a" "${A_ADDR##*:}"
"$PROBE" daemon --state_dir="$WORK/p4" "$TARGETS" "${FAST[@]}" \
  --max_runs=1 --final_drain=60s 2>>"$WORK/p4.log"
reported="$("$CLI" --collector="$A_ADDR" --format=csv probes |
  grep "^$P4," | cut -d, -f6)"
check "the collector knows how many runs were dropped ($dropped)" \
  [ "$reported" = "$dropped" ]
scraped="$(curl -s "http://[::1]:$(cat "$WORK/A.http")/metrics" |
  sed -n 's/^v6scope_collector_probe_dropped_runs_total //p')"
check "the drops show in the collector's /metrics ($scraped)" \
  [ "$scraped" = "$dropped" ]
kept="$(stored_seqs "$A_ADDR" "$P4" | wc -l)"
check "kept + dropped = all 121 runs" [ $((kept + dropped)) -eq 121 ]

# --- 5. A corrupted spool segment: skipped with file and offset -------------
P5="$(enrol "$WORK/p5" "$A_ADDR" "$WORK/a/admin.secret")"
kill -KILL "$A_PID"; wait "$A_PID" 2>/dev/null
"$PROBE" daemon --state_dir="$WORK/p5" "$TARGETS" "${FAST[@]}" --interval=5ms \
  --max_runs=20 --final_drain=0s 2>"$WORK/p5.log"
seg="$(ls "$WORK/p5/spool/"*.seg | head -1)"
size="$(stat -c %s "$seg")"
# Overwrite 64 bytes in the middle of the segment.
head -c 64 /dev/urandom | dd of="$seg" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
start_collector A "$WORK/a" "${A_ADDR##*:}"
"$PROBE" daemon --state_dir="$WORK/p5" "$TARGETS" "${FAST[@]}" \
  --max_runs=1 --final_drain=60s 2>>"$WORK/p5.log"
check "corruption logged with the segment file" \
  grep -q "event=spool.corrupt_skipped.*$(basename "$seg")" "$WORK/p5.log"
check "corruption logged with the byte offset" \
  grep -q 'event=spool.corrupt_skipped.*offset=[0-9]' "$WORK/p5.log"
n="$(stored_seqs "$A_ADDR" "$P5" | wc -l)"
check "intact records delivered (18..20 of 21 after losing 1-2)" \
  test "$n" -ge 18 -a "$n" -le 20
check "the run taken after the corruption is delivered" \
  grep -qx 21 <(stored_seqs "$A_ADDR" "$P5")

# --- 6. Failover: the first collector down, results reach the second -------
# Two collector processes on one SQLite database (WAL allows it on one
# host), as two collectors share PostgreSQL in a deployment.
start_collector B "$WORK/a"
P6="$(enrol "$WORK/p6" "$A_ADDR" "$WORK/a/admin.secret")"
kill -KILL "$A_PID"; wait "$A_PID" 2>/dev/null
"$PROBE" daemon --state_dir="$WORK/p6" "$TARGETS" "${FAST[@]}" \
  --collector="$A_ADDR,$B_ADDR" --max_runs=3 --final_drain=30s 2>"$WORK/p6.log"
check "with the first collector down, all runs reach the second" \
  [ "$(stored_seqs "$B_ADDR" "$P6" | tr '\n' ' ')" = "1 2 3 " ]
check "the upload log names the second collector" \
  grep -qF "event=upload.done collector=$B_ADDR" "$WORK/p6.log"

finish
