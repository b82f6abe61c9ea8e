#include "common/fs/files.h"

#include <sys/stat.h>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v6scope::fs {
namespace {

using ::testing::HasSubstr;

std::string TestDir(const std::string& name) {
  return absl::StrCat(::testing::TempDir(), "/files_test_", name);
}

TEST(FilesTest, WriteThenReadWithExactMode) {
  const std::string dir = TestDir("rw");
  ASSERT_TRUE(MakeDirs(dir + "/a/b", 0700).ok());
  const std::string path = dir + "/a/b/secret";
  ASSERT_TRUE(WriteFileAtomically(path, "s3cret", 0600).ok());
  ASSERT_TRUE(WriteFileAtomically(path, "s3cret2", 0600).ok());
  absl::StatusOr<std::string> read = ReadFile(path);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, "s3cret2");
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(FilesTest, MissingFileIsNotFoundAndNamesThePath) {
  absl::StatusOr<std::string> read = ReadFile("/nonexistent/v6scope/x");
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(read.status().message(), HasSubstr("/nonexistent/v6scope/x"));
}

TEST(FilesTest, MakeDirsOverAFileSaysNotADirectory) {
  const std::string dir = TestDir("notdir");
  ASSERT_TRUE(MakeDirs(dir, 0700).ok());
  ASSERT_TRUE(WriteFileAtomically(dir + "/f", "x", 0600).ok());
  absl::Status s = MakeDirs(dir + "/f", 0700);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("not a directory"));
  s = MakeDirs(dir + "/f/sub", 0700);
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr(dir + "/f"));
}

}  // namespace
}  // namespace v6scope::fs
