#!/usr/bin/env bash
# Attribution data files over the real collector binary (issue #14 item 9):
# a file that is not whole stops the start naming file and line;
# --allow_partial_data starts anyway and the API and CLI say the data are
# partial; `allocations --country=KE` without an AFRINIC file says so; a
# SIGHUP with a broken file keeps the data in use and says it failed.
set -uo pipefail

COLLECTOR="$1"; CLI="$2"; FIXTURES="$(dirname "$3")"
WORK="$(mktemp -d "${TEST_TMPDIR:-/tmp}/datafiles.XXXXXX")"
SUITE=data_files_test
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

command -v curl >/dev/null ||
  skip_test "attribution data files over HTTP (needs curl: tools/install-deps)"

# Copies, so the SIGHUP case can break them in place.
cp "$FIXTURES"/pfx2as_v4.txt "$FIXTURES"/pfx2as_cut.txt \
  "$FIXTURES"/delegated-apnic-test \
  "$FIXTURES"/delegated-afrinic-wrong-registry-test "$WORK/"
chmod u+w "$WORK"/*

# --- refused starts name the file, the line and why ---------------------------
expect_exit 1 "a pfx2as file cut mid-line stops the start" \
  "$COLLECTOR" --grpc_listen='[::1]:0' --data_dir="$WORK/d0" \
  --pfx2as="$WORK/pfx2as_cut.txt"
check "it names file and line" has "pfx2as_cut.txt:4: last line has no newline" "$OUT"
check "it names the way out" has "allow_partial_data" "$OUT"
expect_exit 1 "a missing --rir path (without --pfx2as) stops the start" \
  "$COLLECTOR" --grpc_listen='[::1]:0' --data_dir="$WORK/d0" \
  --rir="$WORK/no-such-delegated-afrinic-latest"
check "it names the missing path" has "$WORK/no-such-delegated-afrinic-latest" "$OUT"
expect_exit 1 "a missing --as_names path alone stops the start" \
  "$COLLECTOR" --grpc_listen='[::1]:0' --data_dir="$WORK/d0" \
  --as_names="$WORK/no-such-asn.txt"
expect_exit 1 "an RIR file of another registry than its version line stops the start" \
  "$COLLECTOR" --grpc_listen='[::1]:0' --data_dir="$WORK/d0" \
  --rir="$WORK/delegated-apnic-test,$WORK/delegated-afrinic-wrong-registry-test"
check "it names file, line and both registries" \
  has "delegated-afrinic-wrong-registry-test:3: record of registry 'afrinic' in a file whose version line names 'apnic'" "$OUT"

# start_collector NAME FLAGS...: a collector on loopback, port 0; sets
# ADDR, HTTP and CPID.
start_collector() {
  local name="$1"; shift
  "$COLLECTOR" --grpc_listen='[::1]:0' --data_dir="$WORK/$name" \
    --port_file="$WORK/$name.port" --http_listen='[::1]:0' \
    --http_port_file="$WORK/$name.http_port" "$@" 2>"$WORK/$name.log" &
  CPID=$!; PIDS+=("$CPID")
  check "collector $name starts" wait_for "$WORK/$name.log" 'event=collector.started'
  # The port files are written just after that log line.
  wait_for "$WORK/$name.port" '[0-9]' && wait_for "$WORK/$name.http_port" '[0-9]'
  ADDR="[::1]:$(cat "$WORK/$name.port")"
  HTTP="http://[::1]:$(cat "$WORK/$name.http_port")"
}
stop_collector() {
  kill -TERM "$CPID"; wait "$CPID"
}

# --- --allow_partial_data: starts, loudly, and every answer says partial -------
start_collector partial --allow_partial_data \
  --pfx2as="$WORK/pfx2as_cut.txt" --rir="$WORK/delegated-apnic-test"
check "the partial file is logged at error" \
  grep -q 'level=error .*event=enrich.dataset_partial .*pfx2as_cut.txt:4' "$WORK/partial.log"
expect_exit 0 "cli allocations --country=KE" "$CLI" --collector="$ADDR" allocations --country=KE
check "KE without an AFRINIC file: says so, no empty table" \
  [ "$(head -n 1 <<<"$OUT")" = "no AFRINIC data loaded" ]
check "and that the data are incomplete" has "^attribution data incomplete$" "$OUT"
expect_exit 0 "cli allocations --country=CN" "$CLI" --collector="$ADDR" allocations --country=CN
check "CN has its table" has "^CN " "$OUT"
check "and the note that data are incomplete" has "note: attribution data incomplete" "$OUT"
BODY="$(curl -sS "$HTTP/api/v1/allocations?country=KE")"
check "HTTP allocations say no AFRINIC data" has "no AFRINIC data loaded" "$BODY"
check "HTTP allocations say partial" has '"partial": *true' "$BODY"
check "HTTP allocations name the partial file" has "pfx2as_cut.txt" "$BODY"
check "the dataset version marks the partial file" has "partial=pfx2as_cut.txt" "$BODY"
check "HTTP allocations list the registries loaded" has '"apnic"' "$BODY"
BODY="$(curl -sS "$HTTP/api/v1/aggregates")"
check "HTTP aggregates say partial" has '"partial": *true' "$BODY"
stop_collector

# --- SIGHUP with a broken file keeps the data in use ----------------------------
start_collector reload --pfx2as="$WORK/pfx2as_v4.txt" --rir="$WORK/delegated-apnic-test"
cp "$WORK/pfx2as_cut.txt" "$WORK/pfx2as_v4.txt"
kill -HUP "$CPID"
check "a failed reload is logged at error with the reason" \
  wait_for "$WORK/reload.log" 'level=error .*event=attribution.reload_failed .*pfx2as_v4.txt:4'
METRICS="$(curl -sS "$HTTP/metrics")"
check "the metric says the last reload failed" \
  has '^v6scope_collector_attribution_last_reload_success 0' "$METRICS"
expect_exit 0 "cli allocations --country=CN after the failed reload" \
  "$CLI" --collector="$ADDR" allocations --country=CN
check "the old data stay in use" has "^CN " "$OUT"
check "and are not marked partial" bash -c "! grep -q 'note:' <<<\"\$0\"" "$OUT"
cp "$FIXTURES/pfx2as_v4.txt" "$WORK/pfx2as_v4.txt"
kill -HUP "$CPID"
check "a good reload follows" wait_for "$WORK/reload.log" 'event=attribution.reloaded'
check "the metric says the last reload succeeded" \
  has '^v6scope_collector_attribution_last_reload_success 1' "$(curl -sS "$HTTP/metrics")"
stop_collector
finish
