#include "probe/readiness/udp_dns_lookup.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "common/text/text_rules.h"

namespace v6scope::probe::readiness {
namespace {

constexpr size_t kMaxReply = 65535;

std::string Detail(absl::string_view text) {
  return text::CleanUtf8Line(text, 255);
}

// A non-blocking UDP socket connected to `server`; -1 and errno on error.
int ConnectedSocket(const DnsServer& server) {
  sockaddr_storage storage;
  std::memset(&storage, 0, sizeof(storage));
  socklen_t len = 0;
  const int family = server.address.is_v4() ? AF_INET : AF_INET6;
  if (server.address.is_v4()) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&storage);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(server.port);
    std::memcpy(&sin->sin_addr, server.address.bytes().data(), 4);
    len = sizeof(*sin);
  } else {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&storage);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(server.port);
    std::memcpy(&sin6->sin6_addr, server.address.bytes().data(), 16);
    len = sizeof(*sin6);
  }
  const int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (connect(fd, reinterpret_cast<sockaddr*>(&storage), len) != 0) {
    const int saved = errno;
    close(fd);
    errno = saved;
    return -1;
  }
  return fd;
}

}  // namespace

struct UdpDnsLookup::Pending {
  LookupRequest request;
  std::function<void(LookupResult)> done;
  std::vector<DnsServer> servers;
  int attempt = 0;  // Tries sent so far.
  int fd = -1;
  uint16_t id = 0;
  loop::EventLoop::TimerId timer = 0;
  absl::Duration started;
  std::string last_error;  // Why the latest try failed, if it did.
};

absl::StatusOr<std::unique_ptr<UdpDnsLookup>> UdpDnsLookup::Create(
    loop::EventLoop* loop, UdpDnsOptions options) {
  if (loop == nullptr) return absl::InvalidArgumentError("no event loop");
  if (options.resolvers.empty()) {
    return absl::InvalidArgumentError("UdpDnsOptions.resolvers is empty");
  }
  if (!options.random_id) {
    auto gen = std::make_shared<absl::BitGen>();
    options.random_id = [gen] { return absl::Uniform<uint16_t>(*gen); };
  }
  return std::unique_ptr<UdpDnsLookup>(
      new UdpDnsLookup(loop, std::move(options)));
}

UdpDnsLookup::UdpDnsLookup(loop::EventLoop* loop, UdpDnsOptions options)
    : loop_(loop), options_(std::move(options)) {}

UdpDnsLookup::~UdpDnsLookup() {
  for (auto& [key, p] : pending_) {
    loop_->CancelTimer(p->timer);
    CloseSocket(*p);
  }
}

void UdpDnsLookup::Lookup(LookupRequest request,
                          std::function<void(LookupResult)> done) {
  auto p = std::make_unique<Pending>();
  p->servers = request.server.has_value()
                   ? std::vector<DnsServer>{*request.server}
                   : options_.resolvers;
  p->request = std::move(request);
  p->request.tries = std::max(1, p->request.tries);
  p->done = std::move(done);
  p->started = loop::EventLoop::MonotonicNow();
  const uint64_t key = next_key_++;
  pending_[key] = std::move(p);
  SendTry(key);
}

