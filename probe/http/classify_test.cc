#include "probe/http/classify.h"

#include <cerrno>

#include "gtest/gtest.h"

namespace v6scope::probe::http {
namespace {

TEST(ClassifyTransferTest, CompletedTransfersByStatus) {
  EXPECT_EQ(ClassifyTransfer(CURLE_OK, 0, 200), v1::OK);
  EXPECT_EQ(ClassifyTransfer(CURLE_OK, 0, 204), v1::OK);
  // The large object's range request.
  EXPECT_EQ(ClassifyTransfer(CURLE_OK, 0, 206), v1::OK);
  EXPECT_EQ(ClassifyTransfer(CURLE_OK, 0, 301), v1::HTTP_STATUS);
  EXPECT_EQ(ClassifyTransfer(CURLE_OK, 0, 404), v1::HTTP_STATUS);
  EXPECT_EQ(ClassifyTransfer(CURLE_OK, 0, 503), v1::HTTP_STATUS);
  EXPECT_EQ(ClassifyTransfer(CURLE_OK, 0, 0), v1::OTHER_ERROR);
}

TEST(ClassifyTransferTest, TimeoutsWhateverThePhase) {
  EXPECT_EQ(ClassifyTransfer(CURLE_OPERATION_TIMEDOUT, 0, 0), v1::TIMEOUT);
  EXPECT_EQ(ClassifyTransfer(CURLE_OPERATION_TIMEDOUT, 0, 200), v1::TIMEOUT);
  EXPECT_EQ(ClassifyTransfer(CURLE_COULDNT_CONNECT, ETIMEDOUT, 0), v1::TIMEOUT);
  EXPECT_EQ(ClassifyTransfer(CURLE_RECV_ERROR, ETIMEDOUT, 200), v1::TIMEOUT);
  EXPECT_EQ(ClassifyTransfer(CURLE_SEND_ERROR, ETIMEDOUT, 0), v1::TIMEOUT);
}

TEST(ClassifyTransferTest, ConnectFailuresByErrno) {
  EXPECT_EQ(ClassifyTransfer(CURLE_COULDNT_CONNECT, ECONNREFUSED, 0),
            v1::CONNECTION_REFUSED);
  EXPECT_EQ(ClassifyTransfer(CURLE_COULDNT_CONNECT, ENETUNREACH, 0),
            v1::NETWORK_UNREACHABLE);
  EXPECT_EQ(ClassifyTransfer(CURLE_COULDNT_CONNECT, ENETDOWN, 0),
            v1::NETWORK_UNREACHABLE);
  EXPECT_EQ(ClassifyTransfer(CURLE_COULDNT_CONNECT, EADDRNOTAVAIL, 0),
            v1::NETWORK_UNREACHABLE);
  EXPECT_EQ(ClassifyTransfer(CURLE_COULDNT_CONNECT, EHOSTUNREACH, 0),
            v1::HOST_UNREACHABLE);
  EXPECT_EQ(ClassifyTransfer(CURLE_COULDNT_CONNECT, EHOSTDOWN, 0),
            v1::HOST_UNREACHABLE);
  EXPECT_EQ(ClassifyTransfer(CURLE_COULDNT_CONNECT, EACCES, 0),
            v1::ADMIN_PROHIBITED);
  EXPECT_EQ(ClassifyTransfer(CURLE_COULDNT_CONNECT, EPERM, 0),
            v1::ADMIN_PROHIBITED);
  EXPECT_EQ(ClassifyTransfer(CURLE_COULDNT_CONNECT, EPROTO, 0),
            v1::OTHER_ERROR);
  EXPECT_EQ(ClassifyTransfer(CURLE_COULDNT_CONNECT, 0, 0), v1::OTHER_ERROR);
}

TEST(ClassifyTransferTest, BodyCutShort) {
  EXPECT_EQ(ClassifyTransfer(CURLE_PARTIAL_FILE, 0, 200), v1::TRUNCATED_BODY);
  EXPECT_EQ(ClassifyTransfer(CURLE_RECV_ERROR, ECONNRESET, 200),
            v1::TRUNCATED_BODY);
  // A reset before any response is no truncated body.
  EXPECT_EQ(ClassifyTransfer(CURLE_RECV_ERROR, ECONNRESET, 0), v1::OTHER_ERROR);
}

TEST(ClassifyTransferTest, TlsFailures) {
  for (CURLcode code :
       {CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION,
        CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
        CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS}) {
    EXPECT_EQ(ClassifyTransfer(code, 0, 0), v1::TLS_ERROR) << code;
    EXPECT_TRUE(IsTlsError(code)) << code;
  }
  EXPECT_FALSE(IsTlsError(CURLE_COULDNT_CONNECT));
}

TEST(ClassifyTransferTest, ResolverAndEverythingElse) {
  EXPECT_EQ(ClassifyTransfer(CURLE_COULDNT_RESOLVE_HOST, 0, 0), v1::DNS_ERROR);
  EXPECT_EQ(ClassifyTransfer(CURLE_GOT_NOTHING, 0, 0), v1::OTHER_ERROR);
  EXPECT_EQ(ClassifyTransfer(CURLE_UNSUPPORTED_PROTOCOL, 0, 0),
            v1::OTHER_ERROR);
  EXPECT_EQ(ClassifyTransfer(CURLE_WEIRD_SERVER_REPLY, 0, 0), v1::OTHER_ERROR);
  EXPECT_EQ(ClassifyTransfer(CURLE_SEND_ERROR, EPIPE, 0), v1::OTHER_ERROR);
}

}  // namespace
}  // namespace v6scope::probe::http
