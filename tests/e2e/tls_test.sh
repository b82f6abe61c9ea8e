#!/usr/bin/env bash
# Transport security end to end: a collector with a real certificate (from a
# test CA made here with openssl), a probe that verifies it, mutual TLS with
# client certificates, and the refusals: plaintext to a non-loopback
# collector, an untrusted server, a missing or foreign client certificate.
set -uo pipefail

COLLECTOR="$1"; PROBE="$2"; CLI="$3"
WORK="$(mktemp -d "${TEST_TMPDIR:-/tmp}/tls.XXXXXX")"
SUITE=tls_test
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

command -v openssl >/dev/null ||
  skip_test "transport security end to end (needs the openssl command)"

# make_ca NAME: a self-signed CA.
make_ca() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -days 2 -subj "/CN=$1" -keyout "$WORK/$1.key" -out "$WORK/$1.pem" \
    2>/dev/null
}
# make_cert NAME CA EXT: a certificate signed by CA with extensions EXT.
make_cert() {
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -subj "/CN=$1" -keyout "$WORK/$1.key" -out "$WORK/$1.csr" 2>/dev/null
  printf '%s\n' "$3" >"$WORK/$1.ext"
  openssl x509 -req -in "$WORK/$1.csr" -CA "$WORK/$2.pem" -CAkey "$WORK/$2.key" \
    -CAcreateserial -days 2 -extfile "$WORK/$1.ext" -out "$WORK/$1.pem" \
    2>/dev/null
}
make_ca ca
make_ca other-ca
make_cert server ca "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1"
make_cert probe ca "extendedKeyUsage=clientAuth"
make_cert stranger other-ca "extendedKeyUsage=clientAuth"
check "test certificates made" test -s "$WORK/server.pem" -a -s "$WORK/probe.pem"

tls_ADDR="" mtls_ADDR=""  # Set by start, through printf -v.
# start NAME EXTRA_FLAGS...: a TLS collector on 127.0.0.1, port in ${NAME}_ADDR.
start() {
  local name="$1"; shift
  "$COLLECTOR" --grpc_listen='127.0.0.1:0' --data_dir="$WORK/$name" \
    --tls_cert="$WORK/server.pem" --tls_key="$WORK/server.key" "$@" \
    --port_file="$WORK/$name.port" 2>"$WORK/$name.log" &
  PIDS+=("$!")
  wait_for "$WORK/$name.log" 'event=collector.started'
  printf -v "${name}_ADDR" '%s' "localhost:$(cat "$WORK/$name.port")"
}

# token ADDR DATA_DIR: a fresh enrolment token over TLS.
token() {
  "$CLI" --collector="$1" --ca_file="$WORK/ca.pem" \
    --admin_secret_file="$2/admin.secret" --org=tls --format=csv \
    admin token create | sed -n 2p | cut -d, -f1
}

# --- server TLS ---------------------------------------------------------------
start tls
T="$(token "$tls_ADDR" "$WORK/tls")"
check "admin CLI works over TLS" [ -n "$T" ]
expect_exit 0 "probe enrols over TLS verifying the collector" \
  "$PROBE" enrol --state_dir="$WORK/p1" --collector="$tls_ADDR" \
  --ca_file="$WORK/ca.pem" --token="$T"
expect_exit 1 "a probe that does not trust the collector's CA is refused" \
  "$PROBE" enrol --state_dir="$WORK/p2" --collector="$tls_ADDR" \
  --ca_file="$WORK/other-ca.pem" --token="$(token "$tls_ADDR" "$WORK/tls")"
check "…and says the collector is unavailable" has "UNAVAILABLE" "$OUT"
expect_exit 1 "plaintext to a non-loopback collector is refused" \
  "$PROBE" enrol --state_dir="$WORK/p3" --collector="192.0.2.1:7443" --token=x
check "…with a reason naming TLS" has "refusing plaintext to non-loopback" "$OUT"
check "…naming --ca_file and --insecure_remote" \
  has "with --ca_file for TLS (or allow plaintext with --insecure_remote" "$OUT"
check "…printed once, not twice" [ "$(grep -c "refusing plaintext" <<<"$OUT")" -eq 1 ]
# The CLI on loopback talks plaintext to a TLS collector: the handshake
# fails with "Socket closed" alone unless the CLI says what to try.
expect_exit 1 "the CLI without --ca_file against a TLS collector fails" \
  "$CLI" --collector="$tls_ADDR" probes
check "…with a hint naming --ca_file and the system store" \
  has "give its CA certificate with --ca_file=PEM.*the system store" "$OUT"
# gRPC core's own lines ("E1207 03:57:43.123 ... ssl_transport_security")
# go into the structured log (event=grpc.core), on both sides.
check "…and no raw gRPC core line on the CLI's stderr" \
  bash -c '! grep -qE "^[EIDW][0-9]{4} " <<<"$1"' _ "$OUT"
check "no raw gRPC core line in the collector's log" \
  bash -c '! grep -qE "^[EIDW][0-9]{4} " "$1"' _ "$WORK/tls.log"
expect_exit 1 "a client certificate without TLS is refused" \
  "$PROBE" enrol --state_dir="$WORK/p3" --collector="$tls_ADDR" --token=x \
  --client_cert="$WORK/probe.pem" --client_key="$WORK/probe.key"

# --- mutual TLS -------------------------------------------------------------
start mtls --tls_client_ca="$WORK/ca.pem"
check "collector logs mtls=true" grep -q 'mtls=true' "$WORK/mtls.log"
# The admin CLI is a client too: without a certificate it is refused.
check "without a client certificate the handshake is refused" \
  test -z "$(token "$mtls_ADDR" "$WORK/mtls" 2>/dev/null)"
MT="$("$CLI" --collector="$mtls_ADDR" --ca_file="$WORK/ca.pem" \
  --client_cert="$WORK/probe.pem" --client_key="$WORK/probe.key" \
  --admin_secret_file="$WORK/mtls/admin.secret" --org=tls --format=csv \
  admin token create | sed -n 2p | cut -d, -f1)"
check "admin CLI with a client certificate gets a token" [ -n "$MT" ]
expect_exit 1 "a certificate from another CA is refused" \
  "$PROBE" enrol --state_dir="$WORK/p4" --collector="$mtls_ADDR" \
  --ca_file="$WORK/ca.pem" --client_cert="$WORK/stranger.pem" \
  --client_key="$WORK/stranger.key" --token="$MT"
expect_exit 0 "a probe with a client certificate enrols" \
  "$PROBE" enrol --state_dir="$WORK/p5" --collector="$mtls_ADDR" \
  --ca_file="$WORK/ca.pem" --client_cert="$WORK/probe.pem" \
  --client_key="$WORK/probe.key" --token="$MT"

finish
