#include "collector/http/listener_options.h"

#include <sys/resource.h>

#include "gtest/gtest.h"

namespace v6scope::collector::http {
namespace {

TEST(ListenerOptionsTest, ConnectionsFitTheOpenFileLimit) {
  EXPECT_EQ(FitConnections(16384, 1048576), 16384u);
  EXPECT_EQ(FitConnections(16384, 4096), 4096u - kReservedDescriptors);
  EXPECT_EQ(FitConnections(16384, 256), 128u);
}

TEST(ListenerOptionsTest, RaisesTheSoftOpenFileLimitToTheHardOne) {
  v6scope::v1::CollectorConfig config;
  config.set_http_max_connections(100);
  config.set_http_threads(2);
  v6scope::http::MhdServerOptions options = ListenerOptions(config);
  rlimit limit;
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
  EXPECT_EQ(limit.rlim_cur, limit.rlim_max);
  EXPECT_EQ(options.max_connections, 100);
  EXPECT_EQ(options.threads, 2);
}

}  // namespace
}  // namespace v6scope::collector::http
