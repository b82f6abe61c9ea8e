#include "collector/ingest/pipeline.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "collector/ingest/enrich_run.h"
#include "collector/ingest/prepare_run.h"
#include "collector/ingest/public_prefixes.h"
#include "common/log/error_id.h"
#include "common/log/log.h"

namespace v6scope::collector::ingest {

IngestPipeline::IngestPipeline(IngestWriter* writer, const time::Clock* clock,
                               IngestLimits limits, IngestMetrics* metrics,
                               const enrich::AttributionHolder* attribution)
    : writer_(writer),
      clock_(clock),
      limits_(limits),
      rate_limiter_(clock, limits.max_runs_per_second_per_probe,
                    limits.max_burst_runs_per_probe),
      metrics_(metrics),
      attribution_(attribution) {}

absl::StatusOr<Admission> IngestPipeline::Accept(const std::string& probe_id,
                                                 const std::string& peer,
                                                 v6scope::v1::Batch* batch,
                                                 Done done) {
  // Flow control across streams: when the writer is behind, the probe is
  // told to come back later instead of being queued without bound.
  if (writer_->QueuedBatches() >= limits_.max_queued_batches) {
    return Admission{false, limits_.back_off_seconds, "collector busy"};
  }
  absl::Status valid = ValidateBatch(*batch, clock_->Now(), limits_);
  if (!valid.ok()) return valid;
  if (std::optional<Admission> refused = BackOffFor(probe_id, *batch)) {
    return *refused;
  }
  absl::StatusOr<store::RunBatch> prepared = Prepare(probe_id, peer, batch);
  if (!prepared.ok()) return prepared.status();
  const uint64_t first = prepared->first_seq;
  const uint64_t last = prepared->first_seq + prepared->runs.size() - 1;
  const uint64_t dropped = prepared->dropped_runs;
  writer_->Submit(
      *std::move(prepared),
      [this, probe_id, first, last, dropped,
       done = std::move(done)](absl::StatusOr<store::BatchOutcome> outcome) {
        Complete(probe_id, first, last, dropped, std::move(outcome), done);
      });
  return Admission{true, 0, ""};
}

std::optional<Admission> IngestPipeline::BackOffFor(
    const std::string& probe_id, const v6scope::v1::Batch& batch) {
  // One probe cannot take the others' share of the writer.
  const absl::Duration wait =
      rate_limiter_.Take(probe_id, static_cast<double>(batch.runs_size()));
  if (wait <= absl::ZeroDuration()) return std::nullopt;
  return Admission{false,
                   static_cast<int>(absl::ToInt64Seconds(
                       absl::Ceil(wait, absl::Seconds(1)))),
                   "probe over its upload rate limit"};
}

absl::StatusOr<store::RunBatch> IngestPipeline::Prepare(
    const std::string& probe_id, const std::string& peer,
    v6scope::v1::Batch* batch) const {
  store::RunBatch rb;
  rb.probe_id = probe_id;
  rb.first_seq = batch->first_seq();
  rb.dropped_runs = batch->dropped_runs();
  rb.received_at = clock_->Now();
  rb.runs.reserve(batch->runs_size());
  // One index for the whole batch, even if a reload swaps it meanwhile.
  const std::shared_ptr<const enrich::AttributionIndex> index =
      attribution_ == nullptr ? nullptr : attribution_->Current();
  for (v6scope::v1::Run& run : *batch->mutable_runs()) {
    SanitizeRun(&run);
    RefusePrefixes(probe_id, rb.first_seq + rb.runs.size(), &run);
    EnrichRun(index.get(), peer, &run);
    absl::StatusOr<store::PreparedRun> prepared = PrepareRun(run);
    if (!prepared.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "batch.runs[", rb.runs.size(), "]: ", prepared.status().message()));
    }
    rb.runs.push_back(*std::move(prepared));
  }
  return rb;
}

void IngestPipeline::RefusePrefixes(const std::string& probe_id, uint64_t seq,
                                    v6scope::v1::Run* run) const {
  for (const RefusedPrefix& refused : RefuseNonPublicPrefixes(run)) {
    log::Warn("ingest.public_prefix_refused",
              {{"probe", probe_id},
               {"seq", seq},
               {"prefix", refused.prefix},
               {"block", refused.block},
               {"block_name", refused.block_name}});
    if (metrics_ != nullptr) {
      metrics_->public_prefix_refused->With({refused.family})->Add(1);
    }
  }
}

void IngestPipeline::Complete(const std::string& probe_id, uint64_t first,
                              uint64_t last, uint64_t dropped,
                              absl::StatusOr<store::BatchOutcome> outcome,
                              const Done& done) const {
  if (!outcome.ok()) {
    // Not stored, not acknowledged: the probe keeps the batch and retries.
    // The store's message (SQL, paths) is logged under an error id, never
    // sent to the probe.
    return done(
        log::PublicError(absl::StatusCode::kUnavailable,
                         "could not store the batch; keep it and retry later",
                         outcome.status(), "grpc.error", "Upload"));
  }
  // Revocation takes effect on the next batch of an open stream, also when
  // another collector sharing the database did the revoking: the store
  // checks it in the transaction that would have stored the batch.
  if (outcome->revoked) {
    return done(absl::UnauthenticatedError(
        absl::StrCat("probe ", probe_id, " has been revoked")));
  }
  log::Info("batch.stored", {{"probe", probe_id},
                             {"seq", absl::StrCat(first, "..", last)},
                             {"stored", outcome->stored},
                             {"duplicates", outcome->duplicates}});
  if (metrics_ != nullptr) {
    metrics_->runs_stored->Add(outcome->stored);
    metrics_->runs_duplicate->Add(outcome->duplicates);
    metrics_->batches_stored->Add(1);
    // A resent batch (all duplicates) reported its drops already.
    if (outcome->stored > 0) {
      metrics_->dropped_runs_reported->Add(static_cast<double>(dropped));
    }
  }
  done(StoredBatch{first, last, outcome->stored, outcome->duplicates});
}

}  // namespace v6scope::collector::ingest
