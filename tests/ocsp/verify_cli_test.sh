#!/usr/bin/env bash
# `ocspmx verify` on the fixtures (CONTRACT.md §5): verdict, reason and
# exit status (0 verified, 75 failed verdict, 65 unreadable file, 64 usage).
#   verify_cli_test.sh PATH/TO/ocspmx      (OCSPMX_SOURCE_ROOT: source tree)
set -u
ocspmx=$1
fx=${OCSPMX_SOURCE_ROOT:-.}/tests/fixtures
at=2026-06-01T12:00:00Z
pass=0 fail=0

check() {  # NAME EXPECTED_EXIT EXPECTED_TEXT ARGS...
  local name=$1 want=$2 text=$3; shift 3
  local out rc
  out=$("$ocspmx" verify "$@" 2>&1); rc=$?
  if [ "$rc" = "$want" ] && grep -qF -- "$text" <<<"$out"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $name: exit $rc (want $want), output:"; echo "$out" | sed 's/^/    /'
  fi
}
leaf=(--cert "$fx/pki/leaf.pem" --issuer "$fx/pki/intermediate-ca.pem")
anchors=(--anchors "$fx/pki/root-ca.pem")

check good-issuer 0 '"status": "verified"' --response "$fx/ocsp/good-issuer.der" "${leaf[@]}" "${anchors[@]}" --at $at --json
check good-delegated 0 'ocsp:              verified' --response "$fx/ocsp/good-delegated.der" "${leaf[@]}" --at $at
check unix-time 0 'verified' --response "$fx/ocsp/good-sha512-certid.der" "${leaf[@]}" --at 1780315200
check chain-file 0 'verified' --response "$fx/ocsp/good-issuer.der" --cert "$fx/pki/leaf-chain.pem" --issuer "$fx/pki/intermediate-ca.pem" "${anchors[@]}" --at $at
check ecdsa 0 'verified' --response "$fx/ocsp/good-ecdsa-delegated.der" --cert "$fx/pki/ec-leaf.pem" --issuer "$fx/pki/ec-intermediate-ca.pem" "${anchors[@]}" --at $at
check revoked 75 '"revocation_reason": "keyCompromise"' --response "$fx/ocsp/revoked.der" "${leaf[@]}" --at $at --json
check unknown 75 '"reason": "unknown"' --response "$fx/ocsp/unknown.der" "${leaf[@]}" --at $at --json
check try-later 75 'tryLater' --response "$fx/ocsp/try-later.der" "${leaf[@]}" --at $at
check expired 75 '"reason": "expired"' --response "$fx/ocsp/expired.der" "${leaf[@]}" --at $at --json
check root-signed 75 'signer_not_authorized' --response "$fx/ocsp/root-signed-for-leaf.der" "${leaf[@]}" --at $at
check garbage-response 75 'malformed' --response "$fx/ocsp/garbage.der" "${leaf[@]}" --at $at
check trusted-responder 0 'verified' --response "$fx/ocsp/delegated-cert-missing.der" "${leaf[@]}" --at $at --ocsp-trusted-responders "$fx/pki/responder.pem"
check no-trusted-responder 75 'signer_not_found' --response "$fx/ocsp/delegated-cert-missing.der" "${leaf[@]}" --at $at
check max-age-flag 0 'verified' --response "$fx/ocsp/no-next-update-too-old.der" "${leaf[@]}" --at $at --ocsp-max-age 30d
check wrong-anchor 75 'chain_not_verified' --response "$fx/ocsp/good-issuer.der" "${leaf[@]}" --anchors "$fx/pki/foreign-ca.pem" --at $at
check chain-expired 75 'chain_not_verified' --response "$fx/ocsp/good-issuer.der" "${leaf[@]}" "${anchors[@]}" --at 2036-06-01T00:00:00Z
check missing-response-file 65 'no-such.der' --response "$fx/ocsp/no-such.der" "${leaf[@]}"
check bad-cert-file 65 'garbage.der' --response "$fx/ocsp/good-issuer.der" --cert "$fx/ocsp/garbage.der" --issuer "$fx/pki/intermediate-ca.pem"
check missing-issuer-flag 64 '--issuer is required' --response "$fx/ocsp/good-issuer.der" --cert "$fx/pki/leaf.pem"
check bad-at 64 "--at 'tomorrow'" --response "$fx/ocsp/good-issuer.der" "${leaf[@]}" --at tomorrow

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
