# shellcheck shell=bash
# Shared by the deployment tests (tests/deploy): tests/e2e/lib.sh (checks,
# JUnit report, cleanup, polling) plus helpers for the packages Bazel built
# (//deploy/debian:debs) and their units. Source it after setting SUITE.

# shellcheck source=tests/e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../e2e/lib.sh"

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
