#!/usr/bin/env bash
# The national progress report end to end (docs/reports.md): a real
# collector with a seeded synthetic fleet and RIR test files, asked for
# Kenya's report over HTTP (/report/KE) and over gRPC (v6scope report
# country KE). Every figure of the report must equal the JSON API's answer
# for it (report_check.py); the page must come in the language asked for
# (Accept-Language, ?lang=, --lang; rtl in Arabic); bad requests are
# refused naming the field; and, with Debian's chromium, the CLI prints a
# PDF.
set -uo pipefail
export LC_ALL=C

COLLECTOR="$1"; SEED="$2"; CLI="$3"
HERE="$(cd "$(dirname "$0")" && pwd)"
if [ -n "${TEST_SRCDIR:-}" ]; then
  ROOT="$TEST_SRCDIR/${TEST_WORKSPACE:-v6scope}"
else
  ROOT="$(cd "$HERE/../.." && pwd)"
fi
ENRICH="$ROOT/tests/data/enrich"
WORK="$(mktemp -d "${TEST_TMPDIR:-/tmp}/report.XXXXXX")"
SUITE=report_test
# shellcheck source=tests/e2e/lib.sh
source "$ROOT/tests/e2e/lib.sh"

# The fleet's 30 days end at the start of a fixed day, so the month asked
# for is known: 2026-11-20 00:00 UTC; the report is of November.
END=1795132800
PERIOD=2026-11
mkdir -p "$WORK/data" "$WORK/static"
# The layout harness, served from the collector's origin so that it can
# measure the report pages in its frames (runfiles are symlinks, which
# the static route refuses: copies).
cp "$HERE/report_harness/report_layout.html" \
  "$HERE/report_harness/report_layout.js" "$WORK/static/"
# And a synthetic public-service campaign of 200 domains, two rounds,
# measured by every probe (readiness results stored as ingest stores
# them, rollups kept): Kenya's two networks publish with k = 2.
check "seed-store stores 30 days of 120 probes and a campaign" \
  "$SEED" --sqlite="$WORK/data/v6scope.db" --probes=120 --days=30 \
  --runs_per_day=2 --end="$END" --campaign_domains=200
"$COLLECTOR" --data_dir="$WORK/data" --grpc_listen=127.0.0.1:0 \
  --port_file="$WORK/grpc.port" --http_listen=127.0.0.1:0 \
  --http_port_file="$WORK/http.port" --min_probes=3 \
  --readiness_min_networks=2 --dashboard_dir="$WORK/static" \
  --api_requests_per_second=1000000 \
  --pfx2as="$ENRICH/pfx2as_v4.txt,$ENRICH/pfx2as_v6.txt.gz" \
  --rir="$ENRICH/delegated-afrinic-extended-test,$ENRICH/delegated-apnic-test" \
  --as_names="$ENRICH/asnames.txt" 2>"$WORK/collector.log" &
PIDS+=("$!")
if ! wait_for "$WORK/collector.log" 'event=collector.started' 30; then
  fail "collector starts"; cat "$WORK/collector.log"; finish; exit 1
fi
pass "collector starts"
GRPC="127.0.0.1:$(cat "$WORK/grpc.port")"
BASE="http://127.0.0.1:$(cat "$WORK/http.port")"

# --- the figures equal the API's ----------------------------------------------
check "every figure of /report/KE equals the API's" \
  python3 "$HERE/report_check.py" --base="$BASE" --country=KE --period="$PERIOD"
json_page="$(curl -s "$BASE/report/KE?period=$PERIOD&format=json")"
check "Kenya's report has the campaign's readiness, published at k = 2" \
  python3 -c 'import json,sys; r=json.loads(sys.argv[1]); c=r["campaigns"][0]; sys.exit(0 if c["campaign_id"]=="c-5eed0001" and c["round"]==2 and any(not x["withheld"] for x in c["cells"]) and r["min_networks"]==2 else 1)' "$json_page"
check "and of a country without probes (its RIR loaded)" \
  python3 "$HERE/report_check.py" --base="$BASE" --country=TZ --period="$PERIOD"

# --- the language -------------------------------------------------------------
page="$(curl -s -H 'Accept-Language: ar;q=0.9, de' "$BASE/report/KE?period=$PERIOD")"
check "Accept-Language: ar gives the Arabic page, right to left" \
  has '<html lang="ar" dir="rtl">' "$page"
