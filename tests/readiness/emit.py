"""Writes the readiness bed's files from gen.py's model: zones, nsd.conf
(the authoritative servers) and nsd-lame.conf (the addresses that answer
REFUSED), unbound.conf with a local root hint, nginx.conf, the certificate
batches, the service addresses per namespace and truth.json.

Addresses: public test space only (11.0.0.0/8, 2d00::/8), never
documentation ranges. The pools (bed.sh routes them):
  11.53/16  2d00:53::/32   authoritative (nsd): root, TLDs, name servers
                           (the layout within: infra_addrs, Pools)
  11.54/16  2d00:54::/32   nsd-lame: answers REFUSED for every zone
  11.80/16  2d00:80::/32   web boxes (nginx), one /24 | /48 each
  11.25/16  2d00:25::/32   mail hosts (assigned in the web namespace)
  11.99/16  2d00:99::/32   dead: routed to a blackhole, nothing answers
"""
import json
import os

import cases

RESOLVER_V4, RESOLVER_V6 = "11.3.0.53", "2d00:3::53"
# The IPv6-only vantage (namespace cli6): a DNS64 resolver beside the
# first, and tayga in the router translating the well-known prefix.
RESOLVER64_V6, NAT64_PREFIX = "2d00:3::64", "64:ff9b::/96"
EDGE_ZONE, MAIL_ZONE = "v6scope-edge.net", "v6scope-mail.net"
# Web boxes: behaviour -> box number (v4 11.80.N.1, v6 2d00:80:N::1).
BOX = {"good": 1, "slow": 2, "httponly": 3, "v6diff": 4, "v6tls": 5,
       "v6err": 6, "redirect": 7, "down503": 8}
WEB_BOX = {"serving": "good", "apex_only": "good", "cname_cdn": "good",
           "http_only": "httponly", "slow": "slow", "no_aaaa": "good",
           "www_no_aaaa": "good", "aaaa_dead": "good", "v6_503": "v6err",
           "v6_other_site": "v6diff", "v6_tls_mismatch": "v6tls",
           "redirect_v4only": "redirect", "down_503": "down503"}
SOA = "@ IN SOA a.nic.{tld}. hostmaster.nic.{tld}. ( 1 3600 900 604800 300 )"
BATCH = 100  # names per certificate


def box4(b):
    return "11.80.%d.1" % BOX[b]


def box6(b):
    return "2d00:80:%d::1" % BOX[b]


# 11.53/16 holds the infrastructure and the name servers: the first 255
# infrastructure addresses (root, TLDs) in 11.53.0.x, as a bed of a few
# dozen TLDs always had them (a.root-servers.net is 11.53.0.1); the
# name-server hosts in 11.53.1.0 up to INFRA_OVERFLOW_V4 (exclusive); the
# infrastructure beyond 255 (a 50,000-domain bed from the real lists has
# over 500 TLDs) from INFRA_OVERFLOW_V4 up. IPv6: 2d00:53::N and
# 2d00:53:1::N, room enough.
INFRA_FIRST = 255
INFRA_OVERFLOW_V4 = 192
POOL_PER_24 = 250


def infra_addrs(n):
    """(v4, v6) of the n-th (from 1) infrastructure server."""
    if n <= INFRA_FIRST:
        v4 = "11.53.0.%d" % n
    else:
        k = n - INFRA_FIRST - 1
        third = INFRA_OVERFLOW_V4 + k // POOL_PER_24
        if third > 255:
            raise ValueError("bed: %d infrastructure servers overflow 11.53/16" % n)
        v4 = "11.53.%d.%d" % (third, 1 + k % POOL_PER_24)
    return v4, "2d00:53::%x" % n


