#!/usr/bin/env python3
"""Checks tools/test_summary.py: skipped cases count as skipped, not passed.

Run by tools/test: python3 tools/test_summary_test.py
"""
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_summary  # noqa: E402

# What tests/e2e/lib.sh writes for a test that cannot run here.
SHELL_SKIPPED = """<?xml version="1.0" encoding="UTF-8"?>
<testsuites><testsuite name="tls_test" tests="1" failures="0" skipped="1">
<testcase name="needs openssl"><skipped message="needs openssl"/></testcase>
</testsuite></testsuites>"""

# What gtest writes: one case passed, one GTEST_SKIP()ped, one failed.
GTEST_MIXED = """<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="3" failures="1" disabled="0" errors="0" name="AllTests">
  <testsuite name="S" tests="3" failures="1" skipped="1">
    <testcase name="a" status="run" result="completed" classname="S"/>
    <testcase name="b" status="run" result="skipped" classname="S">
      <skipped message="no PostgreSQL"/>
    </testcase>
    <testcase name="c" status="run" result="completed" classname="S">
      <failure message="boom"/>
    </testcase>
  </testsuite>
</testsuites>"""

# What Bazel writes for a test that wrote no report of its own.
BAZEL_GENERATED = """<?xml version="1.0" encoding="UTF-8"?>
<testsuites><testsuite name="t" tests="1" failures="0" errors="0">
<testcase name="t" status="run" duration="1" time="1"></testcase>
</testsuite></testsuites>"""


class SummarizeTest(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.testlogs = self.dir.name

    def tearDown(self):
        self.dir.cleanup()

    def write(self, label, xml):
        path = test_summary.xml_path(self.testlogs, label)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(xml)

    def test_only_case_skipped_counts_as_skipped(self):
        self.write("//tests/e2e:tls_test", SHELL_SKIPPED)
        self.assertEqual(
            test_summary.summarize({"//tests/e2e:tls_test": "PASSED"},
                                   self.testlogs), (0, 0, 1))

    def test_gtest_skip_is_counted_per_case(self):
        self.write("//a:t", GTEST_MIXED)
        self.assertEqual(
            test_summary.summarize({"//a:t": "FAILED"}, self.testlogs),
            (1, 1, 1))

    def test_report_written_by_bazel_is_one_pass(self):
        self.write("//a:t", BAZEL_GENERATED)
        self.assertEqual(
            test_summary.summarize({"//a:t": "PASSED"}, self.testlogs),
            (1, 0, 0))

    def test_no_report(self):
        problems = []
        self.assertEqual(
            test_summary.summarize(
                {"//a:ok": "PASSED", "//a:bad": "FAILED TO BUILD",
                 "//a:skip": "SKIPPED"}, self.testlogs, "x", problems),
            (1, 1, 1))
        self.assertEqual(problems, ["x: //a:bad FAILED TO BUILD"])

    def test_statuses_from_bazel_output(self):
        with open(os.path.join(self.testlogs, "out.log"), "w") as f:
            f.write("//a:t    (cached) PASSED in 0.1s\n"
                    "//b:u    FAILED in 2.0s\n"
                    "INFO: Build completed\n")
        self.assertEqual(
            test_summary.target_statuses(
                os.path.join(self.testlogs, "out.log")),
            {"//a:t": "PASSED", "//b:u": "FAILED"})


if __name__ == "__main__":
    unittest.main()
