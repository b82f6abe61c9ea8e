// RIR statistics exchange files ("delegated-<rir>-latest" and
// "delegated-<rir>-extended-latest" of AFRINIC, APNIC, ARIN, LACNIC and the
// RIPE NCC, and IANA's "delegated-iana-latest"): the parser, the
// delegation tables (IPv4, IPv6, ASN → country, registry, date), and the
// per-country IPv6 allocation context.
//
// Format (RIR statistics exchange format v2; one record per line, '|'):
//   2|apnic|20241109|80145|19830613|20241108|+1000        version line
//   apnic|*|ipv4|*|51925|summary                          summary lines
//   apnic|CN|ipv4|1.0.1.0|256|20110414|allocated          records
//   afrinic|ZA|asn|1228|1|19910301|allocated|F36B9F4B     + opaque id
//   lacnic||ipv6|2001:1200::|23||reserved|                extended only
//   iana|ZZ|ipv6|2001:0200::|23|19990701|apnic            IANA: holder
// value = number of addresses (ipv4; need not be a power of two, nor the
// start aligned: split into CIDR blocks), prefix length (ipv6), number of
// ASNs (asn). Lines starting with '#' are comments.
//
// Thread-safety: a built RirTables is immutable; concurrent lookups need no
// locks.
#ifndef V6SCOPE_COLLECTOR_ENRICH_RIR_STATS_H_
#define V6SCOPE_COLLECTOR_ENRICH_RIR_STATS_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/strings/string_view.h"
#include "collector/enrich/data_file.h"
#include "collector/enrich/lpm_table.h"
#include "common/net/ip_address.h"

namespace v6scope::collector::enrich {

enum class Registry : uint8_t {
  kNone,
  kAfrinic,
  kApnic,
  kArin,
  kLacnic,
  kRipeNcc,
  kIana,
  kIetf,  // Only as an IANA designation (special-purpose space).
};

// "afrinic", "apnic", "arin", "lacnic", "ripencc", "iana", "ietf"; "" for
// kNone.
absl::string_view RegistryName(Registry registry);
// The inverse; kNone for anything else.
Registry ParseRegistry(absl::string_view name);

enum class ResourceType : uint8_t { kAsn, kIpv4, kIpv6 };

enum class RirStatus : uint8_t {
  kAllocated,
  kAssigned,
  kAvailable,   // Extended files: held by the RIR, not delegated.
  kReserved,    // Extended files.
  kDesignated,  // IANA file: the block is the holder registry's.
};

// "allocated", "assigned", "available", "reserved", "designated".
absl::string_view RirStatusName(RirStatus status);

// One record line.
struct RirRecord {
  Registry registry = Registry::kNone;  // Whose file this is.
  std::string cc;                       // As written: "", "ZZ", "CN", ...
  ResourceType type = ResourceType::kAsn;
  net::IpAddress start_address;  // ipv4 / ipv6.
  uint32_t start_asn = 0;        // asn.
  uint64_t value = 0;            // Count (asn, ipv4) or prefix length (ipv6).
  int32_t date = 0;              // YYYYMMDD; 0 = none given.
  RirStatus status = RirStatus::kAllocated;
  // The registry responsible: `registry`, or for an IANA designation the
  // registry named in the status field.
  Registry holder = Registry::kNone;
  // Extended files: the 8th field, one id per resource holder ("" in the
  // standard format, and for available / reserved space).
  std::string opaque_id;

  // Allocated or assigned to a holder in a real country (not "" or "ZZ").
  bool HasCountry() const;
};

struct RirFileHeader {
  std::string version;  // "2", "2.3" (LACNIC).
  Registry registry = Registry::kNone;
  std::string serial;
  uint64_t records = 0;  // As the version line states it.
  int32_t start_date = 0;
  int32_t end_date = 0;
  std::string utc_offset;
  // Counts stated by the summary lines, by ResourceType; -1 if absent.
  std::array<int64_t, 3> summary = {-1, -1, -1};
};

struct RirFile {
  bool has_header = false;
  // Records carry the extended format's opaque-id field.
  bool extended = false;
  RirFileHeader header;
  std::vector<RirRecord> records;
  // The first record whose registry column is not the file's (the version
  // line's, else the first record's): its line number and why; 0 and ""
  // when every record agrees. Such records are not kept: a file claiming
  // one registry and holding another's would otherwise replace (or be
  // dropped as superseded by) a real file of that registry.
  uint64_t mismatch_line = 0;
  std::string mismatch;

