// ReadinessIngest: what happens to one uploaded DomainBatch (issue 16)
// between the wire and the store: validate every DomainCheck against the
// limits of proto/readiness.proto, look up each result's assignment (it
// must be the uploading probe's), attribute the web host's first A and
// AAAA to their origin AS (web_v4_asn, web_v6_asn) and the probe to its
// network, compute the readiness verdict (methodology/readiness), and
// store the batch (store::ReadinessStore::StoreDomainResults). The gRPC
// ProbeService is an adapter over Submit, as for runs.
#ifndef V6SCOPE_COLLECTOR_INGEST_READINESS_INGEST_H_
#define V6SCOPE_COLLECTOR_INGEST_READINESS_INGEST_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "collector/store/readiness_store.h"
#include "proto/probe_service.pb.h"

namespace v6scope::collector::ingest {

class ReadinessIngest {
 public:
  // Called exactly once per submitted batch, on a worker thread; must not
  // block. An error means nothing of the batch was stored and it must not
  // be acknowledged: UNAVAILABLE (the store failed).
  using Done = std::function<void(absl::StatusOr<store::StoredDomainBatch>)>;

  virtual ~ReadinessIngest() = default;

  // Checks `batch` at once on the caller's thread (INVALID_ARGUMENT naming
  // the result and field, e.g. "results[3].check.web[1].final_url: ...",
  // or naming an assignment that is not this probe's; RESOURCE_EXHAUSTED
  // when the store's queue is full: the caller backs the probe off), then
  // stores it on a worker thread and calls `done`. `batch` is moved from;
  // the caller need not keep it.
  virtual absl::Status Submit(const std::string& probe_id,
                              v6scope::v1::DomainBatch* batch, Done done) = 0;
};

}  // namespace v6scope::collector::ingest

#endif  // V6SCOPE_COLLECTOR_INGEST_READINESS_INGEST_H_
