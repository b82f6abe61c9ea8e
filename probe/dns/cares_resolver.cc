#include "probe/dns/cares_resolver.h"

#include <ares.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/net/ip_address.h"
#include "common/text/text_rules.h"
#include "probe/dns/dns_response.h"

namespace v6scope::probe::dns {
namespace {

constexpr int kClassIn = 1;
constexpr int kTypeA = 1;
constexpr int kTypeAaaa = 28;
constexpr int kDefaultPort = 53;
constexpr size_t kMaxDetail = 255;

std::string Detail(absl::string_view detail) {
  return text::CleanUtf8Line(detail, kMaxDetail);
}

// Once per process; ares_library_init is not thread-safe itself, the
// function-local static makes it so.
absl::Status InitAresLibrary() {
  static const int status = ares_library_init(ARES_LIB_INIT_ALL);
  if (status != ARES_SUCCESS) {
    return absl::InternalError(
        absl::StrCat("ares_library_init: ", ares_strerror(status)));
  }
  return absl::OkStatus();
}

struct Endpoint {
  net::IpAddress address;
  int port = kDefaultPort;
};

// "ip", "ip:port", "[v6]" or "[v6]:port", or a bare IPv6 literal.
absl::StatusOr<Endpoint> ParseEndpoint(absl::string_view text) {
  absl::string_view host = text;
  absl::string_view port_text;
  bool has_port = false;
  if (absl::ConsumePrefix(&host, "[")) {
    const size_t close = host.find(']');
    if (close == absl::string_view::npos) {
      return absl::InvalidArgumentError("missing ']'");
    }
    port_text = host.substr(close + 1);
    host = host.substr(0, close);
    if (!port_text.empty()) {
      if (!absl::ConsumePrefix(&port_text, ":")) {
        return absl::InvalidArgumentError("expected ':port' after ']'");
      }
      has_port = true;
    }
  } else if (std::count(host.begin(), host.end(), ':') == 1) {
    const size_t colon = host.find(':');
    port_text = host.substr(colon + 1);
    host = host.substr(0, colon);
    has_port = true;
  }
  absl::StatusOr<net::IpAddress> address = net::IpAddress::Parse(host);
  if (!address.ok()) return absl::InvalidArgumentError("not an IP address");
  if (text.front() == '[' && !address->is_v6()) {
    return absl::InvalidArgumentError("brackets are for IPv6 addresses");
  }
  Endpoint endpoint{*address, kDefaultPort};
  if (has_port && (!absl::SimpleAtoi(port_text, &endpoint.port) ||
                   endpoint.port < 1 || endpoint.port > 65535)) {
    return absl::InvalidArgumentError("port is not 1..65535");
  }
  return endpoint;
}

absl::StatusOr<std::vector<Endpoint>> ParseServers(absl::string_view spec) {
  std::vector<Endpoint> endpoints;
  for (absl::string_view item : absl::StrSplit(spec, ',')) {
    item = absl::StripAsciiWhitespace(item);
    absl::StatusOr<Endpoint> endpoint =
        item.empty() ? absl::InvalidArgumentError("empty entry")
                     : ParseEndpoint(item);
    if (!endpoint.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("CaresOptions.server \"", spec, "\": bad entry \"", item,
                       "\" (", endpoint.status().message(),
                       "; expected ip, ip:port or [ipv6]:port)"));
    }
    endpoints.push_back(*endpoint);
  }
  return endpoints;
}

absl::Status SetServers(ares_channel channel,
                        const std::vector<Endpoint>& endpoints) {
  std::vector<ares_addr_port_node> nodes(endpoints.size());
  for (size_t i = 0; i < endpoints.size(); ++i) {
    ares_addr_port_node& node = nodes[i];
    const net::IpAddress& address = endpoints[i].address;
    node.next = i + 1 < nodes.size() ? &nodes[i + 1] : nullptr;
    node.family = address.is_v4() ? AF_INET : AF_INET6;
    if (address.is_v4()) {
      std::memcpy(&node.addr.addr4, address.bytes().data(), 4);
    } else {
      std::memcpy(&node.addr.addr6, address.bytes().data(), 16);
    }
    node.udp_port = endpoints[i].port;
    node.tcp_port = endpoints[i].port;
  }
  const int rc = ares_set_servers_ports(channel, nodes.data());
  if (rc != ARES_SUCCESS) {
    return absl::InternalError(
        absl::StrCat("ares_set_servers_ports: ", ares_strerror(rc)));
  }
  return absl::OkStatus();
}

}  // namespace

