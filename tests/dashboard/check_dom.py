#!/usr/bin/env python3
"""Checks a dashboard page's DOM (Chromium's --dump-dom) against the API.

    check_dom.py PAGE --dom FILE --api http://127.0.0.1:PORT [options]

PAGE is world, country, asn, probes, probe, methodology, empty (the map
for a window without data) or unmeasured (a country without any probe:
--key, --name). The script asks
the collector's JSON API the same question the page asked and compares the
numbers the page put in data attributes (data-share, data-value, ...) with
the API's, and the verdict labels with the dashboard's names for them
(--vocabulary, dashboard/src/vocabulary.js; --proto, proto/results.proto).
Prints one "ok: ..." or "FAIL: ..." line per check (and "note: ..." for
what the API does not carry yet); exits 1 if any check failed.
"""
import argparse
import html.parser
import json
import os
import re
import sys
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_views as views  # noqa: E402
import vocabulary  # noqa: E402

SERIES = ("v6_capable", "v6_preferred", "v6_broken")


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}


def squash(text):
    return " ".join(text.split())


class Dom(html.parser.HTMLParser):
    """Every element as (tag, attrs), its text under the attribute "#text";
    the text of the whole page."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.text_parts = []
        self.open = []  # (tag, attrs, text parts) of the open elements.
        self.feed(text)
        while self.open:
            self._close()

    def _close(self):
        _, attrs, parts = self.open.pop()
        attrs["#text"] = squash(" ".join(parts))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if tag not in VOID:
            self.open.append((tag, attrs, []))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if not any(t == tag for t, _, _ in self.open):
            return  # A stray end tag: ignored, as a browser would.
        while self.open:
            closing = self.open[-1][0]
            self._close()
            if closing == tag:
                return

    def handle_data(self, data):
        self.text_parts.append(data)
        for _, _, parts in self.open:
            parts.append(data)

    @property
    def text(self):
        return squash(" ".join(self.text_parts))

    def find(self, tag=None, **attrs):
        """Elements with the tag (any if None) and these attribute values
        (True: present with any value); attribute names use _ for -."""
        want = {k.replace("_", "-"): v for k, v in attrs.items()}
        out = []
        for t, a in self.elements:
            if tag is not None and t != tag:
                continue
            if all((k in a) if v is True else a.get(k) == v
                   for k, v in want.items()):
                out.append(a)
        return out


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


def api(base, path, **params):
    query = urllib.parse.urlencode({k: v for k, v in params.items() if v})
    with urllib.request.urlopen(f"{base}{path}?{query}", timeout=30) as r:
        return json.load(r)


def aggregates(base, **params):
    """Every page of /api/v1/aggregates."""
    groups, token, body = [], "", {}
    while True:
        body = api(base, "/api/v1/aggregates", page_size=1000,
                   page_token=token, **params)
        groups += body.get("groups", [])
        token = body.get("next_page_token", "")
        if not token:
            return groups, body


def share(group, key):
    """(value, ci_low, ci_high) with absent numbers as 0 (proto3 JSON)."""
    s = group.get(key) or {}
    return (float(s.get("value", 0)), float(s.get("ci_low", 0)),
            float(s.get("ci_high", 0)))


def brief(attrs):
    """An element's attributes for a message, without path data."""
    return str({k: v for k, v in (attrs or {}).items()
                if k not in ("d", "#text")})


def same(attr_value, number):
    """A data attribute written by JS equals the API's double exactly."""
    try:
        return float(attr_value) == float(number)
    except (TypeError, ValueError):
        return False


def check_ready(dom, check):
    body = dom.find("body")
    check(bool(body) and body[0].get("data-ready") == "true",
          "page finished rendering (body[data-ready=true])",
          f"body attributes {body[0] if body else None}")
    check(not dom.find(data_error="true"), "page shows no error",
          dom.text[:300])


def check_footer(dom, meta, check):
    version = [a for a in dom.find(data_meta="methodology-version")]
    check(meta.get("methodology_version", "") in dom.text and bool(version),
          "footer shows the API's methodology_version "
          f"({meta.get('methodology_version')!r})")
    datasets = meta.get("datasets", "")
    first = datasets.split(";")[0]
    check(first in dom.text, "footer shows the API's datasets", first)


