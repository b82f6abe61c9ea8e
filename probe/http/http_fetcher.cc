#include "probe/http/http_fetcher.h"

#include <curl/curl.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/text/text_rules.h"
#include "common/version.h"
#include "probe/http/classify.h"

namespace v6scope::probe::http {
namespace {

using Done = std::function<void(HttpResult)>;

constexpr size_t kMaxErrorDetail = 255;
constexpr uint32_t kMaxTimingUs = 600'000'000;  // Timings' documented cap.
constexpr long kHappyEyeballsMs = 200;

// Frees the curl objects of one transfer. The easy handle must already be
// out of the multi handle.
struct Transfer {
  Transfer() { error[0] = '\0'; }
  ~Transfer() {
    if (easy != nullptr) curl_easy_cleanup(easy);
    // After the easy handle: a share still in use cannot be freed.
    if (share != nullptr) curl_share_cleanup(share);
    curl_slist_free_all(resolve);
  }
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  CURL* easy = nullptr;
  CURLSH* share = nullptr;  // This transfer's own DNS cache.
  curl_slist* resolve = nullptr;
  size_t keep_body_bytes = 0;
  std::function<void(absl::string_view)> body_sink;  // May be empty.
  uint64_t body_limit = 0;                           // 0: none.
  bool limit_reached = false;  // The write callback stopped at the limit.
  // Stall detection (zero window: off), in EventLoop::MonotonicNow time.
  absl::Duration stall_timeout;
  absl::Duration started;
  bool connected = false;
  absl::Duration last_rx;  // The connect, or the latest byte since.
  std::optional<loop::EventLoop::TimerId> stall_timer;
  // The address of the latest connect attempt: curl 7.88 leaves
  // CURLINFO_PRIMARY_IP empty when no connect succeeded.
  std::string last_tried;
  Done done;
  HttpResult result;  // Body and bytes_received fill in as data arrives.
  char error[CURL_ERROR_SIZE];
};

// What Fetch needs to know about the URL's host before curl sees it.
struct UrlTarget {
  std::string host;  // As in the URL; an IPv6 literal keeps its brackets.
  long port = 0;
  std::optional<net::IpFamily> literal_family;  // Set if host is a literal.
};

absl::StatusOr<UrlTarget> ParseTarget(const std::string& url) {
  CURLU* u = curl_url();
  if (u == nullptr) return absl::ResourceExhaustedError("curl_url");
  UrlTarget target;
  char* host = nullptr;
  char* port = nullptr;
  CURLUcode rc = curl_url_set(u, CURLUPART_URL, url.c_str(), 0);
  if (rc == CURLUE_OK) rc = curl_url_get(u, CURLUPART_HOST, &host, 0);
  if (rc == CURLUE_OK) {
    rc = curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT);
  }
  if (rc == CURLUE_OK) {
    target.host = host;
    target.port = std::strtol(port, nullptr, 10);
  }
  curl_free(host);
  curl_free(port);
  curl_url_cleanup(u);
  if (rc != CURLUE_OK) {
    return absl::InvalidArgumentError(
        absl::StrCat("malformed URL: ", curl_url_strerror(rc)));
  }
  if (!target.host.empty() && target.host.front() == '[') {
    target.literal_family = net::IpFamily::kV6;
  } else if (auto a = net::IpAddress::Parse(target.host); a.ok()) {
    target.literal_family = a->family();
  }
  return target;
}

std::optional<net::IpFamily> PinnedFamily(v1::AddressFamily family) {
  if (family == v1::IPV4) return net::IpFamily::kV4;
  if (family == v1::IPV6) return net::IpFamily::kV6;
  return std::nullopt;
}

long IpResolve(v1::AddressFamily family) {
  if (family == v1::IPV4) return CURL_IPRESOLVE_V4;
  if (family == v1::IPV6) return CURL_IPRESOLVE_V6;
  return CURL_IPRESOLVE_WHATEVER;
}

// The CURLOPT_RESOLVE entry pinning `target` to the addresses of
// `resolve_to` allowed by `pin`, in the caller's order; NotFound if none.
absl::StatusOr<std::string> ResolveEntry(
    const UrlTarget& target, const std::vector<net::IpAddress>& resolve_to,
    std::optional<net::IpFamily> pin) {
  std::vector<std::string> addresses;
  for (const net::IpAddress& a : resolve_to) {
    const net::IpAddress address = a.Unmapped();
    if (pin.has_value() && address.family() != *pin) continue;
    addresses.push_back(address.is_v6()
                            ? absl::StrCat("[", address.ToString(), "]")
                            : address.ToString());
  }
  if (addresses.empty()) {
    return absl::NotFoundError(
        absl::StrCat("no ", *pin == net::IpFamily::kV6 ? "IPv6" : "IPv4",
                     " address among the ", resolve_to.size(), " resolved for ",
                     target.host));
  }
  return absl::StrCat(target.host, ":", target.port, ":",
                      absl::StrJoin(addresses, ","));
}

long Millis(absl::Duration d) {
  // curl reads 0 as "no timeout": the shortest real timeout is 1 ms.
  const int64_t ms = absl::ToInt64Milliseconds(d);
  return static_cast<long>(
      std::clamp<int64_t>(ms, 1, std::numeric_limits<long>::max()));
}

// At most kMaxErrorDetail bytes of valid UTF-8 without control characters
// (libcurl's and the OS's messages may carry anything): the collector's
// error_detail rule (common/text), so a run is never refused for it.
std::string TruncateDetail(absl::string_view detail) {
  return text::CleanUtf8Line(detail, kMaxErrorDetail);
}

uint32_t TimeUs(CURL* easy, CURLINFO info) {
  curl_off_t us = 0;
  if (curl_easy_getinfo(easy, info, &us) != CURLE_OK || us < 0) return 0;
  return static_cast<uint32_t>(std::min<curl_off_t>(us, kMaxTimingUs));
}

v1::Timings ReadTimings(CURL* easy) {
  v1::Timings t;
  t.set_dns_us(TimeUs(easy, CURLINFO_NAMELOOKUP_TIME_T));
  t.set_connect_us(TimeUs(easy, CURLINFO_CONNECT_TIME_T));
  t.set_tls_us(TimeUs(easy, CURLINFO_APPCONNECT_TIME_T));
  t.set_first_byte_us(TimeUs(easy, CURLINFO_STARTTRANSFER_TIME_T));
  t.set_total_us(TimeUs(easy, CURLINFO_TOTAL_TIME_T));
  return t;
}

v1::AddressFamily FamilyOf(const std::string& address) {
  auto parsed = net::IpAddress::Parse(address);
  if (!parsed.ok()) return v1::ADDRESS_FAMILY_UNSPECIFIED;
  return parsed->Unmapped().is_v4() ? v1::IPV4 : v1::IPV6;
}

std::string ErrorDetail(CURLcode code, const char* error_buffer,
                        long os_errno) {
  std::string detail =
      error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
  // curl's connect message names the address, not the reason.
  if (code == CURLE_COULDNT_CONNECT && os_errno != 0) {
    absl::StrAppend(&detail, " (", std::strerror(static_cast<int>(os_errno)),
                    ")");
  }
  return TruncateDetail(detail);
}

// Status, timings and the address of the connection or, if none was
// made, the one last tried, so a failed test says which address failed.
void ReadConnection(const Transfer& t, HttpResult* result) {
  long status = 0;
  char* ip = nullptr;
  curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
  result->timings = ReadTimings(t.easy);
  result->http_status = static_cast<uint32_t>(std::max(0L, status));
  if (curl_easy_getinfo(t.easy, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK &&
      ip != nullptr && ip[0] != '\0') {
    result->used_address = ip;
  } else {
    result->used_address = t.last_tried;
  }
  result->used_family = FamilyOf(result->used_address);
  char* location = nullptr;
  if (curl_easy_getinfo(t.easy, CURLINFO_REDIRECT_URL, &location) == CURLE_OK &&
      location != nullptr) {
    result->redirect_url = location;
  }
}

// CURLOPT_OPENSOCKETFUNCTION: opens the socket as curl would, noting the
// address it is for.
curl_socket_t OnOpenSocket(void* clientp, curlsocktype purpose,
                           curl_sockaddr* address) {
  auto* t = static_cast<Transfer*>(clientp);
  if (purpose == CURLSOCKTYPE_IPCXN) {
    if (auto ip = net::IpAddress::FromSockaddr(&address->addr); ip.ok()) {
      t->last_tried = ip->Unmapped().ToString();
    }
  }
  return socket(address->family, address->socktype | SOCK_CLOEXEC,
                address->protocol);
}

// Fills everything but the body counters, which the write callback kept.
void ReadResult(const Transfer& t, CURLcode code, HttpResult* result) {
  long os_errno = 0;
  curl_easy_getinfo(t.easy, CURLINFO_OS_ERRNO, &os_errno);
  ReadConnection(t, result);
  // Stopping at the read limit is how a limited fetch succeeds.
  if (t.limit_reached && code == CURLE_WRITE_ERROR) code = CURLE_OK;
  result->outcome = ClassifyTransfer(code, os_errno, result->http_status);
  if (result->outcome == v1::HTTP_STATUS) {
    result->error_detail = absl::StrCat("HTTP status ", result->http_status);
  } else if (result->outcome != v1::OK) {
    result->error_detail = ErrorDetail(code, t.error, os_errno);
  }
}

size_t OnBody(char* data, size_t size, size_t count, void* userp) {
  auto* t = static_cast<Transfer*>(userp);
  const size_t n = size * count;
  size_t take = n;
  if (t->body_limit > 0) {
    const uint64_t room = t->body_limit - t->result.bytes_received;
    take = static_cast<size_t>(std::min<uint64_t>(n, room));
    // Returning less than n stops the transfer (CURLE_WRITE_ERROR), which
    // ReadResult reads as success: the server ignored the range.
    if (take < n) t->limit_reached = true;
  }
  t->result.bytes_received += take;
  if (t->body_sink && take > 0) t->body_sink(absl::string_view(data, take));
  if (t->result.body.size() < t->keep_body_bytes) {
    t->result.body.append(
        data, std::min(take, t->keep_body_bytes - t->result.body.size()));
  }
  return take;  // Beyond keep_body_bytes, counted, not kept.
}

// "no byte for 2.0 s after connecting (412 bytes received)": the bytes
// are the response's headers and body so far.
std::string StallDetail(CURL* easy, absl::Duration window, uint64_t body) {
  long header_bytes = 0;
  curl_easy_getinfo(easy, CURLINFO_HEADER_SIZE, &header_bytes);
  return absl::StrFormat(
      "no byte for %.1f s after connecting (%d bytes "
      "received)",
      absl::ToDoubleSeconds(window),
      body + static_cast<uint64_t>(std::max(0L, header_bytes)));
}

absl::Status GlobalInit() {
  // Thread-safe once (function-local static); never cleaned up, as other
  // users of libcurl in the process may still need it.
  static const CURLcode init = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (init != CURLE_OK) {
    return absl::InternalError(
        absl::StrCat("curl_global_init: ", curl_easy_strerror(init)));
  }
  const curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
  if ((info->features & CURL_VERSION_ASYNCHDNS) == 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "libcurl ", info->version,
        " resolves names synchronously and would block the event loop"));
  }
  return absl::OkStatus();
}

}  // namespace

