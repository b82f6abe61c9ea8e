#!/usr/bin/env bash
# The packaged daemons, run as an unprivileged user under strace the way
# their units run them, checked against what the units' sandboxes allow
# (check_trace.py): system calls, socket families, /proc, writable paths.
# The collector takes an upload, a SIGHUP (reload) and a SIGTERM; the
# probe daemon measures once against the collector's built-in targets,
# uploads and stops. systemd itself cannot run here, so this is the
# evidence that the hardening does not break the daemons.
#
# usage: sandbox_test.sh PROBE.deb COLLECTOR.deb CLI.deb CHECK_TRACE_PY
set -uo pipefail
SUITE=sandbox
source "$(dirname "$0")/lib.sh"

PROBE_DEB="$1" COLLECTOR_DEB="$2" CLI_DEB="$3" CHECK="$4"
CHECK="$(readlink -f "$CHECK")"
for tool in strace systemd-analyze; do
  if ! command -v "$tool" >/dev/null; then
    skip "sandbox check ($tool not installed: apt-get install $tool)"
    finish; exit $?
  fi
done

# Under /tmp, so that the unprivileged user can reach it.
WORK="$(mktemp -d /tmp/v6scope-sandbox.XXXXXX)"
[ -n "${KEEP_WORK:-}" ] || CLEANUPS+=("rm -rf '$WORK'")
chmod 0755 "$WORK"
R="$WORK/root"
for d in "$PROBE_DEB" "$COLLECTOR_DEB" "$CLI_DEB"; do dpkg-deb -x "$d" "$R"; done
UNITS="$R/lib/systemd/system"

# As root: the daemons run as nobody, like User= (no capability at all).
AS=()
if [ "$(id -u)" -eq 0 ]; then
  AS=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
  OWNER=nobody:nogroup
else
  OWNER="$(id -u):$(id -g)"
fi
install -d -m 0750 "$WORK/collector" && chown "$OWNER" "$WORK/collector"
install -d -m 0700 "$WORK/probe" && chown "$OWNER" "$WORK/probe"
install -d -m 0755 "$WORK/traces" && chown "$OWNER" "$WORK/traces"

"${AS[@]}" strace -f -qq -y -o "$WORK/traces/collector" -- \
  "$R/usr/bin/v6scope-collector" --config="$R/etc/v6scope/collector.textproto" \
  --dashboard_dir="$R/usr/share/v6scope/dashboard" --grpc_listen=127.0.0.1:0 --port_file="$WORK/collector/grpc.port" \
  --http_listen="[::]:0" --http_port_file="$WORK/collector/http.port" \
  --data_dir="$WORK/collector/data" 2>"$WORK/collector.log" &
STRACE_PID=$!
PIDS+=("$STRACE_PID")
if wait_file "$WORK/collector/grpc.port" 20 && wait_file "$WORK/collector/http.port" 5; then
  pass "collector starts as an unprivileged user under strace"
else
  fail "collector did not start"; tail -n 20 "$WORK/collector.log"; finish; exit 1
fi
# The collector itself (strace's child): its path is unique to this test.
COLLECTOR_PID="$(pgrep -n -f "^$R/usr/bin/v6scope-collector ")"
[ -n "$COLLECTOR_PID" ] || { fail "collector process not found"; finish; exit 1; }
PIDS+=("$COLLECTOR_PID")  # killing strace alone would leave it running
PORT="$(cat "$WORK/collector/grpc.port")" HTTP_PORT="$(cat "$WORK/collector/http.port")"
ADDR="127.0.0.1:$PORT"

TOKEN="$("$R/usr/bin/v6scope" --collector="$ADDR" \
  --admin_secret_file="$WORK/collector/data/admin.secret" --format=csv \
  admin token create --org=sandbox-test 2>&1 | sed -n 2p | cut -d, -f1)"