def check_world(dom, args, check):
    groups, meta = aggregates(args.api, group_by="country",
                              window=args.window, at=args.at)
    paths = dom.find("path", data_status=True)
    check(len(paths) >= 150, f"map drew {len(paths)} country paths (>= 150)")
    by_code = {a["data-country"]: a for a in paths if "data-country" in a}
    filled = [a for a in paths if a.get("data-status") == "published"
              and a.get("fill", "").startswith(("rgb", "#"))]
    published = [g for g in groups if not g.get("insufficient_data")]
    insufficient = [g for g in groups if g.get("insufficient_data")]
    check(len(published) > 0 and len(insufficient) > 0,
          f"the API has published ({len(published)}) and insufficient "
          f"({len(insufficient)}) countries")
    check(len(filled) == len([g for g in published if g["key"] in by_code]),
          f"{len(filled)} map paths have a share fill colour, one per "
          "published country")
    for g in groups:
        code = g["key"]
        if not re.fullmatch(r"[A-Z]{2}", code):
            continue  # "unknown": probes without a country, not on a map.
        path = by_code.get(code)
        if not check(path is not None, f"{code} is on the map"):
            continue
        if g.get("insufficient_data"):
            check(path.get("data-status") == "insufficient"
                  and "data-share" not in path
                  and "hatch" in path.get("fill", ""),
                  f"{code}: hatched as insufficient data, no number", brief(path))
        else:
            value, low, high = share(g, "v6_capable")
            check(path.get("data-status") == "published"
                  and same(path.get("data-share"), value)
                  and same(path.get("data-ci-low"), low)
                  and same(path.get("data-ci-high"), high),
                  f"{code}: data-share {path.get('data-share')} equals the "
                  f"API's v6_capable {value} (and its interval)", brief(path))
    codes = {g["key"] for g in groups}
    stray = [c for c, a in by_code.items()
             if c not in codes and a.get("data-status") != "none"]
    check(not stray, "countries without a group are drawn as 'no probes'",
          ", ".join(stray))
    de = by_code.get("DE", {})
    de_api = next((g for g in groups if g["key"] == "DE"), None)
    check(de_api is not None and not de_api.get("insufficient_data")
          and same(de.get("data-share"), share(de_api, "v6_capable")[0]),
          f"DE: data-share {de.get('data-share')} equals the API's "
          f"{share(de_api, 'v6_capable')[0] if de_api else None}")
    rows = {a["data-key"]: a for a in dom.find("tr", data_key=True)}
    for g in published:
        row = rows.get(g["key"], {})
        check(same(row.get("data-share"), share(g, "v6_capable")[0]),
              f"{g['key']}: the countries table shows the API's share")
    world, _ = aggregates(args.api, group_by="global", window=args.window,
                          at=args.at)
    if check(len(world) == 1 and not world[0].get("insufficient_data"),
             "the worldwide group is published in the API"):
        check(("have broken IPv4" in dom.text) == ("v4_broken" in world[0]),
              "the worldwide line names the IPv4 broken share exactly when "
              "the API sends it")
        check_versions_note(dom, world[0], check, "worldwide")
    legend = "Insufficient data (fewer than %d probes)" % meta.get(
        "min_probes", 0)
    check(legend in dom.text, f"legend says {legend!r}")
    check_footer(dom, meta, check)
    # The worldwide trend, its heading, downloads, marks and precision.
    trend, _ = aggregates(args.api, group_by="global", window=args.window,
                          at=args.at, windows=args.windows)
    check_series(dom, trend, check, "worldwide trend")
    views.check_heading(dom, trend, args.window, check, "worldwide trend", "trend-h")
    views.check_bands(dom, check, "worldwide trend")
    regions, _ = aggregates(args.api, group_by="itu_region", window=args.window, at=args.at)
    view = {"window": args.window, "at": args.at}
    views.check_downloads(dom, args.api, check, ["worldwide", "worldwide-trend", "countries", "regions"], {
        "worldwide": {**view, "group_by": "global"},
        "worldwide-trend": {**view, "group_by": "global", "windows": str(args.windows)},
        "countries": {**view, "group_by": "country"},
        "regions": {**view, "group_by": "itu_region"}})
    views.check_synthetic(dom, check, "world", views.synthetic_of(groups, world, regions))
    views.check_precision(dom, check, "world")


