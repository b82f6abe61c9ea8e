#!/usr/bin/env bash
# The collector's HTTP listener under idle connections (issue #14; see
# docs/benchmarks.md). Builds with -c opt, seeds a SQLite store with a
# synthetic fleet (//collector/testing:seed-store), starts the real
# v6scope-collector with --http_listen on 127.0.0.1 and a private nginx
# serving the collector's own /small bytes, then:
#   1. opens --idle (10,000) idle TCP connections to the collector
#      (--per_source at most from each of 127.0.0.2, 127.0.0.3, ..., under
#      the collector's per-address limit; half never send a byte, half send
#      one GET /healthz and stay open, keep-alive) and, while they are held,
#      times --requests GETs each of /healthz and /api/v1/aggregates, a new
#      connection per request (and nginx's /small with the same client, the
#      client's floor); then checks that every idle connection was held;
#   2. requests/s of /small on the collector vs the same 1024 bytes on
#      nginx: wrk, same threads, connections (keep-alive) and duration,
#      --rounds rounds in alternating order; the median of the per-round
#      ratios is the figure. Also once with the idle connections held.
# Prints a summary table: figure, value, target, ratio / verdict.
# Targets: p99 <= 50 ms for both paths; collector >= 0.5x nginx.
# All traffic on loopback; every wait and client run is bounded.
#
# usage: bench/http/run_http_bench.sh [--idle=N] [--per_source=N]
#          [--keepalive_share=F] [--requests=N] [--rounds=R] [--duration=SECONDS]
#          [--connections=C] [--threads=T] [--keep]
#   --idle         idle connections held (default 10000)
#   --per_source   idle connections per source address (default 1000;
#                  at most the collector's per-address limit, 1024)
#   --keepalive_share  share of them idle after one answered request
#                  (default 0.5; the others never send anything)
#   --requests     timed requests per path (default 1000)
#   --rounds       throughput rounds (default 3)
#   --duration     seconds per throughput run (default 10)
#   --connections  wrk connections (default 64)
#   --threads      wrk threads (default: the number of CPUs)
#   --keep         keep the work directory (logs, store, configs)
# Exit status: 0 all targets met, 1 a target missed, 2 bad usage,
# 3 the benchmark itself failed (setup, failed requests, a process that
# did not start, connections not established).
set -euo pipefail
cd "$(dirname "$0")/../.."
HERE="bench/http"

IDLE=10000
KEEPALIVE_SHARE=0.5
PER_SOURCE=1000
REQUESTS=1000
ROUNDS=3
DURATION=10
CONNECTIONS=64
THREADS="$(nproc)"
KEEP=0
for arg in "$@"; do
  case "$arg" in
    --idle=*) IDLE="${arg#*=}" ;;
    --per_source=*) PER_SOURCE="${arg#*=}" ;;
    --keepalive_share=*) KEEPALIVE_SHARE="${arg#*=}" ;;
    --requests=*) REQUESTS="${arg#*=}" ;;
    --rounds=*) ROUNDS="${arg#*=}" ;;
    --duration=*) DURATION="${arg#*=}" ;;
    --connections=*) CONNECTIONS="${arg#*=}" ;;
    --threads=*) THREADS="${arg#*=}" ;;
    --keep) KEEP=1 ;;
    -h|--help) sed -n '2,38p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run_http_bench: unknown argument '$arg' (see --help)" >&2; exit 2 ;;
  esac
done
for v in IDLE PER_SOURCE REQUESTS ROUNDS DURATION CONNECTIONS THREADS; do
  if ! [[ "${!v}" =~ ^[1-9][0-9]{0,4}$ ]]; then
    echo "run_http_bench: --${v,,} must be a number 1..99999" >&2; exit 2
  fi
done
if ! [[ "$KEEPALIVE_SHARE" =~ ^(0(\.[0-9]+)?|1(\.0*)?)$ ]]; then
  echo "run_http_bench: --keepalive_share must be a number 0..1" >&2; exit 2
fi
# The collector's default per-address limit (collector/http/listener_options.h),
# passed explicitly below so the figure names it.
PER_IP_LIMIT=1024
if [ "$PER_SOURCE" -gt "$PER_IP_LIMIT" ]; then
  echo "run_http_bench: --per_source must be at most $PER_IP_LIMIT (the per-address limit)" >&2
  exit 2
