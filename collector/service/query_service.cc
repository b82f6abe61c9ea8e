#include "collector/service/query_service.h"

#include "common/rpc/status.h"

namespace v6scope::collector {
namespace {

constexpr uint32_t kDefaultPageSize = 100;
constexpr uint32_t kMaxPageSize = 1000;

absl::Status DoListRuns(Store& store, const v6scope::v1::ListRunsRequest& req,
                        v6scope::v1::ListRunsResponse* resp) {
  uint32_t page_size =
      req.page_size() == 0 ? kDefaultPageSize : req.page_size();
  if (page_size > kMaxPageSize) {
    return absl::InvalidArgumentError("page_size: at most 1000");
  }
  RunFilter filter;
  filter.probe_id = req.probe_id();
  absl::StatusOr<RunPage> page =
      store.ListRuns(filter, page_size, req.page_token());
  if (!page.ok()) return page.status();
  for (auto& run : page->runs) *resp->add_runs() = std::move(run);
  resp->set_next_page_token(page->next_page_token);
  return absl::OkStatus();
}

}  // namespace

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

}  // namespace v6scope::collector
