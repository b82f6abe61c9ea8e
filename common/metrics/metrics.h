// Metrics in the Prometheus text exposition format (version 0.0.4).
//
// A Registry owns named families of counters and gauges, optionally with
// labels; values are updated lock-free (atomics) on hot paths, and
// Render() produces the text a Prometheus server scrapes from /metrics.
// Families may also be read from a callback at scrape time (queue lengths,
// spool size, the probes' last runs). Families live as long as the
// registry; returned pointers stay valid. Thread-safe.
//
// Values are printed at full precision (format.h): integers exactly, other
// values as the shortest decimal that reads back as the same double, so a
// timestamp keeps its milliseconds and a counter past 999,999 its units.
//
// The names follow Prometheus' conventions, checked at registration (a
// violation is a programming error and aborts, so that `promtool check
// metrics` never sees it): counters end in `_total`, nothing else does;
// names match [a-zA-Z_:][a-zA-Z0-9_:]* and label names
// [a-zA-Z_][a-zA-Z0-9_]*. Registering the same name again with the same
// type and labels returns the family already there.
#ifndef V6SCOPE_COMMON_METRICS_METRICS_H_
#define V6SCOPE_COMMON_METRICS_METRICS_H_

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace v6scope::metrics {

// A value that only goes up (or a gauge that goes both ways).
class Value {
 public:
  void Add(double v);
  void Set(double v) { bits_.store(v); }
  // A point in time as Unix seconds with millisecond precision (finer
  // digits are noise to a scraper and only lengthen the text).
  void SetTime(absl::Time t);
  double Get() const { return bits_.load(); }

 private:
  std::atomic<double> bits_{0};
};

// One sample of a family read by a callback: its label values (one per
// label name of the family) and its value.
struct Sample {
  std::vector<std::string> label_values;
  double value = 0;
};

class Family {
 public:
  // The value for these label values (one per label name), created on
  // first use. Label values come from a small known set (outcomes, reasons).
  Value* With(const std::vector<std::string>& label_values);
  // The value of a family without labels.
  Value* Get() { return With({}); }

 private:
  friend class Registry;
  using Reader = std::function<std::vector<Sample>()>;
  Family(std::string name, std::string help, std::string type,
         std::vector<std::string> labels, Reader read)
      : name_(std::move(name)),
        help_(std::move(help)),
        type_(std::move(type)),
        labels_(std::move(labels)),
        read_(std::move(read)) {}
  void Render(std::string* out) const;
  void RenderSample(const std::vector<std::string>& label_values, double value,
                    std::string* out) const;

  const std::string name_, help_, type_;
  const std::vector<std::string> labels_;
  // Set for families read at scrape time; values_ is then unused.
  const Reader read_;
  mutable absl::Mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<Value>> values_
      ABSL_GUARDED_BY(mu_);
};

class Registry {
 public:
  Family* Counter(absl::string_view name, absl::string_view help,
                  std::vector<std::string> labels = {});
  Family* Gauge(absl::string_view name, absl::string_view help,
                std::vector<std::string> labels = {});
  // A gauge whose value is read from `read` at every scrape.
  void GaugeFunction(absl::string_view name, absl::string_view help,
                     std::function<double()> read);
  // A counter whose value is read from `read` at every scrape (a count
  // kept elsewhere, e.g. the spool's dropped records).
  void CounterFunction(absl::string_view name, absl::string_view help,
                       std::function<double()> read);
  // A labelled gauge whose samples are all read from `read` at every
  // scrape; a series absent from one answer disappears from /metrics.
  void GaugeFamilyFunction(absl::string_view name, absl::string_view help,
                           std::vector<std::string> labels,
                           std::function<std::vector<Sample>()> read);

  std::string Render() const;

 private:
  Family* Add(absl::string_view name, absl::string_view help,
              absl::string_view type, std::vector<std::string> labels,
              Family::Reader read);

  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<Family>> families_ ABSL_GUARDED_BY(mu_);
};

}  // namespace v6scope::metrics

#endif  // V6SCOPE_COMMON_METRICS_METRICS_H_
