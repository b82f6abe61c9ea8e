#include "probe/http/testing/scripted_http_server.h"

#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/net/ip_address.h"
#include "probe/http/testing/self_signed_cert.h"

namespace v6scope::probe::http::testing {
namespace {

constexpr size_t kMaxRequestHead = 16 * 1024;
constexpr size_t kChunk = 64 * 1024;

absl::Status Errno(absl::string_view what) {
  return absl::InternalError(absl::StrCat(what, ": ", std::strerror(errno)));
}

struct SockAddr {
  sockaddr_storage storage{};
  socklen_t length = 0;
  const sockaddr* get() const {
    return reinterpret_cast<const sockaddr*>(&storage);
  }
};

absl::StatusOr<SockAddr> MakeSockAddr(absl::string_view address,
                                      uint16_t port) {
  absl::StatusOr<net::IpAddress> ip = net::IpAddress::Parse(address);
  if (!ip.ok()) return ip.status();
  SockAddr out;
  if (ip->is_v4()) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&out.storage);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(port);
    std::memcpy(&sin->sin_addr, ip->bytes().data(), net::IpAddress::kV4Size);
    out.length = sizeof(sockaddr_in);
  } else {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&out.storage);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(port);
    std::memcpy(&sin6->sin6_addr, ip->bytes().data(), net::IpAddress::kV6Size);
    out.length = sizeof(sockaddr_in6);
  }
  return out;
}

// A TCP socket bound to `address` and *port (0: any); the port in *port.
absl::StatusOr<int> BoundSocket(absl::string_view address, uint16_t* port) {
  absl::StatusOr<SockAddr> addr = MakeSockAddr(address, *port);
  if (!addr.ok()) return addr.status();
  const int fd = socket(addr->storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Errno("socket");
  sockaddr_storage bound{};
  socklen_t len = sizeof(bound);
  if (bind(fd, addr->get(), addr->length) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len) != 0) {
    absl::Status s = Errno(absl::StrCat("bind ", address));
    close(fd);
    return s;
  }
  *port = ntohs(bound.ss_family == AF_INET
                    ? reinterpret_cast<sockaddr_in*>(&bound)->sin_port
                    : reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port);
  return fd;
}

std::string HostForUrl(absl::string_view host) {
  if (host.find(':') != absl::string_view::npos) {
    return absl::StrCat("[", host, "]");
  }
  return std::string(host);
}

const char* Reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 206:
      return "Partial Content";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 500:
      return "Internal Server Error";
    default:
      return "Scripted";
  }
}

std::string Head(int status, size_t content_length,
                 absl::string_view location = "") {
  return absl::StrCat(
      "HTTP/1.1 ", status, " ", Reason(status),
      "\r\nContent-Type: text/plain\r\nContent-Length: ", content_length,
      location.empty() ? "" : absl::StrCat("\r\nLocation: ", location),
      "\r\nConnection: close\r\n\r\n");
}

// Waits until the peer closes (or Stop shuts the socket down), at most
// `timeout`; true if the peer is gone. Reads the raw socket: after the
// request the client sends nothing but its goodbye (FIN, or a TLS alert).
bool PeerLeavesWithin(int fd, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  char buf[512];
  while (true) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) return false;
    pollfd p{fd, POLLIN, 0};
    const int ms = left == absl::InfiniteDuration()
                       ? -1
                       : static_cast<int>(absl::ToInt64Milliseconds(
                             absl::Ceil(left, absl::Milliseconds(1))));
    const int n = poll(&p, 1, ms);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n < 0;
    const ssize_t r = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
    if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) return true;
  }
}

// One accepted connection, plain or TLS. Owned by its worker thread.
class Conn {
 public:
  Conn(int fd, SSL_CTX* ctx) : fd_(fd) {
    if (ctx != nullptr) {
      ssl_ = SSL_new(ctx);
      if (ssl_ != nullptr) SSL_set_fd(ssl_, fd);
    }
    tls_ = ctx != nullptr;
  }
  ~Conn() {
    if (ssl_ == nullptr) return;
    if (handshake_done_) SSL_shutdown(ssl_);  // close_notify, best effort.
    SSL_free(ssl_);
  }

  int fd() const { return fd_; }

  bool Handshake() {
    if (!tls_) return true;
    handshake_done_ = ssl_ != nullptr && SSL_accept(ssl_) == 1;
    if (!handshake_done_) ERR_clear_error();
    return handshake_done_;
  }

