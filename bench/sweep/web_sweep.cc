// web_sweep: the HTTP phase of a readiness sweep on one probe loop thread:
// the home-page fetches DomainChecker makes for each site (HomePageFetch:
// https and http, each pinned to IPv4 and to IPv6, redirects followed by
// hand), each fetch on its own as DomainChecker starts them (the gate, not
// an order, spaces the fetches of one address), with at most
// --concurrency fetches in flight, over the sites dns_sweep found
// (--sites_file). Every HTTP request is written as curl
// config to --curl_out, so `curl --parallel` repeats exactly that work.
// Prints a "RESULT key=value ..." line.
#include <cstdint>
#include <deque>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "bench/sweep/histogram.h"
#include "bench/sweep/recording.h"
#include "bench/sweep/sweep_setup.h"
#include "common/cli/flags.h"
#include "common/net/ip_address.h"
#include "common/time/clock.h"
#include "probe/loop/event_loop.h"
#include "probe/readiness/connection_gate.h"
#include "probe/readiness/home_page_fetch.h"
#include "proto/readiness.pb.h"

ABSL_FLAG(std::string, sites_file, "", "dns_sweep --sites_out");
ABSL_FLAG(std::string, resolver, "", "resolver (redirect hosts' lookups)");
ABSL_FLAG(int, concurrency, 64, "home-page fetches in flight");
ABSL_FLAG(std::string, ca_file, "", "CA bundle for https");
ABSL_FLAG(std::string, curl_out, "", "HTTP requests as curl config");
ABSL_FLAG(absl::Duration, max_time, absl::Seconds(900), "bound on the run");

namespace v6scope::bench::sweep {
namespace {

namespace v1 = ::v6scope::v1;
namespace readiness = ::v6scope::probe::readiness;

constexpr char kUsage[] =
    "web_sweep: the home-page fetches of a readiness sweep on one loop "
    "thread.\nusage: web_sweep --sites_file=FILE --resolver=ADDR "
    "[--concurrency=C] [--ca_file=PEM] [--curl_out=FILE]";

// One home-page fetch of a site: a scheme pinned to a family, as
// DomainChecker::Run::StartFetch. Each one runs on its own, in one of the
// --concurrency slots (HomePageFetch makes one request at a time), as
// curl --parallel runs each request in one of its slots.
struct SiteFetch {
  std::string host;
  v1::AddressFamily family;
  bool https;
  std::vector<net::IpAddress> addresses;
};

// The fetches of one "domain host v4,.. v6,.." line: per family with an
// address, https then http (the order DomainChecker starts them in).
std::deque<SiteFetch> FetchesOf(const std::string& line) {
  std::vector<std::string> f = absl::StrSplit(line, ' ');
  std::deque<SiteFetch> out;
  if (f.size() != 4) return out;
  for (int i : {2, 3}) {
    std::vector<net::IpAddress> addresses;
    for (absl::string_view a : absl::StrSplit(f[i], ',')) {
      if (auto ip = net::IpAddress::Parse(a); ip.ok()) addresses.push_back(*ip);
    }
    if (addresses.empty()) continue;
    for (const bool https : {true, false}) {
      out.push_back({f[1], i == 2 ? v1::IPV4 : v1::IPV6, https, addresses});
    }
  }
  return out;
}

class Driver {
 public:
  Driver(readiness::WebContext context, std::ifstream* sites, int concurrency)
      : context_(context), sites_(sites), concurrency_(concurrency) {}

  void Fill() {
    while (running_ < concurrency_) {
      std::optional<SiteFetch> next = Next();
      if (!next.has_value()) break;
      ++running_;
      Run(*std::move(next));
    }
    done_ = running_ == 0;
  }
  bool done() const { return done_; }
  uint64_t ok() const { return ok_; }
  uint64_t results() const { return results_; }

  // Where the time went, for stderr: the fetches' durations (a dead
  // address costs the 3 s connect timeout), the redirected ones, and when
  // the last fetch started (what is left after it is the tail).
  std::string TimeTable() const {
    std::string out = absl::StrCat("fetches: ms |", durations_.BoundsText(),
                                   " more:", durations_.CountsText());
    absl::StrAppendFormat(
        &out, "; %d redirected (%.0f ms mean); last started at %.3f s\n",
        redirected_,
        redirected_ > 0 ? absl::ToDoubleMilliseconds(redirected_time_) /
                              static_cast<double>(redirected_)
                        : 0.0,
        absl::ToDoubleSeconds(last_start_ - t0_));
    return out;
  }

