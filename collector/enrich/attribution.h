// Attribution of a probe's public address to a network and a country: the
// collector's "enrich" step (DESIGN.md, "Processes and data flow" step 3).
//
// An AttributionIndex holds every table — CAIDA prefix-to-AS for IPv4 and
// IPv6, the RIR delegations (address blocks and ASNs), AS names — plus the
// versions of the files they came from. It is immutable once loaded:
// readers share it as std::shared_ptr<const AttributionIndex> and look up
// without locks; a reload (SIGHUP) builds a new index off to the side and
// swaps the pointer, and in-flight lookups finish on the old one.
//
//   absl::StatusOr<std::shared_ptr<const AttributionIndex>> index =
//       AttributionIndex::Load(sources);
//   Attribution a = (*index)->Attribute(probe_v6_prefix);  // a /48
//   store(a.origin_asn, a.country, (*index)->version());
//
// Rules (docs/attribution.md): the origin AS is the first public ASN CAIDA
// lists for the longest matching prefix; the country is the one the RIR
// delegated the address block to, else the origin AS's (RIR delegation of
// the ASN, else the AS-names list); `country_source` says which.
#ifndef V6SCOPE_COLLECTOR_ENRICH_ATTRIBUTION_H_
#define V6SCOPE_COLLECTOR_ENRICH_ATTRIBUTION_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "collector/enrich/allocation_history.h"
#include "collector/enrich/as_names.h"
#include "collector/enrich/data_file.h"
#include "collector/enrich/prefix_table.h"
#include "collector/enrich/rir_stats.h"
#include "common/net/ip_address.h"

namespace v6scope::collector::enrich {

// The files an index is built from. Every file may be plain or gzip.
struct AttributionSources {
  // CAIDA pfx2as files, usually the rv2 (IPv4) and rv6 (IPv6) files of one
  // day; each may hold either family.
  std::vector<std::string> pfx2as_files;
  // RIR statistics exchange files (delegated-<rir>[-extended]-latest and
  // delegated-iana-latest), in any order. Of several files of one
  // registry only the newest (version-line end date; on a tie the
  // extended one, then the later listed) is used.
  std::vector<std::string> rir_files;
  // AS names list; "" for none.
  std::string as_names_file;
  // Load files that are not whole (a gzip stream cut short or corrupt, a
  // last line cut mid-line, an RIR file holding another registry's
  // records) as far as they are valid, instead of failing: the problem is
  // logged at error and marked in the datasets and the version line
  // ("partial=<file>"). Unreadable files and files without a single
  // valid record fail either way.
  bool allow_partial = false;
};

// Where Attribution::country came from, best first.
enum class CountrySource {
  kNone,
  kPrefixDelegation,     // The RIR delegation of the address block.
  kOriginAsnDelegation,  // The RIR delegation of the origin ASN.
  kOriginAsName,         // The origin AS's country in the AS-names list.
};
// "none", "prefix_delegation", "origin_asn_delegation", "origin_as_name".
absl::string_view CountrySourceName(CountrySource source);

// Everything known about one address or prefix. Owns its data: it stays
// valid after the index that produced it is replaced.
struct Attribution {
  // From the prefix-to-AS table.
  std::optional<net::IpPrefix> prefix;  // Matched prefix; none = unrouted.
  uint32_t origin_asn = 0;              // 0 = unknown.
  std::vector<uint32_t> origins;        // Every ASN in the origin field.
  bool moas = false;
  bool as_set = false;
  std::string origin_field;  // CAIDA notation, e.g. "31133_6854,25159".
  // From the RIR files.
  std::string country;  // ISO 3166 alpha-2 as the RIRs write it; "" unknown.
  CountrySource country_source = CountrySource::kNone;
  std::string rir;  // Registry responsible for the block; "" unknown.
  std::optional<net::IpPrefix> delegation;  // The RIR block matched.
  int32_t delegation_date = 0;              // YYYYMMDD; 0 unknown.
  // From the AS-names list.
  std::string as_name;  // Of origin_asn; "" unknown.
};

class AttributionIndex {
 public:
  // Reads and parses every file (two threads: pfx2as files on one, the
  // rest on the other). Malformed lines of an otherwise whole file are
  // counted, the first few logged (file:line and why), and skipped. Fails
  // — and the caller keeps its current index — naming the file, the line
  // and why, if a file cannot be read, holds no valid record, or (unless
  // sources.allow_partial) is not whole: see AttributionSources.
  static absl::StatusOr<std::shared_ptr<const AttributionIndex>> Load(
      const AttributionSources& sources);

