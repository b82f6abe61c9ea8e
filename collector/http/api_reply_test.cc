#include "collector/http/api_reply.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "proto/query_service.pb.h"

namespace v6scope::collector::http {
namespace {

TEST(ApiReplyTest, MessageWithEveryField) {
  v6scope::v1::ListProbesResponse response;
  response.add_probes()->set_runs(3);
  const v6scope::http::Response res = JsonReply(response);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.content_type, "application/json");
  EXPECT_TRUE(absl::StrContains(res.body, "\"runs\":3,\"revoked\":false,"))
      << res.body;
  EXPECT_TRUE(absl::EndsWith(res.body, "}\n"));
}

TEST(ApiReplyTest, ClientErrorsSayWhatWasWrong) {
  const v6scope::http::Response res =
      FailReply(absl::InvalidArgumentError("window: expected day"));
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(res.body,
            "{\"error\":{\"code\":400,\"status\":\"INVALID_ARGUMENT\","
            "\"message\":\"window: expected day\"}}\n");
  EXPECT_EQ(FailReply(absl::NotFoundError("x")).status, 404);
}

// A server error never shows its details (maybe SQL): only an error id,
// which the log line with the details carries.
TEST(ApiReplyTest, ServerErrorsCarryOnlyAnErrorId) {
  const v6scope::http::Response res =
      FailReply(absl::InternalError("SELECT * FROM runs: disk I/O error"));
  EXPECT_EQ(res.status, 500);
  EXPECT_FALSE(absl::StrContains(res.body, "SELECT")) << res.body;
  EXPECT_TRUE(absl::StartsWith(
      res.body,
      "{\"error\":{\"code\":500,\"status\":\"INTERNAL\",\"message\":"
      "\"internal error (error id "))
      << res.body;
  EXPECT_TRUE(absl::StrContains(res.body, "\"error_id\":\"")) << res.body;
  const v6scope::http::Response busy =
      FailReply(absl::UnavailableError("connection to server lost"));
  EXPECT_EQ(busy.status, 503);
  EXPECT_TRUE(absl::StrContains(
      busy.body,
      "\"status\":\"UNAVAILABLE\",\"message\":\"service unavailable"))
      << busy.body;
}

}  // namespace
}  // namespace v6scope::collector::http
