// Maps how a libcurl transfer ended to a v1::Outcome: the failure
// classification every HTTP test of the capability suite reports.
//
// A pure function of curl's result code, the socket errno curl saw
// (CURLINFO_OS_ERRNO) and the HTTP status (CURLINFO_RESPONSE_CODE), kept
// apart from HttpFetcher so every row of the table below is unit-tested,
// including the ones loopback cannot produce (unreachable networks).
//
//   curl result                 condition                  Outcome
//   --------------------------  -------------------------  -------------------
//   CURLE_OK                    status 200..299            OK
//                               (206 too: the large object
//                               asks for a range)
//   CURLE_OK                    any other status > 0       HTTP_STATUS
//                               (redirects are not
//                               followed, so 3xx too)
//   CURLE_OK                    no status (0)              OTHER_ERROR
//   CURLE_OPERATION_TIMEDOUT    -- connect timeout, whole- TIMEOUT
//                               transfer timeout, server
//                               silent or stalled mid-body
//   CURLE_COULDNT_CONNECT       errno ECONNREFUSED         CONNECTION_REFUSED
//                               errno ENETUNREACH,         NETWORK_UNREACHABLE
//                               ENETDOWN, EADDRNOTAVAIL (*)
//                               errno EHOSTUNREACH,        HOST_UNREACHABLE
//                               EHOSTDOWN
//                               errno EACCES, EPERM (**)   ADMIN_PROHIBITED
//                               errno ETIMEDOUT            TIMEOUT
//                               any other errno            OTHER_ERROR
//   CURLE_RECV_ERROR,           errno ETIMEDOUT            TIMEOUT
//   CURLE_SEND_ERROR            (TCP retransmission
//                               timeout mid-transfer)
//   CURLE_RECV_ERROR            status already received    TRUNCATED_BODY
//                               (reset mid-body)
//   CURLE_PARTIAL_FILE          -- closed before the       TRUNCATED_BODY
//                               announced Content-Length
//   CURLE_SSL_*, CURLE_PEER_    -- handshake, certificate  TLS_ERROR
//   FAILED_VERIFICATION         or TLS configuration
//   CURLE_COULDNT_RESOLVE_HOST  -- curl resolved the name  DNS_ERROR
//                               itself (no resolve_to) and
//                               failed; curl cannot tell
//                               NXDOMAIN from NODATA
//   anything else               --                         OTHER_ERROR
//
// (*) EADDRNOTAVAIL on connect means this host has no source address from
// which the destination can be reached (e.g. IPv6 off, or ::1 missing on
// lo): a local lack of a path, like a missing route, and nothing learned
// about the remote host, hence NETWORK_UNREACHABLE rather than
// HOST_UNREACHABLE.
//
// (**) Linux reports an ICMPv6 "administratively prohibited" (type 1 code
// 1) answer to a SYN as EACCES, and a local firewall's rejection of the
// SYN as EPERM: either way a filter, not a missing route, said no.
//
// STALLED and the large object's read limit are decided by HttpFetcher,
// not here (see http_fetcher.h).
//
// NO_ADDRESS never comes from curl: HttpFetcher decides it before starting a
// transfer (see http_fetcher.h).
#ifndef V6SCOPE_PROBE_HTTP_CLASSIFY_H_
#define V6SCOPE_PROBE_HTTP_CLASSIFY_H_

#include <curl/curl.h>

#include "proto/results.pb.h"

namespace v6scope::probe::http {

// `os_errno` is CURLINFO_OS_ERRNO (0 if none); `http_status` is
// CURLINFO_RESPONSE_CODE (0 if no response arrived). Thread-safe.
v6scope::v1::Outcome ClassifyTransfer(CURLcode code, long os_errno,
                                      long http_status);

// True for result codes that mean a TLS handshake, certificate or TLS
// configuration failure.
bool IsTlsError(CURLcode code);

}  // namespace v6scope::probe::http

#endif  // V6SCOPE_PROBE_HTTP_CLASSIFY_H_
