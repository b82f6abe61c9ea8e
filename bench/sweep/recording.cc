#include "bench/sweep/recording.h"

#include <sys/resource.h>

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "probe/readiness/dns_message.h"

namespace v6scope::bench::sweep {

namespace readiness = ::v6scope::probe::readiness;
namespace http = ::v6scope::probe::http;

std::string TypeName(uint16_t qtype) {
  switch (qtype) {
    case readiness::kTypeA:
      return "A";
    case readiness::kTypeAaaa:
      return "AAAA";
    case readiness::kTypeNs:
      return "NS";
    case readiness::kTypeMx:
      return "MX";
    case readiness::kTypeSoa:
      return "SOA";
    default:
      return absl::StrCat("TYPE", qtype);
  }
}

namespace {

std::string KindOf(const readiness::LookupRequest& request) {
  if (!request.server.has_value()) return TypeName(request.qtype);
  return absl::StrCat(TypeName(request.qtype), "@",
                      request.server->address.is_v4() ? "v4" : "v6");
}

}  // namespace

void RecordingLookup::Tally(const std::string& kind,
                            const readiness::LookupResult& r) {
  Kind& k = kinds_[kind];
  ++k.count;
  k.timeouts += r.outcome == v6scope::v1::TIMEOUT ? 1 : 0;
  k.total += r.elapsed;
  k.latency.Add(absl::ToInt64Milliseconds(r.elapsed));
}

std::string RecordingLookup::LatencyTable() const {
  std::string out =
      absl::StrCat("kind      count  timeouts  mean_ms |",
                   MsHistogram(kLatencyBoundsMs).BoundsText(), " more\n");
  for (const auto& [name, k] : kinds_) {
    absl::StrAppendFormat(
        &out, "%-8s %7d %9d %8.1f |", name, k.count, k.timeouts,
        k.count > 0 ? absl::ToDoubleMilliseconds(k.total) / k.count : 0.0);
    absl::StrAppend(&out, k.latency.CountsText(), "\n");
  }
  return out;
}

void RecordingLookup::Lookup(
    readiness::LookupRequest request,
    std::function<void(readiness::LookupResult)> done) {
  if (request.server.has_value()) {
    ++to_servers_;
  } else {
    ++to_resolver_;
    if (questions_ != nullptr && questions_->is_open()) {
      *questions_ << request.name << ' ' << TypeName(request.qtype) << '\n';
    }
  }
  const bool resolver = !request.server.has_value();
  const absl::Duration try_timeout = request.timeout;
  std::string kind = KindOf(request);
  // By the address's bytes: no formatting (ToString) per question.
  std::string server;
  if (!resolver) {
    const auto& bytes = request.server->address.bytes();
    server.assign(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }
  if (!resolver) {
    max_server_in_flight_ =
        std::max(max_server_in_flight_, ++server_in_flight_[server]);
  }
  max_in_flight_ = std::max(max_in_flight_, ++in_flight_);
  if (resolver) {
    max_resolver_in_flight_ =
        std::max(max_resolver_in_flight_, ++resolver_in_flight_);
  }
  inner_->Lookup(std::move(request),
                 [this, resolver, try_timeout, kind = std::move(kind),
                  server = std::move(server),
                  done = std::move(done)](readiness::LookupResult r) {
                   --in_flight_;
                   if (!resolver) {
                     auto it = server_in_flight_.find(server);
                     if (--it->second == 0) server_in_flight_.erase(it);
                   }
                   Tally(kind, r);
                   resolver_in_flight_ -= resolver ? 1 : 0;
                   const bool timed_out = r.outcome == v6scope::v1::TIMEOUT;
                   if (timed_out)
                     ++(resolver ? resolver_timeouts_ : server_timeouts_);
                   if (resolver && !timed_out && r.elapsed >= try_timeout)
                     ++resolver_retried_;
                   done(std::move(r));
                 });
}

void RecordingFetcher::Fetch(http::HttpRequest request,
                             std::function<void(http::HttpResult)> done) {
  ++fetches_;
  WriteCurl(request);
  max_in_flight_ = std::max(max_in_flight_, ++in_flight_);
  inner_->Fetch(std::move(request),
                [this, done = std::move(done)](http::HttpResult r) {
                  --in_flight_;
                  if (r.http_status > 0) ++responses_;
                  body_bytes_ += r.bytes_received;
                  done(std::move(r));
                });
}

// curl is pinned the way the fetcher is: the name in the URL (so SNI and
// certificate checks are by name), the connection to the one address the
// fetcher was given (--connect-to is per transfer; --resolve would go to
// the DNS cache curl shares between parallel transfers, where the v4 and
// v6 fetches of one host would overwrite each other).
void RecordingFetcher::WriteCurl(const http::HttpRequest& request) {
  if (curl_config_ == nullptr || !curl_config_->is_open()) return;
  absl::string_view rest = request.url;
  const bool https = absl::ConsumePrefix(&rest, "https://");
  if (!https) absl::ConsumePrefix(&rest, "http://");
  absl::string_view authority = rest.substr(0, rest.find('/'));
  std::string host(authority);
  uint32_t port = https ? 443 : 80;
  if (!absl::StartsWith(authority, "[")) {
    if (size_t colon = authority.rfind(':'); colon != authority.npos) {
      host = std::string(authority.substr(0, colon));
      if (!absl::SimpleAtoi(authority.substr(colon + 1), &port)) port = 0;
    }
  }
  *curl_config_ << "url = \"" << request.url << "\"\n";
  if (!request.resolve_to.empty()) {
    const net::IpAddress& a = request.resolve_to.front();
    const std::string literal = a.Unmapped().is_v4()
                                    ? a.Unmapped().ToString()
                                    : absl::StrCat("[", a.ToString(), "]");
    *curl_config_ << "connect-to = \"" << host << ':' << port << ':' << literal
                  << ':' << port << "\"\n";
  }
  // Per transfer, since `next` resets them: the same bounds as the fetch.
  if (!request.ca_file.empty()) {
    *curl_config_ << "cacert = \"" << request.ca_file << "\"\n";
  }
  *curl_config_ << "connect-timeout = "
                << absl::ToDoubleSeconds(request.connect_timeout) << "\n"
                << "max-time = " << absl::ToDoubleSeconds(request.timeout)
                << "\n";
  if (request.family == v6scope::v1::IPV4) *curl_config_ << "ipv4\n";
  if (request.family == v6scope::v1::IPV6) *curl_config_ << "ipv6\n";
  *curl_config_ << "output = \"/dev/null\"\nnext\n";
}

int64_t PeakRssKib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    absl::string_view v = line;
    if (!absl::ConsumePrefix(&v, "VmHWM:")) continue;
    v = absl::StripAsciiWhitespace(v);
    absl::ConsumeSuffix(&v, "kB");
    int64_t kib = 0;
    if (absl::SimpleAtoi(absl::StripAsciiWhitespace(v), &kib)) return kib;
  }
  return -1;
}

double CpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto secs = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6;
  };
  return secs(ru.ru_utime) + secs(ru.ru_stime);
}

}  // namespace v6scope::bench::sweep
