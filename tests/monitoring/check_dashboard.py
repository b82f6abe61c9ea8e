#!/usr/bin/env python3
"""Checks the Grafana dashboard against what the daemons really export.

usage: check_dashboard.py DASHBOARD.json ALERTS.yml RULES_OUT.yml METRICS...

- the dashboard is valid JSON with panels, each with a title and its
  targets' PromQL expressions;
- every v6scope_* metric name an expression uses is in one of the METRICS
  files (the real /metrics of a collector and a probe) or in a series the
  alert rules use;
- every expression is PromQL: written to RULES_OUT.yml as recording rules
  (Grafana's variables replaced), for `promtool check rules` to parse.

Prints "ok: ..." / "FAIL: ..." lines (tests/e2e/lib.sh reads them).
"""
import json
import re
import sys

NAME = re.compile(r"\bv6scope_[a-zA-Z0-9_:]*")


def exported_names(paths):
    names = set()
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                m = re.match(r"# TYPE (\S+) ", line)
                if m:
                    names.add(m.group(1))
    return names


def panels_of(dashboard):
    for p in dashboard.get("panels", []):
        yield p
        yield from p.get("panels", [])


def main():
    dash_path, alerts_path, rules_out = sys.argv[1:4]
    exported = exported_names(sys.argv[4:])
    with open(alerts_path, encoding="utf-8") as f:
        in_alerts = set(NAME.findall(f.read()))
    known = exported | in_alerts
    try:
        with open(dash_path, encoding="utf-8") as f:
            dashboard = json.load(f)
    except ValueError as e:
        print(f"FAIL: dashboard is not valid JSON: {e}")
        return 1
    failures = 0
    exprs = []
    for p in panels_of(dashboard):
        if p.get("type") == "row":
            continue
        if not p.get("title") or not p.get("targets"):
            print(f"FAIL: panel {p.get('id')} has no title or no targets")
            failures += 1
        for t in p.get("targets", []):
            expr = t.get("expr", "")
            exprs.append(expr)
            used = NAME.findall(expr)
            if not used:
                print(f"FAIL: {p.get('title')}: no v6scope metric in {expr!r}")
                failures += 1
            for name in used:
                if name not in known:
                    print(f"FAIL: {p.get('title')}: {name} is exported by "
                          "neither daemon nor used by the alert rules")
                    failures += 1
    if failures == 0:
        print(f"ok: dashboard: {len(exprs)} expressions use only metrics "
              f"that exist ({len(exported)} exported)")
    with open(rules_out, "w", encoding="utf-8") as f:
        f.write("groups:\n  - name: dashboard\n    rules:\n")
        for i, expr in enumerate(exprs):
            e = (expr.replace("$__rate_interval", "5m")
                 .replace("$probe_job", ".*").replace("$job", ".*"))
            f.write(f"      - record: dashboard:expr{i}\n")
            f.write(f"        expr: {json.dumps(e)}\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
