#!/usr/bin/env bash
# Access over the real binaries (issue #14, problems 5 and 11): read keys
# for QueryService and the HTTP /api/ off loopback (created, used, revoked
# with the CLI), --public_queries, the plaintext warning, a second
# collector on the same gRPC port refused naming the port, owner-only
# modes of the data directory, database and admin secret (also tightened
# on start), and secrets read from files or stdin instead of argv.
set -uo pipefail

COLLECTOR="$1"; PROBE="$2"; CLI="$3"
WORK="$(mktemp -d "${TEST_TMPDIR:-/tmp}/access.XXXXXX")"
SUITE=access_test
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

mode() { stat -c %a "$1"; }

# start NAME EXTRA_FLAGS...: a collector on all interfaces; its ports in
# $WORK/NAME.port and $WORK/NAME.http.
start() {
  local name="$1"; shift
  "$COLLECTOR" --grpc_listen='[::]:0' --http_listen='[::]:0' \
    --data_dir="$WORK/$name" --port_file="$WORK/$name.port" \
    --http_port_file="$WORK/$name.http" "$@" 2>"$WORK/$name.log" &
  PIDS+=("$!")
  wait_for "$WORK/$name.log" 'event=collector.started' ||
    { fail "collector $name started"; tail -n 5 "$WORK/$name.log"; }
}

start c
GRPC="$(cat "$WORK/c.port")"; HTTP="$(cat "$WORK/c.http")"
ADMIN=(--collector="localhost:$GRPC" --admin_secret_file="$WORK/c/admin.secret")

# --- file modes ---------------------------------------------------------------
check "data directory is 0700" [ "$(mode "$WORK/c")" = 700 ]
check "database is 0600" [ "$(mode "$WORK/c/v6scope.db")" = 600 ]
for f in "$WORK/c/v6scope.db-wal" "$WORK/c/v6scope.db-shm"; do
  [ -e "$f" ] && check "$(basename "$f") is 0600" [ "$(mode "$f")" = 600 ]
done
check "admin secret is 0600" [ "$(mode "$WORK/c/admin.secret")" = 600 ]
check "plaintext on all interfaces is warned about (gRPC and HTTP)" \
  bash -c "grep 'event=collector.plaintext' '$WORK/c.log' | grep -q grpc &&
           grep 'event=collector.plaintext' '$WORK/c.log' | grep -q http"

# --- no port sharing ----------------------------------------------------------
expect_exit 1 "a second collector on the same gRPC port exits non-zero" \
  timeout 20 "$COLLECTOR" --grpc_listen="[::]:$GRPC" --data_dir="$WORK/c2"
check "…naming the port" has "port $GRPC" "$OUT"

# --- read keys ----------------------------------------------------------------
KEY_CSV="$("$CLI" "${ADMIN[@]}" --format=csv --name="Ada L" --org=uni-x \
  admin key create | sed -n 2p)"
KEY="$(cut -d, -f1 <<<"$KEY_CSV")"; KEY_ID="$(cut -d, -f2 <<<"$KEY_CSV")"
check "admin key create prints an rk- key and its id" \
  bash -c "[[ '$KEY' =~ ^rk-[0-9a-f]{32}$ && '$KEY_ID' =~ ^k-[0-9a-f]{8}$ ]]"
printf '%s\n' "$KEY" >"$WORK/key"
check "admin key list shows the key id, never the key" \
  bash -c "out=\$('$CLI' ${ADMIN[*]} --format=csv admin key list) &&
           grep -q '$KEY_ID' <<<\"\$out\" && ! grep -q '$KEY' <<<\"\$out\""

