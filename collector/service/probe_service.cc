#include "collector/service/probe_service.h"

#include <deque>
#include <optional>
#include <type_traits>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "collector/service/auth.h"
#include "collector/service/upload_parse.h"
#include "common/crypto/secrets.h"
#include "common/log/error_id.h"
#include "common/log/log.h"
#include "common/rpc/status.h"
#include "common/text/text_rules.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/util/time_util.h"

namespace v6scope::collector::service {
namespace {

using google::protobuf::util::TimeUtil;
using v6scope::v1::UploadRequest;
using v6scope::v1::UploadResponse;

constexpr size_t kMaxTokenBytes = 128;
constexpr size_t kMaxVersionBytes = 64;

// The store's refusals of a token ("enrolment token expired" / "already
// used") are meant for the caller; any other failure is internal.
bool IsTokenRefusal(const absl::Status& s) {
  return absl::IsFailedPrecondition(s) &&
         absl::StartsWith(s.message(), "enrolment token ");
}

// The limits documented on EnrolRequest in proto/probe_service.proto.
absl::Status ValidateEnrolRequest(const v6scope::v1::EnrolRequest& request) {
  if (request.token().empty() || request.token().size() > kMaxTokenBytes ||
      !text::CheckTextRule(request.token(), text::TextRule::kPrintableAscii)
           .ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "token: must be 1..", kMaxTokenBytes, " bytes of printable ASCII"));
  }
  if (request.probe_version().size() > kMaxVersionBytes ||
      !text::CheckTextRule(request.probe_version(),
                           text::TextRule::kPrintableAscii)
           .ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("probe_version: must be at most ", kMaxVersionBytes,
                     " bytes of printable ASCII"));
  }
  return absl::OkStatus();
}

