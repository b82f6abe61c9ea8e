// The web table of readiness 1 (docs/methodology.md §13.2); the row ids
// W0-W10 (and W1b) are the document's. The first matching row wins.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "methodology/readiness/addresses.h"
#include "methodology/readiness/fetch.h"
#include "methodology/readiness/services.h"
#include "methodology/readiness/similarity.h"
#include "methodology/readiness/text.h"
#include "proto/readiness.pb.h"

namespace v6scope::methodology::readiness {
namespace {

using v6scope::v1::DomainCheck;
using v6scope::v1::NameAddresses;

struct WebFacts {
  const NameAddresses* host = nullptr;  // www, else the apex; null: none.
  AddressList v4;
  AddressList v6;
  FetchView f4;  // The pair compared: one scheme over both families.
  FetchView f6;
  bool v4_tested = false;  // The host has an A and an IPv4 fetch ran.
  bool control = false;    // IPv4 served (no 5xx, TLS verified).
  uint32_t v4_asn = 0;
  uint32_t v6_asn = 0;
};

// www if it has an address (the probe fetches it then), else the apex.
const NameAddresses* WebHost(const DomainCheck& c) {
  if (HasAddress(c.www())) return &c.www();
  if (HasAddress(c.apex())) return &c.apex();
  return nullptr;
}

// https is compared when it serves over IPv4, else http when that does
// (an http-only site); without an IPv4 control, the scheme whose IPv6
// fetch got further, https on a tie.
WebFacts Gather(const DomainCheck& c) {
  WebFacts w;
  w.host = WebHost(c);
  if (w.host == nullptr) return w;
  w.v4 = V4Of(*w.host);
  w.v6 = V6Of(*w.host);
  const FetchView s4 = ViewOf(FindFetch(c, "https", v6scope::v1::IPV4));
  const FetchView p4 = ViewOf(FindFetch(c, "http", v6scope::v1::IPV4));
  const FetchView s6 = ViewOf(FindFetch(c, "https", v6scope::v1::IPV6));
  const FetchView p6 = ViewOf(FindFetch(c, "http", v6scope::v1::IPV6));
  w.v4_tested = !w.v4.empty() && (s4.ran || p4.ran);
  const bool https = Serves(s4, 5)   ? true
                     : Serves(p4, 5) ? false
                                     : Rank(s6) >= Rank(p6);
  w.f4 = https ? s4 : p4;
  w.f6 = https ? s6 : p6;
  w.control = Serves(w.f4, 5);
  w.v4_asn = c.web_v4_asn();
  w.v6_asn = c.web_v6_asn();
  return w;
}

bool LookedUp(const NameAddresses& h) {
  const auto ran = [](v6scope::v1::Outcome o) {
    return o != v6scope::v1::OUTCOME_UNSPECIFIED && o != v6scope::v1::SKIPPED;
  };
  return ran(h.a_outcome()) || ran(h.aaaa_outcome());
}

std::string HostName(const NameAddresses& h) {
  std::string out = Clean(h.name());
  if (!h.cname_chain().empty()) {
    absl::StrAppend(&out, " (CNAME ",
                    Clean(h.cname_chain(h.cname_chain_size() - 1)), ")");
  }
  return out;
}

std::string Detail(const v6scope::v1::WebFetch& f) {
  if (f.error_detail().empty()) return "";
  return absl::StrCat(" (", Clean(f.error_detail(), 60), ")");
}

std::string NotCounted(const NameAddresses& h) {
  const AddressList ignored = IgnoredV6Of(h);
  if (ignored.empty()) return "";
  return absl::StrCat("; AAAA not counted: ", ListOf(ignored));
}

std::string Url(const WebFacts& w) {
  return StartUrl(w.f6, absl::StrCat("https://", Clean(w.host->name()), "/"));
}

std::string V4Phrase(const WebFacts& w) {
  if (w.control) return absl::StrCat("over IPv4 it got ", Describe(w.f4));
  if (w.v4_tested) {
    return absl::StrCat("over IPv4 it failed too (", Describe(w.f4), ")");
  }
  return w.v4.empty() ? "the host has no IPv4 address to compare"
                      : "no IPv4 fetch was made to compare";
}

std::string AsnPhrase(const WebFacts& w) {
  if (w.v4_asn == 0 || w.v6_asn == 0) return "";
  if (w.v4_asn == w.v6_asn) return absl::StrCat("; both from AS", w.v4_asn);
  return absl::StrCat("; IPv4 from AS", w.v4_asn, ", IPv6 from AS", w.v6_asn);
}

std::string NoHostText(const DomainCheck& c) {
  const auto lookups = [](const NameAddresses& h) {
    return absl::StrCat("A ", OutcomeName(h.a_outcome()), ", AAAA ",
                        OutcomeName(h.aaaa_outcome()), NotCounted(h));
  };
  return absl::StrCat("Neither ", Clean(c.www().name()), " nor ",
                      Clean(c.apex().name()),
                      " has an address (www: ", lookups(c.www()),
                      "; apex: ", lookups(c.apex()), ").");
}

std::string NoAaaaText(const WebFacts& w) {
  return absl::StrCat(HostName(*w.host), " has no IPv6 address (AAAA ",
                      OutcomeName(w.host->aaaa_outcome()), NotCounted(*w.host),
                      "), only A ", ListOf(w.v4), ".");
}

// W5-W7: the IPv6 fetch failed before it could be compared.
std::string FailureText(const WebFacts& w, v6scope::v1::ServiceState s) {
  const std::string url = Url(w);
  const std::string v4 = V4Phrase(w);
  switch (s) {
    case v6scope::v1::AAAA_UNREACHABLE:
      return absl::StrCat(
          url, " over IPv6 (AAAA ", ListOf(w.v6), ") ",
          w.f6.fetch->hops().empty()
              ? ""
              : absl::StrCat("was redirected to ", RedirectTarget(w.f6, w.f4),
                             ", which "),
          "ended ", OutcomeName(w.f6.fetch->outcome()), Detail(*w.f6.fetch),
          " before any response; ", v4, ".");
    case v6scope::v1::TLS_FAILS_V6:
      return absl::StrCat(
          url, " failed TLS verification over IPv6 (", Describe(w.f6), "); ",
          w.control ? absl::StrCat(v4, " with TLS verified") : v4, ".");
    default:  // REDIRECTS_TO_V4_ONLY
      return absl::StrCat("Over IPv6, ", url, " was redirected to ",
                          RedirectTarget(w.f6, w.f4),
                          ", which has no IPv6 address; ", v4, ".");
  }
}

// W8-W10: the IPv6 fetch ended; how it compares with IPv4.
ServiceFinding Compare(const WebFacts& w) {
  const std::string url = Url(w);
  const bool failed = !w.f6.answered || w.f6.tls_failed;
  const bool worse = w.f6.status_class >= 4 &&
                     (!w.control || w.f6.status_class > w.f4.status_class);
  if (failed || worse) {
    return {v6scope::v1::NOT_SERVING_V6,
            absl::StrCat(url, " over IPv6 got ", Describe(w.f6), "; ",
                         V4Phrase(w), ".")};
  }
  if (!w.control) {
    return {v6scope::v1::SERVING_V6,
            absl::StrCat(url, " served over IPv6 (", Describe(w.f6), "); ",
                         V4Phrase(w), AsnPhrase(w), ".")};
  }
  const SiteComparison cmp = CompareSites(*w.f4.fetch, *w.f6.fetch);
  if (!cmp.same) {
    return {v6scope::v1::DIFFERENT_SITE_V6,
            absl::StrCat(url, " serves a different site over IPv6: ",
                         cmp.difference, AsnPhrase(w), ".")};
  }
  return {
      v6scope::v1::SERVING_V6,
      absl::StrCat(url, " served the same site over IPv6 (", Describe(w.f6),
                   ") as over IPv4 (", Describe(w.f4), ")", AsnPhrase(w), ".")};
}

}  // namespace

ServiceFinding DecideWeb(const DomainCheck& check) {
  const WebFacts w = Gather(check);
  // W0
  if (w.host == nullptr && !LookedUp(check.www()) && !LookedUp(check.apex())) {
    return {v6scope::v1::SERVICE_STATE_UNSPECIFIED,
            absl::StrCat("Neither www nor the apex of ", DomainName(check),
                         " was looked up.")};
  }
  if (w.host == nullptr &&
      (ResolutionFailed(check.www().a_outcome()) ||
       ResolutionFailed(check.apex().a_outcome()))) {  // W1b
    return {v6scope::v1::BROKEN_V4,
            absl::StrCat(NoHostText(check),
                         " The names do not resolve over IPv4 either, so the "
                         "site's IPv6 cannot be judged.")};
  }
  if (w.host == nullptr) {  // W1
    return {v6scope::v1::NO_SERVICE, NoHostText(check)};
  }
  if (w.v6.empty()) return {v6scope::v1::NO_AAAA, NoAaaaText(w)};  // W2
  if (!w.f6.ran) {                                                 // W3
    return {v6scope::v1::SERVICE_STATE_UNSPECIFIED,
            absl::StrCat(HostName(*w.host), " has AAAA ", ListOf(w.v6),
                         " but was not fetched over IPv6 from this vantage.")};
  }
  if (w.v4_tested && !w.control && !Serves(w.f6, 4)) {  // W4
    return {v6scope::v1::BROKEN_V4,
            absl::StrCat(Url(w), " failed over IPv4 (", Describe(w.f4),
                         ") and over IPv6 (", Describe(w.f6),
                         "): the site is down from here, so its IPv6 cannot "
                         "be judged.")};
  }
  v6scope::v1::ServiceState failure = v6scope::v1::SERVICE_STATE_UNSPECIFIED;
  if (w.f6.transport_failed) {  // W5
    failure = v6scope::v1::AAAA_UNREACHABLE;
  } else if (w.f6.tls_failed &&
             (!w.control || w.f4.fetch->tls_verified())) {  // W6
    failure = v6scope::v1::TLS_FAILS_V6;
  } else if (w.f6.redirect_no_address) {  // W7
    failure = v6scope::v1::REDIRECTS_TO_V4_ONLY;
  }
  if (failure != v6scope::v1::SERVICE_STATE_UNSPECIFIED) {
    return {failure, FailureText(w, failure)};
  }
  return Compare(w);  // W8-W10
}

}  // namespace v6scope::methodology::readiness