fi
if [ $(((IDLE + PER_SOURCE - 1) / PER_SOURCE)) -gt 250 ]; then
  echo "run_http_bench: --idle / --per_source needs more than 250 source addresses" >&2
  exit 2
fi
if [ "$DURATION" -gt 600 ] || [ "$CONNECTIONS" -gt 1000 ] || [ "$THREADS" -gt 64 ]; then
  echo "run_http_bench: --duration <= 600, --connections <= 1000, --threads <= 64" >&2
  exit 2
fi

# Targets (issue #14; docs/benchmarks.md).
TARGET_P99_MS=50
TARGET_RATIO=0.5
# The collector closes a connection silent for 30 s by default (the
# defence against idle connections); the bench holds them for its whole
# run, so it raises the timeout above that (and says so in the summary).
IDLE_TIMEOUT_S=900

step() { printf '\n== %s\n' "$*"; }
die() { echo "run_http_bench: $*" >&2; exit 3; }

# --- tools, limits, build --------------------------------------------------------
step "Dependencies (tools/install-deps)"
tools/install-deps
for tool in nginx curl wrk python3; do
  command -v "$tool" >/dev/null || die "$tool not found (tools/install-deps installs it)"
done
# Both the holder and the collector need a descriptor per idle connection
# (each process has its own limit; the collector raises its soft limit to
# the hard one itself).
NEED_FDS=$((IDLE + 1024))
HARD="$(ulimit -Hn)"
if [ "$HARD" != unlimited ] && [ "$HARD" -lt "$NEED_FDS" ]; then
  die "open-file hard limit $HARD < $NEED_FDS (raise it, e.g. in /etc/security/limits.conf)"
fi
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$NEED_FDS" ]; then
  ulimit -n "$NEED_FDS" || die "cannot raise the open-file limit to $NEED_FDS"
fi
echo "open-file limit: $(ulimit -n) (hard $HARD)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
LOAD1="$(cut -d' ' -f1 /proc/loadavg)"
if awk -v l="$LOAD1" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
  echo "warning: the machine is busy (load $LOAD1): figures will be noisy; compare ratios"
fi

step "Building (bazel -c opt)"
# --symlink_prefix=/: leave the bazel-* links to the default configuration.
BAZEL_OPTS=(-c opt --symlink_prefix=/ --color=no --curses=no)
bazel build "${BAZEL_OPTS[@]}" //collector:v6scope-collector \
  //collector/testing:seed-store 2>&1 | tail -n 2
BIN="$(bazel info "${BAZEL_OPTS[@]}" bazel-bin 2>/dev/null)"
COLLECTOR="$BIN/collector/v6scope-collector"
SEED="$BIN/collector/testing/seed-store"
for b in "$COLLECTOR" "$SEED"; do [ -x "$b" ] || die "not built: $b"; done

