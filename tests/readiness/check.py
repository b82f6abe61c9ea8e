#!/usr/bin/env python3
"""The readiness bed's oracle: from the client namespace, with dig (through
the bed's resolver, and straight at name servers) and curl (pinned to one
address per family with --resolve), observes each sampled domain and reads
its web, DNS and mail state with a small decision table of its own; each
must equal truth.json's. Independent of gen.py: it reads only truth.json's
domain list, cases and expected states, never the generator's addresses.

  check.py --truth FILE --ca FILE --resolver ADDR [--sample N | --all]
           [--junit FILE] [--jobs N] [--vantage NAME] [--nat64 PREFIX/96]

--nat64: the vantage is IPv6-only behind NAT64 with this prefix and a
DNS64 resolver (namespace cli6): AAAA in the prefix that embed one of the
name's A records are discounted (synthesized: no AAAA), and the IPv4 half
(SOA at name servers' IPv4 addresses, IPv4-pinned fetches) goes to the
IPv4 address mapped into the prefix. The truth is the same as from the
dual-stack vantage (docs/methodology.md §13.6a) unless truth.json's
vantages.<NAME>.differs names the case.
"""
import argparse
import collections
import concurrent.futures as cf
import ipaddress
import json
import random
import re
import subprocess
import sys
import time

TITLE = re.compile(r"<title>(.*?)</title>", re.S)


