// fetch_throughput: concurrent HTTP fetch throughput of the probe's real
// fetching path — one EventLoop thread driving the HttpFetcher (libcurl's
// multi-socket API) — with at most --concurrency fetches in flight.
//
// Each fetch opens its own connection (the fetcher forbids reuse: every
// test must time its own connect), so this measures connections per
// second as much as requests per second. Prints the rate, latency
// percentiles, CPU time and failures by outcome, then one machine-readable
// line starting with "RESULT " for bench/run_probe_bench.sh. Exits 0 only
// if every fetch finished OK (a benchmark whose fetches fail fast would
// report a flattering rate).
//
//   fetch_throughput --url='http://127.0.0.1:8080/small?i={i}' --count=5000
//   fetch_throughput --urls_file=urls.txt --concurrency=100
#include <sys/resource.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "common/cli/flags.h"
#include "common/fs/files.h"
#include "probe/http/http_fetcher.h"
#include "probe/loop/event_loop.h"
#include "proto/results.pb.h"

ABSL_FLAG(std::string, urls_file, "",
          "file with one URL per line (blank lines and lines starting with # "
          "are ignored); fetched in order, cycling if --count is larger");
ABSL_FLAG(std::string, url, "",
          "URL pattern instead of --urls_file; {i} is replaced by the fetch "
          "index (0..count-1)");
ABSL_FLAG(int, count, 0,
          "number of fetches (required with --url; with --urls_file 0 means "
          "each line once)");
ABSL_FLAG(int, concurrency, 100, "at most this many fetches in flight");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(10), "deadline of each fetch");
ABSL_FLAG(absl::Duration, max_time, absl::Seconds(120),
          "bound on the whole benchmark; fetches not finished by then are "
          "reported as incomplete");
ABSL_FLAG(int64_t, expect_bytes, -1,
          "if >= 0: an OK fetch whose body is not exactly this many bytes "
          "counts as a failure (BODY_SIZE_MISMATCH)");

namespace v6scope::bench {
namespace {

constexpr char kUsage[] =
    "fetch_throughput: HTTP fetches through the probe's EventLoop + "
    "HttpFetcher on one thread.\n"
    "usage:\n"
    "  fetch_throughput --url=URL_WITH_{i} --count=N [--concurrency=C]\n"
    "  fetch_throughput --urls_file=FILE [--count=N] [--concurrency=C]";

constexpr int kMaxCount = 1'000'000;
constexpr int kMaxConcurrency = 10'000;

using probe::http::HttpFetcher;
using probe::http::HttpRequest;
using probe::http::HttpResult;
using probe::loop::EventLoop;

struct CpuTimes {
  double user_s = 0;
  double sys_s = 0;
};

CpuTimes ProcessCpu() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto secs = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6;
  };
  return {secs(ru.ru_utime), secs(ru.ru_stime)};
}

// Nearest-rank percentile (p in (0, 100]) of sorted values; 0 if empty.
double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t rank = static_cast<size_t>(p / 100.0 * sorted.size() + 0.999999);
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

double Mean(const std::vector<double>& values) {
  if (values.empty()) return 0;
  double sum = 0;
  for (double v : values) sum += v;
  return sum / values.size();
}

absl::StatusOr<std::vector<std::string>> UrlsFromFlags() {
  const std::string file = absl::GetFlag(FLAGS_urls_file);
  const std::string pattern = absl::GetFlag(FLAGS_url);
  const int count = absl::GetFlag(FLAGS_count);
  if (file.empty() == pattern.empty()) {
    return absl::InvalidArgumentError("give exactly one of --urls_file, --url");
  }
  if (count < 0 || count > kMaxCount) {
    return absl::InvalidArgumentError(
        absl::StrCat("--count must be 0..", kMaxCount));
  }
  std::vector<std::string> urls;
  if (!pattern.empty()) {
    if (count == 0) return absl::InvalidArgumentError("--url needs --count");
    urls.reserve(count);
    for (int i = 0; i < count; ++i) {
      urls.push_back(absl::StrReplaceAll(pattern, {{"{i}", absl::StrCat(i)}}));
    }
    return urls;
  }
  absl::StatusOr<std::string> text = fs::ReadFile(file);
  if (!text.ok()) return text.status();
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(*text, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') continue;
    if (lines.size() >= static_cast<size_t>(kMaxCount)) {
      return absl::InvalidArgumentError(
          absl::StrCat(file, ": more than ", kMaxCount, " URLs"));
    }
    lines.emplace_back(line);
  }
  if (lines.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(file, ": no URLs"));
  }
  const size_t n = count == 0 ? lines.size() : static_cast<size_t>(count);
  urls.reserve(n);
  for (size_t i = 0; i < n; ++i) urls.push_back(lines[i % lines.size()]);
  return urls;
}

