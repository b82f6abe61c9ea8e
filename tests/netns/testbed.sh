#!/usr/bin/env bash
# v6scope network-namespace test bed: real nginx + nsd targets, unbound
# (DNS64), dnsmasq (filter-AAAA) and tayga (NAT64) in network namespaces,
# the real v6scope-probe in a client namespace, a real v6scope-collector
# (TLS) storing its run. See docs/testbed.md.
#
#   testbed.sh test [TOPOLOGY...]   build each topology, measure, check the
#                                   verdict and what the collector stored,
#                                   tear down; JUnit to $XML_OUTPUT_FILE
#   testbed.sh up TOPOLOGY          build one topology and enrol a probe
#   testbed.sh run TOPOLOGY [FLAGS] measure once and upload (FLAGS go to
#                                   v6scope-probe run-once, e.g. --json)
#   testbed.sh runs TOPOLOGY        what the topology's collector stored
#   testbed.sh shell TOPOLOGY [cli|rtr|srv|dns] [CMD...]
#                                   a shell (or CMD) in one namespace
#   testbed.sh down TOPOLOGY        stop its processes, delete its namespaces
#   testbed.sh list                 the topologies
#   testbed.sh check                whether this machine can run the bed
#                                   (exit 0), or why not (exit 1)
# Options (before the command): --probe=BIN --collector=BIN --cli=BIN
# (default: bazel-bin of this checkout; `run` may name another probe than
# `up` did), --keep (test: keep the files of failed topologies; processes
# and namespaces are always removed), --repeat=N (test: measure each
# topology N times on one bring-up; it passes only if every run gives the
# expected verdict), --dns_timeout_ms=MS --http_timeout_ms=MS (probe
# deadlines; default: the probe's own, which is what `test` is for).
#
# Needs root, iproute2, nftables, nginx, nsd, unbound, dnsmasq, tayga,
# ping, dig, curl, openssl, tc (tools/install-deps). `test` skips, saying
# why, when any is missing. Every address that plays a public address is in
# the public test space (IPv4 11.0.0.0/8, IPv6 2d00::/8, NAT64 64:ff9b::/96)
# and exists only inside the namespaces; nothing leaves this host.
set -uo pipefail
shopt -u patsub_replacement 2>/dev/null || true
export PATH="/usr/sbin:/sbin:/usr/bin:/bin:${PATH:-}"
export LC_ALL=C

# Under `bazel test` the files are in the runfiles tree; by hand, beside
# this script in the checkout.
if [ -n "${TEST_SRCDIR:-}" ] && [ -d "$TEST_SRCDIR/${TEST_WORKSPACE:-v6scope}/tests/netns" ]; then
  ROOT="$TEST_SRCDIR/${TEST_WORKSPACE:-v6scope}"
else
  ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
fi
HERE="$ROOT/tests/netns"
TARGETS_DIR="$ROOT/deploy/targets"
# shellcheck source=topologies.sh
. "$HERE/topologies.sh"

# --- addresses (public test space only) -------------------------------------
# Addresses that play PUBLIC addresses are public: IPv4 11.0.0.0/8 and
# IPv6 2d00::/8 (unallocated global unicast; not 3ffe::/16, which RFC
# 6724's policy table demotes below IPv4), docs/methodology.md and
# common/net/special_purpose.h. Documentation ranges (192.0.2.0/24,
# 2001:db8::/32) are special-purpose: methodology 2's probe and collector
# refuse them as public prefixes and keep them out of the public inventory
# counts, so a bed built on them would measure nothing public.
ZONE=v6scope.test
RTR_CLI_V4=11.1.0.1         CLI_V4=11.1.0.10             # client link /24
RTR_CLI_GLOBAL=2d00:1::1    CLI_GLOBAL=2d00:1::10        # client link /64
RTR_CLI_6TO4=2002:b01:a::1  CLI_6TO4=2002:b01:a::10      # 6to4 of 11.1.0.10
RTR_CLI_ULA=fd00:1::1       CLI_ULA=fd00:1::10
RTR_SRV_V4=11.2.0.1         WEB_V4=11.2.0.10     NS_V4=11.2.0.53
RTR_SRV_V6=2d00:2::1        WEB_V6=2d00:2::10    NS_V6=2d00:2::53
V6NS_V6=2d00:2::54          # the IPv6-only name server of v6ns.$ZONE
RTR_DNS_V4=11.3.0.1         DNS_V4=11.3.0.53                     # /26
RTR_DNS_V6=2d00:3::1        DNS_V6_ADDR=2d00:3::53
# The well-known NAT64 prefix (RFC 6052). RFC 6052 forbids it with private
# IPv4 addresses; tayga enforces that, and every IPv4 address here is 11.x.
NAT64_PREFIX=64:ff9b::/96
NAT64_POOL=11.3.0.128/25    TAYGA_V4=11.3.0.129
COLLECTOR_PORT=7443
# Probe deadlines: empty = the probe's own defaults (methodology 2: DNS 2 s,
# HTTP 4 s, connect 3 s, stall 2 s), which every topology must finish
# within 6 s with. --dns_timeout_ms= / --http_timeout_ms= override them
# (e.g. methodology 1's 5000 / 10000 for the baseline benchmark).
DNS_TIMEOUT_MS=""
HTTP_TIMEOUT_MS=""

PROBE_BIN="" COLLECTOR_BIN="" CLI_BIN="" KEEP=0 REPEAT=1 RUN_DIR="" STATE=""

log() { printf '[%s] %s\n' "$(date +%T.%3N)" "$*" >&2; }
now_ms() { date +%s%3N; }
in_ns() { local ns="$1"; shift; ip netns exec "$ns" "$@"; }
nft_router() { in_ns "$RTR" nft -f -; }

# wait_until WHAT SECONDS CMD...: polls CMD until it succeeds. Readiness is
# always observed this way, never assumed after a sleep.
wait_until() {
  local what="$1" secs="$2"; shift 2
  local deadline=$(($(now_ms) + secs * 1000))
  until "$@" >/dev/null 2>&1; do
    daemons_alive || return 1
    if [ "$(now_ms)" -ge "$deadline" ]; then
      log "not ready after ${secs}s: $what"
      echo "not ready after ${secs}s: $what" >>"$STATE/errors"
      return 1
    fi
    sleep 0.1
  done
}

