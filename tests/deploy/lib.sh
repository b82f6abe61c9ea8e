# shellcheck shell=bash
# Shared by the deployment tests (tests/deploy): recorded checks with a
# JUnit report Bazel reads from $XML_OUTPUT_FILE (as tests/e2e/lib.sh, plus
# skipped cases, which tools/test_summary.py counts as skipped), process
# cleanup, and helpers for the packages Bazel built (//deploy/debian:debs).
# Source it after setting SUITE.

FAILS=0
PIDS=()
CLEANUPS=()
run_cleanups() {
  local pid c
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for c in "${CLEANUPS[@]}"; do eval "$c" || true; done
}
trap run_cleanups EXIT
# Killed (a Bazel timeout sends SIGTERM first): still clean up.
trap 'exit 143' TERM INT HUP

CASES=()  # "ok|name", "FAIL|name" or "SKIP|name", one per check.
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); CASES+=("FAIL|$*"); }
pass() { echo "ok: $*"; CASES+=("ok|$*"); }
skip() { echo "skipped: $*"; CASES+=("SKIP|$*"); }
# check DESCRIPTION command...: one recorded check; output shown on failure.
check() {
  local what="$1" out
  shift
  if out="$("$@" 2>&1)"; then pass "$what"; else fail "$what"; echo "$out" | tail -n 20; fi
}
has() { grep -q -- "$1" <<<"$2"; }  # has PATTERN TEXT

write_junit() {
  [ -n "${XML_OUTPUT_FILE:-}" ] || return 0
  {
    echo '<?xml version="1.0" encoding="UTF-8"?>'
    echo "<testsuites><testsuite name=\"${SUITE:-deploy}\" tests=\"${#CASES[@]}\" failures=\"$FAILS\">"
    local c name
    for c in "${CASES[@]}"; do
      name="${c#*|}"
      name="$(printf '%s' "${name:0:200}" | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g')"
      case "${c%%|*}" in
        ok) echo "<testcase name=\"$name\"/>" ;;
        SKIP) echo "<testcase name=\"$name\"><skipped/></testcase>" ;;
        *) echo "<testcase name=\"$name\"><failure message=\"failed\"/></testcase>" ;;
      esac
    done
    echo '</testsuite></testsuites>'
  } >"$XML_OUTPUT_FILE"
}

# finish: writes the report and exits non-zero on any failed check.
finish() {
  write_junit
  echo "$FAILS failures"
  [ "$FAILS" -eq 0 ]
}

# wait_for FILE PATTERN [SECONDS]: polls until the pattern shows up.
wait_for() {
  local tries=$(( ${3:-10} * 20 ))
  for _ in $(seq 1 "$tries"); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}

# wait_file FILE [SECONDS]: polls until the file is non-empty (port files
# are written after the "listening" log line).
wait_file() {
  local tries=$(( ${2:-10} * 20 ))
  for _ in $(seq 1 "$tries"); do
    [ -s "$1" ] && return 0
    sleep 0.05
  done
  return 1
}

# wait_exit PID SECONDS: waits for a child to exit; its status in $EXIT.
wait_exit() {
  local pid="$1" tries=$(( $2 * 20 ))
  for _ in $(seq 1 "$tries"); do
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid"; EXIT=$?
      return 0
    fi
    sleep 0.05
  done
  return 1
}

# The workspace's source tree, for files no BUILD file exports (e.g.
# tools/install-deps): found through a runfile's symlink.
workspace_root() {
  local f
  f="$(readlink -f "$1")" || return 1
  (cd "$(dirname "$f")/$2" && pwd)
}

# unit_key UNIT KEY: the values of KEY= in a unit file, one per line.
unit_key() { sed -n "s/^$2=//p" "$1"; }

# loopback_targets PORT: a v6scope.v1.TargetSet for the collector's built-in
# targets on this machine (what --loopback_targets builds), as text.
loopback_targets() {
  cat <<EOF
name: "loopback"
scheme: "http"
port: $1
dual_stack_host: "ds.localhost"
v4_only_host: "v4.localhost"
v6_only_host: "v6.localhost"
v6_literal: "::1"
nat64_discovery_name: "-"
static_hosts { name: "ds.localhost" addresses: "::1" addresses: "127.0.0.1" }
static_hosts { name: "v4.localhost" addresses: "127.0.0.1" }
static_hosts { name: "v6.localhost" addresses: "::1" }
EOF
}
