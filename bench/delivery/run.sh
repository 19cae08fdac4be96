#!/usr/bin/env bash
# Delivery benchmarks of issue 4, against a local ocspmx-testserver stapling
# a fresh good response:
#   1. in-process: N sequential Transport::deliver vs a bare GnuTLS client
#   2. per process: `ocspmx send` vs `exim -odf` (hosts_require_ocsp) vs
#      `swaks --tls`, one process per message; peak RSS of `ocspmx send`;
#      ocspmx and Exim again with a system-sized trust store.
#
#   bench/delivery/run.sh [N_INPROCESS=500] [N_PER_PROCESS=50]
#
# OCSPMX_BENCH_SHARED=1 also builds the program with the shared GnuTLS
# (-Dstatic_gnutls=disabled, in build-bench-shared) and times it in the same
# rounds: what linking GnuTLS in is worth.
# Needs root for Exim's -C (see tests/support/exim_server.cpp).
set -euo pipefail
cd "$(dirname "$0")/../.."
builddir=${OCSPMX_BUILDDIR:-build}
n_in=${1:-500}
n_proc=${2:-50}

ninja -C "$builddir" src/cli/ocspmx tests/support/ocspmx-testserver \
  bench/delivery/bench-delivery-inprocess >/dev/null

work=$(mktemp -d "${TMPDIR:-/tmp}/ocspmx-bench.XXXXXX")
chmod 755 "$work"
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

bash tests/fixtures/make-fixtures.sh --live "$work/live" >/dev/null
mkdir -p "$work/maildir"
"$builddir/tests/support/ocspmx-testserver" \
  --cert tests/fixtures/pki/leaf-chain.pem --key tests/fixtures/pki/leaf.key \
  --staple "$work/live/good.der" --maildir "$work/maildir" \
  >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
for _ in $(seq 100); do grep -q '^listening' "$work/server.out" 2>/dev/null && break; sleep 0.05; done
port=$(awk '/^listening/ {print $2}' "$work/server.out")

echo "== $(date -u +%FT%TZ) $(nproc) CPUs; $(gnutls-cli --version | head -1); $(exim -bV | head -1)"
"$builddir/bench/delivery/bench-delivery-inprocess" "$port" tests/fixtures/pki/anchors.pem "$n_in"

# Exim as a sending client: -C makes it drop root for Debian-exim, so its
# spool, log and the anchors must be usable by that user.
exim_dir="$work/exim"
mkdir -p "$exim_dir/spool" "$exim_dir/log"
cp tests/fixtures/pki/anchors.pem "$exim_dir/anchors.pem"
cat >"$exim_dir/exim.conf" <<CONF
primary_hostname = bench.test
qualify_domain = bench.test
spool_directory = $exim_dir/spool
log_file_path = $exim_dir/log/%slog
deliver_drop_privilege = true
begin routers
testserver:
  driver = manualroute
  domains = *
  route_list = * 127.0.0.1
  self = send
  transport = remote_smtp
begin transports
remote_smtp:
  driver = smtp
  port = $port
  helo_data = bench.test
  hosts_require_ocsp = *
  hosts_require_tls = *
  tls_verify_hosts = *
  tls_verify_certificates = $exim_dir/anchors.pem
begin retry
* * F,1m,1m
CONF
# The same with a store the size of a real one: Debian's system bundle
# with the test root appended (each tool parses what it needs of it).
cat /etc/ssl/certs/ca-certificates.crt tests/fixtures/pki/anchors.pem >"$exim_dir/bundle.pem"
sed "s|tls_verify_certificates = .*|tls_verify_certificates = $exim_dir/bundle.pem|" \
  "$exim_dir/exim.conf" >"$exim_dir/exim-bundle.conf"
chown -R Debian-exim:Debian-exim "$exim_dir"
chown root:root "$exim_dir/exim.conf" "$exim_dir/exim-bundle.conf"
chmod 644 "$exim_dir/exim.conf" "$exim_dir/exim-bundle.conf" "$exim_dir/anchors.pem" \
  "$exim_dir/bundle.pem"

printf 'From: bench@client.test\r\nTo: sink@server.test\r\nSubject: bench\r\n\r\n' >"$work/message.eml"
for i in $(seq 16); do printf 'The quick brown fox jumps over the lazy dog, line %d.\r\n' "$i" >>"$work/message.eml"; done
chmod 644 "$work/message.eml"

shared_args=()
if [ "${OCSPMX_BENCH_SHARED:-0}" = 1 ]; then
  shared_dir=build-bench-shared
  [ -f "$shared_dir/build.ninja" ] ||
    meson setup "$shared_dir" -Dstatic_gnutls=disabled -Dtests=false >/dev/null
  ninja -C "$shared_dir" src/cli/ocspmx >/dev/null
  shared_args=(--ocspmx-shared "$shared_dir/src/cli/ocspmx")
fi

python3 bench/delivery/per_process.py "${shared_args[@]}" --port "$port" --ocspmx "$builddir/src/cli/ocspmx" \
  --anchors tests/fixtures/pki/anchors.pem --exim-config "$exim_dir/exim.conf" \
  --bundle "$exim_dir/bundle.pem" --exim-config-bundle "$exim_dir/exim-bundle.conf" \
  --message "$work/message.eml" --maildir "$work/maildir" -n "$n_proc" \
  || { echo "--- exim mainlog"; tail -5 "$exim_dir/log/mainlog" 2>/dev/null; tail -5 "$exim_dir/log/paniclog" 2>/dev/null; exit 1; }
