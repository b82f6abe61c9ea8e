#include "collector/service/query_service.h"

#include <cstddef>
#include <utility>
#include <vector>

#include "collector/service/query_reply.h"
#include "common/rpc/status.h"

namespace v6scope::collector::service {
namespace {

// Streams ExportRuns: reads a slice of runs, sends it in messages of at
// most kChunkBytes, reads the next slice when all are written. One slice
// in memory at a time.
class ExportRunsReactor
    : public grpc::ServerWriteReactor<v6scope::v1::ExportRunsChunk> {
 public:
  explicit ExportRunsReactor(query::RunExport source)
      : source_(std::move(source)) {
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
      if (source_.done()) {
        Finish(grpc::Status::OK);
        return;
      }
      absl::StatusOr<std::vector<v6scope::v1::StoredRun>> slice =
          source_.Next();
      if (!slice.ok()) {
        Finish(ForClient(slice.status(), "ExportRuns"));
        return;
      }
      pending_ = *std::move(slice);
      next_ = 0;
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

  query::RunExport source_;
  std::vector<v6scope::v1::StoredRun> pending_;
  size_t next_ = 0;
  v6scope::v1::ExportRunsChunk chunk_;
};

// An export refused before it starts (no read key).
class RefusedExportReactor
    : public grpc::ServerWriteReactor<v6scope::v1::ExportRunsChunk> {
 public:
  explicit RefusedExportReactor(const absl::Status& status) {
    Finish(rpc::ToGrpc(status));
  }
  void OnDone() override { delete this; }
};

}  // namespace

grpc::ServerUnaryReactor* QueryServiceImpl::GetAggregates(
    grpc::CallbackServerContext* context,
    const v6scope::v1::AggregatesRequest* request,
    v6scope::v1::AggregatesResponse* response) {
  if (absl::Status s = access_->Authorize(*context); !s.ok()) {
    return Refuse(context, s);
  }
  return Answer(context, "GetAggregates",
                queries_->aggregates().Aggregates(*request), response);
}

grpc::ServerUnaryReactor* QueryServiceImpl::ListAllocations(
    grpc::CallbackServerContext* context,
    const v6scope::v1::ListAllocationsRequest* request,
    v6scope::v1::ListAllocationsResponse* response) {
  if (absl::Status s = access_->Authorize(*context); !s.ok()) {
    return Refuse(context, s);
  }
  return Answer(context, "ListAllocations",
                queries_->aggregates().Allocations(*request), response);
}

grpc::ServerWriteReactor<v6scope::v1::ExportRunsChunk>*
QueryServiceImpl::ExportRuns(grpc::CallbackServerContext* context,
                             const v6scope::v1::ExportRunsRequest* request) {
  if (absl::Status s = access_->Authorize(*context); !s.ok()) {
    return new RefusedExportReactor(s);
  }
  return new ExportRunsReactor(queries_->runs().Export(*request));
}

grpc::ServerUnaryReactor* QueryServiceImpl::ListRuns(
    grpc::CallbackServerContext* context,
    const v6scope::v1::ListRunsRequest* request,
    v6scope::v1::ListRunsResponse* response) {
  if (absl::Status s = access_->Authorize(*context); !s.ok()) {
    return Refuse(context, s);
  }
  return Answer(context, "ListRuns", queries_->runs().ListRuns(*request),
                response);
}

grpc::ServerUnaryReactor* QueryServiceImpl::ListProbes(
    grpc::CallbackServerContext* context,
    const v6scope::v1::ListProbesRequest* request,
    v6scope::v1::ListProbesResponse* response) {
  if (absl::Status s = access_->Authorize(*context); !s.ok()) {
    return Refuse(context, s);
  }
  return Answer(context, "ListProbes", queries_->probes().ListProbes(*request),
                response);
}

}  // namespace v6scope::collector::service
