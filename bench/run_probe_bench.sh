#!/usr/bin/env bash
# Probe benchmarks (see docs/benchmarks.md). Builds with -c opt, starts a
# private nginx on 127.0.0.1 and [::1] and a collector on [::1], then:
#   1. fetch throughput: the probe's fetcher (bench:fetch_throughput) and
#      `curl --parallel` fetch the same URL list, one connection per fetch;
#   2. the probe daemon: peak RSS and CPU time per capability run over N
#      scheduled runs uploading to the collector, against baselines of the
#      same binary (`--help`, and a daemon stopping after one run).
# Prints a summary table: figure, value, target, ratio / verdict.
# All traffic stays on loopback; every wait is bounded.
#
# usage: bench/run_probe_bench.sh [--fetches=N] [--concurrency=C]
#          [--rounds=R] [--runs=N] [--interval=DURATION] [--keep]
#   --fetches      fetches per client and round (default 5000)
#   --concurrency  fetches in flight (default 100)
#   --rounds       throughput rounds; medians are reported (default 5)
#   --runs         scheduled daemon runs (default 100)
#   --interval     daemon interval (default 50ms; spread 0)
#   --keep         keep the work directory (logs, configs) for inspection
# Exit status: 0 all targets met, 1 a target missed, 2 bad usage,
# 3 the benchmark itself failed (setup, failed fetches, missing runs).
set -euo pipefail
cd "$(dirname "$0")/.."

FETCHES=5000
CONCURRENCY=100
ROUNDS=5
RUNS=100
INTERVAL=50ms
KEEP=0
for arg in "$@"; do
  case "$arg" in
    --fetches=*) FETCHES="${arg#*=}" ;;
    --concurrency=*) CONCURRENCY="${arg#*=}" ;;
    --rounds=*) ROUNDS="${arg#*=}" ;;
    --runs=*) RUNS="${arg#*=}" ;;
    --interval=*) INTERVAL="${arg#*=}" ;;
    --keep) KEEP=1 ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run_probe_bench: unknown argument '$arg' (see --help)" >&2; exit 2 ;;
  esac
done
for v in FETCHES CONCURRENCY ROUNDS RUNS; do
  if ! [[ "${!v}" =~ ^[1-9][0-9]{0,5}$ ]]; then
    echo "run_probe_bench: --${v,,} must be a number 1..999999" >&2; exit 2
  fi
done
if [ "$RUNS" -lt 2 ]; then echo "run_probe_bench: --runs must be >= 2" >&2; exit 2; fi

# Targets (docs/benchmarks.md). RSS: 20 MB read as 20 MiB.
TARGET_RSS_KIB=$((20 * 1024))
TARGET_CPU_MS_PER_RUN=30

step() { printf '\n== %s\n' "$*"; }
die() { echo "run_probe_bench: $*" >&2; exit 3; }

# --- tools and build -----------------------------------------------------------
step "Dependencies (tools/install-deps)"
tools/install-deps
for tool in nginx curl /usr/bin/time python3; do
  command -v "$tool" >/dev/null || die "$tool not found (tools/install-deps installs it)"
done
ip -6 addr show lo 2>/dev/null | grep -q '::1' || die "no ::1 on lo: the probe's IPv6 tests need it"

LOAD1="$(cut -d' ' -f1 /proc/loadavg)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
if awk -v l="$LOAD1" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
  echo "warning: the machine is busy (load $LOAD1): figures will be noisy; compare ratios"
fi
step "Building (bazel -c opt)"
# --symlink_prefix=/: leave the bazel-* convenience links to the default
# (fastbuild) configuration that tools/demo and tools/test use.
BAZEL_OPTS=(-c opt --symlink_prefix=/ --color=no --curses=no)
bazel build "${BAZEL_OPTS[@]}" //bench:fetch_throughput //probe:v6scope-probe \
  //collector:v6scope-collector //cli:v6scope 2>&1 | tail -n 2
BIN="$(bazel info "${BAZEL_OPTS[@]}" bazel-bin 2>/dev/null)"
FETCH="$BIN/bench/fetch_throughput"
PROBE="$BIN/probe/v6scope-probe"
COLLECTOR="$BIN/collector/v6scope-collector"
CLI="$BIN/cli/v6scope"
for b in "$FETCH" "$PROBE" "$COLLECTOR" "$CLI"; do [ -x "$b" ] || die "not built: $b"; done

