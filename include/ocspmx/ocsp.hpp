// OCSP verdict for one stapled response: CONTRACT.md §4, RFC 6960.
// Verification never throws: bad input is a `failed` verdict with a reason.
// The owner of the verifier fills in the implementation in src/ocsp/ and may
// add reasons; names already here are relied on by other modules.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <gnutls/x509.h>

namespace ocspmx::ocsp {

using TimePoint = std::chrono::system_clock::time_point;

// Exim's $tls_out_ocsp states.
enum class State {
    not_requested,  // we did not ask for a staple
    not_responded,  // asked, the server stapled nothing
    failed,         // a staple was present and did not verify
    verified,       // a staple was present and passed every rule of §4
};

enum class CertStatus { good, revoked, unknown };

// Why a staple failed; one value per rule of CONTRACT §4.
enum class Reason {
    none,  // verified
    // (The verifier's owner documents and extends this list.)
};

// Everything the verifier needs; the caller owns the certificates.
struct Input {
    std::span<const std::uint8_t> response;  // DER OCSPResponse, borrowed
    gnutls_x509_crt_t cert = nullptr;        // the certificate the staple speaks for
    gnutls_x509_crt_t issuer = nullptr;      // its issuer
    std::span<const gnutls_x509_crt_t> trusted_responders;  // ocsp_trusted_responders
    TimePoint now;
    std::chrono::seconds clock_skew{5 * 60};
    std::chrono::seconds max_age{7 * 24 * 3600};
};

struct [[nodiscard]] Verdict {
    State state = State::failed;
    Reason reason = Reason::none;
    std::string detail;  // one line for logs: what exactly failed
    // (details: cert status, revocation time/reason, thisUpdate, nextUpdate,
    // producedAt, responder, matched SingleResponse index — added by the
    // verifier's owner)
};

// Applies every rule of CONTRACT §4 except chain verification (rule 1, done
// by the TLS layer or the caller). Never throws.
[[nodiscard]] Verdict verify(const Input& input);

// Names as printed in logs, JSON and `ocspmx verify` output.
[[nodiscard]] const char* to_string(State state);
[[nodiscard]] const char* to_string(Reason reason);

}  // namespace ocspmx::ocsp
