#!/usr/bin/env bash
# `v6scope-collector rebuild-rollups` on a real database: rollups kept at
# ingest rebuild identical (exit 0); rollups tampered with behind the
# collector's back are reported DIFFERENT (exit 3) and then repaired.
set -uo pipefail

COLLECTOR="$1"; SEED="$2"
WORK="$(mktemp -d "${TEST_TMPDIR:-/tmp}/rebuild.XXXXXX")"
SUITE=rebuild_test
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null ||
  skip_test "rebuild-rollups on a real database (needs the sqlite3 command: tools/install-deps)"

DB="$WORK/v6scope.db"
expect_exit 0 "seed-store fills a database" \
  "$SEED" --sqlite="$DB" --probes=12 --days=3 --runs_per_day=6
expect_exit 0 "rebuild of ingest's rollups exits 0" \
  "$COLLECTOR" rebuild-rollups --data_dir="$WORK"
check "it reports them identical" has "identical to the rollups kept at ingest" "$OUT"
check "it counts every run" has "from 216 runs" "$OUT"

# One probe's day row loses a run: the rebuild must notice and repair it.
sqlite3 "$DB" "UPDATE probe_windows SET runs = runs - 1 WHERE kind = 1 AND probe_id = (SELECT min(probe_id) FROM probe_windows) AND window_start = (SELECT min(window_start) FROM probe_windows WHERE kind = 1)"
expect_exit 3 "rebuild of tampered rollups exits 3" \
  "$COLLECTOR" rebuild-rollups --data_dir="$WORK"
check "it reports them DIFFERENT" has "DIFFERENT" "$OUT"
expect_exit 0 "the rebuilt rollups are then stable" \
  "$COLLECTOR" rebuild-rollups --data_dir="$WORK"
expect_exit 2 "an extra argument is a usage error" \
  "$COLLECTOR" rebuild-rollups extra --data_dir="$WORK"

# --- sample-data: a synthetic fleet, enrolled and marked, ending now -----------
SAMPLE="$WORK/sample"
expect_exit 0 "sample-data fills an empty data directory" \
  "$COLLECTOR" sample-data --data_dir="$SAMPLE" --sample_probes=13 --sample_days=2
check "it says how many probes and runs" \
  has "^enrolled 13 synthetic sample probes (synth-00000 to synth-00012" "$OUT"
check "it says the data are synthetic" has "SAMPLE DATA: synthetic" "$OUT"
check "the probes are enrolled and marked synthetic" \
  [ "$(sqlite3 "$SAMPLE/v6scope.db" "SELECT count(*) FROM probes WHERE synthetic = 1")" = 13 ]
NOW="$(date +%s)"
LATEST="$(sqlite3 "$SAMPLE/v6scope.db" "SELECT max(last_run_at) / 1000000 FROM probe_stats")"
check "the runs end now (within the last two hours)" \
  [ "$LATEST" -le "$NOW" -a "$LATEST" -gt "$((NOW - 7200))" ]
expect_exit 0 "sample-data again adds nothing" \
  "$COLLECTOR" sample-data --data_dir="$SAMPLE" --sample_probes=13 --sample_days=2
check "…and says the probes were there" has "13 were already there" "$OUT"
expect_exit 2 "sample-data with 0 probes is a usage error" \
  "$COLLECTOR" sample-data --data_dir="$SAMPLE" --sample_probes=0
finish
