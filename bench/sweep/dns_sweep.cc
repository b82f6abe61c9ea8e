// dns_sweep: a readiness sweep on ONE probe loop thread, through the
// probe's own DomainChecker and DomainSweep over a domain list, against
// one resolver. Default: the DNS half only (CheckerOptions::fetch_web =
// false), timed for the DNS-phase figure of bench/sweep; --web runs the
// whole check (the peak-RSS figure).
//
// Every question to the resolver is written to --questions_out in
// dnsperf's format (the baseline gets the same mix); every site the web
// phase would fetch to --sites_out ("domain host v4,... v6,..."); with
// --web, every HTTP request as curl config to --curl_out. Results are
// counted and dropped as they come (streamed, as into the spool). Prints a
// "RESULT key=value ..." line for bench/sweep/run_sweep_bench.sh.
#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "bench/sweep/histogram.h"
#include "bench/sweep/recording.h"
#include "bench/sweep/sweep_setup.h"
#include "common/cli/flags.h"
#include "common/time/clock.h"
#include "probe/loop/event_loop.h"
#include "probe/readiness/connection_gate.h"
#include "probe/readiness/domain_checker.h"
#include "probe/readiness/domain_sweep.h"
#include "probe/readiness/udp_dns_lookup.h"
#include "proto/readiness.pb.h"

ABSL_FLAG(std::string, domains_file, "", "one domain a line");
ABSL_FLAG(std::string, resolver, "", "resolver address (port 53)");
ABSL_FLAG(int, concurrency, 256, "domains checked at once");
ABSL_FLAG(bool, web, false, "the whole check (DNS and home-page fetches)");
ABSL_FLAG(std::string, ca_file, "", "CA bundle for https (with --web)");
ABSL_FLAG(absl::Duration, min_interval, absl::Seconds(1),
          "ConnectionGate interval per address (with --web)");
ABSL_FLAG(int, per_address, 1, "connections per address at once (--web)");
ABSL_FLAG(std::string, questions_out, "", "resolver questions (dnsperf)");
ABSL_FLAG(std::string, sites_out, "", "sites for the web phase");
ABSL_FLAG(std::string, curl_out, "", "HTTP requests as curl config (--web)");
ABSL_FLAG(absl::Duration, max_time, absl::Seconds(900), "bound on the sweep");
ABSL_FLAG(int, max_resolver_in_flight, 256,
          "questions in flight to the resolver at most (0: unbounded)");
ABSL_FLAG(int, max_server_in_flight,
          v6scope::probe::readiness::UdpDnsOptions{}.max_server_in_flight,
          "questions in flight to one name server at most (0: unbounded)");

