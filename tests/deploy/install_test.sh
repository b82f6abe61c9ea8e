#!/usr/bin/env bash
# The packages installed on this machine for real, and undone, with the
# commands the guides give (apt-get install ./FILE.deb, remove, purge):
# v6scope-cli, v6scope-collector and v6scope-probe; what postinst says
# without systemd; users, directories, modes, conffiles and service links;
# a reinstall (the maintainer scripts are idempotent); the collector
# started from its installed unit's ExecStart as its user, serving the
# packaged dashboard at /; a token; the probe enrolled with the packaged
# v6scope-probe-enrol --loopback_targets (the example built-in target set);
# the probe daemon started from its unit's ExecStart; the run stored;
# SIGHUP and SIGTERM; then remove (state and settings stay) and purge
# (nothing stays: files, users, links, /etc/v6scope/tls, the logs of
# hand-started daemons). apt-get waits for
# the dpkg lock if another install runs, and must install nothing but the
# three packages (every Depends is here already: the build needs the same
# libraries), which a simulated install checks first -- no downloads.
#
# Needs root, and refuses to touch a machine where any of it already
# exists (installed packages, the users, /etc/v6scope, the state
# directories) or where systemd runs (installing would start services):
# it skips, saying why. The EXIT trap purges whatever it installed.
#
# usage: install_test.sh PROBE.deb COLLECTOR.deb CLI.deb
set -uo pipefail
SUITE=install
source "$(dirname "$0")/lib.sh"

PROBE_DEB="$(readlink -f "$1")" COLLECTOR_DEB="$(readlink -f "$2")" CLI_DEB="$(readlink -f "$3")"
PACKAGES=(v6scope-cli v6scope-collector v6scope-probe)
USERS=(v6scope v6scope-probe)
PATHS=(/etc/v6scope /var/lib/v6scope /var/lib/v6scope-probe)
WORK="$(mktemp -d "${TEST_TMPDIR:-/tmp}/install.XXXXXX")"

# --- may we?
reason=""
[ "$(id -u)" -eq 0 ] || reason="needs root (apt-get install)"
[ -z "$reason" ] && [ -d /run/systemd/system ] &&
  reason="systemd runs here: installing would start v6scope services on this host"
if [ -z "$reason" ]; then
  for p in "${PACKAGES[@]}"; do
    if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -qv '^unknown\|not-installed'; then
      reason="package $p is already on this machine; not touching it"
    fi
  done
  for u in "${USERS[@]}"; do getent passwd "$u" >/dev/null && reason="user $u already exists"; done
  for d in "${PATHS[@]}"; do [ -e "$d" ] && reason="$d already exists"; done
fi
if [ -n "$reason" ]; then
  skip "install, enrol, store, remove, purge on this machine ($reason)"
  finish; exit $?
fi

# apt ARGS...: apt-get, offline, non-interactive, waiting for the lock.
apt() {
  DEBIAN_FRONTEND=noninteractive apt-get -y -q --no-install-recommends \
    -o DPkg::Lock::Timeout=120 "$@" 2>&1
}
# The .deb files where apt's unprivileged downloader can read them.
DEBS_DIR="$(mktemp -d /tmp/v6scope-install-debs.XXXXXX)"
CLEANUPS+=("rm -rf '$DEBS_DIR'")
chmod 0755 "$DEBS_DIR"
cp "$CLI_DEB" "$DEBS_DIR/v6scope-cli.deb"
cp "$COLLECTOR_DEB" "$DEBS_DIR/v6scope-collector.deb"
cp "$PROBE_DEB" "$DEBS_DIR/v6scope-probe.deb"
chmod 0644 "$DEBS_DIR"/*.deb
LOCAL_DEBS=("$DEBS_DIR/v6scope-cli.deb" "$DEBS_DIR/v6scope-collector.deb" "$DEBS_DIR/v6scope-probe.deb")

purge_all() {
  apt purge "${PACKAGES[@]}" >/dev/null 2>&1 || dpkg --purge "${PACKAGES[@]}" >/dev/null 2>&1
  local u
  for u in "${USERS[@]}"; do
    getent passwd "$u" >/dev/null && deluser --system --quiet "$u" >/dev/null 2>&1
    getent group "$u" >/dev/null && delgroup --system --quiet "$u" >/dev/null 2>&1
  done
  rm -rf "${PATHS[@]}"
}
CLEANUPS+=("purge_all")

# --- install
plan="$(apt install --simulate "${LOCAL_DEBS[@]}" | sed -n 's/^Inst \([^ ]*\).*/\1/p' | sort | tr '\n' ' ')"
if [ "$plan" = "v6scope-cli v6scope-collector v6scope-probe " ]; then
  pass "apt-get would install only the three packages (Depends all present)"
