// Test-only builders of v1::DomainCheck values: a reference dual-stack
// domain on which every service works over both families (as the probe
// would record it), and setters that change one observation at a time, so
// that each readiness test states only what differs from a working domain.
// Documentation addresses (RFC 5737, RFC 3849) throughout.
#ifndef V6SCOPE_METHODOLOGY_READINESS_TESTING_DOMAIN_BUILDER_H_
#define V6SCOPE_METHODOLOGY_READINESS_TESTING_DOMAIN_BUILDER_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "proto/readiness.pb.h"
#include "proto/results.pb.h"

namespace v6scope::methodology::readiness::testing {

using Addresses = std::vector<std::string>;

inline constexpr char kDomain[] = "example.gov";
inline constexpr char kWww[] = "www.example.gov";
inline constexpr char kWwwV4[] = "192.0.2.80";
inline constexpr char kWwwV6[] = "2001:db8:80::80";
inline constexpr char kApexV4[] = "192.0.2.10";
inline constexpr char kApexV6[] = "2001:db8:10::10";
inline constexpr char kNs1[] = "ns1.example.gov";
inline constexpr char kNs1V4[] = "192.0.2.53";
inline constexpr char kNs1V6[] = "2001:db8:53::1";
inline constexpr char kNs2[] = "ns2.dns-host.net";
inline constexpr char kNs2V4[] = "198.51.100.53";
inline constexpr char kNs2V6[] = "2001:db8:53::2";
inline constexpr char kMx[] = "mail.example.gov";
inline constexpr char kMxV4[] = "192.0.2.25";
inline constexpr char kMxV6[] = "2001:db8:25::25";
inline constexpr char kHttpsUrl[] = "https://www.example.gov/";
inline constexpr char kHttpUrl[] = "http://www.example.gov/";
inline constexpr char kTitle[] = "Ministry of Examples";
inline constexpr uint64_t kSimHash = 0x0123456789abcdefULL;
inline constexpr uint64_t kBodyBytes = 48000;

// A's and AAAA's outcome: OK with records, DNS_NODATA without.
inline v1::NameAddresses Name(const std::string& name, const Addresses& a,
                              const Addresses& aaaa,
                              const Addresses& cname_chain = {}) {
  v1::NameAddresses n;
  n.set_name(name);
  for (const std::string& c : cname_chain) n.add_cname_chain(c);
  for (const std::string& x : a) n.add_a(x);
  for (const std::string& x : aaaa) n.add_aaaa(x);
  n.set_a_outcome(a.empty() ? v1::DNS_NODATA : v1::OK);
  n.set_aaaa_outcome(aaaa.empty() ? v1::DNS_NODATA : v1::OK);
  return n;
}

// One pinned fetch. Hop() records each response; Body() ends the chain
// with its last hop's response (OK below 400, HTTP_STATUS from 400);
// Fail() ends it with a failure after the hops so far.
class FetchBuilder {
 public:
  FetchBuilder(const std::string& start_url, v1::AddressFamily family) {
    fetch_.set_start_url(start_url);
    fetch_.set_family(family);
    fetch_.set_time_ms(120);
  }
  FetchBuilder& Hop(const std::string& url, uint32_t status,
                    const std::string& address) {
    v1::RedirectHop* hop = fetch_.add_hops();
    hop->set_url(url);
    hop->set_status(status);
    hop->set_address(address);
    fetch_.set_final_url(url);
    fetch_.set_status(status);
    if (url.rfind("https://", 0) == 0) fetch_.set_tls_verified(true);
    return *this;
  }
  FetchBuilder& Body(const std::string& title = kTitle,
                     uint64_t simhash = kSimHash, uint64_t bytes = kBodyBytes,
                     bool truncated = false) {
    fetch_.set_outcome(fetch_.status() < 400 ? v1::OK : v1::HTTP_STATUS);
    fetch_.set_title(title);
    fetch_.set_body_simhash(simhash);
    fetch_.set_body_bytes(bytes);
    fetch_.set_body_truncated(truncated);
    return *this;
  }
  FetchBuilder& Fail(v1::Outcome outcome, const std::string& detail = "") {
    fetch_.set_outcome(outcome);
    fetch_.set_error_detail(detail);
    if (outcome == v1::TLS_ERROR) fetch_.set_tls_verified(false);
    return *this;
  }
  FetchBuilder& TlsVerified(bool verified) {
    fetch_.set_tls_verified(verified);
    return *this;
  }
  v1::WebFetch Build() const { return fetch_; }

