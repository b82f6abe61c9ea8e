#!/usr/bin/env bash
# The systemd units as packaged: `systemd-analyze verify` (no warnings at
# all) in a root holding the packaged files, the exposure score of
# `systemd-analyze security --offline`, the hardening each unit must keep,
# and that units, maintainer scripts, conffiles and the enrol helper agree
# on users, paths and signals. systemd need not be running.
#
# The exposure scores are also stated in the regional office guide: they
# must match.
#
# usage: units_test.sh PROBE.deb COLLECTOR.deb GUIDE
set -uo pipefail
SUITE=units
source "$(dirname "$0")/lib.sh"

PROBE_DEB="$1" COLLECTOR_DEB="$2" GUIDE="$3"
WORK="$(mktemp -d "${TEST_TMPDIR:-/tmp}/units.XXXXXX")"
ROOT="$WORK/root"
mkdir -p "$ROOT"
dpkg-deb -x "$PROBE_DEB" "$ROOT"
dpkg-deb -x "$COLLECTOR_DEB" "$ROOT"
mkdir -p "$WORK/ctl"
dpkg-deb -e "$PROBE_DEB" "$WORK/ctl/probe"
dpkg-deb -e "$COLLECTOR_DEB" "$WORK/ctl/collector"
P="$ROOT/lib/systemd/system/v6scope-probe.service"
C="$ROOT/lib/systemd/system/v6scope-collector.service"
# Most exposed the units may be (systemd-analyze security: 0 best, 10
# worst; "OK" is below 2.0). Today: probe 1.3, collector 1.2.
MAX_EXPOSURE=2.0

# --- what each unit must say (the directives and their values).
must() {  # must UNIT KEY VALUE: exactly one KEY= line with that value.
  local got
  got="$(unit_key "$1" "$2")"
  if [ "$got" = "$3" ]; then pass "$(basename "$1"): $2=$3"; else
    fail "$(basename "$1"): $2 is '$got', want '$3'"; fi
}
for u in "$P" "$C"; do
  must "$u" NoNewPrivileges yes
  must "$u" ProtectSystem strict
  must "$u" ProtectHome yes
  must "$u" PrivateTmp yes
  must "$u" PrivateDevices yes
  must "$u" CapabilityBoundingSet ""
  must "$u" AmbientCapabilities ""
  must "$u" RestrictSUIDSGID yes
  must "$u" RestrictNamespaces yes
  must "$u" MemoryDenyWriteExecute yes
  must "$u" SystemCallArchitectures native
  must "$u" KillSignal SIGTERM
  must "$u" Restart on-failure
  must "$u" Type exec
  must "$u" WantedBy multi-user.target
done
must "$P" User v6scope-probe
must "$P" StateDirectory v6scope-probe
must "$P" StateDirectoryMode 0700
must "$P" RestrictAddressFamilies "AF_UNIX AF_INET AF_INET6 AF_NETLINK"
must "$C" User v6scope
must "$C" StateDirectory v6scope
must "$C" StateDirectoryMode 0750
must "$C" RestrictAddressFamilies "AF_UNIX AF_INET AF_INET6"
# shellcheck disable=SC2016  # the unit's literal $MAINPID
must "$C" ExecReload '/bin/kill -HUP $MAINPID'
# The probe reads /proc/net/route and /proc/net/ipv6_route
# (probe/inventory): ProcSubset=pid would hide them.
if grep -q '^ProcSubset=pid' "$P"; then fail "probe unit hides /proc/net (ProcSubset=pid)"; else
  pass "probe unit leaves /proc/net readable (no ProcSubset=pid)"; fi
# The probe's TimeoutStopSec must cover a run in progress: the large
# object's deadline alone is 3 x http_timeout_ms (30 s by default).
stop="$(unit_key "$P" TimeoutStopSec)"
if [ "${stop%s}" -ge 60 ] 2>/dev/null; then pass "probe TimeoutStopSec=$stop covers a run"; else
  fail "probe TimeoutStopSec=$stop is shorter than a run"; fi

