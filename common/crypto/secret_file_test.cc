#include "common/crypto/secret_file.h"

#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"

namespace v6scope::crypto {
namespace {

std::string TempFile(const std::string& name, const std::string& content) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << content;
  return path;
}

TEST(SecretFileTest, ReadsTheFirstLineOfAFileTrimmed) {
  std::istringstream unused;
  absl::StatusOr<std::string> s =
      ReadSecret(TempFile("a", "  et-abc \nignored\n"), unused);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(*s, "et-abc");
}

TEST(SecretFileTest, DashReadsStandardInput) {
  std::istringstream in("rk-0123\n");
  absl::StatusOr<std::string> s = ReadSecret("-", in);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(*s, "rk-0123");
}

TEST(SecretFileTest, EmptyMissingAndHugeAreErrors) {
  std::istringstream empty("\n");
  EXPECT_EQ(ReadSecret("-", empty).status().code(),
            absl::StatusCode::kInvalidArgument);
  std::istringstream unused;
  absl::StatusOr<std::string> missing =
      ReadSecret(::testing::TempDir() + "/nope", unused);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("nope"), std::string::npos);
  std::istringstream huge(std::string(5000, 'x'));
  EXPECT_EQ(ReadSecret("-", huge).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace v6scope::crypto
