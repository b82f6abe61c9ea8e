#!/usr/bin/env bash
# The readiness bed: a synthetic internet in network namespaces whose truth
# is known (docs/readiness-bed.md). nsd serves a root, TLDs, providers'
# zones and 2,000+ domains whose names and delegation shape come from real
# data; unbound resolves them from a local root hint; nginx serves their
# sites over IPv4 and/or IPv6 with TLS from a test CA; truth.json says what
# a correct readiness check must conclude for each domain.
#
#   bed.sh up [--domains=N]  generate, build and start the bed in
#                        $V6SCOPE_READINESS_DIR (default /tmp/v6scope-readiness);
#                        --domains: N domains instead of 2,100, names derived
#                        from the list when the data runs short (bench/sweep)
#   bed.sh check [--all] [--vantage=cli|cli6]
#                        the oracle: dig and curl from the client namespaces
#                        (cli: dual-stack; cli6: IPv6-only behind NAT64 and
#                        DNS64; default both) verify a sample (>= 200 domains,
#                        every case) or all domains behave as truth.json says
#   bed.sh shell [cli|cli6|rtr|res|auth|web] [CMD...]   a shell (or CMD) in a namespace
#   bed.sh down          stop the daemons, delete the namespaces and files
#   bed.sh list          the cases and how many domains each has (no root)
#   bed.sh preflight     whether this machine can run the bed (exit 0) or why not
#   bed.sh test          up, check, down (the Bazel test); JUnit to $XML_OUTPUT_FILE
#
# Needs root, iproute2, nsd, unbound, nginx, tayga (/dev/net/tun), dig,
# curl, openssl, python3;
# `test` skips, saying why, without them. Every address is in the public
# test space (11.0.0.0/8, 2d00::/8) and exists only in the namespaces.
# Data: $V6SCOPE_SHARED_DATA, else ../shared/data beside the source tree,
# else the committed fixture (fixtures/delegations.tsv).
set -uo pipefail
export PATH="/usr/sbin:/sbin:/usr/bin:/bin:${PATH:-}"
export LC_ALL=C

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The source tree (runfiles are symlinks into it), for ../shared/data.
SRC="$(dirname "$(readlink -f "$HERE/gen.py")")"
DIR="${V6SCOPE_READINESS_DIR:-${TMPDIR:-/tmp}/v6scope-readiness}"
# The namespaces' prefix: v6r by hand; a test run sets its own
# (V6SCOPE_READINESS_NS, or v6r<pid> in `bed.sh test`) so a bed left by an
# interrupted run cannot stop the next one.
NS_RUN="${V6SCOPE_READINESS_NS:-v6r}"
set_names() {
  CLI="$NS_RUN-cli" RTR="$NS_RUN-rtr" RES="$NS_RUN-res" AUTH="$NS_RUN-auth" WEB="$NS_RUN-web"
  CLI6="$NS_RUN-cli6"
}
set_names
# Links: router side .1 / ::1, the other .2 / ::2; the resolver has a fixed
# addresses (emit.py writes the resolver's into unbound.conf).
RES_V4=11.3.0.53 RES_V6=2d00:3::53
# The IPv6-only vantage (cli6, 2d00:6::2, no IPv4 at all): the DNS64
# resolver beside unbound (emit.py RESOLVER64_V6) and tayga in the router
# as tests/netns runs it: the well-known prefix (RFC 6052 forbids it with
# private IPv4; every address here is 11.x), a dynamic pool for the
# translated sources, routed back to tayga's tun device.
RES64_V6=2d00:3::64
NAT64_PREFIX=64:ff9b::/96 NAT64_POOL=11.64.0.0/24 TAYGA_V4=11.64.0.1
SAMPLE=240
DOMAINS=""  # up --domains=N; empty: gen.py's default.

log() { printf '[%s] %s\n' "$(date +%T.%3N)" "$*" >&2; }
in_ns() { local ns="$1"; shift; ip netns exec "$ns" "$@"; }
now_ms() { date +%s%3N; }

data_dir() {
  if [ -n "${V6SCOPE_SHARED_DATA:-}" ]; then
    echo "$V6SCOPE_SHARED_DATA"
  elif [ -d "$SRC/../../../shared/data" ]; then
    (cd "$SRC/../../../shared/data" && pwd)
  fi
}

