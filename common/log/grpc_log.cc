#include "common/log/grpc_log.h"

#include <grpc/support/log.h>

#include "absl/strings/string_view.h"
#include "common/log/log.h"

namespace v6scope::log {
namespace {

// gRPC's severities: debug, info, error (it has no warning level).
Level LevelOf(gpr_log_severity severity) {
  switch (severity) {
    case GPR_LOG_SEVERITY_DEBUG:
      return Level::kDebug;
    case GPR_LOG_SEVERITY_INFO:
      return Level::kInfo;
    case GPR_LOG_SEVERITY_ERROR:
      return Level::kError;
  }
  return Level::kError;
}

void WriteGrpcLine(gpr_log_func_args* args) {
  absl::string_view file = args->file != nullptr ? args->file : "";
  // The source path inside gRPC's tree says nothing to an operator
  // beyond its last component.
  file = file.substr(file.rfind('/') + 1);
  Write(LevelOf(args->severity), "grpc.core",
        {{"file", file},
         {"line", args->line},
         {"message", args->message != nullptr ? args->message : ""}});
}

}  // namespace

void RouteGrpcLogs() { gpr_set_log_function(WriteGrpcLine); }

}  // namespace v6scope::log
