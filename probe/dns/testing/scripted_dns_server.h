// ScriptedDnsServer: a fake DNS server for tests, answering A and AAAA
// questions over UDP and TCP on loopback from a script.
//
// The script maps (name, qtype) to a ScriptedReply: records, NODATA,
// NXDOMAIN, SERVFAIL, REFUSED, a truncated UDP reply (the same question
// over TCP gets the records), no answer at all, and any of these after a
// delay. Unscripted questions get the default reply (NXDOMAIN unless set).
// Every question received is counted per (name, qtype, transport).
//
// The wire format is written by hand (RFC 1035): this is a test fake, and
// writing it here keeps the resolver under test honest. Responses echo the
// question, set QR/AA/RA, copy ID/opcode/RD, and name answers with a
// compression pointer to the question. Negative answers carry an SOA in
// the authority section. UDP replies larger than 512 bytes are truncated
// (TC set, no answers), as for a client without EDNS.
//
// Threading: the server runs on its own thread from Start() until Stop()
// or destruction, which join it. Every public method is thread-safe.
#ifndef V6SCOPE_PROBE_DNS_TESTING_SCRIPTED_DNS_SERVER_H_
#define V6SCOPE_PROBE_DNS_TESTING_SCRIPTED_DNS_SERVER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/net/ip_address.h"

namespace v6scope::probe::dns::testing {

// DNS TYPE values of the questions the server scripts (RFC 1035, 3596).
inline constexpr uint16_t kDnsTypeA = 1;
inline constexpr uint16_t kDnsTypeAAAA = 28;

enum class DnsTransport { kUdp, kTcp };

// What the server does with one question.
struct ScriptedReply {
  enum class Kind {
    kRecords,      // NOERROR with `addresses` of the asked family.
    kNoData,       // NOERROR, no answer, SOA in authority.
    kNxDomain,     // NXDOMAIN, SOA in authority.
    kServFail,     // SERVFAIL.
    kRefused,      // REFUSED.
    kTruncated,    // UDP: TC bit, no answers. TCP: as kRecords.
    kNeverAnswer,  // Drop the question.
  };

  Kind kind = Kind::kNxDomain;
  // For kRecords and kTruncated. Only addresses of the asked family are
  // sent (IPv4 for A, IPv6 for AAAA); none of it gives a NODATA-shaped
  // answer.
  std::vector<net::IpAddress> addresses;
  uint32_t ttl = 300;
  // Reply this long after the question arrived (not for kNeverAnswer).
  // The server keeps serving other questions meanwhile.
  absl::Duration delay = absl::ZeroDuration();

  static ScriptedReply Records(std::vector<net::IpAddress> addresses,
                               uint32_t ttl = 300);
  static ScriptedReply NoData();
  static ScriptedReply NxDomain();
  static ScriptedReply ServFail();
  static ScriptedReply Refused();
  static ScriptedReply Truncated(std::vector<net::IpAddress> addresses,
                                 uint32_t ttl = 300);
  static ScriptedReply NeverAnswer();
  // `reply`, sent `delay` after the question arrived.
  static ScriptedReply Delayed(absl::Duration delay, ScriptedReply reply);
};

class ScriptedDnsServer {
 public:
  struct Options {
    // IPv4 loopback address to listen on (any of 127/8 on Linux).
    std::string v4_address = "127.0.0.1";
    // Also listen on [::1] (same port); Start fails if it cannot.
    bool listen_ipv6 = false;
  };

  // Binds UDP and TCP on the same free port and starts the thread.
  static absl::StatusOr<std::unique_ptr<ScriptedDnsServer>> Start(
      Options options);
  static absl::StatusOr<std::unique_ptr<ScriptedDnsServer>> Start() {
    return Start(Options());
  }

  // Stops and joins the thread.
  ~ScriptedDnsServer();
  ScriptedDnsServer(const ScriptedDnsServer&) = delete;
  ScriptedDnsServer& operator=(const ScriptedDnsServer&) = delete;

  // Stops answering, closes every socket and joins the thread. Idempotent.
  void Stop();

  int port() const { return port_; }
  // "127.0.0.1:PORT" (the v4 address from Options).
  std::string address() const;
  // "[::1]:PORT", or "" when not listening on IPv6.
  std::string address_v6() const;

  // Scripts the reply to (name, qtype). Names are matched case-
  // insensitively, with or without a trailing dot.
  void SetReply(absl::string_view name, uint16_t qtype, ScriptedReply reply);
  // Scripts both A and AAAA of `name` from one list: each type gets the
  // addresses of its family, or NODATA when there are none.
  void SetAddresses(absl::string_view name,
                    const std::vector<net::IpAddress>& addresses,
                    uint32_t ttl = 300);
  // The reply to unscripted questions (initially NXDOMAIN).
  void SetDefaultReply(ScriptedReply reply);

  // Questions received for (name, qtype) over `transport`, including ones
  // that were dropped or are still delayed.
  int QueryCount(absl::string_view name, uint16_t qtype,
                 DnsTransport transport) const;
  // All questions received (well-formed or not).
  int TotalQueryCount() const;

 private:
  class Worker;  // The server thread: sockets, connections, delays.
  using CountKey = std::tuple<std::string, uint16_t, DnsTransport>;

  ScriptedDnsServer(int port, std::string v4_address, bool ipv6);

  // Called on the server thread for every message received: false to send
  // nothing, else the encoded reply and how long to hold it back.
  bool Answer(const std::string& query, DnsTransport transport,
              std::string* reply, absl::Duration* delay);

  const int port_;
  const std::string v4_address_;
  const bool ipv6_;
  std::unique_ptr<Worker> worker_;

  mutable absl::Mutex mu_;
  std::map<std::pair<std::string, uint16_t>, ScriptedReply> script_
      ABSL_GUARDED_BY(mu_);
  ScriptedReply default_reply_ ABSL_GUARDED_BY(mu_);
  std::map<CountKey, int> counts_ ABSL_GUARDED_BY(mu_);
  int total_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace v6scope::probe::dns::testing

#endif  // V6SCOPE_PROBE_DNS_TESTING_SCRIPTED_DNS_SERVER_H_
