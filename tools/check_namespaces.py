#!/usr/bin/env python3
"""Checks that C++ namespaces mirror folders (docs/architecture.md).

The namespace of a file in folder a/b/c is v6scope::a::b::c, with two
conventions: common/ is the base layer and is elided (common/net ->
v6scope::net), and a testing/ folder holds `...::testing`. Every named
v6scope namespace a file opens must be its folder's or nested inside it
(a file may open v6scope::probe::dns::testing::wire in probe/dns/testing).
Files that open no v6scope namespace (a main() only) are not checked, nor
are blocks that only forward-declare another folder's types.

usage: tools/check_namespaces.py [ROOT]   exit 0: every file mirrors its folder
"""
import os
import re
import subprocess
import sys

ROOTS = ("api", "bench", "cli", "collector", "common", "methodology", "probe",
         "tests")
OPEN_RE = re.compile(r"^\s*namespace\s+(v6scope(?:::\w+)*)\s*\{([^{}]*)\}?", re.M)
# A block of forward declarations only ("class HttpServer;"), which names
# another folder's namespace to declare its type, is not this file's own.
FORWARD_ONLY_RE = re.compile(r"^(\s*((class|struct)\s+\w+;|//[^\n]*))*\s*$")


def expected(path):
    parts = os.path.dirname(path).split("/")
    if parts and parts[0] == "common":
        parts = parts[1:]
    return "::".join(["v6scope"] + parts)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    os.chdir(root)
    files = subprocess.run(["git", "ls-files", "*.h", "*.cc"], check=True,
                           capture_output=True, text=True).stdout.split()
    bad = []
    checked = 0
    for path in files:
        if path.split("/")[0] not in ROOTS:
            continue
        with open(path, errors="replace") as f:
            opened = [ns for ns, body in OPEN_RE.findall(f.read())
                      if not FORWARD_ONLY_RE.match(body)]
        if not opened:
            continue
        checked += 1
        want = expected(path)
        for ns in opened:
            if ns != want and not ns.startswith(want + "::"):
                bad.append(f"{path}: namespace {ns}, want {want}")
    for line in bad:
        print(line)
    print(f"check-namespaces: {checked} files, {len(bad)} off their folder")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
