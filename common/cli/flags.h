// Command-line handling shared by every v6scope binary.
//
// --help / -h prints the usage text and this program's own flags (not
// abseil's built-ins, each default shown once) to stdout and exits 0.
// --version prints "<program> <version>" (common/version.h) and exits 0.
// A bad flag or flag value prints one line "<program>: <reason>" to stderr
// and exits 2.
#ifndef V6SCOPE_COMMON_CLI_FLAGS_H_
#define V6SCOPE_COMMON_CLI_FLAGS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace v6scope::cli {

// Parses argv into the ABSL_FLAGs; returns the positional arguments
// (without argv[0]). `usage` is the text shown first by --help.
std::vector<std::string> ParseFlagsOrExit(int argc, char** argv,
                                          absl::string_view usage);

// Prints "<program>: <reason>" to stderr and exits with `code`.
[[noreturn]] void Die(absl::string_view reason, int code = 2);

// "<program> <version>", e.g. "v6scope-probe 0.1.0".
std::string ProgramVersion();

// The help text: usage, then every flag defined outside abseil itself.
std::string HelpText(absl::string_view usage);

}  // namespace v6scope::cli

#endif  // V6SCOPE_COMMON_CLI_FLAGS_H_
