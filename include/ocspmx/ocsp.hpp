// OCSP verdict for one stapled response: CONTRACT.md §4, RFC 6960.
// Verification never throws: bad input is a `failed` verdict with a reason.
// Rules and their RFC sections: src/ocsp/verify.cpp.
#pragma once

#include <gnutls/x509.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ocspmx::ocsp {

using TimePoint = std::chrono::system_clock::time_point;

// Exim's $tls_out_ocsp states.
enum class State {
    not_requested,  // we did not ask for a staple
    not_responded,  // asked, the server stapled nothing
    failed,         // a staple was present and did not verify
    verified,       // a staple was present and passed every rule of §4
};

// RFC 6960 §4.2.1 CertStatus of the SingleResponse that decided.
enum class CertStatus { good, revoked, unknown };

// Why a staple failed; grouped by the rule of CONTRACT §4 that failed.
enum class Reason {
    none,  // verified

    // Rule 1 is not verify()'s: set by callers that check the chain themselves.
    chain_not_verified,  // the certificate and issuer do not chain to the trust anchors

    // Rule 2: an OCSPResponse with responseStatus successful and a BasicOCSPResponse.
    malformed,  // not a DER OCSPResponse/BasicOCSPResponse (empty, garbage, truncated, PEM)
    status_malformed_request,   // responseStatus malformedRequest (1)
    status_internal_error,      // responseStatus internalError (2)
    status_try_later,           // responseStatus tryLater (3)
    status_sig_required,        // responseStatus sigRequired (5)
    status_unauthorized,        // responseStatus unauthorized (6)
    unsupported_response_type,  // responseBytes is not id-pkix-ocsp-basic

    // Rule 3: a SingleResponse's CertID names the certificate.
    no_matching_response,  // no SingleResponse matches serial + issuerNameHash + issuerKeyHash

    // Rule 4: signature and signer authorization (RFC 6960 §4.2.2.2).
    signer_not_found,       // no certificate we hold matches the ResponderID
    bad_signature,          // the signature does not verify under the named signer's key
    responder_id_mismatch,  // the signature verifies, but under a key the ResponderID does not name
    signer_not_authorized,  // not the issuer, nor issued directly by it, nor locally trusted
    responder_no_ocsp_signing,  // delegated responder lacks the id-kp-OCSPSigning EKU
    responder_cert_expired,     // delegated responder's certificate is not valid at `now`

    // Rule 5: the time window.
    response_not_yet_valid,  // thisUpdate > now + clock_skew
    response_expired,        // nextUpdate < now - clock_skew
    response_too_old,        // no nextUpdate and thisUpdate < now - max_age

    // Rule 6: the status itself.
    cert_revoked,                // the (strictest) matching SingleResponse says revoked
    cert_unknown,                // the (strictest) matching SingleResponse says unknown
    unknown_critical_extension,  // a critical response or single extension we do not understand

    // The caller's fault, reported as a value all the same.
    bad_input,  // Input without cert or issuer
};

// RFC 5280 §5.3.1 CRLReason, as carried in RevokedInfo.
enum class RevocationReason : int {
    unspecified = 0,
    key_compromise = 1,
    ca_compromise = 2,
    affiliation_changed = 3,
    superseded = 4,
    cessation_of_operation = 5,
    certificate_hold = 6,
    remove_from_crl = 8,
    privilege_withdrawn = 9,
    aa_compromise = 10,
};

// Everything the verifier needs; the caller owns the certificates.
struct Input {
    std::span<const std::uint8_t> response;                 // DER OCSPResponse, borrowed
    gnutls_x509_crt_t cert = nullptr;                       // the certificate the staple speaks for
    gnutls_x509_crt_t issuer = nullptr;                     // its issuer
    std::span<const gnutls_x509_crt_t> trusted_responders;  // ocsp_trusted_responders
    TimePoint now;
    std::chrono::seconds clock_skew{5 * 60};
    std::chrono::seconds max_age{7 * 24 * 3600};
};

struct [[nodiscard]] Verdict {
    State state = State::failed;
    Reason reason = Reason::none;
    std::string detail;  // one line for logs: what exactly failed

    // Details, filled as far as verification got (also on failure), of one
    // SingleResponse for the certificate: on failure the strictest one (rule
    // 6); when verified, the one that goes stale first (earliest nextUpdate,
    // or thisUpdate + max_age without one; the lowest index on a tie).
    std::optional<CertStatus> cert_status;
    std::optional<TimePoint> revocation_time;           // when revoked
    std::optional<RevocationReason> revocation_reason;  // when revoked and given
    std::optional<TimePoint> this_update;
    std::optional<TimePoint> next_update;  // absent in the response: nullopt
    std::optional<TimePoint> produced_at;
    std::string responder;                         // signer's subject DN, or the ResponderID
    std::optional<std::size_t> matched_index;      // deciding SingleResponse, 0-based
    std::optional<TimePoint> responder_not_after;  // signer certificate's notAfter

    // Rule 5 over every SingleResponse for the certificate, not only the one
    // described above: a verdict holds at another `now` only while each of
    // them does (what VerifiedCache re-checks on a hit). Kept unadjusted:
    // the skew and max age are the caller's at that `now`.
    struct Window {
        TimePoint latest_this_update;                                // <= now + clock_skew
        std::optional<TimePoint> earliest_next_update;               // >= now - clock_skew
        std::optional<TimePoint> earliest_this_update_without_next;  // >= now - max_age
    };
    std::optional<Window> window;  // set once a SingleResponse matched

    [[nodiscard]] bool verified() const noexcept { return state == State::verified; }
};

// Applies every rule of CONTRACT §4 except chain verification (rule 1, done
// by the TLS layer or the caller). Never throws.
[[nodiscard]] Verdict verify(const Input& input);

// Names as printed in logs, JSON and `ocspmx verify` output.
[[nodiscard]] const char* to_string(State state);
[[nodiscard]] const char* to_string(Reason reason);
[[nodiscard]] const char* to_string(CertStatus status);
[[nodiscard]] const char* to_string(RevocationReason reason);

}  // namespace ocspmx::ocsp
