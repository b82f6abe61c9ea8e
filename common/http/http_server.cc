#include "common/http/http_server.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <exception>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/log/log.h"
#include "common/net/ip_address.h"

namespace v6scope::http {
namespace {

// Replaces httplib's default socket options for the listening socket.
// httplib sets SO_REUSEPORT, with which a second process can bind the same
// port and silently take a share of the connections instead of failing;
// SO_REUSEADDR alone lets a restarted collector rebind while old
// connections linger in TIME_WAIT. IPV6_V6ONLY is cleared so "[::]" also
// accepts IPv4 whatever net.ipv6.bindv6only says (httplib 0.11 clears it
// too; this keeps the guarantee if a later version stops doing so).
void ListenSocketOptions(int fd) {
  int on = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  int domain = 0;
  socklen_t len = sizeof(domain);
  if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) == 0 &&
      domain == AF_INET6) {
    int off = 0;
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
  }
}

// httplib takes timeouts as seconds plus microseconds.
void SplitDuration(absl::Duration d, time_t* sec, time_t* usec) {
  const int64_t micros = std::max<int64_t>(0, absl::ToInt64Microseconds(d));
  *sec = static_cast<time_t>(micros / 1000000);
  *usec = static_cast<time_t>(micros % 1000000);
}

size_t ResponseBytes(const httplib::Response& response) {
  return response.body.empty() ? response.content_length_
                               : response.body.size();
}

// One line per request: debug normally, warn for server errors.
void LogRequest(const httplib::Request& request,
                const httplib::Response& response) {
  const log::Level level =
      response.status >= 500 ? log::Level::kWarn : log::Level::kDebug;
  log::Write(level, "http.request",
             {{"method", request.method},
              {"path", request.path},
              {"status", response.status},
              {"peer", PeerAddress(request.remote_addr)},
              {"bytes", static_cast<uint64_t>(ResponseBytes(response))}});
}

// A handler that throws must not take the worker thread down with it: the
// client gets a 500 and the operator a warning naming the path.
void HandleException(const httplib::Request& request,
                     httplib::Response& response, std::exception_ptr error) {
  std::string what = "unknown exception";
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
  }
  log::Warn("http.handler_failed", {{"path", request.path}, {"error", what}});
  response.status = 500;
  response.set_content("internal error\n", "text/plain");
}

}  // namespace

std::string PeerAddress(absl::string_view remote_addr) {
  // getnameinfo() appends "%zone" to link-local peers; the zone is this
  // host's interface name, not part of the client's address.
  absl::string_view address = remote_addr.substr(0, remote_addr.find('%'));
  absl::StatusOr<net::IpAddress> ip = net::IpAddress::Parse(address);
  if (!ip.ok()) return std::string(remote_addr);
  return ip->Unmapped().ToString();
}

HttpServer::HttpServer(std::string listen)
    : listen_(std::move(listen)),
      server_(std::make_unique<httplib::Server>()) {}

HttpServer::~HttpServer() { Stop(); }

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(
    const std::string& listen, RouteRegistrar register_routes,
    const HttpServerOptions& options) {
  absl::StatusOr<net::ListenAddress> address = net::ParseListenAddress(listen);
  if (!address.ok()) return address.status();
  std::unique_ptr<HttpServer> server(new HttpServer(listen));
  server->Configure(options);
  if (register_routes) register_routes(*server->server_);
  absl::Status bound = server->Bind(*address);
  if (!bound.ok()) return bound;
  {
    absl::MutexLock lock(&server->stop_mu_);
    server->accept_thread_ =
        std::thread([raw = server.get()] { raw->AcceptLoop(); });
  }
  server->WaitUntilAccepting();
  log::Info("http.listening", {{"listen", listen}, {"port", server->port_}});
  return server;
}

void HttpServer::Configure(const HttpServerOptions& options) {
  httplib::Server& s = *server_;
  const size_t threads =
      static_cast<size_t>(std::max(1, options.worker_threads));
  s.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  s.set_socket_options(ListenSocketOptions);
  // Without TCP_NODELAY, Nagle holds back the first body segment after
  // the headers until they are acknowledged: up to 40 ms added to the
  // first-byte and total times the probes measure.
  s.set_tcp_nodelay(true);
  time_t sec = 0;
  time_t usec = 0;
  SplitDuration(options.read_timeout, &sec, &usec);
  s.set_read_timeout(sec, usec);
  SplitDuration(options.write_timeout, &sec, &usec);
  s.set_write_timeout(sec, usec);
  s.set_keep_alive_timeout(static_cast<time_t>(
      std::max<int64_t>(1, absl::ToInt64Seconds(options.keep_alive_timeout))));
  s.set_keep_alive_max_count(options.keep_alive_max_requests);
  s.set_payload_max_length(options.max_request_body_bytes);
  s.set_logger(LogRequest);
  s.set_exception_handler(HandleException);
}

absl::Status HttpServer::Bind(const net::ListenAddress& address) {
  errno = 0;
  const std::string host = address.host();
  if (address.port == 0) {
    port_ = server_->bind_to_any_port(host);
  } else {
    port_ = server_->bind_to_port(host, address.port) ? address.port : -1;
  }
  if (port_ > 0) return absl::OkStatus();
  const int error = errno;
  port_ = 0;
  // The host is a numeric literal, so errno comes from socket(), bind() or
  // listen() (httplib reports only failure).
  return absl::UnavailableError(absl::StrCat(
      "cannot listen on ", listen_, ": ",
      error != 0 ? std::strerror(error) : "address in use or not available"));
}

void HttpServer::AcceptLoop() {
  if (!server_->listen_after_bind()) {
    log::Warn("http.accept_failed", {{"listen", listen_}});
  }
  accept_loop_done_.Notify();
}

// httplib's stop() does nothing until the accept loop has marked the
// server running, so a Stop() right after Start() could otherwise leave
// the loop running forever. Waiting here (microseconds, once) closes that
// window; connections made meanwhile already queue on the bound socket.
void HttpServer::WaitUntilAccepting() {
  while (!server_->is_running() && !accept_loop_done_.HasBeenNotified()) {
    absl::SleepFor(absl::Microseconds(50));
  }
}

void HttpServer::Stop() {
  absl::MutexLock lock(&stop_mu_);
  if (!accept_thread_.joinable()) return;
  // After the loop has ended by itself the socket is already closed;
  // stop() would close that descriptor number a second time.
  if (!accept_loop_done_.HasBeenNotified()) server_->stop();
  accept_thread_.join();
  log::Info("http.stopped", {{"listen", listen_}});
}

}  // namespace v6scope::http
