#!/usr/bin/env python3
"""Counts test cases from a `bazel test` run.

Reads Bazel's console output (target statuses) and each target's test.xml
(JUnit, written by gtest or by Bazel for shell tests). A passing target
contributes its test cases; a failing target contributes its failed cases,
or one failure if it has no readable cases (crash, timeout, build failure).

usage: test_summary.py BAZEL_OUTPUT_FILE TESTLOGS_DIR LABEL
Prints "LABEL: N passed, N failed, N skipped" and writes "N N N" to stdout's
last line for the caller to add up.
"""
import os
import re
import sys
import xml.etree.ElementTree as ET

STATUS_RE = re.compile(
    r"^(//[^\s]+)\s+(?:\(cached\)\s+)?"
    r"(PASSED|FAILED|TIMEOUT|FLAKY|NO STATUS|FAILED TO BUILD|INCOMPLETE|SKIPPED)")


def target_statuses(output_path):
    statuses = {}
    with open(output_path, errors="replace") as f:
        for line in f:
            m = STATUS_RE.match(line.strip())
            if m:
                statuses[m.group(1)] = m.group(2)
    return statuses


def xml_path(testlogs, label):
    pkg, name = label[2:].split(":", 1)
    return os.path.join(testlogs, pkg, name, "test.xml")


def count_cases(path):
    """Returns (passed, failed, skipped) from a JUnit file, or None."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return None
    passed = failed = skipped = 0
    for case in root.iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        elif (case.get("status") == "notrun" or case.get("result") == "skipped"
              or case.find("skipped") is not None):
            skipped += 1
        else:
            passed += 1
    return passed, failed, skipped


def main():
    output_path, testlogs, label = sys.argv[1:4]
    passed = failed = skipped = 0
    for target, status in sorted(target_statuses(output_path).items()):
        counts = count_cases(xml_path(testlogs, target))
        if status in ("PASSED", "FLAKY"):
            if counts is None or sum(counts) == 0:
                passed += 1
            else:
                passed += counts[0]
                skipped += counts[2]
                failed += counts[1]
        elif status == "SKIPPED":
            skipped += 1
        else:
            bad = counts[1] if counts else 0
            failed += max(bad, 1)
            if counts:
                passed += counts[0]
            print(f"{label}: {target} {status}", file=sys.stderr)
    print(f"{label}: {passed} passed, {failed} failed, {skipped} skipped",
          file=sys.stderr)
    print(f"{passed} {failed} {skipped}")


if __name__ == "__main__":
    main()
