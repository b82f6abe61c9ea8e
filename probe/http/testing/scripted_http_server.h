// Test fakes for HTTP fetches on loopback: a scripted HTTP/1.1 server whose
// every path misbehaves on request (slow, stalling, truncating, silent...),
// a port that refuses connections, and a listener that never accepts.
//
// The server speaks just enough hand-written HTTP/1.1 for one GET per
// connection ("Connection: close"), optionally over TLS with a self-signed
// certificate. Like nginx, it answers 400 at once to a request that does
// not start with a method name, so a TLS ClientHello sent to the plain
// server fails the client's handshake instead of hanging it. It runs on its own
// threads: one acceptor and one per connection, so a held or stalled connection
// never delays the others. All public methods are thread-safe.
#ifndef V6SCOPE_PROBE_HTTP_TESTING_SCRIPTED_HTTP_SERVER_H_
#define V6SCOPE_PROBE_HTTP_TESTING_SCRIPTED_HTTP_SERVER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

struct ssl_ctx_st;  // OpenSSL's SSL_CTX; kept out of this header.

namespace v6scope::probe::http::testing {

// What the server does for one path.
struct Behaviour {
  enum class Kind {
    kNormal,        // `status` with `body`, then close.
    kSlow,          // Waits `delay`, then like kNormal.
    kStallMidBody,  // Announces `length`, sends length/2 bytes, then holds
                    // the connection open silently until the client leaves.
    kTruncate,      // Announces `length`, sends `sent` bytes, closes.
    kNeverRespond,  // Reads the request, never answers, holds the
                    // connection until the client leaves.
    kWhoAmI,        // 200, body = the client's address ("127.0.0.1", "::1").
    kLarge,         // 200, body = `length` bytes; ignores Range.
    kRanged,        // Like kLarge, but honours "Range: bytes=0-N" with a
                    // 206 of the first N+1 bytes.
    kHeadersThenStall,  // 200 headers announcing `length`, no body, then
                        // holds the connection open silently.
    kTrickle,           // 200 announcing `length`, then `sent` bytes every
                        // `delay` until done: slow but steady.
  };

  static Behaviour Normal(int status, std::string body);
  // `status` (3xx) with "Location: `location`" and a short body.
  static Behaviour Redirect(int status, std::string location);
  static Behaviour Slow(absl::Duration delay, std::string body = "slow");
  static Behaviour StallMidBody(size_t announced);
  static Behaviour Truncate(size_t announced, size_t sent);
  static Behaviour NeverRespond();
  static Behaviour WhoAmI();
  static Behaviour Large(size_t bytes);
  static Behaviour Ranged(size_t bytes);
  static Behaviour HeadersThenStall(size_t announced);
  static Behaviour Trickle(size_t bytes, size_t chunk, absl::Duration interval);

  Kind kind = Kind::kNormal;
  int status = 200;
  std::string body;
  absl::Duration delay = absl::ZeroDuration();
  size_t length = 0;
  size_t sent = 0;
  std::string location;  // kNormal: a Location header when not empty.
};

class ScriptedHttpServer {
 public:
  struct Options {
    // Serve HTTPS with a fresh self-signed certificate (cert_pem()) whose
    // names are `tls_dns_names` and the listening address. Turning TLS on
    // ignores SIGPIPE process-wide (OpenSSL writes with write(2)).
    bool tls = false;
    std::vector<std::string> tls_dns_names = {"localhost"};
    // Port to listen on; 0 picks a free one. A fixed port lets a second
    // server share the first one's port number on the other family (a
    // dual-stack target for happy-eyeballs tests).
    uint16_t port = 0;
  };

  // Listens on `address` ("127.0.0.1", "::1", ...) and an ephemeral port.
  // Fails if the address cannot be bound (e.g. no ::1 on this host).
  // Unscripted paths answer 404.
  static absl::StatusOr<std::unique_ptr<ScriptedHttpServer>> Start(
      absl::string_view address, Options options);
  static absl::StatusOr<std::unique_ptr<ScriptedHttpServer>> Start(
      absl::string_view address) {
    return Start(address, Options());
  }

