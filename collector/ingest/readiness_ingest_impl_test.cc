#include "collector/ingest/readiness_ingest_impl.h"

#include <unistd.h>

#include <atomic>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "collector/aggregate/readiness/result.h"
#include "collector/aggregate/readiness/rollup.h"
#include "collector/campaign/domain_list.h"
#include "collector/ingest/ingest_metrics.h"
#include "collector/ingest/testing/domain_checks.h"
#include "collector/store/sqlite/sqlite_store.h"
#include "collector/store/store.h"
#include "common/metrics/metrics.h"
#include "common/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/campaign.pb.h"

namespace v6scope::collector::ingest {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr int kNames = 20;
const absl::Time kNow = absl::FromUnixSeconds(1'731'000'000);

std::string Name(int i) { return absl::StrCat("site", i, ".go.ke"); }

// A ReadinessStore that records how many batches each StoreDomainBatches
// call carried and can fail them; everything else goes to `inner`.
class GroupingStore : public store::ReadinessStore {
 public:
  explicit GroupingStore(store::ReadinessStore* inner) : inner_(inner) {}

  void FailWith(absl::Status s) {
    absl::MutexLock lock(&mu_);
    fail_ = std::move(s);
  }
  std::vector<size_t> Calls() {
    absl::MutexLock lock(&mu_);
    return calls_;
  }

  absl::StatusOr<std::vector<store::StoredDomainBatch>> StoreDomainBatches(
      absl::Span<const store::DomainBatchRows> batches) override {
    {
      absl::MutexLock lock(&mu_);
      calls_.push_back(batches.size());
      if (!fail_.ok()) return fail_;
    }
    return inner_->StoreDomainBatches(batches);
  }
  absl::StatusOr<uint64_t> LastStoredDomainSeq(const std::string& p) override {
    return inner_->LastStoredDomainSeq(p);
  }
  absl::StatusOr<std::vector<v6scope::v1::StoredDomainResult>>
  ReadDomainResults(const store::DomainResultQuery& q) override {
    return inner_->ReadDomainResults(q);
  }
  absl::StatusOr<std::vector<ResultCount>> CountDomainResults(
      const std::string& c) override {
    return inner_->CountDomainResults(c);
  }
  absl::Status PutAssignment(const store::AssignmentRecord& a) override {
    return inner_->PutAssignment(a);
  }
  absl::StatusOr<store::AssignmentRecord> GetAssignment(
      const std::string& id) override {
    return inner_->GetAssignment(id);
  }
  absl::StatusOr<std::vector<store::AssignmentRecord>> ListProbeAssignments(
      const std::string& p, absl::Time since) override {
    return inner_->ListProbeAssignments(p, since);
  }
  absl::StatusOr<std::vector<store::AssignmentRecord>> ListCampaignAssignments(
      const std::string& c) override {
    return inner_->ListCampaignAssignments(c);
  }
  absl::StatusOr<uint64_t> NextListIndex(const std::string& c,
                                         const std::string& p,
                                         uint32_t round) override {
    return inner_->NextListIndex(c, p, round);
  }
  absl::Status PutProbeWorkState(const store::ProbeWorkState& s) override {
    return inner_->PutProbeWorkState(s);
  }
  absl::StatusOr<store::ProbeWorkState> GetProbeWorkState(
      const std::string& p) override {
    return inner_->GetProbeWorkState(p);
  }
  absl::StatusOr<campaign::ProbeVantage> GetProbeVantage(
      const std::string& p) override {
    return inner_->GetProbeVantage(p);
  }

 private:
  store::ReadinessStore* const inner_;
  absl::Mutex mu_;
  std::vector<size_t> calls_ ABSL_GUARDED_BY(mu_);
  absl::Status fail_ ABSL_GUARDED_BY(mu_);
};

class ReadinessIngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    auto opened = store::sqlite::SqliteStore::Open(absl::StrCat(
        ::testing::TempDir(), "/readiness-", getpid(), "-", counter++, ".db"));
    ASSERT_TRUE(opened.ok()) << opened.status();
    store_ = *std::move(opened);
    v6scope::v1::Campaign c;
    c.set_id("c-1");
    c.set_state(v6scope::v1::CAMPAIGN_ACTIVE);
    std::vector<campaign::DomainEntry> names;
    for (int i = 0; i < kNames; ++i) {
      names.push_back({Name(i), campaign::Sector::kHealth, i + 1});
    }
    ASSERT_TRUE(
        store_->CreateCampaign(c, campaign::DomainList(std::move(names))).ok());
    Assign(1, "p-1", 10, 5);  // List positions 10..14.
    Assign(2, "p-2", 0, 5);
  }

