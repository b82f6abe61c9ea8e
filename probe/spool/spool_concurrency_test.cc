// One appender and one drainer on the same Spool at once, as in the
// daemon (measuring thread and uplink thread): every run appended is read
// exactly once, in order, and acknowledged; the counters add up.
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "probe/spool/spool.h"
#include "probe/spool/spool_test_util.h"

namespace v6scope::probe::spool {
namespace {

using testing::FreshDir;
using testing::IsTestRun;
using testing::OpenSpool;
using testing::TestRun;

TEST(SpoolConcurrencyTest, OneAppenderAndOneDrainerAtOnce) {
  SpoolOptions o;
  o.dir = FreshDir("concurrent");
  o.segment_bytes = 4096;  // Many segments: appends seal, acks delete.
  o.max_bytes = 64 << 20;  // No quota drops: every run must arrive.
  o.fsync = FsyncPolicy::kBatched;
  std::unique_ptr<Spool> spool = OpenSpool(o);
  ASSERT_NE(spool, nullptr);
  constexpr uint64_t kRuns = 2000;

  std::thread appender([&] {
    for (uint64_t seq = 1; seq <= kRuns; ++seq) {
      ASSERT_TRUE(spool->Append(seq, TestRun(seq)).ok());
    }
  });
  std::vector<uint64_t> read;
  // The drainer reads what is there, acknowledges it, and goes on until
  // it has seen every run (spinning: no sleep decides the outcome).
  while (read.size() < kRuns) {
    auto batch = spool->ReadPending(37, 1 << 20);
    ASSERT_TRUE(batch.ok()) << batch.status();
    if (batch->empty()) {
      std::this_thread::yield();
      continue;
    }
    for (const SpooledRun& r : *batch) {
      EXPECT_TRUE(IsTestRun(r.seq, r.run));
      read.push_back(r.seq);
    }
    ASSERT_TRUE(spool->Acknowledge(batch->back().seq).ok());
  }
  appender.join();
  for (uint64_t i = 0; i < kRuns; ++i) ASSERT_EQ(read[i], i + 1);
  const SpoolStats st = spool->stats();
  EXPECT_EQ(st.pending_records, 0u);
  EXPECT_EQ(st.acked_through, kRuns);
  EXPECT_EQ(st.dropped_records, 0u);
  EXPECT_LE(st.segments, 1u);
}

}  // namespace
}  // namespace v6scope::probe::spool
