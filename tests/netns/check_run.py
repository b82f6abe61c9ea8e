#!/usr/bin/env python3
"""Checks one probe run (run-once --json output) and the collector's stored
copy of it (`v6scope runs --format=csv`) against a topology's expectations.

Prints one line per check, "ok|NAME" or "FAIL|NAME: why", for testbed.sh
to turn into JUnit test cases; exits 0 either way (2 on bad usage).

usage: check_run.py --run FILE --runs-csv FILE --probe-id ID
         --capability CAP [--causes "A B"] [--score N] [--nat64 PREFIX]
         [--v4-prefix P] [--v6-prefix P] [--tests "KIND=OUT[|OUT][/FAM] ..."]
"""
import argparse
import csv
import json
import sys


def load_run(path):
    """The run's JSON object: the first stdout line that parses as one."""
    with open(path, errors="replace") as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                return json.loads(line)
    raise ValueError("no JSON run in " + path)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--run", required=True)
    p.add_argument("--runs-csv", required=True)
    p.add_argument("--probe-id", required=True)
    p.add_argument("--capability", required=True)
    p.add_argument("--causes", default="")
    p.add_argument("--score", default="")
    p.add_argument("--nat64", default="")
    p.add_argument("--v4-prefix", default="")
    p.add_argument("--v6-prefix", default="")
    p.add_argument("--tests", default="")
    a = p.parse_args()

    results = []

    def check(name, ok, why=""):
        results.append(("ok|" + name) if ok else ("FAIL|%s: %s" % (name, why)))

    try:
        run = load_run(a.run)
    except (OSError, ValueError) as e:
        check("probe printed the run as JSON", False, str(e))
        print("\n".join(results))
        return 0
    check("probe printed the run as JSON", True)

    verdict = run.get("verdict", {})
    cap = verdict.get("capability", "CAPABILITY_UNSPECIFIED")
    causes = sorted(verdict.get("root_causes", []))
    want_causes = sorted(a.causes.split())
    check("capability is " + a.capability, cap == a.capability,
          "got " + cap)
    check("root causes are [%s]" % " ".join(want_causes),
          causes == want_causes, "got [%s]" % " ".join(causes))
    if a.score:
        got = str(verdict.get("score", 0))
        check("readiness score is " + a.score, got == a.score, "got " + got)
    nat64 = run.get("nat64_prefix", "")
    check("nat64_prefix is " + (a.nat64 or "empty"), nat64 == a.nat64,
          "got '%s'" % nat64)
    pub = run.get("public_addresses", {})
    for fam, want in (("v4", a.v4_prefix), ("v6", a.v6_prefix)):
        got = pub.get(fam + "_prefix", "")
        check("public %s prefix is %s" % (fam, want or "empty"), got == want,
              "got '%s'" % got)

    tests = {}
    for t in run.get("tests", []):
        tests.setdefault(t.get("kind"), t)  # E1: the first of each kind.
    for spec in a.tests.split():
        kind, _, rest = spec.partition("=")
        outcomes, _, family = rest.partition("/")
        allowed = outcomes.split("|")
        t = tests.get(kind)
        if t is None:
            check(spec, False, "no %s test in the run" % kind)
            continue
        out = t.get("outcome", "OUTCOME_UNSPECIFIED")
        fam = t.get("used_family", "")
        ok = out in allowed and (not family or fam == family)
        check("%s is %s" % (kind, rest), ok,
              "got %s/%s (%s)" % (out, fam or "-", t.get("error_detail", "")))

    # The collector stored the run with the same verdict.
    try:
        with open(a.runs_csv, newline="") as f:
            rows = [r for r in csv.DictReader(f) if r.get("probe") == a.probe_id]
    except OSError as e:
        rows = []
        check("collector lists the run", False, str(e))
    else:
        check("collector lists the run", len(rows) == 1,
              "%d rows for probe %s" % (len(rows), a.probe_id))
    if len(rows) == 1:
        row = rows[0]
        check("collector stored capability " + a.capability,
              row.get("capability") == a.capability,
              "got " + str(row.get("capability")))
        stored = sorted(c for c in row.get("causes", "").split(";")
                        if c and c != "-")
        check("collector stored root causes [%s]" % " ".join(want_causes),
              stored == want_causes, "got [%s]" % " ".join(stored))
        if a.score:
            check("collector stored score " + a.score,
                  row.get("score") == a.score, "got " + str(row.get("score")))

    print("\n".join(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
