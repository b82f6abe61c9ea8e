#!/usr/bin/env python3
"""Generates the readiness bed's synthetic internet: zones for nsd, an
unbound config with a local root hint, an nginx config, the certificate
batches for the test CA, the addresses per namespace, and truth.json (each
domain's expected web/dns/mail ServiceState and why).

  gen.py build --out DIR [--data DIR] [--domains N [--derive]]
  gen.py extract --data DIR --out FILE     (re-make the committed fixture)
  gen.py list [--data DIR]                 (the cases and their counts)

Names and delegation shape come from real data when --data holds
gov/gov.txt, gov/current-full.csv and toplists/tranco_top_50k.csv, else
from fixtures/delegations.tsv (an extract of the same files). Stdlib only;
the output is a function of the input and --seed. docs/readiness-bed.md.
"""
import argparse
import collections
import csv
import hashlib
import json
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cases  # noqa: E402
import emit  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "fixtures", "delegations.tsv")
LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
# TLDs unbound answers itself (RFC 6761 and friends): never used.
SPECIAL_TLDS = {"test", "invalid", "localhost", "onion", "local", "example",
                "arpa", "home", "lan", "internal", "corp", "alt"}
SECOND_LEVELS = {"co", "com", "net", "org", "gov", "ac", "edu", "state", "k12"}
# Synthetic provider zones (CDN edge, mail): names no real list holds.
EDGE_ZONE = "v6scope-edge.net"
MAIL_ZONE = "v6scope-mail.net"
GOV_SHARE = 0.75
PER_PROVIDER_DOMAINS = 50
PER_PROVIDER_HOSTS = 4
SELF_HOSTED_MAX = 120


def h(s):
    return hashlib.sha256(s.encode()).hexdigest()


# The bed's own infrastructure names (a.nic.<tld>, a.root-servers.net):
# no listed domain or provider may hold them.
INFRA = re.compile(r"(^|\.)(nic\.[a-z]+|root-servers\.net)$")
# Names the web and mail cases put in a domain's zone: a real NS host of
# that name (www.example.gov NS for example.gov) is dropped.
CASE_LABELS = {"www", "secure", "mail", "mx"}


def valid_name(name):
    labels = name.split(".")
    return (len(labels) >= 2 and not INFRA.search(name) and all(LABEL.match(x) for x in labels)
            and labels[-1].isalpha() and labels[-1] not in SPECIAL_TLDS
            and len(name) <= 200)


def zone_of_host(host):
    """The registrable zone a name-server host lives in (ns1.x.co.uk -> x.co.uk)."""
    labels = host.split(".")
    n = 3 if (len(labels[-1]) == 2 and labels[-2] in SECOND_LEVELS) else 2
    return ".".join(labels[-n:]) if len(labels) > n else None


