// SuiteRun: the state of one capability run while its tests are in flight.
// Internal to CapabilitySuite. Lives on the loop thread; callbacks hold a
// shared_ptr to it, so a late callback after the run's deadline writes into
// a run nobody reads any more instead of into freed memory.
#ifndef V6SCOPE_PROBE_SUITE_SUITE_RUN_H_
#define V6SCOPE_PROBE_SUITE_SUITE_RUN_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/net/ip_address.h"
#include "probe/dns/dns_resolver.h"
#include "probe/http/fetcher.h"
#include "probe/suite/test_plan.h"
#include "proto/config.pb.h"
#include "proto/results.pb.h"

namespace v6scope::probe::suite {

// Addresses for one target host, however they were found.
struct HostAddresses {
  std::vector<net::IpAddress> addresses;
  // When DNS was asked: how long it took (the slower of A and AAAA) and, if
  // no address came back, the most telling failure per family.
  absl::Duration dns_elapsed;
  v6scope::v1::Outcome v4_failure = v6scope::v1::NO_ADDRESS;
  v6scope::v1::Outcome v6_failure = v6scope::v1::NO_ADDRESS;
  std::string detail;
};

class SuiteRun : public std::enable_shared_from_this<SuiteRun> {
 public:
  SuiteRun(dns::DnsResolver* resolver, http::Fetcher* fetcher,
           const v6scope::v1::ProbeSettings& settings);

  // Issues every test of `plan`, each with the runner its kind's spec
  // names. Loop thread; callbacks come later, never inline.
  void Start(const std::vector<PlannedTest>& plan);
  bool done() const { return outstanding_ == 0; }
  // The run's tests, NAT64 prefix and public prefixes so far.
  const v6scope::v1::Run& run() const { return run_; }

 private:
  using HostCallback = std::function<void(const HostAddresses&)>;
  struct Lookup {
    bool done = false;
    dns::DnsAnswer answer;
    std::vector<std::function<void(const dns::DnsAnswer&)>> waiters;
  };
  v6scope::v1::TestResult* AddTest(v6scope::v1::TestKind kind,
                                   v6scope::v1::AddressFamily family,
                                   const std::string& target);
  bool OptedOut(v6scope::v1::TestKind kind) const;
  const v6scope::v1::StaticHost* StaticHost(const std::string& host) const;

  void LookupOnce(const std::string& name, dns::DnsType type,
                  std::function<void(const dns::DnsAnswer&)> done);
  void ResolveHost(const std::string& host, bool want_a, bool want_aaaa,
                   HostCallback done);

  // The runners, one per methodology::kinds::Runner.
  void DnsTest(const PlannedTest& plan);
  void HttpTest(const PlannedTest& plan);
  void FetchPinned(const PlannedTest& plan, v6scope::v1::TestResult* test,
                   const HostAddresses& host);
  void OnFetched(const PlannedTest& plan, v6scope::v1::TestResult* test,
                 absl::Duration dns_elapsed, const http::HttpResult& result);

  dns::DnsResolver* const resolver_;
  http::Fetcher* const fetcher_;
  const v6scope::v1::ProbeSettings settings_;
  v6scope::v1::Run run_;
  int outstanding_ = 0;
  std::map<std::pair<std::string, dns::DnsType>, std::shared_ptr<Lookup>>
      lookups_;
};

}  // namespace v6scope::probe::suite

#endif  // V6SCOPE_PROBE_SUITE_SUITE_RUN_H_