# --- work directory, processes, cleanup ------------------------------------------
WORK="$(mktemp -d -t v6scope-http-bench.XXXXXX)"
PIDS=()
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ "$KEEP" -eq 1 ]; then echo "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# wait_for SECONDS COMMAND...: polls every 0.1 s until COMMAND succeeds.
wait_for() {
  local tries=$(($1 * 10)); shift
  for _ in $(seq 1 "$tries"); do "$@" && return 0; sleep 0.1; done
  return 1
}
open_fds() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
rss_mib() { awk '$1 == "VmRSS:" { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
kv() { sed -n "s/.*\b$2=\([^ ]*\).*/\1/p" "$1" | tail -n 1; }  # kv FILE KEY

# --- a collector with a seeded store ------------------------------------------------
step "Seeding a SQLite store (synthetic fleet: 30 probes, 14 days, 4 runs a day)"
mkdir -m 700 "$WORK/data"
"$SEED" --sqlite="$WORK/data/v6scope.db" --probes=30 --days=14 --runs_per_day=4 \
  >"$WORK/seed.log" 2>&1 || { cat "$WORK/seed.log"; die "seed-store failed"; }
tail -n 1 "$WORK/seed.log"

step "Starting the collector (--http_listen=127.0.0.1:0)"
"$COLLECTOR" --data_dir="$WORK/data" --grpc_listen=127.0.0.1:0 \
  --port_file="$WORK/grpc.port" --http_listen=127.0.0.1:0 \
  --http_port_file="$WORK/http.port" \
  --http_max_connections_per_ip="$PER_IP_LIMIT" \
  --http_connection_timeout_seconds="$IDLE_TIMEOUT_S" 2>"$WORK/collector.log" &
COLLECTOR_PID=$!
PIDS+=("$COLLECTOR_PID")
# shellcheck disable=SC2317  # called through wait_for
started() {
  kill -0 "$COLLECTOR_PID" 2>/dev/null || { cat "$WORK/collector.log"; die "collector exited"; }
  grep -q 'event=collector.started' "$WORK/collector.log" && [ -s "$WORK/http.port" ]
}
wait_for 30 started || { cat "$WORK/collector.log"; die "collector did not start within 30 s"; }
HTTP_PORT="$(cat "$WORK/http.port")"
BASE="http://127.0.0.1:$HTTP_PORT"
grep -E 'http\.connections_limited' "$WORK/collector.log" || true
echo "collector (pid $COLLECTOR_PID) on $BASE; per-address limit $PER_IP_LIMIT," \
  "idle timeout ${IDLE_TIMEOUT_S} s (default 30 s), default 4 threads, 16384 connections"

AT="$(date -u -d yesterday +%F)"
AGG_PATH="/api/v1/aggregates?group_by=country&window=week&at=$AT"
curl -sf --noproxy '*' "$BASE$AGG_PATH" -o "$WORK/aggregates.json" ||
  die "GET $AGG_PATH failed"
GROUPS_N="$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1])).get("groups", [])))' \
  "$WORK/aggregates.json")"
[ "$GROUPS_N" -gt 0 ] || die "GET $AGG_PATH has no groups: the seeded store is not queried"
echo "$AGG_PATH: $GROUPS_N groups, $(wc -c <"$WORK/aggregates.json") bytes"

# --- a private nginx serving the collector's /small bytes --------------------------
step "Starting a private nginx (127.0.0.1) serving the same 1024 bytes"
NGX="$WORK/nginx"
mkdir -p "$NGX/www" "$NGX/tmp"
curl -sf --noproxy '*' "$BASE/small" -o "$NGX/www/small" || die "GET /small failed"
[ "$(wc -c <"$NGX/www/small")" -eq 1024 ] || die "the collector's /small is not 1024 bytes"
start_nginx() {  # start_nginx PORT: 0 once it answers
  local port="$1" user_line=""
  # As root, nginx's workers would switch to nobody, who cannot read the
  # private work directory.
  [ "$(id -u)" -eq 0 ] && user_line="user root;"
  # Debian's defaults where they matter (worker_processes auto, sendfile);
  # keepalive_requests raised so that nginx, like the collector, never
  # closes a busy keep-alive connection (the stronger baseline).
  cat >"$NGX/nginx.conf" <<EOF
$user_line
worker_processes auto;
pid $NGX/nginx.pid;
error_log $NGX/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 1000000;
  client_body_temp_path $NGX/tmp/body;
  proxy_temp_path $NGX/tmp/proxy;
  fastcgi_temp_path $NGX/tmp/fastcgi;
  uwsgi_temp_path $NGX/tmp/uwsgi;
  scgi_temp_path $NGX/tmp/scgi;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:$port;
    root $NGX/www;
    add_header Cache-Control no-store;
  }
}
EOF
  nginx -p "$NGX" -c "$NGX/nginx.conf" -e "$NGX/error.log" -g 'daemon off;' \
    2>>"$NGX/stderr.log" &
  NGINX_PID=$!
  for _ in $(seq 1 100); do
    if ! kill -0 "$NGINX_PID" 2>/dev/null; then wait "$NGINX_PID" 2>/dev/null || true; return 1; fi
    if curl -sf --noproxy '*' -o /dev/null "http://127.0.0.1:$port/small"; then
      PIDS+=("$NGINX_PID")
      return 0
    fi
    sleep 0.05
  done
  kill -TERM "$NGINX_PID" 2>/dev/null || true
  wait "$NGINX_PID" 2>/dev/null || true
  return 1
}
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
NGINX_PORT=""
for _ in 1 2 3 4 5; do
  port="$(free_port)"
  if start_nginx "$port"; then NGINX_PORT="$port"; break; fi
