#include "probe/suite/testing/fake_network.h"

#include <algorithm>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace v6scope::probe::suite::testing {
namespace {

using v6scope::v1::Outcome;

constexpr absl::Duration kHappyEyeballsDelay = absl::Milliseconds(200);

uint32_t Us(absl::Duration d) {
  return static_cast<uint32_t>(std::max<int64_t>(
      0, std::min<int64_t>(absl::ToInt64Microseconds(d), 600'000'000)));
}

net::IpAddress Ip(absl::string_view literal) {
  return net::IpAddress::Parse(literal).value_or(net::IpAddress());
}

// The host of an http(s) URL, if it is an address literal.
std::optional<net::IpAddress> LiteralHost(const std::string& url) {
  absl::string_view rest = url;
  const size_t scheme = rest.find("://");
  if (scheme != absl::string_view::npos) rest.remove_prefix(scheme + 3);
  rest = rest.substr(0, rest.find('/'));
  if (!rest.empty() && rest.front() == '[') {
    rest = rest.substr(1, rest.find(']') - 1);
  } else {
    rest = rest.substr(0, rest.find(':'));
  }
  auto ip = net::IpAddress::Parse(rest);
  if (!ip.ok()) return std::nullopt;
  return *ip;
}

bool OfFamily(const net::IpAddress& a, v6scope::v1::AddressFamily f) {
  if (f == v6scope::v1::IPV4) return a.is_v4();
  if (f == v6scope::v1::IPV6) return a.is_v6();
  return true;
}

// What one connect to one address ends with, timed from its start.
struct Attempt {
  http::HttpResult result;
  absl::Duration took;
  bool silent = false;  // Nothing came back (a black hole).
};

struct FetchParams {
  absl::Duration connect_timeout;
  absl::Duration timeout;
  absl::Duration stall;  // Zero: off.
  uint64_t limit = 0;
  uint64_t size = 0;
  bool whoami = false;
};

void Fail(Attempt* a, Outcome outcome, absl::Duration took,
          const std::string& detail) {
  a->result.outcome = outcome;
  a->result.error_detail = detail;
  a->took = took;
  a->result.timings.set_total_us(Us(took));
}

// Connects after rtt and sends `stall_after` bytes at 2 rtt, then nothing.
void Stalled(const PathBehaviour& p, const FetchParams& f, Attempt* a) {
  http::HttpResult& r = a->result;
  r.timings.set_connect_us(Us(p.rtt));
  absl::Duration last_rx = p.rtt;
  if (p.stall_after > 0) {
    r.http_status = 200;
    r.bytes_received = p.stall_after;
    r.timings.set_first_byte_us(Us(2 * p.rtt));
    last_rx = 2 * p.rtt;
  }
  const bool stalls =
      f.stall > absl::ZeroDuration() && last_rx + f.stall < f.timeout;
  if (stalls) {
    Fail(a, v6scope::v1::STALLED, last_rx + f.stall,
         absl::StrCat("no byte for ", absl::FormatDuration(f.stall),
                      " after connecting"));
  } else {
    Fail(a, v6scope::v1::TIMEOUT, f.timeout, "Operation timed out");
  }
}

// Connects after rtt, first byte at 2 rtt, the body at the path's rate.
void Working(const PathBehaviour& p, const FetchParams& f, Attempt* a) {
  http::HttpResult& r = a->result;
  const uint64_t bytes = f.limit > 0 ? std::min(f.limit, f.size) : f.size;
  const absl::Duration body =
      p.bytes_per_second == 0
          ? absl::ZeroDuration()
          : absl::Seconds(static_cast<double>(bytes) / p.bytes_per_second);
  r.timings.set_connect_us(Us(p.rtt));
  r.timings.set_first_byte_us(Us(2 * p.rtt));
  r.http_status = f.limit > 0 && f.size > f.limit ? 206 : 200;
  if (2 * p.rtt + body > f.timeout) {
    r.bytes_received = static_cast<uint64_t>(
        absl::ToDoubleSeconds(f.timeout - 2 * p.rtt) * p.bytes_per_second);
    return Fail(a, v6scope::v1::TIMEOUT, f.timeout, "Operation timed out");
  }
  r.bytes_received = bytes;
  r.outcome = v6scope::v1::OK;
  a->took = 2 * p.rtt + body;
  r.timings.set_total_us(Us(a->took));
}

Attempt Try(const net::IpAddress& address, const PathBehaviour* p,
            const FetchParams& f) {
  Attempt a;
  a.result.used_address = address.ToString();
  a.result.used_family =
      address.is_v4() ? v6scope::v1::IPV4 : v6scope::v1::IPV6;
  if (p == nullptr || p->kind == PathBehaviour::Kind::kRejected) {
    Fail(&a, p == nullptr ? v6scope::v1::NETWORK_UNREACHABLE : p->outcome,
         absl::Milliseconds(1),
         absl::StrCat("Failed to connect to ", address.ToString()));
    return a;
  }
  if (p->kind == PathBehaviour::Kind::kBlackhole) {
    a.silent = true;
    Fail(&a, v6scope::v1::TIMEOUT, f.connect_timeout,
         absl::StrCat("Connection timed out after ",
                      absl::ToInt64Milliseconds(f.connect_timeout), " ms"));
    return a;
  }
  const bool stalls =
      p->kind == PathBehaviour::Kind::kStall ||
      (p->kind == PathBehaviour::Kind::kLargeStalls && f.limit > 0);
  if (stalls) {
    Stalled(*p, f, &a);
  } else {
    Working(*p, f, &a);
  }
  if (a.result.outcome == v6scope::v1::OK && f.whoami) {
    a.result.body = address.is_v4() ? "11.0.0.7" : "3ffe:1::7";
  }
  return a;
}

// Shifts an attempt's phases by the time spent on earlier addresses.
Attempt After(Attempt a, absl::Duration before) {
  v6scope::v1::Timings& t = a.result.timings;
  auto shift = [&](uint32_t us) { return us == 0 ? 0 : us + Us(before); };
  t.set_connect_us(shift(t.connect_us()));
  t.set_first_byte_us(shift(t.first_byte_us()));
  t.set_total_us(t.total_us() + Us(before));
  a.took += before;
  return a;
}

}  // namespace

