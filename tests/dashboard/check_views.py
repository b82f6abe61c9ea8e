"""check_dom.py's checks of issue 18's dashboard points, one function each:
downloads, the precision rule, the synthetic mark, the empty-window
message, the series heading, the network's country links, the window
picker and the readable interval bands. Each takes the parsed DOM
(check_dom.Dom), the API's base URL or answers, and a Checks."""
import csv
import io
import json
import math
import re
import urllib.parse
import urllib.request
from datetime import datetime

SERIES = ("v6_capable", "v6_preferred", "v6_broken")
WINDOWED = ("world", "country", "asn")
DAY = 86400


def pct_number(v):
    """dashboard/src/format.js pctNumber(): two significant digits below
    10%, whole percents from 10% up (docs/dashboard.md)."""
    x = float(v) * 100
    if x == 0:
        return "0"
    two = float(f"{abs(x):.2g}")
    if two >= 10:
        # JS Math.round: halves up.
        return str(int(abs(x) + 0.5) * (1 if x > 0 else -1))
    decimals = max(0, 1 - math.floor(math.log10(two)))
    return f"{'-' if x < 0 else ''}{two:.{decimals}f}"


def pct_ci(value, low, high):
    return f"{pct_number(value)}% ({pct_number(low)}–{pct_number(high)}%)"


def with_class(dom, name):
    return [a for _, a in dom.elements if name in a.get("class", "").split()]


def fetch(base, href):
    """The bytes behind a link: a data: URL decoded, else fetched."""
    if href.startswith("data:"):
        _, _, payload = href.partition(",")
        return urllib.parse.unquote(payload).encode()
    with urllib.request.urlopen(f"{base}/{href}", timeout=30) as r:
        return r.read()


def link_params(href):
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(href).query))


def check_downloads(dom, base, check, names, want_params):
    """Each view in `names` has a CSV and a JSON link that load; an
    aggregates pair carries the view's parameters (want_params) and its
    CSV has the JSON's groups, row for row."""
    links = {}
    for a in dom.find("a", data_download=True):
        links.setdefault(a.get("data-view"), {})[a["data-download"]] = a["href"]
    check(set(links) == set(names), f"download links for the views {sorted(names)}",
          str(sorted(links)))
    for name in names:
        files = links.get(name, {})
        if not check(set(files) == {"csv", "json"}, f"{name}: a CSV and a JSON download"):
            continue
        try:
            rows = list(csv.DictReader(io.StringIO(fetch(base, files["csv"]).decode())))
            data = json.loads(fetch(base, files["json"]))
        except Exception as e:  # noqa: BLE001 - any failure is the finding.
            check(False, f"{name}: the downloads load", repr(e))
            continue
        check(len(rows) > 0, f"{name}: the CSV has {len(rows)} rows")
        if "export/aggregates" not in files["csv"]:
            check(bool(data), f"{name}: the JSON is not empty")
            continue
        params = link_params(files["json"])
        check(all(params.get(k) == v for k, v in want_params.get(name, {}).items() if v),
              f"{name}: the links carry the view's parameters "
              f"{want_params.get(name)}", files["json"])
        check(link_params(files["csv"]) == {**{k: v for k, v in params.items()
                                                if k != "page_size"}, "format": "csv"},
              f"{name}: CSV export and JSON API asked the same question")
        groups = data.get("groups", [])
        check([(r["key"], r["window_start"]) for r in rows]
              == [(g["key"], g["window_start"]) for g in groups] and groups,
              f"{name}: the CSV's {len(rows)} rows are the JSON's "
              f"{len(groups)} groups")


PERCENT = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?=%|–\d)")


def check_precision(dom, check, label):
    """Every percentage in the page's share texts follows the one rule."""
    texts = ([a["#text"] for a in with_class(dom, "share-text")]
             + [a["#text"] for a in dom.find(data_share_key=True)])
    bad = []
    for text in texts:
        for number in PERCENT.findall(text):
            value = float(number)
            if "." in number:
                ok = value < 10 and len(number.replace(".", "").lstrip("0")) == 2
            else:
                ok = value >= 10 or value == 0
            if not ok:
                bad.append(f"{number}% in {text[:40]!r}")
    check(texts and not bad, f"{label}: {len(texts)} share texts, every "
          "percentage with two significant digits below 10%, whole from 10%",
          "; ".join(bad[:5]))


