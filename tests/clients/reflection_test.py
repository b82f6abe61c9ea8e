#!/usr/bin/python3
"""gRPC server reflection on a real collector (port 0): every service is
listed through it, QueryService's file descriptor (with its imports) is
fetched and matches proto/query_service.proto, and a call built from the
reflected descriptors alone works, as a generic client would make it.

The reflection stubs are generated at test time with Debian's protoc and
grpc_python_plugin from grpc-proto's reflection.proto (gRPC 1.51 serves
grpc.reflection.v1alpha only).

usage: reflection_test.py COLLECTOR_BINARY QUERY_SERVICE_PROTO
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

SUITE = "reflection"
REFLECTION_PROTO = "/usr/share/grpc-proto/grpc/reflection/v1alpha"
EXPECTED = [
    "v6scope.v1.ProbeService",
    "v6scope.v1.QueryService",
    "v6scope.v1.AdminService",
    "grpc.reflection.v1alpha.ServerReflection",
]


def reflection_stubs(work):
    """reflection_pb2 and its stub, generated here (a module path of its
    own: grpc.reflection.* would collide with the grpc package)."""
    out = os.path.join(work, "reflection_pb")
    harness.protoc(REFLECTION_PROTO, out, ["reflection.proto"])
    sys.path.insert(0, out)
    import reflection_pb2
    import reflection_pb2_grpc
    return reflection_pb2, reflection_pb2_grpc


def ask(stub, r, **request):
    """One request on the bidirectional reflection stream, one answer."""
    answers = list(stub.ServerReflectionInfo(iter([r.ServerReflectionRequest(**request)]),
                                             timeout=10))
    return answers[0]


def pool_of(file_protos):
    """A descriptor pool holding the reflected files, each added after its
    imports (the server sends the requested file first)."""
    from google.protobuf import descriptor_pool
    pool = descriptor_pool.DescriptorPool()
    pending, added = list(file_protos), set()
    while pending:
        ready = [f for f in pending if all(d in added for d in f.dependency)]
        if not ready:
            raise RuntimeError("imports missing from the reflection answer: " +
                               ", ".join(d for f in pending for d in f.dependency
                                         if d not in added))
        for f in ready:
            pool.Add(f)
            added.add(f.name)
            pending.remove(f)
    return pool


def check_services(stub, r):
    answer = ask(stub, r, list_services="")
    names = [s.name for s in answer.list_services_response.service]
    print("services: " + ", ".join(names))
    for name in EXPECTED:
        harness.check(name in names, f"reflection lists {name}")
    if "grpc.health.v1.Health" not in names:  # Optional: health is HTTP.
        print("note: no grpc.health.v1.Health (health is HTTP /healthz, /readyz)")
    unexpected = [n for n in names if n not in EXPECTED + ["grpc.health.v1.Health"]]
    harness.check(not unexpected, "no service beyond the expected ones",
                  "unexpected: " + ", ".join(unexpected))


def check_descriptor(stub, r, proto_source):
    """QueryService's file through reflection, against the source file."""
    from google.protobuf import descriptor_pb2
    answer = ask(stub, r, file_containing_symbol="v6scope.v1.QueryService")
    files = [descriptor_pb2.FileDescriptorProto.FromString(b)
             for b in answer.file_descriptor_response.file_descriptor_proto]
    names = [f.name for f in files]
    harness.check(names and names[0] == "proto/query_service.proto",
                  "file_containing_symbol gives proto/query_service.proto first", str(names))
    harness.check({"proto/results.proto", "google/protobuf/timestamp.proto"} <= set(names),
                  "its imports come with it", str(names))
    query = next((f for f in files if f.name == "proto/query_service.proto"), None)
    reflected = sorted(m.name for s in (query.service if query else [])
                       if s.name == "QueryService" for m in s.method)
    with open(proto_source) as f:
        source = re.search(r"service QueryService \{(.*?)\n\}", f.read(), re.S).group(1)
    declared = sorted(re.findall(r"^\s*rpc (\w+)\(", source, re.M))
    harness.check(reflected == declared and declared,
                  f"reflected QueryService methods = proto source ({len(declared)})",
                  f"reflected {reflected}\nsource {declared}")
    missing = ask(stub, r, file_containing_symbol="v6scope.v1.NoSuchService")
    harness.check(missing.error_response.error_code == 5,  # NOT_FOUND
                  "an unknown symbol gets NOT_FOUND", str(missing))
    return files


def check_generic_call(channel, files):
    """ListProbes built from the reflected descriptors only."""
    from google.protobuf import message_factory
    pool = pool_of(files)
    method = pool.FindServiceByName("v6scope.v1.QueryService").methods_by_name["ListProbes"]
    factory = message_factory.MessageFactory(pool)
    request = factory.GetPrototype(method.input_type)
    response = factory.GetPrototype(method.output_type)
    call = channel.unary_unary("/v6scope.v1.QueryService/ListProbes",
                               request_serializer=request.SerializeToString,
                               response_deserializer=response.FromString)
    reply = call(request(), timeout=10)
    harness.check(reply.DESCRIPTOR.full_name == "v6scope.v1.ListProbesResponse" and
                  len(reply.probes) == 0,
                  "ListProbes called through reflected descriptors (empty store: 0 probes)",
                  str(reply))


def main(collector_binary, proto_source):
    missing = harness.missing_tools()
    if not os.path.exists(os.path.join(REFLECTION_PROTO, "reflection.proto")):
        missing.append(REFLECTION_PROTO + "/reflection.proto (package grpc-proto)")
    if missing:
        harness.skip_test(SUITE, "not installed (tools/install-deps): " + ", ".join(missing))
    import grpc
    work = harness.work_dir("reflection")
    r, r_grpc = reflection_stubs(work)
    collector = harness.Collector(collector_binary, work)
    try:
        with grpc.insecure_channel(collector.grpc) as channel:
            stub = r_grpc.ServerReflectionStub(channel)
            check_services(stub, r)
            files = check_descriptor(stub, r, proto_source)
            check_generic_call(channel, files)
    except Exception as e:  # a failed call is a failed check, with the log
        harness.fail(f"reflection client: {type(e).__name__}: {e}", collector.log_tail())
    finally:
        collector.stop()
    return harness.finish(SUITE)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
