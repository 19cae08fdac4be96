// The decision taken right after the TLS handshake, before anything is
// written inside TLS: certificate verification (tls_verify_hosts,
// tls_verify_cert_hostnames), must-staple (RFC 7633) and the OCSP state
// (CONTRACT §4).
#pragma once

#include <gnutls/gnutls.h>

#include <optional>
#include <string>

#include "ocspmx/transport.hpp"
#include "tls/context.hpp"
#include "tls/session.hpp"
#include "transport/policy.hpp"

namespace ocspmx::transport {

struct SessionVerdict {
    bool proceed = false;
    gnutls_alert_description_t alert = GNUTLS_A_BAD_CERTIFICATE;  // when not proceeding
    std::string reason;                                           // when not proceeding
};

// Fills attempt.tls.cert_verified / verify_error and attempt.ocsp; may
// tighten `policy` (must-staple, when status_request was sent).
[[nodiscard]] SessionVerdict judge_session(const tls::Context& context, const tls::Session& session,
                                           std::string_view name, const Options& options,
                                           ocsp::TimePoint now, HostPolicy& policy,
                                           Attempt& attempt);

}  // namespace ocspmx::transport
