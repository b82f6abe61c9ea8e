#include "common/http/mhd_server.h"

#include <microhttpd.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <utility>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "common/http/worker_pool.h"
#include "common/log/log.h"
#include "common/net/ip_address.h"
#include "common/net/listen_address.h"

namespace v6scope::http {
namespace {

// What one request accumulates between libmicrohttpd's calls: its route
// once the head is in, then its body; for an offloaded route, the
// response a worker left while the connection was suspended.
struct RequestState {
  // The path as sent, before percent-decoding (the decoded one is cut at
  // an encoded NUL by the library's C strings).
  std::string raw_path;
  bool screened = false;
  const Route* route = nullptr;
  std::string body;
  bool offloaded = false;  // Suspended and handed to a worker.
  absl::Mutex mu;
  std::optional<Response> response ABSL_GUARDED_BY(mu);
};

// A body reader as libmicrohttpd holds it (its callback's closure).
using StreamHandle = std::shared_ptr<BodyReader>;

// Chunks a streamed body is read in: large enough for full-size segments
// at line rate, allocated only while a response streams.
constexpr size_t kStreamBlockBytes = 32 * 1024;

bool IsGetOrHead(absl::string_view method) {
  return method == "GET" || method == "HEAD";
}

bool Allows(const Route& route, absl::string_view method) {
  for (const std::string& m : route.methods) {
    if (m == method || (method == "HEAD" && m == "GET")) return true;
  }
  return false;
}

// The Allow header of a 405: the route's methods, HEAD with GET.
std::string AllowHeader(const Route& route) {
  std::vector<std::string> methods = route.methods;
  if (Allows(route, "GET") && !absl::c_linear_search(methods, "HEAD")) {
    methods.push_back("HEAD");
  }
  return absl::StrJoin(methods, ", ");
}

Response Plain(int status, absl::string_view body) {
  Response response;
  response.status = status;
  response.body = absl::StrCat(body, "\n");
  return response;
}

// The server's refusal of a request on `route` (null: no route).
Response Refuse(const Route* route, int status, absl::string_view why) {
  if (route == nullptr || !route->refusal) return Plain(status, why);
  return route->refusal(status, why);
}

// An offloaded request the workers cannot take (queue full, stopping).
Response Unavailable(const Route* route, absl::string_view why) {
  Response response = Refuse(route, 503, why);
  response.headers.emplace_back("Retry-After", "1");
  return response;
}

const char* HeaderValue(MHD_Connection* connection, const char* name) {
  return MHD_lookup_connection_value(connection, MHD_HEADER_KIND, name);
}

enum MHD_Result CollectField(void* cls, enum MHD_ValueKind, const char* key,
                             const char* value) {
  static_cast<Fields*>(cls)->emplace_back(key, value == nullptr ? "" : value);
  return MHD_YES;
}

std::string PeerOf(MHD_Connection* connection) {
  const MHD_ConnectionInfo* info =
      MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (info == nullptr) return "";
  absl::StatusOr<net::IpAddress> ip =
      net::IpAddress::FromSockaddr(info->client_addr);
  return ip.ok() ? ip->Unmapped().ToString() : "";
}

// The sockaddr libmicrohttpd binds; its 0.9.75 API infers the length from
// the IPv6 flag, so the family and the flags must agree (see Start).
sockaddr_storage ToSockaddr(const net::ListenAddress& address) {
  sockaddr_storage ss;
  std::memset(&ss, 0, sizeof(ss));
  if (address.ip.is_v4()) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(static_cast<uint16_t>(address.port));
    std::memcpy(&sin->sin_addr, address.ip.bytes().data(), 4);
  } else {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(static_cast<uint16_t>(address.port));
    std::memcpy(&sin6->sin6_addr, address.ip.bytes().data(), 16);
  }
  return ss;
}

unsigned TimeoutSeconds(absl::Duration timeout) {
  const double seconds = std::ceil(absl::ToDoubleSeconds(timeout));
  return seconds < 1 ? 1u : static_cast<unsigned>(seconds);
}

// The request body's declared length (0 when none). Two Content-Length
// headers that differ, or one next to Transfer-Encoding, make the body's
// end ambiguous: a proxy in front may split the stream differently
// (request smuggling), so both are refused.
absl::StatusOr<uint64_t> DeclaredLength(MHD_Connection* connection,
                                        bool chunked) {
  Fields headers;
  MHD_get_connection_values(connection, MHD_HEADER_KIND, &CollectField,
                            &headers);
  std::optional<uint64_t> length;
  for (const auto& [name, value] : headers) {
    if (!absl::EqualsIgnoreCase(name, "Content-Length")) continue;
    uint64_t bytes = 0;
    if (!absl::SimpleAtoi(value, &bytes) || value.empty() ||
        !absl::ascii_isdigit(static_cast<unsigned char>(value[0]))) {
      return absl::InvalidArgumentError("bad Content-Length");
    }
    if (length.has_value() && *length != bytes) {
      return absl::InvalidArgumentError("conflicting Content-Length");
    }
    length = bytes;
  }
  if (length.has_value() && chunked) {
    return absl::InvalidArgumentError("Content-Length with Transfer-Encoding");
  }
  return length.value_or(0);
}

// Refuses paths no route should see: an encoded NUL (a C string would end
// there, "a.txt%00.html" becoming "a.txt"), and "." or ".." segments
// (prefix routes map paths onto directories).
absl::Status CheckPath(absl::string_view raw_path, absl::string_view path) {
  if (absl::StrContains(absl::AsciiStrToLower(raw_path), "%00")) {
    return absl::InvalidArgumentError("bad path: encoded NUL");
  }
  if (path.empty() || path[0] != '/') {
    return absl::InvalidArgumentError("bad path");
  }
  for (absl::string_view segment : absl::StrSplit(path.substr(1), '/')) {
    if (segment == "." || segment == "..") {
      return absl::InvalidArgumentError("bad path: dot segment");
    }
  }
  return absl::OkStatus();
}

ssize_t ReadStream(void* cls, uint64_t offset, char* buf, size_t max) {
  const BodyReader& reader = **static_cast<StreamHandle*>(cls);
  absl::StatusOr<size_t> n = reader.read(offset, buf, max);
  if (!n.ok()) {
    log::Warn("http.stream_failed",
              {{"offset", offset}, {"status", n.status()}});
    return MHD_CONTENT_READER_END_WITH_ERROR;
  }
  if (*n == 0) {
    // The end; a body of known length that ends early is an error.
    return reader.size < 0 ? MHD_CONTENT_READER_END_OF_STREAM
                           : MHD_CONTENT_READER_END_WITH_ERROR;
  }
  return static_cast<ssize_t>(std::min(*n, max));
}

void FreeStream(void* cls) { delete static_cast<StreamHandle*>(cls); }

MHD_Response* CreateResponse(const Response& response) {
  if (response.stream == nullptr) {
    return MHD_create_response_from_buffer(
        response.body.size(), const_cast<char*>(response.body.data()),
        MHD_RESPMEM_MUST_COPY);
  }
  const uint64_t size = response.stream->size < 0
                            ? MHD_SIZE_UNKNOWN
                            : static_cast<uint64_t>(response.stream->size);
  auto* handle = new StreamHandle(response.stream);
  MHD_Response* out = MHD_create_response_from_callback(
      size, kStreamBlockBytes, &ReadStream, handle, &FreeStream);
  if (out == nullptr) delete handle;
  return out;
}

uint64_t BodyBytes(const Response& response) {
  if (response.stream == nullptr) return response.body.size();
  return response.stream->size < 0
             ? 0
             : static_cast<uint64_t>(response.stream->size);
}

}  // namespace

