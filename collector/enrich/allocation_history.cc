#include "collector/enrich/allocation_history.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "collector/enrich/lpm_table.h"
#include "common/geo/countries.h"

namespace v6scope::collector::enrich {
namespace {

constexpr uint64_t kSub64Limit = ~uint64_t{0};  // sub64_ stays below 2^64.

bool Delegated(const RirRecord& record) {
  return record.status == RirStatus::kAllocated ||
         record.status == RirStatus::kAssigned;
}

// Closed intervals [first, last]; answers "does any overlap this one?"
// for nested or disjoint intervals alike (sorted by start, with the
// running maximum of the ends).
template <typename T>
class Overlaps {
 public:
  void Add(T first, T last) { intervals_.emplace_back(first, last); }
  void Build() {
    std::sort(intervals_.begin(), intervals_.end());
    T max_last = 0;
    for (const auto& [first, last] : intervals_) {
      max_last = std::max(max_last, last);
      max_last_.push_back(max_last);
    }
  }
  bool Any(T first, T last) const {
    // Intervals starting at or before `last`; one of them reaching
    // `first` overlaps.
    const auto end = std::upper_bound(
        intervals_.begin(), intervals_.end(), last,
        [](T value, const std::pair<T, T>& i) { return value < i.first; });
    if (end == intervals_.begin()) return false;
    return max_last_[end - intervals_.begin() - 1] >= first;
  }

