#include "probe/readiness/domain_checker.h"

#include <algorithm>
#include <array>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace v6scope::probe::readiness {
namespace {

namespace v1 = ::v6scope::v1;

// Why a question or fetch of a family was not made from this vantage.
std::string NoRoute(bool v4) {
  return v4 ? "not tried: this vantage has no IPv4 route and no NAT64"
            : "not tried: this vantage has no IPv6 route";
}

constexpr int kMaxAddresses = 16;  // Per family, per name (proto limit).

bool HasAddress(const v1::NameAddresses& n) {
  return n.a_size() > 0 || n.aaaa_size() > 0;
}

}  // namespace

// One check in flight. Owned by the callbacks it waits for (shared_ptr):
// it lives until the last one has run, and ignores those after Finish.
class DomainChecker::Run : public std::enable_shared_from_this<Run> {
 public:
  Run(loop::EventLoop* loop, DnsLookup* dns, const time::Clock* clock,
      std::shared_ptr<const CheckerOptions> options, WebContext web,
      std::shared_ptr<size_t> in_flight, Done done)
      : loop_(loop),
        dns_(dns),
        clock_(clock),
        options_(std::move(options)),
        web_(web),
        in_flight_(std::move(in_flight)),
        done_(std::move(done)) {
    web_.limits = &options_->web;
  }

  void Start(const std::string& domain);
  void set_nat64(std::shared_ptr<const Nat64Vantage> v) { nat64_ = v; }

 private:
  // Asks `request`; `then` runs with the result unless the check is over.
  void Ask(LookupRequest request, std::function<void(LookupResult)> then);
  LookupRequest HostQuestion(const std::string& name, uint16_t qtype) const;
  // A and AAAA of `name` into `out`; `then` once both are in.
  void ResolveName(const std::string& name, v1::NameAddresses* out,
                   std::function<void()> then);
  void OnNameServers(const LookupResult& r);
  void AskSoa(v1::NameServerCheck* ns);
  void OnMailHosts(const LookupResult& r);
  void StartWeb();
  // One of a family's two fetches (https or http) into its web slot. The
  // family's https and http start together: the ConnectionGate, not an
  // order here, keeps them to one connection per address at a time.
  void StartFetch(v1::AddressFamily family, bool https,
                  const std::vector<net::IpAddress>& addresses);
  // The budget's timer: ends the check, or re-arms while a web fetch's
  // deadline was moved by its gate waits.
  void OnDeadline();
  // The family's https and http fetches recorded SKIPPED: no route.
  void RecordNotFetched(v1::AddressFamily family);
  void Done1();  // One pending piece finished.
  void Finish(bool timed_out);

  loop::EventLoop* const loop_;
  DnsLookup* const dns_;
  const time::Clock* const clock_;
  const std::shared_ptr<const CheckerOptions> options_;
  WebContext web_;
  std::shared_ptr<size_t> in_flight_;
  Done done_;

  v1::DomainCheck check_;
  absl::Time started_;
  absl::Duration deadline_;  // Loop (monotonic) time.
  loop::EventLoop::TimerId deadline_timer_ = 0;
  int pending_ = 0;
  int names_left_ = 2;  // Apex and www, before the web part can start.
  bool finished_ = false;
  std::string site_host_;
  // Web slots in DomainCheck order: https v4, https v6, http v4, http v6.
  std::array<std::optional<v1::WebFetch>, 4> web_results_;
  std::array<std::shared_ptr<HomePageFetch>, 4> web_fetches_;
  std::shared_ptr<const Nat64Vantage> nat64_ =
      std::make_shared<const Nat64Vantage>();
  std::unique_ptr<Nat64Web> nat64_web_;  // With a NAT64 prefix only.
};