  // Reads the request head; its path (query stripped) in *path.
  absl::StatusOr<std::string> ReadRequestHead(std::string* path) {
    std::string head;
    char buf[4096];
    while (head.find("\r\n\r\n") == std::string::npos) {
      if (head.size() > kMaxRequestHead) {
        return absl::InvalidArgumentError("request head too long");
      }
      const ssize_t n = Read(buf, sizeof(buf));
      if (n <= 0) return absl::UnavailableError("client left");
      head.append(buf, static_cast<size_t>(n));
      if (!std::isupper(static_cast<unsigned char>(head[0]))) {
        return absl::InvalidArgumentError("not an HTTP request");
      }
    }
    const size_t start = head.find(' ');
    const size_t end = head.find_first_of(" ?", start + 1);
    if (start == std::string::npos || end == std::string::npos) {
      return absl::InvalidArgumentError("bad request line");
    }
    *path = head.substr(start + 1, end - start - 1);
    head.resize(head.find("\r\n\r\n"));
    return head;
  }

  bool Write(absl::string_view data) {
    while (!data.empty()) {
      const ssize_t n =
          tls_ ? SSL_write(ssl_, data.data(), static_cast<int>(data.size()))
               : send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) {
        if (!tls_ && n < 0 && errno == EINTR) continue;
        return false;
      }
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

 private:
  ssize_t Read(char* buf, size_t size) {
    if (tls_) return SSL_read(ssl_, buf, static_cast<int>(size));
    ssize_t n;
    do {
      n = recv(fd_, buf, size, 0);
    } while (n < 0 && errno == EINTR);
    return n;
  }

  const int fd_;
  bool tls_ = false;
  SSL* ssl_ = nullptr;
  bool handshake_done_ = false;
};

std::string PeerAddress(int fd) {
  sockaddr_storage peer{};
  socklen_t len = sizeof(peer);
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &len) != 0) {
    return "";
  }
  auto ip = net::IpAddress::FromSockaddr(reinterpret_cast<sockaddr*>(&peer));
  return ip.ok() ? ip->ToString() : "";
}

bool WriteFiller(Conn& conn, size_t n) {
  const std::string chunk(std::min(n, kChunk), 'x');
  while (n > 0) {
    const size_t part = std::min(n, chunk.size());
    if (!conn.Write(absl::string_view(chunk).substr(0, part))) return false;
    n -= part;
  }
  return true;
}

// The N of a "Range: bytes=0-N" header in `head`, if there is one.
std::optional<size_t> RangeEnd(const std::string& head) {
  static constexpr char kRange[] = "\r\nRange: bytes=0-";
  const size_t at = head.find(kRange);
  if (at == std::string::npos) return std::nullopt;
  return static_cast<size_t>(
      std::strtoull(head.c_str() + at + sizeof(kRange) - 1, nullptr, 10));
}

void RespondRanged(Conn& conn, const Behaviour& b, const std::string& head) {
  const std::optional<size_t> end = RangeEnd(head);
  if (!end.has_value()) {
    if (conn.Write(Head(200, b.length))) WriteFiller(conn, b.length);
    return;
  }
  const size_t n = std::min(*end + 1, b.length);
  std::string reply = Head(206, n);
  reply.insert(
      reply.find("\r\n") + 2,
      absl::StrCat("Content-Range: bytes 0-", n - 1, "/", b.length, "\r\n"));
  if (conn.Write(reply)) WriteFiller(conn, n);
}

void RespondTrickle(Conn& conn, const Behaviour& b) {
  if (!conn.Write(Head(200, b.length))) return;
  for (size_t left = b.length; left > 0;) {
    if (PeerLeavesWithin(conn.fd(), b.delay)) return;
    const size_t part = std::min(left, b.sent);
    if (!WriteFiller(conn, part)) return;
    left -= part;
  }
}

void Respond(Conn& conn, const Behaviour& b, const std::string& head) {
  using Kind = Behaviour::Kind;
  switch (b.kind) {
    case Kind::kNormal:
      conn.Write(Head(b.status, b.body.size(), b.location) + b.body);
      return;
    case Kind::kSlow:
      if (PeerLeavesWithin(conn.fd(), b.delay)) return;
      conn.Write(Head(b.status, b.body.size()) + b.body);
      return;
    case Kind::kStallMidBody:
      if (conn.Write(Head(200, b.length)) && WriteFiller(conn, b.length / 2)) {
        PeerLeavesWithin(conn.fd(), absl::InfiniteDuration());
      }
      return;
    case Kind::kTruncate:
      if (conn.Write(Head(200, b.length))) WriteFiller(conn, b.sent);
      return;
    case Kind::kNeverRespond:
      PeerLeavesWithin(conn.fd(), absl::InfiniteDuration());
      return;
    case Kind::kWhoAmI: {
      const std::string peer = PeerAddress(conn.fd());
      conn.Write(Head(200, peer.size()) + peer);
      return;
    }
    case Kind::kLarge:
      if (conn.Write(Head(200, b.length))) WriteFiller(conn, b.length);
      return;
    case Kind::kRanged:
      RespondRanged(conn, b, head);
      return;
    case Kind::kHeadersThenStall:
      if (conn.Write(Head(200, b.length))) {
        PeerLeavesWithin(conn.fd(), absl::InfiniteDuration());
      }
      return;
    case Kind::kTrickle:
      RespondTrickle(conn, b);
      return;
  }
}

}  // namespace

