#!/usr/bin/env bash
# The Debian packages as built (//deploy/debian:debs), without installing
# them: control fields, Depends against the binaries' real library needs,
# the exact file list with owners and modes, conffiles, maintainer scripts,
# md5sums, the packaged binaries running, the dashboard served by the
# packaged collector with its shipped settings, the example built-in target
# set, the enrol helper's refusals, lintian.
#
# usage: debs_test.sh PROBE.deb COLLECTOR.deb CLI.deb VERSION_H [DASHBOARD_FILE...]
# (DASHBOARD_FILEs: dashboard/dist as built; by default those in the test's
# runfiles, none when it is not built.)
set -uo pipefail
SUITE=debs
source "$(dirname "$0")/lib.sh"

PROBE_DEB="$1" COLLECTOR_DEB="$2" CLI_DEB="$3" VERSION_H="$4"
shift 4
DASHBOARD_FILES=("$@")
RUNFILES_DIST="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-v6scope}/dashboard/dist"
if [ "$#" -eq 0 ] && [ -n "${TEST_SRCDIR:-}" ] && [ -d "$RUNFILES_DIST" ]; then
  mapfile -t DASHBOARD_FILES < <(find -L "$RUNFILES_DIST" -type f | sort)
fi
WORK="$(mktemp -d "${TEST_TMPDIR:-/tmp}/debs.XXXXXX")"
WANT_VERSION="$(sed -n 's/.*kVersion\[\] = "\([^"]*\)".*/\1/p' "$VERSION_H")"
ARCH="$(dpkg --print-architecture)"

# lintian takes longest: started now, its verdict collected at the end.
if command -v lintian >/dev/null; then
  lintian --fail-on warning "$PROBE_DEB" "$COLLECTOR_DEB" "$CLI_DEB" >"$WORK/lintian.out" 2>&1 &
  LINTIAN_PID=$!
  PIDS+=("$LINTIAN_PID")
fi

# field DEB NAME
field() { dpkg-deb -f "$1" "$2"; }

# The dashboard's files as the collector package must carry them: those of
# dashboard/dist (the build stamp aside), or mkdeb's placeholder page when
# the dashboard is not built.
DASHBOARD_BUILT=0
dashboard_files() {
  local f
  if [ "${#DASHBOARD_FILES[@]}" -eq 0 ]; then
    echo "-rw-r--r-- root/root ./usr/share/v6scope/dashboard/index.html"
    return
  fi
  for f in "${DASHBOARD_FILES[@]}"; do
    f="${f#*dashboard/dist/}"
    [ "$f" = .v6scope-inputs.sha256 ] || echo "-rw-r--r-- root/root ./usr/share/v6scope/dashboard/$f"
  done
}
[ "${#DASHBOARD_FILES[@]}" -gt 0 ] && DASHBOARD_BUILT=1

# --- expected contents: "mode owner path", exactly these and nothing else.
expected_files() {
  local common_doc="usr/share/doc/$1"
  case "$1" in
    v6scope-probe) cat <<EOF
-rwxr-xr-x root/root ./usr/bin/v6scope-probe
-rwxr-xr-x root/root ./usr/sbin/v6scope-probe-enrol
-rw-r--r-- root/root ./lib/systemd/system/v6scope-probe.service
-rw-r--r-- root/root ./etc/v6scope/probe.textproto
-rw-r--r-- root/root ./usr/share/man/man1/v6scope-probe.1.gz
-rw-r--r-- root/root ./usr/share/man/man8/v6scope-probe-enrol.8.gz
-rw-r--r-- root/root ./usr/share/v6scope/targets/builtin-loopback.textproto
EOF
      ;;
    v6scope-collector) cat <<EOF
-rwxr-xr-x root/root ./usr/bin/v6scope-collector
-rw-r--r-- root/root ./lib/systemd/system/v6scope-collector.service
-rw-r--r-- root/root ./etc/v6scope/collector.textproto
-rw------- root/root ./etc/v6scope/collector.env
-rw-r--r-- root/root ./usr/share/man/man1/v6scope-collector.1.gz
-rw-r--r-- root/root ./usr/share/lintian/overrides/v6scope-collector
EOF
      dashboard_files
      ;;
    v6scope-cli) cat <<EOF
