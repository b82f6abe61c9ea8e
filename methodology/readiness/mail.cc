// The mail table of readiness 1 (docs/methodology.md §13.5); the row ids
// M1-M5 (and M2b, M2c) are the document's. The first matching row wins. The
// probe never speaks SMTP (a volunteer's network must not be made to open port
// 25 connections: ISPs block and flag them as spam bots), so mail is judged on
// the MX set and its AAAA alone, and every sentence says so.
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

using v6scope::v1::DomainCheck;
using v6scope::v1::MailExchangerCheck;

struct MxFacts {
  uint32_t preference = 0;
  std::string name;
  AddressList v6;
  // No address of either family: mail to it fails over IPv4 too, so it is
  // not counted against IPv6 (as a lame name server, §13.4).
  bool dead = false;
};

// RFC 7505: "." (some resolvers report it as the empty name).
bool IsNullMx(const MailExchangerCheck& mx) {
  return mx.host().name().empty() || mx.host().name() == ".";
}

std::vector<MxFacts> FactsOf(const DomainCheck& check) {
  std::vector<MxFacts> all;
  for (const MailExchangerCheck& mx : check.mail()) {
    if (IsNullMx(mx)) continue;
    all.push_back({mx.preference(), Clean(mx.host().name()), V6Of(mx.host()),
                   !HasAddress(mx.host())});
  }
  // In delivery order, so the sentence does not depend on answer order.
  std::stable_sort(
      all.begin(), all.end(), [](const MxFacts& a, const MxFacts& b) {
        return a.preference != b.preference ? a.preference < b.preference
                                            : a.name < b.name;
      });
  return all;
}

std::string Items(const std::vector<MxFacts>& all) {
  constexpr size_t kShown = 5;
  std::vector<std::string> items;
  for (size_t i = 0; i < all.size() && i < kShown; ++i) {
    const MxFacts& m = all[i];
    items.push_back(absl::StrCat(m.preference, " ", m.name, " (",
                                 m.dead ? "no address"
                                 : m.v6.empty()
                                     ? "no AAAA"
                                     : absl::StrCat("AAAA ", ListOf(m.v6, 1)),
                                 ")"));
  }
  std::string out = absl::StrJoin(items, ", ");
  if (all.size() > kShown) {
    absl::StrAppend(&out, " and ", all.size() - kShown, " more");
  }
  return out;
}

// M1 (the domain says it has no mail) and M2 (the MX query was not run
// or failed).
bool NoMxSet(const DomainCheck& check, ServiceFinding& out) {
  const std::string domain = DomainName(check);
  const v6scope::v1::Outcome o = check.mx_outcome();
  if (o == v6scope::v1::DNS_NODATA || o == v6scope::v1::DNS_NXDOMAIN ||
      (o == v6scope::v1::OK && check.mail().empty())) {
    out = {v6scope::v1::NO_SERVICE,
           absl::StrCat(domain, " has no MX record (",
                        o == v6scope::v1::OK ? "empty answer" : OutcomeName(o),
                        "): no mail service.")};
    return true;
  }
  if (o == v6scope::v1::OUTCOME_UNSPECIFIED || o == v6scope::v1::SKIPPED) {
    out = {v6scope::v1::SERVICE_STATE_UNSPECIFIED,
           absl::StrCat("The MX query for ", domain, " was not run.")};
    return true;
  }
  if (o != v6scope::v1::OK) {  // M2b
    out = {v6scope::v1::BROKEN_V4,
           absl::StrCat("The MX query for ", domain, " ended ", OutcomeName(o),
                        ": its mail hosts cannot be found over IPv4 either, "
                        "so mail's IPv6 cannot be judged.")};
    return true;
  }
  return false;
}

}  // namespace

ServiceFinding DecideMail(const DomainCheck& check) {
  ServiceFinding out;
  if (NoMxSet(check, out)) return out;
  const std::vector<MxFacts> all = FactsOf(check);
  const std::string domain = DomainName(check);
  if (all.empty()) {  // M1: only null MX.
    return {v6scope::v1::NO_SERVICE,
            absl::StrCat(domain,
                         " publishes a null MX (RFC 7505): it accepts no "
                         "mail.")};
  }
  const size_t with_v6 = std::count_if(
      all.begin(), all.end(), [](const MxFacts& m) { return !m.v6.empty(); });
  const size_t dead = std::count_if(all.begin(), all.end(),
                                    [](const MxFacts& m) { return m.dead; });
  if (dead == all.size()) {  // M2c
    return {v6scope::v1::BROKEN_V4,
            absl::StrCat("0 of ", all.size(), " MX hosts of ", domain,
                         " have an address of either family: ", Items(all),
                         "; mail fails over IPv4 too, so its IPv6 cannot be "
                         "judged.")};
  }
  const size_t live = all.size() - dead;
  const v6scope::v1::ServiceState state =
      with_v6 == 0     ? v6scope::v1::NO_AAAA      // M3
      : with_v6 < live ? v6scope::v1::PARTIAL_V6   // M4
                       : v6scope::v1::SERVING_V6;  // M5
  // For mail, SERVING_V6 means "every MX host publishes AAAA".
  return {state, absl::StrCat(with_v6, " of ", all.size(), " MX hosts of ",
                              domain, " publish an IPv6 address: ", Items(all),
                              dead == 0 ? ""
                                        : " (hosts without any address not "
                                          "counted)",
                              "; SMTP itself is not tested.")};
}

}  // namespace v6scope::methodology::readiness