absl::Status InternalEnrolError(const absl::Status& detail) {
  return log::PublicError(absl::StatusCode::kUnavailable,
                          "enrolment failed; retry later", detail, "grpc.error",
                          "Enrol");
}

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
    : public grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>,
      public TrackedStream {
 public:
  UploadReactor(ProbeServiceImpl* service, grpc::CallbackServerContext* context)
      : service_(service), context_(context) {}

  void Start() {
    absl::StatusOr<store::ProbeRecord> probe = Authenticate();
    absl::StatusOr<uint64_t> last =
        probe.ok() ? service_->store()->LastStoredSeq(probe->probe_id)
                   : absl::StatusOr<uint64_t>(probe.status());
    uint64_t last_domain = 0;
    if (last.ok()) {
      absl::StatusOr<uint64_t> d =
          service_->campaigns()->LastStoredDomainSeq(probe->probe_id);
      if (d.ok()) {
        last_domain = *d;
      } else {
        last = d.status();
      }
    }
    // Not under mu_: UploadStreams calls into streams under its own lock.
    const absl::Status slot =
        last.ok() ? service_->streams()->Acquire(probe->probe_id, this)
                  : absl::OkStatus();
    Ops ops;
    {
      absl::MutexLock lock(&mu_);
      HandleStartLocked(probe, last, last_domain, slot, ops);
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
    service_->streams()->Release(this);  // If no finish of ours did.
    if (counted_active_) service_->metrics()->streams_active->Add(-1);
    delete this;
  }

 private:
  // At most one of each per decision: writing_ and reading_ allow only one
  // outstanding write and read, and Finish comes last.
  struct Ops {
    const grpc::ByteBuffer* write = nullptr;
    bool read = false;
    std::optional<grpc::Status> finish;
  };

  // Under UploadStreams' lock. Only a stream waiting for the probe's next
  // batch is idle: one storing a batch or writing is waiting for us.
  bool ClaimIfIdleSince(absl::Time cutoff) override {
    absl::MutexLock lock(&mu_);
    if (finished_ || !reading_ || writing_ || storing_ ||
        last_activity_ > cutoff) {
      return false;
    }
    // Finished with the read outstanding: gRPC completes it (not ok, or
    // ok and ignored) before OnDone.
    finish_status_ = absl::DeadlineExceededError(absl::StrCat(
        "no batch for ",
        absl::FormatDuration(service_->streams()->limits().idle_timeout),
        ": the collector ends upload streams idle this long"));
    FinishNowLocked(claimed_);
    return true;
  }

  void EndClaimed() override {
    Ops ops = std::move(claimed_);
    Perform(ops);
  }

  // The read is started before the write: once the write is started it
  // may complete on another thread, the stream then look idle (reading_
  // is set, the write done) and be finished and deleted by the idle
  // ender before a StartRead after it ran (a use after free ASan found,
  // about 1 run in 40 of IdleStreamIsEndedSayingWhy). An outstanding read
  // holds OnDone back; the write's pending flag holds back every finish.
  void Perform(Ops& ops) {
    if (ops.read) StartRead(&read_buffer_);
    if (ops.write != nullptr) StartWrite(ops.write);
    if (ops.finish.has_value()) {
      // The slot is free before the probe learns the stream ended, so its
      // next stream is not refused for a slot this one still holds.
      service_->streams()->Release(this);
      Finish(*ops.finish);
    }
  }

  absl::StatusOr<store::ProbeRecord> Authenticate() {
    absl::StatusOr<std::string> bearer = BearerToken(*context_);
    if (!bearer.ok()) return bearer.status();
    return AuthenticateProbe(*bearer, *service_->store());
  }

  void HandleStartLocked(const absl::StatusOr<store::ProbeRecord>& probe,
                         const absl::StatusOr<uint64_t>& last,
                         uint64_t last_domain, const absl::Status& slot,
                         Ops& ops) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (!probe.ok()) {
      log::Warn("upload.rejected",
                {{"peer", context_->peer()}, {"status", probe.status()}});
      FailLocked(probe.status(), ops);
      return;
    }
    probe_id_ = probe->probe_id;
    last_activity_ = service_->clock()->Now();
    if (!last.ok()) {
      FailLocked(log::PublicError(absl::StatusCode::kUnavailable,
                                  "could not read the stored sequence; retry "
                                  "later",
                                  last.status(), "grpc.error", "Upload"),
                 ops);
      return;
    }
    if (!slot.ok()) {
      RefuseStreamLocked(slot, ops);
      return;
    }
    UploadResponse welcome;
    welcome.mutable_welcome()->set_last_stored_seq(*last);
    welcome.mutable_welcome()->set_last_stored_domain_seq(last_domain);
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

  // Over a stream limit: the same retry hint as a busy collector's (a
  // BackOff message, and the retry-after trailer as enrolment's limit).
  void RefuseStreamLocked(const absl::Status& why, Ops& ops)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    const uint32_t seconds = service_->streams()->limits().retry_seconds;
    context_->AddTrailingMetadata("retry-after", absl::StrCat(seconds));
    UploadResponse back_off;
    back_off.mutable_back_off()->set_seconds(seconds);
    QueueWriteLocked(std::move(back_off), ops);
    log::Warn("upload.refused", {{"probe", probe_id_}, {"status", why}});
    FailLocked(why, ops);
  }

  void HandleReadDoneLocked(bool ok, Ops& ops)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    reading_ = false;
    if (finished_) return;  // Ended as idle while the read was out.
    if (!ok) {
      reads_done_ = true;
      MaybeFinishLocked(ops);
      return;
    }
    last_activity_ = service_->clock()->Now();
    // Parsed here, not by gRPC, so a broken message gets a reason.
    request_ = google::protobuf::Arena::CreateMessage<UploadRequest>(&arena_);
    if (absl::Status parsed = ParseUploadRequest(&read_buffer_, request_);
        !parsed.ok()) {
      log::Warn("upload.unparseable",
                {{"probe", probe_id_}, {"status", parsed}});
      FailLocked(parsed, ops);
      return;
    }
    if (request_->has_work_poll()) {
      HandleWorkPollLocked(ops);
    } else if (request_->has_domain_batch()) {
      HandleDomainBatchLocked(ops);
    } else if (request_->has_batch()) {
      HandleBatchLocked(ops);
    } else {
      FailLocked(absl::InvalidArgumentError(
                     "UploadRequest carries no batch, work_poll or "
                     "domain_batch"),
                 ops);
    }
  }

  void HandleBatchLocked(Ops& ops) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    // The completion needs mu_, so it cannot run before storing_ is set.
    // The parsed request stays with the stream and is reused for its next
    // batch.
    absl::StatusOr<ingest::Admission> admission = service_->pipeline()->Accept(
        probe_id_, context_->peer(), request_->mutable_batch(),
        [this](absl::StatusOr<ingest::StoredBatch> stored) {
          OnStored(std::move(stored));
        });
    if (!admission.ok()) {
      log::Warn("upload.invalid",
                {{"probe", probe_id_}, {"status", admission.status()}});
      FailLocked(admission.status(), ops);
    } else if (!admission->submitted) {
      BackOffLocked(admission->back_off_seconds, admission->back_off_reason,
                    ops);
    } else {
      storing_ = true;  // The reactor cannot finish (be deleted) meanwhile.
    }
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

  // Runs on the writer's completion thread.
  void OnStored(absl::StatusOr<ingest::StoredBatch> stored) {
    Ops ops;
    {
      absl::MutexLock lock(&mu_);
      HandleStoredLocked(stored, ops);
    }
    Perform(ops);
  }

  void HandleStoredLocked(const absl::StatusOr<ingest::StoredBatch>& stored,
                          Ops& ops) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    storing_ = false;
    last_activity_ = service_->clock()->Now();
    if (!stored.ok()) {
      // Not stored, not acknowledged: the probe keeps the batch (and, when
      // revoked, is refused from now on).
      if (absl::IsUnauthenticated(stored.status())) {
        log::Warn("upload.rejected",
                  {{"probe", probe_id_}, {"status", stored.status()}});
      }
      FailLocked(stored.status(), ops);
      return;
    }
    UploadResponse ack;
    ack.mutable_ack()->set_first_seq(stored->first_seq);
    ack.mutable_ack()->set_last_seq(stored->last_seq);
    ack.mutable_ack()->set_stored(stored->stored);
    ReplyLocked(std::move(ack), ops);
  }

  // The one reply to the request at hand; then the next request.
  void ReplyLocked(UploadResponse reply, Ops& ops)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    QueueWriteLocked(std::move(reply), ops);
    if (cancelled_ || finish_status_.has_value()) {
      MaybeFinishLocked(ops);
      return;
    }
    StartReadLocked(ops);
  }

  // ----- campaign work (campaign_exchange.h) ------------------------------

  void HandleWorkPollLocked(Ops& ops) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    CampaignExchange* campaigns = service_->campaigns();
    if (!campaigns->offers_work()) {
      UploadResponse offer;  // No campaigns here: ask again in a day.
      offer.mutable_work_offer()->set_poll_after_seconds(86400);
      ReplyLocked(std::move(offer), ops);
      return;
    }
    storing_ = true;  // As for a batch: no finish while the plan runs.
    const bool queued = campaigns->Plan(
        probe_id_, request_->work_poll(),
        [this](absl::StatusOr<v6scope::v1::WorkOffer> offer) {
          OnCampaignReply(ToReply(std::move(offer), "WorkPoll"));
        });
    if (!queued) {
      storing_ = false;
      BackOffLocked(service_->streams()->limits().retry_seconds,
                    "campaign planner busy", ops);
    }
  }

  void HandleDomainBatchLocked(Ops& ops) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    CampaignExchange* campaigns = service_->campaigns();
    if (!campaigns->takes_results()) {
      FailLocked(absl::FailedPreconditionError(
                     "this collector takes no campaign results"),
                 ops);
      return;
    }
    storing_ = true;  // The completion needs mu_: it waits for this.
    absl::Status submitted = campaigns->Submit(
        probe_id_, request_->mutable_domain_batch(),
        [this](absl::StatusOr<v6scope::v1::DomainAck> ack) {
          OnCampaignReply(ToReply(std::move(ack), "DomainBatch"));
        });
    if (submitted.ok()) return;
    storing_ = false;
    if (absl::IsResourceExhausted(submitted)) {
      BackOffLocked(service_->streams()->limits().retry_seconds,
                    submitted.message(), ops);
      return;
    }
    log::Warn("upload.invalid", {{"probe", probe_id_}, {"status", submitted}});
    FailLocked(submitted, ops);
  }

  // The probe's own mistakes (INVALID_ARGUMENT) go back as they are; any
  // other failure is the collector's: a short message and an error id.
  template <typename T>
  static absl::StatusOr<UploadResponse> ToReply(absl::StatusOr<T> value,
                                                absl::string_view what) {
    if (!value.ok()) {
      if (absl::IsInvalidArgument(value.status())) return value.status();
      return log::PublicError(absl::StatusCode::kUnavailable,
                              absl::StrCat(what, " failed; retry later"),
                              value.status(), "grpc.error", "Upload");
    }
    UploadResponse reply;
    if constexpr (std::is_same_v<T, v6scope::v1::WorkOffer>) {
      *reply.mutable_work_offer() = *std::move(value);
    } else {
      *reply.mutable_domain_ack() = *std::move(value);
    }
    return reply;
  }

  // Runs on a campaign worker or the readiness ingest's.
  void OnCampaignReply(absl::StatusOr<UploadResponse> reply) {
    Ops ops;
    {
      absl::MutexLock lock(&mu_);
      storing_ = false;
      last_activity_ = service_->clock()->Now();
      if (reply.ok()) {
        ReplyLocked(*std::move(reply), ops);
      } else {
        FailLocked(reply.status(), ops);
      }
    }
    Perform(ops);
  }

  void StartReadLocked(Ops& ops) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    // Frees the previous batch's messages all at once, keeping no block
    // beyond the first while the stream waits for its next batch.
    request_ = nullptr;
    arena_.Reset();
    reading_ = true;
    ops.read = true;
  }

  void QueueWriteLocked(UploadResponse response, Ops& ops)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (cancelled_) return;
    const std::string bytes = response.SerializeAsString();
    grpc::Slice slice(bytes);
    writes_.emplace_back(&slice, 1);
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
    FinishNowLocked(ops);
  }

  void FinishNowLocked(Ops& ops) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
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
  // Each batch's bytes land in read_buffer_ (between StartRead and
  // OnReadDone), then are parsed into a fresh message on arena_: parsing then
  // allocates from a few large blocks instead of making hundreds of
  // malloc/free calls per batch (Clear would not help: the batch is a
  // oneof member, which Clear deletes). Used under mu_.
  grpc::ByteBuffer read_buffer_;
  google::protobuf::Arena arena_{UploadBatchArenaOptions()};
  UploadRequest* request_ = nullptr;
  // writes_.front() is the serialized message being written while writing_.
  std::deque<grpc::ByteBuffer> writes_ ABSL_GUARDED_BY(mu_);
  bool reading_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  // A batch in the writer, or a work poll or domain batch in the campaign
  // exchange: its completion comes back under mu_.
  bool storing_ ABSL_GUARDED_BY(mu_) = false;
  bool reads_done_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  bool counted_active_ = false;  // Set once in Start, read in OnDone.
  // When the stream last heard from the probe or stored its batch.
  absl::Time last_activity_ ABSL_GUARDED_BY(mu_);
  Ops claimed_;  // The finish of a stream claimed as idle, until ended.
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
                                   ingest::IngestPipeline* pipeline,
                                   const time::Clock* clock,
                                   v6scope::v1::Schedule initial_schedule,
                                   ingest::IngestMetrics* metrics,
                                   UploadStreamLimits stream_limits,
                                   CampaignWork campaigns)
    : store_(store),
      pipeline_(pipeline),
      enrol_guard_(clock),
      clock_(clock),
      initial_schedule_(std::move(initial_schedule)),
      metrics_(metrics),
      streams_(stream_limits),
      campaigns_(campaigns) {}

