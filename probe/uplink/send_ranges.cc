#include "probe/uplink/send_ranges.h"

#include "absl/strings/str_cat.h"
#include "common/log/log.h"

namespace v6scope::probe::uplink {

absl::Status SendContiguous(const RangeSender& sender, size_t count) {
  size_t begin = 0;
  for (size_t i = 1; i <= count; ++i) {
    const bool gap = i == count || sender.seq(i) != sender.seq(i - 1) + 1;
    if (!gap) continue;
    absl::Status s = SendRefusing(sender, begin, i);
    if (!s.ok()) return s;
    begin = i;
  }
  return absl::OkStatus();
}

absl::Status SendRefusing(const RangeSender& sender, size_t begin, size_t end) {
  bool singly = false;  // Narrowing down a refusal that named no record.
  while (begin < end) {
    const size_t stop = singly ? begin + 1 : end;
    absl::Status s = sender.send(begin, stop);
    if (s.ok()) {
      begin = stop;
      continue;
    }
    SendFailure failure = sender.read(s);
    if (!failure.stop.ok()) return failure.stop;
    // An index past the batch is no name at all.
    if (failure.blamed.has_value() && *failure.blamed >= stop - begin) {
      failure.blamed = std::nullopt;
    }
    if (!failure.blamed.has_value() && stop - begin > 1) {
      log::Warn(
          sender.unnamed_event,
          {{"seq", absl::StrCat(sender.seq(begin), "..", sender.seq(stop - 1))},
           {"reason", s.message()}});
      singly = true;
      continue;
    }
    const size_t bad = begin + failure.blamed.value_or(0);
    // The records before it first, so that it is the spool's oldest
    // pending record when it is dropped; they may hold a refusal of their
    // own.
    absl::Status before = SendRefusing(sender, begin, bad);
    if (!before.ok()) return before;
    absl::Status aside = sender.put_aside(bad, s);
    if (!aside.ok()) return aside;
    begin = bad + 1;
  }
  return absl::OkStatus();
}

}  // namespace v6scope::probe::uplink
