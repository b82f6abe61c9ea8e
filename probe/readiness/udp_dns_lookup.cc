#include "probe/readiness/udp_dns_lookup.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
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

// Address bytes and port: which socket a question goes out on. Written
// into `buffer`: looked up per try, a string would be an allocation each.
using ServerKeyBuffer = char[18];
absl::string_view ServerKey(const DnsServer& server, ServerKeyBuffer& buffer) {
  const size_t size = server.address.bytes().size();
  std::memcpy(buffer, server.address.bytes().data(), size);
  buffer[size] = static_cast<char>(server.port >> 8);
  buffer[size + 1] = static_cast<char>(server.port & 0xff);
  return absl::string_view(buffer, size + 2);
}

std::string ServerKey(const DnsServer& server) {
  ServerKeyBuffer buffer;
  return std::string(ServerKey(server, buffer));
}

}  // namespace

struct UdpDnsLookup::Pending {
  LookupRequest request;
  std::function<void(LookupResult)> done;
  int attempt = 0;           // Tries sent so far.
  int fd = -1;               // The socket of the try in flight, if any.
  bool to_resolver = false;  // That try counts in resolver_in_flight_.
  bool to_server = false;    // That try counts in servers_[server_key].
  // ServerKey(*request.server) when servers are bounded; else empty.
  std::string server_key;
  uint16_t id = 0;
  loop::EventLoop::TimerId timer = 0;
  absl::Duration started;
  absl::Duration queued_at;  // When a bound held the try; for stats.
  std::string last_error;    // Why the latest try failed, if it did.
};

// A try queued for its socket's next sendmmsg.
struct UdpDnsLookup::Outgoing {
  uint16_t id = 0;
  uint64_t key = 0;
  std::string query;
};

struct UdpDnsLookup::Channel {
  std::string key;
  // The server as text, for every reply's LookupResult::server: formatted
  // once (inet_ntop per reply was 8 % of a sweep's instructions).
  std::string server;
  int fd = -1;
  uint32_t sent = 0;
  absl::flat_hash_map<uint16_t, uint64_t> by_id;  // Tries in flight.
  std::vector<Outgoing> outbox;                   // Not yet sent.
};

absl::StatusOr<std::unique_ptr<UdpDnsLookup>> UdpDnsLookup::Create(
    loop::EventLoop* loop, UdpDnsOptions options) {
  if (loop == nullptr) return absl::InvalidArgumentError("no event loop");
  if (options.resolvers.empty()) {
    return absl::InvalidArgumentError("UdpDnsOptions.resolvers is empty");
  }
  if (!options.send_batch) {
    options.send_batch = [](int fd, mmsghdr* messages, unsigned count) {
      return sendmmsg(fd, messages, count, 0);
    };
  }
  if (!options.random_id) {
    auto gen = std::make_shared<absl::BitGen>();
    options.random_id = [gen] { return absl::Uniform<uint16_t>(*gen); };
  }
  return std::unique_ptr<UdpDnsLookup>(
      new UdpDnsLookup(loop, std::move(options)));
}

UdpDnsLookup::UdpDnsLookup(loop::EventLoop* loop, UdpDnsOptions options)
    : loop_(loop),
      options_(std::move(options)),
      // Default-initialised: the kernel touches only what it writes.
      replies_(new char[kRepliesPerRead * kMaxReply]),
      recv_headers_(kRepliesPerRead),
      recv_iov_(kRepliesPerRead) {
  for (unsigned i = 0; i < kRepliesPerRead; ++i) {
    recv_iov_[i].iov_base = replies_.get() + i * kMaxReply;
    recv_iov_[i].iov_len = kMaxReply;
  }
}

UdpDnsLookup::~UdpDnsLookup() {
  alive_.reset();
  for (auto& [key, p] : pending_) loop_->CancelTimer(p->timer);
  for (auto& [fd, channel] : by_fd_) {
    loop_->UnwatchFd(fd);
    close(fd);
  }
}

