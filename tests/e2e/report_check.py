"""Checks that every figure of a national report equals the JSON API's.

Fetches /report/XX?period=YYYY-MM&format=json from a running collector and
the API answers each figure comes from (docs/reports.md), and compares
them field by field: the country's aggregates of the month and of the one
before, its networks (how many, the ten largest in order), its
allocations and their series, and the standing's value. Exits 1 listing
every difference.

usage: report_check.py --base=http://127.0.0.1:PORT --country=KE --period=2026-11
"""
import argparse
import json
import sys
import urllib.request


def get(base, path):
    with urllib.request.urlopen(base + path, timeout=30) as reply:
        return json.load(reply)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--country", required=True)
    ap.add_argument("--period", required=True)
    args = ap.parse_args()
    cc = args.country.upper()
    start = args.period + "-01"
    problems = []

    def same(what, got, want):
        if got != want:
            problems.append("%s: report %s, API %s" % (
                what, json.dumps(got, sort_keys=True)[:400],
                json.dumps(want, sort_keys=True)[:400]))

    report = get(args.base, "/report/%s?period=%s&format=json" % (cc, args.period))
    same("country", report.get("country"), cc)
    same("period", report.get("period"), args.period)

    months = get(args.base, "/api/v1/aggregates?group_by=country&window=month"
                 "&windows=2&at=%s&country=%s" % (start, cc))["groups"]
    this = [g for g in months if g["window_start"].startswith(start)]
    before = [g for g in months if not g["window_start"].startswith(start)]
    same("network", report.get("network"), this[0] if this else None)
    same("previous_network", report.get("previous_network"),
         before[0] if before else None)

    asns = get(args.base, "/api/v1/aggregates?group_by=asn&window=month"
               "&at=%s&country=%s&page_size=1000" % (start, cc))["groups"]
    same("networks_measured", report.get("networks_measured", 0), len(asns))
    largest = sorted(asns, key=lambda g: (-g["probes"], int(g["key"])))[:10]
    same("largest_networks", report.get("largest_networks", []), largest)

    allocations = get(args.base,
                      "/api/v1/allocations?country=%s&history=1" % cc)
    same("allocations", report.get("allocations"),
         allocations["allocations"][0] if allocations["allocations"] else None)
    same("allocation_series", report.get("allocation_series"),
         allocations["series"][0] if allocations["series"] else None)
    same("allocation_notes", report.get("allocation_notes", []),
         allocations["notes"])
    same("datasets", report.get("datasets"), allocations["datasets"])

    for campaign in report.get("campaigns", []):
        cid = campaign["campaign_id"]
        shares = get(args.base, "/api/v1/services/shares?campaign_id=%s"
                     "&country=%s" % (cid, cc))
        same("campaign %s round" % cid, campaign["round"], shares["round"])
        same("campaign %s cells" % cid, campaign["cells"], shares["cells"])
        changes = get(args.base, "/api/v1/services/changes?campaign_id=%s"
                      "&to_round=%d&country=%s" % (cid, campaign["round"], cc))
        want = [{"service": r["service"],
                 "previous_round": r["previous_round"],
                 "compared": r["compared"], "gained": len(r["gained"]),
                 "lost": len(r["lost"])}
                for r in changes["changes"] if r["country"] == cc]
        same("campaign %s changes" % cid, campaign.get("changes", []), want)
        same("readiness k", report["min_networks"], shares["min_networks"])

    standings = {s["metric"]: s for s in report.get("standings", [])}
    network = report.get("network")
    if network and not network.get("insufficient_data"):
        same("standing v6_capable", standings["v6_capable"]["value"],
             network["v6_capable"]["value"])
    if report.get("allocations"):
        same("standing slash32_equivalents",
             standings["slash32_equivalents"]["value"],
             report["allocations"]["slash32_equivalents"])

    if problems:
        print("\n".join(problems))
        return 1
    print("report %s %s: every figure equals the API's (%d networks, "
          "%d campaigns)" % (cc, args.period, len(asns),
                             len(report.get("campaigns", []))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
