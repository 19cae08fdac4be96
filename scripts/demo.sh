#!/usr/bin/env bash
# The quick start: set up, build, make fresh OCSP responses, start a local
# SMTP server stapling a good response, deliver one message through
# `ocspmx send --transcript` with hosts_require_ocsp, then show a revoked
# staple deferred (exit 75) with nothing of the message sent.
#
#   scripts/demo.sh            (OCSPMX_BUILDDIR overrides the build directory)
set -euo pipefail
cd "$(dirname "$0")/.."
builddir=${OCSPMX_BUILDDIR:-build}

scripts/setup.sh "$builddir"
ninja -C "$builddir" src/cli/ocspmx tests/support/ocspmx-testserver >/dev/null

work=$(mktemp -d "${TMPDIR:-/tmp}/ocspmx-demo.XXXXXX")
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n\033[1m### %s\033[0m\n' "$*"; }

step "Fresh OCSP responses for the test PKI (tests/fixtures/make-fixtures.sh --live)"
bash tests/fixtures/make-fixtures.sh --live "$work/live" >/dev/null
ls "$work/live"

# The server re-reads its staple file on every connection.
cp "$work/live/good.der" "$work/staple.der"
mkdir -p "$work/maildir"
"$builddir/tests/support/ocspmx-testserver" \
  --cert tests/fixtures/pki/leaf-chain.pem --key tests/fixtures/pki/leaf.key \
  --staple "$work/staple.der" --maildir "$work/maildir" --record "$work/record" \
  >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
for _ in $(seq 100); do grep -q '^listening' "$work/server.out" 2>/dev/null && break; sleep 0.05; done
port=$(awk '/^listening/ {print $2}' "$work/server.out")
[ -n "$port" ] || { echo "demo: the test server did not start:" >&2; cat "$work/server.err" >&2; exit 1; }
step "ocspmx-testserver listening on 127.0.0.1:$port, stapling good.der"

printf 'From: demo@client.test\r\nTo: postmaster@mx.ocspmx.test\r\nSubject: ocspmx demo\r\n\r\nDelivered only after a verified OCSP staple.\r\n' >"$work/message.eml"

send() {
  "$builddir/src/cli/ocspmx" send --transcript \
    --hosts-require-ocsp '*' \
    --tls-verify-certificates tests/fixtures/pki/anchors.pem \
    --host "mx.ocspmx.test:$port" --resolve mx.ocspmx.test:127.0.0.1 \
    --from demo@client.test --to postmaster@mx.ocspmx.test --data "$work/message.eml"
}

step "ocspmx send --transcript --hosts-require-ocsp '*' ... (good staple)"
set +e; send; status=$?; set -e
echo "exit status: $status (0 = delivered)"
echo "messages in the server's maildir: $(ls "$work/maildir" | wc -l)"

cp "$work/live/revoked.der" "$work/staple.der.new" && mv "$work/staple.der.new" "$work/staple.der"
step "Same command, the server now staples revoked.der"
set +e; send; status2=$?; set -e
echo "exit status: $status2 (75 = EX_TEMPFAIL: deferred, the MTA keeps the message)"
echo "messages in the server's maildir: $(ls "$work/maildir" | wc -l)"
# Connection 2 of the server's record: everything the client sent to it.
if awk '/^\[conn 2 /{on=1} on' "$work/record" | grep -aq 'MAIL FROM'; then
  echo "demo: FAILED: the server saw MAIL FROM on the revoked connection" >&2; exit 1
fi
echo "bytes received inside TLS on that connection: 0 MAIL FROM, 0 message data"

[ "$status" = 0 ] && [ "$status2" = 75 ] || { echo "demo: unexpected exit statuses $status / $status2" >&2; exit 1; }
step "Demo finished: delivered with a verified staple, deferred with a revoked one"