# --- work directory, processes, cleanup ------------------------------------------
WORK="$(mktemp -d -t v6scope-bench.XXXXXX)"
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

# ms since the epoch (for wall-clock durations).
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# A TCP port free on both 127.0.0.1 and [::1] right now.
free_port() {
  python3 - <<'EOF'
import socket
for _ in range(50):
    s6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s6.bind(("::1", 0))
    port = s6.getsockname()[1]
    s4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s4.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s4.close()
        s6.close()
    print(port)
    break
EOF
}

# --- private nginx ----------------------------------------------------------------
step "Starting a private nginx (127.0.0.1 and [::1])"
NGX="$WORK/nginx"
mkdir -p "$NGX/www" "$NGX/tmp"
head -c 1024 /dev/urandom >"$NGX/www/small"
head -c 1500000 /dev/urandom >"$NGX/www/large"
start_nginx() {  # start_nginx PORT: 0 when both addresses answer
  local port="$1" user_line=""
  # As root, nginx's workers would switch to nobody, who cannot read the
  # private work directory.
  [ "$(id -u)" -eq 0 ] && user_line="user root;"
  cat >"$NGX/nginx.conf" <<EOF
$user_line
worker_processes 1;
pid $NGX/nginx.pid;
error_log $NGX/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $NGX/tmp/body;
  proxy_temp_path $NGX/tmp/proxy;
  fastcgi_temp_path $NGX/tmp/fastcgi;
  uwsgi_temp_path $NGX/tmp/uwsgi;
  scgi_temp_path $NGX/tmp/scgi;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:$port;
    listen [::1]:$port;
    root $NGX/www;
    add_header Cache-Control no-store;
    location = /whoami { default_type text/plain; return 200 "\$remote_addr"; }
    location = /nginx_status { stub_status; }
  }
}
EOF
  nginx -p "$NGX" -c "$NGX/nginx.conf" -e "$NGX/error.log" -g 'daemon off;' \
    2>>"$NGX/stderr.log" &
  NGINX_PID=$!
  local i
  for i in $(seq 1 100); do
    if ! kill -0 "$NGINX_PID" 2>/dev/null; then wait "$NGINX_PID" 2>/dev/null || true; return 1; fi
    if curl -sf --noproxy '*' -o /dev/null "http://127.0.0.1:$port/small" &&
       curl -sf --noproxy '*' -o /dev/null "http://[::1]:$port/small"; then
      PIDS+=("$NGINX_PID")
      return 0
    fi
    sleep 0.05
  done
  kill -TERM "$NGINX_PID" 2>/dev/null || true
  wait "$NGINX_PID" 2>/dev/null || true
  return 1
}
NGINX_PORT=""
for _ in 1 2 3 4 5; do
  port="$(free_port)"
  [ -n "$port" ] || continue
  if start_nginx "$port"; then NGINX_PORT="$port"; break; fi
done
[ -n "$NGINX_PORT" ] || { cat "$NGX/error.log" "$NGX/stderr.log" 2>/dev/null; die "nginx did not start"; }
echo "nginx (pid $NGINX_PID) on 127.0.0.1:$NGINX_PORT and [::1]:$NGINX_PORT (log: $NGX/error.log)"

# nginx's counters: "accepted_connections requests".
nginx_counters() {
  curl -sf --noproxy '*' "http://127.0.0.1:$NGINX_PORT/nginx_status" | awk 'NR == 3 { print $1, $3 }'
}
# CPU time of nginx's one worker in ms (user + sys, from /proc; 10 ms ticks).
NGINX_WORKER="$(awk '{ print $1 }' "/proc/$NGINX_PID/task/$NGINX_PID/children" 2>/dev/null || true)"
CLK_TCK="$(getconf CLK_TCK)"
nginx_cpu_ms() {
  awk -v t="$CLK_TCK" '{ print int(($14 + $15) * 1000 / t) }' "/proc/$NGINX_WORKER/stat" 2>/dev/null || echo 0
}