 private:
  std::optional<SiteFetch> Next() {
    std::string line;
    while (queue_.empty() && std::getline(*sites_, line)) {
      queue_ = FetchesOf(line);
    }
    if (queue_.empty()) return std::nullopt;
    SiteFetch next = std::move(queue_.front());
    queue_.pop_front();
    return next;
  }

  // The fetch's deadline is its own 20 s (the checker's budget); gate
  // waits move it as in the checker.
  void Run(SiteFetch f) {
    last_start_ = probe::loop::EventLoop::MonotonicNow();
    const absl::Duration deadline = last_start_ + absl::Seconds(20);
    readiness::HomePageFetch::Start(
        context_, readiness::HomePageUrl(f.host, f.https, *context_.limits),
        f.family, std::move(f.addresses), deadline, [this](v1::WebFetch w) {
          Tally(w);
          --running_;
          Fill();
        });
  }

  void Tally(const v1::WebFetch& w) {
    ++results_;
    ok_ += w.outcome() == v1::OK;
    durations_.Add(w.time_ms());
    if (w.hops_size() > 1) {
      ++redirected_;
      redirected_time_ += absl::Milliseconds(w.time_ms());
    }
  }

  static constexpr int kBoundsMs[] = {50, 200, 1000, 2000, 3500, 10000};

  const readiness::WebContext context_;
  std::ifstream* const sites_;
  const int concurrency_;
  std::deque<SiteFetch> queue_;
  int running_ = 0;
  bool done_ = false;
  uint64_t ok_ = 0;
  uint64_t results_ = 0;
  const absl::Duration t0_ = probe::loop::EventLoop::MonotonicNow();
  absl::Duration last_start_ = t0_;
  MsHistogram durations_{kBoundsMs};
  uint64_t redirected_ = 0;
  absl::Duration redirected_time_;
};

int Main(int argc, char** argv) {
  cli::ParseFlagsOrExit(argc, argv, kUsage);
  std::ifstream sites(absl::GetFlag(FLAGS_sites_file));
  if (!sites.is_open()) cli::Die("--sites_file: cannot open");
  SweepSetup setup = MakeSweepSetupOrDie(absl::GetFlag(FLAGS_resolver));
  probe::loop::EventLoop* loop = setup.loop.get();
  std::ofstream curl_out;
  if (!absl::GetFlag(FLAGS_curl_out).empty()) {
    curl_out.open(absl::GetFlag(FLAGS_curl_out));
  }
  RecordingFetcher web(setup.http.get(), &curl_out);
  const int c = absl::GetFlag(FLAGS_concurrency);
  // Interval 0 and C per address: the bed puts every site on 8 addresses;
  // this times the fetch path against curl's, not the politeness.
  readiness::ConnectionGate gate(loop, time::RealClock::Get(),
                                 absl::ZeroDuration(), static_cast<size_t>(c));
  readiness::WebLimits limits;
  limits.ca_file = absl::GetFlag(FLAGS_ca_file);
  Driver driver({loop, &web, setup.dns.get(), &gate, &limits}, &sites, c);
  const absl::Duration t0 = probe::loop::EventLoop::MonotonicNow();
  driver.Fill();
  loop->RunUntil([&driver] { return driver.done(); },
                 absl::GetFlag(FLAGS_max_time));
  const double s =
      absl::ToDoubleSeconds(probe::loop::EventLoop::MonotonicNow() - t0);
  std::cout << absl::StrFormat(
      "RESULT finished=%d wall_s=%.3f fetches=%d responses=%d rate=%.1f "
      "max_in_flight=%d results=%d ok=%d body_bytes=%d cpu_s=%.2f "
      "peak_rss_kib=%d\n",
      driver.done(), s, web.fetches(), web.responses(), web.fetches() / s,
      web.max_in_flight(), driver.results(), driver.ok(), web.body_bytes(),
      CpuSeconds(), PeakRssKib());
  std::cerr << driver.TimeTable();
  return driver.done() ? 0 : 3;
}

}  // namespace
}  // namespace v6scope::bench::sweep

int main(int argc, char** argv) {
  return v6scope::bench::sweep::Main(argc, argv);
}