else
  fail "apt-get would install: $plan (missing Depends; not downloading in a test)"; finish; exit 1
fi
if out="$(apt install "${LOCAL_DEBS[@]}")"; then
  pass "apt-get install ./v6scope-{cli,collector,probe}.deb"
else
  fail "apt-get install"; echo "$out"; finish; exit 1
fi
# Without systemd: what was installed and the exact commands (their text
# is checked against the units by units_test).
if has "v6scope-collector: systemd is not running here, so the collector was not started" "$out" &&
  has "exec start-stop-daemon --start .* --exec /usr/bin/v6scope-collector -- --config=/etc/v6scope/collector.textproto" "$out" &&
  has "dashboard /usr/share/v6scope/dashboard" "$out"; then
  pass "collector postinst without systemd says what it installed and how to start it"
else fail "collector postinst's no-systemd message missing: $out"; fi
if has "v6scope-probe: systemd is not running here" "$out" && has "v6scope-probe-enrol" "$out"; then
  pass "probe postinst without systemd says to enrol (the helper prints the start command)"
else fail "probe postinst's no-systemd message missing: $out"; fi
for p in "${PACKAGES[@]}"; do
  check "$p: install ok installed" bash -c "dpkg-query -W -f='\${Status}' $p | grep -qx 'install ok installed'"
done

# expect_stat PATH "MODE OWNER GROUP"
expect_stat() {
  local got
  got="$(stat -c '%a %U %G' "$1" 2>&1)"
  if [ "$got" = "$2" ]; then pass "$1: $2"; else fail "$1: '$got', want '$2'"; fi
}
installed_state() {  # what the maintainer scripts must have set up
  local u
  for u in "${USERS[@]}"; do
    local entry uid
    entry="$(getent passwd "$u")"
    uid="$(cut -d: -f3 <<<"$entry")"
    if [ -n "$entry" ] && [ "$uid" -lt 1000 ] && [ "$(cut -d: -f7 <<<"$entry")" = /usr/sbin/nologin ]; then
      pass "system user $u (uid $uid, no login shell)"
    else fail "user $u: '$entry'"; fi
    check "group $u" getent group "$u"
  done
  expect_stat /var/lib/v6scope "750 v6scope v6scope"
  expect_stat /var/lib/v6scope-probe "700 v6scope-probe v6scope-probe"
  expect_stat /etc/v6scope/collector.env "600 root root"
  expect_stat /etc/v6scope/collector.textproto "644 root root"
  expect_stat /etc/v6scope/probe.textproto "644 root root"
  expect_stat /usr/bin/v6scope-probe "755 root root"
  expect_stat /usr/sbin/v6scope-probe-enrol "755 root root"
  expect_stat /usr/share/v6scope/dashboard/index.html "644 root root"
  expect_stat /usr/share/v6scope/targets/builtin-loopback.textproto "644 root root"
  local conf
  conf="$(dpkg-query -W -f='${Conffiles}\n' v6scope-collector v6scope-probe | awk 'NF { print $1 }' | sort | tr '\n' ' ')"
  if [ "$conf" = "/etc/v6scope/collector.env /etc/v6scope/collector.textproto /etc/v6scope/probe.textproto " ]; then
    pass "dpkg registered the conffiles"; else fail "conffiles registered: '$conf'"; fi
  # Enabled the way deb-systemd-helper does without a running systemd.
  check "v6scope-collector.service enabled (multi-user.target.wants)" \
    test -L /etc/systemd/system/multi-user.target.wants/v6scope-collector.service
  check "v6scope-probe.service enabled (multi-user.target.wants)" \
    test -L /etc/systemd/system/multi-user.target.wants/v6scope-probe.service
}
installed_state
UIDS_BEFORE="$(id -u v6scope) $(id -u v6scope-probe)"