# --- 1. fetch throughput -------------------------------------------------------------
step "Fetch throughput: $FETCHES fetches of a 1 KiB object, $CONCURRENCY in flight, $ROUNDS rounds"
URLS="$WORK/urls.txt"
# Alternating families; a distinct query string per fetch.
for ((i = 0; i < FETCHES; i++)); do
  if ((i % 2 == 0)); then echo "http://127.0.0.1:$NGINX_PORT/small?i=$i"
  else echo "http://[::1]:$NGINX_PORT/small?i=$i"; fi
done >"$URLS"
awk '{ printf "url = \"%s\"\noutput = \"/dev/null\"\n", $0 }' "$URLS" >"$WORK/curl.cfg"

# Nearest-rank percentile of a file of numbers: pct FILE P
pct() { sort -g "$1" | awk -v p="$2" '{ v[NR] = $1 } END { if (NR == 0) { print 0; exit }
  r = int(p / 100 * NR + 0.999999); if (r < 1) r = 1; if (r > NR) r = NR; print v[r] }'; }
# Median of numbers given as arguments.
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
kv() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" "$1"; }  # kv FILE KEY (from a RESULT line)

# One client run; appends "client rate conns_per_fetch p50_ms p99_ms cpu_us_per_fetch" to $WORK/rates.
# Clients: fetcher, curl-fresh (Connection: close: a new connection per
# transfer, like the fetcher), curl-reuse (curl's default: keep-alive).
run_client() {
  local client="$1" round="$2" out="$WORK/$1.$2"
  local before after t0 t1 s0 s1 rc=0
  before="$(nginx_counters)"
  s0="$(nginx_cpu_ms)"
  t0="$(now_ms)"
  case "$client" in
    fetcher)
      /usr/bin/time -f '%U %S %M' -o "$out.time" timeout 300 \
        "$FETCH" --urls_file="$URLS" --concurrency="$CONCURRENCY" \
        --expect_bytes=1024 --max_time=240s >"$out.log" 2>&1 || rc=$?
      ;;
    curl-fresh|curl-reuse)
      local extra=()
      [ "$client" = curl-fresh ] && extra=(-H 'Connection: close')
      /usr/bin/time -f '%U %S %M' -o "$out.time" timeout 300 \
        curl --silent --show-error --no-progress-meter --noproxy '*' --http1.1 \
        --parallel --parallel-max "$CONCURRENCY" --max-time 10 \
        -w '%{http_code} %{size_download} %{time_total}\n' \
        "${extra[@]}" -K "$WORK/curl.cfg" >"$out.log" 2>"$out.err" || rc=$?
      ;;
  esac
  t1="$(now_ms)"
  s1="$(nginx_cpu_ms)"
  after="$(nginx_counters)"
  local wall_ms=$((t1 - t0)) conns reqs ok p50 p99 mean cpu busy
  # Share of the wall time the nginx worker was on a CPU: near 100% means
  # the server, not the client, set the rate.
  busy=$(awk -v c=$((s1 - s0)) -v w="$wall_ms" 'BEGIN { printf "%.0f", c * 100 / w }')
  conns=$(( ${after% *} - ${before% *} - 1 ))  # minus the counter read
  reqs=$(( ${after#* } - ${before#* } - 1 ))
  # Whole-process CPU time of the client (user + sys), per fetch.
  cpu=$(awk -v n="$FETCHES" '{ printf "%.1f", ($1 + $2) * 1e6 / n }' "$out.time")
  if [ "$client" = fetcher ]; then
    ok="$(kv "$out.log" ok)"; p50="$(kv "$out.log" p50_ms)"; p99="$(kv "$out.log" p99_ms)"
    mean="$(kv "$out.log" mean_ms)"
    if [ "$rc" -ne 0 ] || [ "$ok" != "$FETCHES" ]; then
      cat "$out.log"; die "fetcher: not every fetch OK (exit $rc)"
    fi
  else
    ok=$(awk '$1 == 200 && $2 == 1024' "$out.log" | wc -l)
    awk '{ print $3 * 1000 }' "$out.log" >"$out.ms"
    p50="$(pct "$out.ms" 50)"; p99="$(pct "$out.ms" 99)"
    mean="$(awk '{ s += $1 } END { printf "%.3f", (NR ? s / NR : 0) }' "$out.ms")"
    if [ "$rc" -ne 0 ] || [ "$ok" -ne "$FETCHES" ]; then
      head -5 "$out.err"; die "$client: $ok of $FETCHES fetches OK (exit $rc)"
    fi
  fi
  [ "$reqs" -eq "$FETCHES" ] || die "$client: nginx counted $reqs requests, want $FETCHES"
  local rate
  rate=$(awk -v n="$FETCHES" -v ms="$wall_ms" 'BEGIN { printf "%.1f", n * 1000 / ms }')
  local cpf
  cpf=$(awk -v c="$conns" -v n="$FETCHES" 'BEGIN { printf "%.3f", c / n }')
  printf '  round %d  %-10s %7.1f/s  conns/fetch %5.3f  latency p50 %6.2f p99 %6.2f mean %6.2f ms  cpu %5.1f us/fetch  nginx busy %3d%%\n' \
    "$round" "$client" "$rate" "$cpf" "$p50" "$p99" "$mean" "$cpu" "$busy"
  echo "$client $rate $cpf $p50 $p99 $cpu $busy $mean" >>"$WORK/rates"
}

: >"$WORK/rates"
CLIENTS=(fetcher curl-fresh curl-reuse)
for ((r = 1; r <= ROUNDS; r++)); do
  # Rotate the order each round so no client always runs first.
  for ((k = 0; k < ${#CLIENTS[@]}; k++)); do
    run_client "${CLIENTS[$(((k + r - 1) % ${#CLIENTS[@]}))]}" "$r"
  done
done
col() { awk -v c="$1" -v f="$2" '$1 == c { print $f }' "$WORK/rates"; }  # col CLIENT FIELD
med() { local v; mapfile -t v < <(col "$1" "$2"); median "${v[@]}"; }
FETCHER_RATE="$(med fetcher 2)"; FRESH_RATE="$(med curl-fresh 2)"; REUSE_RATE="$(med curl-reuse 2)"
FETCHER_CPU="$(med fetcher 6)"; FRESH_CPU="$(med curl-fresh 6)"; REUSE_CPU="$(med curl-reuse 6)"
FETCHER_P50="$(med fetcher 4)"; FRESH_P50="$(med curl-fresh 4)"
FETCHER_P99="$(med fetcher 5)"; FRESH_P99="$(med curl-fresh 5)"
FETCHER_MEAN="$(med fetcher 8)"; FRESH_MEAN="$(med curl-fresh 8)"
FETCHER_CONNS="$(med fetcher 3)"; FRESH_CONNS="$(med curl-fresh 3)"; REUSE_CONNS="$(med curl-reuse 3)"
FETCHER_BUSY="$(med fetcher 7)"; FRESH_BUSY="$(med curl-fresh 7)"; REUSE_BUSY="$(med curl-reuse 7)"
# Per-round ratios fetcher / curl-fresh, to show the spread.
# Per-round ratios fetcher / curl-fresh: each pairs runs made seconds
# apart, so their median is the figure least moved by other load.
ROUND_RATIOS="$(paste <(col fetcher 2) <(col curl-fresh 2) | awk '{ printf "%s%.2f", (NR > 1 ? " " : ""), $1 / $2 }')"
read -r -a ratio_list <<<"$ROUND_RATIOS"
RATE_RATIO="$(median "${ratio_list[@]}")"
CPU_RATIOS="$(paste <(col fetcher 6) <(col curl-fresh 6) | awk '{ printf "%s%.2f", (NR > 1 ? " " : ""), $1 / $2 }')"
read -r -a ratio_list <<<"$CPU_RATIOS"
CPU_RATIO="$(median "${ratio_list[@]}")"

# --- 2. collector and probe daemon ------------------------------------------------------
step "Starting a collector on [::1] and enrolling a probe"
"$COLLECTOR" --grpc_listen='[::1]:0' --data_dir="$WORK/collector" \
  --port_file="$WORK/collector.port" 2>"$WORK/collector.log" &
COLLECTOR_PID=$!
PIDS+=("$COLLECTOR_PID")
for _ in $(seq 1 100); do
  [ -s "$WORK/collector.port" ] && break
  kill -0 "$COLLECTOR_PID" 2>/dev/null || { cat "$WORK/collector.log"; die "collector exited"; }
  sleep 0.1
done
[ -s "$WORK/collector.port" ] || die "collector did not listen within 10 s"
ADDR="[::1]:$(cat "$WORK/collector.port")"
TOKEN="$("$CLI" --collector="$ADDR" --admin_secret_file="$WORK/collector/admin.secret" \
  --org=bench --expires=1h --format=csv admin token create | sed -n 2p | cut -d, -f1)"
[ -n "$TOKEN" ] || die "no enrolment token"
STATE="$WORK/probe"
"$PROBE" enrol --state_dir="$STATE" --collector="$ADDR" --token="$TOKEN" \
  >"$WORK/enrol.out" 2>"$WORK/enrol.log" || { cat "$WORK/enrol.log"; die "enrolment failed"; }
cat "$WORK/enrol.out"
PROBE_ID="$(sed -n 's/^enrolled as \(p-[0-9a-f]*\) .*/\1/p' "$WORK/enrol.out")"
[ -n "$PROBE_ID" ] || die "enrolment printed no probe id"

# measure NAME command...: runs it under /usr/bin/time (peak RSS, CPU);
# while it runs, samples /proc/PID/status every 0.1 s and keeps the sample
# with the largest RSS (with its smaps and smaps_rollup): what the peak is
# made of. Bounded: SIGTERM after 600 s.
measure() {
  local name="$1"; shift
  /usr/bin/time -f '%e %U %S %M' -o "$WORK/$name.time" "$@" &
  local tpid=$! pid="" i
  for i in $(seq 1 100); do
    pid="$(awk '{ print $1 }' "/proc/$tpid/task/$tpid/children" 2>/dev/null)"
    [ -n "$pid" ] && break
    kill -0 "$tpid" 2>/dev/null || break
    sleep 0.01
  done
  if [ -n "$pid" ]; then
    local best=0 rss key value
    for i in $(seq 1 6000); do
      cat "/proc/$pid/status" >"$WORK/$name.sample" 2>/dev/null || break
      rss=0
      while read -r key value _; do
        [ "$key" = VmRSS: ] && rss="$value"
      done <"$WORK/$name.sample"
      [ "$rss" -gt 0 ] || break  # exiting
      if [ "$rss" -gt "$best" ] &&
         cat "/proc/$pid/smaps_rollup" >"$WORK/$name.sample_rollup" 2>/dev/null &&
         cat "/proc/$pid/smaps" >"$WORK/$name.sample_smaps" 2>/dev/null &&
         [ -s "$WORK/$name.sample_rollup" ]; then
        best="$rss"
        mv "$WORK/$name.sample" "$WORK/$name.status"
        mv "$WORK/$name.sample_rollup" "$WORK/$name.smaps"
        mv "$WORK/$name.sample_smaps" "$WORK/$name.smaps_full"
      fi
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && { kill -TERM "$pid"; echo "$name: stopped after 600 s" >&2; }
  fi
  local rc=0
  wait "$tpid" || rc=$?
  return "$rc"
}
field() { awk -v k="$2:" '$1 == k { print $2 }' "$1" 2>/dev/null; }  # field FILE KEY (kB)

TARGETS=(--loopback_targets="$NGINX_PORT")
DAEMON=("$PROBE" daemon --state_dir="$STATE" "${TARGETS[@]}" --interval="$INTERVAL" --spread=0)

step "Baselines: v6scope-probe --help, and a daemon stopping after 1 run"
measure help "$PROBE" --help >/dev/null || die "v6scope-probe --help failed"
before="$(nginx_counters)"
measure daemon1 "${DAEMON[@]}" --max_runs=1 2>"$WORK/daemon1.log" ||
  { tail "$WORK/daemon1.log"; die "1-run daemon failed"; }
after="$(nginx_counters)"
FETCHES_PER_RUN=$(( ${after#* } - ${before#* } - 1 ))
[ "$FETCHES_PER_RUN" -ge 7 ] || die "one capability run made $FETCHES_PER_RUN HTTP fetches, want >= 7"

step "Probe daemon: $RUNS scheduled runs (--interval=$INTERVAL --spread=0), uploading to the collector"
before="$(nginx_counters)"
measure daemonN "${DAEMON[@]}" --max_runs="$RUNS" 2>"$WORK/daemonN.log" ||
  { tail "$WORK/daemonN.log"; die "daemon failed"; }
after="$(nginx_counters)"
N_FETCHES=$(( ${after#* } - ${before#* } - 1 ))
# The daemon's own account: its last line says how many runs it made.
grep -q "event=daemon.stopped runs=$RUNS\b" "$WORK/daemonN.log" ||
  { tail -n 5 "$WORK/daemonN.log"; die "daemon did not stop after $RUNS runs"; }
N_UPLOADED=$(sed -n 's/.*event=upload.done .* stored=\([0-9]*\).*/\1/p' "$WORK/daemonN.log" | awk '{ s += $1 } END { print s + 0 }')
[ "$N_UPLOADED" -eq "$RUNS" ] || die "the collector acknowledged $N_UPLOADED runs as stored, want $RUNS"
[ "$N_FETCHES" -eq $((RUNS * FETCHES_PER_RUN)) ] ||
  die "nginx served $N_FETCHES requests over $RUNS runs, want $((RUNS * FETCHES_PER_RUN))"
# What the collector holds for the probe: 1 + RUNS runs, each with every test.
"$CLI" --collector="$ADDR" --format=csv --probe="$PROBE_ID" --limit=100000 runs >"$WORK/runs.csv"
STORED=$(($(wc -l <"$WORK/runs.csv") - 1))
TESTS_PER_RUN="$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "tests") c = i; next }
  { print $c }' "$WORK/runs.csv" | sort -u | paste -sd' ')"
[ "$STORED" -eq $((RUNS + 1)) ] || die "collector lists $STORED runs, want $((RUNS + 1))"
[ "$(echo "$TESTS_PER_RUN" | wc -w)" -eq 1 ] || die "runs differ in test count: $TESTS_PER_RUN"
echo "  $RUNS runs done and stored; each: $TESTS_PER_RUN tests, $FETCHES_PER_RUN HTTP fetches (counted by nginx)"

read -r _ HELP_U HELP_S HELP_RSS <"$WORK/help.time"
read -r _ D1_U D1_S D1_RSS <"$WORK/daemon1.time"
read -r DN_WALL DN_U DN_S DN_RSS <"$WORK/daemonN.time"
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
HELP_CPU_MS=$(calc %.0f "($HELP_U + $HELP_S) * 1000")
D1_CPU_MS=$(calc %.0f "($D1_U + $D1_S) * 1000")
DN_CPU_MS=$(calc %.0f "($DN_U + $DN_S) * 1000")
CPU_PER_RUN=$(calc %.2f "($DN_CPU_MS - $D1_CPU_MS) / ($RUNS - 1)")
CPU_PER_RUN_GROSS=$(calc %.2f "$DN_CPU_MS / $RUNS")
mib() { calc %.1f "$1 / 1024"; }
SAMPLE_RSS="$(field "$WORK/daemonN.status" VmRSS)"
ANON_KIB="$(field "$WORK/daemonN.status" RssAnon)"
FILE_KIB="$(field "$WORK/daemonN.status" RssFile)"
PSS_KIB="$(field "$WORK/daemonN.smaps" Pss)"
echo "  --help:      peak RSS $(mib "$HELP_RSS") MiB, CPU ${HELP_CPU_MS} ms"
echo "  1 run:       peak RSS $(mib "$D1_RSS") MiB, CPU ${D1_CPU_MS} ms"
echo "  $RUNS runs:    peak RSS $(mib "$DN_RSS") MiB, CPU ${DN_CPU_MS} ms, wall ${DN_WALL} s"
echo "  largest sampled RSS ${SAMPLE_RSS:-?} kB: anonymous ${ANON_KIB:-?} kB," \
  "file-backed ${FILE_KIB:-?} kB (binary and shared libraries), PSS ${PSS_KIB:-?} kB"
# Resident kB per mapped file (all its mappings) at that sample, largest first.
if [ -s "$WORK/daemonN.smaps_full" ]; then
  echo "  resident by file at that sample (kB):"
  awk '/^[0-9a-f]+-[0-9a-f]+ / { f = (NF >= 6) ? $6 : "[anonymous]" } $1 == "Rss:" { r[f] += $2 }
    END { for (f in r) print r[f], f }' "$WORK/daemonN.smaps_full" | sort -rn | head -n 8 |
    awk '{ n = split($2, p, "/"); printf "    %6d  %s\n", $1, p[n] }'
fi

# --- summary -------------------------------------------------------------------------------
verdict() { if [ "$1" -eq 1 ]; then echo PASS; else echo FAIL; fi; }
RATE_OK=$(awk -v r="$RATE_RATIO" 'BEGIN { print (r >= 1) ? 1 : 0 }')
RSS_OK=$([ "$DN_RSS" -le "$TARGET_RSS_KIB" ] && echo 1 || echo 0)
CPU_OK=$(awk -v a="$CPU_PER_RUN" -v t="$TARGET_CPU_MS_PER_RUN" 'BEGIN { print (a <= t) ? 1 : 0 }')
VERDICT=0
[ "$RATE_OK$RSS_OK$CPU_OK" = 111 ] || VERDICT=1

step "Summary (medians of $ROUNDS rounds; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ))"
row() { printf '%-46s %-26s %-14s %s\n' "$@"; }
row "figure" "value" "target" "ratio / verdict"
row "fetch rate, probe fetcher (1 loop thread)" "$FETCHER_RATE /s" ">= curl-fresh" \
  "$(calc %.2f "$RATE_RATIO")x curl-fresh: $(verdict "$RATE_OK") (median of rounds: $ROUND_RATIOS)"
row "  baseline: curl --parallel, new conn each" "$FRESH_RATE /s" "" \
  "conns/fetch: fetcher $FETCHER_CONNS, curl $FRESH_CONNS"
row "  info: curl --parallel, keep-alive reuse" "$REUSE_RATE /s" "" \
  "$(calc %.2f "$FETCHER_RATE / $REUSE_RATE")x (curl: $REUSE_CONNS conns/fetch)"
row "  nginx worker busy: fetcher/fresh/reuse" "$FETCHER_BUSY% / $FRESH_BUSY% / $REUSE_BUSY%" "" \
  "(100% would mean the server set the rate)"
row "fetch latency p50 / p99 / mean, fetcher" "$FETCHER_P50 / $FETCHER_P99 / $FETCHER_MEAN ms" "" \
  "curl-fresh: $FRESH_P50 / $FRESH_P99 / $FRESH_MEAN ms"
row "client CPU per fetch, fetcher" "$FETCHER_CPU us" "" \
  "$(calc %.2f "$CPU_RATIO")x curl-fresh ($FRESH_CPU us; rounds: $CPU_RATIOS), $(calc %.2f "$FETCHER_CPU / $REUSE_CPU")x curl-reuse ($REUSE_CPU us)"
row "peak RSS, daemon over $RUNS runs" "$(mib "$DN_RSS") MiB" "<= 20 MiB" \
  "$(calc %.2f "$DN_RSS / $TARGET_RSS_KIB")x target: $(verdict "$RSS_OK")"
row "  baseline: v6scope-probe --help" "$(mib "$HELP_RSS") MiB" "" \
  "daemon adds $(mib $((DN_RSS - HELP_RSS))) MiB"
row "  baseline: daemon, 1 run" "$(mib "$D1_RSS") MiB" "" \
  "$((RUNS - 1)) more runs add $(mib $((DN_RSS - D1_RSS))) MiB"
row "CPU per capability run (incl. upload)" "$CPU_PER_RUN ms" "<= $TARGET_CPU_MS_PER_RUN ms" \
  "$(calc %.2f "$CPU_PER_RUN / $TARGET_CPU_MS_PER_RUN")x target: $(verdict "$CPU_OK")"
row "  = (CPU of $RUNS-run daemon - 1-run daemon) / $((RUNS - 1))" "" "" \
  "gross ${CPU_PER_RUN_GROSS} ms/run; --help ${HELP_CPU_MS} ms, 1 run ${D1_CPU_MS} ms, $RUNS runs ${DN_CPU_MS} ms"
exit "$VERDICT"