class Oracle:
    def __init__(self, resolver, ca, nat64=None):
        self.resolver, self.ca = resolver, ca
        self.tld_server = {}
        self.nat64 = ipaddress.IPv6Network(nat64) if nat64 else None
        if self.nat64 and self.nat64.prefixlen != 96:
            raise ValueError("the oracle maps into /96 NAT64 prefixes only")

    def v4(self, a):
        """Where the vantage reaches IPv4 address a: a itself, or through
        NAT64 the address mapped into the prefix (RFC 6052, /96)."""
        if not self.nat64:
            return a
        return str(self.nat64[int(ipaddress.IPv4Address(a))])

    def synthesized(self, a6, a4):
        """An AAAA the DNS64 resolver made from one of the name's A."""
        if not self.nat64:
            return False
        x = ipaddress.IPv6Address(a6)
        return x in self.nat64 and str(ipaddress.IPv4Address(int(x) & 0xffffffff)) in a4

    def dig(self, server, name, rtype, norec=False):
        # Through the resolver a lost packet is retried (its answers must be
        # exact); at a name server one try, as a checker asks.
        tries = "+tries=1" if norec else "+tries=3"
        """(status, values of rtype records, NS targets seen); status is
        the RCODE, NOTAUTH for a non-authoritative SOA answer asked without
        recursion, or TIMEOUT."""
        cmd = ["dig", "+time=1", tries, "@" + server, name, rtype, "+noall",
               "+comments", "+answer", "+authority"] + (["+norec"] if norec else [])
        out = subprocess.run(cmd, capture_output=True, text=True).stdout
        m = re.search(r"status: (\w+)", out)
        if not m:
            return "TIMEOUT", [], []
        flags = re.search(r"flags:([a-z ]*);", out)
        aa = bool(flags) and "aa" in flags.group(1).split()
        ans, ns = [], []
        for line in out.splitlines():
            f = line.split()
            if line.startswith(";") or len(f) < 5:
                continue
            if f[3] == rtype:
                ans.append(" ".join(f[4:]))
            if f[3] == "NS":
                ns.append(f[4].rstrip("."))
        status = m.group(1)
        if status == "NOERROR" and norec and rtype == "SOA" and not aa:
            status = "NOTAUTH"
        return status, ans, ns

    def addrs(self, name):
        s4, a4, _ = self.dig(self.resolver, name, "A")
        s6, a6, _ = self.dig(self.resolver, name, "AAAA")
        ip = re.compile(r"^[0-9a-f.:]+$")
        a4 = [a for a in a4 if ip.match(a) and "." in a]
        return s4, a4, [a for a in a6 if ip.match(a) and ":" in a and not self.synthesized(a, a4)]

    # --- DNS -------------------------------------------------------------------------
    def parent_ns(self, domain):
        """The NS set the TLD delegates to (asked at the TLD's server)."""
        tld = domain.split(".")[-1]
        if tld not in self.tld_server:
            _, _, ns = self.dig(self.resolver, tld + ".", "NS")
            self.tld_server[tld] = self.v4(self.addrs(ns[0].rstrip("."))[1][0])
        st, _, ns = self.dig(self.tld_server[tld], domain, "NS", norec=True)
        return st, sorted(set(ns))

    def dns(self, domain, seen):
        st, hosts = self.parent_ns(domain)
        seen["ns"] = hosts
        if st == "NXDOMAIN":
            return "NO_SERVICE"
        kinds = []
        for host in hosts:
            _, a4, a6 = self.addrs(host)
            v4 = [self.dig(self.v4(a), domain, "SOA", norec=True)[0] for a in a4]
            v6 = [self.dig(a, domain, "SOA", norec=True)[0] for a in a6]
            seen[host] = {"a": a4, "aaaa": a6, "soa4": v4, "soa6": v6}
            kinds.append((v4, v6))
        if not any("NOERROR" in v4 or "NOERROR" in v6 for v4, v6 in kinds):
            return "BROKEN_V4"
        if not any(v6 for _, v6 in kinds):
            return "NO_AAAA"
        serving = sum(1 for _, v6 in kinds if v6 and all(s == "NOERROR" for s in v6))
        if serving == len(kinds):
            return "SERVING_V6"
        if serving:
            return "PARTIAL_V6"
        answered = any(s not in ("TIMEOUT",) for _, v6 in kinds for s in v6)
        return "NOT_SERVING_V6" if answered else "AAAA_UNREACHABLE"

    # --- mail ------------------------------------------------------------------------
    def mail(self, domain, seen):
        st, mx, _ = self.dig(self.resolver, domain, "MX")
        seen["mx"] = mx
        if st == "NXDOMAIN":
            return "NO_SERVICE"
        if st != "NOERROR":
            return "BROKEN_V4"
        hosts = [m.split()[1].rstrip(".") for m in mx if len(m.split()) == 2]
        if not hosts or hosts == [""]:
            return "NO_SERVICE"  # no MX, or the null MX "0 ."
        have = [self.addrs(h)[1:] for h in hosts]
        seen["mx_addrs"] = have
        if not any(a4 or a6 for a4, a6 in have):
            return "BROKEN_V4"
        with6 = sum(1 for _, a6 in have if a6)
        return "NO_AAAA" if not with6 else ("SERVING_V6" if with6 == len(have) else "PARTIAL_V6")

    # --- web -------------------------------------------------------------------------
    def get(self, url, host, addr):
        """One request pinned to addr: (outcome, status, location, title, secs)."""
        port = 443 if url.startswith("https") else 80
        pin = "[%s]" % addr if ":" in addr else addr
        p = subprocess.run(
            ["curl", "-sS", "--max-time", "4", "--connect-timeout", "2", "--cacert", self.ca,
             "--resolve", "%s:%d:%s" % (host, port, pin), "-o", "-",
             "-w", "\n%{http_code} %{time_total} %{redirect_url}", url],
            capture_output=True, text=True, errors="replace")
        body, _, tail = p.stdout.rpartition("\n")
        f = tail.split()
        code, secs = (int(f[0]), float(f[1])) if len(f) >= 2 else (0, 0.0)
        loc = f[2] if len(f) > 2 else ""
        outcome = {0: "ok", 60: "tls", 28: "timeout", 7: "refused"}.get(p.returncode, "error %d" % p.returncode)
        t = TITLE.search(body)
        return outcome, code, loc, t.group(1) if t else "", secs

    def fetch(self, scheme, host, family):
        """The home page over one family, following redirects pinned to it:
        dict(outcome=ok|tls|timeout|refused|no_address|status N, ...)."""
        url, secs = "%s://%s/" % (scheme, host), 0.0
        for _ in range(5):
            _, a4, a6 = self.addrs(host)
            addrs = [self.v4(a) for a in a4] if family == 4 else a6
            if not addrs:
                return {"outcome": "no_address", "host": host, "secs": secs}
            outcome, code, loc, title, t = self.get(url, host, addrs[0])
            secs += t
            if outcome == "ok" and 300 <= code < 400 and loc:
                url, host = loc, re.match(r"https?://([^/:]+)", loc).group(1)
                continue
            if outcome == "ok" and code != 200:
                outcome = "status %d" % code
            return {"outcome": outcome, "host": host, "title": title, "secs": secs}
        return {"outcome": "too many redirects", "host": host, "secs": secs}

    def web(self, domain, seen):
        st, apex4, apex6 = self.addrs(domain)
        if st == "NXDOMAIN":
            return "NO_SERVICE"
        if st != "NOERROR":
            return "BROKEN_V4"
        _, w4, w6 = self.addrs("www." + domain)
        host, a6 = ("www." + domain, w6) if (w4 or w6) else (domain, apex6)
        if not (w4 or w6 or apex4 or apex6):
            return "NO_SERVICE"
        r = {(s, f): self.fetch(s, host, f) for s in ("https", "http") for f in (4, 6)}
        seen["web"] = {"%s/v%d" % k: v for k, v in r.items()}
        ok = {k for k, v in r.items() if v["outcome"] == "ok"}
        if not any(f == 4 for _, f in ok):
            return "BROKEN_V4"
        if not a6:
            return "NO_AAAA"
        v6 = [r[(s, 6)]["outcome"] for s in ("https", "http")]
        if "no_address" in v6:
            return "REDIRECTS_TO_V4_ONLY"
        if all(o == "timeout" for o in v6):
            return "AAAA_UNREACHABLE"
        if ("https", 4) in ok and v6[0] == "tls":
            return "TLS_FAILS_V6"
        if not any(f == 6 for _, f in ok):
            return "NOT_SERVING_V6"
        for s in ("https", "http"):
            if (s, 4) in ok and (s, 6) in ok:
                a, b = r[(s, 4)], r[(s, 6)]
                if (a["title"], a["host"]) != (b["title"], b["host"]):
                    return "DIFFERENT_SITE_V6"
        return "SERVING_V6"