loopback_targets "$HTTP_PORT" >"$WORK/targets.textproto"
chmod 0644 "$WORK/targets.textproto"
check "probe enrols (not traced: the enrol helper runs it, not the unit)" \
  "${AS[@]}" "$R/usr/bin/v6scope-probe" enrol --state_dir="$WORK/probe/state" \
  --collector="$ADDR" --token="$TOKEN"

# The unit's ExecStart, with a test schedule: one run, then stop.
if "${AS[@]}" strace -f -qq -y -o "$WORK/traces/probe" -- \
  "$R/usr/bin/v6scope-probe" daemon --config="$R/etc/v6scope/probe.textproto" \
  --targets="$WORK/targets.textproto" --state_dir="$WORK/probe/state" \
  --max_runs=1 --interval=1s --final_drain=15s \
  --metrics_listen=127.0.0.1:0 >/dev/null 2>"$WORK/probe.log"; then
  pass "probe daemon measures, uploads and exits 0 as an unprivileged user"
else
  fail "probe daemon failed"; tail -n 20 "$WORK/probe.log"
fi
check "the collector stored the run" grep -q 'event=batch.stored' "$WORK/collector.log"

# Reload and stop, as ExecReload= and KillSignal= do.
kill -HUP "$COLLECTOR_PID"
if wait_for "$WORK/collector.log" 'attribution\.' 5; then
  pass "SIGHUP reaches the reload path; the collector stays up"
else fail "no reload event after SIGHUP"; fi
kill -TERM "$COLLECTOR_PID"
if wait_exit "$STRACE_PID" 20 && [ "$EXIT" -eq 0 ] &&
  grep -q 'event=collector.stopped' "$WORK/collector.log"; then
  pass "SIGTERM stops the collector cleanly (exit 0)"
else fail "collector did not stop cleanly on SIGTERM"; tail -n 5 "$WORK/collector.log"; fi

# The traces against the units.
out="$(/usr/bin/python3 "$CHECK" --unit="$UNITS/v6scope-collector.service" \
  --trace="$WORK/traces/collector" --writable="$WORK/collector" --stand_in_root="$WORK" \
  --proc-ok=/proc/sys/net/core/somaxconn 2>&1)"
code=$?
while read -r line; do
  case "$line" in ok:*) pass "${line#ok: }" ;; FAIL:*) fail "${line#FAIL: }" ;; *) echo "$line" ;; esac
done <<<"$out"
[ "$code" -eq 0 ] || grep -q '^FAIL' <<<"$out" || fail "check_trace.py (collector) exited $code"
out="$(/usr/bin/python3 "$CHECK" --unit="$UNITS/v6scope-probe.service" \
  --trace="$WORK/traces/probe" --writable="$WORK/probe" --stand_in_root="$WORK" 2>&1)"
code=$?
while read -r line; do
  case "$line" in ok:*) pass "${line#ok: }" ;; FAIL:*) fail "${line#FAIL: }" ;; *) echo "$line" ;; esac
done <<<"$out"
[ "$code" -eq 0 ] || grep -q '^FAIL' <<<"$out" || fail "check_trace.py (probe) exited $code"

# The checker notices what a sandbox would refuse: the probe's trace
# against a unit without AF_NETLINK, and against a read-only state dir.
sed 's/^RestrictAddressFamilies=.*/RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6/' \
  "$UNITS/v6scope-probe.service" >"$WORK/canary.service"
out="$(/usr/bin/python3 "$CHECK" --unit="$WORK/canary.service" --trace="$WORK/traces/probe" \
  --writable="$WORK/probe" --stand_in_root="$WORK" 2>&1)"
if has 'FAIL: .*socket families' "$out"; then
  pass "checker flags a socket family the unit would refuse"
else fail "checker missed the probe's netlink socket"; fi
out="$(/usr/bin/python3 "$CHECK" --unit="$UNITS/v6scope-probe.service" --trace="$WORK/traces/probe" \
  --writable="$WORK/elsewhere" --stand_in_root="$WORK" 2>&1)"
if has 'FAIL: .*ProtectSystem' "$out"; then
  pass "checker flags writes outside the writable directories"
else fail "checker missed writes outside the writable directories"; fi

finish
