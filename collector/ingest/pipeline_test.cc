#include "collector/ingest/pipeline.h"

#include <unistd.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "collector/ingest/ingest_metrics.h"
#include "collector/ingest/ingest_writer.h"
#include "collector/ingest/testing/malformed_batches.h"
#include "collector/store/sqlite/sqlite_store.h"
#include "common/metrics/metrics.h"
#include "common/time/clock.h"
#include "gtest/gtest.h"

namespace v6scope::collector::ingest {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'750'000'000);
constexpr char kProbe[] = "p-0123456789abcdef";
constexpr char kPeer[] = "ipv6:[3ffe:7::1]:40000";

// The completion of one submitted batch, awaited without sleeping.
struct Completion {
  absl::Notification done;
  std::optional<absl::StatusOr<StoredBatch>> result;

  IngestPipeline::Done Callback() {
    return [this](absl::StatusOr<StoredBatch> stored) {
      result = std::move(stored);
      done.Notify();
    };
  }
  absl::StatusOr<StoredBatch> Wait() {
    done.WaitForNotification();
    return *result;
  }
};

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override { Build(IngestLimits()); }

  // (Re)builds the pipeline with `limits` over a fresh store.
  void Build(IngestLimits limits) {
    writer_.reset();  // Its completions call into the pipeline.
    pipeline_.reset();
    static int counter = 0;
    auto store = store::sqlite::SqliteStore::Open(absl::StrCat(
        ::testing::TempDir(), "/pipeline-", getpid(), "-", counter++, ".db"));
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    writer_ = std::make_unique<IngestWriter>(store_.get(), 20000, &metrics_);
    pipeline_ = std::make_unique<IngestPipeline>(writer_.get(), &clock_, limits,
                                                 &metrics_, nullptr);
  }

  // Accepts `batch` and waits for its completion.
  absl::StatusOr<StoredBatch> Store(v6scope::v1::Batch batch) {
    Completion completion;
    absl::StatusOr<Admission> admission =
        pipeline_->Accept(kProbe, kPeer, &batch, completion.Callback());
    if (!admission.ok()) return admission.status();
    EXPECT_TRUE(admission->submitted) << admission->back_off_reason;
    if (!admission->submitted) return absl::InternalError("not submitted");
    return completion.Wait();
  }

  void TearDown() override { writer_.reset(); }

  uint64_t LastStoredSeq() { return *store_->LastStoredSeq(kProbe); }

  time::FakeClock clock_{kNow};
  metrics::Registry registry_;
  IngestMetrics metrics_{&registry_};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<IngestWriter> writer_;
  std::unique_ptr<IngestPipeline> pipeline_;
};

TEST_F(PipelineTest, StoresAValidBatchAndReportsWhatItStored) {
  v6scope::v1::Batch batch = testing::ValidBatch(kNow);
  *batch.add_runs() = testing::ValidRun(kNow);
  batch.set_first_seq(5);
  batch.set_dropped_runs(3);
  absl::StatusOr<StoredBatch> stored = Store(batch);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->first_seq, 5u);
  EXPECT_EQ(stored->last_seq, 6u);
  EXPECT_EQ(stored->stored, 2u);
  EXPECT_EQ(stored->duplicates, 0u);
  EXPECT_EQ(LastStoredSeq(), 6u);
  EXPECT_EQ(metrics_.runs_stored->Get(), 2);
  EXPECT_EQ(metrics_.batches_stored->Get(), 1);
  EXPECT_EQ(metrics_.dropped_runs_reported->Get(), 3);
}

TEST_F(PipelineTest, EnrichesRunsBeforeStoringThem) {
  ASSERT_TRUE(Store(testing::ValidBatch(kNow)).ok());
  absl::StatusOr<store::RunPage> page = store_->ListRuns({}, 10, "");
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->runs.size(), 1u);
  // Without attribution data the prefixes are still recorded.
  EXPECT_TRUE(page->runs[0].run().has_attribution());
}

std::string RefusedMetric(absl::string_view family) {
  return absl::StrCat("v6scope_collector_public_prefix_refused_total{family=\"",
                      family, "\"}");
}