# --- per-topology state --------------------------------------------------------
# A topology's files live in $STATE; its namespaces are $NS_PREFIX-<role>.
# $STATE/namespaces and $STATE/pids ("PID NAMESPACE NAME") are written
# before anything is created, so teardown finds all of it after any failure.
select_topology() {
  local topo="$1"
  if ! declare -F "topo_${topo//-/_}" >/dev/null; then
    echo "testbed: unknown topology '$topo' (try: list)" >&2
    return 2
  fi
  TOPO="$topo"
  topo_defaults
  "topo_${topo//-/_}"
  STATE="$RUN_DIR/$topo"
  # Interface names are per namespace; namespace names need only be unique.
  NS_PREFIX="${NS_RUN:-v6s}-$topo"
  CLI="$NS_PREFIX-cli" RTR="$NS_PREFIX-rtr" SRV="$NS_PREFIX-srv" DNS="$NS_PREFIX-dns"
  if [ "$UPLOAD_FAMILY" = 6 ]; then
    COLLECTOR_ADDR="[$WEB_V6]:$COLLECTOR_PORT"
  else
    COLLECTOR_ADDR="$WEB_V4:$COLLECTOR_PORT"
  fi
  if [ "$RESOLVER_FAMILY" = 6 ]; then RESOLVER_ADDR="$DNS_V6_ADDR"; else RESOLVER_ADDR="$DNS_V4"; fi
}

add_ns() {
  local ns="$1"
  if [ -e "/run/netns/$ns" ]; then  # not ours: never record (or delete) it
    log "namespace $ns exists already (left by an earlier run? delete it with: ip netns del $ns)"
    return 1
  fi
  echo "$ns" >>"$STATE/namespaces"
  ip netns add "$ns" || return 1
  # No duplicate address detection, no router advertisements: addresses
  # are usable at once and only the ones set here exist.
  in_ns "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
    net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_ra=0 \
    net.ipv6.conf.default.accept_ra=0 >/dev/null &&
    ip -n "$ns" link set lo up
}

# link NS_A IF_A NS_B IF_B: a veth pair created straight into both.
link() {
  ip link add name "$2" netns "$1" type veth peer name "$4" netns "$3" &&
    ip -n "$1" link set "$2" up && ip -n "$3" link set "$4" up
}

addr() {  # addr NS DEV ADDRESS/LEN
  case "$3" in
    *:*) ip -n "$1" -6 addr add "$3" dev "$2" nodad ;;
    *) ip -n "$1" addr add "$3" dev "$2" ;;
  esac
}

build_network() {
  local ns
  for ns in "$CLI" "$RTR" "$SRV" "$DNS"; do add_ns "$ns" || return 1; done
  link "$CLI" eth0 "$RTR" eth-cli && link "$SRV" eth0 "$RTR" eth-srv &&
    link "$DNS" eth0 "$RTR" eth-dns || return 1
  in_ns "$RTR" sysctl -qw net.ipv4.ip_forward=1 \
    net.ipv6.conf.all.forwarding=1 >/dev/null || return 1

  # Client link.
  if [ "$CLIENT_V4" = yes ]; then
    addr "$RTR" eth-cli "$RTR_CLI_V4/24" && addr "$CLI" eth0 "$CLI_V4/24" &&
      ip -n "$CLI" route add default via "$RTR_CLI_V4" || return 1
  fi
  local rtr6="" cli6=""
  case "$CLIENT_V6" in
    global) rtr6="$RTR_CLI_GLOBAL" cli6="$CLI_GLOBAL" ;;
    6to4) rtr6="$RTR_CLI_6TO4" cli6="$CLI_6TO4" ;;
    ula) rtr6="$RTR_CLI_ULA" cli6="$CLI_ULA" ;;
    none) ;;
    *) log "bad CLIENT_V6 '$CLIENT_V6'"; return 1 ;;
  esac
  if [ -n "$cli6" ]; then
    addr "$RTR" eth-cli "$rtr6/64" && addr "$CLI" eth0 "$cli6/64" &&
      ip -n "$CLI" -6 route add default via "$rtr6" || return 1
  fi

  # Server link: web, name server, IPv6-only name server, collector.
  addr "$RTR" eth-srv "$RTR_SRV_V4/24" && addr "$RTR" eth-srv "$RTR_SRV_V6/64" &&
    addr "$SRV" eth0 "$WEB_V4/24" && addr "$SRV" eth0 "$NS_V4/24" &&
    addr "$SRV" eth0 "$WEB_V6/64" && addr "$SRV" eth0 "$NS_V6/64" &&
    addr "$SRV" eth0 "$V6NS_V6/64" &&
    ip -n "$SRV" route add default via "$RTR_SRV_V4" &&
    ip -n "$SRV" -6 route add default via "$RTR_SRV_V6" || return 1

  # Resolver link.
  addr "$RTR" eth-dns "$RTR_DNS_V4/26" && addr "$DNS" eth0 "$DNS_V4/26" &&
    ip -n "$DNS" route add default via "$RTR_DNS_V4" || return 1
  if [ "$DNS_V6" = yes ]; then
    addr "$RTR" eth-dns "$RTR_DNS_V6/64" && addr "$DNS" eth0 "$DNS_V6_ADDR/64" &&
      ip -n "$DNS" -6 route add default via "$RTR_DNS_V6" || return 1
  fi
}

# --- processes -------------------------------------------------------------------
# start NAME NS CMD...: a daemon in the foreground of `ip netns exec`, which
# execs it, so $! is the daemon's own PID.
start() {
  local name="$1" ns="$2"; shift 2
  ip netns exec "$ns" "$@" >"$STATE/$name.out" 2>&1 </dev/null &
  echo "$! $ns $name" >>"$STATE/pids"
}

# daemons_alive: every daemon started so far still runs; otherwise says
# which one exited and its last words (a readiness wait then ends at once).
daemons_alive() {
  local pid ns name
  while read -r pid ns name; do
    alive "$pid" && continue
    local last; last="$(tail -n 1 "$STATE/$name.out" 2>/dev/null)"
    local why="$name exited: ${last:-(no output)}"
    log "$why"
    echo "$why" >>"$STATE/errors"
    return 1
  done <"$STATE/pids"
}

