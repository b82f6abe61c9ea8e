#include "probe/readiness/domain_sweep.h"

#include <memory>
#include <optional>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/time/clock.h"
#include "gtest/gtest.h"
#include "probe/loop/event_loop.h"
#include "probe/readiness/connection_gate.h"
#include "probe/readiness/testing/scripted_lookup.h"

namespace v6scope::probe::readiness {
namespace {

// Both families, whatever this machine's routes.
CheckerOptions BothFamilies() {
  CheckerOptions options;
  options.has_own_ipv4 = true;
  options.has_own_ipv6 = true;
  return options;
}

namespace v1 = ::v6scope::v1;

TEST(DomainSweepTest, TwoHundredDomainsBoundedAndStreamed) {
  auto loop = loop::EventLoop::Create();
  ASSERT_TRUE(loop.ok());
  testing::ScriptedLookup dns(loop->get());
  testing::ScriptedFetcher fetcher(loop->get());
  ConnectionGate gate(loop->get(), time::RealClock::Get(),
                      absl::ZeroDuration());
  constexpr int kDomains = 200;
  for (int i = 0; i < kDomains; ++i) {
    const std::string domain = absl::StrCat("d", i, ".example.test");
    const std::string v4 = absl::StrCat("11.0.", i / 250, ".", i % 250 + 1);
    dns.SetAddresses("www." + domain, {v4, absl::StrCat("3ffe::", i + 1)});
    fetcher.SetPage("https://www." + domain + "/", v1::IPV4, 200, domain);
  }
  dns.set_delay(absl::Milliseconds(1));
  fetcher.set_delay(absl::Milliseconds(3));
  DomainChecker checker(loop->get(), &dns, &fetcher, &gate,
                        time::RealClock::Get(), BothFamilies());
  DomainSweep sweep(&checker, /*concurrency=*/32);

  int next = 0;
  std::set<std::string> seen;
  size_t started_at_first_result = 0;
  size_t max_checker_in_flight = 0;
  bool done = false;
  sweep.Start(
      [&]() -> std::optional<std::string> {
        if (next == kDomains) return std::nullopt;
        return absl::StrCat("d", next++, ".example.test");
      },
      [&](v1::DomainCheck check) {
        if (seen.empty()) started_at_first_result = sweep.started();
        max_checker_in_flight =
            std::max(max_checker_in_flight, checker.in_flight() + 1);
        EXPECT_TRUE(seen.insert(check.domain()).second) << check.domain();
        EXPECT_EQ(check.web_size(), 4);
      },
      [&] { done = true; });
  ASSERT_TRUE(loop->get()->RunUntil([&] { return done; }, absl::Seconds(60)));
  EXPECT_EQ(seen.size(), static_cast<size_t>(kDomains));
  EXPECT_EQ(sweep.finished(), static_cast<size_t>(kDomains));
  EXPECT_EQ(sweep.in_flight(), 0u);
  EXPECT_EQ(sweep.max_in_flight(), 32u);
  EXPECT_LE(max_checker_in_flight, 32u);
  EXPECT_LE(started_at_first_result, 32u);  // Streamed, not batched.
  // Each domain asks at most 6 questions at once (apex, www, NS, MX).
  EXPECT_LE(dns.max_in_flight(), 32 * 6);
  EXPECT_LE(fetcher.max_in_flight(), 32 * 2);  // v4 and v6 per domain.
}

TEST(DomainSweepTest, EmptyListIsDoneAtOnce) {
  auto loop = loop::EventLoop::Create();
  ASSERT_TRUE(loop.ok());
  testing::ScriptedLookup dns(loop->get());
  testing::ScriptedFetcher fetcher(loop->get());
  ConnectionGate gate(loop->get(), time::RealClock::Get(),
                      absl::ZeroDuration());
  DomainChecker checker(loop->get(), &dns, &fetcher, &gate,
                        time::RealClock::Get(), BothFamilies());
  DomainSweep sweep(&checker, 4);
  bool done = false;
  sweep.Start([] { return std::nullopt; },
              [](v1::DomainCheck) { FAIL() << "no domain to check"; },
              [&] { done = true; });
  EXPECT_TRUE(done);
}

}  // namespace
}  // namespace v6scope::probe::readiness
