"""Code generation with the system protoc and grpc_cpp_plugin (offline)."""

def cc_grpc_proto_library(name, srcs, deps = [], grpc = False, **kwargs):
    """A cc_library for one .proto file: messages, and services if grpc.

    Generated headers keep workspace-relative paths ("proto/x.pb.h").
    """
    if len(srcs) != 1:
        fail("cc_grpc_proto_library takes exactly one .proto file")
    src = srcs[0]
    base = src[:-len(".proto")]
    pkg = native.package_name()
    outs = [base + ".pb.cc", base + ".pb.h"]
    if grpc:
        outs += [base + ".grpc.pb.cc", base + ".grpc.pb.h"]
    cmd = "/usr/bin/protoc -I. --cpp_out=$(GENDIR)"
    if grpc:
        cmd += (" --grpc_out=$(GENDIR)" +
                " --plugin=protoc-gen-grpc=/usr/bin/grpc_cpp_plugin")
    cmd += " $(location %s)" % src
    native.genrule(
        name = name + "_gen",
        srcs = [src] + [d + "_proto_srcs" for d in deps],
        outs = outs,
        cmd = cmd,
    )
    native.filegroup(
        name = name + "_proto_srcs",
        srcs = [src] + [d + "_proto_srcs" for d in deps],
    )
    native.cc_library(
        name = name,
        srcs = [o for o in outs if o.endswith(".cc")],
        hdrs = [o for o in outs if o.endswith(".h")],
        copts = ["-Wno-unused-parameter"],
        deps = deps + ["//third_party:grpc" if grpc else "//third_party:protobuf"],
        **kwargs
    )
