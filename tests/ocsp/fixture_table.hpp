// One row per OCSP fixture (tests/fixtures/ocsp/, README.md there): the
// verdict CONTRACT §4 demands at 2026-06-01T12:00:00Z with skew 5m and max
// age 7d, and whether `openssl ocsp` agrees (openssl_crosscheck_test.cpp).
#pragma once

#include <array>

#include "ocspmx/ocsp.hpp"

namespace ocspmx::ocsp::test {

// How `openssl ocsp` (3.0, same clock, -status_age 7d) relates to our verdict.
enum class OpenSsl {
    agrees,            // same verified/failed outcome
    accepts_critical,  // OpenSSL ignores unknown critical extensions (RFC 5280 §4.2 says reject)
    first_match_only,  // OpenSSL uses the first matching SingleResponse, not the strictest
};

struct Row {
    const char* file;  // under tests/fixtures/ocsp/
    const char* cert;  // under tests/fixtures/pki/, without .pem
    const char* issuer;
    State state;
    Reason reason;
    const char* trusted = nullptr;  // ocsp_trusted_responders, if any
    const char* certid = "sha1";    // CertID hash, for openssl's -cert lookup
    OpenSsl openssl = OpenSsl::agrees;
};

constexpr const char* L = "leaf";
constexpr const char* I = "intermediate-ca";
constexpr State ok = State::verified;
constexpr State no = State::failed;

inline constexpr std::array rows = {
    // Verified.
    Row{"good-issuer.der", L, I, ok, Reason::none},
    Row{"good-issuer-with-cert.der", L, I, ok, Reason::none},
    Row{"good-issuer-bykey.der", L, I, ok, Reason::none},
    Row{"good-delegated.der", L, I, ok, Reason::none},
    Row{"good-delegated-bykey.der", L, I, ok, Reason::none},
    Row{"good-sha256-certid.der", L, I, ok, Reason::none, nullptr, "sha256"},
    Row{"good-sha384-certid.der", L, I, ok, Reason::none, nullptr, "sha384"},
    Row{"good-sha512-certid.der", L, I, ok, Reason::none, nullptr, "sha512"},
    Row{"good-ecdsa-issuer.der", "ec-leaf", "ec-intermediate-ca", ok, Reason::none},
    Row{"good-ecdsa-delegated.der", "ec-leaf", "ec-intermediate-ca", ok, Reason::none},
    Row{"this-update-within-skew.der", L, I, ok, Reason::none},
    Row{"next-update-within-skew.der", L, I, ok, Reason::none},
    Row{"no-next-update-fresh.der", L, I, ok, Reason::none},
    Row{"two-singles-leaf-second.der", L, I, ok, Reason::none},
    Row{"two-singles-second-expires-first.der", L, I, ok, Reason::none},
    Row{"noncritical-unknown-extension.der", L, I, ok, Reason::none},
    Row{"critical-nonce.der", L, I, ok, Reason::none},
    Row{"delegated-cert-missing.der", L, I, ok, Reason::none, "responder"},
    Row{"intermediate-good.der", I, "root-ca", ok, Reason::none},
    // Rule 2: not a successful BasicOCSPResponse.
    Row{"malformed-request.der", L, I, no, Reason::status_malformed_request},
    Row{"internal-error.der", L, I, no, Reason::status_internal_error},
    Row{"try-later.der", L, I, no, Reason::status_try_later},
    Row{"sig-required.der", L, I, no, Reason::status_sig_required},
    Row{"unauthorized.der", L, I, no, Reason::status_unauthorized},
    Row{"successful-no-bytes.der", L, I, no, Reason::malformed},
    Row{"empty.der", L, I, no, Reason::malformed},
    Row{"garbage.der", L, I, no, Reason::malformed},
    Row{"truncated.der", L, I, no, Reason::malformed},
    Row{"truncated-one-byte.der", L, I, no, Reason::malformed},
    Row{"pem-text.der", L, I, no, Reason::malformed},
    // Rule 3: CertID.
    Row{"wrong-serial.der", L, I, no, Reason::no_matching_response},
    Row{"good-issuer.der", "other-leaf", I, no, Reason::no_matching_response},
    Row{"good-issuer.der", L, "foreign-ca", no, Reason::no_matching_response},
    // Rule 4: signature and signer.
    Row{"bad-signature.der", L, I, no, Reason::bad_signature},
    Row{"bad-signature-delegated.der", L, I, no, Reason::bad_signature},
    Row{"responder-id-mismatch.der", L, I, no, Reason::responder_id_mismatch},
    Row{"delegated-cert-missing.der", L, I, no, Reason::signer_not_found},
    Row{"responder-expired.der", L, I, no, Reason::responder_cert_expired},
    Row{"responder-no-eku.der", L, I, no, Reason::responder_no_ocsp_signing},
    Row{"responder-foreign-ca.der", L, I, no, Reason::signer_not_authorized},
    Row{"foreign-ca-signed.der", L, I, no, Reason::signer_not_authorized},
    Row{"root-signed-for-leaf.der", L, I, no, Reason::signer_not_authorized},
    // Rule 5: time window.
    Row{"expired.der", L, I, no, Reason::response_expired},
    Row{"not-yet-valid.der", L, I, no, Reason::response_not_yet_valid},
    Row{"no-next-update-too-old.der", L, I, no, Reason::response_too_old},
    // Rule 6: status and extensions.
    Row{"revoked.der", L, I, no, Reason::cert_revoked},
    Row{"revoked-delegated.der", L, I, no, Reason::cert_revoked},
    Row{"unknown.der", L, I, no, Reason::cert_unknown},
    Row{"two-singles-leaf-revoked-second.der", L, I, no, Reason::cert_revoked},
    Row{"leaf-twice-good-then-revoked.der", L, I, no, Reason::cert_revoked, nullptr, "sha1",
        OpenSsl::first_match_only},
    Row{"critical-unknown-extension.der", L, I, no, Reason::unknown_critical_extension, nullptr,
        "sha1", OpenSsl::accepts_critical},
    Row{"critical-unknown-single-extension.der", L, I, no, Reason::unknown_critical_extension,
        nullptr, "sha1", OpenSsl::accepts_critical},
    // An OBJECT IDENTIFIER that is not DER (X.690 §8.19.2) makes the
    // response malformed (rule 2; OpenSSL agrees), never a known extension.
    Row{"critical-malformed-oid-extension.der", L, I, no, Reason::malformed},
    Row{"intermediate-revoked.der", I, "root-ca", no, Reason::cert_revoked},
};

}  // namespace ocspmx::ocsp::test
