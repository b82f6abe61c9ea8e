#include "bench/sweep/sweep_setup.h"

#include <utility>

#include "common/cli/flags.h"
#include "common/net/ip_address.h"

namespace v6scope::bench::sweep {

namespace readiness = ::v6scope::probe::readiness;

SweepSetup MakeSweepSetupOrDie(const std::string& resolver,
                               size_t max_resolver_in_flight,
                               size_t max_server_in_flight) {
  auto address = net::IpAddress::Parse(resolver);
  if (!address.ok()) cli::Die("--resolver: not an address");
  auto loop = probe::loop::EventLoop::Create();
  if (!loop.ok()) cli::Die(loop.status().ToString(), 3);
  readiness::UdpDnsOptions options;
  options.resolvers = {readiness::DnsServer{*address, 53}};
  options.max_resolver_in_flight = max_resolver_in_flight;
  options.max_server_in_flight = max_server_in_flight;
  auto dns = readiness::UdpDnsLookup::Create(loop->get(), options);
  auto http = probe::http::HttpFetcher::Create(loop->get());
  if (!dns.ok() || !http.ok())
    cli::Die("cannot create the DNS or HTTP side", 3);
  return SweepSetup{*std::move(loop), *std::move(dns), *std::move(http)};
}

}  // namespace v6scope::bench::sweep