  // An index over tables built elsewhere (tests, tools). `rir_files` are
  // the files the delegations came from, for the allocation context.
  static std::shared_ptr<const AttributionIndex> FromTables(
      PrefixTable prefixes, RirTables delegations, AsNames as_names,
      const std::vector<const RirFile*>& rir_files,
      std::vector<DatasetVersion> datasets);

  // Attribution of one address (an IPv4-mapped IPv6 address counts as the
  // IPv4 address).
  Attribution Attribute(const net::IpAddress& address) const;
  // Attribution of a whole prefix, such as the /24 or /48 a probe reports:
  // by the longest table prefix that contains all of it, never by a more
  // specific one that covers only part.
  Attribution Attribute(const net::IpPrefix& prefix) const;

  // Country of an ASN: its RIR delegation, else the AS-names list; "".
  std::string AsnCountry(uint32_t asn) const;
  // Name from the AS-names list; "" unknown.
  std::string AsName(uint32_t asn) const;

  // IPv6 allocation context of a country ("CN"); nullopt if it has none.
  std::optional<AllocationContext> Allocation(absl::string_view cc) const;
  // Of every country, sorted by cc.
  const std::vector<AllocationContext>& allocations() const {
    return allocations_;
  }

  // Each country's allocations over time from the RIR files in use
  // (ComputeCurrentAllocationHistory), for the national report.
  const AllocationHistory& allocation_history() const {
    return allocation_history_;
  }

  // One entry per file given, in the order given.
  const std::vector<DatasetVersion>& datasets() const { return datasets_; }
  // The versions of the files in use, in one line to store with every
  // enriched record: "pfx2as=a.gz@2020-02-20,b.gz@2020-02-20;rir=...;
  // as_names=asn.txt@mtime=2026-01-20T10:00:00Z".
  const std::string& version() const { return version_; }
  // Registries ("afrinic", ..., "iana") of the RIR files in use, sorted.
  const std::vector<std::string>& registries() const { return registries_; }
  // True if `registry` ("afrinic") has a file in use.
  bool HasRegistry(absl::string_view registry) const;
  // Base names of the files that did not load whole (allow_partial), in
  // the order given; empty when every file loaded whole.
  std::vector<std::string> PartialFiles() const;

  const PrefixTable& prefixes() const { return prefixes_; }
  const RirTables& delegations() const { return delegations_; }
  const AsNames& as_names() const { return as_names_; }

 private:
  AttributionIndex() = default;

  // Fills the RIR and AS-name fields of `a` from `delegation`.
  void AddCountry(const std::optional<Delegation>& delegation,
                  Attribution* a) const;

  PrefixTable prefixes_;
  RirTables delegations_;
  AsNames as_names_;
  std::vector<AllocationContext> allocations_;
  AllocationHistory allocation_history_;
  std::vector<DatasetVersion> datasets_;
  std::vector<std::string> registries_;
  std::string version_;
};

// The index in use, replaced as a whole on reload (SIGHUP). Readers take
// the pointer (a copy under a mutex held for nanoseconds) and then look up
// without any lock; a reload builds the new index without holding the
// mutex, so lookups never wait for a load. Thread-safe.
class AttributionHolder {
 public:
  explicit AttributionHolder(std::shared_ptr<const AttributionIndex> initial);

  // The index to use for one request or batch; keep it for the batch so
  // every record of it is enriched from the same datasets.
  std::shared_ptr<const AttributionIndex> Current() const;

  // Loads `sources` and swaps the result in. On failure the current index
  // stays in use and the error is returned (and logged).
  absl::Status Reload(const AttributionSources& sources);

 private:
  mutable absl::Mutex mu_;
  std::shared_ptr<const AttributionIndex> current_ ABSL_GUARDED_BY(mu_);
};

}  // namespace v6scope::collector::enrich

#endif  // V6SCOPE_COLLECTOR_ENRICH_ATTRIBUTION_H_
