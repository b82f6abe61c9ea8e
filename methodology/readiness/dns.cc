// The DNS table of readiness 1 (docs/methodology.md §13.4); the row ids
// D0-D8 (and D1b) are the document's. The first matching row wins.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "methodology/readiness/addresses.h"
#include "methodology/readiness/services.h"
#include "methodology/readiness/text.h"
#include "proto/readiness.pb.h"
#include "proto/results.pb.h"

namespace v6scope::methodology::readiness {
namespace {

using v6scope::v1::AddressProbe;
using v6scope::v1::DomainCheck;
using v6scope::v1::NameServerCheck;
using v6scope::v1::Outcome;

// How one SOA question ended: an authoritative answer, some other answer
// (REFUSED, SERVFAIL, not authoritative, ...), nothing at all, not asked.
enum ProbeKind { kOk = 0, kAnswer = 1, kTransport = 2, kNotRun = 3 };

// A name server over IPv6, best first (the order of NIST's funnel read
// backwards): serves, answers but not for the zone, does not answer, has
// an AAAA nobody asked, has no AAAA.
enum class V6Ns { kServes, kAnswersBadly, kUnreachable, kNotAsked, kNoAaaa };

struct NsFacts {
  std::string name;
  AddressList v6;
  V6Ns v6_state = V6Ns::kNoAaaa;
  const AddressProbe* probe = nullptr;  // The IPv6 question that decided.
  bool lame = false;  // Fails over IPv4 too: not counted against IPv6.
};

ProbeKind KindOf(Outcome o) {
  switch (o) {
    case v6scope::v1::OK:
      return kOk;
    case v6scope::v1::SKIPPED:
    case v6scope::v1::OUTCOME_UNSPECIFIED:
    case v6scope::v1::NO_ADDRESS:
      return kNotRun;
    case v6scope::v1::TIMEOUT:
    case v6scope::v1::STALLED:
    case v6scope::v1::CONNECTION_REFUSED:
    case v6scope::v1::NETWORK_UNREACHABLE:
    case v6scope::v1::HOST_UNREACHABLE:
    case v6scope::v1::ADMIN_PROHIBITED:
      return kTransport;
    default:  // DNS_*, OTHER_ERROR and values newer than this code.
      return kAnswer;
  }
}

// Which side of the comparison one SOA question is on. From an IPv6-only
// vantage, the question at a name server's IPv4 address goes to that
// address mapped into the NAT64 prefix: an IPv6 literal with family IPV4.
// It is the IPv4 half of the comparison, never IPv6's. The address is
// parsed once here (this runs for every result the collector ingests).
struct ProbeSide {
  bool v4 = false;
  bool v6 = false;
};

ProbeSide SideOf(const AddressProbe& p) {
  if (p.address().empty()) {
    return {p.family() == v6scope::v1::IPV4, p.family() == v6scope::v1::IPV6};
  }
  const LiteralKind kind = KindOfLiteral(p.address());
  if (kind == LiteralKind::kV4) return {true, false};
  const bool via_nat64 = p.family() == v6scope::v1::IPV4;
  return {via_nat64, !via_nat64 && kind == LiteralKind::kCountedV6};
}

NsFacts FactsOf(const NameServerCheck& ns) {
  NsFacts f;
  f.name = Clean(ns.host().name());
  f.v6 = V6Of(ns.host());
  const AddressProbe* first[3] = {nullptr, nullptr, nullptr};
  bool v4_ran = false;
  bool v4_ok = false;
  for (const AddressProbe& p : ns.soa()) {
    const ProbeKind k = KindOf(p.outcome());
    const ProbeSide side = SideOf(p);
    if (side.v6 && k != kNotRun && first[k] == nullptr) first[k] = &p;
    if (side.v4) {
      v4_ran = v4_ran || k != kNotRun;
      v4_ok = v4_ok || k == kOk;
    }
  }
  const V6Ns by_kind[3] = {V6Ns::kServes, V6Ns::kAnswersBadly,
                           V6Ns::kUnreachable};
  f.v6_state = f.v6.empty() ? V6Ns::kNoAaaa : V6Ns::kNotAsked;
  for (int k = kOk; k <= kTransport; ++k) {
    if (first[k] == nullptr) continue;
    f.v6_state = by_kind[k];
    f.probe = first[k];
    break;
  }
  f.lame = f.v6_state != V6Ns::kServes && v4_ran && !v4_ok;
  return f;
}

std::string ItemOf(const NsFacts& f) {
  std::string what;
  if (f.v6_state == V6Ns::kNoAaaa) {
    what = "no AAAA";
  } else if (f.probe == nullptr) {
    what = absl::StrCat("AAAA ", ListOf(f.v6, 1), " not asked");
  } else {
    what = absl::StrCat(OutcomeName(f.probe->outcome()), " at ",
                        Clean(f.probe->address()));
  }
  if (f.lame) absl::StrAppend(&what, ", IPv4 fails too");
  return absl::StrCat(f.name, " (", what, ")");
}

std::string Items(const std::vector<NsFacts>& all) {
  constexpr size_t kShown = 6;
  std::vector<std::string> items;
  for (size_t i = 0; i < all.size() && i < kShown; ++i) {
    items.push_back(ItemOf(all[i]));
  }
  std::string out = absl::StrJoin(items, ", ");
  if (all.size() > kShown) {
    absl::StrAppend(&out, " and ", all.size() - kShown, " more");
  }
  return out;
}

size_t Count(const std::vector<NsFacts>& all, V6Ns state) {
  return std::count_if(all.begin(), all.end(), [state](const NsFacts& f) {
    return f.v6_state == state;
  });
}

// D2-D8 on the name servers' facts.
v6scope::v1::ServiceState Decide(const std::vector<NsFacts>& all) {
  const size_t lame = std::count_if(all.begin(), all.end(),
                                    [](const NsFacts& f) { return f.lame; });
  const size_t serving = Count(all, V6Ns::kServes);
  if (Count(all, V6Ns::kNoAaaa) == all.size()) return v6scope::v1::NO_AAAA;
  if (serving == 0 && lame == all.size()) return v6scope::v1::BROKEN_V4;
  if (serving > 0 && serving + lame == all.size()) {
    return v6scope::v1::SERVING_V6;
  }
  if (serving > 0) return v6scope::v1::PARTIAL_V6;
  if (Count(all, V6Ns::kAnswersBadly) > 0) return v6scope::v1::NOT_SERVING_V6;
  if (Count(all, V6Ns::kUnreachable) > 0) return v6scope::v1::AAAA_UNREACHABLE;
  return v6scope::v1::SERVICE_STATE_UNSPECIFIED;
}

// The counts first, as NIST's monitor shows them ("1 of 2"), so the
// sentence reads the same for one name server as for sixteen.
std::string Lead(v6scope::v1::ServiceState state,
                 const std::vector<NsFacts>& all, const std::string& zone) {
  const size_t lame = std::count_if(all.begin(), all.end(),
                                    [](const NsFacts& f) { return f.lame; });
  const std::string of =
      absl::StrCat(" of ", all.size(), " name servers of ", zone, " ");
  const std::string serving = absl::StrCat(Count(all, V6Ns::kServes), of);
  switch (state) {
    case v6scope::v1::NO_AAAA:
      return absl::StrCat("0", of, "have an IPv6 address");
    case v6scope::v1::BROKEN_V4:
      return absl::StrCat("0", of,
                          "answer its SOA over IPv4 or IPv6, so IPv6 cannot "
                          "be judged");
    case v6scope::v1::SERVING_V6:
      return absl::StrCat(serving, "answer its SOA over IPv6",
                          lame == 0 ? "" : ", and the rest fail over IPv4 too");
    case v6scope::v1::PARTIAL_V6:
      return absl::StrCat(serving, "answer its SOA over IPv6");
    case v6scope::v1::NOT_SERVING_V6:
      return absl::StrCat("0", of, "answer its SOA authoritatively over IPv6");
    case v6scope::v1::AAAA_UNREACHABLE:
      return absl::StrCat("0", of, "answer at their IPv6 addresses");
    default:
      return absl::StrCat("The name servers of ", zone,
                          " were not asked over IPv6 from this vantage");
  }
}

}  // namespace

ServiceFinding DecideDns(const DomainCheck& check) {
  const std::string zone = DomainName(check);
  if (check.ns_outcome() == v6scope::v1::OUTCOME_UNSPECIFIED ||
      check.ns_outcome() == v6scope::v1::SKIPPED) {
    return {v6scope::v1::SERVICE_STATE_UNSPECIFIED,
            absl::StrCat("The NS query for ", zone, " was not run.")};
  }
  if (ResolutionFailed(check.ns_outcome())) {  // D1b
    return {v6scope::v1::BROKEN_V4,
            absl::StrCat("The NS query for ", zone, " ended ",
                         OutcomeName(check.ns_outcome()),
                         ": no name server answers for the zone over IPv4 "
                         "either (a lame delegation, or its servers are "
                         "down), so its IPv6 cannot be judged.")};
  }
  if (check.ns_outcome() != v6scope::v1::OK || check.name_servers().empty()) {
    return {v6scope::v1::NO_SERVICE,  // D1
            absl::StrCat(
                "The NS query for ", zone, " ",
                check.ns_outcome() == v6scope::v1::OK
                    ? "returned no name server"
                    : absl::StrCat("ended ", OutcomeName(check.ns_outcome())),
                ": the domain is not delegated, so it has no DNS.")};
  }
  std::vector<NsFacts> all;
  for (const NameServerCheck& ns : check.name_servers()) {
    all.push_back(FactsOf(ns));
  }
  // Sorted by name, so the sentence does not depend on answer order.
  std::stable_sort(
      all.begin(), all.end(),
      [](const NsFacts& a, const NsFacts& b) { return a.name < b.name; });
  const v6scope::v1::ServiceState state = Decide(all);
  return {state, absl::StrCat(Lead(state, all, zone), ": ", Items(all), ".")};
}

}  // namespace v6scope::methodology::readiness
