#include "probe/loop/event_loop.h"

#include <fcntl.h>
#include <unistd.h>

#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v6scope::probe::loop {
namespace {

using ::testing::ElementsAre;

std::unique_ptr<EventLoop> NewLoop() {
  auto loop = EventLoop::Create();
  EXPECT_TRUE(loop.ok()) << loop.status();
  return std::move(*loop);
}

struct Pipe {
  Pipe() {
    int fds[2];
    EXPECT_EQ(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
    r = fds[0];
    w = fds[1];
  }
  ~Pipe() {
    close(r);
    close(w);
  }
  int r, w;
};

TEST(EventLoopTest, TimersFireInDeadlineOrderAndCancelWorks) {
  auto loop = NewLoop();
  std::vector<int> order;
  loop->RunAfter(absl::Milliseconds(20), [&] { order.push_back(3); });
  loop->RunAfter(absl::Milliseconds(0), [&] { order.push_back(1); });
  auto cancelled =
      loop->RunAfter(absl::Milliseconds(5), [&] { order.push_back(99); });
  loop->RunAfter(absl::Milliseconds(10), [&] { order.push_back(2); });
  loop->CancelTimer(cancelled);
  EXPECT_TRUE(
      loop->RunUntil([&] { return order.size() == 3; }, absl::Seconds(10)));
  EXPECT_THAT(order, ElementsAre(1, 2, 3));
  EXPECT_EQ(loop->pending_timers(), 0u);
}

TEST(EventLoopTest, TimerDoesNotFireEarly) {
  auto loop = NewLoop();
  const absl::Duration start = EventLoop::MonotonicNow();
  absl::Duration fired;
  bool done = false;
  loop->RunAfter(absl::Milliseconds(30), [&] {
    fired = EventLoop::MonotonicNow();
    done = true;
  });
  ASSERT_TRUE(loop->RunUntil([&] { return done; }, absl::Seconds(10)));
  EXPECT_GE(fired - start, absl::Milliseconds(30));
}

TEST(EventLoopTest, ReadableFdCallsBackAndUnwatchInsideCallbackIsSafe) {
  auto loop = NewLoop();
  Pipe p;
  int calls = 0;
  ASSERT_TRUE(loop->WatchFd(p.r, EventLoop::kReadable,
                            [&](int fd, uint32_t ready) {
                              EXPECT_EQ(fd, p.r);
                              EXPECT_TRUE(ready & EventLoop::kReadable);
                              ++calls;
                              loop->UnwatchFd(fd);
                            })
                  .ok());
  ASSERT_EQ(write(p.w, "x", 1), 1);
  EXPECT_TRUE(loop->RunUntil([&] { return calls == 1; }, absl::Seconds(10)));
  // Still readable, but unwatched: no second call.
  loop->RunUntil([] { return false; }, absl::Milliseconds(20));
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(loop->watched_fds(), 0u);
}

TEST(EventLoopTest, HangupIsReportedAsReadableAndWritable) {
  auto loop = NewLoop();
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
  uint32_t seen = 0;
  ASSERT_TRUE(loop->WatchFd(fds[0], EventLoop::kReadable,
                            [&](int fd, uint32_t ready) {
                              seen = ready;
                              loop->UnwatchFd(fd);
                            })
                  .ok());
  close(fds[1]);
  EXPECT_TRUE(loop->RunUntil([&] { return seen != 0; }, absl::Seconds(10)));
  EXPECT_TRUE(seen & EventLoop::kReadable);
  close(fds[0]);
}

TEST(EventLoopTest, PostFromAnotherThreadRunsOnLoopThread) {
  auto loop = NewLoop();
  std::thread::id loop_thread = std::this_thread::get_id();
  std::thread::id ran_on;
  bool done = false;
  std::thread t([&] {
    loop->Post([&] {
      ran_on = std::this_thread::get_id();
      done = true;
    });
  });
  EXPECT_TRUE(loop->RunUntil([&] { return done; }, absl::Seconds(10)));
  t.join();
  EXPECT_EQ(ran_on, loop_thread);
}

TEST(EventLoopTest, StopFromAnotherThreadEndsRun) {
  auto loop = NewLoop();
  std::thread t([&] { loop->Stop(); });
  loop->Run();  // Returns only because of Stop.
  t.join();
}

TEST(EventLoopTest, RunUntilGivesUpAtTimeout) {
  auto loop = NewLoop();
  EXPECT_FALSE(loop->RunUntil([] { return false; }, absl::Milliseconds(10)));
}

TEST(EventLoopTest, HundredsOfFdsOnOneThread) {
  auto loop = NewLoop();
  constexpr int kPipes = 300;
  std::vector<std::unique_ptr<Pipe>> pipes;
  int readable = 0;
  for (int i = 0; i < kPipes; ++i) {
    pipes.push_back(std::make_unique<Pipe>());
    ASSERT_TRUE(loop->WatchFd(pipes.back()->r, EventLoop::kReadable,
                              [&](int fd, uint32_t) {
                                char c;
                                ASSERT_EQ(read(fd, &c, 1), 1);
                                ++readable;
                                loop->UnwatchFd(fd);
                              })
                    .ok());
  }
  for (auto& p : pipes) ASSERT_EQ(write(p->w, "x", 1), 1);
  EXPECT_TRUE(
      loop->RunUntil([&] { return readable == kPipes; }, absl::Seconds(10)));
}

TEST(EventLoopTest, WatchingABadFdIsAnError) {
  auto loop = NewLoop();
  EXPECT_FALSE(
      loop->WatchFd(-1, EventLoop::kReadable, [](int, uint32_t) {}).ok());
}

}  // namespace
}  // namespace v6scope::probe::loop
