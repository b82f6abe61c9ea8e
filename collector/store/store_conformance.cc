#include "collector/store/store_conformance.h"

#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/message_differencer.h>
#include <google/protobuf/util/time_util.h>

#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "collector/ingest/prepare_run.h"
#include "collector/store/store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/query_service.pb.h"
#include "proto/results.pb.h"

namespace v6scope::collector::store {

std::string StoreFactoryName(
    const ::testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

void PrintTo(const StoreFactory& factory, std::ostream* os) {
  *os << factory.name;
}

void StoreConformanceTest::SetUp() {
  absl::StatusOr<std::unique_ptr<Store>> store = GetParam().create();
  ASSERT_TRUE(store.ok()) << store.status();
  store_ = *std::move(store);
}

namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;
using ::v6scope::v1::ProbeSummary;
using ::v6scope::v1::Run;
using ::v6scope::v1::StoredRun;

// --- helpers ----------------------------------------------------------------

::testing::AssertionResult IsOk(const absl::Status& status) {
  if (status.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << status;
}

template <typename T>
::testing::AssertionResult IsOk(const absl::StatusOr<T>& result) {
  return IsOk(result.status());
}

// Whole microseconds: the resolution stores are required to keep.
absl::Time T(int64_t seconds) {
  return absl::FromUnixSeconds(1'700'000'000 + seconds);
}

google::protobuf::Timestamp Ts(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

EnrolmentTokenRecord Token(const std::string& hash, const std::string& org,
                           absl::Time expires_at) {
  return {hash, org, T(0), expires_at};
}

ProbeRecord NewProbe(const std::string& id, absl::Time enrolled_at = T(10)) {
  ProbeRecord probe;
  probe.probe_id = id;
  probe.credential_hash = "credhash-" + id;
  probe.org = "not the token's org";
  probe.probe_version = "0.1.0";
  probe.enrolled_at = enrolled_at;
  return probe;
}

absl::Status Enrol(Store& store, const std::string& id,
                   const std::string& org = "Org",
                   absl::Time enrolled_at = T(10)) {
  const std::string hash = "hash-" + id;
  absl::Status added =
      store.AddEnrolmentToken(Token(hash, org, enrolled_at + absl::Hours(1)));
  if (!added.ok()) return added;
  return store
      .ConsumeEnrolmentToken(hash, enrolled_at, NewProbe(id, enrolled_at))
      .status();
}

// A run with most fields set, distinct for each `n`.
Run MakeRun(int n) {
  Run run;
  *run.mutable_started_at() =
      TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(T(n)) + 123'456'789);
  *run.mutable_finished_at() =
      TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(T(n)) + 5);
  run.mutable_inventory()->set_v6_global_native(1);
  run.mutable_inventory()->set_v4_private(1);
  run.mutable_inventory()->set_v6_default_route(true);
  run.mutable_public_addresses()->set_v4_prefix("192.0.2.0/24");
  run.mutable_public_addresses()->set_v6_prefix("2001:db8:1::/48");
  v6scope::v1::TestResult* test = run.add_tests();
  test->set_kind(v6scope::v1::HTTP_DUAL_STACK);
  test->set_target("https://ds.example.net/");
  test->set_outcome(v6scope::v1::OK);
  test->mutable_timings()->set_total_us(1000 + n);
  test->set_used_family(v6scope::v1::IPV6);
  test->set_http_status(200);
  test = run.add_tests();
  test->set_kind(v6scope::v1::DNS_AAAA);
  test->set_outcome(v6scope::v1::DNS_NODATA);
  test->add_resolved_addresses("2001:db8::1");
  run.mutable_verdict()->set_capability(v6scope::v1::V6_PREFERRED);
  run.mutable_verdict()->add_root_causes(v6scope::v1::SLOW_V6);
  run.mutable_verdict()->set_score(static_cast<uint32_t>(n % 11));
  run.mutable_verdict()->set_methodology_version("1");
  run.set_target_set("default");
  run.set_probe_version(absl::StrCat("0.1.", n));
  return run;
}

RunBatch Batch(const std::string& probe_id, uint64_t first_seq, int count,
               absl::Time received_at = T(100), uint64_t dropped_runs = 0) {
  RunBatch batch;
  batch.probe_id = probe_id;
  batch.first_seq = first_seq;
  for (int i = 0; i < count; ++i) {
    batch.runs.push_back(
        *ingest::PrepareRun(MakeRun(static_cast<int>(first_seq) + i)));
  }
  batch.dropped_runs = dropped_runs;
  batch.received_at = received_at;
  return batch;
}

// (probe_id, seq) of each run, in the order listed.
using RunKeys = std::vector<std::pair<std::string, uint64_t>>;

RunKeys Keys(const std::vector<StoredRun>& runs) {
  RunKeys keys;
  for (const StoredRun& run : runs)
    keys.emplace_back(run.probe_id(), run.seq());
  return keys;
}

// Follows next_page_token to the end; checks only the last page has none.
absl::StatusOr<std::vector<StoredRun>> ListAll(Store& store,
                                               const RunFilter& filter,
                                               uint32_t page_size,
                                               int* pages = nullptr) {
  std::vector<StoredRun> all;
  std::string token;
  int count = 0;
  do {
    absl::StatusOr<RunPage> page = store.ListRuns(filter, page_size, token);
    if (!page.ok()) return page.status();
    if (++count > 10'000) return absl::InternalError("pagination loops");
    if (page->runs.size() > page_size) {
      return absl::InternalError("page larger than page_size");
    }
    all.insert(all.end(), page->runs.begin(), page->runs.end());
    token = page->next_page_token;
  } while (!token.empty());
  if (pages != nullptr) *pages = count;
  return all;
}

bool BatchOutcomeIs(const BatchOutcome& outcome, uint32_t stored,
                    uint32_t duplicates) {
  return outcome.stored == stored && outcome.duplicates == duplicates &&
         !outcome.revoked;
}

MATCHER_P2(Outcome, stored, duplicates,
           absl::StrCat("stored ", stored, ", duplicates ", duplicates)) {
  *result_listener << "stored " << arg.stored << ", duplicates "
                   << arg.duplicates;
  return BatchOutcomeIs(arg, stored, duplicates);
}

// --- enrolment
// ----------------------------------------------------------------

TEST_P(StoreConformanceTest, AFreshStoreIsWritableAgainAndAgain) {
  EXPECT_TRUE(store().CheckWritable().ok());
  EXPECT_TRUE(store().CheckWritable().ok());
}

TEST_P(StoreConformanceTest, ConsumeTokenCreatesProbeWithTokensOrg) {
  ASSERT_TRUE(IsOk(store().AddEnrolmentToken(Token("h1", "Org A", T(3600)))));
  const ProbeRecord probe = NewProbe("p1");
  absl::StatusOr<ProbeRecord> consumed =
      store().ConsumeEnrolmentToken("h1", T(60), probe);
  ASSERT_TRUE(IsOk(consumed));
  EXPECT_EQ(consumed->probe_id, "p1");
  EXPECT_EQ(consumed->org, "Org A");
  EXPECT_FALSE(consumed->revoked);

  absl::StatusOr<ProbeRecord> got = store().GetProbe("p1");
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(got->probe_id, "p1");
  EXPECT_EQ(got->credential_hash, probe.credential_hash);
  EXPECT_EQ(got->org, "Org A");
  EXPECT_EQ(got->probe_version, probe.probe_version);
  EXPECT_EQ(got->enrolled_at, probe.enrolled_at);
  EXPECT_FALSE(got->revoked);
}

TEST_P(StoreConformanceTest, ConsumeUnknownTokenIsNotFound) {
  absl::StatusOr<ProbeRecord> consumed =
      store().ConsumeEnrolmentToken("nope", T(60), NewProbe("p1"));
  EXPECT_EQ(consumed.status().code(), absl::StatusCode::kNotFound)
      << consumed.status();
  EXPECT_EQ(store().GetProbe("p1").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_P(StoreConformanceTest, ConsumeExpiredTokenFails) {
  ASSERT_TRUE(IsOk(store().AddEnrolmentToken(Token("h1", "Org", T(100)))));
  absl::StatusOr<ProbeRecord> consumed =
      store().ConsumeEnrolmentToken("h1", T(200), NewProbe("p1"));
  EXPECT_EQ(consumed.status().code(), absl::StatusCode::kFailedPrecondition)
      << consumed.status();
  EXPECT_THAT(consumed.status().message(), HasSubstr("expired"));
  EXPECT_EQ(store().GetProbe("p1").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_P(StoreConformanceTest, ReusedTokenFailsAndCreatesNoProbe) {
  ASSERT_TRUE(IsOk(store().AddEnrolmentToken(Token("h1", "Org", T(3600)))));
  ASSERT_TRUE(IsOk(store().ConsumeEnrolmentToken("h1", T(60), NewProbe("p1"))));
  absl::StatusOr<ProbeRecord> again =
      store().ConsumeEnrolmentToken("h1", T(61), NewProbe("p2"));
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition)
      << again.status();
  EXPECT_THAT(again.status().message(), HasSubstr("already used"));
  EXPECT_EQ(store().GetProbe("p2").status().code(),
            absl::StatusCode::kNotFound);
  absl::StatusOr<std::vector<ProbeSummary>> probes = store().ListProbes();
  ASSERT_TRUE(IsOk(probes));
  EXPECT_EQ(probes->size(), 1u);
}

TEST_P(StoreConformanceTest, TakenProbeIdIsAlreadyExistsAndKeepsToken) {
  ASSERT_TRUE(IsOk(Enrol(store(), "p1", "Org A")));
  ASSERT_TRUE(IsOk(store().AddEnrolmentToken(Token("h2", "Org B", T(3600)))));
  absl::StatusOr<ProbeRecord> clash =
      store().ConsumeEnrolmentToken("h2", T(60), NewProbe("p1"));
  EXPECT_EQ(clash.status().code(), absl::StatusCode::kAlreadyExists)
      << clash.status();
  // Atomic: the failed attempt neither used the token nor touched p1.
  EXPECT_TRUE(IsOk(store().ConsumeEnrolmentToken("h2", T(61), NewProbe("p2"))));
  absl::StatusOr<ProbeRecord> p1 = store().GetProbe("p1");
  ASSERT_TRUE(IsOk(p1));
  EXPECT_EQ(p1->org, "Org A");
}

// Schema step 5: sample-data probes keep their synthetic mark; a probe
// that enrolled itself has none.
TEST_P(StoreConformanceTest, SyntheticMarkIsKeptAndListed) {
  ASSERT_TRUE(IsOk(Enrol(store(), "real", "Org A")));
  ASSERT_TRUE(IsOk(store().AddEnrolmentToken(Token("hs", "Sample", T(3600)))));
  ProbeRecord sample = NewProbe("synth-00000");
  sample.synthetic = true;
  ASSERT_TRUE(IsOk(store().ConsumeEnrolmentToken("hs", T(60), sample)));

  absl::StatusOr<ProbeRecord> got = store().GetProbe("synth-00000");
  ASSERT_TRUE(IsOk(got));
  EXPECT_TRUE(got->synthetic);
  absl::StatusOr<ProbeRecord> real = store().GetProbe("real");
  ASSERT_TRUE(IsOk(real));
  EXPECT_FALSE(real->synthetic);
  absl::StatusOr<std::vector<ProbeSummary>> probes = store().ListProbes();
  ASSERT_TRUE(IsOk(probes));
  ASSERT_EQ(probes->size(), 2u);
  EXPECT_FALSE((*probes)[0].synthetic());  // "real" sorts first.
  EXPECT_TRUE((*probes)[1].synthetic());
}

TEST_P(StoreConformanceTest, GetMissingProbeIsNotFound) {
  EXPECT_EQ(store().GetProbe("nope").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_P(StoreConformanceTest, RevokeProbe) {
  ASSERT_TRUE(IsOk(Enrol(store(), "p1")));
  ASSERT_TRUE(IsOk(store().RevokeProbe("p1")));
  absl::StatusOr<ProbeRecord> got = store().GetProbe("p1");
  ASSERT_TRUE(IsOk(got));
  EXPECT_TRUE(got->revoked);
  EXPECT_TRUE(IsOk(store().RevokeProbe("p1")));  // Twice is fine.
  EXPECT_EQ(store().RevokeProbe("nope").code(), absl::StatusCode::kNotFound);
}

// --- storing runs
// -------------------------------------------------------------

TEST_P(StoreConformanceTest, StoreBatchesStoresRuns) {
  absl::StatusOr<std::vector<BatchOutcome>> outcomes =
      store().StoreBatches({Batch("p1", 1, 5)});
  ASSERT_TRUE(IsOk(outcomes));
  EXPECT_THAT(*outcomes, ::testing::ElementsAre(Outcome(5, 0)));
  EXPECT_EQ(store().LastStoredSeq("p1").value_or(0), 5u);
}

TEST_P(StoreConformanceTest, BatchOfRevokedProbeIsNotStored) {
  ASSERT_TRUE(IsOk(Enrol(store(), "p1")));
  ASSERT_TRUE(IsOk(Enrol(store(), "p2")));
  ASSERT_TRUE(IsOk(store().StoreBatches({Batch("p1", 1, 2)})));
  ASSERT_TRUE(IsOk(store().RevokeProbe("p1")));
  // In one call with a live probe's batch: only the live one is stored,
  // and the revoked probe's reported drops are not counted either.
  absl::StatusOr<std::vector<BatchOutcome>> outcomes =
      store().StoreBatches({Batch("p1", 3, 2, T(101), 4), Batch("p2", 1, 3)});
  ASSERT_TRUE(IsOk(outcomes));
  ASSERT_EQ(outcomes->size(), 2u);
  EXPECT_TRUE((*outcomes)[0].revoked);
  EXPECT_EQ((*outcomes)[0].stored, 0u);
  EXPECT_EQ((*outcomes)[0].duplicates, 0u);
  EXPECT_THAT((*outcomes)[1], Outcome(3, 0));
  EXPECT_EQ(store().LastStoredSeq("p1").value_or(0), 2u);
  EXPECT_EQ(store().DroppedRuns("p1").value_or(99), 0u);
  EXPECT_EQ(store().LastStoredSeq("p2").value_or(0), 3u);
  absl::StatusOr<std::vector<aggregate::ProbeWindow>> windows =
      store().ListProbeWindows(ProbeWindowQuery{});
  ASSERT_TRUE(IsOk(windows));
  for (const aggregate::ProbeWindow& w : *windows) {
    if (w.probe_id == "p1") {
      EXPECT_EQ(w.runs, 2) << "revoked runs rolled up";
    }
  }
}

TEST_P(StoreConformanceTest, RevocationCheckTakesAnyProbeId) {
  // Quotes, backslashes, commas and braces: PostgreSQL checks the group's
  // ids as one array literal, which must not split or unescape them.
  const std::string odd = "p\"1,{2}\\ 3";
  ASSERT_TRUE(IsOk(Enrol(store(), odd)));
  ASSERT_TRUE(IsOk(Enrol(store(), "p\"1")));
  ASSERT_TRUE(IsOk(store().RevokeProbe(odd)));
  absl::StatusOr<std::vector<BatchOutcome>> outcomes =
      store().StoreBatches({Batch(odd, 1, 1), Batch("p\"1", 1, 1)});
  ASSERT_TRUE(IsOk(outcomes));
  ASSERT_EQ(outcomes->size(), 2u);
  EXPECT_TRUE((*outcomes)[0].revoked);
  EXPECT_THAT((*outcomes)[1], Outcome(1, 0));
}

TEST_P(StoreConformanceTest, ProbeUnknownToTheStoreIsStored) {
  // Authentication is the service's job; the store only refuses what it
  // knows to be revoked.
  absl::StatusOr<std::vector<BatchOutcome>> outcomes =
      store().StoreBatches({Batch("never-enrolled", 1, 1)});
  ASSERT_TRUE(IsOk(outcomes));
  EXPECT_THAT(*outcomes, ::testing::ElementsAre(Outcome(1, 0)));
}

TEST_P(StoreConformanceTest, ResentBatchIsAllDuplicates) {
  ASSERT_TRUE(IsOk(store().StoreBatches({Batch("p1", 1, 5)})));
  absl::StatusOr<std::vector<BatchOutcome>> again =
      store().StoreBatches({Batch("p1", 1, 5, T(200))});
  ASSERT_TRUE(IsOk(again));
  EXPECT_THAT(*again, ::testing::ElementsAre(Outcome(0, 5)));
  absl::StatusOr<std::vector<StoredRun>> runs = ListAll(store(), {}, 1000);
  ASSERT_TRUE(IsOk(runs));
  EXPECT_EQ(runs->size(), 5u);
}

TEST_P(StoreConformanceTest, OverlappingBatchStoresOnlyNewRuns) {
  ASSERT_TRUE(IsOk(store().StoreBatches({Batch("p1", 1, 5)})));
  absl::StatusOr<std::vector<BatchOutcome>> overlap =
      store().StoreBatches({Batch("p1", 4, 5)});
  ASSERT_TRUE(IsOk(overlap));
  EXPECT_THAT(*overlap, ::testing::ElementsAre(Outcome(3, 2)));
  EXPECT_EQ(store().LastStoredSeq("p1").value_or(0), 8u);
  absl::StatusOr<std::vector<StoredRun>> runs = ListAll(store(), {}, 1000);
  ASSERT_TRUE(IsOk(runs));
  EXPECT_EQ(runs->size(), 8u);
}

TEST_P(StoreConformanceTest, SeveralBatchesInOneCall) {
  absl::StatusOr<std::vector<BatchOutcome>> outcomes = store().StoreBatches({
      Batch("p1", 1, 3), Batch("p2", 1, 2),
      Batch("p1", 3, 3),  // Overlaps the first batch of the same call.
      Batch("p2", 1, 2),  // Repeats the second.
  });
  ASSERT_TRUE(IsOk(outcomes));
  EXPECT_THAT(*outcomes, ::testing::ElementsAre(Outcome(3, 0), Outcome(2, 0),
                                                Outcome(2, 1), Outcome(0, 2)));
  EXPECT_EQ(store().LastStoredSeq("p1").value_or(0), 5u);
  EXPECT_EQ(store().LastStoredSeq("p2").value_or(0), 2u);
}

TEST_P(StoreConformanceTest, NoBatchesIsNoOutcomes) {
  absl::StatusOr<std::vector<BatchOutcome>> outcomes = store().StoreBatches({});
  ASSERT_TRUE(IsOk(outcomes));
  EXPECT_TRUE(outcomes->empty());
}

TEST_P(StoreConformanceTest, FailedCallStoresNothing) {
  // seq of the second batch's second run overflows uint64: invalid.
  absl::StatusOr<std::vector<BatchOutcome>> outcomes = store().StoreBatches(
      {Batch("p1", 1, 3),
       Batch("p2", std::numeric_limits<uint64_t>::max(), 2)});
  EXPECT_FALSE(outcomes.ok());
  EXPECT_EQ(store().LastStoredSeq("p1").value_or(99), 0u);
  absl::StatusOr<std::vector<StoredRun>> runs = ListAll(store(), {}, 1000);
  ASSERT_TRUE(IsOk(runs));
  EXPECT_TRUE(runs->empty());
}

TEST_P(StoreConformanceTest, LastStoredSeqIsHighestStored) {
  EXPECT_EQ(store().LastStoredSeq("p1").value_or(99), 0u);
  ASSERT_TRUE(IsOk(store().StoreBatches({Batch("p1", 10, 3)})));
  ASSERT_TRUE(IsOk(store().StoreBatches({Batch("p1", 1, 3)})));
  EXPECT_EQ(store().LastStoredSeq("p1").value_or(0), 12u);
  EXPECT_EQ(store().LastStoredSeq("p2").value_or(99), 0u);
}

TEST_P(StoreConformanceTest, DroppedRunsAccumulate) {
  EXPECT_EQ(store().DroppedRuns("p1").value_or(99), 0u);
  ASSERT_TRUE(IsOk(store().StoreBatches({Batch("p1", 1, 2, T(100), 2)})));
  ASSERT_TRUE(IsOk(store().StoreBatches(
      {Batch("p1", 3, 1, T(101), 3), Batch("p1", 4, 0, T(101), 4)})));
  EXPECT_EQ(store().DroppedRuns("p1").value_or(0), 9u);
  EXPECT_EQ(store().DroppedRuns("p2").value_or(99), 0u);
  // A resend (every run a duplicate) reports the same drops again: they
  // must not count twice.
  ASSERT_TRUE(IsOk(store().StoreBatches({Batch("p1", 1, 2, T(102), 2)})));
  EXPECT_EQ(store().DroppedRuns("p1").value_or(0), 9u);
}

// --- reading runs
// -------------------------------------------------------------

TEST_P(StoreConformanceTest, StoredRunRoundTripsByteIdentically) {
  RunBatch batch = Batch("p1", 7, 0, T(100));
  v6scope::v1::Run run = MakeRun(7);
  // Fields a newer probe may send must survive storage too.
  run.GetReflection()->MutableUnknownFields(&run)->AddVarint(999, 42);
  batch.runs.push_back(*ingest::PrepareRun(run));
  ASSERT_TRUE(IsOk(store().StoreBatches({batch})));
  absl::StatusOr<RunPage> page = store().ListRuns({}, 10, "");
  ASSERT_TRUE(IsOk(page));
  ASSERT_EQ(page->runs.size(), 1u);
  const StoredRun& stored = page->runs[0];
  EXPECT_EQ(stored.probe_id(), "p1");
  EXPECT_EQ(stored.seq(), 7u);
  EXPECT_TRUE(MessageDifferencer::Equals(stored.received_at(), Ts(T(100))))
      << stored.received_at().DebugString();
  EXPECT_TRUE(MessageDifferencer::Equals(stored.run(), run));
  EXPECT_EQ(stored.run().SerializeAsString(), run.SerializeAsString());
}

TEST_P(StoreConformanceTest, ListRunsNewestFirst) {
  ASSERT_TRUE(IsOk(store().StoreBatches({Batch("p1", 1, 2, T(1))})));
  ASSERT_TRUE(IsOk(store().StoreBatches({Batch("p2", 1, 2, T(2))})));
  ASSERT_TRUE(IsOk(store().StoreBatches({Batch("p1", 3, 1, T(3))})));
  absl::StatusOr<RunPage> page = store().ListRuns({}, 100, "");
  ASSERT_TRUE(IsOk(page));
  EXPECT_EQ(Keys(page->runs),
            (RunKeys{{"p1", 3}, {"p2", 2}, {"p2", 1}, {"p1", 2}, {"p1", 1}}));
  EXPECT_TRUE(page->next_page_token.empty());
  ASSERT_FALSE(page->runs.empty());
  EXPECT_TRUE(
      MessageDifferencer::Equals(page->runs[0].received_at(), Ts(T(3))));
}

TEST_P(StoreConformanceTest, ListRunsFiltersByProbe) {
  ASSERT_TRUE(IsOk(store().StoreBatches(
      {Batch("p1", 1, 2), Batch("p2", 1, 2), Batch("p1", 3, 1)})));
  absl::StatusOr<RunPage> page = store().ListRuns({"p1"}, 100, "");
  ASSERT_TRUE(IsOk(page));
  EXPECT_EQ(Keys(page->runs), (RunKeys{{"p1", 3}, {"p1", 2}, {"p1", 1}}));
  absl::StatusOr<RunPage> none = store().ListRuns({"p9"}, 100, "");
  ASSERT_TRUE(IsOk(none));
  EXPECT_TRUE(none->runs.empty());
  EXPECT_TRUE(none->next_page_token.empty());
}

TEST_P(StoreConformanceTest, PaginationVisitsEveryRunOnce) {
  // 25 runs of three probes, arriving interleaved over several calls.
  for (int call = 0; call < 5; ++call) {
    const uint64_t seq = 1 + call * 2;
    ASSERT_TRUE(IsOk(store().StoreBatches(
        {Batch("p1", seq, 2, T(call)), Batch("p2", seq, 2, T(call)),
         Batch("p3", 1 + call, 1, T(call))})));
  }
  absl::StatusOr<RunPage> one_page = store().ListRuns({}, 1000, "");
  ASSERT_TRUE(IsOk(one_page));
  ASSERT_EQ(one_page->runs.size(), 25u);

  int pages = 0;
  absl::StatusOr<std::vector<StoredRun>> paged =
      ListAll(store(), {}, 7, &pages);
  ASSERT_TRUE(IsOk(paged));
  EXPECT_EQ(pages, 4);  // 7 + 7 + 7 + 4: the last page carries no token.
  EXPECT_EQ(Keys(*paged), Keys(one_page->runs));
  const RunKeys keys = Keys(*paged);
  EXPECT_EQ(std::set<RunKeys::value_type>(keys.begin(), keys.end()).size(),
            25u);

  absl::StatusOr<std::vector<StoredRun>> p2 =
      ListAll(store(), {"p2"}, 3, &pages);
  ASSERT_TRUE(IsOk(p2));
  EXPECT_EQ(pages, 4);  // 3 + 3 + 3 + 1.
  EXPECT_EQ(Keys(*p2), (RunKeys{{"p2", 10},
                                {"p2", 9},
                                {"p2", 8},
                                {"p2", 7},
                                {"p2", 6},
                                {"p2", 5},
                                {"p2", 4},
                                {"p2", 3},
                                {"p2", 2},
                                {"p2", 1}}));
}

TEST_P(StoreConformanceTest, FullLastPageCarriesNoToken) {
  ASSERT_TRUE(IsOk(store().StoreBatches({Batch("p1", 1, 6)})));
  int pages = 0;
  absl::StatusOr<std::vector<StoredRun>> runs = ListAll(store(), {}, 3, &pages);
  ASSERT_TRUE(IsOk(runs));
  EXPECT_EQ(runs->size(), 6u);
  EXPECT_EQ(pages, 2);
}

TEST_P(StoreConformanceTest, EmptyStoreListsNoRuns) {
  absl::StatusOr<RunPage> page = store().ListRuns({}, 10, "");
  ASSERT_TRUE(IsOk(page));
  EXPECT_TRUE(page->runs.empty());
  EXPECT_TRUE(page->next_page_token.empty());
}

TEST_P(StoreConformanceTest, MalformedPageTokenIsInvalidArgument) {
  ASSERT_TRUE(IsOk(store().StoreBatches({Batch("p1", 1, 3)})));
  for (const std::string token : {"not a token!", "%%%", "\xff\xfe"}) {
    absl::StatusOr<RunPage> page = store().ListRuns({}, 10, token);
    EXPECT_EQ(page.status().code(), absl::StatusCode::kInvalidArgument)
        << "token \"" << token << "\": " << page.status();
  }
}

TEST_P(StoreConformanceTest, PageSizeOutsideRangeIsInvalidArgument) {
  EXPECT_EQ(store().ListRuns({}, 0, "").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store().ListRuns({}, 1001, "").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(IsOk(store().ListRuns({}, 1000, "")));
}

// --- probes
// -------------------------------------------------------------------

TEST_P(StoreConformanceTest, ListProbesCountsRunsAndLastRun) {
  ASSERT_TRUE(IsOk(Enrol(store(), "p2", "Org B", T(20))));
  ASSERT_TRUE(IsOk(Enrol(store(), "p1", "Org A", T(10))));
  ASSERT_TRUE(IsOk(Enrol(store(), "p3", "Org C", T(30))));
  ASSERT_TRUE(IsOk(store().StoreBatches({Batch("p1", 1, 2, T(40))})));
  ASSERT_TRUE(IsOk(store().StoreBatches({Batch("p1", 3, 1, T(50))})));
  ASSERT_TRUE(IsOk(store().StoreBatches({Batch("p2", 1, 1, T(45))})));
  // Duplicates neither count nor move last_run_at.
  ASSERT_TRUE(IsOk(store().StoreBatches({Batch("p2", 1, 1, T(60))})));
  ASSERT_TRUE(IsOk(store().RevokeProbe("p3")));

  absl::StatusOr<std::vector<ProbeSummary>> probes = store().ListProbes();
  ASSERT_TRUE(IsOk(probes));
  ASSERT_EQ(probes->size(), 3u);
  const ProbeSummary& p1 = (*probes)[0];
  const ProbeSummary& p2 = (*probes)[1];
  const ProbeSummary& p3 = (*probes)[2];
  EXPECT_EQ(p1.probe_id(), "p1");
  EXPECT_EQ(p1.org(), "Org A");
  EXPECT_TRUE(MessageDifferencer::Equals(p1.enrolled_at(), Ts(T(10))));
  EXPECT_EQ(p1.runs(), 3u);
  EXPECT_TRUE(MessageDifferencer::Equals(p1.last_run_at(), Ts(T(50))))
      << p1.DebugString();
  EXPECT_FALSE(p1.revoked());
  EXPECT_EQ(p2.probe_id(), "p2");
  EXPECT_EQ(p2.runs(), 1u);
  EXPECT_TRUE(MessageDifferencer::Equals(p2.last_run_at(), Ts(T(45))))
      << p2.DebugString();
  EXPECT_EQ(p3.probe_id(), "p3");
  EXPECT_EQ(p3.runs(), 0u);
  EXPECT_FALSE(p3.has_last_run_at());
  EXPECT_TRUE(p3.revoked());
}

// --- concurrency
// --------------------------------------------------------------

TEST_P(StoreConformanceTest, ConcurrentStoreBatchesAllLand) {
  constexpr int kThreads = 8;
  constexpr int kCalls = 10;
  constexpr int kRunsPerBatch = 5;
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_TRUE(IsOk(Enrol(store(), absl::StrCat("p", t))));
  }
  std::vector<absl::Status> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t, &results] {
      const std::string probe = absl::StrCat("p", t);
      for (int call = 0; call < kCalls && results[t].ok(); ++call) {
        results[t] = store()
                         .StoreBatches({Batch(probe, 1 + call * kRunsPerBatch,
                                              kRunsPerBatch, T(call))})
                         .status();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const absl::Status& result : results) EXPECT_TRUE(IsOk(result));

  absl::StatusOr<std::vector<ProbeSummary>> probes = store().ListProbes();
  ASSERT_TRUE(IsOk(probes));
  ASSERT_EQ(probes->size(), static_cast<size_t>(kThreads));
  for (const ProbeSummary& probe : *probes) {
    EXPECT_EQ(probe.runs(), static_cast<uint64_t>(kCalls * kRunsPerBatch))
        << probe.probe_id();
    EXPECT_EQ(store().LastStoredSeq(probe.probe_id()).value_or(0),
              static_cast<uint64_t>(kCalls * kRunsPerBatch));
  }
  absl::StatusOr<std::vector<StoredRun>> runs = ListAll(store(), {}, 1000);
  ASSERT_TRUE(IsOk(runs));
  EXPECT_EQ(runs->size(),
            static_cast<size_t>(kThreads * kCalls * kRunsPerBatch));
}

TEST_P(StoreConformanceTest, ConcurrentResendsStoreEachRunOnce) {
  constexpr int kThreads = 4;
  constexpr int kBatches = 10;
  std::vector<uint32_t> stored(kThreads, 0);
  std::vector<absl::Status> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t, &stored, &results] {
      for (int b = 0; b < kBatches && results[t].ok(); ++b) {
        absl::StatusOr<std::vector<BatchOutcome>> outcomes =
            store().StoreBatches({Batch("p1", 1 + b * 3, 3)});
        results[t] = outcomes.status();
        if (outcomes.ok()) stored[t] += outcomes->at(0).stored;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  uint32_t total = 0;
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_TRUE(IsOk(results[t]));
    total += stored[t];
  }
  EXPECT_EQ(total, kBatches * 3u);
  absl::StatusOr<std::vector<StoredRun>> runs = ListAll(store(), {}, 1000);
  ASSERT_TRUE(IsOk(runs));
  EXPECT_EQ(runs->size(), kBatches * 3u);
}

}  // namespace
}  // namespace v6scope::collector::store
