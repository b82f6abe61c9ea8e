#include "collector/ingest/testing/domain_checks.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace v6scope::collector::ingest::testing {
namespace {

using v6scope::v1::AddressFamily;
using v6scope::v1::DomainCheck;
using v6scope::v1::NameAddresses;
using v6scope::v1::Outcome;

using Addresses = std::vector<std::string>;

NameAddresses Name(const std::string& name, const Addresses& a,
                   const Addresses& aaaa, const Addresses& chain = {}) {
  NameAddresses n;
  n.set_name(name);
  for (const std::string& c : chain) n.add_cname_chain(c);
  for (const std::string& x : a) n.add_a(x);
  for (const std::string& x : aaaa) n.add_aaaa(x);
  n.set_a_outcome(a.empty() ? v6scope::v1::DNS_NODATA : v6scope::v1::OK);
  n.set_aaaa_outcome(aaaa.empty() ? v6scope::v1::DNS_NODATA : v6scope::v1::OK);
  return n;
}

struct FetchSpec {
  std::string scheme;  // "https" | "http"
  AddressFamily family;
  Outcome outcome = v6scope::v1::OK;
  std::string final_host;  // Where the redirects end.
  std::string title;
  uint64_t simhash = 0;
};

void AddFetch(const std::string& www, const std::string& address,
              const FetchSpec& s, DomainCheck* c) {
  v6scope::v1::WebFetch* f = c->add_web();
  f->set_start_url(absl::StrCat(s.scheme, "://", www, "/"));
  f->set_family(s.family);
  f->set_time_ms(80 + static_cast<uint32_t>(s.simhash % 400));
  f->set_via_nat64(false);
  if (s.scheme == "http") {
    auto* hop = f->add_hops();
    hop->set_url(f->start_url());
    hop->set_status(301);
    hop->set_address(address);
  }
  if (s.outcome != v6scope::v1::OK) {
    f->set_outcome(s.outcome);
    f->set_error_detail(absl::StrCat("connect to ", address,
                                     " port 443 failed: Connection timed out"));
    return;
  }
  const std::string final_url =
      absl::StrCat("https://", s.final_host, "/en/home/index.html");
  auto* hop = f->add_hops();
  hop->set_url(final_url);
  hop->set_status(200);
  hop->set_address(address);
  f->set_outcome(v6scope::v1::OK);
  f->set_final_url(final_url);
  f->set_status(200);
  f->set_tls_verified(true);
  f->set_body_bytes(20000 + s.simhash % 90000);
  f->set_title(s.title);
  f->set_body_simhash(s.simhash);
}

void AddNameServers(const std::string& domain, uint64_t v, bool v6,
                    DomainCheck* c) {
  c->set_ns_outcome(v6scope::v1::OK);
  const int count = 2 + static_cast<int>(v % 2);
  for (int i = 0; i < count; ++i) {
    const std::string v4 = absl::StrFormat("198.51.100.%d", 10 + i);
    const std::string v6addr = absl::StrFormat("2001:db8:53::%x", 10 + i);
    auto* ns = c->add_name_servers();
    *ns->mutable_host() =
        Name(absl::StrCat("ns", i + 1, ".dns-host-", v % 5, ".net"), {v4},
             v6 ? Addresses{v6addr} : Addresses{});
    for (const std::string& addr : v6 ? Addresses{v4, v6addr} : Addresses{v4}) {
      auto* p = ns->add_soa();
      p->set_address(addr);
      p->set_family(addr.find(':') == std::string::npos ? v6scope::v1::IPV4
                                                        : v6scope::v1::IPV6);
      p->set_outcome(v6scope::v1::OK);
      p->set_time_ms(12 + i);
      p->set_detail(absl::StrCat("SOA ", domain, " serial 2024110801"));
    }
  }
}

}  // namespace

std::string AssignmentId(uint64_t n) { return absl::StrFormat("a-%016x", n); }

DomainCheck VariedDomainCheck(const std::string& domain, uint64_t variant) {
  const uint64_t v = variant % kDomainVariants;
  const std::string www = absl::StrCat("www.", domain);
  const bool has_v6 = v != 1;  // 1: no AAAA anywhere.
  const std::string v4 = absl::StrFormat("192.0.2.%d", 1 + variant % 250);
  const std::string v6 = absl::StrFormat("2001:db8:%x::80", variant % 65000);
  DomainCheck c;
  c.set_domain(domain);
  c.mutable_started_at()->set_seconds(1'731'000'000 + variant);
  c.set_duration_ms(900 + variant % 3000);
  *c.mutable_apex() = Name(domain, {v4}, has_v6 ? Addresses{v6} : Addresses{});
  *c.mutable_www() =
      Name(www, {v4}, has_v6 ? Addresses{v6} : Addresses{},
           {absl::StrCat(domain, ".cdn-edge-", v % 3, ".example.net")});
  AddNameServers(domain, variant, v != 5, &c);  // 5: IPv4-only DNS.
  if (v != 6) {                                 // 6: no MX.
    c.set_mx_outcome(v6scope::v1::OK);
    auto* mx = c.add_mail();
    mx->set_preference(10);
    *mx->mutable_host() = Name(absl::StrCat("mail.", domain), {v4},
                               v % 2 ? Addresses{} : Addresses{v6});
  } else {
    c.set_mx_outcome(v6scope::v1::DNS_NODATA);
  }
  const std::string title = absl::StrCat("Welcome to ", domain, " | Ministry");
  const uint64_t hash = 0x9e3779b97f4a7c15ULL * (variant + 1);
  for (const char* scheme : {"https", "http"}) {
    AddFetch(www, v4,
             {scheme, v6scope::v1::IPV4, v6scope::v1::OK, www, title, hash},
             &c);
    if (!has_v6) continue;
    FetchSpec six{scheme, v6scope::v1::IPV6, v6scope::v1::OK, www, title, hash};
    if (v == 2) six.outcome = v6scope::v1::TIMEOUT;    // Dead AAAA.
    if (v == 3) six.outcome = v6scope::v1::TLS_ERROR;  // TLS fails on v6.
    if (v == 4) {                                      // Another site.
      six.title = "Default web server page";
      six.simhash = ~hash;
    }
    AddFetch(www, v6, six, &c);
  }
  return c;
}

}  // namespace v6scope::collector::ingest::testing
