# shellcheck shell=bash disable=SC2034  # the variables are read by testbed.sh
# Topologies of the network-namespace test bed, sourced by testbed.sh.
#
# Each topology is a function topo_<name> (dashes become underscores) that
# sets the variables below; testbed.sh builds the network from them, runs
# the real probe in the client namespace and checks the run against the
# EXPECT_* values, which follow docs/methodology.md section 7 (N1-N10).
#
# Network (see docs/testbed.md for the picture):
#   CLIENT_V4        yes | no      IPv4 address + default route on the client
#   CLIENT_V6        global | 6to4 | ula | none   the client's IPv6 address
#                                  (+ default route via the router)
#   DNS_V6           yes | no      the resolver namespace has IPv6
#   RESOLVER         unbound | dns64 | filter-aaaa
#                                  unbound (recursive), unbound with DNS64,
#                                  or dnsmasq --filter-AAAA in front of unbound
#   RESOLVER_FAMILY  4 | 6         which resolver address the probe is given
#   NAT64            yes | no      tayga in the router
#   FAULT            name of a function (below) run once everything is up
#                                  and reachable: breaks what the topology is
#                                  about. Empty: none.
#   UPLOAD_FAMILY    4 | 6         the family of the collector address the
#                                  probe enrols and uploads with (one that
#                                  the topology leaves working)
#   SCHEME           http | https  the target set's scheme
# Expected run:
#   EXPECT_CAPABILITY  verdict capability
#   EXPECT_CAUSES      root causes, space-separated, exactly these ("" none)
#   EXPECT_SCORE       readiness score
#   EXPECT_NAT64       expected nat64_prefix ("" none)
#   EXPECT_V4_PREFIX / EXPECT_V6_PREFIX   public prefixes ("" none)
#   EXPECT_TESTS       KIND=OUTCOME[|OUTCOME...][/FAMILY] per test that
#                      shows where the failure is (or that it is absent)
#
# Adding a failure mode: write a topo_ function (and a fault_ function if
# the plain knobs are not enough), add its name to TOPOLOGIES. See
# docs/testbed.md.

TOPOLOGIES=(dual-stack v4-only v6-only nat64 broken-v6 pmtu-blackhole
  ula-only 6to4 aaaa-filtered resolver-no-v6)

# Defaults shared by every topology; a topo_ function changes what differs.
topo_defaults() {
  DESC=""
  CLIENT_V4=yes
  CLIENT_V6=global
  DNS_V6=yes
  RESOLVER=unbound
  RESOLVER_FAMILY=4
  NAT64=no
  FAULT=""
  UPLOAD_FAMILY=4
  SCHEME=http
  EXPECT_CAPABILITY=""
  EXPECT_CAUSES=""
  EXPECT_SCORE=""
  EXPECT_NAT64=""
  EXPECT_V4_PREFIX="192.0.2.0/24"
  EXPECT_V6_PREFIX="2001:db8:1::/48"
  EXPECT_TESTS=""
}

# N1: everything works; the dual-stack race goes to IPv6. HTTPS targets
# (test CA), resolver and collector over IPv6.
topo_dual_stack() {
  DESC="dual-stack client, IPv6 wins the race (N1)"
  SCHEME=https
  RESOLVER_FAMILY=6
  UPLOAD_FAMILY=6
  EXPECT_CAPABILITY=V6_PREFERRED
  EXPECT_SCORE=10
  EXPECT_TESTS="DNS_A=OK DNS_AAAA=OK DNS_V6NS=OK DNS_NAT64=DNS_NODATA
    HTTP_V4_ONLY=OK/IPV4 HTTP_V6_ONLY=OK/IPV6 HTTP_DUAL_STACK=OK/IPV6
    HTTP_V6_LITERAL=OK/IPV6 HTTP_V6_LARGE=OK/IPV6 HTTP_WHOAMI_V4=OK/IPV4
    HTTP_WHOAMI_V6=OK/IPV6"
}

