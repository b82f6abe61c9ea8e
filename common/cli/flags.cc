#include "common/cli/flags.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace v6scope::cli {
namespace {

std::string& ProgramName() {
  static std::string* name = new std::string("v6scope");
  return *name;
}

bool IsHelpArg(absl::string_view arg) {
  return arg == "--help" || arg == "-help" || arg == "-h" || arg == "--h";
}

// Abseil's own flags, defined in the shared library (their Filename()
// depends on how Debian built it, so match by name).
bool IsAbseilBuiltin(absl::string_view name) {
  return name == "flagfile" || name == "fromenv" || name == "tryfromenv" ||
         name == "undefok";
}

bool IsUnknownFlag(absl::string_view arg) {
  if (!absl::StartsWith(arg, "-") || arg == "-" || arg == "--") return false;
  absl::string_view name = arg.substr(arg[1] == '-' ? 2 : 1);
  name = name.substr(0, name.find('='));
  if (absl::FindCommandLineFlag(name) != nullptr) return false;
  // --nofoo is how abseil negates a boolean flag.
  if (absl::StartsWith(name, "no")) {
    const absl::CommandLineFlag* f = absl::FindCommandLineFlag(name.substr(2));
    if (f != nullptr && f->IsOfType<bool>()) return false;
  }
  return true;
}

}  // namespace

void Die(absl::string_view reason, int code) {
  std::cerr << ProgramName() << ": " << reason << std::endl;
  std::exit(code);
}

std::string HelpText(absl::string_view usage) {
  std::string out = absl::StrCat(usage, "\n\nFlags:\n");
  std::map<std::string, const absl::CommandLineFlag*> sorted;
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    if (IsAbseilBuiltin(name)) continue;
    sorted.emplace(std::string(name), flag);
  }
  for (const auto& [name, flag] : sorted) {
    absl::StrAppend(&out, "  --", name, "  ", flag->Help(),
                    " (default: ", flag->DefaultValue(), ")\n");
  }
  return out;
}

std::vector<std::string> ParseFlagsOrExit(int argc, char** argv,
                                          absl::string_view usage) {
  if (argc > 0) {
    absl::string_view arg0 = argv[0];
    ProgramName() = std::string(arg0.substr(arg0.rfind('/') + 1));
  }
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg == "--") break;
    if (IsHelpArg(arg)) {
      std::cout << HelpText(usage);
      std::exit(0);
    }
    // Abseil would print its own multi-line advice; say it in one line.
    if (IsUnknownFlag(arg)) {
      Die(absl::StrCat("unknown flag '", arg, "' (see --help)"));
    }
  }
  absl::SetProgramUsageMessage(usage);
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  return std::vector<std::string>(positional.begin() + 1, positional.end());
}

}  // namespace v6scope::cli
