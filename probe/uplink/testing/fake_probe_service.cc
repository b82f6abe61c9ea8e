#include "probe/uplink/testing/fake_probe_service.h"

#include "absl/strings/str_cat.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "grpcpp/server_context.h"

namespace v6scope::probe::uplink::testing {
namespace {

using Stream = grpc::ServerReaderWriter<v6scope::v1::UploadResponse,
                                        v6scope::v1::UploadRequest>;

grpc::Status ToGrpc(const absl::Status& s) {
  return grpc::Status(static_cast<grpc::StatusCode>(s.code()),
                      std::string(s.message()));
}

}  // namespace

absl::StatusOr<std::unique_ptr<FakeProbeService>> FakeProbeService::Start(
    std::string name) {
  std::unique_ptr<FakeProbeService> fake(new FakeProbeService(std::move(name)));
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &port);
  builder.RegisterService(fake.get());
  fake->server_ = builder.BuildAndStart();
  if (fake->server_ == nullptr || port == 0) {
    return absl::UnavailableError("fake collector: cannot listen");
  }
  fake->address_ = absl::StrCat("127.0.0.1:", port);
  return fake;
}

FakeProbeService::~FakeProbeService() {
  // Cancels held (black-holed) calls at once instead of waiting for them.
  if (server_ != nullptr) server_->Shutdown(std::chrono::system_clock::now());
}

void FakeProbeService::SetMode(Mode mode, absl::Status fail_status,
                               uint32_t back_off_seconds) {
  absl::MutexLock lock(&mu_);
  mode_ = mode;
  fail_status_ = std::move(fail_status);
  back_off_seconds_ = back_off_seconds;
}

void FakeProbeService::SetLastStoredSeq(uint64_t seq) {
  absl::MutexLock lock(&mu_);
  last_stored_seq_ = seq;
}

void FakeProbeService::SetLastStoredDomainSeq(uint64_t seq) {
  absl::MutexLock lock(&mu_);
  last_stored_domain_seq_ = seq;
}

void FakeProbeService::SetOffer(v6scope::v1::WorkOffer offer) {
  absl::MutexLock lock(&mu_);
  offer_ = std::move(offer);
}

void FakeProbeService::CancelAssignment(std::string assignment_id) {
  absl::MutexLock lock(&mu_);
  cancelled_.insert(std::move(assignment_id));
}

void FakeProbeService::RefuseResult(uint64_t seq) {
  absl::MutexLock lock(&mu_);
  refused_results_.insert(seq);
}

void FakeProbeService::BreakAfterNextDomainBatch() {
  absl::MutexLock lock(&mu_);
  break_after_domain_batch_ = true;
}

std::vector<uint64_t> FakeProbeService::stored_domain_seqs() const {
  absl::MutexLock lock(&mu_);
  return stored_domain_;
}

uint64_t FakeProbeService::dropped_results_reported() const {
  absl::MutexLock lock(&mu_);
  return dropped_results_;
}

std::vector<v6scope::v1::WorkPoll> FakeProbeService::polls() const {
  absl::MutexLock lock(&mu_);
  return polls_;
}

std::vector<std::string> FakeProbeService::streams() const {
  absl::MutexLock lock(&mu_);
  return streams_;
}

std::vector<uint64_t> FakeProbeService::stored_seqs() const {
  absl::MutexLock lock(&mu_);
  return stored_;
}

uint64_t FakeProbeService::dropped_reported() const {
  absl::MutexLock lock(&mu_);
  return dropped_;
}

int FakeProbeService::upload_calls() const {
  absl::MutexLock lock(&mu_);
  return upload_calls_;
}

std::string FakeProbeService::last_authorization() const {
  absl::MutexLock lock(&mu_);
  return authorization_;
}

bool FakeProbeService::WaitForHeldCall(absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto held = [this]()
                  ABSL_SHARED_LOCKS_REQUIRED(mu_) { return held_calls_ > 0; };
  return mu_.AwaitWithTimeout(absl::Condition(&held), timeout);
}

grpc::Status FakeProbeService::Enrol(grpc::ServerContext*,
                                     const v6scope::v1::EnrolRequest* req,
                                     v6scope::v1::EnrolResponse* resp) {
  if (req->token() != "et-good") {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "unknown token");
  }
  resp->set_probe_id("p-fake");
  resp->set_credential("p-fake.secret");
  resp->mutable_schedule()->set_interval_seconds(600);
  resp->mutable_schedule()->set_spread_seconds(60);
  return grpc::Status::OK;
}

grpc::Status FakeProbeService::HoldUntilCancelled(grpc::ServerContext* ctx) {
  absl::MutexLock lock(&mu_);
  ++held_calls_;
  // A black hole answers nothing; the client's deadline or cancel, or the
  // server's shutdown, ends the call. The poll is the fake's own, not a
  // test's timing: it only bounds how late a cancel is noticed.
  absl::CondVar never_signalled;
  while (!ctx->IsCancelled()) {
    never_signalled.WaitWithTimeout(&mu_, absl::Milliseconds(5));
  }
  --held_calls_;
  return grpc::Status(grpc::StatusCode::CANCELLED, "held until cancelled");
}

