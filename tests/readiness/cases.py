"""The truth-table cases of the readiness bed: what each case builds and
the ServiceState (proto/readiness.proto) a correct checker must give.

Three independent axes per domain: the DNS case is its name-server
provider's profile (every domain of a provider shares it, as on the real
internet), the web case and the mail case are the domain's own. Two DNS
cases override the others: an undelegated name (NXDOMAIN) has no service of
any kind, and a lame delegation resolves nothing, so web and mail fail over
IPv4 too. See docs/readiness-bed.md.
"""

# Web cases: name -> (state, why, weight). "box" behaviour lives in gen.py.
WEB = {
    "serving": ("SERVING_V6", "www has A and AAAA on one box serving the same site over both", 30),
    "apex_only": ("SERVING_V6", "no www; the apex has A and AAAA and serves the same site over both", 4),
    "cname_cdn": ("SERVING_V6", "www is a CNAME to a CDN edge name with A and AAAA, same site over both", 5),
    "http_only": ("SERVING_V6", "port 443 closed over both families; http serves the same site over both", 3),
    "slow": ("SERVING_V6", "same site over both families, each response trickled over about 1.5 s", 2),
    "no_aaaa": ("NO_AAAA", "www and apex have an A and no AAAA", 30),
    "www_no_aaaa": ("NO_AAAA", "www (the web host) has no AAAA; only the apex has one", 3),
    "aaaa_dead": ("AAAA_UNREACHABLE", "www's AAAA is an unassigned address: IPv6 connections time out", 5),
    "v6_503": ("NOT_SERVING_V6", "the IPv6 listener answers 503 on every scheme; IPv4 serves the site", 3),
    "v6_other_site": ("DIFFERENT_SITE_V6", "the IPv6 listener serves a default hosting page, not the site", 3),
    "v6_tls_mismatch": ("TLS_FAILS_V6", "https over IPv6 presents a certificate for another name; http and IPv4 are fine", 3),
    "redirect_v4only": ("REDIRECTS_TO_V4_ONLY", "www (A+AAAA) redirects to https://secure.<domain>/, which has only an A", 3),
    "down_dead": ("BROKEN_V4", "A and AAAA are unassigned addresses: the site times out over both families", 2),
    "down_503": ("BROKEN_V4", "the site answers 503 over both families", 2),
    "no_web": ("NO_SERVICE", "neither the apex nor www has an address", 2),
}

# DNS cases: provider profiles (every domain of the provider gets one),
# plus the per-domain "nxdomain".
DNS = {
    "serving": ("SERVING_V6", "every name server has an AAAA that answers the zone's SOA", 40),
    "no_v6": ("NO_AAAA", "no name server has an AAAA", 35),
    "v6_dead": ("AAAA_UNREACHABLE", "every name server's AAAA is an unassigned address (no answer)", 6),
    "v6_refused": ("NOT_SERVING_V6", "every name server's AAAA answers, but REFUSED: not authoritative there", 6),
    "partial_noaaaa": ("PARTIAL_V6", "the first name server serves over IPv6, the others have no AAAA", 5),
    "partial_dead": ("PARTIAL_V6", "the first name server serves over IPv6, the others' AAAA are unassigned", 4),
    "lame": ("BROKEN_V4", "lame delegation: every name server REFUSES the zone over both families", 2),
}
DNS_NXDOMAIN = ("NO_SERVICE", "the name is not delegated in its TLD (NXDOMAIN)")

MAIL = {
    "no_mx": ("NO_SERVICE", "no MX record", 15),
    "null_mx": ("NO_SERVICE", "null MX (RFC 7505: MX 0 .)", 5),
    "mx_v4only": ("NO_AAAA", "the provider's MX hosts have an A and no AAAA", 35),
    "mx_dual": ("SERVING_V6", "the provider's MX hosts have A and AAAA", 25),
    "mx_self_dual": ("SERVING_V6", "mail.<domain> (in the zone) has A and AAAA", 8),
    "mx_partial": ("PARTIAL_V6", "two MX hosts: one with AAAA, one without", 8),
    "mx_noaddr": ("BROKEN_V4", "the MX host does not resolve (no address of either family)", 4),
}

# Providers of the DNS profiles a domain cannot get from a self-hosted
# (in-bailiwick) name server: when the zone's own servers refuse it, not
# even their addresses resolve.
OUT_OF_BAILIWICK_ONLY = {"lame"}
# Profiles that need at least two name servers.
NEEDS_TWO_HOSTS = {"partial_noaaaa", "partial_dead"}

WHY_NXDOMAIN = "the domain does not exist (NXDOMAIN)"
WHY_LAME = "no name server answers for the zone, so no name of the domain resolves"


def states():
    """Every (service, state) the bed must produce."""
    out = set()
    for svc, table in (("web", WEB), ("dns", DNS), ("mail", MAIL)):
        out |= {(svc, v[0]) for v in table.values()}
    out.add(("dns", DNS_NXDOMAIN[0]))
    return out
