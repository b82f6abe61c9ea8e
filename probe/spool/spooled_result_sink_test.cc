#include "probe/spool/spooled_result_sink.h"

#include <cstdint>
#include <memory>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "probe/spool/spool_test_util.h"

namespace v6scope::probe::spool {
namespace {

using testing::FreshDir;

TEST(SpooledResultSinkTest, AppendsUnderFreshSequenceNumbersAndWakes) {
  SpoolOptions o;
  o.dir = FreshDir("result_sink");
  auto spool = DomainSpool::Open(o);
  ASSERT_TRUE(spool.ok()) << spool.status();
  uint64_t counter = 10;
  int woken = 0;
  SpooledResultSink sink(
      spool->get(), [&]() -> absl::StatusOr<uint64_t> { return ++counter; },
      [&] { ++woken; });
  v6scope::v1::DomainResult r;
  r.set_assignment_id("a-1");
  ASSERT_TRUE(sink.Append(r).ok());
  r.set_item(1);
  ASSERT_TRUE(sink.Append(r).ok());
  EXPECT_EQ(woken, 2);
  auto pending = (*spool)->ReadPending(10, 1 << 20);
  ASSERT_TRUE(pending.ok()) << pending.status();
  ASSERT_EQ(pending->size(), 2u);
  EXPECT_EQ((*pending)[0].seq, 11u);
  EXPECT_EQ((*pending)[1].seq, 12u);
  EXPECT_EQ((*pending)[1].result.item(), 1u);
}

TEST(SpooledResultSinkTest, ACounterFailureTakesNothing) {
  SpoolOptions o;
  o.dir = FreshDir("result_sink_fail");
  auto spool = DomainSpool::Open(o);
  ASSERT_TRUE(spool.ok()) << spool.status();
  SpooledResultSink sink(spool->get(), []() -> absl::StatusOr<uint64_t> {
    return absl::ResourceExhaustedError("disk full");
  });
  EXPECT_TRUE(absl::IsResourceExhausted(sink.Append({})));
  EXPECT_EQ((*spool)->stats().pending_records, 0u);
}

}  // namespace
}  // namespace v6scope::probe::spool
