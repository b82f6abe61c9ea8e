// Deprecated flag names kept as aliases: the CLI's flags are the HTTP
// API's parameter names (--group_by, --probe_id); the old names (--by,
// --probe) still work and say, once, which name replaces them.
#ifndef V6SCOPE_CLI_FLAG_ALIAS_H_
#define V6SCOPE_CLI_FLAG_ALIAS_H_

#include <ostream>
#include <string>

#include "absl/strings/string_view.h"

namespace v6scope::cli {

// `value` of --`name` when set; else `alias_value` of the deprecated
// --`alias`, writing one line to `err` the first time it is used:
// "v6scope: --by is deprecated, use --group_by".
std::string FlagOrAlias(absl::string_view name, const std::string& value,
                        absl::string_view alias, const std::string& alias_value,
                        std::ostream& err);

}  // namespace v6scope::cli

#endif  // V6SCOPE_CLI_FLAG_ALIAS_H_
