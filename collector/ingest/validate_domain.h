// Validation of an uploaded DomainBatch (issue 16) before anything is
// looked up or stored: the limits written on the fields of
// proto/readiness.proto and proto/probe_service.proto. A violation is
// INVALID_ARGUMENT whose message starts with the field path, e.g.
// "results[3].check.web[1].final_url: longer than 1024 bytes".
//
// What the collector sets itself (check.web_v4_asn, web_v6_asn and
// verdict) is not checked: it is overwritten at ingest.
#ifndef V6SCOPE_COLLECTOR_INGEST_VALIDATE_DOMAIN_H_
#define V6SCOPE_COLLECTOR_INGEST_VALIDATE_DOMAIN_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "proto/probe_service.pb.h"
#include "proto/readiness.pb.h"

namespace v6scope::collector::ingest {

// Results in one DomainBatch, at most (proto/probe_service.proto).
inline constexpr int kMaxDomainResultsPerBatch = 500;

// A host name as the campaign lists keep them: at most 253 bytes, labels
// of 1..63 bytes of [a-z0-9_-] (upper case too unless `lower_only`), no
// empty label and no final dot.
bool IsHostName(absl::string_view name, bool lower_only);

absl::Status ValidateDomainBatch(const v6scope::v1::DomainBatch& batch);

}  // namespace v6scope::collector::ingest

#endif  // V6SCOPE_COLLECTOR_INGEST_VALIDATE_DOMAIN_H_