void DomainChecker::Run::Start(const std::string& domain) {
  started_ = clock_->Now();
  deadline_ = loop::EventLoop::MonotonicNow() + options_->budget;
  check_.set_domain(NormalizeDnsName(domain));
  if (nat64_->prefix) check_.set_nat64_prefix(nat64_->prefix->ToString());
  const int64_t seconds = absl::ToUnixSeconds(started_);
  check_.mutable_started_at()->set_seconds(seconds);
  check_.mutable_started_at()->set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(started_ - absl::FromUnixSeconds(seconds))));
  auto self = shared_from_this();
  deadline_timer_ =
      loop_->RunAfter(options_->budget, [self] { self->OnDeadline(); });
  ++pending_;  // Held until every question below is asked.
  auto names_done = [self] {
    if (--self->names_left_ == 0) self->StartWeb();
  };
  ResolveName(check_.domain(), check_.mutable_apex(), names_done);
  ResolveName("www." + check_.domain(), check_.mutable_www(), names_done);
  Ask(HostQuestion(check_.domain(), kTypeNs),
      [self](LookupResult r) { self->OnNameServers(r); });
  Ask(HostQuestion(check_.domain(), kTypeMx),
      [self](LookupResult r) { self->OnMailHosts(r); });
  Done1();
}

LookupRequest DomainChecker::Run::HostQuestion(const std::string& name,
                                               uint16_t qtype) const {
  LookupRequest request;
  request.name = name;
  request.qtype = qtype;
  request.timeout = options_->dns_timeout;
  request.tries = options_->dns_tries;
  return request;
}

void DomainChecker::Run::Ask(LookupRequest request,
                             std::function<void(LookupResult)> then) {
  ++pending_;
  auto self = shared_from_this();
  dns_->Lookup(std::move(request),
               [self, then = std::move(then)](LookupResult r) {
                 if (self->finished_) return;
                 then(std::move(r));
                 self->Done1();
               });
}

void DomainChecker::Run::ResolveName(const std::string& name,
                                     v1::NameAddresses* out,
                                     std::function<void()> then) {
  out->set_name(name);
  auto left = std::make_shared<int>(2);
  for (uint16_t qtype : {kTypeA, kTypeAaaa}) {
    Ask(HostQuestion(name, qtype),
        [out, qtype, left, then, nat64 = nat64_](LookupResult r) {
          const bool v4 = qtype == kTypeA;
          if (v4) {
            out->set_a_outcome(r.outcome);
          } else {
            out->set_aaaa_outcome(r.outcome);
          }
          if (out->cname_chain_size() == 0) {
            for (const std::string& target : r.response.cname_chain) {
              out->add_cname_chain(target);
            }
          }
          int kept = 0;
          for (const net::IpAddress& a : r.response.addresses) {
            if (kept++ == kMaxAddresses) break;
            (v4 ? out->add_a() : out->add_aaaa())->assign(a.ToString());
          }
          if (*left == 1 && nat64->prefix) {  // DNS64: not the name's IPv6.
            MoveSynthesizedAaaa(*nat64->prefix, out);
          }
          if (--*left == 0 && then) then();
        });
  }
}

void DomainChecker::Run::OnNameServers(const LookupResult& r) {
  check_.set_ns_outcome(r.outcome);
  std::set<std::string> seen;
  for (const std::string& host : r.response.name_servers) {
    if (seen.size() == options_->max_name_servers) break;
    if (!seen.insert(host).second) continue;
    v1::NameServerCheck* ns = check_.add_name_servers();
    auto self = shared_from_this();
    ResolveName(host, ns->mutable_host(), [self, ns] { self->AskSoa(ns); });
  }
}