done
[ -n "$NGINX_PORT" ] || { cat "$NGX/error.log" "$NGX/stderr.log" 2>/dev/null; die "nginx did not start"; }
NGINX_BASE="http://127.0.0.1:$NGINX_PORT"
cmp -s <(curl -sf --noproxy '*' "$NGINX_BASE/small") "$NGX/www/small" ||
  die "nginx does not serve the collector's /small bytes"
echo "nginx (pid $NGINX_PID, $(nproc) workers) on $NGINX_BASE (log: $NGX/error.log)"

# --- clients ------------------------------------------------------------------------
# latency NAME BASE PATH [EXPECT_BYTES]: $REQUESTS timed GETs, a new
# connection each; the RESULT line in $WORK/NAME.lat.
latency() {
  local name="$1" port="${2##*:}" path="$3" expect="${4:--1}" rc=0
  timeout 900 python3 "$HERE/latency.py" --port="$port" --path="$path" \
    --count="$REQUESTS" --expect_bytes="$expect" --max_seconds=600 \
    --out="$WORK/$name.ms" >"$WORK/$name.lat" 2>"$WORK/$name.err" || rc=$?
  printf '  %-22s %s\n' "$name" "$(sed 's/^RESULT //' "$WORK/$name.lat")"
  if [ "$rc" -ne 0 ]; then cat "$WORK/$name.err"; die "$name: not every request OK"; fi
}
# to_ms VALUE: wrk's "1.23ms" / "456.78us" / "1.02s" in ms.
to_ms() { awk -v v="$1" 'BEGIN { u = v; sub(/[0-9.]+/, "", u); n = v + 0
  printf "%.2f", (u == "us") ? n / 1000 : (u == "s") ? n * 1000 : (u == "m") ? n * 60000 : n }'; }
# to_bytes VALUE: wrk's "150.00MB" in bytes.
to_bytes() { awk -v v="$1" 'BEGIN { u = v; sub(/[0-9.]+/, "", u); n = v + 0
  m = (u == "KB") ? 1024 : (u == "MB") ? 1048576 : (u == "GB") ? 1073741824 : 1
  printf "%.0f", n * m }'; }
# rate NAME URL: one wrk run; appends "NAME rate p50_ms p99_ms bytes_per_response" to $WORK/rates.
rate() {
  local name="$1" url="$2" out="$WORK/$1.wrk.$RANDOM" rc=0
  timeout $((DURATION + 60)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" \
    --timeout 5s --latency "$url" >"$out" 2>&1 || rc=$?
  [ "$rc" -eq 0 ] || { cat "$out"; die "wrk against $url failed (exit $rc)"; }
  local reqs rps non2xx errors p50 p99 read bpr
  reqs="$(awk '/requests in/ { print $1 }' "$out")"
  read="$(awk '/requests in/ { print $5 }' "$out" | tr -d ,)"
  rps="$(awk '/^Requests\/sec:/ { print $2 }' "$out")"
  non2xx="$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")"
  errors="$(awk '/Socket errors:/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' "$out")"
  p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")"
  p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")"
  if [ -z "$reqs" ] || [ -z "$rps" ]; then cat "$out"; die "cannot read wrk's output"; fi
  if [ "${non2xx:-0}" -ne 0 ] || [ "${errors:-0}" -ne 0 ]; then
    cat "$out"; die "$name: ${non2xx:-0} non-2xx responses, ${errors:-0} socket errors"
  fi
  bpr=$(awk -v b="$(to_bytes "$read")" -v n="$reqs" 'BEGIN { printf "%.0f", b / n }')
  printf '  %-22s %10.1f req/s  latency p50 %6.2f p99 %6.2f ms  %s bytes/response (head + 1024)\n' \
    "$name" "$rps" "$p50" "$p99" "$bpr"
  echo "$name $rps $p50 $p99 $bpr" >>"$WORK/rates"
}
: >"$WORK/rates"

