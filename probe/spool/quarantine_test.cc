#include "probe/spool/quarantine.h"

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/fs/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "probe/spool/spool_test_util.h"

namespace v6scope::probe::spool {
namespace {

using ::testing::ElementsAre;
using testing::FreshDir;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::TestRun;

std::unique_ptr<Quarantine> Open(const std::string& dir, size_t max_files,
                                 uint64_t max_bytes) {
  QuarantineOptions o;
  o.dir = dir + "/quarantine";
  o.max_files = max_files;
  o.max_bytes = max_bytes;
  absl::StatusOr<std::unique_ptr<Quarantine>> q = Quarantine::Open(o);
  EXPECT_TRUE(q.ok()) << q.status();
  return q.ok() ? *std::move(q) : nullptr;
}

bool Exists(const std::string& path) { return fs::ReadFile(path).ok(); }

TEST(QuarantineTest, WritesTheRunAndTheReasonEscaped) {
  auto q = Open(FreshDir("quarantine_put"), 10, 1 << 20);
  ASSERT_NE(q, nullptr);
  v6scope::v1::Run run = TestRun(42);
  run.add_tests()->set_error_detail("bad\x1b[31m\n");
  absl::StatusOr<std::string> path =
      q->Put(42, run, "runs[0].tests[0].error_detail: control\ncharacter",
             absl::FromUnixSeconds(1718359200));
  ASSERT_TRUE(path.ok()) << path.status();
  EXPECT_THAT(*path, HasSubstr("/00000000000000000042.run.txt"));
  const std::string text = fs::ReadFile(*path).value_or("");
  EXPECT_THAT(text, HasSubstr("# seq: 42\n"));
  EXPECT_THAT(text, HasSubstr("# quarantined_at: 2024-06-14T10:00:00+00:00"));
  EXPECT_THAT(text, HasSubstr("# reason: runs[0].tests[0].error_detail: "
                              "control\\x0acharacter\n"));
  EXPECT_THAT(text, HasSubstr("error_detail: \"bad\\033[31m\\n\""));
  EXPECT_THAT(text, Not(HasSubstr("\x1b")));
}

TEST(QuarantineTest, DropsTheOldestBeyondTheBounds) {
  const std::string dir = FreshDir("quarantine_bounds");
  auto q = Open(dir, 3, 1 << 20);
  ASSERT_NE(q, nullptr);
  std::vector<std::string> paths;
  for (uint64_t seq : {5, 6, 7, 8}) {
    paths.push_back(
        q->Put(seq, TestRun(seq), "why", absl::UnixEpoch()).value_or(""));
  }
  EXPECT_FALSE(Exists(paths[0]));
  EXPECT_TRUE(Exists(paths[1]));
  EXPECT_TRUE(Exists(paths[3]));
  // A byte bound below one file keeps only the newest.
  auto tiny = Open(dir, 100, 1);
  ASSERT_NE(tiny, nullptr);
  const std::string newest =
      tiny->Put(9, TestRun(9), "why", absl::UnixEpoch()).value_or("");
  EXPECT_FALSE(Exists(paths[3]));
  EXPECT_TRUE(Exists(newest));
}

}  // namespace
}  // namespace v6scope::probe::spool