class Pools:
    """Sequential addresses per pool: the same model gives the same bed."""

    # The highest third IPv4 octet a pool may use: the name servers stop
    # below the infrastructure's overflow (above).
    LAST_24 = {"good": INFRA_OVERFLOW_V4 - 1, "lame": 255, "dead": 255, "mail": 255}

    def __init__(self):
        self.n = {}

    def take(self, pool):
        i = self.n.get(pool, 0) + 1
        self.n[pool] = i
        v4, v6 = {"good": ("11.53", "2d00:53"), "lame": ("11.54", "2d00:54"),
                  "dead": ("11.99", "2d00:99"), "mail": ("11.25", "2d00:25")}[pool]
        third = 1 + i // POOL_PER_24
        if third > self.LAST_24[pool] or i > 0xffff:
            raise ValueError("bed: more than %d addresses in the %s pool" % (i - 1, pool))
        return "%s.%d.%d" % (v4, third, 1 + i % POOL_PER_24), "%s:1::%x" % (v6, i)


def rr(name, rtype, value):
    return "%s IN %s %s" % (name, rtype, value)


class Bed:
    def __init__(self, model):
        self.m = model
        self.pools = Pools()
        self.zones = {}        # zone -> list of record lines (relative or FQDN.)
        # Service addresses per listener. The infrastructure (root, TLDs,
        # provider zones) and the domains' zones are separate nsd
        # instances: one nsd holding a TLD and its children would answer for
        # the child itself instead of referring to the child's servers.
        self.infra_addrs, self.auth, self.lame, self.web = [], [], [], []
        self.tls_names = []
        self.domain_zones = set()
        self.tlds = {}          # tld -> (v4, v6) of a.nic.<tld>

    def zone(self, name):
        if name not in self.zones:
            tld = name.split(".")[-1] if name != "." else "root"
            self.zones[name] = [SOA.format(tld=tld if name != "." else "net")]
        return self.zones[name]

    # --- infrastructure: root, TLDs ------------------------------------------------
    def infra(self):
        tlds = {d["name"].split(".")[-1] for d in self.m["domains"]}
        tlds |= {p.split(".")[-1] for p in self.m["providers"]} | {"net"}
        root = self.zone(".")
        for i, t in enumerate(["root"] + sorted(tlds)):
            v4, v6 = infra_addrs(i + 1)
            self.infra_addrs += [v4, v6]
            if t == "root":
                root += [rr("@", "NS", "a.root-servers.net."),
                         rr("a.root-servers.net.", "A", v4),
                         rr("a.root-servers.net.", "AAAA", v6)]
                self.root = (v4, v6)
                continue
            self.tlds[t] = (v4, v6)
            root += [rr(t + ".", "NS", "a.nic.%s." % t), rr("a.nic.%s." % t, "A", v4),
                     rr("a.nic.%s." % t, "AAAA", v6)]
            self.zone(t).extend( [rr("@", "NS", "a.nic.%s." % t), rr("a.nic", "A", v4),
                               rr("a.nic", "AAAA", v6)])
        self.zones["net"] += [rr("a.root-servers", "A", self.root[0]),
                              rr("a.root-servers", "AAAA", self.root[1])]

    def delegate(self, zone, hosts, glue):
        """zone's NS in its TLD; glue for in-bailiwick hosts."""
        tld = zone.split(".")[-1]
        t = self.zones[tld]
        t += [rr(zone + ".", "NS", x + ".") for x in hosts]
        for x, (v4, v6) in glue.items():
            if v4:
                t.append(rr(x + ".", "A", v4))
            if v6:
                t.append(rr(x + ".", "AAAA", v6))

    # --- name servers ------------------------------------------------------------------
    def host_addrs(self, kind):
        """(A, AAAA) of a name-server host of this kind, registering the
        addresses with the listener that must answer (or none: dead)."""
        if kind == "lame":
            v4, v6 = self.pools.take("lame")
            self.lame += [v4, v6]
            return v4, v6
        v4, v6 = self.pools.take("good")
        self.auth.append(v4)
        if kind == "v6ok":
            self.auth.append(v6)
            return v4, v6
        if kind == "v6refused":
            v6 = self.pools.take("lame")[1]
            self.lame.append(v6)
            return v4, v6
        if kind == "v6dead":
            return v4, self.pools.take("dead")[1]
        return v4, None

    def name_servers(self):
        kinds = {}
        for d in self.m["domains"]:
            kinds.update(d["ns_kinds"])
        self.ns_addr = {x: self.host_addrs(kinds[x]) for x in sorted(kinds)}
        for p, info in sorted(self.m["providers"].items()):
            if info["self_hosted"]:
                continue
            tld = p.split(".")[-1]
            z = self.zone(p)
            z.append(rr("@", "NS", "a.nic.%s." % tld))
            self.delegate(p, ["a.nic." + tld], {})
            for x in info["hosts"]:
                self.add_addrs(z, x + ".", self.ns_addr[x])

    @staticmethod
    def add_addrs(z, name, addrs):
        v4, v6 = addrs
        if v4:
            z.append(rr(name, "A", v4))
        if v6:
            z.append(rr(name, "AAAA", v6))

    # --- domains: web and mail records -------------------------------------------------
    def domain(self, d):
        name = d["name"]
        if d["dns_case"] == "nxdomain":
            return  # on the list, not in its TLD
        z = self.zone(name)
        self.domain_zones.add(name)
        z.extend(rr("@", "NS", x + ".") for x in d["ns"])
        glue = {x: self.ns_addr[x] for x in d["ns"] if x.endswith("." + name)}
        for x, a in glue.items():
            self.add_addrs(z, x + ".", a)
        self.delegate(name, d["ns"], glue)
        self.web_records(z, d)
        self.mail_records(z, d)

    def web_records(self, z, d):
        case, name = d["web_case"], d["name"]
        if case == "no_web":
            return
        if case == "down_dead":
            dead = self.pools.take("dead")
            self.add_addrs(z, "@", dead)
            self.add_addrs(z, "www", dead)
            return
        box = WEB_BOX[case]
        both = (box4(box), box6(box))
        v4only = (box4(box), None)
        www = {"no_aaaa": v4only, "www_no_aaaa": v4only,
               "aaaa_dead": (box4(box), self.pools.take("dead")[1])}.get(case, both)
        apex = {"no_aaaa": v4only, "aaaa_dead": www}.get(case, both)
        self.add_addrs(z, "@", apex)
        self.tls_names.append(name)
        if case == "cname_cdn":
            edge = name.replace(".", "-")
            z.append(rr("www", "CNAME", "%s.%s." % (edge, EDGE_ZONE)))
            self.add_addrs(self.zone(EDGE_ZONE), edge, both)
        elif case != "apex_only":
            self.add_addrs(z, "www", www)
        if case != "apex_only":
            self.tls_names.append("www." + name)
        if case == "redirect_v4only":
            self.add_addrs(z, "secure", (box4("good"), None))
            self.tls_names.append("secure." + name)

    def mail_records(self, z, d):
        case, k = d["mail_case"], int(cases_hash(d["name"]), 16) % 4
        mx = {"null_mx": ["0 ."],
              "mx_v4only": ["10 mx-v4-%d.%s." % (k, MAIL_ZONE)],
              "mx_dual": ["10 mx-ds-%d.%s." % (k, MAIL_ZONE),
                          "20 mx-ds-%d.%s." % ((k + 1) % 4, MAIL_ZONE)],
              "mx_self_dual": ["10 mail"],
              "mx_partial": ["10 mx-ds-%d.%s." % (k, MAIL_ZONE),
                             "20 mx-v4-%d.%s." % (k, MAIL_ZONE)],
              "mx_noaddr": ["10 mx"]}.get(case, [])
        z.extend(rr("@", "MX", v) for v in mx)
        if case == "mx_self_dual":
            a = self.pools.take("mail")
            self.web += list(a)
            self.add_addrs(z, "mail", a)

    def provider_zones(self):
        """The CDN edge and the mail provider: delegated to their TLD's server."""
        for p in (EDGE_ZONE, MAIL_ZONE):
            z = self.zone(p)
            z.append(rr("@", "NS", "a.nic.net."))
            self.delegate(p, ["a.nic.net"], {})
        z = self.zones[MAIL_ZONE]
        for k in range(4):
            a = self.pools.take("mail")
            self.web += list(a)
            self.add_addrs(z, "mx-ds-%d" % k, a)
            a = self.pools.take("mail")
            self.web.append(a[0])
            self.add_addrs(z, "mx-v4-%d" % k, (a[0], None))

    def build(self):
        self.infra()
        self.name_servers()
        self.provider_zones()
        for d in self.m["domains"]:
            self.domain(d)
        for b in BOX:
            self.web += [box4(b), box6(b)]


