#!/usr/bin/env bash
# The regional office guide's path without systemd, run as written: the
# blocks marked <!-- test:office-nosystemd-start --> and
# <!-- test:office-nosystemd-stop --> of docs/guides/regional-office.md,
# in a directory holding the packages under their Debian names, as root
# (apt install, the printed start-stop-daemon commands, a token, the enrol
# helper with --loopback_targets). Between them: the dashboard at /, the
# probe's run stored; after them: nothing left of the packages.
#
# Needs root, no systemd running, nothing v6scope on the machine and the
# guide's ports 7443 and 8080 free -- else it skips, saying why. The EXIT
# trap stops and purges whatever it started.
#
# usage: office_guide_test.sh PROBE.deb COLLECTOR.deb CLI.deb GUIDE
set -uo pipefail
SUITE=office_guide
source "$(dirname "$0")/lib.sh"

PROBE_DEB="$(readlink -f "$1")" COLLECTOR_DEB="$(readlink -f "$2")" CLI_DEB="$(readlink -f "$3")"
GUIDE="$4"
PACKAGES=(v6scope-cli v6scope-collector v6scope-probe)
USERS=(v6scope v6scope-probe)
LEFT=(/etc/v6scope /var/lib/v6scope /var/lib/v6scope-probe /usr/share/v6scope
  /var/log/v6scope-collector.log /var/log/v6scope-probe.log
  /run/v6scope-collector.pid /run/v6scope-probe.pid)
WORK="$(mktemp -d "${TEST_TMPDIR:-/tmp}/office.XXXXXX")"

# --- may we?
reason=""
[ "$(id -u)" -eq 0 ] || reason="needs root (the guide's commands run as root)"
[ -z "$reason" ] && [ -d /run/systemd/system ] &&
  reason="systemd runs here: this is the guide's path without systemd"
if [ -z "$reason" ]; then
  for p in "${PACKAGES[@]}"; do
    if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -qv '^unknown\|not-installed'; then
      reason="package $p is already on this machine; not touching it"
    fi
  done
  for u in "${USERS[@]}"; do getent passwd "$u" >/dev/null && reason="user $u already exists"; done
  for d in "${LEFT[@]}"; do [ -e "$d" ] && reason="$d already exists"; done
  for port in 7443 8080; do
    ss -Hltn "sport = :$port" | grep -q . && reason="port $port (the guide's) is in use here"
  done
fi
[ -z "$reason" ] || skip_test "the regional office guide without systemd, as written ($reason)"

