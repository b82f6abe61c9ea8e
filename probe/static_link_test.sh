#!/usr/bin/env bash
# The probe binary links the C++ stack (gRPC, protobuf, abseil, libstdc++)
# statically (third_party/static_link.bzl): its peak RSS target depends on
# it (docs/benchmarks.md). Checks that no shared copy of those libraries
# is loaded next to the static one (a new dependency resolving a symbol
# only the shared library has would bring it back, with two copies of
# gRPC's or protobuf's global state in one process), and that the binary
# starts.
set -uo pipefail

PROBE="$1"
SUITE=static_link_test
# shellcheck source=tests/e2e/lib.sh
source "$2"

lacks() { ! grep -q -- "$1" <<<"$2"; }  # lacks PATTERN TEXT

NEEDED="$(readelf -d "$PROBE" 2>&1)"
check "readelf reads the binary" has "(NEEDED)" "$NEEDED"
# Everything the loader maps, transitively.
LOADED="$(ldd "$PROBE" 2>&1)"
check "ldd lists the binary's libraries" has "libc.so" "$LOADED"
for lib in libgrpc libgpr libupb libre2 libaddress_sorting libprotobuf \
  libabsl_; do
  check "$lib is not loaded (linked in statically)" lacks "$lib" "$LOADED"
done
# /metrics is served by libmicrohttpd (common/http/mhd_server), a shared
# C library with no C++ runtime of its own, so it cannot bring a second
# libstdc++; cpp-httplib (the collector's server) is not loaded.
check "libmicrohttpd is a direct dependency (/metrics)" \
  has "libmicrohttpd.so" "$NEEDED"
check "libcpp-httplib is not loaded" lacks "libcpp-httplib" "$LOADED"
check "libstdc++ is not a direct dependency (linked in statically)" \
  lacks "libstdc++" "$NEEDED"
# The sanitizer build links UBSan's runtime, which itself needs
# libstdc++.so; the release binary must not load it at all.
if ! has "libubsan\|libasan" "$LOADED"; then
  check "libstdc++ is not loaded" lacks "libstdc++" "$LOADED"
fi
expect_exit 0 "v6scope-probe --help exits 0" "$PROBE" --help
check "--help shows usage" has "usage" "$OUT"
finish
