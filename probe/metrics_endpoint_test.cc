#include "probe/metrics_endpoint.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace v6scope::probe {
namespace {

// Connects to 127.0.0.1:port (or [::1] with v6); -1 on failure.
int Connect(int port, bool v6 = false) {
  const int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  int rc;
  if (v6) {
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_port = htons(static_cast<uint16_t>(port));
    a.sin6_addr = in6addr_loopback;
    rc = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  } else {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    rc = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  }
  if (rc != 0) {
    close(fd);
    return -1;
  }
  timeval tv{10, 0};  // Never hang the test.
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  return fd;
}

// Sends `request` and reads until the server closes.
std::string Exchange(int port, const std::string& request, bool v6 = false) {
  const int fd = Connect(port, v6);
  if (fd < 0) return "connect failed";
  if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size())) {
    close(fd);
    return "send failed";
  }
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) out.append(buf, n);
  close(fd);
  return out;
}

class MetricsEndpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_.Counter("v6scope_test_total", "A test counter.")->Get()->Add(3);
  }
  metrics::Registry registry_;
};

TEST_F(MetricsEndpointTest, ServesMetrics) {
  auto endpoint = MetricsEndpoint::Start("127.0.0.1:0", &registry_);
  ASSERT_TRUE(endpoint.ok()) << endpoint.status();
  ASSERT_GT((*endpoint)->port(), 0);
  const std::string r =
      Exchange((*endpoint)->port(), "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(r, "HTTP/1.1 200 OK\r\n")) << r;
  EXPECT_TRUE(absl::StrContains(
      r, "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"))
      << r;
  EXPECT_TRUE(absl::StrContains(r, "Connection: close\r\n")) << r;
  EXPECT_TRUE(absl::StrContains(r, "\r\n\r\n# HELP v6scope_test_total")) << r;
  EXPECT_TRUE(absl::StrContains(r, "v6scope_test_total 3")) << r;
  // Served again: one connection after another.
  const std::string again =
      Exchange((*endpoint)->port(), "GET /metrics?x=1 HTTP/1.0\n\n");
  EXPECT_TRUE(absl::StartsWith(again, "HTTP/1.1 200 OK\r\n")) << again;
}

TEST_F(MetricsEndpointTest, ServesOverIpv6) {
  auto endpoint = MetricsEndpoint::Start("[::1]:0", &registry_);
  ASSERT_TRUE(endpoint.ok()) << endpoint.status();
  const std::string r = Exchange((*endpoint)->port(),
                                 "GET /metrics HTTP/1.1\r\n\r\n", /*v6=*/true);
  EXPECT_TRUE(absl::StartsWith(r, "HTTP/1.1 200 OK\r\n")) << r;
}

TEST_F(MetricsEndpointTest, HeadHasNoBody) {
  auto endpoint = MetricsEndpoint::Start("127.0.0.1:0", &registry_);
  ASSERT_TRUE(endpoint.ok()) << endpoint.status();
  const std::string r =
      Exchange((*endpoint)->port(), "HEAD /metrics HTTP/1.1\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(r, "HTTP/1.1 200 OK\r\n")) << r;
  EXPECT_TRUE(absl::EndsWith(r, "\r\n\r\n")) << r;
  EXPECT_FALSE(absl::StrContains(r, "v6scope_test_total")) << r;
}

TEST_F(MetricsEndpointTest, RefusesOtherPathsMethodsAndGarbage) {
  auto endpoint = MetricsEndpoint::Start("127.0.0.1:0", &registry_);
  ASSERT_TRUE(endpoint.ok()) << endpoint.status();
  const int port = (*endpoint)->port();
  EXPECT_TRUE(absl::StartsWith(Exchange(port, "GET / HTTP/1.1\r\n\r\n"),
                               "HTTP/1.1 404 Not Found\r\n"));
  EXPECT_TRUE(absl::StartsWith(Exchange(port, "GET /metricsx HTTP/1.1\r\n\r\n"),
                               "HTTP/1.1 404 "));
  const std::string post = Exchange(port, "POST /metrics HTTP/1.1\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(post, "HTTP/1.1 405 Method Not Allowed\r\n"))
      << post;
  EXPECT_TRUE(absl::StrContains(post, "Allow: GET, HEAD\r\n")) << post;
  // libmicrohttpd closes on a request line that is no HTTP at all.
  EXPECT_EQ(Exchange(port, "hello\r\n\r\n"), "");
  // A head larger than the connection buffer (8 KiB) is refused with 431;
  // the next request is served.
  EXPECT_TRUE(absl::StartsWith(
      Exchange(port, "GET /metrics HTTP/1.1\r\nX: " + std::string(20000, 'a') +
                         "\r\n\r\n"),
      "HTTP/1.1 431 "));
  EXPECT_TRUE(absl::StartsWith(Exchange(port, "GET /metrics HTTP/1.1\r\n\r\n"),
                               "HTTP/1.1 200 OK\r\n"));
}

TEST_F(MetricsEndpointTest, SilentClientIsDroppedAfterTheTimeout) {
  MetricsEndpoint::Options options;
  options.timeout = absl::Milliseconds(200);  // Rounded up to 1 s.
  auto endpoint = MetricsEndpoint::Start("127.0.0.1:0", &registry_, options);
  ASSERT_TRUE(endpoint.ok()) << endpoint.status();
  const int silent = Connect((*endpoint)->port());
  ASSERT_GE(silent, 0);
  // Served while the silent one is still connected.
  const std::string r =
      Exchange((*endpoint)->port(), "GET /metrics HTTP/1.1\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(r, "HTTP/1.1 200 OK\r\n")) << r;
  char c;
  EXPECT_EQ(recv(silent, &c, 1, 0), 0);  // Closed by the server.
  close(silent);
}

TEST_F(MetricsEndpointTest, ServesBesideIdleClientsWithinThePerClientLimit) {
  MetricsEndpoint::Options options;
  options.max_connections_per_ip = 2;
  auto endpoint = MetricsEndpoint::Start("127.0.0.1:0", &registry_, options);
  ASSERT_TRUE(endpoint.ok()) << endpoint.status();
  const int port = (*endpoint)->port();
  const int idle = Connect(port);
  ASSERT_GE(idle, 0);
  // One idle client does not hold the endpoint (the old one was serial).
  EXPECT_TRUE(absl::StartsWith(Exchange(port, "GET /metrics HTTP/1.1\r\n\r\n"),
                               "HTTP/1.1 200 OK\r\n"));
  // A body on GET is refused.
  EXPECT_TRUE(absl::StartsWith(
      Exchange(port, "GET /metrics HTTP/1.1\r\nContent-Length: 1\r\n\r\nx"),
      "HTTP/1.1 400 "));
  // A third connection from the same address is closed unanswered.
  const int second = Connect(port);
  ASSERT_GE(second, 0);
  EXPECT_EQ(Exchange(port, "GET /metrics HTTP/1.1\r\n\r\n"), "");
  close(second);
  close(idle);
}

TEST_F(MetricsEndpointTest, StopsPromptlyWithAClientConnected) {
  auto endpoint = MetricsEndpoint::Start("127.0.0.1:0", &registry_);
  ASSERT_TRUE(endpoint.ok()) << endpoint.status();
  const int silent = Connect((*endpoint)->port());
  ASSERT_GE(silent, 0);
  absl::SleepFor(absl::Milliseconds(50));  // Let it be accepted.
  const absl::Time start = absl::Now();
  endpoint->reset();  // Read timeout is 5 s; stopping must not wait for it.
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  close(silent);
}

TEST_F(MetricsEndpointTest, RejectsBadAddresses) {
  for (const char* bad :
       {"", "9465", "localhost:9465", "::1:9465", "[127.0.0.1]:9465",
        "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:http"}) {
    auto endpoint = MetricsEndpoint::Start(bad, &registry_);
    EXPECT_EQ(endpoint.status().code(), absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

TEST_F(MetricsEndpointTest, BusyPortIsUnavailable) {
  auto first = MetricsEndpoint::Start("127.0.0.1:0", &registry_);
  ASSERT_TRUE(first.ok()) << first.status();
  const std::string listen = "127.0.0.1:" + std::to_string((*first)->port());
  auto second = MetricsEndpoint::Start(listen, &registry_);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(absl::StrContains(second.status().message(), listen));
}

}  // namespace
}  // namespace v6scope::probe
