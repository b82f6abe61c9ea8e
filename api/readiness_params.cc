#include "api/readiness_params.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace v6scope::api {
namespace {

template <typename Request>
using Setter = std::function<absl::Status(const std::string&, Request&)>;

template <typename Request>
using Setters = std::map<std::string, Setter<Request>>;

absl::StatusOr<uint32_t> Number(const std::string& name,
                                const std::string& value) {
  uint32_t n = 0;
  if (!absl::SimpleAtoi(value, &n)) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": expected a number, got '", value, "'"));
  }
  return n;
}

// A setter of a text field.
template <typename Request>
Setter<Request> Text(void (*set)(Request&, const std::string&)) {
  return [set](const std::string& value, Request& r) {
    set(r, value);
    return absl::OkStatus();
  };
}

// A setter of a number field named `name`.
template <typename Request>
Setter<Request> Count(const std::string& name,
                      void (*set)(Request&, uint32_t)) {
  return [name, set](const std::string& value, Request& r) {
    absl::StatusOr<uint32_t> n = Number(name, value);
    if (!n.ok()) return n.status();
    set(r, *n);
    return absl::OkStatus();
  };
}

// The parameters every readiness request takes.
template <typename Request>
Setters<Request> Common() {
  Setters<Request> s;
  s["campaign_id"] = Text<Request>(
      [](Request& r, const std::string& v) { r.set_campaign_id(v); });
  s["country"] =
      Text<Request>([](Request& r, const std::string& v) { r.set_country(v); });
  s["sector"] =
      Text<Request>([](Request& r, const std::string& v) { r.set_sector(v); });
  s["methodology"] = Text<Request>(
      [](Request& r, const std::string& v) { r.set_methodology(v); });
  s["min_networks"] = Count<Request>(
      "min_networks", [](Request& r, uint32_t n) { r.set_min_networks(n); });
  return s;
}

template <typename Request>
void AddService(Setters<Request>& s) {
  s["service"] =
      Text<Request>([](Request& r, const std::string& v) { r.set_service(v); });
}

template <typename Request>
absl::StatusOr<Request> Parse(const Params& params,
                              const Setters<Request>& setters) {
  Request request;
  for (const auto& [name, value] : params) {
    if (name == "format") continue;
    auto it = setters.find(name);
    if (it == setters.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown parameter '", name, "'"));
    }
    if (absl::Status s = it->second(value, request); !s.ok()) return s;
  }
  return request;
}

}  // namespace

absl::StatusOr<v6scope::v1::ServiceSharesRequest> ParseServiceSharesRequest(
    const Params& params) {
  using R = v6scope::v1::ServiceSharesRequest;
  Setters<R> s = Common<R>();
  AddService(s);
  s["round"] = Count<R>("round", [](R& r, uint32_t n) { r.set_round(n); });
  return Parse(params, s);
}

absl::StatusOr<v6scope::v1::ServiceSeriesRequest> ParseServiceSeriesRequest(
    const Params& params) {
  using R = v6scope::v1::ServiceSeriesRequest;
  Setters<R> s = Common<R>();
  AddService(s);
  return Parse(params, s);
}

absl::StatusOr<v6scope::v1::DomainReadinessRequest> ParseDomainReadinessRequest(
    const Params& params) {
  using R = v6scope::v1::DomainReadinessRequest;
  Setters<R> s = Common<R>();
  s["round"] = Count<R>("round", [](R& r, uint32_t n) { r.set_round(n); });
  s["domain"] = Text<R>([](R& r, const std::string& v) { r.set_domain(v); });
  s["page_size"] =
      Count<R>("page_size", [](R& r, uint32_t n) { r.set_page_size(n); });
  s["page_token"] =
      Text<R>([](R& r, const std::string& v) { r.set_page_token(v); });
  return Parse(params, s);
}

absl::StatusOr<v6scope::v1::ServiceChangesRequest> ParseServiceChangesRequest(
    const Params& params) {
  using R = v6scope::v1::ServiceChangesRequest;
  Setters<R> s = Common<R>();
  AddService(s);
  s["from_round"] =
      Count<R>("from_round", [](R& r, uint32_t n) { r.set_from_round(n); });
  s["to_round"] =
      Count<R>("to_round", [](R& r, uint32_t n) { r.set_to_round(n); });
  return Parse(params, s);
}

}  // namespace v6scope::api