# N2: no IPv6 on the client but link-local; the kernel refuses IPv6.
topo_v4_only() {
  DESC="IPv4-only client (N2)"
  CLIENT_V6=none
  EXPECT_CAPABILITY=V4_ONLY
  EXPECT_SCORE=3
  EXPECT_V6_PREFIX=""
  EXPECT_TESTS="HTTP_V6_ONLY=NETWORK_UNREACHABLE
    HTTP_V6_LITERAL=NETWORK_UNREACHABLE HTTP_DUAL_STACK=OK/IPV4
    DNS_V6NS=OK"
}

# N3: IPv6-only network without NAT64: IPv4 targets are out of reach.
topo_v6_only() {
  DESC="IPv6-only client, no NAT64 (N3)"
  CLIENT_V4=no
  RESOLVER_FAMILY=6
  UPLOAD_FAMILY=6
  EXPECT_CAPABILITY=V6_ONLY
  EXPECT_SCORE=9
  EXPECT_V4_PREFIX=""
  EXPECT_TESTS="HTTP_V4_ONLY=NETWORK_UNREACHABLE
    HTTP_WHOAMI_V4=NETWORK_UNREACHABLE HTTP_V6_ONLY=OK/IPV6
    HTTP_DUAL_STACK=OK/IPV6 DNS_NAT64=DNS_NODATA"
}

# N4: IPv6-only with DNS64 (unbound) + NAT64 (tayga in the router).
topo_nat64() {
  DESC="IPv6-only client with DNS64 + NAT64 (N4)"
  CLIENT_V4=no
  RESOLVER=dns64
  RESOLVER_FAMILY=6
  NAT64=yes
  UPLOAD_FAMILY=6
  EXPECT_CAPABILITY=V6_ONLY_NAT64
  EXPECT_CAUSES="NAT64"
  EXPECT_SCORE=10
  EXPECT_NAT64="2001:db8:64::/96"
  EXPECT_V4_PREFIX=""
  EXPECT_TESTS="DNS_NAT64=OK HTTP_V4_ONLY=OK/IPV6
    HTTP_WHOAMI_V4=NETWORK_UNREACHABLE HTTP_DUAL_STACK=OK/IPV6"
}

# N5: the client has an IPv6 address and default route, but the router
# drops the client's IPv6 (its own and the resolver's IPv6 still work).
topo_broken_v6() {
  DESC="router drops the client's IPv6 (N5)"
  FAULT=fault_drop_client_v6
  EXPECT_CAPABILITY=V6_BROKEN
  EXPECT_CAUSES="BROKEN_V6_PATH"
  EXPECT_SCORE=3
  EXPECT_V6_PREFIX=""
  EXPECT_TESTS="HTTP_V6_ONLY=TIMEOUT HTTP_V6_LITERAL=TIMEOUT
    HTTP_DUAL_STACK=OK/IPV4 HTTP_V4_ONLY=OK/IPV4"
}

# N6: the router's IPv6 MTU toward the client is 1280 and it drops ICMPv6
# Packet Too Big; client and server keep MTU 1500.
topo_pmtu_blackhole() {
  DESC="IPv6 path-MTU black hole (N6)"
  FAULT=fault_pmtu_blackhole
  EXPECT_CAPABILITY=V6_PREFERRED
  EXPECT_CAUSES="PMTU_BLACKHOLE"
  EXPECT_SCORE=9
  EXPECT_TESTS="HTTP_V6_LARGE=TIMEOUT HTTP_V6_ONLY=OK/IPV6
    HTTP_V6_LITERAL=OK/IPV6 HTTP_WHOAMI_V6=OK/IPV6 HTTP_DUAL_STACK=OK/IPV6"
}