def extra_checks(d, seen):
    """What a case promises beyond its state."""
    bad = []
    if d["cases"]["web"] == "slow" and d["cases"]["dns"] not in ("lame", "nxdomain"):
        for k, v in seen.get("web", {}).items():
            if v["outcome"] == "ok" and v["secs"] < 0.8:
                bad.append("slow site answered %s in %.2fs" % (k, v["secs"]))
    if d["cases"]["web"] == "v6_tls_mismatch" and d["expect"]["web"] == "TLS_FAILS_V6":
        v4 = seen.get("web", {}).get("https/v4", {}).get("outcome")
        if v4 != "ok":
            bad.append("TLS over IPv4 must verify: %s" % v4)
    return bad


def check_one(oracle, d, differs):
    seen, got = {}, {}
    for svc in ("dns", "web", "mail"):
        try:
            got[svc] = getattr(oracle, svc)(d["domain"], seen)
        except (IndexError, AttributeError, ValueError) as e:  # the bed misbehaved
            got[svc] = "oracle failed: %r" % e
    # A case the vantage cannot observe the same is listed in truth.json
    # (vantages.<name>.differs, "<service> <case>": why); none is today.
    bad = ["%s: truth %s, bed %s (%s)" % (s, d["expect"][s], got[s], d["why"][s])
           for s in ("web", "dns", "mail")
           if got[s] != d["expect"][s] and "%s %s" % (s, d["cases"][s]) not in differs]
    return d, bad + extra_checks(d, seen), seen