PathBehaviour PathBehaviour::Working(absl::Duration rtt) {
  PathBehaviour b;
  b.rtt = rtt;
  return b;
}

PathBehaviour PathBehaviour::Slow(uint64_t bytes_per_second) {
  PathBehaviour b;
  b.bytes_per_second = bytes_per_second;
  return b;
}

PathBehaviour PathBehaviour::Blackhole() {
  PathBehaviour b;
  b.kind = Kind::kBlackhole;
  return b;
}

PathBehaviour PathBehaviour::Stall(uint64_t stall_after) {
  PathBehaviour b;
  b.kind = Kind::kStall;
  b.stall_after = stall_after;
  return b;
}

PathBehaviour PathBehaviour::LargeStalls(uint64_t stall_after) {
  PathBehaviour b = Stall(stall_after);
  b.kind = Kind::kLargeStalls;
  return b;
}

PathBehaviour PathBehaviour::Rejected(Outcome outcome) {
  PathBehaviour b;
  b.kind = Kind::kRejected;
  b.outcome = outcome;
  return b;
}

class FakeNetwork::Resolver : public dns::DnsResolver {
 public:
  explicit Resolver(FakeNetwork* net) : net_(net) {}

  void Resolve(const std::string& name, dns::DnsType type,
               DoneCallback done) override {
    DnsBehaviour b;
    b.outcome = v6scope::v1::DNS_NXDOMAIN;
    if (auto it = net_->dns_.find({name, type}); it != net_->dns_.end()) {
      b = it->second;
    }
    if (b.outcome == v6scope::v1::TIMEOUT) b.delay = net_->dns_timeout_;
    dns::DnsAnswer answer;
    answer.outcome = b.outcome;
    answer.elapsed = b.delay;
    if (b.outcome == v6scope::v1::OK) answer.addresses = b.addresses;
    if (b.outcome != v6scope::v1::TIMEOUT) {
      answer.server = "11.0.0.53";
      answer.rcode = b.outcome == v6scope::v1::DNS_NXDOMAIN ? 3 : 0;
    }
    if (b.outcome != v6scope::v1::OK) {
      answer.error_detail = v6scope::v1::Outcome_Name(b.outcome);
    }
    const uint64_t id = next_id_++;
    pending_[id] = std::move(done);
    net_->At(b.delay, [this, id, answer] { Deliver(id, answer); });
  }