  // Stop()s.
  ~ScriptedHttpServer();

  ScriptedHttpServer(const ScriptedHttpServer&) = delete;
  ScriptedHttpServer& operator=(const ScriptedHttpServer&) = delete;

  // Scripts `path` ("/x"; the query string is ignored when matching).
  void Handle(absl::string_view path, Behaviour behaviour);

  // Closes the listener (connections not yet accepted are reset), cuts
  // every open connection (held ones too) and joins all threads.
  // Idempotent.
  void Stop();

  const std::string& address() const { return address_; }
  uint16_t port() const { return port_; }
  // "http://127.0.0.1:<port><path>", "https://[::1]:<port><path>".
  std::string Url(absl::string_view path) const;
  // Same, with `host` (e.g. a made-up name the client pins to this server).
  std::string UrlWithHost(absl::string_view host, absl::string_view path) const;
  // PEM of the certificate when serving TLS; empty otherwise.
  const std::string& cert_pem() const { return cert_pem_; }

  // Requests whose request line arrived, for `path` / in total.
  int RequestCount(absl::string_view path) const;
  int TotalRequests() const;
  // Head (request line and headers) of the latest request for `path`.
  std::string LastRequestHead(absl::string_view path) const;

 private:
  ScriptedHttpServer(std::string address, int listen_fd, int stop_fd,
                     uint16_t port);
  absl::Status SetUpTls(const Options& options);

  void AcceptLoop();
  void Serve(int fd);
  // Counts the request and returns what to do for it.
  Behaviour Lookup(const std::string& path, std::string head);

  const std::string address_;
  int listen_fd_;      // -1 once Stop closed it.
  const int stop_fd_;  // eventfd: wakes the acceptor on Stop.
  const uint16_t port_;
  std::string cert_pem_;
  ::ssl_ctx_st* ssl_ctx_ = nullptr;  // SSL_CTX, when serving TLS.

  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Behaviour> behaviours_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, int> counts_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, std::string> heads_ ABSL_GUARDED_BY(mu_);
  int total_ ABSL_GUARDED_BY(mu_) = 0;
  // Connections being served; Stop shuts them down to wake their threads.
  absl::flat_hash_set<int> live_fds_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread> workers_ ABSL_GUARDED_BY(mu_);
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  std::thread acceptor_;
};

// A port on `address` on which nothing listens: bound to port 0, then
// closed. A connect gets a RST (ECONNREFUSED). Another process could take
// the port in between; on loopback in a test that is vanishingly rare.
absl::StatusOr<uint16_t> RefusingPort(absl::string_view address);

// A socket that listens (backlog 0) and never accepts. What a client sees:
// Linux still completes the TCP handshake for as many connections as fit in
// the accept queue (backlog 0 admits one), so the first client connects and
// then hears nothing (a whole-transfer TIMEOUT, connect_us > 0); once the
// queue is full, further SYNs are dropped and those clients never connect
// (a connect TIMEOUT). Either way: TIMEOUT, never a refusal.
class NeverAcceptingListener {
 public:
  static absl::StatusOr<std::unique_ptr<NeverAcceptingListener>> Start(
      absl::string_view address);
  ~NeverAcceptingListener();

  NeverAcceptingListener(const NeverAcceptingListener&) = delete;
  NeverAcceptingListener& operator=(const NeverAcceptingListener&) = delete;

  uint16_t port() const { return port_; }

 private:
  NeverAcceptingListener(int fd, uint16_t port) : fd_(fd), port_(port) {}
  const int fd_;
  const uint16_t port_;
};

}  // namespace v6scope::probe::http::testing

#endif  // V6SCOPE_PROBE_HTTP_TESTING_SCRIPTED_HTTP_SERVER_H_