  void Assign(uint64_t n, const std::string& probe, uint64_t first,
              uint32_t count) {
    store::AssignmentRecord a;
    a.assignment_id = testing::AssignmentId(n);
    a.campaign_id = "c-1";
    a.probe_id = probe;
    a.round = 1;
    a.first_index = first;
    a.count = count;
    a.offered_at = kNow;
    a.expires_at = kNow + absl::Hours(48);
    ASSERT_TRUE(store_->PutAssignment(a).ok());
  }

  // Results for items [from, from + n) of assignment 1 (p-1, list index
  // 10+), or of assignment 2 (p-2, list index 0+).
  v6scope::v1::DomainBatch Batch(uint64_t first_seq, uint32_t from, int n,
                                 uint64_t assignment = 1) {
    const int base = assignment == 1 ? 10 : 0;
    v6scope::v1::DomainBatch b;
    b.set_first_seq(first_seq);
    for (int i = 0; i < n; ++i) {
      v6scope::v1::DomainResult* r = b.add_results();
      r->set_assignment_id(testing::AssignmentId(assignment));
      r->set_item(from + i);
      *r->mutable_check() =
          testing::VariedDomainCheck(Name(base + from + i), i);
      // The probe's claims, which the collector replaces.
      r->mutable_check()->mutable_verdict()->set_web(v6scope::v1::SERVING_V6);
      r->mutable_check()->mutable_verdict()->set_methodology_version("fake");
    }
    return b;
  }

  absl::StatusOr<store::StoredDomainBatch> SubmitAndWait(
      ReadinessIngestImpl& ingest, v6scope::v1::DomainBatch batch) {
    absl::Notification done;
    absl::StatusOr<store::StoredDomainBatch> result;
    absl::Status s = ingest.Submit(
        "p-1", &batch, [&](absl::StatusOr<store::StoredDomainBatch> r) {
          result = std::move(r);
          done.Notify();
        });
    if (!s.ok()) return s;
    done.WaitForNotification();
    return result;
  }

  std::vector<v6scope::v1::StoredDomainResult> Stored() {
    store::DomainResultQuery q;
    q.campaign_id = "c-1";
    auto got = store_->ReadDomainResults(q);
    EXPECT_TRUE(got.ok()) << got.status();
    return got.ok() ? *got : std::vector<v6scope::v1::StoredDomainResult>{};
  }

  time::FakeClock clock_{kNow};
  std::unique_ptr<store::sqlite::SqliteStore> store_;
};

TEST_F(ReadinessIngestTest, StoresWithTheCollectorsVerdict) {
  metrics::Registry registry;
  IngestMetrics metrics(&registry);
  ReadinessIngestImpl ingest(store_.get(), store_.get(), &clock_, nullptr,
                             &metrics);
  absl::StatusOr<store::StoredDomainBatch> got =
      SubmitAndWait(ingest, Batch(1, 0, 5));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->first_seq, 1u);
  EXPECT_EQ(got->last_seq, 5u);
  EXPECT_EQ(got->stored, 5u);
  std::vector<v6scope::v1::StoredDomainResult> rows = Stored();
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].list_index(), 10u);
  EXPECT_EQ(rows[0].sector(), "health");
  EXPECT_EQ(rows[0].check().domain(), Name(10));
  EXPECT_EQ(rows[0].check().verdict().methodology_version(), "readiness 1");
  EXPECT_EQ(rows[1].check().verdict().web(), v6scope::v1::NO_AAAA);
  EXPECT_EQ(rows[0].received_at().seconds(), 1'731'000'000);
  // Resent, and repeated under new sequence numbers: nothing new.
  EXPECT_EQ(SubmitAndWait(ingest, Batch(1, 0, 5))->stored, 0u);
  EXPECT_EQ(SubmitAndWait(ingest, Batch(6, 3, 2))->stored, 0u);
  EXPECT_EQ(*store_->LastStoredDomainSeq("p-1"), 5u);
  EXPECT_EQ(metrics.domain_results_stored->Get(), 5);
  EXPECT_EQ(metrics.domain_results_duplicate->Get(), 7);
}

// The readiness rollups are kept by the same commit: the stored results
// (the collector's verdict and its version, not the probe's claims) folded
// once, duplicates not counted.
TEST_F(ReadinessIngestTest, KeepsTheReadinessRollupsOfWhatItStores) {
  ReadinessIngestImpl ingest(store_.get(), store_.get(), &clock_, nullptr,
                             nullptr);
  ASSERT_TRUE(SubmitAndWait(ingest, Batch(1, 0, 5)).ok());
  ASSERT_TRUE(SubmitAndWait(ingest, Batch(1, 0, 5)).ok());  // Resent.
  ASSERT_TRUE(SubmitAndWait(ingest, Batch(6, 3, 2)).ok());  // Repeated.
  std::vector<aggregate::readiness::ReadinessResult> results;
  for (const v6scope::v1::StoredDomainResult& r : Stored()) {
    results.push_back(aggregate::readiness::FromStoredResult("c-1", r));
  }
  ASSERT_EQ(results.size(), 5u);
  store::ReadinessRollupQuery q;
  q.campaign_id = "c-1";
  absl::StatusOr<std::vector<aggregate::readiness::DomainRollup>> rows =
      store_->ListReadinessRollups(q);
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ(*rows, aggregate::readiness::RebuildReadinessRollups(results));
  ASSERT_FALSE(rows->empty());
  EXPECT_EQ(rows->front().key.methodology_version, "readiness 1");
  EXPECT_EQ(rows->front().key.sector, "health");
}

