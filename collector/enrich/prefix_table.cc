#include "collector/enrich/prefix_table.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace v6scope::collector::enrich {
namespace {

constexpr uint64_t kMaxAsn = 0xFFFFFFFF;
constexpr uint32_t kNoEntry = ~uint32_t{0};  // LpmTable<...>::kNone.

// Splits "prefix<TAB>length<TAB>origins" and parses the first two fields.
// On failure returns false with *reason set.
bool ParsePrefixFields(absl::string_view line, net::IpAddress* network,
                       int* length, absl::string_view* origins,
                       absl::string_view* reason) {
  const size_t tab1 = line.find('\t');
  const size_t tab2 = tab1 == absl::string_view::npos
                          ? absl::string_view::npos
                          : line.find('\t', tab1 + 1);
  if (tab2 == absl::string_view::npos ||
      line.find('\t', tab2 + 1) != absl::string_view::npos) {
    *reason = "want 3 TAB-separated fields: prefix, length, AS";
    return false;
  }
  absl::StatusOr<net::IpAddress> address =
      net::IpAddress::Parse(line.substr(0, tab1));
  if (!address.ok()) {
    *reason = "bad prefix address";
    return false;
  }
  uint64_t value = 0;
  if (!ParseDecimal(line.substr(tab1 + 1, tab2 - tab1 - 1),
                    static_cast<uint64_t>(address->bit_length()), &value)) {
    *reason = "bad prefix length";
    return false;
  }
  *length = static_cast<int>(value);
  if (address->Truncate(*length) != *address) {
    *reason = "host bits set in prefix";
    return false;
  }
  *network = *address;
  *origins = line.substr(tab2 + 1);
  return true;
}

}  // namespace

bool IsPublicAsn(uint32_t asn) {
  if (asn == 0 || asn == 23456) return false;
  if (asn >= 64496 && asn <= 131071) return false;
  if (asn >= 4200000000u) return false;
  return true;
}

bool OriginField::has_as_set() const {
  return std::any_of(elements.begin(), elements.end(),
                     [](const auto& element) { return element.size() > 1; });
}

std::vector<uint32_t> OriginField::Asns() const {
  std::vector<uint32_t> asns;
  for (const auto& element : elements) {
    for (uint32_t asn : element) {
      if (std::find(asns.begin(), asns.end(), asn) == asns.end()) {
        asns.push_back(asn);
      }
    }
  }
  return asns;
}

std::string OriginField::ToString() const {
  std::vector<std::string> parts;
  parts.reserve(elements.size());
  for (const auto& element : elements) {
    parts.push_back(absl::StrJoin(element, ","));
  }
  return absl::StrJoin(parts, "_");
}

absl::StatusOr<OriginField> ParseOriginField(absl::string_view text) {
  OriginField field;
  for (absl::string_view element : absl::StrSplit(text, '_')) {
    std::vector<uint32_t> members;
    for (absl::string_view member : absl::StrSplit(element, ',')) {
      uint64_t asn = 0;
      if (!ParseDecimal(member, kMaxAsn, &asn)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "bad AS number \"", member.substr(0, 16), "\" in origin field"));
      }
      members.push_back(static_cast<uint32_t>(asn));
    }
    field.elements.push_back(std::move(members));
  }
  return field;
}

uint32_t PrimaryOrigin(const OriginField& field) {
  for (const auto& element : field.elements) {
    for (uint32_t asn : element) {
      if (IsPublicAsn(asn)) return asn;
    }
  }
  return 0;
}

uint64_t PrefixTable::Builder::AddContents(absl::string_view contents,
                                           MalformedLines* bad) {
  uint64_t accepted = 0;
  ForEachLine(contents, bad, [&](uint64_t number, absl::string_view line) {
    if (line.empty() || line[0] == '#') return;
    net::IpAddress network;
    int length = 0;
    absl::string_view origins;
    absl::string_view reason;
    if (!ParsePrefixFields(line, &network, &length, &origins, &reason)) {
      bad->Add(number, reason, line);
      return;
    }
    // Fast path: one ASN (99 % of the lines).
    uint64_t asn = 0;
    if (ParseDecimal(origins, kMaxAsn, &asn)) {
      AddParsed(network, length, static_cast<uint32_t>(asn), nullptr);
      ++accepted;
      return;
    }
    absl::StatusOr<OriginField> field = ParseOriginField(origins);
    if (!field.ok()) {
      bad->Add(number, field.status().message(), line);
      return;
    }
    AddParsed(network, length, 0, &*field);
    ++accepted;
  });
  return accepted;
}

