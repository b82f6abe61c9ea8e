#include "collector/enrich/rir_stats.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace v6scope::collector::enrich {
namespace {

constexpr uint64_t kV4Space = uint64_t{1} << 32;
constexpr uint32_t kNoEntry = ~uint32_t{0};  // LpmTable<...>::kNone.

bool IsVersionField(absl::string_view field) {
  return !field.empty() && absl::ascii_isdigit(field[0]) &&
         std::all_of(field.begin(), field.end(),
                     [](char c) { return absl::ascii_isdigit(c) || c == '.'; });
}

bool IsCountryCode(absl::string_view cc) {
  return cc.empty() || (cc.size() == 2 && absl::ascii_isupper(cc[0]) &&
                        absl::ascii_isupper(cc[1]));
}

std::optional<ResourceType> ParseType(absl::string_view type) {
  if (type == "asn") return ResourceType::kAsn;
  if (type == "ipv4") return ResourceType::kIpv4;
  if (type == "ipv6") return ResourceType::kIpv6;
  return std::nullopt;
}

// Status field; for IANA's file it names the holder registry instead.
bool ParseStatus(absl::string_view text, Registry registry, RirStatus* status,
                 Registry* holder) {
  *holder = registry;
  if (text == "allocated") {
    *status = RirStatus::kAllocated;
  } else if (text == "assigned") {
    *status = RirStatus::kAssigned;
  } else if (text == "available") {
    *status = RirStatus::kAvailable;
  } else if (text == "reserved") {
    *status = RirStatus::kReserved;
  } else if (registry == Registry::kIana &&
             ParseRegistry(text) != Registry::kNone) {
    *status = RirStatus::kDesignated;
    *holder = ParseRegistry(text);
  } else {
    return false;
  }
  return true;
}

// Start and value of a record of `record->type`; false with *reason set.
bool ParseResource(absl::string_view start, absl::string_view value,
                   RirRecord* record, absl::string_view* reason) {
  uint64_t number = 0;
  switch (record->type) {
    case ResourceType::kAsn:
      if (!ParseDecimal(start, 0xFFFFFFFF, &number)) {
        *reason = "bad start ASN";
        return false;
      }
      record->start_asn = static_cast<uint32_t>(number);
      if (!ParseDecimal(value, kV4Space - number, &record->value) ||
          record->value == 0) {
        *reason = "bad ASN count";
        return false;
      }
      return true;
    case ResourceType::kIpv4: {
      absl::StatusOr<net::IpAddress> address = net::IpAddress::Parse(start);
      if (!address.ok() || !address->is_v4()) {
        *reason = "bad IPv4 start address";
        return false;
      }
      record->start_address = *address;
      if (!ParseDecimal(value, kV4Space - V4Key(*address), &record->value) ||
          record->value == 0) {
        *reason = "bad IPv4 address count";
        return false;
      }
      return true;
    }
    case ResourceType::kIpv6: {
      absl::StatusOr<net::IpAddress> address = net::IpAddress::Parse(start);
      if (!address.ok() || !address->is_v6()) {
        *reason = "bad IPv6 start address";
        return false;
      }
      record->start_address = *address;
      if (!ParseDecimal(value, 128, &record->value)) {
        *reason = "bad IPv6 prefix length";
        return false;
      }
      if (address->Truncate(static_cast<int>(record->value)) != *address) {
        *reason = "host bits set in IPv6 prefix";
        return false;
      }
      return true;
    }
  }
  return false;
}

// A record line (7 or more fields); false with *reason set.
bool ParseRecord(const std::vector<absl::string_view>& f, RirRecord* record,
                 absl::string_view* reason) {
  record->registry = ParseRegistry(f[0]);
  if (record->registry == Registry::kNone ||
      record->registry == Registry::kIetf) {
    *reason = "unknown registry";
    return false;
  }
  if (!IsCountryCode(f[1])) {
    *reason = "bad country code";
    return false;
  }
  record->cc = std::string(f[1]);
  const std::optional<ResourceType> type = ParseType(f[2]);
  if (!type.has_value()) {
    *reason = "unknown type (want asn, ipv4 or ipv6)";
    return false;
  }
  record->type = *type;
  if (!ParseResource(f[3], f[4], record, reason)) return false;
  if (!ParseYyyymmdd(f[5], &record->date)) {
    *reason = "bad date (want YYYYMMDD)";
    return false;
  }
  if (!ParseStatus(f[6], record->registry, &record->status, &record->holder)) {
    *reason = "unknown status";
    return false;
  }
  return true;
}

// Version line: version|registry|serial|records|startdate|enddate|UTCoffset.
bool ParseHeader(const std::vector<absl::string_view>& f,
                 RirFileHeader* header) {
  if (f.size() < 7) return false;
  header->version = std::string(f[0]);
  header->registry = ParseRegistry(f[1]);
  header->serial = std::string(f[2]);
  if (!ParseDecimal(f[3], ~uint64_t{0}, &header->records)) return false;
  // Dates that are not dates (AFRINIC writes startdate 00000000) stay 0.
  if (!ParseYyyymmdd(f[4], &header->start_date)) header->start_date = 0;
  if (!ParseYyyymmdd(f[5], &header->end_date)) header->end_date = 0;
  header->utc_offset = std::string(f[6]);
  return header->registry != Registry::kNone;
}

// registry|*|type|*|count|summary.
bool IsSummary(const std::vector<absl::string_view>& f) {
  return f.size() == 6 && f[1] == "*" && f[3] == "*" && f[5] == "summary";
}

// False (noting the first such line in file->mismatch) if `record` is not
// of the registry the file is: its version line's, else its first
// record's.
bool SameRegistry(RirFile& file, const RirRecord& record, uint64_t number) {
  const Registry expected = file.registry();
  if (expected == Registry::kNone || record.registry == expected) return true;
  if (file.mismatch_line == 0) {
    file.mismatch_line = number;
    file.mismatch = absl::StrCat(
        "record of registry '", RegistryName(record.registry), "' in a file ",
        file.has_header ? "whose version line names '" : "whose records are '",
        RegistryName(expected), "'");
  }
  return false;
}

}  // namespace

