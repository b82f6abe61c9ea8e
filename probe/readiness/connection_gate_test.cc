#include "probe/readiness/connection_gate.h"

#include <memory>

#include "absl/time/time.h"
#include "common/time/clock.h"
#include "gtest/gtest.h"
#include "probe/loop/event_loop.h"

namespace v6scope::probe::readiness {
namespace {

constexpr absl::Duration kInterval = absl::Milliseconds(300);

class ConnectionGateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loop = loop::EventLoop::Create();
    ASSERT_TRUE(loop.ok());
    loop_ = *std::move(loop);
    gate_ = std::make_unique<ConnectionGate>(loop_.get(), &clock_, kInterval);
  }
  // Runs the loop until `flag` or `limit` (real time) passes.
  bool RunFor(const bool& flag, absl::Duration limit) {
    return loop_->RunUntil([&] { return flag; }, limit);
  }

  time::FakeClock clock_{absl::FromUnixSeconds(1'800'000'000)};
  std::unique_ptr<loop::EventLoop> loop_;
  std::unique_ptr<ConnectionGate> gate_;
};

TEST_F(ConnectionGateTest, AdmitsFromTheLoopNeverInline) {
  bool a = false;
  gate_->Acquire("11.0.0.1", [&] { a = true; });
  EXPECT_FALSE(a);
  EXPECT_TRUE(RunFor(a, absl::Seconds(2)));
}

TEST_F(ConnectionGateTest, OneConnectionPerAddressAtATime) {
  bool a = false, b = false, other = false;
  gate_->Acquire("11.0.0.1", [&] { a = true; });
  gate_->Acquire("11.0.0.1", [&] { b = true; });
  gate_->Acquire("3ffe::1", [&] { other = true; });
  ASSERT_TRUE(RunFor(a, absl::Seconds(2)));
  EXPECT_TRUE(RunFor(other, absl::Seconds(2)));  // Another address: free.
  clock_.Advance(kInterval);  // The interval alone does not admit b.
  EXPECT_FALSE(RunFor(b, absl::Milliseconds(500)));
  EXPECT_EQ(gate_->busy_addresses(), 2u);
  gate_->Release("11.0.0.1");
  EXPECT_TRUE(RunFor(b, absl::Seconds(2)));
}

TEST_F(ConnectionGateTest, PerAddressLimitAbove1AdmitsThatMany) {
  ConnectionGate wide(loop_.get(), &clock_, absl::ZeroDuration(), 2);
  bool a = false, b = false, c = false;
  wide.Acquire("11.0.0.1", [&] { a = true; });
  wide.Acquire("11.0.0.1", [&] { b = true; });
  wide.Acquire("11.0.0.1", [&] { c = true; });
  ASSERT_TRUE(RunFor(a, absl::Seconds(2)));
  EXPECT_TRUE(RunFor(b, absl::Seconds(2)));
  EXPECT_FALSE(RunFor(c, absl::Milliseconds(300)));  // Two are open.
  wide.Release("11.0.0.1");
  EXPECT_TRUE(RunFor(c, absl::Seconds(2)));
}

TEST_F(ConnectionGateTest, NewConnectionsAreSpacedByTheInjectedClock) {
  bool a = false, b = false;
  gate_->Acquire("11.0.0.1", [&] { a = true; });
  ASSERT_TRUE(RunFor(a, absl::Seconds(2)));
  gate_->Release("11.0.0.1");
  gate_->Acquire("11.0.0.1", [&] { b = true; });
  // Real time passes, the injected clock does not: b waits.
  EXPECT_FALSE(RunFor(b, 2 * kInterval));
  clock_.Advance(kInterval);
  EXPECT_TRUE(RunFor(b, absl::Seconds(2)));
}

// While connections are open below the per-address limit and nobody
// waits, the gate has nothing to do until Release: no timer at all. It
// used to re-arm a zero-delay timer for as long as a connection lasted (a
// busy loop: bench/sweep's web_sweep spent 8 s of system time in it).
TEST_F(ConnectionGateTest, NoTimerWhileAConnectionIsOpenAndNobodyWaits) {
  for (absl::Duration interval : {absl::ZeroDuration(), kInterval}) {
    ConnectionGate gate(loop_.get(), &clock_, interval, /*per_address=*/2);
    bool a = false;
    gate.Acquire("11.0.0.1", [&] { a = true; });
    ASSERT_TRUE(RunFor(a, absl::Seconds(2)));
    clock_.Advance(2 * kInterval);  // Past the interval, still open.
    const bool never = false;
    RunFor(never, absl::Milliseconds(50));
    EXPECT_EQ(loop_->pending_timers(), 0u) << interval;
    bool b = false;  // And it still admits the next after Release.
    gate.Acquire("11.0.0.1", [&] { b = true; });
    gate.Release("11.0.0.1");
    EXPECT_TRUE(RunFor(b, absl::Seconds(2))) << interval;
    gate.Release("11.0.0.1");
  }
}

TEST_F(ConnectionGateTest, ForgetsIdleAddresses) {
  bool a = false;
  gate_->Acquire("11.0.0.1", [&] { a = true; });
  ASSERT_TRUE(RunFor(a, absl::Seconds(2)));
  gate_->Release("11.0.0.1");
  EXPECT_EQ(gate_->tracked_addresses(), 1u);  // Its interval still runs.
  clock_.Advance(kInterval);
  const bool never = false;
  RunFor(never, 2 * kInterval);
  EXPECT_EQ(gate_->tracked_addresses(), 0u);
  EXPECT_EQ(gate_->busy_addresses(), 0u);
}

}  // namespace
}  // namespace v6scope::probe::readiness