def cases_hash(s):
    import hashlib
    return hashlib.sha256(s.encode()).hexdigest()[:8]


# --- files ------------------------------------------------------------------------------
def zone_text(name, lines):
    origin = "." if name == "." else name + "."
    return "$ORIGIN %s\n$TTL 300\n%s\n" % (origin, "\n".join(lines))


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def nsd_conf(out, role, addrs, zones):
    d = os.path.join(out, role)
    lines = ["server:"] + ["    ip-address: %s" % a for a in addrs] + [
        "    port: 53", "    server-count: 1", '    username: ""', '    chroot: ""',
        '    zonesdir: "%s/zones"' % out, '    database: ""',
        '    zonelistfile: "%s/zone.list"' % d, '    xfrdfile: "%s/xfrd.state"' % d,
        '    xfrdir: "%s"' % d, '    pidfile: "%s/nsd.pid"' % d,
        '    logfile: "%s/nsd.log"' % d, "    hide-version: yes", "    refuse-any: yes",
        "    verbosity: 1", "    reuseport: no", "",
        "remote-control:", "    control-enable: no", ""]
    for z in zones:
        f = "root" if z == "." else z
        lines += ["zone:", '    name: "%s"' % z, '    zonefile: "%s.zone"' % f, ""]
    write(os.path.join(d, "nsd.conf"), "\n".join(lines))