TEST_F(ReadinessIngestTest, RefusesWhatIsNotTheProbesWork) {
  metrics::Registry registry;
  IngestMetrics metrics(&registry);
  ReadinessIngestImpl ingest(store_.get(), store_.get(), &clock_, nullptr,
                             &metrics);
  auto refused = [&](v6scope::v1::DomainBatch b) {
    absl::Status s = ingest.Submit("p-1", &b, [](auto) { FAIL(); });
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
    return std::string(s.message());
  };
  v6scope::v1::DomainBatch b = Batch(1, 0, 3);
  b.mutable_results(1)->set_assignment_id(testing::AssignmentId(2));
  EXPECT_THAT(refused(b), StartsWith("results[1].assignment_id: "));
  b = Batch(1, 0, 3);
  b.mutable_results(2)->set_assignment_id(testing::AssignmentId(99));
  EXPECT_THAT(refused(b), StartsWith("results[2].assignment_id: "));
  b = Batch(1, 3, 3);
  EXPECT_THAT(refused(b), StartsWith("results[2].item: 5 is beyond"));
  b = Batch(1, 0, 3);
  b.mutable_results(1)->mutable_check()->set_domain("other.go.ke");
  EXPECT_THAT(refused(b), HasSubstr("results[1].check.domain: \"other.go.ke\" "
                                    "is not the assigned domain"));
  b = Batch(1, 0, 3);
  b.mutable_results(0)->mutable_check()->mutable_web(0)->set_status(700);
  EXPECT_THAT(refused(b), StartsWith("results[0].check.web[0].status: "));
  EXPECT_EQ(*store_->LastStoredDomainSeq("p-1"), 0u);
  EXPECT_EQ(metrics.domain_batches_rejected->With({"assignment"})->Get(), 4);
  EXPECT_EQ(metrics.domain_batches_rejected->With({"invalid"})->Get(), 1);
}

TEST_F(ReadinessIngestTest, DeletedListTrustsTheChecksDomain) {
  ASSERT_TRUE(
      store_->SetCampaignState("c-1", v6scope::v1::CAMPAIGN_DELETED).ok());
  ReadinessIngestImpl ingest(store_.get(), store_.get(), &clock_);
  absl::StatusOr<store::StoredDomainBatch> got =
      SubmitAndWait(ingest, Batch(1, 0, 2));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->stored, 2u);
  std::vector<v6scope::v1::StoredDomainResult> rows = Stored();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].check().domain(), Name(11));
  EXPECT_EQ(rows[1].sector(), "");
}

// The writer is held in a completion: one batch being written, one queued,
// the next refused at once.
TEST_F(ReadinessIngestTest, FullQueueIsResourceExhausted) {
  ReadinessIngestOptions options;
  options.max_queued_batches = 1;
  ReadinessIngestImpl ingest(store_.get(), store_.get(), &clock_, nullptr,
                             nullptr, options);
  // The first completion waits for `release`, holding the writer thread.
  absl::Notification release, first_done, second_done;
  v6scope::v1::DomainBatch a = Batch(1, 0, 1);
  ASSERT_TRUE(ingest
                  .Submit("p-1", &a,
                          [&](auto r) {
                            EXPECT_TRUE(r.ok());
                            first_done.Notify();
                            release.WaitForNotification();
                          })
                  .ok());
  first_done.WaitForNotification();
  v6scope::v1::DomainBatch b = Batch(2, 1, 1);
  ASSERT_TRUE(ingest
                  .Submit("p-1", &b,
                          [&](auto r) {
                            EXPECT_TRUE(r.ok());
                            second_done.Notify();
                          })
                  .ok());
  v6scope::v1::DomainBatch c = Batch(3, 2, 1);
  EXPECT_EQ(ingest.Submit("p-1", &c, [](auto) { FAIL(); }).code(),
            absl::StatusCode::kResourceExhausted);
  release.Notify();
  second_done.WaitForNotification();
  EXPECT_EQ(*store_->LastStoredDomainSeq("p-1"), 2u);
}

