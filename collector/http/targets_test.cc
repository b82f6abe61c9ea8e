// The built-in targets served by a real dual-stack MhdServer ("[::]:0"),
// fetched over both 127.0.0.1 and ::1.
#include "collector/http/targets.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/http/mhd_server.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"

namespace v6scope::collector::http {
using v6scope::http::MhdServer;

namespace {

// True if this host can bind ::1 (containers are sometimes IPv4-only).
bool HaveIpv6Loopback() {
  const int fd = socket(AF_INET6, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in6 addr = {};
  addr.sin6_family = AF_INET6;
  addr.sin6_addr = in6addr_loopback;
  const bool ok =
      bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

std::unique_ptr<MhdServer> StartTargets(const std::string& listen,
                                        const TargetOptions& options) {
  auto server = MhdServer::Start(listen, TargetRoutes(options));
  EXPECT_TRUE(server.ok()) << server.status();
  return server.ok() ? std::move(*server) : nullptr;
}

// Each test runs once over IPv4 and once over IPv6 loopback against the
// same dual-stack listener.
class TargetsTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    if (!HaveIpv6Loopback()) {
      GTEST_SKIP() << "no IPv6 loopback (::1): a dual-stack [::] listener "
                      "cannot be tested here";
    }
    server_ = StartTargets("[::]:0", TargetOptions());
    ASSERT_NE(server_, nullptr);
    client_ = std::make_unique<httplib::Client>(GetParam(), server_->port());
  }

  std::unique_ptr<MhdServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_P(TargetsTest, WhoAmIIsTheClientAddressInPlainForm) {
  auto res = client_->Get(kWhoAmIPath);
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  // 127.0.0.1 reaches [::] as ::ffff:127.0.0.1 and must come back plain.
  EXPECT_EQ(res->body, GetParam());
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/plain");
}

TEST_P(TargetsTest, SmallObjectIsOneKibOfPattern) {
  auto res = client_->Get(kSmallPath);
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Length"), "1024");
  EXPECT_EQ(res->body, ObjectBytes(0, kSmallObjectBytes));
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");
}

TEST_P(TargetsTest, LargeObjectIsStreamedUncompressedWithItsLength) {
  // A client that accepts compression still gets the bytes as they are.
  auto res = client_->Get(kLargePath, {{"Accept-Encoding", "gzip, br"}});
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Length"), "1500000");
  EXPECT_FALSE(res->has_header("Content-Encoding"));
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/octet-stream");
  ASSERT_EQ(res->body.size(), kDefaultLargeObjectBytes);
  EXPECT_TRUE(res->body == ObjectBytes(0, kDefaultLargeObjectBytes));
}

TEST_P(TargetsTest, LargeObjectServesOneRange) {
  auto res = client_->Get(kLargePath, {{"Range", "bytes=70000-70999"}});
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 206);
  EXPECT_EQ(res->get_header_value("Content-Range"),
            "bytes 70000-70999/1500000");
  EXPECT_EQ(res->body, ObjectBytes(70000, 1000));
  auto small = client_->Get(kSmallPath, {{"Range", "bytes=-24"}});
  ASSERT_TRUE(small) << httplib::to_string(small.error());
  EXPECT_EQ(small->status, 206);
  EXPECT_EQ(small->get_header_value("Content-Range"), "bytes 1000-1023/1024");
  EXPECT_EQ(small->body, ObjectBytes(1000, 24));
}

TEST_P(TargetsTest, RangeNeverReachesPastTheObject) {
  auto huge =
      client_->Get(kLargePath, {{"Range", "bytes=0-9223372036854775806"}});
  ASSERT_TRUE(huge) << httplib::to_string(huge.error());
  EXPECT_EQ(huge->status, 206);
  EXPECT_EQ(huge->get_header_value("Content-Length"), "1500000");
  EXPECT_EQ(huge->get_header_value("Content-Range"), "bytes 0-1499999/1500000");
  EXPECT_EQ(huge->body.size(), kDefaultLargeObjectBytes);
  auto past = client_->Get(kLargePath, {{"Range", "bytes=1500000-"}});
  ASSERT_TRUE(past) << httplib::to_string(past.error());
  EXPECT_EQ(past->status, 416);
  EXPECT_EQ(past->get_header_value("Content-Range"), "bytes */1500000");
  std::string many = "bytes=0-1499999";
  for (int i = 1; i < 100; ++i) many += ",0-1499999";
  auto hundred = client_->Get(kLargePath, {{"Range", many}});
  ASSERT_TRUE(hundred) << httplib::to_string(hundred.error());
  EXPECT_EQ(hundred->status, 200);
  EXPECT_EQ(hundred->body.size(), kDefaultLargeObjectBytes);
}

TEST_P(TargetsTest, HeadGivesHeadersAndNoBody) {
  auto large = client_->Head(kLargePath);
  ASSERT_TRUE(large) << httplib::to_string(large.error());
  EXPECT_EQ(large->status, 200);
  EXPECT_EQ(large->get_header_value("Content-Length"), "1500000");
  EXPECT_TRUE(large->body.empty());
  auto whoami = client_->Head(kWhoAmIPath);
  ASSERT_TRUE(whoami) << httplib::to_string(whoami.error());
  EXPECT_EQ(whoami->status, 200);
  EXPECT_TRUE(whoami->body.empty());
}

TEST_P(TargetsTest, UnknownPathIs404) {
  auto res = client_->Get("/whoami/extra");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 404);
  auto other = client_->Get("/nothing-here");
  ASSERT_TRUE(other) << httplib::to_string(other.error());
  EXPECT_EQ(other->status, 404);
}

TEST_P(TargetsTest, KeepAliveConnectionServesSeveralRequests) {
  client_->set_keep_alive(true);
  for (int i = 0; i < 3; ++i) {
    auto res = client_->Get(kSmallPath);
    ASSERT_TRUE(res) << httplib::to_string(res.error());
    EXPECT_EQ(res->body.size(), kSmallObjectBytes);
  }
}

INSTANTIATE_TEST_SUITE_P(Loopback, TargetsTest,
                         ::testing::Values("127.0.0.1", "::1"),
                         [](const ::testing::TestParamInfo<const char*>& p) {
                           return std::string(p.param[0] == ':' ? "Ipv6"
                                                                : "Ipv4");
                         });

TEST(TargetsConfigTest, LargeObjectHasTheConfiguredSize) {
  TargetOptions options;
  options.large_object_bytes = 3 * 65536 + 7;  // Not a whole pattern.
  auto server = StartTargets("127.0.0.1:0", options);
  ASSERT_NE(server, nullptr);
  httplib::Client client("127.0.0.1", server->port());
  auto res = client.Get(kLargePath);
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->get_header_value("Content-Length"),
            absl::StrCat(options.large_object_bytes));
  EXPECT_TRUE(res->body == ObjectBytes(0, options.large_object_bytes));
}

TEST(ObjectBytesTest, IsDeterministicAndOffsetConsistent) {
  const std::string whole = ObjectBytes(0, 200000);
  EXPECT_EQ(ObjectBytes(0, 200000), whole);
  EXPECT_EQ(ObjectBytes(65530, 20), whole.substr(65530, 20));
  EXPECT_EQ(ObjectBytes(131072, 5), whole.substr(131072, 5));
  // Not a trivially repeating short pattern.
  EXPECT_NE(whole.substr(0, 256), whole.substr(256, 256));
}

}  // namespace
}  // namespace v6scope::collector::http