struct CaresResolver::Query {
  uint64_t id = 0;
  std::string name;
  DnsType type = DnsType::kA;
  DoneCallback done;
  absl::Duration started;
  loop::EventLoop::TimerId deadline = 0;
};

struct CaresResolver::CaresCall {
  CaresResolver* resolver;
  uint64_t query_id;
};

absl::StatusOr<std::unique_ptr<CaresResolver>> CaresResolver::Create(
    loop::EventLoop* loop, const CaresOptions& options) {
  if (loop == nullptr) {
    return absl::InvalidArgumentError("CaresResolver needs an event loop");
  }
  if (options.timeout <= absl::ZeroDuration() ||
      options.timeout > absl::Hours(1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("CaresOptions.timeout must be in (0, 1h], got ",
                     absl::FormatDuration(options.timeout)));
  }
  if (options.tries < 1 || options.tries > 100) {
    return absl::InvalidArgumentError(absl::StrCat(
        "CaresOptions.tries must be in [1, 100], got ", options.tries));
  }
  if (!options.server.empty()) {
    if (absl::StatusOr<std::vector<Endpoint>> endpoints =
            ParseServers(options.server);
        !endpoints.ok()) {
      return endpoints.status();
    }
  }
  if (absl::Status s = InitAresLibrary(); !s.ok()) return s;
  std::unique_ptr<CaresResolver> resolver(new CaresResolver(loop, options));
  if (absl::Status s = resolver->Init(options); !s.ok()) return s;
  return resolver;
}

CaresResolver::CaresResolver(loop::EventLoop* loop, const CaresOptions& options)
    : loop_(loop),
      bound_(options.timeout * options.tries),
      use_hosts_file_(options.use_hosts_file) {}

absl::Status CaresResolver::Init(const CaresOptions& options) {
  ares_options opts;
  std::memset(&opts, 0, sizeof(opts));
  // NOCHECKRESP: any response ends the query, so its RCODE and its server
  // are what we record (see the header).
  opts.flags = ARES_FLAG_NOCHECKRESP;
  opts.timeout = static_cast<int>(
      std::min<int64_t>(INT_MAX, absl::ToInt64Milliseconds(absl::Ceil(
                                     options.timeout, absl::Milliseconds(1)))));
  opts.tries = options.tries;
  opts.sock_state_cb = &CaresResolver::SockStateThunk;
  opts.sock_state_cb_data = this;
  const int mask = ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES |
                   ARES_OPT_SOCK_STATE_CB | ARES_OPT_NOROTATE;
  ares_channel channel = nullptr;
  const int rc = ares_init_options(&channel, &opts, mask);
  if (rc != ARES_SUCCESS) {
    return absl::InternalError(
        absl::StrCat("ares_init_options: ", ares_strerror(rc)));
  }
  channel_ = channel;
  if (!options.server.empty()) {
    absl::StatusOr<std::vector<Endpoint>> endpoints =
        ParseServers(options.server);
    if (!endpoints.ok()) return endpoints.status();
    if (absl::Status s = SetServers(channel_, *endpoints); !s.ok()) return s;
  }
  LoadServerList();
  return absl::OkStatus();
}

void CaresResolver::LoadServerList() {
  ares_addr_port_node* list = nullptr;
  if (ares_get_servers_ports(channel_, &list) != ARES_SUCCESS) return;
  for (ares_addr_port_node* node = list; node != nullptr; node = node->next) {
    if (node->family == AF_INET) {
      std::array<uint8_t, net::IpAddress::kV4Size> bytes;
      std::memcpy(bytes.data(), &node->addr.addr4, bytes.size());
      servers_.push_back(net::IpAddress::FromV4Bytes(bytes).ToString());
      server_ports_.push_back(node->udp_port == 0 ? 53 : node->udp_port);
    } else if (node->family == AF_INET6) {
      std::array<uint8_t, net::IpAddress::kV6Size> bytes;
      std::memcpy(bytes.data(), &node->addr.addr6, bytes.size());
      servers_.push_back(net::IpAddress::FromV6Bytes(bytes).ToString());
      server_ports_.push_back(node->udp_port == 0 ? 53 : node->udp_port);
    }
  }
  ares_free_data(list);
}

