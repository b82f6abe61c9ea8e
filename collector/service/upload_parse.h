// Parsing of an Upload stream's messages from their raw bytes. The Upload
// method is a raw callback method (probe_service.h) so that a message that
// does not parse ends the stream with INVALID_ARGUMENT saying why: with
// generated deserialization, gRPC reports such a message to the reactor
// only as a failed read (OnReadDone(false)), the same as the end of the
// stream, and the stream then ended OK without an Ack.
#ifndef V6SCOPE_COLLECTOR_SERVICE_UPLOAD_PARSE_H_
#define V6SCOPE_COLLECTOR_SERVICE_UPLOAD_PARSE_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grpcpp/support/byte_buffer.h"
#include "proto/probe_service.pb.h"

namespace v6scope::collector::service {

// Parses `bytes` into `request` (which may live on an arena).
// INVALID_ARGUMENT on failure, starting "UploadRequest does not parse: "
// and naming the string field with invalid UTF-8
// ("batch.runs[0].tests[2].error_detail: invalid UTF-8") or saying that the
// bytes are truncated or malformed. `bytes` is consumed.
absl::Status ParseUploadRequest(grpc::ByteBuffer* bytes,
                                v6scope::v1::UploadRequest* request);

// Why `bytes` does not parse as an UploadRequest (exposed for tests).
std::string WhyUploadUnparseable(absl::string_view bytes);

}  // namespace v6scope::collector::service

#endif  // V6SCOPE_COLLECTOR_SERVICE_UPLOAD_PARSE_H_