# block NAME: the guide's <!-- test:NAME --> shell block.
block() {
  awk -v m="<!-- test:$1 -->" '$0 == m { f = 1; next } f && /^```sh/ { g = 1; next }
    g && /^```/ { exit } g { print }' "$GUIDE"
}
for b in office-nosystemd-start office-nosystemd-stop; do
  block "$b" >"$WORK/$b.sh"
  if [ -s "$WORK/$b.sh" ]; then pass "guide block $b found"; else
    fail "no <!-- test:$b --> block in $(basename "$GUIDE")"; finish; exit 1; fi
done

# The packages under the names the guide uses (PACKAGE_VERSION_ARCH.deb),
# where apt's unprivileged downloader can read them.
DEBS_DIR="$(mktemp -d /tmp/v6scope-office-debs.XXXXXX)"
chmod 0755 "$DEBS_DIR"
for d in "$CLI_DEB" "$COLLECTOR_DEB" "$PROBE_DEB"; do
  name="$(dpkg-deb -f "$d" Package)_$(dpkg-deb -f "$d" Version)_$(dpkg-deb -f "$d" Architecture).deb"
  install -m 0644 "$d" "$DEBS_DIR/$name"
  grep -qF "./$name" "$WORK/office-nosystemd-start.sh" ||
    fail "the guide installs another file name than $name (version or architecture changed?)"
done

# apt as a person runs it, answering yes, waiting for the dpkg lock.
printf '%s\n' 'APT::Get::Assume-Yes "true";' 'DPkg::Lock::Timeout "120";' >"$WORK/apt.conf"
export APT_CONFIG="$WORK/apt.conf" DEBIAN_FRONTEND=noninteractive

cleanup_all() {
  local pid
  for pid in /run/v6scope-probe.pid /run/v6scope-collector.pid; do
    [ -f "$pid" ] && start-stop-daemon --stop --quiet --retry TERM/30 --remove-pidfile --pidfile "$pid"
  done
  apt-get purge -y -q "${PACKAGES[@]}" >/dev/null 2>&1
  local u
  for u in "${USERS[@]}"; do
    getent passwd "$u" >/dev/null && deluser --system --quiet "$u" >/dev/null 2>&1
    getent group "$u" >/dev/null && delgroup --system --quiet "$u" >/dev/null 2>&1
  done
  rm -rf "${LEFT[@]}" "$DEBS_DIR"
}
CLEANUPS+=("cleanup_all")

# --- the start block, as written.
if (cd "$DEBS_DIR" && bash -e -x "$WORK/office-nosystemd-start.sh") >"$WORK/start.log" 2>&1; then
  pass "the guide's no-systemd start block runs as written (install, collector, token, enrol --loopback_targets, probe)"
else
  fail "the guide's no-systemd start block"; tail -n 40 "$WORK/start.log"
  tail -n 10 /var/log/v6scope-collector.log /var/log/v6scope-probe.log 2>/dev/null; finish; exit 1
fi
check "apt install printed the collector's no-systemd start command" \
  grep -q 'exec start-stop-daemon --start .*--exec /usr/bin/v6scope-collector' "$WORK/start.log"
check "the collector runs as v6scope" \
  bash -c '[ "$(ps -o uid= -p "$(cat /run/v6scope-collector.pid)" | tr -d " ")" = "$(id -u v6scope)" ]'
check "the probe runs as v6scope-probe" \
  bash -c '[ "$(ps -o uid= -p "$(cat /run/v6scope-probe.pid)" | tr -d " ")" = "$(id -u v6scope-probe)" ]'

got="$(curl -sS http://localhost:8080/ 2>&1)"
if [ -n "$got" ] && [ "$got" = "$(cat /usr/share/v6scope/dashboard/index.html)" ]; then
  pass "the dashboard is at http://localhost:8080/ (GET / is its index.html)"
else fail "GET http://localhost:8080/: $(head -c 300 <<<"$got")"; fi

# The probe's first run (it measures at once) reaches the collector.
probe_id="$(sed -n 's/^probe_id=//p' /var/lib/v6scope-probe/identity 2>/dev/null)"
stored=0
for _ in $(seq 1 120); do
  if [ -n "$probe_id" ] && v6scope --collector=localhost:7443 --format=csv runs 2>/dev/null | grep -q "$probe_id"; then
    stored=1; break
  fi
  sleep 0.5
done
if [ "$stored" -eq 1 ]; then pass "v6scope runs lists the probe's run (the guide's check)"; else
  fail "no run of probe '$probe_id' stored"; tail -n 10 /var/log/v6scope-probe.log; fi

# --- the stop block, as written: both stop, everything goes.
if (cd "$DEBS_DIR" && bash -e -x "$WORK/office-nosystemd-stop.sh") >"$WORK/stop.log" 2>&1; then
  pass "the guide's stop and purge block runs as written"
else fail "the guide's stop and purge block"; tail -n 20 "$WORK/stop.log"; fi
for d in "${LEFT[@]}"; do check "nothing left: $d" test ! -e "$d"; done
for u in "${USERS[@]}"; do check "nothing left: user $u" bash -c "! getent passwd $u"; done
for p in "${PACKAGES[@]}"; do
  check "$p purged" bash -c "! dpkg-query -W -f='\${Status}' $p 2>/dev/null | grep -q installed"
done

finish