# --- 1. idle connections held while latency is measured ------------------------------
step "Opening $IDLE idle connections to the collector ($PER_SOURCE per source address from 127.0.0.2)"
FDS_BEFORE="$(open_fds "$COLLECTOR_PID")"
RSS_BEFORE="$(rss_mib "$COLLECTOR_PID")"
python3 "$HERE/idle_conns.py" --port="$HTTP_PORT" --count="$IDLE" \
  --per_source="$PER_SOURCE" --keepalive_share="$KEEPALIVE_SHARE" --hold_seconds=$((IDLE_TIMEOUT_S - 60)) \
  >"$WORK/idle.out" 2>"$WORK/idle.err" &
IDLE_PID=$!
PIDS+=("$IDLE_PID")
# shellcheck disable=SC2317  # called through wait_for
ready() {
  kill -0 "$IDLE_PID" 2>/dev/null || { cat "$WORK/idle.err"; die "the idle-connection holder exited"; }
  grep -q '^ready' "$WORK/idle.out"
}
wait_for 120 ready || die "the idle connections were not opened within 120 s"
cat "$WORK/idle.out"
OPENED="$(kv "$WORK/idle.out" open)"
ASKED="$(kv "$WORK/idle.out" keepalive)"
ANSWERED_FIRST="$(kv "$WORK/idle.out" answered)"
[ "$OPENED" -eq "$IDLE" ] || die "$OPENED of $IDLE idle connections established"
# Established is not accepted: the kernel queues up to the backlog.
# Count the collector's descriptors until it holds every connection.
# shellcheck disable=SC2317  # called through wait_for
accepted() { [ $(($(open_fds "$COLLECTOR_PID") - FDS_BEFORE)) -ge "$IDLE" ]; }
wait_for 60 accepted || true
ACCEPTED=$(($(open_fds "$COLLECTOR_PID") - FDS_BEFORE))
RSS_IDLE="$(rss_mib "$COLLECTOR_PID")"
echo "  the collector holds $ACCEPTED more descriptors; RSS $RSS_BEFORE -> $RSS_IDLE MiB"

step "Latency with the idle connections held: $REQUESTS GETs each, a new connection per request"
latency healthz "$BASE" /healthz
latency aggregates "$BASE" "$AGG_PATH"
latency nginx-small "$NGINX_BASE" /small 1024

step "Requests/s of /small on the collector with the idle connections held (once, for information)"
rate collector-idle "$BASE/small"

FDS_END=$(($(open_fds "$COLLECTOR_PID") - FDS_BEFORE))
kill -TERM "$IDLE_PID"
wait "$IDLE_PID" || die "the idle-connection holder failed: $(cat "$WORK/idle.err")"
tail -n 1 "$WORK/idle.out"
HELD="$(kv "$WORK/idle.out" open)"
CLOSED="$(kv "$WORK/idle.out" closed_by_server)"
HELD_SECONDS="$(kv "$WORK/idle.out" seconds)"

# --- 2. requests/s: collector vs nginx -------------------------------------------------
step "Requests/s of /small: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s (keep-alive), $ROUNDS rounds"
# shellcheck disable=SC2317  # called through wait_for
released() { [ $(($(open_fds "$COLLECTOR_PID") - FDS_BEFORE)) -lt 100 ]; }
wait_for 30 released || echo "  note: the collector still holds $(($(open_fds "$COLLECTOR_PID") - FDS_BEFORE)) extra descriptors"
for ((r = 1; r <= ROUNDS; r++)); do
  # Alternate which server goes first, so neither always has a cooler CPU.
  if ((r % 2)); then rate collector "$BASE/small"; rate nginx "$NGINX_BASE/small"
  else rate nginx "$NGINX_BASE/small"; rate collector "$BASE/small"; fi
done

