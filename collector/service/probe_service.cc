#include "collector/service/probe_service.h"

#include <deque>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "collector/ingest/enrich_run.h"
#include "collector/ingest/prepare_run.h"
#include "collector/service/auth.h"
#include "common/crypto/secrets.h"
#include "common/log/log.h"
#include "common/rpc/status.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/util/time_util.h"

namespace v6scope::collector::service {
namespace {

using google::protobuf::util::TimeUtil;
using v6scope::v1::UploadRequest;
using v6scope::v1::UploadResponse;

constexpr size_t kMaxTokenBytes = 128;

google::protobuf::Timestamp ToProto(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

// One Upload stream. Thread-safe: gRPC reactions and the writer's
// completion may run concurrently, so all state is under mu_.
//
// gRPC may run a reaction inline from StartRead/StartWrite/Finish, so those
// are never called with mu_ held: each entry point decides under the lock
// what to start (an Ops value) and starts it after releasing the lock.
// Once an entry point has started its last op it touches nothing, because
// a Finish started elsewhere may delete the reactor at any time after.
class UploadReactor final
    : public grpc::ServerBidiReactor<UploadRequest, UploadResponse> {
 public:
  UploadReactor(ProbeServiceImpl* service, grpc::CallbackServerContext* context)
      : service_(service), context_(context) {}

  void Start() {
    absl::StatusOr<store::ProbeRecord> probe = Authenticate();
    absl::StatusOr<uint64_t> last =
        probe.ok() ? service_->store()->LastStoredSeq(probe->probe_id)
                   : absl::StatusOr<uint64_t>(probe.status());
    Ops ops;
    {
      absl::MutexLock lock(&mu_);
      HandleStartLocked(probe, last, ops);
    }
    Perform(ops);
  }

  void OnReadDone(bool ok) override {
    Ops ops;
    {
      absl::MutexLock lock(&mu_);
      HandleReadDoneLocked(ok, ops);
    }
    Perform(ops);
  }

  void OnWriteDone(bool ok) override {
    Ops ops;
    {
      absl::MutexLock lock(&mu_);
      HandleWriteDoneLocked(ok, ops);
    }
    Perform(ops);
  }

  void OnCancel() override {
    Ops ops;
    {
      absl::MutexLock lock(&mu_);
      cancelled_ = true;
      MaybeFinishLocked(ops);
    }
    Perform(ops);
  }

  void OnDone() override {
    if (counted_active_) service_->metrics()->streams_active->Add(-1);
    delete this;
  }

 private:
  // At most one of each per decision: writing_ and reading_ allow only one
  // outstanding write and read, and Finish comes last.
  struct Ops {
    const UploadResponse* write = nullptr;
    bool read = false;
    std::optional<grpc::Status> finish;
  };

  void Perform(Ops& ops) {
    if (ops.write != nullptr) StartWrite(ops.write);
    if (ops.read) StartRead(request_);
    if (ops.finish.has_value()) Finish(*ops.finish);
  }

  absl::StatusOr<store::ProbeRecord> Authenticate() {
    absl::StatusOr<std::string> bearer = BearerToken(*context_);
    if (!bearer.ok()) return bearer.status();
    return AuthenticateProbe(*bearer, *service_->store());
  }

  void HandleStartLocked(const absl::StatusOr<store::ProbeRecord>& probe,
                         const absl::StatusOr<uint64_t>& last, Ops& ops)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (!probe.ok()) {
      log::Warn("upload.rejected",
                {{"peer", context_->peer()}, {"status", probe.status()}});
      FailLocked(probe.status(), ops);
      return;
    }
    probe_id_ = probe->probe_id;
    if (!last.ok()) {
      FailLocked(last.status(), ops);
      return;
    }
    UploadResponse welcome;
    welcome.mutable_welcome()->set_last_stored_seq(*last);
    *welcome.mutable_welcome()->mutable_server_time() =
        ToProto(service_->clock()->Now());
    QueueWriteLocked(std::move(welcome), ops);
    StartReadLocked(ops);
    log::Info("upload.opened", {{"probe", probe_id_}, {"last_seq", *last}});
    if (ingest::IngestMetrics* m = service_->metrics(); m != nullptr) {
      m->streams_opened->Add(1);
      m->streams_active->Add(1);
      counted_active_ = true;
    }
  }

  void HandleReadDoneLocked(bool ok, Ops& ops)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    reading_ = false;
    if (!ok) {
      reads_done_ = true;
      MaybeFinishLocked(ops);
      return;
    }
    if (!request_->has_batch()) {
      FailLocked(absl::InvalidArgumentError("UploadRequest carries no batch"),
                 ops);
      return;
    }
    // Flow control across streams: when the writer is behind, tell the
    // probe to come back later instead of queueing without bound. The
    // batch is not stored and not acknowledged; the probe keeps it.
    if (service_->writer()->QueuedBatches() >=
        service_->limits().max_queued_batches) {
      BackOffLocked(service_->limits().back_off_seconds, "collector busy", ops);
      return;
    }
    absl::Status valid = ingest::ValidateBatch(
        request_->batch(), service_->clock()->Now(), service_->limits());
    if (!valid.ok()) {
      log::Warn("upload.invalid", {{"probe", probe_id_}, {"status", valid}});
      FailLocked(valid, ops);
      return;
    }
    // One probe cannot take the others' share of the writer.
    const absl::Duration wait = service_->rate_limiter()->Take(
        probe_id_, static_cast<double>(request_->batch().runs_size()));
    if (wait > absl::ZeroDuration()) {
      BackOffLocked(static_cast<int>(absl::ToInt64Seconds(
                        absl::Ceil(wait, absl::Seconds(1)))),
                    "probe over its upload rate limit", ops);
      return;
    }
    SubmitLocked(ops);
  }