status() {  # status URL [CURL_ARGS...]: the HTTP status code
  local url="$1"; shift
  curl -s -o /dev/null -w '%{http_code}' "$@" "$url"
}
check "loopback /api/ needs no key" \
  [ "$(status "http://127.0.0.1:$HTTP/api/v1/probes")" = 200 ]
check "the CLI on the collector's host needs no key" \
  "$CLI" --collector="localhost:$GRPC" probes

OTHER="$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -m1 '^[0-9.]*$' || true)"
if [ -z "$OTHER" ] || [ "${OTHER#127.}" != "$OTHER" ]; then
  skip "read keys off loopback (this machine has no non-loopback IPv4 address)"
else
  API="http://$OTHER:$HTTP/api/v1/probes"
  check "off loopback /api/ without a key is 401" [ "$(status "$API")" = 401 ]
  check "…with a wrong key 401" \
    [ "$(status "$API" -H "Authorization: Bearer rk-0000")" = 401 ]
  check "…with the key 200" \
    [ "$(status "$API" -H "Authorization: Bearer $KEY")" = 200 ]
  REMOTE=(--collector="$OTHER:$GRPC" --insecure_remote)
  expect_exit 1 "off loopback QueryService without a key is refused" \
    "$CLI" "${REMOTE[@]}" probes
  check "…UNAUTHENTICATED" has "UNAUTHENTICATED" "$OUT"
  check "…with --key_file it answers" "$CLI" "${REMOTE[@]}" --key_file="$WORK/key" probes
  check "…with --key_file=- (stdin) it answers" \
    bash -c "'$CLI' ${REMOTE[*]} --key_file=- runs <'$WORK/key'"
  check "…with \$V6SCOPE_KEY it answers" \
    env V6SCOPE_KEY="$KEY" "$CLI" "${REMOTE[@]}" countries
  check "admin key revoke" "$CLI" "${ADMIN[@]}" admin key revoke "$KEY_ID"
  check "a revoked key is 401 on /api/" \
    [ "$(status "$API" -H "Authorization: Bearer $KEY")" = 401 ]
  expect_exit 1 "…and refused by QueryService" \
    "$CLI" "${REMOTE[@]}" --key_file="$WORK/key" probes
  check "…saying it was revoked" has "revoked" "$OUT"

  start pub --public_queries
  PUB_HTTP="$(cat "$WORK/pub.http")"
  check "--public_queries: /api/ off loopback without a key is 200" \
    [ "$(status "http://$OTHER:$PUB_HTTP/api/v1/probes")" = 200 ]
fi

# --- secrets from files or stdin, not argv ----------------------------------
token() {
  "$CLI" "${ADMIN[@]}" --org=access --format=csv admin token create |
    sed -n 2p | cut -d, -f1
}
token >"$WORK/token"
chmod 0600 "$WORK/token"
check "probe enrol --token_file=FILE" "$PROBE" enrol --state_dir="$WORK/p1" \
  --collector="localhost:$GRPC" --token_file="$WORK/token"
check "probe enrol --token_file=- (stdin)" bash -c \
  "'$CLI' ${ADMIN[*]} --org=access --format=csv admin token create |
   sed -n 2p | cut -d, -f1 | '$PROBE' enrol --state_dir='$WORK/p2' \
   --collector='localhost:$GRPC' --token_file=-"
expect_exit 0 "probe enrol --token still works" "$PROBE" enrol \
  --state_dir="$WORK/p3" --collector="localhost:$GRPC" --token="$(token)"
check "…but warns that it shows in ps" has "enrol.token_in_argv" "$OUT"
expect_exit 1 "an empty --token_file is refused" "$PROBE" enrol \
  --state_dir="$WORK/p4" --collector="localhost:$GRPC" --token_file=/dev/null
check "…naming the flag" has "token_file" "$OUT"

# --- modes tightened on start -------------------------------------------------
kill -TERM "${PIDS[0]}"; wait "${PIDS[0]}" 2>/dev/null
chmod 0755 "$WORK/c"; chmod 0644 "$WORK/c/v6scope.db" "$WORK/c/admin.secret"
start c
check "a loose data directory is tightened to 0700" [ "$(mode "$WORK/c")" = 700 ]
check "a loose database is tightened to 0600" [ "$(mode "$WORK/c/v6scope.db")" = 600 ]
check "a loose admin secret is tightened to 0600" \
  [ "$(mode "$WORK/c/admin.secret")" = 600 ]
check "…with a log line" grep -q 'event=file_mode.tightened' "$WORK/c.log"

finish
