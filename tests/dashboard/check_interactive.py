#!/usr/bin/env python3
"""Checks what tests/dashboard/harness observed on a page (its --dump-dom).

    check_interactive.py PAGE --dom FILE --width PX

The harness (harness/harness.js) loads the page in a frame PX wide, clicks
every sortable table header twice and every chart legend toggle twice,
and measures the rendered axis text and whether the window picker shows.
This script checks: each click sorts the column ascending then
descending (numbers as numbers, empty cells last) with aria-sort set on
that header only; each legend toggle hides then shows its series with
aria-pressed in step; axis text is at least 11 CSS px as rendered; the
window picker shows exactly on the pages it affects. Prints "ok:" /
"FAIL:" lines like check_dom.py; exits 1 if any check failed.
"""
import argparse
import html
import json
import re
import sys

WINDOWED = ("world", "country", "asn", "empty", "unmeasured")
# Pages with a time series, and pages with sortable tables (the empty
# window and the unmeasured country have neither).
CHARTS = ("world", "country", "asn")
TABLES = ("world", "country", "asn", "probes", "methodology")
MIN_AXIS_PX = 11.0


class Checks:
    def __init__(self):
        self.failed = 0

    def __call__(self, ok, what, detail=""):
        if ok:
            print(f"ok: {what}")
        else:
            self.failed += 1
            print(f"FAIL: {what}{': ' + detail if detail else ''}")
        return ok


def natural(text):
    """Text as the dashboard sorts it: case-insensitive, digit runs as
    numbers (localeCompare with numeric: true, close enough for ASCII)."""
    return [(0, int(x), "") if x.isdigit() else (1, 0, x.lower())
            for x in re.split(r"(\d+)", text) if x]


def expected(values, numeric, descending):
    present = [v for v in values if v is not None and v != ""] if numeric \
        else [v for v in values if v is not None]
    missing = len(values) - len(present)
    key = float if numeric else natural
    return sorted(present, key=key, reverse=descending) + [None] * missing


def same_order(got, want, numeric):
    if len(got) != len(want):
        return False
    for g, w in zip(got, want):
        if w is None or g is None:
            if (g in (None, "") if numeric else g is None) != (w is None):
                return False
        elif numeric and float(g) != float(w):
            return False
        elif not numeric and natural(g) != natural(w):
            return False
    return True


def check_tables(result, check, page):
    tables = result.get("tables", [])
    if page in TABLES:
        check(len(tables) > 0, f"{page}: the page has sortable tables")
    for t in tables:
        for c in t["columns"]:
            label = f"{t['name']} column {c['header']!r}"
            if not check(c.get("button"), f"{label}: header is a sort button"):
                continue
            numeric = c["type"] == "number"
            values = c["first"]["values"]
            up = expected(values, numeric, False)
            down = expected(values, numeric, True)
            check(c["first"]["ariaSort"] == "ascending"
                  and same_order(values, up, numeric),
                  f"{label}: first click sorts ascending"
                  f"{' as numbers' if numeric else ''} (aria-sort ascending)",
                  f"{c['first']['ariaSort']} {values[:8]}")
            check(c["second"]["ariaSort"] == "descending"
                  and same_order(c["second"]["values"], down, numeric),
                  f"{label}: second click sorts descending (aria-sort "
                  "descending)", f"{c['second']['ariaSort']} "
                  f"{c['second']['values'][:8]}")
            check(c["othersCleared"], f"{label}: aria-sort on this header only")


def check_toggles(result, check, page):
    toggles = result.get("toggles", [])
    if page in CHARTS:
        check(len(toggles) >= 3, f"{page}: the chart legend toggles each "
              f"series ({len(toggles)} toggles)")
    for t in toggles:
        check(t["before"] == "true" and t["first"] == {"pressed": "false", "hidden": True}
              and t["second"] == {"pressed": "true", "hidden": False},
              f"legend toggle {t['series']}: hides, then shows its series "
              "(aria-pressed in step)", str(t))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("page")
    parser.add_argument("--dom", required=True)
    parser.add_argument("--width", type=int, required=True)
    args = parser.parse_args()
    with open(args.dom, encoding="utf-8") as f:
        text = f.read()
    check = Checks()
    m = re.search(r'<pre id="result" data-done="(\w+)">(.*?)</pre>', text, re.S)
    if not check(bool(m) and m.group(1) == "true",
                 f"{args.page}: the harness saw the page render"):
        return 1
    result = json.loads(html.unescape(m.group(2)))
    check(result["viewport"] == args.width,
          f"{args.page}: rendered {result['viewport']} px wide ({args.width})")
    windowed = args.page in WINDOWED
    check(result["picker"] == windowed,
          f"{args.page}: window picker {'shown' if windowed else 'hidden'} "
          "(it affects only the map, country and network pages)")
    if args.page in CHARTS:
        px = result["axisMinPx"]
        check(px is not None and px >= MIN_AXIS_PX,
              f"{args.page}: chart axis text renders at {px} px "
              f"(>= {MIN_AXIS_PX})")
    check_tables(result, check, args.page)
    check_toggles(result, check, args.page)
    return 1 if check.failed else 0


if __name__ == "__main__":
    sys.exit(main())
