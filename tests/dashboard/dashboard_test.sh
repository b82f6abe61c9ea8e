#!/usr/bin/env bash
# The dashboard in headless Chromium, end to end: a real collector with a
# seeded synthetic fleet (30 days, 120 probes, k = 10 so that some countries
# are published and some are not), RIR test files for the allocation
# context and one real enrolled probe, serving dashboard/dist. Chromium
# (Debian's, --headless --no-sandbox --disable-gpu, a fresh profile per
# page) renders each page at a desktop and a phone size; check_dom.py
# compares the numbers in the DOM with the JSON API's and the verdict
# labels with the dashboard's names for them (dashboard/src/vocabulary.js,
# complete against proto/results.proto). Screenshots go to
# $TEST_UNDECLARED_OUTPUTS_DIR.
#
# Without chromium or a built dashboard (tools/build-dashboard) it records
# one skipped case saying why (counted as skipped, not passed); tools/test
# provides both.
set -uo pipefail
export LC_ALL=C

COLLECTOR="$1"; SEED="$2"; CLI="$3"; PROBE="$4"
HERE="$(cd "$(dirname "$0")" && pwd)"
if [ -n "${TEST_SRCDIR:-}" ]; then
  ROOT="$TEST_SRCDIR/${TEST_WORKSPACE:-v6scope}"
else
  ROOT="$(cd "$HERE/../.." && pwd)"
fi
DIST="$ROOT/dashboard/dist"
VOCABULARY="$ROOT/dashboard/src/vocabulary.js"
RESULTS_PROTO="$ROOT/proto/results.proto"
ENRICH="$ROOT/tests/data/enrich"
OUT="${TEST_UNDECLARED_OUTPUTS_DIR:-${TEST_TMPDIR:-/tmp}}"
WORK="$(mktemp -d "${TEST_TMPDIR:-/tmp}/dashboard.XXXXXX")"
SUITE=dashboard_test
# shellcheck source=tests/e2e/lib.sh
source "$ROOT/tests/e2e/lib.sh"

CHROMIUM="$(command -v chromium || true)"
[ -n "$CHROMIUM" ] || skip_test "dashboard in headless Chromium: no chromium (Debian package chromium; tools/install-deps)"
[ -f "$DIST/index.html" ] || skip_test "dashboard in headless Chromium: dashboard/dist is not built (run tools/build-dashboard)"
command -v python3 >/dev/null || skip_test "dashboard in headless Chromium: no python3"

# --- a collector with synthetic data ------------------------------------------
# The runfiles' dist/ holds symlinks to the built files, which the collector
# rightly refuses (a symlink out of the dashboard directory is 404): serve
# a copy of the files, with the test's harness (harness/, never in the
# built dashboard) beside them.
DIST_REAL="$WORK/dist"
cp -rL "$DIST" "$DIST_REAL"
cp "$HERE/harness/harness.html" "$HERE/harness/harness.js" \
  "$HERE/harness/i18n.html" "$HERE/harness/i18n.js" "$DIST_REAL/"
mkdir -p "$WORK/data"
# --api_requests_per_second=500: the harnesses load pages far faster than
# a reader, and under Chromium's virtual time the dashboard's wait on a
# 429's Retry-After (api.js) takes no real time, so the default rate (20/s
# an address) would refuse them.
check "seed-store stores 30 days of 120 probes" \
  "$SEED" --sqlite="$WORK/data/v6scope.db" --probes=120 --days=30 --runs_per_day=4 \
  --campaign_domains=100
"$COLLECTOR" --data_dir="$WORK/data" --grpc_listen=127.0.0.1:0 \
  --port_file="$WORK/grpc.port" --http_listen=127.0.0.1:0 \
  --http_port_file="$WORK/http.port" --dashboard_dir="$DIST_REAL" --min_probes=10 \
  --readiness_min_networks=2 --api_requests_per_second=500 \
  --pfx2as="$ENRICH/pfx2as_v4.txt,$ENRICH/pfx2as_v6.txt.gz" \
  --rir="$ENRICH/delegated-afrinic-extended-test,$ENRICH/delegated-apnic-test" \
  --as_names="$ENRICH/asnames.txt" 2>"$WORK/collector.log" &
PIDS+=("$!")
if ! wait_for "$WORK/collector.log" 'event=collector.started' 30; then
  fail "collector starts"; cat "$WORK/collector.log"; finish; exit 1
fi
pass "collector starts with --dashboard_dir"
GRPC="127.0.0.1:$(cat "$WORK/grpc.port")"
BASE="http://127.0.0.1:$(cat "$WORK/http.port")"

