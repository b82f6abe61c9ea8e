#!/usr/bin/env python3
"""Checks the dashboard in every language (harness/i18n.html's JSON in a
--dump-dom of it): each route rendered without an error in each language
and width, with <html lang dir> set (right to left in Arabic), no message
missing from the language's catalogue, nothing past the page's edges, the
header in that language, and no English left in the running text of a
page in another language (an English message of the catalogue, or
English function words: a string the code forgot to translate).

    check_i18n.py --dom=FILE --root=REPO [--api=BASE]

Prints "ok: ..." / "FAIL: ..." lines (dashboard_test.sh counts them).
"""
import argparse
import html
import json
import re
import sys
import urllib.request

# Words that only English running text has; a page in another language
# showing them has text the code did not translate.
ENGLISH_WORDS = re.compile(
    r"\b(the|of|and|with|from|this|these|per|probes?|networks?|domains?|"
    r"insufficient|withheld|measured|window|share|countries)\b", re.IGNORECASE)


def result_json(dom_path):
    with open(dom_path, encoding="utf-8") as f:
        dom = f.read()
    m = re.search(r'<pre id="result" data-done="true">(.*?)</pre>', dom, re.DOTALL)
    if not m:
        return None
    return json.loads(html.unescape(m.group(1)))


def catalogue(root, lang):
    with open(f"{root}/i18n/dashboard/{lang}.json", encoding="utf-8") as f:
        return json.load(f)


def api_strings(api):
    """Text the API sends that a page shows as it is (English or not):
    campaign names."""
    if not api:
        return []
    try:
        with urllib.request.urlopen(f"{api}/api/v1/services/campaigns") as r:
            body = json.load(r)
    except OSError:
        return []
    return [c.get("name", "") for c in body.get("campaigns", []) if c.get("name")]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dom", required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--api", default="")
    parser.add_argument("--langs", default="ar,en,es,fr,ru,zh",
                        help="the languages the DOM must hold")
    args = parser.parse_args()
    failures = 0

    def check(ok, what, detail=""):
        nonlocal failures
        print(f"{'ok' if ok else 'FAIL'}: {what}" + ("" if ok or not detail else f" ({detail})"))
        failures += 0 if ok else 1
        return ok

    results = result_json(args.dom)
    if not check(results is not None, "the i18n harness finished"):
        return 1
    english = catalogue(args.root, "en")
    # English messages without arguments, long enough not to be a word
    # other languages share ("Web", "DNS", "ASN").
    english_texts = {k: v for k, v in english.items()
                     if "{" not in v and len(v) >= 12}
    from_api = api_strings(args.api)
    langs = sorted({r["lang"] for r in results})
    check(set(langs) == set(args.langs.split(",")),
          f"every language asked was rendered ({args.langs})", ",".join(langs))
    for r in results:
        where = f"{r['route']} {r['lang']} {r['width']}px"
        if not check("exception" not in r, f"{where}: rendered", r.get("exception", "")):
            continue
        check(r["ready"] and not r["error"], f"{where}: rendered without an error")
        want_dir = "rtl" if r["lang"] == "ar" else "ltr"
        check(r["lang_attr"] == r["lang"] and r["dir"] == want_dir
              and r["dir_computed"] == want_dir,
              f"{where}: <html lang={r['lang']} dir={want_dir}>",
              f"lang={r['lang_attr']} dir={r['dir']} computed={r['dir_computed']}")
        check(not r["missing"], f"{where}: no message missing", " ".join(r["missing"]))
        check(not r["overflowing"] and r["scroll_width"] <= r["view"] + 1,
              f"{where}: fits its {r['view']} px (nothing past either edge)",
              f"scroll width {r['scroll_width']}; " + "; ".join(r["overflowing"]))
        translated = catalogue(args.root, r["lang"])
        check(r["nav"].get("dash.nav.map") == translated["dash.nav.map"]
              and r["nav"].get("dash.nav.services") == translated["dash.nav.services"],
              f"{where}: the header is in {r['lang']}",
              json.dumps(r["nav"], ensure_ascii=False)[:200])
        check(bool(r["h1"]), f"{where}: the page has a heading")
        # The window picker only where the numbers depend on the window:
        # not on the map's readiness measure (a campaign's rounds).
        if "measure=services" in r["route"] or r["route"].startswith("#/services"):
            check(not r["picker"], f"{where}: no window picker")
        elif r["route"].startswith(("#/?window", "#/country/")):
            check(r["picker"], f"{where}: the window picker shows")
        if r["lang"] == "en":
            continue
        text = r["text"]
        for name in from_api:
            text = text.replace(name, " ")
        leaked = sorted({v for k, v in english_texts.items()
                         if v != translated.get(k) and v in text})
        words = sorted({m.group(0) for m in ENGLISH_WORDS.finditer(text)})
        context = "; ".join(text[max(0, m.start() - 40):m.end() + 40]
                            for m in list(ENGLISH_WORDS.finditer(text))[:3])
        check(not leaked and not words, f"{where}: no English in the page's text",
              f"messages {leaked[:3]} words {words[:8]}: …{context}…")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