# --- units, packages and helper agree.
script_var() { sed -n "s/^$2=//p" "$1" | head -n 1; }
for pair in "probe:$P" "collector:$C"; do
  name="${pair%%:*}" unit="${pair#*:}"
  postinst="$WORK/ctl/$name/postinst"
  user="$(unit_key "$unit" User)" state="/var/lib/$(unit_key "$unit" StateDirectory)"
  if [ "$(script_var "$postinst" NAME)" = "$user" ]; then pass "$name: postinst creates the unit's user $user"; else
    fail "$name: postinst creates '$(script_var "$postinst" NAME)', the unit runs as '$user'"; fi
  if [ "$(script_var "$postinst" STATE_DIR)" = "$state" ]; then pass "$name: postinst and unit share $state"; else
    fail "$name: postinst STATE_DIR '$(script_var "$postinst" STATE_DIR)' != unit's $state"; fi
  exe="$(unit_key "$unit" ExecStart | awk '{ print $1 }')"
  check "$name: ExecStart $exe is in the package" test -x "$ROOT$exe"
  envfile="$(unit_key "$unit" EnvironmentFile)"
  if [ "${envfile:0:1}" = "-" ]; then pass "$name: EnvironmentFile optional ($envfile)"; else
    fail "$name: EnvironmentFile '$envfile' is not optional ('-')"; fi
  config="$(unit_key "$unit" ExecStart | grep -o -- '--config=[^ ]*' | cut -d= -f2)"
  check "$name: the unit's --config $config is a conffile" grep -qx "$config" "$WORK/ctl/$name/conffiles"
done
check "collector: data_dir in the conffile is the StateDirectory" \
  grep -q '^data_dir: "/var/lib/v6scope"' "$ROOT/etc/v6scope/collector.textproto"
check "collector: the EnvironmentFile is a conffile" \
  grep -qx /etc/v6scope/collector.env "$WORK/ctl/collector/conffiles"
H="$ROOT/usr/sbin/v6scope-probe-enrol"
for cond in $(unit_key "$P" ConditionPathExists); do
  check "probe: ConditionPathExists $cond is what the enrol helper writes" grep -q "${cond#/etc/v6scope/}\|${cond#/var/lib/v6scope-probe/}" "$H"
done
# shellcheck disable=SC2016  # the helper's literal text
check "probe: the helper writes the unit's EnvironmentFile" \
  grep -q 'ENV_FILE="$CONF_DIR/probe.env"' "$H"
check "probe: the unit passes the helper's target set" \
  grep -q -- '--targets=/etc/v6scope/targets.textproto' "$P"

# --- without systemd, postinst (collector) and the enrol helper (probe)
# print the command that starts the daemon: it must run what the unit runs
# (user, umask, EnvironmentFile, ExecStart), in the background.
nosystemd_command() {  # nosystemd_command UNIT NAME: what the unit implies.
  local unit="$1" name="$2" exec
  exec="$(unit_key "$unit" ExecStart)"
  printf '(set -a; . %s; exec start-stop-daemon --start --background --make-pidfile --pidfile /run/%s.pid --chuid %s:%s --umask %s --output /var/log/%s.log --exec %s -- %s)\n' \
    "$(unit_key "$unit" EnvironmentFile | sed 's/^-//')" "$name" "$(unit_key "$unit" User)" \
    "$(unit_key "$unit" Group)" "$(unit_key "$unit" UMask | sed 's/^0//')" "$name" \
    "${exec%% *}" "${exec#* }"
}
postinst="$WORK/ctl/collector/postinst"
printed="$(sh -c "NAME=v6scope; $(sed -n '/^no_systemd_message()/,/^}/p' "$postinst"); no_systemd_message")"
want="$(nosystemd_command "$C" v6scope-collector)"
if grep -qxF "    $want" <<<"$printed"; then
  pass "collector postinst without systemd prints the unit's ExecStart as its user (start-stop-daemon)"
