#include "common/http/mhd_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/http/push_stream.h"
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

// A route's refusal formats the server's own 400, 405 and 413 on its
// paths (the JSON API's error body); the headers a refusal needs stay.
TEST(MhdServerTest, RouteRefusalFormatsTheServersOwnRefusals) {
  std::vector<Route> routes = TestRoutes();
  for (Route& route : routes) {
    route.refusal = [](int status, absl::string_view why) {
      Response response;
      response.status = status;
      response.content_type = "application/json";
      response.body =
          absl::StrCat("{\"status\":", status, ",\"why\":\"", why, "\"}");
      return response;
    };
  }
  MhdServerOptions options;
  options.max_request_body_bytes = 10;
  auto server = MhdServer::Start("127.0.0.1:0", routes, options);
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();
  const std::string post =
      Exchange(port, "POST /echo HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(post, "HTTP/1.1 405 ")) << post;
  EXPECT_TRUE(absl::StrContains(post, "Content-Type: application/json\r\n"))
      << post;
  EXPECT_TRUE(absl::StrContains(post, "Allow: GET, HEAD\r\n")) << post;
  EXPECT_TRUE(absl::StrContains(
      post, "{\"status\":405,\"why\":\"method not allowed\"}"))
      << post;
  const std::string get = Exchange(
      port, "GET /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
  EXPECT_TRUE(absl::StrContains(get, "{\"status\":400,")) << get;
  const std::string big = Exchange(
      port, "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n");
  EXPECT_TRUE(absl::StrContains(big, "{\"status\":413,")) << big;
  const std::string dots =
      Exchange(port, "GET /echo/../echo HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(dots, "HTTP/1.1 400 ")) << dots;
  // No route: the plain 404 (a catch-all route gives its own).
  const std::string missing =
      Exchange(port, "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(absl::StrContains(missing, "\r\n\r\nnot found\n")) << missing;
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

// A body of `size` bytes ('a' + offset % 26) read piece by piece; with
// fail_at >= 0 the read at that offset fails.
std::shared_ptr<BodyReader> Letters(int64_t size, bool known,
                                    int64_t fail_at = -1) {
  auto reader = std::make_shared<BodyReader>();
  reader->size = known ? size : -1;
  reader->read = [size, fail_at](uint64_t offset, char* buf,
                                 size_t max) -> absl::StatusOr<size_t> {
    if (fail_at >= 0 && static_cast<int64_t>(offset) >= fail_at) {
      return absl::InternalError("disk on fire");
    }
    const uint64_t left = static_cast<uint64_t>(size) - offset;
    const size_t n = static_cast<size_t>(std::min<uint64_t>(
        {left, max, 1000}));  // Small pieces: several reads per body.
    for (size_t i = 0; i < n; ++i) buf[i] = 'a' + (offset + i) % 26;
    return n;
  };
  return reader;
}

std::vector<Route> StreamRoutes() {
  auto route = [](std::string path, std::shared_ptr<BodyReader> reader) {
    return Route{std::move(path), {"GET"}, [reader](const Request&) {
                   Response response;
                   response.stream = reader;
                   return response;
                 }};
  };
  return {route("/known", Letters(5000, true)),
          route("/chunked", Letters(5000, false)),
          route("/broken", Letters(50000, false, 3000))};
}

std::string Body(const std::string& response) {
  const size_t at = response.find("\r\n\r\n");
  return at == std::string::npos ? "" : response.substr(at + 4);
}

TEST(MhdServerTest, StreamsABodyOfKnownLengthWithContentLength) {
  auto server = MhdServer::Start("127.0.0.1:0", StreamRoutes());
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string r =
      Exchange((*server)->port(),
               "GET /known HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(absl::StrContains(r, "Content-Length: 5000\r\n")) << r;
  const std::string body = Body(r);
  ASSERT_EQ(body.size(), 5000u);
  EXPECT_EQ(body[0], 'a');
  EXPECT_EQ(body[4999], 'a' + 4999 % 26);
}

TEST(MhdServerTest, StreamsABodyOfUnknownLengthChunked) {
  auto server = MhdServer::Start("127.0.0.1:0", StreamRoutes());
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string r =
      Exchange((*server)->port(),
               "GET /chunked HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(absl::StrContains(r, "Transfer-Encoding: chunked\r\n")) << r;
  EXPECT_TRUE(absl::EndsWith(r, "\r\n0\r\n\r\n")) << r;  // The last chunk.
}

TEST(MhdServerTest, AStreamErrorCutsTheConnectionWithoutTheLastChunk) {
  auto server = MhdServer::Start("127.0.0.1:0", StreamRoutes());
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string r =
      Exchange((*server)->port(),
               "GET /broken HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(r, "HTTP/1.1 200 OK\r\n")) << r;
  EXPECT_FALSE(absl::EndsWith(r, "\r\n0\r\n\r\n"));
  EXPECT_LT(r.size(), 50000u);
}

TEST(MhdServerTest, PrefixRoutesTakeWhatNoExactRouteHas) {
  std::vector<Route> routes = TestRoutes();
  auto named = [](std::string name) {
    return [name](const Request& r) {
      Response response;
      response.body = absl::StrCat(name, " ", r.path, "\n");
      return response;
    };
  };
  routes.push_back(Route{"/", {"GET"}, named("root"), /*prefix=*/true});
  routes.push_back(Route{"/static/", {"GET"}, named("static"), true});
  auto server = MhdServer::Start("127.0.0.1:0", routes);
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();
  auto get = [port](const std::string& path) {
    return Body(Exchange(port, absl::StrCat("GET ", path,
                                            " HTTP/1.1\r\nHost: x\r\n"
                                            "Connection: close\r\n\r\n")));
  };
  EXPECT_TRUE(absl::StartsWith(get("/echo"), "method=GET"));
  EXPECT_EQ(get("/static/a/b.js"), "static /static/a/b.js\n");
  EXPECT_EQ(get("/index.html"), "root /index.html\n");
  EXPECT_EQ(get("/"), "root /\n");
}

TEST(MhdServerTest, EncodedNulAndDotSegmentsAre400) {
  std::vector<Route> routes = TestRoutes();
  routes.push_back(Route{"/",
                         {"GET"},
                         [](const Request& r) {
                           Response response;
                           response.body = r.path;
                           return response;
                         },
                         true});
  auto server = MhdServer::Start("127.0.0.1:0", routes);
  ASSERT_TRUE(server.ok()) << server.status();
  for (const char* path : {"/a.txt%00.html", "/a%2500%00", "/../etc/passwd",
                           "/a/%2e%2e/b", "/a/./b"}) {
    const std::string r =
        Exchange((*server)->port(), absl::StrCat("GET ", path,
                                                 " HTTP/1.1\r\nHost: x\r\n"
                                                 "Connection: close\r\n\r\n"));
    EXPECT_TRUE(absl::StartsWith(r, "HTTP/1.1 400 ")) << path << ": " << r;
  }
}

TEST(MhdServerTest, AmbiguousBodyLengthsAre400) {
  auto server = MhdServer::Start("127.0.0.1:0", TestRoutes());
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();
  const std::string both =
      Exchange(port,
               "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
               "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(both, "HTTP/1.1 400 ")) << both;
  const std::string two =
      Exchange(port,
               "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
               "Content-Length: 5\r\n\r\nabcde");
  EXPECT_TRUE(absl::StartsWith(two, "HTTP/1.1 400 ")) << two;
  const std::string smuggled =
      Exchange(port,
               "GET /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 40\r\n\r\n"
               "GET /upload HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(smuggled, "HTTP/1.1 400 ")) << smuggled;
  EXPECT_EQ(Count(smuggled, "HTTP/1.1 "), 1u) << smuggled;
}

TEST(MhdServerTest, AThreadPoolAnswersWhileAHandlerIsBusy) {
  absl::Notification entered, release;
  std::vector<Route> routes = TestRoutes();
  routes.push_back(
      Route{"/slow", {"GET"}, [&entered, &release](const Request&) {
              entered.Notify();
              release.WaitForNotification();
              return Response();
            }});
  MhdServerOptions options;
  options.threads = 4;
  auto server = MhdServer::Start("127.0.0.1:0", routes, options);
  ASSERT_TRUE(server.ok()) << server.status();
  const int slow = Connect((*server)->port());
  ASSERT_GE(slow, 0);
  ASSERT_TRUE(SendAll(
      slow, "GET /slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  // The slow handler holds one thread (and whatever connections that
  // thread had accepted with it); connections made after it started go
  // to the others, which still serve.
  entered.WaitForNotification();
  for (int i = 0; i < 8; ++i) {
    EXPECT_TRUE(absl::StartsWith(Exchange((*server)->port(), kGetEcho),
                                 "HTTP/1.1 200 OK\r\n"));
  }
  release.Notify();
  EXPECT_TRUE(absl::StartsWith(ReadUntilClose(slow), "HTTP/1.1 200 OK\r\n"));
  close(slow);
}

// A handler that blocks until released, counting those inside it.
class Gate {
 public:
  Handler Slow() {
    return [this](const Request&) {
      absl::MutexLock lock(&mu_);
      ++inside_;
      mu_.Await(absl::Condition(&open_));
      --inside_;
      return Plain("slow");
    };
  }
  void WaitInside(int n) {
    absl::MutexLock lock(&mu_);
    auto enough = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return inside_ >= n;
    };
    mu_.Await(absl::Condition(&enough));
  }
  int inside() {
    absl::MutexLock lock(&mu_);
    return inside_;
  }
  void Open() {
    absl::MutexLock lock(&mu_);
    open_ = true;
  }

 private:
  static Response Plain(const char* body) {
    Response response;
    response.body = body;
    return response;
  }
  absl::Mutex mu_;
  int inside_ ABSL_GUARDED_BY(mu_) = 0;
  bool open_ ABSL_GUARDED_BY(mu_) = false;
};

// Waits (polling: the queue has no notification) until `n` offloaded
// requests wait for a worker.
void WaitQueued(const MhdServer& server, size_t n) {
  while (server.offload_queued() < n) absl::SleepFor(absl::Milliseconds(1));
}

constexpr char kGetSlow[] =
    "GET /slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

std::vector<Route> GatedRoutes(Gate& gate) {
  std::vector<Route> routes = TestRoutes();
  routes.push_back(Route{"/slow", {"GET"}, gate.Slow()});
  routes.back().offload = true;
  return routes;
}

int SendSlow(int port) {
  const int fd = Connect(port);
  if (fd >= 0 && !SendAll(fd, kGetSlow)) {
    close(fd);
    return -1;
  }
  return fd;
}

TEST(MhdServerTest, OffloadedHandlersDoNotHoldTheirPollingThread) {
  Gate gate;
  MhdServerOptions options;
  options.threads = 1;  // One polling thread owns every connection.
  auto server = MhdServer::Start("127.0.0.1:0", GatedRoutes(gate), options);
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();
  std::vector<int> slow;
  for (int i = 0; i < 3; ++i) {
    slow.push_back(SendSlow(port));
    ASSERT_GE(slow.back(), 0);
  }
  gate.WaitInside(3);
  // All three handlers are blocked, and the only polling thread serves.
  for (int i = 0; i < 4; ++i) {
    EXPECT_TRUE(
        absl::StartsWith(Exchange(port, kGetEcho), "HTTP/1.1 200 OK\r\n"));
  }
  EXPECT_EQ(gate.inside(), 3);
  gate.Open();
  for (int fd : slow) {
    const std::string r = ReadUntilClose(fd);
    EXPECT_TRUE(absl::StartsWith(r, "HTTP/1.1 200 OK\r\n")) << r;
    EXPECT_TRUE(absl::EndsWith(r, "\r\n\r\nslow")) << r;
    close(fd);
  }
}

TEST(MhdServerTest, OffloadedRequestsBeyondTheQueueAre503) {
  Gate gate;
  MhdServerOptions options;
  options.offload_threads = 1;
  options.offload_queue = 1;
  auto server = MhdServer::Start("127.0.0.1:0", GatedRoutes(gate), options);
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();
  const int running = SendSlow(port);
  ASSERT_GE(running, 0);
  gate.WaitInside(1);
  const int queued = SendSlow(port);
  ASSERT_GE(queued, 0);
  WaitQueued(**server, 1);
  const std::string refused = Exchange(port, kGetSlow);
  EXPECT_TRUE(absl::StartsWith(refused, "HTTP/1.1 503 ")) << refused;
  EXPECT_TRUE(absl::StrContains(refused, "Retry-After: 1\r\n")) << refused;
  gate.Open();
  for (int fd : {running, queued}) {
    EXPECT_TRUE(absl::StartsWith(ReadUntilClose(fd), "HTTP/1.1 200 OK\r\n"));
    close(fd);
  }
}

TEST(MhdServerTest, StopsWithOffloadedRequestsRunningAndQueued) {
  Gate gate;
  MhdServerOptions options;
  options.offload_threads = 1;
  auto server = MhdServer::Start("127.0.0.1:0", GatedRoutes(gate), options);
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();
  const int running = SendSlow(port);
  ASSERT_GE(running, 0);
  gate.WaitInside(1);
  const int queued[] = {SendSlow(port), SendSlow(port)};
  WaitQueued(**server, 2);
  // Stopping answers the queued ones at once, then waits for the running
  // handler; that it returns at all is the point (no suspended connection
  // left behind, no hang).
  std::thread stopper([&server] { server->reset(); });
  for (int fd : queued) {
    ASSERT_GE(fd, 0);
    const std::string r = ReadUntilClose(fd);
    EXPECT_TRUE(absl::StartsWith(r, "HTTP/1.1 503 ")) << r;
    close(fd);
  }
  EXPECT_EQ(gate.inside(), 1);
  gate.Open();
  stopper.join();
  // Answered, or cut: the daemon stops right after the handler returns.
  const std::string r = ReadUntilClose(running);
  EXPECT_TRUE(r.empty() || absl::StartsWith(r, "HTTP/1.1 200 OK\r\n")) << r;
  close(running);
}

TEST(MhdServerTest, OffloadedStreamedResponsesAreSent) {
  std::vector<Route> routes = StreamRoutes();
  routes.push_back(Route{"/pushed", {"GET"}, [](const Request&) {
                           Response response;
                           response.stream =
                               PushStream([](const ChunkSink& sink) {
                                 for (int i = 0; i < 100; ++i) {
                                   if (!sink(std::string(1000, 'p'))) break;
                                 }
                                 return absl::OkStatus();
                               });
                           return response;
                         }});
  for (Route& route : routes) route.offload = true;
  auto server = MhdServer::Start("127.0.0.1:0", routes);
  ASSERT_TRUE(server.ok()) << server.status();
  auto get = [&server](const char* path) {
    return Exchange((*server)->port(),
                    absl::StrCat("GET ", path,
                                 " HTTP/1.1\r\nHost: x\r\n"
                                 "Connection: close\r\n\r\n"));
  };
  const std::string known = get("/known");
  EXPECT_TRUE(absl::StrContains(known, "Content-Length: 5000\r\n")) << known;
  EXPECT_EQ(Body(known).size(), 5000u);
  const std::string chunked = get("/chunked");
  EXPECT_TRUE(absl::EndsWith(chunked, "\r\n0\r\n\r\n")) << chunked;
  const std::string pushed = get("/pushed");
  EXPECT_TRUE(absl::StartsWith(pushed, "HTTP/1.1 200 OK\r\n")) << pushed;
  EXPECT_TRUE(absl::EndsWith(pushed, "\r\n0\r\n\r\n")) << pushed;
  EXPECT_EQ(Count(Body(pushed), "p"), 100000u);  // Chunk sizes are hex.
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
