// DnsResolver: the probe's view of name resolution, one A or AAAA question
// at a time, with the outcome classified the way results.proto records it.
//
// The capability suite asks the resolver; CaresResolver (cares_resolver.h)
// implements it with c-ares on the probe's event loop, and tests use fakes.
//
// Threading: a resolver belongs to the event-loop thread that drives it.
// Resolve and CancelAll are called on that thread, and every `done`
// callback runs on it too.
#ifndef V6SCOPE_PROBE_DNS_DNS_RESOLVER_H_
#define V6SCOPE_PROBE_DNS_DNS_RESOLVER_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/net/ip_address.h"
#include "proto/results.pb.h"

namespace v6scope::probe::dns {

// The question asked: A (IPv4 addresses) or AAAA (IPv6 addresses).
enum class DnsType { kA, kAAAA };

// How one lookup ended. A failed lookup is data, not an error.
struct DnsAnswer {
  // OK (at least one address), DNS_NXDOMAIN, DNS_NODATA (the name exists
  // but has no record of the asked type), DNS_SERVFAIL, DNS_REFUSED,
  // TIMEOUT (no answer in time, or cancelled), DNS_ERROR (anything else:
  // malformed answer, FORMERR/NOTIMP, server unreachable, bad name).
  v6scope::v1::Outcome outcome = v6scope::v1::OUTCOME_UNSPECIFIED;
  // RFC 1035 RCODE of the response that decided the outcome; -1 when no
  // response arrived (timeout, cancelled, hosts file, local error).
  int rcode = -1;
  // Addresses of the asked family, in answer order; empty unless OK.
  std::vector<net::IpAddress> addresses;
  // Address literal (no port) of the server whose response decided the
  // outcome; "" when the answer came from the hosts file or no response
  // arrived.
  std::string server;
  // True when the addresses came from the local hosts file, not from DNS.
  bool from_hosts_file = false;
  // From the Resolve call to the answer (or to the timeout/cancellation).
  absl::Duration elapsed;
  // Resolver message on failure (e.g. c-ares' text), at most 255 bytes;
  // empty on OK.
  std::string error_detail;
};

// Asynchronous A/AAAA resolution on the probe's event loop.
class DnsResolver {
 public:
  using DoneCallback = std::function<void(DnsAnswer)>;

  virtual ~DnsResolver() = default;

  // Looks `name` up and calls `done` exactly once, on the loop thread, and
  // never inline from Resolve (so a caller may hold state it mutates in
  // `done`). Loop thread only. `done` may call Resolve, CancelAll, or
  // destroy the resolver.
  virtual void Resolve(const std::string& name, DnsType type,
                       DoneCallback done) = 0;

  // Gives up on every lookup in flight: each one's `done` is called once,
  // later on the loop thread (never inline from CancelAll), with outcome
  // TIMEOUT and error_detail "cancelled" — a cancelled lookup is one that
  // did not answer in the time its caller was willing to wait. Lookups
  // whose answer is already decided keep it. Loop thread only.
  virtual void CancelAll() = 0;

  // Destroying a resolver is the one way to end lookups *without* their
  // `done` being called: implementations drop every pending callback,
  // including answers decided but not yet delivered, and call nothing
  // after their destructor returns. Call CancelAll() first (and let the
  // loop run) to have every `done` called.
};

}  // namespace v6scope::probe::dns

#endif  // V6SCOPE_PROBE_DNS_DNS_RESOLVER_H_