-rwxr-xr-x root/root ./usr/bin/v6scope
-rw-r--r-- root/root ./usr/share/man/man1/v6scope.1.gz
EOF
      ;;
  esac
  cat <<EOF
-rw-r--r-- root/root ./$common_doc/copyright
-rw-r--r-- root/root ./$common_doc/changelog.gz
-rw-r--r-- root/root ./$common_doc/README.Debian
EOF
}

# The packages (Debian names) that provide the libraries a binary links
# directly (DT_NEEDED), found with ldconfig and dpkg -S -- independently
# of dpkg-shlibdeps, which made Depends. A library no package owns is
# printed as UNRESOLVED:NAME, which no Depends can cover.
needed_packages() {
  /usr/bin/python3 - "$1" <<'PY'
import os, re, subprocess, sys
elf = subprocess.run(["readelf", "-d", sys.argv[1]], capture_output=True, text=True).stdout
libs = re.findall(r"\(NEEDED\).*\[(.+)\]", elf)
cache = {}
for line in subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout.splitlines()[1:]:
    name, _, path = line.strip().partition(" => ")
    cache.setdefault(name.split(" (")[0], path)
def spellings(path):  # usrmerge: dpkg knows one of them
    out = []
    for p in (path, os.path.realpath(path)):
        bare = p[4:] if p.startswith("/usr/") else p
        out += [p, bare, "/usr" + bare]
    return out
cands = {lib: spellings(cache[lib]) if lib in cache else [] for lib in libs}
query = sorted({c for cs in cands.values() for c in cs})
owners = {}
if query:
    res = subprocess.run(["dpkg", "-S"] + query, capture_output=True, text=True).stdout
    for line in res.splitlines():
        pkgs, _, path = line.partition(": ")
        owners.setdefault(path, pkgs.split(",")[0].split(":")[0].strip())
found = set()
for lib in libs or ["no-NEEDED-entries"]:
    pkg = next((owners[c] for c in cands.get(lib, []) if c in owners), None)
    found.add(pkg or "UNRESOLVED:" + lib)
print("\n".join(sorted(found)))
PY
}

# depends_names "DEPENDS": package names of a Depends field, one per line.
depends_names() { tr ',' '\n' <<<"$1" | sed 's/^ *//; s/ .*//; s/:.*//' | sed '/^$/d' | sort -u; }