  // Every lookup in flight ends TIMEOUT "cancelled", later.
  void CancelAll() override {
    for (auto& [id, done] : pending_) {
      dns::DnsAnswer answer;
      answer.outcome = v6scope::v1::TIMEOUT;
      answer.error_detail = "cancelled";
      net_->At(absl::ZeroDuration(),
               [this, id = id, answer] { Deliver(id, answer); });
    }
  }

 private:
  void Deliver(uint64_t id, const dns::DnsAnswer& answer) {
    auto it = pending_.find(id);
    if (it == pending_.end()) return;
    DoneCallback done = std::move(it->second);
    pending_.erase(it);
    done(answer);
  }

  FakeNetwork* const net_;
  std::map<uint64_t, DoneCallback> pending_;
  uint64_t next_id_ = 0;
};

class FakeNetwork::Fetcher : public http::Fetcher {
 public:
  explicit Fetcher(FakeNetwork* net) : net_(net) {}

  void Fetch(http::HttpRequest request,
             std::function<void(http::HttpResult)> done) override {
    Attempt a = Model(request);
    net_->At(a.took,
             [done = std::move(done), r = std::move(a.result)] { done(r); });
  }

 private:
  Attempt Model(const http::HttpRequest& req) const;

  FakeNetwork* const net_;
};

// Tries the addresses in order: a fast failure moves on at once; a silent
// address lets an unpinned fetch start the other family after 200 ms.
Attempt FakeNetwork::Fetcher::Model(const http::HttpRequest& req) const {
  FetchParams f;
  f.timeout = req.timeout;
  f.connect_timeout = std::min(req.connect_timeout, req.timeout);
  f.stall = req.stall_timeout;
  f.limit = req.body_limit;
  f.size = f.limit > 0 ? net_->large_size_ : net_->small_size_;
  f.whoami = req.keep_body_bytes > 0;
  std::vector<net::IpAddress> addresses;
  std::optional<net::IpAddress> literal = LiteralHost(req.url);
  for (const net::IpAddress& a : literal.has_value()
                                     ? std::vector<net::IpAddress>{*literal}
                                     : req.resolve_to) {
    if (OfFamily(a.Unmapped(), req.family)) addresses.push_back(a.Unmapped());
  }
  Attempt last;
  Fail(&last, v6scope::v1::NO_ADDRESS, absl::ZeroDuration(),
       "no address of the pinned family");
  absl::Duration spent;
  for (size_t i = 0; i < addresses.size(); ++i) {
    last = After(Try(addresses[i], net_->RouteFor(addresses[i]), f), spent);
    if (!last.silent) {
      if (last.result.timings.connect_us() > 0) break;  // Connected.
      spent = last.took;
      continue;
    }
    auto other = std::find_if(addresses.begin() + i + 1, addresses.end(),
                              [&](const net::IpAddress& a) {
                                return a.is_v4() != addresses[i].is_v4();
                              });
    if (req.family != v6scope::v1::ADDRESS_FAMILY_UNSPECIFIED ||
        other == addresses.end()) {
      break;
    }
    Attempt raced = After(Try(*other, net_->RouteFor(*other), f),
                          spent + kHappyEyeballsDelay);
    if (raced.result.timings.connect_us() > 0) last = raced;
    break;
  }
  return last;
}