void DomainChecker::Run::AskSoa(v1::NameServerCheck* ns) {
  const v1::NameAddresses& host = ns->host();
  std::vector<std::string> targets;
  for (int i = 0; i < host.a_size() &&
                  i < static_cast<int>(options_->soa_addresses_per_family);
       ++i) {
    targets.push_back(host.a(i));
  }
  for (int i = 0; i < host.aaaa_size() &&
                  i < static_cast<int>(options_->soa_addresses_per_family);
       ++i) {
    targets.push_back(host.aaaa(i));
  }
  for (const std::string& literal : targets) {
    absl::StatusOr<net::IpAddress> address = net::IpAddress::Parse(literal);
    if (!address.ok()) continue;
    const bool v4 = address->is_v4();
    if (!nat64_->Reaches(v4)) {
      v1::AddressProbe* probe = ns->add_soa();
      probe->set_address(address->ToString());
      probe->set_family(v4 ? v1::IPV4 : v1::IPV6);
      probe->set_outcome(v1::SKIPPED);
      probe->set_detail(NoRoute(v4));
      continue;
    }
    // No IPv4 of its own: ask the IPv4 address through NAT64 (still IPv4).
    if (v4 && nat64_->ipv4_via_nat64()) {
      address = MapIntoNat64(*nat64_->prefix, *address);
    }
    LookupRequest request;
    request.name = check_.domain();
    request.qtype = kTypeSoa;
    request.server = DnsServer{*address, options_->authoritative_port};
    request.timeout = options_->soa_timeout;
    request.tries = 1;
    v1::AddressProbe* probe = ns->add_soa();
    probe->set_address(address->ToString());
    probe->set_family(v4 ? v1::IPV4 : v1::IPV6);
    probe->set_outcome(v1::TIMEOUT);  // Until it answers.
    Ask(std::move(request), [probe](LookupResult r) {
      v1::Outcome outcome = r.outcome;
      std::string detail = r.detail;
      if (outcome == v1::OK && !r.response.authoritative) {
        outcome = v1::DNS_ERROR;
        detail = "answer not authoritative (AA bit clear)";
      }
      probe->set_outcome(outcome);
      probe->set_detail(detail);
      probe->set_time_ms(
          static_cast<uint32_t>(absl::ToInt64Milliseconds(r.elapsed)));
    });
  }
}

void DomainChecker::Run::OnMailHosts(const LookupResult& r) {
  check_.set_mx_outcome(r.outcome);
  for (const MailHost& mx : r.response.mail_hosts) {
    if (static_cast<size_t>(check_.mail_size()) == options_->max_mail_hosts) {
      break;
    }
    v1::MailExchangerCheck* m = check_.add_mail();
    m->set_preference(mx.preference);
    // "." (null MX, RFC 7505) says the domain takes no mail: nothing to ask.
    if (mx.host.empty()) continue;
    ResolveName(mx.host, m->mutable_host(), nullptr);
  }
}

void DomainChecker::Run::StartWeb() {
  if (!options_->fetch_web) return;
  const v1::NameAddresses& site =
      HasAddress(check_.www()) ? check_.www() : check_.apex();
  if (!HasAddress(site)) return;
  site_host_ = site.name();
  std::vector<net::IpAddress> v4, v6;
  for (const std::string& a : site.a()) v4.push_back(*net::IpAddress::Parse(a));
  for (const std::string& a : site.aaaa()) {
    v6.push_back(*net::IpAddress::Parse(a));
  }
  for (const v1::AddressFamily family : {v1::IPV4, v1::IPV6}) {
    const bool is_v4 = family == v1::IPV4;
    if ((is_v4 ? v4 : v6).empty()) continue;
    if (!nat64_->Reaches(is_v4)) {
      RecordNotFetched(family);
      continue;
    }
    // Both at once, https first into the gate: with one connection per
    // address (the probe) the http fetch waits there, as politeness, and
    // that wait moves its own deadline (HomePageFetch::Deadline); with
    // more (bench/sweep) they run side by side. Run as a chain, a dead
    // address cost two connect timeouts one after the other.
    for (const bool https : {true, false}) {
      StartFetch(family, https, is_v4 ? v4 : v6);
    }
  }
}

void DomainChecker::Run::RecordNotFetched(v1::AddressFamily family) {
  for (const bool https : {true, false}) {
    const size_t slot = (https ? 0 : 2) + (family == v1::IPV6 ? 1 : 0);
    v1::WebFetch& fetch = web_results_[slot].emplace();
    fetch.set_start_url(HomePageUrl(site_host_, https, options_->web));
    fetch.set_family(family);
    fetch.set_outcome(v1::SKIPPED);
    fetch.set_error_detail(NoRoute(family == v1::IPV4));
  }
}

void DomainChecker::Run::OnDeadline() {
  absl::Duration latest = deadline_;
  for (const auto& fetch : web_fetches_) {
    if (fetch != nullptr) latest = std::max(latest, fetch->Deadline());
  }
  const absl::Duration left = latest - loop::EventLoop::MonotonicNow();
  if (left <= absl::ZeroDuration()) return Finish(true);
  auto self = shared_from_this();
  deadline_timer_ = loop_->RunAfter(left, [self] { self->OnDeadline(); });
}

