// Channels to the collector under test.
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/ingest/fail.h"
#include "bench/ingest/report.h"
#include "bench/ingest/runner.h"
#include "bench/ingest/runner_internal.h"
#include "bench/ingest/workload.h"
#include "cli/commands.h"
#include "collector/enrich/attribution.h"
#include "collector/ingest/enrich_run.h"
#include "collector/ingest/prepare_run.h"
#include "collector/ingest/validate.h"
#include "collector/service/probe_service.h"
#include "collector/store/postgres/postgres_store.h"
#include "collector/store/postgres/testing/postgres_server.h"
#include "collector/store/sqlite/sqlite_ingest_sql.h"
#include "collector/store/sqlite/sqlite_store.h"
#include "collector/store/store.h"
#include "google/protobuf/arena.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/channel_arguments.h"
#include "grpcpp/support/client_callback.h"
#include "httplib.h"
#include "probe/uplink/collector_client.h"
#include "proto/probe_service.pb.h"
#include "proto/results.pb.h"

namespace v6scope::bench::ingest {

using collector::store::BatchOutcome;
using collector::store::PreparedRun;
using collector::store::RunBatch;
using collector::store::RunFilter;
using collector::store::RunPage;
using collector::store::Store;
using collector::store::postgres::PostgresStore;
using collector::store::sqlite::SqliteStore;
using v6scope::v1::UploadRequest;
using v6scope::v1::UploadResponse;
namespace enrich = collector::enrich;

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& target, int i) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(4 << 20);
  args.SetMaxSendMessageSize(4 << 20);
  // Its own TCP connection: channels with equal arguments would otherwise
  // share one subchannel (and connection) process-wide.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetInt("v6scope.bench.channel", i);
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(),
                                   args);
}

}  // namespace v6scope::bench::ingest