TEST_F(PipelineTest, PublicPrefixesInThePublicTestSpaceAreAttributed) {
  ASSERT_TRUE(Store(testing::ValidBatch(kNow)).ok());
  absl::StatusOr<store::RunPage> page = store_->ListRuns({}, 10, "");
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->runs.size(), 1u);
  const v6scope::v1::Run& run = page->runs[0].run();
  EXPECT_EQ(run.attribution().v4_prefix(), "11.0.2.0/24");
  EXPECT_EQ(run.attribution().v6_prefix(), "3ffe:1::/48");
  EXPECT_EQ(run.attribution().source(), "whoami");
  EXPECT_EQ(registry_.Render().find(RefusedMetric("v4")), std::string::npos);
}

// A documentation prefix is refused as a public prefix: the run is kept,
// the prefix is not attributed, and the refusal is counted per family.
TEST_F(PipelineTest, NonPublicPrefixIsNotAttributedButTheRunIsKept) {
  v6scope::v1::Batch batch = testing::ValidBatch(kNow);
  batch.mutable_runs(0)->mutable_public_addresses()->set_v4_prefix(
      "192.0.2.0/24");
  absl::StatusOr<StoredBatch> stored = Store(batch);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->stored, 1u);
  absl::StatusOr<store::RunPage> page = store_->ListRuns({}, 10, "");
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->runs.size(), 1u);
  const v6scope::v1::Run& run = page->runs[0].run();
  EXPECT_EQ(run.public_addresses().v4_prefix(), "");
  EXPECT_EQ(run.attribution().v4_prefix(), "");
  EXPECT_EQ(run.public_addresses().v6_prefix(), "3ffe:1::/48");
  EXPECT_EQ(run.attribution().v6_prefix(), "3ffe:1::/48");
  EXPECT_EQ(metrics_.public_prefix_refused->With({"v4"})->Get(), 1);
  EXPECT_EQ(metrics_.public_prefix_refused->With({"v6"})->Get(), 0);
  EXPECT_NE(registry_.Render().find(RefusedMetric("v4") + " 1"),
            std::string::npos)
      << registry_.Render();
}

// Both prefixes refused: the peer is the evidence, if it is public; a
// loopback peer gives no prefix at all (never ::/48).
TEST_F(PipelineTest, BothPrefixesRefusedFallsBackToAPublicPeerOnly) {
  v6scope::v1::Batch batch = testing::ValidBatch(kNow);
  auto* pub = batch.mutable_runs(0)->mutable_public_addresses();
  pub->set_v4_prefix("127.0.0.0/24");
  pub->set_v6_prefix("::/48");
  ASSERT_TRUE(Store(batch).ok());
  absl::StatusOr<store::RunPage> page = store_->ListRuns({}, 10, "");
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->runs.size(), 1u);
  EXPECT_EQ(page->runs[0].run().attribution().v4_prefix(), "");
  EXPECT_EQ(page->runs[0].run().attribution().v6_prefix(), "3ffe:7::/48");
  EXPECT_EQ(page->runs[0].run().attribution().source(), "peer");
  EXPECT_EQ(metrics_.public_prefix_refused->With({"v4"})->Get(), 1);
  EXPECT_EQ(metrics_.public_prefix_refused->With({"v6"})->Get(), 1);

  batch.set_first_seq(2);
  Completion completion;
  absl::StatusOr<Admission> admission = pipeline_->Accept(
      kProbe, "ipv6:[::1]:40000", &batch, completion.Callback());
  ASSERT_TRUE(admission.ok() && admission->submitted);
  ASSERT_TRUE(completion.Wait().ok());
  page = store_->ListRuns({}, 10, "");
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->runs.size(), 2u);  // Newest first.
  EXPECT_EQ(page->runs[0].run().attribution().v4_prefix(), "");
  EXPECT_EQ(page->runs[0].run().attribution().v6_prefix(), "");
}

TEST_F(PipelineTest, ResentBatchIsCountedAsDuplicates) {
  v6scope::v1::Batch batch = testing::ValidBatch(kNow);
  batch.set_dropped_runs(4);
  ASSERT_TRUE(Store(batch).ok());
  absl::StatusOr<StoredBatch> again = Store(batch);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->stored, 0u);
  EXPECT_EQ(again->duplicates, 1u);
  EXPECT_EQ(metrics_.runs_duplicate->Get(), 1);
  // The resent batch's drops were reported with the first copy.
  EXPECT_EQ(metrics_.dropped_runs_reported->Get(), 4);
}