absl::string_view RegistryName(Registry registry) {
  switch (registry) {
    case Registry::kNone:
      return "";
    case Registry::kAfrinic:
      return "afrinic";
    case Registry::kApnic:
      return "apnic";
    case Registry::kArin:
      return "arin";
    case Registry::kLacnic:
      return "lacnic";
    case Registry::kRipeNcc:
      return "ripencc";
    case Registry::kIana:
      return "iana";
    case Registry::kIetf:
      return "ietf";
  }
  return "";
}

Registry ParseRegistry(absl::string_view name) {
  for (Registry r : {Registry::kAfrinic, Registry::kApnic, Registry::kArin,
                     Registry::kLacnic, Registry::kRipeNcc, Registry::kIana,
                     Registry::kIetf}) {
    if (name == RegistryName(r)) return r;
  }
  return Registry::kNone;
}

absl::string_view RirStatusName(RirStatus status) {
  switch (status) {
    case RirStatus::kAllocated:
      return "allocated";
    case RirStatus::kAssigned:
      return "assigned";
    case RirStatus::kAvailable:
      return "available";
    case RirStatus::kReserved:
      return "reserved";
    case RirStatus::kDesignated:
      return "designated";
  }
  return "";
}

bool RirRecord::HasCountry() const {
  return (status == RirStatus::kAllocated || status == RirStatus::kAssigned) &&
         cc.size() == 2 && cc != "ZZ";
}

Registry RirFile::registry() const {
  if (has_header) return header.registry;
  return records.empty() ? Registry::kNone : records.front().registry;
}

int32_t RirFile::date() const {
  if (!has_header) return 0;
  if (header.end_date != 0) return header.end_date;
  int32_t serial_date = 0;
  if (ParseYyyymmdd(header.serial, &serial_date)) return serial_date;
  return 0;
}

RirFile ParseRirFile(absl::string_view contents, MalformedLines* bad) {
  RirFile file;
  bool seen_data = false;
  ForEachLine(contents, bad, [&](uint64_t number, absl::string_view line) {
    if (line.empty() || line[0] == '#') return;
    const std::vector<absl::string_view> f = absl::StrSplit(line, '|');
    if (IsVersionField(f[0])) {
      if (file.has_header || seen_data) {
        bad->Add(number, "unexpected version line", line);
      } else if (!ParseHeader(f, &file.header)) {
        bad->Add(number, "bad version line", line);
      } else {
        file.has_header = true;
      }
      return;
    }
    seen_data = true;
    if (IsSummary(f)) {
      const std::optional<ResourceType> type = ParseType(f[2]);
      uint64_t count = 0;
      if (!type.has_value() || !ParseDecimal(f[4], ~uint64_t{0} >> 1, &count)) {
        bad->Add(number, "bad summary line", line);
        return;
      }
      file.header.summary[static_cast<int>(*type)] =
          static_cast<int64_t>(count);
      return;
    }
    if (f.size() < 7) {
      bad->Add(number, "too few fields (want 7 or more)", line);
      return;
    }
    RirRecord record;
    absl::string_view reason;
    if (!ParseRecord(f, &record, &reason)) {
      bad->Add(number, reason, line);
      return;
    }
    if (!SameRegistry(file, record, number)) return;
    if (f.size() >= 8) {
      file.extended = true;
      record.opaque_id = std::string(f[7]);
    }
    file.records.push_back(std::move(record));
  });
  return file;
}

std::vector<std::pair<uint32_t, int>> RangeToBlocks(uint32_t first,
                                                    uint64_t count) {
  std::vector<std::pair<uint32_t, int>> blocks;
  uint64_t start = first;
  const uint64_t end = std::min<uint64_t>(start + count, kV4Space);
  while (start < end) {
    // Largest block aligned at `start` that fits before `end`.
    int host_bits = 0;
    while (host_bits < 32 && (start & ((uint64_t{2} << host_bits) - 1)) == 0 &&
           start + (uint64_t{2} << host_bits) <= end) {
      ++host_bits;
    }
    blocks.emplace_back(static_cast<uint32_t>(start), 32 - host_bits);
    start += uint64_t{1} << host_bits;
  }
  return blocks;
}