// Owns the multi handle and every in-flight transfer. Loop thread only.
class HttpFetcher::Impl {
 public:
  Impl(loop::EventLoop* loop, CURLM* multi);
  ~Impl();

  void Fetch(HttpRequest request, Done done);
  size_t in_flight() const { return transfers_.size() + deferred_.size(); }

 private:
  static int OnCurlSocket(CURL* easy, curl_socket_t fd, int what, void* userp,
                          void* socketp);
  static int OnCurlTimer(CURLM* multi, long timeout_ms, void* userp);

  absl::StatusOr<std::unique_ptr<Transfer>> NewTransfer(
      const HttpRequest& request, const UrlTarget& target);
  void OnSocketReady(int fd, uint32_t ready);
  void OnCurlTimeout();
  // Stall detection: notes connects and received bytes, ends stalled
  // transfers. Loop callbacks only, never from inside curl.
  void NoteConnects();
  void ArmStallTimer(CURL* easy, Transfer* t, absl::Duration delay);
  void OnStallTimer(CURL* easy);
  void DeliverCompleted();
  void AbortUnwatchable();
  std::unique_ptr<Transfer> Detach(CURL* easy);
  void CompleteSoon(HttpResult result, Done done);
  void CancelTimer(std::optional<loop::EventLoop::TimerId>* timer);