TEST_F(PipelineTest, MalformedBatchIsRefusedNamingTheField) {
  for (const testing::MalformedCase& c : testing::MalformedCases(kNow)) {
    SCOPED_TRACE(c.name);
    v6scope::v1::Batch batch = testing::ValidBatch(kNow);
    c.mutate(batch);
    bool called = false;
    absl::StatusOr<Admission> admission = pipeline_->Accept(
        kProbe, kPeer, &batch,
        [&called](absl::StatusOr<StoredBatch>) { called = true; });
    EXPECT_TRUE(absl::IsInvalidArgument(admission.status()))
        << admission.status();
    EXPECT_NE(admission.status().message().find(c.want_path), std::string::npos)
        << admission.status();
    EXPECT_FALSE(called);
  }
  writer_.reset();  // Commits anything queued (there must be nothing).
  EXPECT_EQ(LastStoredSeq(), 0u);
}

TEST_F(PipelineTest, BusyWriterAsksForTheConfiguredBackOff) {
  IngestLimits limits;
  limits.max_queued_batches = 0;  // Always behind.
  limits.back_off_seconds = 17;
  Build(limits);
  v6scope::v1::Batch batch = testing::ValidBatch(kNow);
  absl::StatusOr<Admission> admission =
      pipeline_->Accept(kProbe, kPeer, &batch, [](auto) { ADD_FAILURE(); });
  ASSERT_TRUE(admission.ok()) << admission.status();
  EXPECT_FALSE(admission->submitted);
  EXPECT_EQ(admission->back_off_seconds, 17);
  EXPECT_EQ(admission->back_off_reason, "collector busy");
}

TEST_F(PipelineTest, ProbeOverItsRateIsToldWhenToComeBack) {
  IngestLimits limits;
  limits.max_runs_per_second_per_probe = 0.5;
  limits.max_burst_runs_per_probe = 2;
  Build(limits);
  v6scope::v1::Batch batch = testing::ValidBatch(kNow);
  *batch.add_runs() = testing::ValidRun(kNow);
  ASSERT_TRUE(Store(batch).ok());  // The burst.

  batch.set_first_seq(3);
  v6scope::v1::Batch next = batch;
  absl::StatusOr<Admission> admission =
      pipeline_->Accept(kProbe, kPeer, &next, [](auto) { ADD_FAILURE(); });
  ASSERT_TRUE(admission.ok()) << admission.status();
  EXPECT_FALSE(admission->submitted);
  EXPECT_EQ(admission->back_off_seconds, 4);  // 2 runs at 0.5 per second.
  EXPECT_EQ(admission->back_off_reason, "probe over its upload rate limit");
  EXPECT_EQ(LastStoredSeq(), 2u);

  clock_.Advance(absl::Seconds(4));
  absl::StatusOr<StoredBatch> later = Store(batch);
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_EQ(LastStoredSeq(), 4u);
}

TEST_F(PipelineTest, RevokedProbeIsRefusedAtTheWrite) {
  store::EnrolmentTokenRecord token{"hash", "org", kNow, kNow + absl::Hours(1)};
  ASSERT_TRUE(store_->AddEnrolmentToken(token).ok());
  store::ProbeRecord probe;
  probe.probe_id = kProbe;
  probe.credential_hash = "credential";
  probe.enrolled_at = kNow;
  ASSERT_TRUE(store_->ConsumeEnrolmentToken("hash", kNow, probe).ok());
  ASSERT_TRUE(store_->RevokeProbe(kProbe).ok());

  Completion completion;
  v6scope::v1::Batch batch = testing::ValidBatch(kNow);
  absl::StatusOr<Admission> admission =
      pipeline_->Accept(kProbe, kPeer, &batch, completion.Callback());
  ASSERT_TRUE(admission.ok() && admission->submitted);
  absl::StatusOr<StoredBatch> stored = completion.Wait();
  EXPECT_TRUE(absl::IsUnauthenticated(stored.status())) << stored.status();
  EXPECT_NE(stored.status().message().find(kProbe), std::string::npos);
  EXPECT_EQ(LastStoredSeq(), 0u);
  EXPECT_EQ(metrics_.batches_stored->Get(), 0);
}

}  // namespace
}  // namespace v6scope::collector::ingest
