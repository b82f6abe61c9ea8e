#include "probe/campaign_work.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/net/ip_address.h"

namespace v6scope::probe {
namespace {

// The host's resolvers as c-ares reads them (the --resolver flag, else
// /etc/resolv.conf), for the readiness checks' own UDP client.
absl::StatusOr<std::vector<readiness::DnsServer>> HostResolvers(
    const dns::CaresResolver& resolver) {
  std::vector<readiness::DnsServer> servers;
  const std::vector<std::string>& addresses = resolver.servers();
  const std::vector<uint16_t>& ports = resolver.server_ports();
  for (size_t i = 0; i < addresses.size(); ++i) {
    absl::StatusOr<net::IpAddress> a = net::IpAddress::Parse(addresses[i]);
    if (!a.ok()) continue;
    servers.push_back({*a, i < ports.size() ? ports[i] : uint16_t{53}});
  }
  if (servers.empty()) {
    return absl::FailedPreconditionError(
        "campaigns: the host has no usable DNS resolver (set --resolver or "
        "/etc/resolv.conf)");
  }
  return servers;
}

}  // namespace

absl::StatusOr<std::unique_ptr<CampaignWork>> CampaignWork::Create(
    Measurement* measurement, spool::DomainSpool* results,
    spool::SpooledResultSink::SeqSource next_seq,
    std::function<void()> appended, CampaignWorkOptions options) {
  loop::EventLoop* loop = measurement->loop();
  std::unique_ptr<CampaignWork> w(new CampaignWork());
  absl::StatusOr<std::vector<readiness::DnsServer>> servers =
      HostResolvers(measurement->resolver());
  if (!servers.ok()) return servers.status();
  readiness::UdpDnsOptions dns_options;
  dns_options.resolvers = *std::move(servers);
  absl::StatusOr<std::unique_ptr<readiness::UdpDnsLookup>> dns =
      readiness::UdpDnsLookup::Create(loop, std::move(dns_options));
  if (!dns.ok()) return dns.status();
  w->dns_ = *std::move(dns);
  absl::StatusOr<std::unique_ptr<http::HttpFetcher>> fetcher =
      http::HttpFetcher::Create(loop);
  if (!fetcher.ok()) return fetcher.status();
  w->fetcher_ = *std::move(fetcher);
  w->gate_ = std::make_unique<readiness::ConnectionGate>(
      loop, time::RealClock::Get(), options.min_interval_per_address);
  campaign::BookOptions book;
  book.dir = absl::StrCat(options.state_dir, "/campaigns");
  book.participation = options.participation;
  absl::StatusOr<std::unique_ptr<campaign::FileWorkBook>> opened =
      campaign::FileWorkBook::Open(std::move(book));
  if (!opened.ok()) return opened.status();
  w->book_ = *std::move(opened);
  w->sink_ = std::make_unique<spool::SpooledResultSink>(
      results, std::move(next_seq), std::move(appended));
  campaign::CheckerDeps deps;
  deps.loop = loop;
  deps.dns = w->dns_.get();
  deps.fetcher = w->fetcher_.get();
  deps.gate = w->gate_.get();
  deps.options.web.ca_file = options.ca_file;
  w->runner_ = std::make_unique<campaign::CampaignRunner>(w->book_.get(),
                                                          w->sink_.get(), deps);
  return w;
}

}  // namespace v6scope::probe