void RirTables::Builder::AddFile(const RirFile& file) {
  for (const RirRecord& record : file.records) AddRecord(record);
}

void RirTables::Builder::AddRecord(const RirRecord& record) {
  Payload payload{};
  payload.date = record.date;
  payload.cc_size = static_cast<uint8_t>(std::min<size_t>(record.cc.size(), 2));
  std::copy_n(record.cc.begin(), payload.cc_size, payload.cc.begin());
  payload.registry = record.registry;
  payload.holder = record.holder;
  payload.status = record.status;
  switch (record.type) {
    case ResourceType::kAsn:
      payload.first_asn = record.start_asn;
      payload.last_asn =
          static_cast<uint32_t>(record.start_asn + record.value - 1);
      for (const auto& [start, length] :
           RangeToBlocks(record.start_asn, record.value)) {
        asn_.Add(start, length, payload);
      }
      break;
    case ResourceType::kIpv4:
      for (const auto& [start, length] :
           RangeToBlocks(V4Key(record.start_address), record.value)) {
        v4_.Add(start, length, payload);
      }
      break;
    case ResourceType::kIpv6:
      v6_.Add(V6Key(record.start_address), static_cast<int>(record.value),
              payload);
      break;
  }
}

RirTables RirTables::Builder::Build() && {
  RirTables tables;
  tables.v4_ = std::move(v4_).Build();
  tables.v6_ = std::move(v6_).Build();
  tables.asn_ = std::move(asn_).Build();
  return tables;
}

Delegation RirTables::Describe(const Payload& payload) {
  Delegation d;
  d.cc.assign(payload.cc.data(), payload.cc_size);
  d.registry = payload.registry;
  d.holder = payload.holder;
  d.status = payload.status;
  d.date = payload.date;
  const bool delegated = payload.status == RirStatus::kAllocated ||
                         payload.status == RirStatus::kAssigned;
  if (delegated && d.cc.size() == 2 && d.cc != "ZZ") d.country = d.cc;
  return d;
}

std::optional<Delegation> RirTables::Lookup(
    const net::IpAddress& address) const {
  const net::IpAddress a = address.Unmapped();
  return LookupCovering(net::IpPrefix::FromAddress(a, a.bit_length()));
}

std::optional<Delegation> RirTables::LookupCovering(
    const net::IpPrefix& prefix) const {
  net::IpPrefix query = prefix;
  if (prefix.address().IsV4Mapped() && prefix.length() >= 96) {
    query = net::IpPrefix::FromAddress(prefix.address().Unmapped(),
                                       prefix.length() - 96);
  }
  const net::IpAddress& a = query.address();
  Delegation d;
  if (a.is_v4()) {
    const uint32_t entry = v4_.LookupCovering(V4Key(a), query.length());
    if (entry == kNoEntry) return std::nullopt;
    const auto& e = v4_.entry(entry);
    d = Describe(e.payload);
    d.prefix = net::IpPrefix::FromAddress(V4Address(e.start), e.length);
  } else {
    const uint32_t entry = v6_.LookupCovering(V6Key(a), query.length());
    if (entry == kNoEntry) return std::nullopt;
    const auto& e = v6_.entry(entry);
    d = Describe(e.payload);
    d.prefix = net::IpPrefix::FromAddress(V6Address(e.start), e.length);
  }
  return d;
}

std::optional<Delegation> RirTables::LookupAsn(uint32_t asn) const {
  const uint32_t entry = asn_.Lookup(asn);
  if (entry == kNoEntry) return std::nullopt;
  const Payload& payload = asn_.entry(entry).payload;
  Delegation d = Describe(payload);
  d.first_asn = payload.first_asn;
  d.last_asn = payload.last_asn;
  return d;
}

std::vector<AllocationContext> ComputeAllocationContext(
    const std::vector<const RirFile*>& files) {
  std::map<std::string, AllocationContext> by_cc;
  for (const RirFile* file : files) {
    for (const RirRecord& record : file->records) {
      if (record.type != ResourceType::kIpv6 || !record.HasCountry()) continue;
      AllocationContext& c = by_cc[record.cc];
      c.cc = record.cc;
      ++c.delegations;
      ++(record.status == RirStatus::kAllocated ? c.allocated : c.assigned);
      c.slash32_equivalents +=
          std::ldexp(1.0, 32 - static_cast<int>(record.value));
      if (record.date != 0) {
        if (c.first_date == 0 || record.date < c.first_date) {
          c.first_date = record.date;
        }
        c.latest_date = std::max(c.latest_date, record.date);
      }
    }
  }
  std::vector<AllocationContext> result;
  result.reserve(by_cc.size());
  for (auto& [cc, context] : by_cc) result.push_back(std::move(context));
  return result;
}

}  // namespace v6scope::collector::enrich
