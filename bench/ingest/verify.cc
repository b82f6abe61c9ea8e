// What the store holds after a round.
#include <sqlite3.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "bench/ingest/fail.h"
#include "bench/ingest/report.h"
#include "bench/ingest/runner.h"
#include "bench/ingest/runner_internal.h"
#include "bench/ingest/workload.h"
#include "collector/store/store.h"
#include "proto/probe_service.pb.h"

namespace v6scope::bench::ingest {

using collector::store::RunFilter;
using collector::store::RunPage;
using collector::store::Store;

// --- verification -----------------------------------------------------------

// What the store holds after the collector stopped, through the Store
// interface: each probe's last seq, and the newest run intact.
void VerifyThroughStore(Store& store, const Workload& w,
                        const std::vector<Enrolled>& enrolled,
                        bool attributed) {
  for (const Enrolled& e : enrolled) {
    const uint64_t last =
        OrFail(store.LastStoredSeq(e.probe_id), "LastStoredSeq");
    if (last != static_cast<uint64_t>(w.runs_per_probe)) {
      Fail(absl::StrCat("probe ", e.probe_id, ": last stored seq ", last,
                        ", want ", w.runs_per_probe));
    }
  }
  RunPage page = OrFail(store.ListRuns(RunFilter(), 1, ""), "ListRuns");
  if (page.runs.size() != 1 ||
      page.runs[0].run().tests_size() != w.tests_per_run) {
    Fail("the newest stored run is not the run that was sent");
  }
  const std::string& datasets = page.runs[0].run().attribution().datasets();
  if (attributed == (datasets == "none")) {
    Fail(absl::StrCat("the newest stored run has attribution datasets \"",
                      datasets, "\""));
  }
}

// The same counts in plain SQL: rows, probes, and probes holding exactly
// seq 1..N; and the per-probe counters.
std::string CountSql(int runs_per_probe) {
  return absl::StrCat(
      "SELECT (SELECT count(*) FROM runs) || ' ' || "
      "(SELECT count(DISTINCT probe_id) FROM runs) || ' ' || "
      "(SELECT count(*) FROM (SELECT probe_id FROM runs GROUP BY probe_id "
      "HAVING count(*) = ",
      runs_per_probe, " AND min(seq) = 1 AND max(seq) = ", runs_per_probe,
      ") AS complete) || ' ' || (SELECT coalesce(sum(runs), 0) FROM "
      "probe_stats)");
}

void CheckCounts(const std::string& counts, const Workload& w,
                 absl::string_view where) {
  const std::string want = absl::StrCat(w.total_runs(), " ", w.probes, " ",
                                        w.probes, " ", w.total_runs());
  if (counts != want) {
    Fail(absl::StrCat(where,
                      ": rows / probes / complete probes / counted "
                      "runs are ",
                      counts, ", want ", want));
  }
}

std::string SqliteQuery(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) !=
      SQLITE_OK) {
    Fail(absl::StrCat("cannot open ", path));
  }
  sqlite3_stmt* stmt = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    if (text != nullptr) out = reinterpret_cast<const char*>(text);
  } else {
    Fail(absl::StrCat(path, ": ", sqlite3_errmsg(db)));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

}  // namespace v6scope::bench::ingest