FakeNetwork::FakeNetwork(loop::EventLoop* loop, absl::Duration dns_timeout)
    : loop_(loop),
      dns_timeout_(dns_timeout),
      clock_(absl::FromUnixSeconds(1'800'000'000)),
      resolver_(std::make_unique<Resolver>(this)),
      fetcher_(std::make_unique<Fetcher>(this)) {}

FakeNetwork::~FakeNetwork() { events_.clear(); }

dns::DnsResolver* FakeNetwork::resolver() { return resolver_.get(); }
http::Fetcher* FakeNetwork::fetcher() { return fetcher_.get(); }

void FakeNetwork::SetDns(const std::string& name, dns::DnsType type,
                         DnsBehaviour b) {
  dns_[{name, type}] = std::move(b);
}

void FakeNetwork::SetAddresses(const std::string& name,
                               const std::vector<std::string>& addresses) {
  DnsBehaviour a, aaaa;
  for (const std::string& s : addresses) {
    (Ip(s).is_v4() ? a : aaaa).addresses.push_back(Ip(s));
  }
  for (DnsBehaviour* b : {&a, &aaaa}) {
    if (b->addresses.empty()) b->outcome = v6scope::v1::DNS_NODATA;
  }
  SetDns(name, dns::DnsType::kA, a);
  SetDns(name, dns::DnsType::kAAAA, aaaa);
}

void FakeNetwork::SetNoData(const std::string& name, dns::DnsType type) {
  DnsBehaviour b;
  b.outcome = v6scope::v1::DNS_NODATA;
  SetDns(name, type, b);
}

void FakeNetwork::SetSilent(const std::string& name, dns::DnsType type) {
  DnsBehaviour b;
  b.outcome = v6scope::v1::TIMEOUT;
  SetDns(name, type, b);
}

void FakeNetwork::SetRoute(const std::string& prefix, PathBehaviour b) {
  std::pair<std::string, std::string> parts = absl::StrSplit(prefix, '/');
  Route route;
  route.prefix = Ip(parts.first);
  if (!absl::SimpleAtoi(parts.second, &route.length)) {
    route.length = route.prefix.bit_length();
  }
  route.behaviour = b;
  routes_.push_back(route);
}

void FakeNetwork::SetObjectSizes(uint64_t small, uint64_t large) {
  small_size_ = small;
  large_size_ = large;
}

const PathBehaviour* FakeNetwork::RouteFor(const net::IpAddress& a) const {
  for (auto r = routes_.rbegin(); r != routes_.rend(); ++r) {
    if (r->prefix.family() == a.family() &&
        r->prefix.Truncate(r->length) == a.Truncate(r->length)) {
      return &r->behaviour;
    }
  }
  return nullptr;
}

void FakeNetwork::At(absl::Duration after, std::function<void()> event) {
  events_.emplace(clock_.Now() + after, std::move(event));
  Pump();
}

// One event per zero-delay loop timer, earliest first.
void FakeNetwork::Pump() {
  if (pumping_ || events_.empty()) return;
  pumping_ = true;
  std::weak_ptr<bool> alive = alive_;
  loop_->RunAfter(absl::ZeroDuration(), [this, alive] {
    if (alive.expired()) return;
    pumping_ = false;
    if (events_.empty()) return;
    auto first = events_.begin();
    clock_.Set(std::max(clock_.Now(), first->first));
    std::function<void()> event = std::move(first->second);
    events_.erase(first);
    event();
    if (!alive.expired()) Pump();
  });
}

}  // namespace v6scope::probe::suite::testing