 private:
  std::vector<std::pair<T, T>> intervals_;
  std::vector<T> max_last_;
};

std::pair<absl::uint128, absl::uint128> V6Interval(const RirRecord& r) {
  const absl::uint128 first = V6Key(r.start_address);
  const int host_bits = 128 - static_cast<int>(r.value);
  const absl::uint128 size_minus_one =
      host_bits == 128 ? ~absl::uint128(0)
                       : (absl::uint128(1) << host_bits) - 1;
  return {first, first + size_minus_one};
}

// The delegated space of one registry's current file.
struct CurrentSpace {
  Overlaps<absl::uint128> v6;
  Overlaps<uint64_t> asn;
};

CurrentSpace IndexCurrent(const RirFile& file) {
  CurrentSpace space;
  for (const RirRecord& r : file.records) {
    if (!Delegated(r)) continue;
    if (r.type == ResourceType::kIpv6) {
      const auto [first, last] = V6Interval(r);
      space.v6.Add(first, last);
    } else if (r.type == ResourceType::kAsn) {
      space.asn.Add(r.start_asn, uint64_t{r.start_asn} + r.value - 1);
    }
  }
  space.v6.Build();
  space.asn.Build();
  return space;
}

bool StillDelegated(const CurrentSpace& space, const RirRecord& r) {
  if (r.type == ResourceType::kIpv6) {
    const auto [first, last] = V6Interval(r);
    return space.v6.Any(first, last);
  }
  return space.asn.Any(r.start_asn, uint64_t{r.start_asn} + r.value - 1);
}

// A country's history while it is being built.
struct Builder {
  CountryAllocationHistory h;
  std::map<int32_t, AllocationPeriod> months, years;
  // "<registry>|<opaque id>".
  absl::flat_hash_set<std::string> holders_any, holders_v6;
  uint64_t without_id = 0;
};

void AddToPeriod(const RirRecord& r, AllocationPeriod* p) {
  if (r.type == ResourceType::kIpv6) {
    ++p->v6_delegations;
    p->v6_space += V6Space::OfPrefix(static_cast<int>(r.value));
  } else {
    ++p->asn_delegations;
    p->asns += r.value;
  }
}

void UpdateDates(int32_t date, int32_t* first, int32_t* latest) {
  if (*first == 0 || date < *first) *first = date;
  *latest = std::max(*latest, date);
}

void AddV6(const RirRecord& r, CountryAllocationHistory* h) {
  ++h->v6_delegations;
  ++(r.status == RirStatus::kAllocated ? h->v6_allocated : h->v6_assigned);
  h->v6_space += V6Space::OfPrefix(static_cast<int>(r.value));
  if (r.date == 0) {
    ++h->v6_undated;
  } else {
    UpdateDates(r.date, &h->first_v6_date, &h->latest_v6_date);
  }
}

void AddAsn(const RirRecord& r, CountryAllocationHistory* h) {
  ++h->asn_delegations;
  h->asns += r.value;
  if (r.date == 0) {
    ++h->asn_undated;
  } else {
    UpdateDates(r.date, &h->first_asn_date, &h->latest_asn_date);
  }
}

// One current record of a country (any type: IPv4 counts for holders).
void AddCurrent(const RirFile& file, int32_t date, const RirRecord& r,
                Builder* b) {
  b->h.as_of[file.registry()] = date;
  if (r.opaque_id.empty()) {
    ++b->without_id;
  } else {
    std::string id =
        absl::StrCat(RegistryName(file.registry()), "|", r.opaque_id);
    if (r.type == ResourceType::kIpv6) b->holders_v6.insert(id);
    b->holders_any.insert(std::move(id));
  }
  if (r.type == ResourceType::kIpv4) return;
  if (r.type == ResourceType::kIpv6) {
    AddV6(r, &b->h);
  } else {
    AddAsn(r, &b->h);
  }
  if (r.date == 0) return;
  AddToPeriod(r, &b->months[r.date / 100]);
  AddToPeriod(r, &b->years[r.date / 10000]);
}

// Every current record with a country of one registry's file.
void AddCurrentFile(const RirFile& file, int32_t date,
                    std::map<std::string, Builder>* by_cc) {
  for (const RirRecord& r : file.records) {
    if (!r.HasCountry()) continue;
    Builder& b = (*by_cc)[r.cc];
    b.h.cc = r.cc;
    AddCurrent(file, date, r, &b);
  }
}

std::vector<AllocationPeriod> Cumulate(
    const std::map<int32_t, AllocationPeriod>& periods) {
  std::vector<AllocationPeriod> series;
  AllocationPeriod total;
  for (const auto& [key, p] : periods) {
    total.v6_delegations_total += p.v6_delegations;
    total.v6_space_total += p.v6_space;
    total.asn_delegations_total += p.asn_delegations;
    total.asns_total += p.asns;
    AllocationPeriod out = p;
    out.period = key;
    out.v6_delegations_total = total.v6_delegations_total;
    out.v6_space_total = total.v6_space_total;
    out.asn_delegations_total = total.asn_delegations_total;
    out.asns_total = total.asns_total;
    series.push_back(out);
  }
  return series;
}

CountryAllocationHistory Finish(Builder& b) {
  CountryAllocationHistory h = std::move(b.h);
  h.by_month = Cumulate(b.months);
  h.by_year = Cumulate(b.years);
  if (!b.holders_any.empty()) {
    h.holders =
        HolderShare{b.holders_v6.size(), b.holders_any.size(), b.without_id};
  }
  return h;
}

// Snapshot indices in date order (stable: equal dates keep given order).
std::vector<size_t> ByDate(const std::vector<RirSnapshot>& snapshots) {
  std::vector<size_t> order(snapshots.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return snapshots[a].date < snapshots[b].date;
  });
  return order;
}

// A delegation as identified across snapshots.
using DelegationKey = std::tuple<ResourceType, absl::uint128, uint64_t>;

DelegationKey KeyOf(const RirRecord& r) {
  const absl::uint128 start =
      r.type == ResourceType::kIpv6 ? V6Key(r.start_address) : r.start_asn;
  return {r.type, start, r.value};
}

// Delegations of `registry` in snapshots before `current` that its current
// file no longer overlaps, each once, with the country it last had.
void AddReturned(const std::vector<RirSnapshot>& snapshots,
                 const std::vector<size_t>& order, size_t current,
                 Registry registry, std::map<std::string, Builder>* by_cc) {
  const CurrentSpace space = IndexCurrent(*snapshots[current].FileOf(registry));
  std::map<DelegationKey, const RirRecord*> gone;
  for (size_t i : order) {
    if (i == current) break;
    const RirFile* file = snapshots[i].FileOf(registry);
    if (file == nullptr) continue;
    for (const RirRecord& r : file->records) {
      if (r.type == ResourceType::kIpv4 || !r.HasCountry()) continue;
      if (!StillDelegated(space, r)) gone[KeyOf(r)] = &r;
    }
  }
  for (const auto& [key, r] : gone) {
    CountryAllocationHistory& h = (*by_cc)[r->cc].h;
    h.cc = r->cc;
    if (r->type == ResourceType::kIpv6) {
      ++h.v6_returned;
      h.v6_returned_space += V6Space::OfPrefix(static_cast<int>(r->value));
    } else {
      ++h.asn_returned;
    }
  }
}

std::optional<Registry> ServingRegistry(absl::string_view cc) {
  const geo::CountryInfo* country = geo::FindCountry(cc);
  if (country == nullptr) return std::nullopt;
  const Registry registry = ParseRegistry(geo::RirName(country->rir));
  if (registry == Registry::kNone) return std::nullopt;
  return registry;
}

}  // namespace

V6Space V6Space::OfPrefix(int length) {
  V6Space space;
  length = std::clamp(length, 0, 128);
  if (length <= 64) {
    space.slash64s_ = absl::uint128(1) << (64 - length);
  } else {
    space.sub64_ = uint64_t{1} << (128 - length);
  }
  return space;
}