  loop::EventLoop* const loop_;
  CURLM* const multi_;
  absl::flat_hash_map<CURL*, std::unique_ptr<Transfer>> transfers_;
  // Watched sockets and the transfer each belongs to.
  absl::flat_hash_map<int, CURL*> watched_fds_;
  // Transfers with stall detection that have not connected yet.
  absl::flat_hash_set<CURL*> awaiting_connect_;
  std::optional<loop::EventLoop::TimerId> curl_timer_;
  // Transfers whose socket the loop refused to watch; failed soon after.
  std::vector<std::pair<CURL*, std::string>> unwatchable_;
  std::optional<loop::EventLoop::TimerId> unwatchable_timer_;
  // Completions decided without curl, waiting for their timer to deliver.
  absl::flat_hash_map<uint64_t, loop::EventLoop::TimerId> deferred_;
  uint64_t next_deferred_ = 0;
  // Expires when *this is destroyed, so delivery stops if a `done` callback
  // destroyed the fetcher.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

HttpFetcher::Impl::Impl(loop::EventLoop* loop, CURLM* multi)
    : loop_(loop), multi_(multi) {
  curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &Impl::OnCurlSocket);
  curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
  curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &Impl::OnCurlTimer);
  curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
}

HttpFetcher::Impl::~Impl() {
  // Removing a handle closes its sockets; curl reports them through
  // OnCurlSocket (CURL_POLL_REMOVE), which unwatches them.
  for (auto& [easy, transfer] : transfers_) {
    CancelTimer(&transfer->stall_timer);
    curl_multi_remove_handle(multi_, easy);
  }
  transfers_.clear();
  curl_multi_cleanup(multi_);
  for (const auto& [fd, easy] : watched_fds_) loop_->UnwatchFd(fd);
  CancelTimer(&curl_timer_);
  CancelTimer(&unwatchable_timer_);
  for (auto& [key, timer] : deferred_) loop_->CancelTimer(timer);
}

