#include "collector/ingest/readiness_ingest_impl.h"

#include <unistd.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
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

  // Results for items [from, from + n) of assignment 1 (list index 10+).
  v6scope::v1::DomainBatch Batch(uint64_t first_seq, uint32_t from, int n) {
    v6scope::v1::DomainBatch b;
    b.set_first_seq(first_seq);
    for (int i = 0; i < n; ++i) {
      v6scope::v1::DomainResult* r = b.add_results();
      r->set_assignment_id(testing::AssignmentId(1));
      r->set_item(from + i);
      *r->mutable_check() = testing::VariedDomainCheck(Name(10 + from + i), i);
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

}  // namespace
}  // namespace v6scope::collector::ingest
