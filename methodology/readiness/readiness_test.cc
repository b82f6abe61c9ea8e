// Tests of readiness 1 (docs/methodology.md §13): one realistic DomainCheck
// per state of each service's table (and the edge cases its rows decide),
// each with the state and a fact its explanation must name; then the
// properties every verdict has (labels, version, bounded single-line
// ASCII sentences, determinism).
#include "methodology/readiness/readiness.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "methodology/readiness/testing/domain_builder.h"
#include "proto/readiness.pb.h"
#include "proto/results.pb.h"

namespace v6scope::methodology::readiness {
namespace {

using testing::DomainBuilder;
using testing::FetchBuilder;
using testing::kApexV4;
using testing::kApexV6;
using testing::kHttpsUrl;
using testing::kHttpUrl;
using testing::kMx;
using testing::kMxV4;
using testing::kMxV6;
using testing::kNs1;
using testing::kNs1V4;
using testing::kNs1V6;
using testing::kNs2;
using testing::kNs2V4;
using testing::kNs2V6;
using testing::kSimHash;
using testing::kWwwV4;
using testing::kWwwV6;
using testing::Served;

struct Case {
  std::string name;
  v1::DomainCheck check;
  v1::ServiceState state;
  std::string fact;  // Must appear in the service's explanation.
};

std::string TextOf(const v1::ReadinessVerdict& v, const std::string& label) {
  for (const v1::Explanation& x : v.explanations()) {
    if (x.label() == label) return x.text();
  }
  return "<no explanation for " + label + ">";
}

v1::WebFetch FailedFetch(const std::string& url, v1::AddressFamily family,
                         v1::Outcome outcome, const std::string& detail = "") {
  return FetchBuilder(url, family).Fail(outcome, detail).Build();
}

// The https fetch of www over `family` answering `status` with a page.
v1::WebFetch Page(v1::AddressFamily family, uint32_t status,
                  const std::string& title = testing::kTitle,
                  uint64_t simhash = kSimHash,
                  uint64_t bytes = testing::kBodyBytes) {
  return FetchBuilder(kHttpsUrl, family)
      .Hop(kHttpsUrl, status, family == v1::IPV4 ? kWwwV4 : kWwwV6)
      .Body(title, simhash, bytes)
      .Build();
}

// Both schemes over IPv6 end `outcome` before any response.
DomainBuilder V6Fails(v1::Outcome outcome, const std::string& detail = "") {
  DomainBuilder b;
  b.Fetch(FailedFetch(kHttpsUrl, v1::IPV6, outcome, detail));
  b.Fetch(FailedFetch(kHttpUrl, v1::IPV6, outcome, detail));
  return b;
}

// The site served at the apex: www has no address.
DomainBuilder ApexSite(const testing::Addresses& aaaa) {
  DomainBuilder b;
  b.Www({}, {}).Apex({kApexV4}, aaaa);
  b.NoFetches(v1::IPV4).NoFetches(v1::IPV6);
  b.Fetch(FetchBuilder("https://example.gov/", v1::IPV4)
              .Hop("https://example.gov/", 200, kApexV4)
              .Body()
              .Build());
  if (!aaaa.empty()) {
    b.Fetch(FetchBuilder("https://example.gov/", v1::IPV6)
                .Hop("https://example.gov/", 200, kApexV6)
                .Body()
                .Build());
  }
  return b;
}

// Over IPv6 the home page redirects to a portal host without AAAA; over
// IPv4 the same chain ends at the portal.
v1::DomainCheck RedirectToV4Only() {
  const std::string portal = "https://portal.example.gov/";
  return DomainBuilder()
      .Fetch(FetchBuilder(kHttpsUrl, v1::IPV4)
                 .Hop(kHttpsUrl, 302, kWwwV4)
                 .Hop(portal, 200, "192.0.2.81")
                 .Body()
                 .Build())
      .Fetch(FetchBuilder(kHttpsUrl, v1::IPV6)
                 .Hop(kHttpsUrl, 302, kWwwV6)
                 .Fail(v1::NO_ADDRESS, "portal.example.gov has no AAAA")
                 .Build())
      .Build();
}

// https refused over both families; http served over IPv4, and over
// IPv6 from `v6_address` (empty: the IPv6 fetch times out).
v1::DomainCheck HttpOnly(const std::string& v6_address) {
  DomainBuilder b;
  b.Fetch(FailedFetch(kHttpsUrl, v1::IPV4, v1::CONNECTION_REFUSED));
  b.Fetch(FailedFetch(kHttpsUrl, v1::IPV6, v1::CONNECTION_REFUSED));
  b.Fetch(FetchBuilder(kHttpUrl, v1::IPV4)
              .Hop(kHttpUrl, 200, kWwwV4)
              .Body()
              .Build());
  FetchBuilder v6(kHttpUrl, v1::IPV6);
  if (v6_address.empty()) {
    v6.Fail(v1::TIMEOUT);
  } else {
    v6.Hop(kHttpUrl, 200, v6_address).Body();
  }
  return b.Fetch(v6.Build()).Build();
}

// One case per state of the web table (§13.2).
std::vector<Case> WebStates() {
  std::vector<Case> c;
  c.push_back({"dual_stack_same_site", DomainBuilder().Build(), v1::SERVING_V6,
               "served the same site over IPv6 (200 from 2001:db8:80::80) as "
               "over IPv4 (200 from 192.0.2.80)"});
  c.push_back({"no_lookup_ran", v1::DomainCheck(),
               v1::SERVICE_STATE_UNSPECIFIED,
               "Neither www nor the apex of the domain was looked up"});
  c.push_back({"no_address_at_all",
               DomainBuilder()
                   .Www({}, {})
                   .Apex({}, {})
                   .NoFetches(v1::IPV4)
                   .NoFetches(v1::IPV6)
                   .Build(),
               v1::NO_SERVICE,
               "Neither www.example.gov nor example.gov has an address"});
  c.push_back({"no_aaaa",
               DomainBuilder().Www({kWwwV4}, {}).NoFetches(v1::IPV6).Build(),
               v1::NO_AAAA,
               "www.example.gov has no IPv6 address (AAAA DNS_NODATA), only "
               "A 192.0.2.80"});
  c.push_back({"not_fetched_over_v6",
               DomainBuilder().NoFetches(v1::IPV6).Build(),
               v1::SERVICE_STATE_UNSPECIFIED,
               "has AAAA 2001:db8:80::80 but was not fetched over IPv6"});
  c.push_back({"both_down",
               V6Fails(v1::TIMEOUT)
                   .Fetch(FailedFetch(kHttpsUrl, v1::IPV4, v1::TIMEOUT))
                   .Fetch(FailedFetch(kHttpUrl, v1::IPV4, v1::TIMEOUT))
                   .Build(),
               v1::BROKEN_V4,
               "failed over IPv4 (TIMEOUT) and over IPv6 (TIMEOUT)"});
  c.push_back({"aaaa_times_out", V6Fails(v1::TIMEOUT).Build(),
               v1::AAAA_UNREACHABLE,
               "over IPv6 (AAAA 2001:db8:80::80) ended TIMEOUT before any "
               "response; over IPv4 it got 200 from 192.0.2.80"});
  c.push_back({"tls_name_mismatch_v6",
               DomainBuilder()
                   .Fetch(FailedFetch(kHttpsUrl, v1::IPV6, v1::TLS_ERROR,
                                      "no alternative certificate subject "
                                      "name matches"))
                   .Build(),
               v1::TLS_FAILS_V6,
               "failed TLS verification over IPv6 (TLS_ERROR (no alternative "
               "certificate subject name matches)); over IPv4 it got 200 "
               "from 192.0.2.80 with TLS verified"});
  c.push_back({"redirect_to_v4_only_host", RedirectToV4Only(),
               v1::REDIRECTS_TO_V4_ONLY,
               "was redirected to https://portal.example.gov/, which has no "
               "IPv6 address"});
  c.push_back({"v6_503", DomainBuilder().Fetch(Page(v1::IPV6, 503)).Build(),
               v1::NOT_SERVING_V6,
               "over IPv6 got 503 from 2001:db8:80::80; over IPv4 it got 200"});
  c.push_back({"v6_default_vhost",
               DomainBuilder()
                   .Fetch(Page(v1::IPV6, 200, "Welcome to nginx!",
                               0xfedcba9876543210ULL, 615))
                   .Build(),
               v1::DIFFERENT_SITE_V6,
               "title \"Ministry of Examples\" vs \"Welcome to nginx!\""});
  return c;
}

// The web rows' edge cases.
std::vector<Case> WebEdges() {
  std::vector<Case> c;
  c.push_back({"ipv4_mapped_aaaa_does_not_count",
               DomainBuilder()
                   .Www({kWwwV4}, {"::ffff:192.0.2.80"})
                   .NoFetches(v1::IPV6)
                   .Build(),
               v1::NO_AAAA, "AAAA not counted: ::ffff:192.0.2.80"});
  // A DNS64 resolver's AAAA reaches the IPv4 site through NAT64: the
  // fetch works, but the site has no IPv6.
  c.push_back({"nat64_synthesized_aaaa_does_not_count",
               DomainBuilder().Www({kWwwV4}, {"64:ff9b::c000:250"}).Build(),
               v1::NO_AAAA, "not counted: 64:ff9b::c000:250"});
  c.push_back({"cname_chain_named",
               DomainBuilder()
                   .Www({kWwwV4}, {}, {"www.example.gov.edge.example.net"})
                   .NoFetches(v1::IPV6)
                   .Build(),
               v1::NO_AAAA,
               "www.example.gov (CNAME www.example.gov.edge.example.net) has "
               "no IPv6 address"});
  c.push_back({"www_without_address_apex_serving", ApexSite({kApexV6}).Build(),
               v1::SERVING_V6, "https://example.gov/ served the same site"});
  c.push_back({"www_without_address_apex_v4_only", ApexSite({}).Build(),
               v1::NO_AAAA,
               "example.gov has no IPv6 address (AAAA DNS_NODATA), only A "
               "192.0.2.10"});
  c.push_back({"v6_refused", V6Fails(v1::CONNECTION_REFUSED).Build(),
               v1::AAAA_UNREACHABLE, "ended CONNECTION_REFUSED"});
  c.push_back({"v6_admin_prohibited", V6Fails(v1::ADMIN_PROHIBITED).Build(),
               v1::AAAA_UNREACHABLE, "ended ADMIN_PROHIBITED"});
  c.push_back(
      {"v6_redirect_target_unreachable",
       DomainBuilder()
           .Fetch(FetchBuilder(kHttpsUrl, v1::IPV6)
                      .Hop(kHttpsUrl, 301, kWwwV6)
                      .Fail(v1::TIMEOUT)
                      .Build())
           .Fetch(FetchBuilder(kHttpsUrl, v1::IPV4)
                      .Hop(kHttpsUrl, 301, kWwwV4)
                      .Hop("https://static.example.gov/", 200, "192.0.2.82")
                      .Body()
                      .Build())
           .Build(),
       v1::AAAA_UNREACHABLE,
       "was redirected to https://static.example.gov/, which ended "
       "TIMEOUT before any response"});
  // Stalled after the response began: reachable, not serving (what a
  // PMTU black hole looks like).
  c.push_back({"v6_stalls_after_response",
               DomainBuilder()
                   .Fetch(FetchBuilder(kHttpsUrl, v1::IPV6)
                              .Hop(kHttpsUrl, 200, kWwwV6)
                              .Fail(v1::STALLED)
                              .Build())
                   .Build(),
               v1::NOT_SERVING_V6, "got STALLED at 2001:db8:80::80"});
  c.push_back({"v6_answer_without_verified_tls",
               DomainBuilder()
                   .Fetch(FetchBuilder(kHttpsUrl, v1::IPV6)
                              .Hop(kHttpsUrl, 200, kWwwV6)
                              .Body()
                              .TlsVerified(false)
                              .Build())
                   .Build(),
               v1::TLS_FAILS_V6, "200 with TLS not verified"});
  c.push_back({"v6_404_v4_200",
               DomainBuilder().Fetch(Page(v1::IPV6, 404)).Build(),
               v1::NOT_SERVING_V6, "got 404 from 2001:db8:80::80"});
  c.push_back({"v4_403_v6_200_differs",
               DomainBuilder().Fetch(Page(v1::IPV4, 403)).Build(),
               v1::DIFFERENT_SITE_V6, "status 403 vs 200"});
  c.push_back({"same_403_both_ways",
               DomainBuilder()
                   .Fetch(Page(v1::IPV4, 403))
                   .Fetch(Page(v1::IPV6, 403))
                   .Build(),
               v1::SERVING_V6, "(403 from 2001:db8:80::80)"});
  c.push_back({"different_final_host",
               DomainBuilder()
                   .Fetch(FetchBuilder(kHttpsUrl, v1::IPV6)
                              .Hop(kHttpsUrl, 301, kWwwV6)
                              .Hop("https://v6.example.gov/", 200, kWwwV6)
                              .Body()
                              .Build())
                   .Build(),
               v1::DIFFERENT_SITE_V6,
               "final host www.example.gov vs v6.example.gov"});
  c.push_back(
      {"final_host_compared_without_case_port_or_dot",
       DomainBuilder()
           .Fetch(FetchBuilder(kHttpsUrl, v1::IPV6)
                      .Hop("https://WWW.Example.gov.:443/?x=1", 200, kWwwV6)
                      .Body()
                      .Build())
           .Build(),
       v1::SERVING_V6, "served the same site"});
  c.push_back({"v4_5xx_v6_5xx",
               DomainBuilder()
                   .Fetch(Page(v1::IPV4, 502))
                   .Fetch(FetchBuilder(kHttpUrl, v1::IPV4)
                              .Hop(kHttpUrl, 502, kWwwV4)
                              .Body()
                              .Build())
                   .Fetch(Page(v1::IPV6, 502))
                   .Fetch(FetchBuilder(kHttpUrl, v1::IPV6)
                              .Hop(kHttpUrl, 502, kWwwV6)
                              .Body()
                              .Build())
                   .Build(),
               v1::BROKEN_V4, "failed over IPv4 (502 from 192.0.2.80)"});
  c.push_back({"v4_down_v6_serving",
               DomainBuilder()
                   .Fetch(FailedFetch(kHttpsUrl, v1::IPV4, v1::TIMEOUT))
                   .Fetch(FailedFetch(kHttpUrl, v1::IPV4, v1::TIMEOUT))
                   .Build(),
               v1::SERVING_V6,
               "served over IPv6 (200 from 2001:db8:80::80); over IPv4 it "
               "failed too (TIMEOUT)"});
  c.push_back({"http_only_site", HttpOnly(kWwwV6), v1::SERVING_V6,
               "http://www.example.gov/ served the same site over IPv6"});
  c.push_back({"http_only_site_v6_dead", HttpOnly(""), v1::AAAA_UNREACHABLE,
               "http://www.example.gov/ over IPv6"});
  c.push_back({"ipv6_only_site",
               DomainBuilder().Www({}, {kWwwV6}).NoFetches(v1::IPV4).Build(),
               v1::SERVING_V6, "the host has no IPv4 address to compare"});
  // An IPv6-only vantage (IPv4 fetches not run): judged on IPv6 alone.
  c.push_back({"no_ipv4_control_tls_fails",
               DomainBuilder()
                   .Fetch(FailedFetch(kHttpsUrl, v1::IPV4, v1::SKIPPED))
                   .Fetch(FailedFetch(kHttpUrl, v1::IPV4, v1::SKIPPED))
                   .Fetch(FailedFetch(kHttpsUrl, v1::IPV6, v1::TLS_ERROR))
                   .Fetch(FetchBuilder(kHttpUrl, v1::IPV6)
                              .Hop(kHttpUrl, 301, kWwwV6)
                              .Fail(v1::TLS_ERROR)
                              .Build())
                   .Build(),
               v1::TLS_FAILS_V6, "no IPv4 fetch was made to compare"});
  c.push_back({"origin_asns_named", DomainBuilder().Asns(64500, 64501).Build(),
               v1::SERVING_V6, "IPv4 from AS64500, IPv6 from AS64501"});
  return c;
}

// One case per state of the DNS table (§13.4), then its edge cases.
std::vector<Case> DnsCases() {
  const auto servers = [](v1::Outcome ns1_v6, v1::Outcome ns2_v6) {
    return DomainBuilder()
        .NameServers(v1::OK)
        .NameServer(kNs1, {kNs1V4}, {kNs1V6},
                    {{kNs1V4, v1::OK}, {kNs1V6, ns1_v6}})
        .NameServer(kNs2, {kNs2V4}, {kNs2V6},
                    {{kNs2V4, v1::OK}, {kNs2V6, ns2_v6}});
  };
  std::vector<Case> c;
  c.push_back({"all_serve", DomainBuilder().Build(), v1::SERVING_V6,
               "2 of 2 name servers of example.gov answer its SOA over IPv6: "
               "ns1.example.gov (OK at 2001:db8:53::1), ns2.dns-host.net (OK "
               "at 2001:db8:53::2)"});
  c.push_back({"ns_query_not_run",
               DomainBuilder().NameServers(v1::OUTCOME_UNSPECIFIED).Build(),
               v1::SERVICE_STATE_UNSPECIFIED, "was not run"});
  c.push_back({"ns_query_servfail",
               DomainBuilder().NameServers(v1::DNS_SERVFAIL).Build(),
               v1::BROKEN_V4,
               "The NS query for example.gov ended DNS_SERVFAIL: no name "
               "server answers for the zone over IPv4 either"});
  c.push_back({"no_ns_has_aaaa",
               DomainBuilder()
                   .NameServers(v1::OK)
                   .NameServer(kNs1, {kNs1V4}, {}, {{kNs1V4, v1::OK}})
                   .NameServer(kNs2, {kNs2V4}, {}, {{kNs2V4, v1::OK}})
                   .Build(),
               v1::NO_AAAA,
               "0 of 2 name servers of example.gov have an IPv6 address: "
               "ns1.example.gov (no AAAA), ns2.dns-host.net (no AAAA)"});
  c.push_back({"zone_down_both_ways",
               DomainBuilder()
                   .NameServers(v1::OK)
                   .NameServer(kNs1, {kNs1V4}, {kNs1V6},
                               {{kNs1V4, v1::TIMEOUT}, {kNs1V6, v1::TIMEOUT}})
                   .NameServer(kNs2, {kNs2V4}, {}, {{kNs2V4, v1::DNS_REFUSED}})
                   .Build(),
               v1::BROKEN_V4, "TIMEOUT at 2001:db8:53::1, IPv4 fails too"});
  c.push_back({"aaaa_unreachable",
               servers(v1::TIMEOUT, v1::HOST_UNREACHABLE).Build(),
               v1::AAAA_UNREACHABLE,
               "ns1.example.gov (TIMEOUT at 2001:db8:53::1), ns2.dns-host.net "
               "(HOST_UNREACHABLE at 2001:db8:53::2)"});
  c.push_back({"refused_over_v6",
               servers(v1::DNS_REFUSED, v1::DNS_REFUSED).Build(),
               v1::NOT_SERVING_V6,
               "answer its SOA authoritatively over IPv6: ns1.example.gov "
               "(DNS_REFUSED at 2001:db8:53::1)"});
  c.push_back({"one_of_two_serves", servers(v1::OK, v1::TIMEOUT).Build(),
               v1::PARTIAL_V6,
               "1 of 2 name servers of example.gov answer its SOA over "
               "IPv6"});
  // Edge cases.
  c.push_back({"ns_query_nxdomain",
               DomainBuilder().NameServers(v1::DNS_NXDOMAIN).Build(),
               v1::NO_SERVICE, "ended DNS_NXDOMAIN"});
  c.push_back({"answering_beats_unreachable",
               servers(v1::TIMEOUT, v1::DNS_SERVFAIL).Build(),
               v1::NOT_SERVING_V6, "DNS_SERVFAIL at 2001:db8:53::2"});
  c.push_back({"one_without_aaaa_is_partial",
               DomainBuilder()
                   .NameServers(v1::OK)
                   .NameServer(kNs1, {kNs1V4}, {kNs1V6},
                               {{kNs1V4, v1::OK}, {kNs1V6, v1::OK}})
                   .NameServer(kNs2, {kNs2V4}, {}, {{kNs2V4, v1::OK}})
                   .Build(),
               v1::PARTIAL_V6, "ns2.dns-host.net (no AAAA)"});
  c.push_back({"lame_server_not_counted",
               DomainBuilder()
                   .NameServers(v1::OK)
                   .NameServer(kNs1, {kNs1V4}, {kNs1V6},
                               {{kNs1V4, v1::OK}, {kNs1V6, v1::OK}})
                   .NameServer(kNs2, {kNs2V4}, {kNs2V6},
                               {{kNs2V4, v1::TIMEOUT}, {kNs2V6, v1::TIMEOUT}})
                   .Build(),
               v1::SERVING_V6,
               "1 of 2 name servers of example.gov answer its SOA over IPv6, "
               "and the rest fail over IPv4 too"});
  c.push_back({"aaaa_not_asked",
               DomainBuilder()
                   .NameServers(v1::OK)
                   .NameServer(kNs1, {kNs1V4}, {kNs1V6}, {{kNs1V4, v1::OK}})
                   .Build(),
               v1::SERVICE_STATE_UNSPECIFIED,
               "ns1.example.gov (AAAA 2001:db8:53::1 not asked)"});
  c.push_back(
      {"ipv4_mapped_ns_address_does_not_count",
       DomainBuilder()
           .NameServers(v1::OK)
           .NameServer(kNs1, {kNs1V4}, {"::ffff:192.0.2.53"},
                       {{kNs1V4, v1::OK}, {"::ffff:192.0.2.53", v1::OK}})
           .Build(),
       v1::NO_AAAA, "ns1.example.gov (no AAAA)"});
  c.push_back({"ipv6_only_name_server",
               DomainBuilder()
                   .NameServers(v1::OK)
                   .NameServer(kNs1, {}, {kNs1V6}, {{kNs1V6, v1::OK}})
                   .Build(),
               v1::SERVING_V6, "1 of 1 name servers of example.gov answer"});
  return c;
}

// One case per state of the mail table (§13.5), then its edge cases.
std::vector<Case> MailCases() {
  std::vector<Case> c;
  c.push_back({"every_mx_has_aaaa", DomainBuilder().Build(), v1::SERVING_V6,
               "1 of 1 MX hosts of example.gov publish an IPv6 address: 10 "
               "mail.example.gov (AAAA 2001:db8:25::25); SMTP itself is not "
               "tested"});
  c.push_back({"no_mx", DomainBuilder().MailSet(v1::DNS_NODATA).Build(),
               v1::NO_SERVICE, "has no MX record (DNS_NODATA)"});
  c.push_back({"mx_query_failed",
               DomainBuilder().MailSet(v1::DNS_SERVFAIL).Build(), v1::BROKEN_V4,
               "The MX query for example.gov ended DNS_SERVFAIL: its mail "
               "hosts cannot be found over IPv4 either"});
  c.push_back(
      {"no_mx_has_aaaa",
       DomainBuilder().MailSet(v1::OK).Mail(10, kMx, {kMxV4}, {}).Build(),
       v1::NO_AAAA, "0 of 1 MX hosts of example.gov publish an IPv6 address"});
  c.push_back({"backup_mx_without_aaaa",
               DomainBuilder()
                   .MailSet(v1::OK)
                   .Mail(20, "backup.mx.example.net", {"198.51.100.25"}, {})
                   .Mail(10, kMx, {kMxV4}, {kMxV6})
                   .Build(),
               v1::PARTIAL_V6,
               "1 of 2 MX hosts of example.gov publish an IPv6 address: "
               "10 mail.example.gov (AAAA 2001:db8:25::25), 20 "
               "backup.mx.example.net (no AAAA)"});
  // Edge cases.
  c.push_back({"null_mx",
               DomainBuilder().MailSet(v1::OK).Mail(0, ".", {}, {}).Build(),
               v1::NO_SERVICE, "null MX (RFC 7505)"});
  c.push_back({"empty_mx_answer", DomainBuilder().MailSet(v1::OK).Build(),
               v1::NO_SERVICE, "has no MX record (empty answer)"});
  c.push_back({"mx_with_mapped_aaaa",
               DomainBuilder()
                   .MailSet(v1::OK)
                   .Mail(10, kMx, {kMxV4}, {"::ffff:192.0.2.25"})
                   .Build(),
               v1::NO_AAAA, "(no AAAA)"});
  c.push_back({"mx_query_not_run", v1::DomainCheck(),
               v1::SERVICE_STATE_UNSPECIFIED,
               "The MX query for the domain was not run"});
  return c;
}

void ExpectCases(const std::vector<Case>& cases, const std::string& label,
                 v1::ServiceState (v1::ReadinessVerdict::*state)() const) {
  for (const Case& c : cases) {
    SCOPED_TRACE(label + " case " + c.name);
    const v1::ReadinessVerdict v = ComputeReadiness(c.check);
    EXPECT_EQ(v1::ServiceState_Name((v.*state)()),
              v1::ServiceState_Name(c.state));
    EXPECT_TRUE(absl::StrContains(TextOf(v, label), c.fact))
        << TextOf(v, label) << "\n  should contain: " << c.fact;
  }
}

TEST(ReadinessTest, WebStates) {
  ExpectCases(WebStates(), "web", &v1::ReadinessVerdict::web);
}

TEST(ReadinessTest, WebEdges) {
  ExpectCases(WebEdges(), "web", &v1::ReadinessVerdict::web);
}

TEST(ReadinessTest, Dns) {
  ExpectCases(DnsCases(), "dns", &v1::ReadinessVerdict::dns);
}

TEST(ReadinessTest, Mail) {
  ExpectCases(MailCases(), "mail", &v1::ReadinessVerdict::mail);
}

// Every state of the enum but UNSPECIFIED-as-default is reached by some
// case of each service that can give it.
TEST(ReadinessTest, TablesReachEveryState) {
  const auto reached = [](const std::vector<Case>& cases) {
    std::set<std::string> out;
    for (const Case& c : cases) out.insert(v1::ServiceState_Name(c.state));
    return out;
  };
  std::set<std::string> web = reached(WebStates());
  EXPECT_EQ(web.size(), 10u);  // All but PARTIAL_V6 (one web host).
  EXPECT_EQ(web.count("PARTIAL_V6"), 0u);
  const std::set<std::string> dns = reached(DnsCases());
  EXPECT_EQ(dns, (std::set<std::string>{"SERVICE_STATE_UNSPECIFIED",
                                        "NO_SERVICE", "NO_AAAA", "BROKEN_V4",
                                        "AAAA_UNREACHABLE", "NOT_SERVING_V6",
                                        "PARTIAL_V6", "SERVING_V6"}));
  const std::set<std::string> mail = reached(MailCases());
  EXPECT_EQ(mail, (std::set<std::string>{"SERVICE_STATE_UNSPECIFIED",
                                         "NO_SERVICE", "NO_AAAA", "PARTIAL_V6",
                                         "SERVING_V6", "BROKEN_V4"}));
}

std::vector<Case> AllCases() {
  std::vector<Case> all;
  for (auto* table : {&WebStates, &WebEdges, &DnsCases, &MailCases}) {
    for (Case& c : table()) all.push_back(std::move(c));
  }
  return all;
}

TEST(ReadinessTest, EveryVerdictIsLabelledVersionedBoundedAndStable) {
  for (const Case& c : AllCases()) {
    SCOPED_TRACE(c.name);
    const v1::ReadinessVerdict v = ComputeReadiness(c.check);
    EXPECT_EQ(v.methodology_version(), "readiness 1");
    ASSERT_EQ(v.explanations_size(), 3);
    EXPECT_EQ(v.explanations(0).label(), "web");
    EXPECT_EQ(v.explanations(1).label(), "dns");
    EXPECT_EQ(v.explanations(2).label(), "mail");
    for (const v1::Explanation& x : v.explanations()) {
      EXPECT_LE(x.text().size(), 400u) << x.text();
      EXPECT_FALSE(x.text().empty());
      for (char ch : x.text()) {
        EXPECT_TRUE(ch >= 0x20 && ch <= 0x7e) << x.text();
      }
    }
    EXPECT_EQ(ComputeReadiness(c.check).SerializeAsString(),
              v.SerializeAsString());
  }
}

// The verdict is the check's: one already stored in it changes nothing.
TEST(ReadinessTest, IgnoresAStoredVerdict) {
  v1::DomainCheck check = DomainBuilder().Build();
  const std::string fresh = ComputeReadiness(check).SerializeAsString();
  check.mutable_verdict()->set_web(v1::NO_AAAA);
  check.mutable_verdict()->set_methodology_version("readiness 0");
  EXPECT_EQ(ComputeReadiness(check).SerializeAsString(), fresh);
}

// Answer order does not change the verdict or its words.
TEST(ReadinessTest, NameServerAndMxOrderDoNotMatter) {
  v1::DomainCheck check =
      DomainBuilder()
          .MailSet(v1::OK)
          .Mail(20, "b.mx.example.net", {"198.51.100.2"}, {})
          .Mail(10, "a.mx.example.net", {"198.51.100.1"}, {"2001:db8::a"})
          .Build();
  v1::DomainCheck reversed = check;
  std::reverse(reversed.mutable_name_servers()->begin(),
               reversed.mutable_name_servers()->end());
  std::reverse(reversed.mutable_mail()->begin(),
               reversed.mutable_mail()->end());
  EXPECT_EQ(ComputeReadiness(reversed).SerializeAsString(),
            ComputeReadiness(check).SerializeAsString());
}

// A hostile site's title and error text cannot break the sentence or its
// bound.
TEST(ReadinessTest, HostileFieldsStayOneBoundedLine) {
  const std::string title = "Ev\nil\r\x01" + std::string(5000, 'x');
  const v1::DomainCheck check =
      DomainBuilder()
          .Fetch(FetchBuilder(kHttpsUrl, v1::IPV6)
                     .Hop(kHttpsUrl, 200, kWwwV6)
                     .Body(title, kSimHash, testing::kBodyBytes)
                     .Build())
          .Build();
  const v1::ReadinessVerdict v = ComputeReadiness(check);
  EXPECT_EQ(v.web(), v1::DIFFERENT_SITE_V6);
  const std::string text = TextOf(v, "web");
  EXPECT_LE(text.size(), 400u);
  EXPECT_EQ(text.find('\n'), std::string::npos);
  EXPECT_TRUE(absl::StrContains(text, "\"Ev?il??xxx")) << text;
}

// Sixteen name servers with long names: the sentence is cut, not broken.
TEST(ReadinessTest, LongSetsAreCut) {
  DomainBuilder b;
  b.NameServers(v1::OK);
  for (int i = 0; i < 16; ++i) {
    const std::string name =
        "ns" + std::to_string(i) + "." + std::string(60, 'd') + ".example";
    b.NameServer(name, {kNs1V4}, {kNs1V6}, {{kNs1V6, v1::TIMEOUT}});
  }
  const v1::ReadinessVerdict v = ComputeReadiness(b.Build());
  EXPECT_EQ(v.dns(), v1::AAAA_UNREACHABLE);
  EXPECT_LE(TextOf(v, "dns").size(), 400u);
  EXPECT_TRUE(absl::EndsWith(TextOf(v, "dns"), "...")) << TextOf(v, "dns");
}

}  // namespace
}  // namespace v6scope::methodology::readiness