void UdpDnsLookup::Lookup(LookupRequest request,
                          std::function<void(LookupResult)> done) {
  auto p = std::make_unique<Pending>();
  if (request.server.has_value() && options_.max_server_in_flight > 0) {
    p->server_key = ServerKey(*request.server);
  }
  p->request = std::move(request);
  p->request.tries = std::max(1, p->request.tries);
  p->done = std::move(done);
  p->started = loop::EventLoop::MonotonicNow();
  const uint64_t key = next_key_++;
  pending_[key] = std::move(p);
  SendTry(key);
  // A lookup decided at once (a name that cannot be encoded) is delivered
  // from the loop, never inline; a try asked from outside the lookup's own
  // callbacks goes out at the end of this loop round.
  const bool flush = !decided_.empty() && !flush_scheduled_;
  const bool send = !outboxes_.empty() && in_callback_ == 0 && !send_scheduled_;
  if (!flush && !send) return;
  flush_scheduled_ |= flush;
  send_scheduled_ |= send;
  std::weak_ptr<bool> alive = alive_;
  loop_->RunAfter(absl::ZeroDuration(), [this, alive] {
    if (alive.expired()) return;
    flush_scheduled_ = false;
    send_scheduled_ = false;
    ++in_callback_;
    EndCallback();
  });
}

const DnsServer& UdpDnsLookup::ServerOf(const Pending& p, int attempt) const {
  if (p.request.server.has_value()) return *p.request.server;
  return options_.resolvers[attempt % options_.resolvers.size()];
}

void UdpDnsLookup::EndCallback() {
  if (!Flush()) return;  // A callback destroyed the lookup.
  // Tries asked by the callbacks just run go out now, together (at every
  // level: a callback that runs the loop itself must not hold them).
  --in_callback_;
  SendOutboxes();
}

void UdpDnsLookup::SendTry(uint64_t key) {
  Pending& p = *pending_[key];
  Detach(p);
  const int servers = p.request.server.has_value()
                          ? 1
                          : static_cast<int>(options_.resolvers.size());
  const int total = p.request.tries * servers;
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
  if (!Admit(key, p)) return;
  const DnsServer& server = ServerOf(p, p.attempt);
  ++p.attempt;
  Channel* channel = ChannelFor(server);
  absl::StatusOr<std::string> query;
  if (channel != nullptr) {
    do {
      p.id = options_.random_id();
    } while (channel->by_id.contains(p.id));
    query = EncodeQuery(p.id, p.request.name, p.request.qtype,
                        /*recursion=*/!p.request.server.has_value());
    if (!query.ok()) {
      LookupResult r;
      r.outcome = v6scope::v1::DNS_ERROR;
      r.detail = Detail(query.status().message());
      return Finish(key, std::move(r));
    }
  }
  if (channel == nullptr) {
    p.last_error = Detail(absl::StrCat("sending to ", server.address.ToString(),
                                       ": ", std::strerror(errno)));
    p.timer = loop_->RunAfter(absl::ZeroDuration(),
                              [this, key] { OnTryTimeout(key); });
    return;
  }
  ++channel->sent;
  channel->by_id[p.id] = key;
  Enqueue(*channel, key, *std::move(query));
  p.fd = channel->fd;
  p.to_resolver = !p.request.server.has_value();
  resolver_in_flight_ += p.to_resolver ? 1 : 0;
  p.to_server =
      p.request.server.has_value() && options_.max_server_in_flight > 0;
  if (p.to_server) ++servers_[p.server_key].in_flight;
  if (channel->sent >= kQuestionsPerSocket) current_.erase(channel->key);
  p.timer =
      loop_->RunAfter(p.request.timeout, [this, key] { OnTryTimeout(key); });
}

void UdpDnsLookup::Enqueue(Channel& channel, uint64_t key, std::string query) {
  if (channel.outbox.empty()) outboxes_.push_back(channel.fd);
  channel.outbox.push_back(Outgoing{pending_[key]->id, key, std::move(query)});
}