struct MhdCallbacks {
  static enum MHD_Result OnRequest(void* cls, MHD_Connection* connection,
                                   const char* url, const char* method,
                                   const char* version, const char* upload_data,
                                   size_t* upload_data_size, void** state);
  static void OnCompleted(void* cls, MHD_Connection* connection, void** state,
                          enum MHD_RequestTerminationCode reason);
  static void OnLog(void* cls, const char* format, va_list args);
  static void* OnUri(void* cls, const char* uri, MHD_Connection* connection);

  // The answer to a request head alone, or nullopt to read on.
  static std::optional<Response> Screen(const MhdServer& server,
                                        MHD_Connection* connection,
                                        absl::string_view url,
                                        absl::string_view method,
                                        RequestState& state);
  static Request Build(MHD_Connection* connection, const char* url,
                       const char* method, RequestState& state);
  static enum MHD_Result Offload(const MhdServer& server,
                                 MHD_Connection* connection, const char* url,
                                 const char* method, RequestState& state);
  static enum MHD_Result Resumed(const MhdServer& server,
                                 MHD_Connection* connection, const char* url,
                                 const char* method, RequestState& state);
  static enum MHD_Result Send(const MhdServer& server,
                              MHD_Connection* connection, const char* url,
                              const char* method, const Response& response);
};

