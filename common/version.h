// The v6scope release version, shown by --help output, logs and results.
#ifndef V6SCOPE_COMMON_VERSION_H_
#define V6SCOPE_COMMON_VERSION_H_

namespace v6scope {

inline constexpr char kVersion[] = "0.1.0";

}  // namespace v6scope

#endif  // V6SCOPE_COMMON_VERSION_H_
