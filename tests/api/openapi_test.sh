#!/usr/bin/env bash
# The collector's HTTP API checked against collector/http/openapi.json
# (served at /api/v1/openapi.json): a real collector on port 0 over a store
# seeded with a synthetic fleet (some probes enrolled, one without runs);
# openapi_check.py calls every endpoint and validates every response. A
# second collector with a tiny request rate gives a real 429.
set -uo pipefail

COLLECTOR="$1"; SEED="$2"; CHECKS="$3"; DOC="$4"; ROUTES="$5"
WORK="$(mktemp -d "${TEST_TMPDIR:-/tmp}/openapi.XXXXXX")"
SUITE=openapi_test
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/../e2e/lib.sh"

command -v python3 >/dev/null || skip_test "python3 is not installed (tools/install-deps)"
python3 -c 'import jsonschema' 2>/dev/null ||
  skip_test "python3-jsonschema is not installed (tools/install-deps)"

mkdir -p "$WORK/main"
expect_exit 0 "seed-store fills a database" \
  "$SEED" --sqlite="$WORK/main/v6scope.db" --probes=24 --days=3 --runs_per_day=4 \
  --campaign_domains=20
# seed-store stores runs only; enrol their probes (and one that never
# ran) so that /api/v1/probes has rows of both kinds.
check "the seeded probes are enrolled" python3 - "$WORK/main/v6scope.db" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
ids = [r[0] for r in db.execute("SELECT probe_id FROM probe_stats ORDER BY probe_id")]
assert ids, "no probe_stats rows"
now = int(time.time()) - 10 * 86400
rows = [(p, "h" + p, "seeded org", "test", now) for p in ids[: len(ids) // 2]]
rows.append(("p-never-ran", "hnever", "seeded org", "test", now))
db.executemany("INSERT INTO probes (probe_id, credential_hash, org, probe_version,"
               " enrolled_at) VALUES (?, ?, ?, ?, ?)", rows)
db.commit()
PY

start_collector() {  # start_collector NAME [flags...]: port in $HTTP_PORT
  local name="$1"; shift
  mkdir -p "$WORK/$name"
  "$COLLECTOR" --grpc_listen='127.0.0.1:0' --data_dir="$WORK/$name" \
    --http_listen='127.0.0.1:0' --http_port_file="$WORK/$name.port" \
    "$@" >/dev/null 2>"$WORK/$name.log" &
  PIDS+=("$!")
  wait_for "$WORK/$name.log" 'event=collector.started' 20 || return 1
  HTTP_PORT="$(cat "$WORK/$name.port")"
}

# The checks make a few hundred requests as fast as they can: the main
# collector's rate limit is lifted (the limited one below tests the 429),
# or whether they pass would depend on the machine's speed.
if start_collector main --min_probes=3 --api_requests_per_second=1000000 \
  --api_burst=1000000; then pass "collector starts"; else
  fail "collector starts"; tail -n 20 "$WORK/main.log"; finish; exit 1; fi
MAIN_PORT="$HTTP_PORT"
if start_collector limited --api_requests_per_second=0.001 --api_burst=1; then
  pass "rate-limited collector starts"; else
  fail "rate-limited collector starts"; tail -n 20 "$WORK/limited.log"; fi

while IFS= read -r line; do
  case "$line" in
    ok:*) pass "${line#ok: }" ;;
    FAIL:*) fail "${line#FAIL: }" ;;
    *) echo "$line" ;;
  esac
done < <(python3 "$CHECKS" --port="$MAIN_PORT" --limited_port="$HTTP_PORT" \
  --document="$DOC" --routes="$ROUTES" 2>&1)
check "the collector is still alive" kill -0 "${PIDS[0]}"
finish
