// UdpDnsLookup: DnsLookup over UDP on the probe's EventLoop. No thread, no
// blocking call: sockets are watched with WatchFd and every try has a loop
// timer.
//
// Sockets are shared: questions to one server go out on a UDP socket
// connected to it (so only that server's replies are read), up to
// kQuestionsPerSocket of them, each with a random id unique among the
// socket's questions in flight; then the socket is retired (closed once
// its last question is decided) and the next questions get a fresh one,
// with a fresh source port. A socket per question cost five system calls
// more per question (socket, connect, two epoll_ctl, close) and dominated a
// sweep's CPU (bench/sweep). For the same reason the system calls are
// batched: the tries of one loop round wait in their socket's outbox and
// go out with one sendmmsg per socket at the end of the round (the end of
// the lookup's own callback, or a zero-delay timer when asked from
// elsewhere), and a readable socket is drained with recvmmsg, up to
// kRepliesPerRead replies a call. A reply is matched by id and must answer the
// question asked (ParseResponse); an ICMP error the socket reports (port
// unreachable) fails the current try of every question in flight on it.
//
// Questions without a server go to the host's resolvers (in the daemon:
// CaresResolver::servers(), i.e. /etc/resolv.conf) in order, `tries`
// rounds over the list; with a server, only to it, recursion off. A reply
// with the TC bit is DNS_ERROR "truncated": the EDNS0 size of 1232 bytes
// makes that rare for the questions asked, and TCP is not tried.
//
// A lookup ends within timeout x tries x servers. Threading: loop thread
// only; the loop must outlive the lookup.
#ifndef V6SCOPE_PROBE_READINESS_UDP_DNS_LOOKUP_H_
#define V6SCOPE_PROBE_READINESS_UDP_DNS_LOOKUP_H_

#include <sys/socket.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "probe/loop/event_loop.h"
#include "probe/readiness/dns_lookup.h"

namespace v6scope::probe::readiness {

// Questions sent on one socket before it is retired. Small enough that a
// socket's default receive buffer holds all its replies at once.
inline constexpr uint32_t kQuestionsPerSocket = 64;
// Replies read by one recvmmsg: as many as a socket can have in flight.
inline constexpr unsigned kRepliesPerRead = kQuestionsPerSocket;

// Sends `count` datagrams on `fd` as sendmmsg(2) does (its return and
// errno). Replaceable for tests: a partial batch, a failing one.
using SendBatchFn =
    std::function<int(int fd, mmsghdr* messages, unsigned count)>;

struct UdpDnsOptions {
  // The host's resolvers; at least one.
  std::vector<DnsServer> resolvers;
  // Query ids; empty: absl's random generator.
  std::function<uint16_t()> random_id;
  // Tries in flight to the host's resolvers at most (0: no bound); more
  // wait their turn (each try's timeout runs from its sending). The host's
  // resolver is the volunteer's: a sweep must not flood it, and a resolver
  // flooded drops questions, each then costing a whole try's timeout
  // (bench/sweep: unbound lost 2 % of 1,600 in flight, 0.1 % of 256).
  size_t max_resolver_in_flight = 256;
  // Tries in flight to one server asked directly (a domain's name server,
  // recursion off) at most (0: no bound); more wait their turn, in order,
  // each try's timeout running from its sending. Off by default, on
  // measurement (bench/sweep, docs/benchmarks.md): a fixed bound queues
  // every domain of a provider behind that provider's address when the
  // address does not answer (an IPv6 path broken from the vantage, the very
  // thing a readiness sweep finds), one bound's worth per try timeout: at
  // 32 and 2 s, 16 domains a second for the whole provider. On the bed it
  // added 1 to 2 s to a 10,000-domain sweep (a dead address shared by more
  // than 32 domains) and did not lessen nsd's drops (one nsd behind many
  // addresses). A bound is right only with a way to tell a silent server
  // from a busy one; until then the sweep's DomainSweep concurrency is
  // what limits the questions at any one server.
  size_t max_server_in_flight = 0;
  // How a socket's outbox is sent; empty: sendmmsg(2).
  SendBatchFn send_batch;
};

// What the bounds did, for benchmarks (bench/sweep) and the probe's logs.
struct UdpDnsStats {
  uint64_t tries_sent = 0;
  uint64_t tries_timed_out = 0;
  uint64_t tries_queued = 0;   // Held by a bound before being sent.
  absl::Duration queued_time;  // Summed over the queued tries.
  size_t max_queued = 0;       // Tries held at once, at most.
  uint64_t send_calls = 0;     // sendmmsg calls (batches, and their rests).
  uint64_t reply_reads = 0;    // recvmmsg calls that returned a datagram.
  uint64_t replies_read = 0;   // Datagrams they returned.
};

class UdpDnsLookup : public DnsLookup {
 public:
  static absl::StatusOr<std::unique_ptr<UdpDnsLookup>> Create(
      loop::EventLoop* loop, UdpDnsOptions options);
  // Closes every socket; no `done` is called afterwards.
  ~UdpDnsLookup() override;
  UdpDnsLookup(const UdpDnsLookup&) = delete;
  UdpDnsLookup& operator=(const UdpDnsLookup&) = delete;