std::optional<Response> MhdCallbacks::Screen(const MhdServer& server,
                                             MHD_Connection* connection,
                                             absl::string_view url,
                                             absl::string_view method,
                                             RequestState& state) {
  const Route* route = server.Find(url);
  if (absl::Status path = CheckPath(state.raw_path, url); !path.ok()) {
    return Refuse(route, 400, path.message());
  }
  state.route = route;
  if (route == nullptr) return Plain(404, "not found");
  if (!Allows(*route, method)) {
    Response response = Refuse(route, 405, "method not allowed");
    response.headers.emplace_back("Allow", AllowHeader(*state.route));
    return response;
  }
  const bool chunked = HeaderValue(connection, "Transfer-Encoding") != nullptr;
  absl::StatusOr<uint64_t> bytes = DeclaredLength(connection, chunked);
  if (!bytes.ok()) return Refuse(route, 400, bytes.status().message());
  if (IsGetOrHead(method) && (*bytes > 0 || chunked)) {
    return Refuse(route, 400, absl::StrCat(method, " takes no request body"));
  }
  if (*bytes > server.options_.max_request_body_bytes) {
    return Refuse(route, 413, "request body too large");
  }
  return std::nullopt;
}

Request MhdCallbacks::Build(MHD_Connection* connection, const char* url,
                            const char* method, RequestState& state) {
  Request request;
  request.method = method;
  request.path = url;
  MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, &CollectField,
                            &request.query);
  MHD_get_connection_values(connection, MHD_HEADER_KIND, &CollectField,
                            &request.headers);
  request.peer = PeerOf(connection);
  request.body = std::move(state.body);
  return request;
}

// Suspends the connection and queues the handler on a worker, which
// leaves the response in `state` and resumes the connection; the library
// then calls OnRequest again (Resumed). The suspension happens inside the
// pool's lock, before any worker can see the task: a worker never resumes
// a connection not yet suspended. The connection and its state stay
// valid while it is suspended (no timeout, no close).
enum MHD_Result MhdCallbacks::Offload(const MhdServer& server,
                                      MHD_Connection* connection,
                                      const char* url, const char* method,
                                      RequestState& state) {
  const Route* route = state.route;
  RequestState* slot = &state;
  WorkerPool::Task task =
      [route, slot, connection,
       request = Build(connection, url, method, state)](bool run) {
        Response response = run ? route->handler(request)
                                : Unavailable(route, "server stopping");
        {
          absl::MutexLock lock(&slot->mu);
          slot->response = std::move(response);
        }
        // Last: once resumed, the polling thread may send and free the state.
        MHD_resume_connection(connection);
      };
  const bool admitted =
      server.workers_->TrySubmit(std::move(task), [&state, connection] {
        state.offloaded = true;
        MHD_suspend_connection(connection);
      });
  if (!admitted) {
    return Send(server, connection, url, method,
                Unavailable(state.route, "server busy"));
  }
  return MHD_YES;
}

// The call after a worker resumed the connection: sends what it left.
enum MHD_Result MhdCallbacks::Resumed(const MhdServer& server,
                                      MHD_Connection* connection,
                                      const char* url, const char* method,
                                      RequestState& state) {
  std::optional<Response> response;
  {
    absl::MutexLock lock(&state.mu);
    response.swap(state.response);
  }
  // Never without one: the worker stores it before resuming, and a
  // suspended connection is not called.
  if (!response.has_value()) return MHD_NO;
  return Send(server, connection, url, method, *response);
}

