#include "common/http/mhd_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace v6scope::http {
namespace {

// A connected TCP socket to 127.0.0.1:port or [::1]:port; -1 on failure.
// Reads time out after 10 s so that no test can hang.
int Connect(int port, bool v6 = false) {
  const int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_storage ss{};
  socklen_t len;
  if (v6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&ss);
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(static_cast<uint16_t>(port));
    a->sin6_addr = in6addr_loopback;
    len = sizeof(*a);
  } else {
    auto* a = reinterpret_cast<sockaddr_in*>(&ss);
    a->sin_family = AF_INET;
    a->sin_port = htons(static_cast<uint16_t>(port));
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    len = sizeof(*a);
  }
  if (connect(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0) {
    close(fd);
    return -1;
  }
  timeval tv{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  return fd;
}

bool SendAll(int fd, const std::string& data) {
  return send(fd, data.data(), data.size(), MSG_NOSIGNAL) ==
         static_cast<ssize_t>(data.size());
}

// Reads until the peer closes (or resets, or 10 s pass).
std::string ReadUntilClose(int fd) {
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) out.append(buf, n);
  return out;
}

// Sends `request` on a fresh connection and reads until the server closes.
std::string Exchange(int port, const std::string& request, bool v6 = false) {
  const int fd = Connect(port, v6);
  if (fd < 0) return "connect failed";
  std::string out = SendAll(fd, request) ? ReadUntilClose(fd) : "send failed";
  close(fd);
  return out;
}

// True once the server has closed `fd` (EOF or reset) within 10 s.
bool ClosedByServer(int fd) {
  char c;
  const ssize_t n = recv(fd, &c, 1, 0);
  return n == 0 || (n < 0 && errno == ECONNRESET);
}

size_t Count(absl::string_view text, absl::string_view what) {
  size_t count = 0;
  for (size_t at = text.find(what); at != absl::string_view::npos;
       at = text.find(what, at + 1)) {
    ++count;
  }
  return count;
}

// Routes: GET /echo answers with what it saw; POST /upload with the body
// length.
std::vector<Route> TestRoutes() {
  Route echo{"/echo", {"GET"}, [](const Request& r) {
               Response response;
               const std::string* n = r.Query("n");
               const std::string* x = r.Header("x-test");
               response.body = absl::StrCat(
                   "method=", r.method, " path=", r.path,
                   " n=", n == nullptr ? "-" : *n,
                   " x=", x == nullptr ? "-" : *x, " peer=", r.peer, "\n");
               response.headers.emplace_back("X-Served-By", "test");
               return response;
             }};
  Route upload{"/upload", {"POST"}, [](const Request& r) {
                 Response response;
                 response.status = 201;
                 response.body = absl::StrCat("got ", r.body.size(), "\n");
                 return response;
               }};
  return {echo, upload};
}

constexpr char kGetEcho[] =
    "GET /echo?n=1 HTTP/1.1\r\nHost: x\r\nX-Test: yes\r\n"
    "Connection: close\r\n\r\n";

TEST(MhdServerTest, ServesGetWithQueryHeadersAndPeer) {
  auto server = MhdServer::Start("127.0.0.1:0", TestRoutes());
  ASSERT_TRUE(server.ok()) << server.status();
  ASSERT_GT((*server)->port(), 0);
  const std::string r = Exchange((*server)->port(), kGetEcho);
  EXPECT_TRUE(absl::StartsWith(r, "HTTP/1.1 200 OK\r\n")) << r;
  EXPECT_TRUE(absl::StrContains(r, "Content-Type: text/plain; charset=utf-8"))
      << r;
  EXPECT_TRUE(absl::StrContains(r, "X-Served-By: test\r\n")) << r;
  EXPECT_TRUE(absl::EndsWith(
      r, "\r\n\r\nmethod=GET path=/echo n=1 x=yes peer=127.0.0.1\n"))
      << r;
}

TEST(MhdServerTest, HeadHasTheHeadersButNoBody) {
  auto server = MhdServer::Start("127.0.0.1:0", TestRoutes());
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string r =
      Exchange((*server)->port(),
               "HEAD /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(r, "HTTP/1.1 200 OK\r\n")) << r;
  EXPECT_TRUE(absl::StrContains(r, "X-Served-By: test\r\n")) << r;
  EXPECT_TRUE(absl::EndsWith(r, "\r\n\r\n")) << r;
  EXPECT_FALSE(absl::StrContains(r, "method=")) << r;
}

TEST(MhdServerTest, ServesIpv6AndDualStack) {
  auto v6 = MhdServer::Start("[::1]:0", TestRoutes());
  ASSERT_TRUE(v6.ok()) << v6.status();
  EXPECT_TRUE(
      absl::StrContains(Exchange((*v6)->port(), kGetEcho, true), "peer=::1\n"));
  auto dual = MhdServer::Start("[::]:0", TestRoutes());
  ASSERT_TRUE(dual.ok()) << dual.status();
  // An IPv4 client of a dual-stack listener is reported as plain IPv4.
  EXPECT_TRUE(absl::StrContains(Exchange((*dual)->port(), kGetEcho),
                                "peer=127.0.0.1\n"));
  EXPECT_TRUE(absl::StrContains(Exchange((*dual)->port(), kGetEcho, true),
                                "peer=::1\n"));
}

TEST(MhdServerTest, UnknownPathIs404AndWrongMethodIs405WithAllow) {
  auto server = MhdServer::Start("127.0.0.1:0", TestRoutes());
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();
  const std::string missing =
      Exchange(port, "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(missing, "HTTP/1.1 404 Not Found\r\n"))
      << missing;
  const std::string post =
      Exchange(port, "POST /echo HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(post, "HTTP/1.1 405 Method Not Allowed\r\n"))
      << post;
  EXPECT_TRUE(absl::StrContains(post, "Allow: GET, HEAD\r\n")) << post;
  const std::string get =
      Exchange(port, "GET /upload HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(absl::StrContains(get, "Allow: POST\r\n")) << get;
}

TEST(MhdServerTest, BodyOnGetIs400AndBodiesOverTheLimitAre413) {
  MhdServerOptions options;
  options.max_request_body_bytes = 10;
  auto server = MhdServer::Start("127.0.0.1:0", TestRoutes(), options);
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();
  const std::string get = Exchange(
      port, "GET /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
  EXPECT_TRUE(absl::StartsWith(get, "HTTP/1.1 400 Bad Request\r\n")) << get;
  const std::string ok =
      Exchange(port,
               "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
               "Connection: close\r\n\r\nabc");
  EXPECT_TRUE(absl::StartsWith(ok, "HTTP/1.1 201 Created\r\n")) << ok;
  EXPECT_TRUE(absl::EndsWith(ok, "\r\n\r\ngot 3\n")) << ok;
  const std::string big = Exchange(
      port, "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(big, "HTTP/1.1 413 ")) << big;
}

TEST(MhdServerTest, PipelinedRequestsInOneWriteAreAllAnswered) {
  auto server = MhdServer::Start("127.0.0.1:0", TestRoutes());
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string r = Exchange(
      (*server)->port(),
      "GET /echo?n=1 HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /echo?n=2 HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /echo?n=3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(Count(r, "HTTP/1.1 200 OK\r\n"), 3u) << r;
  const size_t n1 = r.find(" n=1 "), n2 = r.find(" n=2 "), n3 = r.find(" n=3 ");
  ASSERT_NE(n3, std::string::npos) << r;
  EXPECT_LT(n1, n2);
  EXPECT_LT(n2, n3);
}

TEST(MhdServerTest, PerClientConnectionLimitClosesTheNextConnection) {
  MhdServerOptions options;
  options.max_connections_per_ip = 2;
  auto server = MhdServer::Start("127.0.0.1:0", TestRoutes(), options);
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();
  const int first = Connect(port), second = Connect(port);
  ASSERT_GE(first, 0);
  ASSERT_GE(second, 0);
  // Accepted in order after the first two, so it is the one over the limit.
  const int third = Connect(port);
  ASSERT_GE(third, 0);
  EXPECT_TRUE(ClosedByServer(third));
  close(third);
  // The two within the limit are served.
  for (int fd : {first, second}) {
    ASSERT_TRUE(SendAll(fd, kGetEcho));
    EXPECT_TRUE(absl::StartsWith(ReadUntilClose(fd), "HTTP/1.1 200 OK\r\n"));
    close(fd);
  }
}

TEST(MhdServerTest, IdleConnectionIsClosedAfterTheTimeout) {
  MhdServerOptions options;
  options.connection_timeout = absl::Milliseconds(200);  // Rounded to 1 s.
  auto server = MhdServer::Start("127.0.0.1:0", TestRoutes(), options);
  ASSERT_TRUE(server.ok()) << server.status();
  const int idle = Connect((*server)->port());
  ASSERT_GE(idle, 0);
  ASSERT_TRUE(SendAll(idle, "GET /echo HTTP/1.1\r\n"));  // Half a head.
  // Others are served meanwhile: the server is not stuck on the idle one.
  EXPECT_TRUE(absl::StartsWith(Exchange((*server)->port(), kGetEcho),
                               "HTTP/1.1 200 OK\r\n"));
  const absl::Time start = absl::Now();
  EXPECT_TRUE(ClosedByServer(idle));
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  close(idle);
}

TEST(MhdServerTest, StopsPromptlyWithOpenConnections) {
  auto server = MhdServer::Start("127.0.0.1:0", TestRoutes());
  ASSERT_TRUE(server.ok()) << server.status();
  const int idle = Connect((*server)->port());
  const int partial = Connect((*server)->port());
  ASSERT_GE(idle, 0);
  ASSERT_GE(partial, 0);
  ASSERT_TRUE(SendAll(partial, "GET /echo HTTP/1.1\r\nHost:"));
  const int port = (*server)->port();
  const absl::Time start = absl::Now();
  server->reset();  // The timeout is 10 s; stopping must not wait for it.
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  EXPECT_TRUE(ClosedByServer(partial));
  EXPECT_EQ(Connect(port), -1);  // Not listening any more.
  close(idle);
  close(partial);
}

TEST(MhdServerTest, BusyPortIsRefusedNamingTheAddress) {
  auto first = MhdServer::Start("127.0.0.1:0", TestRoutes());
  ASSERT_TRUE(first.ok()) << first.status();
  const std::string listen = absl::StrCat("127.0.0.1:", (*first)->port());
  auto second = MhdServer::Start(listen, TestRoutes());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(absl::StrContains(second.status().message(), listen))
      << second.status();
  // The library's reason, not only "failed".
  EXPECT_TRUE(absl::StrContains(second.status().message(), "in use"))
      << second.status();
  // The same port on the dual-stack wildcard overlaps 127.0.0.1 too.
  auto wildcard =
      MhdServer::Start(absl::StrCat("[::]:", (*first)->port()), TestRoutes());
  EXPECT_EQ(wildcard.status().code(), absl::StatusCode::kUnavailable)
      << wildcard.status();
}

TEST(MhdServerTest, MalformedAddressIsInvalidArgument) {
  for (const char* bad : {"", "8080", "localhost:8080", "127.0.0.1:65536"}) {
    auto server = MhdServer::Start(bad, TestRoutes());
    EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

}  // namespace
}  // namespace v6scope::http
