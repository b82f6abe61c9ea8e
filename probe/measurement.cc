#include "probe/measurement.h"

namespace v6scope::probe {
namespace {

constexpr int kDnsTries = 2;

}  // namespace

absl::StatusOr<std::unique_ptr<Measurement>> Measurement::Create(
    v6scope::v1::ProbeSettings settings) {
  absl::Status s = suite::ValidateProbeSettings(&settings);
  if (!s.ok()) return s;
  std::unique_ptr<Measurement> m(new Measurement());
  absl::StatusOr<std::unique_ptr<loop::EventLoop>> loop =
      loop::EventLoop::Create();
  if (!loop.ok()) return loop.status();
  m->loop_ = std::move(*loop);
  // dns_timeout_ms bounds the whole DNS test: c-ares' tries share it (a
  // lookup ends within timeout x tries), so one lost packet is retried
  // and the run still ends in time.
  dns::CaresOptions dns;
  dns.server = settings.resolver();
  dns.tries = kDnsTries;
  dns.timeout = absl::Milliseconds(settings.dns_timeout_ms()) / kDnsTries;
  absl::StatusOr<std::unique_ptr<dns::CaresResolver>> resolver =
      dns::CaresResolver::Create(m->loop_.get(), dns);
  if (!resolver.ok()) return resolver.status();
  m->resolver_ = std::move(*resolver);
  absl::StatusOr<std::unique_ptr<http::HttpFetcher>> fetcher =
      http::HttpFetcher::Create(m->loop_.get());
  if (!fetcher.ok()) return fetcher.status();
  m->fetcher_ = std::move(*fetcher);
  suite::CapabilitySuite::Deps deps;
  deps.loop = m->loop_.get();
  deps.resolver = m->resolver_.get();
  deps.fetcher = m->fetcher_.get();
  m->suite_ =
      std::make_unique<suite::CapabilitySuite>(deps, std::move(settings));
  return m;
}

}  // namespace v6scope::probe
