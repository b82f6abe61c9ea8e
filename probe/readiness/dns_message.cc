#include "probe/readiness/dns_message.h"

#include <ares.h>

#include <array>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace v6scope::probe::readiness {
namespace {

constexpr size_t kHeaderSize = 12;
constexpr uint16_t kClassIn = 1;
constexpr uint16_t kTypeOpt = 41;
constexpr uint16_t kEdnsUdpSize = 1232;  // DNS flag day 2020.
constexpr size_t kMaxRecords = 256;      // Bounds the work on hostile input.

void PutU16(std::string* out, uint16_t value) {
  out->push_back(static_cast<char>(value >> 8));
  out->push_back(static_cast<char>(value & 0xff));
}

struct Record {
  std::string owner;
  uint16_t type = 0;
  size_t rdata = 0;  // Offset of the RDATA in the message.
  uint16_t rdlen = 0;
};

// Reads the message with bounds checks; every read fails past the end.
class Reader {
 public:
  explicit Reader(absl::string_view message)
      : buf_(reinterpret_cast<const unsigned char*>(message.data())),
        len_(message.size()) {}

  bool U16(size_t at, uint16_t* value) const {
    if (at + 2 > len_) return false;
    *value = static_cast<uint16_t>((buf_[at] << 8) | buf_[at + 1]);
    return true;
  }

  // The (possibly compressed) name at `*pos`; advances past it.
  absl::StatusOr<std::string> Name(size_t* pos) const {
    if (*pos >= len_) return absl::InvalidArgumentError("name past the end");
    char* text = nullptr;
    long used = 0;
    if (ares_expand_name(buf_ + *pos, buf_, static_cast<int>(len_), &text,
                         &used) != ARES_SUCCESS) {
      return absl::InvalidArgumentError(
          absl::StrCat("bad name at offset ", *pos));
    }
    std::string name = NormalizeDnsName(text);
    ares_free_string(text);
    *pos += static_cast<size_t>(used);
    return name;
  }

  absl::StatusOr<Record> ReadRecord(size_t* pos) const {
    Record r;
    absl::StatusOr<std::string> owner = Name(pos);
    if (!owner.ok()) return owner.status();
    r.owner = *std::move(owner);
    if (!U16(*pos, &r.type) || !U16(*pos + 8, &r.rdlen) ||
        *pos + 10 + r.rdlen > len_) {
      return absl::InvalidArgumentError("record past the end");
    }
    r.rdata = *pos + 10;
    *pos = r.rdata + r.rdlen;
    return r;
  }

  const unsigned char* data() const { return buf_; }

 private:
  const unsigned char* buf_;
  size_t len_;
};

absl::Status CheckQuestion(const Reader& reader, size_t* pos,
                           absl::string_view name, uint16_t qtype) {
  absl::StatusOr<std::string> asked = reader.Name(pos);
  if (!asked.ok()) return asked.status();
  uint16_t type = 0;
  if (!reader.U16(*pos, &type)) {
    return absl::InvalidArgumentError("question past the end");
  }
  *pos += 4;
  if (*asked != NormalizeDnsName(name) || type != qtype) {
    return absl::InvalidArgumentError(
        absl::StrCat("answer to another question (", *asked, ")"));
  }
  return absl::OkStatus();
}

// Follows CNAMEs from `name` (loops and long chains cut at the limit).
std::string FollowChain(const std::vector<Record>& records,
                        const Reader& reader, std::string name,
                        std::vector<std::string>* chain) {
  for (size_t hop = 0; hop < kMaxCnameChain; ++hop) {
    bool moved = false;
    for (const Record& r : records) {
      if (r.type != kTypeCname || r.owner != name) continue;
      size_t at = r.rdata;
      absl::StatusOr<std::string> target = reader.Name(&at);
      if (!target.ok()) continue;
      chain->push_back(*target);
      name = *std::move(target);
      moved = true;
      break;
    }
    if (!moved) break;
  }
  return name;
}

void TakeRecord(const Record& r, const Reader& reader, DnsResponse* out) {
  const unsigned char* rdata = reader.data() + r.rdata;
  size_t at = r.rdata;
  if (r.type == kTypeA && r.rdlen == 4) {
    std::array<uint8_t, 4> bytes;
    std::memcpy(bytes.data(), rdata, 4);
    out->addresses.push_back(net::IpAddress::FromV4Bytes(bytes));
  } else if (r.type == kTypeAaaa && r.rdlen == 16) {
    std::array<uint8_t, 16> bytes;
    std::memcpy(bytes.data(), rdata, 16);
    out->addresses.push_back(net::IpAddress::FromV6Bytes(bytes));
  } else if (r.type == kTypeNs) {
    if (auto host = reader.Name(&at); host.ok()) {
      out->name_servers.push_back(*host);
    }
  } else if (r.type == kTypeMx && r.rdlen > 2) {
    uint16_t preference = 0;
    reader.U16(at, &preference);
    at += 2;
    if (auto host = reader.Name(&at); host.ok()) {
      out->mail_hosts.push_back(MailHost{preference, *host});
    }
  } else if (r.type == kTypeSoa) {
    out->has_soa = true;
  }
}

}  // namespace