void HttpFetcher::Impl::CancelTimer(
    std::optional<loop::EventLoop::TimerId>* timer) {
  if (timer->has_value()) loop_->CancelTimer(**timer);
  timer->reset();
}

void HttpFetcher::Impl::Fetch(HttpRequest request, Done done) {
  HttpResult failed;
  absl::StatusOr<UrlTarget> target = ParseTarget(request.url);
  if (!target.ok()) {
    failed.outcome = v1::OTHER_ERROR;
    failed.error_detail = TruncateDetail(target.status().message());
    return CompleteSoon(std::move(failed), std::move(done));
  }
  const std::optional<net::IpFamily> pin = PinnedFamily(request.family);
  if (pin.has_value() && target->literal_family.has_value() &&
      *target->literal_family != *pin) {
    failed.outcome = v1::NO_ADDRESS;
    failed.error_detail = absl::StrCat("address literal ", target->host,
                                       " is not of the pinned family");
    return CompleteSoon(std::move(failed), std::move(done));
  }
  absl::StatusOr<std::unique_ptr<Transfer>> transfer =
      NewTransfer(request, *target);
  if (!transfer.ok()) {
    failed.outcome =
        absl::IsNotFound(transfer.status()) ? v1::NO_ADDRESS : v1::OTHER_ERROR;
    failed.error_detail = TruncateDetail(transfer.status().message());
    return CompleteSoon(std::move(failed), std::move(done));
  }
  CURL* easy = (*transfer)->easy;
  (*transfer)->done = std::move(done);
  (*transfer)->started = loop::EventLoop::MonotonicNow();
  // Adding arms curl's timer (OnCurlTimer); the transfer starts from the
  // loop, so `done` cannot run inline.
  const CURLMcode rc = curl_multi_add_handle(multi_, easy);
  if (rc != CURLM_OK) {
    failed.outcome = v1::OTHER_ERROR;
    failed.error_detail =
        absl::StrCat("curl_multi_add_handle: ", curl_multi_strerror(rc));
    return CompleteSoon(std::move(failed), std::move((*transfer)->done));
  }
  if ((*transfer)->stall_timeout > absl::ZeroDuration()) {
    awaiting_connect_.insert(easy);
  }
  transfers_.emplace(easy, std::move(*transfer));
}