# --- summary ------------------------------------------------------------------------------
col() { awk -v c="$1" -v f="$2" '$1 == c { print $f }' "$WORK/rates"; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
  END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
med() { local v; mapfile -t v < <(col "$1" "$2"); median "${v[@]}"; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
ROUND_RATIOS="$(paste <(col collector 2) <(col nginx 2) | awk '{ printf "%s%.2f", (NR > 1 ? " " : ""), $1 / $2 }')"
read -r -a ratio_list <<<"$ROUND_RATIOS"
RATIO="$(median "${ratio_list[@]}")"
C_RPS="$(calc %.0f "$(med collector 2)")"; N_RPS="$(calc %.0f "$(med nginx 2)")"
I_RPS="$(calc %.0f "$(med collector-idle 2)")"
C_P99="$(med collector 4)"; N_P99="$(med nginx 4)"
C_BPR="$(med collector 5)"; N_BPR="$(med nginx 5)"
H_P50="$(kv "$WORK/healthz.lat" p50_ms)"; H_P99="$(kv "$WORK/healthz.lat" p99_ms)"
H_MAX="$(kv "$WORK/healthz.lat" max_ms)"
A_P50="$(kv "$WORK/aggregates.lat" p50_ms)"; A_P99="$(kv "$WORK/aggregates.lat" p99_ms)"
A_MAX="$(kv "$WORK/aggregates.lat" max_ms)"
S_P50="$(kv "$WORK/nginx-small.lat" p50_ms)"; S_P99="$(kv "$WORK/nginx-small.lat" p99_ms)"

verdict() { if [ "$1" -eq 1 ]; then echo PASS; else echo MISS; fi; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b) ? 1 : 0 }'; }
IDLE_OK=$([ "$ACCEPTED" -ge "$IDLE" ] && [ "$HELD" -eq "$IDLE" ] &&
  [ "$ANSWERED_FIRST" -eq "$ASKED" ] && echo 1 || echo 0)
H_OK="$(le "$H_P99" "$TARGET_P99_MS")"
A_OK="$(le "$A_P99" "$TARGET_P99_MS")"
R_OK="$(le "$TARGET_RATIO" "$RATIO")"
VERDICT=0
[ "$IDLE_OK$H_OK$A_OK$R_OK" = 1111 ] || VERDICT=1

step "Summary ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ); $(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
row() { printf '%-46s %-24s %-16s %s\n' "$@"; }
row "figure" "value" "target" "ratio / verdict"
row "idle connections held by the collector" "$HELD of $IDLE" "$IDLE" \
  "$(verdict "$IDLE_OK") (accepted $ACCEPTED, $FDS_END at the end, closed $CLOSED; held ${HELD_SECONDS} s)"
row "  from" "$(((IDLE + PER_SOURCE - 1) / PER_SOURCE)) addresses" "" \
  "$PER_SOURCE each; per-address limit $PER_IP_LIMIT; idle timeout raised to ${IDLE_TIMEOUT_S} s"
row "  of which idle keep-alive" "$ASKED" "" \
  "after one GET /healthz each, $ANSWERED_FIRST answered 200; $((IDLE - ASKED)) never sent a byte"
row "  collector RSS before / with them" "$RSS_BEFORE / $RSS_IDLE MiB" "" \
  "$(calc %.1f "($RSS_IDLE - $RSS_BEFORE) * 1048576 / $IDLE / 1024") KiB per idle connection"
row "/healthz p50 / p99 (new conn each, N=$REQUESTS)" "$H_P50 / $H_P99 ms" "p99 <= $TARGET_P99_MS ms" \
  "$(calc %.2f "$H_P99 / $TARGET_P99_MS")x target: $(verdict "$H_OK") (max $H_MAX ms)"
row "/api/v1/aggregates p50 / p99 (same)" "$A_P50 / $A_P99 ms" "p99 <= $TARGET_P99_MS ms" \
  "$(calc %.2f "$A_P99 / $TARGET_P99_MS")x target: $(verdict "$A_OK") (max $A_MAX ms; $GROUPS_N groups)"
row "  client floor: nginx /small, same client" "$S_P50 / $S_P99 ms" "" "(the client's own cost)"
row "/small requests/s, collector (wrk)" "$C_RPS /s" ">= $TARGET_RATIO x nginx" \
  "$(calc %.2f "$RATIO")x nginx: $(verdict "$R_OK") (median of rounds: $ROUND_RATIOS)"
row "  baseline: nginx, the same 1024 bytes" "$N_RPS /s" "" \
  "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s keep-alive, $ROUNDS rounds"
row "  wrk latency p99, collector / nginx" "$C_P99 / $N_P99 ms" "" \
  "bytes/response: $C_BPR / $N_BPR"
row "  info: collector with $IDLE idle held" "$I_RPS /s" "" \
  "$(calc %.2f "$I_RPS / $C_RPS")x the collector without them"
exit "$VERDICT"
