// One message of a catalogue: an ICU MessageFormat pattern with named
// arguments ("{country}", "{n, plural, one {# probe} other {# probes}}"),
// checked and compiled for its language.
//
// A pattern is refused when ICU cannot parse it, when it uses numbered
// arguments ("{0}": a translator cannot tell what they mean), or when a
// plural (or selectordinal) argument has a selector that is not a plural
// category of the language, or lacks one of the language's categories
// (Russian needs one/few/many/other, Arabic zero/one/two/few/many/other):
// ICU would otherwise fall back to "other" and print "21 зондов".
#ifndef V6SCOPE_COMMON_I18N_MESSAGE_H_
#define V6SCOPE_COMMON_I18N_MESSAGE_H_

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/i18n/locale.h"

namespace v6scope::i18n {

// The value of one argument: text (already formatted, e.g. a percentage
// from Formatter), an integer or a floating-point number (formatted by
// ICU for the language: "{n, number}", or the '#' of a plural).
class ArgValue {
 public:
  enum class Kind { kText, kInteger, kDouble };

  ArgValue(absl::string_view text) : kind_(Kind::kText), text_(text) {}
  ArgValue(const char* text) : ArgValue(absl::string_view(text)) {}
  ArgValue(const std::string& text) : ArgValue(absl::string_view(text)) {}
  template <typename T,
            std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>,
                             int> = 0>
  ArgValue(T n) : kind_(Kind::kInteger), integer_(static_cast<int64_t>(n)) {}
  ArgValue(double x) : kind_(Kind::kDouble), double_(x) {}

  Kind kind() const { return kind_; }
  const std::string& text() const { return text_; }
  int64_t integer() const { return integer_; }
  double floating() const { return double_; }

 private:
  Kind kind_;
  std::string text_;
  int64_t integer_ = 0;
  double double_ = 0;
};

struct Arg {
  std::string name;
  ArgValue value;
};
using Args = std::vector<Arg>;

class Message {
 public:
  // INVALID_ARGUMENT saying what is wrong (and where, as "at character
  // N" of the pattern, when ICU says).
  static absl::StatusOr<Message> Compile(Lang lang, absl::string_view pattern);

  // Every argument name the pattern uses, at any depth.
  const std::set<std::string>& arguments() const;
  const std::string& pattern() const;

  // The message with `args`. Arguments the pattern does not use are
  // ignored; one it uses but is not given stays as "{name}" (ICU's
  // behaviour: visible, never a crash). Thread-safe.
  std::string Format(const Args& args) const;

 private:
  struct Compiled;
  explicit Message(std::shared_ptr<const Compiled> compiled);
  std::shared_ptr<const Compiled> compiled_;  // shared: Message copies cheaply
};

}  // namespace v6scope::i18n

#endif  // V6SCOPE_COMMON_I18N_MESSAGE_H_