alive() {  # alive PID: running and not a zombie
  local st
  st="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" || return 1
  [ -n "$st" ] && [ "$st" != Z ]
}

# stop_processes: SIGTERM to each recorded PID still in its namespace, up
# to 5 s to exit, then SIGKILL; then anything else left in the namespaces.
stop_processes() {
  [ -f "$STATE/pids" ] || return 0
  local pid ns name left=()
  while read -r pid ns name; do
    if alive "$pid" && [ "$(ip netns identify "$pid" 2>/dev/null)" = "$ns" ]; then
      kill -TERM "$pid" 2>/dev/null && left+=("$pid")
    fi
  done <"$STATE/pids"
  local deadline=$(($(now_ms) + 5000)) still
  while :; do
    still=()
    for pid in "${left[@]}"; do alive "$pid" && still+=("$pid"); done
    [ ${#still[@]} -eq 0 ] && break
    if [ "$(now_ms)" -ge "$deadline" ]; then
      log "SIGKILL to ${still[*]} (no exit 5 s after SIGTERM)"
      for pid in "${still[@]}"; do kill -KILL "$pid" 2>/dev/null; done
      break
    fi
    sleep 0.05
  done
  for pid in "${left[@]}"; do wait "$pid" 2>/dev/null; done
  [ -f "$STATE/namespaces" ] || return 0
  while read -r ns; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do
      log "SIGKILL to leftover PID $pid in $ns ($(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null))"
      kill -KILL "$pid" 2>/dev/null
    done
  done <"$STATE/namespaces"
}

# teardown: processes, nft tables, the tun device, namespaces. Safe to run
# twice and after a partial build.
teardown() {
  [ -n "${STATE:-}" ] && [ -d "$STATE" ] || return 0
  stop_processes
  local ns
  if [ -f "$STATE/namespaces" ]; then
    while read -r ns; do
      ip netns list 2>/dev/null | grep -q "^$ns\( \|$\)" || continue
      # Every table in our own namespaces is ours.
      in_ns "$ns" nft flush ruleset 2>/dev/null
      ip -n "$ns" link del nat64 2>/dev/null
      ip netns del "$ns" || log "could not delete namespace $ns"
    done <"$STATE/namespaces"
    rm -f "$STATE/namespaces"
  fi
  rm -f "$STATE/pids"
}

# --- shared files: CA, certificate, web root, zone files -----------------------------
make_common() {
  local c="$RUN_DIR/common"
  [ -f "$c/ready" ] && return 0
  mkdir -p "$c/www" "$c/zones" || return 1
  (
    cd "$c" || exit 1
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
      -keyout ca.key -out ca.pem -days 2 -subj "/CN=v6scope netns test CA" \
      -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" &&
      openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -keyout server.key -out server.csr -subj "/CN=ds.$ZONE" &&
      printf '%s\n' "basicConstraints=CA:FALSE" \
        "extendedKeyUsage=serverAuth" \
        "subjectAltName=DNS:ds.$ZONE,DNS:v4.$ZONE,DNS:v6.$ZONE,DNS:mtu.$ZONE,IP:$WEB_V4,IP:$WEB_V6,IP:127.0.0.1,IP:::1" \
        >server.ext &&
      openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key \
        -set_serial 1 -days 2 -extfile server.ext -out server.pem
  ) >"$c/openssl.log" 2>&1 || { log "openssl failed: $(tail -3 "$c/openssl.log")"; return 1; }
  # /small: headers + body fit one 1280-byte IPv6 packet (see the nginx
  # template); /large: 1.5 MB.
  head -c 800 /dev/zero | tr '\0' 's' >"$c/www/small.bin" &&
    head -c 1500000 /dev/zero | tr '\0' 'L' >"$c/www/large.bin" || return 1
  export ZONE NS_V4 NS_V6 WEB_V4 WEB_V6 V6NS_V6 SERIAL=1
  "$TARGETS_DIR/render" "$TARGETS_DIR/targets.zone.template" >"$c/zones/$ZONE.zone" &&
    "$TARGETS_DIR/render" "$TARGETS_DIR/v6ns.zone.template" >"$c/zones/v6ns.$ZONE.zone" ||
    return 1
  # RFC 7050's well-known name, so DNS64 can reveal its prefix. Served by
  # the parent nsd: the resolver never needs anything outside the bed.
  cat >"$c/zones/ipv4only.arpa.zone" <<EOF
\$ORIGIN ipv4only.arpa.
\$TTL 300
@ IN SOA ns1.$ZONE. hostmaster.$ZONE. ( 1 3600 900 604800 60 )
  IN NS ns1.$ZONE.
  IN A 192.0.0.170
  IN A 192.0.0.171
EOF
  touch "$c/ready"
}

CA="" # set by configure_servers
configure_servers() {
  local c="$RUN_DIR/common"
  CA="$c/ca.pem"
  mkdir -p "$STATE/nginx" "$STATE/nsd" "$STATE/nsd-v6ns" "$STATE/unbound" \
    "$STATE/collector" "$STATE/probe" || return 1
  chmod 700 "$STATE/probe"
  local r="$TARGETS_DIR/render"
  ZONE="$ZONE" STATE_DIR="$STATE/nginx" WEB_ROOT="$c/www" \
    TLS_CERT="$c/server.pem" TLS_KEY="$c/server.key" \
    "$r" "$TARGETS_DIR/nginx-targets.conf.template" >"$STATE/nginx/nginx.conf" || return 1
  ZONE="$ZONE" NS_V4="$NS_V4" NS_V6="$NS_V6" NSD_USER="" ZONES_DIR="$c/zones" \
    STATE_DIR="$STATE/nsd" \
    "$r" "$TARGETS_DIR/nsd.conf.template" >"$STATE/nsd/nsd.conf" || return 1
  printf '\nzone:\n    name: "ipv4only.arpa"\n    zonefile: "ipv4only.arpa.zone"\n' \
    >>"$STATE/nsd/nsd.conf"
  ZONE="$ZONE" V6NS_V6="$V6NS_V6" NSD_USER="" ZONES_DIR="$c/zones" \
    STATE_DIR="$STATE/nsd-v6ns" \
    "$r" "$TARGETS_DIR/nsd-v6ns.conf.template" >"$STATE/nsd-v6ns/nsd.conf" || return 1
  write_unbound_conf && write_probe_config
}

# unbound: recursive for the bed's zones only (stub zones to the parent
# nsd), DNS64 when asked; every other name is refused, so it never tries
# the real root servers.
write_unbound_conf() {
  local listen=() modules="iterator"
  if [ "$RESOLVER" = filter-aaaa ]; then
    listen=("127.0.0.1@5353")  # dnsmasq answers the client and asks unbound
  else
    listen=("$DNS_V4@53")
    [ "$DNS_V6" = yes ] && listen+=("$DNS_V6_ADDR@53")
  fi
  [ "$RESOLVER" = dns64 ] && modules="dns64 iterator"
  {
    cat <<EOF
server:
    username: ""
    chroot: ""
    directory: "$STATE/unbound"
    pidfile: "$STATE/unbound/unbound.pid"
    use-syslog: no
    logfile: "$STATE/unbound/unbound.log"
    verbosity: 1
    num-threads: 1
    so-reuseport: no
    do-ip4: yes
    do-ip6: yes
    access-control: 0.0.0.0/0 allow
    access-control: ::/0 allow
    module-config: "$modules"
    dns64-prefix: $NAT64_PREFIX
    qname-minimisation: no
    local-zone: "test." nodefault
    local-zone: "." refuse
    local-zone: "$ZONE." transparent
    local-zone: "ipv4only.arpa." transparent
EOF
    local l
    for l in "${listen[@]}"; do echo "    interface: $l"; done
    for z in "$ZONE" ipv4only.arpa; do
      printf 'stub-zone:\n    name: "%s"\n    stub-addr: %s\n    stub-addr: %s\n' \
        "$z" "$NS_V4" "$NS_V6"
    done
    echo "remote-control:"
    echo "    control-enable: no"
  } >"$STATE/unbound/unbound.conf"
}

# write_probe_config: the ProbeConfig (only the deadlines given with
# --dns_timeout_ms / --http_timeout_ms; every other setting is the probe's
# default) and the TargetSet of this topology.
write_probe_config() {
  probe_settings >"$STATE/probe.textproto" || return 1
  {
    echo "# TargetSet for the $TOPO topology (nginx + nsd in the server namespace)."
    echo "name: \"netns-$TOPO\""
    echo "dual_stack_host: \"ds.$ZONE\""
    echo "v4_only_host: \"v4.$ZONE\""
    echo "v6_only_host: \"v6.$ZONE\""
    echo "v6ns_host: \"www.v6ns.$ZONE\""
    echo "v6_literal: \"$WEB_V6\""
    echo "scheme: \"$SCHEME\""
    if [ "$SCHEME" = https ]; then echo "ca_file: \"$CA\""; fi
  } >"$STATE/targets.textproto"
}

probe_settings() {
  echo "# ProbeConfig: the targets come from --targets; deadlines not set here"
  echo "# are the probe's defaults."
  echo "settings {"
  [ -z "$DNS_TIMEOUT_MS" ] || echo "  dns_timeout_ms: $DNS_TIMEOUT_MS"
  [ -z "$HTTP_TIMEOUT_MS" ] || echo "  http_timeout_ms: $HTTP_TIMEOUT_MS"
  echo "}"
}

start_servers() {
  local c="$RUN_DIR/common"
  start nsd "$SRV" nsd -d -c "$STATE/nsd/nsd.conf"
  start nsd-v6ns "$SRV" nsd -d -c "$STATE/nsd-v6ns/nsd.conf"
  start nginx "$SRV" nginx -c "$STATE/nginx/nginx.conf" -e "$STATE/nginx/error.log" \
    -g "daemon off; user root root;"
  # --min_probes=1: one probe per topology, and its aggregate is checked
  # (k = 3 is for real deployments).
  start collector "$SRV" "$COLLECTOR_BIN" --grpc_listen="[::]:$COLLECTOR_PORT" \
    --min_probes=1 \
    --data_dir="$STATE/collector" --tls_cert="$c/server.pem" \
    --tls_key="$c/server.key" --port_file="$STATE/collector.port"
  start unbound "$DNS" unbound -d -c "$STATE/unbound/unbound.conf"
  if [ "$RESOLVER" = filter-aaaa ]; then
    local addrs="$DNS_V4"
    [ "$DNS_V6" = yes ] && addrs="$addrs,$DNS_V6_ADDR"
    start dnsmasq "$DNS" dnsmasq --keep-in-foreground --conf-file=/dev/null \
      --no-resolv --no-hosts --no-poll --bind-interfaces \
      --listen-address="$addrs" --port=53 --server=127.0.0.1#5353 \
      --filter-AAAA --cache-size=0 --user=root --group=root --pid-file= \
      --log-facility="$STATE/dnsmasq.log"
  fi
  if [ "$NAT64" = yes ]; then start_tayga || return 1; fi
}

start_tayga() {
  mkdir -p "$STATE/tayga"
  cat >"$STATE/tayga/tayga.conf" <<EOF
tun-device nat64
ipv4-addr $TAYGA_V4
prefix $NAT64_PREFIX
dynamic-pool $NAT64_POOL
data-dir $STATE/tayga
EOF
  in_ns "$RTR" tayga -c "$STATE/tayga/tayga.conf" --mktun \
    >"$STATE/tayga-mktun.out" 2>&1 ||
    { echo "tayga --mktun: $(tail -n 1 "$STATE/tayga-mktun.out")" >>"$STATE/errors"; return 1; }
    ip -n "$RTR" link set nat64 up &&
    ip -n "$RTR" route add "$NAT64_POOL" dev nat64 &&
    ip -n "$RTR" -6 route add "$NAT64_PREFIX" dev nat64 || return 1
  start tayga "$RTR" tayga -c "$STATE/tayga/tayga.conf" --nodetach
}

# --- readiness ------------------------------------------------------------------------
ping_from() { in_ns "$1" ping -c 1 -W 1 -q "$2"; }
dig_from() {  # dig_from NS SERVER NAME TYPE [PORT]: an answer, or fails
  local out
  out="$(in_ns "$1" dig +time=1 +tries=1 +short -p "${5:-53}" "@$2" "$3" "$4")" &&
    [ -n "$out" ]
}
curl_from() { in_ns "$1" curl -sf --max-time 2 "${@:2}"; }

wait_ready() {
  local c="$RUN_DIR/common"
  wait_until "nsd on $NS_V4" 10 dig_from "$SRV" "$NS_V4" "$ZONE" SOA &&
    wait_until "nsd on $NS_V6" 10 dig_from "$SRV" "$NS_V6" "$ZONE" SOA &&
    wait_until "v6ns nsd on $V6NS_V6" 10 dig_from "$SRV" "$V6NS_V6" "v6ns.$ZONE" SOA &&
    wait_until "nginx http v4" 10 curl_from "$SRV" "http://$WEB_V4/healthz" &&
    wait_until "nginx http v6" 10 curl_from "$SRV" "http://[$WEB_V6]/healthz" &&
    wait_until "nginx https" 10 curl_from "$SRV" --cacert "$c/ca.pem" \
      --resolve "ds.$ZONE:443:$WEB_V6" "https://ds.$ZONE/healthz" &&
    wait_until "collector listening" 10 test -s "$STATE/collector.port" || return 1

  # Every hop the topology means to work, before any fault; this also
  # settles IPv6 neighbour discovery, whose first lookup is often lost.
  if [ "$CLIENT_V4" = yes ]; then
    wait_until "client -> server (v4)" 10 ping_from "$CLI" "$WEB_V4" &&
      wait_until "client -> resolver (v4)" 10 ping_from "$CLI" "$DNS_V4" || return 1
  fi
  if [ "$CLIENT_V6" != none ]; then
    wait_until "client -> server (v6)" 10 ping_from "$CLI" "$WEB_V6" || return 1
    if [ "$DNS_V6" = yes ]; then
      wait_until "client -> resolver (v6)" 10 ping_from "$CLI" "$DNS_V6_ADDR" || return 1
    fi
  fi
  wait_until "resolver -> server (v4)" 10 ping_from "$DNS" "$NS_V4" || return 1
  if [ "$DNS_V6" = yes ]; then
    wait_until "resolver -> name servers (v6)" 10 ping_from "$DNS" "$NS_V6" &&
      wait_until "resolver -> v6ns name server (v6)" 10 ping_from "$DNS" "$V6NS_V6" ||
      return 1
  fi
  if [ "$NAT64" = yes ]; then
    wait_until "client -> server through NAT64" 10 \
      ping_from "$CLI" "${NAT64_PREFIX%/96}$WEB_V4" || return 1
  fi
  # The resolver answers (a name the probe does not ask, so its cache
  # holds nothing the probe measures but the zone's delegation).
  if [ "$RESOLVER" = filter-aaaa ]; then
    wait_until "unbound behind dnsmasq" 10 dig_from "$DNS" 127.0.0.1 "ns1.$ZONE" A 5353 ||
      return 1
  fi
  wait_until "resolver $RESOLVER_ADDR from the client" 10 \
    dig_from "$CLI" "$RESOLVER_ADDR" "ns1.$ZONE" A
}

# --- enrolment, measurement -----------------------------------------------------------
admin_cli() {  # the CLI inside the server namespace, over TLS on loopback
  in_ns "$SRV" "$CLI_BIN" --collector="[::1]:$COLLECTOR_PORT" \
    --ca_file="$RUN_DIR/common/ca.pem" "$@"
}

enrol_probe() {
  local token
  token="$(admin_cli --admin_secret_file="$STATE/collector/admin.secret" \
    --org="netns-$TOPO" --expires=1h --format=csv admin token create \
    2>>"$STATE/cli.log" | sed -n 2p | cut -d, -f1)"
  [ -n "$token" ] || { log "no enrolment token (see $STATE/cli.log)"; return 1; }
  in_ns "$CLI" "$PROBE_BIN" enrol --state_dir="$STATE/probe" \
    --collector="$COLLECTOR_ADDR" --ca_file="$RUN_DIR/common/ca.pem" \
    --token="$token" >"$STATE/enrol.out" 2>>"$STATE/probe.log" ||
    { log "enrol failed: $(tail -2 "$STATE/probe.log")"; return 1; }
  PROBE_ID="$(sed -n 's/^enrolled as \(p-[0-9a-f]*\) .*/\1/p' "$STATE/enrol.out")"
  echo "$PROBE_ID" >"$STATE/probe_id"
}

run_probe() {  # run_probe [run-once flags]: stdout is the probe's
  # The deadlines of this run (hand mode: `run` may override up's).
  probe_settings >"$STATE/probe.textproto" || return 1
  in_ns "$CLI" "$PROBE_BIN" run-once --upload --state_dir="$STATE/probe" \
    --config="$STATE/probe.textproto" --targets="$STATE/targets.textproto" \
    --resolver="$RESOLVER_ADDR" --ca_file="$RUN_DIR/common/ca.pem" "$@"
}

# bring_up: network, servers, readiness, enrolment, then the fault.
bring_up() {
  mkdir -p "$STATE" && : >"$STATE/namespaces" && : >"$STATE/pids" &&
    : >"$STATE/errors" || return 1
  make_common || return 1
  configure_servers || { log "configuring servers failed"; return 1; }
  build_network || { log "building the network failed"; return 1; }
  log "$TOPO: network built; starting servers"
  start_servers || { log "starting servers failed"; echo "starting servers failed" >>"$STATE/errors"; return 1; }
  wait_ready || return 1
  log "$TOPO: servers and paths ready"
  enrol_probe || return 1
  log "$TOPO: probe $PROBE_ID enrolled with $COLLECTOR_ADDR"
  if [ -n "$FAULT" ]; then
    "$FAULT" || { log "fault $FAULT failed"; return 1; }
    log "$TOPO: fault $FAULT applied"
  fi
}

# --- JUnit ---------------------------------------------------------------------------
CASES=()    # "status|suite|name|seconds|message"; status ok, FAIL or skip
add_case() { CASES+=("$1|$2|$3|${4:-0}|${5:-}"); }
xml_escape() { sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g' <<<"$1"; }

write_junit() {
  local out="${XML_OUTPUT_FILE:-}"
  [ -n "$out" ] || return 0
  local suites=() s c
  for c in "${CASES[@]}"; do
    s="$(cut -d'|' -f2 <<<"$c")"
    [[ " ${suites[*]} " == *" $s "* ]] || suites+=("$s")
  done
  {
    echo '<?xml version="1.0" encoding="UTF-8"?>'
    echo '<testsuites>'
    for s in "${suites[@]}"; do
      local n=0 f=0 k=0 body=""
      for c in "${CASES[@]}"; do
        IFS='|' read -r st suite name secs msg <<<"$c"
        [ "$suite" = "$s" ] || continue
        n=$((n + 1))
        name="$(xml_escape "$name")" msg="$(xml_escape "$msg")"
        case "$st" in
          ok) body+="  <testcase classname=\"netns.$s\" name=\"$name\" time=\"$secs\"/>"$'\n' ;;
          skip) k=$((k + 1))
            body+="  <testcase classname=\"netns.$s\" name=\"$name\" time=\"$secs\"><skipped message=\"$msg\"/></testcase>"$'\n' ;;
          *) f=$((f + 1))
            body+="  <testcase classname=\"netns.$s\" name=\"$name\" time=\"$secs\"><failure message=\"$msg\"/></testcase>"$'\n' ;;
        esac
      done
      echo "<testsuite name=\"netns.$s\" tests=\"$n\" failures=\"$f\" skipped=\"$k\">"
      printf '%s' "$body"
      echo '</testsuite>'
    done
    echo '</testsuites>'
  } >"$out"
}