# --- the maintainer scripts are idempotent: the upgrade sequence dpkg runs
# on a reinstall (old prerm upgrade, new postinst configure OLD-VERSION),
# run directly -- a second apt-get install would take as long again.
VERSION="$(dpkg-query -W -f='${Version}' v6scope-probe)"
for p in v6scope-collector v6scope-probe; do
  if out="$(/var/lib/dpkg/info/$p.prerm upgrade "$VERSION" 2>&1 &&
    /var/lib/dpkg/info/$p.postinst configure "$VERSION" 2>&1)"; then
    pass "$p: prerm upgrade + postinst configure $VERSION again succeed"
  else fail "$p: maintainer scripts on reconfigure: $out"; fi
done
if [ "$(id -u v6scope) $(id -u v6scope-probe)" = "$UIDS_BEFORE" ]; then
  pass "reconfigure keeps the users"; else fail "reconfigure changed the users"; fi
fails_before=$FAILS
installed_state >/dev/null
if [ "$FAILS" -eq "$fails_before" ]; then pass "state after reconfigure unchanged"; else
  fail "state changed by reconfigure"; fi

# start_unit UNIT LOG EXTRA_ARG...: runs the installed unit's ExecStart as
# its User=/Group=, with its EnvironmentFile= and UMask=, the way systemd
# would (unbraced $VAR split into words) -- plus test arguments. Sets PID.
start_unit() {
  local unit="/lib/systemd/system/$1" log="$2"
  shift 2
  local extra=("$@") user group envfile umask exec
  user="$(unit_key "$unit" User)" group="$(unit_key "$unit" Group)"
  envfile="$(unit_key "$unit" EnvironmentFile)" umask="$(unit_key "$unit" UMask)"
  exec="$(unit_key "$unit" ExecStart)"
  (
    set -a
    # shellcheck disable=SC1090
    if [ -f "${envfile#-}" ]; then . "${envfile#-}"; fi
    set +a
    umask "$umask"
    eval "set -- $exec"  # $VARs of the unit expanded and split, as systemd does
    exec setpriv --reuid="$user" --regid="$group" --init-groups -- "$@" "${extra[@]}"
  ) >"$log" 2>&1 &
  PID=$!
}

# --- the collector, as its unit starts it (test ports: the conffile's
# localhost:7443 may be taken on a shared machine).
start_unit v6scope-collector.service "$WORK/collector.log" \
  --grpc_listen=127.0.0.1:0 --port_file=/var/lib/v6scope/test.port \
  --http_listen="[::]:0" --http_port_file=/var/lib/v6scope/test.http_port
COLLECTOR_PID=$PID
PIDS+=("$COLLECTOR_PID")
if wait_file /var/lib/v6scope/test.port 20 && wait_file /var/lib/v6scope/test.http_port 5; then
  pass "collector starts from its unit's ExecStart as user v6scope"
else fail "collector did not start"; cat "$WORK/collector.log"; finish; exit 1; fi
ADDR="127.0.0.1:$(cat /var/lib/v6scope/test.port)"
HTTP_PORT="$(cat /var/lib/v6scope/test.http_port)"
expect_stat /var/lib/v6scope/admin.secret "600 v6scope v6scope"
# The dashboard, served by default (the conffile's dashboard_dir).
got="$(curl -sS "http://127.0.0.1:$HTTP_PORT/" 2>&1)"
if [ -n "$got" ] && [ "$got" = "$(cat /usr/share/v6scope/dashboard/index.html)" ]; then
  pass "the installed collector serves the installed dashboard: GET / is its index.html"
else fail "GET / on the installed collector: $(head -c 300 <<<"$got")"; fi
check "collector's process runs as v6scope" bash -c "[ \"\$(ps -o user= -p $COLLECTOR_PID)\" = v6scope ]"

# --- a token, as an administrator on the collector host (default secret path).
TOKEN="$(v6scope --collector="$ADDR" --format=csv admin token create --org=install-test 2>"$WORK/cli.err" | sed -n 2p | cut -d, -f1)"
if [[ "$TOKEN" == et-* ]]; then pass "v6scope admin token create (root reads /var/lib/v6scope/admin.secret)"; else
  fail "no token: $(cat "$WORK/cli.err")"; fi

# --- enrol with the packaged helper and the example built-in target set
# (no --targets), the token on standard input.
if out="$(printf '%s\n' "$TOKEN" | v6scope-probe-enrol --collector="$ADDR" --token_file=- \
  --loopback_targets="$HTTP_PORT" 2>&1)"; then
  pass "v6scope-probe-enrol --loopback_targets enrols (no --targets)"