why_not_runnable() {
  [ "$(id -u)" -eq 0 ] || { echo "needs root (network namespaces)"; return; }
  local missing=() c p
  for c in ip nsd unbound nginx tayga dig curl openssl python3 ping; do
    p="$(command -v "$c" 2>/dev/null)" && [ -x "$p" ] || missing+=("$c")
  done
  [ ${#missing[@]} -eq 0 ] ||
    { echo "missing ${missing[*]} (tools/install-deps installs them)"; return; }
  [ -c /dev/net/tun ] || { echo "no /dev/net/tun (tayga, the NAT64 of cli6)"; return; }
  local ns="v6r-pre-$$" err
  err="$(ip netns add "$ns" 2>&1)" || { echo "cannot create a network namespace: $err"; return; }
  ip netns del "$ns"
}

# --- network ----------------------------------------------------------------------
add_ns() {
  if [ -e "/run/netns/$1" ]; then
    log "namespace $1 exists already (bed.sh down, or ip netns del $1)"
    return 1
  fi
  echo "$1" >>"$DIR/namespaces"
  ip netns add "$1" &&
    in_ns "$1" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
      net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.accept_ra=0 >/dev/null &&
    ip -n "$1" link set lo up
}

# link_to_router NS NET4 NET6: veth NS:eth0 <-> router, .1 / ::1 on the router.
link_to_router() {
  local ns="$1" n4="$2" n6="$3" dev="r-${1##*-}"
  ip link add name eth0 netns "$ns" type veth peer name "$dev" netns "$RTR" &&
    ip -n "$ns" link set eth0 up && ip -n "$RTR" link set "$dev" up &&
    ip -n "$RTR" addr add "$n4.1/24" dev "$dev" &&
    ip -n "$RTR" -6 addr add "$n6::1/64" dev "$dev" nodad &&
    ip -n "$ns" addr add "$n4.2/24" dev eth0 &&
    ip -n "$ns" -6 addr add "$n6::2/64" dev eth0 nodad &&
    ip -n "$ns" route add default via "$n4.1" &&
    ip -n "$ns" -6 route add default via "$n6::1"
}

# link_to_router6 NS NET6: as link_to_router, IPv6 only (no IPv4 address,
# no IPv4 route): the IPv6-only vantage.
link_to_router6() {
  local ns="$1" n6="$2" dev="r-${1##*-}"
  ip link add name eth0 netns "$ns" type veth peer name "$dev" netns "$RTR" &&
    ip -n "$ns" link set eth0 up && ip -n "$RTR" link set "$dev" up &&
    ip -n "$RTR" -6 addr add "$n6::1/64" dev "$dev" nodad &&
    ip -n "$ns" -6 addr add "$n6::2/64" dev eth0 nodad &&
    ip -n "$ns" -6 route add default via "$n6::1"
}

# service_addrs NS FILE: every address in FILE on NS's loopback (one ip -batch).
service_addrs() {
  awk '{ if (index($1, ":")) print "addr add " $1 "/128 dev lo nodad";
         else print "addr add " $1 "/32 dev lo" }' "$2" | ip -n "$1" -batch -
}

# The pools of emit.py: the service namespaces get theirs on loopback;
# the dead pool is a blackhole (unassigned: nothing answers, no error).
ROUTES="route add 11.53.0.0/16 via 11.2.1.2
route add 11.54.0.0/16 via 11.2.1.2
route add 11.80.0.0/16 via 11.2.2.2
route add 11.25.0.0/16 via 11.2.2.2
route add blackhole 11.99.0.0/16
route add 2d00:53::/32 via 2d00:2:1::2
route add 2d00:54::/32 via 2d00:2:1::2
route add 2d00:80::/32 via 2d00:2:2::2
route add 2d00:25::/32 via 2d00:2:2::2
route add blackhole 2d00:99::/32"

build_network() {
  local ns
  for ns in "$CLI" "$CLI6" "$RTR" "$RES" "$AUTH" "$WEB"; do add_ns "$ns" || return 1; done
  in_ns "$RTR" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 >/dev/null &&
    link_to_router "$CLI" 11.1.0 2d00:1 && link_to_router "$RES" 11.3.0 2d00:3 &&
    link_to_router "$AUTH" 11.2.1 2d00:2:1 && link_to_router "$WEB" 11.2.2 2d00:2:2 &&
    ip -n "$RES" addr add "$RES_V4/24" dev eth0 &&
    ip -n "$RES" -6 addr add "$RES_V6/64" dev eth0 nodad &&
    ip -n "$RES" -6 addr add "$RES64_V6/64" dev eth0 nodad &&
    link_to_router6 "$CLI6" 2d00:6 || return 1
  ip -n "$RTR" -batch - <<<"$ROUTES" || return 1
  service_addrs "$AUTH" "$DIR/addrs/auth" && service_addrs "$WEB" "$DIR/addrs/web"
}

# --- test CA and the SAN batches -------------------------------------------------------
sign() {  # sign NAME SAN...: NAME.pem for the SANs (one key for all)
  local n="$1"
  shift
  printf 'basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\n' \
    "$(printf 'DNS:%s,' "$@" | sed 's/,$//')" >"$n.ext" &&
    openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key \
      -set_serial "0x$(openssl rand -hex 8)" -days 2 -extfile "$n.ext" -out "$n.pem"
}

make_certs() {
  mkdir -p "$DIR/certs" || return 1
  (
    cd "$DIR/certs" || exit 1
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key \
      -out ca.pem -days 2 -subj "/CN=v6scope readiness bed test CA" \
      -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" &&
      openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key \
        -out leaf.csr -subj "/CN=v6scope readiness bed" || exit 1
    # What the TLS-mismatch case shows over IPv6: valid, for another name.
    sign wrong-name hosting.v6scope-edge.net || exit 1
    local name rest
    while read -r name rest; do
      # shellcheck disable=SC2086  # one word per name
      sign "$name" $rest || exit 1
    done <"$DIR/certs.txt"
  ) >"$DIR/openssl.log" 2>&1 || { log "openssl failed: $(tail -3 "$DIR/openssl.log")"; return 1; }
}

# --- daemons --------------------------------------------------------------------------
start() {  # start NAME NS CMD...: foreground daemon; $! is its PID
  local name="$1" ns="$2"
  shift 2
  ip netns exec "$ns" "$@" >"$DIR/$name.out" 2>&1 </dev/null &
  echo "$! $ns $name" >>"$DIR/pids"
}

alive() { [ -d "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }

start_daemons() {
  start nsd-infra "$AUTH" nsd -d -c "$DIR/nsd-infra/nsd.conf"
  start nsd "$AUTH" nsd -d -c "$DIR/nsd/nsd.conf"
  start nsd-lame "$AUTH" nsd -d -c "$DIR/nsd-lame/nsd.conf"
  start nginx "$WEB" nginx -c "$DIR/nginx/nginx.conf" -e "$DIR/nginx/error.log" \
    -g "daemon off; user root root;"
  start unbound "$RES" unbound -d -c "$DIR/unbound/unbound.conf"
  start unbound64 "$RES" unbound -d -c "$DIR/unbound64/unbound.conf"
  start_tayga
}

# NAT64 in the router, as tests/netns/testbed.sh starts it.
start_tayga() {
  mkdir -p "$DIR/tayga" || return 1
  printf 'tun-device nat64\nipv4-addr %s\nprefix %s\ndynamic-pool %s\ndata-dir %s\n' \
    "$TAYGA_V4" "$NAT64_PREFIX" "$NAT64_POOL" "$DIR/tayga" >"$DIR/tayga/tayga.conf" || return 1
  in_ns "$RTR" tayga -c "$DIR/tayga/tayga.conf" --mktun >"$DIR/tayga-mktun.out" 2>&1 &&
    ip -n "$RTR" link set nat64 up &&
    ip -n "$RTR" route add "$NAT64_POOL" dev nat64 &&
    ip -n "$RTR" -6 route add "$NAT64_PREFIX" dev nat64 ||
    { log "tayga: $(tail -n 1 "$DIR/tayga-mktun.out")"; return 1; }
  start tayga "$RTR" tayga -c "$DIR/tayga/tayga.conf" --nodetach
}

wait_until() {  # wait_until WHAT SECONDS CMD...: polls, never assumes
  local what="$1" secs="$2"
  local deadline=$(($(now_ms) + secs * 1000)) pid ns name
  shift 2
  until "$@" >/dev/null 2>&1; do
    while read -r pid ns name; do
      alive "$pid" || { log "$name exited: $(tail -n 2 "$DIR/$name.out")"; return 1; }
    done <"$DIR/pids"
    [ "$(now_ms)" -lt "$deadline" ] || { log "not ready after ${secs}s: $what"; return 1; }
    sleep 0.2
  done
}

answers() {  # answers NS SERVER NAME TYPE: a non-empty answer
  local out
  out="$(in_ns "$1" dig +time=1 +tries=1 +short "@$2" "$3" "$4")" && [ -n "$out" ]
}

wait_ready() {
  local first; first="$(sed -n 's/.*ip-address: //p' "$DIR/nsd/nsd.conf" | head -1)"
  wait_until "nsd-infra (root)" 30 answers "$AUTH" 11.53.0.1 . SOA &&
    wait_until "nsd (domains) on $first" $((60 + ${DOMAINS:-0} / 500)) answers "$AUTH" "$first" "$(cat "$DIR/first-zone")" SOA &&
    wait_until "nginx" 20 in_ns "$WEB" curl -sf -o /dev/null http://11.80.1.1/ &&
    wait_until "client -> web (v6)" 10 in_ns "$CLI" ping -6 -c1 -W1 -q 2d00:80:1::1 &&
    wait_until "client -> web (v4)" 10 in_ns "$CLI" ping -c1 -W1 -q 11.80.1.1 &&
    wait_until "client -> resolver (v6)" 10 in_ns "$CLI" ping -6 -c1 -W1 -q "$RES_V6" &&
    wait_until "resolver -> root (v6)" 10 in_ns "$RES" ping -6 -c1 -W1 -q 2d00:53::1 &&
    wait_until "resolver -> root (v4)" 10 in_ns "$RES" ping -c1 -W1 -q 11.53.0.1 &&
    wait_until "unbound resolves from the root" 20 answers "$CLI" "$RES_V4" a.nic.gov A &&
    wait_until "cli6 -> DNS64 resolver" 10 in_ns "$CLI6" ping -6 -c1 -W1 -q "$RES64_V6" &&
    wait_until "DNS64 reveals the prefix (ipv4only.arpa)" 20 answers "$CLI6" "$RES64_V6" ipv4only.arpa AAAA &&
    wait_until "cli6 -> web over NAT64" 10 in_ns "$CLI6" curl -sf -o /dev/null --max-time 2 "http://[64:ff9b::b50:101]/"
}

stop_all() {
  local pid ns name left
  if [ -f "$DIR/pids" ]; then
    while read -r pid ns name; do
      alive "$pid" && [ "$(ip netns identify "$pid" 2>/dev/null)" = "$ns" ] && kill -TERM "$pid"
    done <"$DIR/pids"
    for _ in $(seq 50); do
      left=0
      while read -r pid ns name; do alive "$pid" && left=1; done <"$DIR/pids"
      [ $left -eq 0 ] && break
      sleep 0.1
    done
    while read -r pid ns name; do alive "$pid" && kill -KILL "$pid"; done <"$DIR/pids"
  fi
  if [ -f "$DIR/namespaces" ]; then
    while read -r ns; do
      for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
      [ ! -e "/run/netns/$ns" ] || ip netns del "$ns" || log "could not delete namespace $ns"
    done <"$DIR/namespaces"
  fi
  rm -f "$DIR/namespaces" "$DIR/pids"
}

cmd_up() {
  local t0
  t0="$(now_ms)"
  if [ -s "$DIR/namespaces" ]; then echo "bed: up already in $DIR (bed.sh down)" >&2; return 1; fi
  rm -rf "$DIR" && mkdir -p "$DIR/nginx" && : >"$DIR/namespaces" && : >"$DIR/pids" || return 1
  python3 "$HERE/gen.py" build --out "$DIR" --data "$(data_dir)" \
    ${DOMAINS:+--domains "$DOMAINS" --derive} >&2 || return 1
  # A zone the first name-server address serves, for the readiness wait.
  sed -n 's/^    name: "\(.*\)"/\1/p' "$DIR/nsd/nsd.conf" | head -1 >"$DIR/first-zone"
  if ! make_certs || ! build_network; then log "building the bed failed"; return 1; fi
  ulimit -n 65536 2>/dev/null
  start_daemons || { log "starting the daemons failed"; return 1; }
  wait_ready || { log "the bed did not come up"; show_logs; return 1; }
  log "bed up in $((($(now_ms) - t0) / 1000))s: $(grep -c '"domain"' "$DIR/truth.json") domains; truth in $DIR/truth.json"
}

show_logs() {
  local f
  for f in "$DIR"/*.out "$DIR"/nginx/error.log "$DIR"/unbound/unbound.log "$DIR"/nsd*/nsd.log; do
    [ -s "$f" ] || continue
    echo "----- ${f#"$DIR"/} (last 10 lines)" >&2
    tail -n 10 "$f" >&2
  done
}

# cmd_check [--vantage=cli|cli6] [--junit FILE] [check.py args]: the oracle
# from each vantage (default both); JUnit: one suite per vantage.
cmd_check() {
  [ -s "$DIR/namespaces" ] || { echo "bed: not up (bed.sh up)" >&2; return 1; }
  local vantages="cli cli6" junit="" args=() v rc=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --vantage=*) vantages="${1#--vantage=}" ;;
      --junit) junit="$2"; shift ;;
      *) args+=("$1") ;;
    esac
    shift
  done
  for v in $vantages; do
    local opts=(--vantage "$v")
    [ -z "$junit" ] || opts+=(--junit "$DIR/junit-$v.xml")
    case "$v" in
      cli) opts+=(--resolver "$RES_V4") ;;
      cli6) opts+=(--resolver "$RES64_V6" --nat64 "$NAT64_PREFIX") ;;
      *) echo "bed: --vantage is cli or cli6" >&2; return 2 ;;
    esac
    in_ns "$NS_RUN-$v" python3 "$HERE/check.py" --truth "$DIR/truth.json" \
      --ca "$DIR/certs/ca.pem" --sample "$SAMPLE" "${opts[@]}" "${args[@]}" || rc=1
  done
  [ -z "$junit" ] || merge_junit "$junit" $vantages
  return $rc
}

