#include "methodology/readiness/fetch.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "methodology/readiness/text.h"
#include "proto/readiness.pb.h"
#include "proto/results.pb.h"

namespace v6scope::methodology::readiness {
namespace {

using v6scope::v1::Outcome;
using v6scope::v1::WebFetch;

bool IsTransport(Outcome o) {
  return o == v6scope::v1::TIMEOUT || o == v6scope::v1::STALLED ||
         o == v6scope::v1::CONNECTION_REFUSED ||
         o == v6scope::v1::NETWORK_UNREACHABLE ||
         o == v6scope::v1::HOST_UNREACHABLE ||
         o == v6scope::v1::ADMIN_PROHIBITED;
}

bool UsesTls(const WebFetch& f) {
  return absl::StartsWithIgnoreCase(f.start_url(), "https://") ||
         absl::StartsWithIgnoreCase(f.final_url(), "https://");
}

bool LastHopRedirected(const WebFetch& f) {
  if (f.hops().empty()) return false;
  const uint32_t status = f.hops(f.hops_size() - 1).status();
  return status >= 300 && status < 400;
}

}  // namespace

const WebFetch* FindFetch(const v6scope::v1::DomainCheck& check,
                          absl::string_view scheme,
                          v6scope::v1::AddressFamily family) {
  const std::string prefix = absl::StrCat(scheme, "://");
  for (const WebFetch& f : check.web()) {
    if (f.family() == family &&
        absl::StartsWithIgnoreCase(f.start_url(), prefix)) {
      return &f;
    }
  }
  return nullptr;
}

FetchView ViewOf(const WebFetch* fetch) {
  FetchView v;
  v.fetch = fetch;
  if (fetch == nullptr) return v;
  const Outcome o = fetch->outcome();
  const bool no_address = o == v6scope::v1::NO_ADDRESS;
  v.ran = o != v6scope::v1::SKIPPED && o != v6scope::v1::OUTCOME_UNSPECIFIED &&
          !(no_address && fetch->hops().empty());
  if (!v.ran) return v;
  const uint32_t status = fetch->status();
  v.answered = (o == v6scope::v1::OK || o == v6scope::v1::HTTP_STATUS) &&
               status >= 100 && status <= 599;
  v.status_class = v.answered ? static_cast<int>(status / 100) : 0;
  v.tls_failed = UsesTls(*fetch) && (o == v6scope::v1::TLS_ERROR ||
                                     (v.answered && !fetch->tls_verified()));
  v.transport_failed =
      IsTransport(o) && (fetch->hops().empty() || LastHopRedirected(*fetch));
  v.redirect_no_address = no_address;
  return v;
}

bool Serves(const FetchView& f, int below_class) {
  return f.answered && !f.tls_failed && f.status_class < below_class;
}

int Rank(const FetchView& f) {
  if (!f.ran) return 0;
  if (f.transport_failed) return 1;
  if (!f.answered) return 2;
  return Serves(f, 4) ? 4 : 3;
}

std::string Describe(const FetchView& f) {
  if (f.fetch == nullptr) return "not tried";
  if (!f.ran) return "not run";
  const WebFetch& w = *f.fetch;
  std::string address =
      w.hops().empty() ? "" : Clean(w.hops(w.hops_size() - 1).address());
  // From an IPv6-only vantage the IPv4 fetch went through the network's
  // NAT64 (to the mapped address): still the IPv4 side of the comparison.
  if (!address.empty() && w.via_nat64()) {
    absl::StrAppend(&address, " through NAT64");
  }
  if (f.answered && !f.tls_failed) {
    return address.empty() ? absl::StrCat(w.status())
                           : absl::StrCat(w.status(), " from ", address);
  }
  std::string out = f.answered
                        ? absl::StrCat(w.status(), " with TLS not verified")
                        : OutcomeName(w.outcome());
  if (!address.empty()) absl::StrAppend(&out, " at ", address);
  if (!w.error_detail().empty()) {
    absl::StrAppend(&out, " (", Clean(w.error_detail(), 60), ")");
  }
  return out;
}

std::string StartUrl(const FetchView& f, absl::string_view fallback) {
  if (f.fetch == nullptr || f.fetch->start_url().empty()) {
    return std::string(fallback);
  }
  return Clean(f.fetch->start_url());
}

std::string RedirectTarget(const FetchView& f, const FetchView& other) {
  const WebFetch& w = *f.fetch;
  if (other.fetch != nullptr && other.fetch->hops_size() > w.hops_size()) {
    return Clean(other.fetch->hops(w.hops_size()).url());
  }
  const std::string last =
      w.hops().empty() ? "" : w.hops(w.hops_size() - 1).url();
  if (!w.final_url().empty() && w.final_url() != last) {
    return Clean(w.final_url());
  }
  return "a host without an address of that family";
}

}  // namespace v6scope::methodology::readiness
