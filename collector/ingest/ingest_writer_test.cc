#include "collector/ingest/ingest_writer.h"

#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "collector/ingest/prepare_run.h"
#include "collector/store/prepared_run.h"
#include "collector/store/sqlite/sqlite_store.h"
#include "gtest/gtest.h"

namespace v6scope::collector::ingest {
namespace {

std::unique_ptr<store::sqlite::SqliteStore> FreshStore() {
  static std::atomic<int> counter{0};
  absl::StatusOr<std::unique_ptr<store::sqlite::SqliteStore>> store =
      store::sqlite::SqliteStore::Open(absl::StrCat(
          ::testing::TempDir(), "/writer-", getpid(), "-", counter++, ".db"));
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

store::RunBatch Batch(const std::string& probe, uint64_t first_seq, int runs) {
  store::RunBatch batch;
  batch.probe_id = probe;
  batch.first_seq = first_seq;
  batch.received_at = absl::FromUnixSeconds(1'700'000'000);
  for (int i = 0; i < runs; ++i) {
    v6scope::v1::Run run;
    run.set_probe_version(absl::StrCat("seq ", first_seq + i));
    batch.runs.push_back(*PrepareRun(run));
  }
  return batch;
}

// Completions, recorded as they arrive.
class Recorder {
 public:
  IngestWriter::Done Expect(std::string name) {
    return [this, name](absl::StatusOr<store::BatchOutcome> outcome) {
      absl::MutexLock lock(&mu_);
      results_.push_back({name, std::move(outcome)});
    };
  }
  void AwaitCount(size_t n) {
    absl::MutexLock lock(&mu_);
    auto enough = [this, n]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return results_.size() >= n;
    };
    mu_.Await(absl::Condition(&enough));
  }
  size_t count() {
    absl::MutexLock lock(&mu_);
    return results_.size();
  }
  absl::StatusOr<store::BatchOutcome> Get(const std::string& name) {
    absl::MutexLock lock(&mu_);
    for (const auto& [n, outcome] : results_) {
      if (n == name) return outcome;
    }
    return absl::NotFoundError(name);
  }
  int Calls(const std::string& name) {
    absl::MutexLock lock(&mu_);
    int calls = 0;
    for (const auto& result : results_) calls += result.first == name;
    return calls;
  }

 private:
  absl::Mutex mu_;
  std::vector<std::pair<std::string, absl::StatusOr<store::BatchOutcome>>>
      results_ ABSL_GUARDED_BY(mu_);
};

TEST(IngestWriterTest, CompletionComesAfterTheBatchIsStored) {
  std::unique_ptr<store::sqlite::SqliteStore> store = FreshStore();
  ASSERT_NE(store, nullptr);
  IngestWriter writer(store.get());
  absl::Notification done;
  uint64_t seen_last_seq = 0;
  writer.Submit(Batch("p1", 1, 3),
                [&](absl::StatusOr<store::BatchOutcome> outcome) {
                  ASSERT_TRUE(outcome.ok()) << outcome.status();
                  EXPECT_EQ(outcome->stored, 3u);
                  // Already readable (committed) when the completion runs.
                  seen_last_seq = store->LastStoredSeq("p1").value_or(0);
                  done.Notify();
                });
  done.WaitForNotification();
  EXPECT_EQ(seen_last_seq, 3u);
}

TEST(IngestWriterTest, ManySubmittersEachCompletedOnce) {
  std::unique_ptr<store::sqlite::SqliteStore> store = FreshStore();
  ASSERT_NE(store, nullptr);
  Recorder recorder;
  constexpr int kThreads = 8, kBatchesPerThread = 50;
  {
    IngestWriter writer(store.get(), /*max_runs_per_commit=*/64);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int b = 0; b < kBatchesPerThread; ++b) {
          writer.Submit(Batch(absl::StrCat("p", t), 1 + b * 5, 5),
                        recorder.Expect(absl::StrCat(t, "/", b)));
        }
      });
    }
    for (std::thread& t : threads) t.join();
    recorder.AwaitCount(kThreads * kBatchesPerThread);
  }
  EXPECT_EQ(recorder.count(),
            static_cast<size_t>(kThreads * kBatchesPerThread));
  for (int t = 0; t < kThreads; ++t) {
    for (int b = 0; b < kBatchesPerThread; ++b) {
      const std::string name = absl::StrCat(t, "/", b);
      EXPECT_EQ(recorder.Calls(name), 1) << name;
      absl::StatusOr<store::BatchOutcome> outcome = recorder.Get(name);
      ASSERT_TRUE(outcome.ok()) << name << ": " << outcome.status();
      EXPECT_EQ(outcome->stored, 5u) << name;
    }
    EXPECT_EQ(store->LastStoredSeq(absl::StrCat("p", t)).value_or(0),
              static_cast<uint64_t>(kBatchesPerThread * 5));
  }
}

