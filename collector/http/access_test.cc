#include "collector/http/access.h"

#include <string>

#include "gtest/gtest.h"

namespace v6scope::collector::http {
namespace {

// Open to loopback peers; elsewhere only "Bearer good"; "Bearer down"
// stands for a store that cannot answer.
absl::Status FakeAuthorize(bool peer_is_loopback,
                           absl::string_view authorization) {
  if (peer_is_loopback || authorization == "Bearer good") {
    return absl::OkStatus();
  }
  if (authorization == "Bearer down") return absl::UnavailableError("down");
  return absl::UnauthenticatedError("a read key is required");
}

TEST(AccessTest, LoopbackPeersNeedNoKey) {
  int status = 0;
  std::string message;
  for (const char* peer : {"127.0.0.1", "::1", "::ffff:127.0.0.1"}) {
    EXPECT_TRUE(Authorized(FakeAuthorize, peer, "", &status, &message)) << peer;
  }
}

TEST(AccessTest, OtherPeersNeedAKey) {
  int status = 0;
  std::string message;
  EXPECT_FALSE(Authorized(FakeAuthorize, "192.0.2.1", "", &status, &message));
  EXPECT_EQ(status, 401);
  EXPECT_EQ(message, "a read key is required");
  EXPECT_FALSE(Authorized(FakeAuthorize, "2001:db8::1", "Bearer bad", &status,
                          &message));
  EXPECT_EQ(status, 401);
  EXPECT_TRUE(Authorized(FakeAuthorize, "2001:db8::1", "Bearer good", &status,
                         &message));
  EXPECT_FALSE(Authorized(FakeAuthorize, "::ffff:192.0.2.1", "Bearer down",
                          &status, &message));
  EXPECT_EQ(status, 503);
}

TEST(AccessTest, UnparseablePeerIsNotLoopback) {
  int status = 0;
  std::string message;
  EXPECT_FALSE(Authorized(FakeAuthorize, "localhost", "", &status, &message));
  EXPECT_FALSE(Authorized(FakeAuthorize, "", "", &status, &message));
}

TEST(AccessTest, NoAuthorizerLetsEverythingThrough) {
  int status = 0;
  std::string message;
  EXPECT_TRUE(Authorized(nullptr, "192.0.2.1", "", &status, &message));
}

}  // namespace
}  // namespace v6scope::collector::http
