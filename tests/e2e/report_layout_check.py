"""Checks report_harness's observations (its --dump-dom on standard input).

Every report page asked for (each language, desktop and phone width) must
have loaded in its language with the right direction (rtl for Arabic),
be no wider than its frame, and have no element past the frame's edge.
Prints ok:/FAIL: lines; exits 1 on any failure.
"""
import html
import json
import re
import sys


def main():
    dom = sys.stdin.read()
    m = re.search(r'<pre id="result" data-done="true">(.*?)</pre>', dom, re.S)
    if not m:
        print("FAIL: the harness did not finish")
        return 1
    results = json.loads(html.unescape(m.group(1)))
    failed = 0
    langs = set()
    for r in results:
        what = "%s in %s at %d px" % (r["page"], r["lang"], r["width"])
        langs.add(r["lang"])
        problems = []
        if "error" in r:
            problems.append(r["error"])
        else:
            if r["lang_attr"] != r["lang"]:
                problems.append("lang=%s" % r["lang_attr"])
            if r["dir"] != ("rtl" if r["lang"] == "ar" else "ltr"):
                problems.append("dir=%s" % r["dir"])
            if r["scroll_width"] > r["view"] + 1:
                problems.append("page %d px wide in a %d px frame" %
                                (r["scroll_width"], r["view"]))
            if r["overflowing"]:
                problems.append("past the edge: " + "; ".join(r["overflowing"]))
        if problems:
            failed += 1
            print("FAIL: %s: %s" % (what, ", ".join(problems)))
        else:
            print("ok: %s fits" % what)
    if len(langs) != 6:
        print("FAIL: %d languages observed, want 6" % len(langs))
        failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
