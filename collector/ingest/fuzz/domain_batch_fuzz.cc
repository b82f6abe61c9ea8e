// Fuzzes what the collector does with a probe's readiness results before
// anything is stored: parse a v6scope.v1.UploadRequest as gRPC would,
// validate its domain batch (ValidateDomainBatch), and for a batch that
// passes compute each check's verdict (ComputeReadiness) and serialize the
// check with it into its stored form, as PrepareDomainRows does, which
// must read back to the same bytes. A probe is not trusted: any bytes it
// sends must end in a refusal or a verdict, never a crash, a sanitizer
// report or unbounded time. The input is also read as a stored blob (a
// damaged store must give an error, not a crash).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "collector/ingest/validate_domain.h"
#include "collector/store/check_blob.h"
#include "google/protobuf/stubs/logging.h"
#include "methodology/readiness/readiness.h"
#include "proto/probe_service.pb.h"
#include "proto/readiness.pb.h"

namespace v6scope::collector::ingest::fuzz {
namespace {

void FuzzDomainBatch(const uint8_t* data, size_t size) {
  {
    v6scope::v1::DomainCheck stored;
    (void)store::ParseStoredCheck(
        absl::string_view(reinterpret_cast<const char*>(data), size), &stored);
  }
  v6scope::v1::UploadRequest request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return;
  if (!request.has_domain_batch()) return;
  v6scope::v1::DomainBatch* batch = request.mutable_domain_batch();
  if (!ValidateDomainBatch(*batch).ok()) return;
  for (v6scope::v1::DomainResult& result : *batch->mutable_results()) {
    v6scope::v1::DomainCheck* check = result.mutable_check();
    *check->mutable_verdict() =
        methodology::readiness::ComputeReadiness(*check);
    const std::string serialized = check->SerializeAsString();
    absl::StatusOr<std::string> back =
        store::DecodeCheckBlob(store::EncodeCheckBlob(serialized));
    if (!back.ok() || *back != serialized) std::abort();
  }
}

}  // namespace
}  // namespace v6scope::collector::ingest::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Protobuf logs every invalid UTF-8 string field it rejects.
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  v6scope::collector::ingest::fuzz::FuzzDomainBatch(data, size);
  return 0;
}
