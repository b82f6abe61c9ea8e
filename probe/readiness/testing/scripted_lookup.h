// Test fakes for the readiness check: a DnsLookup and an http::Fetcher
// answering from scripts on the event loop (no network), each reply
// delivered from a loop timer (never inline), after an optional delay.
//
// Threading: loop thread only, like the real ones.
#ifndef V6SCOPE_PROBE_READINESS_TESTING_SCRIPTED_LOOKUP_H_
#define V6SCOPE_PROBE_READINESS_TESTING_SCRIPTED_LOOKUP_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "common/net/ip_address.h"
#include "probe/http/fetcher.h"
#include "probe/loop/event_loop.h"
#include "probe/readiness/dns_lookup.h"

namespace v6scope::probe::readiness::testing {

class ScriptedLookup : public DnsLookup {
 public:
  explicit ScriptedLookup(loop::EventLoop* loop) : loop_(loop) {}

  // The reply to (name, qtype) asked of `server` ("" = the host's
  // resolvers, else the server's address literal).
  void SetReply(const std::string& name, uint16_t qtype,
                const std::string& server, LookupResult result);
  // A and AAAA of `name` through the resolvers: each family's addresses
  // (NODATA for a family with none), after the CNAME `chain`.
  void SetAddresses(const std::string& name,
                    const std::vector<std::string>& addresses,
                    const std::vector<std::string>& chain = {});
  void SetNameServers(const std::string& zone,
                      const std::vector<std::string>& hosts);
  void SetMailHosts(const std::string& domain,
                    const std::vector<MailHost>& hosts);
  // SOA of `zone` asked at `server`: authoritative or not.
  void SetSoa(const std::string& zone, const std::string& server,
              bool authoritative);
  // Every reply is delivered this late.
  void set_delay(absl::Duration delay) { delay_ = delay; }

  void Lookup(LookupRequest request,
              std::function<void(LookupResult)> done) override;

  int asked() const { return asked_; }
  int in_flight() const { return in_flight_; }
  int max_in_flight() const { return max_in_flight_; }
  // Questions asked of `server` ("" = resolvers) with recursion as sent.
  int AskedOf(const std::string& server) const;

 private:
  using Key = std::tuple<std::string, uint16_t, std::string>;
  loop::EventLoop* const loop_;
  std::map<Key, LookupResult> script_;
  std::map<std::string, int> per_server_;
  absl::Duration delay_ = absl::ZeroDuration();
  int asked_ = 0;
  int in_flight_ = 0;
  int max_in_flight_ = 0;
};

class ScriptedFetcher : public http::Fetcher {
 public:
  explicit ScriptedFetcher(loop::EventLoop* loop) : loop_(loop) {}

  // The result of fetching `url` pinned to `family` (default: refused).
  void SetResult(const std::string& url, v6scope::v1::AddressFamily family,
                 http::HttpResult result);
  // Shorthands: a page with `body`, or a redirect to `location`.
  void SetPage(const std::string& url, v6scope::v1::AddressFamily family,
               uint32_t status, const std::string& body);
  void SetRedirect(const std::string& url, v6scope::v1::AddressFamily family,
                   const std::string& location);
  // Every result is delivered this late; a request whose timeout is
  // shorter ends TIMEOUT at its timeout instead, as with HttpFetcher.
  void set_delay(absl::Duration delay) { delay_ = delay; }

  void Fetch(http::HttpRequest request,
             std::function<void(http::HttpResult)> done) override;

  const std::vector<http::HttpRequest>& requests() const { return requests_; }
  int in_flight() const { return in_flight_; }
  int max_in_flight() const { return max_in_flight_; }

 private:
  loop::EventLoop* const loop_;
  std::map<std::pair<std::string, v6scope::v1::AddressFamily>, http::HttpResult>
      script_;
  std::vector<http::HttpRequest> requests_;
  absl::Duration delay_ = absl::ZeroDuration();
  int in_flight_ = 0;
  int max_in_flight_ = 0;
};

}  // namespace v6scope::probe::readiness::testing

#endif  // V6SCOPE_PROBE_READINESS_TESTING_SCRIPTED_LOOKUP_H_