# N7: only a ULA (fd00::/8) address, and the IPv6 default route goes to a
# router that does not route ULA sources anywhere.
topo_ula_only() {
  DESC="ULA-only client, IPv6 default route to nowhere (N7)"
  CLIENT_V6=ula
  FAULT=fault_drop_ula
  EXPECT_CAPABILITY=V6_BROKEN
  EXPECT_CAUSES="BROKEN_V6_PATH ULA_ONLY"
  EXPECT_SCORE=3
  EXPECT_V6_PREFIX=""
  EXPECT_TESTS="HTTP_V6_ONLY=TIMEOUT HTTP_V6_LITERAL=TIMEOUT
    HTTP_DUAL_STACK=OK/IPV4"
}

# N8: a 6to4 address (2002:c000:20a::/48 from 192.0.2.10), routed by the
# router like any other prefix.
topo_6to4() {
  DESC="6to4-addressed client (N8)"
  CLIENT_V6=6to4
  EXPECT_CAPABILITY=V6_CAPABLE
  EXPECT_CAUSES="TUNNEL_6TO4"
  EXPECT_SCORE=8
  EXPECT_V6_PREFIX="2002:c000:20a::/48"
  EXPECT_TESTS="HTTP_V6_ONLY=OK/IPV6 HTTP_DUAL_STACK=OK/IPV4"
}

# N9: the resolver (dnsmasq --filter-AAAA) strips AAAA; IPv6 transport
# works, as the literal shows.
topo_aaaa_filtered() {
  DESC="resolver filters AAAA, IPv6 literal works (N9)"
  RESOLVER=filter-aaaa
  EXPECT_CAPABILITY=V6_BROKEN
  EXPECT_CAUSES="AAAA_FILTERED"
  EXPECT_SCORE=4
  EXPECT_V6_PREFIX=""
  EXPECT_TESTS="DNS_A=OK DNS_AAAA=DNS_NODATA HTTP_V6_ONLY=DNS_NODATA
    HTTP_V6_LITERAL=OK/IPV6 HTTP_DUAL_STACK=OK/IPV4 DNS_V6NS=OK"
}

# N10: the resolver's namespace has no IPv6 at all, so it cannot reach the
# IPv6-only name server of v6ns; the client's own IPv6 is fine.
topo_resolver_no_v6() {
  DESC="resolver without IPv6 transport (N10)"
  DNS_V6=no
  EXPECT_CAPABILITY=V6_PREFERRED
  EXPECT_CAUSES="RESOLVER_NO_V6"
  EXPECT_SCORE=9
  EXPECT_TESTS="DNS_A=OK DNS_V6NS=DNS_SERVFAIL|TIMEOUT
    HTTP_DUAL_STACK=OK/IPV6"
}

# --- faults: run in the testbed.sh context ($RTR etc. are set) ------------

# Router: drop every IPv6 packet to or from the client link.
fault_drop_client_v6() {
  nft_router <<'EOF'
table inet v6scope_fault {
  chain forward {
    type filter hook forward priority 0; policy accept;
    iifname "eth-cli" meta nfproto ipv6 drop
    oifname "eth-cli" meta nfproto ipv6 drop
  }
}
EOF
}

# Router: IPv6 MTU 1280 toward the client (the device MTU, and so IPv4,
# stays 1500), and no Packet Too Big leaves or crosses the router.
fault_pmtu_blackhole() {
  in_ns "$RTR" sysctl -qw net.ipv6.conf.eth-cli.mtu=1280 &&
    nft_router <<'EOF'
table inet v6scope_fault {
  chain output {
    type filter hook output priority 0; policy accept;
    icmpv6 type packet-too-big drop
  }
  chain forward {
    type filter hook forward priority 0; policy accept;
    icmpv6 type packet-too-big drop
  }
}
EOF
}

# Router: ULA sources are not routed (silently dropped), as at a border
# router without NPTv6.
fault_drop_ula() {
  nft_router <<'EOF'
table inet v6scope_fault {
  chain forward {
    type filter hook forward priority 0; policy accept;
    ip6 saddr fc00::/7 drop
    ip6 daddr fc00::/7 drop
  }
}
EOF
}
