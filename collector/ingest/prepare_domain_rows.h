// PrepareDomainRows: a validated DomainBatch (validate_domain.h) made into
// the rows the store keeps (store::DomainResultRow): each result's
// assignment looked up and checked, the domain compared with the one
// assigned, the probe's attribution, the web host's AS numbers
// (enrich_domain.h) and the collector's own verdict
// (methodology/readiness). Runs on the uploading stream's thread.
//
// The assigned domain: an assignment covers list positions first_index ..
// first_index + count - 1 of its campaign; the name at first_index + item
// is re-read from the campaign's list (one range read per assignment per
// batch) and check.domain must equal it. When the list is gone (the
// campaign was deleted, which drops its names but keeps its results) the
// check's own domain, already validated as a host name, is trusted and the
// sector is left empty: nothing accepted is lost, and a probe can only
// ever write rows under its own assignments.
#ifndef V6SCOPE_COLLECTOR_INGEST_PREPARE_DOMAIN_ROWS_H_
#define V6SCOPE_COLLECTOR_INGEST_PREPARE_DOMAIN_ROWS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "collector/enrich/attribution.h"
#include "collector/store/campaign_store.h"
#include "collector/store/readiness_store.h"
#include "proto/probe_service.pb.h"

namespace v6scope::collector::ingest {

struct DomainRowSources {
  store::ReadinessStore* results = nullptr;
  store::CampaignStore* campaigns = nullptr;
  const enrich::AttributionIndex* attribution = nullptr;  // May be null.
};

// Each row carries its check serialized (DomainResultRow::serialized),
// verdict and web AS numbers included; the batch keeps the checks, with
// those set in them. INVALID_ARGUMENT names the
// result: "results[3].assignment_id: ..." (unknown, or another probe's),
// "results[3].item: ..." (beyond the assignment), "results[3].check.domain:
// ..." (not the assigned name). A store read that fails is returned as is.
absl::StatusOr<std::vector<store::DomainResultRow>> PrepareDomainRows(
    const std::string& probe_id, v6scope::v1::DomainBatch* batch,
    const DomainRowSources& sources, absl::Time received_at);

}  // namespace v6scope::collector::ingest

#endif  // V6SCOPE_COLLECTOR_INGEST_PREPARE_DOMAIN_ROWS_H_
