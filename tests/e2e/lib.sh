# shellcheck shell=bash
# Shared by the shell tests (tests/e2e, tests/dashboard, tests/deploy):
# recorded checks with a JUnit report Bazel reads from $XML_OUTPUT_FILE
# (skipped cases included, which tools/test_summary.py counts as skipped),
# process and custom cleanup, and polling helpers.
# Source it after setting SUITE (the JUnit suite name).

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
# skip_test REASON: the whole test cannot run on this machine. Records one
# skipped case saying why, writes the report and exits 0: Bazel shows
# PASSED, and the report's <skipped/> makes tools/test_summary.py count a
# skip, not a pass. Never a bare `exit 0`, which would count as passed.
skip_test() {
  echo "SKIPPED: ${SUITE:-test}: $1"
  skip "$1"
  finish
  exit $?
}
# check DESCRIPTION command...: one recorded check; output shown on failure.
check() {
  local what="$1" out
  shift
  if out="$("$@" 2>&1)"; then pass "$what"; else fail "$what"; echo "$out" | tail -n 20; fi
}
has() { grep -q -- "$1" <<<"$2"; }  # has PATTERN TEXT

# Bazel reads per-check results from $XML_OUTPUT_FILE when a test writes it.
write_junit() {
  [ -n "${XML_OUTPUT_FILE:-}" ] || return 0
  {
    echo '<?xml version="1.0" encoding="UTF-8"?>'
    local c name skipped=0
    for c in "${CASES[@]}"; do [ "${c%%|*}" != SKIP ] || skipped=$((skipped + 1)); done
    echo "<testsuites><testsuite name=\"${SUITE:-e2e}\" tests=\"${#CASES[@]}\" failures=\"$FAILS\" skipped=\"$skipped\">"
    for c in "${CASES[@]}"; do
      name="${c#*|}"
      name="$(printf '%s' "${name:0:200}" | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g')"
      case "${c%%|*}" in
        ok) echo "<testcase name=\"$name\"/>" ;;
        SKIP) echo "<testcase name=\"$name\"><skipped message=\"$name\"/></testcase>" ;;
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

# expect_exit CODE DESCRIPTION command...: runs it, output in $OUT.
expect_exit() {
  local want="$1" what="$2"; shift 2
  OUT="$("$@" 2>&1)"; local got=$?
  if [ "$got" -eq "$want" ]; then pass "$what"; else
    fail "$what: exit $got, want $want; output: $OUT"; fi
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