def check_summary_text(dom, group, check, label):
    rows = {a["data-share-key"]: a for a in dom.find(data_share_key=True)}
    for key in ("v6_capable", "v6_preferred", "v6_broken"):
        s = group.get(key) or {}
        want = pct_ci(s.get("value", 0), s.get("ci_low", 0), s.get("ci_high", 0))
        text = rows.get(key, {}).get("#text", "")
        check(want in text, f"{label}: {key} reads {want!r}", text[:80])


def check_synthetic(dom, check, label, synthetic):
    """The badge exactly when the API counts synthetic probes here."""
    badges = with_class(dom, "synthetic-badge")
    if not synthetic:
        print(f"note: {label}: the API counts no synthetic probe here")
    check(bool(badges) == bool(synthetic) and (not badges or
          "synthetic sample data" in badges[0]["#text"]),
          f"{label}: 'synthetic sample data' badge "
          f"{'shown' if synthetic else 'absent'} (API: {synthetic} synthetic)",
          badges[0]["#text"] if badges else "")


def synthetic_of(*answers):
    return max([sum(int(g.get("synthetic_probes", 0)) for g in groups)
                for groups in answers] + [0])


def check_no_data(dom, meta, check, label):
    latest = meta.get("latest_run_at", "")
    notes = dom.find(data_no_data="true")
    text = notes[0]["#text"] if notes else ""
    want = "No data in this window"
    if latest:
        stamp = latest.replace("T", " ")[:16] + " UTC"
        want = f"No data in this window (latest: {stamp})"
    else:
        print(f"note: {label}: the API sends no latest_run_at")
    check(bool(notes) and text.startswith(want)
          and (("latest:" in text) == bool(latest)),
          f"{label}: says {want!r}", text)


def windows_spanned(kind, groups):
    parse = lambda s: datetime.strptime(s[:19], "%Y-%m-%dT%H:%M:%S")  # noqa: E731
    first = min(parse(g["window_start"]) for g in groups)
    end = max(parse(g["window_end"]) for g in groups)
    if kind == "month":
        return (end.year - first.year) * 12 + end.month - first.month
    return round((end - first).total_seconds() / (7 * DAY if kind == "week" else DAY))


def check_heading(dom, groups, kind, check, label, heading_id):
    n = windows_spanned(kind, groups) if groups else 0
    h2 = dom.find("h2", id=heading_id)
    text = h2[0]["#text"] if h2 else ""
    unit = kind if n == 1 else f"{kind}s"
    check(bool(h2) and h2[0].get("data-windows-drawn") == str(n)
          and (f"Last {n} {unit}" in text or f"{n} {unit} to" in text),
          f"{label}: the chart's heading names the {n} {unit} drawn", text)


def check_bands(dom, check, label):
    edges = [a for a in with_class(dom, "band-edge")]
    check(len(edges) == 2 * len(SERIES),
          f"{label}: each band has its two edge lines ({len(edges)})")


def check_picker(dom, page, check):
    form = dom.find("form", id="window-picker")
    hidden = bool(form) and "hidden" in form[0]
    check(bool(form) and hidden == (page not in WINDOWED),
          f"{page}: the window picker is {'hidden' if hidden else 'shown'}")


def check_country_links(dom, countries, check, label):
    want = sorted(g["key"] for g in countries if re.fullmatch(r"[A-Z]{2}", g["key"]))
    got = sorted(a["data-country-link"] for a in dom.find("a", data_country_link=True))
    check(want and got == want, f"{label}: links to its countries {want}", str(got))
    hrefs = {a.get("href", "").split("?")[0] for a in dom.find("a", data_country_link=True)}
    check(hrefs == {f"#/country/{c}" for c in want}, f"{label}: country links point "
          "at the country pages", str(hrefs))