else fail "v6scope-probe-enrol --loopback_targets: $out"; fi
if has "systemd is not running" "$out" && has "exec start-stop-daemon --start" "$out"; then
  pass "v6scope-probe-enrol says how to start without systemd"
else fail "v6scope-probe-enrol's no-systemd start command: $out"; fi
if [ "$(cat /etc/v6scope/targets.textproto 2>&1)" = \
  "$(sed "s/^port: 8080\$/port: $HTTP_PORT/" /usr/share/v6scope/targets/builtin-loopback.textproto)" ]; then
  pass "--loopback_targets installed the example target set with the collector's HTTP port"
else fail "/etc/v6scope/targets.textproto: $(cat /etc/v6scope/targets.textproto 2>&1)"; fi
expect_stat /var/lib/v6scope-probe/identity "600 v6scope-probe v6scope-probe"
expect_stat /etc/v6scope/targets.textproto "644 root root"
expect_stat /etc/v6scope/probe.env "644 root root"
check "probe.env sets V6SCOPE_PROBE_ARGS" grep -q '^V6SCOPE_PROBE_ARGS=""$' /etc/v6scope/probe.env
out="$(v6scope-probe-enrol --collector="$ADDR" --token="$TOKEN" 2>&1)"; code=$?
if [ "$code" -ne 0 ] && has "already enrolled" "$out"; then pass "v6scope-probe-enrol refuses to enrol twice"; else
  fail "second enrolment: $out"; fi

# --- the probe daemon, as its unit starts it: one run, then stop.
start_unit v6scope-probe.service "$WORK/probe.log" \
  --max_runs=1 --interval=1s --final_drain=15s --metrics_listen=
PROBE_PID=$PID
PIDS+=("$PROBE_PID")
if wait_exit "$PROBE_PID" 60 && [ "$EXIT" -eq 0 ]; then
  pass "probe daemon from its unit's ExecStart (as v6scope-probe) measures, uploads, exits 0"
else fail "probe daemon"; tail -n 20 "$WORK/probe.log"; fi
PROBE_ID="$(sed -n 's/^probe_id=//p' /var/lib/v6scope-probe/identity 2>/dev/null)"
RUNS="$(v6scope --collector="$ADDR" --format=csv runs 2>&1)"
if [ -n "$PROBE_ID" ] && [ "$(grep -c "$PROBE_ID" <<<"$RUNS")" -ge 1 ]; then
  pass "the collector stored the probe's run (v6scope runs)"
else fail "stored runs: $RUNS (probe '$PROBE_ID')"; fi
check "v6scope probes lists the probe" bash -c "v6scope --collector='$ADDR' probes | grep -q '$PROBE_ID'"

# --- the probe host guide: what a run contains, as any user, no upload.
if out="$(setpriv --reuid=nobody --regid=nogroup --clear-groups -- v6scope-probe run-once --json \
  --config=/etc/v6scope/probe.textproto --targets=/etc/v6scope/targets.textproto 2>/dev/null)" &&
  has '"verdict"' "$out"; then
  pass "probe host guide: run-once --json shows a run (unprivileged, nothing sent)"
else fail "run-once --json: $out"; fi

# --- the regional office guide: an online SQLite backup; a revoked probe.
if command -v sqlite3 >/dev/null; then
  if sqlite3 /var/lib/v6scope/v6scope.db ".backup '$WORK/backup.db'" && [ -s "$WORK/backup.db" ]; then
    pass "regional office guide: sqlite3 .backup of the running collector's database"
  else fail "sqlite3 .backup"; fi
else skip "SQLite backup (sqlite3 not installed)"; fi
if out="$(v6scope --collector="$ADDR" admin probe revoke "$PROBE_ID" 2>&1)"; then
  pass "v6scope admin probe revoke"
else fail "revoke: $out"; fi
out="$(setpriv --reuid=v6scope-probe --regid=v6scope-probe --init-groups -- v6scope-probe run-once --upload \
  --config=/etc/v6scope/probe.textproto --targets=/etc/v6scope/targets.textproto \
  --state_dir=/var/lib/v6scope-probe 2>&1)"
if has "revoked" "$out"; then pass "a revoked probe's upload is refused"; else
  fail "upload after revoke: $out"; fi

