#!/usr/bin/env python3
"""Checks one probe run (run-once --json output) and the collector's stored
copy of it (`v6scope runs --format=csv`) against a topology's expectations.

Prints one line per check, "ok|NAME" or "FAIL|NAME: why", for testbed.sh
to turn into JUnit test cases; exits 0 either way (2 on bad usage).

The root causes must be exactly the expected ones in the expected order
(ascending enum order, as the verdict lists them). A methodology 2 verdict
(methodology_version "2") must explain every label: one explanation per
label, capability first, then the causes in order, each with a text.

usage: check_run.py --run FILE --runs-csv FILE --probe-id ID
         [--aggregate FILE] [--run-index N]
         --capability CAP [--causes "A B"] [--score N] [--nat64 PREFIX]
         [--v4-prefix P] [--v6-prefix P] [--tests "KIND=OUT[|OUT][/FAM] ..."]
--run-index N: the run is this probe's N-th (the collector holds N runs of
it, the newest being this one; the aggregate counts N runs).
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
    p.add_argument("--aggregate", default="",
                   help="`v6scope regions --group_by=global --format=json` output")
    p.add_argument("--run-index", type=int, default=1,
                   help="this run is the probe's N-th since enrolment")
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
    causes = verdict.get("root_causes", [])
    want_causes = a.causes.split()
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
    if verdict.get("methodology_version") == "2":
        check_explanations(verdict, check)
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
        check("collector lists the run", len(rows) == a.run_index,
              "%d rows for probe %s, want %d" % (len(rows), a.probe_id,
                                                 a.run_index))
    if len(rows) == a.run_index:
        row = max(rows, key=lambda r: int(r.get("seq") or 0))
        check("collector stored capability " + a.capability,
              row.get("capability") == a.capability,
              "got " + str(row.get("capability")))
        stored = [c for c in row.get("causes", "").split(";")
                  if c and c != "-"]
        check("collector stored root causes [%s]" % " ".join(want_causes),
              stored == want_causes, "got [%s]" % " ".join(stored))
        if a.score:
            check("collector stored score " + a.score,
                  row.get("score") == a.score, "got " + str(row.get("score")))

    if a.aggregate:
        a.methodology = verdict.get("methodology_version", "")
        check_aggregate(a, want_causes, check)

    print("\n".join(results))
    return 0


def check_explanations(verdict, check):
    """Methodology 2: one plain sentence per label, capability first, then
    each root cause in the verdict's order."""
    labels = [verdict.get("capability", "CAPABILITY_UNSPECIFIED")]
    labels += verdict.get("root_causes", [])
    ex = verdict.get("explanations", [])
    got = [e.get("label", "") for e in ex]
    check("explanations are one per label [%s]" % " ".join(labels),
          got == labels, "got [%s]" % " ".join(got))
    empty = [e.get("label", "?") for e in ex if not e.get("text", "").strip()]
    check("every explanation has a text", not empty,
          "empty for " + " ".join(empty))


# docs/methodology.md §8 / docs/aggregation.md: the classes counted.
# The collector's classes (docs/aggregation.md): V4_BROKEN is capable, not
# preferred (its IPv6 use is forced by a fault, not chosen).
CAPABLE = {"V6_PREFERRED", "V6_CAPABLE", "V6_ONLY", "V6_ONLY_NAT64", "V4_BROKEN"}
PREFERRED = {"V6_PREFERRED", "V6_ONLY", "V6_ONLY_NAT64"}


def check_aggregate(a, want_causes, check):
    """The collector's global aggregate of the day: this one probe, counted
    in exactly the shares its verdict puts it in."""
    try:
        with open(a.aggregate) as f:
            records = [json.loads(l) for l in f if l.startswith("{")]
    except (OSError, ValueError) as e:
        check("collector aggregate is readable", False, str(e))
        return
    check("collector aggregate has one global group", len(records) == 1,
          "%d records" % len(records))
    if len(records) != 1:
        return
    g = records[0].get("group", {})
    measured = a.capability not in ("OFFLINE", "CAPABILITY_UNSPECIFIED")
    check("aggregate counts 1 probe and each of its runs",
          g.get("probes", 0) == 1 and g.get("runs", 0) == a.run_index,
          "probes %s runs %s, want 1 and %d" % (g.get("probes", 0),
                                               g.get("runs", 0), a.run_index))
    expect = {
        "v6_capable": a.capability in CAPABLE,
        "v6_preferred": a.capability in PREFERRED,
        "v6_broken": a.capability == "V6_BROKEN",
        "pmtu_broken": "PMTU_BLACKHOLE" in want_causes,
        # Behind NAT64 whether or not the translator works
        # (docs/aggregation.md): NAT64_BROKEN counts too.
        "nat64": (a.capability == "V6_ONLY_NAT64" or "NAT64" in want_causes
                  or "NAT64_BROKEN" in want_causes),
    }
    if a.methodology == "2":
        expect["v4_broken"] = a.capability == "V4_BROKEN"
    for share, want in expect.items():
        s = g.get(share, {})
        got = (s.get("count", 0), s.get("total", 0))
        check("aggregate %s is %d of %d" % (share, want, int(measured)),
              got == (int(want), int(measured)), "got %d of %d" % got)


if __name__ == "__main__":
    sys.exit(main())