int ProbeServiceImpl::EndIdleStreams() {
  const int ended = streams_.EndIdle(clock_->Now());
  if (ended > 0) log::Info("upload.idle_ended", {{"streams", ended}});
  return ended;
}

grpc::ServerUnaryReactor* ProbeServiceImpl::Enrol(
    grpc::CallbackServerContext* context,
    const v6scope::v1::EnrolRequest* request,
    v6scope::v1::EnrolResponse* response) {
  absl::Status s = enrol_guard_.Admit(*context);
  if (s.ok()) {
    s = DoEnrol(*request, response);
    enrol_guard_.Record(*context, s);
  }
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
  absl::Status valid = ValidateEnrolRequest(request);
  if (!valid.ok()) return valid;
  absl::StatusOr<std::string> id = crypto::RandomHex(8);
  if (!id.ok()) return InternalEnrolError(id.status());
  store::ProbeRecord probe;
  probe.probe_id = absl::StrCat("p-", *id);
  absl::StatusOr<std::string> credential = NewProbeCredential(probe.probe_id);
  if (!credential.ok()) return InternalEnrolError(credential.status());
  probe.credential_hash = crypto::Sha256Hex(*credential);
  probe.probe_version = request.probe_version();
  probe.enrolled_at = clock_->Now();
  absl::StatusOr<store::ProbeRecord> stored = store_->ConsumeEnrolmentToken(
      crypto::Sha256Hex(request.token()), probe.enrolled_at, probe);
  if (absl::IsNotFound(stored.status())) {
    return absl::UnauthenticatedError("unknown enrolment token");
  }
  if (IsTokenRefusal(stored.status())) return stored.status();
  if (!stored.ok()) return InternalEnrolError(stored.status());
  response->set_probe_id(stored->probe_id);
  response->set_credential(*credential);
  *response->mutable_schedule() = initial_schedule_;
  return absl::OkStatus();
}

grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>*
ProbeServiceImpl::Upload(grpc::CallbackServerContext* context) {
  auto* reactor = new UploadReactor(this, context);
  reactor->Start();
  return reactor;
}

}  // namespace v6scope::collector::service
