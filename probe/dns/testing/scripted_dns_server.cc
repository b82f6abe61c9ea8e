#include "probe/dns/testing/scripted_dns_server.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <iterator>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "probe/dns/testing/dns_wire.h"

namespace v6scope::probe::dns::testing {
namespace {

using Clock = std::chrono::steady_clock;

struct Listener {
  int fd = -1;
  bool tcp = false;
};

void CloseAll(std::vector<Listener>* listeners) {
  for (const Listener& l : *listeners) close(l.fd);
  listeners->clear();
}

socklen_t FillSockaddr(const net::IpAddress& address, int port,
                       sockaddr_storage* storage) {
  std::memset(storage, 0, sizeof(*storage));
  if (address.is_v4()) {
    auto* sin = reinterpret_cast<sockaddr_in*>(storage);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(static_cast<uint16_t>(port));
    std::memcpy(&sin->sin_addr, address.bytes().data(), 4);
    return sizeof(*sin);
  }
  auto* sin6 = reinterpret_cast<sockaddr_in6*>(storage);
  sin6->sin6_family = AF_INET6;
  sin6->sin6_port = htons(static_cast<uint16_t>(port));
  std::memcpy(&sin6->sin6_addr, address.bytes().data(), 16);
  return sizeof(*sin6);
}

// A socket bound to address:port (listening, for TCP). EADDRINUSE comes
// back as Unavailable so the caller can pick another port.
absl::StatusOr<Listener> OpenListener(const net::IpAddress& address, int port,
                                      bool tcp) {
  const int family = address.is_v4() ? AF_INET : AF_INET6;
  const int fd =
      socket(family, (tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError(std::strerror(errno));
  const int one = 1;
  if (family == AF_INET6) {
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
  }
  if (tcp) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_storage storage;
  const socklen_t len = FillSockaddr(address, port, &storage);
  if (bind(fd, reinterpret_cast<sockaddr*>(&storage), len) != 0 ||
      (tcp && listen(fd, 128) != 0)) {
    const int err = errno;
    close(fd);
    std::string what =
        absl::StrCat("bind ", address.ToString(), ":", port,
                     tcp ? "/tcp: " : "/udp: ", std::strerror(err));
    if (err == EADDRINUSE) return absl::UnavailableError(what);
    return absl::InternalError(what);
  }
  return Listener{fd, tcp};
}

int LocalPort(int fd) {
  sockaddr_storage storage;
  socklen_t len = sizeof(storage);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &len) != 0) {
    return -1;
  }
  if (storage.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<sockaddr_in*>(&storage)->sin_port);
  }
  return ntohs(reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port);
}

// UDP and TCP on one port for every address; retried when a port that was
// free for UDP is taken for TCP.
absl::Status BindAll(const std::vector<net::IpAddress>& addresses,
                     std::vector<Listener>* listeners, int* port) {
  absl::Status last;
  for (int attempt = 0; attempt < 50; ++attempt) {
    CloseAll(listeners);
    *port = 0;
    last = absl::OkStatus();
    for (const net::IpAddress& address : addresses) {
      for (bool tcp : {false, true}) {
        absl::StatusOr<Listener> l = OpenListener(address, *port, tcp);
        if (!l.ok()) {
          last = l.status();
          break;
        }
        listeners->push_back(*l);
        if (*port == 0) *port = LocalPort(l->fd);
      }
      if (!last.ok()) break;
    }
    if (last.ok()) return last;
    if (!absl::IsUnavailable(last)) break;
  }
  CloseAll(listeners);
  return last;
}

}  // namespace

ScriptedReply ScriptedReply::Records(std::vector<net::IpAddress> addresses,
                                     uint32_t ttl) {
  ScriptedReply r;
  r.kind = Kind::kRecords;
  r.addresses = std::move(addresses);
  r.ttl = ttl;
  return r;
}

ScriptedReply ScriptedReply::NoData() {
  ScriptedReply r;
  r.kind = Kind::kNoData;
  return r;
}

