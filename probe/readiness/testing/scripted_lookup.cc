#include "probe/readiness/testing/scripted_lookup.h"

#include <algorithm>

namespace v6scope::probe::readiness::testing {
namespace {

namespace v1 = ::v6scope::v1;

LookupResult Answer(DnsResponse response, uint16_t qtype) {
  LookupResult r;
  r.rcode = response.rcode;
  r.outcome = OutcomeOf(response, qtype);
  r.response = std::move(response);
  return r;
}

}  // namespace

void ScriptedLookup::SetReply(const std::string& name, uint16_t qtype,
                              const std::string& server, LookupResult result) {
  script_[Key{NormalizeDnsName(name), qtype, server}] = std::move(result);
}

void ScriptedLookup::SetAddresses(const std::string& name,
                                  const std::vector<std::string>& addresses,
                                  const std::vector<std::string>& chain) {
  for (uint16_t qtype : {kTypeA, kTypeAaaa}) {
    DnsResponse response;
    response.cname_chain = chain;
    for (const std::string& literal : addresses) {
      net::IpAddress a = *net::IpAddress::Parse(literal);
      if (a.is_v4() == (qtype == kTypeA)) response.addresses.push_back(a);
    }
    SetReply(name, qtype, "", Answer(std::move(response), qtype));
  }
}

void ScriptedLookup::SetNameServers(const std::string& zone,
                                    const std::vector<std::string>& hosts) {
  DnsResponse response;
  response.name_servers = hosts;
  SetReply(zone, kTypeNs, "", Answer(std::move(response), kTypeNs));
}

void ScriptedLookup::SetMailHosts(const std::string& domain,
                                  const std::vector<MailHost>& hosts) {
  DnsResponse response;
  response.mail_hosts = hosts;
  SetReply(domain, kTypeMx, "", Answer(std::move(response), kTypeMx));
}

void ScriptedLookup::SetSoa(const std::string& zone, const std::string& server,
                            bool authoritative) {
  DnsResponse response;
  response.has_soa = true;
  response.authoritative = authoritative;
  SetReply(zone, kTypeSoa, server, Answer(std::move(response), kTypeSoa));
}

int ScriptedLookup::AskedOf(const std::string& server) const {
  auto it = per_server_.find(server);
  return it == per_server_.end() ? 0 : it->second;
}

void ScriptedLookup::Lookup(LookupRequest request,
                            std::function<void(LookupResult)> done) {
  const std::string server =
      request.server.has_value() ? request.server->address.ToString() : "";
  ++asked_;
  ++per_server_[server];
  max_in_flight_ = std::max(max_in_flight_, ++in_flight_);
  LookupResult result;
  auto it =
      script_.find(Key{NormalizeDnsName(request.name), request.qtype, server});
  if (it != script_.end()) {
    result = it->second;
  } else {
    result.outcome = v1::DNS_NXDOMAIN;
    result.rcode = 3;
    result.response.rcode = 3;
  }
  result.server = server;
  loop_->RunAfter(delay_, [this, done = std::move(done),
                           result = std::move(result)]() mutable {
    --in_flight_;
    done(std::move(result));
  });
}

void ScriptedFetcher::SetResult(const std::string& url,
                                v1::AddressFamily family,
                                http::HttpResult result) {
  script_[{url, family}] = std::move(result);
}

void ScriptedFetcher::SetPage(const std::string& url, v1::AddressFamily family,
                              uint32_t status, const std::string& body) {
  http::HttpResult r;
  r.outcome = status >= 200 && status < 300 ? v1::OK : v1::HTTP_STATUS;
  r.http_status = status;
  r.body = body;
  r.bytes_received = body.size();
  SetResult(url, family, std::move(r));
}

void ScriptedFetcher::SetRedirect(const std::string& url,
                                  v1::AddressFamily family,
                                  const std::string& location) {
  http::HttpResult r;
  r.outcome = v1::HTTP_STATUS;
  r.http_status = 301;
  r.redirect_url = location;
  SetResult(url, family, std::move(r));
}

void ScriptedFetcher::Fetch(http::HttpRequest request,
                            std::function<void(http::HttpResult)> done) {
  max_in_flight_ = std::max(max_in_flight_, ++in_flight_);
  http::HttpResult result;
  auto it = script_.find({request.url, request.family});
  if (it != script_.end()) {
    result = it->second;
  } else {
    result.outcome = v1::CONNECTION_REFUSED;
    result.error_detail = "unscripted";
  }
  // Slower than its whole-transfer timeout: TIMEOUT then, as HttpFetcher
  // ends it (a checker's fetch holds its address in the gate until then).
  absl::Duration after = delay_;
  if (after > request.timeout) {
    after = request.timeout;
    result = http::HttpResult();
    result.outcome = v1::TIMEOUT;
    result.error_detail = "scripted: slower than the timeout";
  }
  if (!request.resolve_to.empty()) {
    result.used_address = request.resolve_to.front().ToString();
  }
  // The body goes to the sink, as HttpFetcher streams it, before `done`.
  std::function<void(absl::string_view)> sink = request.body_sink;
  requests_.push_back(std::move(request));
  loop_->RunAfter(after, [this, done = std::move(done), sink = std::move(sink),
                          result = std::move(result)]() mutable {
    --in_flight_;
    if (sink && !result.body.empty()) sink(result.body);
    done(std::move(result));
  });
}

}  // namespace v6scope::probe::readiness::testing
