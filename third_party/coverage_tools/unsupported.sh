#!/bin/sh
echo "bazel coverage is not supported in the offline build; use gcov/lcov" >&2
exit 1
