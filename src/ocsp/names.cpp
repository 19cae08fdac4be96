// Names of the verdict values as they appear in logs, JSON and
// `ocspmx verify`: Exim's $tls_out_ocsp states, RFC 6960 / RFC 5280 terms.
#include "ocspmx/ocsp.hpp"

namespace ocspmx::ocsp {

const char* to_string(State state)
{
    switch (state) {
        case State::not_requested:
            return "not_requested";
        case State::not_responded:
            return "not_responded";
        case State::failed:
            return "failed";
        case State::verified:
            return "verified";
    }
    return "?";
}

const char* to_string(Reason reason)
{
    switch (reason) {
        case Reason::none:
            return "none";
        case Reason::chain_not_verified:
            return "chain_not_verified";
        case Reason::malformed:
            return "malformed";
        case Reason::status_malformed_request:
            return "malformedRequest";
        case Reason::status_internal_error:
            return "internalError";
        case Reason::status_try_later:
            return "tryLater";
        case Reason::status_sig_required:
            return "sigRequired";
        case Reason::status_unauthorized:
            return "unauthorized";
        case Reason::unsupported_response_type:
            return "unsupported_response_type";
        case Reason::no_matching_response:
            return "no_matching_response";
        case Reason::signer_not_found:
            return "signer_not_found";
        case Reason::bad_signature:
            return "bad_signature";
        case Reason::responder_id_mismatch:
            return "responder_id_mismatch";
        case Reason::signer_not_authorized:
            return "signer_not_authorized";
        case Reason::responder_no_ocsp_signing:
            return "responder_no_ocsp_signing";
        case Reason::responder_cert_expired:
            return "responder_cert_expired";
        case Reason::response_not_yet_valid:
            return "not_yet_valid";
        case Reason::response_expired:
            return "expired";
        case Reason::response_too_old:
            return "too_old";
        case Reason::cert_revoked:
            return "revoked";
        case Reason::cert_unknown:
            return "unknown";
        case Reason::unknown_critical_extension:
            return "unknown_critical_extension";
        case Reason::bad_input:
            return "bad_input";
    }
    return "?";
}

const char* to_string(CertStatus status)
{
    switch (status) {
        case CertStatus::good:
            return "good";
        case CertStatus::revoked:
            return "revoked";
        case CertStatus::unknown:
            return "unknown";
    }
    return "?";
}

const char* to_string(RevocationReason reason)
{
    switch (reason) {
        case RevocationReason::unspecified:
            return "unspecified";
        case RevocationReason::key_compromise:
            return "keyCompromise";
        case RevocationReason::ca_compromise:
            return "cACompromise";
        case RevocationReason::affiliation_changed:
            return "affiliationChanged";
        case RevocationReason::superseded:
            return "superseded";
        case RevocationReason::cessation_of_operation:
            return "cessationOfOperation";
        case RevocationReason::certificate_hold:
            return "certificateHold";
        case RevocationReason::remove_from_crl:
            return "removeFromCRL";
        case RevocationReason::privilege_withdrawn:
            return "privilegeWithdrawn";
        case RevocationReason::aa_compromise:
            return "aACompromise";
    }
    return "?";
}

}  // namespace ocspmx::ocsp
