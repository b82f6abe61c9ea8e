#include "probe/readiness/home_page_fetch.h"

#include <curl/curl.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/text/text_rules.h"
#include "common/version.h"
#include "probe/readiness/page_digest.h"

namespace v6scope::probe::readiness {
namespace {

namespace v1 = ::v6scope::v1;

constexpr size_t kMaxUrl = 1024;

struct UrlParts {
  std::string scheme;
  std::string host;  // Without brackets.
};

// Scheme and host of an absolute URL, with curl's parser (the one the
// fetch itself uses); nullopt if it does not parse.
std::optional<UrlParts> ParseUrl(const std::string& url) {
  CURLU* u = curl_url();
  if (u == nullptr) return std::nullopt;
  char* scheme = nullptr;
  char* host = nullptr;
  std::optional<UrlParts> parts;
  if (curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
    absl::string_view h = host;
    absl::ConsumePrefix(&h, "[");
    absl::ConsumeSuffix(&h, "]");
    parts = UrlParts{scheme, std::string(h)};
  }
  curl_free(scheme);
  curl_free(host);
  curl_url_cleanup(u);
  return parts;
}

bool OfFamily(const net::IpAddress& a, v1::AddressFamily family) {
  return family == v1::IPV4 ? a.Unmapped().is_v4() : !a.Unmapped().is_v4();
}

std::string Line(absl::string_view text) {
  return text::CleanUtf8Line(text, 255);
}

}  // namespace

std::string ReadinessUserAgent() {
  return absl::StrCat("v6scope-probe/", kVersion,
                      " (+https://github.com/v6scope; readiness check)");
}

std::string HomePageUrl(const std::string& host, bool https,
                        const WebLimits& limits) {
  const uint16_t port = https ? limits.https_port : limits.http_port;
  const bool default_port = port == (https ? 443 : 80);
  return absl::StrCat(https ? "https://" : "http://", host,
                      default_port ? "" : absl::StrCat(":", port), "/");
}

std::shared_ptr<HomePageFetch> HomePageFetch::Start(
    const WebContext& context, std::string start_url, v1::AddressFamily family,
    std::vector<net::IpAddress> start_addresses, absl::Duration deadline,
    Done done) {
  auto fetch = std::make_shared<HomePageFetch>(
      context, std::move(start_url), family, std::move(start_addresses),
      deadline, std::move(done));
  // The first hop starts from the loop, so `done` is never inline.
  context.loop->RunAfter(absl::ZeroDuration(), [fetch] {
    fetch->NextHop(fetch->fetch_.start_url());
  });
  return fetch;
}

HomePageFetch::HomePageFetch(const WebContext& context, std::string start_url,
                             v1::AddressFamily family,
                             std::vector<net::IpAddress> start_addresses,
                             absl::Duration deadline, Done done)
    : context_(context),
      start_host_(ParseUrl(start_url).value_or(UrlParts{}).host),
      start_addresses_(std::move(start_addresses)),
      deadline_(deadline),
      started_(loop::EventLoop::MonotonicNow()),
      done_(std::move(done)) {
  fetch_.set_start_url(std::move(start_url));
  fetch_.set_family(family);
}

absl::Duration HomePageFetch::Deadline() const {
  absl::Duration queued = queued_;
  if (queued_since_.has_value()) {
    queued += loop::EventLoop::MonotonicNow() - *queued_since_;
  }
  return deadline_ + std::min(queued, context_.limits->max_gate_wait);
}

absl::Duration HomePageFetch::Left() const {
  return Deadline() - loop::EventLoop::MonotonicNow();
}

std::string HomePageFetch::NotFetched() const {
  return absl::StrCat(
      "not fetched: queued ",
      absl::FormatDuration(absl::Trunc(
          loop::EventLoop::MonotonicNow() -
              queued_since_.value_or(loop::EventLoop::MonotonicNow()),
          absl::Milliseconds(100))),
      " for the probe's one-connection limit on ", queued_for_, " after ",
      fetch_.hops_size(), " hop(s), and the domain's time ran out");
}

void HomePageFetch::NextHop(const std::string& url) {
  if (finished_) return;
  const std::optional<UrlParts> parts = ParseUrl(url);
  if (url.size() > kMaxUrl || !parts.has_value() ||
      (parts->scheme != "http" && parts->scheme != "https")) {
    return Finish(v1::OTHER_ERROR,
                  absl::StrCat("not followed: redirect to a URL that is not "
                               "http(s) or is over ",
                               kMaxUrl, " bytes"));
  }
  if (Left() <= absl::ZeroDuration()) {
    return Finish(v1::TIMEOUT, "the domain's time ran out");
  }
  if (auto literal = net::IpAddress::Parse(parts->host); literal.ok()) {
    if (!OfFamily(*literal, fetch_.family())) {
      return Finish(v1::NO_ADDRESS,
                    absl::StrCat(parts->host, " is of the other family"));
    }
    return Connect(url, literal->ToString(), /*literal=*/true);
  }
  if (parts->host == start_host_) {
    return Resolved(url, parts->host, start_addresses_, "");
  }
  LookupRequest request;
  request.name = parts->host;
  request.qtype = fetch_.family() == v1::IPV4 ? kTypeA : kTypeAaaa;
  request.timeout = std::min(context_.limits->dns_timeout, Left());
  request.tries = 1;
  // The lookup holds the fetch (it always ends, within request.timeout):
  // a caller that dropped the handle Start returned still gets `done`. A
  // weak reference here lost every chain redirected to a new host whose
  // owner kept no handle (bench/sweep's web_sweep never finished).
  auto self = shared_from_this();
  const std::string host = parts->host;
  context_.dns->Lookup(request, [self, url, host](LookupResult r) {
    self->Resolved(url, host, r.response.addresses,
                   v1::Outcome_Name(r.outcome));
  });
}

void HomePageFetch::Resolved(const std::string& url, const std::string& host,
                             std::vector<net::IpAddress> addresses,
                             const std::string& why_none) {
  if (finished_) return;
  for (const net::IpAddress& a : addresses) {
    if (OfFamily(a, fetch_.family())) {
      return Connect(url, a.Unmapped().ToString(), /*literal=*/false);
    }
  }
  Finish(v1::NO_ADDRESS,
         absl::StrCat("no ", fetch_.family() == v1::IPV4 ? "A" : "AAAA",
                      " for ", host, why_none.empty() ? "" : " (", why_none,
                      why_none.empty() ? "" : ")"));
}

void HomePageFetch::Connect(const std::string& url, const std::string& address,
                            bool literal) {
  auto self = shared_from_this();
  queued_since_ = loop::EventLoop::MonotonicNow();
  queued_for_ = address;
  context_.gate->Acquire(address, [self, url, address, literal] {
    const absl::Duration left = self->Left();
    if (self->finished_ || left <= absl::ZeroDuration()) {
      self->context_.gate->Release(address);
      if (!self->finished_) self->Finish(v1::SKIPPED, self->NotFetched());
      return;
    }
    self->queued_ += loop::EventLoop::MonotonicNow() - *self->queued_since_;
    self->queued_since_.reset();
    const WebLimits& limits = *self->context_.limits;
    http::HttpRequest request;
    request.url = url;
    request.family = self->fetch_.family();
    if (!literal) request.resolve_to = {*net::IpAddress::Parse(address)};
    request.timeout = left;
    request.connect_timeout = std::min(limits.connect_timeout, left);
    request.stall_timeout = limits.stall_timeout;
    request.body_limit = limits.body_cap;
    request.range_request = false;
    // The title and SimHash are taken as the body arrives (PageDigest):
    // no body is kept, whatever its size.
    auto digest = std::make_shared<PageDigest>();
    request.body_sink = [digest](absl::string_view piece) {
      digest->Add(piece);
    };
    request.user_agent =
        limits.user_agent.empty() ? ReadinessUserAgent() : limits.user_agent;
    request.ca_file = limits.ca_file;
    self->context_.fetcher->Fetch(
        std::move(request),
        [self, url, address, digest](http::HttpResult result) {
          self->context_.gate->Release(address);
          self->Fetched(url, address, std::move(result), *digest);
        });
  });
}

void HomePageFetch::Fetched(const std::string& url, const std::string& address,
                            http::HttpResult result, const PageDigest& body) {
  if (finished_) return;
  if (result.http_status > 0) {
    v1::RedirectHop* hop = fetch_.add_hops();
    hop->set_url(url);
    hop->set_status(result.http_status);
    hop->set_address(result.used_address.empty() ? address
                                                 : result.used_address);
    fetch_.set_final_url(url);
    fetch_.set_status(result.http_status);
    if (fetch_.hops_size() == 1 && absl::StartsWith(url, "https://")) {
      fetch_.set_tls_verified(true);  // A response came over verified TLS.
    }
  }
  const bool redirect = result.http_status >= 300 && result.http_status < 400 &&
                        !result.redirect_url.empty();
  if (!redirect) {
    TakeBody(result, body);
    return Finish(result.outcome, result.error_detail);
  }
  if (fetch_.hops_size() >= context_.limits->max_hops) {
    return Finish(v1::HTTP_STATUS,
                  absl::StrCat("not followed: more than ",
                               context_.limits->max_hops, " redirects"));
  }
  NextHop(result.redirect_url);
}

void HomePageFetch::TakeBody(const http::HttpResult& result,
                             const PageDigest& body) {
  fetch_.set_body_bytes(result.bytes_received);
  fetch_.set_body_truncated(result.bytes_received >= context_.limits->body_cap);
  if (body.bytes() == 0) return;
  fetch_.set_title(body.title());
  fetch_.set_body_simhash(body.simhash());
}

void HomePageFetch::Finish(v1::Outcome outcome, const std::string& detail) {
  if (finished_) return;
  finished_ = true;
  fetch_.set_outcome(outcome);
  fetch_.set_error_detail(Line(detail));
  fetch_.set_time_ms(static_cast<uint32_t>(
      absl::ToInt64Milliseconds(loop::EventLoop::MonotonicNow() - started_)));
  Done done = std::move(done_);
  v1::WebFetch result = std::move(fetch_);
  done(std::move(result));
}

v1::WebFetch HomePageFetch::Abandon(const std::string& why) {
  v1::WebFetch partial = fetch_;
  if (!finished_) {
    finished_ = true;
    done_ = nullptr;
    const bool queued = queued_since_.has_value();
    partial.set_outcome(queued ? v1::SKIPPED : v1::TIMEOUT);
    partial.set_error_detail(Line(queued ? NotFetched() : why));
    partial.set_time_ms(static_cast<uint32_t>(
        absl::ToInt64Milliseconds(loop::EventLoop::MonotonicNow() - started_)));
  }
  return partial;
}

}  // namespace v6scope::probe::readiness
