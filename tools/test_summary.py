#!/usr/bin/env python3
"""Counts test cases from a `bazel test` run.

Reads Bazel's console output (target statuses) and each target's test.xml
(JUnit, written by gtest, by tests/e2e/lib.sh, or by Bazel for other
shell tests). A passing target contributes its test cases, skipped ones
as skipped (a target whose only case is skipped counts as one skip, not a
pass); a failing target contributes its cases too, or one failure if it
has no readable cases (crash, timeout, build failure).
tools/test_summary_test.py checks these rules.

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


def summarize(statuses, testlogs, label="tests", problems=None):
    """Returns (passed, failed, skipped) over the targets' test cases.

    A target whose cases were all skipped (a shell test that could not run
    records one skipped case saying why) adds to skipped, never to passed.
    Targets that did not pass are named in `problems` (a list), if given.
    """
    passed = failed = skipped = 0
    for target, status in sorted(statuses.items()):
        counts = count_cases(xml_path(testlogs, target))
        if status in ("PASSED", "FLAKY"):
            if counts is None or sum(counts) == 0:
                passed += 1
            else:
                passed += counts[0]
                failed += counts[1]
                skipped += counts[2]
        elif status == "SKIPPED":
            skipped += 1
        else:
            bad = counts[1] if counts else 0
            failed += max(bad, 1)
            if counts:
                passed += counts[0]
                skipped += counts[2]
            if problems is not None:
                problems.append(f"{label}: {target} {status}")
    return passed, failed, skipped


def main():
    output_path, testlogs, label = sys.argv[1:4]
    problems = []
    passed, failed, skipped = summarize(
        target_statuses(output_path), testlogs, label, problems)
    for line in problems:
        print(line, file=sys.stderr)
    print(f"{label}: {passed} passed, {failed} failed, {skipped} skipped",
          file=sys.stderr)
    print(f"{passed} {failed} {skipped}")


if __name__ == "__main__":
    main()
