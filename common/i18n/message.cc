#include "common/i18n/message.h"

#include <unicode/locid.h>
#include <unicode/messagepattern.h>
#include <unicode/msgfmt.h>
#include <unicode/plurrule.h>
#include <unicode/unistr.h>
#include <unicode/utypes.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"

namespace v6scope::i18n {

struct Message::Compiled {
  std::string pattern;
  std::set<std::string> arguments;
  std::unique_ptr<icu::MessageFormat> format;
  // MessageFormat::format is const but fills lazy caches (its default
  // number format): one caller at a time.
  mutable absl::Mutex mu;
};

namespace {

std::string Utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

absl::Status IcuError(UErrorCode code, const UParseError& where) {
  std::string msg = absl::StrCat("ICU message syntax: ", u_errorName(code));
  // ICU leaves offset 0 when it cannot place the error.
  if (where.offset > 0) {
    absl::StrAppend(&msg, " at character ", where.offset + 1, " (after \"",
                    Utf8(icu::UnicodeString(where.preContext)), "\")");
  }
  return absl::InvalidArgumentError(msg);
}

// The language's plural categories ("one", "few", ...) of `type`.
std::set<std::string> PluralCategories(Lang lang, UPluralType type) {
  std::set<std::string> out;
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::PluralRules> rules(icu::PluralRules::forLocale(
      icu::Locale(std::string(LangTag(lang)).c_str()), type, status));
  if (U_FAILURE(status)) return out;
  std::unique_ptr<icu::StringEnumeration> keywords(rules->getKeywords(status));
  while (U_SUCCESS(status)) {
    const char* k = keywords->next(nullptr, status);
    if (k == nullptr) break;
    out.insert(k);
  }
  return out;
}

// The selectors of the plural argument starting at part `start`, checked
// against the language's categories (explicit "=N" selectors aside).
// Walks the parts the way ICU's PluralFormat does.
absl::Status CheckPluralSelectors(Lang lang, const icu::MessagePattern& mp,
                                  int start) {
  const bool ordinal =
      mp.getPart(start).getArgType() == UMSGPAT_ARG_TYPE_SELECTORDINAL;
  const std::set<std::string> categories = PluralCategories(
      lang, ordinal ? UPLURAL_TYPE_ORDINAL : UPLURAL_TYPE_CARDINAL);
  const std::string name = Utf8(mp.getSubstring(mp.getPart(start + 1)));
  const int limit = mp.getLimitPartIndex(start);
  int i = start + 2;
  if (icu::MessagePattern::Part::hasNumericValue(mp.getPartType(i))) ++i;
  std::set<std::string> seen;
  while (i < limit) {
    const std::string selector = Utf8(mp.getSubstring(mp.getPart(i++)));
    if (icu::MessagePattern::Part::hasNumericValue(mp.getPartType(i))) ++i;
    i = mp.getLimitPartIndex(i) + 1;  // past the sub-message
    if (selector[0] == '=') continue;
    if (categories.count(selector) == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("argument {", name, "}: \"", selector,
                       "\" is not a plural category of ", LangTag(lang), " (",
                       absl::StrJoin(categories, ", "), ")"));
    }
    seen.insert(selector);
  }
  std::vector<std::string> missing;
  for (const std::string& c : categories) {
    if (seen.count(c) == 0) missing.push_back(c);
  }
  if (!missing.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "argument {", name, "}: plural categories of ", LangTag(lang),
        " missing: ", absl::StrJoin(missing, ", ")));
  }
  return absl::OkStatus();
}

// The argument names of a parsed pattern; refuses numbered arguments and
// wrong plural selectors.
absl::StatusOr<std::set<std::string>> Arguments(Lang lang,
                                                const icu::MessagePattern& mp) {
  std::set<std::string> names;
  for (int i = 0; i < mp.countParts(); ++i) {
    const icu::MessagePattern::Part& part = mp.getPart(i);
    if (part.getType() == UMSGPAT_PART_TYPE_ARG_NUMBER) {
      return absl::InvalidArgumentError(
          absl::StrCat("numbered argument {", Utf8(mp.getSubstring(part)),
                       "}: arguments must have names"));
    }
    if (part.getType() == UMSGPAT_PART_TYPE_ARG_NAME) {
      names.insert(Utf8(mp.getSubstring(part)));
    }
    if (part.getType() == UMSGPAT_PART_TYPE_ARG_START &&
        (part.getArgType() == UMSGPAT_ARG_TYPE_PLURAL ||
         part.getArgType() == UMSGPAT_ARG_TYPE_SELECTORDINAL)) {
      if (absl::Status s = CheckPluralSelectors(lang, mp, i); !s.ok()) return s;
    }
  }
  return names;
}

icu::Formattable ToFormattable(const ArgValue& v) {
  switch (v.kind()) {
    case ArgValue::Kind::kInteger:
      return icu::Formattable(static_cast<int64_t>(v.integer()));
    case ArgValue::Kind::kDouble:
      return icu::Formattable(v.floating());
    case ArgValue::Kind::kText:
      break;
  }
  return icu::Formattable(icu::UnicodeString::fromUTF8(v.text()));
}

}  // namespace

Message::Message(std::shared_ptr<const Compiled> compiled)
    : compiled_(std::move(compiled)) {}

absl::StatusOr<Message> Message::Compile(Lang lang, absl::string_view pattern) {
  const icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(pattern.data(), static_cast<int32_t>(pattern.size())));
  UErrorCode status = U_ZERO_ERROR;
  UParseError where{};
  icu::MessagePattern mp(text, &where, status);
  if (U_FAILURE(status)) return IcuError(status, where);
  absl::StatusOr<std::set<std::string>> names = Arguments(lang, mp);
  if (!names.ok()) return names.status();

  auto compiled = std::make_shared<Compiled>();
  compiled->pattern = std::string(pattern);
  compiled->arguments = *std::move(names);
  // MessageFormat checks what MessagePattern leaves open (argument types
  // and styles, e.g. "{n, nmber}").
  compiled->format = std::make_unique<icu::MessageFormat>(
      text, icu::Locale(std::string(LangTag(lang)).c_str()), where, status);
  if (U_FAILURE(status)) return IcuError(status, where);
  return Message(std::move(compiled));
}

const std::set<std::string>& Message::arguments() const {
  return compiled_->arguments;
}

const std::string& Message::pattern() const { return compiled_->pattern; }

std::string Message::Format(const Args& args) const {
  std::vector<icu::UnicodeString> names;
  std::vector<icu::Formattable> values;
  names.reserve(args.size());
  values.reserve(args.size());
  for (const Arg& a : args) {
    names.push_back(icu::UnicodeString::fromUTF8(a.name));
    values.push_back(ToFormattable(a.value));
  }
  icu::UnicodeString out;
  UErrorCode status = U_ZERO_ERROR;
  {
    absl::MutexLock lock(&compiled_->mu);
    compiled_->format->format(names.data(), values.data(),
                              static_cast<int32_t>(names.size()), out, status);
  }
  // Only an argument of the wrong type fails (text where the pattern
  // wants a number): the pattern itself is then more use than nothing.
  if (U_FAILURE(status)) return compiled_->pattern;
  return Utf8(out);
}

}  // namespace v6scope::i18n
