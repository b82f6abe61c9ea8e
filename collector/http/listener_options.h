// The collector's HTTP listener limits (CollectorConfig http_* fields,
// defaults filled by collector/server.cc) as MhdServerOptions, with the
// process's open-file limit raised to make room for them.
#ifndef V6SCOPE_COLLECTOR_HTTP_LISTENER_OPTIONS_H_
#define V6SCOPE_COLLECTOR_HTTP_LISTENER_OPTIONS_H_

#include <cstdint>

#include "common/http/mhd_server.h"
#include "proto/config.pb.h"

namespace v6scope::collector::http {

inline constexpr uint32_t kDefaultMaxConnections = 16384;
inline constexpr uint32_t kDefaultMaxConnectionsPerIp = 1024;
inline constexpr uint32_t kDefaultConnectionTimeoutSeconds = 30;
inline constexpr uint32_t kDefaultListenBacklog = 1024;
inline constexpr uint32_t kDefaultThreads = 4;
inline constexpr uint64_t kDefaultMinFreeDiskMb = 100;

// Descriptors kept free of HTTP connections: the store, gRPC, data files.
inline constexpr uint64_t kReservedDescriptors = 256;

// Raises the soft RLIMIT_NOFILE to the hard limit (the default soft limit,
// often 1024, would cap idle connections far below the listener's), then
// lowers max_connections to what the limit leaves, with a warning.
v6scope::http::MhdServerOptions ListenerOptions(
    const v6scope::v1::CollectorConfig& config);

// The connection limit that fits `open_files` descriptors.
uint32_t FitConnections(uint32_t wanted, uint64_t open_files);

}  // namespace v6scope::collector::http

#endif  // V6SCOPE_COLLECTOR_HTTP_LISTENER_OPTIONS_H_
