#include "collector/service/upload_streams.h"

#include "absl/strings/str_cat.h"

namespace v6scope::collector::service {

UploadStreams::UploadStreams(UploadStreamLimits limits) : limits_(limits) {}

absl::Status UploadStreams::Acquire(const std::string& probe_id,
                                    TrackedStream* stream) {
  absl::MutexLock lock(&mu_);
  if (probe_of_.contains(stream)) return absl::OkStatus();
  const uint32_t mine =
      per_probe_.contains(probe_id) ? per_probe_[probe_id] : 0;
  if (mine >= limits_.per_probe) {
    return absl::ResourceExhaustedError(
        absl::StrCat("probe ", probe_id, " already has ", mine,
                     " upload streams open (the limit); retry in ",
                     limits_.retry_seconds, "s"));
  }
  if (probe_of_.size() >= limits_.total) {
    return absl::ResourceExhaustedError(
        absl::StrCat("the collector has ", probe_of_.size(),
                     " upload streams open (its limit); retry in ",
                     limits_.retry_seconds, "s"));
  }
  probe_of_.emplace(stream, probe_id);
  ++per_probe_[probe_id];
  return absl::OkStatus();
}

void UploadStreams::Release(TrackedStream* stream) {
  absl::MutexLock lock(&mu_);
  auto it = probe_of_.find(stream);
  if (it == probe_of_.end()) return;
  auto count = per_probe_.find(it->second);
  if (count != per_probe_.end() && --count->second == 0) {
    per_probe_.erase(count);
  }
  probe_of_.erase(it);
}

int UploadStreams::EndIdle(absl::Time now) {
  const absl::Time cutoff = now - limits_.idle_timeout;
  std::vector<TrackedStream*> claimed;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [stream, probe] : probe_of_) {
      if (stream->ClaimIfIdleSince(cutoff)) claimed.push_back(stream);
    }
  }
  // A claimed stream cannot end (and be deleted) before EndClaimed: only
  // that call finishes it. Ending releases its slot.
  for (TrackedStream* stream : claimed) stream->EndClaimed();
  return static_cast<int>(claimed.size());
}

size_t UploadStreams::active() const {
  absl::MutexLock lock(&mu_);
  return probe_of_.size();
}

size_t UploadStreams::active_for(const std::string& probe_id) const {
  absl::MutexLock lock(&mu_);
  auto it = per_probe_.find(probe_id);
  return it == per_probe_.end() ? 0 : it->second;
}

}  // namespace v6scope::collector::service