def unbound_conf(out, root):
    d = os.path.join(out, "unbound")
    write(os.path.join(d, "unbound.conf"), unbound_text(d, "iterator", [RESOLVER_V4, RESOLVER_V6], ""))
    # The DNS64 resolver of the IPv6-only vantage: the same iteration,
    # AAAA synthesized in NAT64_PREFIX for names with only an A, and
    # ipv4only.arpa (RFC 7050) from nsd-infra so a probe finds the prefix.
    d64 = os.path.join(out, "unbound64")
    write(os.path.join(d64, "unbound.conf"), unbound_text(
        d64, "dns64 iterator", [RESOLVER64_V6],
        "    dns64-prefix: %s\n    local-zone: \"ipv4only.arpa.\" transparent\n"
        "    root-hints: \"%s/root.hints\"\n" % (NAT64_PREFIX, d),
        "stub-zone:\n    name: \"ipv4only.arpa\"\n    stub-addr: %s\n" % root[0]))
    write(os.path.join(d, "root.hints"),
          ". 3600000 NS a.root-servers.net.\n"
          "a.root-servers.net. 3600000 A %s\na.root-servers.net. 3600000 AAAA %s\n" % root)


def unbound_text(d, modules, interfaces, extra, tail=""):
    """A recursive resolver of the bed in directory d."""
    return """# Recursive resolver of the readiness bed: iterates from the bed's own
# root (root.hints), no DNSSEC. prefer-ip4: resolution does not depend on
# the name servers' IPv6 (which the bed breaks on purpose).
server:
    username: ""
    chroot: ""
    directory: "{d}"
    pidfile: "{d}/unbound.pid"
    use-syslog: no
    logfile: "{d}/unbound.log"
    verbosity: 1
    num-threads: 1
    # Room for every answer of a 50,000-domain bed (bench/sweep): no
    # eviction between a sweep and its dnsperf baseline. 128m/64m were
    # not: on the real-data bed (622,000 questions) dnsperf got 17,000 to
    # 22,000 q/s (9 to 14 ms mean) against 65,000 to 84,000 with these
    # (2 to 3 ms), and the sweep's ratio was the cache's. Reserved, not
    # used: a smaller bed takes what it needs. infra-cache-numhosts: that
    # bed has 7,155 server addresses and some dead ones, near the default
    # 10,000. Which of the three mattered most was not separated.
    rrset-cache-size: 1024m
    msg-cache-size: 512m
    infra-cache-numhosts: 100000
    so-reuseport: no
{interfaces}    do-ip4: yes
    do-ip6: yes
    prefer-ip4: yes
    access-control: 0.0.0.0/0 allow
    access-control: ::/0 allow
    module-config: "{modules}"
{extra}    qname-minimisation: no
    harden-referral-path: no
    minimal-responses: no
{tail}remote-control:
    control-enable: no
""".format(d=d, modules=modules, tail=tail, extra=extra or '    root-hints: "%s/root.hints"\n' % d,
           interfaces="".join("    interface: %s\n" % a for a in interfaces))