page="$(curl -s -H 'Accept-Language: ar' "$BASE/report/KE?period=$PERIOD&lang=fr")"
check "?lang=fr wins over Accept-Language" has '<html lang="fr" dir="ltr">' "$page"
check "the French page speaks French" has 'Rapport sur les progrès' "$page"
headers="$(curl -s -D - -o /dev/null "$BASE/report/KE?period=$PERIOD&lang=zh")"
check "Content-Language says the page's language" has 'Content-Language: zh' "$headers"
check "the page is HTML" has 'Content-Type: text/html; charset=utf-8' "$headers"

# --- bad requests -------------------------------------------------------------
code_of() { curl -s -o "$WORK/body" -w '%{http_code}' "$1"; }
for bad in "XX" "KEN" "KE/extra"; do
  code="$(code_of "$BASE/report/$bad")"
  check "/report/$bad is refused ($code)" test "$code" = 400 -o "$code" = 404
done
code="$(code_of "$BASE/report/KE?period=2026-13")"
check "a malformed period is a 400 naming it" \
  bash -c '[ "$1" = 400 ] && grep -q "period: expected a month as YYYY-MM" "$2"' \
  _ "$code" "$WORK/body"
code="$(code_of "$BASE/report/KE?period=2099-01")"
check "a month not begun is a 400" \
  bash -c '[ "$1" = 400 ] && grep -q "has not begun" "$2"' _ "$code" "$WORK/body"
code="$(code_of "$BASE/report/KE?colour=red")"
check "an unknown parameter is a 400 naming it" \
  bash -c '[ "$1" = 400 ] && grep -q "colour" "$2"' _ "$code" "$WORK/body"

# --- the CLI ------------------------------------------------------------------
check "v6scope report country ke writes the page" \
  "$CLI" --collector="$GRPC" report country ke --period="$PERIOD" --lang=es \
  --out="$WORK/ke.html"
check "in Spanish" grep -q '<html lang="es" dir="ltr">' "$WORK/ke.html"
"$CLI" --collector="$GRPC" report country KE --period="$PERIOD" --format=json \
  >"$WORK/cli.json" 2>"$WORK/cli.err"
curl -s "$BASE/report/KE?period=$PERIOD&format=json" >"$WORK/http.json"
check "its figures over gRPC equal those over HTTP" python3 - "$WORK/cli.json" "$WORK/http.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for r in (a, b):
    r.pop("generated_at", None)
sys.exit(0 if a == b else 1)
PY
out="$("$CLI" --collector="$GRPC" --format=csv services campaigns 2>&1)"
check "v6scope services campaigns lists the seeded campaign" \
  has "c-5eed0001,Synthetic public services (sample data),active,200," "$out"
expect_exit 2 "--lang=de is a usage error" \
  "$CLI" --collector="$GRPC" report country KE --lang=de
check "naming the flag" has -- "--lang: expected one of" "$OUT"
expect_exit 2 "--pdf with --format=json is a usage error" \
  "$CLI" --collector="$GRPC" report region africa --out="$WORK/x" --pdf --format=json
expect_exit 2 "--pdf on report country is a usage error" \
  "$CLI" --collector="$GRPC" report country KE --pdf
expect_exit 2 "report country without a code is a usage error" \
  "$CLI" --collector="$GRPC" report country
expect_exit 1 "a period not begun: the collector's refusal, exit 1" \
  "$CLI" --collector="$GRPC" report country KE --period=2099-01
check "naming the period" has "has not begun" "$OUT"

# --- a region ----------------------------------------------------------------
check "v6scope report region africa writes every member's page and the summary" \
  "$CLI" --collector="$GRPC" report region africa --period="$PERIOD" --lang=fr \
  --out="$WORK/africa"
members="$(find "$WORK/africa" -name '??.html' | wc -l)"
check "one page per African country ($members)" test "$members" -ge 40
check "the summary links Kenya's page" grep -q 'href="KE.html"' "$WORK/africa/index.html"
check "Kenya's page is its report, in French" \
  grep -q '<html lang="fr" dir="ltr">' "$WORK/africa/KE.html"
region="$(curl -s "$BASE/report/region/africa?period=$PERIOD&lang=en")"
check "/report/region/africa links the collector's country pages" \
  has "href=\"/report/KE?period=$PERIOD&amp;lang=en\"" "$region"
