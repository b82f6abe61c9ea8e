#include "probe/metrics_endpoint.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/log/log.h"
#include "common/net/ip_address.h"
#include "common/net/listen_address.h"

namespace v6scope::probe {
namespace {

// A request head larger than this is refused (a scrape's is ~100 bytes).
constexpr size_t kMaxRequestHead = 8192;

// A bound, listening, non-blocking socket and its port.
absl::StatusOr<std::pair<int, int>> BindListen(
    const std::string& listen, const net::ListenAddress& address) {
  sockaddr_storage ss;
  std::memset(&ss, 0, sizeof(ss));
  socklen_t len = 0;
  if (address.ip.is_v4()) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(static_cast<uint16_t>(address.port));
    std::memcpy(&sin->sin_addr, address.ip.bytes().data(), 4);
    len = sizeof(*sin);
  } else {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(static_cast<uint16_t>(address.port));
    std::memcpy(&sin6->sin6_addr, address.ip.bytes().data(), 16);
    len = sizeof(*sin6);
  }
  const int fd =
      socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", listen, ": socket: ", std::strerror(errno)));
  }
  // SO_REUSEADDR (not SO_REUSEPORT): a restarted probe rebinds while old
  // connections linger, but a second process cannot share the port.
  int on = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  if (address.ip.is_v6()) {
    // "[::]" accepts IPv4 too, whatever net.ipv6.bindv6only says.
    int off = 0;
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
  }
  if (bind(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0 ||
      ::listen(fd, 16) != 0) {
    const int error = errno;
    close(fd);
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", listen, ": ", std::strerror(error)));
  }
  len = sizeof(ss);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) {
    const int error = errno;
    close(fd);
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", listen, ": getsockname: ", std::strerror(error)));
  }
  const int port = ntohs(ss.ss_family == AF_INET
                             ? reinterpret_cast<sockaddr_in*>(&ss)->sin_port
                             : reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
  return std::make_pair(fd, port);
}

// Waits until `fd` has `events` or `wake_fd` is readable or `deadline`
// passes; true only in the first case.
bool WaitFor(int fd, short events, int wake_fd, absl::Time deadline) {
  for (;;) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) return false;
    pollfd fds[2] = {{fd, events, 0}, {wake_fd, POLLIN, 0}};
    const int ms = static_cast<int>(
        std::min<int64_t>(absl::ToInt64Milliseconds(left) + 1, 60000));
    const int n = poll(fds, 2, ms);
    if (n < 0 && errno != EINTR) return false;
    if (n <= 0) continue;
    if (fds[1].revents != 0) return false;
    if (fds[0].revents != 0) return true;
  }
}

std::string Response(int status, absl::string_view reason,
                     absl::string_view content_type, const std::string& body,
                     bool head_only, absl::string_view extra_header = "") {
  std::string out = absl::StrCat("HTTP/1.1 ", status, " ", reason,
                                 "\r\nContent-Type: ", content_type,
                                 "\r\nContent-Length: ", body.size(), "\r\n",
                                 extra_header, "Connection: close\r\n\r\n");
  if (!head_only) out += body;
  return out;
}

}  // namespace

absl::StatusOr<std::unique_ptr<MetricsEndpoint>> MetricsEndpoint::Start(
    const std::string& listen, const metrics::Registry* registry,
    Options options) {
  absl::StatusOr<net::ListenAddress> address =
      net::ParseListenAddress(listen, "metrics listen address", 9465);
  if (!address.ok()) return address.status();
  absl::StatusOr<std::pair<int, int>> bound = BindListen(listen, *address);
  if (!bound.ok()) return bound.status();
  const int wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd < 0) {
    const int error = errno;
    close(bound->first);
    return absl::InternalError(absl::StrCat("eventfd: ", std::strerror(error)));
  }
  std::unique_ptr<MetricsEndpoint> endpoint(new MetricsEndpoint(
      bound->first, wake_fd, bound->second, registry, options));
  endpoint->thread_ = std::thread([raw = endpoint.get()] { raw->Serve(); });
  return endpoint;
}

