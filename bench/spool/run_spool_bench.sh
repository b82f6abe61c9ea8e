#!/bin/sh
# Builds the spool benchmark optimised and runs it on the disk that holds
# --dir (default: $TMPDIR or /var/tmp): append throughput with fsync per
# record vs batched fsync (same run, ratio printed), recovery time of a
# 100 MB spool (warm and cold page cache), CRC-32C speed. Extra arguments
# go to spool_bench (e.g. --dir=/var/lib/v6scope-bench --recovery_mb=200).
#
# The figures depend on the disk: measure on the kind of host the probe runs
# on, and keep --dir off tmpfs (fsync on tmpfs costs nothing).
set -eu
cd "$(dirname "$0")/../.."
# No convenience symlinks: bazel-bin etc. keep pointing where they did.
bazel build -c opt --symlink_prefix=/ //bench/spool:spool_bench
bin="$(bazel info -c opt bazel-bin)/bench/spool/spool_bench"
exec "$bin" "$@"