CaresResolver::~CaresResolver() {
  if (delivery_timer_.has_value()) loop_->CancelTimer(*delivery_timer_);
  if (ares_timer_.has_value()) loop_->CancelTimer(*ares_timer_);
  for (const auto& [id, query] : queries_) loop_->CancelTimer(query->deadline);
  queries_.clear();
  deliveries_.clear();
  // Calls AnswerThunk with ARES_EDESTRUCTION for every query c-ares still
  // holds (it only frees the CaresCall) and the socket-state callback
  // for every socket it closes (which unwatches it).
  if (channel_ != nullptr) ares_destroy(channel_);
  for (int fd : watched_fds_) loop_->UnwatchFd(fd);
}

void CaresResolver::Resolve(const std::string& name, DnsType type,
                            DoneCallback done) {
  auto query = std::make_unique<Query>();
  query->id = next_query_id_++;
  query->name = name;
  query->type = type;
  query->done = std::move(done);
  query->started = loop::EventLoop::MonotonicNow();
  DnsAnswer from_hosts;
  if (use_hosts_file_ && AnswerFromHostsFile(name, type, &from_hosts)) {
    Deliver(std::move(query), std::move(from_hosts));
    return;
  }
  StartQuery(std::move(query));
}

bool CaresResolver::AnswerFromHostsFile(const std::string& name, DnsType type,
                                        DnsAnswer* answer) {
  hostent* host = nullptr;
  const int family = type == DnsType::kA ? AF_INET : AF_INET6;
  // A small synchronous file read on the loop thread, by design.
  const int rc = ares_gethostbyname_file(channel_, name.c_str(), family, &host);
  std::vector<net::IpAddress> addresses;
  if (rc == ARES_SUCCESS) addresses = AddressesOf(host, type);
  if (host != nullptr) ares_free_hostent(host);
  if (addresses.empty()) return false;
  answer->outcome = v6scope::v1::OK;
  answer->addresses = std::move(addresses);
  answer->from_hosts_file = true;
  return true;
}

void CaresResolver::StartQuery(std::unique_ptr<Query> query) {
  const uint64_t id = query->id;
  const std::string name = query->name;
  const int qtype = query->type == DnsType::kA ? kTypeA : kTypeAaaa;
  query->deadline = loop_->RunAfter(bound_, [this, id] { OnDeadline(id); });
  queries_[id] = std::move(query);
  // c-ares may call AnswerThunk from inside ares_query (e.g. for a name it
  // cannot encode); Finish defers `done` either way.
  ares_query(channel_, name.c_str(), kClassIn, qtype,
             &CaresResolver::AnswerThunk, new CaresCall{this, id});
  RearmAresTimer();
}

void CaresResolver::CancelAll() {
  std::map<uint64_t, std::unique_ptr<Query>> cancelled;
  cancelled.swap(queries_);
  for (auto& [id, query] : cancelled) {
    loop_->CancelTimer(query->deadline);
    DnsAnswer answer;
    answer.outcome = v6scope::v1::TIMEOUT;
    answer.error_detail = "cancelled";
    Deliver(std::move(query), std::move(answer));
  }
  // c-ares answers its queries with ARES_ECANCELLED; all already decided.
  ares_cancel(channel_);
  RearmAresTimer();
}

void CaresResolver::Finish(uint64_t query_id, DnsAnswer answer) {
  auto it = queries_.find(query_id);
  if (it == queries_.end()) return;  // Already decided (deadline, cancel).
  std::unique_ptr<Query> query = std::move(it->second);
  queries_.erase(it);
  loop_->CancelTimer(query->deadline);
  Deliver(std::move(query), std::move(answer));
}

void CaresResolver::Deliver(std::unique_ptr<Query> query, DnsAnswer answer) {
  answer.elapsed = loop::EventLoop::MonotonicNow() - query->started;
  deliveries_.push_back(Delivery{std::move(query->done), std::move(answer)});
  if (delivery_timer_.has_value()) return;
  delivery_timer_ = loop_->RunAfter(absl::ZeroDuration(), [this] {
    delivery_timer_.reset();
    RunDeliveries();
  });
}

void CaresResolver::RunDeliveries() {
  std::vector<Delivery> batch;
  batch.swap(deliveries_);
  std::weak_ptr<bool> alive = alive_;
  for (Delivery& delivery : batch) {
    // A previous `done` may have destroyed the resolver: the rest of the
    // batch is then dropped, as the destructor promises.
    if (alive.expired()) return;
    delivery.done(std::move(delivery.answer));
  }
}

void CaresResolver::SockStateThunk(void* data, int fd, int readable,
                                   int writable) {
  static_cast<CaresResolver*>(data)->OnSocketState(fd, readable != 0,
                                                   writable != 0);
}

