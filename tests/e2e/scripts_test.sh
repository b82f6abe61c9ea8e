#!/usr/bin/env bash
# The scripts' command-line contract: --help prints the comment block and
# nothing of the code (build-debs printed a stray `set -euo pipefail`),
# works from the repository root (tools/build-dashboard --help failed
# there), and an error message is the message alone (the enrol helper's
# ended in a stray " 2", its exit code).
set -uo pipefail

BUILD_DEBS="$1"; ENROL="$2"
SUITE=scripts_test
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

expect_exit 0 "build-debs --help exits 0" "$BUILD_DEBS" --help
check "build-debs --help shows its usage" has "build-debs \[--out=DIR\]" "$OUT"
check "build-debs --help shows no code" bash -c '! grep -q "set -euo" <<<"$1"' _ "$OUT"

# From the repository root, as docs/dashboard.md says to run it.
cd "${TEST_SRCDIR:?}/${TEST_WORKSPACE:?}" || exit 1
expect_exit 0 "tools/build-dashboard --help from the repository root" \
  tools/build-dashboard --help
check "…shows its usage" has "Builds the researchers' dashboard" "$OUT"
check "…and no code" bash -c '! grep -q "set -euo" <<<"$1"' _ "$OUT"
expect_exit 2 "build-dashboard rejects an unknown argument" \
  tools/build-dashboard --bogus

expect_exit 2 "the enrol helper without --collector is a usage error" \
  sh "$ENROL" --token=x
check "…whose message ends with the message, not the exit code" \
  [ "$OUT" = "v6scope-probe-enrol: --collector=HOST:PORT is required" ]
expect_exit 0 "the enrol helper --help" sh "$ENROL" --help
check "…shows no code" bash -c '! grep -q "set -eu" <<<"$1"' _ "$OUT"
finish
