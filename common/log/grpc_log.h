// gRPC core's own log lines (gpr_log: "E1129 02:10:00.123 ... chttp2 ...")
// routed into the structured log, so that stderr holds only
// `ts=… level=… event=…` lines (docs/cli.md).
//
//   ts=… level=error comp=probe event=grpc.core file=tcp_client.cc line=123
//   message="connect failed: ..."
#ifndef V6SCOPE_COMMON_LOG_GRPC_LOG_H_
#define V6SCOPE_COMMON_LOG_GRPC_LOG_H_

namespace v6scope::log {

// Installs the routing (gpr_set_log_function). Call once, early in main,
// before the first channel or server; idempotent.
void RouteGrpcLogs();

}  // namespace v6scope::log

#endif  // V6SCOPE_COMMON_LOG_GRPC_LOG_H_
