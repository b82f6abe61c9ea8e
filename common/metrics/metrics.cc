#include "common/metrics/metrics.h"

#include "absl/strings/str_cat.h"

namespace v6scope::metrics {
namespace {

// Label values escape backslash, quote and newline (exposition format).
std::string Escape(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string Number(double v) { return absl::StrCat(v); }

}  // namespace

void Value::Add(double v) {
  double old = bits_.load();
  while (!bits_.compare_exchange_weak(old, old + v)) {
  }
}

Value* Family::With(const std::vector<std::string>& label_values) {
  absl::MutexLock lock(&mu_);
  std::unique_ptr<Value>& v = values_[label_values];
  if (v == nullptr) v = std::make_unique<Value>();
  return v.get();
}

void Family::Render(std::string* out) const {
  absl::StrAppend(out, "# HELP ", name_, " ", help_, "\n# TYPE ", name_, " ",
                  type_, "\n");
  absl::MutexLock lock(&mu_);
  if (values_.empty() && labels_.empty()) {
    absl::StrAppend(out, name_, " 0\n");
    return;
  }
  for (const auto& [labels, value] : values_) {
    std::string l;
    for (size_t i = 0; i < labels_.size() && i < labels.size(); ++i) {
      absl::StrAppend(&l, i == 0 ? "{" : ",", labels_[i], "=\"",
                      Escape(labels[i]), "\"");
    }
    if (!l.empty()) l += "}";
    absl::StrAppend(out, name_, l, " ", Number(value->Get()), "\n");
  }
}

Family* Registry::Add(absl::string_view name, absl::string_view help,
                      absl::string_view type, std::vector<std::string> labels) {
  absl::MutexLock lock(&mu_);
  families_.push_back(std::unique_ptr<Family>(
      new Family(std::string(name), std::string(help), std::string(type),
                 std::move(labels))));
  return families_.back().get();
}

Family* Registry::Counter(absl::string_view name, absl::string_view help,
                          std::vector<std::string> labels) {
  return Add(name, help, "counter", std::move(labels));
}

Family* Registry::Gauge(absl::string_view name, absl::string_view help,
                        std::vector<std::string> labels) {
  return Add(name, help, "gauge", std::move(labels));
}

void Registry::GaugeFunction(absl::string_view name, absl::string_view help,
                             std::function<double()> read) {
  absl::MutexLock lock(&mu_);
  callbacks_.push_back(
      Callback{std::string(name), std::string(help), std::move(read)});
}

std::string Registry::Render() const {
  std::string out;
  absl::MutexLock lock(&mu_);
  for (const auto& f : families_) f->Render(&out);
  for (const Callback& c : callbacks_) {
    absl::StrAppend(&out, "# HELP ", c.name, " ", c.help, "\n# TYPE ", c.name,
                    " gauge\n", c.name, " ", Number(c.read()), "\n");
  }
  return out;
}

}  // namespace v6scope::metrics
