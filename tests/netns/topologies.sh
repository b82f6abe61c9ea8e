# shellcheck shell=bash disable=SC2034  # the variables are read by testbed.sh
# Topologies of the network-namespace test bed, sourced by testbed.sh.
#
# Each topology is a function topo_<name> (dashes become underscores) that
# sets the variables below; testbed.sh builds the network from them, runs
# the real probe in the client namespace and checks the run against the
# EXPECT_* values: methodology 2's expected verdicts (docs/methodology.md,
# the test-bed table; N1-N10 are methodology 1's reference networks, the
# four after them were added with methodology 2).
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
#   EXPECT_CAUSES      root causes, space-separated, exactly these in
#                      ascending enum order, as the verdict lists them
#                      ("" none)
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
  ula-only 6to4 aaaa-filtered resolver-no-v6 nat64-broken v4-broken
  v6-unreachable slow-large)

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
  EXPECT_V4_PREFIX="11.1.0.0/24"
  EXPECT_V6_PREFIX="2d00:1::/48"
  EXPECT_TESTS=""
}

# HTTP_NAT64 (v4.$ZONE pinned to IPv6) where the resolver synthesizes
# nothing: the name has no AAAA, so the test is not applicable (fast).
NAT64_NOT_APPLICABLE="HTTP_NAT64=DNS_NODATA|NO_ADDRESS"

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
    HTTP_WHOAMI_V6=OK/IPV6 $NAT64_NOT_APPLICABLE"
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
    DNS_V6NS=OK $NAT64_NOT_APPLICABLE"
}

# N3: IPv6-only network without NAT64: IPv4 targets are out of reach
# (score capped at 4: a large share of sites has no IPv6).
topo_v6_only() {
  DESC="IPv6-only client, no NAT64 (N3)"
  CLIENT_V4=no
  RESOLVER_FAMILY=6
  UPLOAD_FAMILY=6
  EXPECT_CAPABILITY=V6_ONLY
  EXPECT_SCORE=4
  EXPECT_V4_PREFIX=""
  EXPECT_TESTS="HTTP_V4_ONLY=NETWORK_UNREACHABLE
    HTTP_WHOAMI_V4=NETWORK_UNREACHABLE HTTP_V6_ONLY=OK/IPV6
    HTTP_DUAL_STACK=OK/IPV6 DNS_NAT64=DNS_NODATA $NAT64_NOT_APPLICABLE"
}

# N4: IPv6-only with DNS64 (unbound, the well-known prefix 64:ff9b::/96)
# + NAT64 (tayga in the router).
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
  EXPECT_NAT64="64:ff9b::/96"
  EXPECT_V4_PREFIX=""
  EXPECT_TESTS="DNS_NAT64=OK HTTP_V4_ONLY=OK/IPV6 HTTP_NAT64=OK/IPV6
    HTTP_WHOAMI_V4=NETWORK_UNREACHABLE HTTP_DUAL_STACK=OK/IPV6"
}

# N5: the client has an IPv6 address and default route, but the router
# silently drops the client's IPv6 (its own and the resolver's IPv6 still
# work): a black hole, not an unreachable (compare v6-unreachable).
topo_broken_v6() {
  DESC="router silently drops the client's IPv6 (N5)"
  FAULT=fault_drop_client_v6
  EXPECT_CAPABILITY=V6_BROKEN
  EXPECT_CAUSES="V6_BLACKHOLE"
  EXPECT_SCORE=3
  EXPECT_V6_PREFIX=""
  EXPECT_TESTS="HTTP_V6_ONLY=TIMEOUT HTTP_V6_LITERAL=TIMEOUT
    HTTP_DUAL_STACK=OK/IPV4 HTTP_V4_ONLY=OK/IPV4"
}

# N6: the router's IPv6 MTU toward the client is 1280 and it drops ICMPv6
# Packet Too Big; client and server keep MTU 1500. The dual-stack fetch
# goes over IPv6, so every dual-stack site's large responses stall: the
# score is capped at 1.
topo_pmtu_blackhole() {
  DESC="IPv6 path-MTU black hole (N6)"
  FAULT=fault_pmtu_blackhole
  EXPECT_CAPABILITY=V6_PREFERRED
  EXPECT_CAUSES="PMTU_BLACKHOLE"
  EXPECT_SCORE=1
  EXPECT_TESTS="HTTP_V6_LARGE=STALLED HTTP_V6_ONLY=OK/IPV6
    HTTP_V6_LITERAL=OK/IPV6 HTTP_WHOAMI_V6=OK/IPV6 HTTP_DUAL_STACK=OK/IPV6"
}