  // Asks the probe to come back in `seconds` and ends the stream; the
  // batch at hand is neither stored nor acknowledged, so the probe keeps it.
  void BackOffLocked(int seconds, absl::string_view why, Ops& ops)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    UploadResponse back_off;
    back_off.mutable_back_off()->set_seconds(static_cast<uint32_t>(seconds));
    QueueWriteLocked(std::move(back_off), ops);
    log::Warn("upload.back_off",
              {{"probe", probe_id_}, {"seconds", seconds}, {"why", why}});
    FailLocked(absl::ResourceExhaustedError(
                   absl::StrCat(why, ": back off for ", seconds, " s")),
               ops);
  }

  void HandleWriteDoneLocked(bool ok, Ops& ops)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    writing_ = false;
    writes_.pop_front();
    if (!ok) {
      writes_.clear();  // The stream is broken; the probe will resend.
      cancelled_ = true;
    } else if (!writes_.empty()) {
      StartWriteLocked(ops);
    }
    MaybeFinishLocked(ops);
  }

  // Enriches and prepares the runs here, on the stream's thread (many
  // streams do this in parallel), so the single writer only writes. The
  // parsed request stays with the stream and is reused for its next batch.
  void SubmitLocked(Ops& ops) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    v6scope::v1::Batch* batch = request_->mutable_batch();
    store::RunBatch rb;
    rb.probe_id = probe_id_;
    rb.first_seq = batch->first_seq();
    rb.dropped_runs = batch->dropped_runs();
    rb.received_at = service_->clock()->Now();
    rb.runs.reserve(batch->runs_size());
    // One index for the whole batch, even if a reload swaps it meanwhile.
    const std::shared_ptr<const enrich::AttributionIndex> index =
        service_->attribution();
    const std::string peer = context_->peer();
    for (v6scope::v1::Run& run : *batch->mutable_runs()) {
      ingest::EnrichRun(index.get(), peer, &run);
      absl::StatusOr<store::PreparedRun> prepared = ingest::PrepareRun(run);
      if (!prepared.ok()) {
        FailLocked(absl::InvalidArgumentError(
                       absl::StrCat("batch.runs[", rb.runs.size(),
                                    "]: ", prepared.status().message())),
                   ops);
        return;
      }
      rb.runs.push_back(*std::move(prepared));
    }
    const uint64_t dropped = rb.dropped_runs;
    const uint64_t first = rb.first_seq;
    const uint64_t last = rb.first_seq + rb.runs.size() - 1;
    storing_ = true;
    // The reactor cannot finish (so is not deleted) while storing_.
    service_->writer()->Submit(
        std::move(rb),
        [this, first, last, dropped](absl::StatusOr<store::BatchOutcome> out) {
          OnStored(first, last, dropped, std::move(out));
        });
  }

  // Runs on the writer thread.
  void OnStored(uint64_t first, uint64_t last, uint64_t dropped,
                absl::StatusOr<store::BatchOutcome> outcome) {
    Ops ops;
    {
      absl::MutexLock lock(&mu_);
      HandleStoredLocked(first, last, dropped, outcome, ops);
    }
    Perform(ops);
  }

  void HandleStoredLocked(uint64_t first, uint64_t last, uint64_t dropped,
                          const absl::StatusOr<store::BatchOutcome>& outcome,
                          Ops& ops) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    storing_ = false;
    if (!outcome.ok()) {
      // Not stored, not acknowledged: the probe keeps the batch and retries.
      FailLocked(absl::UnavailableError(absl::StrCat(
                     "could not store batch: ", outcome.status().message())),
                 ops);
      return;
    }
    // Revocation takes effect on the next batch of an open stream, also
    // when another collector sharing the database did the revoking: the
    // store checks it in the transaction that would have stored the batch.
    if (outcome->revoked) {
      const absl::Status revoked = absl::UnauthenticatedError(
          absl::StrCat("probe ", probe_id_, " has been revoked"));
      log::Warn("upload.rejected", {{"probe", probe_id_}, {"status", revoked}});
      FailLocked(revoked, ops);
      return;
    }
    log::Info("batch.stored", {{"probe", probe_id_},
                               {"seq", absl::StrCat(first, "..", last)},
                               {"stored", outcome->stored},
                               {"duplicates", outcome->duplicates}});
    if (ingest::IngestMetrics* m = service_->metrics(); m != nullptr) {
      m->runs_stored->Add(outcome->stored);
      m->runs_duplicate->Add(outcome->duplicates);
      m->batches_stored->Add(1);
      // A resent batch (all duplicates) reported its drops already.
      if (outcome->stored > 0) {
        m->dropped_runs_reported->Add(static_cast<double>(dropped));
      }
    }
    UploadResponse ack;
    ack.mutable_ack()->set_first_seq(first);
    ack.mutable_ack()->set_last_seq(last);
    ack.mutable_ack()->set_stored(outcome->stored);
    QueueWriteLocked(std::move(ack), ops);
    if (cancelled_ || finish_status_.has_value()) {
      MaybeFinishLocked(ops);
      return;
    }
    StartReadLocked(ops);
  }

  void StartReadLocked(Ops& ops) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    // Frees the previous batch's messages all at once, keeping no block
    // beyond the first while the stream waits for its next batch.
    arena_.Reset();
    request_ = google::protobuf::Arena::CreateMessage<UploadRequest>(&arena_);
    reading_ = true;
    ops.read = true;
  }

  void QueueWriteLocked(UploadResponse response, Ops& ops)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (cancelled_) return;
    writes_.push_back(std::move(response));
    if (!writing_) StartWriteLocked(ops);
  }

  void StartWriteLocked(Ops& ops) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    writing_ = true;
    // deque::push_back keeps references valid, so front() stays put.
    ops.write = &writes_.front();
  }

  void FailLocked(const absl::Status& status, Ops& ops)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (!finish_status_.has_value()) finish_status_ = status;
    MaybeFinishLocked(ops);
  }

  // Finishes once no operation is outstanding: gRPC must not be asked to
  // finish while a read, a write or a store of ours is still in flight.
  void MaybeFinishLocked(Ops& ops) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finished_ || reading_ || writing_ || storing_) return;
    if (!reads_done_ && !cancelled_ && !finish_status_.has_value()) return;
    finished_ = true;
    absl::Status status = finish_status_.value_or(
        cancelled_ ? absl::CancelledError("stream cancelled")
                   : absl::OkStatus());
    if (!probe_id_.empty()) {
      log::Info("upload.closed", {{"probe", probe_id_}, {"status", status}});
    }
    if (!status.ok() && service_->metrics() != nullptr) {
      service_->metrics()
          ->rejected
          ->With({std::string(absl::StatusCodeToString(status.code()))})
          ->Add(1);
    }
    ops.finish = rpc::ToGrpc(status);
  }

  ProbeServiceImpl* const service_;
  grpc::CallbackServerContext* const context_;
  absl::Mutex mu_;
  std::string probe_id_ ABSL_GUARDED_BY(mu_);
  // Each batch is parsed into a fresh message on arena_: parsing then
  // allocates from a few large blocks instead of making hundreds of
  // malloc/free calls per batch (Clear would not help: the batch is a
  // oneof member, which Clear deletes). Filled by gRPC between StartRead
  // and OnReadDone; read under mu_ after.
  google::protobuf::Arena arena_{UploadBatchArenaOptions()};
  UploadRequest* request_ = nullptr;
  // writes_.front() is the message being written while writing_.
  std::deque<UploadResponse> writes_ ABSL_GUARDED_BY(mu_);
  bool reading_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool storing_ ABSL_GUARDED_BY(mu_) = false;
  bool reads_done_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  bool counted_active_ = false;  // Set once in Start, read in OnDone.
  std::optional<absl::Status> finish_status_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

