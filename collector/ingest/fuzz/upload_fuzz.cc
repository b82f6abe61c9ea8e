// Fuzzes what the collector does with an upload's bytes before anything is
// stored: parse a v6scope.v1.UploadRequest as gRPC would, validate its
// batch (ValidateBatch), and prepare each run of a batch that passes (the
// serialization and the columns and observation the store writes).
#include <cstddef>
#include <cstdint>

#include "absl/time/time.h"
#include "collector/ingest/prepare_run.h"
#include "collector/ingest/validate.h"
#include "google/protobuf/stubs/logging.h"
#include "proto/probe_service.pb.h"

namespace v6scope::collector::ingest::fuzz {
namespace {

// A fixed "now", so an input that passes passes on every run (runs are
// checked against the collector's clock). The seeds are dated near it.
absl::Time Now() { return absl::FromUnixSeconds(1798675200); }  // 2027-01-01

void FuzzUpload(const uint8_t* data, size_t size) {
  v6scope::v1::UploadRequest request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return;
  if (!request.has_batch()) return;
  const IngestLimits limits;
  if (!ValidateBatch(request.batch(), Now(), limits).ok()) return;
  for (const v6scope::v1::Run& run : request.batch().runs()) {
    (void)PrepareRun(run);
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
  v6scope::collector::ingest::fuzz::FuzzUpload(data, size);
  return 0;
}
