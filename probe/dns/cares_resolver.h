// CaresResolver: DnsResolver on c-ares 1.18, driven by the probe's
// EventLoop (socket-state callback + ares_process_fd + ares_timeout; c-ares
// 1.18 has no ares_process_fds). No call blocks the loop except the read of
// the small local hosts file.
//
// What a lookup does:
//  1. With use_hosts_file, /etc/hosts is read for the asked family
//     (ares_gethostbyname_file; c-ares 1.18 ignores $CARES_HOSTS here). A
//     line of that family answers OK with from_hosts_file and no server;
//     otherwise (e.g. AAAA of "localhost" with no "::1 localhost" line)
//     the question goes to DNS.
//  2. Otherwise one DNS question (class IN, type A or AAAA) goes to the
//     configured servers with ares_query: the exact name, no search list,
//     so a missing name reads as NXDOMAIN and not as some suffixed name.
//     A truncated UDP answer is retried over TCP by c-ares.
//
// Which server answered: the channel runs with ARES_FLAG_NOCHECKRESP, so
// the first response that arrives decides the outcome whatever its RCODE
// (a SERVFAIL or REFUSED is recorded, not retried on the next server), and
// c-ares hands that response over while it processes the socket it came
// in on. That socket is connected to exactly one server, so `server` is
// that socket's peer address: exact for UDP and TCP, with one or many
// servers. Servers are asked in configured order (no rotation); with
// several, c-ares moves to the next one after `timeout` without an answer.
//
// Time bound: every lookup ends within timeout x tries (TIMEOUT when
// nothing decided it sooner), even though c-ares itself doubles the
// per-try timeout on later rounds. c-ares 1.18 cannot cancel one query, so
// a query cut off this way may still retransmit until c-ares gives up;
// its late answer is ignored.
//
// Threading: owned by the loop thread. Create (before the loop runs or
// on the loop thread), Resolve, CancelAll and the destructor run there;
// the loop must outlive the resolver. Every `done` runs on the loop
// thread from a zero-delay loop timer, never from inside c-ares.
#ifndef V6SCOPE_PROBE_DNS_CARES_RESOLVER_H_
#define V6SCOPE_PROBE_DNS_CARES_RESOLVER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "probe/dns/dns_resolver.h"
#include "probe/loop/event_loop.h"

// c-ares' opaque channel; ares.h stays out of this header.
struct ares_channeldata;

namespace v6scope::probe::dns {

struct CaresOptions {
  // Servers to ask, comma-separated, each "ip", "ip:port", "[v6]:port" or
  // a bare IPv6 literal (port 53 when none). Empty: the system resolver
  // configuration (/etc/resolv.conf).
  std::string server;
  // Wait for each try; must be positive.
  absl::Duration timeout = absl::Seconds(5);
  // Tries per server; at least 1. A lookup takes at most timeout x tries.
  int tries = 2;
  // Look in the hosts file before asking DNS.
  bool use_hosts_file = true;
};

class CaresResolver : public DnsResolver {
 public:
  // INVALID_ARGUMENT (naming the offending text) for a bad server string,
  // timeout or tries; INTERNAL if c-ares cannot start. Initialises the
  // c-ares library once per process (thread-safe).
  static absl::StatusOr<std::unique_ptr<CaresResolver>> Create(
      loop::EventLoop* loop, const CaresOptions& options);

  // Stops every lookup without calling its `done` (see DnsResolver),
  // closes c-ares' sockets and leaves no fd watched and no timer pending
  // on the loop.
  ~CaresResolver() override;
  CaresResolver(const CaresResolver&) = delete;
  CaresResolver& operator=(const CaresResolver&) = delete;

  void Resolve(const std::string& name, DnsType type,
               DoneCallback done) override;
  void CancelAll() override;

  // Address literals of the servers c-ares asks, in order.
  const std::vector<std::string>& servers() const { return servers_; }
  // Their UDP ports, in the same order (53 unless configured otherwise):
  // the readiness checks ask the same resolvers (probe/campaign_work.h).
  const std::vector<uint16_t>& server_ports() const { return server_ports_; }
  // Lookups started and not yet decided.
  size_t in_flight() const { return queries_.size(); }

  // "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
  // "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE"; "NONE" for -1
  // (no response); "RCODE<n>" otherwise.
  static std::string RcodeName(int rcode);

 private:
  struct Query;      // A lookup not yet decided.
  struct CaresCall;  // The `arg` c-ares hands back to AnswerThunk.
  // A decided lookup waiting for the delivery timer.
  struct Delivery {
    DoneCallback done;
    DnsAnswer answer;
  };

  CaresResolver(loop::EventLoop* loop, const CaresOptions& options);
  absl::Status Init(const CaresOptions& options);
  void LoadServerList();

  // c-ares entry points (ares_sock_state_cb, ares_callback); `data`/`arg`
  // identify the resolver.
  static void SockStateThunk(void* data, int fd, int readable, int writable);
  static void AnswerThunk(void* arg, int status, int timeouts,
                          unsigned char* abuf, int alen);

  bool AnswerFromHostsFile(const std::string& name, DnsType type,
                           DnsAnswer* answer);
  void StartQuery(std::unique_ptr<Query> query);
  void Finish(uint64_t query_id, DnsAnswer answer);
  void Deliver(std::unique_ptr<Query> query, DnsAnswer answer);
  void RunDeliveries();

  // c-ares callbacks, forwarded by the thunks; inside c-ares calls.
  void OnSocketState(int fd, bool readable, bool writable);
  void OnAnswer(uint64_t query_id, int status, const unsigned char* abuf,
                int alen);
  // Loop callbacks.
  void OnFdReady(int fd, uint32_t ready);
  void OnAresTimer();
  void OnDeadline(uint64_t query_id);
  void RearmAresTimer();
  std::string PeerOf(int fd);

  loop::EventLoop* const loop_;
  const absl::Duration bound_;  // timeout x tries.
  const bool use_hosts_file_;
  ares_channeldata* channel_ = nullptr;
  std::vector<std::string> servers_;
  std::vector<uint16_t> server_ports_;

  uint64_t next_query_id_ = 1;
  // Lookups whose outcome is not decided yet, by id (issue order).
  std::map<uint64_t, std::unique_ptr<Query>> queries_;
  // Decided outcomes waiting for the delivery timer.
  std::vector<Delivery> deliveries_;
  std::optional<loop::EventLoop::TimerId> delivery_timer_;
  std::optional<loop::EventLoop::TimerId> ares_timer_;

  // Sockets c-ares asked us to watch, with their peer once known.
  std::set<int> watched_fds_;
  std::unordered_map<int, std::string> peers_;
  // Peer of the socket c-ares is processing; responses come from it.
  std::string processing_peer_;

  // Expires with the resolver, so a `done` that destroys it stops the
  // delivery loop.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace v6scope::probe::dns

#endif  // V6SCOPE_PROBE_DNS_CARES_RESOLVER_H_
