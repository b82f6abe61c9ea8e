// The work book's files on their own: framing, torn and damaged files.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/fs/files.h"
#include "gtest/gtest.h"
#include "probe/campaign/assignment_file.h"
#include "probe/campaign/progress_log.h"
#include "probe/campaign/usage_file.h"

namespace v6scope::probe::campaign {
namespace {

std::string Dir() {
  const ::testing::TestInfo* t =
      ::testing::UnitTest::GetInstance()->current_test_info();
  const std::string dir =
      absl::StrCat(std::getenv("TEST_TMPDIR"), "/", t->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

size_t FilesIn(const std::string& dir) {
  if (!std::filesystem::exists(dir)) return 0;
  auto it = std::filesystem::directory_iterator(dir);
  return static_cast<size_t>(std::distance(begin(it), end(it)));
}

TEST(ProgressLogTest, RecordsSurviveReopen) {
  const std::string dir = Dir();
  const std::string path = dir + "/x.progress";
  std::vector<ProgressRecord> got;
  {
    auto log = ProgressLog::Open(path, 10, dir + "/q", &got);
    ASSERT_TRUE(log.ok()) << log.status();
    ASSERT_TRUE((*log)->Append({3, 20000, 1234, false}).ok());
    ASSERT_TRUE((*log)->Append({7, 20001, 0, true}).ok());
  }
  auto log = ProgressLog::Open(path, 10, dir + "/q", &got);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].item, 3u);
  EXPECT_EQ(got[0].day, 20000u);
  EXPECT_EQ(got[0].bytes, 1234u);
  EXPECT_FALSE(got[0].skipped);
  EXPECT_EQ(got[1].item, 7u);
  EXPECT_TRUE(got[1].skipped);
}

TEST(ProgressLogTest, TornTailIsCutAndAppendsContinue) {
  const std::string dir = Dir();
  const std::string path = dir + "/x.progress";
  std::string two = ProgressLog::Encode({1, 5, 9, false}) +
                    ProgressLog::Encode({2, 5, 9, false});
  ASSERT_TRUE(fs::WriteFileAtomically(path, two.substr(0, 24 + 10), 0600).ok());
  std::vector<ProgressRecord> got;
  {
    auto log = ProgressLog::Open(path, 10, dir + "/q", &got);
    ASSERT_TRUE(log.ok());
    ASSERT_EQ(got.size(), 1u);
    ASSERT_TRUE((*log)->Append({4, 5, 9, false}).ok());
  }
  got.clear();
  ASSERT_TRUE(ProgressLog::Open(path, 10, dir + "/q", &got).ok());
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].item, 4u);
  EXPECT_EQ(FilesIn(dir + "/q"), 0u);  // A torn tail is not corruption.
}

TEST(ProgressLogTest, BadRecordQuarantinesAndKeepsTheGoodPrefix) {
  const std::string dir = Dir();
  const std::string path = dir + "/x.progress";
  std::string bytes = ProgressLog::Encode({1, 5, 9, false}) +
                      ProgressLog::Encode({2, 5, 9, false}) +
                      ProgressLog::Encode({3, 5, 9, false});
  bytes[24 + 2] ^= 0x40;  // Second record damaged.
  ASSERT_TRUE(fs::WriteFileAtomically(path, bytes, 0600).ok());
  std::vector<ProgressRecord> got;
  ASSERT_TRUE(ProgressLog::Open(path, 10, dir + "/q", &got).ok());
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(FilesIn(dir + "/q"), 1u);
  EXPECT_EQ(fs::ReadFile(path)->size(), 24u);
}

TEST(ProgressLogTest, ItemOutOfRangeIsCorruption) {
  const std::string dir = Dir();
  const std::string path = dir + "/x.progress";
  ASSERT_TRUE(fs::WriteFileAtomically(
                  path, ProgressLog::Encode({50, 5, 9, false}), 0600)
                  .ok());
  std::vector<ProgressRecord> got;
  ASSERT_TRUE(ProgressLog::Open(path, 10, dir + "/q", &got).ok());
  EXPECT_TRUE(got.empty());
  EXPECT_EQ(FilesIn(dir + "/q"), 1u);
}

TEST(AssignmentFileTest, RoundTripAndDamage) {
  const std::string dir = Dir();
  const std::string path = dir + "/a.assignment";
  v6scope::v1::Assignment a;
  a.set_assignment_id("a-0000000000000001");
  a.add_domains()->set_name("example.gov");
  ASSERT_TRUE(WriteAssignmentFile(path, a).ok());
  auto back = ReadAssignmentFile(path);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->domains(0).name(), "example.gov");
  std::string bytes = *fs::ReadFile(path);
  ASSERT_TRUE(
      fs::WriteFileAtomically(path, bytes.substr(0, bytes.size() - 3), 0600)
          .ok());
  EXPECT_TRUE(absl::IsDataLoss(ReadAssignmentFile(path).status()));
  bytes.back() ^= 1;
  ASSERT_TRUE(fs::WriteFileAtomically(path, bytes, 0600).ok());
  EXPECT_TRUE(absl::IsDataLoss(ReadAssignmentFile(path).status()));
  EXPECT_TRUE(absl::IsNotFound(ReadAssignmentFile(dir + "/none").status()));
}

TEST(UsageFileTest, RoundTripAndDamage) {
  const std::string dir = Dir();
  const std::string path = dir + "/usage";
  DayUsage u{20000, {{"c-00000001", {5, 5000}}, {"c-00000002", {1, 10}}}};
  ASSERT_TRUE(WriteUsageFile(path, u).ok());
  auto back = ReadUsageFile(path);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->day, 20000u);
  EXPECT_EQ(back->by_campaign["c-00000001"].bytes, 5000u);
  ASSERT_TRUE(fs::WriteFileAtomically(path, "day=x\n", 0600).ok());
  EXPECT_TRUE(absl::IsDataLoss(ReadUsageFile(path).status()));
}

}  // namespace
}  // namespace v6scope::probe::campaign