ScriptedReply ScriptedReply::NxDomain() {
  ScriptedReply r;
  r.kind = Kind::kNxDomain;
  return r;
}

ScriptedReply ScriptedReply::ServFail() {
  ScriptedReply r;
  r.kind = Kind::kServFail;
  return r;
}

ScriptedReply ScriptedReply::Refused() {
  ScriptedReply r;
  r.kind = Kind::kRefused;
  return r;
}

ScriptedReply ScriptedReply::Truncated(std::vector<net::IpAddress> addresses,
                                       uint32_t ttl) {
  ScriptedReply r = Records(std::move(addresses), ttl);
  r.kind = Kind::kTruncated;
  return r;
}

ScriptedReply ScriptedReply::NeverAnswer() {
  ScriptedReply r;
  r.kind = Kind::kNeverAnswer;
  return r;
}

ScriptedReply ScriptedReply::Delayed(absl::Duration delay,
                                     ScriptedReply reply) {
  reply.delay = delay;
  return reply;
}

// The server thread: polls the listeners, TCP connections and a wake-up
// eventfd; holds delayed replies until they are due. Everything but Stop()
// runs on the thread.
class ScriptedDnsServer::Worker {
 public:
  Worker(ScriptedDnsServer* server, std::vector<Listener> listeners,
         int wake_fd)
      : server_(server), listeners_(std::move(listeners)), wake_fd_(wake_fd) {
    thread_ = std::thread([this] { Run(); });
  }

  ~Worker() {
    Stop();
    close(wake_fd_);
  }

  // Joins the thread, then closes the listeners and connections. Any
  // thread but the server thread.
  void Stop() {
    if (!thread_.joinable()) return;
    stop_.store(true);
    const uint64_t one = 1;
    (void)!write(wake_fd_, &one, sizeof(one));
    thread_.join();
    CloseAll(&listeners_);
    for (const auto& entry : conns_) close(entry.second.fd);
    conns_.clear();
    held_.clear();
  }

 private:
  struct Conn {
    int fd = -1;
    std::string in;
  };
  // A reply waiting for its delay: to a UDP peer or a TCP connection.
  struct Held {
    Clock::time_point due;
    DnsTransport transport;
    int udp_fd = -1;
    sockaddr_storage peer{};
    socklen_t peer_len = 0;
    uint64_t conn_id = 0;
    std::string bytes;
  };

  void Run() {
    while (!stop_.load()) {
      std::vector<pollfd> fds = PollSet();
      poll(fds.data(), fds.size(), PollTimeoutMs());
      for (const pollfd& p : fds) {
        if (p.revents == 0 || p.fd == wake_fd_) continue;
        Dispatch(p.fd);
      }
      SendDue();
    }
  }

  std::vector<pollfd> PollSet() const {
    std::vector<pollfd> fds;
    fds.push_back({wake_fd_, POLLIN, 0});
    for (const Listener& l : listeners_) fds.push_back({l.fd, POLLIN, 0});
    for (const auto& [id, conn] : conns_) fds.push_back({conn.fd, POLLIN, 0});
    return fds;
  }

