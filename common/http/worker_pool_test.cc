#include "common/http/worker_pool.h"

#include <atomic>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace v6scope::http {
namespace {

TEST(WorkerPoolTest, RunsTasksAndCallsAdmittedFirst) {
  WorkerPool pool(2, 8);
  absl::Notification done;
  bool admitted = false;
  ASSERT_TRUE(pool.TrySubmit(
      [&](bool run) {
        EXPECT_TRUE(run);
        EXPECT_TRUE(admitted);
        done.Notify();
      },
      [&] { admitted = true; }));
  done.WaitForNotification();
}

TEST(WorkerPoolTest, RefusesBeyondTheQueueBoundAndCancelsOnStop) {
  WorkerPool pool(1, 1);
  absl::Notification entered, release;
  std::atomic<int> ran{0}, cancelled{0};
  ASSERT_TRUE(pool.TrySubmit(
      [&](bool run) {
        entered.Notify();
        release.WaitForNotification();
        ++(run ? ran : cancelled);
      },
      [] {}));
  entered.WaitForNotification();  // The worker holds it; the queue is empty.
  ASSERT_TRUE(
      pool.TrySubmit([&](bool run) { ++(run ? ran : cancelled); }, [] {}));
  EXPECT_EQ(pool.queued(), 1u);
  bool admitted = false;
  EXPECT_FALSE(pool.TrySubmit([](bool) { FAIL(); }, [&] { admitted = true; }));
  EXPECT_FALSE(admitted);
  release.Notify();
  pool.Stop();  // The running one finishes; the queued one may be cancelled.
  EXPECT_EQ(ran + cancelled, 2);
  EXPECT_GE(ran, 1);
  EXPECT_FALSE(pool.TrySubmit([](bool) { FAIL(); }, [] {}));
}

TEST(WorkerPoolTest, StopCancelsQueuedTasksWhileOneIsStillRunning) {
  WorkerPool pool(1, 4);
  absl::Notification entered, release, cancelled;
  ASSERT_TRUE(pool.TrySubmit(
      [&](bool) {
        entered.Notify();
        release.WaitForNotification();
      },
      [] {}));
  entered.WaitForNotification();
  ASSERT_TRUE(pool.TrySubmit(
      [&](bool run) {
        EXPECT_FALSE(run);
        cancelled.Notify();
        // Cancelled before Stop() waits for the running task.
        release.Notify();
      },
      [] {}));
  pool.Stop();
  EXPECT_TRUE(cancelled.HasBeenNotified());
}

}  // namespace
}  // namespace v6scope::http