# --- input ---------------------------------------------------------------
def load_real(data):
    ns = collections.defaultdict(list)
    with open(os.path.join(data, "gov", "gov.txt"), encoding="utf-8") as f:
        for line in f:
            p = line.split()
            if len(p) == 5 and p[3] == "NS":
                ns[p[0].rstrip(".").lower()].append(p[4].rstrip(".").lower())
    sector = {}
    with open(os.path.join(data, "gov", "current-full.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            sector[row["Domain name"].lower()] = row["Domain type"]
    gov = [(d, sector[d], hosts) for d, hosts in sorted(ns.items()) if d in sector]
    top = []
    with open(os.path.join(data, "toplists", "tranco_top_50k.csv"), encoding="utf-8") as f:
        for row in csv.reader(f):
            if len(row) == 2:
                top.append(row[1].strip().lower())
    return gov, top


def load_fixture(path):
    gov, top = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            p = line.rstrip("\n").split("\t")
            if p[0] == "gov":
                gov.append((p[1], p[2], p[3].split(",")))
            elif p[0] == "top":
                top.append(p[1])
    return gov, top


def load_input(data):
    need = ["gov/gov.txt", "gov/current-full.csv", "toplists/tranco_top_50k.csv"]
    if data and all(os.path.isfile(os.path.join(data, n)) for n in need):
        return load_real(data), "real data in " + data
    return load_fixture(FIXTURE), "fixture " + os.path.relpath(FIXTURE, HERE)


# --- selection: realistic delegation shape ---------------------------------
def provider_groups(gov):
    """provider zone -> [(domain, sector, hosts)], hosts of that provider only."""
    groups = collections.defaultdict(list)
    for d, sector, hosts in gov:
        if not valid_name(d) or len(d.split(".")) != 2:
            continue
        hosts = [x for x in dict.fromkeys(hosts) if valid_name(x) and x != d
                 and not (x.endswith("." + d) and x.split(".")[0] in CASE_LABELS)]
        p = zone_of_host(hosts[0]) if hosts else None
        if not p:
            continue
        mine = sorted(x for x in hosts if zone_of_host(x) == p)[:4]
        groups[p].append((d, sector, mine))
    return groups


def select_gov(groups, want):
    """Shared providers first (a capped number of hosts each, so many
    domains share few hosts, as with real providers), then self-hosted
    domains (their own in-bailiwick name servers, glue in the TLD)."""
    shared = [p for p, ds in groups.items() if any(d != p for d, _, _ in ds)]
    shared.sort(key=lambda p: (-len(groups[p]), p))
    chosen = []
    for p in shared:
        hosts_used, n = set(), 0
        for d, sector, hosts in sorted(groups[p], key=lambda r: h(r[0])):
            new = set(hosts) - hosts_used
            if d == p or len(hosts_used | new) > PER_PROVIDER_HOSTS or n >= PER_PROVIDER_DOMAINS:
                continue
            hosts_used |= new
            chosen.append((d, sector, hosts, p))
            n += 1
        if len(chosen) >= want - SELF_HOSTED_MAX:
            break
    provider_zones = {c[3] for c in chosen}
    chosen = [c for c in chosen if c[0] not in provider_zones]
    self_hosted = sorted((ds[0] for p, ds in groups.items()
                          if len(ds) == 1 and ds[0][0] == p and p not in provider_zones
                          and len(ds[0][2]) >= 1),
                         key=lambda r: h(r[0]))
    for d, sector, hosts in self_hosted[:max(0, want - len(chosen))]:
        chosen.append((d, sector, hosts, d))
    return chosen, provider_zones


def select_top(top, want, taken, provider_zones):
    out = []
    for d in top:
        if len(out) >= want:
            break
        if (valid_name(d) and len(d.split(".")) == 2 and d not in taken
                and d not in provider_zones and d not in (EDGE_ZONE, MAIL_ZONE)):
            out.append(d)
            taken.add(d)
    return out


def derive_names(bases, want, taken, provider_zones):
    """`want` more names when the lists run short (the fixture holds about
    2,100; a sweep benchmark wants 50,000): round k turns every base name
    label.tld into label-k.tld, in list order. A function of the input
    only, so the bed stays reproducible."""
    out, k = [], 0
    bases = [b for b in bases if len(b.split(".")) == 2]
    while len(out) < want and bases:
        k += 1
        for b in bases:
            if len(out) >= want:
                break
            label, tld = b.split(".")
            d = "%s-%d.%s" % (label[:55], k, tld)
            if valid_name(d) and d not in taken and d not in provider_zones:
                out.append(d)
                taken.add(d)
    return out


# --- truth assignment --------------------------------------------------------
def weighted(table, rng, allowed=None):
    names = [k for k in table if allowed is None or k in allowed]
    return rng.choices(names, weights=[table[k][2] for k in names])[0]


def assign_profiles(providers, rng):
    """provider -> DNS profile. Every profile first (round robin over the
    providers that can take it), then by weight."""
    out = {}
    todo = sorted(providers, key=lambda p: h("p" + p))
    for prof in cases.DNS:
        for p in todo:
            if p not in out and fits(prof, providers[p]):
                out[p] = prof
                break
    for p in todo:
        if p not in out:
            allowed = [k for k in cases.DNS if fits(k, providers[p]) and k != "lame"]
            out[p] = weighted(cases.DNS, rng, allowed)
    return out


def fits(profile, info):
    if profile in cases.NEEDS_TWO_HOSTS and info["min_hosts"] < 2:
        return False
    return not (profile in cases.OUT_OF_BAILIWICK_ONLY and info["self"])


def assign_cases(domains, rng):
    """Web and mail case per domain: every case in the first rows (spread
    over the list by hash order), the rest by weight."""
    order = sorted(domains, key=lambda d: h("c" + d["name"]))
    web, mail = list(cases.WEB), list(cases.MAIL)
    for i, d in enumerate(order):
        d["web_case"] = web[i] if i < len(web) else weighted(cases.WEB, rng)
        d["mail_case"] = mail[i] if i < len(mail) else weighted(cases.MAIL, rng)
    for i, d in enumerate(sorted(domains, key=lambda d: h("n" + d["name"]))):
        if i % 150 == 7:  # about 0.7 %: names on the list that do not exist
            d["dns_case"] = "nxdomain"


# What each name server host is: its A and AAAA and who answers there.
HOST_KIND_WHY = {
    "v6ok": "AAAA answers the SOA",
    "v4": "no AAAA",
    "v6dead": "AAAA unassigned, no answer",
    "v6refused": "AAAA answers REFUSED",
    "lame": "REFUSES the zone over both families",
}


def host_kind(profile, i):
    """The kind of the i-th host (sorted) of a provider with this profile;
    partial providers alternate, so most NS pairs are mixed."""
    if profile.startswith("partial_"):
        return "v6ok" if i % 2 == 0 else ("v4" if profile == "partial_noaaaa" else "v6dead")
    return {"serving": "v6ok", "no_v6": "v4", "v6_dead": "v6dead",
            "v6_refused": "v6refused", "lame": "lame"}[profile]


def host_kinds(providers, profiles):
    return {x: host_kind(profiles[p], i) for p, info in providers.items()
            for i, x in enumerate(sorted(info["hosts"]))}


def dns_state(kinds):
    """The DNS state the domain's name servers make, as a checker must
    read it: the same rule as check.py's."""
    k = list(kinds)
    if all(x == "lame" for x in k):
        return "BROKEN_V4"
    serving = k.count("v6ok")
    if serving == len(k):
        return "SERVING_V6"
    if serving:
        return "PARTIAL_V6"
    if all(x == "v4" for x in k):
        return "NO_AAAA"
    return "NOT_SERVING_V6" if "v6refused" in k else "AAAA_UNREACHABLE"


def truth_of(d):
    dns = d["dns_case"]
    if dns == "nxdomain":
        st = cases.DNS_NXDOMAIN[0]
        return {"web": st, "dns": st, "mail": st}, {
            "web": cases.WHY_NXDOMAIN, "dns": cases.DNS_NXDOMAIN[1], "mail": cases.WHY_NXDOMAIN}
    if dns == "lame":
        return ({"web": "BROKEN_V4", "dns": "BROKEN_V4", "mail": "BROKEN_V4"},
                {"web": cases.WHY_LAME, "dns": cases.DNS["lame"][1], "mail": cases.WHY_LAME})
    w, m = cases.WEB[d["web_case"]], cases.MAIL[d["mail_case"]]
    why_dns = "name servers: " + ", ".join(
        "%s (%s)" % (x, HOST_KIND_WHY[k]) for x, k in sorted(d["ns_kinds"].items()))
    return ({"web": w[0], "dns": dns_state(d["ns_kinds"].values()), "mail": m[0]},
            {"web": w[1], "dns": why_dns, "mail": m[1]})


def build_model(inp, want, seed, derive=False):
    (gov, top), source = inp
    rng = random.Random(seed)
    groups = provider_groups(gov)
    n_gov = int(want * GOV_SHARE)
    chosen, provider_zones = select_gov(groups, n_gov)
    taken = {c[0] for c in chosen}
    tops = select_top(top, want - len(chosen), taken, provider_zones)
    derived = derive_names(tops or sorted(taken), want - len(chosen) - len(tops),
                           taken, provider_zones) if derive else []
    providers = {}
    for d, _, hosts, p in chosen:
        info = providers.setdefault(p, {"hosts": set(), "self": p == d, "min_hosts": 9})
        info["hosts"] |= set(hosts)
        info["min_hosts"] = min(info["min_hosts"], len(hosts))
    domains = [{"name": d, "sector": "government (%s)" % s, "source": "gov",
                "provider": p, "ns": hosts} for d, s, hosts, p in chosen]
    # Top sites use the shared providers, as top sites do.
    shared = sorted((p for p, i in providers.items() if not i["self"]),
                    key=lambda p: h("t" + p))
    for i, d in enumerate(tops):
        p = shared[i % len(shared)]
        hosts = sorted(providers[p]["hosts"])[:2] if i % 3 else sorted(providers[p]["hosts"])[:4]
        providers[p]["min_hosts"] = min(providers[p]["min_hosts"], len(hosts))
        domains.append({"name": d, "sector": "top sites", "source": "tranco",
                        "provider": p, "ns": hosts})
    for i, d in enumerate(derived, start=len(tops)):
        # Derived names (label-k.tld): the top-site shape, as the names
        # they come from.
        p = shared[i % len(shared)]
        hosts = sorted(providers[p]["hosts"])[:2] if i % 3 else sorted(providers[p]["hosts"])[:4]
        providers[p]["min_hosts"] = min(providers[p]["min_hosts"], len(hosts))
        domains.append({"name": d, "sector": "top sites", "source": "derived",
                        "provider": p, "ns": hosts})
    profiles = assign_profiles(providers, rng)
    kinds = host_kinds(providers, profiles)
    for d in domains:
        d["dns_case"] = profiles[d["provider"]]
        d["ns_kinds"] = {x: kinds[x] for x in d["ns"]}
    assign_cases(domains, rng)
    for d in domains:
        d["expect"], d["why"] = truth_of(d)
    return {"source": source, "seed": seed, "domains": domains,
            "providers": {p: {"hosts": sorted(i["hosts"]), "self_hosted": i["self"],
                              "profile": profiles[p]} for p, i in providers.items()}}


# --- commands ----------------------------------------------------------------
def cmd_extract(args):
    (gov, top), source = load_input(args.data)
    if not source.startswith("real"):
        sys.exit("extract: needs the real data (--data)")
    model = build_model(((gov, top), source), args.domains, args.seed)
    keep = {d["name"] for d in model["domains"]}
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("# Extract of ../shared/data made by `gen.py extract`: the .gov\n"
                "# delegations (domain, organisation type, NS hosts from gov.txt)\n"
                "# and the top-site names (tranco_top_50k.csv) the generator uses.\n")
        for d, s, hosts in gov:
            if d in keep:
                f.write("gov\t%s\t%s\t%s\n" % (d, s, ",".join(hosts)))
        for d in top:
            if d in keep:
                f.write("top\t%s\n" % d)


def cmd_list(args):
    model = build_model(load_input(args.data), args.domains, args.seed, args.derive)
    count = collections.Counter()
    for d in model["domains"]:
        count[("dns", d["dns_case"], d["expect"]["dns"])] += 1
        if d["dns_case"] not in ("nxdomain", "lame"):
            count[("web", d["web_case"], d["expect"]["web"])] += 1
            count[("mail", d["mail_case"], d["expect"]["mail"])] += 1
    print("%d domains from %s, %d providers" % (
        len(model["domains"]), model["source"], len(model["providers"])))
    for (svc, case, state), n in sorted(count.items()):
        print("%-5s %-16s %-22s %5d" % (svc, case, state, n))


def cmd_build(args):
    model = build_model(load_input(args.data), args.domains, args.seed, args.derive)
    missing = cases.states() - {(s, d["expect"][s]) for d in model["domains"]
                                for s in ("web", "dns", "mail")}
    if missing:
        sys.exit("gen: states without a domain: %s" % sorted(missing))
    emit.write_all(model, os.path.abspath(args.out))
    print("%d domains (%s) written to %s" % (len(model["domains"]), model["source"], args.out))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("command", choices=["build", "extract", "list"])
    ap.add_argument("--data", default=os.environ.get("V6SCOPE_SHARED_DATA", ""))
    ap.add_argument("--out")
    ap.add_argument("--domains", type=int, default=2100)
    ap.add_argument("--seed", default="v6scope-readiness-1")
    ap.add_argument("--derive", action="store_true",
                    help="fill up to --domains with names derived from the list "
                    "(label-k.tld) when the data runs short (bench/sweep)")
    args = ap.parse_args()
    if args.command in ("build", "extract") and not args.out:
        ap.error("--out is required")
    {"build": cmd_build, "extract": cmd_extract, "list": cmd_list}[args.command](args)


if __name__ == "__main__":
    main()