V6Space& V6Space::operator+=(const V6Space& other) {
  slash64s_ += other.slash64s_;
  // sub64_ + other.sub64_ may reach 2^64: carry one /64.
  if (other.sub64_ > kSub64Limit - sub64_) {
    ++slash64s_;
    sub64_ = other.sub64_ - (kSub64Limit - sub64_) - 1;
  } else {
    sub64_ += other.sub64_;
  }
  return *this;
}

double V6Space::Slash32Equivalents() const {
  const double whole = static_cast<double>(absl::Uint128High64(slash64s_)) *
                           std::ldexp(1.0, 64) +
                       static_cast<double>(absl::Uint128Low64(slash64s_));
  return std::ldexp(whole, -32) + std::ldexp(static_cast<double>(sub64_), -96);
}

double HolderShare::Share() const {
  return with_any == 0
             ? 0.0
             : static_cast<double>(with_ipv6) / static_cast<double>(with_any);
}

bool AllocationHistory::Covers(absl::string_view cc) const {
  const std::optional<Registry> registry = ServingRegistry(cc);
  return registry.has_value() && registry_dates.count(*registry) != 0;
}

absl::StatusOr<CountryAllocationHistory> AllocationHistory::Find(
    absl::string_view cc) const {
  const std::string code = absl::AsciiStrToUpper(cc);
  const std::optional<Registry> registry = ServingRegistry(code);
  if (!registry.has_value()) {
    return absl::NotFoundError(absl::StrCat("not a country code: ", cc));
  }
  if (registry_dates.count(*registry) == 0) {
    return absl::NotFoundError(absl::StrCat("no RIR snapshot has ",
                                            RegistryName(*registry),
                                            "'s file, which serves ", code));
  }
  const auto it =
      std::lower_bound(countries.begin(), countries.end(), code,
                       [](const CountryAllocationHistory& h,
                          const std::string& c) { return h.cc < c; });
  if (it != countries.end() && it->cc == code) return *it;
  CountryAllocationHistory empty;
  empty.cc = code;
  return empty;
}

AllocationHistory ComputeCurrentAllocationHistory(
    const std::vector<const RirFile*>& files) {
  AllocationHistory history;
  std::map<std::string, Builder> by_cc;
  for (Registry registry : FiveRirs()) {
    const RirFile* newest = nullptr;
    for (const RirFile* file : files) {
      if (file->registry() == registry) newest = file;
    }
    if (newest == nullptr) {
      history.missing.push_back(registry);
      continue;
    }
    const int32_t date = newest->date();
    history.registry_dates[registry] = date;
    history.snapshot_dates.push_back(date);
    AddCurrentFile(*newest, date, &by_cc);
  }
  std::sort(history.snapshot_dates.begin(), history.snapshot_dates.end());
  history.snapshot_dates.erase(
      std::unique(history.snapshot_dates.begin(), history.snapshot_dates.end()),
      history.snapshot_dates.end());
  for (auto& [cc, builder] : by_cc) {
    history.countries.push_back(Finish(builder));
  }
  return history;
}

AllocationHistory ComputeAllocationHistory(
    const std::vector<RirSnapshot>& snapshots) {
  AllocationHistory history;
  const std::vector<size_t> order = ByDate(snapshots);
  for (size_t i : order) history.snapshot_dates.push_back(snapshots[i].date);
  std::map<std::string, Builder> by_cc;
  for (Registry registry : FiveRirs()) {
    std::optional<size_t> current;
    for (size_t i : order) {
      if (snapshots[i].FileOf(registry) != nullptr) current = i;
    }
    if (!current.has_value()) {
      history.missing.push_back(registry);
      continue;
    }
    const RirSnapshot& snapshot = snapshots[*current];
    history.registry_dates[registry] = snapshot.date;
    AddCurrentFile(*snapshot.FileOf(registry), snapshot.date, &by_cc);
    AddReturned(snapshots, order, *current, registry, &by_cc);
  }
  for (auto& [cc, builder] : by_cc) {
    history.countries.push_back(Finish(builder));
  }
  return history;
}

std::map<std::string, double> AllocationMetricValues(
    const AllocationHistory& history, AllocationMetric metric) {
  std::map<std::string, double> values;
  for (const geo::CountryInfo& country : geo::AllCountries()) {
    if (!history.Covers(country.code)) continue;
    absl::StatusOr<CountryAllocationHistory> h = history.Find(country.code);
    if (!h.ok()) continue;
    double value = 0;
    switch (metric) {
      case AllocationMetric::kV6Slash32Equivalents:
        value = h->v6_space.Slash32Equivalents();
        break;
      case AllocationMetric::kV6Delegations:
        value = static_cast<double>(h->v6_delegations);
        break;
      case AllocationMetric::kAsnDelegations:
        value = static_cast<double>(h->asn_delegations);
        break;
    }
    values[std::string(country.code)] = value;
  }
  return values;
}

}  // namespace v6scope::collector::enrich
