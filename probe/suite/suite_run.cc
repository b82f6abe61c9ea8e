#include "probe/suite/suite_run.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/text/text_rules.h"
#include "methodology/kinds/kind_spec.h"
#include "methodology/kinds/registry.h"
#include "probe/dns/nat64.h"
#include "probe/suite/address_order.h"
#include "probe/suite/whoami.h"

namespace v6scope::probe::suite {
namespace {

using methodology::kinds::Role;
using methodology::kinds::Runner;
using v6scope::v1::AddressFamily;
using v6scope::v1::Outcome;
using v6scope::v1::TestKind;
using v6scope::v1::TestResult;

constexpr size_t kMaxResolved = 16;  // Limit of TestResult.resolved_addresses.
constexpr size_t kMaxDetail = 255;

uint32_t Micros(absl::Duration d) {
  return static_cast<uint32_t>(
      std::clamp<int64_t>(absl::ToInt64Microseconds(d), 0, 600'000'000));
}

// Free text from the resolver, libcurl or the OS, made to pass the
// collector's error_detail rule (common/text) so a run is never refused.
std::string Truncated(const std::string& s) {
  return text::CleanUtf8Line(s, kMaxDetail);
}

bool HasFamily(const std::vector<net::IpAddress>& addrs, AddressFamily f) {
  return std::any_of(addrs.begin(), addrs.end(), [f](const net::IpAddress& a) {
    return f == v6scope::v1::ADDRESS_FAMILY_UNSPECIFIED ||
           (f == v6scope::v1::IPV4 ? a.is_v4() : a.is_v6());
  });
}

}  // namespace

SuiteRun::SuiteRun(dns::DnsResolver* resolver, http::Fetcher* fetcher,
                   const v6scope::v1::ProbeSettings& settings)
    : resolver_(resolver), fetcher_(fetcher), settings_(settings) {}

void SuiteRun::Start(const std::vector<PlannedTest>& plan) {
  for (const PlannedTest& test : plan) {
    // No default: a new Runner family does not compile without a runner.
    switch (test.spec->runner) {
      case Runner::kDnsLookup:
      case Runner::kNat64Discovery:
        DnsTest(test);
        break;
      case Runner::kHttpFetch:
        HttpTest(test);
        break;
    }
  }
}

TestResult* SuiteRun::AddTest(TestKind kind, AddressFamily family,
                              const std::string& target) {
  TestResult* test = run_.add_tests();
  test->set_kind(kind);
  test->set_family(family);
  test->set_target(target.substr(0, 255));
  return test;
}

bool SuiteRun::OptedOut(TestKind kind) const {
  const std::string name = methodology::kinds::KindName(kind);
  return std::find(settings_.opt_out().begin(), settings_.opt_out().end(),
                   name) != settings_.opt_out().end();
}

const v6scope::v1::StaticHost* SuiteRun::StaticHost(
    const std::string& host) const {
  for (const auto& h : settings_.targets().static_hosts()) {
    if (absl::EqualsIgnoreCase(h.name(), host)) return &h;
  }
  return nullptr;
}

void SuiteRun::LookupOnce(const std::string& name, dns::DnsType type,
                          std::function<void(const dns::DnsAnswer&)> done) {
  std::shared_ptr<Lookup>& lookup = lookups_[{name, type}];
  if (lookup != nullptr) {
    if (lookup->done) {
      done(lookup->answer);
    } else {
      lookup->waiters.push_back(std::move(done));
    }
    return;
  }
  lookup = std::make_shared<Lookup>();
  lookup->waiters.push_back(std::move(done));
  ++outstanding_;
  resolver_->Resolve(
      name, type, [self = shared_from_this(), lookup](dns::DnsAnswer answer) {
        lookup->done = true;
        lookup->answer = std::move(answer);
        for (auto& w : lookup->waiters) w(lookup->answer);
        lookup->waiters.clear();
        --self->outstanding_;
      });
}

void SuiteRun::ResolveHost(const std::string& host, bool want_a, bool want_aaaa,
                           HostCallback done) {
  HostAddresses result;
  if (absl::StatusOr<net::IpAddress> literal = net::IpAddress::Parse(host);
      literal.ok()) {
    result.addresses.push_back(*literal);
    done(result);
    return;
  }
  if (const v6scope::v1::StaticHost* s = StaticHost(host); s != nullptr) {
    for (const std::string& a : s->addresses()) {
      if (auto addr = net::IpAddress::Parse(a); addr.ok()) {
        result.addresses.push_back(*addr);
      }
    }
    result.detail = "static host table";
    result.addresses =
        SortDestinations(std::move(result.addresses), &KernelSourceFor);
    done(result);
    return;
  }
  // Both lookups (when wanted) complete before `done`; the addresses are
  // then ordered as this host's getaddrinfo would (RFC 6724), since curl's
  // Happy Eyeballs starts with the first address's family.
  auto acc = std::make_shared<HostAddresses>();
  auto pending = std::make_shared<int>((want_a ? 1 : 0) + (want_aaaa ? 1 : 0));
  auto on_answer = [acc, pending, done](const dns::DnsAnswer& a, bool is_v6) {
    acc->dns_elapsed = std::max(acc->dns_elapsed, a.elapsed);
    if (a.outcome == v6scope::v1::OK && !a.addresses.empty()) {
      acc->addresses.insert(
          is_v6 ? acc->addresses.begin() : acc->addresses.end(),
          a.addresses.begin(), a.addresses.end());
    } else {
      (is_v6 ? acc->v6_failure : acc->v4_failure) =
          a.outcome == v6scope::v1::OK ? v6scope::v1::DNS_NODATA : a.outcome;
      if (acc->detail.empty()) acc->detail = a.error_detail;
    }
    if (--*pending == 0) {
      acc->addresses =
          SortDestinations(std::move(acc->addresses), &KernelSourceFor);
      done(*acc);
    }
  };
  if (want_a) {
    LookupOnce(host, dns::DnsType::kA,
               [on_answer](const dns::DnsAnswer& a) { on_answer(a, false); });
  }
  if (want_aaaa) {
    LookupOnce(host, dns::DnsType::kAAAA,
               [on_answer](const dns::DnsAnswer& a) { on_answer(a, true); });
  }
}

void SuiteRun::DnsTest(const PlannedTest& plan) {
  const TestKind kind = plan.spec->kind;
  const std::string& name = plan.host;
  const dns::DnsType type = plan.spec->family == v6scope::v1::IPV4
                                ? dns::DnsType::kA
                                : dns::DnsType::kAAAA;
  const bool nat64 = plan.spec->runner == Runner::kNat64Discovery;
  TestResult* test =
      AddTest(kind, plan.spec->family, TestTarget(plan, settings_.targets()));
  if (OptedOut(kind)) {
    test->set_outcome(v6scope::v1::SKIPPED);
    test->set_error_detail("opted out by the probe host");
    return;
  }
  if (net::IpAddress::Parse(name).ok() || StaticHost(name) != nullptr) {
    test->set_outcome(v6scope::v1::SKIPPED);
    test->set_error_detail(
        "target is a literal or in the static host table; "
        "the resolver was not tested");
    return;
  }
  LookupOnce(name, type, [this, test, nat64](const dns::DnsAnswer& a) {
    test->set_outcome(a.outcome);
    test->set_error_detail(Truncated(a.error_detail));
    if (a.rcode >= 0) test->set_dns_rcode(static_cast<uint32_t>(a.rcode));
    test->set_dns_server(a.server);
    test->mutable_timings()->set_dns_us(Micros(a.elapsed));
    test->mutable_timings()->set_total_us(Micros(a.elapsed));
    for (size_t i = 0; i < a.addresses.size() && i < kMaxResolved; ++i) {
      test->add_resolved_addresses(a.addresses[i].ToString());
    }
    if (nat64 && a.outcome == v6scope::v1::OK) {
      if (auto prefix = dns::Nat64PrefixFromAaaa(a.addresses);
          prefix.has_value()) {
        run_.set_nat64_prefix(prefix->ToString());
      }
    }
  });
}

void SuiteRun::HttpTest(const PlannedTest& plan) {
  const AddressFamily pin = plan.spec->family;
  TestResult* test =
      AddTest(plan.spec->kind, pin, TestTarget(plan, settings_.targets()));
  if (OptedOut(plan.spec->kind)) {
    test->set_outcome(v6scope::v1::SKIPPED);
    test->set_error_detail("opted out by the probe host");
    return;
  }
  ++outstanding_;
  // A pinned fetch asks only its family's record; an unpinned one both.
  ResolveHost(plan.host, pin != v6scope::v1::IPV6, pin != v6scope::v1::IPV4,
              [self = shared_from_this(), plan, test](const HostAddresses& h) {
                self->FetchPinned(plan, test, h);
              });
}

void SuiteRun::FetchPinned(const PlannedTest& plan, TestResult* test,
                           const HostAddresses& host) {
  const AddressFamily pin = plan.spec->family;
  const bool literal = net::IpAddress::Parse(plan.host).ok();
  if (!HasFamily(host.addresses, pin)) {
    // The name gave no address the test can use: the DNS outcome is the
    // result (e.g. DNS_NODATA for a v6-only fetch without AAAA); for an
    // unpinned fetch, the AAAA one.
    Outcome o = pin == v6scope::v1::IPV4 ? host.v4_failure : host.v6_failure;
    test->set_outcome(o);
    test->set_error_detail(Truncated(host.detail.empty()
                                         ? "no address of the required family"
                                         : host.detail));
    test->mutable_timings()->set_dns_us(Micros(host.dns_elapsed));
    test->mutable_timings()->set_total_us(Micros(host.dns_elapsed));
    --outstanding_;
    return;
  }
  http::HttpRequest req;
  req.url = test->target();
  req.family = pin;
  if (!literal) req.resolve_to = host.addresses;
  req.timeout = plan.timeout;
  req.connect_timeout = std::min(
      plan.timeout, absl::Milliseconds(settings_.connect_timeout_ms()));
  req.stall_timeout = absl::Milliseconds(settings_.stall_timeout_ms());
  // Enough full-size packets to prove the path MTU, and no more.
  if (plan.spec->object == methodology::kinds::Object::kLarge) {
    req.body_limit = settings_.large_read_limit_bytes();
  }
  req.ca_file = settings_.targets().ca_file();
  req.keep_body_bytes = plan.spec->keep_body_bytes;
  const absl::Duration dns = host.dns_elapsed;
  fetcher_->Fetch(std::move(req), [self = shared_from_this(), plan, test,
                                   dns](http::HttpResult r) {
    self->OnFetched(plan, test, dns, r);
    --self->outstanding_;
  });
}

void SuiteRun::OnFetched(const PlannedTest& plan, TestResult* test,
                         absl::Duration dns, const http::HttpResult& r) {
  test->set_outcome(r.outcome);
  test->set_error_detail(Truncated(r.error_detail));
  test->set_http_status(r.http_status);
  test->set_bytes_received(r.bytes_received);
  test->set_used_address(r.used_address);
  test->set_used_family(r.used_family);
  // Phases count from the start of the test, which began with DNS.
  const uint32_t d = Micros(dns);
  v6scope::v1::Timings* t = test->mutable_timings();
  t->set_dns_us(d);
  auto shift = [d](uint32_t us) { return us == 0 ? 0 : us + d; };
  t->set_connect_us(shift(r.timings.connect_us()));
  t->set_tls_us(shift(r.timings.tls_us()));
  t->set_first_byte_us(shift(r.timings.first_byte_us()));
  t->set_total_us(r.timings.total_us() + d);
  if (r.outcome != v6scope::v1::OK) return;
  const bool v4 = plan.spec->roles.Has(Role::kPublicAddressV4);
  if (!v4 && !plan.spec->roles.Has(Role::kPublicAddressV6)) return;
  // A non-public answer (127.0.0.1 from a local proxy) leaves the test OK
  // but records no prefix, and says why.
  const WhoamiAnswer answer = ReadWhoamiAnswer(r.body, !v4);
  if (!answer.refusal.empty())
    test->set_error_detail(Truncated(answer.refusal));
  v6scope::v1::PublicAddresses* pub = run_.mutable_public_addresses();
  (v4 ? pub->mutable_v4_prefix() : pub->mutable_v6_prefix())
      ->assign(answer.prefix);
}

}  // namespace v6scope::probe::suite
