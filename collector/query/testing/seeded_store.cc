#include "collector/query/testing/seeded_store.h"

#include <google/protobuf/util/time_util.h>
#include <unistd.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "collector/store/sqlite/sqlite_store.h"
#include "gtest/gtest.h"
#include "methodology/observation.h"
#include "proto/results.pb.h"

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

struct MixedRun {
  const char* probe;
  const char* version;
  v6scope::v1::Capability capability;
  v6scope::v1::RootCause cause;  // ROOT_CAUSE_UNSPECIFIED: none.
  const char* why;               // Methodology 2 only.
};

// The run as the stores take it (what ingest's PrepareRun does, without
// the ingest layer this read-path test helper may not see).
store::PreparedRun Prepared(const MixedRun& m, absl::Time started) {
  v6scope::v1::Run run;
  *run.mutable_started_at() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
          absl::ToUnixMicros(started));
  v6scope::v1::Verdict& verdict = *run.mutable_verdict();
  verdict.set_capability(m.capability);
  if (m.cause != v6scope::v1::ROOT_CAUSE_UNSPECIFIED) {
    verdict.add_root_causes(m.cause);
  }
  verdict.set_score(4);
  verdict.set_methodology_version(m.version);
  if (m.why[0] != '\0') {
    v6scope::v1::Explanation* e = verdict.add_explanations();
    e->set_label(v6scope::v1::Capability_Name(m.capability));
    e->set_text(m.why);
    e = verdict.add_explanations();
    e->set_label(v6scope::v1::RootCause_Name(m.cause));
    e->set_text("=the cause, as seen");  // Formula-like on purpose.
  }
  run.mutable_attribution()->set_asn(64500);
  run.mutable_attribution()->set_country("KE");
  store::PreparedRun prepared;
  run.SerializeToString(&prepared.blob);
  prepared.started_at_us = absl::ToUnixMicros(started);
  prepared.capability = m.capability;
  prepared.score = 4;
  prepared.observation = methodology::Observe(run);
  return prepared;
}

}  // namespace

absl::StatusOr<MixedVersionsStore> SeedMixedVersions(const std::string& name) {
  absl::StatusOr<std::unique_ptr<store::sqlite::SqliteStore>> sqlite =
      store::sqlite::SqliteStore::Open(absl::StrCat(
          ::testing::TempDir(), "/", name, "-mixed-", getpid(), ".db"));
  if (!sqlite.ok()) return sqlite.status();
  MixedVersionsStore seeded;
  seeded.store = *std::move(sqlite);
  seeded.day =
      absl::FromCivil(absl::CivilDay(2026, 11, 24), absl::UTCTimeZone());
  const std::vector<MixedRun> runs = {
      {"v1-a", "1", v6scope::v1::V6_PREFERRED,
       v6scope::v1::ROOT_CAUSE_UNSPECIFIED, ""},
      {"v1-b", "1", v6scope::v1::V6_CAPABLE,
       v6scope::v1::ROOT_CAUSE_UNSPECIFIED, ""},
      {"v1-c", "1", v6scope::v1::V6_BROKEN, v6scope::v1::BROKEN_V6_PATH, ""},
      {"v2-a", "2", v6scope::v1::V4_BROKEN, v6scope::v1::V4_PATH_BROKEN,
       "IPv4 is configured but every IPv4 fetch timed out"},
      {"v2-b", "2", v6scope::v1::V6_ONLY, v6scope::v1::NAT64_BROKEN,
       "no IPv4; IPv6 works"},
      {"v2-c", "2", v6scope::v1::V6_BROKEN, v6scope::v1::V6_UNREACHABLE,
       "every IPv6 fetch failed, network unreachable"},
      {"v2-d", "2", v6scope::v1::V6_BROKEN, v6scope::v1::V6_BLACKHOLE,
       "every IPv6 fetch timed out"},
  };
  std::vector<store::RunBatch> batches;
  for (size_t i = 0; i < runs.size(); ++i) {
    store::RunBatch batch;
    batch.probe_id = runs[i].probe;
    batch.first_seq = 1;
    batch.runs.push_back(
        Prepared(runs[i], seeded.day + absl::Hours(1) + absl::Minutes(i)));
    batch.received_at = seeded.day + absl::Hours(2);
    batches.push_back(std::move(batch));
  }
  absl::StatusOr<std::vector<store::BatchOutcome>> stored =
      seeded.store->StoreBatches(batches);
  if (!stored.ok()) return stored.status();
  return seeded;
}

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
  const collector::sample::SyntheticFleet fleet(seeded.fleet);
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