# --- reload and stop, as ExecReload= and KillSignal= do.
kill -HUP "$COLLECTOR_PID"
if wait_for "$WORK/collector.log" 'attribution\.' 5 && kill -0 "$COLLECTOR_PID"; then
  pass "SIGHUP (ExecReload): collector reloads and keeps running"
else fail "SIGHUP"; fi
kill -TERM "$COLLECTOR_PID"
if wait_exit "$COLLECTOR_PID" 30 && [ "$EXIT" -eq 0 ] && grep -q 'event=collector.stopped' "$WORK/collector.log"; then
  pass "SIGTERM stops the collector cleanly (exit 0)"
else fail "collector stop"; tail -n 5 "$WORK/collector.log"; fi

# --- the backup restores: a collector on the copy has the run.
if [ -s "$WORK/backup.db" ]; then
  mkdir -p "$WORK/restore" && cp "$WORK/backup.db" "$WORK/restore/v6scope.db"
  v6scope-collector --grpc_listen=127.0.0.1:0 --port_file="$WORK/restore.port" \
    --data_dir="$WORK/restore" >"$WORK/restore.log" 2>&1 &
  RESTORE_PID=$!
  PIDS+=("$RESTORE_PID")
  if wait_file "$WORK/restore.port" 20 &&
    v6scope --collector="127.0.0.1:$(cat "$WORK/restore.port")" --format=csv runs | grep -q "$PROBE_ID"; then
    pass "the backup restores: a collector on the copy lists the run"
  else fail "restore from the backup"; tail -n 5 "$WORK/restore.log"; fi
  kill -TERM "$RESTORE_PID"; wait_exit "$RESTORE_PID" 15
fi

# --- remove: programs go; settings, state and users stay.
if out="$(apt remove "${PACKAGES[@]}")"; then pass "apt-get remove"; else fail "apt-get remove: $out"; fi
for f in /usr/bin/v6scope /usr/bin/v6scope-collector /usr/bin/v6scope-probe /usr/sbin/v6scope-probe-enrol \
  /lib/systemd/system/v6scope-collector.service /lib/systemd/system/v6scope-probe.service; do
  check "removed: $f" test ! -e "$f"
done
for f in /etc/v6scope/collector.textproto /etc/v6scope/collector.env /etc/v6scope/probe.textproto \
  /var/lib/v6scope/v6scope.db /var/lib/v6scope/admin.secret /var/lib/v6scope-probe/identity; do
  check "kept after remove: $f" test -e "$f"
done
check "users kept after remove" id v6scope-probe

# What the guides and the printed commands have the administrator create
# for the packages: the collector's TLS files, the logs and pid files of
# daemons started by hand. Purge removes them too.
install -d -m 0750 -g v6scope /etc/v6scope/tls
install -m 0640 -g v6scope /dev/null /etc/v6scope/tls/collector.key
for f in /var/log/v6scope-collector.log /var/log/v6scope-probe.log \
  /run/v6scope-collector.pid /run/v6scope-probe.pid; do
  : >"$f"; CLEANUPS+=("rm -f '$f'")
done
check "services masked after remove (as debhelper does)" \
  test -L /etc/systemd/system/v6scope-collector.service

# --- purge: nothing stays.
if out="$(apt purge "${PACKAGES[@]}")"; then pass "apt-get purge"; else fail "apt-get purge: $out"; fi
for p in "${PACKAGES[@]}"; do
  check "$p: gone from dpkg's database" bash -c "! dpkg-query -W -f='\${Status}' $p 2>/dev/null | grep -q installed"
done
for d in "${PATHS[@]}" /usr/share/v6scope /var/log/v6scope-collector.log /var/log/v6scope-probe.log \
  /run/v6scope-collector.pid /run/v6scope-probe.pid; do
  check "purged: $d" test ! -e "$d"
done
for u in "${USERS[@]}"; do
  check "purged: user $u" bash -c "! getent passwd $u"
  check "purged: group $u" bash -c "! getent group $u"
done
left="$(find /etc/systemd/system /var/lib/systemd/deb-systemd-helper-enabled \
  /var/lib/systemd/deb-systemd-helper-masked -name '*v6scope*' 2>/dev/null)"
if [ -z "$left" ]; then pass "no service links or helper state left"; else fail "left behind: $left"; fi

finish
