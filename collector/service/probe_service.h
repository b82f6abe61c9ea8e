// ProbeService: enrolment and the acknowledged result upload stream.
//
// Runs on gRPC's callback threads. Each Upload stream is an UploadReactor
// (probe_service.cc) that keeps at most one batch in the writer at a time:
// it reads the next batch only after the previous one is stored and its
// Ack queued, so a fast probe is slowed to the store's pace (flow control)
// and memory per stream stays bounded.
#ifndef V6SCOPE_COLLECTOR_SERVICE_PROBE_SERVICE_H_
#define V6SCOPE_COLLECTOR_SERVICE_PROBE_SERVICE_H_

#include "collector/enrich/attribution.h"
#include "collector/ingest/ingest_metrics.h"
#include "collector/ingest/ingest_writer.h"
#include "collector/ingest/rate_limiter.h"
#include "collector/ingest/validate.h"
#include "collector/store/store.h"
#include "common/time/clock.h"
#include "google/protobuf/arena.h"
#include "proto/probe_service.grpc.pb.h"

namespace v6scope::collector::service {

// How each upload stream's arena allocates the batches it parses (one
// arena per stream, reset before each read).
google::protobuf::ArenaOptions UploadBatchArenaOptions();

class ProbeServiceImpl final
    : public v6scope::v1::ProbeService::CallbackService {
 public:
  // All pointers must outlive the service.
  ProbeServiceImpl(store::Store* store, ingest::IngestWriter* writer,
                   const Clock* clock, v6scope::v1::Schedule initial_schedule,
                   ingest::IngestLimits limits = {},
                   ingest::IngestMetrics* metrics = nullptr,
                   const enrich::AttributionHolder* attribution = nullptr);

  grpc::ServerUnaryReactor* Enrol(
      grpc::CallbackServerContext* context,
      const v6scope::v1::EnrolRequest* request,
      v6scope::v1::EnrolResponse* response) override;

  grpc::ServerBidiReactor<v6scope::v1::UploadRequest,
                          v6scope::v1::UploadResponse>*
  Upload(grpc::CallbackServerContext* context) override;

  store::Store* store() const { return store_; }
  ingest::IngestWriter* writer() const { return writer_; }
  const Clock* clock() const { return clock_; }
  const ingest::IngestLimits& limits() const { return limits_; }
  ingest::RateLimiter* rate_limiter() { return &rate_limiter_; }
  ingest::IngestMetrics* metrics() const { return metrics_; }
  // The attribution data in use now (null when none is configured).
  std::shared_ptr<const enrich::AttributionIndex> attribution() const {
    return attribution_ == nullptr ? nullptr : attribution_->Current();
  }

 private:
  absl::Status DoEnrol(const v6scope::v1::EnrolRequest& request,
                       v6scope::v1::EnrolResponse* response);

  store::Store* const store_;
  ingest::IngestWriter* const writer_;
  const Clock* const clock_;
  const v6scope::v1::Schedule initial_schedule_;
  const ingest::IngestLimits limits_;
  ingest::RateLimiter rate_limiter_;
  ingest::IngestMetrics* const metrics_;                // May be null.
  const enrich::AttributionHolder* const attribution_;  // May be null.
};

}  // namespace v6scope::collector::service

#endif  // V6SCOPE_COLLECTOR_SERVICE_PROBE_SERVICE_H_