 private:
  v1::WebFetch fetch_;
};

// The reference site's fetch: https is 200 at once; http is 301 to https,
// then 200. Over `family`, from the www address of that family.
inline v1::WebFetch Served(const std::string& scheme,
                           v1::AddressFamily family) {
  const std::string address = family == v1::IPV4 ? kWwwV4 : kWwwV6;
  FetchBuilder b(scheme == "https" ? kHttpsUrl : kHttpUrl, family);
  if (scheme == "http") b.Hop(kHttpUrl, 301, address);
  return b.Hop(kHttpsUrl, 200, address).Body().Build();
}

// The SOA answer of one name server at one address.
struct Soa {
  std::string address;
  v1::Outcome outcome;
};

class DomainBuilder {
 public:
  // example.gov, dual-stack: www and apex with A and AAAA, two name
  // servers (one in-zone, one at a DNS host) answering the SOA at both
  // addresses, one MX host with A and AAAA, and www fetched over https and
  // http from both families, the same page each time.
  DomainBuilder() {
    check_.set_domain(kDomain);
    check_.set_duration_ms(900);
    Apex({kApexV4}, {kApexV6});
    Www({kWwwV4}, {kWwwV6});
    check_.set_ns_outcome(v1::OK);
    NameServer(kNs1, {kNs1V4}, {kNs1V6}, {{kNs1V4, v1::OK}, {kNs1V6, v1::OK}});
    NameServer(kNs2, {kNs2V4}, {kNs2V6}, {{kNs2V4, v1::OK}, {kNs2V6, v1::OK}});
    check_.set_mx_outcome(v1::OK);
    Mail(10, kMx, {kMxV4}, {kMxV6});
    for (const char* scheme : {"https", "http"}) {
      for (v1::AddressFamily f : {v1::IPV4, v1::IPV6}) {
        Fetch(Served(scheme, f));
      }
    }
  }

  DomainBuilder& Apex(const Addresses& a, const Addresses& aaaa) {
    *check_.mutable_apex() = Name(kDomain, a, aaaa);
    return *this;
  }
  DomainBuilder& Www(const Addresses& a, const Addresses& aaaa,
                     const Addresses& cname_chain = {}) {
    *check_.mutable_www() = Name(kWww, a, aaaa, cname_chain);
    return *this;
  }
  // Replaces the name server set and the NS query's outcome.
  DomainBuilder& NameServers(v1::Outcome ns_outcome) {
    check_.set_ns_outcome(ns_outcome);
    check_.clear_name_servers();
    return *this;
  }
  DomainBuilder& NameServer(const std::string& name, const Addresses& a,
                            const Addresses& aaaa,
                            const std::vector<Soa>& soa) {
    v1::NameServerCheck* ns = check_.add_name_servers();
    *ns->mutable_host() = Name(name, a, aaaa);
    for (const Soa& s : soa) {
      v1::AddressProbe* p = ns->add_soa();
      p->set_address(s.address);
      p->set_family(s.address.find(':') == std::string::npos ? v1::IPV4
                                                             : v1::IPV6);
      p->set_outcome(s.outcome);
      p->set_time_ms(s.outcome == v1::TIMEOUT ? 2000 : 15);
    }
    return *this;
  }
  // Replaces the MX set and the MX query's outcome.
  DomainBuilder& MailSet(v1::Outcome mx_outcome) {
    check_.set_mx_outcome(mx_outcome);
    check_.clear_mail();
    return *this;
  }
  DomainBuilder& Mail(uint32_t preference, const std::string& name,
                      const Addresses& a, const Addresses& aaaa) {
    v1::MailExchangerCheck* mx = check_.add_mail();
    mx->set_preference(preference);
    *mx->mutable_host() = Name(name, a, aaaa);
    return *this;
  }
  // Replaces the fetch with the same scheme and family, else appends it.
  DomainBuilder& Fetch(const v1::WebFetch& fetch) {
    for (v1::WebFetch& f : *check_.mutable_web()) {
      if (f.family() == fetch.family() &&
          f.start_url().substr(0, 5) == fetch.start_url().substr(0, 5)) {
        f = fetch;
        return *this;
      }
    }
    *check_.add_web() = fetch;
    return *this;
  }
  // Removes the fetches of `family` (the probe did not try them).
  DomainBuilder& NoFetches(v1::AddressFamily family) {
    v1::DomainCheck copy = check_;
    check_.clear_web();
    for (const v1::WebFetch& f : copy.web()) {
      if (f.family() != family) *check_.add_web() = f;
    }
    return *this;
  }
  DomainBuilder& Asns(uint32_t v4, uint32_t v6) {
    check_.set_web_v4_asn(v4);
    check_.set_web_v6_asn(v6);
    return *this;
  }
  v1::DomainCheck Build() const { return check_; }

 private:
  v1::DomainCheck check_;
};

}  // namespace v6scope::methodology::readiness::testing

#endif  // V6SCOPE_METHODOLOGY_READINESS_TESTING_DOMAIN_BUILDER_H_
