// FakeProbeService: an in-process gRPC ProbeService (proto/probe_service.
// proto) on a loopback port, for the probe's uplink tests. It stands in for
// a collector without depending on collector/ (the build forbids probe ->
// collector edges): it enrols, welcomes, stores and acknowledges batches,
// or, on command, fails, asks to back off, or never answers (a
// black-holed collector). It also speaks campaign work (issue 16): stores
// and acknowledges DomainBatches (duplicates by seq and by (assignment,
// item)), answers WorkPolls with a set WorkOffer, names cancelled
// assignments in DomainAcks, refuses a result, breaks a stream after
// storing a batch, or behaves as a collector from before campaigns.
#ifndef V6SCOPE_PROBE_UPLINK_TESTING_FAKE_PROBE_SERVICE_H_
#define V6SCOPE_PROBE_UPLINK_TESTING_FAKE_PROBE_SERVICE_H_

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/server.h"
#include "proto/probe_service.grpc.pb.h"

namespace v6scope::probe::uplink::testing {

class FakeProbeService : public v6scope::v1::ProbeService::Service {
 public:
  enum class Mode {
    kAccept,     // Welcome, then an Ack per batch.
    kFail,       // End the stream at once with `fail_status`.
    kBackOff,    // Welcome, then BackOff{back_off_seconds} and fail_status.
    kBlackHole,  // Never answer; hold the call until it is cancelled.
    // A collector from before campaigns: runs as kAccept, but a WorkPoll
    // or DomainBatch ends the stream with INVALID_ARGUMENT "UploadRequest
    // carries no batch".
    kOld,
  };

  // Starts a server on 127.0.0.1 at a free port.
  static absl::StatusOr<std::unique_ptr<FakeProbeService>> Start(
      std::string name = "fake");
  ~FakeProbeService() override;

  std::string address() const { return address_; }
  const std::string& name() const { return name_; }

  void SetMode(Mode mode, absl::Status fail_status = absl::OkStatus(),
               uint32_t back_off_seconds = 0);
  void SetLastStoredSeq(uint64_t seq);

  // Campaign work.
  void SetLastStoredDomainSeq(uint64_t seq);
  // The reply to every WorkPoll.
  void SetOffer(v6scope::v1::WorkOffer offer);
  // A DomainAck of a batch naming this assignment lists it as cancelled.
  void CancelAssignment(std::string assignment_id);
  // A DomainBatch holding result `seq` is refused: INVALID_ARGUMENT
  // "results[<index>].check.domain: not a host name", nothing stored.
  void RefuseResult(uint64_t seq);
  // The next DomainBatch is stored but the stream then ends (UNAVAILABLE)
  // without its DomainAck.
  void BreakAfterNextDomainBatch();

  // What the fake has seen.
  std::vector<uint64_t> stored_seqs() const;
  uint64_t dropped_reported() const;
  int upload_calls() const;
  std::vector<uint64_t> stored_domain_seqs() const;
  uint64_t dropped_results_reported() const;
  std::vector<v6scope::v1::WorkPoll> polls() const;
  // What each Upload call carried, in order: "b" (Batch), "d"
  // (DomainBatch), "p" (WorkPoll), e.g. {"bdp"} for one stream.
  std::vector<std::string> streams() const;
  std::string last_authorization() const;
  // Blocks until a black-holed call is held (true) or `timeout` passes.
  bool WaitForHeldCall(absl::Duration timeout) const;

  grpc::Status Enrol(grpc::ServerContext* ctx,
                     const v6scope::v1::EnrolRequest* req,
                     v6scope::v1::EnrolResponse* resp) override;
  grpc::Status Upload(
      grpc::ServerContext* ctx,
      grpc::ServerReaderWriter<v6scope::v1::UploadResponse,
                               v6scope::v1::UploadRequest>* stream) override;

 private:
  explicit FakeProbeService(std::string name) : name_(std::move(name)) {}
  grpc::Status HoldUntilCancelled(grpc::ServerContext* ctx);
  grpc::Status AckBatches(
      grpc::ServerReaderWriter<v6scope::v1::UploadResponse,
                               v6scope::v1::UploadRequest>* stream,
      bool old);
  // The reply to one request; an error ends the stream.
  absl::StatusOr<v6scope::v1::UploadResponse> Answer(
      const v6scope::v1::UploadRequest& req, bool old, size_t stream_index);
  v6scope::v1::UploadResponse AckRuns(const v6scope::v1::Batch& b);
  absl::StatusOr<v6scope::v1::UploadResponse> AckResults(
      const v6scope::v1::DomainBatch& b);

  const std::string name_;
  std::string address_;
  std::unique_ptr<grpc::Server> server_;
  mutable absl::Mutex mu_;
  Mode mode_ ABSL_GUARDED_BY(mu_) = Mode::kAccept;
  absl::Status fail_status_ ABSL_GUARDED_BY(mu_);
  uint32_t back_off_seconds_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t last_stored_seq_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<uint64_t> stored_ ABSL_GUARDED_BY(mu_);
  uint64_t dropped_ ABSL_GUARDED_BY(mu_) = 0;
  int upload_calls_ ABSL_GUARDED_BY(mu_) = 0;
  int held_calls_ ABSL_GUARDED_BY(mu_) = 0;
  std::string authorization_ ABSL_GUARDED_BY(mu_);
  uint64_t last_stored_domain_seq_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<uint64_t> stored_domain_ ABSL_GUARDED_BY(mu_);
  std::set<std::pair<std::string, uint32_t>> stored_items_ ABSL_GUARDED_BY(mu_);
  uint64_t dropped_results_ ABSL_GUARDED_BY(mu_) = 0;
  v6scope::v1::WorkOffer offer_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> cancelled_ ABSL_GUARDED_BY(mu_);
  std::set<uint64_t> refused_results_ ABSL_GUARDED_BY(mu_);
  bool break_after_domain_batch_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<v6scope::v1::WorkPoll> polls_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> streams_ ABSL_GUARDED_BY(mu_);
};

}  // namespace v6scope::probe::uplink::testing

#endif  // V6SCOPE_PROBE_UPLINK_TESTING_FAKE_PROBE_SERVICE_H_
