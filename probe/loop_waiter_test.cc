// LoopWaiter on a real event loop: a deadline, a Wake() from another
// thread, and SIGTERM through the signalfd.
#include "probe/loop_waiter.h"

#include <signal.h>

#include <memory>
#include <thread>

#include "absl/time/clock.h"
#include "common/cli/shutdown.h"
#include "gtest/gtest.h"
#include "probe/loop/event_loop.h"

namespace v6scope::probe {
namespace {

class LoopWaiterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // As in main: the shutdown signals reach only the signalfd.
    cli::BlockShutdownSignals();
    auto loop = loop::EventLoop::Create();
    ASSERT_TRUE(loop.ok());
    loop_ = *std::move(loop);
    auto waiter = LoopWaiter::Create(loop_.get());
    ASSERT_TRUE(waiter.ok()) << waiter.status();
    waiter_ = *std::move(waiter);
  }
  void TearDown() override {
    waiter_.reset();  // Unwatches its fd: before the loop goes.
    loop_.reset();
  }

  std::unique_ptr<loop::EventLoop> loop_;
  std::unique_ptr<LoopWaiter> waiter_;
};

TEST_F(LoopWaiterTest, ReturnsAtTheDeadline) {
  const absl::Time deadline = absl::Now() + absl::Milliseconds(20);
  EXPECT_EQ(waiter_->WaitUntil(deadline), Waiter::Result::kDeadline);
  EXPECT_GE(absl::Now(), deadline);
  EXPECT_EQ(waiter_->WaitUntil(absl::Now() - absl::Seconds(1)),
            Waiter::Result::kDeadline);  // A past deadline: at once.
}

TEST_F(LoopWaiterTest, WakeFromAnotherThreadEndsTheWait) {
  std::thread other([this] { waiter_->Wake(); });
  EXPECT_EQ(waiter_->WaitUntil(absl::InfiniteFuture()), Waiter::Result::kWoken);
  other.join();
}

TEST_F(LoopWaiterTest, ShutdownSignalEndsTheWaitForGood) {
  ASSERT_EQ(kill(getpid(), SIGTERM), 0);  // Pending: it is blocked.
  EXPECT_EQ(waiter_->WaitUntil(absl::InfiniteFuture()),
            Waiter::Result::kSignal);
  EXPECT_EQ(waiter_->signal(), "SIGTERM");
  EXPECT_EQ(waiter_->WaitUntil(absl::InfiniteFuture()),
            Waiter::Result::kSignal);
}

}  // namespace
}  // namespace v6scope::probe
