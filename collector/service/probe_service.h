// ProbeService: enrolment and the acknowledged result upload stream, a
// thin gRPC adapter: each batch goes through ingest::IngestPipeline, and
// the service keeps only the stream (authentication, welcome, acks,
// back-off, flow control).
//
// Runs on gRPC's callback threads. Each Upload stream is an UploadReactor
// (probe_service.cc) that keeps at most one batch in the writer at a time:
// it reads the next batch only after the previous one is stored and its
// Ack queued, so a fast probe is slowed to the store's pace (flow control)
// and memory per stream stays bounded. Campaign work rides on the same
// stream (campaign_exchange.h): a WorkPoll gets one WorkOffer, a
// DomainBatch one DomainAck, each request one reply, in order.
#ifndef V6SCOPE_COLLECTOR_SERVICE_PROBE_SERVICE_H_
#define V6SCOPE_COLLECTOR_SERVICE_PROBE_SERVICE_H_

#include "collector/ingest/ingest_metrics.h"
#include "collector/ingest/pipeline.h"
#include "collector/service/campaign_exchange.h"
#include "collector/service/enrol_guard.h"
#include "collector/service/upload_streams.h"
#include "collector/store/store.h"
#include "common/time/clock.h"
#include "google/protobuf/arena.h"
#include "grpcpp/support/byte_buffer.h"
#include "proto/probe_service.grpc.pb.h"

namespace v6scope::collector::service {

// How each upload stream's arena allocates the batches it parses (one
// arena per stream, reset before each read).
google::protobuf::ArenaOptions UploadBatchArenaOptions();

// Upload is a raw method: its messages arrive as bytes and are parsed by
// the reactor (upload_parse.h), so a message that does not parse gets
// INVALID_ARGUMENT saying why instead of looking like the stream's end.
using ProbeServiceBase = v6scope::v1::ProbeService::WithCallbackMethod_Enrol<
    v6scope::v1::ProbeService::WithRawCallbackMethod_Upload<
        v6scope::v1::ProbeService::Service>>;

class ProbeServiceImpl final : public ProbeServiceBase {
 public:
  // All pointers must outlive the service; `metrics` may be null, and so
  // may each part of `campaigns` (CampaignWork says what each null means).
  ProbeServiceImpl(store::Store* store, ingest::IngestPipeline* pipeline,
                   const time::Clock* clock,
                   v6scope::v1::Schedule initial_schedule,
                   ingest::IngestMetrics* metrics = nullptr,
                   UploadStreamLimits stream_limits = UploadStreamLimits(),
                   CampaignWork campaigns = CampaignWork());

  grpc::ServerUnaryReactor* Enrol(
      grpc::CallbackServerContext* context,
      const v6scope::v1::EnrolRequest* request,
      v6scope::v1::EnrolResponse* response) override;

  grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* Upload(
      grpc::CallbackServerContext* context) override;

  store::Store* store() const { return store_; }
  ingest::IngestPipeline* pipeline() const { return pipeline_; }
  const time::Clock* clock() const { return clock_; }
  ingest::IngestMetrics* metrics() const { return metrics_; }
  UploadStreams* streams() { return &streams_; }
  CampaignExchange* campaigns() { return &campaigns_; }

  // Ends the Upload streams that have waited for a batch longer than the
  // idle timeout (DEADLINE_EXCEEDED saying so); returns how many. The
  // collector calls it periodically.
  int EndIdleStreams();

 private:
  absl::Status DoEnrol(const v6scope::v1::EnrolRequest& request,
                       v6scope::v1::EnrolResponse* response);

  store::Store* const store_;
  ingest::IngestPipeline* const pipeline_;
  EnrolGuard enrol_guard_;  // Failed enrolments per client address.
  const time::Clock* const clock_;
  const v6scope::v1::Schedule initial_schedule_;
  ingest::IngestMetrics* const metrics_;  // May be null.
  UploadStreams streams_;                 // Open streams: limits and idle ends.
  CampaignExchange campaigns_;            // Work polls and readiness results.
};

}  // namespace v6scope::collector::service

#endif  // V6SCOPE_COLLECTOR_SERVICE_PROBE_SERVICE_H_
