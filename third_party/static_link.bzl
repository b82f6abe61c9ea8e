# Link options that put the C++ stack into one binary from Debian's static
# archives (gRPC with upb, re2 and address_sorting; protobuf; abseil;
# libstdc++) instead of loading the shared libraries. Used by the probe
# (probe/BUILD), whose peak RSS is a target (docs/benchmarks.md): a
# process pays resident pages for every shared C++ library's symbol
# tables, relocations and static initializers, and starting one gRPC
# channel touches most of libgrpc.so; linked in, only what the binary
# uses is there, and nothing is looked up by name at start-up.
#
# How: use as a cc_binary's `linkopts`. Bazel places a binary's own
# linkopts after its object files and before its dependencies' (the
# "-lgrpc++ ... -lstdc++" of //third_party:grpc, :protobuf, :abseil and
# the toolchain). The archives (one --start-group: they depend on each
# other in cycles) resolve every symbol of those libraries first, and
# --as-needed then keeps the shared libraries named later out of
# DT_NEEDED, so the process never holds two copies of one library
# (probe/static_link_test.sh checks the binary's DT_NEEDED).
# --exclude-libs keeps the archives' symbols out of the dynamic symbol
# table: the linker still reads the shared libraries named later, and
# would otherwise export every symbol they refer to.
#
# Only for a binary whose other shared libraries are C libraries (the
# probe: libcurl, c-ares, OpenSSL, zlib): a shared library built against
# libstdc++.so or libprotobuf.so would bring a second copy. The shared
# libraries the archives need (OpenSSL, zlib, c-ares) stay shared: the
# binary depends on //third_party:openssl, :zlib and :cares.
STATIC_CXX_LINKOPTS = [
    "-Wl,--as-needed",
    "-Wl,--exclude-libs,ALL",
    "-Wl,--start-group",
    "-l:libgrpc++.a",
    "-l:libgrpc.a",
    "-l:libgpr.a",
    "-l:libupb.a",
    "-l:libre2.a",
    "-l:libaddress_sorting.a",
    "-l:libprotobuf.a",
    "-l:libabsl_flags_parse.a",
    "-l:libabsl_flags_usage.a",
    "-l:libabsl_flags_usage_internal.a",
    "-l:libabsl_flags_internal.a",
    "-l:libabsl_flags_marshalling.a",
    "-l:libabsl_flags_reflection.a",
    "-l:libabsl_flags_config.a",
    "-l:libabsl_flags_program_name.a",
    "-l:libabsl_flags_private_handle_accessor.a",
    "-l:libabsl_flags_commandlineflag.a",
    "-l:libabsl_flags_commandlineflag_internal.a",
    "-l:libabsl_raw_hash_set.a",
    "-l:libabsl_hash.a",
    "-l:libabsl_city.a",
    "-l:libabsl_low_level_hash.a",
    "-l:libabsl_status.a",
    "-l:libabsl_statusor.a",
    "-l:libabsl_cord.a",
    "-l:libabsl_cordz_info.a",
    "-l:libabsl_cordz_handle.a",
    "-l:libabsl_cordz_functions.a",
    "-l:libabsl_cord_internal.a",
    "-l:libabsl_str_format_internal.a",
    "-l:libabsl_synchronization.a",
    "-l:libabsl_graphcycles_internal.a",
    "-l:libabsl_stacktrace.a",
    "-l:libabsl_symbolize.a",
    "-l:libabsl_debugging_internal.a",
    "-l:libabsl_demangle_internal.a",
    "-l:libabsl_malloc_internal.a",
    "-l:libabsl_time.a",
    "-l:libabsl_civil_time.a",
    "-l:libabsl_time_zone.a",
    "-l:libabsl_strings.a",
    "-l:libabsl_strings_internal.a",
    "-l:libabsl_int128.a",
    "-l:libabsl_throw_delegate.a",
    "-l:libabsl_exponential_biased.a",
    "-l:libabsl_random_internal_pool_urbg.a",
    "-l:libabsl_random_internal_randen.a",
    "-l:libabsl_random_internal_randen_hwaes.a",
    "-l:libabsl_random_internal_randen_hwaes_impl.a",
    "-l:libabsl_random_internal_randen_slow.a",
    "-l:libabsl_random_internal_platform.a",
    "-l:libabsl_random_internal_seed_material.a",
    "-l:libabsl_random_seed_gen_exception.a",
    "-l:libabsl_base.a",
    "-l:libabsl_spinlock_wait.a",
    "-l:libabsl_raw_logging_internal.a",
    "-l:libabsl_log_severity.a",
    "-l:libabsl_hashtablez_sampler.a",
    "-l:libabsl_bad_optional_access.a",
    "-l:libabsl_bad_variant_access.a",
    "-l:libabsl_strerror.a",
    "-l:libabsl_random_distributions.a",
    "-l:libabsl_random_seed_sequences.a",
    "-l:libstdc++.a",
    "-Wl,--end-group",
]
