// The fakes' own contract, checked with plain blocking sockets so that the
// fetcher tests built on them test the fetcher, not the fake.
#include "probe/http/testing/scripted_http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v6scope::probe::http::testing {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;

sockaddr_in Loopback(uint16_t port) {
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_port = htons(port);
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return sin;
}

// Connects to 127.0.0.1:port; -1 and errno on failure.
int Connect(uint16_t port, bool nonblocking = false) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (nonblocking) fcntl(fd, F_SETFL, O_NONBLOCK);
  sockaddr_in sin = Loopback(port);
  if (connect(fd, reinterpret_cast<sockaddr*>(&sin), sizeof(sin)) != 0 &&
      !(nonblocking && errno == EINPROGRESS)) {
    const int saved = errno;
    close(fd);
    errno = saved;
    return -1;
  }
  return fd;
}

// Sends a GET for `path` and reads until the server closes.
std::string Get(uint16_t port, absl::string_view path) {
  const int fd = Connect(port);
  EXPECT_GE(fd, 0) << std::strerror(errno);
  if (fd < 0) return "";
  const std::string request =
      absl::StrCat("GET ", path, " HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(send(fd, request.data(), request.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(request.size()));
  std::string response;
  char buf[4096];
  ssize_t n;
  while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) response.append(buf, n);
  close(fd);
  return response;
}

TEST(ScriptedHttpServerTest, ServesScriptedPathsAndCountsThem) {
  auto server = ScriptedHttpServer::Start("127.0.0.1");
  ASSERT_TRUE(server.ok()) << server.status();
  (*server)->Handle("/a", Behaviour::Normal(201, "body"));
  const std::string response = Get((*server)->port(), "/a?q=1");
  EXPECT_THAT(response, StartsWith("HTTP/1.1 201 "));
  EXPECT_THAT(response, HasSubstr("Content-Length: 4\r\n"));
  EXPECT_THAT(response, EndsWith("\r\n\r\nbody"));
  EXPECT_THAT(Get((*server)->port(), "/nope"), StartsWith("HTTP/1.1 404 "));
  EXPECT_EQ((*server)->RequestCount("/a"), 1);
  EXPECT_EQ((*server)->RequestCount("/nope"), 1);
  EXPECT_EQ((*server)->TotalRequests(), 2);
  EXPECT_THAT((*server)->LastRequestHead("/a"), StartsWith("GET /a?q=1 "));
  EXPECT_EQ((*server)->Url("/a"),
            absl::StrCat("http://127.0.0.1:", (*server)->port(), "/a"));
}

TEST(ScriptedHttpServerTest, TruncateSendsLessThanAnnounced) {
  auto server = ScriptedHttpServer::Start("127.0.0.1");
  ASSERT_TRUE(server.ok()) << server.status();
  (*server)->Handle("/t", Behaviour::Truncate(10, 3));
  const std::string response = Get((*server)->port(), "/t");
  EXPECT_THAT(response, HasSubstr("Content-Length: 10\r\n"));
  EXPECT_THAT(response, EndsWith("\r\n\r\nxxx"));
}

TEST(ScriptedHttpServerTest, StopCutsHeldConnections) {
  auto server = ScriptedHttpServer::Start("127.0.0.1");
  ASSERT_TRUE(server.ok()) << server.status();
  (*server)->Handle("/hold", Behaviour::NeverRespond());
  const int fd = Connect((*server)->port());
  ASSERT_GE(fd, 0);
  const std::string request = "GET /hold HTTP/1.1\r\n\r\n";
  send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  while ((*server)->RequestCount("/hold") == 0) {
    poll(nullptr, 0, 1);  // The server's thread takes the request.
  }
  (*server)->Stop();  // Must return although the client still holds on.
  char c;
  EXPECT_LE(recv(fd, &c, 1, 0), 0);  // Cut: EOF or reset.
  close(fd);
}

TEST(ScriptedHttpServerTest, StopResetsConnectionsNotYetAccepted) {
  auto server = ScriptedHttpServer::Start("127.0.0.1");
  ASSERT_TRUE(server.ok()) << server.status();
  (*server)->Stop();
  EXPECT_EQ(Connect((*server)->port()), -1);  // Nothing listens any more.
}

TEST(ScriptedHttpServerTest, NonHttpBytesGetA400AtOnce) {
  auto server = ScriptedHttpServer::Start("127.0.0.1");
  ASSERT_TRUE(server.ok()) << server.status();
  const int fd = Connect((*server)->port());
  ASSERT_GE(fd, 0);
  const char hello[] = "\x16\x03\x01";  // A TLS record header.
  send(fd, hello, 3, MSG_NOSIGNAL);
  char buf[64] = {};
  ASSERT_GT(recv(fd, buf, sizeof(buf) - 1, 0), 0);
  EXPECT_THAT(buf, StartsWith("HTTP/1.1 400 "));
  close(fd);
}

TEST(ScriptedHttpServerTest, Ipv6UrlHasBrackets) {
  auto server = ScriptedHttpServer::Start("::1");
  if (!server.ok()) GTEST_SKIP() << "no IPv6 loopback: " << server.status();
  EXPECT_EQ((*server)->Url("/x"),
            absl::StrCat("http://[::1]:", (*server)->port(), "/x"));
}

TEST(RefusingPortTest, ConnectIsRefused) {
  absl::StatusOr<uint16_t> port = RefusingPort("127.0.0.1");
  ASSERT_TRUE(port.ok()) << port.status();
  EXPECT_EQ(Connect(*port), -1);
  EXPECT_EQ(errno, ECONNREFUSED);
}

TEST(NeverAcceptingListenerTest, FirstConnectCompletesLaterOnesHang) {
  auto listener = NeverAcceptingListener::Start("127.0.0.1");
  ASSERT_TRUE(listener.ok()) << listener.status();
  const int first = Connect((*listener)->port());
  ASSERT_GE(first, 0) << std::strerror(errno);  // Into the accept queue.
  const int second = Connect((*listener)->port(), /*nonblocking=*/true);
  ASSERT_GE(second, 0);
  // The queue is full: the SYN is dropped, no refusal, no connection. (A
  // bounded wait for something that must not happen.)
  pollfd p{second, POLLOUT, 0};
  EXPECT_EQ(poll(&p, 1, 200), 0);
  close(first);
  close(second);
}

}  // namespace
}  // namespace v6scope::probe::http::testing