// Keeps up to `concurrency` fetches in flight until every URL is fetched.
// Loop thread only.
class Driver {
 public:
  Driver(HttpFetcher* fetcher, const std::vector<std::string>* urls,
         int concurrency, absl::Duration timeout, int64_t expect_bytes)
      : fetcher_(fetcher),
        urls_(urls),
        concurrency_(static_cast<size_t>(concurrency)),
        timeout_(timeout),
        expect_bytes_(expect_bytes) {
    curl_ms_.reserve(urls->size());
    loop_ms_.reserve(urls->size());
  }

  void StartMore() {
    while (started_ < urls_->size() && in_flight_ < concurrency_) {
      StartOne(started_++);
    }
  }

  bool done() const { return finished_ == urls_->size(); }
  size_t finished() const { return finished_; }
  size_t ok() const { return ok_; }
  uint64_t body_bytes() const { return body_bytes_; }
  size_t max_in_flight() const { return max_in_flight_; }
  const std::map<std::string, int>& failures() const { return failures_; }
  const std::string& first_failure() const { return first_failure_; }
  // Sorted latencies in ms, of OK fetches only.
  std::vector<double> SortedCurlMs() const { return Sorted(curl_ms_); }
  std::vector<double> SortedLoopMs() const { return Sorted(loop_ms_); }

 private:
  static std::vector<double> Sorted(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v;
  }

  void StartOne(size_t index) {
    HttpRequest req;
    req.url = (*urls_)[index];
    req.timeout = timeout_;
    req.connect_timeout = std::min(timeout_, absl::Seconds(5));
    ++in_flight_;
    max_in_flight_ = std::max(max_in_flight_, in_flight_);
    const absl::Duration t0 = EventLoop::MonotonicNow();
    fetcher_->Fetch(std::move(req), [this, t0](HttpResult r) {
      const absl::Duration t1 = EventLoop::MonotonicNow();
      --in_flight_;
      ++finished_;
      Record(r, t1 - t0);
      StartMore();
    });
  }

  void Record(const HttpResult& r, absl::Duration in_loop) {
    body_bytes_ += r.bytes_received;
    std::string failure;
    if (r.outcome != v6scope::v1::OK) {
      failure = v6scope::v1::Outcome_Name(r.outcome);
    } else if (expect_bytes_ >= 0 &&
               r.bytes_received != static_cast<uint64_t>(expect_bytes_)) {
      failure = "BODY_SIZE_MISMATCH";
    }
    if (!failure.empty()) {
      ++failures_[failure];
      if (first_failure_.empty()) {
        first_failure_ = absl::StrCat(failure, ": ", r.error_detail,
                                      " (body bytes ", r.bytes_received, ")");
      }
      return;
    }
    ++ok_;
    curl_ms_.push_back(r.timings.total_us() / 1000.0);
    loop_ms_.push_back(absl::ToDoubleMilliseconds(in_loop));
  }

  HttpFetcher* const fetcher_;
  const std::vector<std::string>* const urls_;
  const size_t concurrency_;
  const absl::Duration timeout_;
  const int64_t expect_bytes_;
  size_t started_ = 0;
  size_t in_flight_ = 0;
  size_t max_in_flight_ = 0;
  size_t finished_ = 0;
  size_t ok_ = 0;
  uint64_t body_bytes_ = 0;
  std::vector<double> curl_ms_;
  std::vector<double> loop_ms_;
  std::map<std::string, int> failures_;
  std::string first_failure_;
};

// What one run measured, from the driver and the process's CPU time.
struct Figures {
  size_t total = 0, incomplete = 0, failed = 0;
  double seconds = 0, rate = 0, user_s = 0, sys_s = 0, cpu_us_per_fetch = 0;
  std::vector<double> curl_ms, loop_ms;
};

Figures Measure(const Driver& driver, size_t total, absl::Duration elapsed,
                const CpuTimes& cpu0, const CpuTimes& cpu1) {
  Figures f;
  f.total = total;
  f.incomplete = total - driver.finished();
  f.failed = f.incomplete;
  for (const auto& [name, n] : driver.failures()) f.failed += n;
  f.seconds = absl::ToDoubleSeconds(elapsed);
  f.rate = f.seconds > 0 ? driver.ok() / f.seconds : 0;
  f.user_s = cpu1.user_s - cpu0.user_s;
  f.sys_s = cpu1.sys_s - cpu0.sys_s;
  f.cpu_us_per_fetch = driver.finished() > 0
                           ? (f.user_s + f.sys_s) * 1e6 / driver.finished()
                           : 0;
  f.curl_ms = driver.SortedCurlMs();
  f.loop_ms = driver.SortedLoopMs();
  return f;
}

