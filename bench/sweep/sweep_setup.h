// The set-up the sweep benchmarks share: one probe EventLoop, UdpDnsLookup
// against one resolver and HttpFetcher on it, made from --resolver; exits
// (cli::Die) when any cannot be made.
#ifndef V6SCOPE_BENCH_SWEEP_SWEEP_SETUP_H_
#define V6SCOPE_BENCH_SWEEP_SWEEP_SETUP_H_

#include <cstddef>
#include <memory>
#include <string>

#include "probe/http/http_fetcher.h"
#include "probe/loop/event_loop.h"
#include "probe/readiness/udp_dns_lookup.h"

namespace v6scope::bench::sweep {

struct SweepSetup {
  std::unique_ptr<probe::loop::EventLoop> loop;
  std::unique_ptr<probe::readiness::UdpDnsLookup> dns;
  std::unique_ptr<probe::http::HttpFetcher> http;
};

// `resolver`: an address literal (port 53). `max_resolver_in_flight`,
// `max_server_in_flight`: as UdpDnsOptions (0: unbounded).
SweepSetup MakeSweepSetupOrDie(
    const std::string& resolver,
    size_t max_resolver_in_flight =
        probe::readiness::UdpDnsOptions{}.max_resolver_in_flight,
    size_t max_server_in_flight =
        probe::readiness::UdpDnsOptions{}.max_server_in_flight);

}  // namespace v6scope::bench::sweep

#endif  // V6SCOPE_BENCH_SWEEP_SWEEP_SETUP_H_