merge_junit() {  # merge_junit OUT VANTAGE...: the suites into one file
  local out="$1" v
  shift
  {
    printf '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n'
    for v in "$@"; do
      [ -f "$DIR/junit-$v.xml" ] && sed -n '/<testsuite /,/<\/testsuite>/p' "$DIR/junit-$v.xml"
    done
    printf '</testsuites>\n'
  } >"$out"
}

junit_skip() {
  [ -n "${XML_OUTPUT_FILE:-}" ] || return 0
  printf '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="readiness.bed" tests="1" failures="0" skipped="1"><testcase classname="readiness.bed" name="bed" time="0"><skipped message="%s"/></testcase></testsuite></testsuites>\n' \
    "$1" >"$XML_OUTPUT_FILE"
}

cmd_test() {
  local reason rc=0
  reason="$(why_not_runnable)"
  if [ -n "$reason" ]; then
    echo "SKIPPED: readiness bed: $reason"
    junit_skip "$reason"
    return 0
  fi
  DIR="$(mktemp -d "${TEST_TMPDIR:-/tmp}/v6scope-readiness.XXXXXX")"
  NS_RUN="v6r$$"
  set_names
  trap 'stop_all; rm -rf "$DIR"' EXIT
  trap 'exit 130' INT TERM
  cmd_up || return 1
  cmd_check --junit "${XML_OUTPUT_FILE:-}" || rc=1
  if [ $rc -ne 0 ]; then
    show_logs
    [ -z "${TEST_UNDECLARED_OUTPUTS_DIR:-}" ] || cp "$DIR/truth.json" "$TEST_UNDECLARED_OUTPUTS_DIR/"
  fi
  return $rc
}

