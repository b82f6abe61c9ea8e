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
#include "common/version.h"

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

// A flag's default as --help shows it: once, and only when it says
// something. A help text that states its own default ("(default 3, or the
// config's min_probes)") knows better than the flag's zero placeholder.
std::string DefaultNote(const absl::CommandLineFlag& flag) {
  const std::string help = flag.Help();
  const std::string value = flag.DefaultValue();
  if (absl::StrContains(help, "default") || value.empty()) return "";
  return absl::StrCat(" (default: ", value, ")");
}

// A flag's value given on the command line, as `--name=value` or
// `--name value`; nullptr for a boolean without '=' or an unknown flag.
// Sets *next when the value is the next argument.
absl::CommandLineFlag* ValuedFlag(absl::string_view arg,
                                  absl::string_view* value, bool* next) {
  if (!absl::StartsWith(arg, "-") || arg == "-" || arg == "--") return nullptr;
  absl::string_view name = arg.substr(arg[1] == '-' ? 2 : 1);
  const size_t eq = name.find('=');
  absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name.substr(0, eq));
  if (flag == nullptr) return nullptr;
  *next = eq == absl::string_view::npos;
  if (*next && flag->IsOfType<bool>()) return nullptr;
  if (!*next) *value = name.substr(eq + 1);
  return flag;
}

// Abseil exits 1 with several lines on a bad flag value; a bad value is a
// usage error (exit 2, one line), as docs/cli.md says. Each value is
// parsed into its flag here first; abseil sets the same value again.
void CheckFlagValues(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg == "--") break;
    absl::string_view value;
    bool next = false;
    absl::CommandLineFlag* flag = ValuedFlag(arg, &value, &next);
    if (flag == nullptr) continue;
    if (next) {
      if (i + 1 >= argc) Die(absl::StrCat("flag '", arg, "' needs a value"));
      value = argv[++i];
    }
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      Die(absl::StrCat("--", flag->Name(), ": ", error));
    }
  }
}

}  // namespace

std::string ProgramVersion() {
  return absl::StrCat(ProgramName(), " ", kVersion);
}

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
    absl::StrAppend(&out, "  --", name, "  ", flag->Help(), DefaultNote(*flag),
                    "\n");
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
    if (arg == "--version" || arg == "-version") {
      std::cout << ProgramVersion() << "\n";
      std::exit(0);
    }
    // Abseil would print its own multi-line advice; say it in one line.
    if (IsUnknownFlag(arg)) {
      Die(absl::StrCat("unknown flag '", arg, "' (see --help)"));
    }
  }
  CheckFlagValues(argc, argv);
  absl::SetProgramUsageMessage(usage);
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  return std::vector<std::string>(positional.begin() + 1, positional.end());
}

}  // namespace v6scope::cli
