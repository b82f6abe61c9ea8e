// Measurement: the probe's measuring machinery for one thread — the event
// loop, the c-ares resolver and the curl fetcher on it, and the capability
// suite using them. Owned and used by one thread (the daemon's measuring
// thread, which also waits on the loop between runs: see loop_waiter.h).
#ifndef V6SCOPE_PROBE_MEASUREMENT_H_
#define V6SCOPE_PROBE_MEASUREMENT_H_

#include <memory>

#include "absl/status/statusor.h"
#include "probe/dns/cares_resolver.h"
#include "probe/http/http_fetcher.h"
#include "probe/loop/event_loop.h"
#include "probe/suite/capability_suite.h"
#include "proto/config.pb.h"

namespace v6scope::probe {

class Measurement {
 public:
  // Validates `settings` (filling defaults) and builds the machinery.
  static absl::StatusOr<std::unique_ptr<Measurement>> Create(
      v6scope::v1::ProbeSettings settings);

  suite::Suite* suite() { return suite_.get(); }
  loop::EventLoop* loop() { return loop_.get(); }
  // The host's resolvers as c-ares found them (campaign checks ask them).
  const dns::CaresResolver& resolver() const { return *resolver_; }

 private:
  Measurement() = default;

  // Declaration order is destruction order reversed: the suite goes
  // first, the loop last.
  std::unique_ptr<loop::EventLoop> loop_;
  std::unique_ptr<dns::CaresResolver> resolver_;
  std::unique_ptr<http::HttpFetcher> fetcher_;
  std::unique_ptr<suite::CapabilitySuite> suite_;
};

}  // namespace v6scope::probe

#endif  // V6SCOPE_PROBE_MEASUREMENT_H_