void CaresResolver::AnswerThunk(void* arg, int status, int /*timeouts*/,
                                unsigned char* abuf, int alen) {
  std::unique_ptr<CaresCall> call(static_cast<CaresCall*>(arg));
  // EDESTRUCTION comes from ares_destroy in the destructor and ECANCELLED
  // from ares_cancel in CancelAll: both have decided their queries.
  if (status == ARES_EDESTRUCTION || status == ARES_ECANCELLED) return;
  call->resolver->OnAnswer(call->query_id, status, abuf, alen);
}

void CaresResolver::OnSocketState(int fd, bool readable, bool writable) {
  if (!readable && !writable) {
    loop_->UnwatchFd(fd);
    watched_fds_.erase(fd);
    peers_.erase(fd);
    return;
  }
  // A socket new to us may reuse a closed one's number.
  if (watched_fds_.count(fd) == 0) peers_.erase(fd);
  const uint32_t events = (readable ? loop::EventLoop::kReadable : 0) |
                          (writable ? loop::EventLoop::kWritable : 0);
  absl::Status s = loop_->WatchFd(
      fd, events,
      [this](int ready_fd, uint32_t ready) { OnFdReady(ready_fd, ready); });
  // If the loop cannot watch it, the lookups on it end at their deadline.
  if (s.ok()) watched_fds_.insert(fd);
}

void CaresResolver::OnAnswer(uint64_t query_id, int status,
                             const unsigned char* abuf, int alen) {
  auto it = queries_.find(query_id);
  if (it == queries_.end()) return;
  DnsAnswer answer = AnswerFromResponse(it->second->type, status, abuf, alen);
  if (abuf != nullptr) {
    answer.server = processing_peer_;
    if (answer.server.empty() && servers_.size() == 1) {
      answer.server = servers_.front();
    }
  }
  Finish(query_id, std::move(answer));
}

void CaresResolver::OnFdReady(int fd, uint32_t ready) {
  // Responses processed now came in on `fd`, connected to one server.
  processing_peer_ = PeerOf(fd);
  ares_process_fd(channel_,
                  (ready & loop::EventLoop::kReadable) ? fd : ARES_SOCKET_BAD,
                  (ready & loop::EventLoop::kWritable) ? fd : ARES_SOCKET_BAD);
  processing_peer_.clear();
  RearmAresTimer();
}

void CaresResolver::OnAresTimer() {
  ares_process_fd(channel_, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
  RearmAresTimer();
}

void CaresResolver::OnDeadline(uint64_t query_id) {
  DnsAnswer answer;
  answer.outcome = v6scope::v1::TIMEOUT;
  answer.error_detail =
      Detail(absl::StrCat("no answer within ", absl::FormatDuration(bound_),
                          " (", ares_strerror(ARES_ETIMEOUT), ")"));
  Finish(query_id, std::move(answer));
}

void CaresResolver::RearmAresTimer() {
  if (ares_timer_.has_value()) {
    loop_->CancelTimer(*ares_timer_);
    ares_timer_.reset();
  }
  timeval storage;
  const timeval* next = ares_timeout(channel_, nullptr, &storage);
  if (next == nullptr) return;  // No query pending in c-ares.
  ares_timer_ = loop_->RunAfter(absl::DurationFromTimeval(*next), [this] {
    ares_timer_.reset();
    OnAresTimer();
  });
}

std::string CaresResolver::PeerOf(int fd) {
  auto it = peers_.find(fd);
  if (it != peers_.end()) return it->second;
  sockaddr_storage storage;
  socklen_t len = sizeof(storage);
  // c-ares connects its UDP and TCP sockets to their server; a TCP socket
  // still connecting has no peer yet and is asked again next time.
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&storage), &len) != 0) {
    return "";
  }
  absl::StatusOr<net::IpAddress> address =
      net::IpAddress::FromSockaddr(reinterpret_cast<sockaddr*>(&storage));
  if (!address.ok()) return "";
  std::string text = address->Unmapped().ToString();
  peers_[fd] = text;
  return text;
}

std::string CaresResolver::RcodeName(int rcode) {
  static constexpr const char* kNames[] = {
      "NOERROR",  "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
      "YXDOMAIN", "YXRRSET", "NXRRSET",  "NOTAUTH",  "NOTZONE"};
  if (rcode == -1) return "NONE";
  if (rcode >= 0 && rcode < static_cast<int>(std::size(kNames))) {
    return kNames[rcode];
  }
  return absl::StrCat("RCODE", rcode);
}

}  // namespace v6scope::probe::dns