# N7: only a ULA (fd00::/8) address, and the IPv6 default route goes to a
# router that silently drops ULA sources.
topo_ula_only() {
  DESC="ULA-only client, IPv6 default route to nowhere (N7)"
  CLIENT_V6=ula
  FAULT=fault_drop_ula
  EXPECT_CAPABILITY=V6_BROKEN
  EXPECT_CAUSES="ULA_ONLY V6_BLACKHOLE"
  EXPECT_SCORE=3
  EXPECT_V6_PREFIX=""
  EXPECT_TESTS="HTTP_V6_ONLY=TIMEOUT HTTP_V6_LITERAL=TIMEOUT
    HTTP_DUAL_STACK=OK/IPV4"
}

# N8: a 6to4 address (2002:b01:a::/48 from 11.1.0.10), routed by the
# router like any other prefix.
topo_6to4() {
  DESC="6to4-addressed client (N8)"
  CLIENT_V6=6to4
  EXPECT_CAPABILITY=V6_CAPABLE
  EXPECT_CAUSES="TUNNEL_6TO4"
  EXPECT_SCORE=8
  EXPECT_V6_PREFIX="2002:b01:a::/48"
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
    HTTP_V6_LITERAL=OK/IPV6 HTTP_DUAL_STACK=OK/IPV4 DNS_V6NS=OK
    $NAT64_NOT_APPLICABLE"
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

# IPv6-only client whose resolver does DNS64 with 64:ff9b::/96, but the
# NAT64 behind it is gone: tayga is up and was reachable at bring-up
# (readiness pings through it), then the fault deletes the router's route
# to the prefix. The router answers each synthesized destination with
# ICMPv6 "no route" (what a router without the route does; a silent drop
# would only make the failure slower), so HTTP_V4_ONLY and HTTP_NAT64 fail
# fast with NETWORK_UNREACHABLE while native IPv6 works. Score capped at 4:
# IPv4-only content is out of reach.
topo_nat64_broken() {
  DESC="IPv6-only client, DNS64 but no route to the NAT64 prefix"
  CLIENT_V4=no
  RESOLVER=dns64
  RESOLVER_FAMILY=6
  NAT64=yes
  FAULT=fault_nat64_no_route
  UPLOAD_FAMILY=6
  EXPECT_CAPABILITY=V6_ONLY
  EXPECT_CAUSES="NAT64_BROKEN"
  EXPECT_SCORE=4
  EXPECT_NAT64="64:ff9b::/96"
  EXPECT_V4_PREFIX=""
  # HTTP_V4_ONLY has no family: the name also has an A record, and the
  # address the fetch tried last may be that one (no IPv4 route: at once).
  EXPECT_TESTS="DNS_NAT64=OK HTTP_NAT64=NETWORK_UNREACHABLE/IPV6
    HTTP_V4_ONLY=NETWORK_UNREACHABLE HTTP_V6_ONLY=OK/IPV6
    HTTP_DUAL_STACK=OK/IPV6 HTTP_WHOAMI_V4=NETWORK_UNREACHABLE"
}

# Dual-stack client whose IPv4 is configured (address, default route) but
# silently dropped by the router; IPv6 works, and so do the resolver and
# the upload, over IPv6. Not an IPv6-only host: the IPv4 fetches time out.
topo_v4_broken() {
  DESC="dual-stack client, router silently drops its IPv4"
  FAULT=fault_drop_client_v4
  RESOLVER_FAMILY=6
  UPLOAD_FAMILY=6
  EXPECT_CAPABILITY=V4_BROKEN
  EXPECT_CAUSES="V4_PATH_BROKEN"
  EXPECT_SCORE=4
  EXPECT_V4_PREFIX=""
  EXPECT_TESTS="HTTP_V4_ONLY=TIMEOUT/IPV4 HTTP_WHOAMI_V4=TIMEOUT/IPV4
    HTTP_V6_ONLY=OK/IPV6 HTTP_DUAL_STACK=OK/IPV6 HTTP_V6_LARGE=OK/IPV6
    DNS_A=OK DNS_AAAA=OK $NAT64_NOT_APPLICABLE"
}

# Dual-stack client whose IPv6 the router rejects with ICMPv6 "no route"
# (destination unreachable, code 0): the fast failure of a missing route
# or a rejecting filter, apart from broken-v6's silent drop. IPv4 works.
topo_v6_unreachable() {
  DESC="router answers the client's IPv6 with ICMPv6 no-route"
  FAULT=fault_reject_client_v6
  EXPECT_CAPABILITY=V6_BROKEN
  EXPECT_CAUSES="V6_UNREACHABLE"
  EXPECT_SCORE=3
  EXPECT_V6_PREFIX=""
  EXPECT_TESTS="HTTP_V6_ONLY=NETWORK_UNREACHABLE|HOST_UNREACHABLE
    HTTP_V6_LITERAL=NETWORK_UNREACHABLE|HOST_UNREACHABLE
    HTTP_DUAL_STACK=OK/IPV4 HTTP_V4_ONLY=OK/IPV4 $NAT64_NOT_APPLICABLE"
}

# Dual-stack client with a slow but working IPv6 path: the router shapes
# IPv6 toward the client to 200 kB/s (IPv4 untouched). The large fetch
# must come back OK, not STALLED: slow is not a black hole.
topo_slow_large() {
  DESC="dual-stack client, IPv6 toward it shaped to 200 kB/s"
  FAULT=fault_shape_client_v6
  EXPECT_CAPABILITY=V6_PREFERRED
  EXPECT_SCORE=10
  EXPECT_TESTS="HTTP_V6_LARGE=OK/IPV6 HTTP_V6_ONLY=OK/IPV6
    HTTP_DUAL_STACK=OK/IPV6 HTTP_V4_ONLY=OK/IPV4 $NAT64_NOT_APPLICABLE"
}

# --- faults: run in the testbed.sh context ($RTR etc. are set) ------------

# Router: drop every IPv6 packet to or from the client link, silently.
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

# Router: ULA sources and destinations are not routed (silently dropped),
# as at a border router without NPTv6.
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

# Router: the route to the NAT64 prefix disappears (tayga keeps running,
# nothing reaches it). Forwarding then answers ICMPv6 destination
# unreachable, no route. No ICMPv6 rate limit in the router, so every
# connection attempt gets its answer, however many run at once.
fault_nat64_no_route() {
  in_ns "$RTR" sysctl -qw net.ipv6.icmp.ratelimit=0 &&
    ip -n "$RTR" -6 route del "$NAT64_PREFIX" dev nat64
}

# Router: drop every IPv4 packet to or from the client link (ARP, which is
# not IPv4, still works: the client keeps a reachable default gateway).
fault_drop_client_v4() {
  nft_router <<'EOF'
table inet v6scope_fault {
  chain forward {
    type filter hook forward priority 0; policy accept;
    iifname "eth-cli" meta nfproto ipv4 drop
    oifname "eth-cli" meta nfproto ipv4 drop
  }
}
EOF
}

# Router: answer every IPv6 packet the client sends through it with
# ICMPv6 destination unreachable, no route (unrate-limited, as above).
fault_reject_client_v6() {
  in_ns "$RTR" sysctl -qw net.ipv6.icmp.ratelimit=0 &&
    nft_router <<'EOF'
table inet v6scope_fault {
  chain forward {
    type filter hook forward priority 0; policy accept;
    iifname "eth-cli" meta nfproto ipv6 reject with icmpv6 type no-route
  }
}
EOF
}

# Router: IPv6 toward the client leaves at 200 kB/s (1600 kbit/s), IPv4 at
# link speed. An htb root qdisc on eth-cli sends unclassified packets
# straight through (default 0); nftables puts forwarded IPv6 for the client
# in the shaped class 1:10 by setting the packet's priority to the class
# id, which htb honours without any tc filter (no filter or action modules
# needed). The router's own packets (neighbour discovery) stay unshaped.
fault_shape_client_v6() {
  in_ns "$RTR" tc qdisc add dev eth-cli root handle 1: htb &&
    in_ns "$RTR" tc class add dev eth-cli parent 1: classid 1:10 htb \
      rate 1600kbit ceil 1600kbit &&
    nft_router <<'EOF'
table inet v6scope_fault {
  chain forward {
    type filter hook forward priority 0; policy accept;
    oifname "eth-cli" meta nfproto ipv6 meta priority set 1:10
  }
}
EOF
}
