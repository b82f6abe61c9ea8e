// PushStream: a response body written by a producer that pushes chunks
// (an export walking the store) turned into the pull reads of
// MhdServer's BodyReader. The producer runs on its own thread, started by
// the first read, and stays at most a few chunks ahead of the client, so
// memory is bounded whatever the export's size and a slow client blocks
// only the producer. A producer error ends the body with an error (the
// server cuts the connection: a truncated export never looks complete).
// When the response is dropped (client gone, HEAD, server stopping) the
// sink returns false and the producer is joined.
#ifndef V6SCOPE_COMMON_HTTP_PUSH_STREAM_H_
#define V6SCOPE_COMMON_HTTP_PUSH_STREAM_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "common/http/mhd_server.h"

namespace v6scope::http {

// Takes one chunk; false: stop producing (the body is no longer wanted).
using ChunkSink = std::function<bool(std::string chunk)>;
// Writes the whole body into the sink; an error after some chunks cuts
// the body short.
using Producer = std::function<absl::Status(const ChunkSink& sink)>;

// A body of unknown size (sent chunked) produced by `produce`, buffering
// at most `max_queued_chunks` chunks ahead of the client.
std::shared_ptr<BodyReader> PushStream(Producer produce,
                                       size_t max_queued_chunks = 4);

}  // namespace v6scope::http

#endif  // V6SCOPE_COMMON_HTTP_PUSH_STREAM_H_