absl::StatusOr<std::unique_ptr<Transfer>> HttpFetcher::Impl::NewTransfer(
    const HttpRequest& request, const UrlTarget& target) {
  auto t = std::make_unique<Transfer>();
  t->keep_body_bytes = request.keep_body_bytes;
  t->body_sink = request.body_sink;
  t->body_limit = request.body_limit;
  t->stall_timeout = std::max(request.stall_timeout, absl::ZeroDuration());
  if (!target.literal_family.has_value() && !request.resolve_to.empty()) {
    absl::StatusOr<std::string> entry =
        ResolveEntry(target, request.resolve_to, PinnedFamily(request.family));
    if (!entry.ok()) return entry.status();
    t->resolve = curl_slist_append(nullptr, entry->c_str());
    if (t->resolve == nullptr) return absl::ResourceExhaustedError("slist");
  }
  t->easy = curl_easy_init();
  t->share = curl_share_init();
  if (t->easy == nullptr || t->share == nullptr) {
    return absl::ResourceExhaustedError("curl_easy_init/curl_share_init");
  }
  CURLcode rc = CURLE_OK;
  // Applies options in order until one fails; the first failure is kept.
  auto set = [&](CURLoption option, auto value) {
    if (rc == CURLE_OK) rc = curl_easy_setopt(t->easy, option, value);
  };
  if (curl_share_setopt(t->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS) !=
      CURLSHE_OK) {
    return absl::InternalError("curl_share_setopt(CURL_LOCK_DATA_DNS)");
  }
  const std::string user_agent = request.user_agent.empty()
                                     ? absl::StrCat("v6scope-probe/", kVersion)
                                     : request.user_agent;
  set(CURLOPT_SHARE, t->share);
  set(CURLOPT_URL, request.url.c_str());
  set(CURLOPT_PROTOCOLS_STR, "http,https");
  set(CURLOPT_NOSIGNAL, 1L);
  set(CURLOPT_NOPROXY, "*");
  set(CURLOPT_USERAGENT, user_agent.c_str());
  set(CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  set(CURLOPT_FRESH_CONNECT, 1L);
  set(CURLOPT_FORBID_REUSE, 1L);
  set(CURLOPT_HAPPY_EYEBALLS_TIMEOUT_MS, kHappyEyeballsMs);
  set(CURLOPT_IPRESOLVE, IpResolve(request.family));
  set(CURLOPT_TIMEOUT_MS, Millis(request.timeout));
  set(CURLOPT_CONNECTTIMEOUT_MS, Millis(request.connect_timeout));
  set(CURLOPT_ERRORBUFFER, t->error);
  set(CURLOPT_WRITEFUNCTION, &OnBody);
  set(CURLOPT_WRITEDATA, t.get());
  set(CURLOPT_OPENSOCKETFUNCTION, &OnOpenSocket);
  set(CURLOPT_OPENSOCKETDATA, t.get());
  if (t->resolve != nullptr) set(CURLOPT_RESOLVE, t->resolve);
  const std::string range = absl::StrCat("0-", t->body_limit - 1);
  if (t->body_limit > 0 && request.range_request) {
    set(CURLOPT_RANGE, range.c_str());
  }
  if (!request.ca_file.empty()) set(CURLOPT_CAINFO, request.ca_file.c_str());
  if (rc != CURLE_OK) {
    return absl::InternalError(
        absl::StrCat("curl_easy_setopt: ", curl_easy_strerror(rc)));
  }
  return t;
}

void HttpFetcher::Impl::CompleteSoon(HttpResult result, Done done) {
  const uint64_t key = next_deferred_++;
  deferred_[key] = loop_->RunAfter(absl::ZeroDuration(),
                                   [this, key, result = std::move(result),
                                    done = std::move(done)]() mutable {
                                     deferred_.erase(key);
                                     done(std::move(result));
                                   });
}

// Called by curl, from inside curl_multi_*: only (un)watches, never calls
// back into curl.
int HttpFetcher::Impl::OnCurlSocket(CURL* easy, curl_socket_t fd, int what,
                                    void* userp, void* /*socketp*/) {
  auto* self = static_cast<Impl*>(userp);
  if (what == CURL_POLL_REMOVE) {
    self->loop_->UnwatchFd(fd);
    self->watched_fds_.erase(fd);
    return 0;
  }
  uint32_t events = 0;
  if (what & CURL_POLL_IN) events |= loop::EventLoop::kReadable;
  if (what & CURL_POLL_OUT) events |= loop::EventLoop::kWritable;
  absl::Status watched =
      self->loop_->WatchFd(fd, events, [self](int ready_fd, uint32_t ready) {
        self->OnSocketReady(ready_fd, ready);
      });
  if (watched.ok()) {
    self->watched_fds_[fd] = easy;
    return 0;
  }
  // Returning -1 would make curl mark the whole multi handle dead; fail
  // only this transfer, from the loop.
  self->unwatchable_.emplace_back(easy, std::string(watched.message()));
  if (!self->unwatchable_timer_.has_value()) {
    self->unwatchable_timer_ =
        self->loop_->RunAfter(absl::ZeroDuration(), [self] {
          self->unwatchable_timer_.reset();
          self->AbortUnwatchable();
        });
  }
  return 0;
}

// Called by curl, from inside curl_multi_*: the socket action it asks for
// runs later, from a loop timer.
int HttpFetcher::Impl::OnCurlTimer(CURLM* /*multi*/, long timeout_ms,
                                   void* userp) {
  auto* self = static_cast<Impl*>(userp);
  self->CancelTimer(&self->curl_timer_);
  if (timeout_ms < 0) return 0;  // curl deleted its timer.
  self->curl_timer_ =
      self->loop_->RunAfter(absl::Milliseconds(timeout_ms), [self] {
        self->curl_timer_.reset();
        self->OnCurlTimeout();
      });
  return 0;
}

void HttpFetcher::Impl::OnSocketReady(int fd, uint32_t ready) {
  int flags = 0;
  if (ready & loop::EventLoop::kReadable) flags |= CURL_CSELECT_IN;
  if (ready & loop::EventLoop::kWritable) flags |= CURL_CSELECT_OUT;
  // Found before curl runs: the action may close the socket.
  auto owner = watched_fds_.find(fd);
  CURL* easy = owner == watched_fds_.end() ? nullptr : owner->second;
  int running = 0;
  // Errors here concern the multi handle (e.g. a socket curl already
  // forgot); each transfer's own result arrives through info_read.
  curl_multi_socket_action(multi_, fd, flags, &running);
  NoteConnects();
  if (auto t = transfers_.find(easy);
      t != transfers_.end() && t->second->connected &&
      (ready & loop::EventLoop::kReadable) != 0) {
    t->second->last_rx = loop::EventLoop::MonotonicNow();
  }
  DeliverCompleted();
}

void HttpFetcher::Impl::OnCurlTimeout() {
  int running = 0;
  curl_multi_socket_action(multi_, CURL_SOCKET_TIMEOUT, 0, &running);
  NoteConnects();
  DeliverCompleted();
}

// The stall window opens at the TCP connect (CURLINFO_CONNECT_TIME_T set).
void HttpFetcher::Impl::NoteConnects() {
  for (auto it = awaiting_connect_.begin(); it != awaiting_connect_.end();) {
    auto t = transfers_.find(*it);
    curl_off_t connect_us = 0;
    if (t == transfers_.end()) {
      awaiting_connect_.erase(it++);
    } else if (curl_easy_getinfo(*it, CURLINFO_CONNECT_TIME_T, &connect_us) ==
                   CURLE_OK &&
               connect_us > 0) {
      Transfer* transfer = t->second.get();
      transfer->connected = true;
      transfer->last_rx = loop::EventLoop::MonotonicNow();
      ArmStallTimer(*it, transfer, transfer->stall_timeout);
      awaiting_connect_.erase(it++);
    } else {
      ++it;
    }
  }
}

void HttpFetcher::Impl::ArmStallTimer(CURL* easy, Transfer* t,
                                      absl::Duration delay) {
  t->stall_timer = loop_->RunAfter(delay, [this, easy] { OnStallTimer(easy); });
}

// Re-arms while bytes keep coming (at most once per window, however fast
// they come); otherwise ends the transfer STALLED.
void HttpFetcher::Impl::OnStallTimer(CURL* easy) {
  auto it = transfers_.find(easy);
  if (it == transfers_.end()) return;
  Transfer* t = it->second.get();
  t->stall_timer.reset();
  const absl::Duration now = loop::EventLoop::MonotonicNow();
  const absl::Duration quiet_until = t->last_rx + t->stall_timeout;
  if (now < quiet_until) return ArmStallTimer(easy, t, quiet_until - now);
  std::unique_ptr<Transfer> stalled = Detach(easy);
  HttpResult result = std::move(stalled->result);
  ReadConnection(*stalled, &result);
  result.outcome = v1::STALLED;
  result.error_detail = TruncateDetail(
      StallDetail(easy, now - t->last_rx, result.bytes_received));
  result.timings.set_total_us(static_cast<uint32_t>(std::clamp<int64_t>(
      absl::ToInt64Microseconds(now - t->started), 0, kMaxTimingUs)));
  Done done = std::move(stalled->done);
  stalled.reset();
  done(std::move(result));
}

std::unique_ptr<Transfer> HttpFetcher::Impl::Detach(CURL* easy) {
  auto it = transfers_.find(easy);
  if (it == transfers_.end()) return nullptr;
  std::unique_ptr<Transfer> transfer = std::move(it->second);
  transfers_.erase(it);
  awaiting_connect_.erase(easy);
  CancelTimer(&transfer->stall_timer);
  curl_multi_remove_handle(multi_, easy);
  return transfer;
}

// Delivers finished transfers one at a time, so that a `done` that destroys
// the fetcher leaves the rest to the destructor.
void HttpFetcher::Impl::DeliverCompleted() {
  std::weak_ptr<bool> alive = alive_;
  int queued = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi_, &queued)) {
    if (msg->msg != CURLMSG_DONE) continue;
    const CURLcode code = msg->data.result;  // msg dies with the handle.
    std::unique_ptr<Transfer> t = Detach(msg->easy_handle);
    if (t == nullptr) continue;
    ReadResult(*t, code, &t->result);
    HttpResult result = std::move(t->result);
    Done done = std::move(t->done);
    t.reset();
    done(std::move(result));
    if (alive.expired()) return;
  }
}

