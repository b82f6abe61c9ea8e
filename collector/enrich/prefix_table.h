// CAIDA RouteViews prefix-to-AS (pfx2as) tables for IPv4 and IPv6: the
// parser, the origin rule for multi-origin prefixes and AS sets, and the
// longest-prefix-match lookup.
//
// File format (one mapping per line, TAB-separated):
//   1.0.0.0<TAB>24<TAB>13335
//   1.2.4.0<TAB>24<TAB>24409_24151_24406        MOAS: several origins
//   2001:410::<TAB>32<TAB>271,7860,8111         one origin that is an AS set
//   31.173.0.0<TAB>16<TAB>31133_6854,25159      both
// CAIDA lists MOAS origins by how many RouteViews peers saw each, most
// seen first (ties by number); AS-set members appear in ascending order.
//
// Origin rule (docs/attribution.md, "Origin AS"): the origin AS of a
// prefix is the first *public* ASN in CAIDA's order, an AS set contributing
// its members in listed order; private-use, documentation and reserved
// ASNs are skipped; if none is public the origin is unknown (0). The full
// origin field is kept with every match.
//
// Thread-safety: a built PrefixTable is immutable; lookups from any number
// of threads need no locks.
#ifndef V6SCOPE_COLLECTOR_ENRICH_PREFIX_TABLE_H_
#define V6SCOPE_COLLECTOR_ENRICH_PREFIX_TABLE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "collector/enrich/data_file.h"
#include "collector/enrich/lpm_table.h"
#include "common/net/ip_address.h"

namespace v6scope::collector::enrich {

// False for ASNs that never identify a network on the public Internet:
// 0, AS_TRANS 23456, documentation (64496-64511, 65536-65551), private use
// (64512-65534, 4200000000-4294967294), reserved (65535, 65552-131071,
// 4294967295). RFC 7607, 6793, 5398, 6996, 7300; IANA ASN registry.
bool IsPublicAsn(uint32_t asn);

// A parsed pfx2as origin field.
struct OriginField {
  // MOAS elements in CAIDA's order; each holds one ASN, or the members of
  // an AS set.
  std::vector<std::vector<uint32_t>> elements;

  bool moas() const { return elements.size() > 1; }
  bool has_as_set() const;
  // Every ASN once, in order of appearance.
  std::vector<uint32_t> Asns() const;
  // Back in CAIDA notation ("31133_6854,25159").
  std::string ToString() const;
};

// Parses "13335", "A_B_C", "A,B", "A_B,C" (ASNs 0..4294967295, asplain).
absl::StatusOr<OriginField> ParseOriginField(absl::string_view text);

// The origin rule above: first public ASN, else 0.
uint32_t PrimaryOrigin(const OriginField& field);

// What the table says about one address or prefix.
struct PrefixOrigin {
  net::IpPrefix prefix;           // The matched (longest covering) prefix.
  uint32_t origin_asn = 0;        // By the origin rule; 0 = unknown.
  std::vector<uint32_t> origins;  // Every ASN of the origin field.
  bool moas = false;              // Several origins.
  bool as_set = false;            // An origin is an AS set.
  std::string origin_field;       // CAIDA notation.
};

class PrefixTable {
 private:
  static constexpr uint32_t kNoField = ~uint32_t{0};

  // What a prefix maps to: its origin ASN, and the index of its full
  // origin field in fields_ (kNoField when that is the one public ASN).
  struct Origin {
    uint32_t asn = 0;
    uint32_t field = kNoField;
  };

 public:
  // Accumulates pfx2as records from one or more files, then builds.
  // Load-time only; not thread-safe.
  class Builder {
   public:
    // Parses a pfx2as file's (decompressed) contents: records of either
    // family in any file; blank lines and '#' comments skipped; malformed
    // lines reported to `bad` and skipped. Returns the records accepted.
    uint64_t AddContents(absl::string_view contents, MalformedLines* bad);
    // One record; InvalidArgument for a bad origin field.
    absl::Status Add(const net::IpPrefix& prefix,
                     absl::string_view origin_field);
    PrefixTable Build() &&;

   private:
    friend class PrefixTable;
    void AddParsed(const net::IpAddress& network, int length,
                   uint32_t single_asn, const OriginField* field);

    LpmTable<uint32_t, Origin>::Builder v4_;
    LpmTable<absl::uint128, Origin>::Builder v6_;
    std::vector<OriginField> fields_;
  };

  PrefixTable() = default;

  // The longest prefix containing `address` (an IPv4-mapped IPv6 address
  // is looked up as IPv4), or nullopt.
  std::optional<PrefixOrigin> Lookup(const net::IpAddress& address) const;
  // The longest prefix containing all of `prefix` (e.g. a probe's /24 or
  // /48, which a more specific announcement only partly covers), or
  // nullopt.
  std::optional<PrefixOrigin> LookupCovering(const net::IpPrefix& prefix) const;
  // Fast path: the origin ASN of `address`, 0 if unknown or unrouted.
  uint32_t OriginAsn(const net::IpAddress& address) const;

  size_t v4_size() const { return v4_.size(); }
  size_t v6_size() const { return v6_.size(); }
  size_t v4_intervals() const { return v4_.interval_count(); }
  size_t v6_intervals() const { return v6_.interval_count(); }
  size_t MemoryBytes() const;

 private:
  PrefixOrigin Describe(bool v6, uint32_t entry) const;

  LpmTable<uint32_t, Origin> v4_;
  LpmTable<absl::uint128, Origin> v6_;
  std::vector<OriginField> fields_;
};

}  // namespace v6scope::collector::enrich

#endif  // V6SCOPE_COLLECTOR_ENRICH_PREFIX_TABLE_H_