std::string NormalizeDnsName(absl::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  return absl::AsciiStrToLower(name);
}

absl::StatusOr<std::string> EncodeQuery(uint16_t id, absl::string_view name,
                                        uint16_t qtype, bool recursion) {
  const std::string normal = NormalizeDnsName(name);
  if (normal.empty() || normal.size() > 253) {
    return absl::InvalidArgumentError(
        absl::StrCat("name \"", name, "\" is empty or over 253 bytes"));
  }
  std::string out;
  // Header, the name's labels (one length byte more than its text), the
  // question's type and class, and the 11-byte OPT record: one allocation
  // instead of a string grown three times per question.
  out.reserve(12 + normal.size() + 2 + 4 + 11);
  PutU16(&out, id);
  PutU16(&out, recursion ? 0x0100 : 0);  // Standard query, RD as asked.
  for (uint16_t count : {1, 0, 0, 1}) PutU16(&out, count);
  for (absl::string_view label : absl::StrSplit(normal, '.')) {
    if (label.empty() || label.size() > 63) {
      return absl::InvalidArgumentError(
          absl::StrCat("name \"", name, "\" has an empty or long label"));
    }
    out.push_back(static_cast<char>(label.size()));
    out.append(label.data(), label.size());
  }
  out.push_back('\0');
  PutU16(&out, qtype);
  PutU16(&out, kClassIn);
  out.push_back('\0');  // OPT: root owner, our UDP size, no options.
  PutU16(&out, kTypeOpt);
  PutU16(&out, kEdnsUdpSize);
  for (int i = 0; i < 3; ++i) PutU16(&out, 0);  // TTL (2x16 bits), RDLEN.
  return out;
}

absl::StatusOr<DnsResponse> ParseResponse(absl::string_view message,
                                          absl::string_view name,
                                          uint16_t qtype) {
  const Reader reader(message);
  uint16_t flags = 0, qd = 0, an = 0;
  DnsResponse out;
  if (message.size() < kHeaderSize || !reader.U16(0, &out.id) ||
      !reader.U16(2, &flags) || !reader.U16(4, &qd) || !reader.U16(6, &an)) {
    return absl::InvalidArgumentError("shorter than a DNS header");
  }
  if ((flags & 0x8000) == 0) return absl::InvalidArgumentError("not a reply");
  if (qd != 1) return absl::InvalidArgumentError("not one question");
  out.authoritative = (flags & 0x0400) != 0;
  out.truncated = (flags & 0x0200) != 0;
  out.rcode = flags & 0x000f;
  size_t pos = kHeaderSize;
  if (absl::Status s = CheckQuestion(reader, &pos, name, qtype); !s.ok()) {
    return s;
  }
  std::vector<Record> records;
  for (size_t i = 0; i < an && i < kMaxRecords; ++i) {
    absl::StatusOr<Record> r = reader.ReadRecord(&pos);
    if (!r.ok()) return r.status();
    records.push_back(*std::move(r));
  }
  const std::string end =
      FollowChain(records, reader, NormalizeDnsName(name), &out.cname_chain);
  for (const Record& r : records) {
    if (r.type == qtype && r.owner == end) TakeRecord(r, reader, &out);
  }
  return out;
}

}  // namespace v6scope::probe::readiness