  void Lookup(LookupRequest request,
              std::function<void(LookupResult)> done) override;

  // Lookups started and not yet decided.
  size_t in_flight() const { return pending_.size(); }
  // Sockets open now (shared by the questions in flight).
  size_t open_sockets() const { return by_fd_.size(); }
  const UdpDnsStats& stats() const { return stats_; }

 private:
  struct Pending;
  struct Channel;
  struct Outgoing;
  struct ServerLoad {  // Of one server asked directly, while bounded.
    size_t in_flight = 0;
    std::deque<uint64_t> waiting;  // Keys of tries held by the bound.
  };
  UdpDnsLookup(loop::EventLoop* loop, UdpDnsOptions options);

  void SendTry(uint64_t key);
  // The i-th server `p` asks (its server, or the resolvers in turn).
  const DnsServer& ServerOf(const Pending& p, int attempt) const;
  // Queues `p`'s try on `channel`; sent by SendOutboxes.
  void Enqueue(Channel& channel, uint64_t key, std::string query);
  // Sends every queued try: one sendmmsg per socket (more if partial).
  void SendOutboxes();
  // Sends `channel`'s live tries; the keys of those that failed to go out
  // are appended to `failed` with errno.
  void SendOutbox(Channel& channel,
                  std::vector<std::pair<uint64_t, int>>& failed);
  // A try that could not be sent: the next one, from the loop.
  void FailSend(uint64_t key, int error);
  // Ends a callback of the lookup's own: flushes decided lookups, then
  // sends what they asked (nothing if a callback destroyed the lookup).
  void EndCallback();
  // Whether the bounds let `p`'s next try go now; if not, it waits.
  bool Admit(uint64_t key, Pending& p);
  void SendQueued(uint64_t key);  // A try a bound held, now let go.
  // The socket for `server` with room for one more question, or null and
  // errno.
  Channel* ChannelFor(const DnsServer& server);
  void Detach(Pending& p);  // From its socket; closes a spent one.
  void CloseChannel(int fd);
  void OnReadable(int fd);
  void OnReply(Channel& channel, absl::string_view message);
  void FailChannel(Channel& channel, const std::string& why);
  void OnTryTimeout(uint64_t key);
  void Finish(uint64_t key, LookupResult result);
  void SendWaiting();  // Tries waiting for a slot, as slots free.
  // Delivers decided lookups (from loop callbacks only); false if a
  // callback destroyed the lookup.
  bool Flush();

  loop::EventLoop* const loop_;
  UdpDnsOptions options_;
  uint64_t next_key_ = 1;
  absl::flat_hash_map<uint64_t, std::unique_ptr<Pending>> pending_;
  // Every open socket; the one taking new questions for each server.
  absl::flat_hash_map<int, std::unique_ptr<Channel>> by_fd_;
  absl::flat_hash_map<std::string, Channel*> current_;
  // recvmmsg's slots: kRepliesPerRead of the largest UDP reply each
  // (allocated, not touched: only the pages replies land on count).
  std::unique_ptr<char[]> replies_;
  std::vector<mmsghdr> recv_headers_;
  std::vector<iovec> recv_iov_;
  // sendmmsg's headers, reused from batch to batch.
  std::vector<mmsghdr> send_headers_;
  std::vector<iovec> send_iov_;
  std::vector<uint64_t> send_keys_;
  // Sockets with tries queued (a socket may appear twice: harmless).
  std::vector<int> outboxes_;
  bool send_scheduled_ = false;  // A zero-delay SendOutboxes timer is set.
  int in_callback_ = 0;          // Inside the lookup's own loop callbacks.
  size_t resolver_in_flight_ = 0;
  std::deque<uint64_t> waiting_;  // Keys of tries held by the bound.
  // Servers asked directly with tries in flight or waiting (by ServerKey),
  // and those of them with a slot freed since the last SendWaiting.
  absl::flat_hash_map<std::string, ServerLoad> servers_;
  std::vector<std::string> servers_freed_;
  using Decided =
      std::vector<std::pair<std::function<void(LookupResult)>, LookupResult>>;
  Decided decided_;
  // The last delivered batch's vector, emptied: its capacity is reused (a
  // vector grown anew each round was 4 % of a sweep's instructions).
  Decided spare_;
  bool flush_scheduled_ = false;
  UdpDnsStats stats_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace v6scope::probe::readiness

#endif  // V6SCOPE_PROBE_READINESS_UDP_DNS_LOOKUP_H_