# One real probe, enrolled and with one uploaded run, for the probe list.
TOKEN="$("$CLI" --collector="$GRPC" --admin_secret_file="$WORK/data/admin.secret" \
  --org=dashboard-test --format=csv admin token create | sed -n 2p | cut -d, -f1)"
check "enrol a probe" "$PROBE" enrol --state_dir="$WORK/probe" \
  --collector="$GRPC" --token="$TOKEN"
check "the probe uploads a run" "$PROBE" run-once --upload \
  --state_dir="$WORK/probe" --loopback_targets="$(cat "$WORK/http.port")"

index="$(curl -sf "$BASE/" || true)"
check "the collector serves index.html at /" has '<script type="module" src="app.js' "$index"
check "the collector serves app.js" curl -sf -o /dev/null "$BASE/app.js"
check "the collector serves world.json" curl -sf -o /dev/null "$BASE/world.json"
check "index.html loads nothing from another host" \
  bash -c "! grep -Eq '(src|href)=\"(https?:)?//' <<<\"\$1\"" _ "$index"

# --- pages in headless Chromium ------------------------------------------------
# chrome PROFILE ARGS... URL: a fresh profile each time; no background
# traffic (this machine has no network beyond loopback).
chrome() {
  local name="$1"; shift
  HOME="$WORK/home" timeout 120 "$CHROMIUM" --headless --no-sandbox \
    --disable-gpu --disable-dev-shm-usage --no-first-run \
    --disable-background-networking --disable-component-update \
    --disable-sync --disable-quic --hide-scrollbars \
    --user-data-dir="$WORK/profile-$name" --virtual-time-budget="${BUDGET:-10000}" "$@" \
    2>>"$WORK/chromium.log"
}
# The sizes every page is checked at: a desktop and a phone (CSS pixels).
SIZES=(desktop:1280,900 phone:390,844)
# dom NAME SIZE URL: the rendered DOM in $WORK/NAME.html.
dom() { chrome "$1" --window-size="$2" --dump-dom "$3" >"$WORK/$1.html"; }
# screenshot FILE WIDTH,HEIGHT URL
screenshot() { chrome "shot-$1" --window-size="$2" --screenshot="$OUT/$1" "$3" >/dev/null; }
# tally NAME: a checker's "ok: ..." / "FAIL: ..." lines on standard input
# as recorded checks; a traceback is a failure (a crashed checker must not
# pass). Runs in the shell itself (lastpipe), so the counts stay.
shopt -s lastpipe
tally() {
  local name="$1" line
  while IFS= read -r line; do
    case "$line" in
      ok:*) pass "$name: ${line#ok: }" ;;
      FAIL:*) fail "$name: ${line#FAIL: }" ;;
      Traceback*) fail "$name: the checker crashed (below)"; echo "$name: $line" ;;
      *) echo "$name: $line" ;;
    esac
  done
}
# verify NAME PAGE ARGS...: check_dom.py's lines on $WORK/NAME.html as
# recorded checks.
verify() {
  local name="$1"; shift
  python3 "$HERE/check_dom.py" "$@" --dom="$WORK/$name.html" --api="$BASE" \
    --vocabulary="$VOCABULARY" --proto="$RESULTS_PROTO" --root="$ROOT" 2>&1 |
    tally "$name"
}
# interact NAME WIDTH,HEIGHT ROUTE: the harness (harness/harness.js) clicks
# the page's table headers and legend toggles and measures its axis text
# in a frame WIDTH px wide; check_interactive.py checks what it saw.
interact() {
  local name="$1" size="$2" route="$3"
  chrome "$name" --window-size="$size" --dump-dom \
    "$BASE/harness.html?width=${size%%,*}#${route#*#}" >"$WORK/$name.html"
  python3 "$HERE/check_interactive.py" "${name%%-*}" --dom="$WORK/$name.html" \
    --width="${size%%,*}" 2>&1 | tally "$name"
}
# page PAGE URL ARGS...: PAGE rendered at every size and verified, as
# rendered (check_dom.py) and as clicked (check_interactive.py).
page() {
  local page="$1" url="$2" size; shift 2
  for size in "${SIZES[@]}"; do
    dom "$page-${size%%:*}" "${size#*:}" "$url"
    verify "$page-${size%%:*}" "$page" "$@"
    interact "$page-${size%%:*}-clicked" "${size#*:}" "$url"
  done
}

# Page and API ask about the same windows: those of yesterday (UTC), whole
# days of data, whatever the time of day.
AT="$(date -u -d yesterday +%F)"
# A network published this week: the one with the most probes.
ASN="$(curl -sf "$BASE/api/v1/aggregates?group_by=asn&window=week&at=$AT&page_size=1000" |
  python3 -c 'import json, sys