else fail "collector postinst's start command differs from the unit: want '$want', printed: $printed"; fi
check "collector postinst without systemd says how to stop it" \
  grep -qF 'start-stop-daemon --stop --retry TERM/30 --remove-pidfile --pidfile /run/v6scope-collector.pid' <<<"$printed"
line="$(grep 'exec start-stop-daemon' "$H")"
# shellcheck disable=SC2016  # the helper's literal text, expanded below
printed="$(USER_NAME=v6scope-probe ENV_FILE=/etc/v6scope/probe.env PROBE=/usr/bin/v6scope-probe \
  CONF_DIR=/etc/v6scope STATE_DIR=/var/lib/v6scope-probe sh -c "$line")"
want="$(nosystemd_command "$P" v6scope-probe)"
if [ "$printed" = "  $want" ]; then
  pass "enrol helper without systemd prints the probe unit's ExecStart as its user (start-stop-daemon)"
else fail "enrol helper's start command differs from the unit: want '$want', printed '$printed'"; fi

# --- systemd-analyze, in a root with the packaged files and the host's
# own units (the targets the units refer to).
if ! command -v systemd-analyze >/dev/null; then
  skip "systemd-analyze verify (systemd-analyze not installed: apt-get install systemd)"
  skip "systemd-analyze security (systemd-analyze not installed)"
  finish; exit $?
fi
if [ ! -f /lib/systemd/system/sysinit.target ]; then
  skip "systemd-analyze verify (no systemd units on this host to resolve targets)"
  finish; exit $?
fi
cp -an /lib/systemd/system/. "$ROOT/lib/systemd/system/"
mkdir -p "$ROOT/bin"
cp /bin/kill "$ROOT/bin/kill"  # ExecReload (procps, a Depends)
verify() {  # verify UNIT...: rc 0 and not a line of output.
  local out
  out="$(systemd-analyze verify --man=no --root="$ROOT" "$@" 2>&1)" || { echo "$out"; return 1; }
  [ -z "$out" ] || { echo "$out"; return 1; }
}
for u in v6scope-probe.service v6scope-collector.service; do
  check "systemd-analyze verify $u: no errors, no warnings" verify "/lib/systemd/system/$u"
done
# The harness notices a bad unit: an unknown key only warns (rc 0).
sed 's/^NoNewPrivileges=yes/NoNewPrivileges=yes\nNoSuchKey=1/' "$P" >"$ROOT/lib/systemd/system/v6scope-canary.service"
if verify /lib/systemd/system/v6scope-canary.service >/dev/null; then
  fail "verify harness missed an unknown key"; else pass "verify harness catches an unknown key"; fi
rm -f "$ROOT/lib/systemd/system/v6scope-canary.service"

for u in v6scope-probe.service v6scope-collector.service; do
  out="$(systemd-analyze security --offline=true --root="$ROOT" "/lib/systemd/system/$u" 2>&1)"
  score="$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' <<<"$out")"
  echo "   $u: exposure $score"
  if [ -n "$score" ] && awk -v s="$score" -v m="$MAX_EXPOSURE" 'BEGIN { exit !(s <= m) }'; then
    pass "systemd-analyze security $u: exposure $score <= $MAX_EXPOSURE"
  else
    fail "systemd-analyze security $u: exposure '$score' (max $MAX_EXPOSURE)"; echo "$out" | tail -n 30
  fi
  stated="$(sed -n "s/^| \`$u\` | \([0-9.]*\) .*/\1/p" "$GUIDE")"
  if [ -n "$score" ] && [ "$stated" = "$score" ]; then
    pass "$(basename "$GUIDE") states $u's exposure as $score"
  else fail "$(basename "$GUIDE") states $u's exposure as '$stated', systemd-analyze says '$score'"; fi
done

finish