# --- commands -------------------------------------------------------------------------
find_binaries() {
  local bin="$ROOT/bazel-bin"
  PROBE_BIN="${PROBE_BIN:-$bin/probe/v6scope-probe}"
  COLLECTOR_BIN="${COLLECTOR_BIN:-$bin/collector/v6scope-collector}"
  CLI_BIN="${CLI_BIN:-$bin/cli/v6scope}"
  local b
  for b in PROBE_BIN COLLECTOR_BIN CLI_BIN; do
    [ -x "${!b}" ] || { echo "testbed: ${!b} is not an executable (bazel build //probe:v6scope-probe //collector:v6scope-collector //cli:v6scope)" >&2; return 1; }
    # `ip netns exec` keeps the working directory, but be independent of it.
    printf -v "$b" '%s' "$(cd "$(dirname "${!b}")" && pwd)/$(basename "${!b}")"
  done
}

# Why this machine cannot run the bed, or nothing.
why_not_runnable() {
  [ "$(id -u)" -eq 0 ] || { echo "needs root (network namespaces, nftables); run as root"; return; }
  local missing=() c
  local path
  for c in ip nft tc nginx nsd unbound dnsmasq tayga ping dig curl openssl python3; do
    path="$(command -v "$c" 2>/dev/null)" && [ -f "$path" ] && [ -x "$path" ] ||
      missing+=("$c")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "missing ${missing[*]} (tools/install-deps installs them)"
    return
  fi
  local ns="v6s-check-$$" err
  if ! err="$(ip netns add "$ns" 2>&1)"; then
    echo "cannot create a network namespace: $err"
    return
  fi
  if ! err="$(ip netns exec "$ns" nft list ruleset 2>&1)"; then
    ip netns del "$ns"
    echo "nftables unusable in a namespace: $err"
    return
  fi
  ip netns del "$ns"
}