def check_series(dom, groups, check, label):
    """The chart's points are the API's windows and values."""
    points = {(a["data-series"], a["data-window-start"]): a
              for a in dom.find("circle", data_series=True)}
    published = [g for g in groups if not g.get("insufficient_data")]
    check(len(published) >= 2,
          f"{label}: the API has {len(published)} published windows (>= 2)")
    check(len(points) == len(published) * len(SERIES),
          f"{label}: chart has {len(points)} points, "
          f"{len(published)} windows x {len(SERIES)} series")
    bad = []
    for g in published:
        for key in SERIES:
            p = points.get((key, g["window_start"]))
            value, low, high = share(g, key)
            if p is None or not (same(p.get("data-value"), value)
                                 and same(p.get("data-ci-low"), low)
                                 and same(p.get("data-ci-high"), high)):
                bad.append(f"{key}@{g['window_start']}: page {p}, api {value}")
    check(not bad, f"{label}: every point's value and interval equal the "
          "API's", "; ".join(bad[:5]))
    shaded = dom.find("rect", data_window_start=True)
    check(len(shaded) == len(groups) - len(published),
          f"{label}: {len(shaded)} windows shaded as insufficient data")


def check_summary(dom, group, check, label, names):
    rows = {a["data-share-key"]: a for a in dom.find(data_share_key=True)}
    for key in ("v6_capable", "v6_preferred", "v6_broken", "resolver_v6"):
        value = share(group, key)[0]
        check(same(rows.get(key, {}).get("data-value"), value),
              f"{label}: summary {key} equals the API's {value}")
    # V4_BROKEN (methodology 2): beside the others when the API sends it,
    # absent (not 0%) when it does not.
    if group.get("v4_broken") is not None:
        value = share(group, "v4_broken")[0]
        check(same(rows.get("v4_broken", {}).get("data-value"), value)
              and "IPv4 broken" in rows.get("v4_broken", {}).get("#text", ""),
              f"{label}: summary shows 'IPv4 broken' {value} as the API")
    else:
        print(f"note: {label}: the API sends no v4_broken share (a "
              "methodology 1 collector)")
        check("v4_broken" not in rows,
              f"{label}: no IPv4 broken row without the API's share")
    check_causes(dom, group, check, label, names)
    check_versions_note(dom, group, check, label)


def check_causes(dom, group, check, label, names):
    """The "why" list: each API cause by its dashboard name, with its share
    and interval when the API sends one, else its probe count."""
    causes = group.get("causes", [])
    items = {a["data-cause"]: a for a in dom.find("li", data_cause=True)}
    check(set(items) == {c["cause"] for c in causes},
          f"{label}: the why list has the API's causes "
          f"{sorted(c['cause'] for c in causes)}", str(sorted(items)))
    if not causes:
        print(f"note: {label}: the API names no cause in this window")
    for c in causes:
        code, probes = c["cause"], int(c.get("probes", 0))
        item = items.get(code, {})
        text = item.get("#text", "")
        name = names.get(code)
        check(bool(name) and text.startswith(name),
              f"{label}: cause {code} is shown as {name!r}", text[:120])
        if "share" in c:
            value, low, high = share(c, "share")
            check(same(item.get("data-value"), value)
                  and same(item.get("data-ci-low"), low)
                  and same(item.get("data-ci-high"), high)
                  and f"{probes} of " in text,
                  f"{label}: cause {code}: share {value} and interval as "
                  "the API's", brief(item))
        else:
            check(item.get("data-probes") == str(probes)
                  and f"{probes} probes" in text
                  and "data-value" not in item,
                  f"{label}: cause {code}: {probes} probes (the API sends "
                  "no share)", brief(item))


