// Fuzzes MhdServer's own request handling end to end: each input is sent
// as the raw bytes of a client connection to a server on 127.0.0.1 (one
// per process), whose routes read query parameters, headers and bodies.
// libmicrohttpd parses; what is ours is the screening (404/405/400/413),
// the routing and the Request built for the handler, plus whatever
// libmicrohttpd hands us for any bytes a client can send.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/http/mhd_server.h"

namespace v6scope::http::fuzz {
namespace {

Response Echo(const Request& request) {
  Response response;
  const std::string* q = request.Query("group_by");
  const std::string* h = request.Header("x-api-key");
  response.body = absl::StrCat(request.method, " ", request.path, " ",
                               request.query.size(), " ", q ? *q : "-", " ",
                               h ? *h : "-", " ", request.body.size());
  return response;
}

MhdServer* Server() {
  static MhdServer* server = [] {
    MhdServerOptions options;
    options.connection_timeout = absl::Seconds(1);
    options.max_connections_per_ip = 0;
    options.max_request_body_bytes = 4096;
    options.keep_alive = false;
    std::vector<Route> routes = {
        {"/healthz", {"GET"}, Echo},
        {"/api/v1/aggregates", {"GET"}, Echo},
        {"/upload", {"POST", "PUT"}, Echo},
    };
    absl::StatusOr<std::unique_ptr<MhdServer>> started =
        MhdServer::Start("127.0.0.1:0", std::move(routes), options);
    if (!started.ok()) std::abort();  // No server, nothing to fuzz.
    return started->release();        // Lives as long as the process.
  }();
  return server;
}

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "mhd_server_fuzz: %s: %s\n", what, std::strerror(errno));
  std::abort();  // A harness that cannot reach its server tests nothing.
}

// libFuzzer's -timeout alarm (SIGALRM, no SA_RESTART) can land in any
// blocking call here. An interrupted connect() goes on in the kernel:
// wait for it and read its outcome, instead of calling EINTR a failure.
int Connect(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) Fail("socket");
  sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    return fd;
  }
  if (errno != EINTR) Fail("connect to the server on 127.0.0.1");
  pollfd p = {fd, POLLOUT, 0};
  while (::poll(&p, 1, -1) < 0) {
    if (errno != EINTR) Fail("poll for an interrupted connect");
  }
  int error = 0;
  socklen_t length = sizeof(error);
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) {
    Fail("getsockopt(SO_ERROR)");
  }
  if (error != 0) {
    errno = error;
    Fail("interrupted connect to the server on 127.0.0.1");
  }
  return fd;
}

// Sends the request, half-closes, and reads the answer until the server
// closes. A request the server is still waiting on (a cut-off head, a
// body shorter than its Content-Length) would hold the connection until
// the server's idle timeout, a second per input: when no answer starts
// within kAnswerWait, the connection is reset instead.
constexpr int kAnswerWaitMs = 20;
constexpr int kReadWaitMs = 1000;

void Exchange(int fd, const uint8_t* data, size_t size) {
  size_t sent = 0;
  while (sent < size) {
    const ssize_t n = ::send(fd, data + sent, size - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // The server may close early (400, 413).
    sent += static_cast<size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  char buf[4096];
  pollfd p = {fd, POLLIN, 0};
  int wait = kAnswerWaitMs;
  for (;;) {
    const int ready = ::poll(&p, 1, wait);
    if (ready < 0 && errno == EINTR) continue;  // The alarm; wait again.
    if (ready <= 0) break;
    const ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // Closed: done.
    wait = kReadWaitMs;
  }
  const linger reset = {1, 0};  // close() sends RST: no TIME_WAIT pile-up.
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
}

}  // namespace
}  // namespace v6scope::http::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace v6scope::http::fuzz;  // NOLINT: one call site.
  const int fd = Connect(Server()->port());
  Exchange(fd, data, size);
  ::close(fd);
  return 0;
}
