#include "probe/suite/capability_suite.h"

#include <algorithm>
#include <memory>

#include "absl/strings/str_cat.h"
#include "common/net/ip_address.h"
#include "common/text/text_rules.h"
#include "common/version.h"
#include "google/protobuf/util/time_util.h"
#include "methodology/kinds/registry.h"
#include "methodology/verdict.h"
#include "probe/inventory/inventory.h"
#include "probe/suite/suite_run.h"
#include "probe/suite/test_plan.h"

namespace v6scope::probe::suite {
namespace {

using google::protobuf::util::TimeUtil;

google::protobuf::Timestamp ToProto(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

// The collector's bounds (proto/results.proto: Run.target_set,
// TestResult.target).
constexpr size_t kMaxTargetSetName = 64;
constexpr size_t kMaxTarget = 255;

absl::Status Bad(absl::string_view field, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", what));
}

void SetDefault(std::string* field, absl::string_view value) {
  if (field->empty()) *field = std::string(value);
}

absl::Status ValidateTargets(v6scope::v1::TargetSet* t) {
  SetDefault(t->mutable_name(), "default");
  SetDefault(t->mutable_scheme(), "http");
  SetDefault(t->mutable_whoami_path(), "/whoami");
  SetDefault(t->mutable_small_path(), "/small");
  SetDefault(t->mutable_large_path(), "/large");
  SetDefault(t->mutable_nat64_discovery_name(), "ipv4only.arpa");
  if (t->scheme() != "http" && t->scheme() != "https") {
    return Bad("targets.scheme", "must be http or https");
  }
  if (t->port() == 0) t->set_port(t->scheme() == "http" ? 80 : 443);
  if (t->port() > 65535) return Bad("targets.port", "above 65535");
  if (t->dual_stack_host().empty() || t->v4_only_host().empty() ||
      t->v6_only_host().empty()) {
    return Bad("targets",
               "dual_stack_host, v4_only_host and v6_only_host are required");
  }
  if (!t->v6_literal().empty()) {
    auto a = net::IpAddress::Parse(t->v6_literal());
    if (!a.ok() || !a->is_v6()) {
      return Bad("targets.v6_literal", "not an IPv6 address literal");
    }
  }
  for (const char* p : {"whoami_path", "small_path", "large_path"}) {
    const auto* f = t->GetDescriptor()->FindFieldByName(p);
    if (t->GetReflection()->GetString(*t, f).front() != '/') {
      return Bad(absl::StrCat("targets.", p), "must start with /");
    }
  }
  for (const auto& h : t->static_hosts()) {
    for (const std::string& a : h.addresses()) {
      if (!net::IpAddress::Parse(a).ok()) {
        return Bad("targets.static_hosts",
                   absl::StrCat("not an address literal: ", a));
      }
    }
  }
  return absl::OkStatus();
}

// Every target a run would record, checked now against the collector's
// rules (common/text, proto/results.proto): a target the collector refuses
// would make every run of this probe undeliverable.
absl::Status CheckRecordedTargets(const v6scope::v1::ProbeSettings& s) {
  const std::string& name = s.targets().name();
  if (name.size() > kMaxTargetSetName ||
      !text::CheckTextRule(name, text::TextRule::kPrintableAscii).ok()) {
    return Bad("targets.name",
               absl::StrCat("\"", text::Printable(name), "\" is not ",
                            kMaxTargetSetName, " bytes of printable ASCII"));
  }
  for (const PlannedTest& test : PlanRun(s)) {
    const std::string target = TestTarget(test, s.targets());
    absl::Status ok =
        target.size() > kMaxTarget
            ? absl::InvalidArgumentError(
                  absl::StrCat("longer than ", kMaxTarget, " bytes"))
            : text::CheckTextRule(target, text::TextRule::kTarget);
    if (!ok.ok()) {
      return Bad(
          "targets",
          absl::StrCat(test.spec->name, " target \"", text::Printable(target),
                       "\" would be refused by the collector: ", ok.message()));
    }
  }
  return absl::OkStatus();
}

// The deadlines and the read limit (defaults: docs/guides/probe-host.md).
absl::Status ValidateTiming(v6scope::v1::ProbeSettings* s) {
  if (s->dns_timeout_ms() == 0) s->set_dns_timeout_ms(kDefaultDnsTimeoutMs);
  if (s->http_timeout_ms() == 0) s->set_http_timeout_ms(kDefaultHttpTimeoutMs);
  // A short fetch deadline shortens the default connect deadline with it.
  if (s->connect_timeout_ms() == 0) {
    s->set_connect_timeout_ms(
        std::min(kDefaultConnectTimeoutMs, s->http_timeout_ms()));
  }
  if (s->stall_timeout_ms() == 0) {
    s->set_stall_timeout_ms(kDefaultStallTimeoutMs);
  }
  if (s->large_read_limit_bytes() == 0) {
    s->set_large_read_limit_bytes(kDefaultLargeReadLimitBytes);
  }
  if (s->dns_timeout_ms() > 60000) return Bad("dns_timeout_ms", "above 60000");
  if (s->http_timeout_ms() > 120000) {
    return Bad("http_timeout_ms", "above 120000");
  }
  if (s->connect_timeout_ms() > s->http_timeout_ms()) {
    return Bad("connect_timeout_ms",
               absl::StrCat(s->connect_timeout_ms(), " above http_timeout_ms ",
                            s->http_timeout_ms(),
                            " (the connect is part of the fetch)"));
  }
  if (s->stall_timeout_ms() < 200) {
    return Bad("stall_timeout_ms",
               absl::StrCat(s->stall_timeout_ms(),
                            " below 200 (a busy path pauses that long)"));
  }
  if (s->stall_timeout_ms() > 120000) {
    return Bad("stall_timeout_ms", "above 120000");
  }
  if (s->large_read_limit_bytes() < 16 * 1024 ||
      s->large_read_limit_bytes() > 64 * 1024 * 1024) {
    return Bad("large_read_limit_bytes",
               absl::StrCat(s->large_read_limit_bytes(),
                            " outside 16384..67108864 (16 KiB..64 MiB)"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateProbeSettings(v6scope::v1::ProbeSettings* s) {
  if (absl::Status timing = ValidateTiming(s); !timing.ok()) return timing;
  for (const std::string& name : s->opt_out()) {
    if (methodology::kinds::FindKindByName(name) == nullptr) {
      return Bad("opt_out", absl::StrCat("unknown test '", name, "'"));
    }
  }
  absl::Status targets = ValidateTargets(s->mutable_targets());
  if (!targets.ok()) return targets;
  return CheckRecordedTargets(*s);
}

v6scope::v1::TargetSet LoopbackTargets(int port) {
  v6scope::v1::TargetSet t;
  t.set_name("loopback");
  t.set_scheme("http");
  t.set_port(static_cast<uint32_t>(port));
  t.set_dual_stack_host("ds.localhost");
  t.set_v4_only_host("v4.localhost");
  t.set_v6_only_host("v6.localhost");
  t.set_v6_literal("::1");
  // Loopback has no DNS zone to test, and no NAT64.
  t.set_nat64_discovery_name("-");
  auto add = [&t](const char* name, std::vector<const char*> addrs) {
    v6scope::v1::StaticHost* h = t.add_static_hosts();
    h->set_name(name);
    for (const char* a : addrs) h->add_addresses(a);
  };
  add("ds.localhost", {"::1", "127.0.0.1"});
  add("v4.localhost", {"127.0.0.1"});
  add("v6.localhost", {"::1"});
  return t;
}

CapabilitySuite::CapabilitySuite(Deps deps, v6scope::v1::ProbeSettings settings)
    : deps_(std::move(deps)), settings_(std::move(settings)) {
  if (!deps_.read_inventory) {
    deps_.read_inventory = [] { return inventory::ReadLocalInventory(); };
  }
}

absl::StatusOr<v6scope::v1::Run> CapabilitySuite::RunOnce() {
  v6scope::v1::Run run;
  *run.mutable_started_at() = ToProto(deps_.clock->Now());
  absl::StatusOr<v6scope::v1::AddressInventory> inventory =
      deps_.read_inventory();
  if (!inventory.ok()) return inventory.status();

  const std::vector<PlannedTest> plan = PlanRun(settings_);
  auto state =
      std::make_shared<SuiteRun>(deps_.resolver, deps_.fetcher, settings_);
  state->Start(plan);
  // Every test has its own deadline; this bound only guards the loop.
  const absl::Duration bound = RunBound(plan, settings_);
  if (!deps_.loop->RunUntil([&] { return state->done(); }, bound)) {
    return absl::DeadlineExceededError(absl::StrCat(
        "capability run did not finish within ", absl::FormatDuration(bound)));
  }
  run.MergeFrom(state->run());
  *run.mutable_inventory() = *inventory;
  run.set_target_set(settings_.targets().name());
  run.set_probe_version(kVersion);
  *run.mutable_finished_at() = ToProto(deps_.clock->Now());
  *run.mutable_verdict() = methodology::ComputeVerdict(run);
  return run;
}

}  // namespace v6scope::probe::suite