v6scope::v1::UploadResponse FakeProbeService::AckRuns(
    const v6scope::v1::Batch& b) {
  v6scope::v1::UploadResponse resp;
  uint32_t stored = 0;
  {
    absl::MutexLock lock(&mu_);
    for (int i = 0; i < b.runs_size(); ++i) {
      const uint64_t seq = b.first_seq() + static_cast<uint64_t>(i);
      if (seq <= last_stored_seq_) continue;  // A duplicate.
      stored_.push_back(seq);
      last_stored_seq_ = seq;
      ++stored;
    }
    dropped_ += b.dropped_runs();
  }
  resp.mutable_ack()->set_first_seq(b.first_seq());
  resp.mutable_ack()->set_last_seq(b.first_seq() + b.runs_size() - 1);
  resp.mutable_ack()->set_stored(stored);
  return resp;
}

absl::StatusOr<v6scope::v1::UploadResponse> FakeProbeService::AckResults(
    const v6scope::v1::DomainBatch& b) {
  absl::MutexLock lock(&mu_);
  for (int i = 0; i < b.results_size(); ++i) {
    if (refused_results_.count(b.first_seq() + i) > 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("results[", i, "].check.domain: not a host name"));
    }
  }
  v6scope::v1::UploadResponse resp;
  v6scope::v1::DomainAck* ack = resp.mutable_domain_ack();
  std::set<std::string> named;
  for (int i = 0; i < b.results_size(); ++i) {
    const uint64_t seq = b.first_seq() + static_cast<uint64_t>(i);
    const v6scope::v1::DomainResult& r = b.results(i);
    named.insert(r.assignment_id());
    // Duplicates by seq and by (assignment, item), as the store has it.
    if (seq <= last_stored_domain_seq_ ||
        !stored_items_.insert({r.assignment_id(), r.item()}).second) {
      continue;
    }
    stored_domain_.push_back(seq);
    last_stored_domain_seq_ = seq;
    ack->set_stored(ack->stored() + 1);
  }
  dropped_results_ += b.dropped_results();
  for (const std::string& id : named) {
    if (cancelled_.count(id) > 0) ack->add_cancelled(id);
  }
  if (break_after_domain_batch_) {
    break_after_domain_batch_ = false;
    return absl::UnavailableError("fake: stream broken after storing");
  }
  ack->set_first_seq(b.first_seq());
  ack->set_last_seq(b.first_seq() + b.results_size() - 1);
  return resp;
}

absl::StatusOr<v6scope::v1::UploadResponse> FakeProbeService::Answer(
    const v6scope::v1::UploadRequest& req, bool old, size_t stream_index) {
  {
    absl::MutexLock lock(&mu_);
    streams_[stream_index] += req.has_batch()          ? "b"
                              : req.has_domain_batch() ? "d"
                              : req.has_work_poll()    ? "p"
                                                       : "?";
  }
  if (req.has_batch()) return AckRuns(req.batch());
  if (old || !(req.has_domain_batch() || req.has_work_poll())) {
    return absl::InvalidArgumentError("UploadRequest carries no batch");
  }
  if (req.has_domain_batch()) return AckResults(req.domain_batch());
  v6scope::v1::UploadResponse resp;
  absl::MutexLock lock(&mu_);
  polls_.push_back(req.work_poll());
  *resp.mutable_work_offer() = offer_;
  return resp;
}

grpc::Status FakeProbeService::AckBatches(Stream* stream, bool old) {
  size_t index = 0;
  {
    absl::MutexLock lock(&mu_);
    index = streams_.size();
    streams_.emplace_back();
  }
  v6scope::v1::UploadRequest req;
  while (stream->Read(&req)) {
    absl::StatusOr<v6scope::v1::UploadResponse> resp = Answer(req, old, index);
    if (!resp.ok()) return ToGrpc(resp.status());
    if (!stream->Write(*resp)) break;
  }
  return grpc::Status::OK;
}

grpc::Status FakeProbeService::Upload(grpc::ServerContext* ctx,
                                      Stream* stream) {
  Mode mode;
  absl::Status fail;
  uint32_t back_off = 0;
  v6scope::v1::UploadResponse welcome;
  {
    absl::MutexLock lock(&mu_);
    ++upload_calls_;
    for (const auto& [key, value] : ctx->client_metadata()) {
      if (key == "authorization") {
        authorization_ = std::string(value.data(), value.size());
      }
    }
    mode = mode_;
    fail = fail_status_;
    back_off = back_off_seconds_;
    welcome.mutable_welcome()->set_last_stored_seq(last_stored_seq_);
    welcome.mutable_welcome()->set_last_stored_domain_seq(
        last_stored_domain_seq_);
  }
  if (mode == Mode::kBlackHole) return HoldUntilCancelled(ctx);
  if (mode == Mode::kFail) return ToGrpc(fail);
  stream->Write(welcome);
  if (mode == Mode::kBackOff) {
    v6scope::v1::UploadRequest req;
    stream->Read(&req);
    v6scope::v1::UploadResponse resp;
    resp.mutable_back_off()->set_seconds(back_off);
    stream->Write(resp);
    return ToGrpc(fail);
  }
  return AckBatches(stream, mode == Mode::kOld);
}

}  // namespace v6scope::probe::uplink::testing
