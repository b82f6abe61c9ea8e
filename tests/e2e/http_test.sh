#!/usr/bin/env bash
# The collector's HTTP listener over the real binary, attacked as in issue
# #14: idle connections, Range amplification, ambiguous request framing,
# pipelining, static files escaping the dashboard directory (checks in
# http_checks.py); then /readyz failing (disk floor) with an error id whose
# details are only in the log.
set -uo pipefail

COLLECTOR="$1"; CHECKS="$2"
WORK="$(mktemp -d "${TEST_TMPDIR:-/tmp}/http.XXXXXX")"
SUITE=http_test
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip_test "python3 is not installed"

# A dashboard directory with a symlink pointing out of it.
mkdir -p "$WORK/dist"
echo '<html>dashboard</html>' >"$WORK/dist/index.html"
echo 'plain text' >"$WORK/dist/a.txt"
echo 'top secret' >"$WORK/secret"
ln -s "$WORK/secret" "$WORK/dist/leak"

start_collector() {  # start_collector NAME [flags...]: port in $HTTP_PORT
  local name="$1"; shift
  "$COLLECTOR" --grpc_listen='127.0.0.1:0' --data_dir="$WORK/$name" \
    --http_listen='127.0.0.1:0' --http_port_file="$WORK/$name.port" \
    --dashboard_dir="$WORK/dist" "$@" >/dev/null 2>"$WORK/$name.log" &
  PIDS+=("$!")
  wait_for "$WORK/$name.log" 'event=collector.started' 20 || return 1
  HTTP_PORT="$(cat "$WORK/$name.port")"
}

# Not under check: its $(...) would keep the collector's PID and port.
if start_collector main; then pass "collector starts"; else
  fail "collector starts"; tail -n 20 "$WORK/main.log"; finish; exit 1; fi
while IFS= read -r line; do
  case "$line" in
    ok:*) pass "${line#ok: }" ;;
    FAIL:*) fail "${line#FAIL: }" ;;
    *) echo "$line" ;;
  esac
done < <(python3 "$CHECKS" "$HTTP_PORT" 2>&1)
check "the collector is still alive" kill -0 "${PIDS[0]}"

# /readyz with the disk floor above any disk: 503, a short reason and an
# error id; the path and the numbers only in the log line with that id.
if start_collector floor --min_free_disk_mb=999999999999; then
  pass "collector with a huge disk floor starts"; else
  fail "collector with a huge disk floor starts"; tail -n 20 "$WORK/floor.log"; fi
READY="$(curl -s -w '\n%{http_code}' "http://127.0.0.1:$HTTP_PORT/readyz")"
check "/readyz is 503 when the disk is below the floor" has '^503$' "$READY"
check "/readyz says which check failed" has 'not ready: disk' "$READY"
ID="$(grep -o 'error id [0-9a-f]\{12\}' <<<"$READY" | cut -d' ' -f3)"
check "/readyz gives an error id" [ -n "$ID" ]
check "/readyz does not show the data directory" bash -c \
  "! grep -q '$WORK' <<<'$READY'"
check "the log line with the id has the details" \
  grep -q "event=http.not_ready id=$ID .*$WORK/floor" "$WORK/floor.log"
HEALTH="$(curl -s "http://127.0.0.1:$HTTP_PORT/healthz")"
check "/healthz is still ok (alive, not ready)" [ "$HEALTH" = ok ]

finish