void PrintFailures(const Driver& driver, const Figures& f) {
  if (f.failed == 0) {
    std::cout << "  failures    none\n";
    return;
  }
  std::cout << "  failures   ";
  for (const auto& [name, n] : driver.failures()) {
    std::cout << " " << name << "=" << n;
  }
  if (f.incomplete > 0) std::cout << " INCOMPLETE=" << f.incomplete;
  std::cout << "\n";
  if (!driver.first_failure().empty()) {
    std::cout << "  first       " << driver.first_failure() << "\n";
  }
}

void PrintReport(const Driver& driver, const Figures& f, int concurrency) {
  std::cout << absl::StrFormat(
      "fetch_throughput: %d fetches, at most %d in flight (peak %d), one "
      "loop thread\n",
      f.total, concurrency, driver.max_in_flight());
  std::cout << absl::StrFormat(
      "  finished    %d of %d in %.3f s: %.1f OK fetches/s\n",
      driver.finished(), f.total, f.seconds, f.rate);
  std::cout << absl::StrFormat(
      "  latency     p50 %.2f ms, p99 %.2f ms, mean %.2f ms (curl's total "
      "time of each OK fetch)\n",
      Percentile(f.curl_ms, 50), Percentile(f.curl_ms, 99), Mean(f.curl_ms));
  std::cout << absl::StrFormat(
      "  in loop     p50 %.2f ms, p99 %.2f ms (Fetch() call to done "
      "callback)\n",
      Percentile(f.loop_ms, 50), Percentile(f.loop_ms, 99));
  std::cout << absl::StrFormat(
      "  cpu         %.3f s user + %.3f s sys = %.1f us per fetch\n", f.user_s,
      f.sys_s, f.cpu_us_per_fetch);
  std::cout << absl::StrFormat("  body bytes  %d\n", driver.body_bytes());
  PrintFailures(driver, f);
  std::cout << absl::StrFormat(
      "RESULT fetches=%d ok=%d failed=%d seconds=%.6f rate=%.1f "
      "p50_ms=%.3f p99_ms=%.3f mean_ms=%.3f cpu_s=%.3f "
      "cpu_us_per_fetch=%.1f\n",
      f.total, driver.ok(), f.failed, f.seconds, f.rate,
      Percentile(f.curl_ms, 50), Percentile(f.curl_ms, 99), Mean(f.curl_ms),
      f.user_s + f.sys_s, f.cpu_us_per_fetch);
}

int Main(int argc, char** argv) {
  cli::ParseFlagsOrExit(argc, argv, kUsage);
  const int concurrency = absl::GetFlag(FLAGS_concurrency);
  if (concurrency < 1 || concurrency > kMaxConcurrency) {
    cli::Die(absl::StrCat("--concurrency must be 1..", kMaxConcurrency));
  }
  const absl::Duration timeout = absl::GetFlag(FLAGS_timeout);
  const absl::Duration max_time = absl::GetFlag(FLAGS_max_time);
  if (timeout <= absl::ZeroDuration() || max_time <= absl::ZeroDuration()) {
    cli::Die("--timeout and --max_time must be positive");
  }
  absl::StatusOr<std::vector<std::string>> urls = UrlsFromFlags();
  if (!urls.ok()) cli::Die(urls.status().message());

  absl::StatusOr<std::unique_ptr<EventLoop>> loop = EventLoop::Create();
  if (!loop.ok()) cli::Die(loop.status().ToString(), 1);
  absl::StatusOr<std::unique_ptr<HttpFetcher>> fetcher =
      HttpFetcher::Create(loop->get());
  if (!fetcher.ok()) cli::Die(fetcher.status().ToString(), 1);

  Driver driver(fetcher->get(), &*urls, concurrency, timeout,
                absl::GetFlag(FLAGS_expect_bytes));
  const CpuTimes cpu0 = ProcessCpu();
  const absl::Duration t0 = EventLoop::MonotonicNow();
  driver.StartMore();
  const bool complete =
      (*loop)->RunUntil([&driver] { return driver.done(); }, max_time);
  const absl::Duration elapsed = EventLoop::MonotonicNow() - t0;
  const CpuTimes cpu1 = ProcessCpu();
  // Aborts whatever is still in flight (only if max_time ran out).
  fetcher->reset();
  const Figures f = Measure(driver, urls->size(), elapsed, cpu0, cpu1);
  PrintReport(driver, f, concurrency);
  return complete && f.failed == 0 ? 0 : 1;
}

}  // namespace
}  // namespace v6scope::bench

int main(int argc, char** argv) { return v6scope::bench::Main(argc, argv); }
