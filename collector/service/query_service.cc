#include "collector/service/query_service.h"

#include <cstddef>
#include <utility>
#include <vector>

#include "collector/query/export_stream.h"
#include "common/rpc/status.h"

namespace v6scope::collector::service {
namespace {

constexpr uint32_t kDefaultPageSize = 100;
constexpr uint32_t kMaxPageSize = 1000;

absl::Status DoListRuns(store::Store& store,
                        const v6scope::v1::ListRunsRequest& req,
                        v6scope::v1::ListRunsResponse* resp) {
  uint32_t page_size =
      req.page_size() == 0 ? kDefaultPageSize : req.page_size();
  if (page_size > kMaxPageSize) {
    return absl::InvalidArgumentError("page_size: at most 1000");
  }
  store::RunFilter filter;
  filter.probe_id = req.probe_id();
  absl::StatusOr<store::RunPage> page =
      store.ListRuns(filter, page_size, req.page_token());
  if (!page.ok()) return page.status();
  for (auto& run : page->runs) *resp->add_runs() = std::move(run);
  resp->set_next_page_token(page->next_page_token);
  return absl::OkStatus();
}

// Streams ExportRuns: reads a slice of runs from the store, sends it in
// messages of at most kChunkBytes, reads the next slice when all are
// written. One slice in memory at a time.
class ExportRunsReactor
    : public grpc::ServerWriteReactor<v6scope::v1::ExportRunsChunk> {
 public:
  ExportRunsReactor(store::Store* store, store::ExportFilter filter)
      : store_(store), filter_(std::move(filter)) {
    WriteNext();
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "client went away"));
      return;
    }
    WriteNext();
  }

  void OnDone() override { delete this; }

 private:
  // Well under the 4 MiB message limit, whatever a run's size.
  static constexpr size_t kChunkBytes = 1 << 20;

  void WriteNext() {
    if (next_ == pending_.size()) {
      if (done_) {
        Finish(grpc::Status::OK);
        return;
      }
      absl::StatusOr<store::ExportPage> page =
          store_->ExportRuns(filter_, after_, query::kExportSlice);
      if (!page.ok()) {
        Finish(rpc::ToGrpc(page.status()));
        return;
      }
      pending_ = std::move(page->runs);
      next_ = 0;
      after_ = page->cursor;
      done_ = page->done;
      if (pending_.empty()) {
        Finish(grpc::Status::OK);
        return;
      }
    }
    chunk_.Clear();
    size_t bytes = 0;
    while (next_ < pending_.size() &&
           (chunk_.runs_size() == 0 ||
            bytes + pending_[next_].ByteSizeLong() < kChunkBytes)) {
      bytes += pending_[next_].ByteSizeLong();
      *chunk_.add_runs() = std::move(pending_[next_++]);
    }
    StartWrite(&chunk_);
  }

  store::Store* const store_;
  const store::ExportFilter filter_;
  std::vector<v6scope::v1::StoredRun> pending_;
  size_t next_ = 0;
  int64_t after_ = 0;
  bool done_ = false;
  v6scope::v1::ExportRunsChunk chunk_;
};

}  // namespace

grpc::ServerUnaryReactor* QueryServiceImpl::GetAggregates(
    grpc::CallbackServerContext* context,
    const v6scope::v1::AggregatesRequest* request,
    v6scope::v1::AggregatesResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<v6scope::v1::AggregatesResponse> answer =
      queries_->Aggregates(*request);
  if (answer.ok()) *response = *std::move(answer);
  reactor->Finish(rpc::ToGrpc(answer.status()));
  return reactor;
}

grpc::ServerUnaryReactor* QueryServiceImpl::ListAllocations(
    grpc::CallbackServerContext* context,
    const v6scope::v1::ListAllocationsRequest* request,
    v6scope::v1::ListAllocationsResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<v6scope::v1::ListAllocationsResponse> answer =
      queries_->Allocations(*request);
  if (answer.ok()) *response = *std::move(answer);
  reactor->Finish(rpc::ToGrpc(answer.status()));
  return reactor;
}

grpc::ServerWriteReactor<v6scope::v1::ExportRunsChunk>*
QueryServiceImpl::ExportRuns(grpc::CallbackServerContext* /*context*/,
                             const v6scope::v1::ExportRunsRequest* request) {
  return new ExportRunsReactor(store_, query::ToExportFilter(*request));
}

grpc::ServerUnaryReactor* QueryServiceImpl::ListRuns(
    grpc::CallbackServerContext* context,
    const v6scope::v1::ListRunsRequest* request,
    v6scope::v1::ListRunsResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(rpc::ToGrpc(DoListRuns(*store_, *request, response)));
  return reactor;
}

grpc::ServerUnaryReactor* QueryServiceImpl::ListProbes(
    grpc::CallbackServerContext* context,
    const v6scope::v1::ListProbesRequest* /*request*/,
    v6scope::v1::ListProbesResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<std::vector<v6scope::v1::ProbeSummary>> probes =
      store_->ListProbes();
  if (probes.ok()) {
    for (auto& p : *probes) {
      // Runs the probe had to drop (spool quota), as it reported them.
      absl::StatusOr<uint64_t> dropped = store_->DroppedRuns(p.probe_id());
      if (dropped.ok()) p.set_dropped_runs(*dropped);
      *response->add_probes() = std::move(p);
    }
  }
  reactor->Finish(rpc::ToGrpc(probes.status()));
  return reactor;
}

}  // namespace v6scope::collector::service