  int PollTimeoutMs() const {
    if (held_.empty()) return -1;
    Clock::time_point first = held_.front().due;
    for (const Held& h : held_) first = std::min(first, h.due);
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        first - Clock::now());
    return static_cast<int>(std::max<int64_t>(0, left.count() + 1));
  }

  void Dispatch(int fd) {
    for (const Listener& l : listeners_) {
      if (l.fd != fd) continue;
      if (l.tcp) {
        Accept(fd);
      } else {
        ReadUdp(fd);
      }
      return;
    }
    for (auto& [id, conn] : conns_) {
      if (conn.fd == fd) {
        ReadTcp(id);
        return;
      }
    }
  }

  void ReadUdp(int fd) {
    std::string buf(65535, '\0');
    while (true) {
      Held h;
      h.peer_len = sizeof(h.peer);
      const ssize_t n =
          recvfrom(fd, buf.data(), buf.size(), MSG_DONTWAIT,
                   reinterpret_cast<sockaddr*>(&h.peer), &h.peer_len);
      if (n < 0) return;  // EAGAIN: drained.
      h.transport = DnsTransport::kUdp;
      h.udp_fd = fd;
      Handle(buf.substr(0, static_cast<size_t>(n)), std::move(h));
    }
  }

  void Accept(int fd) {
    const int conn_fd = accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (conn_fd < 0) return;
    // Blocking sends of small replies; a stuck peer cannot wedge us.
    timeval send_timeout{1, 0};
    setsockopt(conn_fd, SOL_SOCKET, SO_SNDTIMEO, &send_timeout,
               sizeof(send_timeout));
    conns_[next_conn_id_++] = Conn{conn_fd, ""};
  }

  void ReadTcp(uint64_t id) {
    Conn& conn = conns_[id];
    char buf[4096];
    const ssize_t n = recv(conn.fd, buf, sizeof(buf), MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
      close(conn.fd);
      conns_.erase(id);
      return;
    }
    if (n < 0) return;
    conn.in.append(buf, static_cast<size_t>(n));
    while (conn.in.size() >= 2) {
      const size_t len = wire::GetU16(conn.in, 0);
      if (conn.in.size() < 2 + len) break;
      std::string message = conn.in.substr(2, len);
      conn.in.erase(0, 2 + len);
      Held h;
      h.transport = DnsTransport::kTcp;
      h.conn_id = id;
      Handle(message, std::move(h));
    }
  }

  void Handle(const std::string& message, Held h) {
    absl::Duration delay;
    if (!server_->Answer(message, h.transport, &h.bytes, &delay)) return;
    if (delay <= absl::ZeroDuration()) {
      Send(h);
      return;
    }
    h.due = Clock::now() + absl::ToChronoNanoseconds(delay);
    held_.push_back(std::move(h));
  }

  void SendDue() {
    const Clock::time_point now = Clock::now();
    std::vector<Held> due;
    auto split = std::stable_partition(
        held_.begin(), held_.end(), [&](const Held& h) { return h.due > now; });
    std::move(split, held_.end(), std::back_inserter(due));
    held_.erase(split, held_.end());
    for (const Held& h : due) Send(h);
  }

  void Send(const Held& h) {
    if (h.transport == DnsTransport::kUdp) {
      sendto(h.udp_fd, h.bytes.data(), h.bytes.size(), MSG_NOSIGNAL,
             reinterpret_cast<const sockaddr*>(&h.peer), h.peer_len);
      return;
    }
    auto it = conns_.find(h.conn_id);
    if (it == conns_.end()) return;  // The client hung up meanwhile.
    std::string framed;
    wire::PutU16(&framed, static_cast<uint16_t>(h.bytes.size()));
    framed += h.bytes;
    size_t sent = 0;
    while (sent < framed.size()) {
      const ssize_t n = send(it->second.fd, framed.data() + sent,
                             framed.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<size_t>(n);
    }
  }

  ScriptedDnsServer* const server_;
  std::vector<Listener> listeners_;
  const int wake_fd_;
  std::map<uint64_t, Conn> conns_;
  uint64_t next_conn_id_ = 1;
  std::vector<Held> held_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

absl::StatusOr<std::unique_ptr<ScriptedDnsServer>> ScriptedDnsServer::Start(
    Options options) {
  absl::StatusOr<net::IpAddress> v4 = net::IpAddress::Parse(options.v4_address);
  if (!v4.ok() || !v4->is_v4()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "v4_address is not an IPv4 address: \"", options.v4_address, "\""));
  }
  std::vector<net::IpAddress> addresses = {*v4};
  if (options.listen_ipv6) {
    addresses.push_back(*net::IpAddress::Parse("::1"));
  }
  std::vector<Listener> listeners;
  int port = 0;
  if (absl::Status s = BindAll(addresses, &listeners, &port); !s.ok()) {
    return s;
  }
  const int wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd < 0) {
    CloseAll(&listeners);
    return absl::InternalError(absl::StrCat("eventfd: ", std::strerror(errno)));
  }
  std::unique_ptr<ScriptedDnsServer> server(
      new ScriptedDnsServer(port, v4->ToString(), options.listen_ipv6));
  server->worker_ =
      std::make_unique<Worker>(server.get(), std::move(listeners), wake_fd);
  return server;
}