# test_topology TOPO: up, measure $REPEAT times, check each run, down;
# records JUnit cases. Each check is one case that passes only if it held
# in every run (its message names the runs where it did not); each run is
# one more case, "run I/N gives the expected verdict", whose time is the
# probe's wall time (informational: the speed bound lives in bench/netns).
test_topology() {
  select_topology "$1" || return 1
  local t0 ok=1
  t0="$(now_ms)"
  if [ "$NAT64" = yes ] && [ ! -c /dev/net/tun ]; then
    add_case skip "$TOPO" "$DESC" 0 "no /dev/net/tun for tayga"
    log "$TOPO: skipped (no /dev/net/tun for tayga)"
    return 0
  fi
  log "$TOPO: $DESC"
  if ! bring_up; then
    add_case FAIL "$TOPO" "bring up the topology" "$((($(now_ms) - t0) / 1000))" \
      "$(tr '\n' ';' <"$STATE/errors" 2>/dev/null) (log tails in the test output)"
    show_logs
    teardown
    [ "$KEEP" -eq 1 ] || rm -rf "$STATE"
    return 1
  fi
  CHECK_NAMES=() CHECK_FAILS=()
  local i
  for ((i = 1; i <= REPEAT; i++)); do
    measure_once "$i" || ok=0
  done
  for i in "${!CHECK_NAMES[@]}"; do
    if [ -z "${CHECK_FAILS[$i]}" ]; then
      add_case ok "$TOPO" "${CHECK_NAMES[$i]}"
    else
      add_case FAIL "$TOPO" "${CHECK_NAMES[$i]}" 0 "${CHECK_FAILS[$i]%; }"
      log "$TOPO: FAILED ${CHECK_NAMES[$i]}: ${CHECK_FAILS[$i]%; }"
      ok=0
    fi
  done
  log "$TOPO: topology total $(secs_since "$t0")s for $REPEAT run(s)"
  [ $ok -eq 1 ] || show_logs
  teardown
  if [ $ok -eq 1 ] || [ "$KEEP" -eq 0 ]; then rm -rf "$STATE"; fi
  [ $ok -eq 1 ]
}