TEST(IngestWriterTest, DestructorStoresAndCompletesWhatIsQueued) {
  std::unique_ptr<store::sqlite::SqliteStore> store = FreshStore();
  ASSERT_NE(store, nullptr);
  Recorder recorder;
  {
    IngestWriter writer(store.get());
    for (int b = 0; b < 100; ++b) {
      writer.Submit(Batch("p1", 1 + b, 1), recorder.Expect(absl::StrCat(b)));
    }
  }  // No waiting: the destructor must drain both queues.
  EXPECT_EQ(recorder.count(), 100u);
  EXPECT_EQ(store->LastStoredSeq("p1").value_or(0), 100u);
}

TEST(IngestWriterTest, FailedCommitIsReportedAndTheWriterGoesOn) {
  std::unique_ptr<store::sqlite::SqliteStore> store = FreshStore();
  ASSERT_NE(store, nullptr);
  Recorder recorder;
  IngestWriter writer(store.get());
  // Sequence numbers the schema cannot hold: the store refuses the call.
  writer.Submit(Batch("p1", std::numeric_limits<uint64_t>::max(), 2),
                recorder.Expect("bad"));
  recorder.AwaitCount(1);
  writer.Submit(Batch("p1", 1, 2), recorder.Expect("good"));
  recorder.AwaitCount(2);
  EXPECT_FALSE(recorder.Get("bad").ok());
  absl::StatusOr<store::BatchOutcome> good = recorder.Get("good");
  ASSERT_TRUE(good.ok()) << good.status();
  EXPECT_EQ(good->stored, 2u);
}

TEST(IngestWriterTest, RevokedProbeOutcomeReachesTheCompletion) {
  std::unique_ptr<store::sqlite::SqliteStore> store = FreshStore();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store
                  ->AddEnrolmentToken({"hash", "org", absl::UnixEpoch(),
                                       absl::InfiniteFuture()})
                  .ok());
  store::ProbeRecord probe;
  probe.probe_id = "p1";
  probe.credential_hash = "c";
  ASSERT_TRUE(
      store->ConsumeEnrolmentToken("hash", absl::UnixEpoch(), probe).ok());
  ASSERT_TRUE(store->RevokeProbe("p1").ok());
  Recorder recorder;
  IngestWriter writer(store.get());
  writer.Submit(Batch("p1", 1, 2), recorder.Expect("revoked"));
  recorder.AwaitCount(1);
  absl::StatusOr<store::BatchOutcome> outcome = recorder.Get("revoked");
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_TRUE(outcome->revoked);
  EXPECT_EQ(store->LastStoredSeq("p1").value_or(99), 0u);
}

TEST(IngestWriterTest, CompletionMaySubmitTheNextBatch) {
  // What an upload stream does: its completion leads to its next batch.
  std::unique_ptr<store::sqlite::SqliteStore> store = FreshStore();
  ASSERT_NE(store, nullptr);
  IngestWriter writer(store.get());
  absl::Notification all_done;
  std::function<void(int)> submit = [&](int b) {
    writer.Submit(Batch("p1", 1 + b, 1),
                  [&, b](absl::StatusOr<store::BatchOutcome> outcome) {
                    ASSERT_TRUE(outcome.ok());
                    if (b + 1 < 20) {
                      submit(b + 1);
                    } else {
                      all_done.Notify();
                    }
                  });
  };
  submit(0);
  all_done.WaitForNotification();
  EXPECT_EQ(store->LastStoredSeq("p1").value_or(0), 20u);
}

}  // namespace
}  // namespace v6scope::collector::ingest
