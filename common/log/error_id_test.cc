#include "common/log/error_id.h"

#include <unistd.h>

#include <string>

#include "absl/random/random.h"
#include "absl/strings/match.h"
#include "common/log/log.h"
#include "gtest/gtest.h"

namespace v6scope::log {
namespace {

TEST(ErrorIdTest, IsTwelveLowercaseHexCharacters) {
  absl::BitGen gen;
  for (int i = 0; i < 100; ++i) {
    const std::string id = NewErrorId(gen);
    ASSERT_EQ(id.size(), kErrorIdChars) << id;
    for (char c : id) {
      EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << id;
    }
  }
  EXPECT_NE(NewErrorId(), NewErrorId());
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
