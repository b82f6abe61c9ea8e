// DomainSpool: the probe's second spool, of readiness results
// (v6scope.v1.DomainResult) waiting for the collector, in
// <state>/readiness-spool. Same format, guarantees and threading as the
// run spool (spool.h), with its own sequence space (DomainBatch.first_seq).
#ifndef V6SCOPE_PROBE_SPOOL_DOMAIN_SPOOL_H_
#define V6SCOPE_PROBE_SPOOL_DOMAIN_SPOOL_H_

#include <cstdint>

#include "probe/spool/spool.h"
#include "proto/probe_service.pb.h"

namespace v6scope::probe::spool {

// A readiness result read back from the spool.
struct SpooledResult {
  using Payload = v6scope::v1::DomainResult;
  static constexpr char kNoun[] = "result";
  static Payload& PayloadOf(SpooledResult& r) { return r.result; }

  uint64_t seq = 0;
  v6scope::v1::DomainResult result;
};

using DomainSpool = BasicSpool<SpooledResult>;

}  // namespace v6scope::probe::spool

#endif  // V6SCOPE_PROBE_SPOOL_DOMAIN_SPOOL_H_