secs_since() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }

# record_check NAME [FAILURE]: one check's result in run $RUN_I.
CHECK_NAMES=() CHECK_FAILS=() RUN_I=0
record_check() {
  local i n=-1
  for i in "${!CHECK_NAMES[@]}"; do
    if [ "${CHECK_NAMES[$i]}" = "$1" ]; then n=$i; break; fi
  done
  if [ "$n" -lt 0 ]; then
    n=${#CHECK_NAMES[@]}
    CHECK_NAMES+=("$1")
    CHECK_FAILS+=("")
  fi
  [ -z "${2:-}" ] || CHECK_FAILS[n]+="run $RUN_I/$REPEAT: $2; "
}

# measure_once I: the I-th run of the topology (upload included), checked
# against the expectations and against what the collector then holds
# (I runs of this probe, the newest with the same verdict).
measure_once() {
  RUN_I="$1"
  local t1 tp rc ok=1 wall
  t1="$(now_ms)"
  run_probe --json >"$STATE/run.out" 2>>"$STATE/probe.log"
  rc=$?
  tp="$(now_ms)"
  wall="$(awk -v a="$t1" -v b="$tp" 'BEGIN { printf "%.2f", (b - a) / 1000 }')"
  admin_cli --format=csv --probe_id="$PROBE_ID" runs >"$STATE/runs.csv" 2>>"$STATE/cli.log"
  admin_cli --format=json --window=day regions --group_by=global \
    >"$STATE/aggregate.jsonl" 2>>"$STATE/cli.log"
  if [ $rc -eq 0 ]; then
    record_check "probe run-once --json --upload exits 0"
  else
    record_check "probe run-once --json --upload exits 0" \
      "exit $rc: $(tail -2 "$STATE/probe.log" | tr '\n' ' ')"
    ok=0
  fi
  local line st rest fails=""
  while IFS= read -r line; do
    st="${line%%|*}" rest="${line#*|}"
    if [ "$st" = ok ]; then
      record_check "$rest"
    else
      record_check "${rest%%: *}" "${rest#*: }"
      fails+="${rest%%: *}; "
      ok=0
    fi
  done < <(python3 "$HERE/check_run.py" --run "$STATE/run.out" \
    --runs-csv "$STATE/runs.csv" --probe-id "$PROBE_ID" \
    --aggregate "$STATE/aggregate.jsonl" --run-index "$RUN_I" \
    --capability "$EXPECT_CAPABILITY" --causes "$EXPECT_CAUSES" \
    --score "$EXPECT_SCORE" --nat64 "$EXPECT_NAT64" \
    --v4-prefix "$EXPECT_V4_PREFIX" --v6-prefix "$EXPECT_V6_PREFIX" \
    --tests "$(tr -s ' \n' '  ' <<<"$EXPECT_TESTS")")
  # A stable name (CI history); the wall time is the case's time.
  local name="run $RUN_I/$REPEAT gives the expected verdict"
  if [ $ok -eq 1 ]; then
    add_case ok "$TOPO" "$name" "$wall"
  else
    add_case FAIL "$TOPO" "$name" "$wall" "probe wall ${wall}s; failed: ${fails%; }"
  fi
  summarize_run "$wall"
  cp "$STATE/run.out" "$STATE/run-$RUN_I.out" 2>/dev/null
  [ $ok -eq 1 ]
}

# One line per run: what the probe concluded and how long it took.
summarize_run() {
  local v
  v="$(python3 - "$STATE/run.out" <<'EOF' 2>/dev/null
import json, sys
for line in open(sys.argv[1]):
    if line.startswith("{"):
        r = json.loads(line); v = r.get("verdict", {})
        print("%s [%s] score %s nat64 %s" % (v.get("capability", "-"),
              " ".join(v.get("root_causes", [])) or "-", v.get("score", 0),
              r.get("nat64_prefix") or "-"))
        break
EOF
)"
  log "$TOPO run $RUN_I/$REPEAT: ${v:-no run} (probe wall ${1}s)"
  echo "RESULT $TOPO | run $RUN_I/$REPEAT | ${v:-no run} | probe ${1}s" \
    >>"$RUN_DIR/results.txt"
}

