#!/usr/bin/env bash
# Container and Kubernetes files, checked offline: no Docker engine and no
# cluster here, so the images are not built and nothing is applied.
#  - lint_manifests.py: structure and cross-references (see its doc);
#  - the settings the ConfigMaps and compose carry, parsed by the packaged
#    binaries; the image's collector ENTRYPOINT started as written;
#  - the probe image's entry point script run for real against a collector
#    (first start enrols from a token file, second start reuses the
#    identity);
#  - docker compose config / hadolint / kubectl kustomize when installed.
#
# usage: manifests_test.sh PROBE.deb COLLECTOR.deb CLI.deb LINT_PY DOCKERFILE
set -uo pipefail
SUITE=manifests
source "$(dirname "$0")/lib.sh"

PROBE_DEB="$1" COLLECTOR_DEB="$2" CLI_DEB="$3" LINT="$(readlink -f "$4")"
# The source tree, for files no BUILD file exports (tools/install-deps):
# through the Dockerfile runfile's symlink.
WS="$(workspace_root "$5" ../..)"
WORK="$(mktemp -d "${TEST_TMPDIR:-/tmp}/manifests.XXXXXX")"
R="$WORK/root"
for d in "$PROBE_DEB" "$COLLECTOR_DEB" "$CLI_DEB"; do dpkg-deb -x "$d" "$R"; done
COLLECTOR="$R/usr/bin/v6scope-collector" PROBE="$R/usr/bin/v6scope-probe" CLI="$R/usr/bin/v6scope"

if ! /usr/bin/python3 -c 'import yaml' 2>/dev/null; then
  fail "python3-yaml is missing (apt-get install python3-yaml; tools/install-deps)"
  finish; exit 1
fi
check "workspace found ($WS)" test -f "$WS/tools/install-deps"
"$COLLECTOR" --help >"$WORK/collector.help"
"$PROBE" --help >"$WORK/probe.help"
out="$(/usr/bin/python3 "$LINT" --workspace="$WS" --collector_help="$WORK/collector.help" \
  --probe_help="$WORK/probe.help" --extract="$WORK/extract" 2>&1)"
code=$?
while IFS= read -r line; do
  case "$line" in ok:*) pass "${line#ok: }" ;; FAIL:*) fail "${line#FAIL: }" ;; *) echo "$line" ;; esac
done <<<"$out"
[ "$code" -eq 0 ] || grep -q '^FAIL' <<<"$out" || fail "lint_manifests.py exited $code"

# --- a collector from the image's ENTRYPOINT (as written in the
# Dockerfile, test addresses appended: later flags win) with the k8s
# ConfigMap's collector.textproto, for the probe checks below.
entry="$(sed -n 's/^ENTRYPOINT \(\[.*"\/usr\/bin\/v6scope-collector".*\]\)$/\1/p' "$WS/deploy/docker/Dockerfile")"
mapfile -t ENTRY < <(/usr/bin/python3 -c 'import json, sys; print("\n".join(json.loads(sys.argv[1])))' "$entry")
ENTRY[0]="$COLLECTOR"
for i in "${!ENTRY[@]}"; do
  [ "${ENTRY[$i]}" = "--config=/etc/v6scope/collector.textproto" ] &&
    ENTRY[i]="--config=$WORK/extract/v6scope-collector.collector.textproto"
done
"${ENTRY[@]}" --grpc_listen=127.0.0.1:0 --port_file="$WORK/grpc.port" \
  --http_listen=127.0.0.1:0 --http_port_file="$WORK/http.port" \
  --data_dir="$WORK/collector" >"$WORK/collector.log" 2>&1 &
PIDS+=("$!")
if wait_file "$WORK/grpc.port" 20 && wait_file "$WORK/http.port" 5; then
  pass "the image's collector ENTRYPOINT runs with the k8s ConfigMap's collector.textproto"
else fail "collector from the image's ENTRYPOINT"; tail -n 5 "$WORK/collector.log"; finish; exit 1; fi
ADDR="127.0.0.1:$(cat "$WORK/grpc.port")" HTTP_PORT="$(cat "$WORK/http.port")"
ADMIN=(--collector="$ADDR" --admin_secret_file="$WORK/collector/admin.secret")

