// AS names: the list Geoff Huston publishes at bgp.potaroo.net
// (asnames.txt, as mirrored e.g. by codeout/inet-resources as asn.txt).
//
// Format, one ASN per line:
//   13335<TAB>CLOUDFLARENET, US
//   0<TAB>-Reserved AS-, ZZ
// i.e. ASN, TAB, the name (the RIR handle, often followed by " - " and the
// organisation, and which may itself contain ", "), then ", " and the
// registration country. A line without a ", CC" ending keeps the whole text
// as the name with no country; "ASN<TAB>, CC" (a handful of lines in the
// real list) gives an empty name with a country.
//
// Thread-safety: immutable once parsed; concurrent lookups need no locks.
#ifndef V6SCOPE_COLLECTOR_ENRICH_AS_NAMES_H_
#define V6SCOPE_COLLECTOR_ENRICH_AS_NAMES_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "collector/enrich/data_file.h"

namespace v6scope::collector::enrich {

class AsNames {
 public:
  struct Entry {
    // Views into this AsNames: valid while it lives.
    absl::string_view name;
    absl::string_view cc;  // "" if the line gave none; "ZZ" as written.
  };

  AsNames() = default;

  // Parses a whole file. Malformed lines (no TAB, bad ASN, neither name
  // nor country) go
  // to `bad`; blank lines and '#' comments are skipped. If an ASN appears
  // twice the later line wins.
  static AsNames Parse(absl::string_view contents, MalformedLines* bad);

  std::optional<Entry> Lookup(uint32_t asn) const;
  size_t size() const { return rows_.size(); }

 private:
  struct Row {
    uint32_t offset;  // Into text_: the name, then the cc.
    uint16_t name_size;
    uint8_t cc_size;
  };

  // A hash map rather than a sorted array: one or two cache misses per
  // lookup instead of ~17 for a binary search over 120,000 ASNs.
  absl::flat_hash_map<uint32_t, Row> rows_;
  std::string text_;
};

}  // namespace v6scope::collector::enrich

#endif  // V6SCOPE_COLLECTOR_ENRICH_AS_NAMES_H_