def cert_batches(names):
    return [names[i:i + BATCH] for i in range(0, len(names), BATCH)]


def write_all(model, out):
    bed = Bed(model)
    bed.build()
    for name, lines in bed.zones.items():
        write(os.path.join(out, "zones", ("root" if name == "." else name) + ".zone"),
              zone_text(name, lines))
    infra = sorted(z for z in bed.zones if z not in bed.domain_zones)
    # RFC 7050's well-known name, for the DNS64 resolver (stub zone).
    write(os.path.join(out, "zones", "ipv4only.arpa.zone"), zone_text("ipv4only.arpa", [
        rr("@", "SOA", "a.root-servers.net. hostmaster.root-servers.net. 1 3600 900 604800 60"),
        rr("@", "NS", "a.root-servers.net."), rr("@", "A", "192.0.0.170"),
        rr("@", "A", "192.0.0.171")]))
    infra.append("ipv4only.arpa")
    nsd_conf(out, "nsd-infra", bed.infra_addrs, infra)
    nsd_conf(out, "nsd", bed.auth, sorted(bed.domain_zones))
    nsd_conf(out, "nsd-lame", bed.lame, [])
    unbound_conf(out, bed.root)
    batches = cert_batches(bed.tls_names)
    write(os.path.join(out, "certs.txt"),
          "".join("batch-%d %s\n" % (i, " ".join(b)) for i, b in enumerate(batches)))
    import nginx_conf
    write(os.path.join(out, "nginx", "nginx.conf"), nginx_conf.render(out, batches))
    write(os.path.join(out, "addrs", "auth"), "\n".join(bed.infra_addrs + bed.auth + bed.lame) + "\n")
    write(os.path.join(out, "addrs", "web"), "\n".join(bed.web) + "\n")
    write(os.path.join(out, "truth.json"), json.dumps(truth(model), indent=1) + "\n")


def truth(model):
    table = {svc: {k: v[:2] for k, v in t.items()}
             for svc, t in (("web", cases.WEB), ("dns", cases.DNS), ("mail", cases.MAIL))}
    table["dns"]["nxdomain"] = list(cases.DNS_NXDOMAIN)
    return {
        "version": 1, "source": model["source"], "seed": model["seed"],
        "resolver": {"v4": RESOLVER_V4, "v6": RESOLVER_V6}, "ca": "certs/ca.pem",
        # The truth is one per domain: the same from both vantages (the
        # point of the NAT64 rules of docs/methodology.md §13.6a). A case
        # that could not be observed the same from one would be listed in
        # its "differs" ({domain case: why}); none is.
        "vantages": {
            "cli": {"resolver": {"v4": RESOLVER_V4, "v6": RESOLVER_V6}, "nat64_prefix": "",
                    "ipv4": True, "differs": {}},
            "cli6": {"resolver": {"v6": RESOLVER64_V6}, "nat64_prefix": NAT64_PREFIX,
                     "ipv4": False, "differs": {}},
        },
        "cases": table,
        "domains": [{"domain": d["name"], "sector": d["sector"], "list": d["source"],
                     "provider": d["provider"], "name_servers": d["ns"],
                     "cases": {"web": d["web_case"], "dns": d["dns_case"],
                               "mail": d["mail_case"]},
                     "expect": d["expect"], "why": d["why"]} for d in model["domains"]],
    }
