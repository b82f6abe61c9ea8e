#include "common/metrics/metrics.h"

#include <utility>

#include "absl/base/internal/raw_logging.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/metrics/exposition.h"

namespace v6scope::metrics {
namespace {

// A name or type that breaks Prometheus' conventions is a programming
// error: caught when the daemon starts (and by its tests), never served.
void CheckFamily(absl::string_view name, absl::string_view type,
                 const std::vector<std::string>& labels) {
  if (!IsValidMetricName(name)) {
    ABSL_RAW_LOG(FATAL, "metrics: invalid metric name '%s'",
                 std::string(name).c_str());
  }
  const bool total = absl::EndsWith(name, "_total");
  if (type == "counter" && !total) {
    ABSL_RAW_LOG(FATAL, "metrics: counter '%s' must end in _total",
                 std::string(name).c_str());
  }
  if (type != "counter" && total) {
    ABSL_RAW_LOG(FATAL, "metrics: %s '%s' must not end in _total",
                 std::string(type).c_str(), std::string(name).c_str());
  }
  for (const std::string& label : labels) {
    if (!IsValidLabelName(label)) {
      ABSL_RAW_LOG(FATAL, "metrics: invalid label name '%s' of '%s'",
                   label.c_str(), std::string(name).c_str());
    }
  }
}

}  // namespace

void Value::Add(double v) {
  double old = bits_.load();
  while (!bits_.compare_exchange_weak(old, old + v)) {
  }
}

void Value::SetTime(absl::Time t) {
  Set(static_cast<double>(absl::ToUnixMillis(t)) / 1000.0);
}

Value* Family::With(const std::vector<std::string>& label_values) {
  absl::MutexLock lock(&mu_);
  std::unique_ptr<Value>& v = values_[label_values];
  if (v == nullptr) v = std::make_unique<Value>();
  return v.get();
}

void Family::RenderSample(const std::vector<std::string>& label_values,
                          double value, std::string* out) const {
  std::string l;
  for (size_t i = 0; i < labels_.size() && i < label_values.size(); ++i) {
    absl::StrAppend(&l, i == 0 ? "{" : ",", labels_[i], "=\"",
                    EscapeLabelValue(label_values[i]), "\"");
  }
  if (!l.empty()) l += "}";
  absl::StrAppend(out, name_, l, " ", FormatValue(value), "\n");
}

void Family::Render(std::string* out) const {
  absl::StrAppend(out, "# HELP ", name_, " ", EscapeHelp(help_), "\n# TYPE ",
                  name_, " ", type_, "\n");
  if (read_) {
    for (const Sample& s : read_()) RenderSample(s.label_values, s.value, out);
    return;
  }
  absl::MutexLock lock(&mu_);
  // An unlabelled family is always present, 0 until first set: an alert
  // on it works from the first scrape.
  if (values_.empty() && labels_.empty()) {
    RenderSample({}, 0, out);
    return;
  }
  for (const auto& [labels, value] : values_) {
    RenderSample(labels, value->Get(), out);
  }
}

Family* Registry::Add(absl::string_view name, absl::string_view help,
                      absl::string_view type, std::vector<std::string> labels,
                      Family::Reader read) {
  CheckFamily(name, type, labels);
  absl::MutexLock lock(&mu_);
  for (std::unique_ptr<Family>& f : families_) {
    if (f->name_ != name) continue;
    // Twice the same family (two components registering what they share):
    // one family. Anything else would print the name twice, which the
    // format forbids.
    if (f->type_ != type || f->labels_ != labels || read || f->read_) {
      ABSL_RAW_LOG(FATAL, "metrics: '%s' registered twice, differently",
                   std::string(name).c_str());
    }
    return f.get();
  }
  families_.push_back(std::unique_ptr<Family>(
      new Family(std::string(name), std::string(help), std::string(type),
                 std::move(labels), std::move(read))));
  return families_.back().get();
}

Family* Registry::Counter(absl::string_view name, absl::string_view help,
                          std::vector<std::string> labels) {
  return Add(name, help, "counter", std::move(labels), nullptr);
}

Family* Registry::Gauge(absl::string_view name, absl::string_view help,
                        std::vector<std::string> labels) {
  return Add(name, help, "gauge", std::move(labels), nullptr);
}

void Registry::GaugeFunction(absl::string_view name, absl::string_view help,
                             std::function<double()> read) {
  GaugeFamilyFunction(name, help, {}, [read = std::move(read)] {
    return std::vector<Sample>{{{}, read()}};
  });
}

void Registry::CounterFunction(absl::string_view name, absl::string_view help,
                               std::function<double()> read) {
  Add(name, help, "counter", {}, [read = std::move(read)] {
    return std::vector<Sample>{{{}, read()}};
  });
}

void Registry::GaugeFamilyFunction(absl::string_view name,
                                   absl::string_view help,
                                   std::vector<std::string> labels,
                                   std::function<std::vector<Sample>()> read) {
  Add(name, help, "gauge", std::move(labels), std::move(read));
}

std::string Registry::Render() const {
  std::string out;
  absl::MutexLock lock(&mu_);
  for (const auto& f : families_) f->Render(&out);
  return out;
}

}  // namespace v6scope::metrics
