#include "collector/http/health.h"

#include <atomic>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "common/http/mhd_server.h"
#include "gtest/gtest.h"
#include "httplib.h"

namespace v6scope::collector::http {
namespace {

TEST(HealthTest, HealthzIsOkAndReadyzFollowsTheChecks) {
  auto store_ok = std::make_shared<std::atomic<bool>>(true);
  std::vector<ReadinessCheck> checks = {
      {"store",
       [store_ok] {
         return store_ok->load()
                    ? absl::OkStatus()
                    : absl::InternalError("INSERT INTO health_check failed");
       }},
      {"disk", [] { return absl::OkStatus(); }},
  };
  auto server =
      v6scope::http::MhdServer::Start("127.0.0.1:0", HealthRoutes(checks));
  ASSERT_TRUE(server.ok()) << server.status();
  httplib::Client client("127.0.0.1", (*server)->port());
  auto health = client.Get(kHealthPath);
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->body, "ok");
  auto ready = client.Get(kReadyPath);
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200);
  store_ok->store(false);
  auto not_ready = client.Get(kReadyPath);
  ASSERT_TRUE(not_ready);
  EXPECT_EQ(not_ready->status, 503);
  EXPECT_TRUE(absl::StartsWith(not_ready->body, "not ready: store"))
      << not_ready->body;
  EXPECT_TRUE(absl::StrContains(not_ready->body, "error id"))
      << not_ready->body;
  EXPECT_FALSE(absl::StrContains(not_ready->body, "INSERT")) << not_ready->body;
  // Liveness does not depend on the store.
  auto still = client.Get(kHealthPath);
  ASSERT_TRUE(still);
  EXPECT_EQ(still->status, 200);
}

TEST(HealthTest, ReadyzIsOffloadedAndHealthzIsNot) {
  for (const v6scope::http::Route& route : HealthRoutes({})) {
    EXPECT_EQ(route.offload, route.path == kReadyPath) << route.path;
  }
}

TEST(HealthTest, FreeDiskFloor) {
  EXPECT_TRUE(CheckFreeDisk("/tmp", 1).ok());
  EXPECT_EQ(CheckFreeDisk("/tmp", UINT64_MAX).code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_FALSE(CheckFreeDisk("/no/such/dir", 1).ok());
}

TEST(HealthTest, ReadinessMetricFollowsTheChecksAtEveryScrape) {
  auto store_ok = std::make_shared<std::atomic<bool>>(true);
  metrics::Registry registry;
  RegisterReadinessMetric(&registry,
                          {{"store",
                            [store_ok] {
                              return store_ok->load()
                                         ? absl::OkStatus()
                                         : absl::InternalError("store down");
                            }},
                           {"disk", [] { return absl::OkStatus(); }}});
  EXPECT_NE(
      registry.Render().find("v6scope_collector_ready{check=\"store\"} 1\n"
                             "v6scope_collector_ready{check=\"disk\"} 1\n"),
      std::string::npos);
  store_ok->store(false);
  EXPECT_NE(
      registry.Render().find("v6scope_collector_ready{check=\"store\"} 0\n"),
      std::string::npos);
}

}  // namespace
}  // namespace v6scope::collector::http
