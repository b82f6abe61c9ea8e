#include "collector/query/testing/seeded_store.h"

#include <unistd.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "collector/store/sqlite/sqlite_store.h"
#include "gtest/gtest.h"

namespace v6scope::collector::query::testing {
namespace {

absl::Status Enrol(store::Store& store, const std::string& probe_id,
                   absl::Time at) {
  store::EnrolmentTokenRecord token;
  token.token_hash = absl::StrCat("token-of-", probe_id);
  token.org = "test-org";
  token.created_at = at;
  token.expires_at = at + absl::Hours(1);
  absl::Status s = store.AddEnrolmentToken(token);
  if (!s.ok()) return s;
  store::ProbeRecord probe;
  probe.probe_id = probe_id;
  probe.credential_hash = absl::StrCat("credential-of-", probe_id);
  probe.probe_version = "test";
  probe.enrolled_at = at;
  return store.ConsumeEnrolmentToken(token.token_hash, at, probe).status();
}

}  // namespace

absl::StatusOr<SeededStore> SeedStore(const std::string& name, int probes,
                                      int days, int runs_per_day) {
  absl::StatusOr<std::unique_ptr<store::sqlite::SqliteStore>> sqlite =
      store::sqlite::SqliteStore::Open(
          absl::StrCat(::testing::TempDir(), "/", name, "-", getpid(), ".db"));
  if (!sqlite.ok()) return sqlite.status();
  SeededStore seeded;
  seeded.store = *std::move(sqlite);
  seeded.fleet.probes = probes;
  seeded.fleet.days = days;
  seeded.fleet.runs_per_day = runs_per_day;
  const collector::testing::SyntheticFleet fleet(seeded.fleet);
  const absl::Time enrolled = seeded.fleet.end - absl::Hours(24 * (days + 1));
  for (int p = 0; p < probes; ++p) {
    seeded.probe_ids.push_back(fleet.ProbeId(p));
    absl::Status s = Enrol(*seeded.store, seeded.probe_ids.back(), enrolled);
    if (!s.ok()) return s;
  }
  absl::StatusOr<uint64_t> stored = fleet.StoreAll(*seeded.store);
  if (!stored.ok()) return stored.status();
  seeded.runs = *stored;
  // An empty batch carrying a drop report, as a probe sends after its
  // spool overflowed.
  store::RunBatch drops;
  drops.probe_id = fleet.ProbeId(0);
  drops.first_seq = 1'000'000;
  drops.dropped_runs = 7;
  drops.received_at = seeded.fleet.end;
  absl::StatusOr<std::vector<store::BatchOutcome>> out =
      seeded.store->StoreBatches({drops});
  if (!out.ok()) return out.status();
  seeded.dropped_runs_of_first_probe = 7;
  return seeded;
}

}  // namespace v6scope::collector::query::testing
