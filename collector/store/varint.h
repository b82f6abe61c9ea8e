// Unsigned LEB128 varints (protobuf's encoding) for the stores' own small
// binary formats: the readiness rollups' count blobs and the stored
// check's header.
#ifndef V6SCOPE_COLLECTOR_STORE_VARINT_H_
#define V6SCOPE_COLLECTOR_STORE_VARINT_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace v6scope::collector::store {

// Appends `v` to `*out`.
void PutVarint(uint64_t v, std::string* out);

// The varint at the front of `*in`, consumed; false when it is cut off or
// longer than a uint64_t.
bool GetVarint(absl::string_view* in, uint64_t* v);

}  // namespace v6scope::collector::store

#endif  // V6SCOPE_COLLECTOR_STORE_VARINT_H_