Behaviour Behaviour::Normal(int status, std::string body) {
  Behaviour b;
  b.status = status;
  b.body = std::move(body);
  return b;
}

Behaviour Behaviour::Redirect(int status, std::string location) {
  Behaviour b = Normal(status, "moved");
  b.location = std::move(location);
  return b;
}

Behaviour Behaviour::Slow(absl::Duration delay, std::string body) {
  Behaviour b = Normal(200, std::move(body));
  b.kind = Kind::kSlow;
  b.delay = delay;
  return b;
}

Behaviour Behaviour::StallMidBody(size_t announced) {
  Behaviour b;
  b.kind = Kind::kStallMidBody;
  b.length = announced;
  return b;
}

Behaviour Behaviour::Truncate(size_t announced, size_t sent) {
  Behaviour b;
  b.kind = Kind::kTruncate;
  b.length = announced;
  b.sent = std::min(sent, announced);
  return b;
}

Behaviour Behaviour::NeverRespond() {
  Behaviour b;
  b.kind = Kind::kNeverRespond;
  return b;
}

Behaviour Behaviour::WhoAmI() {
  Behaviour b;
  b.kind = Kind::kWhoAmI;
  return b;
}

Behaviour Behaviour::Large(size_t bytes) {
  Behaviour b;
  b.kind = Kind::kLarge;
  b.length = bytes;
  return b;
}

Behaviour Behaviour::Ranged(size_t bytes) {
  Behaviour b = Large(bytes);
  b.kind = Kind::kRanged;
  return b;
}

Behaviour Behaviour::HeadersThenStall(size_t announced) {
  Behaviour b;
  b.kind = Kind::kHeadersThenStall;
  b.length = announced;
  return b;
}

Behaviour Behaviour::Trickle(size_t bytes, size_t chunk,
                             absl::Duration interval) {
  Behaviour b;
  b.kind = Kind::kTrickle;
  b.length = bytes;
  b.sent = std::max<size_t>(chunk, 1);
  b.delay = interval;
  return b;
}

absl::StatusOr<std::unique_ptr<ScriptedHttpServer>> ScriptedHttpServer::Start(
    absl::string_view address, Options options) {
  uint16_t port = options.port;
  absl::StatusOr<int> fd = BoundSocket(address, &port);
  if (!fd.ok()) return fd.status();
  if (listen(*fd, SOMAXCONN) != 0) {
    absl::Status s = Errno("listen");
    close(*fd);
    return s;
  }
  const int stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (stop_fd < 0) {
    absl::Status s = Errno("eventfd");
    close(*fd);
    return s;
  }
  std::unique_ptr<ScriptedHttpServer> server(
      new ScriptedHttpServer(std::string(address), *fd, stop_fd, port));
  if (options.tls) {
    if (absl::Status s = server->SetUpTls(options); !s.ok()) return s;
  }
  server->acceptor_ = std::thread([s = server.get()] { s->AcceptLoop(); });
  return server;
}

ScriptedHttpServer::ScriptedHttpServer(std::string address, int listen_fd,
                                       int stop_fd, uint16_t port)
    : address_(std::move(address)),
      listen_fd_(listen_fd),
      stop_fd_(stop_fd),
      port_(port) {}

ScriptedHttpServer::~ScriptedHttpServer() {
  Stop();  // Closes the listener too.
  close(stop_fd_);
  SSL_CTX_free(ssl_ctx_);
}

absl::Status ScriptedHttpServer::SetUpTls(const Options& options) {
  absl::StatusOr<SelfSignedCert> cert =
      MakeSelfSignedCert(options.tls_dns_names, {address_});
  if (!cert.ok()) return cert.status();
  std::signal(SIGPIPE, SIG_IGN);
  ssl_ctx_ = SSL_CTX_new(TLS_server_method());
  BIO* cert_bio = BIO_new_mem_buf(cert->cert_pem.data(),
                                  static_cast<int>(cert->cert_pem.size()));
  BIO* key_bio = BIO_new_mem_buf(cert->key_pem.data(),
                                 static_cast<int>(cert->key_pem.size()));
  X509* x509 = PEM_read_bio_X509(cert_bio, nullptr, nullptr, nullptr);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(key_bio, nullptr, nullptr, nullptr);
  const bool ok = ssl_ctx_ != nullptr && x509 != nullptr && key != nullptr &&
                  SSL_CTX_use_certificate(ssl_ctx_, x509) == 1 &&
                  SSL_CTX_use_PrivateKey(ssl_ctx_, key) == 1;
  X509_free(x509);
  EVP_PKEY_free(key);
  BIO_free(cert_bio);
  BIO_free(key_bio);
  if (!ok) return absl::InternalError("setting up the TLS server context");
  cert_pem_ = std::move(cert->cert_pem);
  return absl::OkStatus();
}

