#!/usr/bin/env bash
# The guides (docs/guides) against the code: links and anchors, every
# program call's flags against that program's --help (the packaged
# binaries, the enrol helper, build-debs), repository paths, unit names
# (check_guides.py); and the regional office guide's TLS recipe run for
# real: its CA and certificate carry a TLS collector that the CLI reaches.
#
# usage: guides_test.sh PROBE.deb COLLECTOR.deb CLI.deb CHECK_GUIDES_PY BUILD_DEBS GUIDE...
set -uo pipefail
SUITE=guides
source "$(dirname "$0")/lib.sh"

PROBE_DEB="$1" COLLECTOR_DEB="$2" CLI_DEB="$3" CHECK="$(readlink -f "$4")" BUILD_DEBS="$5"
shift 5
GUIDES=("$@")
WS="$(workspace_root "$BUILD_DEBS" ../..)"
WORK="$(mktemp -d "${TEST_TMPDIR:-/tmp}/guides.XXXXXX")"
R="$WORK/root"
for d in "$PROBE_DEB" "$COLLECTOR_DEB" "$CLI_DEB"; do dpkg-deb -x "$d" "$R"; done

mkdir -p "$WORK/help"
"$R/usr/bin/v6scope-probe" --help >"$WORK/help/v6scope-probe.help"
"$R/usr/bin/v6scope-collector" --help >"$WORK/help/v6scope-collector.help"
"$R/usr/bin/v6scope" --help >"$WORK/help/v6scope.help"
"$R/usr/sbin/v6scope-probe-enrol" --help >"$WORK/help/v6scope-probe-enrol.help"
"$BUILD_DEBS" --help >"$WORK/help/build-debs.help"
for h in "$WORK"/help/*.help; do
  check "$(basename "$h" .help) --help has flags" grep -q -- '--' "$h"
done

out="$(/usr/bin/python3 "$CHECK" --workspace="$WS" --help_dir="$WORK/help" \
  --blocks_dir="$WORK/blocks" "${GUIDES[@]}" 2>&1)"
code=$?
while IFS= read -r line; do
  case "$line" in ok:*) pass "${line#ok: }" ;; FAIL:*) fail "${line#FAIL: }" ;; *) echo "$line" ;; esac
done <<<"$out"
[ "$code" -eq 0 ] || grep -q '^FAIL' <<<"$out" || fail "check_guides.py exited $code"

# The checker catches an invented flag.
printf '%s\n' '```sh' 'v6scope-probe enrol --no_such_flag=1' '```' >"$WORK/canary.md"
out="$(/usr/bin/python3 "$CHECK" --workspace="$WS" --help_dir="$WORK/help" \
  --blocks_dir="$WORK/blocks-canary" "$WORK/canary.md" 2>&1)"
if has '^FAIL: .*no_such_flag' "$out"; then
  pass "checker catches an unknown flag in a guide"
else fail "checker missed an unknown flag"; fi

# The TLS recipe, with the name the test can reach.
if ! command -v openssl >/dev/null; then
  skip "TLS recipe (openssl not installed)"
elif [ ! -s "$WORK/blocks/tls.sh" ]; then
  fail "no <!-- test:tls --> block in the guides"
else
  mkdir -p "$WORK/tls"
  sed 's/^NAME=[^ ]*/NAME=localhost/' "$WORK/blocks/tls.sh" >"$WORK/tls/recipe.sh"
  check "TLS recipe runs as written (NAME=localhost)" bash -e -c "cd '$WORK/tls' && . ./recipe.sh"
  "$R/usr/bin/v6scope-collector" --grpc_listen=127.0.0.1:0 --port_file="$WORK/tls/port" \
    --data_dir="$WORK/tls/data" --tls_cert="$WORK/tls/collector.pem" \
    --tls_key="$WORK/tls/collector.key" >"$WORK/tls/collector.log" 2>&1 &
  PIDS+=("$!")
  if wait_file "$WORK/tls/port" 20; then
    A="localhost:$(cat "$WORK/tls/port")"
    if out="$("$R/usr/bin/v6scope" --collector="$A" --ca_file="$WORK/tls/ca.pem" probes 2>&1)"; then
      pass "the recipe's certificate carries TLS: v6scope --ca_file=ca.pem probes"
    else fail "CLI over TLS with the recipe's CA: $out"; fi
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
      -subj "/CN=other" -keyout "$WORK/tls/other.key" -out "$WORK/tls/other.pem" 2>/dev/null
    if "$R/usr/bin/v6scope" --collector="$A" --ca_file="$WORK/tls/other.pem" probes >/dev/null 2>&1; then
      fail "a CA that did not sign the certificate was accepted"
    else pass "another CA is refused (the TLS check can fail)"; fi
  else fail "TLS collector with the recipe's certificate did not start"; tail -n 5 "$WORK/tls/collector.log"; fi
fi

finish
