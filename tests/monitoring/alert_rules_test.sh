#!/usr/bin/env bash
# deploy/prometheus/alerts.yml: `promtool check rules` (syntax, templates)
# and `promtool test rules` on alerts_test.yml (each alert firing and not).
set -uo pipefail

ALERTS="$1"; ALERTS_TEST="$2"
SUITE=alert_rules_test
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/../e2e/lib.sh"
command -v promtool >/dev/null ||
  skip_test "promtool is not installed (Debian package prometheus; tools/install-deps)"

WORK="$(mktemp -d "${TEST_TMPDIR:-/tmp}/alerts.XXXXXX")"
# promtool test rules reads rule_files relative to the test file.
cp "$ALERTS" "$WORK/alerts.yml"
cp "$ALERTS_TEST" "$WORK/alerts_test.yml"
check "promtool check rules alerts.yml" promtool check rules "$WORK/alerts.yml"
check "promtool test rules alerts_test.yml" promtool test rules "$WORK/alerts_test.yml"
# Every alert has a case that fires and one where it stays quiet, and the
# annotations an office needs.
check "every alert is tested firing and not firing" python3 - "$WORK/alerts.yml" "$WORK/alerts_test.yml" <<'PY'
import sys, yaml
rules = [r for g in yaml.safe_load(open(sys.argv[1]))["groups"] for r in g["rules"]]
tests = yaml.safe_load(open(sys.argv[2]))["tests"]
fires, quiet = set(), set()
for t in tests:
    for a in t.get("alert_rule_test", []):
        (fires if a.get("exp_alerts") else quiet).add(a["alertname"])
bad = 0
for r in rules:
    name = r["alert"]
    for what, seen in (("firing", fires), ("not firing", quiet)):
        if name not in seen:
            print(f"{name}: no {what} case"); bad += 1
    for key in ("summary", "description", "runbook"):
        if not r.get("annotations", {}).get(key):
            print(f"{name}: no {key} annotation"); bad += 1
sys.exit(1 if bad else 0)
PY
finish