namespace v6scope::bench::sweep {
namespace {

namespace v1 = ::v6scope::v1;
namespace readiness = ::v6scope::probe::readiness;

constexpr char kUsage[] =
    "dns_sweep: a readiness sweep (DomainChecker + DomainSweep) on one "
    "loop thread.\n"
    "usage: dns_sweep --domains_file=FILE --resolver=ADDR [--concurrency=N] "
    "[--web]";

// Upper bounds of the domain-duration histogram's buckets, in ms.
constexpr int kDurationBounds[] = {10,   50,   100,  200, 500,
                                   1000, 2000, 2500, 4000};

struct Tally {
  uint64_t domains = 0;
  uint64_t duration_ms = 0;  // Summed.
  MsHistogram by_duration{kDurationBounds};
  uint64_t apex_answered = 0;  // A of the apex OK or NODATA/NXDOMAIN.
  uint64_t with_site = 0;
  uint64_t web_ok = 0;
};

// "domain host v4,v4 v6,v6" ("-" for none) for the web phase.
void WriteSite(const v1::DomainCheck& c, std::ofstream* out) {
  const v1::NameAddresses& site =
      (c.www().a_size() + c.www().aaaa_size()) > 0 ? c.www() : c.apex();
  if (site.a_size() + site.aaaa_size() == 0) return;
  auto list = [](const auto& addrs) {
    return addrs.empty() ? std::string("-") : absl::StrJoin(addrs, ",");
  };
  *out << c.domain() << ' ' << site.name() << ' ' << list(site.a()) << ' '
       << list(site.aaaa()) << '\n';
}

void Count(const v1::DomainCheck& c, Tally* t) {
  ++t->domains;
  t->duration_ms += c.duration_ms();
  t->by_duration.Add(c.duration_ms());
  if (c.apex().a_outcome() != v1::TIMEOUT &&
      c.apex().a_outcome() != v1::OUTCOME_UNSPECIFIED) {
    ++t->apex_answered;
  }
  if (c.www().a_size() + c.www().aaaa_size() + c.apex().a_size() +
          c.apex().aaaa_size() >
      0) {
    ++t->with_site;
  }
  for (const v1::WebFetch& f : c.web()) t->web_ok += f.outcome() == v1::OK;
}

readiness::CheckerOptions Options() {
  readiness::CheckerOptions o;
  o.fetch_web = absl::GetFlag(FLAGS_web);
  o.web.ca_file = absl::GetFlag(FLAGS_ca_file);
  return o;
}

struct Out {
  std::ofstream questions, sites, curl;
};

void OpenOutputs(Out* out) {
  if (!absl::GetFlag(FLAGS_questions_out).empty()) {
    out->questions.open(absl::GetFlag(FLAGS_questions_out));
  }
  if (!absl::GetFlag(FLAGS_sites_out).empty()) {
    out->sites.open(absl::GetFlag(FLAGS_sites_out));
  }
  if (!absl::GetFlag(FLAGS_curl_out).empty()) {
    out->curl.open(absl::GetFlag(FLAGS_curl_out));
  }
}

// Questions in flight at the resolver at most: those the sweep had out,
// within UdpDnsLookup's bound (the rest waited in it, not at the resolver).
size_t ResolverInFlight(const RecordingLookup& dns) {
  const int bound = absl::GetFlag(FLAGS_max_resolver_in_flight);
  return bound > 0 ? std::min(dns.max_resolver_in_flight(),
                              static_cast<size_t>(bound))
                   : dns.max_resolver_in_flight();
}

// Where the time went: per question kind, in the lookup's queue, per
// domain (on stderr, beside the RESULT line).
void Explain(const Tally& t, const RecordingLookup& dns,
             const readiness::UdpDnsStats& u) {
  std::cerr << dns.LatencyTable();
  std::cerr << absl::StrFormat(
      "lookup: %d tries sent, %d timed out; %d queued by a bound (%.1f ms "
      "mean wait, %d at most at once); at most %d asked of one name "
      "server at once\n",
      u.tries_sent, u.tries_timed_out, u.tries_queued,
      u.tries_queued > 0
          ? absl::ToDoubleMilliseconds(u.queued_time) / u.tries_queued
          : 0.0,
      u.max_queued, dns.max_server_in_flight());
  std::cerr << absl::StrFormat(
      "system calls: %d sendmmsg (%.1f tries each), %d recvmmsg (%.1f "
      "replies each)\n",
      u.send_calls, u.send_calls > 0 ? 1.0 * u.tries_sent / u.send_calls : 0.0,
      u.reply_reads,
      u.reply_reads > 0 ? 1.0 * u.replies_read / u.reply_reads : 0.0);
  std::cerr << absl::StrFormat(
      "domains: mean %.0f ms |",
      t.domains > 0 ? 1.0 * t.duration_ms / t.domains : 0.0);
  std::cerr << t.by_duration.BoundsText()
            << " more:" << t.by_duration.CountsText() << '\n';
}

void Report(const Tally& t, const RecordingLookup& dns,
            const RecordingFetcher& web, absl::Duration wall, bool finished) {
  const double s = absl::ToDoubleSeconds(wall);
  const uint64_t queries = dns.to_resolver() + dns.to_servers();
  std::cout << absl::StrFormat(
      "%d domains in %.2f s: %d questions (%d to the resolver, %d to name "
      "servers; timed out: %d of the resolver's, %d of the servers'; %d of "
      "the resolver's answered late, after a retry), %.0f questions/s; %d "
      "fetches\n",
      t.domains, s, queries, dns.to_resolver(), dns.to_servers(),
      dns.resolver_timeouts(), dns.server_timeouts(), dns.resolver_retried(),
      queries / s, web.fetches());
  std::cout << absl::StrFormat(
      "RESULT finished=%d domains=%d wall_s=%.3f queries=%d resolver=%d "
      "servers=%d timeouts=%d server_timeouts=%d resolver_retried=%d "
      "qps=%.1f resolver_qps=%.1f max_q_in_flight=%d "
      "max_resolver_in_flight=%d "
      "apex_answered=%d with_site=%d fetches=%d fetch_max_in_flight=%d "
      "web_ok=%d cpu_s=%.2f peak_rss_kib=%d\n",
      finished, t.domains, s, queries, dns.to_resolver(), dns.to_servers(),
      dns.timeouts(), dns.server_timeouts(), dns.resolver_retried(),
      queries / s, dns.to_resolver() / s, dns.max_in_flight(),
      ResolverInFlight(dns), t.apex_answered, t.with_site, web.fetches(),
      web.max_in_flight(), t.web_ok, CpuSeconds(), PeakRssKib());
}

int Main(int argc, char** argv) {
  cli::ParseFlagsOrExit(argc, argv, kUsage);
  std::ifstream list(absl::GetFlag(FLAGS_domains_file));
  if (!list.is_open()) cli::Die("--domains_file: cannot open");
  SweepSetup setup = MakeSweepSetupOrDie(
      absl::GetFlag(FLAGS_resolver),
      static_cast<size_t>(absl::GetFlag(FLAGS_max_resolver_in_flight)),
      static_cast<size_t>(absl::GetFlag(FLAGS_max_server_in_flight)));
  probe::loop::EventLoop* loop = setup.loop.get();
  Out out;
  OpenOutputs(&out);
  RecordingLookup dns(setup.dns.get(), &out.questions);
  RecordingFetcher web(setup.http.get(), &out.curl);
  readiness::ConnectionGate gate(
      loop, time::RealClock::Get(), absl::GetFlag(FLAGS_min_interval),
      static_cast<size_t>(absl::GetFlag(FLAGS_per_address)));
  readiness::DomainChecker checker(loop, &dns, &web, &gate,
                                   time::RealClock::Get(), Options());
  readiness::DomainSweep sweep(&checker, absl::GetFlag(FLAGS_concurrency));
  Tally tally;
  bool done = false;
  const absl::Duration t0 = probe::loop::EventLoop::MonotonicNow();
  sweep.Start(
      [&list]() -> std::optional<std::string> {
        std::string line;
        while (std::getline(list, line)) {
          absl::string_view d = absl::StripAsciiWhitespace(line);
          if (!d.empty() && d.front() != '#') return std::string(d);
        }
        return std::nullopt;
      },
      [&](v1::DomainCheck c) {
        Count(c, &tally);
        if (out.sites.is_open()) WriteSite(c, &out.sites);
      },
      [&done] { done = true; });
  loop->RunUntil([&done] { return done; }, absl::GetFlag(FLAGS_max_time));
  Report(tally, dns, web, probe::loop::EventLoop::MonotonicNow() - t0, done);
  Explain(tally, dns, setup.dns->stats());
  return done ? 0 : 3;
}

}  // namespace
}  // namespace v6scope::bench::sweep

int main(int argc, char** argv) {
  return v6scope::bench::sweep::Main(argc, argv);
}