absl::Status PrefixTable::Builder::Add(const net::IpPrefix& prefix,
                                       absl::string_view origin_field) {
  absl::StatusOr<OriginField> field = ParseOriginField(origin_field);
  if (!field.ok()) return field.status();
  AddParsed(prefix.address(), prefix.length(), 0, &*field);
  return absl::OkStatus();
}

// `field` null: the origin is `single_asn` alone.
void PrefixTable::Builder::AddParsed(const net::IpAddress& network, int length,
                                     uint32_t single_asn,
                                     const OriginField* field) {
  uint32_t origin = single_asn;
  uint32_t field_index = kNoField;
  const bool simple = field == nullptr ? IsPublicAsn(single_asn)
                                       : field->elements.size() == 1 &&
                                             field->elements[0].size() == 1 &&
                                             IsPublicAsn(field->elements[0][0]);
  if (simple) {
    if (field != nullptr) origin = field->elements[0][0];
  } else {
    OriginField kept = field != nullptr ? *field : OriginField{{{single_asn}}};
    origin = PrimaryOrigin(kept);
    field_index = static_cast<uint32_t>(fields_.size());
    fields_.push_back(std::move(kept));
  }
  if (network.is_v4()) {
    v4_.Add(V4Key(network), length, {origin, field_index});
  } else {
    v6_.Add(V6Key(network), length, {origin, field_index});
  }
}

PrefixTable PrefixTable::Builder::Build() && {
  PrefixTable table;
  table.v4_ = std::move(v4_).Build();
  table.v6_ = std::move(v6_).Build();
  table.fields_ = std::move(fields_);
  return table;
}

PrefixOrigin PrefixTable::Describe(bool v6, uint32_t entry) const {
  PrefixOrigin result;
  Origin origin;
  if (v6) {
    const auto& e = v6_.entry(entry);
    result.prefix = net::IpPrefix::FromAddress(V6Address(e.start), e.length);
    origin = e.payload;
  } else {
    const auto& e = v4_.entry(entry);
    result.prefix = net::IpPrefix::FromAddress(V4Address(e.start), e.length);
    origin = e.payload;
  }
  result.origin_asn = origin.asn;
  const uint32_t field_index = origin.field;
  if (field_index == kNoField) {
    result.origins = {result.origin_asn};
    result.origin_field = absl::StrCat(result.origin_asn);
  } else {
    const OriginField& field = fields_[field_index];
    result.origins = field.Asns();
    result.moas = field.moas();
    result.as_set = field.has_as_set();
    result.origin_field = field.ToString();
  }
  return result;
}

std::optional<PrefixOrigin> PrefixTable::Lookup(
    const net::IpAddress& address) const {
  const net::IpAddress a = address.Unmapped();
  const uint32_t entry =
      a.is_v4() ? v4_.Lookup(V4Key(a)) : v6_.Lookup(V6Key(a));
  if (entry == kNoEntry) return std::nullopt;
  return Describe(a.is_v6(), entry);
}

std::optional<PrefixOrigin> PrefixTable::LookupCovering(
    const net::IpPrefix& prefix) const {
  net::IpPrefix query = prefix;
  if (prefix.address().IsV4Mapped() && prefix.length() >= 96) {
    query = net::IpPrefix::FromAddress(prefix.address().Unmapped(),
                                       prefix.length() - 96);
  }
  const net::IpAddress& a = query.address();
  const uint32_t entry = a.is_v4()
                             ? v4_.LookupCovering(V4Key(a), query.length())
                             : v6_.LookupCovering(V6Key(a), query.length());
  if (entry == kNoEntry) return std::nullopt;
  return Describe(a.is_v6(), entry);
}

uint32_t PrefixTable::OriginAsn(const net::IpAddress& address) const {
  const net::IpAddress a = address.Unmapped();
  if (a.is_v4()) {
    const uint32_t entry = v4_.Lookup(V4Key(a));
    return entry == kNoEntry ? 0 : v4_.entry(entry).payload.asn;
  }
  const uint32_t entry = v6_.Lookup(V6Key(a));
  return entry == kNoEntry ? 0 : v6_.entry(entry).payload.asn;
}

size_t PrefixTable::MemoryBytes() const {
  size_t bytes = v4_.MemoryBytes() + v6_.MemoryBytes();
  for (const OriginField& field : fields_) {
    bytes += sizeof(OriginField);
    for (const auto& element : field.elements) {
      bytes += sizeof(element) + element.capacity() * sizeof(uint32_t);
    }
  }
  return bytes;
}

}  // namespace v6scope::collector::enrich
