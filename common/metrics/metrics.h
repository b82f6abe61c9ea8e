// Metrics in the Prometheus text exposition format (version 0.0.4).
//
// A Registry owns named families of counters and gauges, optionally with
// labels; values are updated lock-free (atomics) on hot paths, and
// Render() produces the text a Prometheus server scrapes from /metrics.
// Gauges may also be read from a callback at scrape time (queue lengths,
// spool size). Families live as long as the registry; returned pointers
// stay valid. Thread-safe.
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

namespace v6scope::metrics {

// A value that only goes up (or a gauge that goes both ways).
class Value {
 public:
  void Add(double v);
  void Set(double v) { bits_.store(v); }
  double Get() const { return bits_.load(); }

 private:
  std::atomic<double> bits_{0};
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
  Family(std::string name, std::string help, std::string type,
         std::vector<std::string> labels)
      : name_(std::move(name)),
        help_(std::move(help)),
        type_(std::move(type)),
        labels_(std::move(labels)) {}
  void Render(std::string* out) const;

  const std::string name_, help_, type_;
  const std::vector<std::string> labels_;
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

  std::string Render() const;

 private:
  Family* Add(absl::string_view name, absl::string_view help,
              absl::string_view type, std::vector<std::string> labels);

  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<Family>> families_ ABSL_GUARDED_BY(mu_);
  struct Callback {
    std::string name, help;
    std::function<double()> read;
  };
  std::vector<Callback> callbacks_ ABSL_GUARDED_BY(mu_);
};

}  // namespace v6scope::metrics

#endif  // V6SCOPE_COMMON_METRICS_METRICS_H_
