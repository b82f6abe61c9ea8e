#include "probe/dns/testing/dns_wire.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace v6scope::probe::dns::testing::wire {
namespace {

constexpr size_t kHeaderSize = 12;
constexpr size_t kMaxUdpReply = 512;  // RFC 1035 without EDNS.
constexpr uint16_t kClassIn = 1;
constexpr uint16_t kTypeSoa = 6;
constexpr uint8_t kRcodeNoError = 0;
constexpr uint8_t kRcodeServFail = 2;
constexpr uint8_t kRcodeNxDomain = 3;
constexpr uint8_t kRcodeRefused = 5;

void PutU32(std::string* out, uint32_t v) {
  PutU16(out, static_cast<uint16_t>(v >> 16));
  PutU16(out, static_cast<uint16_t>(v & 0xffff));
}

// Uncompressed wire form of a dotted name ("ns.invalid" -> 2ns7invalid0).
std::string WireName(absl::string_view dotted) {
  std::string out;
  for (absl::string_view label : absl::StrSplit(dotted, '.')) {
    out.push_back(static_cast<char>(label.size()));
    out.append(label.data(), label.size());
  }
  out.push_back('\0');
  return out;
}

void PutHeader(std::string* out, const Query& q, bool tc, uint8_t rcode,
               uint16_t qd, uint16_t an, uint16_t ns) {
  PutU16(out, q.id);
  // QR, opcode, AA, TC, RD | RA, rcode.
  out->push_back(static_cast<char>(0x80 | (q.opcode << 3) | 0x04 |
                                   (tc ? 0x02 : 0) | (q.rd ? 0x01 : 0)));
  out->push_back(static_cast<char>(0x80 | rcode));
  PutU16(out, qd);
  PutU16(out, an);
  PutU16(out, ns);
  PutU16(out, 0);
}

void PutAddressRecord(std::string* out, uint16_t qtype, uint32_t ttl,
                      const net::IpAddress& address) {
  PutU16(out, 0xc000 | kHeaderSize);  // Pointer to the question's name.
  PutU16(out, qtype);
  PutU16(out, kClassIn);
  PutU32(out, ttl);
  PutU16(out, static_cast<uint16_t>(address.size()));
  out->append(reinterpret_cast<const char*>(address.bytes().data()),
              address.size());
}

// An SOA for the negative answer, owned by the parent of the question's
// name (a pointer into the question), as if that were the zone apex.
void PutSoaRecord(std::string* out, const Query& q) {
  const bool has_parent =
      q.first_label_len > 0 && q.question[1 + q.first_label_len] != '\0';
  if (has_parent) {
    PutU16(out, static_cast<uint16_t>(0xc000 |
                                      (kHeaderSize + 1 + q.first_label_len)));
  } else {
    out->push_back('\0');
  }
  PutU16(out, kTypeSoa);
  PutU16(out, kClassIn);
  PutU32(out, 60);
  std::string rdata = WireName("ns.invalid") + WireName("hostmaster.invalid");
  for (uint32_t v : {1u, 3600u, 600u, 86400u, 60u}) PutU32(&rdata, v);
  PutU16(out, static_cast<uint16_t>(rdata.size()));
  out->append(rdata);
}

}  // namespace

std::string NormalizeName(absl::string_view name) {
  if (name != ".") absl::ConsumeSuffix(&name, ".");
  return absl::AsciiStrToLower(name.empty() ? "." : name);
}

void PutU16(std::string* out, uint16_t v) {
  out->push_back(static_cast<char>(v >> 8));
  out->push_back(static_cast<char>(v & 0xff));
}

uint16_t GetU16(const std::string& in, size_t pos) {
  return static_cast<uint16_t>((static_cast<uint8_t>(in[pos]) << 8) |
                               static_cast<uint8_t>(in[pos + 1]));
}

Parse ParseQuery(const std::string& in, Query* q) {
  if (in.size() < kHeaderSize) return Parse::kDrop;
  const uint8_t flags = static_cast<uint8_t>(in[2]);
  if (flags & 0x80) return Parse::kDrop;  // A response, not a query.
  q->id = GetU16(in, 0);
  q->opcode = (flags >> 3) & 0x0f;
  q->rd = flags & 0x01;
  if (q->opcode != 0) return Parse::kNotImp;
  if (GetU16(in, 4) != 1) return Parse::kFormErr;
  size_t pos = kHeaderSize;
  std::string dotted;
  while (true) {
    if (pos >= in.size()) return Parse::kFormErr;
    const uint8_t len = static_cast<uint8_t>(in[pos]);
    if (len == 0) break;
    // Queries carry one name, so no compression pointers (0xc0) here.
    if (len > 63 || pos + 1 + len > in.size()) return Parse::kFormErr;
    if (dotted.empty()) q->first_label_len = len;
    if (!dotted.empty()) dotted.push_back('.');
    dotted.append(in, pos + 1, len);
    pos += 1 + len;
    if (dotted.size() > 253) return Parse::kFormErr;
  }
  ++pos;  // The root label.
  if (pos + 4 > in.size()) return Parse::kFormErr;
  q->qtype = GetU16(in, pos);
  q->question = in.substr(kHeaderSize, pos + 4 - kHeaderSize);
  q->name = NormalizeName(dotted);
  return Parse::kOk;
}

// Header-only reply to a query whose question could not be used.
std::string HeaderOnlyReply(const Query& q, uint8_t rcode) {
  std::string out;
  PutHeader(&out, q, false, rcode, 0, 0, 0);
  return out;
}

std::vector<net::IpAddress> OfQueriedFamily(const ScriptedReply& reply,
                                            uint16_t qtype) {
  std::vector<net::IpAddress> out;
  for (const net::IpAddress& a : reply.addresses) {
    if ((qtype == kDnsTypeA && a.is_v4()) ||
        (qtype == kDnsTypeAAAA && a.is_v6())) {
      out.push_back(a);
    }
  }
  return out;
}

std::string EncodeReply(const Query& q, const ScriptedReply& reply,
                        DnsTransport transport) {
  using Kind = ScriptedReply::Kind;
  std::string out;
  switch (reply.kind) {
    case Kind::kServFail:
    case Kind::kRefused:
      PutHeader(&out, q, false,
                reply.kind == Kind::kServFail ? kRcodeServFail : kRcodeRefused,
                1, 0, 0);
      out += q.question;
      return out;
    case Kind::kTruncated:
      if (transport == DnsTransport::kUdp) {
        PutHeader(&out, q, true, kRcodeNoError, 1, 0, 0);
        out += q.question;
        return out;
      }
      break;
    default:
      break;
  }
  std::vector<net::IpAddress> records = OfQueriedFamily(reply, q.qtype);
  if (reply.kind == Kind::kNoData || reply.kind == Kind::kNxDomain) {
    records.clear();
  }
  const uint8_t rcode =
      reply.kind == Kind::kNxDomain ? kRcodeNxDomain : kRcodeNoError;
  PutHeader(&out, q, false, rcode, 1, static_cast<uint16_t>(records.size()),
            records.empty() ? 1 : 0);
  out += q.question;
  for (const net::IpAddress& a : records) {
    PutAddressRecord(&out, q.qtype, reply.ttl, a);
  }
  if (records.empty()) PutSoaRecord(&out, q);
  if (transport == DnsTransport::kUdp && out.size() > kMaxUdpReply) {
    out.clear();
    PutHeader(&out, q, true, rcode, 1, 0, 0);
    out += q.question;
  }
  return out;
}

}  // namespace v6scope::probe::dns::testing::wire
