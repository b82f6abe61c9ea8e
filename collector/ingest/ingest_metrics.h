// IngestMetrics: what the collector's upload path counts, for /metrics.
#ifndef V6SCOPE_COLLECTOR_INGEST_INGEST_METRICS_H_
#define V6SCOPE_COLLECTOR_INGEST_INGEST_METRICS_H_

#include "common/metrics/metrics.h"

namespace v6scope::collector::ingest {

struct IngestMetrics {
  explicit IngestMetrics(metrics::Registry* r)
      : runs_stored(r->Counter("v6scope_collector_runs_stored_total",
                               "Runs stored (new, not duplicates).")
                        ->Get()),
        runs_duplicate(r->Counter("v6scope_collector_runs_duplicate_total",
                                  "Runs received again and ignored.")
                           ->Get()),
        batches_stored(r->Counter("v6scope_collector_batches_stored_total",
                                  "Batches stored and acknowledged.")
                           ->Get()),
        dropped_runs_reported(
            r->Counter("v6scope_collector_probe_dropped_runs_total",
                       "Runs probes reported dropping from their spools.")
                ->Get()),
        rejected(r->Counter("v6scope_collector_uploads_rejected_total",
                            "Upload streams ended with an error, by reason.",
                            {"reason"})),
        streams_opened(r->Counter("v6scope_collector_upload_streams_total",
                                  "Authenticated upload streams opened.")
                           ->Get()),
        streams_active(r->Gauge("v6scope_collector_upload_streams",
                                "Upload streams open now.")
                           ->Get()),
        commits(r->Counter("v6scope_collector_store_commits_total",
                           "Group commits to the store.")
                    ->Get()),
        commit_seconds(
            r->Counter("v6scope_collector_store_commit_seconds_total",
                       "Time spent in group commits.")
                ->Get()),
        public_prefix_refused(
            r->Counter("v6scope_collector_public_prefix_refused_total",
                       "Who-am-I prefixes of received runs refused as public "
                       "prefixes (in a non-public special-purpose block), by "
                       "family.",
                       {"family"})),
        domain_results_stored(
            r->Counter("v6scope_collector_domain_results_stored_total",
                       "Readiness results stored (new, not duplicates).")
                ->Get()),
        domain_results_duplicate(
            r->Counter("v6scope_collector_domain_results_duplicate_total",
                       "Readiness results received again and ignored.")
                ->Get()),
        domain_batches_rejected(r->Counter(
            "v6scope_collector_domain_batches_rejected_total",
            "Readiness result batches not stored, by reason (invalid, "
            "assignment, busy, store).",
            {"reason"})) {}

  metrics::Value* runs_stored;
  metrics::Value* runs_duplicate;
  metrics::Value* batches_stored;
  metrics::Value* dropped_runs_reported;
  metrics::Family* rejected;
  metrics::Value* streams_opened;
  metrics::Value* streams_active;
  metrics::Value* commits;
  metrics::Value* commit_seconds;
  metrics::Family* public_prefix_refused;  // Label family: "v4" | "v6".
  metrics::Value* domain_results_stored;
  metrics::Value* domain_results_duplicate;
  metrics::Family* domain_batches_rejected;  // Label reason.
};

}  // namespace v6scope::collector::ingest

#endif  // V6SCOPE_COLLECTOR_INGEST_INGEST_METRICS_H_