check "the region's rows equal the API's country aggregates" python3 - \
  "$BASE" "$PERIOD" <<'PY'
import json, sys, urllib.request
base, period = sys.argv[1:3]
get = lambda p: json.load(urllib.request.urlopen(base + p, timeout=30))
region = get("/report/region/africa?format=json&period=" + period)
api = get("/api/v1/aggregates?group_by=country&window=month&region=africa"
          "&page_size=1000&at=%s-01" % period)["groups"]
rows = {r["country"]: r.get("network") for r in region["countries"]}
ok = len(api) > 0 and all(
    rows.get(g["key"]) is not None and
    rows[g["key"]]["probes"] == g["probes"] and
    rows[g["key"]]["v6_capable"] == g["v6_capable"] for g in api)
ok = ok and sum(1 for r in rows.values() if r) == len(api)
sys.exit(0 if ok else 1)
PY
code="$(code_of "$BASE/report/region/mars")"
check "an unknown region is a 400 naming it" \
  bash -c '[ "$1" = 400 ] && grep -q "region: expected" "$2"' _ "$code" "$WORK/body"

# --- layout, every language, desktop and phone ---------------------------------
if command -v chromium >/dev/null 2>&1; then
  HOME="$WORK/home" timeout 120 chromium --headless --no-sandbox --disable-gpu \
    --disable-dev-shm-usage --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --hide-scrollbars \
    --user-data-dir="$WORK/profile-layout" --window-size=1400,1000 \
    --virtual-time-budget=30000 --dump-dom \
    "$BASE/report_layout.html?cc=KE&region=africa&period=$PERIOD" \
    >"$WORK/layout.html" 2>"$WORK/chromium-layout.log"
  python3 "$HERE/report_layout_check.py" <"$WORK/layout.html" >"$WORK/layout.txt"
  layout_status=$?
  while IFS= read -r line; do
    case "$line" in
      ok:*) pass "${line#ok: }" ;;
      FAIL:*) fail "${line#FAIL: }" ;;
    esac
  done <"$WORK/layout.txt"
  [ "$layout_status" -eq 0 ] || tail -n 5 "$WORK/chromium-layout.log"
else
  skip "report layout in headless Chromium: no chromium (tools/install-deps)"
fi

# --- PDF ----------------------------------------------------------------------
if command -v chromium >/dev/null 2>&1; then
  check "v6scope report country KE --out=ke.pdf prints a PDF" \
    "$CLI" --collector="$GRPC" report country KE --period="$PERIOD" --lang=ar \
    --out="$WORK/ke.pdf"
  check "the file is a PDF of some size" bash -c \
    '[ "$(head -c 4 "$1")" = "%PDF" ] && [ "$(stat -c %s "$1")" -gt 5000 ]' \
    _ "$WORK/ke.pdf"
  cp "$WORK/ke.pdf" "${TEST_UNDECLARED_OUTPUTS_DIR:-$WORK}/" 2>/dev/null || true
  # A whole region in one command, as PDF too (the CIS: a dozen members).
  check "v6scope report region cis --pdf prints every page" \
    "$CLI" --collector="$GRPC" report region cis --period="$PERIOD" --lang=zh \
    --pdf --out="$WORK/cis"
  pages="$(find "$WORK/cis" -name '??.html' | wc -l)"
  pdfs="$(find "$WORK/cis" -name '??.pdf' | wc -l)"
  check "one PDF per member page ($pdfs of $pages)" \
    bash -c '[ "$1" -gt 5 ] && [ "$1" = "$2" ]' _ "$pdfs" "$pages"
  check "and the summary as PDF" bash -c \
    '[ "$(head -c 4 "$1")" = "%PDF" ] && [ "$(stat -c %s "$1")" -gt 5000 ]' \
    _ "$WORK/cis/index.pdf"
  check "every PDF is one" bash -c \
    'for f in "$1"/*.pdf; do [ "$(head -c 4 "$f")" = "%PDF" ] || exit 1; done' \
    _ "$WORK/cis"
  cp "$WORK/cis/index.pdf" "${TEST_UNDECLARED_OUTPUTS_DIR:-$WORK}/cis-index.pdf" \
    2>/dev/null || true
else
  skip "PDF through headless Chromium: no chromium (tools/install-deps)"
fi

finish