# --- the settings files parse (--targets is read before
# --loopback_targets replaces it; a bad file fails the run).
for t in "$WORK/extract/v6scope-probe.targets.textproto" "$WS/deploy/docker/compose-targets.textproto"; do
  if out="$("$PROBE" run-once --config="$WORK/extract/v6scope-probe.probe.textproto" \
    --targets="$t" --loopback_targets="$HTTP_PORT" 2>&1)"; then
    pass "$(basename "$t") and the k8s probe.textproto parse (probe run-once)"
  else fail "$(basename "$t"): $out"; fi
done
printf 'name: "x"\nno_such_field: 1\n' >"$WORK/bad.textproto"
if "$PROBE" run-once --targets="$WORK/bad.textproto" --loopback_targets="$HTTP_PORT" >/dev/null 2>&1; then
  fail "a bad target set file was accepted: the parse check proves nothing"
else pass "a bad target set file is refused (the parse check can fail)"; fi

# --- the probe image's entry point, as the container runs it.
ENTRYPOINT_SH="$WS/deploy/docker/probe-entrypoint"
check "probe-entrypoint is executable" test -x "$ENTRYPOINT_SH"
if command -v shellcheck >/dev/null; then
  check "probe-entrypoint is shellcheck-clean" shellcheck "$ENTRYPOINT_SH"
else skip "shellcheck probe-entrypoint (shellcheck not installed)"; fi
"$CLI" "${ADMIN[@]}" --format=csv admin token create --org=manifests-test |
  sed -n 2p | cut -d, -f1 >"$WORK/node-token"
loopback_targets "$HTTP_PORT" >"$WORK/targets.textproto"
run_entrypoint() {
  env -i PATH="$R/usr/bin:/usr/bin:/bin" V6SCOPE_COLLECTORS="$ADDR" \
    V6SCOPE_TARGETS="$WORK/targets.textproto" \
    V6SCOPE_CONFIG="$WORK/extract/v6scope-probe.probe.textproto" \
    V6SCOPE_STATE_DIR="$WORK/probe-state" "$@" "$ENTRYPOINT_SH" \
    --max_runs=1 --interval=1s --final_drain=15s --metrics_listen= 
}
out="$(run_entrypoint 2>&1)"; code=$?
if [ "$code" -ne 0 ] && has "not enrolled yet and no token" "$out"; then
  pass "entry point without identity or token: refuses, says why"
else fail "entry point without a token: $out"; fi
if out="$(run_entrypoint V6SCOPE_ENROL_TOKEN_FILE="$WORK/node-token" 2>&1)" && has "event=probe.enrolled" "$out"; then
  pass "entry point, first start: enrols from the token file, measures, exits 0"
else fail "entry point first start: $out"; fi
if out="$(run_entrypoint 2>&1)" && ! has "event=probe.enrolled" "$out"; then
  pass "entry point, second start: reuses the identity (no token needed)"
else fail "entry point second start: $out"; fi
n="$("$CLI" --collector="$ADDR" --format=csv runs | tail -n +2 | grep -c .)"
if [ "$n" -eq 2 ]; then pass "the collector stored both runs"; else fail "stored runs: $n, want 2"; fi

# --- tools this machine may lack.
if docker compose version >/dev/null 2>&1; then
  check "docker compose config" env V6SCOPE_PG_PASSWORD=x docker compose -f "$WS/deploy/docker/docker-compose.yml" config -q
else skip "docker compose config (no compose plugin; the YAML checks above stand in)"; fi
if command -v hadolint >/dev/null; then
  check "hadolint Dockerfile" hadolint "$WS/deploy/docker/Dockerfile"
else skip "hadolint (not installed)"; fi
if command -v kubectl >/dev/null && kubectl kustomize --help >/dev/null 2>&1; then
  check "kubectl kustomize deploy/k8s (offline build)" kubectl kustomize "$WS/deploy/k8s"
else skip "kubectl kustomize (kubectl not installed)"; fi

finish