def sample(domains, n, seed):
    """At least 3 domains of every case and every expected state, then
    random ones up to n."""
    rng = random.Random(seed)
    pool = list(domains)
    rng.shuffle(pool)
    picked, count = [], collections.Counter()
    for d in pool:
        keys = [("case", s, d["cases"][s]) for s in ("web", "dns", "mail")] + \
               [("state", s, d["expect"][s]) for s in ("web", "dns", "mail")]
        if any(count[k] < 3 for k in keys):
            picked.append(d)
            count.update(keys)
    rest = [d for d in pool if d not in picked]
    return picked + rest[:max(0, n - len(picked))]


def for_service(svc, bad):
    """The failures that concern one service (the extra checks are web's)."""
    tagged = ("web:", "dns:", "mail:")
    return [b for b in bad if b.startswith(svc + ":") or (svc == "web" and not b.startswith(tagged))]


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def junit(path, results, secs, vantage):
    """One test case per (service, case): the sampled domains of the case."""
    groups = collections.defaultdict(list)
    for d, bad, _ in results:
        for s in ("web", "dns", "mail"):
            groups["%s %s" % (s, d["cases"][s])].append((d["domain"], for_service(s, bad)))
    cases, fails = [], 0
    for name, rows in sorted(groups.items()):
        bad = ["%s: %s" % (dom, "; ".join(b)) for dom, b in rows if b]
        body = '<failure message="%s"/>' % esc(" | ".join(bad)[:4000]) if bad else ""
        fails += bool(bad)
        cases.append('<testcase classname="readiness.bed.%s" name="%s (%d domains)" time="0">%s</testcase>'
                     % (esc(vantage), esc(name), len(rows), body))
    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="readiness.bed.%s" '
                'tests="%d" failures="%d" time="%.1f">\n%s\n</testsuite></testsuites>\n'
                % (esc(vantage), len(cases), fails, secs, "\n".join(cases)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--truth", required=True)
    ap.add_argument("--ca", required=True)
    ap.add_argument("--resolver", required=True)
    ap.add_argument("--sample", type=int, default=240)
    ap.add_argument("--all", action="store_true")
    ap.add_argument("--jobs", type=int, default=32)
    ap.add_argument("--seed", default="check")
    ap.add_argument("--junit", default="")
    ap.add_argument("--vantage", default="cli")
    ap.add_argument("--nat64", default="")
    args = ap.parse_args()
    truth = json.load(open(args.truth, encoding="utf-8"))
    doms = truth["domains"] if args.all else sample(truth["domains"], args.sample, args.seed)
    oracle, t0 = Oracle(args.resolver, args.ca, args.nat64 or None), time.time()
    differs = truth.get("vantages", {}).get(args.vantage, {}).get("differs", {})
    with cf.ThreadPoolExecutor(args.jobs) as ex:
        results = list(ex.map(lambda d: check_one(oracle, d, differs), doms))
    failed = [(d, bad, seen) for d, bad, seen in results if bad]
    for d, bad, seen in failed:
        print("FAIL %s [web %s, dns %s, mail %s]: %s\n     seen: %s" % (
            d["domain"], d["cases"]["web"], d["cases"]["dns"], d["cases"]["mail"],
            "; ".join(bad), json.dumps(seen)[:600]))
    states = collections.Counter((s, d["expect"][s]) for d, _, _ in results for s in ("web", "dns", "mail"))
    print("[%s] checked %d of %d domains in %.1fs: %d as truth.json says, %d not" % (
        args.vantage, len(results), len(truth["domains"]), time.time() - t0, len(results) - len(failed), len(failed)))
    print("states covered: " + ", ".join("%s %s %d" % (s, st, n) for (s, st), n in sorted(states.items())))
    if args.junit:
        junit(args.junit, results, time.time() - t0, args.vantage)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