enum MHD_Result MhdCallbacks::Send(const MhdServer& server,
                                   MHD_Connection* connection, const char* url,
                                   const char* method,
                                   const Response& response) {
  MHD_Response* out = CreateResponse(response);
  if (out == nullptr) return MHD_NO;  // Out of memory: drop the connection.
  MHD_add_response_header(out, "Content-Type", response.content_type.c_str());
  for (const auto& [name, value] : response.headers) {
    MHD_add_response_header(out, name.c_str(), value.c_str());
  }
  if (!server.options_.keep_alive) {
    MHD_add_response_header(out, "Connection", "close");
  }
  const enum MHD_Result queued = MHD_queue_response(
      connection, static_cast<unsigned>(response.status), out);
  MHD_destroy_response(out);
  log::Write(response.status >= 500 ? log::Level::kWarn : log::Level::kDebug,
             "http.request",
             {{"method", method},
              {"path", url},
              {"status", response.status},
              {"bytes", BodyBytes(response)},
              {"peer", PeerOf(connection)}});
  return queued;
}

// libmicrohttpd calls this once when the request head is in (*state still
// null), once per piece of body, and once more when the request is
// complete (*upload_data_size 0). A response queued on the first call ends
// the request there; the library then closes the connection rather than
// read a body nobody wants.
enum MHD_Result MhdCallbacks::OnRequest(void* cls, MHD_Connection* connection,
                                        const char* url, const char* method,
                                        const char* /*version*/,
                                        const char* upload_data,
                                        size_t* upload_data_size,
                                        void** state) {
  const auto& server = *static_cast<const MhdServer*>(cls);
  if (*state == nullptr) *state = new RequestState();  // Freed by OnCompleted.
  auto& request = *static_cast<RequestState*>(*state);
  if (!request.screened) {
    request.screened = true;
    std::optional<Response> early =
        Screen(server, connection, url, method, request);
    if (early.has_value()) return Send(server, connection, url, method, *early);
    return MHD_YES;
  }
  if (*upload_data_size > 0) {
    // Only a chunked body can get here past the limit (a declared length
    // was screened): it is cut off by closing the connection.
    if (request.body.size() + *upload_data_size >
        server.options_.max_request_body_bytes) {
      return MHD_NO;
    }
    request.body.append(upload_data, *upload_data_size);
    *upload_data_size = 0;
    return MHD_YES;
  }
  if (request.offloaded)
    return Resumed(server, connection, url, method, request);
  if (request.route->offload) {
    return Offload(server, connection, url, method, request);
  }
  return Send(server, connection, url, method,
              request.route->handler(Build(connection, url, method, request)));
}

void MhdCallbacks::OnCompleted(void* /*cls*/, MHD_Connection* /*connection*/,
                               void** state,
                               enum MHD_RequestTerminationCode /*reason*/) {
  delete static_cast<RequestState*>(*state);
  *state = nullptr;
}

// libmicrohttpd's own messages (a failed bind, a client over a limit, a
// malformed request). While starting they are the reason for the failure
// and go into its status. Afterwards they are per connection, at a rate a
// client controls, so they are logged at debug level, structured.
void MhdCallbacks::OnLog(void* cls, const char* format, va_list args) {
  auto& server = *static_cast<MhdServer*>(cls);
  char buffer[512];
  std::vsnprintf(buffer, sizeof(buffer), format, args);
  std::string message = std::string(absl::StripAsciiWhitespace(buffer));
  {
    absl::MutexLock lock(&server.start_mu_);
    if (!server.running_) {
      if (!server.start_errors_.empty()) server.start_errors_ += "; ";
      server.start_errors_ += message;
      return;
    }
  }
  log::Debug("http.library",
             {{"listen", server.listen_}, {"message", message}});
}

// Called with the request line's target as sent; what it returns is the
// request's state (the library then reports the request as complete to
// OnCompleted even if it never reaches OnRequest).
void* MhdCallbacks::OnUri(void* /*cls*/, const char* uri,
                          MHD_Connection* /*connection*/) {
  auto* state = new RequestState();
  absl::string_view target = uri == nullptr ? "" : uri;
  state->raw_path = std::string(target.substr(0, target.find('?')));
  return state;
}

const std::string* Request::Query(absl::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return &value;
  }
  return nullptr;
}

const std::string* Request::Header(absl::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (absl::EqualsIgnoreCase(key, name)) return &value;
  }
  return nullptr;
}

