#include "probe/http/classify.h"

#include <cerrno>

namespace v6scope::probe::http {
namespace {

using ::v6scope::v1::Outcome;

// Why a connect failed, from the socket errno curl recorded.
Outcome ClassifyConnectErrno(long os_errno) {
  switch (os_errno) {
    case ECONNREFUSED:
      return v1::CONNECTION_REFUSED;
    case ENETUNREACH:
    case ENETDOWN:
    case EADDRNOTAVAIL:
      return v1::NETWORK_UNREACHABLE;
    case EHOSTUNREACH:
    case EHOSTDOWN:
      return v1::HOST_UNREACHABLE;
    case EACCES:
    case EPERM:
      return v1::ADMIN_PROHIBITED;
    case ETIMEDOUT:
      return v1::TIMEOUT;
    default:
      return v1::OTHER_ERROR;
  }
}

Outcome ClassifyCompleted(long http_status) {
  if (http_status >= 200 && http_status <= 299) return v1::OK;
  if (http_status > 0) return v1::HTTP_STATUS;
  return v1::OTHER_ERROR;
}

}  // namespace

bool IsTlsError(CURLcode code) {
  switch (code) {
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
      return true;
    default:
      return false;
  }
}

v1::Outcome ClassifyTransfer(CURLcode code, long os_errno, long http_status) {
  if (IsTlsError(code)) return v1::TLS_ERROR;
  switch (code) {
    case CURLE_OK:
      return ClassifyCompleted(http_status);
    case CURLE_OPERATION_TIMEDOUT:
      return v1::TIMEOUT;
    case CURLE_COULDNT_CONNECT:
      return ClassifyConnectErrno(os_errno);
    case CURLE_PARTIAL_FILE:
      return v1::TRUNCATED_BODY;
    case CURLE_RECV_ERROR:
      if (os_errno == ETIMEDOUT) return v1::TIMEOUT;
      return http_status > 0 ? v1::TRUNCATED_BODY : v1::OTHER_ERROR;
    case CURLE_SEND_ERROR:
      return os_errno == ETIMEDOUT ? v1::TIMEOUT : v1::OTHER_ERROR;
    case CURLE_COULDNT_RESOLVE_HOST:
      return v1::DNS_ERROR;
    default:
      return v1::OTHER_ERROR;
  }
}

}  // namespace v6scope::probe::http