void UdpDnsLookup::SendTry(uint64_t key) {
  Pending& p = *pending_[key];
  CloseSocket(p);
  const int total = p.request.tries * static_cast<int>(p.servers.size());
  if (p.attempt >= total) {
    LookupResult r;
    r.outcome =
        p.last_error.empty() ? v6scope::v1::TIMEOUT : v6scope::v1::DNS_ERROR;
    r.detail = p.last_error.empty()
                   ? absl::StrCat("no reply in ", total, " tries of ",
                                  absl::FormatDuration(p.request.timeout))
                   : p.last_error;
    return Finish(key, std::move(r));
  }
  const DnsServer& server = p.servers[p.attempt % p.servers.size()];
  ++p.attempt;
  p.id = options_.random_id();
  absl::StatusOr<std::string> query =
      EncodeQuery(p.id, p.request.name, p.request.qtype,
                  /*recursion=*/!p.request.server.has_value());
  if (!query.ok()) {
    LookupResult r;
    r.outcome = v6scope::v1::DNS_ERROR;
    r.detail = Detail(query.status().message());
    return Finish(key, std::move(r));
  }
  p.timer =
      loop_->RunAfter(p.request.timeout, [this, key] { OnTryTimeout(key); });
  p.fd = ConnectedSocket(server);
  if (p.fd < 0 || send(p.fd, query->data(), query->size(), 0) < 0) {
    // Unreachable server (e.g. no route for the family): the next try.
    p.last_error = Detail(absl::StrCat("sending to ", server.address.ToString(),
                                       ": ", std::strerror(errno)));
    loop_->CancelTimer(p.timer);
    p.timer = loop_->RunAfter(absl::ZeroDuration(),
                              [this, key] { OnTryTimeout(key); });
    return;
  }
  absl::Status s =
      loop_->WatchFd(p.fd, loop::EventLoop::kReadable,
                     [this, key](int, uint32_t) { OnReadable(key); });
  (void)s;  // If it cannot be watched, the try times out.
}

void UdpDnsLookup::OnReadable(uint64_t key) {
  auto it = pending_.find(key);
  if (it == pending_.end()) return;
  Pending& p = *it->second;
  std::string buf(kMaxReply, '\0');
  while (true) {
    const ssize_t n = recv(p.fd, buf.data(), buf.size(), 0);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      // ICMP port unreachable and the like: this try failed.
      p.last_error =
          Detail(absl::StrCat("reading the reply: ", std::strerror(errno)));
      loop_->CancelTimer(p.timer);
      return SendTry(key);
    }
    absl::string_view message(buf.data(), static_cast<size_t>(n));
    if (message.size() < 2 ||
        static_cast<uint16_t>((static_cast<uint8_t>(message[0]) << 8) |
                              static_cast<uint8_t>(message[1])) != p.id) {
      continue;  // Not the reply to this try.
    }
    absl::StatusOr<DnsResponse> parsed =
        ParseResponse(message, p.request.name, p.request.qtype);
    LookupResult r;
    const DnsServer& server = p.servers[(p.attempt - 1) % p.servers.size()];
    r.server = server.address.ToString();
    if (!parsed.ok()) {
      r.outcome = v6scope::v1::DNS_ERROR;
      r.detail = Detail(parsed.status().message());
      return Finish(key, std::move(r));
    }
    r.rcode = parsed->rcode;
    r.outcome = OutcomeOf(*parsed, p.request.qtype);
    if (parsed->truncated) r.detail = "truncated (TC) over UDP";
    r.response = *std::move(parsed);
    return Finish(key, std::move(r));
  }
}

void UdpDnsLookup::OnTryTimeout(uint64_t key) {
  if (pending_.count(key) == 0) return;
  SendTry(key);
}

void UdpDnsLookup::Finish(uint64_t key, LookupResult result) {
  auto it = pending_.find(key);
  if (it == pending_.end()) return;
  std::unique_ptr<Pending> p = std::move(it->second);
  pending_.erase(it);
  loop_->CancelTimer(p->timer);
  CloseSocket(*p);
  result.elapsed = loop::EventLoop::MonotonicNow() - p->started;
  std::weak_ptr<bool> alive = alive_;
  // Never inline from Lookup: a zero-delay timer delivers it.
  loop_->RunAfter(absl::ZeroDuration(), [alive, done = std::move(p->done),
                                         result = std::move(result)]() mutable {
    if (!alive.expired()) done(std::move(result));
  });
}

void UdpDnsLookup::CloseSocket(Pending& p) {
  if (p.fd < 0) return;
  loop_->UnwatchFd(p.fd);
  close(p.fd);
  p.fd = -1;
}

}  // namespace v6scope::probe::readiness