MetricsEndpoint::MetricsEndpoint(int listen_fd, int wake_fd, int port,
                                 const metrics::Registry* registry,
                                 Options options)
    : listen_fd_(listen_fd),
      wake_fd_(wake_fd),
      port_(port),
      registry_(registry),
      options_(options) {}

MetricsEndpoint::~MetricsEndpoint() {
  const uint64_t one = 1;
  // An eventfd write of 1 cannot fail short of overflow.
  if (write(wake_fd_, &one, sizeof(one)) < 0) {
    log::Warn("metrics.wake_failed", {{"error", std::strerror(errno)}});
  }
  if (thread_.joinable()) thread_.join();
  close(listen_fd_);
  close(wake_fd_);
}

void MetricsEndpoint::Serve() {
  for (;;) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    const int n = poll(fds, 2, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      log::Warn("metrics.poll_failed", {{"error", std::strerror(errno)}});
      return;
    }
    if (fds[1].revents != 0) return;
    if (fds[0].revents == 0) continue;
    const int fd =
        accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) {
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
          errno == ENOMEM) {
        // Out of descriptors or memory: the pending connection stays
        // queued; retry a little later instead of spinning.
        pollfd wake = {wake_fd_, POLLIN, 0};
        if (poll(&wake, 1, 100) > 0) return;
      }
      continue;  // EAGAIN, ECONNABORTED, ...: next one.
    }
    ServeConnection(fd);
    close(fd);
  }
}

void MetricsEndpoint::ServeConnection(int fd) {
  // Read the request head (any body is ignored).
  std::string head;
  const absl::Time read_deadline = absl::Now() + options_.read_timeout;
  size_t end = std::string::npos;
  while (end == std::string::npos) {
    if (head.size() > kMaxRequestHead) return;
    if (!WaitFor(fd, POLLIN, wake_fd_, read_deadline)) return;
    char buf[2048];
    const ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n <= 0) return;  // Error, or closed before a complete request.
    head.append(buf, static_cast<size_t>(n));
    end = head.find("\r\n\r\n");
    if (end == std::string::npos) end = head.find("\n\n");
  }
  const absl::string_view request_line =
      absl::string_view(head).substr(0, head.find_first_of("\r\n"));
  const std::vector<absl::string_view> parts =
      absl::StrSplit(request_line, ' ', absl::SkipEmpty());
  std::string response;
  int status = 200;
  absl::string_view path;
  if (parts.size() != 3 || !absl::StartsWith(parts[2], "HTTP/1.")) {
    status = 400;
    response =
        Response(status, "Bad Request", "text/plain", "bad request\n", false);
  } else {
    const absl::string_view method = parts[0];
    path = parts[1].substr(0, parts[1].find('?'));
    const bool head_only = method == "HEAD";
    if (method != "GET" && !head_only) {
      status = 405;
      response =
          Response(status, "Method Not Allowed", "text/plain",
                   "method not allowed\n", false, "Allow: GET, HEAD\r\n");
    } else if (path != "/metrics") {
      status = 404;
      response =
          Response(status, "Not Found", "text/plain", "not found\n", head_only);
    } else {
      response =
          Response(status, "OK", "text/plain; version=0.0.4; charset=utf-8",
                   registry_->Render(), head_only);
    }
  }
  const absl::Time write_deadline = absl::Now() + options_.write_timeout;
  size_t sent = 0;
  while (sent < response.size()) {
    if (!WaitFor(fd, POLLOUT, wake_fd_, write_deadline)) return;
    const ssize_t n =
        send(fd, response.data() + sent, response.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n <= 0) return;
    sent += static_cast<size_t>(n);
  }
  shutdown(fd, SHUT_WR);
  log::Write(status >= 500 ? log::Level::kWarn : log::Level::kDebug,
             "http.request",
             {{"path", path}, {"status", status}, {"bytes", sent}});
}

}  // namespace v6scope::probe
