// HttpServer over real loopback sockets on port 0: address parsing, peer
// address normalisation, bind errors, routes, and stopping.
#include "common/http/http_server.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"

namespace v6scope::http {
namespace {

using ::testing::HasSubstr;

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

void HelloRoute(httplib::Server& server) {
  server.Get("/hello", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("hello", "text/plain");
  });
  server.Get("/throw", [](const httplib::Request&, httplib::Response&) {
    throw std::runtime_error("boom");
  });
}

TEST(PeerAddressTest, UnmapsCanonicalisesAndDropsZones) {
  EXPECT_EQ(PeerAddress("::ffff:127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(PeerAddress("::FFFF:192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(PeerAddress("192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(PeerAddress("::1"), "::1");
  EXPECT_EQ(PeerAddress("2001:DB8:0:0:0:0:0:1"), "2001:db8::1");
  EXPECT_EQ(PeerAddress("fe80::1%eth0"), "fe80::1");
  EXPECT_EQ(PeerAddress("not an address"), "not an address");
}

TEST(HttpServerTest, ServesRoutesOnTheBoundPort) {
  auto server = HttpServer::Start("127.0.0.1:0", HelloRoute);
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_GT((*server)->port(), 0);
  EXPECT_EQ((*server)->listen(), "127.0.0.1:0");
  httplib::Client client("127.0.0.1", (*server)->port());
  auto res = client.Get("/hello");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "hello");
}

TEST(HttpServerTest, ThrowingHandlerGives500AndServerLivesOn) {
  auto server = HttpServer::Start("127.0.0.1:0", HelloRoute);
  ASSERT_TRUE(server.ok()) << server.status();
  httplib::Client client("127.0.0.1", (*server)->port());
  auto res = client.Get("/throw");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 500);
  auto again = client.Get("/hello");
  ASSERT_TRUE(again) << httplib::to_string(again.error());
  EXPECT_EQ(again->status, 200);
}

TEST(HttpServerTest, BusyPortIsUnavailableAndNamesTheAddress) {
  auto first = HttpServer::Start("127.0.0.1:0", HelloRoute);
  ASSERT_TRUE(first.ok()) << first.status();
  const std::string listen = absl::StrCat("127.0.0.1:", (*first)->port());
  // httplib's default SO_REUSEPORT would let this bind succeed and split
  // the connections between the two servers.
  auto second = HttpServer::Start(listen, HelloRoute);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(second.status().message(), HasSubstr(listen));
  EXPECT_THAT(second.status().message(), HasSubstr("in use"));
}

TEST(HttpServerTest, DualStackListenerHoldsTheIpv4PortToo) {
  if (!HaveIpv6Loopback()) GTEST_SKIP() << "no IPv6 loopback (::1) here";
  auto dual = HttpServer::Start("[::]:0", HelloRoute);
  ASSERT_TRUE(dual.ok()) << dual.status();
  const std::string listen = absl::StrCat("127.0.0.1:", (*dual)->port());
  auto v4 = HttpServer::Start(listen, HelloRoute);
  ASSERT_FALSE(v4.ok());
  EXPECT_THAT(v4.status().message(), HasSubstr(listen));
}

TEST(HttpServerTest, AddressNotOnThisHostIsUnavailableAndNamed) {
  // 192.0.2.0/24 is documentation space: no interface has it.
  auto server = HttpServer::Start("192.0.2.1:0", HelloRoute);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(server.status().message(), HasSubstr("192.0.2.1:0"));
}

TEST(HttpServerTest, MalformedAddressIsInvalidArgument) {
  auto server = HttpServer::Start("localhost:0", HelloRoute);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(server.status().message(), HasSubstr("localhost:0"));
}

TEST(HttpServerTest, StopIsIdempotentAndClosesTheListener) {
  auto server = HttpServer::Start("127.0.0.1:0", HelloRoute);
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();
  (*server)->Stop();
  (*server)->Stop();
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(2);
  auto res = client.Get("/hello");
  EXPECT_FALSE(res);
}

TEST(HttpServerTest, StopWithAnIdleKeepAliveClientIsBoundedByTheTimeout) {
  // httplib 0.11 does not interrupt a worker waiting on an idle keep-alive
  // connection: Stop() returns once that connection's timeout expires.
  HttpServerOptions options;
  options.keep_alive_timeout = absl::Seconds(1);
  auto server = HttpServer::Start("127.0.0.1:0", HelloRoute, options);
  ASSERT_TRUE(server.ok()) << server.status();
  httplib::Client client("127.0.0.1", (*server)->port());
  client.set_keep_alive(true);
  auto res = client.Get("/hello");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  const absl::Time start = absl::Now();
  (*server)->Stop();  // The client still holds its connection open.
  EXPECT_LT(absl::Now() - start, absl::Seconds(4));
}

TEST(HttpServerTest, StopRightAfterStartReturns) {
  // Guards the window in which httplib's stop() would be ignored.
  for (int i = 0; i < 50; ++i) {
    auto server = HttpServer::Start("127.0.0.1:0", HelloRoute);
    ASSERT_TRUE(server.ok()) << server.status();
    (*server)->Stop();
  }
}

}  // namespace
}  // namespace v6scope::http