MhdServer::MhdServer(std::string listen, std::vector<Route> routes,
                     const MhdServerOptions& options)
    : listen_(std::move(listen)),
      routes_(std::move(routes)),
      options_(options) {}

MhdServer::~MhdServer() {
  // The workers first: each suspended connection is resumed, answered or
  // (still queued) refused with 503, before the daemon stops; stopping it
  // with one suspended is an API violation in libmicrohttpd. Offloaded
  // requests arriving meanwhile are refused without being suspended.
  if (workers_ != nullptr) workers_->Stop();
  // Closes the listening socket and every connection, joins the threads.
  if (daemon_ != nullptr) MHD_stop_daemon(daemon_);
}

size_t MhdServer::offload_queued() const {
  return workers_ == nullptr ? 0 : workers_->queued();
}

const Route* MhdServer::Find(absl::string_view path) const {
  const Route* best = nullptr;
  for (const Route& route : routes_) {
    if (route.path == path) return &route;
    if (route.prefix && absl::StartsWith(path, route.path) &&
        (best == nullptr || route.path.size() > best->path.size())) {
      best = &route;
    }
  }
  return best;
}

absl::StatusOr<std::unique_ptr<MhdServer>> MhdServer::Start(
    const std::string& listen, std::vector<Route> routes,
    const MhdServerOptions& options) {
  absl::StatusOr<net::ListenAddress> address = net::ParseListenAddress(listen);
  if (!address.ok()) return address.status();
  std::unique_ptr<MhdServer> server(
      new MhdServer(listen, std::move(routes), options));
  const sockaddr_storage bind_to = ToSockaddr(*address);
  // Internal threads (one, or a pool) polling with epoll where the library
  // has it.
  // SO_REUSEADDR (the library's default) lets a restarted process rebind
  // while old connections linger; SO_REUSEPORT is never set, so a port
  // another socket listens on fails to bind.
  unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
  if (absl::c_any_of(server->routes_,
                     [](const Route& route) { return route.offload; })) {
    flags |= MHD_ALLOW_SUSPEND_RESUME;
    server->workers_ = std::make_unique<WorkerPool>(options.offload_threads,
                                                    options.offload_queue);
  }
  if (address->ip.is_v6()) {
    // "[::]" takes IPv4 too, whatever net.ipv6.bindv6only says.
    const bool any = address->ip == net::IpAddress::FromV6Bytes({});
    flags |= any ? MHD_USE_DUAL_STACK : MHD_USE_IPv6;
  }
  server->daemon_ = MHD_start_daemon(
      flags, static_cast<uint16_t>(address->port), nullptr, nullptr,
      &MhdCallbacks::OnRequest, server.get(), MHD_OPTION_SOCK_ADDR, &bind_to,
      MHD_OPTION_CONNECTION_LIMIT,
      static_cast<unsigned>(options.max_connections),
      MHD_OPTION_PER_IP_CONNECTION_LIMIT,
      static_cast<unsigned>(options.max_connections_per_ip),
      MHD_OPTION_CONNECTION_TIMEOUT, TimeoutSeconds(options.connection_timeout),
      MHD_OPTION_LISTEN_BACKLOG_SIZE,
      static_cast<unsigned>(options.listen_backlog),
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, options.connection_memory_bytes,
      MHD_OPTION_NOTIFY_COMPLETED, &MhdCallbacks::OnCompleted, server.get(),
      MHD_OPTION_EXTERNAL_LOGGER, &MhdCallbacks::OnLog, server.get(),
      MHD_OPTION_URI_LOG_CALLBACK, &MhdCallbacks::OnUri, server.get(),
      // Last: a pool of one is no pool (the option ends the list then).
      options.threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END,
      static_cast<unsigned>(options.threads), MHD_OPTION_END);
  absl::MutexLock lock(&server->start_mu_);
  if (server->daemon_ == nullptr) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", listen, ": ",
        server->start_errors_.empty() ? "libmicrohttpd did not start"
                                      : server->start_errors_));
  }
  server->running_ = true;
  const MHD_DaemonInfo* info =
      MHD_get_daemon_info(server->daemon_, MHD_DAEMON_INFO_BIND_PORT);
  server->port_ = info == nullptr ? 0 : info->port;
  return server;
}

}  // namespace v6scope::http