  // The version line's registry, else the first record's; kNone if empty.
  Registry registry() const;
  // The version line's end date, else its serial if that is a date; 0.
  int32_t date() const;
};

// Parses a whole file. Never fails: malformed lines (wrong field count,
// unknown registry/type/status, bad address, count or date, host bits set
// in an IPv6 prefix, a second version line) go to `bad` and are skipped;
// records of another registry are skipped and the first one noted in
// RirFile::mismatch.
RirFile ParseRirFile(absl::string_view contents, MalformedLines* bad);

// [first, first + count) as aligned power-of-two blocks, in order: pairs of
// (block start, prefix length in a 32-bit space). E.g. 164.146.0.0 + 393216
// → 164.146.0.0/15, 164.148.0.0/14. `first + count` must be ≤ 2^32.
std::vector<std::pair<uint32_t, int>> RangeToBlocks(uint32_t first,
                                                    uint64_t count);

// What the delegation tables say about an address, prefix or ASN.
struct Delegation {
  // The matched block: a CIDR block of the record's range (IP), or the
  // record's own range [first_asn, last_asn] (ASN).
  net::IpPrefix prefix;
  uint32_t first_asn = 0;
  uint32_t last_asn = 0;
  std::string cc;       // As written in the file.
  std::string country;  // cc if HasCountry(), else "".
  Registry registry = Registry::kNone;
  Registry holder = Registry::kNone;
  RirStatus status = RirStatus::kAllocated;
  int32_t date = 0;  // YYYYMMDD; 0 = unknown.
};

class RirTables {
 private:
  // What a block maps to (16 bytes).
  struct Payload {
    uint32_t first_asn;
    uint32_t last_asn;
    int32_t date;
    std::array<char, 2> cc;
    uint8_t cc_size;
    Registry registry;
    Registry holder;
    RirStatus status;
  };

 public:
  // Load-time only; not thread-safe.
  class Builder {
   public:
    // Adds every record of `file`. Where two records give exactly the same
    // block, the one added later wins; otherwise the most specific block
    // wins (an RIR's record over IANA's /8 designation around it).
    void AddFile(const RirFile& file);
    void AddRecord(const RirRecord& record);
    RirTables Build() &&;

   private:
    LpmTable<uint32_t, Payload>::Builder v4_, asn_;
    LpmTable<absl::uint128, Payload>::Builder v6_;
  };

  RirTables() = default;

  // Most specific block containing `address` (IPv4-mapped → IPv4).
  std::optional<Delegation> Lookup(const net::IpAddress& address) const;
  // Most specific block containing all of `prefix`.
  std::optional<Delegation> LookupCovering(const net::IpPrefix& prefix) const;
  std::optional<Delegation> LookupAsn(uint32_t asn) const;

  size_t v4_blocks() const { return v4_.size(); }
  size_t v6_blocks() const { return v6_.size(); }
  size_t asn_blocks() const { return asn_.size(); }

 private:
  static Delegation Describe(const Payload& payload);

  LpmTable<uint32_t, Payload> v4_, asn_;
  LpmTable<absl::uint128, Payload> v6_;
};

// Per-country IPv6 delegations, the "allocation context" of DESIGN.md.
struct AllocationContext {
  std::string cc;
  uint64_t delegations = 0;  // allocated + assigned records.
  uint64_t allocated = 0;
  uint64_t assigned = 0;
  // Address space in /32 equivalents: a /29 counts 8, a /48 1/65536.
  double slash32_equivalents = 0;
  int32_t first_date = 0;   // YYYYMMDD of the earliest dated delegation.
  int32_t latest_date = 0;  // YYYYMMDD of the latest.
};

// Allocation context of every country from the IPv6 records (allocated or
// assigned, with a real country) of `files`, sorted by cc. Pass one file per
// registry: the same block in two files would count twice.
std::vector<AllocationContext> ComputeAllocationContext(
    const std::vector<const RirFile*>& files);

}  // namespace v6scope::collector::enrich

#endif  // V6SCOPE_COLLECTOR_ENRICH_RIR_STATS_H_