def version_key(version):
    """"10" after "9": digit runs compare as numbers."""
    return [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", version)]


def check_versions_note(dom, group, check, label):
    """The mixed-methodology note: present, newest first, only when the
    counted probes' verdicts come from more than one version."""
    versions = group.get("methodology_versions", [])
    notes = dom.find(data_methodology_versions=True)
    if len(versions) < 2:
        if not versions:
            print(f"note: {label}: the API sends no methodology_versions")
        check(not notes, f"{label}: no methodology note with "
              f"{len(versions)} version(s)", brief(notes[0] if notes else {}))
        return
    newest = sorted(versions, key=lambda m: version_key(m["version"]),
                    reverse=True)
    want = ",".join(f"{m['version']}:{int(m.get('probes', 0))}"
                    for m in newest)
    text = notes[0].get("#text", "") if notes else ""
    check(bool(notes) and notes[0].get("data-methodology-versions") == want
          and all(f"on methodology {m['version']}" in text for m in newest),
          f"{label}: methodology note says {want}", text)


def check_country(dom, args, check):
    code = args.key
    params = dict(group_by="country", window=args.window, at=args.at,
                  country=code)
    current, meta = aggregates(args.api, **params)
    series, _ = aggregates(args.api, windows=args.windows, **params)
    networks, _ = aggregates(args.api, group_by="asn", window=args.window,
                             at=args.at, country=code)
    allocs = api(args.api, "/api/v1/allocations", country=code)
    check(bool(dom.find("h1", data_country=code)), f"country page of {code}")
    links = [a for a in dom.find("a", data_report=code)
             if a.get("href") == f"report/{code}?lang=en"]
    if check(len(links) == 1, f"{code} links its national report"):
        with urllib.request.urlopen(f"{args.api}/report/{code}",
                                    timeout=30) as r:
            page = r.read().decode()
        check('<section id="networks">' in page,
              f"the report page of {code} is served")
    if check(len(current) == 1 and not current[0].get("insufficient_data"),
             f"{code} is published in the API"):
        check_summary(dom, current[0], check, code, args.names)
    check_series(dom, series, check, f"{code} time series")
    rows = {a["data-key"]: a for a in dom.find("tr", data_key=True)}
    check(len(networks) > 0 and set(rows) == {g["key"] for g in networks},
          f"{code}: networks table lists the API's ASNs "
          f"{sorted(g['key'] for g in networks)}", str(sorted(rows)))
    for g in networks:
        row = rows.get(g["key"], {})
        if g.get("insufficient_data"):
            check(row.get("data-status") == "insufficient",
                  f"AS{g['key']}: insufficient data")
        else:
            check(same(row.get("data-share"), share(g, "v6_capable")[0]),
                  f"AS{g['key']}: networks table share equals the API's")
    delegations = sum(a.get("delegations", 0)
                      for a in allocs.get("allocations", [])
                      if a.get("country") == code)
    card = dom.find(data_delegations=True)
    check(bool(card) and card[0]["data-delegations"] == str(delegations),
          f"{code}: allocation context shows {delegations} delegations")
    check_footer(dom, meta, check)
    views.check_heading(dom, series, args.window, check, f"{code} time series", "series-h")
    views.check_bands(dom, check, f"{code} time series")
    view = {"window": args.window, "at": args.at, "country": code}
    has_alloc = any(a.get("country") == code for a in allocs.get("allocations", []))
    views.check_downloads(
        dom, args.api, check,
        ["summary", "series", "networks"] + (["allocations"] if has_alloc else []), {
            "summary": {**view, "group_by": "country"},
            "series": {**view, "group_by": "country", "windows": str(args.windows)},
            "networks": {**view, "group_by": "asn"}})
    views.check_synthetic(dom, check, code, views.synthetic_of(current, networks))
    views.check_precision(dom, check, code)
    if current:
        views.check_summary_text(dom, current[0], check, code)


def check_asn(dom, args, check):
    params = dict(group_by="asn", window=args.window, at=args.at, asn=args.key)
    current, meta = aggregates(args.api, **params)
    series, _ = aggregates(args.api, windows=args.windows, **params)
    check(bool(dom.find("h1", data_asn=args.key)), f"network page AS{args.key}")
    if check(len(current) == 1 and not current[0].get("insufficient_data"),
             f"AS{args.key} is published in the API"):
        check_summary(dom, current[0], check, f"AS{args.key}", args.names)
    check_series(dom, series, check, f"AS{args.key} time series")
    check_footer(dom, meta, check)
    label = f"AS{args.key}"
    countries, _ = aggregates(args.api, group_by="country", window=args.window,
                              at=args.at, asn=args.key)
    views.check_country_links(dom, countries, check, label)
    views.check_heading(dom, series, args.window, check, f"{label} time series", "series-h")
    views.check_bands(dom, check, label)
    view = {"window": args.window, "at": args.at, "asn": args.key, "group_by": "asn"}
    views.check_downloads(dom, args.api, check, ["summary", "series"], {
        "summary": view, "series": {**view, "windows": str(args.windows)}})
    views.check_synthetic(dom, check, label, views.synthetic_of(current, countries))
    views.check_precision(dom, check, label)


def check_probes(dom, args, check):
    probes = api(args.api, "/api/v1/probes").get("probes", [])
    rows = {a["data-probe"] for a in dom.find("tr", data_probe=True)}
    check(len(probes) > 0 and rows == {p["probe_id"] for p in probes},
          f"probe list shows the API's {len(probes)} probes", str(rows))
    for p in probes:
        check(p.get("org", "") in dom.text and str(p.get("runs", "0")) in dom.text,
              f"{p['probe_id']}: org and runs shown")
    check("dropped" not in dom.text.lower(),
          "probe list shows public fields only")
    links = {a.get("href") for a in dom.find("a", href=True)}
    check(all(f"#/probe/{urllib.parse.quote(p['probe_id'])}" in links
              for p in probes), "each probe links to its page")
    check_footer(dom, aggregates(args.api, group_by="global")[1], check)
    views.check_downloads(dom, args.api, check, ["probes"], {})
    synthetic = {p["probe_id"] for p in probes if p.get("synthetic")}
    views.check_synthetic(dom, check, "probe list", len(synthetic))
    marked = {a["data-probe"] for a in dom.find("tr", data_synthetic="true")}
    check(marked == synthetic, f"the {len(synthetic)} synthetic probes (API) "
          "are tagged in the list", str(sorted(marked))[:200])


def check_probe(dom, args, check):
    """A probe's page: the newest run's capability and causes by their
    dashboard names, each explanation under its label."""
    runs = api(args.api, "/api/v1/runs", probe_id=args.key,
               page_size=1).get("runs", [])
    check(bool(dom.find("h1", data_probe=args.key)), f"probe page {args.key}")
    if not check(len(runs) == 1 and "verdict" in runs[0].get("run", {}),
                 f"{args.key}: the API has a run with a verdict"):
        return
    verdict = runs[0]["run"]["verdict"]
    version = verdict.get("methodology_version", "")
    codes = ([verdict.get("capability", "CAPABILITY_UNSPECIFIED")]
             + verdict.get("root_causes", []))
    card = dom.find(data_verdict_seq=True)
    check(bool(card) and card[0]["data-verdict-seq"] == str(runs[0]["seq"])
          and card[0].get("data-methodology") == version,
          f"the verdict shown is of the newest run (seq {runs[0]['seq']}, "
          f"methodology {version!r})", brief(card[0] if card else {}))
    shown = {a["data-label"]: a for a in dom.find(data_label=True)}
    check(list(shown) == codes, f"labels shown in the verdict's order: "
          f"{codes}", str(list(shown)))
    for code in codes:
        text = shown.get(code, {}).get("#text", "")
        check(text.startswith(args.names.get(code, "?")),
              f"{code} is shown as {args.names.get(code)!r}", text[:120])
    explanations = verdict.get("explanations", [])
    for e in explanations:
        label, want = e.get("label", ""), squash(e.get("text", ""))
        got = [a["#text"] for a in dom.find(data_explanation=label)]
        check(got == [want] and want in shown.get(label, {}).get("#text", ""),
              f"the explanation of {label} is shown under it: {want!r}",
              str(got))
    if version == "1":
        check(bool(dom.find(data_explanations="none")),
              "a methodology 1 verdict: the page says it has no "
              "explanations")
        print(f"note: {args.key}: a methodology 1 verdict, without "
              "explanations")
    else:
        # Methodology 2 and later: one explanation per label.
        check(sorted(e.get("label") for e in explanations) == sorted(codes),
              f"methodology {version}: the API has one explanation per label",
              str([e.get("label") for e in explanations]))
    check_footer(dom, aggregates(args.api, group_by="global")[1], check)
    views.check_downloads(dom, args.api, check, ["verdict"], {})
    probe = [p for p in api(args.api, "/api/v1/probes").get("probes", [])
             if p["probe_id"] == args.key]
    views.check_synthetic(dom, check, args.key,
                          int(bool(probe and probe[0].get("synthetic"))))


def check_methodology(dom, args, check):
    _, meta = aggregates(args.api, group_by="global")
    k = meta.get("min_probes", 0)
    check(f"k = {k}" in dom.text, f"methodology page states k = {k}")
    for words in ("One vote per probe per window", "Wilson",
                  "Denominator: measured probes", "OFFLINE"):
        check(words in dom.text, f"methodology page explains {words!r}")
    check(bool(dom.find("a", href="docs/methodology.html")),
          "methodology page links the full document")
    # Every label a verdict can carry, by its dashboard name.
    rows = {a["data-label"]: a for a in dom.find("tr", data_label=True)}
    for enum, codes in vocabulary.labels(args.proto).items():
        missing = [c for c in codes
                   if not rows.get(c, {}).get("#text", "").startswith(
                       args.names.get(c, "?"))]
        check(len(codes) > 0 and not missing,
              f"methodology page names every {enum} ({len(codes)}) with "
              "its dashboard name", str(missing))
    views.check_downloads(dom, args.api, check, ["labels"], {})


def check_empty(dom, args, check):
    """The map for a window without data: the message, with the newest
    run's time when the API sends it, and no empty tables."""
    groups, meta = aggregates(args.api, group_by="country", window=args.window, at=args.at)
    check(not groups, f"the API has no country in the window of {args.at}")
    views.check_no_data(dom, meta, check, f"empty window {args.at}")
    check(not dom.find("tr", data_key=True), "no empty table is drawn")


def check_unmeasured(dom, args, check):
    """A country without probes: named, not "FR FR"."""
    groups, meta = aggregates(args.api, group_by="country", country=args.key,
                              window=args.window, at=args.at)
    check(not groups, f"the API has no group for {args.key}")
    h1 = dom.find("h1", data_country=args.key)
    text = h1[0]["#text"] if h1 else ""
    check(text == f"{args.name} {args.key}", f"{args.key} is named "
          f"{args.name!r} (not by its code alone)", text)
    views.check_no_data(dom, meta, check, args.key)


# The readiness states as the dashboard names them (pages/services.js),
# which are the reports' English names (i18n/messages/en.json).
def state_names(root):
    with open(f"{root}/i18n/messages/en.json", encoding="utf-8") as f:
        catalogue = json.load(f)
    return {k[len("state."):].upper(): v for k, v in catalogue.items()
            if k.startswith("state.")}


def serving(cell):
    return next(s["value"] for s in cell["shares"] if s["state"] == "SERVING_V6")


def check_services(dom, args, check):
    """A campaign's shares per country and sector (web): every published
    cell of the API is on the page with its value, every withheld one
    says so, nothing else is."""
    campaigns = api(args.api, "/api/v1/services/campaigns")["campaigns"]
    if not check(len(campaigns) > 0, "the API lists a campaign"):
        return
    cid = campaigns[0]["campaign_id"]
    cells = api(args.api, "/api/v1/services/shares", campaign_id=cid,
                service="web")["cells"]
    shown = {(a["data-country"], a["data-sector"]): a
             for a in dom.find("td", data_country=True)}
    check(len(cells) > 0 and len(shown) == len(cells),
          f"{len(cells)} cells of {cid} on the page", str(len(shown)))
    for c in cells:
        td = shown.get((c["country"], c["sector"]))
        if c["withheld"]:
            check(td is not None and td.get("data-withheld") == "true",
                  f"{c['country']} {c['sector']}: withheld")
            continue
        check(td is not None and same(td.get("data-share"), serving(c)),
              f"{c['country']} {c['sector']}: serving share {serving(c)}",
              str(td and td.get("data-share")))
    check(any(not c["withheld"] for c in cells),
          "some cell is published (k networks)")


def check_servicesmap(dom, args, check):
    """The map's readiness measure (#/?measure=services): for the first
    campaign, web, and the sector shown (government when measured), every
    country with a cell is on the map with the API's serving share and
    interval, a withheld one hatched without a number; no other country
    is shaded."""
    cid = api(args.api, "/api/v1/services/campaigns")["campaigns"][0][
        "campaign_id"]
    cells = api(args.api, "/api/v1/services/shares", campaign_id=cid,
                service="web")["cells"]
    sectors = sorted({c["sector"] for c in cells})
    sector = "government" if "government" in sectors else sectors[0]
    current = [a for a in dom.find("a", data_sector=True)
               if a.get("aria-current") == "page"]
    check(len(current) == 1 and current[0]["data-sector"] == sector,
          f"the map shows sector {sector}", brief(current[0]) if current else "")
    mine = {c["country"]: c for c in cells
            if c["sector"] == sector and re.fullmatch(r"[A-Z]{2}", c["country"])}
    paths = {a["data-country"]: a for a in dom.find("path", data_status=True)
             if "data-country" in a}
    check(len(paths) >= 150, f"map drew {len(paths)} country paths (>= 150)")
    shaded = {code for code, a in paths.items() if a["data-status"] != "none"}
    drawn = {code for code in mine if code in paths}
    check(len(drawn) > 0 and shaded == drawn,
          f"the countries with a {sector} cell ({len(drawn)}) and no others "
          "are shaded", str(sorted(shaded ^ drawn)))
    check(any(c["withheld"] for c in mine.values())
          and any(not c["withheld"] for c in mine.values()),
          "the API has both published and withheld cells for the sector")
    for code in sorted(drawn):
        c, path = mine[code], paths[code]
        if c["withheld"]:
            check(path.get("data-status") == "insufficient"
                  and "data-share" not in path
                  and "hatch" in path.get("fill", ""),
                  f"{code}: withheld, hatched without a number", brief(path))
            continue
        s = next(x for x in c["shares"] if x["state"] == "SERVING_V6")
        check(path.get("data-status") == "published"
              and same(path.get("data-share"), s["value"])
              and same(path.get("data-ci-low"), s["ci_low"])
              and same(path.get("data-ci-high"), s["ci_high"])
              and path.get("data-measure") == "services",
              f"{code}: serving share {s['value']} with its interval",
              brief(path))


def check_servicecountry(dom, args, check):
    """One country's view: its cells per sector and service, and each
    domain's web state as the API's consensus for that country."""
    cid = api(args.api, "/api/v1/services/campaigns")["campaigns"][0][
        "campaign_id"]
    cells = api(args.api, "/api/v1/services/shares", campaign_id=cid,
                country=args.key)["cells"]
    shown = {(a["data-sector"], a["data-service"]): a
             for a in dom.find("td", data_share=True, data_service=True)}
    published = [c for c in cells if not c["withheld"]]
    check(len(published) > 0 and len(shown) == len(published),
          f"{args.key}: {len(published)} published cells on the page",
          str(len(shown)))
    for c in published:
        td = shown.get((c["sector"], c["service"]))
        check(td is not None and same(td.get("data-share"), serving(c)),
              f"{args.key} {c['sector']} {c['service']}: {serving(c)}")
    domains = api(args.api, "/api/v1/services/domains", campaign_id=cid,
                  country=args.key, page_size=1000)["domains"]
    rows = dom.find("tr", data_domain=True)
    check(len(domains) > 0 and len(rows) == len(domains),
          f"{args.key}: {len(domains)} domains listed", str(len(rows)))
    names = state_names(args.root)
    web = {a["data-domain"]: a.get("#text", "").strip()
           for a in dom.find("td", data_domain=True, data_service="web")}
    wrong = []
    for d in domains:
        view = next((v for v in d["countries"] if v["country"] == args.key),
                    None)
        svc = next((s for s in (view or {}).get("services", [])
                    if s["service"] == "web"), None)
        if view is None or view.get("withheld") or svc is None:
            continue
        want = names[svc["state"]] if svc["kind"] == "state" else svc["kind"]
        if web.get(d["domain"]) != want:
            wrong.append(f"{d['domain']}: {web.get(d['domain'])!r} != {want!r}")
    check(not wrong, f"{args.key}: each domain's web state is the API's",
          "; ".join(wrong[:3]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("page", choices=["world", "country", "asn", "probes",
                                         "probe", "methodology", "empty",
                                         "unmeasured", "services",
                                         "servicesmap", "servicecountry"])
    parser.add_argument("--root", default=".",
                        help="the repository (i18n/messages/en.json)")
    parser.add_argument("--dom", required=True)
    parser.add_argument("--api", required=True)
    parser.add_argument("--window", default="week")
    parser.add_argument("--at", default="")
    parser.add_argument("--windows", type=int, default=1)
    parser.add_argument("--key", default="")
    parser.add_argument("--name", default="", help="unmeasured: the country's name")
    parser.add_argument("--vocabulary", required=True,
                        help="dashboard/src/vocabulary.js")
    parser.add_argument("--proto", required=True,
                        help="proto/results.proto")
    args = parser.parse_args()
    args.names = vocabulary.names(args.vocabulary)
    with open(args.dom, encoding="utf-8") as f:
        dom = Dom(f.read())
    check = Checks()
    check_ready(dom, check)
    views.check_picker(dom, "world" if args.page == "empty" else
                       "country" if args.page == "unmeasured" else args.page, check)
    globals()[f"check_{args.page}"](dom, args, check)
    return 1 if check.failed else 0


if __name__ == "__main__":
    sys.exit(main())