void UdpDnsLookup::SendOutboxes() {
  std::vector<std::pair<uint64_t, int>> failed;
  for (size_t i = 0; i < outboxes_.size(); ++i) {
    auto it = by_fd_.find(outboxes_[i]);
    // Closed since (all its questions decided): nothing to send.
    if (it != by_fd_.end()) SendOutbox(*it->second, failed);
  }
  outboxes_.clear();
  for (const auto& [key, error] : failed) FailSend(key, error);
}

void UdpDnsLookup::SendOutbox(Channel& channel,
                              std::vector<std::pair<uint64_t, int>>& failed) {
  send_headers_.clear();
  send_iov_.clear();
  send_keys_.clear();
  for (Outgoing& out : channel.outbox) {
    // Only tries still waiting for this very datagram (one decided or
    // retried since it was queued is not sent: its id may be reused).
    auto owner = channel.by_id.find(out.id);
    if (owner == channel.by_id.end() || owner->second != out.key) continue;
    send_iov_.push_back(iovec{out.query.data(), out.query.size()});
    send_keys_.push_back(out.key);
  }
  send_headers_.resize(send_iov_.size());
  for (size_t i = 0; i < send_iov_.size(); ++i) {
    send_headers_[i] = mmsghdr{};
    send_headers_[i].msg_hdr.msg_iov = &send_iov_[i];
    send_headers_[i].msg_hdr.msg_iovlen = 1;
  }
  size_t done = 0;
  while (done < send_headers_.size()) {
    ++stats_.send_calls;
    const int n =
        options_.send_batch(channel.fd, send_headers_.data() + done,
                            static_cast<unsigned>(send_headers_.size() - done));
    if (n > 0) {  // Maybe part of the batch: the rest in the next call.
      done += static_cast<size_t>(n);
      stats_.tries_sent += static_cast<uint64_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      // The first unsent datagram failed (e.g. no route for the family):
      // its try fails, the rest are tried again.
      failed.emplace_back(send_keys_[done], n < 0 ? errno : EIO);
      ++done;
    }
  }
  channel.outbox.clear();
}

void UdpDnsLookup::FailSend(uint64_t key, int error) {
  auto it = pending_.find(key);
  if (it == pending_.end()) return;
  Pending& p = *it->second;
  const DnsServer& server = ServerOf(p, p.attempt - 1);
  // As if never sent: its slot frees, and the next try comes from the loop
  // (not a timeout: nothing was on the wire).
  Detach(p);
  p.last_error = Detail(absl::StrCat("sending to ", server.address.ToString(),
                                     ": ", std::strerror(error)));
  p.timer =
      loop_->RunAfter(absl::ZeroDuration(), [this, key] { OnTryTimeout(key); });
}

bool UdpDnsLookup::Admit(uint64_t key, Pending& p) {
  std::deque<uint64_t>* queue = nullptr;
  if (!p.request.server.has_value()) {
    if (options_.max_resolver_in_flight > 0 &&
        resolver_in_flight_ >= options_.max_resolver_in_flight) {
      queue = &waiting_;
    }
  } else if (options_.max_server_in_flight > 0) {
    // No entry: nothing in flight there (entries go with their last try).
    auto load = servers_.find(p.server_key);
    if (load != servers_.end() &&
        load->second.in_flight >= options_.max_server_in_flight) {
      queue = &load->second.waiting;
    }
  }
  if (queue == nullptr) return true;
  queue->push_back(key);
  p.queued_at = loop::EventLoop::MonotonicNow();
  ++stats_.tries_queued;
  stats_.max_queued = std::max(stats_.max_queued, queue->size());
  return false;
}

void UdpDnsLookup::SendQueued(uint64_t key) {
  auto it = pending_.find(key);
  if (it == pending_.end()) return;
  stats_.queued_time += loop::EventLoop::MonotonicNow() - it->second->queued_at;
  SendTry(key);
}