void DomainChecker::Run::StartFetch(
    v1::AddressFamily family, bool https,
    const std::vector<net::IpAddress>& addresses) {
  const size_t slot = (https ? 0 : 2) + (family == v1::IPV6 ? 1 : 0);
  ++pending_;
  auto self = shared_from_this();
  auto done = [self, slot](v1::WebFetch fetch) {
    self->web_fetches_[slot].reset();
    if (self->finished_) return;
    self->web_results_[slot] = std::move(fetch);
    self->Done1();
  };
  const std::string url = HomePageUrl(site_host_, https, options_->web);
  // DNS64 on the path: redirects are followed as nat64_path.h says.
  const bool via_nat64 = family == v1::IPV4 && nat64_->ipv4_via_nat64();
  if (nat64_->prefix && (via_nat64 || family == v1::IPV6)) {
    if (nat64_web_ == nullptr) {
      nat64_web_ = std::make_unique<Nat64Web>(web_, *nat64_->prefix);
    }
    web_fetches_[slot] =
        via_nat64 ? nat64_web_->StartV4ViaNat64(url, addresses, deadline_, done)
                  : nat64_web_->StartV6(url, addresses, deadline_, done);
    return;
  }
  web_fetches_[slot] = HomePageFetch::Start(web_, url, family, addresses,
                                            deadline_, std::move(done));
}

void DomainChecker::Run::Done1() {
  if (--pending_ == 0) Finish(false);
}

void DomainChecker::Run::Finish(bool timed_out) {
  if (finished_) return;
  finished_ = true;
  if (!timed_out) loop_->CancelTimer(deadline_timer_);
  const std::string why = absl::StrCat(
      "the domain's ", absl::FormatDuration(options_->budget), " ran out");
  for (size_t slot = 0; slot < web_fetches_.size(); ++slot) {
    if (web_fetches_[slot] != nullptr) {
      web_results_[slot] = web_fetches_[slot]->Abandon(why);
      web_fetches_[slot].reset();
      if (slot % 2 == 0 && nat64_->ipv4_via_nat64()) {
        RecordAsNat64(&*web_results_[slot]);
      }
    }
  }
  for (auto& fetch : web_results_) {
    if (fetch.has_value()) *check_.add_web() = *std::move(fetch);
  }
  check_.set_duration_ms(static_cast<uint32_t>(
      absl::ToInt64Milliseconds(clock_->Now() - started_)));
  --*in_flight_;
  Done done = std::move(done_);
  done(std::move(check_));
}

DomainChecker::DomainChecker(loop::EventLoop* loop, DnsLookup* dns,
                             http::Fetcher* fetcher, ConnectionGate* gate,
                             const time::Clock* clock, CheckerOptions options)
    : loop_(loop),
      dns_(dns),
      gate_(gate),
      clock_(clock),
      fetcher_(fetcher),
      options_(std::make_shared<const CheckerOptions>(std::move(options))),
      nat64_(std::make_unique<Nat64Discovery>(
          loop, dns, options_->nat64_prefix, options_->has_own_ipv4,
          options_->has_own_ipv6, options_->dns_timeout, options_->dns_tries)) {
}

DomainChecker::~DomainChecker() { alive_.reset(); }

void DomainChecker::Check(const std::string& domain, Done done) {
  ++*in_flight_;
  std::weak_ptr<bool> alive = alive_;
  WebContext web{loop_, fetcher_, dns_, gate_, nullptr};
  auto run = std::make_shared<Run>(
      loop_, dns_, clock_, options_, web, in_flight_,
      [alive, done = std::move(done)](v6scope::v1::DomainCheck check) {
        if (!alive.expired()) done(std::move(check));
      });
  // Started from the loop (so that `done` is never inline) once the
  // vantage's NAT64 situation is known.
  nat64_->WhenKnown([run, domain](std::shared_ptr<const Nat64Vantage> vantage) {
    run->set_nat64(std::move(vantage));
    run->Start(domain);
  });
}

}  // namespace v6scope::probe::readiness