check_deb() {
  local deb="$1" pkg="$2" bin="$3" extra_depends="$4" conffiles="$5" scripts="$6"
  local root="$WORK/$pkg"
  echo "== $pkg ($(stat -L -c %s "$deb") bytes)"

  check "$pkg: dpkg-deb reads it" dpkg-deb --info "$deb"
  local name version arch
  name="$(field "$deb" Package)" version="$(field "$deb" Version)" arch="$(field "$deb" Architecture)"
  if [ "$name" = "$pkg" ]; then pass "$pkg: Package"; else fail "$pkg: Package is '$name'"; fi
  if [ -n "$WANT_VERSION" ] && [ "$version" = "$WANT_VERSION" ]; then
    pass "$pkg: Version $version (common/version.h)"
  else fail "$pkg: Version '$version', common/version.h says '$WANT_VERSION'"; fi
  if [ "$arch" = "$ARCH" ]; then pass "$pkg: Architecture $arch"; else fail "$pkg: Architecture '$arch'"; fi
  local f
  for f in Maintainer Section Priority Description Installed-Size Depends; do
    if [ -n "$(field "$deb" "$f")" ]; then pass "$pkg: $f present"; else fail "$pkg: no $f"; fi
  done
  if [ "$(field "$deb" Description | wc -l)" -ge 3 ]; then pass "$pkg: long description"; else
    fail "$pkg: Description has no long part"; fi

  # Contents: owners, modes, exact list (directories aside).
  local listing got want
  listing="$(dpkg-deb -c "$deb")"
  got="$(awk '$1 !~ /^d/ { print $1, $2, $6 }' <<<"$listing" | sort)"
  want="$(expected_files "$pkg" | sort)"
  if [ "$got" = "$want" ]; then pass "$pkg: files, owners and modes as expected"; else
    fail "$pkg: contents differ from the expected list"; diff <(echo "$want") <(echo "$got"); fi
  if awk '{ print $2 }' <<<"$listing" | grep -qv '^root/root$'; then
    fail "$pkg: a file not owned by root/root"; else pass "$pkg: everything root/root"; fi
  if awk '$1 ~ /^d/ && $1 != "drwxr-xr-x"' <<<"$listing" | grep -q .; then
    fail "$pkg: a directory not 0755"; else pass "$pkg: directories 0755"; fi
  if awk '{ print $1 }' <<<"$listing" | grep -q '[sStT]'; then
    fail "$pkg: setuid, setgid or sticky bit"; else pass "$pkg: no setuid/setgid"; fi
  if grep -q ' \./var/' <<<"$listing"; then
    fail "$pkg: ships files under /var (state belongs to postinst)"; else pass "$pkg: nothing under /var"; fi

  # Conffiles and maintainer scripts.
  mkdir -p "$root/DEBIAN" && dpkg-deb -e "$deb" "$root/DEBIAN"
  got="$(sort "$root/DEBIAN/conffiles" 2>/dev/null)"
  if [ "$got" = "$(tr ' ' '\n' <<<"$conffiles" | sed '/^$/d' | sort)" ]; then
    pass "$pkg: conffiles: ${conffiles:-none}"; else fail "$pkg: conffiles are '$got'"; fi
  local s
  for s in preinst postinst prerm postrm; do
    if [[ " $scripts " == *" $s "* ]]; then
      if [ "$(stat -c %a "$root/DEBIAN/$s" 2>/dev/null)" = 755 ]; then pass "$pkg: $s, mode 0755"; else
        fail "$pkg: $s missing or not 0755"; continue; fi
      check "$pkg: $s parses (sh -n)" sh -n "$root/DEBIAN/$s"
      check "$pkg: $s has set -e" grep -q '^set -e' "$root/DEBIAN/$s"
      if command -v shellcheck >/dev/null; then
        check "$pkg: $s is shellcheck-clean" shellcheck -s sh "$root/DEBIAN/$s"
      else skip "$pkg: shellcheck $s (shellcheck not installed)"; fi
    elif [ -e "$root/DEBIAN/$s" ]; then
      fail "$pkg: unexpected $s"
    fi
  done

  # Unpacked: md5sums, conffiles present, the binary stripped and running.
  dpkg-deb -x "$deb" "$root"
  check "$pkg: md5sums match the files" bash -c "cd '$root' && md5sum --quiet -c DEBIAN/md5sums"
  for f in $conffiles; do
    check "$pkg: conffile $f is in the package" test -f "$root$f"
  done
  if readelf -S "$root/usr/bin/$bin" | grep -q '\.symtab'; then
    fail "$pkg: $bin is not stripped"; else pass "$pkg: $bin stripped"; fi
  if ldd "$root/usr/bin/$bin" | grep -q 'not found'; then
    fail "$pkg: $bin has unresolved libraries"; else pass "$pkg: $bin's libraries resolve"; fi
  local help
  if help="$("$root/usr/bin/$bin" --help 2>&1)" && has "^$bin" "$help"; then
    pass "$pkg: packaged $bin --help runs"; else fail "$pkg: packaged $bin --help: $help"; fi

  # Depends: every directly linked library's package, at a version that is
  # installed here, plus what the maintainer scripts and units call.
  local depends missing="" p
  depends="$(field "$deb" Depends)"
  echo "   Depends: $depends"
  local needed
  needed="$(needed_packages "$root/usr/bin/$bin")"
  echo "   linked libraries come from: $(tr '\n' ' ' <<<"$needed")"
  if [ "$(wc -l <<<"$needed")" -ge 3 ]; then pass "$pkg: libraries' packages found with dpkg -S"; else
    fail "$pkg: found only '$needed' as library packages"; fi
  for p in $needed $extra_depends; do
    depends_names "$depends" | grep -qx "$p" || missing="$missing $p"
  done
  if [ -z "$missing" ]; then pass "$pkg: Depends covers every linked library's package"; else
    fail "$pkg: Depends lacks:$missing"; fi
  local clause dep op ver installed bad=""
  while read -r clause; do
    dep="$(awk '{ print $1 }' <<<"$clause")"
    installed="$(dpkg-query -W -f='${Version}' "$dep" 2>/dev/null)" || { bad="$bad $dep(not installed)"; continue; }
    if [[ "$clause" =~ \((\>=|\>\>|=|\<=|\<\<)\ ([^\)]+)\) ]]; then
      op="${BASH_REMATCH[1]}" ver="${BASH_REMATCH[2]}"
      case "$op" in '>=') op=ge ;; '>>') op=gt ;; '=') op=eq ;; '<=') op=le ;; '<<') op=lt ;; esac
      dpkg --compare-versions "$installed" "$op" "$ver" || bad="$bad $dep($installed !$op $ver)"
    fi
  done < <(tr ',' '\n' <<<"$depends" | sed 's/^ *//' | sed '/^$/d')
  if [ -z "$bad" ]; then pass "$pkg: every Depends is satisfied by Debian 12 here"; else
    fail "$pkg: Depends not satisfied here:$bad"; fi

  # Installed-Size: within a few KiB of the unpacked files.
  local size actual
  size="$(field "$deb" Installed-Size)"
  actual="$(du -s -k --apparent-size --exclude=DEBIAN "$root" | cut -f1)"
  if [ "$size" -ge $((actual * 9 / 10)) ] && [ "$size" -le $((actual * 11 / 10 + 16)) ]; then
    pass "$pkg: Installed-Size $size KiB (files: $actual KiB)"; else
    fail "$pkg: Installed-Size $size KiB, files take $actual KiB"; fi

  # Man pages render without warnings.
  if command -v man >/dev/null; then
    for f in "$root"/usr/share/man/man*/*.gz; do
      check "$pkg: man page $(basename "$f") renders cleanly" \
        bash -c "out=\$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l '$f' 2>&1 >/dev/null); [ -z \"\$out\" ] || { echo \"\$out\"; false; }"
    done
  else skip "$pkg: man pages (man not installed)"; fi
}

check_deb "$PROBE_DEB" v6scope-probe v6scope-probe "adduser" \
  "/etc/v6scope/probe.textproto" "postinst prerm postrm"
check_deb "$COLLECTOR_DEB" v6scope-collector v6scope-collector "adduser procps" \
  "/etc/v6scope/collector.env /etc/v6scope/collector.textproto" "postinst prerm postrm"
check_deb "$CLI_DEB" v6scope-cli v6scope "" "" ""

# The shipped settings parse with the packaged binaries; the collector
# serves the packaged dashboard at / (test ports, and the unpacked
# dashboard for the installed path the conffile names).
R="$WORK/v6scope-collector"
if [ "$DASHBOARD_BUILT" -eq 1 ]; then
  check "v6scope-collector carries the built dashboard (index.html, app.js)" \
    test -s "$R/usr/share/v6scope/dashboard/index.html" -a -s "$R/usr/share/v6scope/dashboard/app.js"
else
  skip "the built dashboard in v6scope-collector (dashboard/dist is not built: run tools/build-dashboard; the package has the placeholder page)"
fi
check "collector.textproto serves the packaged dashboard: dashboard_dir /usr/share/v6scope/dashboard" \
  grep -qx 'dashboard_dir: "/usr/share/v6scope/dashboard"' "$R/etc/v6scope/collector.textproto"
check "collector.textproto: HTTP on loopback as shipped (http_listen [::1]:8080)" \
  grep -qx 'http_listen: "\[::1\]:8080"' "$R/etc/v6scope/collector.textproto"
"$R/usr/bin/v6scope-collector" --config="$R/etc/v6scope/collector.textproto" \
  --dashboard_dir="$R/usr/share/v6scope/dashboard" --http_listen="[::1]:0" \
  --http_port_file="$WORK/c.http_port" --grpc_listen=127.0.0.1:0 --data_dir="$WORK/cdata" \
  --port_file="$WORK/c.port" 2>"$WORK/c.log" &
pid=$!
PIDS+=("$pid")
if wait_file "$WORK/c.port" 10 && wait_file "$WORK/c.http_port" 5; then
  pass "collector.textproto (conffile) loads"
  got="$(curl -sS -g "http://[::1]:$(cat "$WORK/c.http_port")/" 2>&1)"
  if [ "$got" = "$(cat "$R/usr/share/v6scope/dashboard/index.html")" ]; then
    pass "the packaged collector serves the packaged dashboard: GET / is its index.html"
  else fail "GET / is not the dashboard's index.html: $(head -c 300 <<<"$got")"; fi
else fail "collector with the packaged config did not start"; tail -n 5 "$WORK/c.log"; fi
kill -TERM "$pid"; wait_exit "$pid" 15
if [ "${EXIT:-1}" -eq 0 ] && grep -q 'event=collector.stopped' "$WORK/c.log"; then
  pass "SIGTERM stops it with 0"; else fail "collector stop: exit ${EXIT:-?}"; tail -n 5 "$WORK/c.log"; fi
R="$WORK/v6scope-probe"
out="$("$R/usr/bin/v6scope-probe" run-once --config="$R/etc/v6scope/probe.textproto" 2>&1)"
if has "no target set" "$out"; then
  pass "probe.textproto (conffile) loads and names no target set (the office's comes via enrol)"
else fail "probe with the packaged config: $out"; fi

# The example target set for the collector's built-in targets: what the
# probe's --loopback_targets builds (lib.sh's copy), comments aside.
if [ "$(grep -v '^#' "$R/usr/share/v6scope/targets/builtin-loopback.textproto" | sed '/^$/d')" = \
  "$(loopback_targets 8080)" ]; then
  pass "the example built-in target set is the probe's --loopback_targets set at port 8080"
else fail "builtin-loopback.textproto differs from the probe's loopback target set"; fi
out="$("$R/usr/bin/v6scope-probe" run-once --config="$R/etc/v6scope/probe.textproto" \
  --targets="$R/usr/share/v6scope/targets/builtin-loopback.textproto" --resolver=127.0.0.1:1 \
  --json 2>&1)"
if has '"target_set": "loopback"' "$out" || has '"target_set":"loopback"' "$out"; then
  pass "the probe measures with the example target set (run-once --json)"
else fail "run-once with the example target set: $(head -c 400 <<<"$out")"; fi

# The enrol helper: usage, and its refusals, before anything is touched.
H="$R/usr/sbin/v6scope-probe-enrol"
check "v6scope-probe-enrol --help names --loopback_targets" bash -c "'$H' --help | grep -q -- '--loopback_targets'"
out="$("$H" --collector=a:1 --token=x --targets=/dev/null --loopback_targets 2>&1)"; code=$?
if [ "$code" -eq 2 ] && has "not both" "$out"; then pass "v6scope-probe-enrol: --targets or --loopback_targets, not both (exit 2)"; else
  fail "v6scope-probe-enrol with --targets and --loopback_targets: exit $code: $out"; fi
out="$("$H" --collector=a:1 --token=x --loopback_targets=http 2>&1)"; code=$?
if [ "$code" -eq 2 ] && has "not a port" "$out"; then pass "v6scope-probe-enrol: --loopback_targets=http is not a port (exit 2)"; else
  fail "v6scope-probe-enrol --loopback_targets=http: exit $code: $out"; fi
check "v6scope-probe-enrol --help" bash -c "'$H' --help | grep -q 'v6scope-probe-enrol --collector'"
out="$("$H" --token=x 2>&1)"; code=$?
if [ "$code" -eq 2 ] && has "collector" "$out"; then pass "v6scope-probe-enrol: --collector required (exit 2)"; else
  fail "v6scope-probe-enrol without --collector: exit $code: $out"; fi
out="$("$H" --collector=a:1 --token=x --client_cert=/dev/null 2>&1)"; code=$?
if [ "$code" -eq 2 ] && has "go together" "$out"; then pass "v6scope-probe-enrol: refuses a client cert without key (exit 2)"; else
  fail "v6scope-probe-enrol accepted --client_cert without --client_key"; fi

# lintian, when installed: no errors and no warnings.
if [ -n "${LINTIAN_PID:-}" ]; then
  if wait "$LINTIAN_PID"; then pass "lintian: no errors or warnings"; else
    fail "lintian"; cat "$WORK/lintian.out"; fi
else
  skip "lintian (not installed: apt-get install lintian)"
fi

finish
