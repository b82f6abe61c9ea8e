#include "cli/flag_alias.h"

#include <set>

#include "absl/synchronization/mutex.h"

namespace v6scope::cli {

std::string FlagOrAlias(absl::string_view name, const std::string& value,
                        absl::string_view alias, const std::string& alias_value,
                        std::ostream& err) {
  if (alias_value.empty()) return value;
  // Several commands read the same flag: warn once per alias.
  static absl::Mutex mu(absl::kConstInit);
  static std::set<std::string>* warned = new std::set<std::string>();
  {
    absl::MutexLock lock(&mu);
    if (warned->insert(std::string(alias)).second) {
      err << "v6scope: --" << alias << " is deprecated, use --" << name
          << std::endl;
    }
  }
  return value.empty() ? alias_value : value;
}

}  // namespace v6scope::cli