google::protobuf::ArenaOptions UploadBatchArenaOptions() {
  // A batch of 10 full runs takes about 40 KiB parsed: a few blocks.
  google::protobuf::ArenaOptions options;
  options.start_block_size = 16 << 10;
  options.max_block_size = 64 << 10;
  return options;
}

ProbeServiceImpl::ProbeServiceImpl(store::Store* store,
                                   ingest::IngestWriter* writer,
                                   const Clock* clock,
                                   v6scope::v1::Schedule initial_schedule,
                                   ingest::IngestLimits limits,
                                   ingest::IngestMetrics* metrics,
                                   const enrich::AttributionHolder* attribution)
    : store_(store),
      writer_(writer),
      clock_(clock),
      initial_schedule_(std::move(initial_schedule)),
      limits_(limits),
      rate_limiter_(clock, limits.max_runs_per_second_per_probe,
                    limits.max_burst_runs_per_probe),
      metrics_(metrics),
      attribution_(attribution) {}

grpc::ServerUnaryReactor* ProbeServiceImpl::Enrol(
    grpc::CallbackServerContext* context,
    const v6scope::v1::EnrolRequest* request,
    v6scope::v1::EnrolResponse* response) {
  absl::Status s = DoEnrol(*request, response);
  if (s.ok()) {
    log::Info("probe.enrolled",
              {{"probe", response->probe_id()}, {"peer", context->peer()}});
  } else {
    log::Warn("probe.enrol_refused",
              {{"peer", context->peer()}, {"status", s}});
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(rpc::ToGrpc(s));
  return reactor;
}

absl::Status ProbeServiceImpl::DoEnrol(const v6scope::v1::EnrolRequest& request,
                                       v6scope::v1::EnrolResponse* response) {
  if (request.token().empty() || request.token().size() > kMaxTokenBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("token: must be 1..", kMaxTokenBytes, " bytes"));
  }
  if (request.probe_version().size() > 64) {
    return absl::InvalidArgumentError("probe_version: longer than 64 bytes");
  }
  absl::StatusOr<std::string> id = crypto::RandomHex(8);
  if (!id.ok()) return id.status();
  store::ProbeRecord probe;
  probe.probe_id = absl::StrCat("p-", *id);
  absl::StatusOr<std::string> credential = NewProbeCredential(probe.probe_id);
  if (!credential.ok()) return credential.status();
  probe.credential_hash = crypto::Sha256Hex(*credential);
  probe.probe_version = request.probe_version();
  probe.enrolled_at = clock_->Now();
  absl::StatusOr<store::ProbeRecord> stored = store_->ConsumeEnrolmentToken(
      crypto::Sha256Hex(request.token()), probe.enrolled_at, probe);
  if (absl::IsNotFound(stored.status())) {
    return absl::UnauthenticatedError("unknown enrolment token");
  }
  if (!stored.ok()) return stored.status();
  response->set_probe_id(stored->probe_id);
  response->set_credential(*credential);
  *response->mutable_schedule() = initial_schedule_;
  return absl::OkStatus();
}

grpc::ServerBidiReactor<UploadRequest, UploadResponse>*
ProbeServiceImpl::Upload(grpc::CallbackServerContext* context) {
  auto* reactor = new UploadReactor(this, context);
  reactor->Start();
  return reactor;
}

}  // namespace v6scope::collector::service