groups = [g for g in json.load(sys.stdin).get("groups", []) if not g.get("insufficient_data") and g["key"].isdigit()]
print(max(groups, key=lambda g: g.get("probes", 0))["key"] if groups else "")')"
check "the API has a published network ($ASN)" [ -n "$ASN" ]
PROBE_ID="$(curl -sf "$BASE/api/v1/probes" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["probes"][0]["probe_id"])')"
check "the API lists the enrolled probe ($PROBE_ID)" [ -n "$PROBE_ID" ]
mkdir -p "$WORK/home"
page world "$BASE/#/?window=week&at=$AT" --window=week --at="$AT" --windows=12
# A window without data ("no data in this window (latest: ...)") and a
# country without probes (named, not "FR FR").
page empty "$BASE/#/?window=week&at=2000-01-03" --window=week --at=2000-01-03
page unmeasured "$BASE/#/country/FR?window=week&at=$AT" --window=week --at="$AT" \
  --key=FR --name=France
page country "$BASE/#/country/KE?window=day&at=$AT" --window=day --at="$AT" --windows=30 --key=KE
page asn "$BASE/#/asn/$ASN?window=week&at=$AT" --window=week --at="$AT" --windows=12 --key="$ASN"
page probes "$BASE/#/probes"
page probe "$BASE/#/probe/$PROBE_ID" --key="$PROBE_ID"
page methodology "$BASE/#/methodology"
# Public-service readiness of the seeded synthetic campaign (k = 2
# networks: the fleet's countries with two networks publish).
page services "$BASE/#/services"
page servicesmap "$BASE/#/?measure=services"
page servicecountry "$BASE/#/services/KE" --key=KE
# --- every page in every language ---------------------------------------------
# Each language in its own browser run (harness/i18n.html loads the routes
# one after the other, at desktop and phone widths); check_i18n.py fails
# on a missing message, a wrong lang/dir, an overflow or English left in
# a translated page.
ROUTES="$(python3 -c 'import json, sys; print(json.dumps(sys.argv[1:]))' \
  "#/?window=week&at=$AT" "#/?measure=services" "#/country/KE?window=day&at=$AT" \
  "#/country/FR?window=week&at=$AT" "#/asn/$ASN?window=week&at=$AT" "#/probes" \
  "#/probe/$PROBE_ID" "#/methodology" "#/services" "#/services/KE" "#/nowhere")"
ROUTES_Q="$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$ROUTES")"
for lang in ar en es fr ru zh; do
  BUDGET=120000 chrome "i18n-$lang" --window-size=1400,1000 --dump-dom \
    "$BASE/i18n.html?langs=$lang&widths=1280,390&routes=$ROUTES_Q" >"$WORK/i18n-$lang.html"
  python3 "$HERE/check_i18n.py" --dom="$WORK/i18n-$lang.html" --root="$ROOT" \
    --api="$BASE" --langs="$lang" 2>&1 | tally "i18n-$lang"
done
# The header's picker: choosing a language reloads in it, keeping the route.
chrome lang-picked --window-size=1280,900 --dump-dom "$BASE/?lang=fr#/services" >"$WORK/lang-picked.html"
check "?lang=fr: the page is in French" grep -q '<html lang="fr" dir="ltr"' "$WORK/lang-picked.html"
check "the report link follows the language" grep -q 'report/KE?lang=fr' \
  <(chrome lang-report --window-size=1280,900 --dump-dom "$BASE/?lang=fr#/country/KE?window=day&at=$AT")

check "the full methodology document is served" \
  curl -sf -o /dev/null "$BASE/docs/methodology.html"

screenshot dashboard.png 1280,900 "$BASE/#/?window=week&at=$AT"
screenshot country.png 1280,1700 "$BASE/#/country/KE?window=day&at=$AT"
screenshot phone.png 390,2600 "$BASE/#/country/KE?window=week&at=$AT"
screenshot probe-phone.png 390,1400 "$BASE/#/probe/$PROBE_ID"
screenshot dashboard-ar.png 1280,900 "$BASE/?lang=ar#/?window=week&at=$AT"
screenshot services-map-fr.png 1280,900 "$BASE/?lang=fr#/?measure=services"
screenshot services-zh-phone.png 390,1400 "$BASE/?lang=zh#/services/KE"
for png in dashboard.png country.png phone.png probe-phone.png dashboard-ar.png \
  services-map-fr.png services-zh-phone.png; do
  check "screenshot $png saved" test -s "$OUT/$png"
done

if [ "$FAILS" -gt 0 ]; then
  echo "--- chromium log (tail) ---"; tail -n 20 "$WORK/chromium.log"
  echo "--- collector log (tail) ---"; tail -n 20 "$WORK/collector.log"
fi
finish