UdpDnsLookup::Channel* UdpDnsLookup::ChannelFor(const DnsServer& server) {
  ServerKeyBuffer buffer;
  const absl::string_view key = ServerKey(server, buffer);
  if (auto it = current_.find(key); it != current_.end()) return it->second;
  const int fd = ConnectedSocket(server);
  if (fd < 0) return nullptr;
  absl::Status watched =
      loop_->WatchFd(fd, loop::EventLoop::kReadable,
                     [this](int ready_fd, uint32_t) { OnReadable(ready_fd); });
  if (!watched.ok()) {
    close(fd);
    errno = EMFILE;
    return nullptr;
  }
  auto channel = std::make_unique<Channel>();
  channel->key = std::string(key);
  channel->server = server.address.ToString();
  channel->fd = fd;
  Channel* raw = channel.get();
  by_fd_[fd] = std::move(channel);
  current_[raw->key] = raw;
  return raw;
}

void UdpDnsLookup::Detach(Pending& p) {
  loop_->CancelTimer(p.timer);
  p.timer = 0;
  if (p.to_resolver) --resolver_in_flight_;
  p.to_resolver = false;
  if (p.to_server) {
    auto load = servers_.find(p.server_key);
    if (--load->second.in_flight == 0 && load->second.waiting.empty()) {
      servers_.erase(load);
    } else if (!load->second.waiting.empty()) {
      servers_freed_.push_back(p.server_key);
    }
  }
  p.to_server = false;
  if (p.fd < 0) return;
  auto it = by_fd_.find(p.fd);
  p.fd = -1;
  if (it == by_fd_.end()) return;
  Channel& channel = *it->second;
  channel.by_id.erase(p.id);
  // A spent socket closes with its last question.
  if (channel.by_id.empty() && channel.sent >= kQuestionsPerSocket) {
    CloseChannel(channel.fd);
  }
}

void UdpDnsLookup::CloseChannel(int fd) {
  auto it = by_fd_.find(fd);
  if (it == by_fd_.end()) return;
  auto current = current_.find(it->second->key);
  if (current != current_.end() && current->second == it->second.get()) {
    current_.erase(current);
  }
  loop_->UnwatchFd(fd);
  close(fd);
  by_fd_.erase(it);
}

void UdpDnsLookup::OnReadable(int fd) {
  ++in_callback_;
  // A few batches a wakeup, as the loop serves other sockets too; level
  // triggered, a socket still readable is reported again.
  for (int reads = 0; reads < 4; ++reads) {
    if (by_fd_.find(fd) == by_fd_.end()) break;
    for (unsigned i = 0; i < kRepliesPerRead; ++i) {
      recv_headers_[i] = mmsghdr{};
      recv_headers_[i].msg_hdr.msg_iov = &recv_iov_[i];
      recv_headers_[i].msg_hdr.msg_iovlen = 1;
    }
    const int n = recvmmsg(fd, recv_headers_.data(), kRepliesPerRead,
                           MSG_DONTWAIT, nullptr);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) break;
      // ICMP port unreachable and the like, about this server.
      FailChannel(*by_fd_[fd], Detail(absl::StrCat("reading the reply: ",
                                                   std::strerror(errno))));
      continue;
    }
    stats_.reply_reads += n > 0 ? 1 : 0;
    stats_.replies_read += static_cast<uint64_t>(n);
    for (int i = 0; i < n; ++i) {
      // Looked up per reply: a decided question may close a spent socket.
      auto it = by_fd_.find(fd);
      if (it == by_fd_.end()) break;
      OnReply(*it->second, absl::string_view(replies_.get() + i * kMaxReply,
                                             recv_headers_[i].msg_len));
    }
    if (n < static_cast<int>(kRepliesPerRead)) break;  // Drained.
  }
  SendWaiting();
  EndCallback();
}