ScriptedDnsServer::ScriptedDnsServer(int port, std::string v4_address,
                                     bool ipv6)
    : port_(port), v4_address_(std::move(v4_address)), ipv6_(ipv6) {}

ScriptedDnsServer::~ScriptedDnsServer() { Stop(); }

void ScriptedDnsServer::Stop() {
  if (worker_ != nullptr) worker_->Stop();
}

std::string ScriptedDnsServer::address() const {
  return absl::StrCat(v4_address_, ":", port_);
}

std::string ScriptedDnsServer::address_v6() const {
  return ipv6_ ? absl::StrCat("[::1]:", port_) : "";
}

void ScriptedDnsServer::SetReply(absl::string_view name, uint16_t qtype,
                                 ScriptedReply reply) {
  absl::MutexLock lock(&mu_);
  script_[{wire::NormalizeName(name), qtype}] = std::move(reply);
}

void ScriptedDnsServer::SetAddresses(
    absl::string_view name, const std::vector<net::IpAddress>& addresses,
    uint32_t ttl) {
  for (uint16_t qtype : {kDnsTypeA, kDnsTypeAAAA}) {
    ScriptedReply reply = ScriptedReply::Records(addresses, ttl);
    if (wire::OfQueriedFamily(reply, qtype).empty())
      reply = ScriptedReply::NoData();
    SetReply(name, qtype, std::move(reply));
  }
}

void ScriptedDnsServer::SetDefaultReply(ScriptedReply reply) {
  absl::MutexLock lock(&mu_);
  default_reply_ = std::move(reply);
}

int ScriptedDnsServer::QueryCount(absl::string_view name, uint16_t qtype,
                                  DnsTransport transport) const {
  absl::MutexLock lock(&mu_);
  auto it = counts_.find(CountKey(wire::NormalizeName(name), qtype, transport));
  return it == counts_.end() ? 0 : it->second;
}

int ScriptedDnsServer::TotalQueryCount() const {
  absl::MutexLock lock(&mu_);
  return total_;
}

bool ScriptedDnsServer::Answer(const std::string& message,
                               DnsTransport transport, std::string* reply,
                               absl::Duration* delay) {
  wire::Query q;
  const wire::Parse parsed = wire::ParseQuery(message, &q);
  *delay = absl::ZeroDuration();
  ScriptedReply script;
  {
    absl::MutexLock lock(&mu_);
    ++total_;
    if (parsed != wire::Parse::kOk) {
      script.kind = ScriptedReply::Kind::kNeverAnswer;
    } else {
      ++counts_[CountKey(q.name, q.qtype, transport)];
      auto it = script_.find({q.name, q.qtype});
      script = it == script_.end() ? default_reply_ : it->second;
    }
  }
  switch (parsed) {
    case wire::Parse::kDrop:
      return false;
    case wire::Parse::kFormErr:
      *reply = wire::HeaderOnlyReply(q, wire::kRcodeFormErr);
      return true;
    case wire::Parse::kNotImp:
      *reply = wire::HeaderOnlyReply(q, wire::kRcodeNotImp);
      return true;
    case wire::Parse::kOk:
      break;
  }
  if (script.kind == ScriptedReply::Kind::kNeverAnswer) return false;
  *reply = wire::EncodeReply(q, script, transport);
  *delay = script.delay;
  return true;
}

}  // namespace v6scope::probe::dns::testing