// Holds the writer in the first batch's completion while three batches of
// two probes queue up; they then go to the store in one call (one
// transaction), and each completion gets its own batch's outcome. When
// that call fails, every batch of it fails and nothing of them is stored.
class GroupCommitTest : public ReadinessIngestTest,
                        public ::testing::WithParamInterface<bool> {};

TEST_P(GroupCommitTest, QueuedBatchesShareOneTransaction) {
  const bool fail = GetParam();
  GroupingStore grouping(store_.get());
  ReadinessIngestImpl ingest(&grouping, store_.get(), &clock_);
  absl::Notification release, first_done;
  v6scope::v1::DomainBatch first = Batch(1, 0, 1);
  ASSERT_TRUE(ingest
                  .Submit("p-1", &first,
                          [&](auto r) {
                            EXPECT_TRUE(r.ok());
                            first_done.Notify();
                            release.WaitForNotification();
                          })
                  .ok());
  first_done.WaitForNotification();
  if (fail) grouping.FailWith(absl::InternalError("disk full"));
  struct Sent {
    Sent(std::string p, v6scope::v1::DomainBatch b)
        : probe(std::move(p)), batch(std::move(b)) {}
    std::string probe;
    v6scope::v1::DomainBatch batch;
    absl::Notification done;
    absl::StatusOr<store::StoredDomainBatch> result;
  };
  Sent sent[3] = {{"p-1", Batch(2, 1, 2)},
                  {"p-2", Batch(1, 0, 3, /*assignment=*/2)},
                  {"p-1", Batch(4, 3, 1)}};
  for (Sent& s : sent) {
    ASSERT_TRUE(ingest
                    .Submit(s.probe, &s.batch,
                            [&s](auto r) {
                              s.result = std::move(r);
                              s.done.Notify();
                            })
                    .ok());
  }
  EXPECT_EQ(ingest.QueuedBatches(), 3u);
  release.Notify();
  for (Sent& s : sent) s.done.WaitForNotification();
  EXPECT_EQ(grouping.Calls(), (std::vector<size_t>{1, 3}));
  if (fail) {
    for (Sent& s : sent) {
      EXPECT_EQ(s.result.status().code(), absl::StatusCode::kUnavailable);
    }
    EXPECT_EQ(*store_->LastStoredDomainSeq("p-1"), 1u);
    EXPECT_EQ(*store_->LastStoredDomainSeq("p-2"), 0u);
    return;
  }
  ASSERT_TRUE(sent[0].result.ok()) << sent[0].result.status();
  EXPECT_EQ(sent[0].result->first_seq, 2u);
  EXPECT_EQ(sent[0].result->last_seq, 3u);
  EXPECT_EQ(sent[0].result->stored, 2u);
  ASSERT_TRUE(sent[1].result.ok()) << sent[1].result.status();
  EXPECT_EQ(sent[1].result->last_seq, 3u);
  EXPECT_EQ(sent[1].result->stored, 3u);
  ASSERT_TRUE(sent[2].result.ok()) << sent[2].result.status();
  EXPECT_EQ(sent[2].result->first_seq, 4u);
  EXPECT_EQ(sent[2].result->stored, 1u);
  EXPECT_EQ(Stored().size(), 7u);
}

INSTANTIATE_TEST_SUITE_P(StoredOrFailed, GroupCommitTest, ::testing::Bool());

// A commit takes whole batches up to max_results_per_commit (a batch
// bigger than that alone).
TEST_F(ReadinessIngestTest, CommitsAreBoundedInResults) {
  GroupingStore grouping(store_.get());
  ReadinessIngestOptions options;
  options.max_results_per_commit = 3;
  ReadinessIngestImpl ingest(&grouping, store_.get(), &clock_, nullptr, nullptr,
                             options);
  absl::Notification release, first_done;
  v6scope::v1::DomainBatch first = Batch(1, 0, 1);
  ASSERT_TRUE(ingest
                  .Submit("p-1", &first,
                          [&](auto) {
                            first_done.Notify();
                            release.WaitForNotification();
                          })
                  .ok());
  first_done.WaitForNotification();
  absl::BlockingCounter left(3);
  v6scope::v1::DomainBatch b[] = {Batch(2, 1, 2), Batch(4, 3, 1),
                                  Batch(1, 0, 4, 2)};
  const char* probes[] = {"p-1", "p-1", "p-2"};
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(ingest
                    .Submit(probes[i], &b[i],
                            [&](auto r) {
                              EXPECT_TRUE(r.ok()) << r.status();
                              left.DecrementCount();
                            })
                    .ok());
  }
  release.Notify();
  left.Wait();
  EXPECT_EQ(grouping.Calls(), (std::vector<size_t>{1, 2, 1}));
}

}  // namespace
}  // namespace v6scope::collector::ingest
