#include "probe/suite/inventory_suite.h"

#include "gtest/gtest.h"

namespace v6scope::probe {
namespace {

TEST(InventorySuiteTest, RunCarriesInventoryTimesAndNoVerdict) {
  FakeClock clock(absl::FromUnixSeconds(1'800'000'000));
  InventorySuite suite(&clock, [] {
    v6scope::v1::AddressInventory inv;
    inv.set_v6_global_native(2);
    inv.set_v4_private(1);
    inv.set_v6_default_route(true);
    return absl::StatusOr<v6scope::v1::AddressInventory>(inv);
  });
  absl::StatusOr<v6scope::v1::Run> run = suite.RunOnce();
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->started_at().seconds(), 1'800'000'000);
  EXPECT_EQ(run->inventory().v6_global_native(), 2u);
  EXPECT_TRUE(run->inventory().v6_default_route());
  EXPECT_EQ(run->tests_size(), 0);
  EXPECT_EQ(run->verdict().capability(), v6scope::v1::CAPABILITY_UNSPECIFIED);
  EXPECT_FALSE(run->probe_version().empty());
}

TEST(InventorySuiteTest, ReaderFailureIsAnError) {
  FakeClock clock(absl::FromUnixSeconds(1'800'000'000));
  InventorySuite suite(&clock, [] {
    return absl::StatusOr<v6scope::v1::AddressInventory>(
        absl::InternalError("getifaddrs failed"));
  });
  EXPECT_EQ(suite.RunOnce().status().code(), absl::StatusCode::kInternal);
}

TEST(InventorySuiteTest, RealInventoryOnThisMachine) {
  InventorySuite suite(RealClock::Get());
  absl::StatusOr<v6scope::v1::Run> run = suite.RunOnce();
  ASSERT_TRUE(run.ok()) << run.status();
}

}  // namespace
}  // namespace v6scope::probe
