#include "common/log/error_id.h"

#include <unistd.h>

#include <cstdio>
#include <string>

#include "absl/random/random.h"
#include "absl/strings/match.h"
#include "common/log/log.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v6scope::log {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ErrorIdTest, TwelveHexCharacters) {
  absl::BitGen gen;
  for (int i = 0; i < 100; ++i) {
    const std::string id = NewErrorId(gen);
    ASSERT_EQ(id.size(), 12u) << id;
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos)
        << id;
  }
}

TEST(ErrorIdTest, DeterministicWithAnInjectedGenerator) {
  std::seed_seq seed{1, 2, 3};
  absl::BitGen a(seed);
  std::seed_seq seed2{1, 2, 3};
  absl::BitGen b(seed2);
  EXPECT_EQ(NewErrorId(a), NewErrorId(b));
}

TEST(ErrorIdTest, PublicErrorHidesTheDetailAndLogsItWithTheId) {
  char path[] = "/tmp/error_id_test_XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  SetOutputFd(fd);
  absl::Status s = PublicError(
      absl::StatusCode::kUnavailable, "could not check the credential",
      absl::UnavailableError("step SELECT * FROM probes: database is locked"),
      "grpc.error", "Upload");
  SetOutputFd(2);
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(s.message(), HasSubstr("could not check the credential"));
  EXPECT_THAT(s.message(), Not(HasSubstr("SELECT")));
  const std::string id = ErrorIdOf(s);
  ASSERT_EQ(id.size(), 12u) << s;
  std::string logged(4096, '\0');
  const ssize_t n = pread(fd, logged.data(), logged.size(), 0);
  close(fd);
  unlink(path);
  ASSERT_GT(n, 0);
  logged.resize(n);
  EXPECT_THAT(logged, HasSubstr("event=grpc.error"));
  EXPECT_THAT(logged, HasSubstr("id=" + id));
  EXPECT_THAT(logged, HasSubstr("method=Upload"));
  EXPECT_THAT(logged, HasSubstr("SELECT * FROM probes"));
}

TEST(ErrorIdTest, ErrorIdOfAStatusWithoutOne) {
  EXPECT_EQ(ErrorIdOf(absl::InternalError("x")), "");
  EXPECT_EQ(ErrorIdOf(absl::OkStatus()), "");
}

TEST(ErrorIdTest, TheLogLineCarriesTheIdAndTheDetail) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  SetOutputFd(fds[1]);
  const std::string id =
      LogWithErrorId("http.error", absl::InternalError("SELECT * FROM runs"));
  SetOutputFd(2);
  close(fds[1]);
  char buf[1024];
  const ssize_t n = read(fds[0], buf, sizeof(buf));
  close(fds[0]);
  ASSERT_GT(n, 0);
  const std::string line(buf, static_cast<size_t>(n));
  EXPECT_TRUE(absl::StrContains(line, "event=http.error")) << line;
  EXPECT_TRUE(absl::StrContains(line, "id=" + id)) << line;
  EXPECT_TRUE(absl::StrContains(line, "SELECT * FROM runs")) << line;
}

}  // namespace
}  // namespace v6scope::log