show_logs() {
  local f
  for f in "$STATE"/*.out "$STATE"/*.log "$STATE"/nginx/error.log \
    "$STATE"/unbound/unbound.log "$STATE"/nsd/nsd.log "$STATE"/nsd-v6ns/nsd.log; do
    [ -s "$f" ] || continue
    echo "----- $TOPO: ${f#"$STATE"/} (last 15 lines)" >&2
    tail -n 15 "$f" >&2
  done
  if [ -n "${TEST_UNDECLARED_OUTPUTS_DIR:-}" ]; then
    cp -r "$STATE" "$TEST_UNDECLARED_OUTPUTS_DIR/$TOPO" 2>/dev/null
  fi
}

cmd_test() {
  local topos=("$@") reason
  [ ${#topos[@]} -gt 0 ] || topos=("${TOPOLOGIES[@]}")
  reason="$(why_not_runnable)"
  if [ -n "$reason" ]; then
    echo "SKIPPED: netns test bed: $reason"
    add_case skip bed "network-namespace test bed" 0 "$reason"
    write_junit
    return 0
  fi
  find_binaries || return 1
  RUN_DIR="$(mktemp -d "${TEST_TMPDIR:-${TMPDIR:-/tmp}}/v6scope-netns.XXXXXX")"
  NS_RUN="v6s$$"
  trap 'log "interrupted: tearing down"; exit 130' INT TERM
  trap finish_test EXIT
  local t0 fails=0 topo
  t0="$(now_ms)"
  for topo in "${topos[@]}"; do
    test_topology "$topo" || fails=$((fails + 1))
  done
  STATE=""
  log "total $((($(now_ms) - t0) / 1000))s, $fails topolog$([ $fails -eq 1 ] && echo y || echo ies) failed"
  cat "$RUN_DIR/results.txt" 2>/dev/null
  local passed=0 failed=0 skipped=0 c
  for c in "${CASES[@]}"; do
    case "${c%%|*}" in ok) passed=$((passed + 1)) ;; skip) skipped=$((skipped + 1)) ;; *) failed=$((failed + 1)) ;; esac
  done
  echo "$passed passed, $failed failed, $skipped skipped"
  [ $fails -eq 0 ]
}

# On any exit of `test` (success, failure, Ctrl-C): nothing stays behind
# but, with --keep, the failed topologies' files.
finish_test() {
  teardown
  STATE=""
  write_junit
  [ -n "$RUN_DIR" ] || return 0
  rm -rf "$RUN_DIR/common" "$RUN_DIR/results.txt"
  if [ "$KEEP" -eq 0 ]; then
    rm -rf "$RUN_DIR"
  elif ! rmdir "$RUN_DIR" 2>/dev/null; then
    log "kept: $RUN_DIR"
  fi
}

# Hand mode keeps one topology up between commands in a fixed directory.
hand_state() {
  RUN_DIR="${V6SCOPE_TESTBED_DIR:-${TMPDIR:-/tmp}/v6scope-testbed}"
  NS_RUN="v6s"
  select_topology "$1" || exit 2
}

cmd_up() {
  [ $# -eq 1 ] || { echo "usage: testbed.sh up TOPOLOGY" >&2; return 2; }
  local reason; reason="$(why_not_runnable)"
  [ -z "$reason" ] || { echo "testbed: $reason" >&2; return 1; }
  find_binaries || return 1
  hand_state "$1"
  if [ -s "$STATE/namespaces" ]; then
    echo "testbed: $TOPO is up already (testbed.sh down $TOPO)" >&2
    return 1
  fi
  trap 'log "interrupted"; teardown; rm -rf "$STATE"; exit 130' INT TERM
  if ! bring_up; then
    show_logs
    teardown
    rm -rf "$STATE"
    return 1
  fi
  trap - INT TERM
  printf 'PROBE_BIN=%q\nCOLLECTOR_BIN=%q\nCLI_BIN=%q\nPROBE_ID=%q\n' \
    "$PROBE_BIN" "$COLLECTOR_BIN" "$CLI_BIN" "$PROBE_ID" >"$STATE/env"
  printf 'DNS_TIMEOUT_MS=%q\nHTTP_TIMEOUT_MS=%q\n' "$DNS_TIMEOUT_MS" \
    "$HTTP_TIMEOUT_MS" >>"$STATE/env"
  cat <<EOF
$TOPO is up: $DESC
  namespaces  $CLI $RTR $SRV $DNS
  resolver    $RESOLVER_ADDR ($RESOLVER)   collector $COLLECTOR_ADDR (TLS)
  probe       $PROBE_ID, state in $STATE/probe
  expected    $EXPECT_CAPABILITY [${EXPECT_CAUSES:--}] score $EXPECT_SCORE
next: tests/netns/testbed.sh run $TOPO     (measure once and upload)
      tests/netns/testbed.sh runs $TOPO    (what the collector stored)
      tests/netns/testbed.sh shell $TOPO cli
      tests/netns/testbed.sh down $TOPO
EOF
}

# load_hand_state TOPO: what `up` recorded; --probe=, --dns_timeout_ms= and
# --http_timeout_ms= given to this command win (e.g. the benchmark runs
# another probe build on the same topology).
load_hand_state() {
  hand_state "$1"
  [ -f "$STATE/env" ] || { echo "testbed: $TOPO is not up (testbed.sh up $TOPO)" >&2; exit 1; }
  local probe="$PROBE_BIN" dns="$DNS_TIMEOUT_MS" http="$HTTP_TIMEOUT_MS"
  # shellcheck disable=SC1091
  . "$STATE/env"
  [ -z "$probe" ] || PROBE_BIN="$(cd "$(dirname "$probe")" && pwd)/$(basename "$probe")"
  [ -z "$dns" ] || DNS_TIMEOUT_MS="$dns"
  [ -z "$http" ] || HTTP_TIMEOUT_MS="$http"
}

main() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --probe=*) PROBE_BIN="${1#*=}" ;;
      --collector=*) COLLECTOR_BIN="${1#*=}" ;;
      --cli=*) CLI_BIN="${1#*=}" ;;
      --keep) KEEP=1 ;;
      --repeat=*) REPEAT="${1#*=}"
        [[ "$REPEAT" =~ ^[1-9][0-9]*$ ]] || { echo "testbed: --repeat wants a count >= 1" >&2; return 2; } ;;
      --dns_timeout_ms=*|--http_timeout_ms=*)
        local v="${1#*=}"
        [[ "$v" =~ ^[1-9][0-9]*$ ]] || { echo "testbed: ${1%%=*} wants milliseconds" >&2; return 2; }
        if [[ "$1" == --dns* ]]; then DNS_TIMEOUT_MS="$v"; else HTTP_TIMEOUT_MS="$v"; fi ;;
      -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"
        return 0 ;;
      -*) echo "testbed: unknown option '$1'" >&2; return 2 ;;
      *) break ;;
    esac
    shift
  done
  local cmd="${1:-}"
  [ $# -gt 0 ] && shift
  case "$cmd" in
    test) cmd_test "$@" ;;
    up) cmd_up "$@" ;;
    run)
      [ $# -ge 1 ] || { echo "usage: testbed.sh run TOPOLOGY [FLAGS]" >&2; return 2; }
      load_hand_state "$1"; shift
      run_probe "$@" ;;
    runs)
      [ $# -eq 1 ] || { echo "usage: testbed.sh runs TOPOLOGY" >&2; return 2; }
      load_hand_state "$1"
      admin_cli runs ;;
    shell)
      [ $# -ge 1 ] || { echo "usage: testbed.sh shell TOPOLOGY [cli|rtr|srv|dns] [CMD...]" >&2; return 2; }
      load_hand_state "$1"; shift
      local role="${1:-cli}"
      [ $# -gt 0 ] && shift
      local ns="$NS_PREFIX-$role"
      if [ $# -eq 0 ]; then in_ns "$ns" bash; else in_ns "$ns" "$@"; fi ;;
    down)
      [ $# -eq 1 ] || { echo "usage: testbed.sh down TOPOLOGY" >&2; return 2; }
      hand_state "$1"
      teardown
      rm -rf "$STATE"
      # The shared CA and files go with the last topology.
      local left=("$RUN_DIR"/*)
      if [ "${left[*]}" = "$RUN_DIR/common" ] || [ "${left[*]}" = "$RUN_DIR/*" ]; then
        rm -rf "$RUN_DIR"
      fi
      echo "$TOPO is down" ;;
    check)
      local reason; reason="$(why_not_runnable)"
      if [ -n "$reason" ]; then echo "$reason"; return 1; fi
      echo "ok" ;;
    list)
      local t
      for t in "${TOPOLOGIES[@]}"; do
        select_topology "$t"
        printf '%-16s %-14s %s\n' "$t" "$EXPECT_CAPABILITY" "$DESC"
      done ;;
    *) echo "usage: testbed.sh [--probe=BIN ...] test|up|run|runs|shell|down|list|check (see --help)" >&2
      return 2 ;;
  esac
}

main "$@"
exit $?