main() {
  local cmd="${1:-}" r
  [ $# -gt 0 ] && shift
  case "$cmd" in
    up)
      case "${1:-}" in
        --domains=*) DOMAINS="${1#--domains=}" ;;
        "") ;;
        *) echo "usage: bed.sh up [--domains=N]" >&2; return 2 ;;
      esac
      [[ -z "$DOMAINS" || "$DOMAINS" =~ ^[1-9][0-9]*$ ]] ||
        { echo "bed: --domains wants a positive number" >&2; return 2; }
      r="$(why_not_runnable)"
      [ -z "$r" ] || { echo "bed: $r" >&2; return 1; }
      cmd_up || { stop_all; return 1; } ;;
    check) cmd_check "$@" ;;
    down) stop_all; rm -rf "$DIR"; echo "bed is down" ;;
    list) python3 "$HERE/gen.py" list --data "$(data_dir)" ;;
    preflight)
      r="$(why_not_runnable)"
      [ -z "$r" ] || { echo "$r"; return 1; }
      echo ok ;;
    shell)
      local ns="$NS_RUN-${1:-cli}"
      [ $# -gt 0 ] && shift
      if [ $# -eq 0 ]; then in_ns "$ns" bash; else in_ns "$ns" "$@"; fi ;;
    test) cmd_test ;;
    -h|--help|help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0" ;;
    *) echo "usage: bed.sh up|check [--all]|shell|down|list|preflight|test (see --help)" >&2
      return 2 ;;
  esac
}

main "$@"