void UdpDnsLookup::SendWaiting() {
  while (!waiting_.empty() &&
         resolver_in_flight_ < options_.max_resolver_in_flight) {
    const uint64_t key = waiting_.front();
    waiting_.pop_front();
    SendQueued(key);
  }
  while (!servers_freed_.empty()) {
    const std::string server = std::move(servers_freed_.back());
    servers_freed_.pop_back();
    // Looked up again after each send: SendTry may add to servers_.
    for (auto it = servers_.find(server);
         it != servers_.end() && !it->second.waiting.empty() &&
         it->second.in_flight < options_.max_server_in_flight;
         it = servers_.find(server)) {
      const uint64_t key = it->second.waiting.front();
      it->second.waiting.pop_front();
      SendQueued(key);
    }
    auto it = servers_.find(server);
    if (it != servers_.end() && it->second.in_flight == 0 &&
        it->second.waiting.empty()) {
      servers_.erase(it);
    }
  }
}

void UdpDnsLookup::OnReply(Channel& channel, absl::string_view message) {
  if (message.size() < 2) return;
  const uint16_t id =
      static_cast<uint16_t>((static_cast<uint8_t>(message[0]) << 8) |
                            static_cast<uint8_t>(message[1]));
  auto owner = channel.by_id.find(id);
  if (owner == channel.by_id.end()) return;  // Late or not ours.
  const uint64_t key = owner->second;
  Pending& p = *pending_[key];
  absl::StatusOr<DnsResponse> parsed =
      ParseResponse(message, p.request.name, p.request.qtype);
  LookupResult r;
  r.server = channel.server;  // The server of the try in flight.
  if (!parsed.ok()) {
    r.outcome = v6scope::v1::DNS_ERROR;
    r.detail = Detail(parsed.status().message());
    return Finish(key, std::move(r));
  }
  r.rcode = parsed->rcode;
  r.outcome = OutcomeOf(*parsed, p.request.qtype);
  if (parsed->truncated) r.detail = "truncated (TC) over UDP";
  r.response = *std::move(parsed);
  Finish(key, std::move(r));
}

void UdpDnsLookup::FailChannel(Channel& channel, const std::string& why) {
  std::vector<uint64_t> keys;
  keys.reserve(channel.by_id.size());
  for (const auto& [id, key] : channel.by_id) keys.push_back(key);
  for (uint64_t key : keys) {
    pending_[key]->last_error = why;
    SendTry(key);  // May close the channel: nothing of it is used after.
  }
}

void UdpDnsLookup::OnTryTimeout(uint64_t key) {
  auto it = pending_.find(key);
  if (it == pending_.end()) return;
  it->second->timer = 0;  // Fired.
  if (it->second->fd >= 0) ++stats_.tries_timed_out;
  ++in_callback_;
  SendTry(key);
  SendWaiting();
  EndCallback();
}

void UdpDnsLookup::Finish(uint64_t key, LookupResult result) {
  auto it = pending_.find(key);
  if (it == pending_.end()) return;
  std::unique_ptr<Pending> p = std::move(it->second);
  pending_.erase(it);
  Detach(*p);
  result.elapsed = loop::EventLoop::MonotonicNow() - p->started;
  decided_.emplace_back(std::move(p->done), std::move(result));
}

bool UdpDnsLookup::Flush() {
  std::weak_ptr<bool> alive = alive_;
  while (!decided_.empty()) {
    // decided_ takes the spare's capacity; a nested Flush (a callback
    // running the loop) finds no spare and only allocates.
    Decided batch = std::move(spare_);
    spare_ = Decided();
    batch.clear();
    batch.swap(decided_);
    for (auto& [done, result] : batch) {
      done(std::move(result));
      if (alive.expired()) return false;  // A callback destroyed the lookup.
    }
    batch.clear();
    spare_ = std::move(batch);
  }
  return true;
}

}  // namespace v6scope::probe::readiness
