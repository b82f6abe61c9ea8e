// The RIR allocation history of every country, for the national progress
// report (docs/methodology.md, "RIR allocations over time"): from one or
// more RIR snapshots, each country's IPv6 and ASN delegations as a time
// series by the month and year of their delegation date, with exact
// address space, first and latest dates, the delegations returned between
// snapshots, and — only where extended files give opaque ids — the share
// of resource holders with IPv6.
//
// "Now" is, per registry, the newest snapshot that has that registry's
// file: a snapshot lacking a registry does not make its countries' space
// vanish. Registries no snapshot has are listed as missing, and their
// countries have no history (unknown, which is not zero).
//
// Pure: no I/O (loading is rir_snapshot.h), no clock; thread-safe.
#ifndef V6SCOPE_COLLECTOR_ENRICH_ALLOCATION_HISTORY_H_
#define V6SCOPE_COLLECTOR_ENRICH_ALLOCATION_HISTORY_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "collector/enrich/rir_snapshot.h"
#include "collector/enrich/rir_stats.h"

namespace v6scope::collector::enrich {

// An amount of IPv6 address space, exact: whole /64s plus the addresses
// of prefixes longer than /64 (fewer than 2^64, carried into slash64s).
// Sums of real delegations never come near overflowing.
class V6Space {
 public:
  V6Space() = default;
  // The space of one prefix of `length` (0..128).
  static V6Space OfPrefix(int length);

  V6Space& operator+=(const V6Space& other);
  friend V6Space operator+(V6Space a, const V6Space& b) { return a += b; }
  friend bool operator==(const V6Space& a, const V6Space& b) {
    return a.slash64s_ == b.slash64s_ && a.sub64_ == b.sub64_;
  }
  friend bool operator!=(const V6Space& a, const V6Space& b) {
    return !(a == b);
  }

  absl::uint128 slash64s() const { return slash64s_; }
  // Addresses beyond the whole /64s (< 2^64).
  uint64_t sub64_addresses() const { return sub64_; }
  // In /32 equivalents, for presentation: a /29 is 8, a /48 1/65536.
  double Slash32Equivalents() const;
  bool IsZero() const { return slash64s_ == 0 && sub64_ == 0; }

 private:
  absl::uint128 slash64s_ = 0;
  uint64_t sub64_ = 0;
};

// One period of a series: what was delegated in it, and the running
// totals up to and including it. Only periods with a delegation appear;
// the totals carry over the gaps.
struct AllocationPeriod {
  int32_t period = 0;  // YYYYMM (monthly series) or YYYY (yearly).
  uint64_t v6_delegations = 0;
  V6Space v6_space;
  uint64_t asn_delegations = 0;  // Records.
  uint64_t asns = 0;             // ASNs in them (a record may hold several).
  uint64_t v6_delegations_total = 0;
  V6Space v6_space_total;
  uint64_t asn_delegations_total = 0;
  uint64_t asns_total = 0;
};

// Resource holders of a country by opaque id (extended files only): how
// many hold any current delegation (ASN, IPv4 or IPv6) and how many of
// them hold IPv6. An id is one holder as its registry sees it (ids of two
// registries never match).
struct HolderShare {
  uint64_t with_ipv6 = 0;
  uint64_t with_any = 0;
  // Current delegations of the country (any type) in files without opaque
  // ids (the standard format) and so not counted above; 0 = complete.
  uint64_t delegations_without_id = 0;
  // with_ipv6 / with_any; 0 when with_any is 0.
  double Share() const;
  bool complete() const { return delegations_without_id == 0; }
};

struct CountryAllocationHistory {
  std::string cc;
  // Registries the country's current delegations come from, sorted, and
  // the date of the snapshot each was taken from ("now" per registry).
  std::map<Registry, int32_t> as_of;

  // Current IPv6 delegations (allocated + assigned).
  uint64_t v6_delegations = 0;
  uint64_t v6_allocated = 0;
  uint64_t v6_assigned = 0;
  V6Space v6_space;
  uint64_t v6_undated = 0;     // Counted above, in no period of the series.
  int32_t first_v6_date = 0;   // YYYYMMDD; 0 = none dated.
  int32_t latest_v6_date = 0;  // YYYYMMDD; 0 = none dated.

  // Current ASN delegations.
  uint64_t asn_delegations = 0;  // Records.
  uint64_t asns = 0;
  uint64_t asn_undated = 0;
  int32_t first_asn_date = 0;
  int32_t latest_asn_date = 0;

  std::vector<AllocationPeriod> by_month;
  std::vector<AllocationPeriod> by_year;

  // Delegations of an older snapshot whose space (ASNs) no delegation of
  // the registry's newest snapshot overlaps any more: returned or
  // recovered, counted once each, under the country they had.
  uint64_t v6_returned = 0;
  V6Space v6_returned_space;
  uint64_t asn_returned = 0;

  // Set only if some current delegation of the country has an opaque id
  // (docs/methodology.md: one opaque id is one holder as the RIR sees it,
  // not a company or a network); see HolderShare::complete().
  std::optional<HolderShare> holders;
};

struct AllocationHistory {
  // Snapshot dates used, oldest first.
  std::vector<int32_t> snapshot_dates;
  // Per registry (the five RIRs only), the date of the newest snapshot
  // holding it: the registry's "now".
  std::map<Registry, int32_t> registry_dates;
  // The five RIRs no snapshot has.
  std::vector<Registry> missing;
  // Every country with a current or returned delegation, sorted by cc.
  std::vector<CountryAllocationHistory> countries;

  // The history of `cc` ("KE"). A country without delegations whose
  // service-region RIR has data gets an empty history (zero is known);
  // NOT_FOUND if its RIR is missing from every snapshot (unknown) or the
  // code is not a country.
  absl::StatusOr<CountryAllocationHistory> Find(absl::string_view cc) const;
  // True if the RIR serving `cc`'s region has data in some snapshot.
  bool Covers(absl::string_view cc) const;
};

// The history from `snapshots` (any order; two with the same date are
// treated as one taken later in the order given).
AllocationHistory ComputeAllocationHistory(
    const std::vector<RirSnapshot>& snapshots);

// The history of the files in use now, one per registry (of two for one
// registry the later given counts): what the attribution index loads.
// Nothing is known about returned space (that takes older snapshots), so
// the series count today's delegations by the date they were made.
AllocationHistory ComputeCurrentAllocationHistory(
    const std::vector<const RirFile*>& files);

// A per-country metric for regional standing (common/geo/standing.h).
enum class AllocationMetric {
  kV6Slash32Equivalents,
  kV6Delegations,
  kAsnDelegations,
};

// The metric of every country whose service-region RIR has data, 0 for
// those without delegations; countries of missing RIRs are left out (they
// must not rank as zero).
std::map<std::string, double> AllocationMetricValues(
    const AllocationHistory& history, AllocationMetric metric);

}  // namespace v6scope::collector::enrich

#endif  // V6SCOPE_COLLECTOR_ENRICH_ALLOCATION_HISTORY_H_
