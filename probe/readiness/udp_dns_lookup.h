// UdpDnsLookup: DnsLookup over UDP on the probe's EventLoop: one socket
// per try (a fresh source port and a random id each time), connected to
// the server, so only that server's replies are read. No thread, no
// blocking call: the socket is watched with WatchFd and every try has a
// loop timer.
//
// Questions without a server go to the host's resolvers (in the daemon:
// CaresResolver::servers(), i.e. /etc/resolv.conf) in order, `tries`
// rounds over the list; with a server, only to it, recursion off. A reply
// with the TC bit is DNS_ERROR "truncated": the EDNS0 size of 1232 bytes
// makes that rare for the questions asked, and TCP is not tried (first
// step).
//
// A lookup ends within timeout x tries x servers. Threading: loop thread
// only; the loop must outlive the lookup.
#ifndef V6SCOPE_PROBE_READINESS_UDP_DNS_LOOKUP_H_
#define V6SCOPE_PROBE_READINESS_UDP_DNS_LOOKUP_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "probe/loop/event_loop.h"
#include "probe/readiness/dns_lookup.h"

namespace v6scope::probe::readiness {

struct UdpDnsOptions {
  // The host's resolvers; at least one.
  std::vector<DnsServer> resolvers;
  // Query ids; empty: absl's random generator.
  std::function<uint16_t()> random_id;
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

 private:
  struct Pending;
  UdpDnsLookup(loop::EventLoop* loop, UdpDnsOptions options);

  void SendTry(uint64_t key);
  void OnReadable(uint64_t key);
  void OnTryTimeout(uint64_t key);
  void Finish(uint64_t key, LookupResult result);
  void CloseSocket(Pending& p);

  loop::EventLoop* const loop_;
  UdpDnsOptions options_;
  uint64_t next_key_ = 1;
  std::map<uint64_t, std::unique_ptr<Pending>> pending_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace v6scope::probe::readiness

#endif  // V6SCOPE_PROBE_READINESS_UDP_DNS_LOOKUP_H_
