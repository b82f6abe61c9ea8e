#include "probe/measurement.h"

namespace v6scope::probe {

absl::StatusOr<std::unique_ptr<Measurement>> Measurement::Create(
    v6scope::v1::ProbeSettings settings) {
  absl::Status s = ValidateProbeSettings(&settings);
  if (!s.ok()) return s;
  std::unique_ptr<Measurement> m(new Measurement());
  absl::StatusOr<std::unique_ptr<EventLoop>> loop = EventLoop::Create();
  if (!loop.ok()) return loop.status();
  m->loop_ = std::move(*loop);
  CaresOptions dns;
  dns.server = settings.resolver();
  dns.timeout = absl::Milliseconds(settings.dns_timeout_ms());
  absl::StatusOr<std::unique_ptr<CaresResolver>> resolver =
      CaresResolver::Create(m->loop_.get(), dns);
  if (!resolver.ok()) return resolver.status();
  m->resolver_ = std::move(*resolver);
  absl::StatusOr<std::unique_ptr<HttpFetcher>> fetcher =
      HttpFetcher::Create(m->loop_.get());
  if (!fetcher.ok()) return fetcher.status();
  m->fetcher_ = std::move(*fetcher);
  CapabilitySuite::Deps deps;
  deps.loop = m->loop_.get();
  deps.resolver = m->resolver_.get();
  deps.fetcher = m->fetcher_.get();
  m->suite_ = std::make_unique<CapabilitySuite>(deps, std::move(settings));
  return m;
}

}  // namespace v6scope::probe