void HttpFetcher::Impl::AbortUnwatchable() {
  std::weak_ptr<bool> alive = alive_;
  std::vector<std::pair<CURL*, std::string>> batch;
  batch.swap(unwatchable_);
  for (auto& [easy, why] : batch) {
    std::unique_ptr<Transfer> t = Detach(easy);
    if (t == nullptr) continue;  // Finished or aborted already.
    HttpResult result = std::move(t->result);
    result.outcome = v1::OTHER_ERROR;
    result.error_detail = TruncateDetail(absl::StrCat("event loop: ", why));
    Done done = std::move(t->done);
    t.reset();
    done(std::move(result));
    if (alive.expired()) return;
  }
}

HttpFetcher::HttpFetcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpFetcher::~HttpFetcher() = default;

absl::StatusOr<std::unique_ptr<HttpFetcher>> HttpFetcher::Create(
    loop::EventLoop* loop) {
  if (loop == nullptr) return absl::InvalidArgumentError("null EventLoop");
  if (absl::Status s = GlobalInit(); !s.ok()) return s;
  CURLM* multi = curl_multi_init();
  if (multi == nullptr) return absl::InternalError("curl_multi_init failed");
  return std::unique_ptr<HttpFetcher>(
      new HttpFetcher(std::make_unique<Impl>(loop, multi)));
}

void HttpFetcher::Fetch(HttpRequest request,
                        std::function<void(HttpResult)> done) {
  impl_->Fetch(std::move(request), std::move(done));
}

size_t HttpFetcher::in_flight() const { return impl_->in_flight(); }

}  // namespace v6scope::probe::http