void ScriptedHttpServer::Handle(absl::string_view path, Behaviour behaviour) {
  absl::MutexLock lock(&mu_);
  behaviours_[std::string(path)] = std::move(behaviour);
}

void ScriptedHttpServer::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopped_) return;
    stopped_ = true;
  }
  const uint64_t one = 1;
  (void)!write(stop_fd_, &one, sizeof(one));
  if (acceptor_.joinable()) acceptor_.join();
  close(listen_fd_);
  listen_fd_ = -1;
  // No new workers now. Cutting each connection wakes its worker from any
  // read, write or poll.
  std::vector<std::thread> workers;
  {
    absl::MutexLock lock(&mu_);
    for (int fd : live_fds_) shutdown(fd, SHUT_RDWR);
    workers.swap(workers_);
  }
  for (std::thread& t : workers) t.join();
}

std::string ScriptedHttpServer::Url(absl::string_view path) const {
  return UrlWithHost(HostForUrl(address_), path);
}

std::string ScriptedHttpServer::UrlWithHost(absl::string_view host,
                                            absl::string_view path) const {
  return absl::StrCat(ssl_ctx_ != nullptr ? "https" : "http", "://", host, ":",
                      port_, path);
}

int ScriptedHttpServer::RequestCount(absl::string_view path) const {
  absl::MutexLock lock(&mu_);
  auto it = counts_.find(path);
  return it == counts_.end() ? 0 : it->second;
}

int ScriptedHttpServer::TotalRequests() const {
  absl::MutexLock lock(&mu_);
  return total_;
}

std::string ScriptedHttpServer::LastRequestHead(absl::string_view path) const {
  absl::MutexLock lock(&mu_);
  auto it = heads_.find(path);
  return it == heads_.end() ? "" : it->second;
}

Behaviour ScriptedHttpServer::Lookup(const std::string& path,
                                     std::string head) {
  absl::MutexLock lock(&mu_);
  ++counts_[path];
  heads_[path] = std::move(head);
  ++total_;
  auto it = behaviours_.find(path);
  if (it != behaviours_.end()) return it->second;
  return Behaviour::Normal(404, "no such path\n");
}

// Acceptor thread: hands each connection to a worker thread of its own.
void ScriptedHttpServer::AcceptLoop() {
  pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
  while (true) {
    if (poll(fds, 2, -1) < 0) continue;  // EINTR.
    if (fds[1].revents != 0) return;
    if ((fds[0].revents & POLLIN) == 0) continue;
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    absl::MutexLock lock(&mu_);
    live_fds_.insert(fd);
    workers_.emplace_back([this, fd] { Serve(fd); });
  }
}

// Worker thread: one request, one scripted response.
void ScriptedHttpServer::Serve(int fd) {
  {
    Conn conn(fd, ssl_ctx_);
    if (conn.Handshake()) {
      std::string path;
      absl::StatusOr<std::string> head = conn.ReadRequestHead(&path);
      if (head.ok()) {
        Respond(conn, Lookup(path, *head), *head);
      } else if (absl::IsInvalidArgument(head.status())) {
        conn.Write(Head(400, 0));
      }
    }
  }
  // Closed under the lock, so Stop never shuts down a reused descriptor.
  absl::MutexLock lock(&mu_);
  live_fds_.erase(fd);
  close(fd);
}

absl::StatusOr<uint16_t> RefusingPort(absl::string_view address) {
  uint16_t port = 0;
  absl::StatusOr<int> fd = BoundSocket(address, &port);
  if (!fd.ok()) return fd.status();
  close(*fd);
  return port;
}

absl::StatusOr<std::unique_ptr<NeverAcceptingListener>>
NeverAcceptingListener::Start(absl::string_view address) {
  uint16_t port = 0;
  absl::StatusOr<int> fd = BoundSocket(address, &port);
  if (!fd.ok()) return fd.status();
  if (listen(*fd, 0) != 0) {
    absl::Status s = Errno("listen");
    close(*fd);
    return s;
  }
  return std::unique_ptr<NeverAcceptingListener>(
      new NeverAcceptingListener(*fd, port));
}

NeverAcceptingListener::~NeverAcceptingListener() { close(fd_); }

}  // namespace v6scope::probe::http::testing
